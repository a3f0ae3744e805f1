"""A list draft's items imported from Excel in the background (all or nothing), registered from CatalogConfig."""

from django.core.exceptions import ValidationError

from jianfu.core.jobs import Outcome, Refused
from jianfu.orgs.imports import ImportRefused

from . import selectors
from .excel import import_items


def import_list_items(work, *, list_id: int) -> Outcome:
    work_list = selectors.worklist_get(work.owner, list_id)
    with work.input_path.open("rb") as handle:
        try:
            count = import_items(
                actor=work.owner, work_list=work_list, fileobj=handle, filename=work.input_name
            )
        except ImportRefused as refusal:
            raise Refused(refusal.errors) from None
        except ValidationError as exc:
            raise Refused(exc.messages) from None
    return Outcome(message=f"已向《{work_list.title}》导入 {count} 项。")
