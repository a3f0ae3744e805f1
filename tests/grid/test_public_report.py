"""A resident's report from the public page (issue 21, FixMyStreet's flow): checked like the public write-in,
limited per sender, filed as an ordinary event routed by its class, and followed by its code on a status page
that shows units and dates, never the resident's number."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from jianfu.grid import services, tracking
from jianfu.grid.models import EventStatus, GridEvent, Source
from jianfu.grid.services import events as workflow

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_it_files_a_residents_report_routed_by_its_class_with_a_code(world, grids):
    entry = report(world, grids["SS-01"], building="", description="路灯不亮一个星期了")
    event, created = services.event_report_public(report=entry, idempotency_key="k1")
    assert created and event.source == Source.RESIDENT and len(event.rating_code) == 8
    assert event.status == EventStatus.DISPATCHED and event.department.name == "县住建局"
    again, created = services.event_report_public(report=entry, idempotency_key="k1")
    assert (again.pk, created) == (event.pk, False)  # a resent form is the stored report
    assert "public" not in event.steps.first().note  # the platform's own key is never named


def test_it_refuses_a_private_class_a_short_text_and_a_missing_place(world, grids):
    entry = report(world, grids["ZA-01"], place="", description="有")
    with pytest.raises(ValidationError) as refused:
        services.event_report_public(report=entry)
    assert set(refused.value.message_dict) == {"event_class", "description", "place"}
    assert not GridEvent.objects.exists()


def test_the_status_shows_the_unit_and_deadline_and_masks_the_residents_number(world, grids):
    entry = report(world, grids["SR-01"], resident_phone="13800001111", description="垃圾堆了三天没人清运")
    event, _ = services.event_report_public(report=entry)
    steps = tracking.public_timeline(event)
    assert steps[1]["label"] == "已交县城管执法局办理" and not steps[2]["done"] and steps[2]["on"]
    event = workflow.event_accept(actor=None, event=event)
    event = workflow.event_feedback(actor=None, event=event, result="已清运。联系人 13800001111")
    steps = tracking.public_timeline(event)
    assert steps[2]["note"].startswith("已清运") and "13800001111" not in steps[2]["note"]
    assert tracking.public_event(event.rating_code.lower()) == event
    assert tracking.public_event("ZZZZZZZZ") is None


@override_settings(RATE_LIMITS={"public_write": "2/h", "public_code": "20/h"})
def test_the_page_limits_a_sender_like_the_write_in(client, world, grids):
    url = reverse("public_grid:report")
    data = {
        "community": world.community_jiefang.code,
        "event_class": grids["SR-01"].pk,
        "place": "解放路 3 号楼下",
        "description": "垃圾堆了三天没人清运",
    }
    for n in range(2):
        assert client.post(url, {**data, "idempotency_key": f"k{n}"}).status_code == 302
    refused = client.post(url, {**data, "idempotency_key": "k9"})
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert GridEvent.objects.count() == 2
    answer = client.get(reverse("public_grid:locate"), {"lat": "30.5133", "lng": "114.3022"}).json()
    assert answer["village"] == world.community_jiefang.code
