"""An event through every step, each refusal changing nothing, retries stored once, duplicates shown first."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jianfu.audit.models import AuditRecord
from jianfu.grid import services
from jianfu.grid.models import EventStatus, EventStep, GridEvent
from jianfu.grid.services import events as workflow
from tests.grid.conftest import file_event, png_bytes, report


def test_it_walks_an_event_from_report_to_rating_with_every_step_recorded(world, grids):
    event = file_event(world, grids["LB-01"], resident_phone="13900000009")
    assert (event.status, event.department, event.grid.name) == (
        EventStatus.DISPATCHED,
        world.dept_rs,
        "第一网格",
    )
    assert event.deadline > event.dispatched_at
    event = workflow.event_accept(actor=world.dept_clerk, event=event)
    event = workflow.event_feedback(actor=world.dept_clerk, event=event, result="已督促补发工资")
    event = workflow.event_verify(actor=world.grid_worker, event=event, passed=False, note="仍欠一个月")
    assert (event.status, event.reopen_count) == (EventStatus.ACCEPTED, 1)
    event = workflow.event_feedback(actor=world.dept_clerk, event=event, result="已全部补发")
    event = workflow.event_verify(actor=world.grid_worker, event=event, passed=True)
    event = workflow.event_rate(code=event.rating_code.lower(), rating=4, comment="满意")
    actions = list(event.steps.values_list("action", flat=True))
    assert actions == [
        "report",
        "dispatch",
        "accept",
        "feedback",
        "verify_reject",
        "feedback",
        "verify_pass",
        "rate",
    ]
    assert (event.status, event.rating) == (EventStatus.CLOSED, 4)
    with pytest.raises(ValidationError, match="已经用过"):
        workflow.event_rate(code=event.rating_code, rating=1)
    assert AuditRecord.objects.filter(action__startswith="grid.event_", object_id=str(event.pk)).count() == 8


def test_it_returns_a_not_ours_event_to_the_centre_for_rerouting_and_never_closes_it(world, grids):
    event = file_event(world, grids["LB-01"])
    with pytest.raises(ValidationError, match="退回理由"):
        workflow.event_return(actor=world.dept_clerk, event=event, reason=" ")
    event = workflow.event_return(actor=world.dept_clerk, event=event, reason="应由城管处置")
    assert (event.status, event.department, event.closed_at) == (EventStatus.RETURNED, None, None)
    with pytest.raises(PermissionDenied):
        workflow.event_dispatch(actor=world.town_hk, event=event, department=world.dept_mz)
    event = workflow.event_dispatch(actor=world.town_cg, event=event, department=world.dept_mz)
    assert (event.status, event.department) == (EventStatus.DISPATCHED, world.dept_mz)


def test_it_refuses_wrong_people_and_wrong_states_and_changes_nothing(world, grids):
    event = file_event(world, grids["LB-01"])
    before = (event.version, EventStep.objects.count())
    for attempt in (
        lambda: workflow.event_accept(actor=world.member, event=event),  # 县委编办 is not the handler
        lambda: workflow.event_feedback(actor=world.dept_clerk, event=event, result="x"),  # not accepted yet
        lambda: workflow.event_verify(actor=world.grid_worker, event=event, passed=True),  # nothing handled
        lambda: workflow.event_verify(actor=world.community_cadre, event=event, passed=True),
        lambda: workflow.event_accept(
            actor=world.dept_clerk, event=event, expected_version=event.version - 1
        ),
    ):
        with pytest.raises((PermissionDenied, ValidationError)):
            attempt()
    event.refresh_from_db()
    assert (event.version, EventStep.objects.count()) == before


def test_it_refuses_an_event_without_class_or_place_or_with_a_non_image_photo(world, grids):
    count = GridEvent.objects.count()
    with pytest.raises(ValidationError) as missing:
        workflow.event_report(actor=world.grid_worker, report=report(world, None, place=" "))
    assert set(missing.value.message_dict) == {"event_class", "place"}
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="内容是 PDF，与扩展名 .jpg 不符"):
        workflow.event_report(actor=world.grid_worker, report=report(world, grids["SR-01"], photo=fake))
    with pytest.raises(PermissionDenied):
        workflow.event_report(actor=world.village_cadre, report=report(world, grids["SR-01"]))
    assert GridEvent.objects.count() == count
    photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    event = file_event(world, grids["SR-01"], photo=photo)
    assert event.photo_type == "image/png" and bytes(event.photo) == png_bytes()


def test_it_stores_a_retry_of_the_same_event_once(world, grids):
    first = file_event(world, grids["SR-01"], idempotency_key="phone-123")
    again, created = workflow.event_report(
        actor=world.grid_worker, report=report(world, grids["SR-01"]), idempotency_key="phone-123"
    )
    assert (again.pk, created) == (first.pk, False)
    assert GridEvent.objects.filter(idempotency_key="phone-123").count() == 1


def test_it_finds_an_open_duplicate_by_building_or_distance_but_not_a_closed_or_other_class(world, grids):
    near = file_event(world, grids["SR-01"], building="", lat=30.5123, lng=114.3012)
    same_building = file_event(world, grids["SR-01"], building="解放路5号楼")
    file_event(world, grids["LB-01"], building="解放路5号楼")  # other class
    found = workflow.find_duplicates(
        event_class=grids["SR-01"],
        community=world.community_jiefang,
        building="解放路5号楼",
        lat=30.5127,
        lng=114.3012,
    )  # ~45 m away
    assert {e.pk for e in found} == {near.pk, same_building.pk}
    far = workflow.find_duplicates(
        event_class=grids["SR-01"], community=world.community_jiefang, lat=30.52, lng=114.3
    )
    assert far == []
    workflow.event_follow(actor=world.grid_worker, event=near)
    assert near.steps.last().action == "follow"


def test_it_escalates_overdue_events_once_a_day(world, grids):
    event = file_event(world, grids["ZA-01"])  # 24 hours
    later = timezone.now() + timedelta(hours=30)
    assert workflow.escalate_overdue(now=later) == 1
    assert workflow.escalate_overdue(now=later + timedelta(hours=1)) == 0
    event.refresh_from_db()
    assert event.escalation == 1 and event.is_overdue(later)


def test_it_keeps_grids_from_overlapping_and_names_the_building(world, grids):
    with pytest.raises(ValidationError, match="解放路3号楼.*第一网格"):
        services.grid_save(
            actor=world.town_cg,
            community=world.community_jiefang,
            name="新网格",
            buildings=["解放路3号楼", "新楼"],
        )
    with pytest.raises(PermissionDenied):
        services.grid_save(
            actor=world.town_hk, community=world.community_jiefang, name="新网格", buildings=["新楼"]
        )
    grid = services.grid_save(
        actor=world.town_cg, community=world.community_jiefang, name="第四网格", buildings="新楼1栋，新楼2栋"
    )
    assert grid.buildings == ["新楼1栋", "新楼2栋"]


def test_it_counts_working_day_deadlines_across_the_spring_festival(world, grids):
    from datetime import datetime

    from jianfu.grid.rules import deadline_for

    start = timezone.make_aware(
        datetime(2025, 1, 27, 10, 0)
    )  # 除夕 is 1-28; off until 2-4, so 2-5 and 2-6 count
    end, estimated = deadline_for(grids["SR-01"], start)  # 2 working days
    assert timezone.localtime(end).date().isoformat() == "2025-02-06" and not estimated
