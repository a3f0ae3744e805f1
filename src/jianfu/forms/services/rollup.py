"""The reporting-rate rollup (``ReportingRollup``): one cell per issue, township and due date.

Kept current inside the transaction of every service that changes tasks: opening a period counts that issue's
cells from its tasks in the database (``issue_opened``, one grouped INSERT … SELECT, once per period opened); a
task's step moves its one cell by what it counted before and what it counts now (``task_change``). ``rebuild`` recounts every cell from the tasks (``jianfu
forms_rollup``; after data was written around the services, as the demo's back-dated reports are).
"""

from django.db import connection, transaction
from django.db.models import F

from jianfu.core import progress
from jianfu.orgs.models import Region

from ..models import (
    ACCEPTED_STATES,
    APPROVED_STATES,
    REPORTED_STATES,
    DepartmentForm,
    FormIssue,
    FormTask,
    ReportingRollup,
)

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


def _insert_cells(issue_ids: list[int]) -> int:
    """Count the cells of ``issue_ids`` from their tasks in the database itself: one INSERT … SELECT grouping the
    tasks by issue, township and due date (no task is read into Python, no cell object built). What opening a
    period, a recount and a rebuild all call; inside the caller's transaction."""
    if not issue_ids:
        return 0
    cell, task, issue, form, region = (
        ReportingRollup._meta.db_table,
        FormTask._meta.db_table,
        FormIssue._meta.db_table,
        DepartmentForm._meta.db_table,
        Region._meta.db_table,
    )

    def among(states) -> str:
        return ", ".join(["%s"] * len(states))

    sql = (
        f"INSERT INTO {cell} (issue_id, form_id, year, period, township_id, township_code, due_on, expected, "
        "submitted, timely, late, approved, accepted) "
        "SELECT t.issue_id, i.form_id, f.year, i.period, v.parent_id, p.code, t.due_on, COUNT(*), "
        f"SUM(CASE WHEN t.status IN ({among(REPORTED_STATES)}) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.on_time = %s THEN 1 ELSE 0 END), SUM(CASE WHEN t.on_time = %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN t.status IN ({among(APPROVED_STATES)}) THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN t.status IN ({among(ACCEPTED_STATES)}) THEN 1 ELSE 0 END) "
        f"FROM {task} t JOIN {issue} i ON i.id = t.issue_id JOIN {form} f ON f.id = i.form_id "
        f"JOIN {region} v ON v.id = t.village_id JOIN {region} p ON p.id = v.parent_id "
        f"WHERE t.issue_id IN ({among(issue_ids)}) "
        "GROUP BY t.issue_id, i.form_id, f.year, i.period, v.parent_id, p.code, t.due_on"
    )
    states = [str(s) for s in (*REPORTED_STATES, *APPROVED_STATES, *ACCEPTED_STATES)]
    reported, approved = len(REPORTED_STATES), len(REPORTED_STATES) + len(APPROVED_STATES)
    params: list = [
        *states[:reported],
        True,
        False,
        *states[reported:approved],
        *states[approved:],
        *issue_ids,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def issue_refresh(issue: FormIssue) -> int:
    """Recount one issue's cells from its tasks (after a period opened); inside the caller's transaction."""
    ReportingRollup.objects.filter(issue_id=issue.pk).delete()
    return _insert_cells([issue.pk])


def issue_opened(issue: FormIssue) -> int:
    """The cells of a period just opened (or opened further): one grouped INSERT … SELECT over the issue's tasks.
    It replaced building a cell object per township in Python (``bulk_create`` of 1,300 cells per form was most
    of the time a province's opening took: 9 of 15 s for 30 forms × 20,000 villages)."""
    return issue_refresh(issue)


def rebuild() -> int:
    """Recount every cell from the tasks, 200 issues at a time; returns the number of cells."""
    issues = list(FormIssue.objects.order_by("pk").values_list("pk", flat=True))
    progress.stage("按乡镇重新汇总全部填报任务")
    made = 0
    with transaction.atomic():
        ReportingRollup.objects.all().delete()
        for done, start in enumerate(range(0, len(issues), 200), 1):
            made += _insert_cells(issues[start : start + 200])
            progress.tick(min(done * 200, len(issues)), len(issues))
    return made
