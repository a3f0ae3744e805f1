"""The demo records load once; the grid's contract stores a clue once per key."""

import pytest
from django.core.exceptions import PermissionDenied

from jianfu.monitoring.demo import load_demo_records
from jianfu.monitoring.intake import report_burden
from jianfu.monitoring.models import Bulletin, BurdenEvent, ClueReview, Origin, RectificationStatus

from .conftest import yesterday


def test_the_demo_loads_once(world):
    first = load_demo_records()
    counts = (BurdenEvent.objects.count(), Bulletin.objects.count())
    assert "30 条负担事件" in first and load_demo_records() == "减负监测：演示数据已存在"
    assert (BurdenEvent.objects.count(), Bulletin.objects.count()) == counts == (32, 1)
    assert BurdenEvent.objects.filter(verdict="violation").count() >= 8
    entry = Bulletin.objects.get().entries.get(department__name="县人社局")
    assert entry.status == RectificationStatus.CONFIRMED
    from jianfu.monitoring import services
    from jianfu.monitoring.models import MonitoringPoint

    rows = {r.point.village.name: r for r in services.coverage(MonitoringPoint.objects.all())}
    assert rows["解放路社区"].silent and not rows["桃园村"].silent and not rows["柳湾村"].silent


def test_the_grid_contract_records_a_clue_once_per_key(world):
    arguments = dict(
        actor=world.grid_worker,
        village=world.community_jiefang,
        kind="app",
        source_department=world.dept_rs,
        occurred_on=yesterday(),
        description="要求网格员APP打卡",
        origin="grid",
        idempotency_key="grid-42",
    )
    clue = report_burden(**arguments)
    assert report_burden(**arguments).pk == clue.pk and BurdenEvent.objects.count() == 1
    assert (clue.origin, clue.review, clue.verdict) == (Origin.GRID, ClueReview.PENDING, "violation")
    with pytest.raises(PermissionDenied):
        report_burden(**{**arguments, "village": world.village_taoyuan, "idempotency_key": "grid-43"})
