"""Lists and the classifier over JSON: the same selectors and services as the pages."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.catalog import cards, corrections, selectors, services
from jianfu.catalog.classify import MODES, classify, verdict_as_dict
from jianfu.catalog.matching import text_problem
from jianfu.catalog.rules import diff_items
from jianfu.core.api_types import Page
from jianfu.core.text import text_input
from jianfu.orgs.models import Department, Region

router = Router(tags=["清单"])


class CitationOut(Schema):
    law: str
    articles: str = ""


class ItemOut(Schema):
    id: int
    code: str
    content: str
    category: str
    legal_basis: list[CitationOut]
    departments: list[str]
    reason: str
    examples: list[str]
    process_basis: str
    process_standard: str
    process_conditions: str
    process_materials: str
    alternative: str
    responsible_department: str
    treated_as: str = Field(
        "", description="社区承办事项的性质：duty 属社区自身工作，assist 属部门工作（默认）"
    )
    revision: int


class ListOut(Schema):
    id: int
    kind: str
    region_code: str | None = Field(None, description="发布区划代码；国家层面的清单为空")
    issuer: str = Field(..., description="发布层级：区划名称，或“国家层面”")
    title: str
    document_number: str
    version_no: int
    status: str
    effective_from: date | None
    effective_to: date | None
    studied_by: str
    studied_on: date | None
    approved_by: str
    approved_on: date | None
    revision: int
    drafted_by: str = Field("", description="起草人（起草人不能发布本版本）")
    published_by: str = Field("", description="发布人")
    published_at: datetime | None = None

    @staticmethod
    def resolve_drafted_by(obj):
        return obj.drafted_by.full_name if obj.drafted_by_id else ""

    @staticmethod
    def resolve_published_by(obj):
        return obj.published_by.full_name if obj.published_by_id else ""

    @staticmethod
    def resolve_region_code(obj):
        return None if obj.is_national else obj.region.code

    @staticmethod
    def resolve_issuer(obj):
        return obj.issuer_name


class ListDetailOut(ListOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj):
        return obj.items.order_by("position", "code")


class DraftIn(Schema):
    kind: str
    region_code: str
    title: str = ""


class ItemIn(Schema):
    code: str = ""
    content: text_input("catalog.ListItem", "content")
    category: str = ""
    legal_basis: list[CitationOut] = []
    departments: list[str] = []
    reason: str = ""
    examples: list[str] = []
    process_basis: text_input("catalog.ListItem", "process_basis") = ""
    process_standard: text_input("catalog.ListItem", "process_standard") = ""
    process_conditions: text_input("catalog.ListItem", "process_conditions") = ""
    process_materials: text_input("catalog.ListItem", "process_materials") = ""
    alternative: text_input("catalog.ListItem", "alternative") = ""
    responsible_department: str = ""
    treated_as: Literal["", "duty", "assist"] = ""


class ItemPatch(ItemIn):
    content: text_input("catalog.ListItem", "content") | None = None
    revision: int


class PublishIn(Schema):
    revision: int
    effective_from: date
    approved_by: str
    approved_on: date
    studied_by: str = ""
    studied_on: date | None = None
    document_number: str = ""


class RetireIn(Schema):
    effective_to: date
    reason: str


class DiffOut(Schema):
    base_id: int | None
    added: list[str]
    removed: list[str]
    changed: list[str]


class ClassifyIn(Schema):
    texts: list[str] = Field(..., min_length=1, max_length=500)
    region_code: str
    on: date | None = None
    mode: str = "work"


class MatchOut(Schema):
    list: str
    list_id: int | str  # admitted items (准入) carry "admitted-<pk>"
    kind: str
    code: str
    text: str
    matched_text: str
    legal_basis: str
    score: float


class VerdictOut(Schema):
    text: str
    verdict: str
    label: str
    confidence: float
    needs_review: bool  # under the review threshold: a person decides (需人工研判)
    by_person: bool  # a decided correction of this wording in the county answered
    explanation: str
    matches: list[MatchOut]


class CorrectionOut(Schema):
    id: int
    county_code: str = Field(..., alias="county.code")
    region_code: str = Field(..., alias="region.code")
    mode: str
    text: str
    source: str
    source_id: int | None
    original_verdict: str
    original_item_code: str
    original_confidence: float
    status: str
    corrected_verdict: str
    item_id: int | None
    reason: str
    question: str
    created_at: datetime
    decided_at: datetime | None
    version: int


class CorrectionIn(Schema):
    corrected_verdict: str
    item_id: int | None = None
    reason: str = Field(..., max_length=500)
    source: str = "classify"
    source_id: int | None = None
    region_code: str | None = None
    text: str = Field("", max_length=4000)
    mode: str = "work"


class DecideIn(Schema):
    corrected_verdict: str
    item_id: int | None = None
    reason: str = Field(..., max_length=500)
    version: int


class ReviewAskIn(Schema):
    region_code: str
    text: str = Field(..., max_length=4000)
    question: str = Field("", max_length=500)


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code)


@router.get("/lists", response=list[ListOut], summary="某区划某日有效的清单（含上级清单）")
def lists_in_force(request, region_code: str, on: date | None = None, kind: str = ""):
    return selectors.lists_in_force(
        _region(region_code), on or timezone.localdate(), [kind] if kind else None
    )


@router.get("/lists/{int:pk}", response=ListDetailOut, summary="清单详情及事项")
def list_detail(request, pk: int):
    return selectors.worklist_get(request.user, pk)


@router.get("/lists/{int:pk}/diff", response=DiffOut, summary="与上一版本（草稿则与现行版本）的差异")
def list_diff(request, pk: int):
    work_list = selectors.worklist_get(request.user, pk)
    base = (
        selectors.latest_issued(work_list.kind, work_list.region)
        if work_list.is_draft
        else work_list.previous
    )
    diff = diff_items(base.items.all() if base else [], work_list.items.all())
    return {
        "base_id": base.pk if base else None,
        "added": [i.code for i in diff.added],
        "removed": [i.code for i in diff.removed],
        "changed": [new.code for _, new, _ in diff.changed],
    }


@router.post("/lists", response={201: ListOut}, summary="新建清单或调整清单（生成草稿版本）")
def draft_start(request, payload: DraftIn):
    region = _region(payload.region_code)
    return Status(
        201,
        services.worklist_start_draft(
            actor=request.user, kind=payload.kind, region=region, title=payload.title
        ),
    )


@router.post("/lists/{int:pk}/items", response={201: ItemOut}, summary="向草稿添加事项")
def item_add(request, pk: int, payload: ItemIn):
    work_list = selectors.worklist_get(request.user, pk)
    fields = payload.dict()
    return Status(201, services.item_save(actor=request.user, work_list=work_list, **fields))


@router.patch(
    "/lists/{int:pk}/items/{int:item_pk}", response=ItemOut, summary="修改草稿中的事项（需提供修订号）"
)
def item_update(request, pk: int, item_pk: int, payload: ItemPatch):
    work_list = selectors.worklist_get(request.user, pk)
    item = get_object_or_404(work_list.items, pk=item_pk)
    fields = payload.dict(exclude_unset=True)
    revision = fields.pop("revision")
    return services.item_save(
        actor=request.user, work_list=work_list, item=item, expected_revision=revision, **fields
    )


@router.delete("/lists/{int:pk}/items/{int:item_pk}", response={204: None}, summary="从草稿删除事项")
def item_remove(request, pk: int, item_pk: int):
    work_list = selectors.worklist_get(request.user, pk)
    services.item_remove(actor=request.user, item=get_object_or_404(work_list.items, pk=item_pk))
    return Status(204, None)


@router.post("/lists/{int:pk}/publish", response=ListOut, summary="发布草稿（记录审定机构和日期）")
def publish(request, pk: int, payload: PublishIn):
    work_list = selectors.worklist_get(request.user, pk)
    data = payload.dict()
    revision = data.pop("revision")
    return services.worklist_publish(
        actor=request.user, work_list=work_list, expected_revision=revision, **data
    )


@router.post("/lists/{int:pk}/retire", response=ListOut, summary="废止清单")
def retire(request, pk: int, payload: RetireIn):
    work_list = selectors.worklist_get(request.user, pk)
    return services.worklist_retire(actor=request.user, work_list=work_list, **payload.dict())


@router.post("/classify", response=list[VerdictOut], summary="事项比对：工作事项或证明事项属于哪类清单")
def classify_texts(request, payload: ClassifyIn):
    if payload.mode not in MODES:
        raise ValidationError({"mode": "比对类型只能是 work（工作事项）或 certificate（证明事项）。"})
    region = _region(payload.region_code)
    on = payload.on or timezone.localdate()
    problems = {f"texts.{n}": [p] for n, t in enumerate(payload.texts) if (p := text_problem(t))}
    if problems:
        raise ValidationError(problems)
    return [{"text": t, **verdict_as_dict(classify(t, region, on, mode=payload.mode))} for t in payload.texts]


# People's judgements of the classifier -------------------------------------------------------------------


@router.get(
    "/corrections",
    response=list[CorrectionOut],
    url_name="catalog_corrections",
    summary="比对结论人工研判记录（待研判和已研判）",
)
@paginate(Page)
def correction_list(request, status: str = ""):
    rows = selectors.corrections_for(request.user)
    return rows.filter(status=status) if status else rows


@router.post(
    "/corrections",
    response={201: CorrectionOut},
    url_name="catalog_correction_create",
    summary="确认或更正一条比对结论（须写明理由，所选事项须为本县现行清单事项）",
)
def correction_create(request, payload: CorrectionIn):
    region = _region(payload.region_code) if payload.region_code else None
    if region is not None and not region.is_within(request.user.scope_prefixes()):
        raise PermissionDenied("该区划不在您的管辖范围内。")
    correction = corrections.verdict_correct(
        actor=request.user,
        corrected_verdict=payload.corrected_verdict,
        item_id=payload.item_id,
        reason=payload.reason,
        source=payload.source,
        source_id=payload.source_id,
        region=region,
        text=payload.text,
        mode=payload.mode,
    )
    return Status(201, correction)


@router.post(
    "/corrections/{int:pk}/decide",
    response=CorrectionOut,
    url_name="catalog_correction_decide",
    summary="研判一条待人工研判的比对结论",
)
def correction_decide(request, pk: int, payload: DecideIn):
    request_row = get_object_or_404(selectors.corrections_for(request.user), pk=pk)
    return corrections.verdict_correct(
        actor=request.user,
        request=request_row,
        expected_version=payload.version,
        corrected_verdict=payload.corrected_verdict,
        item_id=payload.item_id,
        reason=payload.reason,
    )


@router.post(
    "/corrections/ask",
    response={201: CorrectionOut},
    url_name="catalog_review_request",
    summary="村（社区）就一键核验结论提请办公室研判",
)
def review_ask(request, payload: ReviewAskIn):
    region = _region(payload.region_code)
    return Status(
        201,
        corrections.review_request(
            actor=request.user,
            source="village_check",
            region=region,
            text=payload.text,
            question=payload.question,
        ),
    )


class CardOut(Schema):
    id: int
    region_code: str = Field(..., alias="region.code")
    department: str = Field(..., alias="department.name")
    item_code: str
    item_content: str
    number: int = Field(..., description="版本号")
    state: str = Field(..., description="draft 草稿；submitted 待审核；accepted 已采用；returned 已退回修改")
    basis: str
    standard: str
    conditions: str
    materials: str
    steps: str
    forms_used: str
    form_ids: list[int] = Field(..., description="使用的报表（一张表的部门报表编号）")
    decision_note: str
    version: int

    @staticmethod
    def resolve_form_ids(card) -> list[int]:
        return [f.pk for f in card.forms.all()]


class CardIn(Schema):
    department_id: int
    item_code: str
    basis: text_input("catalog.ProcessCard", "basis") = ""
    standard: text_input("catalog.ProcessCard", "standard") = ""
    conditions: text_input("catalog.ProcessCard", "conditions") = ""
    materials: text_input("catalog.ProcessCard", "materials") = ""
    steps: text_input("catalog.ProcessCard", "steps") = ""
    forms_used: text_input("catalog.ProcessCard", "forms_used") = ""
    form_ids: list[int] = Field(
        [], max_length=100, description="使用的报表：年度填报表格清单已列入的报表编号"
    )


class CardStepIn(Schema):
    version: int | None = None


class CardDecideIn(Schema):
    accept: bool
    note: str = Field("", max_length=300)
    version: int | None = None


@router.get("/cards", response=list[CardOut], url_name="catalog_cards", summary="办理流程卡（已采用的公开）")
@paginate(Page)
def card_list(request, item_code: str = ""):
    found = cards.visible_cards(request.user)
    return found.filter(item_code=item_code) if item_code else found


@router.post("/cards", response={201: CardOut}, url_name="catalog_card_create", summary="交办部门编写流程卡")
def card_create(request, payload: CardIn):
    department = get_object_or_404(Department, pk=payload.department_id)
    fields = payload.dict(exclude={"department_id", "item_code"})
    card = cards.card_save(actor=request.user, department=department, item_code=payload.item_code, **fields)
    return Status(201, card)


@router.post(
    "/cards/{int:pk}/submit", response=CardOut, url_name="catalog_card_submit", summary="提交流程卡审核"
)
def card_submit(request, pk: int, payload: CardStepIn):
    card = get_object_or_404(cards.visible_cards(request.user), pk=pk)
    return cards.card_submit(actor=request.user, card=card, version=payload.version)


@router.post(
    "/cards/{int:pk}/decide",
    response=CardOut,
    url_name="catalog_card_decide",
    summary="审核流程卡：采用或退回",
)
def card_decide(request, pk: int, payload: CardDecideIn):
    card = get_object_or_404(cards.visible_cards(request.user), pk=pk)
    return cards.card_decide(
        actor=request.user, card=card, accept=payload.accept, note=payload.note, version=payload.version
    )
