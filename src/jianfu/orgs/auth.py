"""Password checks with lockout: signing in and confirming the current password share one failure counter.

Every attempt is counted *before* its password is checked, under the account's row lock (a reservation):
the attempt that reaches ``LOGIN_MAX_FAILURES`` locks the account there and then, so however many guesses
arrive at once, no more than that many passwords are ever checked. A right password clears the counter
afterwards. The lock is never held while a password is hashed, so other writers do not wait for it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from jianfu.audit.regions import county_code
from jianfu.audit.services import audit_record

from .models import User

GENERIC_FAILURE = "用户名或密码错误。"
WRONG_CURRENT = "当前密码不正确。"


class LoginRefused(Exception):
    def __init__(self, message: str, *, locked: bool = False):
        super().__init__(message)
        self.message = message
        self.locked = locked


def locked_message(until) -> str:
    until = timezone.localtime(until)
    return (
        f"该账号因连续 {settings.LOGIN_MAX_FAILURES} 次密码错误已被锁定，请于 {until:%H:%M} 后再试，"
        "或联系系统管理员解锁。"
    )


@dataclass(frozen=True)
class _Reservation:
    number: int  # which consecutive failure this attempt is, should its password be wrong
    locked_until: datetime | None = None  # set when this attempt used the last try and locked the account

    @property
    def locks(self) -> bool:
        return self.locked_until is not None


def login_attempt(*, username: str, password: str) -> User:
    """Return the user if the password is right and the account is not locked; otherwise raise LoginRefused.

    The failure counter lives on the account, so changing IP address does not reset it.
    """
    exists = User.objects.filter(username=username).exists()
    if not exists:
        authenticate(username=username, password=password)  # hashes once, so the answer takes as long
        with transaction.atomic():
            audit_record(
                actor=None, username=username, action="auth.login_failed", success=False, message="账号不存在"
            )
        raise LoginRefused(GENERIC_FAILURE)
    reservation = _reserve(username, action="auth.login_locked", note="账号锁定期间尝试登录")
    authenticated = authenticate(username=username, password=password)
    if authenticated is None:
        _record_failure(
            username, reservation, action="auth.login_failed", what="登录失败", message=GENERIC_FAILURE
        )
    return _record_success(
        username, reservation, _signed_in, action="auth.login_locked", note="账号锁定期间尝试登录"
    )


def check_current_password(*, user: User, password: str) -> None:
    """Confirm a signed-in user's current password (before changing it), counting toward the same lockout
    as signing in. Raises LoginRefused (``locked`` set once the account is locked)."""
    reservation = _reserve(user.username, action="auth.password_locked", note="账号锁定期间确认当前密码")
    if not User.objects.get(pk=user.pk).check_password(password):
        _record_failure(
            user.username,
            reservation,
            action="auth.password_failed",
            what="当前密码错误",
            message=WRONG_CURRENT,
        )
    _record_success(
        user.username,
        reservation,
        lambda _user: None,
        action="auth.password_locked",
        note="账号锁定期间确认当前密码",
    )


def _reserve(username: str, *, action: str, note: str) -> _Reservation:
    with transaction.atomic():
        user = User.objects.select_for_update().get(username=username)
        if user.is_locked():
            audit_record(
                actor=None,
                username=username,
                region_code=county_code(user.home_region),
                action=action,
                obj=user,
                success=False,
                message=note,
            )
            refusal = LoginRefused(locked_message(user.locked_until), locked=True)
        else:
            refusal = None
            user.failed_login_count += 1
            number = user.failed_login_count
            # The attempt that uses the last try locks the account now: the next are refused unchecked.
            if number >= settings.LOGIN_MAX_FAILURES:
                user.locked_until = timezone.now() + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
                user.failed_login_count = 0
                reservation = _Reservation(number, user.locked_until)
            else:
                reservation = _Reservation(number)
            user.save(update_fields=["failed_login_count", "locked_until"])
    if refusal is not None:  # raised outside the transaction, or the audit row would roll back with it
        raise refusal
    return reservation


def _record_failure(
    username: str, reservation: _Reservation, *, action: str, what: str, message: str
) -> None:
    with transaction.atomic():
        user = User.objects.get(username=username)
        region = county_code(user.home_region)
        audit_record(
            actor=None,
            username=username,
            region_code=region,
            action=action,
            obj=user,
            success=False,
            message=f"{what}（连续第 {reservation.number} 次）",
        )
        if reservation.locks:
            audit_record(
                actor=None,
                username=username,
                region_code=region,
                action="auth.lockout",
                obj=user,
                success=False,
                message=f"连续 {settings.LOGIN_MAX_FAILURES} 次密码错误，锁定至 "
                f"{timezone.localtime(reservation.locked_until):%Y-%m-%d %H:%M}",
            )
    if reservation.locks:
        raise LoginRefused(locked_message(reservation.locked_until), locked=True)
    raise LoginRefused(message)  # outside the transaction, so the audit rows are kept


def _record_success(username: str, reservation: _Reservation, on_success, *, action: str, note: str) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(username=username)
        if user.is_locked() and not reservation.locks:  # a parallel guess locked the account meanwhile
            audit_record(
                actor=None,
                username=username,
                region_code=county_code(user.home_region),
                action=action,
                obj=user,
                success=False,
                message=note,
            )
            refusal = LoginRefused(locked_message(user.locked_until), locked=True)
        else:
            refusal = None
            user.failed_login_count = 0
            user.locked_until = None
            user.save(update_fields=["failed_login_count", "locked_until"])
            on_success(user)
    if refusal is not None:
        raise refusal
    return user


def _signed_in(user: User) -> None:
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    audit_record(actor=user, action="auth.login", obj=user)


def logout_record(user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="auth.logout", obj=user)
