"""Sending one message on one channel. Each sender raises ``Unreachable`` when the provider did not take it
(the delivery is retried) and ``NoAddress`` when the person cannot be reached that way (skipped)."""

import json

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from .models import Channel, Kind
from .sms import SmsError
from .sms import backend as sms_backend


class Unreachable(Exception):
    pass


class NoAddress(Exception):
    pass


def absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") and settings.SITE_URL else url


def send(delivery, items: list) -> None:
    """Send ``items`` (one notification, or the day's notifications for a digest) to the recipient."""
    {Channel.EMAIL: _email, Channel.SMS: _sms, Channel.PUSH: _push}[delivery.channel](delivery, items)


def _email(delivery, items) -> None:
    user = delivery.recipient
    if not user.email:
        raise NoAddress("账号没有登记电子邮箱")
    if len(items) == 1 and delivery.digest_day is None:
        subject = f"【减负平台】{items[0].title}"
    else:
        subject = f"【减负平台】{delivery.digest_day or ''} 消息汇总（{len(items)} 条）"
    lines = [f"{user.full_name}：", ""]
    for item in items:
        lines += [
            f"· {item.title}",
            *([item.body] if item.body else []),
            *([absolute(item.url)] if item.url else []),
            "",
        ]
    lines.append(f"全部消息：{absolute(reverse('notifications:inbox'))}")
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">") or "jianfu"
    message = EmailMessage(
        subject,
        "\n".join(lines),
        to=[user.email],
        headers={"Message-ID": f"<{delivery.provider_ref}@{domain}>"},
    )
    try:
        message.send()
    except OSError as exc:  # smtplib errors and refused connections are OSErrors
        raise Unreachable(f"邮件服务器无法发送：{type(exc).__name__}") from exc


def sms_text(items) -> str:
    """Nothing personal: how many messages of which kinds, and where to read them."""
    kinds = sorted({Kind(item.kind).label for item in items})
    return f"您有 {len(items)} 条新消息（{'、'.join(kinds)}），请登录减负平台查看。"


def _sms(delivery, items) -> None:
    phone = delivery.address if delivery.recipient_id is None else delivery.recipient.phone
    if not phone or not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise NoAddress("账号没有登记手机号")
    text = delivery.text or sms_text(items)
    try:
        sms_backend().send(phone=phone, text=text, reference=delivery.provider_ref)
    except SmsError as exc:
        raise Unreachable(str(exc)) from exc


def _push(delivery, items) -> None:
    from pywebpush import WebPushException, webpush

    if not settings.VAPID_PRIVATE_KEY:
        raise NoAddress("平台未配置手机推送（VAPID 密钥）")
    subscriptions = list(delivery.recipient.push_subscriptions.all())
    if not subscriptions:
        raise NoAddress("没有安装应用并允许通知的手机")
    item = items[0]
    payload = json.dumps(
        {
            "title": item.title,
            "url": item.url or reverse("notifications:inbox"),
            "tag": delivery.provider_ref,
        },
        ensure_ascii=False,
    )
    delivered = 0
    for subscription in subscriptions:
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            webpush(
                info,
                payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                ttl=86400,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                headers={"Topic": delivery.provider_ref[-32:].replace("-", "")},
                timeout=10,
            )
            delivered += 1
        except WebPushException as exc:
            if exc.response is not None and exc.response.status_code in (404, 410):
                subscription.delete()  # the phone uninstalled the app or revoked permission
                continue
            raise Unreachable(f"推送服务无法送达：{str(exc)[:100]}") from exc
        except OSError as exc:
            raise Unreachable(f"推送服务无法连接：{type(exc).__name__}") from exc
    if not delivered:
        raise NoAddress("手机已取消订阅")
