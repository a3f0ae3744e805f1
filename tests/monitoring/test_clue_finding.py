"""A clue is judged once: when its automatic check found a possible violation it becomes a finding, and the
finding's decision settles the clue (认定违规 accepts it, 不认定 dismisses it); reviewing the clue is deciding the
finding; the clue's page sends the inspector to the finding instead of offering a second judgement."""

import pytest
from django.core.exceptions import ValidationError

from jianfu.monitoring import services
from jianfu.monitoring.models import BurdenEvent, ClueReview, Finding, FindingState, MonthlyRollup

from .conftest import yesterday


def _clue(world, **overrides):
    arguments = dict(
        actor=world.village_cadre,
        village=world.village_taoyuan,
        kind="app",
        department=world.dept_rs,
        occurred_on=yesterday(),
        description="要求每天在APP上签到打卡",
    )
    arguments.update(overrides)
    clue, _ = services.clue_report(**arguments)
    return clue


def _counted(world) -> int:
    return sum(MonthlyRollup.objects.filter(region_code=world.county.code).values_list("events", flat=True))


def test_deciding_the_finding_settles_the_clue_and_its_count(world, point):
    clue = _clue(world)
    finding = Finding.objects.get(event=clue)
    assert clue.review == ClueReview.PENDING and _counted(world) == 0
    services.finding_decide(actor=world.inspector, finding=finding, decision="confirm", reason="经核实属实")
    clue.refresh_from_db()
    assert clue.review == ClueReview.ACCEPTED and clue.review_note == "经核实属实" and _counted(world) == 1
    finding.refresh_from_db()
    services.finding_decide(
        actor=world.inspector,
        finding=finding,
        decision="dismiss",
        reason="复核：系误报",
        version=finding.version,
    )
    clue.refresh_from_db()
    assert clue.review == ClueReview.DISMISSED and clue.review_note == "复核：系误报" and _counted(world) == 0
    with pytest.raises(ValidationError, match="已处理"):
        services.clue_review(actor=world.inspector, event=clue, accept=True, note="再受理一次")


def test_reviewing_the_clue_is_deciding_its_finding(world, point):
    clue = _clue(world)
    with pytest.raises(ValidationError, match="研判理由"):
        services.clue_review(actor=world.inspector, event=clue, accept=True)
    assert BurdenEvent.objects.get(pk=clue.pk).review == ClueReview.PENDING  # nothing changed
    services.clue_review(actor=world.inspector, event=clue, accept=False, note="查无此事")
    finding = Finding.objects.get(event=clue)
    assert finding.state == FindingState.DISMISSED and finding.reason == "查无此事"
    assert BurdenEvent.objects.get(pk=clue.pk).review == ClueReview.DISMISSED


def test_a_clue_the_check_passed_is_still_reviewed_on_its_own(world, point):
    clue = _clue(world, kind="meeting", description="参加县人社局社保政策培训会")
    assert not Finding.objects.filter(event=clue).exists()
    services.clue_review(actor=world.inspector, event=clue, accept=True)
    assert BurdenEvent.objects.get(pk=clue.pk).review == ClueReview.ACCEPTED


def test_the_clue_page_sends_the_inspector_to_the_finding(world, point, login):
    clue = _clue(world)
    finding = Finding.objects.get(event=clue)
    page = login(world.inspector).get(f"/monitoring/events/{clue.pk}/").content.decode()
    assert f"/monitoring/findings/{finding.pk}/" in page and "到问题页研判" in page
    assert "受理问题线索" not in page and "确认或更正核验结论" not in page
    plain = _clue(world, kind="meeting", description="参加县人社局社保政策培训会")
    page = login(world.inspector).get(f"/monitoring/events/{plain.pk}/").content.decode()
    assert "受理问题线索" in page and "问题研判" not in page
