"""Who the grid app tells: the handling department and the centre when an event passes its deadline."""

from django.urls import reverse

from jianfu.notifications.models import Kind
from jianfu.notifications.services import notify
from jianfu.orgs.models import User
from jianfu.orgs.roles import Role

from .models import GridEvent


def escalated(event_id: int) -> None:
    event = GridEvent.objects.select_related("community__parent", "department").filter(pk=event_id).first()
    if event is None:
        return
    people = (
        list(User.objects.filter(department=event.department_id, is_active=True))
        if event.department_id
        else []
    )
    township = event.community.parent
    if township is not None:
        people += list(
            User.objects.filter(
                role_assignments__role=Role.TOWNSHIP, role_assignments__region=township, is_active=True
            )
        )
    notify(
        recipients=people,
        kind=Kind.DEADLINE_PASSED,
        title=f"网格事件超过处置时限：{event.number}（第 {event.escalation} 次督办）",
        body=f"{event.event_class.name}，{event.place}",
        url=reverse("grid:event", args=[event.pk]),
        key=f"grid-escalate:{event.pk}:{event.escalation}",
    )
