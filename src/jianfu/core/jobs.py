"""The registry of scheduled jobs and background operations.

The floor imports no domain app, so the apps come to it: each registers its periodic jobs (reminders,
escalations, rollups…) and its long operations (imports, exports, DOCX) from ``AppConfig.ready()``:

    jobs.register_job("grid.escalate", label="网格事件超期督办", func="jianfu.grid.services.events.escalate_overdue",
                      schedule="hourly 05")
    jobs.register_operation("orgs.import", label="导入组织架构", func="jianfu.orgs.work.run_import")

``jianfu.jobs`` runs them: the scheduler claims one run per job and period, the worker runs it, retries a
failure with back-off and reports it. A schedule is one of ``daily HH:MM``, ``hourly MM``, ``every N``
(minutes), ``monthly D HH:MM``; ``JIANFU_SCHEDULE`` (settings.JOB_SCHEDULES) moves a job to another time.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string

# Sent with ``job`` (label), ``period``, ``error`` and ``url`` when a job or a message has failed for good.
job_failed = Signal()


@dataclass(frozen=True)
class Schedule:
    """When a job is due and which period a run belongs to (each period runs once)."""

    kind: str
    minute: int = 0
    hour: int = 0
    day: int = 1
    every: int = 0

    PATTERNS = {
        "daily": re.compile(r"^daily (\d{1,2}):(\d{2})$"),
        "hourly": re.compile(r"^hourly (\d{1,2})$"),
        "every": re.compile(r"^every (\d{1,4})$"),
        "monthly": re.compile(r"^monthly (\d{1,2}) (\d{1,2}):(\d{2})$"),
    }

    @classmethod
    def parse(cls, text: str) -> "Schedule":
        text = " ".join(text.split())
        for kind, pattern in cls.PATTERNS.items():
            match = pattern.match(text)
            if match:
                return cls._build(kind, [int(g) for g in match.groups()], text)
        raise ValueError(
            f"无法识别的运行时间“{text}”，应为 daily HH:MM、hourly MM、every N 或 monthly D HH:MM"
        )

    @classmethod
    def _build(cls, kind: str, numbers: list[int], text: str) -> "Schedule":
        if kind == "daily":
            schedule = cls(kind, hour=numbers[0], minute=numbers[1])
        elif kind == "hourly":
            schedule = cls(kind, minute=numbers[0])
        elif kind == "every":
            schedule = cls(kind, every=numbers[0])
        else:
            schedule = cls(kind, day=numbers[0], hour=numbers[1], minute=numbers[2])
        if not (0 <= schedule.hour < 24 and 0 <= schedule.minute < 60 and 1 <= schedule.day <= 28):
            raise ValueError(f"运行时间“{text}”超出范围（日 1–28，时 0–23，分 0–59）")
        if kind == "every" and not 1 <= schedule.every <= 1440:
            raise ValueError(f"运行间隔“{text}”应为 1 到 1440 分钟")
        return schedule

    def slot(self, now: datetime) -> datetime:
        """The start of the latest period that has begun at ``now`` (local time)."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        if self.kind == "every":
            midnight = local.replace(hour=0, minute=0)
            minutes = (local - midnight).seconds // 60
            return midnight + timedelta(minutes=minutes - minutes % self.every)
        if self.kind == "hourly":
            start = local.replace(minute=self.minute)
            return start if start <= local else start - timedelta(hours=1)
        if self.kind == "daily":
            start = local.replace(hour=self.hour, minute=self.minute)
            return start if start <= local else start - timedelta(days=1)
        start = local.replace(day=self.day, hour=self.hour, minute=self.minute)
        if start <= local:
            return start
        previous = (local.replace(day=1) - timedelta(days=1)).replace(day=self.day)
        return previous.replace(hour=self.hour, minute=self.minute)

    def period(self, now: datetime) -> str:
        """The key of the period ``now`` falls in: a job runs at most once per key."""
        slot = self.slot(now)
        formats = {
            "every": "%Y-%m-%d %H:%M",
            "hourly": "%Y-%m-%d %H时",
            "daily": "%Y-%m-%d",
            "monthly": "%Y-%m",
        }
        return slot.strftime(formats[self.kind])

    def next_run(self, now: datetime) -> datetime:
        slot = self.slot(now)
        if self.kind == "every":
            return slot + timedelta(minutes=self.every)
        if self.kind == "hourly":
            return slot + timedelta(hours=1)
        if self.kind == "daily":
            return slot + timedelta(days=1)
        following = (slot.replace(day=1) + timedelta(days=32)).replace(day=self.day)
        return following

    def describe(self) -> str:
        if self.kind == "every":
            return f"每 {self.every} 分钟"
        if self.kind == "hourly":
            return f"每小时第 {self.minute} 分"
        if self.kind == "daily":
            return f"每天 {self.hour:02d}:{self.minute:02d}"
        return f"每月 {self.day} 日 {self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Job:
    """A periodic job an app runs. ``func`` is a dotted path to a callable taking no arguments that returns a
    short summary (text or a number); an empty ``func`` is a slot another module will fill (never run)."""

    name: str
    label: str
    func: str
    schedule: str
    app: str = ""
    health: str = ""  # a key /healthz reports the last success under (e.g. "rollup")
    summary: str = ""  # how a numeric result reads on the jobs page, e.g. "督办 {} 件"

    @property
    def current_schedule(self) -> Schedule:
        return Schedule.parse(settings.JOB_SCHEDULES.get(self.name, self.schedule))

    @property
    def is_slot(self) -> bool:
        return not self.func

    def call(self):
        return import_string(self.func)()


@dataclass(frozen=True)
class Operation:
    """A long piece of work a person starts (an import, an export, a DOCX): ``func(work, **params)`` where
    ``work`` reports progress and receives the uploaded file; see ``jianfu.jobs.operations``."""

    kind: str
    label: str
    func: str

    def call(self, work, params: dict):
        return import_string(self.func)(work, **params)


JOBS: dict[str, Job] = {}
OPERATIONS: dict[str, Operation] = {}


def register_job(
    name: str, *, label: str, func: str, schedule: str, health: str = "", summary: str = ""
) -> Job:
    Schedule.parse(schedule)  # refuse a malformed default at start-up, not at 3 a.m.
    job = Job(
        name=name,
        label=label,
        func=func,
        schedule=schedule,
        app=name.split(".")[0],
        health=health,
        summary=summary,
    )
    JOBS[name] = job
    return job


def register_operation(kind: str, *, label: str, func: str) -> Operation:
    operation = Operation(kind=kind, label=label, func=func)
    OPERATIONS[kind] = operation
    return operation


def jobs() -> list[Job]:
    return sorted(JOBS.values(), key=lambda job: job.name)


# What an operation returns or raises; here in the floor so that floor apps (orgs) can offer operations.
@dataclass
class Outcome:
    message: str
    errors: list[str] = field(default_factory=list)
    filename: str = ""
    content: bytes | None = None


class Refused(Exception):
    """Nothing was changed; ``errors`` name the rows and columns at fault."""

    def __init__(self, errors: list[str], message: str = "文件未通过校验，没有导入任何数据。"):
        super().__init__(message)
        self.errors, self.message = list(errors), message


_starter = None


def set_starter(start) -> None:
    """The jobs app hands over the function that records and enqueues an operation (``jobs.operations``)."""
    global _starter
    _starter = start


def start_operation(**kwargs):
    """Start a registered operation in the background for ``actor``; returns its Work record."""
    if _starter is None:
        raise RuntimeError("jianfu.jobs is not installed: background operations cannot start")
    return _starter(**kwargs)
