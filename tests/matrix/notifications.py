"""Permission-matrix cases for the inbox and message preferences (merged by tests/test_permission_matrix.py).

Everyone signed in has an inbox and preferences; a message is seen and marked only by its recipient (404 for
anyone else). Marking one's own messages read and choosing one's own channels write nothing of the business, so
the inspector may do them too.
"""

from jianfu.notifications.models import Kind
from jianfu.notifications.services import notify
from tests.matrix.base import ANON, LOGIN, Case, Redirect, pk, signed_in

INSPECTOR_MAY = {
    "notifications:read",
    "notifications:read_all",
    "notifications:preferences",
    "notifications:push_subscribe",
    "notifications:push_unsubscribe",
    "api:notifications_read",
    "api:notifications_read_all",
    "api:notifications_preferences_update",
}
TO_INBOX = Redirect("/notifications/")


def _message(w):
    if "_message" not in w.__dict__:
        w.__dict__["_message"] = notify(
            recipients=[w.village_cadre],
            kind=Kind.OTHER,
            title="矩阵消息",
            url="/admission/check/",
            key="matrix",
        )[0]
    return w.__dict__["_message"]


OBJECTS = {"message_taoyuan": _message}
SEES = {"message_taoyuan": {"village_cadre"}}


def recipient(ok, anon=LOGIN):
    def expect(p, t):
        return anon if p == ANON else (ok if p == "village_cadre" else 404)

    expect.writes = True
    return expect


def _preferences(o):
    return {"email": "", "sms": "", "push": "on", "digest": "", "quiet_start": "22:00", "quiet_end": "07:00"}


def _api_preferences(o):
    return {"email": False, "sms": False, "push": True, "digest": True, "muted_kinds": ["bulletin"]}


MESSAGE = ("message_taoyuan",)
ROUTES = {
    "notifications:inbox": (Case(signed_in(200)), Case(signed_in(200), query=lambda o: {"unread": "1"})),
    "notifications:open": Case(
        lambda p, t: LOGIN if p == ANON else (Redirect("/admission/check/") if p == "village_cadre" else 404),
        targets=MESSAGE,
        kwargs=pk,
    ),
    "notifications:read": (
        Case(signed_in(405), targets=MESSAGE, kwargs=pk),
        Case(recipient(TO_INBOX), "post", MESSAGE, pk),
    ),
    "notifications:read_all": (Case(signed_in(405)), Case(signed_in(TO_INBOX), "post")),
    "notifications:preferences": (
        Case(signed_in(200)),
        Case(signed_in(Redirect("/notifications/preferences/")), "post", data=_preferences),
    ),
    "notifications:push_subscribe": (Case(signed_in(405)), Case(signed_in(400), "post")),
    "notifications:push_unsubscribe": (Case(signed_in(405)), Case(signed_in(200), "post")),
    "api:notifications_inbox": Case(signed_in(200, anon=401)),
    "api:notifications_unread": Case(signed_in(200, anon=401)),
    "api:notifications_read": Case(recipient(200, anon=401), "post", MESSAGE, pk),
    "api:notifications_read_all": Case(signed_in(200, anon=401), "post"),
    "api:notifications_preferences": Case(signed_in(200, anon=401)),
    "api:notifications_preferences_update": Case(signed_in(200, anon=401), "put", data=_api_preferences),
}
