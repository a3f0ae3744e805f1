"""The shape of a placard standard's structured settings, checked on the way in (service, model and API).

One malformed entry used to be stored and then break every village check of the county (``KeyError``).
"""

from collections.abc import Mapping
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as SchemaError

from jianfu.core.schema_errors import describe

Keyword = Annotated[str, Field(min_length=1, max_length=30)]


class StandardEntry(BaseModel):
    """One placard or sign a village may carry: its name and the title keywords that fill it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=50, description="名称")
    keywords: list[Keyword] = Field(min_length=1, max_length=20, description="关键词")


ENTRIES = TypeAdapter(list[StandardEntry])
WALL_RULES = TypeAdapter(Annotated[list[Keyword], Field(max_length=50)])
ENTRY_LABELS = {"name": "名称", "keywords": "关键词"}


def clean_entries(value, field: str, label: str) -> list[dict]:
    """The entries as plain dicts, or a ValidationError naming the field, the entry and what is wrong."""
    try:
        return [entry.model_dump() for entry in ENTRIES.validate_python(value)]
    except SchemaError as exc:
        raise ValidationError({field: [_reason(label, e) for e in exc.errors()]}) from None


def clean_wall_rules(value) -> list[str]:
    try:
        return WALL_RULES.validate_python(value)
    except SchemaError as exc:
        raise ValidationError({"wall_rules": [_reason("可上墙的制度", e) for e in exc.errors()]}) from None


def _reason(label: str, error: Mapping[str, Any]) -> str:
    loc = error.get("loc", ())
    where = f"第 {loc[0] + 1} 项" if loc and isinstance(loc[0], int) else ""
    part = next((ENTRY_LABELS.get(p, f"“{p}”") for p in loc[1:2] if isinstance(p, str)), "")
    return f"{label}{where}{part}{describe(dict(error))}。"
