"""The grid worker's one tap: "this task is not grid work" becomes a burden event for monitoring.

A grid worker is the village's own person (seed 003, 二(二) lists what grid work is); a department that hands
them anything else is pushing work down, which monitoring counts. The record itself lives in monitoring,
through its intake contract; a retry with the same key is stored once there.
"""

from datetime import date

from django.core.exceptions import ValidationError

from jianfu.catalog.models import ancestor_codes
from jianfu.orgs import access
from jianfu.orgs.models import Level
from jianfu.orgs.roles import Capability


def worker_village(actor):
    """The village or community the grid worker serves (their role's region, else their home)."""
    for assignment in access.assignments(actor):
        if assignment.region.level == Level.VILLAGE:
            return assignment.region
    return actor.home_region if actor.home_region.level == Level.VILLAGE else None


def burden_report(
    *, actor, kind: str, source_department, occurred_on: date, description: str, idempotency_key: str = ""
):
    """Hand monitoring a burden clue from a grid worker (origin "grid"); returns monitoring's record."""
    from jianfu.monitoring.intake import report_burden

    access.require_that(
        actor.has_capability(Capability.GRID_REPORT), "只有网格员和村（社区）干部可以登记非网格任务。"
    )
    village = worker_village(actor)
    errors = {}
    if village is None:
        errors["village"] = "您没有所服务的村（社区），不能登记。"
    if source_department is None:
        errors["source_department"] = "请选择交办任务的部门。"
    elif village is not None and source_department.region.code not in ancestor_codes(village):
        # only a department above the worker's village can push work down to it; another county's cannot
        errors["source_department"] = f"“{source_department.name}”不是{village.name}的上级部门，请重新选择。"
    if not (description or "").strip():
        errors["description"] = "请简要写明交办的是什么任务。"
    if occurred_on is None or occurred_on > date.today():
        errors["occurred_on"] = "请填写交办日期（不能晚于今天）。"
    if errors:
        raise ValidationError(errors)
    return report_burden(
        actor=actor,
        village=village,
        kind=kind,
        source_department=source_department,
        occurred_on=occurred_on,
        description=description.strip(),
        origin="grid",
        idempotency_key=idempotency_key,
    )
