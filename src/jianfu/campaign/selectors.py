"""Scoped reads for 专项行动与考评: campaigns, tasks, the ledger figures per unit, and the home card."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Min
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from jianfu.core.registry import HomeTask
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from .models import Campaign, JointMeeting, ReportKind, Task, TaskStatus
from .permissions import unit_ids
from .rules import periods


def campaigns(user):
    access.require(user, Capability.CAMPAIGN_VIEW)
    return Campaign.objects.visible_to(user).select_related("region")


def campaign(user, pk) -> Campaign:
    return get_object_or_404(campaigns(user), pk=pk)


def task(user, pk) -> Task:
    access.require(user, Capability.CAMPAIGN_VIEW)
    visible = Campaign.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Task.objects.select_related("campaign__region", "lead_department"), pk=pk, campaign__in=visible
    )


def meetings(user):
    access.require(user, Capability.CAMPAIGN_VIEW)
    return JointMeeting.objects.visible_to(user).select_related("region", "campaign")


def meeting(user, pk) -> JointMeeting:
    return get_object_or_404(meetings(user), pk=pk)


def tasks_of(campaign: Campaign):
    return (
        campaign.tasks.select_related("lead_department")
        .prefetch_related("responsible_departments")
        .order_by("number")
    )


def my_tasks(user, campaign: Campaign):
    return tasks_of(campaign).filter(lead_department_id__in=unit_ids(user))


def expected_kinds(campaign: Campaign) -> tuple[str, ...]:
    """Seed 000: weekly reports and monthly summaries; seed 004: half-monthly scheduling instead of weekly."""
    return (campaign.cadence, ReportKind.MONTHLY)


@dataclass
class UnitRow:
    department: object
    total: int = 0
    done: int = 0
    reported: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    missing: int = 0
    missing_periods: list = field(default_factory=list)
    items: int = 0  # items the department hands down to villages (assist, undertaken, admitted)
    without_card: int = 0  # of which no accepted process card (谁交办任务、谁建立流程)


# The indicator's source, shown beside the figure on the ledger.
CARD_RULE = (
    "《关于开展村（社区）减负工作的实施方案》二（二）“规范基层工作流程”：坚持“谁交办任务、谁建立流程”原则，"
    "对确由村（社区）协助的事项……统一设计规范事项办理的依据、标准、条件、材料"
)


def card_figures(campaign: Campaign) -> dict[int, tuple[object, int, int]]:
    """Per department of the campaign's region: (department, items it hands down, items without an accepted
    card). An item without a card counts against its department in the ledger's per-unit figures."""
    from jianfu.catalog import cards

    return {d.pk: (d, total, missing) for d, total, missing in cards.missing_by_department(campaign.region)}


def missing_reports(task: Task, campaign: Campaign, today: date, filed: set) -> list[tuple[str, date, date]]:
    """Whole periods since the campaign started without the lead unit's report while the task was open."""
    # A period ending on the campaign's last day is still owed once that day is over.
    until = min(today, campaign.ends_on + timedelta(days=1)) if campaign.ends_on else today
    closed = task.completed_on
    found = []
    for kind in expected_kinds(campaign):
        for first, last in periods(kind, campaign.starts_on, until):
            if closed and closed <= last:
                break
            if (task.pk, kind, first) not in filed:
                found.append((kind, first, last))
    return found


def ledger(campaign: Campaign, today: date | None = None) -> dict:
    """The campaign ledger (工作台账): each task with its last report, overdue flag and missing reports, and
    the same per lead unit."""
    today = today or timezone.localdate()
    tasks = list(tasks_of(campaign))
    reports = list(campaign_reports(campaign))
    filed = {(r.task_id, r.kind, r.period_start) for r in reports}
    latest = {}
    for r in reports:
        latest.setdefault(r.task_id, r)
    units: dict[int, UnitRow] = {}
    rows = []
    for t in tasks:
        missing = missing_reports(t, campaign, today, filed)
        overdue = t.is_overdue(today)
        rows.append({"task": t, "overdue": overdue, "missing": missing, "latest": latest.get(t.pk)})
        unit = units.setdefault(t.lead_department_id, UnitRow(t.lead_department))
        unit.total += 1
        setattr(unit, t.status, getattr(unit, t.status) + 1)
        unit.overdue += overdue
        unit.missing += len(missing)
        unit.missing_periods += [(t.number, *m) for m in missing]
    for pk, (department, total, without) in card_figures(campaign).items():
        if pk in units or without:
            unit = units.setdefault(pk, UnitRow(department))
            unit.items, unit.without_card = total, without
    return {
        "rows": rows,
        "units": sorted(
            units.values(), key=lambda u: (-u.overdue, -u.missing, -u.without_card, u.department.name)
        ),
        "card_rule": CARD_RULE,
        "reports": reports,
        "today": today,
    }


def campaign_reports(campaign: Campaign):
    from .models import ProgressReport

    return (
        ProgressReport.objects.filter(task__campaign=campaign)
        .select_related("task", "department", "filed_by")
        .prefetch_related("attachments")
        .order_by("-period_start", "-id")
    )


def status_chart(ledger_data: dict, campaign: Campaign) -> dict:
    """Stacked bars of task status per lead unit; each bar links to that unit's rows of the ledger."""
    from django.urls import reverse

    units = ledger_data["units"]
    base = reverse("campaign:detail", args=[campaign.pk])
    labels = [u.department.name for u in units]
    series = []
    for key, label in (
        (TaskStatus.DONE, "已完成"),
        (TaskStatus.REPORTED, "已报告完成，待办结"),
        (TaskStatus.IN_PROGRESS, "推进中"),
        (TaskStatus.NOT_STARTED, "未启动"),
        ("overdue", "其中逾期"),
    ):
        series.append(
            {
                "name": label,
                "stack": "" if key == "overdue" else "all",
                "data": [getattr(u, key) for u in units],
                "links": [f"{base}?unit={u.department.pk}#tasks" for u in units],
            }
        )
    return {"labels": labels, "series": series}


def home_card(user) -> dict | None:
    """What the home page shows this user about 专项行动与考评; None hides the card."""
    if not user.is_authenticated or not user.has_capability(Capability.CAMPAIGN_VIEW):
        return None
    today = timezone.localdate()
    visible = Campaign.objects.visible_to(user).values("pk")
    tasks = Task.objects.filter(campaign__in=visible)
    mine = tasks.filter(lead_department_id__in=unit_ids(user))
    open_mine = mine.exclude(status=TaskStatus.DONE)
    overdue = open_mine.filter(long_term=False, deadline__lt=today).count()
    return {
        "campaigns": Campaign.objects.visible_to(user).count(),
        "tasks": tasks.count(),
        "mine_open": open_mine.count(),
        "mine_overdue": overdue,
    }


def by_unit(rows: list, unit_id: int | None) -> list:
    return [r for r in rows if unit_id is None or r["task"].lead_department_id == unit_id]


OPEN_TASK = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
STATES = {"mine": "本单位牵头、未报告完成的", "reported": "已报告完成、待办结的"}


def by_state(rows: list, state: str, mine) -> list:
    """The ledger rows a home task counts: ``mine`` (open tasks the user's units lead) or ``reported``."""
    if state == "mine":
        return [r for r in rows if r["task"].lead_department_id in mine and r["task"].status in OPEN_TASK]
    if state == "reported":
        return [r for r in rows if r["task"].status == TaskStatus.REPORTED]
    return rows


def home_tasks(user) -> list[HomeTask]:
    """Per campaign: open tasks the user's units lead (with their deadlines), and for the campaign's office the
    tasks reported complete that wait to be closed (never its own department's, which it may not close)."""
    if not user.is_authenticated or not user.has_capability(Capability.CAMPAIGN_VIEW):
        return []
    today, mine, out = timezone.localdate(), unit_ids(user), []
    for campaign in Campaign.objects.visible_to(user):
        url = reverse("campaign:detail", args=[campaign.pk])
        tasks = Task.objects.filter(campaign=campaign)
        if mine and user.has_capability(Capability.CAMPAIGN_REPORT):
            led = tasks.filter(lead_department_id__in=mine, status__in=OPEN_TASK)
            dated = led.filter(long_term=False, deadline__isnull=False)
            out.append(
                HomeTask(
                    f"项专项任务由本单位牵头，待推进和报送（{campaign.title}）",
                    led.count(),
                    f"{url}?state=mine#tasks",
                    due=dated.aggregate(due=Min("deadline"))["due"],
                    overdue=dated.filter(deadline__lt=today).count(),
                    action="去报送",
                )
            )
        if access.may(user, Capability.CAMPAIGN_MANAGE, campaign.region):
            waiting = tasks.filter(status=TaskStatus.REPORTED).exclude(lead_department_id__in=mine)
            out.append(
                HomeTask(
                    f"项专项任务已报告完成，待办结（{campaign.title}）",
                    waiting.count(),
                    f"{url}?state=reported#tasks",
                    action="去办结",
                )
            )
    return out


def group_missing(units) -> dict:
    grouped = defaultdict(list)
    for u in units:
        grouped[u.department.pk] = u.missing_periods
    return grouped
