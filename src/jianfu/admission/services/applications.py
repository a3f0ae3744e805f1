"""Every write to an application, one function per step of seed 003's procedure (arts. 5–9).

Each transition locks the row, refuses a wrong starting state or a stale copy, checks the actor's role,
writes a Transition row and an audit record, and sets the next step's deadline in working days.
"""

from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.catalog.models import CorrectionSource
from jianfu.core import uploads
from jianfu.core.exceptions import StaleWriteError
from jianfu.core.numbering import next_number
from jianfu.core.workdays import WorkdayCalendar
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region
from jianfu.orgs.roles import Capability

from .. import levels, notify
from ..limits import STEP_DEFAULTS, step_limit, step_limit_in_force
from ..models import (
    APPLICATION_FLOW,
    ITEM_FLOW,
    AdmittedItem,
    Application,
    Attachment,
    Kind,
    Origin,
    Procedure,
    Status,
    Transition,
    Urgency,
    WorkType,
)
from ..precheck import run_precheck
from .consults import all_no_objection, consults_open

EDITABLE_FIELDS = {
    "title",
    "description",
    "work_type",
    "scope_all",
    "period_start",
    "period_end",
    "plan_requirements",
    "plan_division",
    "plan_process",
    "plan_milestones",
    "people",
    "funds_amount",
    "funds_source",
    "training",
    "materials",
    "consultation_record",
    "urgency",
    "urgency_reason",
}


# Guards -------------------------------------------------------------------------------------------------


def require(actor, capability: str, region: Region, message: str) -> None:
    if actor is not None and not actor.can(capability, region):
        raise PermissionDenied(message)


def require_not_applicant(actor, application: Application) -> None:
    """No self-approval: the applying department never reviews, votes on or approves its own application."""
    access.require_that(
        not access.works_in(actor, application.applicant), "申请单位的人员不能审核、表决或核准本单位的申请。"
    )


def is_applicant(actor, application: Application) -> bool:
    """The applying department's own staff; a retroactive confirmation (art. 9) is entered by the office."""
    return access.acts_for(actor, Capability.ADMISSION_APPLY, application.applicant) or (
        application.origin == Origin.RETROACTIVE
        and access.may(actor, Capability.ADMISSION_REVIEW, application.county)
    )


def require_applicant(actor, application: Application) -> None:
    access.require_that(is_applicant(actor, application), "只有申请单位可以修改、提交或撤回本申请。")


def lock(application: Application, expected_version: int | None = None) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("county", "applicant")
        .get(pk=application.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleWriteError(f"申请“{locked.title}”")
    return locked


def require_step(application: Application, code: str) -> None:
    """Refuse a step the application's state does not allow (the arrows are ``APPLICATION_FLOW``)."""
    APPLICATION_FLOW.check(application, code, name=_named(application))


def _named(application: Application) -> str:
    return f"申请“{application.title}”"


def step_step(application: Application) -> str:
    """The step whose limit runs now (an urgent item's decision has its own, shorter limit)."""
    if application.status == Status.DECISION and application.procedure == Procedure.URGENT:
        return "decision_urgent"
    return application.status


def step_limit_applied(application: Application):
    """The limit version that set the current step's deadline (the one in force the day the step started)."""
    step = step_step(application)
    if step not in STEP_DEFAULTS or application.step_started_on is None:
        return None
    return step_limit_in_force(application.county, step, application.step_started_on)


def move(application: Application, step: str, *, actor, note: str = "", action: str) -> Application:
    """Take the step (refused unless ``APPLICATION_FLOW`` allows it from the current state), start the next
    step's clock, and record the transition and the audit row."""
    before = snapshot(application)
    previous, to = APPLICATION_FLOW.move(application, step, name=_named(application))
    _start_clock(application)
    application.version += 1
    application.full_clean()
    application.save()
    Transition.objects.create(
        application=application,
        from_status=previous,
        to_status=to,
        actor=actor,
        actor_name=actor.full_name if actor else "系统",
        note=note,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=application,
        before=before,
        after=snapshot(application),
        region_code=application.county.code,
    )
    transaction.on_commit(partial(notify.step_changed, application.pk))  # tell whoever acts next
    return application


def _start_clock(application: Application) -> None:
    today = timezone.localdate()
    step = step_step(application)
    if step not in STEP_DEFAULTS:
        application.step_started_on = application.step_due_on = None
        application.step_due_estimated = False
        return
    deadline = WorkdayCalendar().add_workdays(today, step_limit(application.county, step, today))
    application.step_started_on, application.step_due_on = today, deadline.day
    application.step_due_estimated = deadline.estimated


# Drafting ----------------------------------------------------------------------------------------------


def county_of(department: Department) -> Region:
    """The region whose body reviews the department's applications (its prefecture, county or township)."""
    return levels.reviewing_region(department)


def _set_scope(application: Application, regions) -> None:
    regions = list(regions or [])
    region = application.county
    lowest = levels.lowest_scope_level(region)
    outside = [r.name for r in regions if not r.is_within([region.prefix]) or r.level < lowest]
    if outside:
        below = "、".join(label for level, label in Level.choices if level >= lowest)
        raise ValidationError(
            {"scope_regions": f"实施范围只能选择{levels.scope_word(region)}的{below}：{'、'.join(outside)}。"}
        )
    if not application.scope_all and not regions:
        raise ValidationError(
            {"scope_regions": f"请选择实施范围，或勾选覆盖{levels.scope_word(region)}所有村（社区）。"}
        )
    application.scope_regions.set([] if application.scope_all else regions)


def _apply_fields(application: Application, fields: dict) -> None:
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError({name: "该字段不能在此填写。"})
        setattr(application, name, value)
    if (
        application.period_start
        and application.period_end
        and application.period_end < application.period_start
    ):
        raise ValidationError({"period_end": "实施截止日期不能早于起始日期。"})


@transaction.atomic
def application_create(
    *,
    actor,
    applicant: Department,
    kind: str = Kind.NEW,
    related_item: AdmittedItem | None = None,
    scope_regions=(),
    origin: str = Origin.APPLIED,
    **fields,
) -> Application:
    """Start an application as a draft. A department applies for itself; the office registers work pushed
    down without an application for retroactive confirmation (art. 9)."""
    county = county_of(applicant)
    if kind not in (Kind.NEW, Kind.CHANGE):
        raise ValidationError(
            {"kind": "完结或退出由原申请部门在已准入事项上直接报备（第十条），无需新建申请。"}
        )
    if origin == Origin.RETROACTIVE:
        require(actor, Capability.ADMISSION_REVIEW, county, "只有审核委员会办公室可以登记补办确认。")
    else:
        access.require_for(actor, Capability.ADMISSION_APPLY, applicant, message="只能以本部门名义提出申请。")
    if kind == Kind.CHANGE:
        _require_active_item(related_item, applicant)
        fields.setdefault("title", related_item.title)
    application = Application(
        kind=kind,
        origin=origin,
        county=county,
        applicant=applicant,
        created_by=actor,
        related_item=related_item,
    )
    _apply_fields(application, fields)
    application.full_clean()
    application.save()
    _set_scope(application, scope_regions)
    Transition.objects.create(
        application=application,
        to_status=Status.DRAFT,
        actor=actor,
        actor_name=actor.full_name if actor else "系统",
    )
    audit_record(
        actor=actor,
        action="admission.create",
        obj=application,
        after=snapshot(application),
        region_code=county.code,
    )
    return application


def _require_active_item(item: AdmittedItem | None, applicant: Department) -> None:
    if item is None:
        raise ValidationError({"related_item": "变更或退出须选择原已准入的事项。"})
    if item.department_id != applicant.pk:
        raise PermissionDenied("只有原申请部门可以变更或退出该事项（第十条）。")
    if not ITEM_FLOW.may(item, "change"):
        raise ValidationError(
            {"related_item": f"事项“{item.title}”已{item.get_status_display()}，不能再变更或退出。"}
        )


@transaction.atomic
def application_update(
    *, actor, application: Application, expected_version: int | None, scope_regions=None, **fields
) -> Application:
    application = lock(application, expected_version)
    require_applicant(actor, application)
    require_step(application, "edit")
    before = snapshot(application)
    _apply_fields(application, fields)
    application.version += 1
    application.full_clean()
    application.save()
    if scope_regions is not None or "scope_all" in fields:
        _set_scope(
            application, scope_regions if scope_regions is not None else application.scope_regions.all()
        )
    audit_record(
        actor=actor,
        action="admission.update",
        obj=application,
        before=before,
        after=snapshot(application),
        region_code=application.county.code,
    )
    return application


@transaction.atomic
def attachment_add(*, actor, application: Application, upload) -> Attachment:
    application = lock(application)
    require_applicant(actor, application)
    require_step(application, "edit")
    accepted = uploads.accept_upload(
        upload, kinds=uploads.DOCUMENTS, max_bytes=uploads.limit("attachment"), field="file"
    )
    attachment = Attachment.objects.create(
        application=application, file=accepted.as_file(), name=accepted.name[:200], uploaded_by=actor
    )
    audit_record(
        actor=actor,
        action="admission.attach",
        obj=application,
        after={"file": accepted.name},
        region_code=application.county.code,
    )
    return attachment


# Submission --------------------------------------------------------------------------------------------


def _check_complete(application: Application) -> None:
    """Art. 6: a written plan with requirements, division, process and time points, and the guarantees."""
    errors = {}
    labels = {f.name: f.verbose_name for f in Application._meta.fields}
    required = ["plan_requirements", "plan_division", "plan_process", "plan_milestones", "people", "training"]
    for name in required:
        if not getattr(application, name).strip():
            errors[name] = f"请填写“{labels[name]}”（实施方案和保障措施，第六条）。"
    if not application.consultation_record.strip():
        errors["consultation_record"] = "请记录与审核委员会办公室和乡镇（街道）的事前沟通情况（第六条）。"
    if application.urgency == Urgency.URGENT and not application.urgency_reason.strip():
        errors["urgency_reason"] = "特殊紧急事项须写明紧急事由。"
    if (
        not application.funds_amount
        or application.funds_amount <= Decimal(0)
        or not application.funds_source.strip()
    ):
        kind = "协助" if application.work_type == WorkType.ASSIST else "承办"
        errors["funds_amount"] = f"费随事转：需村（社区）{kind}的工作须落实经费，请填写经费金额和来源。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_submit(*, actor, application: Application, expected_version: int | None) -> Application:
    """Submit (or resubmit after revision): completeness, 费随事转, then the pre-check against the lists."""
    application = lock(application, expected_version)
    require_applicant(actor, application)
    require_step(application, "submit")
    if application.kind == Kind.EXIT:
        raise ValidationError("完结或退出由原申请部门直接报备，无需提交审核。")
    _check_complete(application)
    application.precheck = run_precheck(application, timezone.localdate())
    if not application.number:
        year = timezone.localdate().year
        serial = next_number(f"application:{application.county.code}:{year}")
        application.number = f"准入申〔{year}〕{serial}号"
    application.submitted_at = timezone.now()
    moved = move(application, "submit", actor=actor, action="admission.submit")
    consults_open(moved, timezone.localdate())  # the townships concerned are asked for their own stance
    if application.precheck.get("needs_review"):
        from jianfu.catalog.corrections import review_request

        review_request(actor=actor, source=CorrectionSource.PRECHECK, source_id=application.pk)
    return moved


@transaction.atomic
def application_withdraw(
    *, actor, application: Application, reason: str, expected_version: int | None = None
) -> Application:
    application = lock(application, expected_version)
    require_applicant(actor, application)
    require_step(application, "withdraw")
    if not reason.strip():
        raise ValidationError({"reason": "请说明撤回原因。"})
    return move(application, "withdraw", actor=actor, note=reason, action="admission.withdraw")


def is_simple_eligible(application: Application) -> bool:
    """Art. 7: the simple procedure is for items the townships and communities raised no objection to: every
    township concerned answered 无异议 itself (services.consults), never a stance the applicant declares."""
    return all_no_objection(application)
