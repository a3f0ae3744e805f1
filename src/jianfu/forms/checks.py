"""What monitoring asks of the one table: is a form a department sent to a village in the annual form list?

Contract (monitoring calls it; keep the signature): returns a ``Check``. Implemented by the forms app.
"""

from datetime import date

from jianfu.core.checks import Check


def form_check(*, department, village, on: date, title: str) -> Check:
    return Check.unknown("填报表格清单核对尚未启用")
