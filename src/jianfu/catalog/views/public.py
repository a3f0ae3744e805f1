"""Public pages, no login: the lists in force in a county, their history and diffs, print and Excel."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from jianfu.core import pagecache
from jianfu.orgs.models import Region

from .. import selectors
from ..models import ListKind
from .lists import _detail_context, _diff_context, export_response


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def lists_in_force(request):
    """The lists in force in a county on a day. Anonymous visitors get it from the cache, one rendering per
    version of the lists in force (core.pagecache): publishing or retiring a list changes the version."""
    code = request.GET.get("region", "")
    on = _parse_day(request.GET.get("on", ""))
    query = request.GET.get("q", "").strip()

    def context() -> dict:
        counties = selectors.counties_for_public()
        region = Region.objects.filter(code=code, is_active=True).first() if code else counties.first()
        lists = list(selectors.lists_in_force(region, on)) if region else []
        national, local = selectors.split_national(lists)
        # The city table's middle column is its own kind of list, shown apart from duties and assistance.
        undertaken = [w for w in local if w.kind == ListKind.UNDERTAKEN]
        local = [w for w in local if w.kind != ListKind.UNDERTAKEN]
        hits = None
        if region and query:
            hits = [
                i
                for i in selectors.items_in_force(region, on)
                if query in i.content or query in i.code or any(query in e for e in i.examples)
            ]
        return {
            "counties": counties,
            "region": region,
            "on": on,
            "lists": lists,
            "national": national,
            "local": local,
            "undertaken": undertaken,
            "query": query,
            "hits": hits,
        }

    return pagecache.public_page(
        request,
        name="public_lists",
        version=(on, query, selectors.public_lists_version(code, on)),
        template="catalog/public_lists.html",
        context=context,
    )


def list_detail(request, pk):
    work_list = selectors.public_worklist_get(pk)
    return render(request, "catalog/detail.html", _detail_context(request, work_list, public=True))


def list_diff(request, pk):
    work_list = selectors.public_worklist_get(pk)
    return render(request, "catalog/diff.html", {**_diff_context(work_list), "public": True})


def list_print(request, pk):
    work_list = selectors.public_worklist_get(pk)
    return render(
        request, "catalog/print.html", {"work_list": work_list, "items": selectors.worklist_items(work_list)}
    )


def list_export(request, pk):
    return export_response(selectors.public_worklist_get(pk))
