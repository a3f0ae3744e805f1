"""Base data (一张表) imported from Excel in the background, all or nothing; registered from FormsConfig."""

from jianfu.core.jobs import Outcome, Refused
from jianfu.orgs.imports import ImportRefused

from . import excel


def import_values(work) -> Outcome:
    with work.input_path.open("rb") as handle:
        try:
            count = excel.import_values(actor=work.owner, fileobj=handle, filename=work.input_name)
        except ImportRefused as refusal:
            raise Refused(refusal.errors) from None
    return Outcome(message=f"已导入 {count} 个基础数据。")
