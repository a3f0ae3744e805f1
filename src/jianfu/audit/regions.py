"""Which region an audit record concerns, so that only inspectors above that region read it.

In order: the region a service names (a village written to, a failed login's county); the region of the object
acted on, found through its foreign keys (a resident's opinion → its village, a task → its campaign → the
campaign's region); the acting user's region; the province for the system acting on nothing in particular.
The audit floor imports no domain app, so objects are read by their fields, not their classes.
"""

from django.db import models

from jianfu.orgs.models import Level, Region

MAX_DEPTH = 3  # task → campaign → region is the longest path the platform needs
NOT_A_PLACE = {"orgs.User"}  # who created or decided something says nothing about where it happened


def _region_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Region]


def _parent_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model not in (Region, model)
        and f.related_model._meta.label not in NOT_A_PLACE
    ]


def _code_of(obj, field) -> str:
    cached = obj._state.fields_cache.get(field.name)
    if cached is not None:
        return cached.code
    region_id = getattr(obj, field.attname)
    if region_id is None:
        return ""
    return Region.objects.filter(pk=region_id).values_list("code", flat=True).first() or ""


def object_region_code(obj, depth: int = 0) -> str:
    """The division code of the region ``obj`` belongs to, or "" when it belongs to none."""
    if obj is None or depth > MAX_DEPTH or not isinstance(obj, models.Model):
        return ""
    if isinstance(obj, Region):
        return obj.code
    if obj._meta.label == "orgs.User":
        return _code_of(obj, obj._meta.get_field("home_region"))
    for field in _region_fields(type(obj)):
        code = _code_of(obj, field)
        if code:
            return code
    own = getattr(obj, "region_code", "")
    if isinstance(own, str) and len(own) == 12:
        return own
    for field in _parent_fields(type(obj)):
        code = object_region_code(getattr(obj, field.name, None), depth + 1)
        if code:
            return code
    return ""


def province_code() -> str:
    """The deployment's province (DESIGN: one province, one deployment); "" before any region exists."""
    return (
        Region.objects.filter(level=Level.PROVINCE).order_by("code").values_list("code", flat=True).first()
        or ""
    )


def county_code(region: Region) -> str:
    """The county a region lies in (itself at county level or above)."""
    return region.code[:6] + "0" * 6 if region.level > Level.COUNTY else region.code
