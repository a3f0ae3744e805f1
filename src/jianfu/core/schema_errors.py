"""Pydantic's validation errors in Chinese: API answers and structured settings never show its English text.

``describe(error)`` reads the error's ``type`` and ``ctx`` (pydantic v2's stable codes), not its message.
"""

# Query and path parameters every list shares; a body field is named by its key.
FIELD_LABELS = {"page": "页码", "page_size": "每页条数", "year": "年度", "month": "月份"}

MESSAGES = {
    "missing": "必须填写",
    "missing_argument": "必须填写",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "int_parsing_size": "数值超出范围",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "finite_number": "须为有限的数字",
    "decimal_parsing": "须为数字",
    "decimal_type": "须为数字",
    "decimal_max_digits": "数字位数不能超过 {max_digits} 位",
    "decimal_max_places": "小数不能超过 {decimal_places} 位",
    "decimal_whole_digits": "整数部分不能超过 {whole_digits} 位",
    "bool_parsing": "须为是或否（true/false）",
    "bool_type": "须为是或否（true/false）",
    "string_type": "须为文字",
    "string_unicode": "须为文字",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "不能超过 {max_length} 个字",
    "string_pattern_mismatch": "格式不符合要求",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "须为 {multiple_of} 的倍数",
    "date_parsing": "须为日期，如 2026-03-31",
    "date_type": "须为日期，如 2026-03-31",
    "date_from_datetime_parsing": "须为日期，如 2026-03-31",
    "date_from_datetime_inexact": "须为日期，不带时间",
    "datetime_parsing": "须为日期时间，如 2026-03-31T09:00:00",
    "datetime_type": "须为日期时间，如 2026-03-31T09:00:00",
    "datetime_from_date_parsing": "须为日期时间，如 2026-03-31T09:00:00",
    "time_parsing": "须为时间，如 09:00",
    "time_type": "须为时间，如 09:00",
    "timezone_aware": "须带时区",
    "uuid_parsing": "须为有效的标识",
    "uuid_type": "须为有效的标识",
    "url_parsing": "须为有效的网址",
    "url_type": "须为有效的网址",
    "url_scheme": "网址须以 http 或 https 开头",
    "list_type": "须为列表",
    "tuple_type": "须为列表",
    "set_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "dataclass_type": "须为对象",
    "too_short": "至少 {min_length} 项",
    "too_long": "不能超过 {max_length} 项",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "extra_forbidden": "不是可接受的字段",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "bytes_type": "须为文件",
    "union_tag_invalid": "类型不正确",
    "union_tag_not_found": "缺少类型",
    "none_required": "须为空",
    "is_instance_of": "类型不正确",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def describe(error: dict) -> str:
    """The Chinese reason for one pydantic error; our own validators' Chinese text is kept as written."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", ""))
        return reason if reason and not reason.isascii() else "格式不正确"
    template = MESSAGES.get(kind)
    if template is None:
        return "格式不正确"
    try:
        reason = template.format(**{k: _plain(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        reason = template.split("{")[0].rstrip("：")
    return f"格式不正确：{reason}"


def _plain(value) -> str:
    # pydantic's ``expected`` lists literals as "'a', 'b' or 'c'"; show them with Chinese punctuation.
    return str(value).replace("' or '", "'、'").replace("', '", "'、'").replace("'", "")
