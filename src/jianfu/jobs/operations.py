"""Long work a person starts: the page hands it to the worker and shows its progress, then its outcome.

An operation registered with ``core.jobs.register_operation`` is called as ``func(work, **params)`` and
returns an ``Outcome`` or raises ``Refused`` (the import found bad rows and changed nothing). ``work`` gives it
the owner, the uploaded file and ``work.save_file(name, content)`` for what it produces.
"""

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianfu.audit.services import audit_record
from jianfu.core import jobs as registry
from jianfu.core import progress, uploads
from jianfu.core.jobs import Outcome, Refused  # noqa: F401  the operations' contract, kept in the floor

from . import queue
from .models import Work, WorkStatus


class WorkContext:
    """What an operation sees of its work: who asked, the uploaded file, progress, and where results go."""

    def __init__(self, work: Work):
        self.work, self.owner, self.params = work, work.owner, work.params

    @property
    def input_path(self) -> Path | None:
        return Path(self.work.input_path) if self.work.input_path else None

    @property
    def input_name(self) -> str:
        return self.work.input_name

    def progress(self, done: int, total: int, stage: str = "") -> None:
        progress.tick(done, total, stage, force=True)


def _folder(work: Work) -> Path:
    folder = Path(settings.PRIVATE_ROOT) / "work" / f"{work.pk}-{secrets.token_hex(8)}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _safe_name(name: str) -> str:
    cleaned = "".join(c for c in Path(name).name if c not in '\\/:*?"<>|\0').strip() or "file"
    return cleaned[-150:]


def work_start(
    *, actor, kind: str, params: dict | None = None, label: str = "", upload=None, back_url: str = ""
) -> Work:
    """Record the request, keep the upload where only the worker and its owner reach it, and enqueue it."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("请先登录。")
    operation = registry.OPERATIONS[kind]
    if upload is not None and upload.size > uploads.limit("spreadsheet"):
        # The form's field checked it already; this keeps the API and the CLI to the same one limit.
        raise ValidationError(
            {"file": f"文件超过 {uploads.megabytes(uploads.limit('spreadsheet'))}，请拆分后再导入。"}
        )
    with transaction.atomic():
        work = Work(
            owner=actor,
            kind=kind,
            label=(label or operation.label)[:200],
            params=params or {},
            back_url=back_url[:300],
        )
        work.full_clean()
        work.save()
        if upload is not None:
            path = _folder(work) / _safe_name(upload.name)
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            work.input_name, work.input_path = _safe_name(upload.name), str(path)
            work.save(update_fields=["input_name", "input_path"])
        audit_record(
            actor=actor,
            action="jobs.work_start",
            obj=work,
            after={"kind": kind, "params": work.params, "file": work.input_name},
        )
        from .tasks import run_work

        queue.enqueue(run_work, work.pk)
    return work


def run(work_id: int) -> str:
    work = _claim(work_id)
    if work is None:
        return "skipped"
    context = WorkContext(work)
    with progress.reporting(lambda done, total, stage: _report(work.pk, done, total, stage)):
        try:
            outcome = registry.OPERATIONS[work.kind].call(context, work.params)
        except Refused as refusal:
            return _finish(work, WorkStatus.REFUSED, refusal.message, refusal.errors[:500])
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            return _finish(work, WorkStatus.REFUSED, "未能完成：" + "；".join(messages)[:400], messages)
        except Exception as exc:  # recorded for its owner; the worker keeps going
            return _finish(
                work,
                WorkStatus.FAILED,
                f"处理出错（{type(exc).__name__}），请稍后重试或联系管理员。",
                [str(exc)[:500]],
            )
    if outcome.content is not None:
        _store_result(work, outcome.filename, outcome.content)
    return _finish(work, WorkStatus.DONE, outcome.message, outcome.errors)


def _claim(work_id: int) -> Work | None:
    with transaction.atomic():
        work = Work.objects.select_for_update(of=("self",)).select_related("owner").filter(pk=work_id).first()
        if work is None or work.status != WorkStatus.QUEUED:
            return None
        work.status, work.started_at = WorkStatus.RUNNING, timezone.now()
        work.save(update_fields=["status", "started_at"])
    return work


def _report(work_id: int, done: int, total: int, stage: str) -> None:
    changes = {"stage": stage[:200]} if stage else {}
    if done >= 0:
        changes.update(done=done, total=total)
    Work.objects.filter(pk=work_id).update(**changes)


def _store_result(work: Work, filename: str, content: bytes) -> None:
    folder = Path(work.input_path).parent if work.input_path else _folder(work)
    path = folder / _safe_name(filename)
    path.write_bytes(content)
    work.result_name, work.result_path = _safe_name(filename), str(path)


def _finish(work: Work, status: str, message: str, errors: list) -> str:
    work.status, work.message, work.errors = status, message[:500], [str(e)[:500] for e in errors]
    work.finished_at = timezone.now()
    if status == WorkStatus.DONE and work.total > 0:
        work.done = work.total
    work.save(
        update_fields=["status", "message", "errors", "finished_at", "result_name", "result_path", "done"]
    )
    if work.input_path and work.result_path != work.input_path:
        Path(work.input_path).unlink(missing_ok=True)  # the upload is not kept once read
    return status


def remove_files(work: Work) -> None:
    for path in (work.input_path, work.result_path):
        if path:
            shutil.rmtree(Path(path).parent, ignore_errors=True)
