"""How other apps hand monitoring a burden report or a finding (the grid worker's one-tap "this is not grid work").

Contract (grid calls it; keep the signature). It records a problem clue (问题线索) from ``actor`` at
``village``, runs the same automatic checks as any other report, and stores a retry with the same
``idempotency_key`` once. Returns the stored clue (a ``BurdenEvent`` with ``origin`` clue or grid).
``origin`` is "grid" for a grid worker's report and "clue" otherwise; ``kind`` is an ``EventKind`` value.
Raises PermissionDenied when the actor may not report for the village, ValidationError on bad input.
"""

from datetime import date


def report_burden(
    *,
    actor,
    village,
    kind: str,
    source_department,
    occurred_on: date,
    description: str,
    origin: str,
    idempotency_key: str = "",
    anonymous: bool = False,
):
    from .models import Origin
    from .services import clue_report

    clue, _ = clue_report(
        actor=actor,
        village=village,
        kind=kind,
        department=source_department,
        occurred_on=occurred_on,
        description=description,
        origin=Origin.GRID if origin == Origin.GRID else Origin.CLUE,
        anonymous=anonymous,
        idempotency_key=idempotency_key,
    )
    return clue


def finding_intake(
    *,
    source: str,
    record_pk: int,
    village,
    occurred_on: date,
    subject: str,
    check,
    department=None,
    department_text: str = "",
    evidence_url: str = "",
    evidence_label: str = "",
    actor=None,
):
    """Contract for the other modules that hold a signal of a broken rule (admission's declines, certificates'
    refusals, supervision's unplanned visits): call it inside the transaction that stores your own record.

    ``source`` is a ``FindingSource`` value; ``check`` a ``core.checks.Check`` (a passed check creates nothing);
    ``department`` a ``Department`` when the record has one, else ``department_text`` as the record wrote it
    (matched to a department of the village's county, or left for the inspector to confirm). A department
    outside the village's county raises ValidationError, which undoes the caller's record too.
    Returns the ``Finding`` or None."""
    from .services import findings

    return findings.finding_intake(
        source=source,
        record_pk=record_pk,
        village=village,
        occurred_on=occurred_on,
        subject=subject,
        check=check,
        department=department,
        department_text=department_text,
        evidence_url=evidence_url,
        evidence_label=evidence_label,
        actor=actor,
    )
