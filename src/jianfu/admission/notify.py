"""Who admission tells, and when: the people a step now waits for, overdue and nearly due steps, declines.

Called after the write commits (``transaction.on_commit``) from the services, and by the scheduled jobs.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from jianfu.notifications.models import Kind
from jianfu.notifications.services import notify
from jianfu.orgs.models import User
from jianfu.orgs.roles import Role

from .models import Application, Decline, Reminder, Status

# Which role's people act on each state (the applicant's department acts on a returned application).
ACTING_ROLES = {
    Status.SUBMITTED: (Role.COMMITTEE_OFFICE,),
    Status.COORDINATING: (Role.COMMITTEE_OFFICE,),
    Status.MEETING: (Role.COMMITTEE_OFFICE, Role.COMMITTEE_MEMBER),
    Status.DECISION: (Role.COMMITTEE_CHAIR,),
}
OUTCOMES = (Status.RETURNED, Status.APPROVED, Status.REJECTED)


def _county_people(application: Application, roles) -> list:
    """People holding one of ``roles`` on the application's county (member units through their department)."""
    county = application.county
    by_region = User.objects.filter(role_assignments__role__in=roles, role_assignments__region=county)
    by_department = User.objects.filter(
        role_assignments__role__in=roles, role_assignments__department__region=county
    )
    return list((by_region | by_department).filter(is_active=True).distinct())


def _applicants(application: Application) -> list:
    return list(User.objects.filter(department=application.applicant_id, is_active=True))


def step_changed(application_id: int) -> None:
    """The application moved: tell whoever acts next, or the applicant of the outcome."""
    application = Application.objects.select_related("county", "applicant").filter(pk=application_id).first()
    if application is None:
        return
    url = reverse("admission:detail", args=[application.pk])
    key = f"admission:{application.pk}:{application.status}:{application.version}"
    if application.status in ACTING_ROLES:
        notify(
            recipients=_county_people(application, ACTING_ROLES[application.status]),
            kind=Kind.STEP_ASSIGNED,
            title=f"准入申请待办理：{application.title}（{application.get_status_display()}）",
            body=_due_text(application),
            url=url,
            key=key,
        )
    elif application.status in OUTCOMES:
        notify(
            recipients=_applicants(application),
            kind=Kind.STEP_ASSIGNED if application.status == Status.RETURNED else Kind.OTHER,
            title=f"准入申请{application.get_status_display()}：{application.title}",
            url=url,
            key=key,
        )


def _due_text(application: Application) -> str:
    if not application.step_due_on:
        return ""
    estimated = "（按周一至周五估算）" if application.step_due_estimated else ""
    return f"请于 {application.step_due_on:%Y-%m-%d} 前办理{estimated}。"


def remind_overdue() -> str:
    """The scheduled reminder: record each overdue step once per person (``send_reminders``) and tell them."""
    from .services.filing import send_reminders

    last = Reminder.objects.order_by("-id").values_list("id", flat=True).first() or 0
    created = send_reminders()
    for reminder in Reminder.objects.filter(id__gt=last).select_related("application", "user"):
        application = reminder.application
        notify(
            recipients=[reminder.user],
            kind=Kind.DEADLINE_PASSED,
            title=f"准入申请环节已超期：{application.title}（{application.get_status_display()}）",
            body=f"办理期限 {reminder.due_on:%Y-%m-%d} 已过。",
            url=reverse("admission:detail", args=[application.pk]),
            key=f"admission-reminder:{reminder.pk}",
        )
    return f"新增逾期提醒 {created} 条"


def remind_due_soon(*, today=None) -> str:
    """Steps due today or tomorrow: tell the people they wait for, once per step and deadline."""
    today = today or timezone.localdate()
    soon = Application.objects.open().filter(
        step_due_on__gte=today, step_due_on__lte=today + timedelta(days=1)
    )
    told = 0
    for application in soon.select_related("county"):
        roles = ACTING_ROLES.get(application.status)
        if not roles:
            continue
        told += len(
            notify(
                recipients=_county_people(application, roles),
                kind=Kind.DEADLINE_NEAR,
                title=f"准入申请环节即将到期：{application.title}",
                body=_due_text(application),
                url=reverse("admission:detail", args=[application.pk]),
                key=f"admission:{application.pk}:{application.status}:due:{application.step_due_on}",
            )
        )
    return f"到期提醒 {told} 条"


def declined(decline_id: int) -> None:
    """A village declined work a department pushed without admission: tell that department and the office."""
    decline = Decline.objects.select_related("region", "department").filter(pk=decline_id).first()
    if decline is None:
        return
    people = (
        list(User.objects.filter(department=decline.department_id, is_active=True))
        if decline.department_id
        else []
    )
    county = decline.region.code[:6].ljust(12, "0")
    people += list(
        User.objects.filter(
            role_assignments__role=Role.COMMITTEE_OFFICE,
            role_assignments__region__code=county,
            is_active=True,
        )
    )
    notify(
        recipients=people,
        kind=Kind.DECLINE,
        title=f"{decline.region.name}拒绝执行{decline.department_name}交办的工作",
        body="该工作既不在清单内，也未经准入。",
        url=reverse("admission:decline_print", args=[decline.pk]),
        key=f"admission-decline:{decline.pk}",
    )
