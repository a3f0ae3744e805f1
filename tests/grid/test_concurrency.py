"""Retries of the same hotline event arriving at once are stored once (no lost write, no "database is locked")."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from jianfu.grid import demo
from jianfu.grid.models import GridEvent, Source
from jianfu.grid.services import events as workflow
from jianfu.orgs.demo import load_demo
from jianfu.orgs.models import Region, User


@pytest.mark.django_db(transaction=True)
def test_it_stores_simultaneous_retries_of_one_hotline_event_once():
    load_demo()
    classes = {c.code: c for c in demo.load_classes()}
    demo.load_grids()
    community, centre = Region.objects.get(code=demo.JIEFANG), User.objects.get(username="cg_town")
    report = workflow.Report(
        event_class=classes["SR-01"],
        community=community,
        place="菜场门口",
        description="市民来电：垃圾",
        building="农贸市场",
        resident_phone="13900000001",
    )

    def send(_):
        try:
            event, created = workflow.event_report(
                actor=centre,
                report=report,
                source=Source.HOTLINE,
                source_system="12345",
                idempotency_key="GD-7",
            )
            return event.pk, created
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(send, range(4)))
    assert len({pk for pk, _ in results}) == 1 and sum(created for _, created in results) == 1
    assert GridEvent.objects.filter(idempotency_key="GD-7").count() == 1
