"""A county's own numbers for monitoring and inspections (region settings, read on the day they apply to): who may
summon village cadres and how often, the rectification deadline, and the weekly limit of inspections a village
receives (a breach becomes a finding, whether the village records the visit or a monitor records it)."""

from django.utils import timezone

from jianfu.core.workdays import add_workdays
from jianfu.monitoring.models import Finding, FindingSource, Verdict
from jianfu.monitoring.services import bulletins
from jianfu.orgs.models import Department
from jianfu.orgs.services import region_setting_set
from jianfu.supervision import rules as inspection_rules

from ..supervision.conftest import approved_plan, visit
from .conftest import judge, record


def _set(world, key, value):
    return region_setting_set(
        actor=world.office,
        region=world.county,
        key=key,
        value=value,
        effective_from=timezone.localdate(),
        reason="县委减负办会议决定",
    )


def test_the_meeting_rule_is_the_countys_setting(world, point):
    today = timezone.localdate()
    first, _ = record(world, occurred_on=today)
    assert first.verdict == Verdict.OK and "平台默认" in first.check_detail
    _set(world, "monitoring.meetings_per_month", 1)
    second, _ = record(world, occurred_on=today, description="第二次会议")
    assert second.verdict == Verdict.VIOLATION and "超过规定次数" in second.check_rule
    assert "每月至多1 次（清河县" in second.check_detail
    _set(world, "monitoring.meeting_summon.county", False)
    summoned, _ = record(world, occurred_on=today, department=world.dept_mz, description="县民政局召集开会")
    assert summoned.check_rule == "未经统筹不得直接召集村（社区）干部参加会议"
    assert "乡镇（街道）" in summoned.check_detail and "县（市、区））不在" in summoned.check_detail
    assert Finding.objects.filter(event=summoned, source=FindingSource.EVENT).exists()


def test_the_rectification_deadline_is_the_countys_setting(world, point):
    today = timezone.localdate()
    record(world, kind="app", description="APP每日打卡", occurred_on=today)
    judge(world)
    _set(world, "monitoring.rectify_days", 10)
    draft = bulletins.bulletin_draft(
        actor=world.inspector, region=world.county, period_start=today, period_end=today
    )
    assert draft.rectify_days == 10
    published = bulletins.bulletin_publish(actor=world.inspector, bulletin=draft)
    entry = published.entries.get()
    assert published.rectify_days == 10 and entry.deadline == add_workdays(today, 10).day


def _plans_for_this_month(world):
    today = timezone.localdate()
    for department in (world.dept_rs, world.dept_mz):
        items = [
            dict(
                kind="inspection", subject="到村检查", month=today.month, scope=world.county, village_count=5
            )
        ]
        approved_plan(world, department=department, items=items, year=today.year)


def test_a_visit_over_the_weekly_limit_is_flagged_and_becomes_a_finding(world):
    today = timezone.localdate()
    _plans_for_this_month(world)
    first = visit(world, on=today, subject="到村检查")
    assert not first.flagged  # no limit set: the platform sets none
    _set(world, inspection_rules.WEEKLY_LIMIT, 1)
    again = visit(world, on=today, subject="到村检查（第二天）")
    assert not again.over_limit  # the same department the same day: the same visit
    second = visit(world, on=today, department=world.dept_mz, subject="到村检查")
    assert second.over_limit and second.plan_item is not None
    assert second.rule == inspection_rules.RULE_WEEKLY and "每周至多1 次（清河县" in second.detail
    finding = Finding.objects.get(source=FindingSource.VISIT, village=world.village_taoyuan)
    assert finding.department == world.dept_mz and finding.rule == inspection_rules.RULE_WEEKLY
    assert "压减调研考核" in finding.basis


def test_a_monitors_record_over_the_weekly_limit_is_a_violation(world, point):
    today = timezone.localdate()
    _plans_for_this_month(world)
    _set(world, inspection_rules.WEEKLY_LIMIT, 1)
    first, _ = record(world, kind="inspection", subject="inspection", occurred_on=today, description="检查")
    assert first.verdict == Verdict.OK, first.check_detail
    other = Department.objects.get(name="县民政局")
    second, _ = record(
        world,
        kind="inspection",
        subject="inspection",
        department=other,
        occurred_on=today,
        description="检查",
    )
    assert second.verdict == Verdict.VIOLATION and second.check_rule == inspection_rules.RULE_WEEKLY
    assert Finding.objects.get(event=second).rule == inspection_rules.RULE_WEEKLY
