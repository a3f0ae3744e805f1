"""The review of an application: the office's initial review, coordination, the member-unit meeting and
the committee's decision (seed 003 arts. 7–8; seed 004's urgent path; seed 002's 审核 then approval)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.orgs import access
from jianfu.orgs.models import Department, Level, Region
from jianfu.orgs.roles import Capability

from .. import levels
from ..models import (
    Application,
    Opinion,
    OpinionStage,
    OverlapAction,
    OverlapResolution,
    Procedure,
    ReviewMeeting,
    Stance,
    Urgency,
)
from .applications import is_simple_eligible, lock, move, require_not_applicant, require_step
from .filing import issue_notice

REVIEW_OUTCOMES = {"simple", "ordinary", "urgent", "return"}
DECISIONS = {"approve", "reject", "return"}


def _require_office(actor, application: Application) -> None:
    """The office of the body that reviews the item's level (the county's committee office, the prefecture's
    joint-meeting office, the township's), on that very region: an office above it does not review it."""
    access.require_at(
        actor,
        Capability.ADMISSION_REVIEW,
        application.county,
        message=f"只有{levels.body_name(application.county)}的办公室可以办理此环节。",
    )
    require_not_applicant(actor, application)


def _is_chair(actor, application: Application) -> bool:
    return actor is not None and access.acts_at(actor, Capability.ADMISSION_DECIDE, application.county)


def _opinion(application, actor, stage, stance, text, **unit) -> Opinion:
    if stance not in Stance.values:
        raise ValidationError({"stance": "请选择意见：同意、原则同意或不同意。"})
    unit_name = unit.pop("unit_name", "") or (actor.department.name if actor and actor.department else "")
    try:
        with transaction.atomic():
            return Opinion.objects.create(
                application=application,
                stage=stage,
                stance=stance,
                text=text,
                author=actor,
                unit_name=unit_name,
                **unit,
            )
    except IntegrityError:
        raise ValidationError(f"{unit_name}已就本次会议出具意见，不能重复出具。") from None


@transaction.atomic
def application_initial_review(
    *, actor, application: Application, expected_version: int | None, outcome: str, opinion: str
) -> Application:
    """初审把关: put the item to the simple, ordinary or urgent procedure, or return it for revision."""
    application = lock(application, expected_version)
    _require_office(actor, application)
    require_step(application, "review")
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": "请选择初审结论。"})
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写初审意见。"})
    if outcome == "simple" and not is_simple_eligible(application):
        raise ValidationError(
            {
                "outcome": "乡镇（街道）、村（社区）有异议或尚未征询，不能适用简易程序（第七条），请走普通程序。"
            }
        )
    if outcome == "urgent" and application.urgency != Urgency.URGENT:
        raise ValidationError({"outcome": "只有申请为特殊紧急事项的，才能报县委副书记批准。"})
    if outcome == "urgent" and application.county.level != Level.COUNTY:
        raise ValidationError(
            {"outcome": "特殊紧急事项报县（市）党委副书记批准，只适用于县级部门的申请；请走简易或普通程序。"}
        )
    _opinion(
        application,
        actor,
        OpinionStage.INITIAL,
        Stance.AGREE if outcome != "return" else Stance.DISAGREE,
        opinion,
        department=actor.department if actor else None,
    )
    if outcome == "return":
        return move(application, "return", actor=actor, note=opinion, action="admission.return")
    application.procedure = {
        "simple": Procedure.SIMPLE,
        "ordinary": Procedure.ORDINARY,
        "urgent": Procedure.URGENT,
    }[outcome]
    step = "review_ordinary" if outcome == "ordinary" else "review_fast"
    return move(application, step, actor=actor, note=opinion, action=f"admission.review_{outcome}")


@transaction.atomic
def application_coordinate(
    *, actor, application: Application, expected_version: int | None, note: str
) -> Application:
    """沟通协调 (art. 8 (2)): the office records how it coordinated the objections and asks for the meeting."""
    application = lock(application, expected_version)
    _require_office(actor, application)
    require_step(application, "coordinate")
    if not note.strip():
        raise ValidationError({"note": "请记录沟通协调情况和存在的异议。"})
    _opinion(
        application,
        actor,
        OpinionStage.COORDINATION,
        Stance.AGREE,
        note,
        department=actor.department if actor else None,
    )
    return move(application, "coordinate", actor=actor, note=note, action="admission.coordinate")


@transaction.atomic
def meeting_record(
    *,
    actor,
    application: Application,
    held_on: date,
    place: str,
    convener: str,
    applicant_report: str,
    minutes: str = "",
) -> ReviewMeeting:
    """Record the member-unit meeting; the chair, or the office by authorisation, convenes it."""
    application = lock(application)
    if actor is not None and not _is_chair(actor, application):
        _require_office(actor, application)
    require_not_applicant(actor, application)
    require_step(application, "meet")
    errors = {}
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = "请填写已召开会议的日期（不能晚于今天）。"
    if not convener.strip():
        errors["convener"] = "请填写会议召集人。"
    if not applicant_report.strip():
        errors["applicant_report"] = "请记录申请主体的专题汇报（第八条）。"
    if errors:
        raise ValidationError(errors)
    meeting = ReviewMeeting.objects.create(
        application=application,
        held_on=held_on,
        place=place,
        convener=convener,
        applicant_report=applicant_report,
        minutes=minutes,
        recorded_by=actor,
    )
    application.version += 1
    application.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        action="admission.meeting",
        obj=application,
        after={"meeting": meeting.pk, "held_on": str(held_on)},
        region_code=application.county.code,
    )
    return meeting


@transaction.atomic
def meeting_opinion_add(
    *,
    actor,
    meeting: ReviewMeeting,
    stance: str,
    text: str,
    department: Department | None = None,
    region: Region | None = None,
    confirmed_by: str = "",
) -> Opinion:
    """A member unit, township or community records its opinion at the meeting. A member gives its own
    unit's opinion; the office minutes anyone's, marked 代录 with the unit's person who confirmed it. The
    applicant's own department never does."""
    application = lock(meeting.application)
    require_step(application, "meet")
    if department is None and region is None:
        raise ValidationError({"department": "请选择出具意见的成员单位或乡镇（街道）、社区。"})
    if department is not None and department.pk == application.applicant_id:
        raise PermissionDenied("申请单位不能就本单位的申请出具审核意见。")
    require_not_applicant(actor, application)
    _require_may_opine(actor, application, department, region)
    proxy = actor is not None and not _speaks_for(actor, department, region)
    confirmed_by = (confirmed_by or "").strip()
    if proxy and not confirmed_by:
        raise ValidationError(
            {"confirmed_by": "办公室代录成员单位的会议意见，须填写该单位确认此意见的人员（姓名、职务）。"}
        )
    if len(confirmed_by) > 50:
        raise ValidationError({"confirmed_by": "单位确认人不能超过 50 个字。"})
    unit = {"department": department} if department else {"region": region}
    unit |= {"proxy_entered": proxy, "confirmed_by": confirmed_by if proxy else ""}
    opinion = _opinion(
        application,
        actor,
        OpinionStage.MEETING,
        stance,
        text,
        meeting=meeting,
        unit_name=(department or region).name,
        **unit,
    )
    application.version += 1
    application.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        action="admission.opinion",
        obj=application,
        after={
            "unit": opinion.unit_name,
            "stance": stance,
            "text": text,
            "proxy_entered": opinion.proxy_entered,
            "confirmed_by": opinion.confirmed_by,
        },
        region_code=application.county.code,
    )
    return opinion


def _speaks_for(actor, department, region) -> bool:
    """Whether the actor gives this unit's opinion as its own staff (a member unit's clerk, the township; at a
    prefecture's joint meeting, a county's own committee office for its county)."""
    if department is not None:
        return access.acts_for(actor, Capability.ADMISSION_OPINE, department)
    if region.level == Level.COUNTY:
        return access.acts_at(actor, Capability.ADMISSION_REVIEW, region)
    return access.may(actor, Capability.ADMISSION_OPINE, region)


def _require_may_opine(actor, application, department, region) -> None:
    if region is not None and application.county.level == Level.PREFECTURE and region.level == Level.COUNTY:
        if region not in levels.joint_counties(application):
            raise ValidationError(
                {"region": f"该事项的实施范围不涉及{region.name}，不能作为联席会议成员出具意见。"}
            )
        if _speaks_for(actor, None, region):
            return
    if actor is None or access.acts_at(actor, Capability.ADMISSION_REVIEW, application.county):
        return  # the office takes the minutes
    if department is not None and access.acts_for(actor, Capability.ADMISSION_OPINE, department):
        return
    if region is not None and actor.can(Capability.ADMISSION_OPINE, region):
        return
    raise PermissionDenied("您只能出具本单位的审核意见。")


@transaction.atomic
def meeting_conclude(*, actor, application: Application, expected_version: int | None) -> Application:
    """After the meeting, the office submits the item with the opinions to the committee."""
    application = lock(application, expected_version)
    _require_office(actor, application)
    require_step(application, "conclude")
    meeting = application.meetings.last()
    if meeting is None:
        raise ValidationError("请先记录成员单位会议。")
    if not meeting.opinions.exists():
        raise ValidationError("会议尚未记录任何成员单位或乡镇（街道）、社区的意见。")
    heard = set(meeting.opinions.values_list("region_id", flat=True))
    missing = [c.name for c in levels.joint_counties(application) if c.pk not in heard]
    if missing:
        raise ValidationError(f"州县联席会议须有所涉各县（市、区）的意见，尚缺：{'、'.join(missing)}。")
    return move(
        application,
        "conclude",
        actor=actor,
        action="admission.meeting_concluded",
        note=f"成员单位会议（{meeting.held_on}）审议完毕，提请核准。",
    )


def _save_overlaps(application: Application, overlaps) -> None:
    for n, row in enumerate(overlaps or [], start=1):
        existing, action = (row.get("existing") or "").strip(), row.get("action")
        if not existing:
            continue
        if action not in OverlapAction.values:
            raise ValidationError(
                {"overlaps": f"第 {n} 项重叠工作请选择处理方式（保留、停止、修订、合并）。"}
            )
        OverlapResolution.objects.create(
            application=application,
            existing=existing[:300],
            action=action,
            note=(row.get("note") or "")[:300],
        )
    wanted = application.precheck.get("near_duplicates") if application.precheck else None
    if wanted and not application.overlaps.exists():
        raise ValidationError(
            {"overlaps": "预检发现与已准入事项相近，请写明对重叠工作的处理（保留、停止、修订、合并）。"}
        )


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    expected_version: int | None,
    outcome: str,
    reason: str = "",
    decision_body: str = "",
    overlaps=None,
) -> Application:
    """核准: the committee (or, for a special urgent item, the county deputy party secretary) approves, rejects
    with reasons, or returns for revision. Approval admits the item and issues the work notice."""
    application = lock(application, expected_version)
    access.require_at(
        actor,
        Capability.ADMISSION_DECIDE,
        application.county,
        message=f"只有{levels.body_name(application.county)}的主任（召集人）可以核准。",
    )
    require_not_applicant(actor, application)
    require_step(application, "approve")
    if outcome not in DECISIONS:
        raise ValidationError({"outcome": "请选择核准结论：准入、不予准入或退回修改。"})
    if outcome != "approve" and not reason.strip():
        raise ValidationError({"reason": "不予准入或退回修改须写明理由。"})
    if outcome == "return":
        return move(application, "return", actor=actor, note=reason, action="admission.return")
    application.decided_at, application.decided_by = timezone.now(), actor
    application.decision_reason = reason
    application.decision_body = decision_body.strip() or _default_body(application)
    if outcome == "reject":
        return move(application, "reject", actor=actor, note=reason, action="admission.reject")
    _save_overlaps(application, overlaps)
    application = move(application, "approve", actor=actor, note=reason, action="admission.approve")
    issue_notice(actor=actor, application=application)
    return application


def _default_body(application: Application) -> str:
    if application.procedure == Procedure.URGENT:
        return f"{application.county.name}委副书记"
    return levels.body_name(application.county)
