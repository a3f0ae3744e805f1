"""The simple procedure (第七条) rests on each township's own answer, given on its page or through the API, by a
deadline; never on a stance the applicant declares."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.admission import services
from jianfu.admission.models import ConsultStatus, TownshipConsult
from jianfu.admission.services import review
from jianfu.audit.models import AuditRecord
from jianfu.core.workdays import WorkdayCalendar
from tests.admission.conftest import COMPLETE, draft, submitted


def test_the_applicant_cannot_declare_the_townships_stance(world):
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            actor=world.dept_clerk, applicant=world.dept_rs, **{**COMPLETE, "township_stance": "no_objection"}
        )
    assert "township_stance" in refused.value.message_dict


def test_submission_asks_each_township_the_item_reaches_with_a_deadline(world):
    application = submitted(
        world, township_stance="not_consulted", scope_all=False, scope_regions=[world.village_taoyuan]
    )
    consult = application.consults.get()
    assert consult.township == world.township_hk and consult.status == ConsultStatus.PENDING
    assert consult.due_on == WorkdayCalendar().add_workdays(consult.asked_on, 3).day
    whole = submitted(world, township_stance="not_consulted", title="全县范围的协助事项")
    assert whole.consults.count() == 5  # every township and 街道 of 清河县


def test_only_the_township_itself_answers_and_an_objection_needs_its_reasons(world):
    application = submitted(
        world, township_stance="not_consulted", scope_all=False, scope_regions=[world.village_taoyuan]
    )
    consult = application.consults.get()
    for other in (world.town_cg, world.dept_clerk, world.office):
        with pytest.raises(PermissionDenied):
            services.township_stance_give(actor=other, consult=consult, stance="no_objection")
    with pytest.raises(ValidationError) as refused:
        services.township_stance_give(actor=world.town_hk, consult=consult, stance="objection")
    assert "理由" in refused.value.message_dict["note"][0]
    consult.refresh_from_db()
    assert consult.status == ConsultStatus.PENDING
    services.township_stance_give(actor=world.town_hk, consult=consult, stance="objection", note="人手不足")
    with pytest.raises(ValidationError):  # answered once
        services.township_stance_give(actor=world.town_hk, consult=consult, stance="no_objection")
    application.refresh_from_db()
    assert application.township_stance == "objection"
    record = AuditRecord.objects.filter(action="admission.township_stance").latest("pk")
    assert record.after["township"] == "河口镇" and record.after["stance"] == "objection"


def test_the_simple_procedure_waits_for_every_township_to_answer_no_objection(world):
    application = submitted(
        world,
        township_stance="not_consulted",
        scope_all=False,
        scope_regions=[world.village_taoyuan, world.community_jiefang],
    )
    simple = dict(outcome="simple", opinion="简易")
    with pytest.raises(ValidationError) as refused:
        review.application_initial_review(
            actor=world.office, application=application, expected_version=application.version, **simple
        )
    assert "第七条" in refused.value.message_dict["outcome"][0]
    services.township_stance_give(
        actor=world.town_hk,
        consult=application.consults.get(township=world.township_hk),
        stance="no_objection",
    )
    with pytest.raises(ValidationError):  # 城关街道 has not answered yet
        review.application_initial_review(
            actor=world.office, application=application, expected_version=application.version, **simple
        )
    services.township_stance_give(
        actor=world.town_cg,
        consult=application.consults.get(township=world.township_cg),
        stance="no_objection",
    )
    application.refresh_from_db()
    assert application.township_stance == "no_objection"
    application = review.application_initial_review(
        actor=world.office, application=application, expected_version=application.version, **simple
    )
    assert application.procedure == "simple"


def test_the_township_answers_on_its_own_page(world, login):
    application = submitted(
        world, township_stance="not_consulted", scope_all=False, scope_regions=[world.village_taoyuan]
    )
    consult = application.consults.get()
    page = login(world.town_hk).get("/admission/consults/")
    assert page.status_code == 200 and application.title in page.content.decode()
    # 城关街道 does not see 河口镇's consultation, nor may it answer it.
    assert (
        login(world.town_cg)
        .post(f"/admission/consults/{consult.pk}/answer/", {"stance": "no_objection"})
        .status_code
        == 404
    )
    answered = login(world.town_hk).post(
        f"/admission/consults/{consult.pk}/answer/", {"stance": "no_objection", "version": consult.version}
    )
    assert answered.status_code == 302
    consult.refresh_from_db()
    assert consult.status == ConsultStatus.NO_OBJECTION and consult.answered_by == world.town_hk
    detail = login(world.office).get(f"/admission/{application.pk}/").content.decode()
    assert "河口镇：无异议" in detail


def test_the_township_answers_through_the_api(world, client):
    application = submitted(
        world, township_stance="not_consulted", scope_all=False, scope_regions=[world.village_taoyuan]
    )
    client.force_login(world.town_hk)
    listed = client.get("/api/v1/admission/consults", {"pending": "true"}).json()
    assert [row["application_id"] for row in listed["items"]] == [application.pk]
    row = listed["items"][0]
    answer = client.post(
        f"/api/v1/admission/consults/{row['id']}/answer",
        json.dumps({"version": row["version"], "stance": "objection", "note": ""}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "理由" in answer.json()["error"]["fields"]["note"][0]
    answer = client.post(
        f"/api/v1/admission/consults/{row['id']}/answer",
        json.dumps({"version": row["version"], "stance": "objection", "note": "汛期人手不足"}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status_label"] == "有异议"
    assert TownshipConsult.objects.get(pk=row["id"]).answered_by == world.town_hk


def test_a_draft_asks_nobody(world):
    assert not draft(world).consults.exists()
