"""Regions, departments and users over JSON: the same selectors and services as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jianfu.core.api_types import Page
from jianfu.orgs import access, selectors, services
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

router = Router(tags=["组织架构"])


class AssignmentOut(Schema):
    role: str
    role_label: str = Field(..., alias="get_role_display")
    region_code: str = Field(..., alias="region.code")
    department_id: int | None = None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    home_region_code: str = Field(..., alias="home_region.code")
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj):
        return obj.role_assignments.select_related("region")


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None = None
    is_active: bool
    version: int

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class RegionIn(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent_code: str


class RegionPatch(Schema):
    version: int
    name: str | None = None
    kind: str | None = None


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    region_code: str = Field(..., alias="region.code")
    kind: str
    is_member_unit: bool
    is_active: bool
    version: int


class DepartmentIn(Schema):
    name: str
    region_code: str
    kind: str = "government"
    short_name: str = ""
    is_member_unit: bool = False


class DepartmentPatch(Schema):
    version: int
    name: str | None = None
    short_name: str | None = None
    region_code: str | None = None
    kind: str | None = None
    is_member_unit: bool | None = None


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    home_region_code: str = Field(..., alias="home_region.code")
    department_id: int | None = None
    is_active: bool
    version: int


def _target_region(user, code: str) -> Region:
    # Out of scope is a 404 here as everywhere, so the API does not reveal which codes exist elsewhere.
    return get_object_or_404(Region.objects.visible_to(user), code=code)


@router.get("/me", response=MeOut, summary="当前用户及其角色")
def me(request):
    return request.user


@router.get("/regions", response=list[RegionOut], summary="区划列表（仅管辖范围内）")
@paginate(Page)
def region_list(request, q: str = "", level: int | None = None, parent_code: str = ""):
    return selectors.region_list(request.user, query=q, level=level, parent_code=parent_code)


@router.get("/regions/{code}", response=RegionOut, summary="区划详情")
def region_detail(request, code: str):
    return selectors.region_get(request.user, code)


@router.post("/regions", response={201: RegionOut}, summary="新增区划")
def region_create(request, payload: RegionIn):
    data = payload.dict()
    parent = _target_region(request.user, data.pop("parent_code"))
    return Status(201, services.region_create(actor=request.user, parent=parent, **data))


@router.patch("/regions/{code}", response=RegionOut, summary="修改区划（需提供读取时的版本号）")
def region_update(request, code: str, payload: RegionPatch):
    region = selectors.region_get(request.user, code)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return services.region_update(actor=request.user, region=region, expected_version=version, **changes)


@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate(Page)
def department_list(request, q: str = "", region_code: str = ""):
    return selectors.department_list(request.user, query=q, region_code=region_code)


@router.get("/departments/{int:pk}", response=DepartmentOut, summary="部门详情")
def department_detail(request, pk: int):
    return selectors.department_get(request.user, pk)


@router.post("/departments", response={201: DepartmentOut}, summary="新增部门")
def department_create(request, payload: DepartmentIn):
    data = payload.dict()
    region = _target_region(request.user, data.pop("region_code"))
    return Status(201, services.department_create(actor=request.user, region=region, **data))


@router.patch("/departments/{int:pk}", response=DepartmentOut, summary="修改部门（需提供版本号）")
def department_update(request, pk: int, payload: DepartmentPatch):
    department = selectors.department_get(request.user, pk)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "region_code" in changes:
        changes["region"] = _target_region(request.user, changes.pop("region_code"))
    return services.department_update(
        actor=request.user, department=department, expected_version=version, **changes
    )


@router.get("/users", response=list[UserOut], summary="用户列表")
@paginate(Page)
def user_list(request, q: str = "", role: str = ""):
    return selectors.user_list(request.user, query=q, role=role)


@router.get("/users/{int:pk}", response=UserOut, summary="用户详情")
def user_detail(request, pk: int):
    return selectors.user_get(request.user, pk)


class CapabilityOut(Schema):
    code: str
    label: str


class RoleSettingOut(Schema):
    role: str
    role_label: str
    capabilities: list[CapabilityOut]
    source: str = Field(..., description="本级调整、沿用上级的调整或平台默认")
    editable: bool
    version: int = Field(0, description="本级设置的版本号（没有本级设置时为 0），修改时原样提交")


class RoleSettingIn(Schema):
    capabilities: list[str] = Field(..., max_length=len(Capability.values))
    reason: str = Field(..., min_length=1, max_length=200)
    version: int = Field(0, ge=0, le=2_147_483_647)


def _role_rows(region) -> list[dict]:
    return [
        {
            "role": r["role"],
            "role_label": r["label"],
            "editable": r["editable"],
            "source": r["source"],
            "capabilities": [{"code": c, "label": label} for c, label in r["capabilities"]],
            "version": r["setting"].version if r["setting"] else 0,
        }
        for r in selectors.role_table(region)
    ]


def _settable_region(user, code: str) -> Region:
    access.require(user, Capability.ORGS_MANAGE)
    return get_object_or_404(selectors.role_setting_regions(user), code=code)


@router.get("/regions/{code}/roles", response=list[RoleSettingOut], summary="区划内各角色的权限及来源")
def role_table(request, code: str):
    return _role_rows(_settable_region(request.user, code))


@router.put("/regions/{code}/roles/{role}", response=RoleSettingOut, summary="调整某角色在本辖区的权限")
def role_setting_save(request, code: str, role: str, payload: RoleSettingIn):
    region = _settable_region(request.user, code)
    services.role_setting_save(
        actor=request.user,
        region=region,
        role=role,
        capabilities=payload.capabilities,
        reason=payload.reason,
        version=payload.version,
    )
    return next(r for r in _role_rows(region) if r["role"] == role)


@router.delete("/regions/{code}/roles/{role}", response={204: None}, summary="恢复某角色的上级或平台默认权限")
def role_setting_reset(request, code: str, role: str):
    services.role_setting_reset(actor=request.user, region=_settable_region(request.user, code), role=role)
    return Status(204, None)


# Region settings (区划设置) ---------------------------------------------------------------------------------------


class SettingVersionOut(Schema):
    region_code: str
    region_name: str
    value: Any
    display: str
    effective_from: date
    changed_by: str
    reason: str
    created_at: datetime


class SettingOut(Schema):
    key: str
    label: str
    group: str
    kind: str = Field(..., description="int、number、percent、bool、weights、range、ranges")
    unit: str
    help: str
    parts: dict[str, str] = Field(..., description="权重或区间各部分的中文名称")
    default: Any
    value: Any = Field(..., description="今天施行的值")
    display: str
    source: str = Field(..., description="本级设置、沿用上级的设置或平台默认")
    own: bool
    versions: list[SettingVersionOut] = Field(..., description="本级及上级的全部版本，新的在前")


class SettingIn(Schema):
    value: Any
    effective_from: date
    reason: str = Field(..., min_length=1, max_length=200)


def _version_out(version: dict) -> dict:
    row = version["row"]
    return {
        "region_code": row.region.code,
        "region_name": row.region.name,
        "value": row.value,
        "display": version["display"],
        "effective_from": row.effective_from,
        "changed_by": row.changed_by.full_name if row.changed_by else "系统",
        "reason": row.reason,
        "created_at": row.created_at,
    }


def _setting_rows(region) -> list[dict]:
    return [
        {
            "key": r["spec"].key,
            "label": r["spec"].label,
            "group": r["spec"].group,
            "kind": r["spec"].kind,
            "unit": r["spec"].unit,
            "help": r["spec"].help,
            "parts": r["spec"].parts,
            "default": r["spec"].default,
            "value": r["in_force"].value,
            "display": r["display"],
            "source": r["source"],
            "own": r["own"],
            "versions": [_version_out(v) for v in r["history"]],
        }
        for r in selectors.settings_table(region)
    ]


@router.get(
    "/regions/{code}/settings", response=list[SettingOut], summary="区划的各项设置（现行值、来源和版本）"
)
def settings_table(request, code: str):
    return _setting_rows(selectors.settings_region_get(request.user, code))


@router.get("/regions/{code}/settings/{key}", response=SettingOut, summary="区划的一项设置")
def setting_detail(request, code: str, key: str):
    row = next(
        (r for r in _setting_rows(selectors.settings_region_get(request.user, code)) if r["key"] == key), None
    )
    if row is None:
        raise Http404("没有这个设置项。")
    return row


@router.put(
    "/regions/{code}/settings/{key}", response=SettingOut, summary="为一项设置增加新版本（自生效日期起施行）"
)
def setting_set(request, code: str, key: str, payload: SettingIn):
    region = selectors.settings_region_get(request.user, code)
    services.region_setting_set(
        actor=request.user,
        region=region,
        key=key,
        value=payload.value,
        effective_from=payload.effective_from,
        reason=payload.reason,
    )
    return next(r for r in _setting_rows(region) if r["key"] == key)
