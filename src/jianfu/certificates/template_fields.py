"""Certificate and commitment templates as data: the fields a cadre fills and the body they fill in.

A template is ``fields`` (a list of ``{name, label, kind, required, choices, help, not_future}``) and a
``body`` with ``{name}`` placeholders. Placeholders are substituted by a regex, never ``str.format``, so a
template typed by an office clerk cannot reach into Python objects.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

FIELD_KINDS = {
    "text": "单行文字",
    "textarea": "多行文字",
    "date": "日期",
    "integer": "整数",
    "decimal": "数字",
    "choice": "选项",
}
# Filled by the platform, not by the cadre: usable in every body, never as a field name.
RESERVED = {
    "resident_name": "居民姓名",
    "resident_id": "公民身份号码",
    "village": "村（社区）名称",
    "village_full": "村（社区）全称",
    "issue_date": "出具日期",
    "institution_name": "使用单位",
    "purpose": "用途",
    "matter": "承诺事项",
    "number": "编号",
}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
MAX_VALUE_LENGTH = 500
NOT_FUTURE = "不晚于今天"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def spec_problems(fields: list, body: str) -> list[str]:
    """Why a template cannot be used (empty when it can); each message names the field or placeholder."""
    problems, names = [], set()
    if not isinstance(fields, list):
        return ["字段定义须为列表。"]
    for n, spec in enumerate(fields, start=1):
        problems += _field_problems(n, spec, names)
    if not (body or "").strip():
        problems.append("正文模板不能为空。")
    unknown = sorted(set(PLACEHOLDER_RE.findall(body or "")) - names - set(RESERVED))
    if unknown:
        problems.append(f"正文中的占位符 {'、'.join('{' + u + '}' for u in unknown)} 没有对应的字段。")
    return problems


def _field_problems(n: int, spec, names: set) -> list[str]:
    if not isinstance(spec, dict):
        return [f"第 {n} 个字段的定义格式不正确。"]
    name, label = str(spec.get("name", "")), str(spec.get("label", "")).strip()
    problems = []
    if not NAME_RE.match(name):
        problems.append(f"第 {n} 个字段的名称“{name}”须以小写字母开头，只含小写字母、数字和下划线。")
    elif name in RESERVED:
        problems.append(f"第 {n} 个字段的名称“{name}”是平台保留的占位符（{RESERVED[name]}），请换一个。")
    elif name in names:
        problems.append(f"字段名称“{name}”重复。")
    names.add(name)
    if not label:
        problems.append(f"第 {n} 个字段（{name}）缺少显示名称。")
    if spec.get("kind", "text") not in FIELD_KINDS:
        problems.append(
            f"字段“{label or name}”的类型“{spec.get('kind')}”无效，可选：{'、'.join(FIELD_KINDS)}。"
        )
    if spec.get("kind") == "choice" and not spec.get("choices"):
        problems.append(f"选项字段“{label or name}”须列出可选值。")
    return problems


def clean_values(fields: list, raw: dict, today: date) -> dict[str, str]:
    """The template's values as the text that goes into the document; errors name each field."""
    values, errors = {}, {}
    for spec in fields:
        name, label = spec["name"], spec["label"]
        given = raw.get(name, "")
        text = (
            given.isoformat() if isinstance(given, date) else str(given if given is not None else "").strip()
        )
        if not text:
            if spec.get("required", True):
                errors[name] = f"请填写“{label}”。"
            values[name] = ""
            continue
        try:
            values[name] = _clean_one(spec, text, today)
        except ValueError as exc:
            errors[name] = f"“{label}”{exc}"
    if errors:
        raise ValidationError(errors)
    return values


def _clean_one(spec: dict, text: str, today: date) -> str:
    kind = spec.get("kind", "text")
    if len(text) > MAX_VALUE_LENGTH:
        raise ValueError(f"不能超过 {MAX_VALUE_LENGTH} 字。")
    if kind == "text" and "\n" in text:
        raise ValueError("只能填写一行。")
    if kind == "date":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError("应为日期（年-月-日，如 2024-03-01）。") from None
        if spec.get("not_future") and day > today:
            raise ValueError("不能晚于今天。")
        return chinese_date(day)
    if kind == "integer":
        if not text.isdigit():
            raise ValueError("应为不小于 0 的整数。")
        return str(int(text))
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("应为数字。") from None
        if number < 0 or not number.is_finite():
            raise ValueError("应为不小于 0 的数字。")
        return format(number.normalize(), "f")
    if kind == "choice" and text not in [str(c) for c in spec.get("choices", [])]:
        raise ValueError(f"只能选择：{'、'.join(str(c) for c in spec['choices'])}。")
    return text


def render_body(body: str, values: dict) -> str:
    """The body with every ``{name}`` replaced; an empty optional value leaves nothing behind."""
    return PLACEHOLDER_RE.sub(lambda m: str(values.get(m.group(1), "")), body).strip()


def parse_field_lines(text: str) -> list[dict]:
    """The office's plain-text field editor: one field a line, ``name|label|kind|required|choices|help|limit``.

    ``required`` is 是/否 (default 是); choices are separated by ``/``; ``limit`` 不晚于今天 for a date that
    must not lie ahead. Example: ``since|居住起始日期|date|是|||不晚于今天``.
    """
    fields = []
    for line in (raw.strip() for raw in (text or "").splitlines()):
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")] + [""] * 7
        spec = {"name": parts[0], "label": parts[1], "kind": parts[2] or "text", "required": parts[3] != "否"}
        if parts[4]:
            spec["choices"] = [c.strip() for c in parts[4].split("/") if c.strip()]
        if parts[5]:
            spec["help"] = parts[5]
        if parts[6] == NOT_FUTURE:
            spec["not_future"] = True
        fields.append(spec)
    return fields


def format_field_lines(fields: list) -> str:
    return "\n".join(
        "|".join(
            [
                f["name"],
                f["label"],
                f.get("kind", "text"),
                "是" if f.get("required", True) else "否",
                "/".join(f.get("choices", [])),
                f.get("help", ""),
                NOT_FUTURE if f.get("not_future") else "",
            ]
        ).rstrip("|")
        for f in fields
    )
