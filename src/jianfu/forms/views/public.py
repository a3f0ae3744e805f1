"""Public page, no login: a county's annual form list (《环县开展社区减负专项行动的实施方案》二（四）"制定社区
组织填报表格清单"): the forms villages fill this year, by whom, how often and on what basis. Printable."""

from django.http import Http404
from django.shortcuts import render

from jianfu.catalog.selectors import counties_for_public
from jianfu.core.uploads import bytes_response, download_name
from jianfu.core.years import year_param
from jianfu.orgs.models import subtree_q

from ..documents import annual_list_docx, list_title
from ..models import DepartmentForm, FormStatus


def _listed(request):
    counties = counties_for_public()
    county = counties.filter(code=request.GET.get("county", "")).first() or counties.first()
    year = year_param(request)
    forms = DepartmentForm.objects.none()
    if county is not None:
        forms = (
            DepartmentForm.objects.filter(
                subtree_q([county.prefix], "region__code"), status=FormStatus.APPROVED, year=year
            )
            .select_related("department", "region")
            .order_by("number", "name")
        )
    return counties, county, year, forms


def form_list(request):
    counties, county, year, forms = _listed(request)
    context = {"counties": counties, "county": county, "year": year, "forms": forms}
    return render(request, "forms/public_form_list.html", context)


def form_list_docx(request):
    """The same list as the official document the county hands to the townships."""
    _, county, year, forms = _listed(request)
    if county is None:
        raise Http404("没有公开的县（市、区）。")
    response = bytes_response(annual_list_docx(county, year, forms), filename="list.docx", as_attachment=True)
    return download_name(response, f"{list_title(county, year)}.docx")
