"""Separation of duties on the lists: the clerk who drafts a version does not publish it, and a county's version
is published only with the two bodies that handled it (studied by the county government's executive meeting,
approved by the county party committee's standing committee) and their dates."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.catalog import services
from jianfu.catalog.models import ListStatus


@pytest.fixture
def draft(world):
    made = services.worklist_start_draft(
        actor=world.office, kind="duty", region=world.county, title="村（社区）依法履职事项清单"
    )
    services.item_save(actor=world.office, work_list=made, code="LZ-001", content="调解民间纠纷")
    made.refresh_from_db()
    return made


def _publish(actor, work_list, **overrides):
    values = {
        "effective_from": date(2024, 3, 1),
        "studied_by": "县政府常务会议",
        "studied_on": date(2024, 2, 10),
        "approved_by": "县委常委会会议",
        "approved_on": date(2024, 2, 20),
        **overrides,
    }
    return services.worklist_publish(actor=actor, work_list=work_list, **values)


def test_it_refuses_the_drafter_publishing_their_own_version(world, draft):
    assert draft.drafted_by == world.office
    with pytest.raises(PermissionDenied, match="起草与发布分离"):
        _publish(world.office, draft)
    draft.refresh_from_db()
    assert draft.status == ListStatus.DRAFT
    assert not AuditRecord.objects.filter(action="worklist.publish").exists()


def test_it_lets_another_office_clerk_publish_with_both_bodies_and_dates(world, draft):
    published = _publish(world.office2, draft)
    assert (published.status, published.drafted_by, published.published_by) == (
        ListStatus.PUBLISHED,
        world.office,
        world.office2,
    )
    assert (published.studied_by, published.studied_on) == ("县政府常务会议", date(2024, 2, 10))
    assert (published.approved_by, published.approved_on) == ("县委常委会会议", date(2024, 2, 20))


def test_it_refuses_a_county_list_without_the_executive_meetings_study(world, draft):
    with pytest.raises(ValidationError) as refused:
        _publish(world.office2, draft, studied_by="", studied_on=None)
    errors = refused.value.message_dict
    assert "县政府常务会议研究" in errors["studied_by"][0] and "研究日期" in errors["studied_on"][0]


def test_it_refuses_a_study_dated_after_the_approval_or_one_body_named_twice(world, draft):
    with pytest.raises(ValidationError) as refused:
        _publish(world.office2, draft, studied_on=date(2024, 2, 25))
    assert "先经研究，再报审定" in refused.value.message_dict["studied_on"][0]
    with pytest.raises(ValidationError) as refused:
        _publish(world.office2, draft, studied_by="县委常委会会议")
    assert "两个机构" in refused.value.message_dict["approved_by"][0]


def test_it_refuses_the_drafter_through_the_api_in_chinese(world, draft, client):
    client.force_login(world.office)
    response = client.post(
        f"/api/v1/lists/{draft.pk}/publish",
        {
            "revision": draft.revision,
            "effective_from": "2024-03-01",
            "studied_by": "县政府常务会议",
            "studied_on": "2024-02-10",
            "approved_by": "县委常委会会议",
            "approved_on": "2024-02-20",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "起草与发布分离" in response.json()["error"]["message"]


def test_the_list_api_shows_who_drafted_and_who_published(world, draft, client):
    _publish(world.office2, draft)
    client.force_login(world.office)
    detail = client.get(f"/api/v1/lists/{draft.pk}").json()
    assert (detail["drafted_by"], detail["published_by"]) == (world.office.full_name, world.office2.full_name)
    assert detail["published_at"]
    listed = client.get("/api/v1/lists", {"region_code": world.county.code}).json()
    mine = next(row for row in listed if row["id"] == draft.pk)
    assert mine["drafted_by"] == world.office.full_name and mine["published_by"] == world.office2.full_name
