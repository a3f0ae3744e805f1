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
from jianfu.orgs.models import Level, Region, User
from jianfu.orgs.region_settings import setting_value
from jianfu.orgs.roles import Role

from .models import FormTask, FormTaskStatus

# A returned task is the village's to fill again: reminded like an open one.
UNREPORTED = (FormTaskStatus.OPEN, FormTaskStatus.RETURNED)

# How many days before the due date a village is reminded: a county's own setting (区划设置).
REMINDER_LEAD_DAYS = "forms.reminder_lead_days"


def register_settings() -> None:
    from jianfu.orgs.region_settings import register_setting

    register_setting(
        REMINDER_LEAD_DAYS,
        label="报表截止前提前提醒天数",
        default=3,
        kind="int",
        unit="天",
        minimum=1,
        maximum=15,
        group="一张表",
        help="填报任务截止日期前几天提醒村（社区）干部；已过截止日期仍未报送的，次日起提醒村（社区）和乡镇（街道）。",
    )


def lead_days(today) -> dict[str, int]:
    """Per county (its 6-digit prefix): the lead days in force today."""
    counties = Region.objects.filter(level=Level.COUNTY, is_active=True)
    return {c.prefix: setting_value(c, REMINDER_LEAD_DAYS, on=today) for c in counties}


def _people(role: str, region_ids) -> dict[int, list]:
    found = defaultdict(list)
    rows = User.objects.filter(
        is_active=True, role_assignments__role=role, role_assignments__region_id__in=list(region_ids)
    ).values_list("role_assignments__region_id", "pk")
    users = {u.pk: u for u in User.objects.filter(pk__in={pk for _, pk in rows})}
    for region_id, pk in rows:
        found[region_id].append(users[pk])
    return found


def _grouped(tasks, by: str, keep=None) -> dict[tuple, list]:
    groups = defaultdict(list)
    for task in tasks.select_related("issue__form", "village__parent"):
        if keep is not None and not keep(task):
            continue
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
    open_tasks = FormTask.objects.filter(status__in=UNREPORTED, due_on__isnull=False)
    leads = lead_days(today)
    longest = max(leads.values(), default=3)
    soon = _grouped(
        open_tasks.filter(due_on__gte=today, due_on__lte=today + timedelta(days=longest)),
        "village",
        keep=lambda t: t.due_on <= today + timedelta(days=leads.get(t.village.code[:6], longest)),
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
