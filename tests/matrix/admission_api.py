"""Permission-matrix cases for the admission (准入) API (merged by tests/test_permission_matrix.py).

Who sees an application of 县人社局: the county-wide roles, the applying department, and once it is past the
draft the member units (县委编办). Who may act: the applicant drafts, submits and withdraws; the office
(县民政局) reviews, coordinates, records the meeting and concludes; the chair decides; a member unit opines
for itself; a village (or its township) signs its notice and declines unadmitted work. Everything else is a
403 for those who see the object and a 404 for those who do not; anonymous callers get 401 JSON.
The matrix loads no reference lists, so every text here is unlisted for the classifier.
"""

from django.utils import timezone

from jianfu.admission import services
from jianfu.admission.services import review
from jianfu.orgs.models import Department
from tests.admission.conftest import COMPLETE, at_decision, draft, submitted
from tests.matrix import base
from tests.matrix.base import ANON, COUNTY_WIDE, Case, pk, scoped, signed_in

BODY = {**COMPLETE, "funds_amount": str(COMPLETE["funds_amount"])}
OVERLAPS = [{"existing": "矩阵重叠工作", "action": "keep"}]
TEXT = "矩阵：请各村统计辖区养犬户数量并上传照片"
VILLAGERS = {"village_cadre", "community_cadre", "grid_worker"}  # their home region is a village
LOCAL = {"town_hk", "town_cg", "village_cadre", "community_cadre", "grid_worker"}
APPLICANT = COUNTY_WIDE | {"dept_clerk"}  # the county, and the department for its own
REVIEWERS = APPLICANT | {"member", "town_hk", "town_cg"}  # past the draft: the units that give opinions


def _other_county_submitted(w):
    """东岭县民政局's application, submitted (a draft would be its own department's only)."""
    application = services.application_create(actor=None, applicant=w.other_dept, **COMPLETE)
    return services.application_submit(
        actor=None, application=application, expected_version=application.version
    )


def _coordinating(w):
    application = submitted(w, township_stance="objection")
    return review.application_initial_review(
        actor=w.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="矩阵：走普通程序",
    )


def _at_meeting(w):
    application = _coordinating(w)
    return review.application_coordinate(
        actor=w.office, application=application, expected_version=application.version, note="矩阵：已协调"
    )


def _meeting(w):
    return review.meeting_record(
        actor=w.office,
        application=_at_meeting(w),
        held_on=timezone.localdate(),
        place="",
        convener="矩阵主任",
        applicant_report="矩阵汇报",
    )


def _concludable(w):
    meeting = _meeting(w)
    review.meeting_opinion_add(
        actor=w.member, meeting=meeting, stance="agree", text="", department=_bianban()
    )
    meeting.application.refresh_from_db()
    return meeting.application


def _approved(w, title):
    """Approved with an overlap decision, since other matrix objects may already have admitted similar work."""
    application = at_decision(w, title=title)
    return review.application_decide(
        actor=w.chair,
        application=application,
        expected_version=application.version,
        outcome="approve",
        overlaps=OVERLAPS,
    )


def _bianban():
    return Department.objects.get(name="县委编办")


OBJECTS = {
    "api_adm_draft": lambda w: draft(w),
    "api_adm_retro": lambda w: services.application_create(
        actor=w.office, applicant=w.dept_rs, origin="retroactive", **COMPLETE
    ),
    "api_adm_other": _other_county_submitted,
    "api_adm_submitted": lambda w: submitted(w),
    "api_adm_coordinating": _coordinating,
    "api_adm_meeting": _at_meeting,
    "api_adm_meeting_obj": _meeting,
    "api_adm_concludable": _concludable,
    "api_adm_decision": lambda w: at_decision(w),
    "api_adm_item": lambda w: _approved(w, "矩阵准入事项").admitted_item,
    "api_adm_recipient": lambda w: _approved(w, "矩阵告知事项").notice.recipients.get(
        region=w.village_taoyuan
    ),
    "api_adm_consult": lambda w: submitted(w, township_stance="not_consulted").consults.get(
        township=w.township_hk
    ),
}
SEES = {
    "api_adm_draft": {"dept_clerk"},  # a draft is the department's own until submitted
    "api_adm_retro": APPLICANT,  # except one the office registers for retroactive confirmation
    "api_adm_other": {"outsider"},
    **dict.fromkeys(
        (
            "api_adm_submitted",
            "api_adm_coordinating",
            "api_adm_meeting",
            "api_adm_meeting_obj",
            "api_adm_concludable",
            "api_adm_decision",
        ),
        REVIEWERS,
    ),
    "api_adm_item": APPLICANT | LOCAL - {"grid_worker"},  # the department's own, and the units it covers
    "api_adm_recipient": {"town_hk", "village_cadre"},  # the notice's own village and its township
    "api_adm_consult": {"town_hk"},  # a consultation is answered and listed by its own township only
}


def acts(ok, allowed, hidden=frozenset()):
    """Load first (404 outside scope, or for ``hidden`` personas that cannot see a named unit), then only
    ``allowed`` personas may act (403 for the rest)."""

    def expect(p, t):
        if p == ANON:
            return 401
        if (t is not None and p not in base.SEES[t]) or p in hidden:
            return 404
        return ok if p in allowed else 403

    expect.writes = True
    return expect


def villagers(ok):
    """Without a region code the caller's own village or community is meant; others must name one (400)."""
    return lambda p, t: 401 if p == ANON else (ok if p in VILLAGERS else 400)


def _version(obj):
    return {"version": obj.version}


def _today():
    return str(timezone.localdate())


APPS = ("api_adm_draft", "api_adm_retro", "api_adm_submitted", "api_adm_other")


def _drafting(method, data):
    """The applicant edits, submits and withdraws; for a retroactive one the office may act for it."""
    return (
        Case(acts(200, {"dept_clerk"}), method, ("api_adm_draft", "api_adm_other"), pk, data),
        Case(acts(200, {"dept_clerk", "office"}), method, ("api_adm_retro",), pk, data),
    )


def _on(label):
    return (label, "api_adm_other")


ROUTES = {
    "api:admission_application_list": Case(signed_in(200, anon=401)),
    "api:admission_application_detail": Case(scoped(anon=401), targets=APPS, kwargs=pk),
    "api:admission_application_create": (
        Case(acts(201, {"dept_clerk", "member"}), "post", data=lambda o: BODY),
        Case(
            acts(201, {"office"}),
            "post",
            ("dept_rs", "other_dept"),
            data=lambda d: {**BODY, "origin": "retroactive", "applicant_id": d.pk},
        ),
    ),
    "api:admission_application_update": _drafting("patch", lambda a: {**_version(a), "title": "矩阵改名"}),
    "api:admission_application_submit": _drafting("post", _version),
    "api:admission_application_withdraw": _drafting("post", lambda a: {"reason": "矩阵撤回"}),
    "api:admission_application_review": Case(
        acts(200, {"office"}),
        "post",
        _on("api_adm_submitted"),
        pk,
        lambda a: {**_version(a), "outcome": "ordinary", "opinion": "矩阵初审"},
    ),
    "api:admission_application_coordinate": Case(
        acts(200, {"office"}),
        "post",
        _on("api_adm_coordinating"),
        pk,
        lambda a: {**_version(a), "note": "矩阵协调"},
    ),
    "api:admission_meeting_create": Case(
        acts(201, {"office", "chair"}),
        "post",
        _on("api_adm_meeting"),
        pk,
        lambda a: {"held_on": _today(), "convener": "矩阵主任", "applicant_report": "矩阵汇报"},
    ),
    "api:admission_opinion_create": Case(
        acts(
            201, {"office", "member"}, hidden={"dept_clerk", "town_hk", "town_cg"}
        ),  # they cannot see 县委编办
        "post",
        ("api_adm_meeting_obj",),
        pk,
        # The office's entry is marked 代录 and names the unit's confirming person (ignored for the unit's own clerk).
        lambda m: {
            "stance": "agree",
            "text": "矩阵意见",
            "department_id": _bianban().pk,
            "confirmed_by": "县委编办副主任",
        },
    ),
    "api:admission_application_conclude": Case(
        acts(200, {"office"}), "post", _on("api_adm_concludable"), pk, _version
    ),
    "api:admission_application_decide": Case(
        acts(200, {"chair"}),
        "post",
        _on("api_adm_decision"),
        pk,
        lambda a: {**_version(a), "outcome": "approve", "overlaps": OVERLAPS},
    ),
    "api:admission_item_list": Case(signed_in(200, anon=401)),
    "api:admission_item_detail": Case(scoped(anon=401), targets=("api_adm_item",), kwargs=pk),
    "api:admission_item_end": Case(
        acts(200, {"dept_clerk"}),
        "post",
        ("api_adm_item",),
        pk,
        lambda i: {**_version(i), "end_on": str(i.effective_from), "reason": "矩阵完结"},
    ),
    "api:admission_notice_list": Case(signed_in(200, anon=401)),
    "api:admission_consult_list": Case(signed_in(200, anon=401)),
    "api:admission_consult_answer": Case(
        acts(200, {"town_hk"}),  # the township answers for itself; nobody answers for it
        "post",
        ("api_adm_consult",),
        pk,
        lambda c: {"version": c.version, "stance": "no_objection"},
    ),
    "api:admission_notice_acknowledge": Case(
        acts(200, {"village_cadre"}),  # the village signs its own notice, not its township for it
        "post",
        ("api_adm_recipient",),
        lambda r: {"recipient_pk": r.pk},
    ),
    "api:admission_check": (
        Case(villagers(200), "post", data=lambda o: {"text": TEXT}),  # against one's own village
        Case(
            scoped(anon=401),
            "post",
            ("village_taoyuan", "other_village"),
            data=lambda r: {"text": TEXT, "region_code": r.code},
        ),
    ),
    "api:admission_decline_list": Case(signed_in(200, anon=401)),
    "api:admission_decline_create": Case(
        acts(201, {"village_cadre"}),  # declined in the village's own name only
        "post",
        ("village_taoyuan", "other_village"),
        data=lambda r: {
            "region_code": r.code,
            "text": TEXT,
            "department_name": "县人社局",
            "received_on": _today(),
        },
    ),
}
