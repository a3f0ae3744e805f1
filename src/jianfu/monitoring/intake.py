"""How other apps hand monitoring a burden report (the grid worker's one-tap "this is not grid work").

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
