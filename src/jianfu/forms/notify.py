"""Who the one table tells, and when: a village's cadres a few days before a period's due date, and once it has
passed unreported, the cadres again and their township. One message per village (or township) and due date,
listing the forms, so a village with five forms due gets one reminder, not five.

Run daily by the job ``forms.remind_due``; the notifications app keeps each ``key`` once.
"""

from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from jianfu.notifications.models import Kind
from jianfu.notifications.services import notify
from jianfu.orgs.models import User
from jianfu.orgs.roles import Role

from .models import FormTask, FormTaskStatus

# How many days before the due date a village is reminded.
DEFAULT_REMINDER_LEAD_DAYS = 3  # becomes a region setting (issue 19)


def _people(role: str, region_ids) -> dict[int, list]:
    found = defaultdict(list)
    rows = User.objects.filter(
        is_active=True, role_assignments__role=role, role_assignments__region_id__in=list(region_ids)
    ).values_list("role_assignments__region_id", "pk")
    users = {u.pk: u for u in User.objects.filter(pk__in={pk for _, pk in rows})}
    for region_id, pk in rows:
        found[region_id].append(users[pk])
    return found


def _grouped(tasks, by: str) -> dict[tuple, list]:
    groups = defaultdict(list)
    for task in tasks.select_related("issue__form", "village__parent"):
        place = task.village if by == "village" else task.village.parent
        groups[(place, task.due_on)].append(task)
    return groups


def _tasks_url(**query) -> str:
    return f"{reverse('forms:tasks')}?{urlencode(query)}"


def _names(tasks) -> str:
    return "、".join(sorted({f"《{t.issue.form.name}》{t.issue.period}" for t in tasks}))


def remind_due(*, today=None) -> str:
    """Tell villages what falls due within the lead days and what is overdue; tell townships their overdue."""
    today = today or timezone.localdate()
    open_tasks = FormTask.objects.filter(status=FormTaskStatus.OPEN, due_on__isnull=False)
    soon = _grouped(
        open_tasks.filter(due_on__gte=today, due_on__lte=today + timedelta(days=DEFAULT_REMINDER_LEAD_DAYS)),
        "village",
    )
    late = open_tasks.filter(due_on__lt=today)
    late_villages, late_townships = _grouped(late, "village"), _grouped(late, "township")
    cadres = _people(Role.VILLAGE, {v.pk for v, _ in [*soon, *late_villages]})
    township_staff = _people(Role.TOWNSHIP, {t.pk for t, _ in late_townships if t is not None})
    told = 0
    for (village, due_on), tasks in soon.items():
        told += len(
            notify(
                recipients=cadres[village.pk],
                kind=Kind.DEADLINE_NEAR,
                title=f"{len(tasks)} 张报表须于 {due_on:%Y-%m-%d} 前报送",
                body=_names(tasks),
                url=_tasks_url(village=village.code, state="open"),
                key=f"forms-due:{village.pk}:{due_on}",
            )
        )
    for (village, due_on), tasks in late_villages.items():
        told += len(
            notify(
                recipients=cadres[village.pk],
                kind=Kind.DEADLINE_PASSED,
                title=f"{len(tasks)} 张报表已过截止日期 {due_on:%Y-%m-%d}，请尽快报送",
                body=_names(tasks),
                url=_tasks_url(village=village.code, state="overdue"),
                key=f"forms-late:{village.pk}:{due_on}",
            )
        )
    for (township, due_on), tasks in late_townships.items():
        if township is None:
            continue
        villages = len({t.village_id for t in tasks})
        told += len(
            notify(
                recipients=township_staff[township.pk],
                kind=Kind.DEADLINE_PASSED,
                title=f"{villages} 个村（社区）有报表逾期未报（截止 {due_on:%Y-%m-%d}）",
                body=_names(tasks),
                url=_tasks_url(township=township.code, state="overdue"),
                key=f"forms-late-township:{township.pk}:{due_on}",
            )
        )
    return f"报送提醒 {told} 条"
