"""Messages to people: the inbox, each channel's delivery of each message, preferences and phones."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianfu.core.text import TEXT, BoundedTextField


class Kind(models.TextChoices):
    STEP_ASSIGNED = "step_assigned", "待我办理"
    DEADLINE_NEAR = "deadline_near", "办理时限将到"
    DEADLINE_PASSED = "deadline_passed", "办理超期"
    DECLINE = "decline", "村（社区）拒绝执行"
    BULLETIN = "bulletin", "通报"
    WRITE_IN = "write_in", "群众意见答复"
    FINDING = "finding", "问题研判"
    JOB_FAILED = "job_failed", "系统作业失败"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    PUSH = "push", "手机推送"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Personal: a notification is its recipient's only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one person's inbox. ``key`` names the event (e.g. ``admission:12:decision``) so the
    same event told twice is stored once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = BoundedTextField("内容", blank=True, max_length=TEXT)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once"
            )
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """How a person wants to be told, beyond the inbox (which always receives everything)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=False)
    push = models.BooleanField("手机推送", default=True)
    digest = models.BooleanField(
        "每日汇总", default=False, help_text="邮件和短信每天汇总发送一次，不逐条发送（手机推送仍逐条）"
    )
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)
    muted_kinds = models.JSONField("只进站内信的类型", default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "消息设置"

    def __str__(self):
        return str(self.user)


class PushSubscription(models.Model):
    """A phone or browser that installed the app and allowed notifications (Web Push)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "手机推送订阅"

    def __str__(self):
        return f"{self.user} {self.user_agent[:30]}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    DEFERRED = "deferred", "免打扰时段后发送"
    DIGEST = "digest", "并入每日汇总"
    SENDING = "sending", "发送中"
    RETRYING = "retrying", "发送失败，等待重试"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    SKIPPED = "skipped", "未发送"


DELIVERY_COLOURS = {
    DeliveryStatus.PENDING: "secondary",
    DeliveryStatus.DEFERRED: "secondary",
    DeliveryStatus.DIGEST: "secondary",
    DeliveryStatus.SENDING: "info",
    DeliveryStatus.RETRYING: "warning",
    DeliveryStatus.SENT: "success",
    DeliveryStatus.FAILED: "danger",
    DeliveryStatus.SKIPPED: "light",
}


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see deliveries to people in their scope (the jobs page); others their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_capability("orgs.manage"):
            from jianfu.orgs.models import User

            return self.filter(recipient__in=User.objects.visible_to(user))
        return self.filter(recipient=user)


class Delivery(models.Model):
    """One message on one channel: a notification, or one day's digest of several. Unique per notification and
    channel (and per person, channel and day for a digest), so nothing is sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # A resident without an account (a public write-in's phone number): SMS only, no inbox.
    address = models.CharField("号码", max_length=20, blank=True)
    key = models.CharField(max_length=120, blank=True)
    text = models.CharField("短信内容", max_length=200, blank=True)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification, models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    digest_day = models.DateField("汇总日期", null=True, blank=True)
    batch = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="batched")
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    sent_at = models.DateTimeField("发出时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "消息发送"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(notification__isnull=False),
                name="delivery_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_day"],
                condition=Q(digest_day__isnull=False),
                name="digest_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["address", "key"], condition=~Q(key=""), name="resident_sms_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient or self.address[:3] + '****'}"

    @property
    def colour(self) -> str:
        return DELIVERY_COLOURS[self.status]

    @property
    def provider_ref(self) -> str:
        """The idempotency key each provider receives: a resend after a crash is recognised as the same."""
        return f"jianfu-delivery-{self.pk}"
