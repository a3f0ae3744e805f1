"""The public notice (公示) of admitted items per county, no login: what villages may be asked to do beyond
the lists, by whom, since when and with what funding."""

from django.shortcuts import get_object_or_404, render

from jianfu.orgs.models import Level, Region

from .. import selectors
from ..models import AdmittedItem, ItemStatus


def _counties():
    return Region.objects.filter(level=Level.COUNTY, is_active=True).order_by("code")


def items(request):
    counties = _counties()
    code = request.GET.get("county", "")
    county = counties.filter(code=code).first() if code else counties.first()
    query = request.GET.get("q", "").strip()
    rows = selectors.public_items(county) if county else AdmittedItem.objects.none()
    if query:
        rows = rows.filter(title__icontains=query) | rows.filter(content__icontains=query)
    return render(
        request,
        "admission/public_items.html",
        {"counties": counties, "county": county, "items": rows, "query": query},
    )


def item(request, pk):
    admitted = get_object_or_404(
        AdmittedItem.objects.exclude(status=ItemStatus.SUPERSEDED).select_related(
            "department", "notice", "county", "application"
        ),
        pk=pk,
    )
    return render(
        request, "admission/public_item.html", {"item": admitted, "application": admitted.application}
    )
