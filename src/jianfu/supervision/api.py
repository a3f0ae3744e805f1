"""督查检查与机制牌子 over JSON: the same selectors and services as the pages."""

import base64
import binascii
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Month, Page, RecordId, Year
from jianfu.core.text import text_input
from jianfu.orgs.models import Department, Region
from jianfu.supervision import rules, selectors, services
from jianfu.supervision.checks import inspection_check
from jianfu.supervision.models import InspectionKind, PlacardKind
from jianfu.supervision.standard_schema import StandardEntry
from jianfu.supervision.stats import year_on_year

router = Router(tags=["督查检查与机制牌子"])


def _viewer(request) -> None:
    if not selectors.may_view(request.user):
        raise PermissionDenied("您没有查看督查检查计划和牌子清理情况的权限。")


def _region(request, region_code: str) -> Region:
    region = (
        selectors.region_get(request.user, region_code)
        if region_code
        else selectors.home_region(request.user)
    )
    if region is None:
        raise PermissionDenied("部门账号没有辖区，请用 region_code 指明区划。")
    return region


def _department(pk: int) -> Department:
    return get_object_or_404(Department, pk=pk, is_active=True)


# Plans ------------------------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    subject: str
    month: int
    villages: list[str] = []
    scope_code: str = Field(..., alias="scope.code")
    village_count: int
    demands_materials: bool
    veto: bool

    @staticmethod
    def resolve_villages(obj):
        return [v.code for v in obj.villages.all()]


class PlanOut(Schema):
    id: int
    department_id: int
    department: str = Field(..., alias="department.name")
    year: int
    status: str
    status_label: str = Field(..., alias="get_status_display")
    note: str
    decision_note: str
    version: int


class SupplementOut(Schema):
    id: int
    plan_id: int
    reason: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    submitted_at: datetime
    submitted_by: str = ""
    decided_by: str = ""
    decision_note: str
    items: list[ItemOut]
    version: int

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_submitted_by(obj):
        return obj.submitted_by.full_name if obj.submitted_by_id else ""

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.full_name if obj.decided_by_id else ""


class PlanDetailOut(PlanOut):
    items: list[ItemOut]
    supplements: list[SupplementOut] = Field(
        [], description="计划补充：批准的补充事项计入计划，参与到村记录核对"
    )

    @staticmethod
    def resolve_items(obj):
        return list(selectors.plan_items(obj))

    @staticmethod
    def resolve_supplements(obj):
        return list(selectors.plan_supplements(obj))


class PlanIn(Schema):
    department_id: int
    year: Year
    note: text_input("supervision.InspectionPlan", "note") = ""


class ItemIn(Schema):
    kind: InspectionKind
    subject: str = Field(..., min_length=1, max_length=200)
    month: int = Field(..., ge=1, le=12)
    villages: list[str] = []
    scope_code: str = ""
    village_count: int = Field(0, ge=0)
    demands_materials: bool = False
    veto: bool = False
    version: int | None = None


class SupplementItemIn(Schema):
    kind: InspectionKind
    subject: str = Field(..., min_length=1, max_length=200)
    month: int = Field(..., ge=1, le=12)
    villages: list[str] = []
    scope_code: str = ""
    village_count: int = Field(0, ge=0)
    demands_materials: bool = False
    veto: bool = False


class SupplementIn(Schema):
    reason: text_input("supervision.PlanSupplement", "reason")
    items: list[SupplementItemIn] = Field(..., max_length=50)
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


class DecideIn(Schema):
    approve: bool
    note: text_input("supervision.InspectionPlan", "decision_note") = ""
    version: int | None = None


@router.get("/plans", response=list[PlanOut], url_name="supervision_plans", summary="督查检查考核计划")
@paginate(Page)
def plan_list(request, year: Year | None = None, status: str = ""):
    _viewer(request)
    return selectors.plan_list(request.user, year=year, status=status)


@router.post("/plans", response={201: PlanOut}, url_name="supervision_plan_create", summary="新建年度计划")
def plan_create(request, payload: PlanIn):
    _viewer(request)
    department = _department(payload.department_id)
    return Status(
        201,
        services.plan_create(actor=request.user, department=department, year=payload.year, note=payload.note),
    )


@router.get("/plans/{int:pk}", response=PlanDetailOut, url_name="supervision_plan_detail", summary="计划详情")
def plan_detail(request, pk: int):
    return selectors.plan_get(request.user, pk)


@router.post(
    "/plans/{int:pk}/items", response={201: ItemOut}, url_name="supervision_item_add", summary="添加事项"
)
def item_add(request, pk: int, payload: ItemIn):
    plan = selectors.plan_get(request.user, pk)
    villages = list(Region.objects.filter(code__in=payload.villages))
    missing = set(payload.villages) - {v.code for v in villages}
    if missing:
        raise ValidationError({"villages": f"没有这些区划代码：{'、'.join(sorted(missing))}。"})
    scope = get_object_or_404(Region, code=payload.scope_code) if payload.scope_code else None
    data = payload.dict(exclude={"villages", "scope_code"})
    return Status(
        201, services.item_add(actor=request.user, plan=plan, villages=villages, scope=scope, **data)
    )


@router.post(
    "/items/{int:pk}/remove", response=PlanDetailOut, url_name="supervision_item_remove", summary="删除事项"
)
def item_remove(request, pk: int, payload: VersionIn):
    item = selectors.item_get(request.user, pk)
    return services.item_remove(actor=request.user, item=item, version=payload.version)


@router.post(
    "/plans/{int:pk}/submit", response=PlanOut, url_name="supervision_plan_submit", summary="报送审批"
)
def plan_submit(request, pk: int, payload: VersionIn):
    plan = selectors.plan_get(request.user, pk)
    return services.plan_submit(actor=request.user, plan=plan, version=payload.version)


@router.post(
    "/plans/{int:pk}/decide", response=PlanOut, url_name="supervision_plan_decide", summary="批准或退回"
)
def plan_decide(request, pk: int, payload: DecideIn):
    plan = selectors.plan_get(request.user, pk)
    return services.plan_decide(actor=request.user, plan=plan, **payload.dict())


def _villages(codes: list[str]) -> list[Region]:
    villages = list(Region.objects.filter(code__in=codes))
    missing = set(codes) - {v.code for v in villages}
    if missing:
        raise ValidationError({"villages": f"没有这些区划代码：{'、'.join(sorted(missing))}。"})
    return villages


@router.post(
    "/plans/{int:pk}/supplements",
    response={201: SupplementOut},
    url_name="supervision_supplement_submit",
    summary="报送已批准计划的补充（写明理由，经办公室批准后计入计划）",
)
def supplement_submit(request, pk: int, payload: SupplementIn):
    plan = selectors.plan_get(request.user, pk)
    items = [
        {
            **row.dict(exclude={"villages", "scope_code"}),
            "villages": _villages(row.villages),
            "scope": get_object_or_404(Region, code=row.scope_code) if row.scope_code else None,
        }
        for row in payload.items
    ]
    supplement = services.supplement_submit(
        actor=request.user, plan=plan, reason=payload.reason, items=items, version=payload.version
    )
    return Status(201, selectors.supplement_get(request.user, supplement.pk))


@router.post(
    "/supplements/{int:pk}/decide",
    response=SupplementOut,
    url_name="supervision_supplement_decide",
    summary="批准或不予批准计划补充（不予批准须写明理由；不能审批本部门的补充）",
)
def supplement_decide(request, pk: int, payload: DecideIn):
    supplement = selectors.supplement_get(request.user, pk)
    services.supplement_decide(actor=request.user, supplement=supplement, **payload.dict())
    return selectors.supplement_get(request.user, pk)


# Visits -----------------------------------------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    village_code: str = Field(..., alias="village.code")
    village: str = Field(..., alias="village.name")
    department_id: int
    department: str = Field(..., alias="department.name")
    on: date
    kind: str
    subject: str
    demanded_materials: bool
    plan_item_id: int | None
    unplanned: bool
    materials_flag: bool
    veto_flag: bool
    over_limit: bool
    rule: str
    detail: str


class VisitIn(Schema):
    village_code: str
    department_id: int
    on: date
    kind: InspectionKind
    subject: str = Field(..., min_length=1, max_length=200)
    demanded_materials: bool = False
    note: str = Field("", max_length=300)


class VisitFilters(Schema):
    region: str = ""
    department: RecordId | None = None
    year: Year | None = None
    month: Month | None = None
    flag: str = ""


@router.get("/visits", response=list[VisitOut], url_name="supervision_visits", summary="到村督查检查记录")
@paginate(Page)
def visit_list(request, filters: Query[VisitFilters]):
    _viewer(request)
    return selectors.visit_list(request.user, {k: v for k, v in filters.dict().items() if v})


@router.post(
    "/visits", response={201: VisitOut}, url_name="supervision_visit_record", summary="登记到村督查检查"
)
def visit_record(request, payload: VisitIn):
    village = selectors.village_get(request.user, payload.village_code)
    data = payload.dict(exclude={"village_code", "department_id"})
    return Status(
        201,
        services.visit_record(
            actor=request.user, village=village, department=_department(payload.department_id), **data
        ),
    )


@router.get(
    "/visits/{int:pk}", response=VisitOut, url_name="supervision_visit_detail", summary="到村记录详情"
)
def visit_detail(request, pk: int):
    return selectors.visit_get(request.user, pk)


class CheckIn(Schema):
    department_id: int
    village_code: str
    on: date
    kind: str = ""
    demanded_materials: bool = False


class CheckOut(Schema):
    passed: bool | None
    rule: str
    detail: str
    url: str


@router.get(
    "/check", response=CheckOut, url_name="supervision_check", summary="核对是否列入年度计划（不登记）"
)
def check(request, payload: Query[CheckIn]):
    _viewer(request)
    village = selectors.village_get(request.user, payload.village_code)
    return inspection_check(
        department=_department(payload.department_id),
        village=village,
        on=payload.on,
        kind=payload.kind,
        demanded_materials=payload.demanded_materials,
    )


# Placards and mechanisms ------------------------------------------------------------------------------------


class PlacardOut(Schema):
    id: int
    village_code: str = Field(..., alias="village.code")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    department_name: str
    has_photo: bool
    status: str
    removed_on: date | None
    removed_by: str = ""
    version: int

    @staticmethod
    def resolve_has_photo(obj):
        return bool(obj.photo)

    @staticmethod
    def resolve_removed_by(obj):
        return obj.removed_by.full_name if obj.removed_by else ""


class MechanismOut(Schema):
    id: int
    village_code: str = Field(..., alias="village.code")
    name: str
    department_name: str
    legal_basis: str
    status: str
    removed_on: date | None
    version: int


class FindingOut(Schema):
    object: str
    id: int
    reason: str


class VillageOut(Schema):
    code: str
    name: str
    placards: list[PlacardOut]
    mechanisms: list[MechanismOut]
    must_come_down: list[FindingOut]
    standard: dict


class RemoveIn(Schema):
    removed_on: date | None = None
    note: str = Field("", max_length=200)
    version: int | None = None


class MechanismIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    department_name: str = Field(..., min_length=1, max_length=100)
    legal_basis: str = Field("", max_length=300)


@router.get(
    "/villages/{code}", response=VillageOut, url_name="supervision_village", summary="村机制和牌子核对"
)
def village(request, code: str):
    place = selectors.village_get(request.user, code)
    result = rules.check_village(place)
    standard = {k: v for k, v in result.standard.items() if k != "region"}
    findings = [
        {
            "object": "placard" if f.obj.__class__.__name__ == "Placard" else "mechanism",
            "id": f.obj.pk,
            "reason": f.reason,
        }
        for f in result.over
    ]
    return {
        "code": place.code,
        "name": place.name,
        "placards": result.placards,
        "mechanisms": result.mechanisms,
        "must_come_down": findings,
        "standard": standard,
    }


class PlacardIn(Schema):
    kind: PlacardKind
    title: str = Field(..., min_length=1, max_length=100)
    department_name: str = Field("", max_length=100)
    photo_base64: str = Field("", description="照片（JPEG、PNG 等）的 base64 编码，可不填")
    photo_name: str = Field("photo.jpg", max_length=100)


def _photo(payload: PlacardIn):
    if not payload.photo_base64:
        return None
    try:
        content = base64.b64decode(payload.photo_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"photo": "照片不是有效的 base64 编码。"}) from None
    return ContentFile(content, name=payload.photo_name or "photo.jpg")


@router.post(
    "/villages/{code}/placards",
    response={201: PlacardOut},
    url_name="supervision_placard_register",
    summary="登记牌子或上墙制度（照片以 base64 提交）",
)
def placard_register(request, code: str, payload: PlacardIn):
    place = selectors.village_get(request.user, code)
    return Status(
        201,
        services.placard_register(
            actor=request.user,
            village=place,
            kind=payload.kind,
            title=payload.title,
            department_name=payload.department_name,
            photo=_photo(payload),
        ),
    )


@router.post(
    "/placards/{int:pk}/remove",
    response=PlacardOut,
    url_name="supervision_placard_remove",
    summary="记录摘除",
)
def placard_remove(request, pk: int, payload: RemoveIn):
    placard = selectors.placard_get(request.user, pk)
    return services.placard_remove(actor=request.user, placard=placard, **payload.dict())


@router.get("/placards", response=list[PlacardOut], url_name="supervision_placards", summary="牌子和上墙制度")
@paginate(Page)
def placard_list(request, region: str = "", kind: str = "", status: str = "", year: Year | None = None):
    _viewer(request)
    return selectors.placard_list(
        request.user, {"region": region, "kind": kind, "status": status, "year": year}
    )


@router.post(
    "/villages/{code}/mechanisms",
    response={201: MechanismOut},
    url_name="supervision_mechanism_register",
    summary="登记工作机制",
)
def mechanism_register(request, code: str, payload: MechanismIn):
    place = selectors.village_get(request.user, code)
    return Status(201, services.mechanism_register(actor=request.user, village=place, **payload.dict()))


@router.post(
    "/mechanisms/{int:pk}/remove",
    response=MechanismOut,
    url_name="supervision_mechanism_remove",
    summary="记录撤销工作机制",
)
def mechanism_remove(request, pk: int, payload: RemoveIn):
    mechanism = selectors.mechanism_get(request.user, pk)
    return services.mechanism_remove(
        actor=request.user, mechanism=mechanism, removed_on=payload.removed_on, version=payload.version
    )


class StandardIn(Schema):
    outside_placards: list[StandardEntry]
    outside_signs: list[StandardEntry]
    inside_max: int = Field(..., ge=0, le=50)
    wall_rules: list[str]
    source: str = ""
    version: int | None = None


@router.get("/standard", response=dict, url_name="supervision_standard", summary="牌子标准")
def standard(request, region_code: str = ""):
    _viewer(request)
    region = _region(request, region_code)
    current = rules.standard_for(region)
    return {
        **{k: v for k, v in current.items() if k != "region"},
        "region_code": current["region"].code if current["region"] else "",
    }


@router.put("/standard/{code}", response=dict, url_name="supervision_standard_save", summary="修改牌子标准")
def standard_save(request, code: str, payload: StandardIn):
    region = selectors.region_get(request.user, code)
    saved = services.standard_save(actor=request.user, region=region, **payload.dict())
    return {"region_code": region.code, "version": saved.version}


class CountsOut(Schema):
    region_code: str
    year: int
    planned: int
    actual: int
    unplanned: int
    placards_removed: int
    wall_rules_removed: int
    planned_change_percent: float | None


@router.get(
    "/stats", response=CountsOut, url_name="supervision_stats", summary="计划与实际到村、牌子摘除（同比）"
)
def stats(request, year: Year, region_code: str = ""):
    _viewer(request)
    region = _region(request, region_code)
    counts = selectors.inspection_counts(region=region, year=year)
    removals = selectors.placard_removals(region=region, year=year)
    return {
        "region_code": region.code,
        "year": year,
        **counts,
        "placards_removed": removals["placards"],
        "wall_rules_removed": removals["wall_rules"],
        "planned_change_percent": year_on_year(region, year, years=2)["change"],
    }
