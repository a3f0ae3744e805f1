"""Admission (准入) over the JSON API: both procedures end to end, and each endpoint's refusals.

县人社局's clerk (dept_clerk) applies; the office reviews; the chair decides; 县委编办 (member) gives its
opinion; 桃园村 (village_cadre) signs for the notice, checks work and declines what was never admitted.
"""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianfu.admission.models import Application, NoticeRecipient
from jianfu.admission.services import filing, review
from jianfu.orgs import services as org_services
from jianfu.orgs.models import Department
from tests.admission.conftest import COMPLETE, approved, at_decision, draft, submitted

pytestmark = pytest.mark.usefixtures("reference")
API = "/api/v1/admission"
BODY = {**COMPLETE, "funds_amount": str(COMPLETE["funds_amount"])}
UNLISTED = "请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积"


@pytest.fixture
def api(client):
    """api(person, method, path, body=None) -> response, signed in as that person."""

    def call(person, method, path, body=None, **params):
        client.force_login(person)
        if method == "get":
            return client.get(API + path, params)
        return getattr(client, method)(API + path, json.dumps(body or {}), content_type="application/json")

    return call


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def refused(response, status, code, field=None, words=""):
    assert response.status_code == status, response.content.decode()
    error = response.json()["error"]
    assert error["code"] == code and re.search(r"[\u4e00-\u9fff]", error["message"]), error
    if field:
        assert field in error["fields"], error
        assert words in "".join(error["fields"][field]), error
    else:
        assert words in error["message"], error
    return error


def _today(days=0):
    return str(timezone.localdate() + timedelta(days=days))


def _meeting_body(**overrides):
    return {
        "held_on": _today(),
        "place": "县政府三楼会议室",
        "convener": "李建国（审核委员会主任）",
        "applicant_report": "县人社局专题汇报了调查方案。",
        **overrides,
    }


def _at_meeting(world):
    application = submitted(world, township_stance="objection")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="河口镇有异议，走普通程序。",
    )
    return review.application_coordinate(
        actor=world.office, application=application, expected_version=application.version, note="已协调。"
    )


def _bianban():
    return Department.objects.get(name="县委编办")


# Both procedures, over the API only ------------------------------------------------------------------


def test_it_walks_the_simple_procedure_from_draft_to_the_villages_signature(world, api):
    scope = {"scope_all": False, "scope_regions": [world.village_taoyuan.code, world.community_jiefang.code]}
    created = ok(api(world.dept_clerk, "post", "/applications", {**BODY, **scope}), 201)
    pk, version = created["id"], created["version"]
    assert (created["status"], created["applicant_name"], created["county_code"]) == (
        "draft",
        "县人社局",
        world.county.code,
    )
    sent = ok(api(world.dept_clerk, "post", f"/applications/{pk}/submit", {"version": version}))
    assert sent["status"] == "submitted" and sent["number"].startswith("准入申〔")
    assert sent["precheck"]["results"] and sent["step_due_on"] and sent["overdue"] is False
    # Each township the item reaches answers for itself (第七条), then the simple procedure is open.
    for township in (world.town_hk, world.town_cg):
        (consult,) = ok(api(township, "get", "/consults", pending=True))["items"]
        answer = {"version": consult["version"], "stance": "no_objection"}
        ok(api(township, "post", f"/consults/{consult['id']}/answer", answer))
    body = {"version": sent["version"], "outcome": "simple", "opinion": "乡镇无异议，适用简易程序。"}
    reviewed = ok(api(world.office, "post", f"/applications/{pk}/review", body))
    assert (reviewed["status"], reviewed["procedure"]) == ("decision", "simple")
    decided = ok(
        api(
            world.chair,
            "post",
            f"/applications/{pk}/decide",
            {"version": reviewed["version"], "outcome": "approve"},
        )
    )
    assert decided["status"] == "approved" and decided["admitted_item_code"].startswith("ZR-428521-")
    assert decided["notice_number"].startswith("清河社审告〔")
    notices = ok(api(world.village_cadre, "get", "/notices"))["items"]
    mine = next(n for n in notices if n["notice_number"] == decided["notice_number"])
    assert mine["region_code"] == world.village_taoyuan.code and mine["acknowledged_at"] is None
    signed = ok(api(world.village_cadre, "post", f"/notices/{mine['id']}/acknowledge"))
    assert signed["acknowledged_at"] and signed["acknowledged_by_name"] == world.village_cadre.full_name
    detail = ok(api(world.dept_clerk, "get", f"/applications/{pk}"))
    assert [t["to_status"] for t in detail["transitions"]] == ["draft", "submitted", "decision", "approved"]
    assert detail["opinions"][0]["stage"] == "initial" and detail["admitted_item_id"]


def test_it_walks_the_ordinary_procedure_through_the_member_units_meeting(world, api):
    created = ok(api(world.dept_clerk, "post", "/applications", BODY), 201)
    pk = created["id"]
    app = ok(api(world.dept_clerk, "post", f"/applications/{pk}/submit", {"version": created["version"]}))
    app = ok(
        api(
            world.office,
            "post",
            f"/applications/{pk}/review",
            {"version": app["version"], "outcome": "ordinary", "opinion": "河口镇有异议，走普通程序。"},
        )
    )
    assert app["status"] == "coordinating"
    app = ok(
        api(
            world.office,
            "post",
            f"/applications/{pk}/coordinate",
            {"version": app["version"], "note": "已与河口镇协调，经费增加。"},
        )
    )
    assert app["status"] == "meeting"
    meeting = ok(api(world.office, "post", f"/applications/{pk}/meetings", _meeting_body()), 201)
    opinion = ok(
        api(
            world.member,
            "post",
            f"/meetings/{meeting['id']}/opinions",
            {"stance": "agree", "text": "同意", "department_id": _bianban().pk},
        ),
        201,
    )
    assert (opinion["unit_name"], opinion["stance_label"]) == ("县委编办", "同意")
    version = ok(api(world.office, "get", f"/applications/{pk}"))["version"]
    app = ok(api(world.office, "post", f"/applications/{pk}/conclude", {"version": version}))
    assert app["status"] == "decision" and app["meetings"][0]["convener"].startswith("李建国")
    decide = {"version": app["version"], "outcome": "approve"}
    app = ok(api(world.chair, "post", f"/applications/{pk}/decide", decide))
    assert app["status"] == "approved" and app["notice_number"] and app["admitted_item_code"]
    steps = [t["to_status"] for t in app["transitions"]]
    assert steps == ["draft", "submitted", "coordinating", "meeting", "decision", "approved"]
    assert {o["stage"] for o in app["opinions"]} == {"initial", "coordination", "meeting"}


# Reading ----------------------------------------------------------------------------------------------


def test_it_lists_applications_in_scope_with_filters_and_pages(world, api):
    first = submitted(world)
    draft(world, title="高龄津贴发放对象年度核查协助", description="协助开展高龄津贴发放对象年度核查。")
    Application.objects.filter(pk=first.pk).update(step_due_on=timezone.localdate() - timedelta(days=1))

    def listed(person, **params):
        return ok(api(person, "get", "/applications", **params))

    page = listed(world.dept_clerk, page_size=1)
    assert page["count"] == 2 and len(page["items"]) == 1
    assert [a["id"] for a in listed(world.dept_clerk, status="submitted")["items"]] == [first.pk]
    assert [a["overdue"] for a in listed(world.dept_clerk, overdue="true")["items"]] == [True]
    assert listed(world.dept_clerk, q="高龄")["count"] == 1
    assert listed(world.dept_clerk, kind="change")["count"] == 0
    for person in (world.office, world.chair, world.member, world.town_hk):  # a draft is the department's own
        assert [a["id"] for a in listed(person)["items"]] == [first.pk], person
    for person in (world.outsider, world.village_cadre):
        assert listed(person)["count"] == 0, person


def test_it_shows_the_detail_in_scope_and_answers_404_outside_it(world, api):
    application = submitted(world)
    detail = ok(api(world.dept_clerk, "get", f"/applications/{application.pk}"))
    assert detail["precheck"]["on"] == str(timezone.localdate()) and "step_due_estimated" in detail
    assert detail["plan_milestones"] == COMPLETE["plan_milestones"] and detail["scope_all"] is True
    assert (
        ok(api(world.town_hk, "get", f"/applications/{application.pk}"))["id"] == application.pk
    )  # it opines
    for person in (world.outsider, world.village_cadre, world.community_cadre):
        refused(api(person, "get", f"/applications/{application.pk}"), 404, "not_found")


# Drafting ---------------------------------------------------------------------------------------------


def test_it_creates_a_scoped_draft_and_refuses_what_the_caller_may_not_do(world, api):
    body = {**BODY, "scope_all": False, "scope_regions": [world.township_hk.code]}
    created = ok(api(world.dept_clerk, "post", "/applications", body), 201)
    assert created["scope_regions"] == [world.township_hk.code]
    refused(api(world.village_cadre, "post", "/applications", BODY), 403, "forbidden", words="本部门")
    refused(api(world.office, "post", "/applications", BODY), 403, "forbidden", words="本部门")
    outside = {**body, "scope_regions": [world.other_village.code]}
    refused(api(world.dept_clerk, "post", "/applications", outside), 400, "invalid", "scope_regions", "本县")
    unknown = {**body, "scope_regions": ["428521999999"]}
    refused(
        api(world.dept_clerk, "post", "/applications", unknown), 400, "invalid", "scope_regions", "不存在"
    )
    no_title = {k: v for k, v in BODY.items() if k != "title"}
    refused(api(world.dept_clerk, "post", "/applications", no_title), 422, "invalid", "title", "格式不正确")


def test_it_lets_the_office_register_a_retroactive_application_for_a_department(world, api):
    body = {**BODY, "origin": "retroactive", "applicant_id": world.dept_rs.pk}
    created = ok(api(world.office, "post", "/applications", body), 201)
    assert (created["origin"], created["applicant_id"]) == ("retroactive", world.dept_rs.pk)
    refused(api(world.dept_clerk, "post", "/applications", body), 403, "forbidden", words="补办确认")
    refused(
        api(world.office, "post", "/applications", {**body, "applicant_id": world.other_dept.pk}),
        404,
        "not_found",
    )
    refused(
        api(world.office, "post", "/applications", {**body, "applicant_id": None}),
        400,
        "invalid",
        "applicant_id",
    )


def _returned(world):
    application = submitted(world)
    return review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="return",
        opinion="请补充培训安排。",
    )


def test_it_updates_a_draft_with_its_version_and_refuses_a_stale_one(world, api):
    application = draft(world)
    url = f"/applications/{application.pk}"
    updated = ok(api(world.dept_clerk, "patch", url, {"version": 1, "training": "5月再培训一次。"}))
    assert (updated["training"], updated["version"]) == ("5月再培训一次。", 2)
    refused(
        api(world.dept_clerk, "patch", url, {"version": 1, "title": "旧版本"}), 409, "stale", words="旧版本"
    )
    for person in (world.office, world.outsider):  # a draft is the department's own
        refused(api(person, "patch", url, {"version": 2, "title": "越界"}), 404, "not_found")
    late = {"version": 2, "period_start": _today(10), "period_end": _today()}
    refused(api(world.dept_clerk, "patch", url, late), 400, "invalid", "period_end", "不能早于")
    refused(api(world.dept_clerk, "patch", url, {"title": "无版本"}), 422, "invalid", "version")
    application.refresh_from_db()
    assert (application.title, application.version) == (COMPLETE["title"], 2)
    returned = _returned(world)
    body = {"version": returned.version, "title": "越权修改"}
    refused(
        api(world.office, "patch", f"/applications/{returned.pk}", body), 403, "forbidden", words="申请单位"
    )
    assert ok(api(world.dept_clerk, "patch", f"/applications/{returned.pk}", body))["title"] == "越权修改"


def test_it_submits_only_a_complete_draft_of_the_callers_department(world, api):
    application = draft(world, funds_amount=None, funds_source="")
    url = f"/applications/{application.pk}/submit"
    refused(api(world.dept_clerk, "post", url, {"version": 1}), 400, "invalid", "funds_amount", "费随事转")
    refused(api(world.office, "post", url, {"version": 1}), 404, "not_found")
    refused(api(world.dept_clerk, "post", url, {"version": 0}), 409, "stale")
    negative = draft(world, title="拆除违章建筑", description="由村（社区）组织拆除违章建筑，认定危房等级。")
    error = refused(
        api(world.dept_clerk, "post", f"/applications/{negative.pk}/submit", {"version": 1}),
        400,
        "invalid",
        "description",
        "负面清单",
    )
    assert "description" in error["fields"] and not error["message"].startswith("description")
    returned = _returned(world)
    url = f"/applications/{returned.pk}/submit"
    refused(api(world.office, "post", url, {"version": returned.version}), 403, "forbidden")
    assert ok(api(world.dept_clerk, "post", url, {"version": returned.version}))["status"] == "submitted"


def test_it_withdraws_with_a_reason(world, api):
    application = submitted(world)
    url = f"/applications/{application.pk}/withdraw"
    refused(api(world.dept_clerk, "post", url, {"reason": " "}), 400, "invalid", "reason", "撤回原因")
    refused(api(world.office, "post", url, {"reason": "越权"}), 403, "forbidden")
    refused(api(world.outsider, "post", url, {"reason": "越界"}), 404, "not_found")
    assert ok(api(world.dept_clerk, "post", url, {"reason": "政策调整"}))["status"] == "withdrawn"


# Review -----------------------------------------------------------------------------------------------


def test_it_lets_only_the_office_review_and_checks_the_outcome(world, api):
    application = submitted(world, township_stance="objection")
    url, v = f"/applications/{application.pk}/review", application.version
    simple = {"version": v, "outcome": "simple", "opinion": "简易"}
    refused(api(world.office, "post", url, simple), 400, "invalid", "outcome", "第七条")
    refused(api(world.office, "post", url, {**simple, "outcome": "maybe"}), 400, "invalid", "outcome")
    refused(
        api(world.office, "post", url, {**simple, "outcome": "ordinary", "opinion": ""}),
        400,
        "invalid",
        "opinion",
    )
    refused(api(world.chair, "post", url, {**simple, "outcome": "ordinary"}), 403, "forbidden")
    refused(api(world.member, "post", url, {**simple, "outcome": "ordinary"}), 403, "forbidden")
    refused(api(world.office, "post", url, {**simple, "version": v - 1}), 409, "stale")
    returned = ok(
        api(world.office, "post", url, {**simple, "outcome": "return", "opinion": "请补充培训安排。"})
    )
    assert returned["status"] == "returned"


def test_it_records_coordination_and_refuses_an_empty_note(world, api):
    application = submitted(world, township_stance="objection")
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="普通程序",
    )
    url, v = f"/applications/{application.pk}/coordinate", application.version
    refused(api(world.office, "post", url, {"version": v, "note": ""}), 400, "invalid", "note", "沟通协调")
    refused(api(world.member, "post", url, {"version": v, "note": "越权"}), 403, "forbidden")
    assert ok(api(world.office, "post", url, {"version": v, "note": "已协调"}))["status"] == "meeting"


def test_it_records_a_meeting_convened_by_the_chair_and_refuses_a_future_date(world, api):
    application = _at_meeting(world)
    url = f"/applications/{application.pk}/meetings"
    refused(
        api(world.office, "post", url, _meeting_body(held_on=_today(3))),
        400,
        "invalid",
        "held_on",
        "不能晚于",
    )
    refused(api(world.dept_clerk, "post", url, _meeting_body()), 403, "forbidden")
    refused(api(world.office, "post", url, {"held_on": _today()}), 422, "invalid", "convener")
    meeting = ok(api(world.chair, "post", url, _meeting_body()), 201)
    assert (
        meeting["application_id"] == application.pk and meeting["recorded_by_name"] == world.chair.full_name
    )


def test_it_takes_one_opinion_per_unit_and_only_the_units_own(world, api):
    application = _at_meeting(world)
    meeting = review.meeting_record(
        actor=world.office,
        application=application,
        held_on=timezone.localdate(),
        place="",
        convener="主任",
        applicant_report="汇报",
    )
    url, own = f"/meetings/{meeting.pk}/opinions", {"stance": "agree", "department_id": _bianban().pk}
    other_unit = {**own, "department_id": Department.objects.get(name="县委组织部").pk}
    refused(api(world.member, "post", url, other_unit), 404, "not_found")  # a unit it cannot even see
    refused(api(world.member, "post", url, {**own, "stance": "maybe"}), 400, "invalid", "stance")
    refused(api(world.member, "post", url, {"stance": "agree"}), 400, "invalid", "department")
    assert ok(api(world.member, "post", url, own), 201)["author_name"] == world.member.full_name
    again = {**own, "stance": "disagree", "confirmed_by": "县委编办副主任"}
    refused(api(world.office, "post", url, again), 400, "invalid", words="不能重复")
    refused(api(world.office, "post", url, {**own, "department_id": world.dept_rs.pk}), 403, "forbidden")
    refused(api(world.chair, "post", url, other_unit), 403, "forbidden")
    refused(api(world.outsider, "post", url, own), 404, "not_found")
    refused(
        api(world.office, "post", url, {**other_unit, "text": "会上口头同意"}), 400, "invalid", "confirmed_by"
    )
    minuted = ok(
        api(
            world.office,
            "post",
            url,
            {**other_unit, "text": "会上口头同意", "confirmed_by": "县委组织部 张副部长"},
        ),
        201,
    )
    assert (minuted["unit_name"], minuted["proxy_entered"], minuted["confirmed_by"]) == (
        "县委组织部",
        True,
        "县委组织部 张副部长",
    )


def test_it_concludes_a_meeting_only_with_opinions(world, api):
    application = _at_meeting(world)
    ok(api(world.office, "post", f"/applications/{application.pk}/meetings", _meeting_body()), 201)
    url = f"/applications/{application.pk}/conclude"
    v = Application.objects.get(pk=application.pk).version
    refused(api(world.office, "post", url, {"version": v}), 400, "invalid", words="尚未记录")
    refused(api(world.dept_clerk, "post", url, {"version": v}), 403, "forbidden")
    refused(api(world.office, "post", url, {"version": v - 1}), 409, "stale")


def test_it_lets_only_the_chair_decide_and_demands_reasons_and_overlaps(world, api):
    approved(world)
    second = at_decision(world, title="企业用工情况调查协助（第二次）")
    url, v = f"/applications/{second.pk}/decide", second.version
    refused(api(world.office, "post", url, {"version": v, "outcome": "approve"}), 403, "forbidden")
    refused(
        api(world.chair, "post", url, {"version": v, "outcome": "reject"}), 400, "invalid", "reason", "理由"
    )
    refused(
        api(world.chair, "post", url, {"version": v, "outcome": "approve"}),
        400,
        "invalid",
        "overlaps",
        "重叠",
    )
    refused(api(world.chair, "post", url, {"version": v - 1, "outcome": "approve"}), 409, "stale")
    body = {
        "version": v,
        "outcome": "approve",
        "decision_body": "县委常委会会议",
        "overlaps": [{"existing": "原企业用工调查协助", "action": "merge"}],
    }
    decided = ok(api(world.chair, "post", url, body))
    assert decided["overlaps"] == [{"existing": "原企业用工调查协助", "action": "merge", "note": ""}]
    assert (
        decided["decision_body"] == "县委常委会会议" and decided["decided_by_name"] == world.chair.full_name
    )


# Admitted items and notices ----------------------------------------------------------------------------


def test_it_lists_admitted_items_to_the_villages_in_scope_and_the_department(world, api):
    item = approved(world, scope_all=False, scope_regions=[world.township_hk]).admitted_item
    for person in (world.village_cadre, world.town_hk, world.dept_clerk, world.office):
        assert [i["code"] for i in ok(api(person, "get", "/items"))["items"]] == [item.code], person
    for person in (world.community_cadre, world.member, world.outsider):
        assert ok(api(person, "get", "/items"))["count"] == 0, person
        refused(api(person, "get", f"/items/{item.pk}"), 404, "not_found")
    detail = ok(api(world.village_cadre, "get", f"/items/{item.pk}"))
    assert detail["scope_regions"] == [world.township_hk.code] and detail["notice_number"]


def test_it_lets_the_applicant_end_an_item_and_files_the_exit(world, api):
    item = approved(world).admitted_item
    url, body = (
        f"/items/{item.pk}/end",
        {"version": item.version, "end_on": _today(10), "reason": "调查已完成"},
    )
    refused(api(world.office, "post", url, body), 403, "forbidden", words="第十条")
    refused(api(world.dept_clerk, "post", url, {**body, "end_on": _today(-1)}), 400, "invalid", "end_on")
    refused(api(world.dept_clerk, "post", url, {**body, "version": 0}), 409, "stale")
    ended = ok(api(world.dept_clerk, "post", url, body))
    assert ended["item"]["status"] == "ended" and ended["item"]["effective_to"] == _today(10)
    assert (ended["filing"]["kind"], ended["filing"]["status"]) == ("exit", "filed")
    assert ended["filing"]["number"].startswith("准入退〔")
    assert ok(api(world.dept_clerk, "get", "/items", include_ended="true"))["count"] == 1


def test_it_lets_each_village_sign_only_its_own_notice_once(world, api):
    notice = approved(world).notice
    mine = notice.recipients.get(region=world.village_taoyuan)
    theirs = notice.recipients.get(region=world.community_jiefang)
    listed = {n["id"] for n in ok(api(world.community_cadre, "get", "/notices"))["items"]}
    assert theirs.pk in listed and mine.pk not in listed
    refused(api(world.community_cadre, "post", f"/notices/{mine.pk}/acknowledge"), 404, "not_found")
    refused(
        api(world.grid_worker, "post", f"/notices/{theirs.pk}/acknowledge"), 404, "not_found"
    )  # not theirs to sign
    township = notice.recipients.get(region=world.township_hk)
    refused(
        api(world.town_hk, "post", f"/notices/{mine.pk}/acknowledge"), 403, "forbidden"
    )  # the village signs
    ok(api(world.town_hk, "post", f"/notices/{township.pk}/acknowledge"))
    ok(api(world.village_cadre, "post", f"/notices/{mine.pk}/acknowledge"))
    refused(api(world.village_cadre, "post", f"/notices/{mine.pk}/acknowledge"), 400, "invalid", words="已于")
    assert NoticeRecipient.objects.filter(acknowledged_at__isnull=False).count() == 2


def test_it_lets_a_machine_client_sign_with_a_bearer_token(world):
    recipient = approved(world).notice.recipients.get(region=world.village_taoyuan)
    _token, key = org_services.api_token_create(actor=world.village_cadre, name="村务系统")
    response = Client().post(f"{API}/notices/{recipient.pk}/acknowledge", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok(response)["acknowledged_by_name"] == world.village_cadre.full_name
    assert Client().get(f"{API}/notices").status_code == 401


# The village's check and decline -----------------------------------------------------------------------


def test_it_checks_work_against_the_villages_lists(world, api):
    duty = ok(api(world.village_cadre, "post", "/check", {"text": "调解民间纠纷"}))
    assert (duty["verdict"], duty["must_do"], duty["region_code"]) == (
        "duty",
        True,
        world.village_taoyuan.code,
    )
    assert duty["matches"] and duty["explanation"]
    unlisted = ok(api(world.village_cadre, "post", "/check", {"text": UNLISTED}))
    assert unlisted["must_do"] is False
    town = ok(
        api(
            world.town_hk,
            "post",
            "/check",
            {"text": "调解民间纠纷", "region_code": world.village_taoyuan.code},
        )
    )
    assert town["region"] == world.village_taoyuan.name
    refused(
        api(
            world.village_cadre, "post", "/check", {"text": "x", "region_code": world.community_jiefang.code}
        ),
        404,
        "not_found",
    )
    refused(api(world.village_cadre, "post", "/check", {"text": "  "}), 400, "invalid", "text", "核验")
    refused(
        api(world.office, "post", "/check", {"text": "调解民间纠纷"}),
        400,
        "invalid",
        "region_code",
        "村（社区）",
    )
    county = ok(
        api(world.office, "post", "/check", {"text": "调解民间纠纷", "region_code": world.county.code})
    )
    assert county["region_code"] == world.county.code


def test_it_finds_admitted_work_in_the_check(world, api):
    approved(world)
    checked = ok(
        api(world.village_cadre, "post", "/check", {"text": "每季度开展企业用工情况调查，填报企业用工台账"})
    )
    assert checked["verdict"] == "admitted" and checked["must_do"] is True
    assert isinstance(checked["matches"][0]["list_id"], str)


def test_it_records_a_villages_decline_and_refuses_to_decline_owed_work(world, api):
    body = {"text": UNLISTED, "received_on": _today(), "department_id": world.dept_rs.pk}
    decline = ok(api(world.village_cadre, "post", "/declines", body), 201)
    assert decline["number"].startswith(world.village_taoyuan.code) and decline["verdict"] == "unlisted"
    assert decline["department_name"] == "县人社局"
    listed = {**body, "text": "调解民间纠纷"}
    refused(api(world.village_cadre, "post", "/declines", listed), 400, "invalid", "text", "应当执行")
    refused(
        api(world.village_cadre, "post", "/declines", {**body, "received_on": _today(1)}),
        400,
        "invalid",
        "received_on",
    )
    elsewhere = {**body, "region_code": world.community_jiefang.code}
    refused(api(world.village_cadre, "post", "/declines", elsewhere), 404, "not_found")
    refused(
        api(world.village_cadre, "post", "/declines", {**body, "department_id": world.other_dept.pk}),
        404,
        "not_found",
    )
    refused(api(world.dept_clerk, "post", "/declines", body), 400, "invalid", "region_code", "村（社区）")
    refused(api(world.grid_worker, "post", "/declines", body), 403, "forbidden")  # 解放路社区's grid worker
    refused(
        api(world.inspector, "post", "/declines", {**body, "region_code": world.village_taoyuan.code}),
        403,
        "forbidden",
    )


def test_it_lists_declines_to_the_village_and_the_named_department(world, api):
    body = {"text": UNLISTED, "received_on": _today(), "department_id": world.dept_rs.pk}
    number = ok(api(world.village_cadre, "post", "/declines", body), 201)["number"]
    for person in (world.village_cadre, world.town_hk, world.dept_clerk, world.office):
        assert [d["number"] for d in ok(api(person, "get", "/declines"))["items"]] == [number], person
    for person in (world.community_cadre, world.member, world.outsider):
        assert ok(api(person, "get", "/declines"))["count"] == 0, person


def test_it_opens_a_change_of_an_admitted_item_only_for_its_department(world, api):
    item = approved(world).admitted_item
    body = {
        **BODY,
        "kind": "change",
        "related_item_id": item.pk,
        "title": "企业用工调查协助（调整为每半年一次）",
    }
    created = ok(api(world.dept_clerk, "post", "/applications", body), 201)
    assert (created["kind"], created["related_item_id"]) == ("change", item.pk)
    refused(
        api(world.member, "post", "/applications", body), 404, "not_found"
    )  # 县委编办 does not see the item
    no_item = {**body, "related_item_id": None}
    refused(
        api(world.dept_clerk, "post", "/applications", no_item), 400, "invalid", "related_item", "原已准入"
    )


# Lists stay cheap ---------------------------------------------------------------------------------------


def _admit(world, n):
    application = at_decision(world, title=f"企业用工情况调查协助（第{n}批）")
    review.application_decide(
        actor=world.chair,
        application=application,
        expected_version=application.version,
        outcome="approve",
        overlaps=[{"existing": "前一批", "action": "keep"}],
    )
    filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text=f"{UNLISTED}（第{n}次）",
        department=world.dept_rs,
        department_name="",
        received_on=timezone.localdate(),
    )


@pytest.mark.parametrize("path", ["/applications", "/items", "/notices", "/declines"])
@pytest.mark.parametrize("persona", ["office", "village_cadre", "dept_clerk"])
def test_it_keeps_the_query_count_flat_on_the_lists(
    path, persona, world, client, django_assert_max_num_queries
):
    client.force_login(world.people[persona])
    _admit(world, 1)
    client.get(API + path)  # warm-up: session and content-type caches
    with CaptureQueriesContext(connection) as few:
        small = client.get(API + path)
    for n in (2, 3, 4):
        _admit(world, n)
    with django_assert_max_num_queries(len(few)):
        large = client.get(API + path)
    assert small.status_code == large.status_code == 200
    # The session, the user, the assignments and their region's role settings, then the page's own reads.
    assert len(few) <= 11, [q["sql"] for q in few.captured_queries]


def test_it_refuses_megabyte_texts_and_stores_nothing(world, api):
    before = Application.objects.count()
    response = api(world.dept_clerk, "post", "/applications", {**BODY, "description": "事" * (1024 * 1024)})
    assert response.status_code == 422 and "description" in response.json()["error"]["fields"]
    assert Application.objects.count() == before
    application = _at_meeting(world)
    response = api(
        world.office,
        "post",
        f"/applications/{application.pk}/meetings",
        _meeting_body(applicant_report="汇" * (1024 * 1024)),
    )
    refused(response, 400, "invalid", "applicant_report", "「申请主体专题汇报」不能超过 5000 字")
    assert not application.meetings.exists()
