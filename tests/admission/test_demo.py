"""The demo queue: every state of the procedure, made by the real services, loaded once."""

import pytest

from jianfu.admission.demo import load_demo_records
from jianfu.admission.models import Application, Decline, Status

pytestmark = pytest.mark.usefixtures("reference")


def test_it_loads_a_queue_in_every_state_once(world):
    assert "件申请" in load_demo_records()
    states = set(Application.objects.values_list("status", flat=True))
    assert states >= {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.COORDINATING,
        Status.MEETING,
        Status.DECISION,
        Status.APPROVED,
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.FILED,
    }
    assert Application.objects.filter(origin="retroactive").exists()
    assert any(a.is_overdue for a in Application.objects.all())
    assert Decline.objects.count() == 1
    count = Application.objects.count()
    assert load_demo_records().endswith("未变") and Application.objects.count() == count


def test_it_sends_reminders_from_the_command_line(world):
    from io import StringIO

    from django.core.management import call_command

    load_demo_records()
    out = StringIO()
    call_command("admission_remind", stdout=out)
    assert "新增逾期提醒 0 条" in out.getvalue()  # the demo already reminded everyone once


def test_the_second_county_runs_its_own_step_limit(world):
    from jianfu.admission.limits import step_limit
    from jianfu.campaign.demo import load_demo_records as load_campaign
    from jianfu.orgs.region_settings import setting_value

    load_demo_records()
    load_campaign()
    assert step_limit(world.other_county, "submitted") == 7
    assert step_limit(world.county, "submitted") == 5
    assert setting_value(world.other_village, "campaign.class_weights")["revenue"] == 40
    assert setting_value(world.village_taoyuan, "campaign.class_weights")["revenue"] == 30


def test_a_prefecture_item_waits_for_the_joint_meeting_convener_with_both_counties_heard(world):
    load_demo_records()
    item = Application.objects.get(county__code="428500000000")
    assert item.status == Status.DECISION and item.review_body == "清江市市县联席会议"
    heard = set(item.meetings.get().opinions.values_list("region__name", flat=True))
    assert heard == {"清河县", "东岭县"}
    assert not item.meetings.get().opinions.filter(proxy_entered=True).exists()  # each county spoke itself
