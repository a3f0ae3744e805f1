"""Review fixes: the seed 001/004 standard as the seeds word it, drafts kept private, visits and photos in scope."""

import pytest
from django.urls import reverse

from jianfu.supervision import rules, services
from jianfu.supervision.models import InspectionPlan, InspectionVisit

pytestmark = pytest.mark.django_db


def _outside(world, title):
    return services.placard_register(
        actor=None, village=world.village_taoyuan, kind="outside_placard", title=title
    )


def test_the_village_committee_under_its_short_name_stays_up(world):
    # Seed 004: 村民委员会 is one of the 4 placards; villages hang it as "村委会" as often as in full.
    kept = _outside(world, "桃园村村委会")
    check = rules.check_village(world.village_taoyuan)
    assert kept not in [f.obj for f in check.over]
    assert check.kept[kept.pk] == "村（居）民委员会"


def test_a_farmers_cooperative_is_not_the_collective_economic_organisation(world):
    # Seed 004: only the 村集体经济合作组织 placard stays; a 农民专业合作社 is a private body and comes down.
    collective = _outside(world, "桃园村股份经济合作社")
    private = _outside(world, "桃园村种植农民专业合作社")
    over = {f.obj.pk: f.reason for f in rules.check_village(world.village_taoyuan).over}
    assert collective.pk not in over
    assert private.pk in over and "不在其列" in over[private.pk]


def test_a_draft_plan_is_the_departments_own_until_submitted(world, client):
    plan = services.plan_create(actor=world.dept_clerk, department=world.dept_rs, year=2026)
    visible = lambda user: InspectionPlan.objects.visible_to(user).filter(pk=plan.pk).exists()  # noqa: E731
    assert visible(world.dept_clerk)
    assert not visible(world.office) and not visible(world.member) and not visible(world.chair)
    client.force_login(world.office)
    assert client.get(reverse("supervision:plan_detail", kwargs={"pk": plan.pk})).status_code == 404
    services.plan_submit(actor=world.dept_clerk, plan=plan)
    assert visible(world.office)


def test_a_visit_by_another_countys_department_is_refused_and_never_reaches_it(world, login, client):
    login(world.village_cadre)
    body = {
        "village_code": world.village_taoyuan.code,
        "department_id": world.other_dept.pk,
        "on": "2026-03-10",
        "kind": "inspection",
        "subject": "检查",
    }
    response = client.post("/api/v1/supervision/visits", body, content_type="application/json")
    assert response.status_code == 400 and "不负责" in response.json()["error"]["message"]
    assert not InspectionVisit.objects.exists()
    assert not InspectionVisit.objects.visible_to(world.outsider).exists()


def test_a_photo_is_stored_and_served_by_its_real_format_not_its_uploaded_name(
    world, login, client, settings, tmp_path
):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png_bytes

    settings.MEDIA_ROOT = tmp_path
    disguised = SimpleUploadedFile("page.html", png_bytes(), content_type="text/html")
    with pytest.raises(ValidationError, match="内容是 PNG 图片，与扩展名 .html 不符"):
        services.placard_register(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            kind="outside_sign",
            title="党群服务中心",
            photo=disguised,
        )
    unnamed = SimpleUploadedFile("IMG_0001", png_bytes(), content_type="application/octet-stream")
    placard = services.placard_register(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        kind="outside_sign",
        title="党群服务中心",
        photo=unnamed,
    )
    assert placard.photo.name.endswith(".png") and "IMG" not in placard.photo.name
    login(world.village_cadre)
    response = client.get(reverse("supervision:placard_photo", kwargs={"pk": placard.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == placard.photo.open("rb").read()


def test_the_visit_form_offers_the_departments_the_service_accepts(world):
    from jianfu.orgs.models import Department
    from jianfu.supervision.forms import VisitForm

    prefecture = Department.objects.create(name="州民政局", region=world.village_taoyuan.ancestors().first())
    elsewhere = Department.objects.create(
        name="城关街道办", region=world.community_jiefang.ancestors().last()
    )
    offered = set(VisitForm(villages=[world.village_taoyuan]).fields["department"].queryset)
    assert {world.dept_rs, prefecture} <= offered
    assert not {world.other_dept, elsewhere} & offered
    accepted = {
        d
        for d in Department.objects.filter(is_active=True)
        if world.village_taoyuan.is_within([d.region.prefix])
    }
    assert offered == accepted


def test_an_item_plans_one_visit_per_village_and_a_second_one_is_unplanned(world):
    from datetime import date

    from .conftest import approved_plan, visit

    approved_plan(world)  # 桃园村 named once for the March inspection
    first = visit(world, on=date(2026, 3, 12))
    assert not first.unplanned
    # The same visit asked about again (monitoring's event of that day) is still the planned one...
    assert (
        rules.verdict_for(
            department=world.dept_rs, village=world.village_taoyuan, on=date(2026, 3, 12), kind="inspection"
        ).item
        == first.plan_item
    )
    # ...but another visit under the same item a few weeks later is not in the plan.
    again = visit(world, on=date(2026, 4, 2))
    assert again.unplanned and again.plan_item is None


def test_a_plan_created_twice_at_once_is_refused_with_a_message_not_an_error(world, monkeypatch):
    from django.core.exceptions import ValidationError

    from jianfu.supervision.models import PlanQuerySet

    services.plan_create(actor=world.dept_clerk, department=world.dept_rs, year=2026)
    # The second request passed its existence check before the first one committed.
    monkeypatch.setattr(PlanQuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError) as caught:
        services.plan_create(actor=world.dept_clerk, department=world.dept_rs, year=2026)
    assert "已经存在" in str(caught.value.messages), caught.value.messages
    assert InspectionPlan.objects.filter(department=world.dept_rs, year=2026).count() == 1


def test_a_visit_over_consecutive_days_counts_once_and_a_later_one_does_not_hide_under_it(world):
    from datetime import date

    from jianfu.supervision.models import InspectionVisit

    from .conftest import approved_plan, visit

    approved_plan(world)  # 桃园村 named once for the March inspection
    days = [visit(world, on=date(2026, 3, d)) for d in (12, 13, 14)]  # one inspection over three days
    assert [v.unplanned for v in days] == [False, False, False]
    assert {v.plan_item_id for v in days} == {days[0].plan_item_id}
    assert (
        InspectionVisit.objects.filter(plan_item=days[0].plan_item).values("village").distinct().count() == 1
    )
    later = visit(world, on=date(2026, 3, 20))  # a gap of days: another visit, not in the plan
    assert later.unplanned and later.plan_item is None
