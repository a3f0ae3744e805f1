"""Statistics for townships and the county: issued, refused and committed by type, village, demanding
institution and month. Every figure carries the filters that list the records behind it."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth

from .models import Commitment, InstitutionKind, Issuance, Refusal, RefusalReason
from .selectors import filters_q

KINDS = (
    ("issuance", "出具", Issuance),
    ("refusal", "不予出具", Refusal),
    ("commitment", "告知承诺", Commitment),
)
KIND_LABELS = {kind: label for kind, label, _ in KINDS}
DIMENSIONS = {
    "type": "按证明事项",
    "village": "按村（社区）",
    "institution": "按要求出具的单位",
    "month": "按月份",
    "demanders": "索要不应出具证明的单位",
}
UNLISTED_LABEL = "清单外的证明"


@dataclass
class Row:
    label: str
    filters: dict  # query parameters of the records page for this row
    counts: dict = field(default_factory=dict)  # kind -> number of records
    sort_key: tuple = ()

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _grouped(queryset, dimension: str):
    """(key, label, filters, n) for each group of one kind's records."""
    if dimension == "type":
        for e in queryset.values("type_code").annotate(n=Count("pk"), name=Max("type_name")).order_by():
            code = e["type_code"]
            yield code, (f"{code} {e['name']}" if code else UNLISTED_LABEL), {"type": code or "-"}, e["n"]
    elif dimension == "village":
        for e in queryset.values("village__code", "village__name").annotate(n=Count("pk")).order_by():
            yield e["village__code"], e["village__name"], {"region": e["village__code"]}, e["n"]
    elif dimension in ("institution", "demanders"):
        if dimension == "demanders":
            # Who keeps asking villages for certificates on the forbidden list: the monitors' lead.
            if queryset.model is not Refusal:
                return
            queryset = queryset.filter(reason=RefusalReason.FORBIDDEN)
        rows = queryset.values("institution_kind", "institution_name").annotate(n=Count("pk")).order_by()
        for e in rows:
            kind, name = e["institution_kind"], e["institution_name"]
            label = f"{name}（{InstitutionKind(kind).label if kind in InstitutionKind.values else kind}）"
            filters = {"institution_kind": kind, "institution": name}
            if dimension == "demanders":
                filters["reason"] = RefusalReason.FORBIDDEN.value
            yield (kind, name), label, filters, e["n"]
    else:
        rows = queryset.annotate(month=TruncMonth("on")).values("month").annotate(n=Count("pk")).order_by()
        for e in rows:
            month = e["month"]
            yield month, f"{month.year}年{month.month}月", {"month": f"{month:%Y-%m}"}, e["n"]


def certificate_stats(user, *, date_from: date, date_to: date, region_code: str = "") -> dict[str, list[Row]]:
    """Rows per dimension, within the user's scope and the period; ordered by volume (months by date)."""
    base = {"date_from": date_from, "date_to": date_to, "region": region_code}
    period = filters_q(base)
    result = {}
    for dimension in DIMENSIONS:
        rows: dict = {}
        for kind, _, model in KINDS:
            for key, label, filters, n in _grouped(model.objects.visible_to(user).filter(period), dimension):
                row = rows.setdefault(
                    key, Row(label=label, filters={**_param(base), **filters}, sort_key=key)
                )
                row.counts[kind] = n
        ordered = (
            sorted(rows.values(), key=lambda r: r.sort_key)
            if dimension == "month"
            else sorted(rows.values(), key=lambda r: (-r.total, r.label))
        )
        result[dimension] = ordered
    return result


def totals(rows: list[Row]) -> dict:
    return {kind: sum(r.count(kind) for r in rows) for kind, _, _ in KINDS} | {
        "total": sum(r.total for r in rows)
    }


def _param(base: dict) -> dict:
    """The period and region as query parameters (dates as ISO text)."""
    params = {"date_from": base["date_from"].isoformat(), "date_to": base["date_to"].isoformat()}
    if base.get("region"):
        params["region"] = base["region"]
    return params
