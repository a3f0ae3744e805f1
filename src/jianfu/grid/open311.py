"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2/) over the grid events, so that existing
city-reporting clients work unchanged: services are the public classes of the classification, service requests
are events of those classes. Reading is public (as the specification has it); creating needs ``api_key``, one
of the platform's API tokens whose holder may report events where the request is located.

Classes marked not public (disputes, public-security matters) never appear here.
"""

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from jianfu.catalog.models import ancestor_codes
from jianfu.orgs.models import ApiToken, Region, subtree_q
from jianfu.orgs.roles import Capability

from .models import EventClass, EventStatus, Grid, GridEvent, Source
from .rules import metres_between
from .services.events import Report, event_report

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
LOCATE_METRES = 2000  # a point further than this from every grid's centre is outside the platform's area


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _xml(root_tag: str, item_tag: str, items: list[dict]) -> bytes:
    root = ElementTree.Element(root_tag)
    for item in items:
        node = ElementTree.SubElement(root, item_tag)
        for key, value in item.items():
            ElementTree.SubElement(node, key).text = (
                "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            )
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _respond(fmt: str, root: str, item: str, items: list[dict], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(root, item, items), status=status, content_type="application/xml; charset=utf-8"
        )
    return JsonResponse(items, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, exc: Open311Error) -> HttpResponse:
    return _respond(
        fmt, "errors", "error", [{"code": exc.status, "description": exc.description}], exc.status
    )


def _handled(view):
    """Turn refusals into the specification's error list with the matching HTTP status."""

    def wrapper(request, fmt, **kwargs):
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc)
        except ValidationError as exc:
            text = (
                "；".join(f"{k}：{'，'.join(v)}" for k, v in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else "；".join(exc.messages)
            )
            return _error(fmt, Open311Error(400, text))
        except PermissionDenied as exc:
            return _error(fmt, Open311Error(403, str(exc) or "无权执行此操作。"))

    wrapper.__name__ = view.__name__
    return wrapper


def _stamp(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _jurisdiction(params) -> Region | None:
    """``jurisdiction_id`` (a region code, e.g. the county's): this endpoint serves several counties, so a
    client that names one sees only that region's services and requests."""
    code = (params.get("jurisdiction_id") or "").strip()
    if not code:
        return None
    region = Region.objects.filter(code=code, is_active=True).first()
    if region is None:
        raise Open311Error(404, f"没有代码为 {code} 的辖区（jurisdiction_id）。")
    return region


def _classes_in(region: Region | None):
    """Public classes in force in the region: its own, those above it and those of the regions below it."""
    found = _public_classes()
    if region is None:
        return found
    return found.filter(
        Q(region__code__in=ancestor_codes(region)) | subtree_q([region.prefix], "region__code")
    )


def _events_in(region: Region | None):
    found = _public_events()
    return found if region is None else found.filter(subtree_q([region.prefix], "community__code"))


def _public_classes():
    return EventClass.objects.filter(is_public=True, is_active=True).select_related("department")


def _service(event_class: EventClass) -> dict:
    return {
        "service_code": event_class.code,
        "service_name": event_class.name,
        "description": f"{event_class.get_kind_display()}；处置时限 {event_class.deadline_label}",
        "metadata": False,
        "type": "realtime",
        "keywords": event_class.get_kind_display(),
        "group": event_class.get_kind_display(),
    }


MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def public_text(event: GridEvent, text: str) -> str:
    """Free text as published: a hotline operator often types the caller's name and number into the
    description, so the resident's name and any mobile number are masked (138****0001)."""
    for private in (event.resident_name, event.resident_phone):
        if private:
            text = text.replace(private, "＊" * min(len(private), 3))
    return MOBILE.sub(r"\1****\2", text)


def _request(event: GridEvent) -> dict:
    notes = event.result if event.status in (EventStatus.HANDLED, EventStatus.CLOSED) else ""
    notes = public_text(event, notes)
    return {
        "service_request_id": event.number,
        "status": "closed" if event.status == EventStatus.CLOSED else "open",
        "status_notes": f"{event.get_status_display()}{'：' + notes if notes else ''}",
        "service_name": event.event_class.name,
        "service_code": event.event_class.code,
        "description": public_text(event, event.description),
        "agency_responsible": event.department.name if event.department else "",
        "service_notice": f"处置时限 {event.event_class.deadline_label}",
        "requested_datetime": _stamp(event.reported_at),
        "updated_datetime": _stamp(event.updated_at),
        "expected_datetime": _stamp(event.deadline),
        "address": public_text(event, event.place),
        "address_id": event.building,
        "zipcode": "",
        "lat": float(event.lat) if event.lat is not None else None,
        "long": float(event.lng) if event.lng is not None else None,
        "media_url": event.media_url,
    }


def _public_events():
    return GridEvent.objects.filter(event_class__is_public=True).select_related("event_class", "department")


@require_GET
@_handled
def services(request, fmt):
    found = _classes_in(_jurisdiction(request.GET))
    return _respond(fmt, "services", "service", [_service(c) for c in found])


@require_GET
@_handled
def service_definition(request, fmt, code):
    event_class = _classes_in(_jurisdiction(request.GET)).filter(code=code).first()
    if event_class is None:
        raise Open311Error(404, f"没有代码为 {code} 的公开服务。")
    if fmt == "xml":  # no attributes: every class is metadata-free
        root = ElementTree.Element("service_definition")
        ElementTree.SubElement(root, "service_code").text = event_class.code
        ElementTree.SubElement(root, "attributes")
        xml = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
        return HttpResponse(xml, content_type="application/xml; charset=utf-8")
    return JsonResponse(
        {"service_code": event_class.code, "attributes": []}, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@_handled
def service_request(request, fmt, request_id):
    event = _events_in(_jurisdiction(request.GET)).filter(number=request_id).first()
    if event is None:
        raise Open311Error(404, f"没有编号为 {request_id} 的公开服务请求。")
    return _respond(fmt, "service_requests", "request", [_request(event)])


@csrf_exempt  # machine clients authenticate with api_key, not a browser session
@require_http_methods(["GET", "POST"])
@_handled
def service_requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return _respond(fmt, "service_requests", "request", [_request(e) for e in _search(request.GET)])


def _when(value: str, name: str) -> datetime:
    try:
        moment = parse_datetime(value)
    except ValueError:  # well formed, but no such day or hour (month 13, 30 February)
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} 须为 W3C 日期时间格式，如 2026-01-01T00:00:00+08:00。")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _search(params) -> list[GridEvent]:
    events = _events_in(_jurisdiction(params))
    if params.get("service_request_id"):
        ids = [i.strip() for i in params["service_request_id"].split(",") if i.strip()]
        return list(events.filter(number__in=ids))
    if params.get("service_code"):
        events = events.filter(event_class__code__in=params["service_code"].split(","))
    end = _when(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    start = (
        _when(params["start_date"], "start_date")
        if params.get("start_date")
        else end - timedelta(days=DEFAULT_DAYS)
    )
    events = events.filter(reported_at__gte=start, reported_at__lte=end)
    wanted = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "status 只能是 open 或 closed（可用逗号分隔两者）。")
    if wanted == {"open"}:
        events = events.exclude(status=EventStatus.CLOSED)
    elif wanted == {"closed"}:
        events = events.filter(status=EventStatus.CLOSED)
    return list(events.order_by("-reported_at")[:MAX_RESULTS])


def _key_holder(api_key: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(api_key or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if not api_key or token is None:
        raise Open311Error(403, "api_key 无效或已吊销。")
    user = token.user
    if not (user.has_capability(Capability.GRID_REPORT) or user.has_capability(Capability.GRID_MANAGE)):
        raise Open311Error(403, "该 api_key 的持有人无权上报网格事件。")
    return user


def _decimal(value: str, name: str):
    if value in (None, ""):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise Open311Error(400, f"{name} 须为数字。") from None


def _locate(user, address: str, lat, lng, region=None) -> tuple[Grid, str]:
    """The grid the request falls in: a building named in the address, else the nearest grid centre."""
    grids = Grid.objects.visible_to(user).filter(is_active=True).select_related("community")
    if region is not None:
        grids = grids.filter(subtree_q([region.prefix], "community__code"))
    grids = list(grids)
    for grid in grids:
        for building in sorted(grid.buildings, key=len, reverse=True):
            if address and building in address:
                return grid, building
    if lat is not None:
        placed = [(metres_between(lat, lng, *g.centre()), g) for g in grids if g.centre()]
        placed = [(d, g) for d, g in placed if d <= LOCATE_METRES]
        if placed:
            return min(placed, key=lambda pair: pair[0])[1], ""
    raise Open311Error(
        400,
        "无法把该位置定位到辖区内的网格：请在 address_string 中写明楼栋（村民小组），或提供辖区内的 lat/long。",
    )


def _create(request, fmt):
    data = request.POST
    user = _key_holder(data.get("api_key", ""))
    if not data.get("service_code"):
        raise Open311Error(400, "service_code 为必填。")
    lat, lng = _decimal(data.get("lat"), "lat"), _decimal(data.get("long"), "long")
    address = (data.get("address_string") or "").strip()
    if lat is None and not address and not data.get("address_id"):
        raise Open311Error(400, "须提供位置：lat 和 long，或 address_string，或 address_id。")
    grid, building = _locate(user, address or data.get("address_id", ""), lat, lng, _jurisdiction(data))
    event_class = (
        _public_classes().filter(code=data["service_code"], region__code__in=_ancestors(grid)).first()
    )
    if event_class is None:
        raise Open311Error(404, f"没有代码为 {data['service_code']} 的公开服务。")
    name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
    report = Report(
        event_class=event_class,
        community=grid.community,
        place=address or f"{lat},{lng}",
        description=data.get("description", ""),
        building=building,
        lat=lat,
        lng=lng,
        media_url=data.get("media_url", ""),
        resident_name=name[:50],
        resident_phone=(data.get("phone") or "")[:20],
    )
    key = request.headers.get("Idempotency-Key") or data.get("attribute[idempotency_key]", "")
    event, _ = event_report(
        actor=user,
        report=report,
        source=Source.OPEN311,
        source_system=f"open311:{user.pk}",
        idempotency_key=key,
    )
    answer = {
        "service_request_id": event.number,
        "service_notice": f"处置时限 {event_class.deadline_label}",
        "account_id": None,
    }
    return _respond(fmt, "service_requests", "request", [answer], status=201)


def _ancestors(grid: Grid) -> list[str]:
    return ancestor_codes(grid.community)
