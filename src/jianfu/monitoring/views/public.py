"""Public pages, no login: the bulletins a county published (田家庵区《工作措施》"典型问题通报曝光"), printable.

Only what the bulletin itself says: the departments, their judged violations by rule and document, the
villages and dates, the rectification deadline and state. No description, reporter or person's name."""

from django.shortcuts import get_object_or_404, render

from jianfu.catalog.selectors import counties_for_public
from jianfu.orgs.models import subtree_q

from ..models import Bulletin, BulletinStatus


def _county(request):
    counties = counties_for_public()
    return counties, counties.filter(code=request.GET.get("county", "")).first() or counties.first()


def bulletins(request):
    counties, county = _county(request)
    published = Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).select_related("region")
    if county is not None:
        published = published.filter(subtree_q([county.prefix], "region__code"))
    context = {"counties": counties, "county": county, "bulletins": published.order_by("-published_at")[:200]}
    return render(request, "monitoring/public_bulletins.html", context)


def bulletin(request, pk):
    found = get_object_or_404(
        Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).select_related("region"), pk=pk
    )
    entries = found.entries.select_related("department").prefetch_related("findings__village")
    return render(request, "monitoring/public_bulletin.html", {"bulletin": found, "entries": entries})
