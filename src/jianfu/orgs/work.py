"""Organisation imports and exports run in the background with progress (registered from OrgsConfig)."""

from io import BytesIO

from django.utils import timezone

from jianfu.core.jobs import Outcome, Refused

from .imports import KIND_LABELS, ImportRefused, export_workbook, run_import


def import_file(work, *, kind: str) -> Outcome:
    """All or nothing, as on the page before: a file with any bad row changes nothing."""
    with work.input_path.open("rb") as handle:
        try:
            result = run_import(kind, actor=work.owner, fileobj=handle, filename=work.input_name)
        except ImportRefused as refusal:
            raise Refused(refusal.errors) from None
    return Outcome(
        message=f"{KIND_LABELS[kind]}导入成功：新增 {result.created} 条，更新 {result.updated} 条，"
        f"未变 {result.unchanged} 条。"
    )


def export_file(work, *, kind: str) -> Outcome:
    from .imports_views import EXPORT_SOURCES

    work.progress(0, 1, f"读取{KIND_LABELS[kind]}")
    buffer = BytesIO()
    export_workbook(kind, EXPORT_SOURCES[kind](work.owner)).save(buffer)
    return Outcome(
        message=f"已导出{KIND_LABELS[kind]}。",
        filename=f"{kind}-{timezone.localdate():%Y%m%d}.xlsx",
        content=buffer.getvalue(),
    )
