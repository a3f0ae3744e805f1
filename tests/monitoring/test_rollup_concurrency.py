"""Writers in different counties of one province record events at once without waiting for each other (#23): an
event's transaction locks only rows of its own county (its township and county cells, its chain head); the
prefecture's and province's figures are summed from the counties when read."""

import pytest
from django.db import connection

from jianfu.monitoring import selectors, services
from jianfu.monitoring.models import MonitorAssignment, MonitoringPoint
from jianfu.orgs.models import Level, Region, RoleAssignment, User
from jianfu.orgs.roles import Role
from tests.concurrency import interleave

from .conftest import make_point, yesterday


@pytest.mark.django_db(transaction=True)
def test_two_counties_record_at_once_without_waiting_for_each_other(world):
    """Real transactions on PostgreSQL: the first county's writer records an event and holds its transaction
    open; a writer in the other county records the same type in the same month and commits meanwhile. With a
    province cell updated in the event's transaction the second would wait on the first's row lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time for the whole database")
    other_village = Region.objects.filter(
        level=Level.VILLAGE, code__startswith=world.other_county.prefix, is_active=True
    ).first()
    assert other_village is not None
    other_monitor = User.objects.create(
        username="dl_monitor", full_name="东岭监测员", home_region=other_village
    )
    RoleAssignment.objects.create(user=other_monitor, role=Role.MONITOR, region=other_village)
    MonitorAssignment.objects.create(
        point=MonitoringPoint.objects.create(village=other_village), monitor=other_monitor
    )
    make_point(world)
    writers = [
        (world.monitor, world.village_taoyuan, world.dept_rs),
        (other_monitor, other_village, world.other_dept),
    ]

    def write(n: int):
        monitor, village, department = writers[n]
        return services.event_record(
            actor=monitor,
            village=village,
            kind="meeting",
            department=department,
            occurred_on=yesterday(),
            hours=2,
            description=f"参加第{n + 1}次工作推进会",
        )[0]

    write(0), write(1)  # every cell exists: what is measured is the update, not the first-use insert
    outcome = interleave(lambda hold: write(0).pk, lambda: write(1).pk)
    assert outcome.second_done_while_first_held and outcome.both_committed, outcome
    # both counted, and the province's figure (summed from its counties) holds all four events
    month = yesterday().replace(day=1)
    province = list(selectors.rollup_cells(Level.PROVINCE, world.province.prefix, first=month, last=month))
    assert [(c["kind"], c["e"]) for c in province] == [("meeting", 4)]
