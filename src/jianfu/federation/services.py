"""Every write of the federation, one function per business action.

National side: ``peer_register`` (a province's deployment and key), ``submission_receive`` (a signed push,
accepted, confirmed as already held, or refused with nothing changed). Province side: ``outgoing_prepare``
(build, version and sign the month) and ``outgoing_push`` (send it and keep the answer).

The rules for a month already accepted (docs/scale.md, "Federation"):
- the same content again (same digest) is idempotent: the answer names the version already held, nothing is
  written and nothing audited;
- different content is refused unless it is a correction: the next revision (current + 1) with a reason;
  it becomes current, the earlier version stays on record; an older or skipped revision is refused.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.core.exceptions import StaleWriteError
from jianfu.monitoring.selectors import rollup_cells
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability

from . import payload as shape
from . import signing
from .models import Cell, Outgoing, Peer, Submission

log = logging.getLogger(__name__)
FEDERATED_LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY)


class MonthConflict(StaleWriteError):
    """A month already accepted, sent again with other figures and not as the next correction (HTTP 409)."""

    def __init__(self, message: str):
        ValidationError.__init__(self, message, code="stale")


@dataclass(frozen=True)
class Receipt:
    submission: Submission
    created: bool  # False: the same content was already held (an idempotent repeat)

    def as_dict(self) -> dict:
        s = self.submission
        verb = "已接收" if self.created else "此前已接收相同内容，未作改动"
        return {
            "province": s.peer.region.code,
            "month": f"{s.month:%Y-%m}",
            "revision": s.revision,
            "digest": s.digest,
            "created": self.created,
            "message": f"{s.peer.region.name}{s.month.year}年{s.month.month}月汇总（第{s.revision}版）{verb}。",
        }


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


# National side ------------------------------------------------------------------------------------------------


@transaction.atomic
def peer_register(*, actor, region: Region, public_key: str) -> Peer:
    """Register (or re-key) a province's deployment: only its key's signatures are accepted for it."""
    access.require(actor, Capability.FEDERATION_MANAGE, region)
    if region.level != Level.PROVINCE:
        raise ValidationError({"region": f"只能登记省级部署：{region.name}不是省级区划。"})
    key = signing.check_public_key(public_key)
    peer = Peer.objects.select_for_update().filter(region=region).first()
    before = {"public_key": peer.public_key} if peer else None
    if peer is None:
        peer = Peer(region=region, public_key=key)
    else:
        peer.public_key, peer.retired_at, peer.version = key, None, peer.version + 1
    peer.full_clean()
    peer.save()
    audit_record(
        actor=actor, action="federation.peer_register", obj=peer, before=before, after={"public_key": key}
    )
    return peer


def submission_receive(*, sender: str, body: bytes, signature: str) -> Receipt:
    """Accept a province's signed month, or refuse it in Chinese with nothing changed.

    ``sender`` is the province code the request claims (header ``X-Jianfu-Province``); ``signature`` is
    Base64 Ed25519 over the exact ``body`` bytes under that province's registered key."""
    peer = Peer.objects.select_related("region").filter(region__code=sender, retired_at__isnull=True).first()
    if peer is None:
        log.warning("federation push from unregistered sender %r", sender[:20])
        raise PermissionDenied(f"发送方「{sender[:20]}」不是已登记的省级部署，报送未被接收。")
    if len(body) > shape.MAX_BODY_BYTES:
        raise ValidationError(f"报送内容超过 {shape.MAX_BODY_BYTES // (1024 * 1024)} MB，未被接收。")
    if not signing.verify(body, signature, peer.public_key):
        log.warning("federation push with a bad signature for %s", sender)
        raise PermissionDenied(
            f"签名校验失败：报送内容与签名不符，或不是用{peer.region.name}登记的密钥签名的，报送未被接收。"
        )
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError("报送内容不是有效的 JSON，未被接收。") from exc
    rollup = shape.parse(data)
    _check_sender(peer, rollup)
    return _accept(peer, rollup, data, signature)


def _check_sender(peer: Peer, rollup: shape.RollupIn) -> None:
    region = peer.region
    if rollup.province != region.code:
        raise PermissionDenied(
            f"报送的省份代码「{rollup.province}」不是发送方{region.name}（{region.code}）的：各省只能报送本省的汇总，"
            "报送未被接收。"
        )
    for n, cell in enumerate(rollup.cells, start=1):
        if not cell.region.startswith(region.prefix):
            raise PermissionDenied(
                f"第 {n} 个汇总格的区划「{cell.name}」（{cell.region}）不在{region.name}内，报送未被接收。"
            )
    month = date.fromisoformat(rollup.month + "-01")
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": f"月份「{rollup.month}」尚未到来，报送未被接收。"})


@transaction.atomic
def _accept(peer: Peer, rollup: shape.RollupIn, data: dict, signature: str) -> Receipt:
    month = date.fromisoformat(rollup.month + "-01")
    digest = signing.content_digest(data)
    Peer.objects.select_for_update().get(pk=peer.pk)  # one push per province at a time
    current = Submission.objects.filter(peer=peer, month=month, current=True).first()
    where = f"{peer.region.name}{month_label(month)}的汇总"
    if current is not None and current.digest == digest:
        current.peer = peer
        return Receipt(current, created=False)
    if current is None and rollup.revision != 1:
        raise MonthConflict(
            f"{where}尚未接收过，不能作为更正（第{rollup.revision}版）报送：首次报送应为第 1 版。"
        )
    if current is not None:
        if rollup.revision != current.revision + 1:
            raise MonthConflict(
                f"{where}已接收第 {current.revision} 版，内容与这次报送不同。重新报送不同的数字须作为更正："
                f"版本写第 {current.revision + 1} 版，并写明更正原因。"
            )
        if not rollup.reason.strip():
            raise MonthConflict(f"{where}的更正（第{rollup.revision}版）须写明更正原因。")
        Submission.objects.filter(pk=current.pk).update(current=False)
        Cell.objects.filter(submission__peer=peer, month=month).delete()
    submission = Submission(
        peer=peer,
        month=month,
        revision=rollup.revision,
        digest=digest,
        payload=data,
        signature=signature,
        reason=rollup.reason.strip(),
    )
    submission.full_clean()
    submission.save()
    _write_cells(submission, rollup)
    audit_record(
        actor=None,
        action="federation.correct" if current else "federation.accept",
        obj=submission,
        before={"revision": current.revision, "digest": current.digest} if current else None,
        after={"revision": submission.revision, "digest": digest, "cells": len(rollup.cells)},
        message=submission.reason,
        username=f"省级部署 {peer.region.code}",
        region_code=peer.region.code,
    )
    return Receipt(submission, created=True)


def _write_cells(submission: Submission, rollup: shape.RollupIn) -> None:
    merged: dict[tuple[str, str], Cell] = {}
    for c in rollup.cells:
        key = (c.region, c.kind)
        if key in merged:
            raise ValidationError(f"区划「{c.name}」的「{c.kind}」类汇总格重复，报送未被接收。")
        merged[key] = Cell(
            submission=submission,
            province_code=rollup.province,
            region_code=c.region,
            level=c.level,
            name=c.name,
            month=submission.month,
            kind=c.kind,
            events=c.events,
            hours=c.hours,
            violations=c.violations,
            undecided=c.undecided,
        )
    Cell.objects.bulk_create(merged.values(), batch_size=2000)


# Province side ------------------------------------------------------------------------------------------------


def build_month(month: date) -> dict:
    """This deployment's rollup for the month: its province, prefectures and counties × type, summed over
    departments, read from the monitoring rollup (no event is read, none leaves the province; the province's and
    prefectures' cells are their counties' summed, ``rollup_cells``)."""
    province = Region.objects.filter(level=Level.PROVINCE).order_by("code").first()
    if province is None:
        raise ValidationError("本部署没有省级区划，无法生成报送的汇总。")
    rows = sorted(
        (
            {**cell, "region_code": cell["code"], "level": int(level)}
            for level in FEDERATED_LEVELS
            for cell in rollup_cells(level, province.prefix, first=month, last=month)
        ),
        key=lambda r: (r["region_code"], r["kind"]),
    )
    names = dict(Region.objects.filter(code__in={r["region_code"] for r in rows}).values_list("code", "name"))
    cells = [
        {
            "region": r["region_code"],
            "level": r["level"],
            "name": names.get(r["region_code"], r["region_code"]),
            "kind": r["kind"],
            "events": r["e"],
            "hours": f"{r['h']:.1f}",
            "violations": r["v"],
            "undecided": r["u"],
        }
        for r in rows
        if r["e"]
    ]
    return {"format": shape.FORMAT, "province": province.code, "month": f"{month:%Y-%m}", "cells": cells}


@transaction.atomic
def outgoing_prepare(*, month: date, reason: str = "") -> Outgoing:
    """The version of the month to send: the same version again when nothing changed, the next one (with a
    reason) when figures changed after a version was built; refused when they changed and no reason is given."""
    month = month.replace(day=1)
    content = build_month(month)
    digest = signing.content_digest(content)
    last = Outgoing.objects.select_for_update().filter(month=month).order_by("-revision").first()
    if last is not None and last.digest == digest:
        return last
    revision = 1 if last is None else last.revision + 1
    if last is not None and not reason.strip():
        raise ValidationError(
            {
                "reason": f"{month_label(month)}的汇总已生成过第 {last.revision} 版，此后数字有变化："
                "请作为更正报送并写明更正原因。"
            }
        )
    payload = {
        **content,
        "revision": revision,
        "reason": reason.strip() if last else "",
        "built_at": timezone.now().isoformat(timespec="seconds"),
    }
    outgoing = Outgoing(
        month=month, revision=revision, digest=digest, payload=payload, reason=payload["reason"]
    )
    outgoing.full_clean()
    outgoing.save()
    audit_record(
        actor=None,
        action="federation.build",
        obj=outgoing,
        after={
            "month": f"{month:%Y-%m}",
            "revision": revision,
            "digest": digest,
            "cells": len(content["cells"]),
        },
        message=outgoing.reason,
    )
    return outgoing


def signed_request(outgoing: Outgoing, private_key: str) -> tuple[bytes, dict[str, str]]:
    """The exact body and the headers of a push."""
    body = signing.canonical(outgoing.payload)
    return body, {
        "Content-Type": "application/json",
        "X-Jianfu-Province": outgoing.payload["province"],
        "X-Jianfu-Signature": signing.sign(body, private_key),
    }


def outgoing_push(*, outgoing: Outgoing, url: str, private_key: str, timeout: float = 30) -> str:
    """POST the version to the national instance's ``/api/v1/federation/rollups`` and keep its answer."""
    body, headers = signed_request(outgoing, private_key)
    request = urllib.request.Request(
        url.rstrip("/") + "/api/v1/federation/rollups", body, headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the operator's URL)
            answer, ok = json.loads(response.read()).get("message", ""), True
    except urllib.error.HTTPError as exc:
        answer, ok = _error_message(exc), False
    except (urllib.error.URLError, TimeoutError) as exc:
        raise ValidationError(f"无法连接国家平台（{url}）：{exc}") from exc
    _record_answer(outgoing, answer, ok)
    if not ok:
        raise ValidationError(f"国家平台拒绝了报送：{answer}")
    return answer


def _error_message(exc) -> str:
    try:
        return json.loads(exc.read())["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {exc.code}"


@transaction.atomic
def _record_answer(outgoing: Outgoing, answer: str, ok: bool) -> None:
    outgoing.answer = answer[:1000]
    if ok:
        outgoing.sent_at = timezone.now()
    outgoing.save(update_fields=["answer", "sent_at"])
    audit_record(
        actor=None,
        action="federation.push" if ok else "federation.push_refused",
        obj=outgoing,
        success=ok,
        message=outgoing.answer,
    )


def push_last_month() -> str:
    """The province's monthly job (registered only where JIANFU_FEDERATION_NATIONAL_URL is set): push last
    month. Sent already with the same figures: the national side answers that it holds them. Figures changed
    since: refused here (a correction needs a person's reason, ``federation_push --correction``), so the job
    fails and the administrators are told."""
    from django.conf import settings

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    outgoing = outgoing_prepare(month=last_month)
    return outgoing_push(
        outgoing=outgoing, url=settings.FEDERATION_NATIONAL_URL, private_key=signing.load_private_key()
    )
