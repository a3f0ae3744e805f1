"""What monitoring asks of supervision: was an inspection at a village planned and approved?

Contract (monitoring calls it; keep the signature): returns a ``Check``. Implemented by the supervision app.
"""

from datetime import date

from jianfu.core.checks import Check


def inspection_check(
    *, department, village, on: date, kind: str = "", demanded_materials: bool = False
) -> Check:
    return Check.unknown("督查检查计划核对尚未启用")
