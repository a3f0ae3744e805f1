"""The archive of an application (第十一条 建立档案): its whole chain as an Excel workbook, and one
chronological timeline for the archive page."""

from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jianfu.core.excel import text_safe_row
from jianfu.orgs.models import User

from .documents import cn_date
from .models import AdmittedItem, Application, Kind, Status, WorkNotice

# The archive (第十一条 建立档案) ---------------------------------------------------------------------------


def application_chain(application: Application) -> list[Application]:
    """Every application in the line of one admitted item, oldest first: the original admission, its
    changes (each admitting a successor item) and the exit filings."""
    root, seen = application, {application.pk}
    while root.related_item_id and root.related_item.application_id not in seen:
        root = root.related_item.application
        seen.add(root.pk)
    found, frontier = {root.pk: root}, [root]
    while frontier:
        items = AdmittedItem.objects.filter(application__in=frontier)
        frontier = list(
            Application.objects.filter(related_item__in=items)
            .exclude(pk__in=found)
            .select_related("applicant", "related_item")
        )
        found.update((a.pk, a) for a in frontier)
    return sorted(found.values(), key=lambda a: (a.created_at, a.pk))


def _relation(application: Application, other: Application) -> str:
    if other.pk == application.pk:
        return "本申请"
    return {Kind.NEW: "原准入", Kind.CHANGE: "变更", Kind.EXIT: "完结/退出报备"}[other.kind]


def _notice_of(application: Application) -> WorkNotice | None:
    return WorkNotice.objects.filter(application=application).select_related("item", "issued_by").first()


def _naive(moment):
    """Excel has no time zones: archive times are written as Beijing local time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _name(user) -> str:
    return user.full_name if user else "系统"


def _status_label(value: str) -> str:
    return Status(value).label if value else ""


TRANSITION_COLUMNS = [("序号", 6), ("时间", 18), ("原状态", 16), ("新状态", 18), ("办理人", 14), ("说明", 60)]
OPINION_COLUMNS = [("时间", 18), ("环节", 16), ("单位", 20), ("意见", 18), ("具体意见", 60), ("出具人", 14)]
MEETING_COLUMNS = [
    ("会议日期", 12),
    ("地点", 20),
    ("召集人", 20),
    ("申请主体专题汇报", 50),
    ("会议纪要", 50),
    ("意见份数", 10),
    ("记录人", 14),
    ("记录时间", 18),
]
RECIPIENT_COLUMNS = [
    ("告知单编号", 24),
    ("区划代码", 16),
    ("乡镇（街道）/村（社区）", 24),
    ("层级", 14),
    ("签收时间", 18),
    ("签收人", 14),
]
CHAIN_COLUMNS = [
    ("关系", 14),
    ("申请编号", 20),
    ("类型", 12),
    ("事项名称", 36),
    ("状态", 18),
    ("申请主体", 16),
    ("提交时间", 18),
    ("核准时间", 18),
    ("关联事项编码", 22),
    ("准入事项编码", 22),
    ("说明", 50),
]


def application_archive_workbook(application: Application, receipts=None) -> Workbook:
    """The archive export: the application, its history, opinions, meetings, notice and its successors.
    ``receipts`` are the notice's recipients the reader may see (``selectors.notice_receipts``); all if None."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    notice = _notice_of(application)
    for title, columns, rows in (
        ("申请信息", [("项目", 22), ("内容", 80)], _info_rows(application)),
        ("流转记录", TRANSITION_COLUMNS, _transition_rows(application)),
        ("审核意见", OPINION_COLUMNS, _opinion_rows(application)),
        ("成员单位会议", MEETING_COLUMNS, _meeting_rows(application)),
        ("告知单及签收", RECIPIENT_COLUMNS, _recipient_rows(notice, receipts)),
        ("变更与退出", CHAIN_COLUMNS, _chain_rows(application)),
    ):
        _write_sheet(workbook, title, columns, rows)
    return workbook


def _write_sheet(workbook: Workbook, title: str, columns, rows) -> None:
    sheet = workbook.create_sheet(title)
    header = text_safe_row(sheet, [name for name, _ in columns])
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        cells = text_safe_row(sheet, row)
        for cell in cells:
            cell.alignment = wrap
        sheet.append(cells)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _info_rows(application: Application) -> list:
    rows = []
    for field in Application._meta.concrete_fields:
        if field.name != "id":
            rows.append([str(field.verbose_name), _field_value(application, field)])
        if field.name == "scope_all":
            rows.append(["实施范围", application.scope_label()])
    return rows


def _field_value(application: Application, field):
    value = getattr(application, field.name)
    if value is None or value == "":
        return ""
    if field.choices:
        return getattr(application, f"get_{field.name}_display")()
    if field.name == "precheck":
        return _precheck_text(value)
    if field.is_relation:
        return value.full_name if isinstance(value, User) else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return _naive(value) if isinstance(value, datetime) else value


def _precheck_text(precheck: dict) -> str:
    lines = [f"{r.get('region', '')}：{r.get('explanation', '')}" for r in precheck.get("results", [])]
    near = precheck.get("near_duplicates", [])
    return "\n".join(lines + [f"相近的已准入事项：{m.get('code', '')} {m.get('text', '')}" for m in near])


def _transition_rows(application: Application) -> list:
    return [
        [
            n,
            _naive(t.at),
            _status_label(t.from_status) or "新建",
            _status_label(t.to_status),
            t.actor_name,
            t.note,
        ]
        for n, t in enumerate(application.transitions.all(), start=1)
    ]


def _opinion_rows(application: Application) -> list:
    return [
        [
            _naive(o.created_at),
            o.get_stage_display(),
            o.unit_name,
            o.get_stance_display(),
            o.text,
            _name(o.author),
        ]
        for o in application.opinions.select_related("author")
    ]


def _meeting_rows(application: Application) -> list:
    return [
        [
            m.held_on,
            m.place,
            m.convener,
            m.applicant_report,
            m.minutes,
            m.opinions.count(),
            _name(m.recorded_by),
            _naive(m.created_at),
        ]
        for m in application.meetings.select_related("recorded_by")
    ]


def _receipts(notice: WorkNotice, receipts) -> list:
    rows = notice.recipients.all() if receipts is None else receipts.filter(notice=notice)
    return list(rows.select_related("region", "acknowledged_by").order_by("region__code"))


def _recipient_rows(notice: WorkNotice | None, receipts=None) -> list:
    if notice is None:
        return []
    return [
        [
            notice.number,
            r.region.code,
            r.region.name,
            r.region.get_level_display(),
            _naive(r.acknowledged_at) or "未签收",
            _name(r.acknowledged_by) if r.acknowledged_at else "",
        ]
        for r in _receipts(notice, receipts)
    ]


def _chain_rows(application: Application) -> list:
    rows = []
    for other in application_chain(application):
        own = AdmittedItem.objects.filter(application=other).values_list("code", flat=True).first()
        rows.append(
            [
                _relation(application, other),
                other.number,
                other.get_kind_display(),
                other.title,
                other.get_status_display(),
                other.applicant.name,
                _naive(other.submitted_at),
                _naive(other.decided_at),
                other.related_item.code if other.related_item_id else "",
                own or "",
                other.description if other.kind == Kind.EXIT else other.decision_reason,
            ]
        )
    return rows


# The timeline ----------------------------------------------------------------------------------------------


def archive_entries(application: Application, receipts=None) -> list[dict]:
    """The application's whole record as one timeline, oldest first: each entry has ``time`` (aware),
    ``step`` (环节), ``actor`` (办理人/单位), ``content`` and ``kind`` (for the page's icons)."""
    entries = _transition_entries(application) + _opinion_entries(application) + _meeting_entries(application)
    entries += _notice_entries(_notice_of(application), receipts) + _chain_entries(application)
    # Stable: entries at the same instant keep the order of the procedure they were gathered in.
    return sorted(entries, key=lambda e: e["time"])


def _entry(time, step: str, actor: str, content: str, kind: str) -> dict:
    return {"time": time, "step": step, "actor": actor, "content": content, "kind": kind}


def _with_unit(user, name: str = "") -> str:
    name = name or _name(user)
    department = user.department.name if user and user.department_id else ""
    # Demo and real names often carry the unit already: 周强（县人社局）.
    return f"{name}（{department}）" if department and department not in name else name


def _transition_entries(application: Application) -> list[dict]:
    return [
        _entry(
            t.at,
            Status(t.to_status).label,
            _with_unit(t.actor, t.actor_name),
            t.note or f"{_status_label(t.from_status) or '新建'} → {Status(t.to_status).label}",
            "transition",
        )
        for t in application.transitions.select_related("actor__department")
    ]


def _opinion_entries(application: Application) -> list[dict]:
    return [
        _entry(
            o.created_at,
            o.get_stage_display(),
            f"{o.unit_name}（{_name(o.author)}）",
            f"{o.get_stance_display()}{f'：{o.text}' if o.text else ''}",
            "opinion",
        )
        for o in application.opinions.select_related("author")
    ]


def _meeting_entries(application: Application) -> list[dict]:
    return [
        _entry(
            m.created_at,
            "成员单位会议",
            m.convener,
            f"{cn_date(m.held_on)}在{m.place or '（地点未记录）'}召开；专题汇报：{m.applicant_report}"
            f"{f'；纪要：{m.minutes}' if m.minutes else ''}",
            "meeting",
        )
        for m in application.meetings.all()
    ]


def _notice_entries(notice: WorkNotice | None, receipts=None) -> list[dict]:
    if notice is None:
        return []
    recipients = _receipts(notice, receipts)
    issued = _entry(
        notice.issued_at,
        "下发告知单并备案",
        _with_unit(notice.issued_by),
        f"{notice.number}，准入事项{notice.item.code}，送达{notice.recipients.count()}个乡镇（街道）、村（社区），"
        f"{cn_date(notice.filed_on)}备案",
        "notice",
    )
    return [issued] + [
        _entry(
            r.acknowledged_at,
            "签收告知单",
            f"{r.region.name}（{_name(r.acknowledged_by)}）",
            f"签收{notice.number}",
            "acknowledgement",
        )
        for r in recipients
        if r.acknowledged_at
    ]


def _chain_entries(application: Application) -> list[dict]:
    """The other applications of the item's line: the original admission, changes and exit filings."""
    entries = []
    for other in application_chain(application):
        if other.pk != application.pk:
            detail = other.description if other.kind == Kind.EXIT else other.get_status_display()
            entries.append(
                _entry(
                    other.decided_at or other.submitted_at or other.created_at,
                    _relation(application, other),
                    other.applicant.name,
                    f"{other.number or '（未编号）'}“{other.title}”：{detail}",
                    "exit" if other.kind == Kind.EXIT else "change",
                )
            )
    return entries
