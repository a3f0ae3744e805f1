"""The grid worker's one tap hands monitoring a burden clue; a retry is stored once."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.grid.burden import burden_report


def test_it_records_a_task_that_is_not_grid_work_as_a_burden_event_once(world):
    first = burden_report(
        actor=world.grid_worker,
        kind="form",
        source_department=world.dept_rs,
        occurred_on=date(2026, 1, 5),
        description="要求网格员入户填社保统计表",
        idempotency_key="tap-1",
    )
    again = burden_report(
        actor=world.grid_worker,
        kind="form",
        source_department=world.dept_rs,
        occurred_on=date(2026, 1, 5),
        description="要求网格员入户填社保统计表",
        idempotency_key="tap-1",
    )
    assert first.pk == again.pk
    assert first.village == world.community_jiefang and first.origin == "grid"


def test_it_refuses_a_tap_without_a_description_or_from_someone_who_is_not_a_grid_worker(world):
    with pytest.raises(ValidationError, match="任务"):
        burden_report(
            actor=world.grid_worker,
            kind="form",
            source_department=world.dept_rs,
            occurred_on=date(2026, 1, 5),
            description=" ",
        )
    with pytest.raises(PermissionDenied):
        burden_report(
            actor=world.dept_clerk,
            kind="form",
            source_department=world.dept_rs,
            occurred_on=date(2026, 1, 5),
            description="x",
        )
