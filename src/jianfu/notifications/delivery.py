"""The worker's side of messages: send one delivery, retry with back-off, report what failed for good.

A delivery is marked "sending" in its own transaction before the provider is called and "sent" after, so a
second copy of the task finds it taken and leaves it; each provider also receives the delivery's reference
(e-mail Message-ID, the SMS gateway's client_ref, the push Topic) so a resend after a crash between the two is
recognised as the same message.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.jobs import queue

from . import channels
from .models import Delivery, DeliveryStatus
from .services import preference_for, quiet_until

SENDABLE = (DeliveryStatus.PENDING, DeliveryStatus.DEFERRED, DeliveryStatus.RETRYING)
STUCK_AFTER = timedelta(minutes=15)


def deliver(delivery_id: int) -> str:
    delivery = _take(delivery_id)
    if delivery is None:
        return "skipped"
    items = _items(delivery)
    try:
        channels.send(delivery, items)
    except channels.NoAddress as exc:
        _close(delivery, DeliveryStatus.SKIPPED, str(exc))
        return "skipped"
    except channels.Unreachable as exc:
        return _retry_or_fail(delivery, str(exc))
    except Exception as exc:  # an unexpected error is a failed attempt, not a lost message
        return _retry_or_fail(delivery, f"{type(exc).__name__}: {exc}")
    _close(delivery, DeliveryStatus.SENT, "")
    return "sent"


def _take(delivery_id: int) -> Delivery | None:
    from .tasks import deliver as deliver_task

    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("recipient", "notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status not in SENDABLE:
            return None
        quiet_end = _quiet_end(delivery, now)
        if quiet_end is not None:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.DEFERRED, quiet_end
            delivery.save(update_fields=["status", "next_attempt_at"])
            queue.enqueue(deliver_task, delivery.pk, run_after=quiet_end)
            return None
        delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
        delivery.next_attempt_at = now
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery


def _quiet_end(delivery: Delivery, now):
    if delivery.channel not in ("sms", "push") or delivery.recipient_id is None:
        return None
    return quiet_until(preference_for(delivery.recipient), now)


def _items(delivery: Delivery) -> list:
    if delivery.notification_id is None and delivery.digest_day is None:
        return []  # a resident's SMS carries its own text
    if delivery.digest_day is not None:
        return [d.notification for d in delivery.batched.select_related("notification").order_by("id")]
    return [delivery.notification]


def _close(delivery: Delivery, status: str, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status,
            last_error=error[:500],
            next_attempt_at=None,
            sent_at=now if status == DeliveryStatus.SENT else None,
        )
        if delivery.digest_day is not None:
            delivery.batched.update(status=status, sent_at=now if status == DeliveryStatus.SENT else None)


def _retry_or_fail(delivery: Delivery, error: str) -> str:
    from jianfu.core.jobs import job_failed

    from .tasks import deliver as deliver_task

    delays = settings.RETRY_DELAYS
    with transaction.atomic():
        if delivery.attempts <= len(delays):
            retry_at = timezone.now() + timedelta(seconds=delays[delivery.attempts - 1])
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.RETRYING, last_error=error[:500], next_attempt_at=retry_at
            )
            queue.enqueue(deliver_task, delivery.pk, run_after=retry_at)
            return "retrying"
        _close(delivery, DeliveryStatus.FAILED, error)
        who = delivery.recipient.full_name if delivery.recipient_id else "群众"
        label = f"{delivery.get_channel_display()}发送（{who}）"
        transaction.on_commit(
            lambda: job_failed.send(sender=Delivery, job=label, period="", error=error, url="/jobs/")
        )
    return "failed"


def send_digests(*, now=None) -> str:
    """The daily digest: each person's held e-mails and SMS go out as one message per channel and day."""
    from .tasks import deliver as deliver_task

    now = now or timezone.now()
    day = timezone.localdate(now)
    held = (
        Delivery.objects.filter(status=DeliveryStatus.DIGEST, batch__isnull=True)
        .order_by()
        .values_list("recipient_id", "channel")
        .distinct()
    )
    sent = 0
    for recipient_id, channel in list(held):
        try:
            with transaction.atomic():
                digest, _ = Delivery.objects.get_or_create(
                    recipient_id=recipient_id, channel=channel, digest_day=day
                )
                Delivery.objects.filter(
                    recipient_id=recipient_id,
                    channel=channel,
                    status=DeliveryStatus.DIGEST,
                    batch__isnull=True,
                ).exclude(pk=digest.pk).update(batch=digest)
                if digest.status in SENDABLE:
                    queue.enqueue(deliver_task, digest.pk)
                    sent += 1
        except IntegrityError:
            continue  # another scheduler made today's digest at the same moment
    return f"每日汇总 {sent} 份"


def sweep(*, now=None) -> str:
    """Deliveries whose worker vanished mid-send, or whose task was lost, go back on the queue."""
    from .tasks import deliver as deliver_task

    now = now or timezone.now()
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, next_attempt_at__lt=now - STUCK_AFTER)
    stuck.update(status=DeliveryStatus.RETRYING)
    lost = Delivery.objects.filter(status__in=SENDABLE, next_attempt_at__lt=now - STUCK_AFTER)
    count = 0
    for pk in lost.values_list("pk", flat=True):
        Delivery.objects.filter(pk=pk).update(next_attempt_at=now)
        queue.enqueue(deliver_task, pk)
        count += 1
    return f"重新排队 {count} 条消息"
