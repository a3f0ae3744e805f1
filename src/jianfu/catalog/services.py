"""Every write to the lists: drafting a version, editing its items, publishing with approval, retiring."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from jianfu.audit.services import audit_record, snapshot
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from .models import CODE_PREFIX, WORKLIST_FLOW, ListItem, ListKind, ListStatus, WorkList, above_q
from .rules import diff_items, negative_list_weakenings
from .selectors import latest_issued, upper_negative_items

ITEM_FIELDS = set(ListItem.DIFF_FIELDS) | {"code", "position"}


def require_catalog(actor, region: Region | None) -> None:
    """Only the review-committee office of the issuing region (or above) keeps its lists. The national layer
    (region None) is reference data: it is loaded from the published texts, nobody edits it here."""
    if actor is None:
        return
    if region is None:
        raise PermissionDenied("国家层面的清单按中央和国家文件、法律法规载入，不能在平台上修改。")
    if not actor.has_capability(Capability.CATALOG_MANAGE):
        raise PermissionDenied("您没有维护清单的权限（由准入审核委员会办公室维护）。")
    if not actor.can(Capability.CATALOG_MANAGE, region):
        raise PermissionDenied(f"“{region.name}”的清单不在您的维护范围内。")


def _require_draft(work_list: WorkList) -> None:
    WORKLIST_FLOW.check(work_list, "edit", name=_named(work_list))


def _named(work_list: WorkList) -> str:
    return f"清单“{work_list.title}”"


def _lock_list(work_list: WorkList, expected_revision: int | None) -> WorkList:
    locked = WorkList.objects.select_for_update(of=("self",)).select_related("region").get(pk=work_list.pk)
    if expected_revision is not None and locked.revision != expected_revision:
        raise StaleWriteError(f"清单“{locked.title}”")
    return locked


def _copy_items(items, target: WorkList) -> None:
    ListItem.objects.bulk_create(
        ListItem(
            work_list=target,
            position=i.position,
            code=i.code,
            **{name: getattr(i, name) for name in ListItem.DIFF_FIELDS},
        )
        for i in items
    )


@transaction.atomic
def worklist_start_draft(
    *, actor, kind: str, region: Region, title: str = "", document_number: str = ""
) -> WorkList:
    """Open the next version of a region's list: a copy of the latest issued version, or an empty list.

    A region's first negative list starts from the upper levels' negative items, since it may only add to them.
    """
    require_catalog(actor, region)
    Region.objects.select_for_update().get(pk=region.pk)  # one drafter at a time per region
    if kind not in ListKind.values:
        raise ValidationError({"kind": f"未知的清单类型“{kind}”。"})
    if WorkList.objects.filter(kind=kind, region=region, status=ListStatus.DRAFT).exists():
        raise ValidationError(f"{region.name}的{ListKind(kind).label}已有未发布的草稿，请继续编辑该草稿。")
    base = latest_issued(kind, region)
    number = (WorkList.objects.filter(kind=kind, region=region).aggregate(n=Max("version_no"))["n"] or 0) + 1
    draft = WorkList(
        kind=kind,
        region=region,
        version_no=number,
        previous=base,
        title=title or (base.title if base else ""),
        document_number=document_number,
        drafted_by=actor,
    )
    if not draft.title:
        raise ValidationError({"title": "请填写清单名称。"})
    draft.full_clean(exclude=["previous"])
    draft.save()
    if base is not None:
        _copy_items(base.items.all(), draft)
    if kind == ListKind.NEGATIVE:
        _copy_missing_upper_items(draft, region)
    audit_record(actor=actor, action="worklist.start_draft", obj=draft, after=snapshot(draft))
    return draft


def _copy_missing_upper_items(draft: WorkList, region: Region) -> None:
    """A negative list may only add to the ones above it (national layer included): items issued above since
    the last version are carried into the new draft, after the region's own."""
    have = set(draft.items.values_list("code", flat=True))
    missing = [i for i in upper_negative_items(region, timezone.localdate()) if i.code not in have]
    start = _next_position(draft)
    for offset, item in enumerate(missing):
        item.position = start + offset
    _copy_items(missing, draft)


@transaction.atomic
def worklist_update_draft(
    *, actor, work_list: WorkList, expected_revision: int | None, **changes
) -> WorkList:
    work_list = _lock_list(work_list, expected_revision)
    require_catalog(actor, work_list.region)
    _require_draft(work_list)
    before = snapshot(work_list)
    for name, value in changes.items():
        if name not in {"title", "document_number", "change_note"}:
            raise ValidationError({name: "该字段不能在此修改。"})
        setattr(work_list, name, value)
    work_list.full_clean()
    work_list.revision += 1
    work_list.save()
    audit_record(
        actor=actor, action="worklist.update_draft", obj=work_list, before=before, after=snapshot(work_list)
    )
    return work_list


def _check_item(item: ListItem, kind: str) -> None:
    errors = {}
    if not (item.content or "").strip():
        errors["content"] = "事项内容不能为空。"
    if kind == ListKind.NEGATIVE and not item.reason.strip():
        errors["reason"] = "负面清单事项须写明列入理由（如：非责任主体）。"
    if item.treated_as and kind != ListKind.UNDERTAKEN:
        errors["treated_as"] = "只有社区承办事项清单的事项可以注明承办事项性质。"
    if kind == ListKind.CERT_FORBIDDEN and not item.alternative.strip():
        errors["alternative"] = "不应出具的证明须写明群众的替代办理途径。"
    for citation in item.legal_basis:
        if not isinstance(citation, dict) or not str(citation.get("law", "")).strip():
            errors["legal_basis"] = "每条法律依据须写明法律法规或文件名称。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_save(
    *,
    actor,
    work_list: WorkList,
    item: ListItem | None = None,
    expected_revision: int | None = None,
    **fields,
) -> ListItem:
    """Add an item to a draft, or change one; the code is generated when left empty."""
    work_list = _lock_list(work_list, None)
    require_catalog(actor, work_list.region)
    _require_draft(work_list)
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationError({name: "该字段不能在此修改。" for name in unknown})
    if item is None:
        item = ListItem(work_list=work_list, position=_next_position(work_list))
        before = None
    else:
        item = ListItem.objects.select_for_update().get(pk=item.pk, work_list=work_list)
        if expected_revision is not None and item.revision != expected_revision:
            raise StaleWriteError(f"事项 {item.code}")
        before = snapshot(item)
        item.revision += 1
    for name, value in fields.items():
        setattr(item, name, value)
    item.code = (item.code or "").strip() or _next_code(work_list)
    if ListItem.objects.filter(work_list=work_list, code=item.code).exclude(pk=item.pk).exists():
        raise ValidationError({"code": f"编码 {item.code} 在本清单中已存在。"})
    _check_item(item, work_list.kind)
    item.full_clean()
    item.save()
    _touch(work_list)
    audit_record(
        actor=actor,
        action="listitem.update" if before else "listitem.create",
        obj=item,
        before=before,
        after=snapshot(item),
    )
    return item


def _touch(work_list: WorkList) -> None:
    """Items changed: bump the (locked) list's revision so a publication based on an older view is refused."""
    WorkList.objects.filter(pk=work_list.pk).update(revision=F("revision") + 1)


def _next_position(work_list: WorkList) -> int:
    return (work_list.items.aggregate(n=Max("position"))["n"] or 0) + 1


def _next_code(work_list: WorkList) -> str:
    prefix = f"{CODE_PREFIX[work_list.kind]}-{work_list.region.code[:6]}-"
    used = set(work_list.items.filter(code__startswith=prefix).values_list("code", flat=True))
    number = len(used) + 1
    while f"{prefix}{number:03d}" in used:
        number += 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def item_remove(*, actor, item: ListItem) -> None:
    work_list = _lock_list(item.work_list, None)
    require_catalog(actor, work_list.region)
    _require_draft(work_list)
    before = snapshot(item)
    audit_record(actor=actor, action="listitem.remove", obj=item, before=before)
    item.delete()
    _touch(work_list)


@transaction.atomic
def worklist_publish(
    *,
    actor,
    work_list: WorkList,
    effective_from: date,
    approved_by: str,
    approved_on: date,
    studied_by: str = "",
    studied_on: date | None = None,
    document_number: str = "",
    expected_revision: int | None = None,
) -> WorkList:
    """Publish a draft with its approval record; the version it replaces ends the day before."""
    work_list = _lock_list(work_list, expected_revision)
    require_catalog(actor, work_list.region)
    access.require_that(
        actor is None or work_list.drafted_by_id != actor.pk,
        "这一版清单由您起草，须由本办公室另一位工作人员核对后发布（起草与发布分离）。",
    )
    _require_draft(work_list)
    _check_publishable(work_list, effective_from, approved_by, approved_on)
    _check_bodies(work_list, studied_by, studied_on, approved_by, approved_on)
    previous = latest_issued(work_list.kind, work_list.region)
    diff = diff_items(previous.items.all() if previous else [], work_list.items.all())
    if previous is not None:
        _close_previous(previous, effective_from)
    WORKLIST_FLOW.move(work_list, "publish", name=_named(work_list))
    work_list.effective_from = effective_from
    work_list.approved_by, work_list.approved_on = approved_by, approved_on
    work_list.studied_by, work_list.studied_on = studied_by, studied_on
    work_list.document_number = document_number or work_list.document_number
    work_list.published_at, work_list.published_by = timezone.now(), actor
    work_list.previous = previous
    work_list.revision += 1
    work_list.full_clean()
    work_list.save()
    audit_record(
        actor=actor,
        action="worklist.publish",
        obj=work_list,
        after=snapshot(work_list),
        message=f"发布第 {work_list.version_no} 版，自 {effective_from} 起施行；{diff.summary()}",
    )
    return work_list


def _check_publishable(work_list: WorkList, effective_from, approved_by, approved_on) -> None:
    errors = {}
    if not work_list.items.exists():
        errors["__all__"] = "清单没有任何事项，不能发布。"
    if effective_from is None:
        errors["effective_from"] = "请填写生效日期。"
    if not (approved_by or "").strip():
        errors["approved_by"] = "请填写审定机构（如：县委常委会会议）。"
    if approved_on is None:
        errors["approved_on"] = "请填写审定日期。"
    elif effective_from is not None and approved_on > effective_from:
        errors["approved_on"] = "审定日期不能晚于生效日期。"
    previous = latest_issued(work_list.kind, work_list.region)
    if previous is not None and effective_from is not None and effective_from <= previous.effective_from:
        errors["effective_from"] = f"生效日期须晚于上一版本的生效日期 {previous.effective_from}。"
    if errors:
        raise ValidationError(errors)
    if work_list.kind == ListKind.NEGATIVE:
        problems = []
        for day in _upper_change_days(work_list.region, effective_from):
            upper = upper_negative_items(work_list.region, day)
            problems += [
                p for p in negative_list_weakenings(work_list.items.all(), upper) if p not in problems
            ]
        if problems:
            raise ValidationError(["负面清单只增不减，不能发布："] + problems)


def _check_bodies(work_list: WorkList, studied_by: str, studied_on, approved_by: str, approved_on) -> None:
    """A county's lists are studied by the county government's executive meeting and then approved by the county
    party committee's standing committee (清单经县政府常务会研究后，报县委常委会审定实施): two bodies, two dates."""
    if work_list.region is None or work_list.region.level != Level.COUNTY:
        return
    errors = {}
    if not (studied_by or "").strip():
        errors["studied_by"] = "县级清单须先经县政府常务会议研究：请填写研究机构。"
    if studied_on is None:
        errors["studied_on"] = "请填写研究日期（县政府常务会议召开日期）。"
    elif approved_on is not None and studied_on > approved_on:
        errors["studied_on"] = "研究日期不能晚于审定日期：清单先经研究，再报审定。"
    if (studied_by or "").strip() and (studied_by or "").strip() == (approved_by or "").strip():
        errors["approved_by"] = "研究机构和审定机构须是两个机构（县政府常务会议研究，县委常委会会议审定）。"
    if errors:
        raise ValidationError(errors)


def _upper_change_days(region: Region, effective_from: date) -> list[date]:
    """The days on which the upper negative lists the new version must keep can differ: its first day, and
    every later day an upper list starts (a county may not date its list before a provincial one to escape it)."""
    starts = WorkList.objects.issued().filter(
        above_q(region, include_own=False), kind=ListKind.NEGATIVE, effective_from__gt=effective_from
    )
    return [effective_from, *sorted(set(starts.values_list("effective_from", flat=True)))]


def _close_previous(previous: WorkList, effective_from: date) -> None:
    end = effective_from - timedelta(days=1)
    previous = WorkList.objects.select_for_update().get(pk=previous.pk)
    if previous.effective_to is None or previous.effective_to > end:
        WorkList.objects.filter(pk=previous.pk).update(effective_to=end, revision=F("revision") + 1)


@transaction.atomic
def worklist_retire(*, actor, work_list: WorkList, effective_to: date, reason: str) -> WorkList:
    """Withdraw an issued list without a replacement; it stays on record with its end date."""
    work_list = _lock_list(work_list, None)
    require_catalog(actor, work_list.region)
    WORKLIST_FLOW.check(work_list, "retire", name=_named(work_list))
    if latest_issued(work_list.kind, work_list.region).pk != work_list.pk:
        raise ValidationError("该版本已被新版本替代，只能废止最新版本。")
    if work_list.effective_to is not None and effective_to > work_list.effective_to:
        raise ValidationError({"effective_to": f"失效日期不能晚于原定的 {work_list.effective_to}。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写废止理由。"})
    if effective_to < work_list.effective_from:
        raise ValidationError({"effective_to": "失效日期不能早于生效日期。"})
    before = snapshot(work_list)
    WORKLIST_FLOW.move(work_list, "retire", name=_named(work_list))
    work_list.effective_to = effective_to
    work_list.change_note = (
        work_list.change_note + "\n" if work_list.change_note else ""
    ) + f"废止：{reason}"
    work_list.revision += 1
    work_list.save()
    audit_record(
        actor=actor,
        action="worklist.retire",
        obj=work_list,
        before=before,
        after=snapshot(work_list),
        message=reason,
    )
    return work_list


@transaction.atomic
def worklist_discard_draft(*, actor, work_list: WorkList) -> None:
    """Drop an unpublished draft; the audit record keeps what it was."""
    work_list = _lock_list(work_list, None)
    require_catalog(actor, work_list.region)
    _require_draft(work_list)
    audit_record(
        actor=actor,
        action="worklist.discard_draft",
        obj=work_list,
        before=snapshot(work_list),
        message=f"{work_list.items.count()} 项",
    )
    work_list.items.all().delete()
    work_list.delete()
