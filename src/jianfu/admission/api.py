"""Admission (准入) over JSON: the same selectors and services as the pages.

Every object is loaded through ``jianfu.admission.selectors`` first, so anything outside the caller's scope is a
404; the services then refuse a role that may not act (403), a stale ``version`` (409) or bad input (400).
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, ModelSchema, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.admission import models, selectors, services
from jianfu.admission.services import filing, review
from jianfu.core.api_types import Page
from jianfu.core.text import text_input
from jianfu.orgs.models import Department, Level, Region

router = Router(tags=["准入"])
EDITABLE = sorted(services.EDITABLE_FIELDS)


# Output -------------------------------------------------------------------------------------------------


class ApplicationOut(ModelSchema):
    kind_label: str = Field(..., alias="get_kind_display")
    status_label: str = Field(..., alias="get_status_display")
    applicant_id: int
    applicant_name: str = Field(..., alias="applicant.name")
    county_code: str = Field(..., alias="county.code", description="审核机构所在区划（市州、县或乡镇）")
    review_body: str = Field(..., description="审核机构：县审核委员会、州县联席会议或乡镇准入审核")
    township_stance: str = Field(
        ..., description="所涉乡镇（街道）自行答复的汇总：no_objection / objection / not_consulted"
    )
    overdue: bool = Field(..., alias="is_overdue")

    class Meta:
        model = models.Application
        fields = [
            "id",
            "number",
            "kind",
            "origin",
            "status",
            "procedure",
            "title",
            "urgency",
            "step_due_on",
            "step_due_estimated",
            "submitted_at",
            "decided_at",
            "version",
        ]


class OpinionOut(ModelSchema):
    meeting_id: int | None
    stance_label: str = Field(..., alias="get_stance_display")
    author_name: str = Field(..., alias="author.full_name")

    class Meta:
        model = models.Opinion
        fields = ["id", "stage", "unit_name", "stance", "text", "proxy_entered", "confirmed_by", "created_at"]


class MeetingOut(ModelSchema):
    application_id: int
    recorded_by_name: str = Field(..., alias="recorded_by.full_name")

    class Meta:
        model = models.ReviewMeeting
        fields = ["id", "held_on", "place", "convener", "applicant_report", "minutes"]


class TransitionOut(ModelSchema):
    class Meta:
        model = models.Transition
        fields = ["from_status", "to_status", "actor_name", "note", "at"]


class OverlapOut(ModelSchema):
    class Meta:
        model = models.OverlapResolution
        fields = ["existing", "action", "note"]


class _ApplicationFields(ModelSchema):
    class Meta:
        model = models.Application
        fields = [*EDITABLE, "precheck", "decision_body", "decision_reason"]


class ApplicationDetailOut(ApplicationOut, _ApplicationFields):
    related_item_id: int | None
    scope_regions: list[str]
    decided_by_name: str = ""
    notice_number: str = ""
    admitted_item_id: int | None = None
    admitted_item_code: str = ""
    opinions: list[OpinionOut]
    meetings: list[MeetingOut]
    transitions: list[TransitionOut]
    overlaps: list[OverlapOut]

    @staticmethod
    def resolve_scope_regions(obj):
        return [r.code for r in obj.scope_regions.all()]

    @staticmethod
    def resolve_decided_by_name(obj):
        return obj.decided_by.full_name if obj.decided_by_id else ""

    @staticmethod
    def resolve_notice_number(obj):
        return getattr(getattr(obj, "notice", None), "number", "")

    @staticmethod
    def resolve_admitted_item_id(obj):
        return getattr(getattr(obj, "admitted_item", None), "pk", None)

    @staticmethod
    def resolve_admitted_item_code(obj):
        return getattr(getattr(obj, "admitted_item", None), "code", "")

    @staticmethod
    def resolve_opinions(obj):
        return obj.opinions.select_related("author")

    @staticmethod
    def resolve_meetings(obj):
        return obj.meetings.select_related("recorded_by")


class ItemOut(ModelSchema):
    application_id: int
    status_label: str = Field(..., alias="get_status_display")
    department_id: int
    department_name: str = Field(..., alias="department.name")
    county_code: str = Field(..., alias="county.code")
    scope_regions: list[str]
    notice_number: str = ""

    class Meta:
        model = models.AdmittedItem
        fields = [
            "id",
            "code",
            "title",
            "content",
            "work_type",
            "status",
            "scope_all",
            "effective_from",
            "effective_to",
            "end_reason",
            "version",
        ]

    @staticmethod
    def resolve_scope_regions(obj):
        return [r.code for r in obj.scope_regions.all()]

    @staticmethod
    def resolve_notice_number(obj):
        return getattr(getattr(obj, "notice", None), "number", "")


class ItemEndOut(Schema):
    item: ItemOut
    filing: ApplicationOut


class RecipientOut(Schema):
    id: int
    notice_id: int
    notice_number: str = Field(..., alias="notice.number")
    item_code: str = Field(..., alias="notice.item.code")
    item_title: str = Field(..., alias="notice.item.title")
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    issued_at: datetime = Field(..., alias="notice.issued_at")
    filed_on: date = Field(..., alias="notice.filed_on")
    acknowledged_at: datetime | None
    acknowledged_by_name: str = ""
    version: int

    @staticmethod
    def resolve_acknowledged_by_name(obj):
        return obj.acknowledged_by.full_name if obj.acknowledged_by_id else ""


class ConsultOut(ModelSchema):
    application_id: int
    application_title: str = Field(..., alias="application.title")
    applicant_name: str = Field(..., alias="application.applicant.name")
    township_code: str = Field(..., alias="township.code")
    township_name: str = Field(..., alias="township.name")
    status_label: str = Field(..., alias="get_status_display")
    late: bool
    answered_by_name: str = ""

    class Meta:
        model = models.TownshipConsult
        fields = ["id", "status", "note", "asked_on", "due_on", "answered_at", "version"]

    @staticmethod
    def resolve_answered_by_name(obj):
        return obj.answered_by.full_name if obj.answered_by_id else ""


class MatchOut(Schema):
    list: str
    list_id: int | str  # admitted items are matched as "admitted-<pk>"
    kind: str
    code: str
    text: str
    matched_text: str
    legal_basis: str
    score: float


class CheckOut(Schema):
    text: str
    region: str
    region_code: str
    verdict: str
    label: str
    confidence: float
    needs_review: bool  # the classifier is not sure: ask the office (POST /api/v1/corrections/ask)
    by_person: bool  # the county's office decided this wording
    explanation: str
    must_do: bool
    matches: list[MatchOut]


class DeclineOut(ModelSchema):
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    department_id: int | None
    verdict: str = Field(..., alias="verdict.verdict")
    explanation: str = Field(..., alias="verdict.explanation")
    declined_by_name: str = Field(..., alias="declined_by.full_name")

    class Meta:
        model = models.Decline
        fields = ["id", "number", "department_name", "work_text", "received_on", "created_at"]


# Input --------------------------------------------------------------------------------------------------


class ApplicationIn(ModelSchema):
    kind: str = "new"
    origin: str = "applied"
    applicant_id: int | None = Field(
        None, description="仅补办确认（origin=retroactive）时由审核委员会办公室指定"
    )
    related_item_id: int | None = Field(None, description="变更时必填：原已准入事项")
    scope_regions: list[str] = Field([], description="实施范围的区划代码（scope_all 为 false 时）")

    class Meta:
        model = models.Application
        fields = EDITABLE


class ApplicationPatch(ModelSchema):
    version: int
    scope_regions: list[str] | None = None

    class Meta:
        model = models.Application
        fields = EDITABLE
        fields_optional = "__all__"


class VersionIn(Schema):
    version: int


class WithdrawIn(Schema):
    reason: text_input("admission.Transition", "note")


class ReviewIn(VersionIn):
    outcome: str = Field(..., description="simple / ordinary / urgent / return")
    opinion: text_input("admission.Opinion", "text")


class CoordinateIn(VersionIn):
    note: text_input("admission.Transition", "note")


class MeetingIn(Schema):
    held_on: date
    place: str = ""
    convener: str
    applicant_report: text_input("admission.ReviewMeeting", "applicant_report")
    minutes: text_input("admission.ReviewMeeting", "minutes") = ""


class OpinionIn(Schema):
    stance: str = Field(..., description="agree / changes / disagree")
    text: text_input("admission.Opinion", "text") = ""
    department_id: int | None = None
    region_code: str = ""
    confirmed_by: str = Field("", max_length=50, description="办公室代录时，该单位确认此意见的人员")


class ConsultIn(VersionIn):
    stance: str = Field(..., description="no_objection / objection")
    note: text_input("admission.TownshipConsult", "note") = ""


class OverlapIn(Schema):
    existing: str
    action: str = Field(..., description="keep / stop / revise / merge")
    note: str = ""


class DecideIn(VersionIn):
    outcome: str = Field(..., description="approve / reject / return")
    reason: text_input("admission.Application", "decision_reason") = ""
    decision_body: str = ""
    overlaps: list[OverlapIn] = []


class ItemEndIn(VersionIn):
    end_on: date
    reason: text_input("admission.AdmittedItem", "end_reason")


class CheckIn(Schema):
    text: str
    region_code: str = Field("", description="省略时为本人所属的村（社区）")
    on: date | None = None


class DeclineIn(Schema):
    text: text_input("admission.Decline", "work_text")
    received_on: date
    region_code: str = Field("", description="省略时为本人所属的村（社区）")
    department_id: int | None = None
    department_name: str = ""


# Loading (scope first: out of scope is a 404) -----------------------------------------------------------


def _visible_region(user, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(user), code=code)


def _village(user, code: str) -> Region:
    """The region named (if the caller may see it), else the caller's own village or community."""
    if code:
        return _visible_region(user, code)
    if user.home_region.level != Level.VILLAGE:
        raise ValidationError({"region_code": "请填写村（社区）的区划代码。"})
    return user.home_region


def _scope_regions(codes: list[str] | None) -> list[Region] | None:
    """Scope regions by code; the service decides whether they lie in the application's county."""
    if codes is None:
        return None
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"scope_regions": f"区划代码不存在：{'、'.join(unknown)}。"})
    return [found[c] for c in codes]


def _applicant(user, origin: str, applicant_id: int | None) -> Department:
    """A department applies in its own name; the office names the department for a retroactive one."""
    if origin == "retroactive":
        if applicant_id is None:
            raise ValidationError({"applicant_id": "补办确认须指定申请主体（部门）。"})
        return get_object_or_404(
            Department.objects.visible_to(user).select_related("region"), pk=applicant_id
        )
    if user.department_id is None:
        raise PermissionDenied("您的账号未关联部门，只能以本部门名义提出申请。")
    return Department.objects.select_related("region").get(pk=user.department_id)


def _meeting(user, pk: int) -> models.ReviewMeeting:
    visible = selectors.applications(user).values("pk")
    return get_object_or_404(models.ReviewMeeting.objects.filter(application__in=visible), pk=pk)


def _opinion_unit(user, payload: OpinionIn) -> dict[str, Any]:
    if payload.department_id is not None:
        return {
            "department": get_object_or_404(Department.objects.visible_to(user), pk=payload.department_id)
        }
    return {"region": _visible_region(user, payload.region_code)} if payload.region_code else {}


def _assigning_department(region: Region, pk: int | None) -> Department | None:
    """The department that handed the work down: one of the region's own or its ancestors'."""
    if pk is None:
        return None
    return get_object_or_404(
        Department.objects.filter(Q(region__in=region.ancestors()) | Q(region=region)), pk=pk
    )


def _detail(request, pk: int) -> models.Application:
    return selectors.application_detail(request.user, pk)


# Applications -------------------------------------------------------------------------------------------


@router.get(
    "/applications",
    response=list[ApplicationOut],
    url_name="admission_application_list",
    summary="准入申请列表（仅管辖范围内）",
)
@paginate(Page)
def application_list(request, status: str = "", kind: str = "", q: str = "", overdue: bool = False):
    return selectors.applications(request.user, status=status, kind=kind, q=q, overdue=overdue)


@router.get(
    "/applications/{int:pk}",
    response=ApplicationDetailOut,
    url_name="admission_application_detail",
    summary="准入申请详情：预检、意见、会议、流转记录、告知单",
)
def application_detail(request, pk: int):
    return _detail(request, pk)


@router.post(
    "/applications",
    response={201: ApplicationDetailOut},
    url_name="admission_application_create",
    summary="新建准入或变更申请（草稿）；补办确认由审核委员会办公室登记",
)
def application_create(request, payload: ApplicationIn):
    fields = payload.dict(exclude_unset=True)
    for key in ("kind", "origin", "applicant_id", "related_item_id", "scope_regions"):
        fields.pop(key, None)
    applicant = _applicant(request.user, payload.origin, payload.applicant_id)
    related = (
        selectors.item_detail(request.user, payload.related_item_id) if payload.related_item_id else None
    )
    application = services.application_create(
        actor=request.user,
        applicant=applicant,
        kind=payload.kind,
        origin=payload.origin,
        related_item=related,
        scope_regions=_scope_regions(payload.scope_regions),
        **fields,
    )
    return Status(201, application)


@router.patch(
    "/applications/{int:pk}",
    response=ApplicationDetailOut,
    url_name="admission_application_update",
    summary="修改草稿或退回的申请（需提供版本号）",
)
def application_update(request, pk: int, payload: ApplicationPatch):
    fields = payload.dict(exclude_unset=True)
    version, codes = fields.pop("version"), fields.pop("scope_regions", None)
    return services.application_update(
        actor=request.user,
        application=_detail(request, pk),
        expected_version=version,
        scope_regions=_scope_regions(codes),
        **fields,
    )


@router.post(
    "/applications/{int:pk}/submit",
    response=ApplicationDetailOut,
    url_name="admission_application_submit",
    summary="提交申请（完整性、费随事转和清单预检）",
)
def application_submit(request, pk: int, payload: VersionIn):
    return services.application_submit(
        actor=request.user, application=_detail(request, pk), expected_version=payload.version
    )


@router.post(
    "/applications/{int:pk}/withdraw",
    response=ApplicationDetailOut,
    url_name="admission_application_withdraw",
    summary="撤回申请",
)
def application_withdraw(request, pk: int, payload: WithdrawIn):
    return services.application_withdraw(
        actor=request.user, application=_detail(request, pk), reason=payload.reason
    )


@router.post(
    "/applications/{int:pk}/review",
    response=ApplicationDetailOut,
    url_name="admission_application_review",
    summary="初审：简易、普通、紧急程序或退回修改",
)
def application_review(request, pk: int, payload: ReviewIn):
    return review.application_initial_review(
        actor=request.user,
        application=_detail(request, pk),
        expected_version=payload.version,
        outcome=payload.outcome,
        opinion=payload.opinion,
    )


@router.post(
    "/applications/{int:pk}/coordinate",
    response=ApplicationDetailOut,
    url_name="admission_application_coordinate",
    summary="记录沟通协调情况，提请成员单位会议",
)
def application_coordinate(request, pk: int, payload: CoordinateIn):
    return review.application_coordinate(
        actor=request.user,
        application=_detail(request, pk),
        expected_version=payload.version,
        note=payload.note,
    )


@router.post(
    "/applications/{int:pk}/meetings",
    response={201: MeetingOut},
    url_name="admission_meeting_create",
    summary="记录成员单位会议",
)
def meeting_create(request, pk: int, payload: MeetingIn):
    return Status(
        201, review.meeting_record(actor=request.user, application=_detail(request, pk), **payload.dict())
    )


@router.post(
    "/meetings/{int:pk}/opinions",
    response={201: OpinionOut},
    url_name="admission_opinion_create",
    summary="成员单位或乡镇（街道）、社区在会上出具意见",
)
def opinion_create(request, pk: int, payload: OpinionIn):
    meeting = _meeting(request.user, pk)
    opinion = review.meeting_opinion_add(
        actor=request.user,
        meeting=meeting,
        stance=payload.stance,
        text=payload.text,
        confirmed_by=payload.confirmed_by,
        **_opinion_unit(request.user, payload),
    )
    return Status(201, opinion)


@router.post(
    "/applications/{int:pk}/conclude",
    response=ApplicationDetailOut,
    url_name="admission_application_conclude",
    summary="会议审议完毕，提请审核委员会核准",
)
def application_conclude(request, pk: int, payload: VersionIn):
    return review.meeting_conclude(
        actor=request.user, application=_detail(request, pk), expected_version=payload.version
    )


@router.post(
    "/applications/{int:pk}/decide",
    response=ApplicationDetailOut,
    url_name="admission_application_decide",
    summary="核准：准入、不予准入或退回修改",
)
def application_decide(request, pk: int, payload: DecideIn):
    return review.application_decide(
        actor=request.user,
        application=_detail(request, pk),
        expected_version=payload.version,
        outcome=payload.outcome,
        reason=payload.reason,
        decision_body=payload.decision_body,
        overlaps=[o.dict() for o in payload.overlaps],
    )


# Admitted items, notices ---------------------------------------------------------------------------------


@router.get("/items", response=list[ItemOut], url_name="admission_item_list", summary="已准入事项")
@paginate(Page)
def item_list(request, include_ended: bool = False):
    return selectors.items_for(request.user, include_ended=include_ended).prefetch_related("scope_regions")


@router.get("/items/{int:pk}", response=ItemOut, url_name="admission_item_detail", summary="已准入事项详情")
def item_detail(request, pk: int):
    return selectors.item_detail(request.user, pk)


@router.post(
    "/items/{int:pk}/end",
    response=ItemEndOut,
    url_name="admission_item_end",
    summary="原申请部门报备完结或提前退出（第十条）",
)
def item_end(request, pk: int, payload: ItemEndIn):
    item = selectors.item_detail(request.user, pk)
    record = filing.item_end(
        actor=request.user,
        item=item,
        end_on=payload.end_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return {"item": selectors.item_detail(request.user, pk), "filing": record}


@router.get(
    "/notices",
    response=list[RecipientOut],
    url_name="admission_notice_list",
    summary="本乡镇（街道）、村（社区）收到的工作告知单",
)
@paginate(Page)
def notice_list(request):
    return selectors.notices_for(request.user).select_related("acknowledged_by")


@router.post(
    "/notices/{int:recipient_pk}/acknowledge",
    response=RecipientOut,
    url_name="admission_notice_acknowledge",
    summary="签收工作告知单",
)
def notice_acknowledge(request, recipient_pk: int):
    recipient = selectors.recipient_detail(request.user, recipient_pk)
    filing.notice_acknowledge(actor=request.user, recipient=recipient)
    return selectors.notices_for(request.user).select_related("acknowledged_by").get(pk=recipient.pk)


# The townships' own stance (第七条) ----------------------------------------------------------------------


@router.get(
    "/consults",
    response=list[ConsultOut],
    url_name="admission_consult_list",
    summary="向本乡镇（街道）征询的准入意见（待答复在前）",
)
@paginate(Page)
def consult_list(request, pending: bool = False):
    rows = selectors.consults_for(request.user)
    return rows.filter(status=models.ConsultStatus.PENDING) if pending else rows


@router.post(
    "/consults/{int:pk}/answer",
    response=ConsultOut,
    url_name="admission_consult_answer",
    summary="乡镇（街道）答复准入意见征询：无异议或有异议（有异议须写明理由）",
)
def consult_answer(request, pk: int, payload: ConsultIn):
    consult = selectors.consult_detail(request.user, pk)
    services.township_stance_give(
        actor=request.user,
        consult=consult,
        stance=payload.stance,
        note=payload.note,
        expected_version=payload.version,
    )
    return selectors.consults_for(request.user).get(pk=pk)


# The village's check and decline ------------------------------------------------------------------------


@router.post(
    "/check",
    response=CheckOut,
    url_name="admission_check",
    summary="核验交办的工作：是否在清单内或已准入（只读）",
)
def check(request, payload: CheckIn):
    if not payload.text.strip():
        raise ValidationError({"text": "请填写要核验的工作内容。"})
    region = _village(request.user, payload.region_code)
    return {
        "text": payload.text,
        "region_code": region.code,
        **filing.check_work(payload.text, region, payload.on),
    }


@router.get(
    "/declines",
    response=list[DeclineOut],
    url_name="admission_decline_list",
    summary="拒绝执行未经准入工作的记录",
)
@paginate(Page)
def decline_list(request):
    return selectors.declines_for(request.user)


@router.post(
    "/declines",
    response={201: DeclineOut},
    url_name="admission_decline_create",
    summary="以村（社区）名义拒绝执行未经准入的工作",
)
def decline_create(request, payload: DeclineIn):
    region = _village(request.user, payload.region_code)
    decline = filing.work_decline(
        actor=request.user,
        region=region,
        text=payload.text,
        received_on=payload.received_on,
        department=_assigning_department(region, payload.department_id),
        department_name=payload.department_name,
    )
    return Status(201, decline)


# 费随事转 keeps its routes beside its module; mounted here so the admission router stays the app's one router.
from jianfu.admission.funding.api import router as funding_router  # noqa: E402

router.add_router("/funding", funding_router)
