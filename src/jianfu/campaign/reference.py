"""Loads seed 000's task division table (data/campaign/tasks_seed000.yaml) into a campaign."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from jianfu.orgs.models import Department, subtree_q

from . import services
from .rules import parse_deadline

TABLE = settings.PROJECT_DIR / "data" / "campaign" / "tasks_seed000.yaml"


def read_table(path: Path = TABLE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _unit(campaign, name: str) -> Department | None:
    return Department.objects.filter(subtree_q([campaign.region.prefix], "region__code"), name=name).first()


@transaction.atomic
def load_task_table(*, actor, campaign, path: Path = TABLE) -> int:
    """Add the 17 tasks (skipping numbers already there), each lead unit matched to a department by name.
    Group names (各乡镇, 县直各单位, 各成员单位) stay in the responsible-units text."""
    table = read_table(path)
    existing = set(campaign.tasks.values_list("number", flat=True))
    added = 0
    for number, row in enumerate(table["tasks"], start=1):
        if number in existing:
            continue
        lead = _unit(campaign, row["lead"])
        if lead is None:
            raise ValidationError(
                {"lead_department": f"第 {number} 项的牵头单位“{row['lead']}”在本县部门中不存在。"}
            )
        responsible = [d for d in (_unit(campaign, n) for n in row["responsible"]) if d is not None]
        deadline, long_term = parse_deadline(row["deadline"], campaign.starts_on.year)
        services.task_add(
            actor=actor,
            campaign=campaign,
            number=number,
            area=row["area"],
            measures=row["measures"],
            lead_department=lead,
            responsible=responsible,
            responsible_text="、".join(row["responsible"]),
            deadline=deadline,
            deadline_text=row["deadline"],
            long_term=long_term,
        )
        added += 1
    return added
