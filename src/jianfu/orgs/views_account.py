"""Signing in and out, and the signed-in user's own account (password, API tokens)."""

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianfu.core import ratelimit
from jianfu.core.views_util import add_service_errors

from . import services
from .auth import LoginRefused, locked_message, login_attempt, logout_record
from .forms import LoginForm, PasswordForm

# The lockout counts failures per account; this counts them per client address, so trying one password on
# many accounts (password spraying) is slowed down too.
LOGIN_LIMITED = "登录失败次数过多，请约 {minutes} 分钟后再试；忘记密码请联系系统管理员。"


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        failures = ratelimit.limit(request, "login", LOGIN_LIMITED)
        try:
            failures.check()
            try:
                user = login_attempt(
                    username=form.cleaned_data["username"], password=form.cleaned_data["password"]
                )
            except LoginRefused:
                failures.hit()
                raise
        except LoginRefused as refusal:
            form.add_error(None, refusal.message)
        except ratelimit.Throttled as refusal:
            form.add_error(None, refusal.message)
            return render(request, "registration/login.html", {"form": form}, status=429)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            target = request.POST.get("next") or request.GET.get("next") or "home"
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}) and target != "home":
                target = "home"
            return redirect(target)
    return render(request, "registration/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        logout_record(request.user)
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("login")


@login_required
def account(request):
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["password"],
                current_password=form.cleaned_data["current_password"],
            )
        except ValidationError as exc:
            request.user.refresh_from_db(fields=["locked_until"])
            if request.user.is_locked():  # wrong current passwords count toward the login lockout: sign out
                until = request.user.locked_until
                logout(request)
                messages.error(request, locked_message(until))
                return redirect("login")
            add_service_errors(form, exc)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("account")
    tokens = request.user.api_tokens.order_by("-created_at")
    return render(
        request,
        "registration/account.html",
        {"form": form, "tokens": tokens, "new_key": request.session.pop("new_api_key", None)},
    )


@login_required
@require_POST
def token_create(request):
    name = request.POST.get("name", "").strip()
    if not name:
        messages.error(request, "请填写令牌用途。")
        return redirect("account")
    _token, key = services.api_token_create(actor=request.user, name=name[:100])
    request.session["new_api_key"] = key
    return redirect("account")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk, revoked_at__isnull=True)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, "令牌已吊销。")
    return redirect("account")
