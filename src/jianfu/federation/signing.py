"""Ed25519 signatures over a rollup's exact bytes, and the content digest that makes a push idempotent.

The province keeps its private key (a file named by ``JIANFU_FEDERATION_KEY_FILE``, Base64 of the 32 raw
bytes); the national instance keeps only the public key it registered for that province, so it can check a
push but never forge one.
"""

import base64
import binascii
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError


def canonical(data) -> bytes:
    """The one byte form of a JSON document: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_digest(payload: dict) -> str:
    """SHA-256 of what a month says (province, month, cells): the same figures give the same digest whatever
    the revision, reason or time of building."""
    content = {key: payload.get(key) for key in ("province", "month", "cells")}
    return hashlib.sha256(canonical(content)).hexdigest()


def new_private_key() -> tuple[str, str]:
    """A fresh key pair as (private, public), each Base64 of the raw 32 bytes."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


def public_of(private_b64: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def load_private_key() -> str:
    path = getattr(settings, "FEDERATION_KEY_FILE", "")
    if not path:
        raise ImproperlyConfigured("未配置本省的报送私钥：请设置 JIANFU_FEDERATION_KEY_FILE。")
    return Path(path).read_text().strip()


def sign(body: bytes, private_b64: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_b64))
    return base64.b64encode(key.sign(body)).decode()


def check_public_key(text: str) -> str:
    """A registered public key must be Base64 of exactly 32 bytes."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValidationError({"public_key": "公钥应为 Ed25519 公钥的 Base64 文本（32 字节，44 个字符）。"})
    return text.strip()


def verify(body: bytes, signature_b64: str, public_b64: str) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64)).verify(signature, body)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
