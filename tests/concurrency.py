"""The one shape of the two-transaction tests on PostgreSQL: a first transaction runs until it holds what the test
is about, a second runs meanwhile on its own connection, and the first goes on once the second has finished or is
waiting for one of its locks.

``interleave(first, second)``: ``first(hold)`` runs in a transaction in a thread of its own and calls ``hold()``
where it holds its locks (or ``hold`` is called when ``first`` returns, before its commit); ``second()`` then runs
in a transaction of its own in another thread, under a lock timeout (``before_second()`` runs in the calling thread
first, if given). Once ``second`` has committed (or failed), or is seen waiting on a lock (``pg_blocking_pids``),
``first`` is let go. Nothing is timed: the outcome says what happened. With ``atomic_first=False`` the first is
not wrapped in a transaction: a job of several short transactions of its own, held inside one of them."""

import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

WAIT = 30  # seconds any step may take before the test gives up (a hang is a failure, not a figure)


@dataclass
class Interleaving:
    first: Any = None
    second: Any = None
    first_error: str | None = None
    second_error: str | None = None
    second_done_while_first_held: bool = False  # the second committed (or failed) while the first held on
    second_waited_for_first: bool = False  # the second was seen waiting on a lock the first held

    @property
    def both_committed(self) -> bool:
        return self.first_error is None and self.second_error is None


def _blocked(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return bool(cursor.fetchone()[0])


def interleave(
    first: Callable[[Callable[[], None]], Any],
    second: Callable[[], Any],
    *,
    before_second: Callable[[], None] | None = None,
    lock_timeout: str = "10s",
    atomic_first: bool = True,
) -> Interleaving:
    if connection.vendor != "postgresql":
        raise RuntimeError("interleave needs PostgreSQL: SQLite has one writer at a time")
    outcome = Interleaving()
    held, release, second_done = threading.Event(), threading.Event(), threading.Event()
    second_pid: list[int] = []
    first_thread: list[threading.Thread] = []

    def hold() -> None:
        if threading.current_thread() is not first_thread[0] or held.is_set():
            return  # only the first transaction holds, once
        held.set()
        release.wait(WAIT)

    def run_first() -> None:
        try:
            with transaction.atomic() if atomic_first else nullcontext():
                outcome.first = first(hold)
                hold()
        except Exception as exc:  # noqa: BLE001  reported in the outcome
            outcome.first_error = repr(exc)
        finally:
            held.set()
            connection.close()

    def run_second() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    second_pid.append(cursor.fetchone()[0])
                    cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
                outcome.second = second()
        except Exception as exc:  # noqa: BLE001  reported in the outcome
            outcome.second_error = repr(exc)
        finally:
            second_done.set()
            connection.close()

    first_thread.append(threading.Thread(target=run_first))
    first_thread[0].start()
    other = threading.Thread(target=run_second)
    try:
        assert held.wait(WAIT), "the first transaction never reached its hold"
        if before_second is not None:
            before_second()
        other.start()
        deadline = time.monotonic() + WAIT
        while not second_done.is_set() and time.monotonic() < deadline:
            if second_pid and _blocked(second_pid[0]):
                outcome.second_waited_for_first = True
                break
            second_done.wait(0.05)
        outcome.second_done_while_first_held = second_done.is_set()
    finally:
        release.set()
    first_thread[0].join(WAIT * 2)
    if other.ident is not None:
        other.join(WAIT * 2)
    return outcome
