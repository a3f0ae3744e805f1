import re
import uuid

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
