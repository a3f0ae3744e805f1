"""Writers in different counties of one province record events at once without waiting for each other (#23): an
event's transaction locks only rows of its own county (its township and county cells, its chain head); the
prefecture's and province's figures are summed from the counties when read."""

import threading

import pytest
from django.db import connection, transaction

from jianfu.monitoring import selectors, services
from jianfu.monitoring.models import MonitorAssignment, MonitoringPoint
from jianfu.orgs.models import Level, Region, RoleAssignment, User
from jianfu.orgs.roles import Role

from .conftest import make_point, yesterday


@pytest.mark.django_db(transaction=True)
def test_two_counties_record_at_once_without_waiting_for_each_other(world):
    """Real transactions on PostgreSQL: the first county's writer records an event and holds its transaction
    open; a writer in the other county records the same type in the same month and commits meanwhile, under a
    lock timeout. With a province cell updated in the event's transaction the second would wait on the first's
    row lock and fail at its timeout."""
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
    first_recorded, second_committed = threading.Event(), threading.Event()
    outcome: dict = {}

    def first():
        try:
            with transaction.atomic():
                outcome["first"] = write(0).pk
                first_recorded.set()
                outcome["second_committed_while_first_open"] = second_committed.wait(timeout=15)
        finally:
            connection.close()

    def second():
        try:
            assert first_recorded.wait(timeout=15)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                outcome["second"] = write(1).pk
            second_committed.set()
        except Exception as exc:  # noqa: BLE001  reported by the assertion below
            outcome["second_error"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome.get("second_committed_while_first_open") is True, outcome
    # both counted, and the province's figure (summed from its counties) holds all four events
    month = yesterday().replace(day=1)
    province = list(selectors.rollup_cells(Level.PROVINCE, world.province.prefix, first=month, last=month))
    assert [(c["kind"], c["e"]) for c in province] == [("meeting", 4)]
