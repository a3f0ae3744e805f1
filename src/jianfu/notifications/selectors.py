"""Each person's inbox; the administrators' view of messages that could not be sent."""

from django.shortcuts import get_object_or_404

from .models import Delivery, DeliveryStatus, Notification

FAILED = (DeliveryStatus.FAILED, DeliveryStatus.RETRYING)


def inbox(user, *, unread_only: bool = False):
    notifications = Notification.objects.visible_to(user)
    return notifications.unread() if unread_only else notifications


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def notification_for(user, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


def failed_deliveries(user):
    return Delivery.objects.visible_to(user).filter(status__in=FAILED).select_related("recipient")


def deliveries_of(notification: Notification):
    return notification.deliveries.order_by("channel")
