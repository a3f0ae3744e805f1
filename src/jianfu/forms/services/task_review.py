"""Approval levels of a reporting task (DHIS2's data approval, by level): the village submits, its township approves
or returns it with a reason, the county office accepts what the township approved (or returns it, with a reason).
A returned task is filled and submitted again. Each step locks the task, checks its version, moves it through
``TASK_FLOW``, is kept as a ``FormTaskStep``, moves the reporting rollup and is audited, in one transaction.

The township's step is the township's own (its role on that township; the county office does not approve in its
place), and nobody accepts a task they approved themselves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

from ..models import TASK_FLOW, FormTask, FormTaskStatus, FormTaskStep
from . import rollup

RETURN_REASON = "退回须说明理由（哪些栏目有误、应如何更正）。"


def township_name(task: FormTask) -> str:
    return task.village.parent.name if task.village.parent else "所在乡镇（街道）"


def county_of(village: Region) -> Region:
    return Region.objects.get(code=village.code[:6].ljust(12, "0"))


def may_approve(actor, task: FormTask) -> bool:
    """The township's reviewers, on the village's own township."""
    return access.acts_at(actor, Capability.FORMS_REVIEW, task.village.parent)


def may_accept(actor, task: FormTask) -> bool:
    """The county office of the village's county."""
    return actor is None or access.may(actor, Capability.FORMS_MANAGE, county_of(task.village))


def may_review_task(actor, task: FormTask, step: str) -> bool:
    """Whether ``actor`` may take ``step`` (approve, return or accept) on the task now (pages show the buttons)."""
    if not TASK_FLOW.may(task, step):
        return False
    if step == "approve" or (step == "return" and task.status == FormTaskStatus.SUBMITTED):
        return may_approve(actor, task)
    return may_accept(actor, task)


def record_step(task: FormTask, step: str, before: str, actor, note: str = "") -> FormTaskStep:
    return FormTaskStep.objects.create(
        task=task,
        step=step,
        from_status=before,
        to_status=task.status,
        note=note[:300],
        by=actor if actor is not None else None,
        at=timezone.now(),
    )


def _locked(task: FormTask, expected_version) -> FormTask:
    task = (
        FormTask.objects.select_for_update(of=("self",))
        .select_related("village", "issue__form")
        .get(pk=task.pk)
    )
    check_version(task, expected_version, "该填报任务")
    return task


def _move(actor, task: FormTask, step: str, note: str) -> FormTask:
    counted = rollup.contribution(task)
    before, _ = TASK_FLOW.move(
        task, step, name=f"“{task.village.name}”的《{task.issue.form.name}》{task.issue.period}"
    )
    task.version += 1
    if step == "return":
        task.return_reason, task.on_time = (
            note,
            None,
        )  # timeliness is decided again when it is submitted again
    task.save()
    rollup.task_change(task, counted)
    record_step(task, step, before, actor, note)
    audit_record(
        actor=actor,
        action=f"forms.task_{step}",
        obj=task,
        before={"status": before},
        after={"status": task.status, "note": note},
        message=note,
    )
    return task


@transaction.atomic
def task_approve(*, actor, task: FormTask, note: str = "", expected_version=None) -> FormTask:
    """The township approves its village's submitted task."""
    task = _locked(task, expected_version)
    if actor is not None and not may_approve(actor, task):
        raise PermissionDenied(f"只有{township_name(task)}可以审核所辖村（社区）报送的报表。")
    TASK_FLOW.check(task, "approve", name=f"《{task.issue.form.name}》{task.issue.period}")
    return _move(actor, task, "approve", (note or "").strip()[:300])


@transaction.atomic
def task_return(*, actor, task: FormTask, reason: str, expected_version=None) -> FormTask:
    """The township returns a submitted task (or the county an approved one) with its reason."""
    task = _locked(task, expected_version)
    TASK_FLOW.check(task, "return", name=f"《{task.issue.form.name}》{task.issue.period}")
    if actor is not None and not may_review_task(actor, task, "return"):
        who = township_name(task) if task.status == FormTaskStatus.SUBMITTED else "县减负工作机构"
        raise PermissionDenied(f"该报表当前为“{task.get_status_display()}”，只有{who}可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": RETURN_REASON})
    return _move(actor, task, "return", reason[:300])


@transaction.atomic
def task_accept(*, actor, task: FormTask, note: str = "", expected_version=None) -> FormTask:
    """The county office accepts what the township approved; not a task the same person approved."""
    task = _locked(task, expected_version)
    if not may_accept(actor, task):
        raise PermissionDenied("只有县减负工作机构可以接收乡镇（街道）审核通过的报表。")
    TASK_FLOW.check(task, "accept", name=f"《{task.issue.form.name}》{task.issue.period}")
    approved_by = (
        task.steps.filter(step="approve").order_by("-at", "-pk").values_list("by_id", flat=True).first()
    )
    if actor is not None and approved_by == actor.pk:
        raise PermissionDenied("不能接收自己审核通过的报表，须由上一级的其他人员接收。")
    return _move(actor, task, "accept", (note or "").strip()[:300])
