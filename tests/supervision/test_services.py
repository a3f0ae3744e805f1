"""Plans through their states, visits with their flags, placards and mechanisms against the standard."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jianfu.audit.models import AuditRecord
from jianfu.core.exceptions import StaleWriteError
from jianfu.supervision import rules, selectors, services
from jianfu.supervision.models import InspectionPlan, Placard, PlanStatus

from .conftest import YEAR, approved_plan, placards, png_bytes, visit

pytestmark = pytest.mark.django_db


def _draft(world, actor=None):
    plan = services.plan_create(actor=actor or world.dept_clerk, department=world.dept_rs, year=YEAR)
    services.item_add(
        actor=actor or world.dept_clerk,
        plan=plan,
        kind="inspection",
        subject="社保经办检查",
        month=3,
        villages=[world.village_taoyuan],
    )
    plan.refresh_from_db()
    return plan


def test_a_department_plans_and_the_office_approves(world):
    plan = _draft(world)
    services.plan_submit(actor=world.dept_clerk, plan=plan, version=plan.version)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at
    services.plan_decide(actor=world.office, plan=plan, approve=True, version=plan.version)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert [t.to_status for t in plan.transitions.all()] == ["draft", "submitted", "approved"]
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {
        "supervision.plan_create",
        "supervision.item_add",
        "supervision.plan_submitted",
        "supervision.plan_approved",
    } <= actions


def test_a_returned_plan_is_edited_and_submitted_again(world):
    plan = _draft(world)
    services.plan_submit(actor=world.dept_clerk, plan=plan)
    with pytest.raises(ValidationError) as caught:
        services.plan_decide(actor=world.office, plan=plan, approve=False)
    assert "退回须写明理由" in str(caught.value)
    services.plan_decide(actor=world.office, plan=plan, approve=False, note="压减到村次数")
    item = plan.items.get()
    services.item_remove(actor=world.dept_clerk, item=item)
    services.plan_submit(actor=world.dept_clerk, plan=plan)
    assert InspectionPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_only_the_own_department_plans_and_only_the_office_approves(world):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=world.member, department=world.dept_rs, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=world.village_cadre, department=world.dept_rs, year=YEAR)
    plan = _draft(world)
    services.plan_submit(actor=world.dept_clerk, plan=plan)
    for person in (world.dept_clerk, world.chair, world.town_hk, world.outsider):
        with pytest.raises(PermissionDenied):
            services.plan_decide(actor=person, plan=plan, approve=True)


def test_wrong_state_stale_version_and_bad_items_are_refused(world):
    plan = _draft(world)
    with pytest.raises(StaleWriteError):
        services.plan_submit(actor=world.dept_clerk, plan=plan, version=plan.version - 1)
    with pytest.raises(ValidationError) as caught:
        services.plan_decide(actor=world.office, plan=plan, approve=True)
    assert "草稿" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.item_add(
            actor=world.dept_clerk, plan=plan, kind="x", subject="", month=13, villages=[world.other_village]
        )
    assert set(caught.value.message_dict) == {"kind", "subject", "month", "villages"}
    with pytest.raises(ValidationError):
        services.plan_create(actor=world.dept_clerk, department=world.dept_rs, year=YEAR)  # one per year
    services.plan_submit(actor=world.dept_clerk, plan=plan)
    with pytest.raises(ValidationError):
        services.item_add(
            actor=world.dept_clerk, plan=plan, kind="inspection", subject="再加", month=4, village_count=1
        )


def test_a_recorded_visit_is_matched_or_flagged(world):
    approved_plan(world)
    planned = visit(world)
    assert planned.plan_item is not None and not planned.flagged
    unplanned = visit(world, on=date(YEAR, 9, 1))
    assert unplanned.unplanned and unplanned.rule == rules.RULE_UNPLANNED
    materials = visit(world, demanded_materials=True)
    assert materials.materials_flag and materials.rule == rules.RULE_MATERIALS
    veto = visit(world, on=date(YEAR, 6, 3), kind="assessment", subject="考核")
    assert veto.veto_flag and veto.rule == rules.RULE_VETO
    assert AuditRecord.objects.filter(action="supervision.visit_record").count() == 4


def test_who_may_record_a_visit_and_bad_input(world):
    approved_plan(world)
    with pytest.raises(PermissionDenied):
        visit(world, actor=world.community_cadre)  # not their village
    with pytest.raises(PermissionDenied):
        visit(world, actor=world.dept_clerk)
    visit(world, actor=world.town_hk)
    visit(world, actor=world.monitor)
    with pytest.raises(ValidationError) as caught:
        visit(world, on=date.today() + timedelta(days=2), kind="nonsense", subject=" ")
    assert set(caught.value.message_dict) == {"on", "kind", "subject"}
    with pytest.raises(ValidationError):
        visit(world, actor=None, village=world.township_hk)


def test_counts_for_monitoring(world):
    approved_plan(world)
    visit(world)
    visit(world, on=date(YEAR, 9, 1))
    county = selectors.inspection_counts(region=world.county, year=YEAR)
    # 桃园村 in March and June, plus 3 villages of 河口镇 in May.
    assert county == {"planned": 5, "actual": 2, "unplanned": 1}
    township = selectors.inspection_counts(region=world.township_hk, year=YEAR)
    assert township["planned"] == 5  # the 3 villages are planned within 河口镇 itself
    assert selectors.inspection_counts(region=world.township_cg, year=YEAR) == {
        "planned": 0,
        "actual": 0,
        "unplanned": 0,
    }
    assert selectors.inspection_counts(region=world.county, year=YEAR - 1)["planned"] == 0


def test_year_on_year_change_of_planned_inspections(world):
    from jianfu.supervision.stats import year_on_year

    five = [
        dict(kind="inspection", subject=f"检查{i}", month=3, village_count=1, scope=world.county)
        for i in range(5)
    ]
    approved_plan(world, items=five, year=YEAR - 1)
    approved_plan(world, items=five[:4], year=YEAR)
    result = year_on_year(world.county, YEAR)
    assert result["change"] == -20.0
    assert result["series"][0]["data"][-2:] == [5, 4]


def test_the_placard_check_lists_what_must_come_down(world):
    made = placards(world)
    check = rules.check_village(world.village_taoyuan)
    over = {f.obj.pk if hasattr(f.obj, "title") else f.obj.name: f.reason for f in check.over}
    assert set(over) == {
        made["桃园村老年人协会"].pk,
        made["党群服务中心"].pk,
        made["禁毒工作领导小组职责"].pk,
        "创文工作站",
    }
    assert "外部标牌只保留4个" in over[made["桃园村老年人协会"].pk]
    assert "重复" in over[made["党群服务中心"].pk]
    assert check.kept[made["桃园村股份经济合作社"].pk] == "集体经济组织"


def test_inside_placards_over_nine_and_a_county_standard(world):
    for i in range(10):
        services.placard_register(
            actor=None, village=world.village_taoyuan, kind="inside_placard", title=f"功能室{i}"
        )
    check = rules.check_village(world.village_taoyuan)
    assert [f.obj.title for f in check.over] == ["功能室9"]
    services.standard_save(
        actor=world.office,
        region=world.county,
        outside_placards="村党组织：党支部",
        outside_signs="党群服务中心：党群服务中心",
        inside_max=8,
        wall_rules="村务公开、禁毒",
    )
    assert len(rules.check_village(world.village_taoyuan).over) == 2
    with pytest.raises(PermissionDenied):
        services.standard_save(
            actor=world.town_hk,
            region=world.county,
            outside_placards=[],
            outside_signs=[],
            inside_max=9,
            wall_rules=[],
        )


def test_removal_is_recorded_and_counted(world):
    made = placards(world, actor=world.village_cadre)
    today = date.today()
    services.placard_remove(actor=world.village_cadre, placard=made["桃园村老年人协会"], removed_on=today)
    services.placard_remove(actor=world.village_cadre, placard=made["禁毒工作领导小组职责"])
    placard = Placard.objects.get(pk=made["桃园村老年人协会"].pk)
    assert placard.removed_by == world.village_cadre and placard.removed_on == today and placard.version == 2
    with pytest.raises(ValidationError):
        services.placard_remove(actor=world.village_cadre, placard=placard)
    with pytest.raises(StaleWriteError):
        services.placard_remove(actor=world.village_cadre, placard=made["党群服务中心"], version=5)
    with pytest.raises(ValidationError):
        services.placard_remove(
            actor=world.village_cadre, placard=made["党群服务中心"], removed_on=today + timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):
        services.placard_remove(actor=world.community_cadre, placard=made["党群服务中心"])
    assert selectors.placard_removals(region=world.county, year=today.year) == {
        "placards": 1,
        "wall_rules": 1,
    }
    assert selectors.placard_removals(region=world.township_cg, year=today.year) == {
        "placards": 0,
        "wall_rules": 0,
    }
    services.mechanism_remove(actor=world.town_hk, mechanism=made["mechanism_bad"])
    assert len(rules.check_village(world.village_taoyuan).over) == 1  # the duplicate sign


def test_photos_must_be_images_under_the_limit(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    placard = services.placard_register(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        kind="outside_sign",
        title="党群服务中心",
        photo=good,
    )
    assert placard.photo.read() == png_bytes()
    fake = SimpleUploadedFile("p.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.placard_register(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            kind="wall_rule",
            title="制度",
            photo=fake,
        )
    assert "图片" in caught.value.message_dict["photo"][0]
    big = SimpleUploadedFile(
        "big.png", png_bytes() + b"\0" * settings.UPLOAD_MAX_BYTES["photo"], content_type="image/png"
    )
    with pytest.raises(ValidationError) as caught:
        services.placard_register(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            kind="wall_rule",
            title="制度",
            photo=big,
        )
    assert "超过 8 MB" in caught.value.message_dict["photo"][0]
    assert Placard.objects.count() == 1
