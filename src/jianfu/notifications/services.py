"""Telling people: ``notify(...)`` puts a message in each recipient's inbox and queues it on the channels
they chose. Apps call it after their write commits (``transaction.on_commit``), e.g.

    transaction.on_commit(lambda: notify(recipients=users, kind=Kind.DECLINE, title=..., url=..., key=...))
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.core.exceptions import check_version
from jianfu.jobs import queue

from .models import Channel, Delivery, DeliveryStatus, Kind, Notification, Preference, PushSubscription

# Channels that may wake someone: held back during their quiet hours.
INTRUSIVE = (Channel.SMS, Channel.PUSH)
# Channels a daily digest replaces (one message a day instead of each).
DIGESTED = (Channel.EMAIL, Channel.SMS)


def notify(
    *, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", key: str = ""
) -> list[Notification]:
    """Tell each active recipient once per ``key``: an inbox message plus its chosen channels. Returns the
    notifications created now (none for a recipient already told about ``key``)."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    created = []
    seen = set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        notification = _store(user, kind, title, body, url, key)
        if notification is not None:
            created.append(notification)
    return created


def _store(user, kind, title, body, url, key) -> Notification | None:
    try:
        with transaction.atomic():
            notification = Notification(
                recipient=user, kind=kind, title=title[:200], body=body[:2000], url=url[:300], key=key[:120]
            )
            notification.full_clean(validate_constraints=False)
            notification.save()
            _queue_deliveries(notification, preference_for(user))
    except IntegrityError:
        return None  # already told about this event
    return notification


def tell_resident(*, phone: str, text: str, key: str) -> Delivery | None:
    """An SMS to a resident without an account (e.g. the phone left with a public write-in), once per key.
    ``text`` must say nothing personal: the resident looks the answer up with their own query code."""
    from .tasks import deliver

    phone = "".join(ch for ch in phone if ch.isdigit())
    if not (len(phone) == 11 and phone.startswith("1")) or not key:
        return None
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                address=phone,
                channel=Channel.SMS,
                key=key[:120],
                text=text[:200],
                next_attempt_at=timezone.now(),
            )
            queue.enqueue(deliver, delivery.pk)
    except IntegrityError:
        return None
    return delivery


def preference_for(user) -> Preference:
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user)


def _queue_deliveries(notification: Notification, preference: Preference) -> None:
    from .tasks import deliver

    if notification.kind in preference.muted_kinds:
        return
    now = timezone.now()
    for channel in chosen_channels(preference):
        status, run_after = DeliveryStatus.PENDING, None
        if preference.digest and channel in DIGESTED:
            status = DeliveryStatus.DIGEST
        elif channel in INTRUSIVE and (quiet_end := quiet_until(preference, now)):
            status, run_after = DeliveryStatus.DEFERRED, quiet_end
        delivery = Delivery.objects.create(
            recipient=notification.recipient,
            channel=channel,
            notification=notification,
            status=status,
            next_attempt_at=run_after or now,
        )
        if status != DeliveryStatus.DIGEST:
            queue.enqueue(deliver, delivery.pk, run_after=run_after)


def chosen_channels(preference: Preference) -> list[str]:
    return [channel for channel in Channel.values if getattr(preference, channel)]


def quiet_until(preference: Preference, now: datetime) -> datetime | None:
    """The end of the quiet hours ``now`` falls in (local time), or None outside them."""
    start, end = preference.quiet_start, preference.quiet_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    clock = local.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    end_today = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return end_today if end_today > local else end_today + timedelta(days=1)


def notification_read(*, actor, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("只能处理自己的消息。")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_read_all(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_update(
    *,
    actor,
    email: bool,
    sms: bool,
    push: bool,
    digest: bool,
    quiet_start: time | None,
    quiet_end: time | None,
    muted_kinds: list[str],
    version: int | None = None,
) -> Preference:
    """A person chooses their channels, the daily digest, quiet hours and the kinds kept to the inbox."""
    preference, _ = Preference.objects.select_for_update().get_or_create(user=actor)
    check_version(preference, version, "消息设置")
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError({"quiet_end": "免打扰时段需要同时填写开始和结束时间。"})
    for name, moment in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        if moment is not None and moment.tzinfo is not None:  # quiet hours are the clock on the wall
            raise ValidationError({name: "免打扰时间请填写北京时间的钟点（如 22:00），不要带时区。"})
    if sms and not actor.phone:
        raise ValidationError({"sms": "您的账号没有登记手机号，无法接收短信，请联系管理员登记。"})
    if email and not actor.email:
        raise ValidationError({"email": "您的账号没有登记电子邮箱，无法接收邮件。"})
    unknown = [k for k in muted_kinds if k not in Kind.values]
    if unknown:
        raise ValidationError({"muted_kinds": "消息类型无效。"})
    before = _snapshot(preference)
    preference.email, preference.sms, preference.push, preference.digest = email, sms, push, digest
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    preference.muted_kinds, preference.version = sorted(set(muted_kinds)), preference.version + 1
    preference.full_clean()
    preference.save()
    audit_record(
        actor=actor,
        action="notifications.preference_update",
        obj=preference,
        before=before,
        after=_snapshot(preference),
    )
    return preference


def _snapshot(preference: Preference) -> dict:
    return {
        "email": preference.email,
        "sms": preference.sms,
        "push": preference.push,
        "digest": preference.digest,
        "quiet": f"{preference.quiet_start or ''}-{preference.quiet_end or ''}",
        "muted": preference.muted_kinds,
    }


@transaction.atomic
def push_subscribe(*, actor, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """A phone that installed the app allowed notifications: keep its Web Push subscription."""
    if not endpoint.startswith("https://") or len(endpoint) > 500 or not p256dh or not auth:
        raise ValidationError("推送订阅信息不完整。")
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": actor, "p256dh": p256dh[:200], "auth": auth[:100], "user_agent": user_agent[:200]},
    )
    audit_record(
        actor=actor,
        action="notifications.push_subscribe",
        obj=subscription,
        after={"device": subscription.user_agent[:60]},
    )
    return subscription


@transaction.atomic
def push_unsubscribe(*, actor, endpoint: str) -> int:
    removed, _ = PushSubscription.objects.filter(user=actor, endpoint=endpoint).delete()
    if removed:
        audit_record(actor=actor, action="notifications.push_unsubscribe", after={"removed": removed})
    return removed
