"""The reporting-rate rollup (``ReportingRollup``): one cell per issue, township and due date.

Kept current inside the transaction of every service that changes tasks: opening a period recounts that issue's
cells from its tasks (``issue_refresh``, one grouped query); a task's step moves its one cell by what it counted
before and what it counts now (``task_change``). ``rebuild`` recounts every cell from the tasks (``jianfu
forms_rollup``; after data was written around the services, as the demo's back-dated reports are).
"""

from django.db import transaction
from django.db.models import Count, F, Q

from jianfu.core import progress
from jianfu.orgs.models import Level, Region

from ..models import ACCEPTED_STATES, APPROVED_STATES, REPORTED_STATES, FormIssue, FormTask, ReportingRollup

COUNTS = ("expected", "submitted", "timely", "late", "approved", "accepted")


def contribution(task: FormTask) -> dict:
    """What one task adds to its cell."""
    return {
        "expected": 1,
        "submitted": int(task.status in REPORTED_STATES),
        "timely": int(task.on_time is True),
        "late": int(task.on_time is False),
        "approved": int(task.status in APPROVED_STATES),
        "accepted": int(task.status in ACCEPTED_STATES),
    }


def _cell(task: FormTask) -> dict:
    return {"issue_id": task.issue_id, "township_id": task.village.parent_id, "due_on": task.due_on}


def task_change(task: FormTask, before: dict) -> None:
    """Move the task's cell from what it counted ``before`` to what it counts now (the caller's transaction)."""
    after = contribution(task)
    deltas = {k: F(k) + (after[k] - before[k]) for k in COUNTS if after[k] != before[k]}
    if not deltas:
        return
    cell = _cell(task)
    if not ReportingRollup.objects.filter(**cell).update(**deltas):
        # No cell: the task was written around the services (rebuild had not run); recount its issue instead.
        issue_refresh(task.issue)


def _cells(tasks, issues: dict) -> list[ReportingRollup]:
    """The cells of ``tasks`` (whose issues are the keys of ``issues``, valued (form id, year, period)): one
    grouped query joining only the village, for its township."""
    rows = list(
        tasks.order_by()
        .values("issue_id", "village__parent_id", "due_on")
        .annotate(
            n=Count("pk"),
            reported=Count("pk", filter=Q(status__in=REPORTED_STATES)),
            in_time=Count("pk", filter=Q(on_time=True)),
            overdue_sent=Count("pk", filter=Q(on_time=False)),
            township_ok=Count("pk", filter=Q(status__in=APPROVED_STATES)),
            county_ok=Count("pk", filter=Q(status__in=ACCEPTED_STATES)),
        )
    )
    codes = dict(
        Region.objects.filter(pk__in={r["village__parent_id"] for r in rows}).values_list("pk", "code")
    )
    return [
        ReportingRollup(
            issue_id=r["issue_id"],
            form_id=issues[r["issue_id"]][0],
            year=issues[r["issue_id"]][1],
            period=issues[r["issue_id"]][2],
            township_id=r["village__parent_id"],
            township_code=codes[r["village__parent_id"]],
            due_on=r["due_on"],
            expected=r["n"],
            submitted=r["reported"],
            timely=r["in_time"],
            late=r["overdue_sent"],
            approved=r["township_ok"],
            accepted=r["county_ok"],
        )
        for r in rows
        if r["village__parent_id"] is not None
    ]


def _issues(ids) -> dict:
    return {
        pk: (form_id, year, period)
        for pk, form_id, year, period in FormIssue.objects.filter(pk__in=ids).values_list(
            "pk", "form_id", "form__year", "period"
        )
    }


def issue_refresh(issue: FormIssue) -> int:
    """Recount one issue's cells from its tasks (after a period opened); inside the caller's transaction."""
    ReportingRollup.objects.filter(issue_id=issue.pk).delete()
    cells = _cells(FormTask.objects.filter(issue_id=issue.pk), _issues([issue.pk]))
    return len(ReportingRollup.objects.bulk_create(cells, batch_size=2000))


def village_counts() -> dict[int, tuple[str, int]]:
    """Per township id: its code and how many active villages it has (what opening a period gives each)."""
    counts = dict(
        Region.objects.filter(level=Level.VILLAGE, is_active=True, parent__isnull=False)
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    codes = dict(Region.objects.filter(pk__in=counts).values_list("pk", "code"))
    return {pk: (codes[pk], n) for pk, n in counts.items()}


def issue_opened(issue: FormIssue, by_due: dict, made: int, villages: dict | None) -> int:
    """The cells of a period just opened. For a new issue every active village of each planned township got its
    task, so the cells are the townships' village counts (``villages``, counted once for many forms) and no
    task is read; when the counts do not add up to the tasks made, or the issue had tasks before, recount it."""
    if villages is None:
        return issue_refresh(issue)
    cells = [
        ReportingRollup(
            issue_id=issue.pk,
            form_id=issue.form_id,
            year=issue.form.year,
            period=issue.period,
            township_id=township_id,
            township_code=villages[township_id][0],
            due_on=due_on,
            expected=villages[township_id][1],
        )
        for due_on, townships in by_due.items()
        for township_id in townships
        if township_id in villages
    ]
    if sum(c.expected for c in cells) != made:
        return issue_refresh(issue)
    ReportingRollup.objects.filter(issue_id=issue.pk).delete()
    return len(ReportingRollup.objects.bulk_create(cells, batch_size=2000))


def rebuild() -> int:
    """Recount every cell from the tasks, issue by issue; returns the number of cells."""
    issues = list(FormIssue.objects.order_by("pk").values_list("pk", flat=True))
    progress.stage("按乡镇重新汇总全部填报任务")
    made = 0
    with transaction.atomic():
        ReportingRollup.objects.all().delete()
        for done, start in enumerate(range(0, len(issues), 200), 1):
            chunk = issues[start : start + 200]
            cells = _cells(FormTask.objects.filter(issue_id__in=chunk), _issues(chunk))
            made += len(ReportingRollup.objects.bulk_create(cells, batch_size=2000))
            progress.tick(min(done * 200, len(issues)), len(issues))
    return made
