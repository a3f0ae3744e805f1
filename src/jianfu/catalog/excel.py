"""Excel import (all-or-nothing, into a draft) and export of a list's items."""

import re
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from openpyxl import Workbook

from jianfu.audit.services import audit_record
from jianfu.core import progress
from jianfu.core.excel import read_sheet, text_safe_row
from jianfu.core.text import check_lengths
from jianfu.orgs.imports import RowErrors

from .models import ListItem, UndertakenSide, WorkList
from .services import _check_item, _lock_list, _require_draft, require_catalog

COLUMNS = [
    ("编码", "code"),
    ("事项内容", "content"),
    ("类别", "category"),
    ("法律依据", "legal_basis"),
    ("涉及部门", "departments"),
    ("列入理由", "reason"),
    ("具体事项", "examples"),
    ("办理依据", "process_basis"),
    ("办理标准", "process_standard"),
    ("办理条件", "process_conditions"),
    ("所需材料", "process_materials"),
    ("替代途径", "alternative"),
    ("责任部门", "responsible_department"),
    ("承办事项性质", "treated_as"),
]
REQUIRED = ["编码", "事项内容"]
_CITATION = re.compile(r"《([^》]+)》(.*)")
_SPLIT = re.compile(r"[；;\n]+")
_LIST_SPLIT = re.compile(r"[、，,；;\n]+")


def parse_legal_basis(text: str) -> list[dict]:
    """'《A法》第二条；《B条例》第三条' -> [{law, articles}, ...]; text without 《》 is a citation of its own."""
    citations = []
    for part in (p.strip() for p in _SPLIT.split(text or "") if p.strip()):
        found = _CITATION.match(part)
        citations.append(
            {"law": found.group(1), "articles": found.group(2).strip()}
            if found
            else {"law": part, "articles": ""}
        )
    return citations


def format_legal_basis(citations) -> str:
    return "；".join(f"《{c['law']}》{c.get('articles', '')}" for c in citations if c.get("law"))


def _split_list(text: str, separator=_LIST_SPLIT) -> list[str]:
    return [p.strip() for p in separator.split(text or "") if p.strip()]


def export_items(work_list: WorkList) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(work_list.get_kind_display()[:31])
    sheet.append([title for title, _ in COLUMNS])
    for item in work_list.items.order_by("position", "code"):
        sheet.append(text_safe_row(sheet, [_cell(item, name) for _, name in COLUMNS]))
    return workbook


def _cell(item, name):
    value = getattr(item, name)
    if name == "legal_basis":
        return format_legal_basis(value)
    if name == "departments":
        return "、".join(value)
    if name == "examples":
        return "；".join(value)
    if name == "treated_as":
        return item.get_treated_as_display() if value else ""
    return value


def parse_treated_as(text: str) -> str | None:
    """The 承办事项性质 cell: blank, or one of its labels (or 依法履职 / 依法协助); None when unreadable."""
    text = (text or "").strip()
    if not text:
        return ""
    for value, label in UndertakenSide.choices:
        if text == label or text == value:
            return value
    if "履职" in text or "自身" in text:
        return UndertakenSide.DUTY
    if "协助" in text:
        return UndertakenSide.ASSIST
    return None


def _row_to_fields(cells: dict) -> dict:
    fields = {name: cells.get(title, "") for title, name in COLUMNS}
    fields["legal_basis"] = parse_legal_basis(fields["legal_basis"])
    fields["departments"] = _split_list(fields["departments"])
    fields["examples"] = _split_list(fields["examples"], _SPLIT)
    fields["treated_as"] = parse_treated_as(fields["treated_as"])
    return fields


def read_item_rows(fileobj) -> list[tuple[int, dict]]:
    return read_sheet(fileobj, REQUIRED, read=[title for title, _ in COLUMNS])


def import_items(*, actor, work_list: WorkList, fileobj, filename: str = "") -> int:
    """Replace a draft's items with the file's rows; one bad row refuses the whole file."""
    require_catalog(actor, work_list.region)
    _require_draft(work_list)
    rows = read_item_rows(fileobj)
    errors = RowErrors()
    titles = {name: title for title, name in COLUMNS}
    items, seen = [], {}
    for position, (number, cells) in enumerate(rows, start=1):
        progress.tick(position - 1, len(rows), f"校验第 {number} 行")
        fields = _row_to_fields(cells)
        if fields["treated_as"] is None:
            errors.add(number, "承办事项性质", "应填“依法履职”或“依法协助”，或留空。")
            fields["treated_as"] = ""
        item = ListItem(work_list=work_list, position=position, **fields)
        if not item.code:
            errors.add(number, "编码", "不能为空。")
        elif item.code in seen:
            errors.add(number, "编码", f"与第 {seen[item.code]} 行重复。")
        seen.setdefault(item.code, number)
        for check in (_item_checks(item, work_list.kind), partial(check_lengths, item, ["content"])):
            try:
                check()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.add(number, titles.get(name, name), "".join(messages))
        items.append(item)
    errors.raise_if_any()
    return _replace_items(actor, work_list, items, filename)


def _item_checks(item: ListItem, kind: str):
    def check():
        _check_item(item, kind)
        # Lengths and types the database would otherwise refuse (emptiness is reported above).
        item.full_clean(
            exclude=["work_list", "content"] + ([] if item.code else ["code"]), validate_unique=False
        )

    return check


@transaction.atomic
def _replace_items(actor, work_list, items, filename) -> int:
    work_list = _lock_list(work_list, None)
    _require_draft(work_list)
    work_list.items.all().delete()
    ListItem.objects.bulk_create(items)
    WorkList.objects.filter(pk=work_list.pk).update(revision=F("revision") + 1)
    audit_record(
        actor=actor,
        action="worklist.import_items",
        obj=work_list,
        message=f"从 {filename} 导入 {len(items)} 项，替换草稿原有事项",
    )
    return len(items)
