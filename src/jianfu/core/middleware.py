import uuid

from .context import RequestMeta, reset_meta, set_meta


def client_ip(request) -> str:
    # Behind the deployment's proxy the first X-Forwarded-For hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex
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
