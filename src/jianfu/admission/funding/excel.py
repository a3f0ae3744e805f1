"""Spreadsheets of 费随事转: the township's entry sheet of a ledger, the department's survey (梳理表) and the
county report. Imports are all-or-nothing; every refused row is named."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import Workbook

from jianfu.core.excel import ImportRefused, read_sheet, text_safe_row

from .models import SURVEY_CLAUSE, FundingLedger, FundingSurvey, Guarantee, SurveyRow
from .selectors import DepartmentRow
from .services import count, money

ALLOCATION_COLUMNS = [
    "村（社区）代码",
    "村（社区）名称",
    "到位经费（元）",
    "到位人员（人）",
    "人员姓名或岗位",
]
ALLOCATION_REQUIRED = ["村（社区）代码", "到位经费（元）"]
SURVEY_COLUMNS = [
    "服务事项",
    "事项编码",
    "涉及村（社区）数",
    "年度落实经费（元）",
    "经费来源",
    "落实人员（人）",
    "保障情况",
    "说明",
]
SURVEY_REQUIRED = ["服务事项", "年度落实经费（元）", "保障情况"]
MAX_ROWS = 2000


def allocation_workbook(ledger: FundingLedger, villages, entered: dict) -> Workbook:
    """The township's sheet: its villages the item reaches, with what is entered so far."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("到位情况")
    sheet.append(ALLOCATION_COLUMNS)
    for village in villages:
        row = entered.get(village.pk)
        values = [village.code, village.name, row.amount if row else None, row.people if row else None]
        sheet.append(text_safe_row(sheet, [*values, row.people_names if row else ""]))
    return workbook


def read_allocations(fileobj) -> list[tuple[int, dict]]:
    return read_sheet(fileobj, ALLOCATION_REQUIRED, read=ALLOCATION_COLUMNS, max_rows=MAX_ROWS)


def survey_workbook(survey: FundingSurvey, ledgers=()) -> Workbook:
    """The survey's rows, or (before any is filled) one row per ledger of the department that year."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("梳理表")
    sheet.append(SURVEY_COLUMNS)
    rows = list(survey.rows.all())
    for r in rows:
        values = [r.service, r.item_code, r.villages, r.funds, r.funds_source, r.people]
        sheet.append(text_safe_row(sheet, [*values, r.get_guarantee_display(), r.note]))
    if not rows:
        for book in ledgers:
            values = [book.item_title, book.item_code, None, book.promised_amount, book.funds_source]
            sheet.append(text_safe_row(sheet, [*values, book.promised_people, "", ""]))
    note = workbook.create_sheet("填报说明")
    note.append([SURVEY_CLAUSE + "。"])
    note.append(["保障情况填写：" + "、".join(Guarantee.labels)])
    return workbook


def read_survey(fileobj) -> list[dict]:
    """The survey's rows as field values, or ImportRefused naming every bad row."""
    parsed = read_sheet(fileobj, SURVEY_REQUIRED, read=SURVEY_COLUMNS, max_rows=MAX_ROWS)
    by_label = {label: value for value, label in Guarantee.choices}
    rows: list[dict] = []
    errors: list[str] = []
    for number, values in parsed:
        try:
            rows.append(_survey_row(values, by_label))
        except ValidationError as exc:
            errors.extend(f"第 {number} 行：{m}" for m in exc.messages)
    if errors:
        raise ImportRefused(errors)
    return rows


def _survey_row(values: dict, by_label: dict) -> dict:
    problems = []
    row = {"service": values.get("服务事项", ""), "item_code": values.get("事项编码", "")}
    row["funds_source"], row["note"] = values.get("经费来源", ""), values.get("说明", "")
    for name, title, read in (
        ("villages", "涉及村（社区）数", count),
        ("people", "落实人员（人）", count),
        ("funds", "年度落实经费（元）", money),
    ):
        try:
            row[name] = read(values.get(title, ""), label=title)
        except ValidationError as exc:
            problems.extend(exc.messages)
    guarantee = by_label.get(values.get("保障情况", ""))
    if guarantee is None:
        problems.append(f"「保障情况」应为{'、'.join(Guarantee.labels)}之一。")
    row["guarantee"] = guarantee
    if not row["service"]:
        problems.append("「服务事项」不能为空。")
    if not problems:
        try:
            SurveyRow(survey_id=0, line=1, **row).full_clean(exclude=["survey"])
        except ValidationError as exc:
            problems.extend(
                f"「{getattr(SurveyRow._meta.get_field(k), 'verbose_name', k)}」{'；'.join(v)}"
                for k, v in exc.message_dict.items()
            )
    if problems:
        raise ValidationError(problems)
    return row


def report_workbook(county, year: int, departments: list[DepartmentRow]) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("费随事转")
    sheet.append([f"{county.name}{year}年交办村（社区）事项经费和人员落实情况"])
    sheet.append(
        [
            "交办部门",
            "事项编码",
            "事项名称",
            "承诺经费（元）",
            "村确认到位（元）",
            "承诺人员",
            "村确认人员",
            "落实情况",
        ]
    )
    for group in departments:
        for r in group.rows:
            values = [group.department.name, r.code, r.title, r.promised, r.confirmed]
            sheet.append(
                text_safe_row(sheet, [*values, r.promised_people, r.confirmed_people, r.status_label])
            )
    return workbook


def decimal_text(value: Decimal) -> str:
    return f"{value:,.2f}"
