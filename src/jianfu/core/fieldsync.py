"""The JSON answer a phone's offline outbox gets when it sends a stored entry to a field form's page.

The phone posts the same multipart form a person would, with ``X-Field-Sync: 1``; the page's view answers in
JSON instead of HTML: 201 (stored now) or 200 (stored before: the idempotency key matched) with the record's
address, or 400 with the reason in Chinese naming each field, which the phone keeps beside the entry.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse


def wants_json(request) -> bool:
    return request.headers.get("X-Field-Sync") == "1"


def saved(*, url: str, created: bool, message: str) -> JsonResponse:
    return JsonResponse({"url": url, "created": created, "message": message}, status=201 if created else 200)


def refused(form, *, status: int = 400, extra: dict | None = None) -> JsonResponse:
    """The form's errors, each under its field's label, and one sentence that says them all."""
    errors = {}
    for name, messages in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else "提交"
        errors[label] = [str(m) for m in messages]
    reason = "；".join(f"{label}：{'，'.join(msgs)}" for label, msgs in errors.items()) or "提交未通过校验"
    return JsonResponse({"reason": reason, "errors": errors, **(extra or {})}, status=status)


def answers_refusals(view):
    """A refusal of the whole page (no longer a monitor, no village to serve) reaches the phone as a reason too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            if not wants_json(request):
                raise
            return JsonResponse(
                {"reason": str(exc) or "您没有提交这类记录的权限。", "errors": {}}, status=403
            )

    return wrapper
