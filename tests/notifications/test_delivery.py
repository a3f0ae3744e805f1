"""Messages: the inbox, each chosen channel once, retries with back-off when a provider is down, quiet hours,
the daily digest, nothing personal in SMS, a real signed HTTP gateway and a real Web Push exchange."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from jianfu.jobs.models import JobRun
from jianfu.notifications import delivery as sending
from jianfu.notifications.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    Preference,
    PushSubscription,
)
from jianfu.notifications.services import notify, preference_update
from jianfu.notifications.sms import HttpGatewayBackend

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class Gateway(BaseHTTPRequestHandler):
    """A signed-HTTP SMS gateway (or a push service) on 127.0.0.1 that records what it was sent."""

    received: list = []
    status = 200
    answer = b'{"code": 0, "message_id": "gw-1"}'

    def do_POST(self):  # noqa: N802  (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"headers": self.headers, "body": body, "path": self.path})
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(type(self).answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.received, Gateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> str:
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/sms"  # nobody listens: the provider is unreachable


def _prefer(user, **choices):
    Preference.objects.update_or_create(user=user, defaults=choices)


@override_settings(EMAIL_BACKEND=LOCMEM)
def test_it_puts_one_message_in_the_inbox_and_sends_each_chosen_channel_once(
    world, run_tasks, settings, tmp_path
):
    settings.SMS_FILE_PATH = tmp_path
    user = world.village_cadre
    user.email, user.phone = "taoyuan@example.gov.cn", "13900001111"
    user.save()
    _prefer(user, email=True, sms=True, push=False)
    first = notify(
        recipients=[user, user], kind=Kind.DECLINE, title="桃园村拒绝执行县人社局交办的工作", key="k1"
    )
    again = notify(recipients=[user], kind=Kind.DECLINE, title="桃园村拒绝执行县人社局交办的工作", key="k1")
    assert len(first) == 1 and again == []  # the same event told twice is stored once
    assert Notification.objects.filter(recipient=user).count() == 1
    assert run_tasks() == 2
    assert run_tasks() == 0  # nothing left, nothing sent twice
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["taoyuan@example.gov.cn"]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<jianfu-delivery-")
    lines = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert len(lines) == 1
    sms = json.loads(lines[0])
    assert sms["phone"] == "13900001111" and sms["ref"].startswith("jianfu-delivery-")
    assert "桃园村" not in sms["text"] and "人社局" not in sms["text"]  # nothing personal in SMS
    assert sms["text"] == "您有 1 条新消息（村（社区）拒绝执行），请登录减负平台查看。"
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # A late second copy of the task (e.g. re-queued by the sweep) finds the delivery sent and leaves it.
    assert sending.deliver(Delivery.objects.first().pk) == "skipped"


def test_it_skips_a_channel_the_person_cannot_be_reached_on(world, run_tasks):
    user = world.village_cadre
    user.phone = ""
    user.save()
    _prefer(user, email=False, sms=True, push=True)
    notify(recipients=[user], kind=Kind.OTHER, title="测试")
    run_tasks()
    reasons = dict(Delivery.objects.values_list("channel", "last_error"))
    assert reasons == {"sms": "账号没有登记手机号", "push": "平台未配置手机推送（VAPID 密钥）"}
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}


def test_it_retries_an_unreachable_sms_gateway_then_reports_the_failure(
    world, run_tasks, settings, client, login, django_capture_on_commit_callbacks
):
    # All through the settings fixture: mixed with @override_settings, pytest-django restores in the wrong order.
    settings.RETRY_DELAYS, settings.SMS_BACKEND = [60, 300], "jianfu.notifications.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "URL": _closed_port(), "SECRET": "s3cret", "TIMEOUT": 2}
    user = world.dept_clerk
    user.phone = "13900002222"
    user.save()
    _prefer(user, email=False, sms=True, push=False)
    notify(recipients=[user], kind=Kind.BULLETIN, title="本单位被通报", key="b1")
    assert run_tasks() == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert "短信网关无法连接" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=55)
    assert run_tasks(due_now=True) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at > timezone.now() + timedelta(seconds=290)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tasks(due_now=True) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert Notification.objects.filter(kind=Kind.JOB_FAILED, recipient=world.admin).exists()
    login(world.admin)
    page = client.get("/jobs/").content.decode()
    assert "未能发出的消息" in page and "发送失败" in page and "短信网关无法连接" in page
    assert not JobRun.objects.filter(status="failed").exists()  # a message, not a job, failed


def test_it_signs_the_http_gateway_request_and_reads_its_answer(world, gateway, settings):
    config = {
        "URL": gateway + "/send",
        "KEY_ID": "county-1",
        "SECRET": "s3cret",
        "SIGN_NAME": "减负平台",
        "TIMEOUT": 5,
    }
    message_id = HttpGatewayBackend(config).send(
        phone="13900003333", text="您有 1 条新消息", reference="jianfu-delivery-7"
    )
    assert message_id == "gw-1"
    request = Gateway.received[0]
    headers = request["headers"]
    signed = f"{headers['X-Timestamp']}\n{headers['X-Nonce']}\n".encode() + request["body"]
    assert headers["X-Signature"] == hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()
    assert headers["X-Key-Id"] == "county-1"
    assert json.loads(request["body"]) == {
        "phone": "13900003333",
        "sign_name": "减负平台",
        "text": "您有 1 条新消息",
        "client_ref": "jianfu-delivery-7",
    }
    Gateway.answer = b'{"code": 40001, "message": "signature mismatch"}'
    from jianfu.notifications.sms import SmsError

    with pytest.raises(SmsError, match="signature mismatch"):
        HttpGatewayBackend(config).send(phone="13900003333", text="x", reference="r")
    Gateway.answer = b'{"code": 0, "message_id": "gw-1"}'


def test_it_holds_sms_and_push_during_quiet_hours(world, run_tasks, settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path
    user = world.monitor
    user.phone = "13900004444"
    user.save()
    now = timezone.localtime()
    start = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    _prefer(user, email=False, sms=True, push=False, quiet_start=start, quiet_end=end)
    notify(recipients=[user], kind=Kind.DEADLINE_NEAR, title="即将到期")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DEFERRED
    assert timezone.localtime(delivery.next_attempt_at).time().replace(second=0) == end.replace(second=0)
    assert run_tasks() == 0 and not (tmp_path / "sms.jsonl").exists()


@override_settings(EMAIL_BACKEND=LOCMEM)
def test_it_sends_one_daily_digest_instead_of_each_message(world, run_tasks):
    user = world.office
    user.email = "office@example.gov.cn"
    user.save()
    _prefer(user, email=True, sms=False, push=False, digest=True)
    for n in range(3):
        notify(recipients=[user], kind=Kind.STEP_ASSIGNED, title=f"准入申请待办理 {n}")
    assert run_tasks() == 0 and mail.outbox == []
    assert "1 份" in sending.send_digests()
    assert sending.send_digests() == "每日汇总 0 份"  # held messages go into one digest, once
    assert run_tasks() == 1
    assert len(mail.outbox) == 1 and "消息汇总（3 条）" in mail.outbox[0].subject
    assert all(f"准入申请待办理 {n}" in mail.outbox[0].body for n in range(3))
    assert set(Delivery.objects.filter(batch__isnull=False).values_list("status", flat=True)) == {"sent"}


def test_it_keeps_the_kinds_a_person_muted_to_the_inbox(world, run_tasks):
    _prefer(world.office, email=True, sms=False, push=True, muted_kinds=[Kind.BULLETIN])
    notify(recipients=[world.office], kind=Kind.BULLETIN, title="通报")
    assert Notification.objects.filter(recipient=world.office).count() == 1
    assert not Delivery.objects.exists()


def test_it_refuses_sms_for_an_account_without_a_phone_and_audits_a_good_change(world):
    user = world.office
    user.phone = ""
    user.save()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="没有登记手机号"):
        preference_update(
            actor=user,
            email=False,
            sms=True,
            push=True,
            digest=False,
            quiet_start=None,
            quiet_end=None,
            muted_kinds=[],
        )
    with pytest.raises(ValidationError, match="同时填写"):
        preference_update(
            actor=user,
            email=False,
            sms=False,
            push=True,
            digest=False,
            quiet_start=time(22),
            quiet_end=None,
            muted_kinds=[],
        )
    saved = preference_update(
        actor=user,
        email=False,
        sms=False,
        push=True,
        digest=True,
        quiet_start=time(22),
        quiet_end=time(7),
        muted_kinds=["bulletin"],
    )
    assert saved.version == 2 and saved.digest
    from jianfu.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="notifications.preference_update", actor_id=user.pk).exists()


def _vapid_keys():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return base64.urlsafe_b64encode(der).decode().rstrip("=")


def _browser_keys() -> tuple[str, str]:
    """A phone's subscription keys (p256dh, auth), as PushManager.subscribe() makes them."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    encode = lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")  # noqa: E731
    return encode(point), encode(b"0123456789abcdef")


def test_it_sends_web_push_encrypted_and_signed_and_drops_a_gone_phone(world, run_tasks, gateway, settings):
    settings.VAPID_PRIVATE_KEY = _vapid_keys()
    user = world.grid_worker
    _prefer(user, email=False, sms=False, push=True)
    p256dh, auth = _browser_keys()
    PushSubscription.objects.create(user=user, endpoint=gateway + "/push/phone-1", p256dh=p256dh, auth=auth)
    notify(recipients=[user], kind=Kind.DEADLINE_PASSED, title="网格事件超过处置时限")
    assert run_tasks() == 1
    request = Gateway.received[0]
    assert request["path"] == "/push/phone-1"
    assert request["headers"]["Content-Encoding"] == "aes128gcm"  # the payload is encrypted for the phone
    assert request["headers"]["Authorization"].startswith("vapid t=")
    assert "网格事件".encode() not in request["body"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    Gateway.status = 410  # the phone uninstalled the app
    notify(recipients=[user], kind=Kind.DEADLINE_PASSED, title="第二条")
    run_tasks()
    assert not PushSubscription.objects.exists()
    assert Delivery.objects.order_by("-id").first().status == DeliveryStatus.SKIPPED
