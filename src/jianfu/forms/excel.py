"""Excel for the one table: base-data and form-definition imports (all-or-nothing, errors per row in Chinese) and
the export of a form in the department's own layout with the values served from the base table."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from jianfu.audit.services import audit_record
from jianfu.core import progress
from jianfu.core.excel import read_sheet
from jianfu.orgs.imports import RowErrors
from jianfu.orgs.models import Department, Level, Region

from . import services
from .models import BaseValue, DepartmentForm, Frequency, Indicator, TaskValue, ValueSource, ValueType

VALUE_COLUMNS = ("村（社区）区划代码", "指标编码", "统计期", "数值", "单位")
FORM_COLUMNS = (
    "报表名称",
    "填报依据",
    "填报频次",
    "服务的清单事项编码",
    "栏目名称",
    "单位",
    "数据类型",
    "对应指标编码",
    "新增理由",
)
MAX_ROWS = 20000


def read_rows(fileobj, columns) -> list[tuple[int, dict]]:
    return read_sheet(fileobj, columns, max_rows=MAX_ROWS)


def import_values(*, actor, fileobj, filename: str = "") -> int:
    """Base-data values of the villages the actor enters for; one bad row (unknown village or indicator, wrong
    type, unit or range, a locked period, a broken rule) refuses the whole file."""
    rows = read_rows(fileobj, VALUE_COLUMNS)
    errors, planned = RowErrors(), {}
    villages = {v.code: v for v in Region.objects.filter(code__in={c["村（社区）区划代码"] for _, c in rows})}
    indicators = (
        {i.code: i for i in Indicator.objects.visible_to(actor).filter(is_active=True)}
        if actor
        else {i.code: i for i in Indicator.objects.filter(is_active=True)}
    )
    for position, (number, cells) in enumerate(rows):
        progress.tick(position, len(rows), f"校验第 {number} 行")
        village, indicator = villages.get(cells["村（社区）区划代码"]), indicators.get(cells["指标编码"])
        if village is None or village.level != Level.VILLAGE:
            errors.add(
                number, "村（社区）区划代码", f"“{cells['村（社区）区划代码']}”不是村（社区）区划代码。"
            )
            continue
        if actor is not None and not actor.can("forms.enter", village):
            errors.add(number, "村（社区）区划代码", f"您不能录入“{village.name}”的数据。")
            continue
        if indicator is None:
            errors.add(number, "指标编码", f"没有编码为“{cells['指标编码']}”的有效指标。")
            continue
        _plan_value(errors, planned, number, cells, village, indicator)
    errors.raise_if_any()
    return _write_values(actor, planned, errors, filename)


def _plan_value(errors, planned, number, cells, village, indicator) -> None:
    period = cells["统计期"]
    try:
        services.check_period(indicator, period)
        services.parse_value(indicator, cells["数值"], cells.get("单位", ""))
    except ValidationError as exc:
        column = "统计期" if "统计期" in exc.messages[0] else "数值"
        errors.add(number, column, "".join(exc.messages))
        return
    if services.is_locked(village, period):
        errors.add(number, "统计期", f"{period} 已由乡镇（街道）锁定，请走更正。")
        return
    key = (village.pk, period)
    batch = planned.setdefault(
        key, {"village": village, "period": period, "values": {}, "units": {}, "rows": {}}
    )
    if indicator in batch["values"]:
        errors.add(number, "指标编码", f"与第 {batch['rows'][indicator]} 行重复。")
    batch["values"][indicator], batch["units"][indicator] = cells["数值"], cells.get("单位", "")
    batch["rows"][indicator] = number


@transaction.atomic
def _write_values(actor, planned, errors, filename) -> int:
    count = 0
    for batch in planned.values():
        try:
            saved = services.values_enter(
                actor=actor,
                village=batch["village"],
                period=batch["period"],
                values=batch["values"],
                units=batch["units"],
                source=ValueSource.IMPORTED,
            )
        except ValidationError as exc:
            first = min(batch["rows"].values())
            errors.add(first, "数值", f"{batch['village'].name} {batch['period']}：{'；'.join(exc.messages)}")
            continue
        count += len(saved)
    if errors.errors:
        transaction.set_rollback(True)
        errors.raise_if_any()
    audit_record(actor=actor, action="forms.values_import", message=f"{filename}：{count} 个数值")
    return count


def import_forms(
    *, actor, department: Department, region: Region, year: int, fileobj, filename: str = ""
) -> list:
    """Form definitions, one row per field (the form's columns repeat on each of its rows); the whole file is
    registered or nothing is."""
    if actor is not None and not services.acts_for(actor, department):
        raise PermissionDenied("只能为本部门导入报表。")
    rows = read_rows(fileobj, FORM_COLUMNS)
    errors, forms = RowErrors(), {}
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            is_active=True, region__code__in=[region.code[:n].ljust(12, "0") for n in (2, 4, 6)]
        )
    }
    frequencies = {label: value for value, label in Frequency.choices}
    types = {label: value for value, label in ValueType.choices}
    for number, cells in rows:
        name = cells["报表名称"]
        if not name:
            errors.add(number, "报表名称", "不能为空。")
            continue
        spec = forms.setdefault(
            name,
            {
                "name": name,
                "legal_basis": cells["填报依据"],
                "rows": [],
                "frequency": frequencies.get(cells["填报频次"]),
                "list_item_code": cells["服务的清单事项编码"],
                "fields": [],
            },
        )
        if spec["frequency"] is None:
            errors.add(number, "填报频次", f"应为：{'、'.join(frequencies)}。")
        code = cells["对应指标编码"]
        if code and code not in indicators:
            errors.add(number, "对应指标编码", f"没有编码为“{code}”的有效指标。")
        if cells["数据类型"] and cells["数据类型"] not in types:
            errors.add(number, "数据类型", f"应为：{'、'.join(types)}。")
        spec["rows"].append(number)
        spec["fields"].append(
            {
                "label": cells["栏目名称"],
                "unit": cells["单位"],
                "indicator": indicators.get(code),
                "value_type": types.get(cells["数据类型"], ValueType.INTEGER),
                "justification": cells["新增理由"],
            }
        )
    errors.raise_if_any()
    return _register_forms(actor, department, region, year, forms, errors, filename)


@transaction.atomic
def _register_forms(actor, department, region, year, forms, errors, filename) -> list:
    made = []
    for spec in forms.values():
        rows = spec.pop("rows")
        try:
            made.append(
                services.form_register(actor=actor, department=department, region=region, year=year, **spec)
            )
        except ValidationError as exc:
            errors.add(rows[0], "报表名称", f"“{spec['name']}”：{'；'.join(exc.messages)}")
    if errors.errors:
        transaction.set_rollback(True)
        errors.raise_if_any()
    audit_record(actor=actor, action="forms.forms_import", message=f"{filename}：{len(made)} 张报表")
    return made


def export_form(form: DepartmentForm, period: str, villages) -> Workbook:
    """The department's own layout: title, then one row per village with the served values filled in from the
    base table and the typed values the villages reported."""
    fields = list(form.fields.select_related("indicator").order_by("position"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报表"
    sheet.append([f"{form.name}（{period}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"填报单位：{form.department.name}　清单编号：{form.number or '未列入'}　填报依据：{form.legal_basis}"
        ]
    )
    sheet.append(
        ["区划代码", "村（社区）"] + [f"{f.label}（{f.unit}）" if f.unit else f.label for f in fields]
    )
    for cell in sheet[3]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True)
    values = _served(fields, villages, period)
    typed = {
        (v.task.village_id, v.field_id): v.value
        for v in TaskValue.objects.filter(task__issue__form=form, task__issue__period=period).select_related(
            "task"
        )
    }
    for village in villages:
        row = [village.code, village.name]
        for f in fields:
            raw = (
                values.get((village.pk, f.indicator_id)) if f.indicator_id else typed.get((village.pk, f.pk))
            )
            row.append(_cell(raw, f))
        sheet.append(row)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 15, 14
    _keep_text_as_text(sheet)
    return workbook


def _keep_text_as_text(sheet) -> None:
    """Names, labels and typed values come from users: a leading "=" must never become a formula (formula
    injection), and pasted control characters would make the file unreadable. Same rule as
    jianfu.core.excel.text_safe_row, applied to this normal (styled) sheet."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", cell.value)
                cell.data_type = "s"


def _served(fields, villages, period) -> dict:
    wanted = {
        f.indicator_id: services.indicator_period(f.indicator.period, period)
        for f in fields
        if f.indicator_id
    }
    rows = BaseValue.objects.filter(
        village__in=villages, indicator_id__in=wanted, period__in=set(wanted.values())
    )
    return {(v.village_id, v.indicator_id): v.value for v in rows if wanted[v.indicator_id] == v.period}


def _cell(raw, field):
    """Numbers stay numbers in the department's file; missing values stay empty."""
    if raw in (None, ""):
        return None
    if field.value_type == ValueType.TEXT:
        return str(raw)
    number = float(raw)
    return int(number) if number.is_integer() else number
