import re
import time
import uuid

from django.conf import settings
from django.shortcuts import render

from .context import RequestMeta, reset_meta, set_meta
from .ratelimit import Throttled, client_address

REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_meta(
            RequestMeta(ip=client_address(request), request_id=request.request_id, channel=channel)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_meta(token)
        response["X-Request-Id"] = request.request_id
        return response


class SlidingSessionMiddleware:
    """Idle sessions end SESSION_COOKIE_AGE after the last activity, without a session write on every page.

    The session is saved (and its expiry moved to now + SESSION_COOKIE_AGE) only when its data changed or when
    at least SESSION_REFRESH_SECONDS have passed since the expiry was last moved. A session thus ends between
    SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the last page seen: never later
    than the idle limit (等保: 30 minutes), at most a few minutes earlier. Placed after SessionMiddleware, so its
    response half runs before the session is saved.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Nothing stored (no cookie, an expired one, or a session just flushed by logging out): never create a
        # session only to slide it. For a signed-in user the session is already loaded, so this reads nothing.
        if session is None or not session.keys():
            return response
        now = int(time.time())
        if session.modified or now - int(session.get(self.KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response


class NoStoreForPersonalDataMiddleware:
    """Pages seen by a signed-in user or served by the API carry personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class ThrottledMiddleware:
    """A page refused by a rate limit (core.ratelimit) answers 429 with the limit's Chinese message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Throttled):
            return render(request, "429.html", {"message": exception.message}, status=429)
        return None
