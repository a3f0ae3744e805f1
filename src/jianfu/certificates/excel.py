"""Excel exports: the statistics (one sheet per dimension) and a ledger of records with ID numbers masked."""

from openpyxl import Workbook

from jianfu.core.excel import text_safe_row

from .idnumbers import mask_id
from .models import DocumentStatus, InstitutionKind, RefusalReason
from .stats import DIMENSIONS, KINDS, Row, totals

COUNT_TITLES = [label for _, label, _ in KINDS] + ["合计"]


def export_stats(stats: dict[str, list[Row]], *, heading: str) -> Workbook:
    workbook = Workbook(write_only=True)
    for dimension, title in DIMENSIONS.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append([heading])
        sheet.append([title.removeprefix("按")] + COUNT_TITLES)
        rows = stats[dimension]
        for row in rows:
            counts = [row.count(kind) for kind, _, _ in KINDS] + [row.total]
            sheet.append(text_safe_row(sheet, [row.label, *counts]))
        sum_row = totals(rows)
        sheet.append(["合计", *[sum_row[kind] for kind, _, _ in KINDS], sum_row["total"]])
    return workbook


LEDGER_COLUMNS = {
    "issuance": [
        "编号",
        "日期",
        "村（社区）",
        "事项编码",
        "证明名称",
        "居民姓名",
        "公民身份号码（脱敏）",
        "要求单位类型",
        "要求出具的单位",
        "用途",
        "状态",
    ],
    "commitment": [
        "编号",
        "日期",
        "村（社区）",
        "事项编码",
        "承诺事项",
        "居民姓名",
        "公民身份号码（脱敏）",
        "要求单位类型",
        "要求出具的单位",
        "用途",
        "状态",
    ],
    "refusal": [
        "编号",
        "日期",
        "村（社区）",
        "事项编码",
        "请求的证明",
        "原因",
        "要求单位类型",
        "要求出具的单位",
        "替代途径",
        "责任部门",
    ],
}


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


def _ledger_row(kind: str, r) -> list:
    head = [r.number, r.on.isoformat(), r.village.name, r.type_code]
    institution = [_label(InstitutionKind, r.institution_kind), r.institution_name]
    if kind == "refusal":
        return head + [
            r.type_name,
            _label(RefusalReason, r.reason),
            *institution,
            r.alternative,
            r.responsible_department,
        ]
    return head + [
        r.type_name,
        r.resident_name,
        mask_id(r.resident_id_number),
        *institution,
        r.purpose,
        _label(DocumentStatus, r.status),
    ]


def export_ledger(kind: str, records) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(dict((k, label) for k, label, _ in KINDS)[kind] + "记录")
    sheet.append(LEDGER_COLUMNS[kind])
    for record in records.iterator(chunk_size=500):
        sheet.append(text_safe_row(sheet, _ledger_row(kind, record)))
    return workbook
