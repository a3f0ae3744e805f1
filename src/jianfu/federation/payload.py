"""The shape of a monthly rollup as it travels (``jianfu.federation.rollup/1``), checked with pydantic and
refused in Chinese naming the field or the cell's row."""

from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from jianfu.core.schema_errors import describe
from jianfu.monitoring.models import EventKind

FORMAT = "jianfu.federation.rollup/1"
MAX_CELLS = 20_000  # a province's prefectures and counties (≤ 200) × 9 types, with room to spare
MAX_BODY_BYTES = (
    2 * 1024 * 1024
)  # under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); a province sends ≈ 105 KB
LABELS = {
    "format": "格式标识",
    "province": "省份代码",
    "month": "月份",
    "revision": "版本",
    "reason": "更正原因",
    "built_at": "生成时间",
    "cells": "汇总格",
    "region": "区划代码",
    "level": "层级",
    "name": "区划名称",
    "kind": "事件类型",
    "events": "事件数",
    "hours": "工时",
    "violations": "违规数",
    "undecided": "未能判定数",
}

Code = Field(pattern=r"^\d{12}$")
Count = Field(ge=0, le=1_000_000_000)


class CellIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Code
    level: int = Field(ge=1, le=3)  # province, prefecture, county
    name: str = Field(min_length=1, max_length=100)
    kind: Literal[tuple(EventKind.values)]  # type: ignore[valid-type]
    events: int = Count
    hours: Decimal = Field(ge=0, max_digits=14, decimal_places=1)
    violations: int = Count
    undecided: int = Count


class RollupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["jianfu.federation.rollup/1"]
    province: str = Code
    month: str = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")
    revision: int = Field(ge=1, le=1000)
    reason: str = Field(default="", max_length=1000)
    built_at: str = Field(default="", max_length=40)
    cells: list[CellIn] = Field(max_length=MAX_CELLS)


def parse(data) -> RollupIn:
    """The payload as a checked model, or a ValidationError whose messages name the field (and the cell)."""
    try:
        return RollupIn.model_validate(data)
    except PydanticError as exc:
        messages = []
        for error in exc.errors()[:5]:
            loc = [str(p) for p in error["loc"]]
            where = "".join(
                f"第 {int(p) + 1} 个汇总格" if p.isdigit() else f"「{LABELS.get(p, p)}」" for p in loc
            )
            messages.append(f"{where}{describe(dict(error))}")
        raise ValidationError("报送内容不符合格式：" + "；".join(messages)) from exc
