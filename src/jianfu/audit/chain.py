"""SM3 hashing of audit records (GB/T 32905, via the cryptography package)."""

import json

from cryptography.hazmat.primitives import hashes

GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def canonical_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="microseconds")
    return value


def record_hash(record, prev_hash: str) -> str:
    payload = {name: canonical_value(getattr(record, name)) for name in record.HASHED_FIELDS}
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return sm3_hex(prev_hash.encode() + body.encode())
