"""Parallel guesses: however many arrive at once, no more than LOGIN_MAX_FAILURES passwords are checked.

Real threads, each on its own database connection, on SQLite and on PostgreSQL (``make test-postgres``); the
password checks are counted by a test-only hasher, not by mocking the database.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from jianfu.audit.models import AuditRecord
from jianfu.orgs import services
from jianfu.orgs.auth import LoginRefused, login_attempt
from jianfu.orgs.demo import load_demo
from jianfu.orgs.models import User
from tests.conftest import PASSWORD
from tests.orgs.hashers import CountingMD5PasswordHasher

GUESSES = 40


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.orgs.hashers.CountingMD5PasswordHasher"]
    CountingMD5PasswordHasher.checks = 0
    return CountingMD5PasswordHasher


def _all_at_once(attempt) -> list[str]:
    start = threading.Barrier(GUESSES)

    def one(n):
        start.wait()
        try:
            attempt(n)
            return "accepted"
        except LoginRefused as refusal:
            return refusal.message
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong in the thread
            return f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        return list(pool.map(one, range(GUESSES)))


@pytest.mark.django_db(transaction=True)
def test_it_checks_at_most_five_passwords_of_forty_parallel_wrong_guesses(counting_hasher):
    load_demo()
    answers = _all_at_once(lambda n: login_attempt(username="taoyuan", password=f"Wrong#Guess{n}"))
    print(f"\n{GUESSES} parallel wrong guesses: {counting_hasher.checks} passwords checked")
    assert counting_hasher.checks == 5
    assert all(
        a == "用户名或密码错误。" or a.startswith("该账号因连续 5 次密码错误已被锁定") for a in answers
    ), answers
    assert User.objects.get(username="taoyuan").is_locked()
    actions = list(AuditRecord.objects.filter(actor_username="taoyuan").values_list("action", flat=True))
    assert actions.count("auth.login_failed") == 5 and actions.count("auth.lockout") == 1
    assert actions.count("auth.login_locked") == GUESSES - 5

    counting_hasher.checks = 0  # the right password is refused during the lockout, without being checked
    with pytest.raises(LoginRefused, match="已被锁定"):
        login_attempt(username="taoyuan", password=PASSWORD)
    assert counting_hasher.checks == 0


@pytest.mark.django_db(transaction=True)
def test_it_counts_parallel_wrong_current_passwords_toward_the_same_lock(counting_hasher):
    load_demo()
    person = User.objects.get(username="taoyuan")

    def change(n):
        try:
            services.user_set_password(
                actor=person, user=person, password="Qinghe#2027x", current_password=f"Wrong#Guess{n}"
            )
        except services.ValidationError as exc:
            raise LoginRefused(exc.message_dict["current_password"][0]) from exc

    answers = _all_at_once(change)
    assert counting_hasher.checks == 5, answers
    assert User.objects.get(pk=person.pk).is_locked()
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)
