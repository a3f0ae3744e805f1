"""Writes for campaigns, tasks, progress reports and joint meetings: one function per business action."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core import uploads
from jianfu.core.exceptions import check_version
from jianfu.orgs import access
from jianfu.orgs.roles import Capability

from ..models import (
    TASK_FLOW,
    Campaign,
    CampaignPhase,
    JointMeeting,
    MeetingDecision,
    Phase,
    ProgressReport,
    ReportAttachment,
    ReportKind,
    Task,
    TaskStatus,
)
from ..permissions import require_lead, require_manage


def lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _apply(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


# Campaigns and phases --------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor,
    region,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    cadence: str = "weekly",
    document_number: str = "",
) -> Campaign:
    """Start a campaign (专项行动) of a region."""
    require_manage(actor, region)
    campaign = Campaign(
        region=region,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        cadence=cadence,
        document_number=document_number.strip(),
        created_by=actor,
    )
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=actor, action="campaign.create", obj=campaign, after=snapshot(campaign), region_code=region.code
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, version: int | None, **fields) -> Campaign:
    campaign = lock(campaign)
    require_manage(actor, campaign.region)
    check_version(campaign, version, "专项行动")
    before = snapshot(campaign)
    _apply(campaign, fields)
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    campaign.version += 1
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=actor,
        action="campaign.update",
        obj=campaign,
        before=before,
        after=snapshot(campaign),
        region_code=campaign.region.code,
    )
    return campaign


@transaction.atomic
def phase_set(
    *, actor, campaign: Campaign, phase: str, starts_on: date, ends_on: date | None = None, note: str = ""
) -> CampaignPhase:
    """Set the dates of one of the four phases (seed 002 三、进度安排); setting it again moves it."""
    campaign = lock(campaign)
    require_manage(actor, campaign.region)
    if phase not in Phase.values:
        raise ValidationError({"phase": "阶段只能是实施、检查评估、整改落实或持续巩固。"})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "阶段结束日期不能早于开始日期。"})
    row, created = CampaignPhase.objects.get_or_create(
        campaign=campaign, phase=phase, defaults={"starts_on": starts_on, "ends_on": ends_on, "note": note}
    )
    if not created:
        row.starts_on, row.ends_on, row.note, row.version = starts_on, ends_on, note, row.version + 1
        row.save()
    campaign.version += 1
    campaign.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.phase",
        obj=campaign,
        after=snapshot(row),
        region_code=campaign.region.code,
    )
    return row


# Tasks ------------------------------------------------------------------------------------------------------


def _check_units(campaign, lead, responsible) -> None:
    for unit in [lead, *responsible]:
        if unit is not None and not campaign.region.code.startswith(unit.region.code[:6]):
            raise ValidationError({"lead_department": f"“{unit.name}”不属于{campaign.region.name}。"})


@transaction.atomic
def task_add(
    *,
    actor,
    campaign: Campaign,
    area: str,
    measures: str,
    lead_department,
    responsible=(),
    responsible_text: str = "",
    deadline: date | None = None,
    deadline_text: str = "",
    long_term: bool = False,
    number: int | None = None,
) -> Task:
    """Add a row to the task division table."""
    campaign = lock(campaign)
    require_manage(actor, campaign.region)
    _check_units(campaign, lead_department, responsible)
    if number is None:
        number = (campaign.tasks.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    task = Task(
        campaign=campaign,
        number=number,
        area=area.strip(),
        measures=measures.strip(),
        lead_department=lead_department,
        responsible_text=responsible_text.strip(),
        deadline=None if long_term else deadline,
        long_term=long_term,
        deadline_text=deadline_text or ("长期坚持" if long_term else ""),
    )
    if not task.measures:
        raise ValidationError({"measures": "请填写推进措施。"})
    task.full_clean()
    task.save()
    task.responsible_departments.set(responsible)
    campaign.version += 1
    campaign.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.task_add",
        obj=task,
        after=snapshot(task),
        region_code=campaign.region.code,
    )
    return task


@transaction.atomic
def task_update(*, actor, task: Task, version: int | None, responsible=None, **fields) -> Task:
    task = lock(task)
    require_manage(actor, task.campaign.region)
    check_version(task, version, "任务")
    before = snapshot(task)
    _apply(task, fields)
    if task.long_term:
        task.deadline = None
    _check_units(task.campaign, task.lead_department, responsible or [])
    task.version += 1
    task.full_clean()
    task.save()
    if responsible is not None:
        task.responsible_departments.set(responsible)
    audit_record(
        actor=actor,
        action="campaign.task_update",
        obj=task,
        before=before,
        after=snapshot(task),
        region_code=task.campaign.region.code,
    )
    return task


# Progress reports -------------------------------------------------------------------------------------------


def _accept_attachments(attachments) -> list:
    """Every attachment checked by its content first: one bad file refuses the whole report."""
    return [
        uploads.accept_upload(
            upload, kinds=uploads.DOCUMENTS, max_bytes=uploads.limit("attachment"), field="attachments"
        )
        for upload in attachments
    ]


@transaction.atomic
def report_file(
    *,
    actor,
    task: Task,
    kind: str,
    period_start: date,
    summary: str,
    progress: int,
    problems: str = "",
    next_steps: str = "",
    completes: bool = False,
    attachments=(),
    today: date | None = None,
) -> ProgressReport:
    """The lead unit's weekly / half-monthly report or monthly summary on a task; a report that says
    the task is complete closes it."""
    from ..rules import period_of

    task = lock(task)
    require_lead(actor, task)
    today = today or timezone.localdate()
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "报告类型只能是周报告、半月调度报告或月小结。"})
    if task.status == TaskStatus.DONE:
        raise ValidationError({"kind": "该任务已完成，无需再报送进展。"})
    if task.status == TaskStatus.REPORTED:
        raise ValidationError({"kind": "该任务已报告完成，正待领导小组办公室确认办结，无需再报送进展。"})
    TASK_FLOW.check(task, "report_done" if completes else "report", name=f"任务“{task}”")
    if not (0 <= int(progress) <= 100):
        raise ValidationError({"progress": f"完成进度应在 0 至 100 之间，收到 {progress}。"})
    if not summary.strip():
        raise ValidationError({"summary": "请填写工作进展。"})
    first, last = period_of(kind, period_start)
    if first > today:
        raise ValidationError({"period_start": "不能报送尚未开始的报告期。"})
    if ProgressReport.objects.filter(task=task, kind=kind, period_start=first).exists():
        raise ValidationError(
            {"period_start": f"{first}—{last} 的{ReportKind(kind).label}已报送，不能重复报送。"}
        )
    accepted = _accept_attachments(attachments)
    report = ProgressReport.objects.create(
        task=task,
        department=task.lead_department,
        kind=kind,
        period_start=first,
        period_end=last,
        summary=summary.strip(),
        problems=problems.strip(),
        next_steps=next_steps.strip(),
        progress=int(progress),
        completes=completes,
        filed_by=actor,
    )
    for item in accepted:
        ReportAttachment.objects.create(
            report=report, file=item.as_file(), name=item.name[:200], size=len(item.data)
        )
    before = snapshot(task)
    task.progress = 100 if completes else max(task.progress, int(progress))
    TASK_FLOW.move(task, "report_done" if completes else "report")
    task.completed_on = today if completes else None
    task.version += 1
    task.save()
    audit_record(
        actor=actor,
        action="campaign.report",
        obj=task,
        before=before,
        after={**snapshot(task), "report": report.pk, "files": [u.name for u in attachments]},
        region_code=task.campaign.region.code,
    )
    return report


def may_close(actor, task: Task) -> bool:
    """The leading group's office closes a reported task, except one its own department leads."""
    return access.may(actor, Capability.CAMPAIGN_MANAGE, task.campaign.region) and not access.works_in(
        actor, task.lead_department
    )


def own_task_refusal(task: Task) -> str:
    return (
        f"您是牵头单位{task.lead_department.name}的工作人员，不能办结本单位牵头的任务，"
        "须由领导小组办公室其他工作人员确认。"
    )


@transaction.atomic
def task_close(*, actor, task: Task, close: bool, note: str = "", version: int | None = None) -> Task:
    """After the lead unit reports a task complete, the leading group's office confirms it (办结) or sends it
    back to be carried on, with the reason. The lead unit never closes its own task."""
    task = lock(task)
    check_version(task, version, f"任务“{task}”")
    require_manage(actor, task.campaign.region)
    access.require_that(not access.works_in(actor, task.lead_department), own_task_refusal(task))
    note = (note or "").strip()
    if not close and not note:
        raise ValidationError({"note": "退回继续推进须写明理由。"})
    if len(note) > 500:
        raise ValidationError({"note": "说明不能超过 500 个字。"})
    before = snapshot(task)
    TASK_FLOW.move(task, "close" if close else "reopen", name=f"任务“{task}”")
    if not close:
        task.completed_on = None
        task.progress = min(task.progress, 99)
    task.version += 1
    task.save()
    audit_record(
        actor=actor,
        action="campaign.task_close" if close else "campaign.task_reopen",
        obj=task,
        before=before,
        after=snapshot(task),
        message=note,
        region_code=task.campaign.region.code,
    )
    return task


# Joint meetings ---------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    actor,
    region,
    title: str,
    held_on: date,
    agenda: str,
    attendees=(),
    place: str = "",
    attendee_names: str = "",
    minutes: str = "",
    campaign: Campaign | None = None,
) -> JointMeeting:
    """Record a joint meeting (联席会议) with its agenda and attending units."""
    require_manage(actor, region)
    if not agenda.strip():
        raise ValidationError({"agenda": "请填写会议议程。"})
    if campaign is not None and campaign.region_id != region.pk:
        raise ValidationError({"campaign": "会议与专项行动须属于同一区划。"})
    meeting = JointMeeting(
        region=region,
        campaign=campaign,
        title=title.strip(),
        held_on=held_on,
        place=place,
        agenda=agenda.strip(),
        attendee_names=attendee_names,
        minutes=minutes,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    audit_record(
        actor=actor, action="campaign.meeting", obj=meeting, after=snapshot(meeting), region_code=region.code
    )
    return meeting


@transaction.atomic
def decision_add(
    *, actor, meeting: JointMeeting, content: str, lead_department, deadline: date
) -> MeetingDecision:
    meeting = lock(meeting)
    require_manage(actor, meeting.region)
    if not content.strip():
        raise ValidationError({"content": "请填写议定事项。"})
    if lead_department is not None and not meeting.region.code.startswith(lead_department.region.code[:6]):
        raise ValidationError({"lead_department": f"“{lead_department.name}”不属于{meeting.region.name}。"})
    decision = MeetingDecision(
        meeting=meeting, content=content.strip(), lead_department=lead_department, deadline=deadline
    )
    decision.full_clean()
    decision.save()
    meeting.version += 1
    meeting.save(update_fields=["version"])
    audit_record(
        actor=actor,
        action="campaign.decision",
        obj=meeting,
        after=snapshot(decision),
        region_code=meeting.region.code,
    )
    return decision


@transaction.atomic
def decision_to_task(
    *, actor, decision: MeetingDecision, campaign: Campaign, area: str = "联席会议议定事项"
) -> Task:
    """A decision becomes a row of the campaign's task table, with its lead unit and deadline."""
    decision = lock(decision)
    require_manage(actor, decision.meeting.region)
    if decision.task_id:
        raise ValidationError({"decision": f"该议定事项已转为任务第 {decision.task.number} 项。"})
    if campaign.region_id != decision.meeting.region_id:
        raise ValidationError({"campaign": "只能转入本级的专项行动。"})
    task = task_add(
        actor=actor,
        campaign=campaign,
        area=area,
        measures=decision.content,
        lead_department=decision.lead_department,
        deadline=decision.deadline,
        deadline_text=decision.deadline.isoformat(),
        responsible_text=f"{decision.meeting.title}（{decision.meeting.held_on}）议定",
    )
    decision.task = task
    decision.version += 1
    decision.save()
    audit_record(
        actor=actor,
        action="campaign.decision_task",
        obj=task,
        after={"decision": decision.pk},
        region_code=campaign.region.code,
    )
    return task
