"""Separation of duties at the member-unit meeting: an opinion the office enters for a unit is marked 代录 and
names the unit's person who confirmed it; a unit's own clerk enters it plainly."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jianfu.admission.models import Opinion
from jianfu.admission.services import review
from jianfu.audit.models import AuditRecord
from jianfu.orgs.models import Department
from tests.admission.conftest import submitted


def _meeting(world):
    application = submitted(world, township_stance="objection")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="普通",
    )
    application = review.application_coordinate(
        actor=world.office, application=application, expected_version=application.version, note="协调"
    )
    return review.meeting_record(
        actor=world.chair,
        application=application,
        held_on=timezone.localdate(),
        place="",
        convener="主任",
        applicant_report="汇报",
    )


def test_it_refuses_an_office_entry_for_a_unit_without_its_confirming_person(world):
    meeting = _meeting(world)
    with pytest.raises(ValidationError) as refused:
        review.meeting_opinion_add(
            actor=world.office,
            meeting=meeting,
            stance="agree",
            text="会上口头同意",
            department=Department.objects.get(name="县委组织部"),
        )
    assert "确认此意见的人员" in refused.value.message_dict["confirmed_by"][0]
    assert not Opinion.objects.filter(meeting=meeting).exists()


def test_it_marks_an_office_entry_as_proxy_with_the_confirming_person(world, client):
    meeting = _meeting(world)
    opinion = review.meeting_opinion_add(
        actor=world.office,
        meeting=meeting,
        stance="agree",
        text="会上口头同意",
        department=Department.objects.get(name="县委组织部"),
        confirmed_by="县委组织部 张副部长",
    )
    assert (opinion.proxy_entered, opinion.confirmed_by, opinion.author) == (
        True,
        "县委组织部 张副部长",
        world.office,
    )
    record = AuditRecord.objects.filter(action="admission.opinion").latest("seq")
    assert record.after["proxy_entered"] is True and record.after["confirmed_by"] == "县委组织部 张副部长"
    client.force_login(world.chair)
    page = client.get(f"/admission/{meeting.application.pk}/").content.decode()
    assert "代录" in page and "县委组织部 张副部长确认" in page


def test_a_units_own_clerk_enters_its_opinion_plainly(world):
    meeting = _meeting(world)
    opinion = review.meeting_opinion_add(
        actor=world.member,
        meeting=meeting,
        stance="agree",
        text="同意",
        department=Department.objects.get(name="县委编办"),
        confirmed_by="不应记下",
    )
    assert (opinion.proxy_entered, opinion.confirmed_by) == (False, "")
    township = review.meeting_opinion_add(
        actor=world.town_hk, meeting=meeting, stance="changes", text="请提前下发", region=world.township_hk
    )
    assert not township.proxy_entered
