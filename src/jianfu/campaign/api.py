"""专项行动与考评 over JSON: the same selectors and services as the pages."""

import base64
import binascii
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.campaign import selectors, selectors_eval, services
from jianfu.campaign.models import MeetingDecision
from jianfu.core import ratelimit
from jianfu.core.api_types import Page, Year
from jianfu.core.text import text_input
from jianfu.orgs.models import Department, Level, Region, subtree_q
from jianfu.orgs.roles import Capability

router = Router(tags=["专项行动与考评"])


def _department(pk: int, region) -> Department:
    return get_object_or_404(Department.objects.filter(subtree_q([region.code[:6]], "region__code")), pk=pk)


def _region(user, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(user), code=code)


# Schemas ----------------------------------------------------------------------------------------------------


class PhaseOut(Schema):
    phase: str
    phase_label: str = Field(..., alias="get_phase_display")
    starts_on: date
    ends_on: date | None


class CampaignOut(Schema):
    id: int
    title: str
    region_code: str = Field(..., alias="region.code")
    document_number: str
    starts_on: date
    ends_on: date | None
    cadence: str
    version: int


class CampaignDetailOut(CampaignOut):
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj):
        return list(obj.phases.all())


class CampaignIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    starts_on: date
    ends_on: date | None = None
    cadence: str = "weekly"
    document_number: str = ""


class PhaseIn(Schema):
    phase: str
    starts_on: date
    ends_on: date | None = None
    note: text_input("campaign.CampaignPhase", "note") = ""


class TaskOut(Schema):
    id: int
    number: int
    area: str
    measures: str
    lead_department: str = Field(..., alias="lead_department.name")
    lead_department_id: int
    responsible_text: str
    deadline: date | None
    deadline_text: str
    long_term: bool
    status: str
    progress: int
    completed_on: date | None
    version: int


class LedgerRowOut(Schema):
    task: TaskOut
    overdue: bool
    missing_reports: int


class UnitOut(Schema):
    department: str
    total: int
    done: int
    in_progress: int
    not_started: int
    overdue: int
    missing: int
    items: int = Field(0, description="本部门交给村（社区）的协助、承办和已准入事项")
    without_card: int = Field(0, description="其中尚无经审核采用的办理流程卡的事项（计入考评）")


class LedgerOut(Schema):
    today: date
    rows: list[LedgerRowOut]
    units: list[UnitOut]


class TaskIn(Schema):
    area: str = Field(..., min_length=1, max_length=100)
    measures: text_input("campaign.Task", "measures") = Field(..., min_length=1)
    lead_department_id: int
    responsible_ids: list[int] = []
    responsible_text: str = ""
    deadline: date | None = None
    long_term: bool = False


class TaskPatch(Schema):
    version: int
    area: str | None = None
    measures: text_input("campaign.Task", "measures") | None = None
    lead_department_id: int | None = None
    deadline: date | None = None
    long_term: bool | None = None
    responsible_text: str | None = None


class FileIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    content_base64: str


class ReportIn(Schema):
    kind: str
    period_start: date
    summary: text_input("campaign.ProgressReport", "summary")
    progress: int
    problems: text_input("campaign.ProgressReport", "problems") = ""
    next_steps: text_input("campaign.ProgressReport", "next_steps") = ""
    completes: bool = False
    attachments: list[FileIn] = []


class ReportOut(Schema):
    id: int
    task_id: int
    department: str = Field(..., alias="department.name")
    kind: str
    period_start: date
    period_end: date
    summary: str
    progress: int
    completes: bool
    attachments: list[str]

    @staticmethod
    def resolve_attachments(obj):
        return [a.name for a in obj.attachments.all()]


class DecisionOut(Schema):
    id: int
    content: str
    lead_department: str = Field(..., alias="lead_department.name")
    deadline: date
    task_id: int | None


class MeetingOut(Schema):
    id: int
    title: str
    held_on: date
    place: str
    agenda: str
    attendees: list[str]
    minutes: str
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_attendees(obj):
        return [d.name for d in obj.attendees.all()]

    @staticmethod
    def resolve_decisions(obj):
        return list(obj.decisions.select_related("lead_department"))


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    held_on: date
    agenda: text_input("campaign.JointMeeting", "agenda")
    place: str = ""
    attendee_ids: list[int] = []
    attendee_names: text_input("campaign.JointMeeting", "attendee_names") = ""
    minutes: text_input("campaign.JointMeeting", "minutes") = ""
    campaign_id: int | None = None


class DecisionIn(Schema):
    content: text_input("campaign.MeetingDecision", "content")
    lead_department_id: int
    deadline: date


class DecisionTaskIn(Schema):
    campaign_id: int


# Campaigns --------------------------------------------------------------------------------------------------


@router.get("/campaigns", response=list[CampaignOut], url_name="campaign_list", summary="专项行动列表")
@paginate(Page)
def campaign_list(request):
    return selectors.campaigns(request.auth)


@router.post(
    "/campaigns", response={201: CampaignDetailOut}, url_name="campaign_create", summary="发起专项行动"
)
def campaign_create(request, payload: CampaignIn):
    user = request.auth
    return Status(201, services.campaign_create(actor=user, region=user.home_region, **payload.dict()))


@router.get("/campaigns/{int:pk}", response=CampaignDetailOut, url_name="campaign_detail", summary="专项行动")
def campaign_detail(request, pk: int):
    return selectors.campaign(request.auth, pk)


@router.post("/campaigns/{int:pk}/phases", response=PhaseOut, url_name="campaign_phase", summary="设置阶段")
def campaign_phase(request, pk: int, payload: PhaseIn):
    campaign = selectors.campaign(request.auth, pk)
    return services.phase_set(actor=request.auth, campaign=campaign, **payload.dict())


@router.get("/campaigns/{int:pk}/ledger", response=LedgerOut, url_name="campaign_ledger", summary="工作台账")
def campaign_ledger(request, pk: int):
    data = selectors.ledger(selectors.campaign(request.auth, pk))
    rows = [
        {"task": r["task"], "overdue": r["overdue"], "missing_reports": len(r["missing"])}
        for r in data["rows"]
    ]
    units = [
        {
            **{
                k: getattr(u, k)
                for k in (
                    "total",
                    "done",
                    "in_progress",
                    "not_started",
                    "overdue",
                    "missing",
                    "items",
                    "without_card",
                )
            },
            "department": u.department.name,
        }
        for u in data["units"]
    ]
    return {"today": data["today"], "rows": rows, "units": units}


@router.post(
    "/campaigns/{int:pk}/tasks", response={201: TaskOut}, url_name="campaign_task_add", summary="添加任务"
)
def campaign_task_add(request, pk: int, payload: TaskIn):
    campaign = selectors.campaign(request.auth, pk)
    data = payload.dict()
    lead = _department(data.pop("lead_department_id"), campaign.region)
    responsible = [_department(i, campaign.region) for i in data.pop("responsible_ids")]
    task = services.task_add(
        actor=request.auth, campaign=campaign, lead_department=lead, responsible=responsible, **data
    )
    return Status(201, task)


@router.get("/tasks/{int:pk}", response=TaskOut, url_name="campaign_task_detail", summary="任务")
def task_detail(request, pk: int):
    return selectors.task(request.auth, pk)


@router.patch("/tasks/{int:pk}", response=TaskOut, url_name="campaign_task_update", summary="修改任务")
def task_update(request, pk: int, payload: TaskPatch):
    task = selectors.task(request.auth, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "lead_department_id" in data:
        data["lead_department"] = _department(data.pop("lead_department_id"), task.campaign.region)
    return services.task_update(actor=request.auth, task=task, version=version, **data)


def _files(items: list[FileIn]) -> list[ContentFile]:
    files = []
    for n, item in enumerate(items, start=1):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError({"attachments": f"第 {n} 个附件的内容不是有效的 Base64。"}) from exc
        files.append(ContentFile(content, name=item.name))
    return files


@router.post(
    "/tasks/{int:pk}/reports",
    response={201: ReportOut},
    url_name="campaign_report_file",
    summary="牵头单位报送进展（附件以 Base64 提交）",
)
def report_file(request, pk: int, payload: ReportIn):
    task = selectors.task(request.auth, pk)
    data = payload.dict()
    files = _files(payload.attachments)
    data.pop("attachments")
    return Status(201, services.report_file(actor=request.auth, task=task, attachments=files, **data))


class TaskCloseIn(Schema):
    close: bool = Field(..., description="true 办结；false 退回继续推进（须写明理由）")
    note: str = Field("", max_length=500)
    version: int | None = None


@router.post(
    "/tasks/{int:pk}/close",
    response=TaskOut,
    url_name="campaign_task_close",
    summary="领导小组办公室对报告完成的任务办结或退回（牵头单位不能办结本单位的任务）",
)
def task_close(request, pk: int, payload: TaskCloseIn):
    task = selectors.task(request.auth, pk)
    return services.task_close(actor=request.auth, task=task, **payload.dict())


@router.get(
    "/tasks/{int:pk}/reports", response=list[ReportOut], url_name="campaign_report_list", summary="进度报告"
)
@paginate(Page)
def report_list(request, pk: int):
    return (
        selectors.task(request.auth, pk).reports.select_related("department").prefetch_related("attachments")
    )


# Joint meetings ---------------------------------------------------------------------------------------------


@router.get("/meetings", response=list[MeetingOut], url_name="campaign_meeting_list", summary="联席会议")
@paginate(Page)
def meeting_list(request):
    return selectors.meetings(request.auth).prefetch_related("attendees")


@router.post(
    "/meetings", response={201: MeetingOut}, url_name="campaign_meeting_create", summary="登记联席会议"
)
def meeting_create(request, payload: MeetingIn):
    user = request.auth
    data = payload.dict()
    region = user.home_region
    attendees = [_department(i, region) for i in data.pop("attendee_ids")]
    campaign_id = data.pop("campaign_id")
    campaign = selectors.campaign(user, campaign_id) if campaign_id else None
    meeting = services.meeting_record(
        actor=user, region=region, attendees=attendees, campaign=campaign, **data
    )
    return Status(201, meeting)


@router.get(
    "/meetings/{int:pk}", response=MeetingOut, url_name="campaign_meeting_detail", summary="联席会议详情"
)
def meeting_detail(request, pk: int):
    return selectors.meeting(request.auth, pk)


@router.post(
    "/meetings/{int:pk}/decisions",
    response={201: DecisionOut},
    url_name="campaign_decision_add",
    summary="记录议定事项",
)
def decision_add(request, pk: int, payload: DecisionIn):
    meeting = selectors.meeting(request.auth, pk)
    lead = _department(payload.lead_department_id, meeting.region)
    decision = services.decision_add(
        actor=request.auth,
        meeting=meeting,
        content=payload.content,
        lead_department=lead,
        deadline=payload.deadline,
    )
    return Status(201, decision)


@router.post(
    "/decisions/{int:pk}/task",
    response={201: TaskOut},
    url_name="campaign_decision_task",
    summary="议定事项转为任务",
)
def decision_task(request, pk: int, payload: DecisionTaskIn):
    decision = get_object_or_404(MeetingDecision, pk=pk, meeting__in=selectors.meetings(request.auth))
    campaign = selectors.campaign(request.auth, payload.campaign_id)
    return Status(201, services.decision_to_task(actor=request.auth, decision=decision, campaign=campaign))


# Village evaluation -----------------------------------------------------------------------------------------


class IndicatorIO(Schema):
    name: str
    description: str = ""
    weight: Decimal
    is_satisfaction: bool = False
    veto: bool = False


class SchemeOut(Schema):
    id: int
    township_code: str = Field(..., alias="township.code")
    year: int
    title: str
    status: str
    version: int


class ResultOut(Schema):
    village_code: str
    village: str
    rank: int
    total: Decimal
    complete: bool
    answers: int
    scores: dict[str, Decimal | None]


class SchemeDetailOut(Schema):
    id: int
    township_code: str
    year: int
    title: str
    status: str
    version: int
    indicators: list[IndicatorIO]
    results: list[ResultOut]


class SchemeIn(Schema):
    township_code: str
    year: Year


class IndicatorsIn(Schema):
    version: int
    indicators: list[IndicatorIO]


class VersionIn(Schema):
    version: int


class ScoreIn(Schema):
    village_code: str
    indicator: str
    score: Decimal
    version: int | None = None


class CodesIn(Schema):
    village_code: str
    count: int = 0
    households: list[str] = []


class CodeOut(Schema):
    code: str
    village: str = Field(..., alias="village.name")
    household: str


class SurveyIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    answers: dict[str, str]
    comment: text_input("campaign.SurveyAnswer", "comment") = ""


class SurveyOut(Schema):
    village: str
    score: Decimal


def _scheme_out(scheme):
    indicators = list(scheme.indicators.all())
    results = [
        {
            "village_code": r["village"].code,
            "village": r["village"].name,
            "rank": r["rank"],
            "total": r["total"],
            "complete": r["complete"],
            "answers": r["answers"],
            "scores": {i.name: r["values"][i.pk] for i in indicators},
        }
        for r in selectors_eval.results(scheme)
    ]
    return {
        "id": scheme.pk,
        "township_code": scheme.township.code,
        "year": scheme.year,
        "title": scheme.title,
        "status": scheme.status,
        "version": scheme.version,
        "indicators": indicators,
        "results": results,
    }


@router.get(
    "/evaluations", response=list[SchemeOut], url_name="campaign_scheme_list", summary="村（社区）综合考评"
)
@paginate(Page)
def scheme_list(request):
    return selectors_eval.schemes(request.auth)


@router.post(
    "/evaluations", response={201: SchemeOut}, url_name="campaign_scheme_create", summary="建立年度考评"
)
def scheme_create(request, payload: SchemeIn):
    selectors_eval.require_any(request.auth, Capability.EVALUATION_MANAGE)
    township = _region(request.auth, payload.township_code)
    return Status(201, services.scheme_create(actor=request.auth, township=township, year=payload.year))


@router.get(
    "/evaluations/{int:pk}",
    response=SchemeDetailOut,
    url_name="campaign_scheme_detail",
    summary="考评指标、得分和排名",
)
def scheme_detail(request, pk: int):
    return _scheme_out(selectors_eval.scheme(request.auth, pk))


@router.put(
    "/evaluations/{int:pk}/indicators",
    response=SchemeDetailOut,
    url_name="campaign_scheme_indicators",
    summary="设置指标和权重（合计 100%，满意度权重最高，不得设一票否决）",
)
def scheme_indicators(request, pk: int, payload: IndicatorsIn):
    scheme = selectors_eval.scheme(request.auth, pk)
    rows = [i.dict() for i in payload.indicators]
    return _scheme_out(
        services.indicators_set(actor=request.auth, scheme=scheme, version=payload.version, rows=rows)
    )


@router.post(
    "/evaluations/{int:pk}/open", response=SchemeOut, url_name="campaign_scheme_open", summary="开始测评"
)
def scheme_open(request, pk: int, payload: VersionIn):
    scheme = selectors_eval.scheme(request.auth, pk)
    return services.scheme_open(actor=request.auth, scheme=scheme, version=payload.version)


@router.post(
    "/evaluations/{int:pk}/close", response=SchemeOut, url_name="campaign_scheme_close", summary="公布结果"
)
def scheme_close(request, pk: int, payload: VersionIn):
    scheme = selectors_eval.scheme(request.auth, pk)
    return services.scheme_close(actor=request.auth, scheme=scheme, version=payload.version)


@router.post("/evaluations/{int:pk}/scores", response={200: dict}, url_name="campaign_score", summary="评分")
def score(request, pk: int, payload: ScoreIn):
    scheme = selectors_eval.scheme(request.auth, pk)
    village = get_object_or_404(Region, code=payload.village_code, parent=scheme.township)
    indicator = get_object_or_404(scheme.indicators, name=payload.indicator)
    row = services.score_enter(
        actor=request.auth,
        scheme=scheme,
        village=village,
        indicator=indicator,
        score=payload.score,
        version=payload.version,
    )
    return {
        "village_code": village.code,
        "indicator": indicator.name,
        "score": str(row.score),
        "version": row.version,
    }


@router.post(
    "/evaluations/{int:pk}/codes",
    response={201: list[CodeOut]},
    url_name="campaign_codes",
    summary="生成入户测评码",
)
def codes(request, pk: int, payload: CodesIn):
    scheme = selectors_eval.scheme(request.auth, pk)
    village = get_object_or_404(Region, code=payload.village_code, parent=scheme.township)
    made = services.codes_issue(
        actor=request.auth, scheme=scheme, village=village, count=payload.count, households=payload.households
    )
    return Status(201, made)


@router.post(
    "/survey",
    response={201: SurveyOut},
    auth=None,
    url_name="campaign_survey",
    summary="群众满意度答卷（凭测评码，无需登录）",
)
def survey(request, payload: SurveyIn):
    if request.user.is_authenticated:
        raise PermissionDenied(services.STAFF_REFUSED)
    answer = services.survey_answer(
        code=payload.code,
        answers=payload.answers,
        comment=payload.comment,
        limit=ratelimit.limit(request, "survey_code", services.TOO_MANY),
    )
    return Status(201, {"village": answer.village.name, "score": answer.score})


# Dispatched agencies ----------------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    township_code: str = Field(..., alias="township.code")
    department: str = Field(..., alias="department.name")
    agency_name: str
    head_name: str
    year: int
    territorial_score: Decimal | None
    satisfaction_score: Decimal | None
    statutory_score: Decimal | None
    township_part: Decimal | None
    total: Decimal | None
    agency_grade: str
    head_grade: str
    version: int


class AgencyDetailOut(AgencyOut):
    grid_figures: dict

    @staticmethod
    def resolve_grid_figures(obj):
        return selectors_eval.agency_figures(obj)


class AgencyIn(Schema):
    township_code: str
    department_id: int
    agency_name: str = Field(..., min_length=1, max_length=100)
    head_name: str = Field(..., min_length=1, max_length=50)
    year: Year


class TownshipScoreIn(Schema):
    version: int
    territorial: Decimal
    satisfaction: Decimal


class DepartmentScoreIn(Schema):
    version: int
    statutory: Decimal


class RateIn(Schema):
    version: int
    agency_grade: str
    head_grade: str


@router.get(
    "/agencies", response=list[AgencyOut], url_name="campaign_agency_list", summary="派驻机构双向考评"
)
@paginate(Page)
def agency_list(request):
    return selectors_eval.agencies(request.auth)


@router.post(
    "/agencies", response={201: AgencyOut}, url_name="campaign_agency_register", summary="登记派驻机构"
)
def agency_register(request, payload: AgencyIn):
    selectors_eval.require_any(request.auth, Capability.EVALUATION_MANAGE)
    township = _region(request.auth, payload.township_code)
    department = _department(payload.department_id, township)
    return Status(
        201,
        services.agency_register(
            actor=request.auth,
            township=township,
            department=department,
            agency_name=payload.agency_name,
            head_name=payload.head_name,
            year=payload.year,
        ),
    )


@router.get(
    "/agencies/{int:pk}",
    response=AgencyDetailOut,
    url_name="campaign_agency_detail",
    summary="派驻机构考评（含网格事件处置情况）",
)
def agency_detail(request, pk: int):
    return selectors_eval.agency(request.auth, pk)


@router.post(
    "/agencies/{int:pk}/township",
    response=AgencyOut,
    url_name="campaign_agency_township",
    summary="乡镇评分：属地职责（40）和满意度（20）",
)
def agency_township(request, pk: int, payload: TownshipScoreIn):
    item = selectors_eval.agency(request.auth, pk)
    return services.agency_score_township(actor=request.auth, evaluation=item, **payload.dict())


@router.post(
    "/agencies/{int:pk}/department",
    response=AgencyOut,
    url_name="campaign_agency_department",
    summary="派出部门评分：法定职责（40）",
)
def agency_department(request, pk: int, payload: DepartmentScoreIn):
    item = selectors_eval.agency(request.auth, pk)
    return services.agency_score_department(actor=request.auth, evaluation=item, **payload.dict())


@router.post(
    "/agencies/{int:pk}/rate", response=AgencyOut, url_name="campaign_agency_rate", summary="评定等次"
)
def agency_rate(request, pk: int, payload: RateIn):
    item = selectors_eval.agency(request.auth, pk)
    return services.agency_rate(actor=request.auth, evaluation=item, **payload.dict())


# Township classification ------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    county_code: str = Field(..., alias="county.code")
    year: int
    class1_min: Decimal
    class2_min: Decimal
    version: int


class ClassifiedOut(Schema):
    township_code: str
    township: str
    population: Decimal
    revenue: Decimal
    area: Decimal
    indices: dict[str, Decimal]
    composite: Decimal
    township_class: int
    posts: int


class RoundDetailOut(Schema):
    round: RoundOut
    weights: dict[str, Decimal]
    weights_source: str = Field("", description="所用权重及其版本（施行的区划和日期）")
    townships: list[ClassifiedOut]


class RoundIn(Schema):
    year: Year
    class1_min: Decimal = Decimal(120)
    class2_min: Decimal = Decimal(80)


class FiguresIn(Schema):
    township_code: str
    population: Decimal
    revenue: Decimal
    area: Decimal
    version: int | None = None


@router.get(
    "/classification", response=list[RoundOut], url_name="campaign_round_list", summary="乡镇（街道）分类"
)
@paginate(Page)
def round_list(request):
    return selectors_eval.rounds(request.auth)


@router.post(
    "/classification", response={201: RoundOut}, url_name="campaign_round_create", summary="建立年度分类"
)
def round_create(request, payload: RoundIn):
    if request.auth.home_region.level != Level.COUNTY:
        raise PermissionDenied("乡镇（街道）分类由县（市、区）组织。")
    return Status(
        201,
        services.round_create(actor=request.auth, county=request.auth.home_region, **payload.dict()),
    )


@router.get(
    "/classification/{int:pk}",
    response=RoundDetailOut,
    url_name="campaign_round_detail",
    summary="分类计算过程和结果",
)
def round_detail(request, pk: int):
    item = selectors_eval.round_detail(request.auth, pk)
    weights = selectors_eval.classification_weights(item)
    rows = [
        {
            "township_code": r.figures.township.code,
            "township": r.figures.township.name,
            "population": r.figures.population,
            "revenue": r.figures.revenue,
            "area": r.figures.area,
            "indices": r.indices,
            "composite": r.composite,
            "township_class": r.township_class,
            "posts": r.posts,
        }
        for r in selectors_eval.classification(item)
    ]
    shares = {k: Decimal(str(v)) / 100 for k, v in weights.value.items()}
    return {"round": item, "weights": shares, "weights_source": weights.describe(), "townships": rows}


@router.post(
    "/classification/{int:pk}/figures",
    response=dict,
    url_name="campaign_round_figures",
    summary="录入乡镇（街道）指标",
)
def round_figures(request, pk: int, payload: FiguresIn):
    item = selectors_eval.round_detail(request.auth, pk)
    township = get_object_or_404(Region, code=payload.township_code, parent=item.county)
    row = services.figures_set(
        actor=request.auth, round=item, township=township, **payload.dict(exclude={"township_code"})
    )
    return {"township_code": township.code, "version": row.version}


# Community workers ------------------------------------------------------------------------------------------


class StaffingOut(Schema):
    community_code: str
    community: str
    residents: int | None
    service_staff: int
    active: int
    expected: str
    ok: bool | None
    message: str
    composition: list[str] = Field([], description="“两委”专职人员构成不符合本县设置之处")


class AppraisalOut(Schema):
    year: int
    grade: str
    grade_label: str = Field(..., alias="get_grade_display")


class ContractOut(Schema):
    term: str
    starts_on: date
    ends_on: date
    ended_on: date | None
    end_reason: str


class TrainingOut(Schema):
    kind: str
    title: str
    held_on: date
    hours: Decimal
    result: str


class WorkerOut(Schema):
    id: int
    community_code: str = Field(..., alias="community.code")
    name: str
    origin: str
    post: str
    joined_on: date
    status: str
    end_reason: str
    version: int


class WorkerArchiveOut(WorkerOut):
    contracts: list[ContractOut]
    trainings: list[TrainingOut]
    appraisals: list[AppraisalOut]

    @staticmethod
    def resolve_contracts(obj):
        return list(obj.contracts.all())

    @staticmethod
    def resolve_trainings(obj):
        return list(obj.trainings.all())

    @staticmethod
    def resolve_appraisals(obj):
        return list(obj.appraisals.all())


class WorkerIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    origin: str
    post: str
    joined_on: date
    term: str
    contract_starts: date
    contract_ends: date


class ProfileIn(Schema):
    residents: int


class ContractIn(Schema):
    version: int
    term: str
    starts_on: date
    ends_on: date


class TrainingIn(Schema):
    kind: str
    title: str
    held_on: date
    hours: Decimal
    result: str = ""


class AppraisalIn(Schema):
    year: Year
    grade: str
    note: str = ""


@router.get(
    "/communities",
    response=list[StaffingOut],
    url_name="campaign_community_list",
    summary="社区服务站人员配备核定",
)
def community_list(request):
    rows = selectors_eval.staffing(selectors_eval.communities(request.auth))
    return [
        {
            "community_code": r["community"].code,
            "community": r["community"].name,
            "active": r["active"],
            **{
                k: getattr(r["check"], k) for k in ("residents", "service_staff", "expected", "ok", "message")
            },
            "composition": r["composition"],
        }
        for r in rows
    ]


@router.post(
    "/communities/{code}/residents",
    response=StaffingOut,
    url_name="campaign_profile_set",
    summary="登记社区常住人口",
)
def profile_set(request, code: str, payload: ProfileIn):
    region = selectors_eval.community(request.auth, code)
    services.profile_set(actor=request.auth, community=region, residents=payload.residents)
    row = selectors_eval.staffing([region])[0]
    return {
        "community_code": region.code,
        "community": region.name,
        "active": row["active"],
        **{k: getattr(row["check"], k) for k in ("residents", "service_staff", "expected", "ok", "message")},
        "composition": row["composition"],
    }


@router.get(
    "/communities/{code}/workers",
    response=list[WorkerOut],
    url_name="campaign_worker_list",
    summary="社区工作者",
)
def worker_list(request, code: str):
    region = selectors_eval.community(request.auth, code)
    return list(selectors_eval.workers(request.auth, region))


@router.post(
    "/communities/{code}/workers",
    response={201: WorkerOut},
    url_name="campaign_worker_add",
    summary="登记社区工作者（含本届劳动合同）",
)
def worker_add(request, code: str, payload: WorkerIn):
    region = selectors_eval.community(request.auth, code)
    return Status(201, services.worker_add(actor=request.auth, community=region, **payload.dict()))


@router.get(
    "/workers/{int:pk}",
    response=WorkerArchiveOut,
    url_name="campaign_worker_detail",
    summary="社区工作者档案",
)
def worker_detail(request, pk: int):
    return selectors_eval.worker(request.auth, pk)


@router.post(
    "/workers/{int:pk}/contracts",
    response={201: ContractOut},
    url_name="campaign_worker_contract",
    summary="签订新一届劳动合同",
)
def worker_contract(request, pk: int, payload: ContractIn):
    worker = selectors_eval.worker(request.auth, pk)
    return Status(201, services.contract_sign(actor=request.auth, worker=worker, **payload.dict()))


@router.post(
    "/workers/{int:pk}/trainings",
    response={201: TrainingOut},
    url_name="campaign_worker_training",
    summary="登记培训",
)
def worker_training(request, pk: int, payload: TrainingIn):
    worker = selectors_eval.worker(request.auth, pk)
    return Status(201, services.training_record(actor=request.auth, worker=worker, **payload.dict()))


@router.post(
    "/workers/{int:pk}/appraisals",
    response={201: WorkerArchiveOut},
    url_name="campaign_worker_appraisal",
    summary="登记年度考核（连续两年不称职即解除合同）",
)
def worker_appraisal(request, pk: int, payload: AppraisalIn):
    worker = selectors_eval.worker(request.auth, pk)
    services.appraisal_record(actor=request.auth, worker=worker, **payload.dict())
    return Status(201, selectors_eval.worker(request.auth, pk))
