"""How other apps hand monitoring a burden report (the grid worker's one-tap "this is not grid work").

Contract (grid calls it; keep the signature). Implemented by the monitoring app: it records a problem clue
(问题线索) from ``actor`` at ``village``, runs the same automatic checks as any other report, and stores a
retry with the same ``idempotency_key`` once. Returns the stored clue.
"""

from datetime import date


def report_burden(*, actor, village, kind: str, source_department, occurred_on: date, description: str,
                  origin: str, idempotency_key: str = "", anonymous: bool = False):  # fmt: skip
    raise NotImplementedError("monitoring.intake.report_burden")
