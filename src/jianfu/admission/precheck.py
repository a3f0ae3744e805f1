"""The automatic pre-check at submission: the application's text against the lists in force and the items
already admitted, through the classifier (清单之内必执行、清单之外要批准、负面清单要生成)."""

from datetime import date

from django.core.exceptions import ValidationError

from jianfu.catalog.classify import PROVIDERS, classify, verdict_as_dict
from jianfu.catalog.matching import MatchItem
from jianfu.orgs.models import Region

from . import levels
from .models import AdmittedItem, Application, Kind

ADMITTED_LIST_TITLE = "已准入事项"


def _admitted_items(region: Region, on: date):
    """The classifier's provider: items admitted for the region on the date, keyed by their versions."""
    items = AdmittedItem.objects.in_force(region, on)
    # The rows themselves, not a count and a maximum id: ids repeat (a restored backup, a rolled-back test).
    key = ("admitted", tuple(items.order_by("pk").values_list("pk", "version", "title")))

    def make():
        return [
            MatchItem(
                kind="admitted",
                list_id=f"admitted-{i.pk}",
                list_title=ADMITTED_LIST_TITLE,
                code=i.code,
                content=f"{i.title}：{i.content}",
                legal_basis=f"工作告知单（{i.code}）",
            )
            for i in items.select_related("notice")
        ]

    return key, make


def register() -> None:
    if _admitted_items not in PROVIDERS["work"]:
        PROVIDERS["work"].append(_admitted_items)


def application_text(application: Application) -> str:
    return f"{application.title}。{application.description}"


def check_regions(application: Application) -> list[Region]:
    """The regions whose lists the text is checked against: the county, or each chosen region."""
    if application.scope_all:
        # A prefecture's item is checked against each county's lists (each county keeps its own).
        return levels.joint_counties(application) or [application.county]
    return list(application.scope_regions.all()) or [application.county]


def run_precheck(application: Application, on: date) -> dict:
    """Classify the application in each region of its scope; refuse a negative or duty match.

    Returns what the office should see: the verdict per region and any near-duplicate of an admitted item. A
    verdict the classifier is not sure of refuses nothing: it is marked 需人工研判 for the review office.
    """
    text = application_text(application)
    results, duplicates = [], []
    for region in check_regions(application):
        verdict = classify(text, region, on)
        results.append({"region": region.name, **verdict_as_dict(verdict)})
        if verdict.needs_review:  # not sure enough to refuse: the review office judges (需人工研判)
            continue
        if verdict.verdict == "negative":
            raise ValidationError({"description": f"预检未通过（{region.name}）：{verdict.explanation}"})
        if verdict.verdict == "duty" and application.kind == Kind.NEW:
            raise ValidationError({"description": f"{verdict.explanation}无需申请准入。"})
        duplicates += [m for m in verdict_as_dict(verdict)["matches"] if m["kind"] == "admitted"]
    own = application.related_item.code if application.related_item_id else None
    near = {m["code"]: m for m in duplicates if m["code"] != own and m["score"] >= 0.3}
    needs_review = any(r["needs_review"] for r in results)
    return {
        "on": str(on),
        "results": results,
        "near_duplicates": list(near.values()),
        "needs_review": needs_review,
    }
