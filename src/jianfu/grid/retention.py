"""How long grid events keep their months on a PostgreSQL node (core/partitions.py detaches the rest).

``grid.retention_months`` (60 by default, never under 24), counted from the month an event was reported. An
event names the resident who reported it and their phone, which 《中华人民共和国个人信息保护法》 (第十九条)
says to keep no longer than the purpose needs, so grid events are not kept for ever; five years is one term of
the village (community) committee (《中华人民共和国村民委员会组织法》第十一条, 《中华人民共和国城市居民委员会
组织法》第八条), over which a problem that keeps coming back at one place is seen; two years at least, so the
last full year's assessment of grid work can always be recomputed. A month is detached only when every event
in it is closed (结案), however old it is.
"""

from datetime import date

from jianfu.core import partitions
from jianfu.orgs.region_settings import largest_in_provinces

from .models import EventStatus


def retention_months() -> int:
    return largest_in_provinces("grid.retention_months")


def events_closed(partition: str, start: date, end: date) -> str:
    """Why the grid events of ``partition`` may not be detached yet, or "" when they may."""
    open_ = partitions.unsettled_rows(partition, "status", [EventStatus.CLOSED])
    return f"网格事件 {start:%Y-%m} 尚有 {open_} 件未结案，暂不分离" if open_ else ""
