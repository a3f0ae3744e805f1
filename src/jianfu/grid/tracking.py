"""What a resident sees of their report on the public status page, reached with the code the report gave them:
the dated steps so far and the next one with its expected day. Unit names only, never staff names; the
resident's own name and number are masked in any text shown (as Open311 publishes it)."""

from django.utils import timezone

from jianfu.core.ratelimit import Limit

from .models import EventStatus, GridEvent
from .open311 import public_text

CODE_LENGTH = 8


def public_event(code: str, limit: Limit | None = None) -> GridEvent | None:
    """The event a resident's code names; a wrong code counts against the client (``ratelimit.wrong_codes``)."""
    if limit is not None:
        limit.check()
    code = (code or "").strip().upper()
    event = (
        GridEvent.objects.select_related("event_class", "department", "community__parent")
        .filter(rating_code=code)
        .first()
        if len(code) == CODE_LENGTH
        else None
    )
    if event is None and limit is not None:
        limit.hit()
    return event


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def public_timeline(event: GridEvent) -> list[dict]:
    """[{label, on, done, note}], in order: received, handed to a unit, dealt with, closed, rated."""
    steps = [{"label": "已收到您的反映", "on": _day(event.reported_at), "done": True, "note": ""}]
    state = event.status
    if event.dispatched_at and state != EventStatus.RETURNED:
        unit = event.department.name if event.department else "处置部门"
        steps.append({"label": f"已交{unit}办理", "on": _day(event.dispatched_at), "done": True, "note": ""})
    else:
        note = "上一个部门认为不归其管，正在重新交办。" if state == EventStatus.RETURNED else ""
        steps.append({"label": "交有关部门办理", "on": None, "done": False, "note": note})
        return steps
    if event.handled_at and state in (EventStatus.HANDLED, EventStatus.CLOSED):
        result = public_text(event, event.result)
        steps.append({"label": "部门已处理", "on": _day(event.handled_at), "done": True, "note": result})
    else:
        limit = f"处置时限 {event.event_class.deadline_label}" + (
            "（按周一至周五估算）" if event.deadline_estimated else ""
        )
        steps.append({"label": "部门处理", "on": _day(event.deadline), "done": False, "note": limit})
        return steps
    if state == EventStatus.CLOSED:
        steps.append({"label": "现场核查，已办结", "on": _day(event.closed_at), "done": True, "note": ""})
    else:
        steps.append({"label": "网格员或指挥中心现场核查", "on": None, "done": False, "note": ""})
        return steps
    if event.rated_at:
        steps.append(
            {"label": f"您已评价（{event.rating} 星）", "on": _day(event.rated_at), "done": True, "note": ""}
        )
    else:
        steps.append({"label": "请您评价办理结果", "on": None, "done": False, "note": ""})
    return steps
