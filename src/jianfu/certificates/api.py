"""Certificates (证明事项) over JSON: the same selectors and services as the pages.

ID numbers are masked in every response; the whole number has its own endpoint, for the issuing village's
cadres and the inspector only, and each call is written to the audit log.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.catalog.api import VerdictOut
from jianfu.catalog.classify import classify, listed_answer, verdict_as_dict
from jianfu.certificates import selectors, services
from jianfu.certificates.idnumbers import mask_ids_in_text
from jianfu.certificates.stats import DIMENSIONS, certificate_stats
from jianfu.certificates.views.public import verify_limit
from jianfu.core.api_types import Page
from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

router = Router(tags=["证明事项"])


class TypeOut(Schema):
    code: str
    name: str
    allowed: bool
    issuable: bool
    list_title: str
    legal_basis: str = ""
    alternative: str = Field(..., alias="item.alternative")
    responsible_department: str = Field(..., alias="item.responsible_department")
    requesters: str = ""
    conditions: str = ""
    materials: str = ""
    fields: list[dict] = []
    commitment_fields: list[dict] = []
    is_demo: bool = False

    @staticmethod
    def resolve_legal_basis(obj):
        return obj.item.legal_basis_text()

    @staticmethod
    def resolve_requesters(obj):
        return obj.template.requesters if obj.template else ""

    @staticmethod
    def resolve_conditions(obj):
        return obj.template.conditions if obj.template else ""

    @staticmethod
    def resolve_materials(obj):
        return obj.template.materials if obj.template else ""

    @staticmethod
    def resolve_fields(obj):
        return obj.template.fields if obj.template else []

    @staticmethod
    def resolve_commitment_fields(obj):
        return selectors.commitment_template(obj)[0]

    @staticmethod
    def resolve_is_demo(obj):
        return bool(obj.template and obj.template.is_demo)


class CheckIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    region_code: str = ""


class CheckOut(VerdictOut):
    proposed: TypeOut | None


class InstitutionIn(Schema):
    institution_kind: str
    institution_name: str
    village_code: str = ""


class IssueIn(InstitutionIn):
    type_code: str
    resident_name: str
    resident_id_number: str
    values: dict[str, str | int | float] = {}
    purpose: str = ""
    request_text: str = ""


class CommitIn(IssueIn):
    type_code: str = ""
    matter: str = ""


class RefuseIn(InstitutionIn):
    type_code: str = ""
    request_text: str = ""
    resident_name: str = ""
    note: str = ""


class RecordFilters(Schema):
    """The records pages' filters; the statistics' figures link with the same parameters."""

    region: str = ""
    type: str = ""
    institution_kind: str = ""
    institution: str = ""
    reason: str = ""
    date_from: str = ""
    date_to: str = ""
    month: str = ""
    q: str = ""


class RecordOut(Schema):
    id: int
    number: str
    village_code: str = Field(..., alias="village.code")
    village_name: str = Field(..., alias="village.name")
    type_code: str
    type_name: str
    institution_kind: str
    institution_name: str
    on: date


class DocumentOut(RecordOut):
    resident_name: str
    resident_id_masked: str = Field(..., alias="masked_id")
    purpose: str
    body_text: str
    verification_code: str
    status: str
    revoke_reason: str

    @staticmethod
    def resolve_body_text(obj):
        return mask_ids_in_text(obj.body_text)


class RefusalOut(RecordOut):
    reason: str
    alternative: str
    responsible_department: str
    request_text: str
    note: str


class RevokeIn(Schema):
    reason: str


class IdNumberOut(Schema):
    number: str
    resident_id_number: str


class StatsRowOut(Schema):
    label: str
    filters: dict
    issuance: int
    refusal: int
    commitment: int
    total: int


class VerifyOut(Schema):
    found: bool
    kind: str = ""
    status: str = ""
    status_label: str = ""
    type_name: str = ""
    village: str = ""
    on: date | None = None
    holder: str = ""


def _village(request, code: str) -> Region:
    """The named village (in the caller's scope, else 404), or the caller's own."""
    if code:
        return get_object_or_404(Region.objects.visible_to(request.user), code=code)
    villages = selectors.issuing_villages(request.user)
    if not villages:
        access.refuse(Capability.CERTIFICATES_ISSUE)
    return villages[0]


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@router.get(
    "/types",
    response=list[TypeOut],
    auth=None,
    url_name="certificate_types",
    summary="公开：某区划某日有效的证明事项，可否出具、依据、替代途径、模板字段（不需登录）",
)
def types(request, region_code: str, on: date | None = None):
    region = get_object_or_404(Region, code=region_code, is_active=True)
    return selectors.standings(region, on or timezone.localdate())


class LookupOut(VerdictOut):
    answer: TypeOut | None


@router.get(
    "/lookup",
    response=LookupOut,
    auth=None,
    url_name="certificate_lookup",
    summary="公开：村（社区）能开这个证明吗（不需登录）",
)
def lookup(request, region_code: str, q: str = Query(..., min_length=1, max_length=100)):
    region = get_object_or_404(Region, code=region_code, is_active=True)
    today = timezone.localdate()
    result = classify(q, region, today, mode="certificate")
    best = result.matches[0].item.code if listed_answer(result) else ""
    return {
        "text": q,
        **verdict_as_dict(result),
        "answer": selectors.standing_for(region, best, today) if best else None,
    }


@router.post(
    "/check", response=CheckOut, url_name="certificate_check", summary="比对群众要开的证明（推荐证明事项）"
)
def check(request, payload: CheckIn):
    region = (
        get_object_or_404(Region.objects.visible_to(request.user), code=payload.region_code)
        if payload.region_code
        else _village(request, "")
    )
    today = timezone.localdate()
    verdict = verdict_as_dict(classify(payload.text, region, today, mode="certificate"))
    best = verdict["matches"][0]["code"] if verdict["matches"] else ""
    return {
        "text": payload.text,
        **verdict,
        "proposed": selectors.standing_for(region, best, today) if best else None,
    }


@router.post("/issuances", response={201: DocumentOut}, url_name="certificate_issue", summary="出具证明")
def issue(request, payload: IssueIn):
    data = payload.dict()
    village = _village(request, data.pop("village_code"))
    data["values"] = {k: str(v) for k, v in data["values"].items()}
    return Status(
        201,
        services.issuance_create(actor=request.user, village=village, base_url=_base_url(request), **data),
    )


@router.get(
    "/issuances", response=list[DocumentOut], url_name="certificate_issuance_list", summary="出具记录"
)
@paginate(Page)
def issuance_list(request, filters: Query[RecordFilters]):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    return selectors.record_list(request.user, "issuance", selectors.parse_filters(filters.dict()))


@router.get(
    "/issuances/{int:pk}",
    response=DocumentOut,
    url_name="certificate_issuance_detail",
    summary="出具记录详情（身份证号脱敏）",
)
def issuance_detail(request, pk: int):
    return selectors.record_get(request.user, "issuance", pk)


@router.get(
    "/issuances/{int:pk}/id-number",
    response=IdNumberOut,
    url_name="certificate_issuance_id_number",
    summary="完整身份证号（仅出具村和纪检监察，记入审计日志）",
)
def issuance_id_number(request, pk: int):
    record = selectors.record_get(request.user, "issuance", pk)
    full = services.full_id_view(actor=request.user, document=record, how="API")
    return {"number": record.number, "resident_id_number": full}


@router.post(
    "/issuances/{int:pk}/revoke",
    response=DocumentOut,
    url_name="certificate_issuance_revoke",
    summary="作废证明",
)
def issuance_revoke(request, pk: int, payload: RevokeIn):
    record = selectors.record_get(request.user, "issuance", pk)
    return services.document_revoke(actor=request.user, document=record, reason=payload.reason)


@router.post("/refusals", response={201: RefusalOut}, url_name="certificate_refuse", summary="登记不予出具")
def refuse(request, payload: RefuseIn):
    data = payload.dict()
    village = _village(request, data.pop("village_code"))
    return Status(201, services.refusal_create(actor=request.user, village=village, **data))


@router.get(
    "/refusals", response=list[RefusalOut], url_name="certificate_refusal_list", summary="不予出具记录"
)
@paginate(Page)
def refusal_list(request, filters: Query[RecordFilters]):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    return selectors.record_list(request.user, "refusal", selectors.parse_filters(filters.dict()))


@router.get(
    "/refusals/{int:pk}",
    response=RefusalOut,
    url_name="certificate_refusal_detail",
    summary="不予出具记录详情",
)
def refusal_detail(request, pk: int):
    return selectors.record_get(request.user, "refusal", pk)


@router.post(
    "/commitments", response={201: DocumentOut}, url_name="certificate_commit", summary="登记告知承诺"
)
def commit(request, payload: CommitIn):
    data = payload.dict()
    village = _village(request, data.pop("village_code"))
    data["values"] = {k: str(v) for k, v in data["values"].items()}
    return Status(
        201,
        services.commitment_create(actor=request.user, village=village, base_url=_base_url(request), **data),
    )


@router.get(
    "/commitments", response=list[DocumentOut], url_name="certificate_commitment_list", summary="告知承诺记录"
)
@paginate(Page)
def commitment_list(request, filters: Query[RecordFilters]):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    return selectors.record_list(request.user, "commitment", selectors.parse_filters(filters.dict()))


@router.get(
    "/commitments/{int:pk}",
    response=DocumentOut,
    url_name="certificate_commitment_detail",
    summary="告知承诺记录详情（身份证号脱敏）",
)
def commitment_detail(request, pk: int):
    return selectors.record_get(request.user, "commitment", pk)


@router.get(
    "/commitments/{int:pk}/id-number",
    response=IdNumberOut,
    url_name="certificate_commitment_id_number",
    summary="完整身份证号（仅出具村和纪检监察，记入审计日志）",
)
def commitment_id_number(request, pk: int):
    record = selectors.record_get(request.user, "commitment", pk)
    full = services.full_id_view(actor=request.user, document=record, how="API")
    return {"number": record.number, "resident_id_number": full}


@router.get(
    "/stats",
    response=dict[str, list[StatsRowOut]],
    url_name="certificate_stats",
    summary="按证明事项、村（社区）、要求单位、月份统计出具、不予出具和告知承诺",
)
def stats(request, date_from: date, date_to: date, region_code: str = ""):
    access.require(request.user, Capability.CERTIFICATES_VIEW)
    result = certificate_stats(request.user, date_from=date_from, date_to=date_to, region_code=region_code)
    return {
        dim: [
            {
                "label": r.label,
                "filters": r.filters,
                "issuance": r.count("issuance"),
                "refusal": r.count("refusal"),
                "commitment": r.count("commitment"),
                "total": r.total,
            }
            for r in result[dim]
        ]
        for dim in DIMENSIONS
    }


@router.get(
    "/verify/{code}",
    response=VerifyOut,
    auth=None,
    url_name="certificate_verify",
    summary="公开核验：核验码对应的证明是否真实有效（不需登录）",
)
def verify(request, code: str):
    verify_limit(request).hit()
    result = selectors.verify(code)
    if result is None:
        return {"found": False}
    return {"found": True, **result.__dict__}
