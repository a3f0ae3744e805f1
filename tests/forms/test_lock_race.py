"""The township locks a period while a village enters a value: both take the township's row lock, so one waits for
the other. Entered first, the value is in what the township locked; locked first, the entry is refused in words
saying so. Never a value written into a period after it was locked, never a lost write.

Each side runs in its own thread with its own database connection (PostgreSQL row locks, or SQLite's IMMEDIATE
transactions, which queue writers the same way). The first side is held inside its transaction, after it took
the lock, until the test sees the second side waiting.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from jianfu.forms.models import BaseValue, PeriodLock
from jianfu.forms.services import base_table
from tests.forms.conftest import make_indicators

WAIT_S = 60


class Hold:
    """Pauses the named thread's first call of ``rule_problems`` (each service calls it once it holds the lock)
    until released; the real function then runs."""

    def __init__(self, monkeypatch, thread_name: str):
        self.inside, self.release, self.name = threading.Event(), threading.Event(), thread_name
        real = base_table.rule_problems

        def held(*args, **kwargs):
            if threading.current_thread().name == self.name and not self.inside.is_set():
                self.inside.set()
                assert self.release.wait(WAIT_S), "the test never released the held side"
            return real(*args, **kwargs)

        monkeypatch.setattr(base_table, "rule_problems", held)


def _thread(name: str, work, outcome: dict, barrier: threading.Barrier | None) -> threading.Thread:
    def run():
        try:
            if barrier is not None:
                barrier.wait(WAIT_S)
            outcome[name] = work()
        except BaseException as exc:  # noqa: BLE001 - the main thread judges every outcome
            outcome[name] = exc
        finally:
            connections.close_all()

    return threading.Thread(target=run, name=name)


def _sides(world, period: str, made: dict, outcome: dict, barrier=None) -> dict:
    enter = _thread(
        "village",
        lambda: base_table.values_enter(
            actor=world.village_cadre,
            village=world.village_taoyuan,
            period=period,
            values={made["JC-001"]: "1600", made["JC-002"]: "450"},
        ),
        outcome,
        barrier,
    )
    lock = _thread(
        "township",
        lambda: base_table.period_lock(actor=world.town_hk, township=world.township_hk, period=period),
        outcome,
        barrier,
    )
    return {"village": enter, "township": lock}


def _race(first: str, second: str, sides: dict, hold: Hold) -> None:
    sides[first].start()
    assert hold.inside.wait(WAIT_S), f"{first} never reached its lock"
    sides[second].start()
    time.sleep(1.0)
    assert sides[second].is_alive(), f"{second} did not wait for {first}'s lock"
    hold.release.set()
    for thread in sides.values():
        thread.join(WAIT_S)
    assert not any(t.is_alive() for t in sides.values()), "a side hung"


@pytest.mark.django_db(transaction=True)
def test_a_lock_taken_first_refuses_the_village_entry_in_words(world, monkeypatch):
    made = make_indicators(world, with_lists=False)
    hold, outcome = Hold(monkeypatch, "township"), {}
    _race("township", "village", _sides(world, "2024", made, outcome), hold)
    assert isinstance(outcome["township"], PeriodLock)
    refused = outcome["village"]
    assert isinstance(refused, ValidationError), repr(refused)
    assert "2024 已由乡镇（街道）审核锁定" in str(refused)
    assert not BaseValue.objects.filter(village=world.village_taoyuan, period="2024").exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_taken_first_is_saved_and_then_locked_with_it(world, monkeypatch):
    made = make_indicators(world, with_lists=False)
    hold, outcome = Hold(monkeypatch, "village"), {}
    _race("village", "township", _sides(world, "2024", made, outcome), hold)
    saved = outcome["village"]
    assert not isinstance(saved, BaseException), repr(saved)
    lock = outcome["township"]
    assert isinstance(lock, PeriodLock), repr(lock)
    values = BaseValue.objects.filter(village=world.village_taoyuan, period="2024")
    assert sorted(values.values_list("value", flat=True)) == ["1600", "450"]
    assert all(v.entered_at <= lock.locked_at for v in values)  # nothing entered after the lock


@pytest.mark.django_db(transaction=True)
def test_both_at_the_same_moment_end_in_one_of_the_two_clear_outcomes(world):
    made = make_indicators(world, with_lists=False)
    for period in ("2020", "2021", "2022", "2023"):
        outcome: dict = {}
        sides = _sides(world, period, made, outcome, threading.Barrier(2))
        for thread in sides.values():
            thread.start()
        for thread in sides.values():
            thread.join(WAIT_S)
        lock = PeriodLock.objects.get(township=world.township_hk, period=period)
        values = BaseValue.objects.filter(village=world.village_taoyuan, period=period)
        if isinstance(outcome["village"], ValidationError):
            assert "已由乡镇（街道）审核锁定" in str(outcome["village"]) and not values.exists()
        else:
            assert not isinstance(outcome["village"], BaseException), repr(outcome["village"])
            assert values.count() == 2 and all(v.entered_at <= lock.locked_at for v in values)
