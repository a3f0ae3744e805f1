"""The national dashboards, read from the provinces' signed monthly rollups."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from jianfu.core.years import year_param
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from . import selectors

REFUSED = "只有国家平台的减负工作人员可以查看各省报送的汇总。"


def _years() -> range:
    this_year = timezone.localdate().year
    return range(this_year, this_year - 4, -1)


@login_required
def national(request):
    """全国减负监测看板: one row per province, a chart whose bars open the province's rows."""
    access.require(request.user, Capability.FEDERATION_VIEW, message=REFUSED)
    year = year_param(request)
    rows = selectors.national_rows(request.user, year)
    links = [f"{reverse('federation:province', args=[r['code']])}?year={year}" for r in rows]
    for row, link in zip(rows, links, strict=True):
        row["link"] = link
    chart = {
        "labels": [r["name"] for r in rows],
        "events": [r["events"] for r in rows],
        "violations": [r["violations"] for r in rows],
        "links": links,
    }
    context = {
        "year": year,
        "years": _years(),
        "rows": rows,
        "totals": selectors.national_totals(rows),
        "chart": chart,
    }
    return render(request, "federation/national.html", context)


@login_required
def province(request, code: str):
    """One province's prefectures and counties, months and received versions."""
    access.require(request.user, Capability.FEDERATION_VIEW, message=REFUSED)
    region = selectors.province_for(request.user, code)
    year = year_param(request)
    context = {
        "province": region,
        "year": year,
        "years": _years(),
        "rows": selectors.province_rows(request.user, region, year),
        "months": selectors.province_months(request.user, region, year),
    }
    return render(request, "federation/province.html", context)
