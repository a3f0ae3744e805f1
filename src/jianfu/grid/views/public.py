"""Public pages of grid work, no login and phone first: a resident reports a problem (FixMyStreet's flow: photo,
place, category in plain words), follows it with the code the report gave, and rates it once it is closed."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jianfu.catalog.selectors import counties_for_public
from jianfu.consultation.selectors import public_villages
from jianfu.core import ratelimit
from jianfu.core.views_util import add_service_errors

from .. import selectors, tracking
from ..forms import PublicReportForm, RateForm
from ..services import events as workflow
from ..services import public as public_services

REPORT_LIMITED = "您所在网络提交的反映过于频繁，请约 {minutes} 分钟后再试，或直接告诉网格员、拨打 12345。"


def rate(request):
    form = RateForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = workflow.event_rate(
                code=data["code"],
                rating=data["rating"],
                comment=data["comment"],
                limit=ratelimit.wrong_codes(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ratelimit.Throttled as exc:
            form.add_error("code", exc.message)
            return render(request, "grid/public_rate.html", {"form": form, "done": None}, status=429)
    return render(request, "grid/public_rate.html", {"form": form, "done": done})


def _county(request):
    """The county the page is about: named, or the one of the village posted, else the first."""
    counties = counties_for_public()
    village = request.POST.get("community", "") or request.GET.get("village", "")
    code = request.GET.get("county", "") or village[:6].ljust(12, "0")
    return counties, counties.filter(code=code).first() or counties.first()


def report(request):
    counties, county = _county(request)
    villages = list(public_villages(county))
    chosen = next((v for v in villages if v.code == request.POST.get("community")), None)
    classes = public_services.public_classes(chosen or county)
    form = PublicReportForm(
        request.POST or None,
        request.FILES or None,
        villages=villages,
        classes=classes,
        initial={"community": request.GET.get("village", "")},
    )
    context = {"form": form, "counties": counties, "county": county}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = workflow.Report(
            event_class=next((c for c in classes if c.pk == data["event_class"]), None),
            community=chosen,
            place=data["place"],
            description=data["description"],
            lat=data["lat"],
            lng=data["lng"],
            photo=data["photo"],
            resident_name=data["resident_name"],
            resident_phone=data["resident_phone"],
        )
        try:
            event, _ = public_services.event_report_public(
                report=entry,
                idempotency_key=data["idempotency_key"],
                limit=ratelimit.limit(request, "public_write", REPORT_LIMITED),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ratelimit.Throttled as exc:
            form.add_error(None, exc.message)
            return render(request, "grid/public_report.html", context, status=429)
        else:
            return redirect(reverse("public_grid:status") + f"?code={event.rating_code}&new=1")
    return render(request, "grid/public_report.html", context)


def status(request):
    code = request.GET.get("code", "").strip().upper()[:12]
    try:
        event = tracking.public_event(code, ratelimit.wrong_codes(request)) if code else None
    except ratelimit.Throttled as exc:
        return render(request, "grid/public_status.html", {"code": code, "refused": exc.message}, status=429)
    return render(
        request,
        "grid/public_status.html",
        {
            "code": code,
            "event": event,
            "timeline": tracking.public_timeline(event) if event else [],
            "new": request.GET.get("new") == "1",
        },
    )


def _coordinate(value: str, low: int, high: int) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return None
    return number if number.is_finite() and low <= number <= high else None


@require_GET
def locate(request):
    """The village and grid nearest the phone's position, for "use my location" on any form that asks where:
    ``{"village": code, "name": ..., "place": grid name}``, or ``{}`` when no grid is near."""
    lat = _coordinate(request.GET.get("lat", ""), -90, 90)
    lng = _coordinate(request.GET.get("lng", ""), -180, 180)
    if lat is None or lng is None:
        return JsonResponse(
            {"error": "经纬度不正确。"}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    grid = selectors.nearest_grid(lat, lng)
    if grid is None:
        return JsonResponse({})
    community = grid.community
    return JsonResponse(
        {
            "village": community.code,
            "village_pk": community.pk,
            "name": community.name,
            "place": f"{community.name}{grid.name}附近",
        },
        json_dumps_params={"ensure_ascii": False},
    )
