"""Completeness and timeliness (DHIS2's reporting rate summary), reminders around the due date, and the schedule
and report pages and API, for the county office, a township and a village cadre on a phone."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.forms import services
from jianfu.forms.models import FormTask, TownshipSchedule
from jianfu.forms.notify import remind_due
from jianfu.forms.selectors import reporting_rates
from jianfu.forms.services import rollup
from jianfu.notifications.models import Notification
from tests.forms.conftest import YEAR


@pytest.fixture
def reported(world, table):
    """桃园村 reported late, 解放路社区 on time; the rest of 河口镇 is overdue, the rest of 城关街道 not yet due."""
    today = timezone.localdate()
    tasks = table.task.issue.tasks
    tasks.filter(village__parent=world.township_hk).update(due_on=today - timedelta(days=3))
    tasks.exclude(village__parent=world.township_hk).update(due_on=today + timedelta(days=3))
    typed = {f.pk: "4" for f in table.form.fields.filter(indicator__isnull=True)}
    services.task_submit(actor=world.village_cadre, task=FormTask.objects.get(pk=table.task.pk), typed=typed)
    made = table.indicators
    services.values_enter(
        actor=world.community_cadre,
        village=world.community_jiefang,
        period=str(YEAR),
        values={made["JC-001"]: "3000", made["JC-002"]: "900"},
    )
    services.task_submit(
        actor=world.community_cadre, task=tasks.get(village=world.community_jiefang), typed=typed
    )
    rollup.rebuild()  # the due dates above were moved around the services
    return table


def _row(rows, name):
    return next(r for r in rows if r["name"] == name)


def test_it_counts_expected_submitted_on_time_late_and_overdue_by_township(world, reported):
    report = reporting_rates(world.office, year=YEAR)
    hk = world.township_hk.children.filter(is_active=True).count()
    total = report["total"]
    assert (total["submitted"], total["timely"], total["late"], total["overdue"]) == (2, 1, 1, hk - 1)
    hekou = _row(report["places"], world.township_hk.name)
    assert (hekou["expected"], hekou["late"], hekou["overdue"], hekou["pending"]) == (hk, 1, hk - 1, 0)
    assert hekou["reporting_rate"] == round(100 / hk, 1) and hekou["timely_rate"] == 0
    chengguan = _row(report["places"], world.township_cg.name)
    assert chengguan["timely"] == 1 and chengguan["overdue"] == 0
    assert report["periods"][0]["period"] == f"{YEAR}Q1"


def test_a_township_sees_its_own_villages_only_and_drills_down_to_them(world, reported):
    own = reporting_rates(world.town_cg, year=YEAR)
    assert [r["name"] for r in own["places"]] == [world.township_cg.name]
    villages = reporting_rates(world.office, year=YEAR, township=world.township_hk.code)
    assert _row(villages["places"], world.village_taoyuan.name)["late"] == 1
    assert reporting_rates(world.village_cadre, year=YEAR)["total"]["expected"] == 1


def test_the_reports_chart_opens_the_tasks_behind_each_bar(world, reported, client):
    client.force_login(world.office)
    page = client.get("/forms/reporting/", {"year": YEAR})
    assert page.status_code == 200 and "报送率" in page.content.decode()
    chart = json.loads(re.search(r'id="data-reporting"[^>]*>(.*?)</script>', page.content.decode()).group(1))
    overdue = next(s for s in chart["series"] if s["name"] == "逾期未报")
    link = overdue["links"][chart["labels"].index(world.township_hk.name)]
    listed = client.get(link)
    hk = world.township_hk.children.filter(is_active=True).count()
    assert listed.status_code == 200 and len(listed.context["page"].object_list) == hk - 1
    assert "逾期未报" in listed.content.decode()


def test_a_village_cadre_sees_its_due_dates_on_the_task_list(world, reported, client):
    client.force_login(world.village_cadre)
    body = client.get("/forms/tasks/", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)").content.decode()
    due = FormTask.objects.get(pk=reported.task.pk).due_on
    assert f"{due:%Y-%m-%d}" in body and "逾期报送" in body


def test_it_reminds_villages_before_the_due_date_and_villages_and_townships_after_it(world, table):
    today = timezone.localdate()
    tasks = table.task.issue.tasks
    tasks.update(due_on=today + timedelta(days=30))
    tasks.filter(village=world.village_taoyuan).update(due_on=today + timedelta(days=2))
    remind_due(today=today)
    near = Notification.objects.filter(recipient=world.village_cadre, kind="deadline_near")
    assert near.count() == 1 and table.form.name in near.get().body
    assert remind_due(today=today) == "报送提醒 0 条" and near.count() == 1  # once per village and due date
    remind_due(today=today + timedelta(days=3))
    assert Notification.objects.filter(recipient=world.village_cadre, kind="deadline_passed").count() == 1
    township = Notification.objects.get(recipient=world.town_hk, kind="deadline_passed")
    assert "1 个村（社区）" in township.title and world.township_hk.code in township.url
    assert not Notification.objects.filter(recipient=world.community_cadre).exists()


def test_a_township_adjusts_its_schedule_on_the_page_but_never_more_often(world, table, client):
    client.force_login(world.town_hk)
    url = f"/forms/schedule/{table.form.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "不能更频繁" not in page.content.decode()
    data = {"township": world.township_hk.code, "frequency": "monthly", "due_day": "10"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and not TownshipSchedule.objects.exists()  # monthly is not offered
    refused = client.post(url, {**data, "frequency": "yearly", "due_day": "30"})
    assert "2 月" in refused.content.decode() and not TownshipSchedule.objects.exists()
    done = client.post(url, {**data, "frequency": "yearly", "note": "年底汇总"})
    assert done.status_code == 302 and TownshipSchedule.objects.get().frequency == "yearly"
    listing = client.get("/forms/schedule/", {"year": YEAR}).content.decode()
    assert table.form.name in listing and "每年" in listing


def test_the_api_reports_rates_and_refuses_a_wider_schedule_in_chinese(world, reported, client):
    client.force_login(world.office)
    report = client.get("/api/v1/forms/reporting", {"year": YEAR}).json()
    assert report["total"]["late"] == 1 and report["forms"][0]["form"] == reported.form.pk
    client.force_login(world.town_hk)
    answer = client.post(
        f"/api/v1/forms/schedule/{reported.form.pk}/township",
        json.dumps({"township_code": world.township_hk.code, "frequency": "monthly", "due_day": 10}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "不能更频繁" in json.dumps(answer.json(), ensure_ascii=False)
    tasks = client.get("/api/v1/forms/tasks", {"state": "overdue"}).json()
    assert tasks["count"] == world.township_hk.children.filter(is_active=True).count() - 1
    assert not TownshipSchedule.objects.exists()


def test_the_reminder_lead_days_are_the_countys_own_setting(world, table):
    from jianfu.orgs import services as orgs_services

    today = timezone.localdate()
    tasks = table.task.issue.tasks
    tasks.update(due_on=today + timedelta(days=30))
    tasks.filter(village=world.village_taoyuan).update(due_on=today + timedelta(days=6))
    remind_due(today=today)
    assert not Notification.objects.filter(recipient=world.village_cadre).exists()  # 3 days by default
    with pytest.raises(ValidationError, match="15"):
        orgs_services.region_setting_set(
            actor=None,
            region=world.county,
            key="forms.reminder_lead_days",
            value=40,
            effective_from=today,
            reason="试",
        )
    orgs_services.region_setting_set(
        actor=None,
        region=world.county,
        key="forms.reminder_lead_days",
        value=7,
        effective_from=today,
        reason="山区村（社区）报送路程远，提前一周提醒",
    )
    remind_due(today=today)
    near = Notification.objects.get(recipient=world.village_cadre, kind="deadline_near")
    assert table.form.name in near.body
