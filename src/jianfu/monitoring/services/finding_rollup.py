"""The findings' monthly rollup the dashboards read (``FindingRollup``): region (township and up) × month × source
× department × rule, counting findings, judged violations and those waiting.

The findings services keep it current one finding at a time: ``cell(finding)`` before a change, ``change(finding,
before)`` after it (a decision, a department confirmed, a rule refreshed by a re-check, a bulletin's steps).
``rebuild`` recomputes it from the findings (inside the nightly ``monitoring.rollup`` job)."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F

from ..models import DECIDED, Finding, FindingRollup, FindingState
from .rollup import lock_county, region_codes

Cell = tuple[dict, dict]  # (the cell's keys, what the finding adds to it)


def cell(finding: Finding) -> Cell:
    keys = {
        "month": finding.occurred_on.replace(day=1),
        "source": finding.source,
        "department_id": finding.department_id or 0,
        "rule": (finding.rule or "")[:200],
    }
    amounts = {
        "findings": 1,
        "violations": int(finding.state in DECIDED),
        "pending": int(finding.state == FindingState.PENDING),
    }
    return keys, amounts


def apply(region_code: str, found: Cell, sign: int = 1) -> None:
    """Add (or take away) one finding's amounts in its cells at every level; in the caller's transaction."""
    keys, amounts = found
    lock_county(region_code)  # the county's chain head before its cells: the order every event service keeps
    deltas = {key: F(key) + sign * value for key, value in amounts.items()}
    for level, code in region_codes(region_code):
        where = dict(region_code=code, **keys)
        if not FindingRollup.objects.filter(**where).update(**deltas):
            with transaction.atomic():  # a savepoint: a concurrent first insert of the cell wins, we update
                FindingRollup.objects.select_for_update().get_or_create(level=level, **where)
            FindingRollup.objects.filter(**where).update(**deltas)


def add(finding: Finding) -> None:
    apply(finding.region_code, cell(finding))


def change(finding: Finding, before: Cell) -> None:
    """Move the finding from the cell it was counted in ``before`` to the one it belongs to now."""
    if before == cell(finding):
        return
    apply(finding.region_code, before, -1)
    add(finding)


def rebuild() -> int:
    """Recompute every cell from the findings; returns the number of cells."""
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = Finding.objects.values_list(
        "region_code", "occurred_on", "source", "department_id", "rule", "state"
    )
    for code, day, source, department_id, rule, state in rows.iterator(chunk_size=5000):
        amounts = (1, int(state in DECIDED), int(state == FindingState.PENDING))
        for level, region in region_codes(code):
            key = (region, level, day.replace(day=1), source, department_id or 0, (rule or "")[:200])
            total = totals[key]
            for i, value in enumerate(amounts):
                total[i] += value
    with transaction.atomic():
        FindingRollup.objects.all().delete()
        FindingRollup.objects.bulk_create(
            (
                FindingRollup(
                    region_code=region,
                    level=level,
                    month=month,
                    source=source,
                    department_id=department_id,
                    rule=rule,
                    findings=n,
                    violations=v,
                    pending=p,
                )
                for (region, level, month, source, department_id, rule), (n, v, p) in totals.items()
            ),
            batch_size=2000,
        )
    return len(totals)
