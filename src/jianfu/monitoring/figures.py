"""Figures of findings: by source, department, rule and month, this year against the same months of last year
(judged violations: the inspector's verdict, not the automatic one), each with the query that opens its records
in the queue. ``finding_figures`` reads the findings the user sees (one grouped query per dimension);
``region_figures``, for the township and county dashboards, reads the findings' rollup (``FindingRollup``), and a
village its own findings."""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import ExtractMonth, TruncMonth
from django.utils import timezone

from jianfu.orgs.models import Department, Level

from .models import Finding, FindingRollup, FindingSource, FindingState

DIMENSIONS = ("source", "department", "rule", "month")


def _counts(qs, field: str) -> dict:
    if field == "month":
        rows = qs.annotate(m=ExtractMonth("occurred_on")).values("m").annotate(n=Count("pk")).order_by()
        return {row["m"]: row["n"] for row in rows}
    key = "department_id" if field == "department" else field
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk")).order_by()}


def finding_figures(visible, *, year: int, region_code: str = "") -> dict:
    """``visible``: the user's findings (``selectors.findings``). Returns rows per dimension with
    (label, this year, last year, filter query)."""
    today = timezone.localdate()
    end_month = today.month if year == today.year else 12
    judged = visible.violations()
    this = judged.filter(occurred_on__gte=date(year, 1, 1), occurred_on__lt=_month_after(year, end_month))
    last = judged.filter(
        occurred_on__gte=date(year - 1, 1, 1), occurred_on__lt=_month_after(year - 1, end_month)
    )
    base = {"state": "violations", "year": year} | ({"region": region_code} if region_code else {})
    names = dict(FindingSource.choices)
    departments = dict(
        Finding.objects.filter(pk__in=this.values("pk")).values_list("department_id", "department__name")
    ) | dict(
        Finding.objects.filter(pk__in=last.values("pk")).values_list("department_id", "department__name")
    )
    labels = {
        "source": lambda k: names.get(k, k),
        "department": lambda k: departments.get(k, "待确认部门") if k else "待确认部门",
        "rule": lambda k: k or "（未写明）",
        "month": lambda k: f"{k}月",
    }
    figures: dict = {}
    for field in DIMENSIONS:
        now, before = _counts(this, field), _counts(last, field)
        keys = sorted(set(now) | set(before), key=lambda k: (field != "month" and -now.get(k, 0), str(k)))
        if field == "month":
            keys = list(range(1, end_month + 1))
        figures[field] = [
            {
                "label": labels[field](k),
                "count": now.get(k, 0),
                "last_year": before.get(k, 0),
                "query": urlencode(base | _filter(field, k, year)),
            }
            for k in keys
        ]
    figures["total"] = {
        "count": this.count(),
        "last_year": last.count(),
        "pending": visible.filter(state="pending").count(),
    }
    return figures


def _month_after(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def _filter(field: str, key, year: int) -> dict:
    if field == "month":
        return {"month": f"{year}-{key:02d}"}
    if field == "department":
        return {"department": key or "none"}
    return {field: key}


def region_figures(region, year: int, *, top: int = 10) -> dict:
    """The same figures for a region's dashboard: from the rollup for a township and above (a few cells a month),
    from the village's own findings for a village. Departments and rules: the ``top`` most frequent."""
    today = timezone.localdate()
    end_month = today.month if year == today.year else 12
    spans = {
        True: (date(year, 1, 1), _month_after(year, end_month)),
        False: (date(year - 1, 1, 1), _month_after(year - 1, end_month)),
    }
    counts: dict = {field: {True: {}, False: {}} for field in DIMENSIONS}
    # Both years' months in one read (they were two), each row counted in the year its month is in.
    if region.level == Level.VILLAGE:
        # the village's own judged findings grouped as the rollup's cells are (they were eight reads, #23)
        found = Finding.objects.filter(region_code=region.code)
        rows = (
            found.violations()
            .filter(_in_spans(spans, "occurred_on"))
            .annotate(month=TruncMonth("occurred_on", output_field=DateField()))
            .values_list("month", "source", "department_id", "rule")
            .annotate(n=Count("pk"))
            .order_by()
        )
        pending = found.filter(state=FindingState.PENDING).count()
    else:
        cells = FindingRollup.objects.filter(region_code=region.code)
        rows = cells.filter(_in_spans(spans, "month"), violations__gt=0).values_list(
            "month", "source", "department_id", "rule", "violations"
        )
        pending = cells.aggregate(n=Sum("pending"))["n"] or 0
    for month, source, department_id, rule, n in rows:
        is_this = month.year == year
        for field, key in (
            ("source", source),
            ("department", department_id or None),
            ("rule", rule),
            ("month", month.month),
        ):
            counts[field][is_this][key] = counts[field][is_this].get(key, 0) + n
    return _rows(counts, year, end_month, region.code, pending, top)


def _in_spans(spans: dict, field: str) -> Q:
    in_spans = Q()
    for start, end in spans.values():
        in_spans |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return in_spans


def _rows(counts: dict, year: int, end_month: int, region_code: str, pending: int, top: int) -> dict:
    base = {"state": "violations", "year": year, "region": region_code}
    names = dict(FindingSource.choices)
    wanted = set(counts["department"][True]) | set(counts["department"][False])
    departments = dict(Department.objects.filter(pk__in=[k for k in wanted if k]).values_list("pk", "name"))
    labels = {
        "source": lambda k: names.get(k, k),
        "department": lambda k: departments.get(k, "待确认部门") if k else "待确认部门",
        "rule": lambda k: k or "（未写明）",
        "month": lambda k: f"{k}月",
    }
    figures: dict = {}
    for field in DIMENSIONS:
        now, before = counts[field][True], counts[field][False]
        if field == "month":
            keys = list(range(1, end_month + 1))
        else:
            keys = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), -before.get(k, 0), str(k)))
            keys = keys[:top] if field in ("department", "rule") else keys
        figures[field] = [
            {
                "label": labels[field](k),
                "count": now.get(k, 0),
                "last_year": before.get(k, 0),
                "query": urlencode(base | _filter(field, k, year)),
            }
            for k in keys
        ]
    figures["total"] = {
        "count": sum(counts["source"][True].values()),
        "last_year": sum(counts["source"][False].values()),
        "pending": pending,
    }
    return figures
