"""SMS through a provider interface. ``settings.SMS_BACKEND`` names the backend:

- ``FileBackend`` (default, the demo and tests): one JSON line per message under ``SMS_FILE_PATH``;
- ``ConsoleBackend``: printed to the worker's output;
- ``HttpGatewayBackend``: a generic signed-HTTP SMS gateway (``JIANFU_SMS_URL``, key id and secret), the
  shape most Chinese gateways take: JSON body, HMAC-SHA256 over timestamp, nonce and body, the delivery's
  reference as the idempotency key so a resent message is not delivered twice.

Messages carry no personal data: the text says only that there is a message of a kind, and where to look.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider could not take the message (unreachable, refused); the delivery is retried."""


class BaseBackend:
    def send(self, *, phone: str, text: str, reference: str) -> str:
        """Send one message; return the provider's message id. Raise SmsError when it was not taken."""
        raise NotImplementedError


class FileBackend(BaseBackend):
    _lock = threading.Lock()

    def send(self, *, phone, text, reference):
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": timezone.now().isoformat(), "phone": phone, "text": text, "ref": reference},
            ensure_ascii=False,
        )
        with self._lock, (folder / "sms.jsonl").open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return reference


class ConsoleBackend(BaseBackend):
    def send(self, *, phone, text, reference):
        print(f"[短信] {phone[:3]}****{phone[-4:]} {text}", flush=True)
        return reference


class HttpGatewayBackend(BaseBackend):
    """POST {"phone", "sign_name", "text", "client_ref"} with headers X-Key-Id, X-Timestamp, X-Nonce and
    X-Signature = hex(HMAC-SHA256(secret, timestamp + "\\n" + nonce + "\\n" + body)); the gateway answers
    {"code": 0, "message_id": "..."} on success."""

    def __init__(self, config: dict | None = None):
        self.config = config or settings.SMS_GATEWAY
        if not self.config.get("URL") or not self.config.get("SECRET"):
            raise SmsError("未配置短信网关地址或密钥（JIANFU_SMS_URL、JIANFU_SMS_SECRET）")

    def signed_request(self, body: bytes) -> dict:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        message = f"{timestamp}\n{nonce}\n".encode() + body
        signature = hmac.new(self.config["SECRET"].encode(), message, hashlib.sha256).hexdigest()
        return {
            "Content-Type": "application/json; charset=utf-8",
            "X-Key-Id": self.config.get("KEY_ID", ""),
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": signature,
        }

    def send(self, *, phone, text, reference):
        import requests

        payload = {
            "phone": phone,
            "sign_name": self.config.get("SIGN_NAME", ""),
            "text": text,
            "client_ref": reference,
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        try:
            response = requests.post(
                self.config["URL"],
                data=body,
                headers=self.signed_request(body),
                timeout=self.config.get("TIMEOUT", 10),
            )
        except requests.RequestException as exc:
            raise SmsError(f"短信网关无法连接：{type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise SmsError(f"短信网关拒绝：HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise SmsError("短信网关的回复不是 JSON") from exc
        if answer.get("code") not in (0, "0", "OK"):
            raise SmsError(f"短信网关拒绝：{str(answer.get('message', answer.get('code')))[:100]}")
        return str(answer.get("message_id", reference))[:100]


def backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
