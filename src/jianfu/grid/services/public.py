"""A resident reports a problem from the public page (no login), FixMyStreet's way: a photo, the place (a village
picked by name, a spot typed in words, the phone's location if the resident allows it), a category in plain
words, and a code to follow the report on its status page and to rate it once it is closed.

The report is an ordinary grid event from the source 群众反映, filed by ``events.event_report`` with no actor
(the system files it for the resident) and routed by its class like any other; only the county's public classes
can be chosen (disputes and public-security matters go to the grid worker or the hotline).
"""

from django.core.exceptions import ValidationError

from jianfu.core.ratelimit import Limit
from jianfu.orgs.models import Level

from ..models import EventClass, GridEvent, Source
from ..selectors import classes_for_region
from .events import Report, event_report

# The source system of the public page (its idempotency keys are the form's own); a key with ":" is the
# platform's own and is never named on a page.
PUBLIC_SYSTEM = "public:web"


def _check_public(report: Report, public_classes) -> None:
    errors = {}
    if getattr(report.community, "level", None) != Level.VILLAGE:
        errors["community"] = "请选择事情发生在哪个村（社区）。"
    if report.event_class is None or report.event_class not in public_classes:
        errors["event_class"] = "请选择是什么问题。"
    if len((report.description or "").strip()) < 5:
        errors["description"] = "请说说看到了什么（至少 5 个字）。"
    if not (report.place or "").strip():
        errors["place"] = "请写明具体位置（如：解放路 12 号楼下、村口桥边），或点“使用我的位置”。"
    if errors:
        raise ValidationError(errors)


def public_classes(community) -> list[EventClass]:
    """The categories a resident may choose for a village: the public, active classes in force there."""
    if community is None:
        return []
    return list(classes_for_region(community).filter(is_public=True))


def event_report_public(
    *, report: Report, idempotency_key: str = "", limit: Limit | None = None
) -> tuple[GridEvent, bool]:
    """File a resident's report. ``limit`` counts the sender's public write-ins (``RATE_LIMITS["public_write"]``,
    shared with the opinion write-in) and refuses one too many; a resent form (same key) is the stored event and
    is not counted again. Returns ``(event, created)``; the event's ``rating_code`` is the resident's code."""
    _check_public(report, public_classes(report.community))
    if idempotency_key:
        found = GridEvent.objects.filter(source_system=PUBLIC_SYSTEM, idempotency_key=idempotency_key).first()
        if found is not None:
            return found, False
    if limit is not None:
        limit.hit()
    return event_report(
        actor=None,
        report=report,
        source=Source.RESIDENT,
        source_system=PUBLIC_SYSTEM,
        idempotency_key=idempotency_key,
    )
