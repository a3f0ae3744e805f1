"""How long the monitoring tables keep their months on a PostgreSQL node (core/partitions.py detaches the rest).

Burden events: ``monitoring.retention_months`` (36 by default). Findings: ``monitoring.finding_retention_months``
(120 by default, never under 60): a finding is the record of a judged violation, the basis of a bulletin and of
any accountability after it, kept as the ten-year period of 《机关文件材料归档范围和文书档案保管期限规定》
(国家档案局令第8号) for ordinary working records; and a month is detached only when none of its findings is
still open (waiting, confirmed, published, rectifying or returned), however old it is. Detaching is not
destroying: the month becomes a plain table the operator archives. See docs/scale.md.
"""

from datetime import date

from jianfu.core import partitions
from jianfu.orgs.region_settings import largest_in_provinces

from .models.findings import FindingState

# The states after which nothing is left to do (a dismissal can be reversed, but not ten years on).
SETTLED = (FindingState.DISMISSED, FindingState.RECTIFIED)


def event_retention_months() -> int:
    return largest_in_provinces("monitoring.retention_months")


def finding_retention_months() -> int:
    return largest_in_provinces("monitoring.finding_retention_months")


def findings_settled(partition: str, start: date, end: date) -> str:
    """Why the findings of ``partition`` may not be detached yet, or "" when they may."""
    open_ = partitions.unsettled_rows(partition, "state", SETTLED)
    return f"问题 {start:%Y-%m} 尚有 {open_} 条未办结（未不认定或未整改完毕），暂不分离" if open_ else ""
