"""Schedules from the annual form list: periods open by themselves, townships thin them, nothing more often."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from jianfu.audit.models import AuditRecord
from jianfu.core import jobs
from jianfu.forms import periods, services
from jianfu.forms.models import FormIssue, FormTask, TownshipSchedule
from jianfu.orgs.models import Level, Region
from tests.forms.conftest import YEAR, register_rs_form


def county_villages(world) -> int:
    return Region.objects.filter(
        level=Level.VILLAGE, is_active=True, code__startswith=world.county.prefix
    ).count()


def hk_villages(world) -> int:
    return world.township_hk.children.filter(is_active=True).count()


@pytest.mark.parametrize(
    ("key", "first", "last", "due"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 10)),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10)),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 10)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 10)),
    ],
)
def test_it_knows_each_periods_days_and_due_date(key, first, last, due):
    assert periods.bounds(key) == (first, last)
    assert periods.due_date(key, 10) == due


def test_it_lets_a_township_choose_only_the_listed_frequency_or_less_often():
    assert [v for v, _ in periods.township_choices("quarterly")] == ["yearly", "half_yearly", "quarterly"]
    assert [v for v, _ in periods.township_choices("once")] == ["once"]


def test_it_opens_each_period_of_a_listed_form_once_for_every_village_in_scope(world, table):
    first = services.periods_open(on=date(YEAR, 4, 2))
    q2 = FormIssue.objects.get(form=table.form, period=f"{YEAR}Q2")
    assert first == {"periods": 1, "tasks": county_villages(world)}  # Q1 was already open; Q2 begins
    assert q2.scheduled and q2.tasks.count() == county_villages(world)
    assert set(q2.tasks.values_list("due_on", flat=True)) == {date(YEAR, 7, 10)}
    assert services.periods_open(on=date(YEAR, 4, 2)) == {"periods": 0, "tasks": 0}
    assert AuditRecord.objects.filter(action="forms.period_open").count() == 1


def test_it_does_not_open_a_period_before_it_begins_or_after_its_due_date(world, table):
    services.periods_open(on=date(YEAR, 3, 31))
    assert not FormIssue.objects.filter(form=table.form, period=f"{YEAR}Q2").exists()
    services.periods_open(on=date(YEAR + 1, 1, 11))  # Q4 was due 10 January
    assert not FormIssue.objects.filter(form=table.form, period=f"{YEAR}Q4").exists()


@pytest.mark.parametrize(
    ("period", "code", "words"),
    [
        (f"{YEAR}-05", "too_frequent", "下发频次不得高于清单规定"),
        (f"{YEAR}", "off_schedule", "填报次数多于清单规定"),
    ],
)
def test_it_refuses_issuing_more_often_than_listed_naming_the_rule(world, table, period, code, words):
    assert services.issue_refusal(table.form, period).code == code
    tasks = FormTask.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.form_issue(actor=world.dept_clerk, form=table.form, period=period)
    assert words in str(caught.value) and "环县开展社区减负专项行动的实施方案" in str(caught.value)
    assert FormTask.objects.count() == tasks and not FormIssue.objects.filter(period=period).exists()


def test_it_refuses_issuing_a_form_not_in_the_list(world, table):
    draft = register_rs_form(world, name="未列入的台账")
    refusal = services.issue_refusal(draft, f"{YEAR}Q2")
    assert refusal.code == "not_listed" and "二（四）" in refusal.rule
    with pytest.raises(ValidationError, match="未列入年度填报表格清单"):
        services.form_issue(actor=world.dept_clerk, form=draft, period=f"{YEAR}Q2")
    assert services.issue_refusal(table.form, f"{YEAR}Q2") is None


def test_a_township_thins_its_villages_schedule_and_the_next_periods_follow_it(world, table):
    services.township_schedule_set(
        actor=world.town_hk, form=table.form, township=world.township_hk, frequency="half_yearly", due_day=5
    )
    services.periods_open(on=date(YEAR, 4, 2))
    q2 = FormIssue.objects.get(form=table.form, period=f"{YEAR}Q2")
    assert q2.tasks.count() == county_villages(world) - hk_villages(world)
    assert not q2.tasks.filter(village__parent=world.township_hk).exists()
    half = FormIssue.objects.get(form=table.form, period=f"{YEAR}H1")
    assert half.tasks.count() == hk_villages(world)
    assert set(half.tasks.values_list("due_on", flat=True)) == {date(YEAR, 7, 5)}


@pytest.mark.parametrize(
    ("frequency", "due_day", "field", "words"),
    [
        ("monthly", 10, "frequency", "不能更频繁"),
        ("weekly", 10, "frequency", "不能更频繁"),
        ("quarterly", 31, "due_day", "2 月"),
        ("quarterly", "十日", "due_day", "1 至 28 日"),
    ],
)
def test_it_refuses_a_township_widening_the_schedule_or_a_due_day_some_months_lack(
    world, table, frequency, due_day, field, words
):
    with pytest.raises(ValidationError) as caught:
        services.township_schedule_set(
            actor=world.town_hk,
            form=table.form,
            township=world.township_hk,
            frequency=frequency,
            due_day=due_day,
        )
    assert words in " ".join(caught.value.message_dict[field])
    assert not TownshipSchedule.objects.exists()


def test_only_the_township_itself_or_the_county_office_adjusts_its_schedule(world, table):
    for person in (world.town_cg, world.village_cadre, world.dept_clerk):
        with pytest.raises(PermissionDenied):
            services.township_schedule_set(
                actor=person, form=table.form, township=world.township_hk, frequency="yearly", due_day=10
            )
    made = services.township_schedule_set(
        actor=world.office, form=table.form, township=world.township_hk, frequency="yearly", due_day=10
    )
    assert made.version == 1 and AuditRecord.objects.filter(action="forms.schedule_set").count() == 1


def test_it_records_whether_a_village_reported_by_the_due_date(world, table):
    typed = {f.pk: "3" for f in table.form.fields.filter(indicator__isnull=True)}
    FormTask.objects.filter(pk=table.task.pk).update(due_on=date(2000, 1, 10))
    late = services.task_submit(actor=world.village_cadre, task=table.task, typed=typed)
    assert late.on_time is False
    other = table.task.issue.tasks.get(village=world.community_jiefang)
    made = table.indicators
    services.values_enter(
        actor=world.community_cadre,
        village=world.community_jiefang,
        period=str(YEAR),
        values={made["JC-001"]: "3000", made["JC-002"]: "900"},
    )
    FormTask.objects.filter(pk=other.pk).update(due_on=date(2999, 1, 10))
    assert services.task_submit(actor=world.community_cadre, task=other, typed=typed).on_time is True


def test_the_scheduled_job_and_the_command_open_the_same_periods(world, table):
    job = jobs.JOBS["forms.open_periods"]
    assert not job.is_slot
    assert job.call().startswith("开放 ")
    out = StringIO()
    call_command("forms_open_periods", "--on", f"{YEAR}-04-02", stdout=out)
    assert f"新建填报任务 {county_villages(world)} 个" in out.getvalue()
    call_command("forms_open_periods", "--on", f"{YEAR}-04-02", stdout=out)
    assert "开放 0 期" in out.getvalue()
