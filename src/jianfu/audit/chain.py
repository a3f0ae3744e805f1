"""The keyed hash of audit records: HMAC with SM3 (GB/T 32905, via the cryptography package).

A plain hash chain protects nothing from someone who can write to the database: they edit a record and
recompute every hash after it. The key (``JIANFU_AUDIT_KEY``) lives in the environment, never in the database,
so a recomputed chain without it no longer verifies.
"""

import hmac as std_hmac
import json

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS_HASH = "0" * 64
# The records written while the deployment had a single chain (before migration 0006) keep their hashes as they
# were: they form this one closed chain, hashed without the chain field, and no new record joins it.
LEGACY_CHAIN = "legacy"


def chain_of(region_code: str) -> str:
    """The chain a record about ``region_code`` joins: its county's (a township or village → its county; a
    county, prefecture or the province → itself; no region → ""). One chain per county means the writers of a
    province lock different chain heads, and only writers in the same county wait for each other."""
    if len(region_code) == 12 and region_code.isdigit():
        return region_code[:6] + "0" * 6
    return region_code


def chain_key() -> bytes:
    key = settings.AUDIT_KEY
    if not key:
        raise ImproperlyConfigured(
            "生产环境必须设置 JIANFU_AUDIT_KEY（审计链密钥），否则审计记录无法防篡改。"
        )
    return key.encode()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def same_digest(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def canonical_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="microseconds")
    return value


def canonical_json(payload: dict) -> bytes:
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def record_payload(record, fields) -> bytes:
    return canonical_json({name: canonical_value(getattr(record, name)) for name in fields})


def hashed_fields(record) -> tuple[str, ...]:
    """The chain field is hashed, so a record moved to another chain (or a chain relabelled as another county's)
    no longer verifies; the legacy chain's records were hashed before there was one and stay as they were
    (moving one out of it, or another into it, changes which fields are hashed and so breaks it too)."""
    if record.chain == LEGACY_CHAIN:
        return record.HASHED_FIELDS
    return (*record.HASHED_FIELDS, "chain")


def record_hash(record, prev_hash: str, key: bytes | None = None) -> str:
    """HMAC-SM3 over the previous hash (within the record's chain) and the record's canonical JSON."""
    body = record_payload(record, hashed_fields(record))
    return hmac_sm3_hex(key or chain_key(), b"record:" + prev_hash.encode() + body)
