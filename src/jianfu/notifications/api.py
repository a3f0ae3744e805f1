"""Each person's inbox and message preferences."""

from datetime import datetime, time

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from jianfu.core.api_types import Page
from jianfu.notifications import selectors, services

router = Router(tags=["消息"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class CountOut(Schema):
    unread: int


class PreferenceIO(Schema):
    email: bool
    sms: bool
    push: bool
    digest: bool
    quiet_start: time | None = None
    quiet_end: time | None = None
    muted_kinds: list[str] = Field(default_factory=list, max_length=20)
    version: int | None = None


@router.get("", response=list[NotificationOut], url_name="notifications_inbox", summary="我的消息")
@paginate(Page)
def inbox(request, unread: bool = False):
    return selectors.inbox(request.user, unread_only=unread)


@router.get("/unread-count", response=CountOut, url_name="notifications_unread", summary="未读消息数")
def unread_count(request):
    return {"unread": selectors.unread_count(request.user)}


@router.post("/{int:pk}/read", response=NotificationOut, url_name="notifications_read", summary="标为已读")
def read(request, pk: int):
    notification = selectors.notification_for(request.user, pk)
    services.notification_read(actor=request.user, notification=notification)
    return selectors.notification_for(request.user, pk)


@router.post("/read-all", response=CountOut, url_name="notifications_read_all", summary="全部标为已读")
def read_all(request):
    services.notifications_read_all(actor=request.user)
    return {"unread": 0}


def _preference_out(preference) -> dict:
    return {
        "email": preference.email,
        "sms": preference.sms,
        "push": preference.push,
        "digest": preference.digest,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
        "muted_kinds": preference.muted_kinds,
        "version": preference.version,
    }


@router.get("/preferences", response=PreferenceIO, url_name="notifications_preferences", summary="消息设置")
def preferences(request):
    return _preference_out(services.preference_for(request.user))


@router.put(
    "/preferences",
    response=PreferenceIO,
    url_name="notifications_preferences_update",
    summary="修改消息设置（渠道、每日汇总、免打扰时段）",
)
def preferences_update(request, payload: PreferenceIO):
    preference = services.preference_update(actor=request.user, **payload.dict())
    return _preference_out(preference)
