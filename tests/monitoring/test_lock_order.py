"""The lock order of the monitoring services (``services.rollup``'s module docstring): the chain heads of every
county a service touches in county-code order, then the event, then its finding, then the cells. Two real
transactions on PostgreSQL that would each hold what the other waits for under any other order; PostgreSQL would
end one of them with a deadlock error."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jianfu.core.checks import Check
from jianfu.monitoring import services
from jianfu.monitoring.models import Finding
from jianfu.monitoring.services import findings as finding_services
from tests.concurrency import interleave

from .conftest import load_lists, make_point, record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time"),
]
UNLISTED_WORK = "请村里组织人员为农商银行推销理财产品"


def _intake(village, department, record_pk: int) -> Finding:
    with transaction.atomic():
        finding = finding_services.finding_intake(
            source="visit",
            record_pk=record_pk,
            village=village,
            occurred_on=timezone.localdate() - timedelta(days=1),
            subject=f"计划外检查 {record_pk}",
            check=Check(False, "未列入年度督查检查计划"),
            department=department,
        )
    assert finding is not None
    return finding


def _pausing(monkeypatch, module, name: str) -> list:
    """Wrap ``module.name`` so that, after it ran, the first transaction holds (``interleave``'s ``hold``, put in
    the returned list; it does nothing in any other thread)."""
    real, holds = getattr(module, name), []

    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        if holds:
            holds[0]()
        return result

    monkeypatch.setattr(module, name, wrapper)
    return holds


def test_two_bulk_decisions_over_the_same_two_counties_take_their_heads_in_one_order(world, monkeypatch):
    """The first decides a finding of 东岭县 and then one of 清河县 (finding order), the second one of 清河县 and
    then one of 东岭县: taken one by one in finding order, their chain heads would be locked in opposite orders."""
    county, other = (world.village_taoyuan, world.dept_rs), (world.other_village, world.other_dept)
    first_pair = [_intake(*other, 1), _intake(*county, 2)]
    second_pair = [_intake(*county, 3), _intake(*other, 4)]
    holds = _pausing(monkeypatch, finding_services, "move")  # after the first finding's move

    def decide(pair):
        return services.findings_decide(
            actor=None, items=[(f.pk, f.version) for f in pair], decision="dismiss", reason="经核实不属于违规"
        )

    def first(hold):
        holds.append(hold)
        return decide(first_pair)

    outcome = interleave(first, lambda: decide(second_pair))
    assert outcome.both_committed, outcome
    assert set(Finding.objects.values_list("state", flat=True)) == {"dismissed"}


def test_a_recheck_and_a_decision_of_the_same_event_take_event_and_finding_in_one_order(world, monkeypatch):
    """The re-check holds the event (and, in the fixed order, its county's head) while its check runs; the
    inspector's decision of its finding comes meanwhile. A decision that locked the finding and the head before
    the event would wait for the re-check, which would then wait for the head."""
    load_lists()
    make_point(world)
    event, _ = record(world, kind="task", subject=UNLISTED_WORK, description=UNLISTED_WORK)
    finding = Finding.objects.get(event_id=event.pk)
    holds = _pausing(monkeypatch, services.events, "apply_check")

    def recheck(hold):
        holds.append(hold)
        return services.event_recheck(actor=None, event=event)

    def decide():
        return services.findings_decide(
            actor=None, items=[(finding.pk, None)], decision="dismiss", reason="经核实不属于违规"
        )

    outcome = interleave(recheck, decide)
    assert outcome.second_waited_for_first and outcome.both_committed, outcome
    assert Finding.objects.get(pk=finding.pk).state == "dismissed"
