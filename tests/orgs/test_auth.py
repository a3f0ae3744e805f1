"""Signing in safely: password policy, lockout, idle sessions, logout, CSRF, no caching, no default accounts."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.core.middleware import SlidingSessionMiddleware
from jianfu.orgs.demo import load_demo
from jianfu.orgs.models import Department, Region, RoleAssignment, User
from tests.conftest import PASSWORD, fresh_settings

LOGIN = "/accounts/login/"
WRONG = "Wrong#Pass1"


def _attempt(client, username, password, ip="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _actions(username: str) -> list[str]:
    return list(
        AuditRecord.objects.filter(actor_username=username).order_by("seq").values_list("action", flat=True)
    )


# Password policy -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码长度太短，至少需要 8 个字符。"),
        ("abcdefgh", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类（当前 1 类）。"),
        ("qinghexian2026", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类（当前 2 类）。"),
        ("QINGHE-XIAN", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类（当前 2 类）。"),
    ],
)
def test_it_refuses_weak_passwords_in_chinese(db, password, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert message in excinfo.value.messages


@pytest.mark.parametrize("password", ["Qinghe2026", "qinghe#2026", "QINGHE#2026", "Qh#2026!x"])
def test_it_accepts_passwords_with_eight_characters_of_three_classes(db, password):
    validate_password(password)


def test_it_checks_the_policy_when_a_user_changes_their_password(world, client, login):
    login(world.village_cadre)
    response = client.post(
        "/accounts/me/", {"current_password": PASSWORD, "password": "taoyuan1", "password2": "taoyuan1"}
    )
    assert response.status_code == 200
    assert "新密码：密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类" in response.content.decode()
    assert User.objects.get(pk=world.village_cadre.pk).check_password(PASSWORD)
    response = client.post(
        "/accounts/me/",
        {"current_password": "wrong", "password": "Qinghe#2027x", "password2": "Qinghe#2027x"},
    )
    assert "当前密码不正确" in response.content.decode()
    response = client.post(
        "/accounts/me/",
        {"current_password": PASSWORD, "password": "Qinghe#2027x", "password2": "Qinghe#2027x"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.village_cadre.pk).check_password("Qinghe#2027x")
    assert "user.set_password" in _actions("taoyuan")


def _change(client, current, new="Qinghe#2027x"):
    return client.post("/accounts/me/", {"current_password": current, "password": new, "password2": new})


def test_it_refuses_a_new_password_equal_to_the_current_one(world, client, login):
    login(world.village_cadre)
    response = _change(client, PASSWORD, new=PASSWORD)
    assert response.status_code == 200
    assert "新密码：新密码不能与当前密码相同。" in response.content.decode()
    assert "user.set_password" not in _actions("taoyuan")


def test_it_refuses_an_administrator_setting_the_same_password_again(world):
    from jianfu.orgs import services

    with pytest.raises(ValidationError) as excinfo:
        services.user_set_password(actor=world.admin, user=world.village_cadre, password=PASSWORD)
    assert excinfo.value.message_dict == {"password": ["新密码不能与当前密码相同。"]}


def test_it_counts_wrong_current_passwords_toward_the_login_lockout(world, client, login):
    person = world.village_cadre
    assert _attempt(client, person.username, WRONG).status_code == 200  # one failed login first
    login(person)  # a right password clears the count
    for n in range(1, 5):
        response = _change(client, f"Wrong#Pass{n}")
        assert response.status_code == 200 and "当前密码：当前密码不正确。" in response.content.decode()
    assert User.objects.get(pk=person.pk).failed_login_count == 4
    response = _change(client, "Wrong#Pass5")  # the fifth locks the account and ends the session
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not _signed_in(client)
    assert "该账号因连续 5 次密码错误已被锁定" in client.get(response["Location"]).content.decode()
    person.refresh_from_db()
    assert person.is_locked() and person.check_password(PASSWORD)
    assert _actions(person.username)[-6:] == ["auth.password_failed"] * 5 + ["auth.lockout"]
    response = _attempt(client, person.username, PASSWORD)  # the right password waits for the lockout
    assert response.status_code == 200 and "已被锁定" in response.content.decode()


def test_it_mixes_failed_logins_and_wrong_current_passwords_in_one_count(world, client, login):
    person = world.village_cadre
    login(person)
    for n in range(3):
        _change(client, f"Wrong#Pass{n}")
    other = Client()
    for _ in range(2):
        response = _attempt(other, person.username, WRONG)
    assert "该账号因连续 5 次密码错误已被锁定" in response.content.decode()
    assert User.objects.get(pk=person.pk).is_locked()


# Lockout --------------------------------------------------------------------------------------------


def test_it_locks_the_account_for_30_minutes_after_5_failures_from_any_address(world, client):
    person = world.village_cadre
    for n in range(1, 5):
        response = _attempt(client, person.username, WRONG, ip=f"10.0.0.{n}")
        assert "用户名或密码错误。" in response.content.decode()
    response = _attempt(client, person.username, WRONG, ip="10.0.0.5")
    assert "该账号因连续 5 次密码错误已被锁定" in response.content.decode()
    person.refresh_from_db()
    remaining = (person.locked_until - timezone.now()).total_seconds()
    assert settings.LOGIN_LOCKOUT_SECONDS == 1800 and 1790 < remaining <= 1800

    # The right password from a fresh address (or behind a different proxy hop) is refused during the lockout.
    response = _attempt(client, person.username, PASSWORD, ip="192.168.9.9")
    assert response.status_code == 200 and "已被锁定" in response.content.decode()
    response = _attempt(client, person.username, PASSWORD, ip="172.16.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert "已被锁定" in response.content.decode()
    assert not _signed_in(client)
    assert client.get("/home/").status_code == 302

    failures = AuditRecord.objects.filter(actor_username=person.username, action="auth.login_failed")
    assert sorted(failures.values_list("ip", flat=True)) == [f"10.0.0.{n}" for n in range(1, 6)]
    assert all(not r.success and r.region_code == world.county.code for r in failures)  # the account's county
    assert (
        _actions(person.username) == ["auth.login_failed"] * 5 + ["auth.lockout"] + ["auth.login_locked"] * 2
    )
    lockout = AuditRecord.objects.get(actor_username=person.username, action="auth.lockout")
    assert "连续 5 次密码错误，锁定至" in lockout.message


def test_it_lets_the_user_in_once_the_lockout_has_passed(world, client):
    person = world.village_cadre
    for _ in range(5):
        _attempt(client, person.username, WRONG)
    assert User.objects.get(pk=person.pk).is_locked()
    User.objects.filter(pk=person.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )  # 30 minutes later
    assert _attempt(client, person.username, PASSWORD).status_code == 302
    person.refresh_from_db()
    assert (person.failed_login_count, person.locked_until) == (0, None)


def test_it_counts_consecutive_failures_only(world, client):
    person = world.village_cadre
    for _ in range(4):
        _attempt(client, person.username, WRONG)
    assert _attempt(client, person.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        _attempt(client, person.username, WRONG)
    assert _attempt(client, person.username, PASSWORD).status_code == 302


def test_it_lets_the_admin_unlock_an_account(world, client, login):
    person = world.village_cadre
    for _ in range(5):
        _attempt(client, person.username, WRONG)
    login(world.admin)
    assert client.post(f"/orgs/users/{person.pk}/unlock/").status_code == 302
    unlock = AuditRecord.objects.get(action="user.unlock")
    assert (unlock.actor_id, unlock.object_id) == (world.admin.pk, str(person.pk))
    client.post("/accounts/logout/")
    assert _attempt(client, person.username, PASSWORD).status_code == 302


def test_it_keeps_unlocking_to_administrators_of_the_users_county(world, client, login):
    person = world.village_cadre
    for _ in range(5):
        _attempt(client, person.username, WRONG)
    login(world.outsider)
    assert client.post(f"/orgs/users/{person.pk}/unlock/").status_code == 404
    client.post("/accounts/logout/")
    login(world.town_hk)
    assert client.post(f"/orgs/users/{person.pk}/unlock/").status_code == 403
    assert User.objects.get(pk=person.pk).is_locked()


def test_it_gives_the_same_answer_for_an_unknown_account_and_audits_it(world, client):
    response = _attempt(client, "nobody", WRONG, ip="10.9.9.9")
    assert "用户名或密码错误。" in response.content.decode()
    record = AuditRecord.objects.get(action="auth.login_failed", actor_username="nobody")
    assert (record.ip, record.message, record.success) == ("10.9.9.9", "账号不存在", False)


def test_it_refuses_an_inactive_account(world, client):
    User.objects.filter(pk=world.village_cadre.pk).update(is_active=False)
    response = _attempt(client, world.village_cadre.username, PASSWORD)
    assert response.status_code == 200 and not _signed_in(client)


# Sessions -------------------------------------------------------------------------------------------


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _expire_in(client, delta: timedelta) -> None:
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=timezone.now() + delta)


def test_it_ends_idle_sessions_after_30_minutes(world, client, login):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_REFRESH_SECONDS == 180
    login(world.office)
    assert client.get("/home/").status_code == 200
    left = (_session_row(client).expire_date - timezone.now()).total_seconds()
    assert 1790 < left <= 1800

    # 29 minutes idle: the next request still works and slides the expiry forward again.
    _expire_in(client, timedelta(minutes=1))
    _refreshed_ago(client, seconds=29 * 60)
    _expire_in(client, timedelta(minutes=1))
    assert client.get("/home/").status_code == 200
    assert (_session_row(client).expire_date - timezone.now()).total_seconds() > 1790

    # 30 minutes idle: the session is gone.
    _expire_in(client, timedelta(seconds=-1))
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def _refreshed_ago(client, *, seconds: int) -> None:
    """Pretend the session's expiry was last moved ``seconds`` ago (the stored expiry is set apart)."""
    session = client.session
    session[SlidingSessionMiddleware.KEY] = int(time.time()) - seconds
    session.save()


def test_pages_do_not_write_the_session_until_the_refresh_is_due(world, client, login):
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    login(world.office)
    assert client.get("/home/").status_code == 200
    # Within three minutes of the last refresh, pages read the session and leave its row alone.
    _expire_in(client, timedelta(minutes=20))
    before = _session_row(client).expire_date
    for _ in range(3):
        assert client.get("/home/").status_code == 200
    assert _session_row(client).expire_date == before
    assert settings.SESSION_COOKIE_NAME not in client.get("/home/").cookies  # nothing to send back either

    # Three minutes on, the next page moves the expiry to 30 minutes from now: one write.
    _refreshed_ago(client, seconds=180)
    _expire_in(client, timedelta(minutes=20))
    assert client.get("/home/").status_code == 200
    assert (_session_row(client).expire_date - timezone.now()).total_seconds() > 1790


def test_an_anonymous_visitor_gets_no_session_row(db, client):
    assert client.get("/").status_code == 200
    assert client.get("/public/lists/").status_code == 200
    assert Session.objects.count() == 0


def test_it_logs_out_only_on_post_and_ends_the_session(world, client, login):
    login(world.office)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/home/").status_code == 200
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/home/").status_code == 302
    assert not Session.objects.filter(session_key=old_cookie).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie  # replaying the old cookie does not help
    assert client.get("/home/").status_code == 302
    assert _actions("mz_office")[-1] == "auth.logout"


# CSRF -----------------------------------------------------------------------------------------------


def _csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def test_it_enforces_csrf_on_the_login_form(world):
    client, token = _csrf_client()
    response = client.post(LOGIN, {"username": "mz_office", "password": PASSWORD})
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(actor_username="mz_office", action__startswith="auth.").exists()
    response = client.post(
        LOGIN, {"username": "mz_office", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and _signed_in(client)


def _post_urls(world) -> list[str]:
    """Every page and API path that accepts a POST (or PATCH), with real objects filled in."""
    assignment = RoleAssignment.objects.filter(user=world.village_cadre).first()
    return [
        "/accounts/logout/",
        "/accounts/me/",
        "/accounts/me/tokens/",
        "/accounts/me/tokens/1/revoke/",
        "/orgs/regions/new/",
        f"/orgs/regions/{world.village_taoyuan.code}/edit/",
        f"/orgs/regions/{world.village_taoyuan.code}/toggle/",
        "/orgs/departments/new/",
        f"/orgs/departments/{world.dept_rs.pk}/edit/",
        f"/orgs/departments/{world.dept_rs.pk}/toggle/",
        "/orgs/users/new/",
        f"/orgs/users/{world.village_cadre.pk}/edit/",
        f"/orgs/users/{world.village_cadre.pk}/grant/",
        f"/orgs/users/{world.village_cadre.pk}/revoke/{assignment.pk}/",
        f"/orgs/users/{world.village_cadre.pk}/unlock/",
        f"/orgs/users/{world.village_cadre.pk}/toggle/",
        "/orgs/import/",
        "/audit/verify/",
        "/api/v1/regions",
        "/api/v1/departments",
        "/api/v1/audit/verify",
    ]


def _snapshot():
    return [m.objects.count() for m in (Region, Department, User, RoleAssignment, AuditRecord)] + [
        list(User.objects.filter(is_active=False).values_list("pk", flat=True)),
        list(Region.objects.filter(is_active=False).values_list("pk", flat=True)),
    ]


def test_it_refuses_every_post_without_a_csrf_token(world):
    client, token = _csrf_client()
    client.post(LOGIN, {"username": "sysadmin", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert _signed_in(client)
    before = _snapshot()
    for url in _post_urls(world):
        response = client.post(url, {"name": "x"})
        assert response.status_code == 403 and "csrf" in response.content.decode().lower(), url
    for url in (f"/api/v1/regions/{world.village_taoyuan.code}", f"/api/v1/departments/{world.dept_rs.pk}"):
        response = client.patch(url, {"name": "x", "version": 1}, content_type="application/json")
        assert response.status_code == 403 and "csrf" in response.content.decode().lower(), url
    assert _snapshot() == before
    assert _signed_in(client)  # the logout without a token did not log out either


def test_it_accepts_a_post_that_carries_the_token(world):
    client, token = _csrf_client()
    client.post(LOGIN, {"username": "sysadmin", "password": PASSWORD, "csrfmiddlewaretoken": token})
    token = client.cookies[settings.CSRF_COOKIE_NAME].value  # rotated at login
    response = client.post(
        "/api/v1/departments",
        {"name": "县医保局", "region_code": world.county.code, "kind": "government"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert not _signed_in(client)


# Caching --------------------------------------------------------------------------------------------


def test_it_marks_signed_in_pages_and_api_responses_no_store(world, client, login):
    assert "no-store" not in client.get(LOGIN).get("Cache-Control", "")
    anonymous_api = client.get("/api/v1/me")
    assert anonymous_api.status_code == 401 and anonymous_api["Cache-Control"] == "no-store"
    login(world.admin)
    for url in (
        "/home/",
        "/orgs/regions/",
        f"/orgs/users/{world.village_cadre.pk}/",
        "/orgs/export/users.xlsx",
        "/api/v1/me",
        "/api/v1/users",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


# No default accounts --------------------------------------------------------------------------------


def test_it_ships_no_accounts_at_all_before_the_demo_is_loaded(db, client):
    assert User.objects.count() == 0
    assert authenticate(username="admin", password="admin") is None
    response = _attempt(client, "admin", "admin")
    assert response.status_code == 200 and "用户名或密码错误。" in response.content.decode()


def test_it_has_no_admin_admin_account_in_the_demo(world):
    assert authenticate(username="admin", password="admin") is None
    assert not User.objects.filter(username__in=["admin", "root", "administrator"]).exists()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not any(u.check_password("admin") for u in User.objects.all())


def test_it_refuses_to_load_demo_accounts_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(RuntimeError, match="生产环境不能加载演示数据"):
        load_demo()
    with pytest.raises(RuntimeError, match="生产环境不能加载演示数据"):
        call_command("load_demo")
    assert User.objects.count() == 0


def test_it_refuses_to_start_in_production_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("JIANFU_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="生产环境必须设置 JIANFU_SECRET_KEY"):
        fresh_settings(monkeypatch, JIANFU_ENV="production")
    production = fresh_settings(monkeypatch, JIANFU_ENV="production", JIANFU_SECRET_KEY="k" * 50)
    assert production.PRODUCTION and not production.DEBUG
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
