"""The base table, the annual form list and the contract functions, through the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.forms import services
from jianfu.forms.checks import form_check
from jianfu.forms.models import BaseValue, FormStatus, FormTask, ValueHistory
from jianfu.forms.selectors import served_counts
from tests.forms.conftest import YEAR, make_indicators, register_rs_form


def test_it_keeps_each_value_once_with_history_and_who_entered_it(world):
    made = make_indicators(world)
    village, period = world.village_taoyuan, "2026"
    services.values_enter(
        actor=world.village_cadre, village=village, period=period, values={made["JC-001"]: "1500"}
    )
    services.values_enter(
        actor=world.village_cadre, village=village, period=period, values={made["JC-001"]: "1500"}
    )
    services.values_enter(
        actor=world.village_cadre, village=village, period=period, values={made["JC-001"]: "1,520"}
    )
    value = BaseValue.objects.get(village=village, indicator=made["JC-001"], period=period)
    assert (value.value, value.entered_by, value.version) == ("1520", world.village_cadre, 2)
    assert list(ValueHistory.objects.filter(base_value=value).values_list("value", "previous")) == [
        ("1520", "1500"),
        ("1500", ""),
    ]


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        ("一千", "", "不是数字"),
        ("12.5", "", "应填整数"),
        ("-3", "", "不能小于 0"),
        ("300000", "", "不能大于 200000"),
        ("1200", "户", "单位应为“人”"),
    ],
)
def test_it_refuses_a_value_of_the_wrong_type_unit_or_range(world, raw, unit, message):
    made = make_indicators(world)
    with pytest.raises(ValidationError) as caught:
        services.values_enter(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            period="2026",
            values={made["JC-001"]: raw},
            units={made["JC-001"]: unit},
        )
    assert message in str(caught.value) and not BaseValue.objects.exists()


def test_it_checks_the_rules_on_entry_and_lists_them_before_the_lock(world):
    made = make_indicators(world)
    village = world.village_taoyuan
    with pytest.raises(ValidationError, match="户籍户数不应超过常住人口"):
        services.values_enter(
            actor=world.village_cadre,
            village=village,
            period="2026",
            values={made["JC-001"]: "100", made["JC-002"]: "300"},
        )
    assert not BaseValue.objects.exists()
    services.values_enter(
        actor=world.village_cadre,
        village=village,
        period="2026",
        values={made["JC-001"]: "1000", made["JC-002"]: "300"},
    )
    services.period_lock(actor=world.town_hk, township=world.township_hk, period="2026")
    with pytest.raises(ValidationError, match="已由乡镇"):
        services.values_enter(
            actor=world.village_cadre, village=village, period="2026", values={made["JC-001"]: "999"}
        )
    with pytest.raises(ValidationError, match="更正理由"):
        services.value_correct(
            actor=world.village_cadre,
            village=village,
            indicator=made["JC-001"],
            period="2026",
            value="999",
            reason="",
        )
    services.value_correct(
        actor=world.village_cadre,
        village=village,
        indicator=made["JC-001"],
        period="2026",
        value="999",
        reason="统计口径更正",
    )
    history = ValueHistory.objects.filter(source="corrected").get()
    assert (history.value, history.previous, history.reason) == ("999", "1000", "统计口径更正")


def test_it_lets_only_the_villages_own_cadre_enter(world):
    made = make_indicators(world)
    for outsider in (world.community_cadre, world.town_hk, world.dept_clerk):
        with pytest.raises(PermissionDenied):
            services.values_enter(
                actor=outsider, village=world.village_taoyuan, period="2026", values={made["JC-001"]: "10"}
            )


def test_it_proposes_the_matching_indicator_and_flags_duplicates_at_registration(world):
    make_indicators(world)
    form = register_rs_form(world)
    fields = {f.label: f for f in form.fields.all()}
    assert fields["常住人口数"].proposals[0]["name"] == "常住人口"
    assert any(d["kind"] == "indicator" for d in fields["常住人口数"].duplicates)
    assert not fields["外出务工人数"].duplicates
    with pytest.raises(ValidationError, match="与基础指标“常住人口”重复"):
        services.form_submit(actor=world.dept_clerk, form=form)
    with pytest.raises(PermissionDenied):
        register_rs_form(world, name="民政另一表", department=world.dept_mz)  # only for one's own department


def test_it_refuses_to_issue_a_form_that_is_not_in_the_annual_list(world):
    make_indicators(world)
    form = register_rs_form(world, fields=[{"label": "外出务工人数", "unit": "人", "justification": "监测"}])
    with pytest.raises(ValidationError, match="未列入年度填报表格清单"):
        services.form_issue(actor=world.dept_clerk, form=form, period="2026Q1")
    services.form_submit(actor=world.dept_clerk, form=form)
    with pytest.raises(ValidationError, match="未列入年度填报表格清单"):
        services.form_issue(actor=world.dept_clerk, form=form, period="2026Q1")
    services.form_reject(actor=world.office, form=form, note="与基础表重复")
    with pytest.raises(ValidationError, match="未列入年度填报表格清单"):
        services.form_issue(actor=world.dept_clerk, form=form, period="2026Q1")
    assert not FormTask.objects.exists()


def test_it_applies_the_list_rules_one_form_per_department_and_monthly_at_most(world):
    from tests.forms.conftest import load_lists

    load_lists()
    make_indicators(world)
    new_only = [{"label": "外出务工人数", "unit": "人", "justification": "监测"}]
    first = register_rs_form(world, fields=new_only)
    services.form_submit(actor=world.dept_clerk, form=first)
    services.form_approve(actor=world.office, form=first)
    second = register_rs_form(world, name="人社第二张表", fields=new_only)
    services.form_submit(actor=world.dept_clerk, form=second)
    with pytest.raises(ValidationError, match="最多 1 张"):
        services.form_approve(actor=world.office, form=second)
    services.form_reject(actor=world.office, form=second, note="并入第一张", merge_into=first)
    second.refresh_from_db()
    assert second.status == FormStatus.MERGED and second.merged_into == first
    services.list_rules_save(
        actor=world.office,
        region=world.county,
        require_list_item=True,
        max_forms_per_department=2,
        max_frequency="monthly",
    )
    weekly = register_rs_form(world, name="人社周报", frequency="weekly", fields=new_only)
    services.form_submit(actor=world.dept_clerk, form=weekly)
    with pytest.raises(ValidationError, match="例外理由"):
        services.form_approve(actor=world.office, form=weekly)
    unlisted = register_rs_form(world, name="无依据表", list_item_code="", fields=new_only)
    services.form_submit(actor=world.dept_clerk, form=unlisted)
    with pytest.raises(ValidationError, match="服务清单事项"):
        services.form_approve(actor=world.office, form=unlisted)
    with pytest.raises(PermissionDenied):
        services.form_approve(actor=world.town_hk, form=unlisted)  # a county form is the county's to approve


def test_it_serves_mapped_fields_and_flows_a_correction_back_into_the_base_table(world, table):
    fields = {f.label: f for f in table.form.fields.all()}
    with pytest.raises(ValidationError, match="外出务工人数"):
        services.task_submit(actor=world.village_cadre, task=table.task, typed={})
    services.task_submit(
        actor=world.village_cadre,
        task=table.task,
        typed={fields["外出务工人数"].pk: "210"},
        corrections={fields["户籍户数"].pk: "436"},
        reason="新增分户 6 户",
    )
    task = FormTask.objects.get(pk=table.task.pk)
    assert (task.status, task.typed, task.served) == ("submitted", 2, 1)
    value = BaseValue.objects.get(
        village=world.village_taoyuan, indicator=table.indicators["JC-002"], period="2026"
    )
    assert (value.value, value.source) == ("436", "corrected")
    assert served_counts(region=world.county, year=YEAR) == {"typed": 2, "served": 1}
    assert served_counts(region=world.township_cg, year=YEAR) == {"typed": 0, "served": 0}
    assert AuditRecord.objects.filter(action="forms.task_submit").count() == 1
    services.task_approve(actor=world.town_hk, task=task)  # moving up the approval levels keeps it counted
    assert served_counts(region=world.county, year=YEAR) == {"typed": 2, "served": 1}


def test_form_check_keeps_a_listed_form_and_breaks_an_unlisted_one(world, table):
    on = date(YEAR, 4, 2)
    kept = form_check(
        department=world.dept_rs, village=world.village_taoyuan, on=on, title="就业和社保基础信息表"
    )
    assert kept.passed is True and table.form.number in kept.detail and kept.url
    other = form_check(
        department=world.dept_rs, village=world.village_taoyuan, on=on, title="防汛物资储备台账"
    )
    assert other.passed is False and other.rule == "未列入年度填报表格清单"
    unlisted = form_check(
        department=world.dept_mz, village=world.village_taoyuan, on=on, title="就业和社保基础信息表"
    )
    assert unlisted.passed is False
    last_year = form_check(
        department=world.dept_rs,
        village=world.village_taoyuan,
        on=date(2025, 5, 1),
        title="就业和社保基础信息表",
    )
    assert last_year.passed is False
    assert form_check(department=None, village=world.village_taoyuan, on=on, title="x").passed is None


def test_it_flags_channels_used_only_for_voting_points_quotas_or_check_ins(world):
    checkin = services.channel_register(
        actor=world.dept_clerk,
        kind="wechat",
        name="打卡群",
        department=world.dept_rs,
        region=world.county,
        purpose="每日打卡",
        uses=["checkin"],
    )
    work = services.channel_register(
        actor=world.dept_clerk,
        kind="qq",
        name="业务群",
        department=world.dept_rs,
        region=world.county,
        purpose="业务",
        uses=["work", "points"],
    )
    assert checkin.flagged_for_closure and not work.flagged_for_closure
    with pytest.raises(PermissionDenied):
        services.channel_register(
            actor=world.dept_clerk,
            kind="app",
            name="别人的APP",
            department=world.dept_mz,
            region=world.county,
            purpose="x",
            uses=["work"],
        )
    with pytest.raises(ValidationError, match="应予关停"):
        services.channel_set_status(actor=world.office, channel=checkin, status="kept")
    with pytest.raises(ValidationError, match="整合到"):
        services.channel_set_status(actor=world.office, channel=work, status="merged")
    with pytest.raises(PermissionDenied):
        services.channel_set_status(actor=world.dept_clerk, channel=checkin, status="closed")
    closed = services.channel_set_status(actor=world.office, channel=checkin, status="closed", note="清理")
    assert closed.status == "closed" and not closed.flagged_for_closure and closed.version == 2


def test_it_keeps_rules_between_comparable_indicators_only(world):
    made = make_indicators(world)
    text = services.indicator_save(
        actor=world.office, region=world.county, code="JC-050", name="村规民约", unit="", value_type="text"
    )
    with pytest.raises(ValidationError, match="文本型"):
        services.rule_save(actor=world.office, left=text, operator="le", right=made["JC-001"])
    with pytest.raises(ValidationError, match="同一个指标"):
        services.rule_save(actor=world.office, left=made["JC-001"], operator="le", right=made["JC-001"])
    with pytest.raises(PermissionDenied):
        services.rule_save(actor=world.town_hk, left=made["JC-005"], operator="ge", right=made["JC-001"])
    with pytest.raises(ValidationError, match="已被使用"):
        services.indicator_save(actor=world.office, region=world.county, code="JC-001", name="重复编码")


def test_a_correction_of_a_field_that_is_not_served_is_refused_in_chinese(world, table):
    """Correcting a new (typed) field has no base indicator to reach: refused with a message, not a crash."""
    new_field = table.form.fields.get(indicator__isnull=True)
    with pytest.raises(ValidationError) as refused:
        services.task_submit(
            actor=world.village_cadre,
            task=table.task,
            typed={new_field.pk: "210"},
            corrections={new_field.pk: "5"},
            reason="更正",
        )
    assert "不能更正" in str(refused.value)


@pytest.mark.parametrize(
    "kind, period, read",
    [
        ("yearly", "2026-03", "2026"),
        ("yearly", "2026Q2", "2026"),
        ("quarterly", "2026-03", "2026Q1"),
        ("quarterly", "2026-04", "2026Q2"),
        ("quarterly", "2026", "2026Q4"),
        ("quarterly", "2026Q3", "2026Q3"),
        ("monthly", "2026Q2", "2026-06"),
        ("monthly", "2026", "2026-12"),
        ("monthly", "2026-03", "2026-03"),
    ],
)
def test_a_form_reads_each_indicator_at_its_own_period(kind, period, read):
    from jianfu.forms.services import indicator_period

    assert indicator_period(kind, period) == read
