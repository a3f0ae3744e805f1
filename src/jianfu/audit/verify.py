"""Verifying the audit chains (one per county), and the signed checkpoints an inspector keeps outside the system.

Each chain is verified on its own and reported on its own: a problem in one county's chain names that chain.
Inside the database the keyed chain shows an edited, inserted or removed record, and an anchor (where the chain
starts after a purge) that no keyed purge record states. What the database alone cannot show is a chain cut
short at its newest end with the head rewound, or a chain rewritten by someone holding the key: a checkpoint
(every chain head's sequence number and hash, signed, exported and kept elsewhere) shows both.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .chain import (
    GENESIS_HASH,
    LEGACY_CHAIN,
    canonical_json,
    chain_key,
    hmac_sm3_hex,
    record_hash,
    same_digest,
)
from .models import AuditChainHead, AuditRecord
from .services import MIN_RETENTION_DAYS, audit_record

# /1 stated the one chain a deployment had before migration 0006 (now the legacy chain); /2 states every chain.
CHECKPOINT_FORMAT_SINGLE = "jianfu-audit-checkpoint/1"
CHECKPOINT_FORMAT = "jianfu-audit-checkpoint/2"
CHECKPOINT_FIELDS = {
    CHECKPOINT_FORMAT_SINGLE: (
        "format",
        "seq",
        "hash",
        "record_time",
        "purged_through_seq",
        "exported_at",
        "exported_by",
    ),
    CHECKPOINT_FORMAT: ("format", "seq", "chains", "exported_at", "exported_by"),
}
CHAIN_FIELDS = ("seq", "hash", "record_time", "purged_through_seq")  # one chain's head in a /2 checkpoint
ANCHOR_ACTIONS = ("audit.purge", "audit.rekey")  # the records that may say where the chain starts


@dataclass
class ChainResult:
    """One chain's verification: its records checked in order, and the first that does not match."""

    chain: str
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


@dataclass
class VerifyResult:
    """Every chain's result; the totals and the first problem found, for the pages and the command."""

    chains: list[ChainResult] = field(default_factory=list)
    checkpoints: int = 0
    refused: str = ""  # a checkpoint that states no chain and whose signature does not match

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.chains) and not self.refused

    @property
    def broken(self) -> list[ChainResult]:
        return [c for c in self.chains if not c.ok]

    @property
    def checked(self) -> int:
        return sum(c.checked for c in self.chains)

    @property
    def first_broken_seq(self) -> int | None:
        return self.broken[0].first_broken_seq if self.broken else (0 if self.refused else None)

    @property
    def reason(self) -> str:
        return self.broken[0].reason if self.broken else self.refused


class CheckpointError(ValueError):
    """A checkpoint file that is not one, in Chinese."""


def _anchor_of(record) -> tuple[int, str] | None:
    after = record.after if isinstance(record.after, dict) else {}
    if record.action in ANCHOR_ACTIONS and "through_seq" in after:
        return int(after["through_seq"]), str(after.get("anchor_hash", ""))
    return None


def _walk(chain: str, head, records) -> ChainResult:
    """Recompute every keyed hash of one chain in order; name the first record whose content or link does not
    match. The chain field is among the hashed fields, so a record moved here from another chain fails too."""
    expected_prev = head.purged_anchor_hash if head and head.purged_through_seq else GENESIS_HASH
    checked, stated_anchor = 0, (0, "")
    for record in records:
        if head is None:
            return ChainResult(chain, checked, record.seq, "该审计链没有链头（记录被移入不存在的链）")
        if record.prev_hash != expected_prev:
            return ChainResult(
                chain,
                checked,
                record.seq,
                "与前一条记录的哈希链接不一致（前一条记录被删除、修改或移到别的链）",
            )
        if not same_digest(record_hash(record, record.prev_hash), record.hash):
            return ChainResult(
                chain,
                checked,
                record.seq,
                "记录内容与其哈希不符（记录被修改或移到别的链，或哈希不是用本系统密钥计算的）",
            )
        stated_anchor = _anchor_of(record) or stated_anchor
        expected_prev = record.hash
        checked += 1
    if head and head.last_seq and head.last_hash != expected_prev:  # also when every row was removed
        return ChainResult(chain, checked, head.last_seq, "链尾记录缺失（最新的记录被删除）")
    anchor = (
        (head.purged_through_seq, head.purged_anchor_hash) if head and head.purged_through_seq else (0, "")
    )
    if anchor != stated_anchor:
        return ChainResult(
            chain,
            checked,
            anchor[0] or stated_anchor[0],
            "审计链的起点与清理记录不符（最早的记录被删除，清理锚点被移动）",
        )
    return ChainResult(chain, checked)


def audit_verify(checkpoints=()) -> VerifyResult:
    """Every chain (one pass over the records in chain order), then each given checkpoint against each chain it
    states; a problem is reported for its chain only."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    results: dict[str, ChainResult] = {}
    records = AuditRecord.objects.order_by("chain", "seq").iterator(chunk_size=2000)
    for chain, group in groupby(records, key=lambda r: r.chain):
        results[chain] = _walk(chain, heads.get(chain), group)
    for chain, head in heads.items():
        if chain not in results:
            results[chain] = _walk(chain, head, ())
    refused = ""
    for checkpoint in checkpoints:
        stated_chains = _stated_chains(checkpoint)
        if not stated_chains and not same_digest(_signature(checkpoint), checkpoint["signature"]):
            refused = "检查点签名不符：检查点被改动，或不是用本系统密钥签发的"
        for chain, stated in stated_chains.items():
            result = results.setdefault(chain, ChainResult(chain, 0))
            problem = _checkpoint_problem(checkpoint, stated, chain, heads.get(chain))
            if result.ok and problem:
                result.first_broken_seq, result.reason = stated["seq"], problem
    return VerifyResult(sorted(results.values(), key=lambda r: r.chain), len(checkpoints), refused)


def _stated_chains(checkpoint: dict) -> dict[str, dict]:
    if checkpoint["format"] == CHECKPOINT_FORMAT_SINGLE:
        return {LEGACY_CHAIN: checkpoint}
    return checkpoint["chains"]


# Checkpoints -------------------------------------------------------------------------------------------


def _signature(body: dict) -> str:
    fields = CHECKPOINT_FIELDS[body["format"]]
    return hmac_sm3_hex(chain_key(), b"checkpoint:" + canonical_json({k: body[k] for k in fields}))


def checkpoint_export(*, actor) -> dict:
    """A signed statement of every chain's head, for the inspector to keep outside the system (audited).

    The heads are read in one statement, so they are one committed moment of every chain; no head is locked,
    so no county's writers wait for an export."""
    with transaction.atomic():
        heads = list(AuditChainHead.objects.order_by("chain"))
        times = dict(
            AuditRecord.objects.filter(seq__in=[h.last_seq for h in heads if h.last_seq]).values_list(
                "seq", "created_at"
            )
        )
        chains = {
            head.chain: {
                "seq": head.last_seq,
                "hash": head.last_hash,
                "record_time": times[head.last_seq].isoformat() if head.last_seq in times else None,
                "purged_through_seq": head.purged_through_seq,
            }
            for head in heads
        }
        top = max((h.last_seq for h in heads), default=0)
        body = {
            "format": CHECKPOINT_FORMAT,
            "seq": top,
            "chains": chains,
            "exported_at": timezone.now().isoformat(),
            "exported_by": actor.username if actor else "命令行",
        }
        body["signature"] = _signature(body)
        audit_record(
            actor=actor,
            action="audit.checkpoint",
            message=f"导出审计链检查点（{len(chains)} 条链，至第 {top} 条）",
            # what each chain's head was: the partition guard (retention.py) reads it
            after={"seq": top, "chains": {chain: c["seq"] for chain, c in chains.items()}},
        )
    return body


def checkpoint_parse(text: str | bytes, name: str = "检查点") -> dict:
    """A checkpoint read back from its file, with a Chinese message naming the file when it is not one."""
    try:
        body = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise CheckpointError(f"{name} 不是检查点文件（无法按 JSON 读取）。") from None
    return checkpoint_shape(body, name)


def checkpoint_shape(body, name: str = "检查点") -> dict:
    """The checkpoint if it has every field a checkpoint has; its signature is checked by ``audit_verify``."""
    if not isinstance(body, dict) or body.get("format") not in CHECKPOINT_FIELDS:
        raise CheckpointError(f"{name} 不是本系统导出的审计链检查点。")
    missing = [k for k in (*CHECKPOINT_FIELDS[body["format"]], "signature") if k not in body]
    if missing or not isinstance(body["seq"], int) or not isinstance(body["signature"], str):
        raise CheckpointError(f"{name} 缺少内容或格式不对（{'、'.join(missing) or 'seq/signature'}）。")
    chains = body.get("chains", {})
    if not isinstance(chains, dict) or not all(_chain_shaped(c) for c in chains.values()):
        raise CheckpointError(f"{name} 缺少内容或格式不对（chains）。")
    return body


def _chain_shaped(stated) -> bool:
    return (
        isinstance(stated, dict)
        and all(k in stated for k in CHAIN_FIELDS)
        and isinstance(stated["seq"], int)
        and isinstance(stated["hash"], str)
        and isinstance(stated["purged_through_seq"], int)
    )


def _purged_legitimately(stated: dict) -> bool:
    """A record may be gone only once it is older than the retention period (never fewer than 184 days)."""
    if not stated["record_time"]:
        return True
    days = max(MIN_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)
    return datetime.fromisoformat(stated["record_time"]) < timezone.now() - timedelta(days=days)


def _checkpoint_problem(checkpoint: dict, stated: dict, chain: str, head) -> str:
    """What is wrong with one chain's head as the checkpoint states it (``stated``), or ""."""
    seq, label = stated["seq"], f"检查点（第 {stated['seq']} 条）"
    if not same_digest(_signature(checkpoint), checkpoint["signature"]):
        return f"{label}签名不符：检查点被改动，或不是用本系统密钥签发的"
    last_seq = head.last_seq if head else 0
    purged_through = head.purged_through_seq if head else 0
    if seq > last_seq:
        return f"{label}之后的记录不见了：链尾被截短（最新的记录被删除）"
    if seq == 0:
        return ""
    if seq > purged_through:
        stored = AuditRecord.objects.filter(chain=chain, seq=seq).values_list("hash", flat=True).first()
        if stored is None or not same_digest(stored, stated["hash"]):
            return f"{label}处的记录与检查点不符：该记录或它之前的记录被删除或改写"
        return ""
    if seq == purged_through and not same_digest(head.purged_anchor_hash, stated["hash"]):
        return f"{label}与清理锚点不符：审计链的起点被改写"
    if not _purged_legitimately(stated):
        return f"{label}的记录尚在保存期内却已不在库中：最早的记录被删除，清理锚点被移动"
    return ""
