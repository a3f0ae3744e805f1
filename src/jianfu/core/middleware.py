import ipaddress
import re
import uuid

from django.conf import settings

from .context import RequestMeta, reset_meta, set_meta

REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The client's address. X-Forwarded-For is believed only when the request came from one of our own
    proxies (JIANFU_TRUSTED_PROXIES); anyone else could write any address into it."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in settings.TRUSTED_PROXIES:
        return _valid_ip(forwarded.split(",")[-1]) or remote
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_meta(RequestMeta(ip=client_ip(request), request_id=request.request_id, channel=channel))
        try:
            response = self.get_response(request)
        finally:
            reset_meta(token)
        response["X-Request-Id"] = request.request_id
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
