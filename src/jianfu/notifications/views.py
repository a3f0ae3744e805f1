"""The inbox, marking messages read, preferences, and the phone's Web Push subscription."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianfu.core.views_util import add_service_errors, paginate

from . import selectors, services
from .forms import PreferenceForm


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.inbox(request.user, unread_only=unread_only))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
def open_notification(request, pk):
    """Follow a message to its record; following it marks it read."""
    notification = selectors.notification_for(request.user, pk)
    services.notification_read(actor=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notifications:inbox")
    return redirect(target)


@login_required
@require_POST
def mark_read(request, pk):
    notification = selectors.notification_for(request.user, pk)
    services.notification_read(actor=request.user, notification=notification)
    if request.headers.get("HX-Request"):
        return render(
            request, "notifications/_item.html", {"n": selectors.notification_for(request.user, pk)}
        )
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_read_all(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    current = services.preference_for(request.user)
    initial = {
        "email": current.email,
        "sms": current.sms,
        "push": current.push,
        "digest": current.digest,
        "quiet_start": current.quiet_start,
        "quiet_end": current.quiet_end,
        "muted_kinds": current.muted_kinds,
        "version": current.version if current.pk else None,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "消息设置已保存。")
            return redirect("notifications:preferences")
    context = {
        "form": form,
        "push_configured": bool(settings.VAPID_PUBLIC_KEY),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "devices": request.user.push_subscriptions.order_by("-created_at"),
    }
    return render(request, "notifications/preferences.html", context)


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@login_required
@require_POST
def push_subscribe(request):
    body = _json_body(request)
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    try:
        services.push_subscribe(
            actor=request.user,
            endpoint=str(body.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as exc:
        return JsonResponse({"detail": "；".join(exc.messages)}, status=400)
    return JsonResponse({"detail": "已开启手机推送。"}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    removed = services.push_unsubscribe(
        actor=request.user, endpoint=str(_json_body(request).get("endpoint", ""))
    )
    return JsonResponse({"detail": "已关闭手机推送。" if removed else "这台设备没有开启推送。"})
