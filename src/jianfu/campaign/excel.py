"""The campaign ledger (工作台账) as an Excel workbook: task table, per-unit figures, reports."""

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from jianfu.core.excel import text_safe_row

from .models import ReportKind

TASK_COLUMNS = [
    "序号",
    "工作任务",
    "推进措施",
    "牵头单位",
    "责任单位",
    "完成时限",
    "状态",
    "进度（%）",
    "是否逾期",
    "缺报次数",
    "最近报告",
    "最近报告期",
]
UNIT_COLUMNS = [
    "牵头单位",
    "牵头任务",
    "已完成",
    "推进中",
    "未启动",
    "逾期",
    "缺报次数",
    "缺报明细",
    "交办事项",
    "其中无流程卡",
]
REPORT_COLUMNS = [
    "任务序号",
    "工作任务",
    "报送单位",
    "报告类型",
    "报告期起",
    "报告期止",
    "完成进度（%）",
    "任务已完成",
    "工作进展",
    "存在问题",
    "下步打算",
    "附件",
    "报送时间",
]


def _missing_text(periods) -> str:
    return "；".join(f"第{n}项{ReportKind(k).label}{s:%m-%d}—{e:%m-%d}" for n, k, s, e in periods)


def ledger_workbook(campaign, data) -> Workbook:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("任务分工")
    sheet.append(text_safe_row(sheet, [f"{campaign.title} 工作台账（截至 {data['today']}）"]))
    sheet.append(text_safe_row(sheet, TASK_COLUMNS))
    for row in data["rows"]:
        t, latest = row["task"], row["latest"]
        responsible = t.responsible_text or "、".join(d.name for d in t.responsible_departments.all())
        sheet.append(
            text_safe_row(
                sheet,
                [
                    t.number,
                    t.area,
                    t.measures,
                    t.lead_department.name,
                    responsible,
                    t.deadline_text or t.deadline_label,
                    t.get_status_display(),
                    t.progress,
                    "是" if row["overdue"] else "否",
                    len(row["missing"]),
                    latest.summary if latest else "",
                    f"{latest.period_start}—{latest.period_end}" if latest else "",
                ],
            )
        )
    sheet = book.create_sheet("牵头单位")
    sheet.append(text_safe_row(sheet, UNIT_COLUMNS))
    for u in data["units"]:
        sheet.append(
            text_safe_row(
                sheet,
                [
                    u.department.name,
                    u.total,
                    u.done,
                    u.in_progress,
                    u.not_started,
                    u.overdue,
                    u.missing,
                    _missing_text(u.missing_periods),
                    u.items,
                    u.without_card,
                ],
            )
        )
    sheet = book.create_sheet("进度报告")
    sheet.append(text_safe_row(sheet, REPORT_COLUMNS))
    for r in data["reports"]:
        sheet.append(
            text_safe_row(
                sheet,
                [
                    r.task.number,
                    r.task.area,
                    r.department.name,
                    r.get_kind_display(),
                    r.period_start,
                    r.period_end,
                    r.progress,
                    "是" if r.completes else "否",
                    r.summary,
                    r.problems,
                    r.next_steps,
                    "、".join(a.name for a in r.attachments.all()),
                    timezone.localtime(r.filed_at).replace(tzinfo=None),
                ],
            )
        )
    return book


def ledger_response(campaign, data) -> HttpResponse:
    buffer = io.BytesIO()
    ledger_workbook(campaign, data).save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{campaign.title}工作台账.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
