"""Periodic returns from monitoring points (定期收集基层负担情况): one return per point and period, with the
events counted or 本期无新增负担; a silent point shows as silent, and its monitor is reminded once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.monitoring import services
from jianfu.monitoring.models import MonitoringPoint, PointReturn, period_of
from jianfu.notifications.models import Notification
from jianfu.orgs.models import Region
from jianfu.orgs.services import region_setting_set

from .conftest import record


def test_a_period_is_a_calendar_month_or_a_monday_to_sunday_week():
    month = period_of(date(2026, 2, 11), "monthly")
    assert (month.start, month.end, month.label) == (date(2026, 2, 1), date(2026, 2, 28), "2026年2月")
    week = period_of(date(2026, 12, 6), "weekly")
    assert (week.start, week.end) == (date(2026, 11, 30), date(2026, 12, 6))
    assert week.label.startswith("2026年第49周") and week.previous().end == date(2026, 11, 29)


def test_the_monitor_files_the_events_of_the_period_or_nothing_new(world, point, lists):
    today = timezone.localdate()
    record(world, occurred_on=today)
    with pytest.raises(ValidationError, match="不能报“本期无新增负担”"):
        services.point_return_file(actor=world.monitor, point=point, day=today, nothing_new=True)
    filed = services.point_return_file(actor=world.monitor, point=point, day=today)
    assert (filed.events, filed.nothing_new, filed.on_time) == (1, False, True)
    with pytest.raises(ValidationError, match="已报送"):
        services.point_return_file(actor=world.monitor, point=point, day=today)
    earlier = period_of(today, filed.period_kind).previous()
    with pytest.raises(ValidationError, match="请先记录负担事件"):
        services.point_return_file(actor=world.monitor, point=point, day=earlier.start)
    quiet = services.point_return_file(
        actor=world.monitor, point=point, day=earlier.start, nothing_new=True, note="本期未接到上级任务"
    )
    assert quiet.nothing_new and quiet.events == 0 and not quiet.on_time  # filed after its grace
    assert PointReturn.objects.count() == 2


def test_it_refuses_a_future_period_and_another_monitors_point(world, point):
    future = period_of(timezone.localdate(), "monthly").next().start + timedelta(days=40)
    with pytest.raises(ValidationError) as refused:
        services.point_return_file(actor=world.monitor, point=point, day=future, nothing_new=True)
    assert "尚未开始" in str(refused.value.message_dict["period"])
    other = services.point_designate(actor=world.office, village=world.community_jiefang)
    with pytest.raises(ValidationError) as refused:
        services.point_return_file(
            actor=world.monitor, point=other, day=timezone.localdate(), nothing_new=True
        )
    assert "不服务" in str(refused.value.message_dict["point"])
    assert not PointReturn.objects.exists()


def test_a_weekly_county_gets_weekly_periods(world, point):
    region_setting_set(
        actor=None,
        region=world.county,
        key="monitoring.returns_weekly",
        value=True,
        effective_from=timezone.localdate(),
        reason="县减负办决定按周报送",
    )
    filed = services.point_return_file(
        actor=world.monitor, point=point, day=timezone.localdate(), nothing_new=True
    )
    assert filed.period_kind == "weekly" and (filed.period_end - filed.period_start).days == 6


def test_a_silent_point_shows_as_silent_and_its_monitor_is_reminded_once(
    world, point, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    late = period_of(today, "monthly").end + timedelta(days=10)  # the month closed, its grace passed
    [row] = services.coverage([point], late)
    assert row.silent and row.state == "未报送（沉默）" and not row.on_time
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue_returns(late) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_overdue_returns(late)
    told = Notification.objects.filter(recipient=world.monitor, title__contains="未报送")
    assert told.count() == 1


def test_pages_and_api_file_and_show_coverage(world, point, client):
    client.force_login(world.monitor)
    page = client.get("/monitoring/returns/")
    assert page.status_code == 200 and "本期无新增负担" in page.content.decode()
    answer = client.post(
        "/monitoring/returns/",
        {"point": point.pk, "day": timezone.localdate().isoformat(), "note": ""},
    )
    assert "请先记录负担事件" in answer.content.decode()  # nothing recorded, nothing_new not ticked
    answer = client.post(
        "/api/v1/monitoring/returns",
        {"point": point.pk, "day": timezone.localdate().isoformat(), "nothing_new": True},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["nothing_new"] is True
    client.force_login(world.inspector)
    listed = client.get("/api/v1/monitoring/returns").json()
    assert listed["count"] == 1
    assert "定期报送" in client.get("/monitoring/dashboard/").content.decode()


def test_coverage_reads_each_points_own_settings_in_queries_that_do_not_grow_with_the_points(world, point):
    """The dashboard lists every point of its region: the period and grace settings are read for all of them at
    once, and each point still gets its own county's (here 清河县 weekly with one day of grace, the other county
    monthly with the default)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for key, value in (("monitoring.returns_weekly", True), ("monitoring.return_grace_days", 1)):
        region_setting_set(
            actor=None,
            region=world.county,
            key=key,
            value=value,
            effective_from=timezone.localdate(),
            reason="县减负办决定按周报送",
        )
    elsewhere = MonitoringPoint.objects.create(village=world.other_village)
    day = timezone.localdate() + timedelta(days=9)
    week, month = period_of(day, "weekly").previous(), period_of(day, "monthly").previous()
    with CaptureQueriesContext(connection) as two:
        rows = {r.point.pk: r for r in services.coverage([point, elsewhere], day)}
    assert (rows[point.pk].period, rows[point.pk].due) == (week, week.end + timedelta(days=1))
    assert (rows[elsewhere.pk].period, rows[elsewhere.pk].due) == (month, month.end + timedelta(days=3))
    more = [
        MonitoringPoint.objects.create(village=v)
        for v in (world.community_jiefang, Region.objects.get(code="428521001002"))
    ]
    with CaptureQueriesContext(connection) as three:
        services.coverage([point, elsewhere, *more], day)
    assert len(three) == len(two)
