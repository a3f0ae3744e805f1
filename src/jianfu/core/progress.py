"""Progress of long work, told by the code doing it without knowing who listens.

An import's row loop calls ``progress.tick(done, total, "校验第 N 行")``; when the work runs as a background
operation (``jianfu.jobs``) the page's progress bar moves, otherwise the call costs nothing.
"""

import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[int, int, str], None]
_reporter: ContextVar[Reporter | None] = ContextVar("jianfu_progress", default=None)
_last: ContextVar[float] = ContextVar("jianfu_progress_last", default=0.0)
MIN_INTERVAL = 0.5  # seconds between two reports: a progress bar needs no more


def tick(done: int, total: int, stage: str = "", *, force: bool = False) -> None:
    reporter = _reporter.get()
    if reporter is None:
        return
    now = time.monotonic()
    if not force and done < total and now - _last.get() < MIN_INTERVAL:
        return
    _last.set(now)
    reporter(done, total, stage)


def stage(text: str) -> None:
    """A step without a count (e.g. "写入数据库"): shown as the stage, the bar keeps its place."""
    tick(-1, -1, text, force=True)


@contextmanager
def reporting(reporter: Reporter):
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)
