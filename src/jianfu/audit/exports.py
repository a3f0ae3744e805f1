from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from jianfu.core.excel import text_safe_row
from jianfu.core.uploads import download_name

COLUMNS = [
    ("序号", "seq"),
    ("时间", "created_at"),
    ("账号", "actor_username"),
    ("姓名", "actor_name"),
    ("角色", "actor_role"),
    ("操作人区划代码", "actor_region_code"),
    ("所涉区划代码", "region_code"),
    ("操作", "action_label"),
    ("操作代码", "action"),
    ("对象类型", "object_type"),
    ("对象", "object_repr"),
    ("结果", "success"),
    ("说明", "message"),
    ("IP", "ip"),
    ("请求编号", "request_id"),
    ("哈希", "hash"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(record, attr):
    value = getattr(record, attr)
    if attr == "created_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if attr == "success":
        return "成功" if value else "失败"
    return value


def audit_workbook_response(records) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append([title for title, _ in COLUMNS])
    for record in records.iterator(chunk_size=2000):
        sheet.append(text_safe_row(sheet, [_cell(record, attr) for _, attr in COLUMNS]))
    response = HttpResponse(content_type=XLSX)
    download_name(response, f"审计日志-{timezone.localdate():%Y%m%d}.xlsx")
    workbook.save(response)
    return response
