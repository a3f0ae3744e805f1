"""Monitoring's long work, run in the background with progress: a bulletin's DOCX and a rollup rebuild."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jianfu.core.jobs import Outcome

from . import documents, selectors
from .services import rollup


def bulletin_docx(work, *, bulletin_id: int) -> Outcome:
    try:
        bulletin = selectors.bulletin(work.owner, bulletin_id)  # still visible to the person who asked
    except Http404:
        raise PermissionDenied("该通报已不在您的查看范围内。") from None
    content = documents.bulletin_docx(bulletin)
    return Outcome(
        message=f"已生成《{bulletin.title}》", filename=f"减负通报-{bulletin.pk}.docx", content=content
    )


def rollup_rebuild(work) -> Outcome:
    if not selectors.may_manage(work.owner):
        raise PermissionDenied("只有县减负办可以重建监测汇总。")
    cells = rollup.rebuild()
    return Outcome(message=f"监测看板汇总已重建，共 {cells} 个汇总格。")
