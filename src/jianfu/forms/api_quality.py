"""Data quality over JSON: validation rules, outlier flags and their follow-up, and new versions of listed forms.
The same selectors and services as the pages; added to the one-table router in ``forms.api``."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status

from jianfu.forms import selectors, selectors_quality, services
from jianfu.forms.models import Indicator
from jianfu.orgs.roles import Capability

router = Router(tags=["一张表"])


def _require(user, capability: str) -> None:
    if not user.has_capability(capability):
        raise PermissionDenied("您没有执行此操作的权限。")


class RuleOut(Schema):
    id: int
    left_code: str = Field(..., alias="left.code")
    left_name: str = Field(..., alias="left.name")
    operator: str
    factor: Decimal
    right_code: str = Field(..., alias="right.code")
    right_name: str = Field(..., alias="right.name")
    severity: str
    message: str
    is_active: bool
    version: int


class RuleIn(Schema):
    left_code: str = Field(..., max_length=30)
    operator: Literal["le", "lt", "ge", "gt", "eq"]
    right_code: str = Field(..., max_length=30)
    factor: Decimal = Decimal(1)
    severity: Literal["error", "warning"] = "error"
    message: str = Field("", max_length=200)


class RuleUpdateIn(RuleIn):
    version: int | None = None


class ActiveIn(Schema):
    is_active: bool
    version: int | None = None


LABELS = {"left_code": "左侧指标", "right_code": "右侧指标"}


def _indicator(user, code: str, field: str) -> Indicator:
    found = selectors.indicators(user).filter(code=code).first()
    if found is None:
        raise ValidationError({field: f"「{LABELS[field]}」没有编码为“{code}”的有效指标。"})
    return found


def _rule_values(user, payload: RuleIn) -> dict:
    data = payload.dict()
    data["left"] = _indicator(user, data.pop("left_code"), "left_code")
    data["right"] = _indicator(user, data.pop("right_code"), "right_code")
    return data


@router.get("/rules", response=list[RuleOut], url_name="forms_rules", summary="校验规则")
def rule_list(request):
    _require(request.user, Capability.FORMS_VIEW)
    return list(selectors.rules(request.user))


@router.post("/rules", response={201: RuleOut}, url_name="forms_rule_create", summary="新增校验规则")
def rule_create(request, payload: RuleIn):
    _require(request.user, Capability.FORMS_MANAGE)
    return Status(201, services.rule_save(actor=request.user, **_rule_values(request.user, payload)))


@router.post("/rules/{int:pk}", response=RuleOut, url_name="forms_rule_update", summary="修改校验规则")
def rule_update(request, pk: int, payload: RuleUpdateIn):
    rule = selectors.rule_get(request.user, pk)
    values = _rule_values(request.user, payload)
    version = values.pop("version")
    return services.rule_save(
        actor=request.user, rule=rule, expected_version=version, is_active=rule.is_active, **values
    )


@router.post(
    "/rules/{int:pk}/active", response=RuleOut, url_name="forms_rule_active", summary="启用或停用校验规则"
)
def rule_active(request, pk: int, payload: ActiveIn):
    rule = selectors.rule_get(request.user, pk)
    return services.rule_set_active(
        actor=request.user, rule=rule, is_active=payload.is_active, expected_version=payload.version
    )


class FlagOut(Schema):
    id: int
    village_code: str = Field(..., alias="village.code")
    village_name: str = Field(..., alias="village.name")
    indicator_code: str = Field(..., alias="indicator.code")
    indicator_name: str = Field(..., alias="indicator.name")
    period: str
    kind: str
    value: str
    centre: Decimal
    spread: Decimal
    k: Decimal
    compared: int
    status: str
    text: str
    note: str
    followed_at: datetime | None
    version: int


class FollowUpIn(Schema):
    note: str = Field(..., max_length=300)
    version: int | None = None


@router.get("/flags", response=list[FlagOut], url_name="forms_flags", summary="异常值提示（待核实和已核实）")
def flag_list(request, township_code: str = "", period: str = "", status: str = ""):
    _require(request.user, Capability.FORMS_VIEW)
    if township_code:
        township = selectors.township_get(request.user, township_code)
        rows = selectors_quality.township_flags(request.user, township, period) if period else None
        if rows is None:
            raise ValidationError({"period": "按乡镇（街道）查看时请注明「统计期」。"})
    else:
        rows = selectors_quality.flags(request.user)
        rows = rows.filter(period=period) if period else rows
    rows = rows.filter(status=status) if status else rows
    return list(rows[:500])


@router.post(
    "/flags/{int:pk}/follow-up",
    response=FlagOut,
    url_name="forms_flag_follow_up",
    summary="核实异常值提示（记录核实情况）",
)
def flag_follow_up(request, pk: int, payload: FollowUpIn):
    flag = selectors_quality.flag_get(request.user, pk)
    return services.flag_follow_up(
        actor=request.user, flag=flag, note=payload.note, expected_version=payload.version
    )


class ReviseFieldIn(Schema):
    label: str = Field(..., max_length=100)
    unit: str = Field("", max_length=20)
    value_type: Literal["integer", "decimal", "text"] = "integer"


class ReviseIn(Schema):
    reason: str = Field(..., max_length=300)
    fields: list[ReviseFieldIn] = Field(..., max_length=100)
    version: int | None = None


class RevisionOut(Schema):
    id: int
    revises_id: int | None
    edition: int
    name: str
    status: str
    revision_reason: str
    version: int


@router.post(
    "/forms/{int:pk}/revise",
    response={201: RevisionOut},
    url_name="forms_revise",
    summary="修订已列入清单的报表栏目（建立新版本，经审定后生效）",
)
def form_revise(request, pk: int, payload: ReviseIn):
    form = selectors.form_get(request.user, pk)
    made = services.form_revise(
        actor=request.user,
        form=form,
        fields=[f.dict() for f in payload.fields],
        reason=payload.reason,
        expected_version=payload.version,
    )
    return Status(201, made)
