"""One JSON error shape for every failure: {"error": {"code", "message", "fields"}} with Chinese messages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from jianfu.core.exceptions import StaleWriteError
from jianfu.core.ratelimit import Throttled
from jianfu.core.schema_errors import describe, field_label

# Django-ninja raises HttpError itself (the session auth's CSRF check, throttling) with English text.
HTTP_ERRORS = {
    400: ("invalid", "请求体无法解析，请检查 JSON 格式。"),
    403: ("forbidden", "您没有执行此操作的权限。"),
    404: ("not_found", "未找到该对象，或它不在您的管辖范围内。"),
    405: ("method_not_allowed", "该接口不支持此请求方法。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
}
OUT_OF_RANGE = "请求中的数值超出范围，请检查编号、数量等数字。"
DATA_OUT_OF_RANGE = "请求中的数据超出允许的范围（数字过大或文字过长），请检查后重试。"
CSRF_MESSAGE = "CSRF 校验失败：浏览器会话的写操作须在 X-CSRFToken 请求头中带上 CSRF 令牌，请刷新页面后重试。"


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _schema_field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "请求"


def _labelled(field: str, reasons: list[str]) -> str:
    label = field_label(field)
    text = "，".join(reasons)
    return f"{label}：{text}" if field != "__all__" and not label.isascii() else text


def install(api) -> None:
    @api.exception_handler(StaleWriteError)
    def stale(request, exc):
        return api.create_response(request, error_body("stale", exc.messages[0]), status=409)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return api.create_response(request, error_body("throttled", exc.message), status=429)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        # The messages name their field in Chinese; a field's code (``description``) stays in ``fields`` for
        # programs and is never put before a message a person reads.
        message = "；".join(_labelled(k, v) for k, v in fields.items()) or "；".join(exc.messages)
        return api.create_response(request, error_body("invalid", message, fields), status=400)

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc):
        fields = {}
        for error in exc.errors:
            fields.setdefault(_schema_field(error.get("loc", [])), []).append(describe(error))
        message = "请求数据格式不正确：" + "；".join(
            f"{field_label(name)}{reasons[0].removeprefix('格式不正确')}" for name, reasons in fields.items()
        )
        return api.create_response(request, error_body("invalid", message, fields), status=422)

    # A number no database column can hold (an id filter of 30 digits): SQLite's driver raises OverflowError,
    # PostgreSQL's a DataError. Either is the request's fault, never the server's.
    @api.exception_handler(OverflowError)
    def overflow(request, exc):
        return api.create_response(request, error_body("invalid", OUT_OF_RANGE), status=422)

    @api.exception_handler(DataError)
    def data_error(request, exc):
        return api.create_response(request, error_body("invalid", DATA_OUT_OF_RANGE), status=422)

    @api.exception_handler(PermissionDenied)
    def denied(request, exc):
        return api.create_response(
            request, error_body("forbidden", str(exc) or "您没有执行此操作的权限。"), status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, error_body("not_found", "未找到该对象，或它不在您的管辖范围内。"), status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        code, message = HTTP_ERRORS.get(exc.status_code, ("error", f"请求失败（HTTP {exc.status_code}）。"))
        if exc.status_code == 403 and "CSRF" in exc.message:
            code, message = "csrf_failed", CSRF_MESSAGE
        elif not exc.message.isascii():
            message = exc.message  # already written in Chinese by our own code
        return api.create_response(request, error_body(code, message), status=exc.status_code)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, error_body("unauthenticated", "请先登录，或提供有效的 API 令牌。"), status=401
        )
