"""Who may do what with grids and events, and the arithmetic of deadlines and distances."""

import math
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.core import uploads
from jianfu.core.workdays import add_workdays
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .models import DeadlineUnit, EventClass, GridEvent


def may_manage(user, region) -> bool:
    """The county command centre or the township 综治中心 over this region."""
    return user is None or user.can(Capability.GRID_MANAGE, region)


def may_report(user, community) -> bool:
    return user is None or user.can(Capability.GRID_REPORT, community) or may_manage(user, community)


REPORTER_MESSAGE = "只有网格员、村（社区）干部和指挥中心可以上报事件。"


def may_report_somewhere(user) -> bool:
    """Whether the user reports events anywhere (the page and the API offer the report form)."""
    return (
        user is None or access.may(user, Capability.GRID_REPORT) or access.may(user, Capability.GRID_MANAGE)
    )


def require_reporter(user) -> None:
    access.require_that(may_report_somewhere(user), REPORTER_MESSAGE)


def may_handle(user, event: GridEvent) -> bool:
    """The department the event is dispatched to, through one of its staff who hold grid.handle."""
    return event.department is not None and access.acts_for(user, Capability.GRID_HANDLE, event.department)


def may_verify(user, event: GridEvent) -> bool:
    """The reporter (a grid worker checks on the spot) or the centre; never a member of the department that
    handled it, even one who also holds a centre role (no one checks their own work)."""
    if user is None:
        return True
    if access.works_in(user, event.department):
        return False
    return (event.reporter_id == user.pk and user.has_capability(Capability.GRID_REPORT)) or may_manage(
        user, event.community
    )


def may_see_rating_code(user, event: GridEvent) -> bool:
    """The reporter (who passes the code to the resident) and the centre; never the handling department,
    which could otherwise rate its own work."""
    if user is None:
        return True
    return event.reporter_id == user.pk or may_manage(user, event.community)


def deadline_for(event_class: EventClass, start: datetime) -> tuple[datetime, bool]:
    """The moment the handler's time runs out; working days end at midnight of the last working day."""
    if event_class.deadline_unit == DeadlineUnit.HOURS:
        return start + timedelta(hours=event_class.deadline_value), False
    result = add_workdays(timezone.localtime(start).date(), event_class.deadline_value)
    end = timezone.make_aware(datetime.combine(result.day, time(23, 59, 59)))
    return end, result.estimated


def metres_between(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance (haversine); close enough for "within 100 m"."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6_371_000 * 2 * math.asin(math.sqrt(a))


def read_photo(upload) -> tuple[bytes | None, str]:
    """The photo's bytes (re-encoded without EXIF) and MIME type, checked by core.uploads."""
    if not upload:
        return None, ""
    accepted = uploads.accept_upload(
        upload, kinds=uploads.PHOTOS, max_bytes=uploads.limit("photo"), field="photo", label="照片"
    )
    return accepted.data, accepted.content_type


def check_lat_lng(lat, lng) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": "经纬度须同时填写，或都不填。"})
    if lat is not None and not (-90 <= float(lat) <= 90 and -180 <= float(lng) <= 180):
        raise ValidationError({"lat": "经纬度超出范围（纬度 -90～90，经度 -180～180）。"})
