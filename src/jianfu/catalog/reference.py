"""Loads the reference lists transcribed from the seeds (data/lists/*.yaml) as published lists.

Loading is idempotent: a file already loaded (same kind, region, title and source) is left alone.
"""

from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.orgs.models import Region

from .models import ListItem, ListKind, ListStatus, WorkList
from .services import _check_item

REFERENCE_DIR = settings.PROJECT_DIR / "data" / "lists"
REFERENCE_APPROVAL = "参考数据（按来源文件载入）"


def reference_files(directory: Path = REFERENCE_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def read_list_file(path: Path) -> dict:
    """Parse and check one reference file; errors name the file and the item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    head = data.get("list") or {}
    if head.get("kind") not in ListKind.values:
        raise ValidationError(f"{path.name}：list.kind “{head.get('kind')}”无效。")
    if not data.get("items"):
        raise ValidationError(f"{path.name}：没有事项。")
    return data


def _item_from(entry: dict, position: int, work_list: WorkList) -> ListItem:
    process = entry.get("process") or {}
    item = ListItem(
        work_list=work_list, position=position, code=str(entry["code"]), content=entry.get("content", ""),
        category=entry.get("category") or "", legal_basis=entry.get("legal_basis") or [],
        departments=entry.get("departments") or [], reason=entry.get("reason") or "",
        examples=entry.get("examples") or [], process_basis=process.get("basis") or "",
        process_standard=process.get("standard") or "", process_conditions=process.get("conditions") or "",
        process_materials=process.get("materials") or "", alternative=entry.get("alternative") or "",
        responsible_department=entry.get("responsible_department") or "",
    )  # fmt: skip
    _check_item(item, work_list.kind)
    return item


def _checked_items(path: Path, entries: list, work_list: WorkList) -> list[ListItem]:
    items = []
    for position, entry in enumerate(entries, start=1):
        try:
            items.append(_item_from(entry, position, work_list))
        except (ValidationError, KeyError) as exc:
            detail = "；".join(exc.messages) if isinstance(exc, ValidationError) else f"缺少字段 {exc}"
            raise ValidationError(
                f"{path.name} 第 {position} 项（{entry.get('code', '无编码')}）：{detail}"
            ) from exc
    return items


@transaction.atomic
def load_reference_file(path: Path) -> WorkList | None:
    data = read_list_file(path)
    head = data["list"]
    region = Region.objects.get(code=str(head["region"]))
    source = str(data.get("source", path.name))[:300]
    effective_from = head.get("effective_from") or timezone.localdate()
    if isinstance(effective_from, str):
        effective_from = date.fromisoformat(effective_from)
    # One issued version per list and start date: a file already loaded (even if edited since) is left alone.
    if (
        WorkList.objects.issued()
        .filter(kind=head["kind"], region=region, effective_from=effective_from)
        .exists()
    ):
        return None
    number = (
        WorkList.objects.filter(kind=head["kind"], region=region).aggregate(n=Max("version_no"))["n"] or 0
    ) + 1
    work_list = WorkList.objects.create(
        kind=head["kind"], region=region, title=head["title"], document_number=head.get("document_number") or "",
        version_no=number, status=ListStatus.PUBLISHED, effective_from=effective_from, approved_by=REFERENCE_APPROVAL,
        approved_on=effective_from, source=source, published_at=timezone.now(), change_note=data.get("note") or "",
    )  # fmt: skip
    ListItem.objects.bulk_create(_checked_items(path, data["items"], work_list))
    audit_record(actor=None, action="worklist.load_reference", obj=work_list,
                 message=f"载入参考清单 {path.name}：{len(data['items'])} 项")  # fmt: skip
    return work_list


def load_reference_lists(directory: Path = REFERENCE_DIR) -> list[WorkList]:
    loaded = []
    for path in reference_files(directory):
        work_list = load_reference_file(path)
        if work_list is not None:
            loaded.append(work_list)
    return loaded
