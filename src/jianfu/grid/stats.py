"""Figures: events by class, grid, handler and month, with on-time, reopen and satisfaction rates. Every
number carries the list filters that show the records behind it."""

from collections import defaultdict
from urllib.parse import urlencode

from django.utils import timezone

from .models import EventStatus

DIMENSIONS = {
    "event_class": ("按分类", "event_class_id", "event_class__name"),
    "grid": ("按网格", "grid_id", "grid__name"),
    "department": ("按处置部门", "department_id", "department__name"),
    "month": ("按月份", None, None),
}
FIELDS = (
    "event_class_id",
    "event_class__name",
    "grid_id",
    "grid__name",
    "grid__community__name",
    "department_id",
    "department__name",
    "reported_at",
    "handled_at",
    "deadline",
    "reopen_count",
    "rating",
    "status",
)


def _key(row: dict, dimension: str) -> tuple[str, str]:
    if dimension == "month":
        month = f"{timezone.localtime(row['reported_at']):%Y-%m}"
        return month, month
    _, id_field, name_field = DIMENSIONS[dimension]
    if row[id_field] is None:
        return "none", "未划入网格" if dimension == "grid" else "未派遣"
    label = row[name_field]
    if dimension == "grid":
        label = f"{row['grid__community__name']}{label}"
    return str(row[id_field]), label


def _empty() -> dict:
    return {"total": 0, "closed": 0, "handled": 0, "on_time": 0, "reopened": 0, "rated": 0, "rating_sum": 0}


def _add(bucket: dict, row: dict) -> None:
    bucket["total"] += 1
    bucket["closed"] += row["status"] == EventStatus.CLOSED
    if row["handled_at"] is not None and row["deadline"] is not None:
        bucket["handled"] += 1
        bucket["on_time"] += row["handled_at"] <= row["deadline"]
    bucket["reopened"] += row["reopen_count"] > 0
    if row["rating"] is not None:
        bucket["rated"] += 1
        bucket["rating_sum"] += row["rating"]


def _finish(bucket: dict) -> dict:
    pct = lambda n, d: round(100 * n / d, 1) if d else None  # noqa: E731
    bucket["on_time_rate"] = pct(bucket["on_time"], bucket["handled"])
    bucket["reopen_rate"] = pct(bucket["reopened"], bucket["total"])
    bucket["satisfaction"] = (
        round(bucket["rating_sum"] / bucket["rated"] * 20, 1) if bucket["rated"] else None
    )
    return bucket


def figures(events, dimension: str) -> list[dict]:
    """One row per value of the dimension, in order; ``filters`` are the events list's query parameters."""
    buckets: dict[tuple, dict] = defaultdict(_empty)
    for row in events.values(*FIELDS):
        _add(buckets[_key(row, dimension)], row)
    rows = []
    for (key, label), bucket in sorted(buckets.items(), key=lambda item: (item[0][0] == "none", item[0][1])):
        filters = {dimension: key}
        rows.append(
            {"key": key, "label": label, "filters": filters, "query": urlencode(filters), **_finish(bucket)}
        )
    return rows


def totals(events) -> dict:
    bucket = _empty()
    for row in events.values(*FIELDS):
        _add(bucket, row)
    return _finish(bucket)


def month_chart(rows: list[dict], link) -> dict:
    """ECharts data for the month figure: events reported and closed, each bar linking to its records."""
    labels = [r["label"] for r in rows]
    return {
        "labels": labels,
        "series": [
            {"name": "上报", "data": [r["total"] for r in rows], "links": [link(r["filters"]) for r in rows]},
            {
                "name": "已结案",
                "data": [r["closed"] for r in rows],
                "links": [link({**r["filters"], "flag": "closed"}) for r in rows],
            },
        ],
    }


def rate_chart(rows: list[dict], link) -> dict:
    """On-time and satisfaction rates per row (percent), each bar linking to the rows it counts."""
    return {
        "labels": [r["label"] for r in rows],
        "series": [
            {
                "name": "按时办结率（%）",
                "data": [r["on_time_rate"] for r in rows],
                "links": [link({**r["filters"], "flag": "on_time"}) for r in rows],
            },
            {
                "name": "满意度",
                "data": [r["satisfaction"] for r in rows],
                "links": [link({**r["filters"], "flag": "rated"}) for r in rows],
            },
        ],
    }
