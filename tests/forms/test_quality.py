"""Data quality: outlier checks flag a value for the township's follow-up (never refuse it), validation rules are
edited and stopped, and a listed form's fields change through a new version that walks the same approval.

People: 桃园村's cadre enters values, 河口镇's township staff follows up, 城关街道's staff and the village cadre may
not; 县民政局's office keeps the rules and lists forms; 县人社局's clerk revises its own listed form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.forms import services
from jianfu.forms.models import (
    DepartmentForm,
    FlagKind,
    FlagStatus,
    FormIssue,
    FormStatus,
    ValidationRule,
    ValueFlag,
)
from jianfu.forms.services.quality import OUTLIER_K, robust_centre
from jianfu.orgs.services import region_setting_set
from tests.forms.conftest import make_indicators

HISTORY = {"2020": "1500", "2021": "1510", "2022": "1490", "2023": "1520", "2024": "1505", "2025": "1515"}


@pytest.fixture
def made(world):
    return make_indicators(world)


def _enter(world, village, period, indicator, value, actor=None):
    return services.values_enter(actor=actor, village=village, period=period, values={indicator: value})


def _history(world, made):
    for period, value in HISTORY.items():
        _enter(world, world.village_taoyuan, period, made["JC-001"], value)


def test_it_saves_a_value_far_from_the_villages_history_and_flags_it(world, made):
    _history(world, made)
    assert not ValueFlag.objects.exists()
    saved = _enter(world, world.village_taoyuan, "2026", made["JC-001"], "3020", actor=world.village_cadre)
    assert saved and saved[0].value == "3020"  # saved, not refused
    flag = ValueFlag.objects.get()
    assert flag.kind == FlagKind.HISTORY and flag.status == FlagStatus.OPEN and flag.compared == 6
    assert "常住人口" in flag.text and "往期" in flag.text and "3020" in flag.text
    assert AuditRecord.objects.filter(action="forms.value_flag").count() == 1
    # The village corrects its typo: the flag is cleared, not deleted, and a value in range raises none.
    _enter(world, world.village_taoyuan, "2026", made["JC-001"], "1530", actor=world.village_cadre)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLEARED
    assert not ValueFlag.objects.filter(status=FlagStatus.OPEN).exists()


def test_the_hard_range_still_refuses_and_a_short_history_flags_nothing(world, made):
    with pytest.raises(ValidationError, match="不能大于 200000"):
        _enter(world, world.village_taoyuan, "2026", made["JC-001"], "300000", actor=world.village_cadre)
    _enter(world, world.village_taoyuan, "2024", made["JC-001"], "1500")
    _enter(world, world.village_taoyuan, "2025", made["JC-001"], "1500")
    _enter(world, world.village_taoyuan, "2026", made["JC-001"], "9000")  # two periods say nothing yet
    assert not ValueFlag.objects.exists()


def test_it_flags_a_value_far_from_the_townships_other_villages(world, made):
    others = world.township_hk.children.exclude(pk=world.village_taoyuan.pk).filter(is_active=True)
    for n, village in enumerate(others):
        _enter(world, village, "2026", made["JC-005"], str(20 + n))
    _enter(world, world.village_taoyuan, "2026", made["JC-005"], "400", actor=world.village_cadre)
    flag = ValueFlag.objects.get()
    assert flag.kind == FlagKind.TOWNSHIP and flag.compared == others.count()
    assert "本乡镇（街道）其他村" in flag.text


def test_k_is_the_countys_setting(world, made):
    region_setting_set(
        actor=None,
        region=world.county,
        key=OUTLIER_K,
        value=10,
        effective_from=timezone.localdate(),
        reason="试行",
    )
    _history(world, made)
    _enter(world, world.village_taoyuan, "2026", made["JC-001"], "1800")  # far even at the county's k = 10
    centre, spread = robust_centre([int(v) for v in HISTORY.values()])
    assert abs(1800 - centre) > 10 * spread and ValueFlag.objects.count() == 1
    _enter(world, world.village_taoyuan, "2026", made["JC-001"], "1600")
    assert abs(1600 - centre) > 3 * spread and abs(1600 - centre) <= 10 * spread
    assert not ValueFlag.objects.filter(
        status=FlagStatus.OPEN
    ).exists()  # flagged at 3, not at the county's 10


def test_the_township_follows_up_a_flag_with_a_note_audited(world, made):
    _history(world, made)
    _enter(world, world.village_taoyuan, "2026", made["JC-001"], "3020", actor=world.village_cadre)
    flag = ValueFlag.objects.get()
    with pytest.raises(ValidationError) as caught:
        services.flag_follow_up(actor=world.town_hk, flag=flag, note="  ")
    assert "核实情况" in caught.value.message_dict["note"][0]
    for outsider in (world.village_cadre, world.town_cg, world.dept_clerk):
        with pytest.raises(PermissionDenied):
            services.flag_follow_up(actor=outsider, flag=flag, note="看过了")
    assert ValueFlag.objects.get().status == FlagStatus.OPEN
    done = services.flag_follow_up(
        actor=world.town_hk,
        flag=flag,
        note="村里新建安置小区迁入 1500 人，属实",
        expected_version=flag.version,
    )
    assert done.status == FlagStatus.FOLLOWED and done.followed_by == world.town_hk
    record = AuditRecord.objects.get(action="forms.flag_follow_up")
    assert "安置小区" in record.message
    with pytest.raises(ValidationError, match="已核实"):
        services.flag_follow_up(actor=world.town_hk, flag=done, note="再核实")
    # A flag never blocks the township's lock.
    services.period_lock(actor=world.town_hk, township=world.township_hk, period="2026")


def test_the_office_edits_and_stops_a_rule_and_errors_name_the_field(world, made):
    rule = ValidationRule.objects.get(left=made["JC-002"])
    _enter(world, world.village_taoyuan, "2026", made["JC-001"], "100")
    with pytest.raises(ValidationError, match="户籍户数不应超过常住人口"):
        _enter(world, world.village_taoyuan, "2026", made["JC-002"], "430")
    with pytest.raises(ValidationError) as caught:
        services.rule_save(
            actor=world.office, rule=rule, left=made["JC-002"], operator="le", right=made["JC-002"]
        )
    assert "「右侧指标」" in caught.value.message_dict["right"][0]
    with pytest.raises(ValidationError) as caught:
        services.rule_save(
            actor=world.office, rule=rule, left=made["JC-002"], operator="le", right=made["JC-001"], factor=0
        )
    assert "「右侧系数」" in caught.value.message_dict["factor"][0]
    edited = services.rule_save(
        actor=world.office,
        rule=rule,
        left=made["JC-002"],
        operator="le",
        right=made["JC-001"],
        factor=5,
        severity="warning",
        message="户数超过常住人口的五倍，请核实",
        expected_version=rule.version,
    )
    assert edited.version == rule.version + 1 and edited.severity == "warning"
    _enter(world, world.village_taoyuan, "2026", made["JC-002"], "430")  # a warning now, not a refusal
    with pytest.raises(PermissionDenied):
        services.rule_set_active(actor=world.town_hk, rule=edited, is_active=False)
    stopped = services.rule_set_active(actor=world.office, rule=edited, is_active=False)
    assert not stopped.is_active and stopped.pk == rule.pk  # retired, never erased
    assert not any(p.rule.pk == rule.pk for p in services.rule_problems(world.village_taoyuan, "2026"))
    with pytest.raises(ValidationError, match="已经停用"):
        services.rule_set_active(actor=world.office, rule=stopped, is_active=False)
    assert AuditRecord.objects.filter(action="forms.rule_deactivate").count() == 1


NEW_FIELDS = [
    {"label": "常住人口数", "unit": "人"},
    {"label": "户籍户数", "unit": "户"},
    {"label": "外出务工人数", "unit": "人"},
    {"label": "返乡创业人数", "unit": "人", "justification": "返乡创业扶持需要"},
]


def test_a_listed_forms_field_edit_is_a_new_version_through_the_same_approval(world, table):
    old = table.form
    with pytest.raises(ValidationError) as caught:
        services.form_revise(actor=world.dept_clerk, form=old, fields=NEW_FIELDS, reason=" ")
    assert "修订理由" in caught.value.message_dict["revision_reason"][0]
    with pytest.raises(PermissionDenied):
        services.form_revise(actor=world.town_hk, form=old, fields=NEW_FIELDS, reason="增加栏目")
    with pytest.raises(ValidationError, match="没有变化"):
        services.form_revise(actor=world.dept_clerk, form=old, fields=NEW_FIELDS[:3], reason="同样")
    new = services.form_revise(actor=world.dept_clerk, form=old, fields=NEW_FIELDS, reason="增加返乡创业人数")
    assert new.status == FormStatus.DRAFT and new.edition == 2 and new.revises == old
    kept = {f.label: f.indicator_id for f in new.fields.all()}
    assert kept["常住人口数"] == table.indicators["JC-001"].pk  # a kept field keeps its indicator
    with pytest.raises(ValidationError, match="第 2 版修订"):
        services.form_revise(actor=world.dept_clerk, form=old, fields=NEW_FIELDS, reason="再改")
    old.refresh_from_db()
    assert old.status == FormStatus.APPROVED  # still listed and filled until the new version is approved
    services.form_submit(actor=world.dept_clerk, form=new)
    new = services.form_approve(actor=world.office, form=new, note="同意修订")
    old.refresh_from_db()
    assert new.status == FormStatus.APPROVED and new.number == old.number
    assert old.status == FormStatus.SUPERSEDED
    # 2026Q1 was opened under version 1 and stays there; 2026Q2 opens under version 2.
    issue, opened = services.open_period(new, "2026Q1", actor=None, scheduled=True)
    assert issue.form_id == old.pk and opened == 0
    with pytest.raises(ValidationError, match="已经开放"):
        services.form_issue(actor=world.dept_clerk, form=new, period="2026Q1")
    second = services.form_issue(actor=world.dept_clerk, form=new, period="2026Q2")
    assert second.form_id == new.pk and second.tasks.exists()
    with pytest.raises(ValidationError, match="不能下发"):
        services.form_issue(actor=world.dept_clerk, form=old, period="2026Q3")
    # Old tasks keep the old fields; the old period's village can still submit against them.
    assert FormIssue.objects.get(form=old, period="2026Q1").form.fields.count() == 3
    assert list(DepartmentForm.objects.filter(status=FormStatus.APPROVED, department=world.dept_rs)) == [new]
    assert AuditRecord.objects.filter(action="forms.form_supersede").count() == 1


def test_a_draft_is_edited_in_place_not_revised(world, made):
    from tests.forms.conftest import register_rs_form

    draft = register_rs_form(world)
    with pytest.raises(ValidationError, match="修订栏目"):
        services.form_revise(actor=world.dept_clerk, form=draft, fields=NEW_FIELDS, reason="改")
