"""Signing in: password check, lockout after repeated failures (keyed on the username), audit."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from jianfu.audit.regions import county_code
from jianfu.audit.services import audit_record

from .models import User

GENERIC_FAILURE = "用户名或密码错误。"


class LoginRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until)
    return f"该账号因连续 {settings.LOGIN_MAX_FAILURES} 次登录失败已被锁定，请于 {until:%H:%M} 后再试，或联系系统管理员解锁。"


def login_attempt(*, username: str, password: str) -> User:
    """Return the user if the password is right and the account is not locked; otherwise raise LoginRefused.

    The failure counter lives on the account, so changing IP address does not reset it.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        locked = user is not None and user.is_locked()
        if locked:
            audit_record(actor=None, username=username, region_code=county_code(user.home_region), action="auth.login_locked", obj=user, success=False,
                         message="账号锁定期间尝试登录")  # fmt: skip
    if locked:  # raised outside the transaction, or the audit row would roll back with it
        raise LoginRefused(_locked_message(user))
    authenticated = authenticate(username=username, password=password)
    if authenticated is None:
        _record_failure(username)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=authenticated.pk)
        if user.is_locked():  # a parallel guess locked the account while this password was being checked
            audit_record(actor=None, username=username, region_code=county_code(user.home_region), action="auth.login_locked",
                         obj=user, success=False, message="账号锁定期间尝试登录")  # fmt: skip
            refusal = LoginRefused(_locked_message(user))
        else:
            refusal = None
            user.failed_login_count = 0
            user.locked_until = None
            user.last_login = timezone.now()
            user.save(update_fields=["failed_login_count", "locked_until", "last_login"])
            audit_record(actor=user, action="auth.login", obj=user)
    if refusal is not None:
        raise refusal
    return user


def _record_failure(username: str) -> None:
    message = GENERIC_FAILURE
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            audit_record(
                actor=None, username=username, action="auth.login_failed", success=False, message="账号不存在"
            )
        else:
            message = _count_failure(user, username)
    raise LoginRefused(message)  # outside the transaction, so the audit rows are kept


def _count_failure(user: User, username: str) -> str:
    message = GENERIC_FAILURE
    user.failed_login_count += 1
    audit_record(actor=None, username=username, region_code=county_code(user.home_region), action="auth.login_failed", obj=user, success=False,
                 message=f"密码错误（连续第 {user.failed_login_count} 次）")  # fmt: skip
    if user.failed_login_count >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = timezone.now() + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        user.failed_login_count = 0
        audit_record(actor=None, username=username, region_code=county_code(user.home_region), action="auth.lockout", obj=user, success=False,
                     message=f"连续 {settings.LOGIN_MAX_FAILURES} 次登录失败，锁定至 {timezone.localtime(user.locked_until):%Y-%m-%d %H:%M}")  # fmt: skip
        message = _locked_message(user)
    user.save(update_fields=["failed_login_count", "locked_until"])
    return message


def logout_record(user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="auth.logout", obj=user)
