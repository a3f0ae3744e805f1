"""Loads the reference lists (data/lists/*.yaml) as published lists.

A regional file is one list of one region: its items apply together from the list's date.

A national file (``list.scope: 国家层面``) is the national layer of one kind, compiled from several
published texts (laws, regulations, central documents). Each item carries the dates of the text it cites
(``effective_from``, and ``effective_to`` once that text was revised or repealed), so the file becomes a
chain of versions of one national list: a new version starts on every date an item starts or ends. The
classifier's cache, the 只增不减 check and the pages all work on list versions, so a national rule is in
force exactly on the days its text was.

Loading is idempotent: a version already loaded (same list and start date) is left alone; later versions
are appended to the chain. A regional file already loaded is left alone even if edited since. A national file
is checked against what was loaded: a loaded version is never rewritten, so a national file whose dates, codes,
wording or legal basis differ from a loaded version is refused. An item found later in an old text (a
certificate article overlooked when the layer was first loaded) says so with ``added_on``: it keeps its
text's ``effective_from`` and article as its legal basis, but enters the chain on ``added_on``, as a new
version after the loaded ones; a fresh database cuts the same versions, so both end with the same items in
force on every date (只增不减: the item is added, nothing is dropped).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.orgs.models import Region

from .models import NATIONAL_NAME, ListItem, ListKind, ListStatus, WorkList
from .rules import diff_items
from .services import _check_item

REFERENCE_DIR = settings.PROJECT_DIR / "data" / "lists"
REFERENCE_APPROVAL = "参考数据（按来源文件载入）"
ONE_DAY = timedelta(days=1)


def reference_files(directory: Path = REFERENCE_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def is_national(data: dict) -> bool:
    return (data.get("list") or {}).get("scope") == NATIONAL_NAME


def read_list_file(path: Path) -> dict:
    """Parse and check one reference file; errors name the file and the item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name}：文件内容不是一份清单。")
    head = data.get("list") or {}
    if head.get("kind") not in ListKind.values:
        raise ValidationError(f"{path.name}：list.kind “{head.get('kind')}”无效。")
    if not data.get("items"):
        raise ValidationError(f"{path.name}：没有事项。")
    if is_national(data) and head.get("region"):
        raise ValidationError(f"{path.name}：国家层面的清单不写 list.region。")
    if not is_national(data) and not head.get("region"):
        raise ValidationError(
            f"{path.name}：缺少 list.region（国家层面的清单写 list.scope: {NATIONAL_NAME}）。"
        )
    return data


def _as_date(value, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(f"{label}“{value}”不是日期（应为 YYYY-MM-DD）。") from exc


def _item_from(entry: dict, position: int, work_list: WorkList) -> ListItem:
    process = entry.get("process") or {}
    item = ListItem(
        work_list=work_list,
        position=position,
        code=str(entry["code"]),
        content=entry.get("content", ""),
        category=entry.get("category") or "",
        legal_basis=entry.get("legal_basis") or [],
        departments=entry.get("departments") or [],
        reason=entry.get("reason") or "",
        examples=entry.get("examples") or [],
        process_basis=process.get("basis") or "",
        process_standard=process.get("standard") or "",
        process_conditions=process.get("conditions") or "",
        process_materials=process.get("materials") or "",
        alternative=entry.get("alternative") or "",
        responsible_department=entry.get("responsible_department") or "",
        treated_as=entry.get("treated_as") or "",
    )
    _check_item(item, work_list.kind)
    return item


def _fail(path: Path, position: int, entry: dict, exc: Exception) -> ValidationError:
    detail = "；".join(exc.messages) if isinstance(exc, ValidationError) else f"缺少字段 {exc}"
    return ValidationError(f"{path.name} 第 {position} 项（{entry.get('code', '无编码')}）：{detail}")


def _checked_items(path: Path, entries, work_list: WorkList) -> list[ListItem]:
    """entries: (position in the file, entry); items are numbered 1… in the list they end up in."""
    items, seen = [], set()
    for number, (position, entry) in enumerate(entries, start=1):
        try:
            item = _item_from(entry, number, work_list)
        except (ValidationError, KeyError) as exc:
            raise _fail(path, position, entry, exc) from exc
        if item.code in seen:
            raise _fail(path, position, entry, ValidationError(f"编码 {item.code} 重复"))
        seen.add(item.code)
        items.append(item)
    return items


def load_reference_path(path: Path) -> list[WorkList]:
    """Load one file; returns the list versions it created (none if everything was loaded before)."""
    data = read_list_file(path)
    if is_national(data):
        return _load_national(path, data)
    work_list = _load_regional(path, data)
    return [work_list] if work_list else []


def load_reference_file(path: Path) -> WorkList | None:
    """Load one file; the (newest) list version it created, or None if it was loaded before."""
    created = load_reference_path(path)
    return created[-1] if created else None


def load_reference_lists(directory: Path = REFERENCE_DIR) -> list[WorkList]:
    loaded = []
    for path in reference_files(directory):
        loaded += load_reference_path(path)
    return loaded


# --- regional lists ---------------------------------------------------------------------------------


@transaction.atomic
def _load_regional(path: Path, data: dict) -> WorkList | None:
    head = data["list"]
    region = Region.objects.filter(code=str(head["region"])).first()
    if region is None:
        raise ValidationError(f"{path.name}：区划 {head['region']} 不存在（请先载入区划）。")
    dated = [e.get("code") for e in data["items"] if "effective_from" in e or "effective_to" in e]
    if dated:
        raise ValidationError(f"{path.name}：只有国家层面的清单按事项标注生效日期（{dated[0]}）。")
    source = str(data.get("source", path.name))[:300]
    effective_from = _as_date(head.get("effective_from"), f"{path.name} list.effective_from")
    effective_from = effective_from or timezone.localdate()
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
        kind=head["kind"],
        region=region,
        title=head["title"],
        document_number=head.get("document_number") or "",
        version_no=number,
        status=ListStatus.PUBLISHED,
        effective_from=effective_from,
        approved_by=REFERENCE_APPROVAL,
        approved_on=effective_from,
        source=source,
        published_at=timezone.now(),
        change_note=data.get("note") or "",
    )
    ListItem.objects.bulk_create(_checked_items(path, enumerate(data["items"], start=1), work_list))
    audit_record(
        actor=None,
        action="worklist.load_reference",
        obj=work_list,
        message=f"载入参考清单 {path.name}：{len(data['items'])} 项",
    )
    return work_list


# --- the national layer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalVersion:
    """One version of a national list: the items whose texts were all in force from start to end."""

    start: date
    end: date | None  # inclusive; None while current
    entries: tuple  # (position in the file, entry)


def _item_span(path: Path, position: int, entry: dict) -> tuple[date, date | None]:
    label = f"{path.name} 第 {position} 项（{entry.get('code', '无编码')}）"
    start = _as_date(entry.get("effective_from"), f"{label} effective_from")
    end = _as_date(entry.get("effective_to"), f"{label} effective_to")
    added = _as_date(entry.get("added_on"), f"{label} added_on")
    if start is None:
        raise ValidationError(f"{label}：国家层面的事项须写明 effective_from（所依据文本的施行日期）。")
    if end is not None and end < start:
        raise ValidationError(f"{label}：effective_to 早于 effective_from。")
    if added is not None and added < start:
        raise ValidationError(f"{label}：added_on（补录日期）早于所依据文本的施行日期 effective_from。")
    if added is not None and end is not None and added > end:
        raise ValidationError(f"{label}：added_on（补录日期）晚于 effective_to，补录时所依据的文本已失效。")
    # An item found later in an old text enters on the day it was added: versions already loaded stay as
    # they were, and a fresh database cuts the same versions.
    return max(start, added) if added else start, end


def national_versions(path: Path, entries: list[dict]) -> list[NationalVersion]:
    """Cut the file's items into versions at every date an item came into force or ceased to be."""
    spans = []
    for position, entry in enumerate(entries, start=1):
        start, end = _item_span(path, position, entry)
        spans.append((position, entry, start, end))
    bounds = sorted({start for *_, start, _ in spans} | {end + ONE_DAY for *_, end in spans if end})
    versions = []
    for index, start in enumerate(bounds):
        end = bounds[index + 1] - ONE_DAY if index + 1 < len(bounds) else None
        active = tuple((p, e) for p, e, s, t in spans if s <= start and (t is None or t >= start))
        if active:
            versions.append(NationalVersion(start, end, active))
    return versions


@transaction.atomic
def _load_national(path: Path, data: dict) -> list[WorkList]:
    kind = data["list"]["kind"]
    planned = national_versions(path, data["items"])
    loaded = list(
        WorkList.objects.select_for_update().filter(kind=kind, region__isnull=True).order_by("version_no")
    )
    _refuse_rewriting_loaded(path, kind, loaded, planned)
    previous = loaded[-1] if loaded else None
    created = []
    for version in planned[len(loaded) :]:
        if previous is not None and (previous.effective_to is None or previous.effective_to >= version.start):
            WorkList.objects.filter(pk=previous.pk).update(effective_to=version.start - ONE_DAY)
            previous.refresh_from_db()
        previous = _create_national_version(path, data, version, previous)
        created.append(previous)
    return created


REWRITE_ADVICE = (
    "已载入的版本不改写；修订请以新的生效日期增补事项，旧文本中新发现的条款请写 added_on（补录日期），"
    "自补录之日起作为新版本施行。"
)


def _refuse_rewriting_loaded(path: Path, kind: str, loaded: list[WorkList], planned) -> None:
    """The file must cut the loaded versions again exactly: same dates, same codes, same wording and basis."""
    loaded_starts = [w.effective_from for w in loaded]
    if loaded_starts != [v.start for v in planned[: len(loaded)]]:
        raise ValidationError(
            f"{path.name}：已载入的{NATIONAL_NAME}{ListKind(kind).label}版本（自 "
            f"{'、'.join(str(d) for d in loaded_starts)} 起）与文件中的日期不一致。{REWRITE_ADVICE}"
        )
    rows = ListItem.objects.filter(work_list__in=loaded).values_list(
        "work_list_id", "code", "content", "legal_basis"
    )
    have: dict = {}
    for list_id, code, content, basis in rows:
        have.setdefault(list_id, {})[code] = (content, basis)
    for work_list, version in zip(loaded, planned, strict=False):
        want = {
            str(e.get("code")): (e.get("content", ""), e.get("legal_basis") or []) for _, e in version.entries
        }
        difference = _difference(have.get(work_list.pk, {}), want)
        if difference:
            raise ValidationError(
                f"{path.name}：已载入的{NATIONAL_NAME}{ListKind(kind).label}版本（自 "
                f"{work_list.effective_from} 起）与文件不一致：{difference}。{REWRITE_ADVICE}"
            )


def _difference(have: dict, want: dict) -> str:
    """In officials' words: which codes the file dropped, added or reworded against a loaded version."""
    parts = []
    if dropped := [c for c in have if c not in want]:
        parts.append("文件中缺少 " + "、".join(dropped))
    if added := [c for c in want if c not in have]:
        parts.append("文件中多出 " + "、".join(added))
    if changed := [c for c in want if c in have and have[c] != want[c]]:
        parts.append("改动了 " + "、".join(changed) + " 的内容或法律依据")
    return "；".join(parts)


def _found_later(version: NationalVersion, added: list[ListItem]) -> list[tuple[ListItem, dict]]:
    """The items this version adds because they were found later in a text already in force (added_on)."""
    entries = {str(e.get("code")): e for _, e in version.entries}
    return [
        (item, entries[item.code])
        for item in added
        # added_on is never before effective_from (_item_span), so "later" is "on another day".
        if _as_date(entries[item.code].get("added_on"), "added_on") == version.start
        and _as_date(entries[item.code].get("effective_from"), "effective_from") != version.start
    ]


def _create_national_version(path: Path, data: dict, version: NationalVersion, previous) -> WorkList:
    head = data["list"]
    work_list = WorkList(
        kind=head["kind"],
        region=None,
        title=head["title"],
        document_number=head.get("document_number") or "",
        version_no=(previous.version_no if previous else 0) + 1,
        status=ListStatus.PUBLISHED,
        effective_from=version.start,
        effective_to=version.end,
        approved_by=REFERENCE_APPROVAL,
        approved_on=version.start,
        source=str(data.get("source", path.name))[:300],
        published_at=timezone.now(),
        previous=previous,
    )
    items = _checked_items(path, version.entries, work_list)
    diff = diff_items(previous.items.all() if previous else [], items)
    found = _found_later(version, diff.added)
    work_list.change_note = _version_note(data.get("note") or "", version, diff, found)
    work_list.full_clean(exclude=["previous"])
    work_list.save()
    ListItem.objects.bulk_create(items)
    audit_record(
        actor=None,
        action="worklist.load_reference",
        obj=work_list,
        message=f"载入{NATIONAL_NAME}参考清单 {path.name}（自 {version.start} 起）：{len(items)} 项；"
        f"{diff.summary()}",
    )
    for item, entry in found:
        audit_record(
            actor=None,
            action="worklist.add_found_item",
            obj=work_list,
            message=f"{path.name}：补录 {item.code}（{item.legal_basis_text()}，"
            f"所依据文本自 {entry['effective_from']} 起施行），自 {version.start} 起列入{NATIONAL_NAME}清单",
        )
    return work_list


def _version_note(note: str, version: NationalVersion, diff, found=()) -> str:
    """Why this version starts on its date, in the words of the codes that came and went."""
    changes = []
    later = {item.code: entry for item, entry in found}
    if new := [i.code for i in diff.added if i.code not in later]:
        changes.append("新增 " + "、".join(new))
    if later:
        changes.append(
            "补录 "
            + "、".join(f"{code}（所依据文本自 {e['effective_from']} 起施行）" for code, e in later.items())
        )
    if diff.removed:
        changes.append("失效 " + "、".join(i.code for i in diff.removed))
    if diff.changed:
        changes.append("修改 " + "、".join(new.code for _, new, _ in diff.changed))
    line = f"本版自 {version.start} 起施行：{'；'.join(changes) or '事项不变'}。"
    return f"{note}\n{line}" if note else line
