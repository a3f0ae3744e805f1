"""Permission-matrix cases for the admission pages (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- applications are seen by county-wide region roles, by the applying department (县人社局, dept_clerk), and
  past the draft stage by the committee's member units (县委编办, member); townships and villages see the
  admitted items and notices that reach them, not the applications;
- only the applicant edits, submits and withdraws; only the office reviews, coordinates, minutes and
  concludes; the chair (or the office) records the meeting; the chair decides; member units (and the office,
  taking minutes) give meeting opinions; a role check comes before the state check, so the right person posting
  at the wrong step is told so on the application page (a redirect that changes nothing);
- villages and communities check and decline work; townships and villages sign their notices.
"""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jianfu.admission import services
from jianfu.admission.models import Reminder
from jianfu.admission.services import filing, review
from jianfu.orgs.models import Department
from tests.matrix.base import ANON, COUNTY_WIDE, LOGIN, Case, Redirect, everyone, pk, signed_in

PLAN = {
    "title": "矩阵：企业用工情况季度调查协助",
    "description": "协助填报企业用工台账。",
    "plan_requirements": "按季度",
    "plan_division": "人社局负责",
    "plan_process": "下发→填报",
    "plan_milestones": "每季度末",
    "people": "专人2名",
    "funds_amount": 1000,
    "funds_source": "县级经费",
    "training": "培训一次",
    "consultation_record": "已沟通",
}
APPLICANT_SEES = COUNTY_WIDE | {"dept_clerk"}
PAST_DRAFT_SEES = APPLICANT_SEES | {"member", "town_hk", "town_cg"}  # units that give opinions
VILLAGES = {"village_cadre", "community_cadre"}
ITEM_SEES = APPLICANT_SEES | {"town_hk", "town_cg", "village_cadre", "community_cadre"}


def _draft(w):
    return services.application_create(actor=w.dept_clerk, applicant=w.dept_rs, **PLAN)


def _submitted(w):
    application = _draft(w)
    return services.application_submit(actor=w.dept_clerk, application=application, expected_version=1)


def _approved(w):
    application = _submitted(w)
    for consult in application.consults.all():  # every township answered 无异议 for itself
        services.township_stance_give(actor=None, consult=consult, stance="no_objection")
    application.refresh_from_db()
    application = review.application_initial_review(
        actor=w.office,
        application=application,
        expected_version=application.version,
        outcome="simple",
        opinion="简易",
    )
    return review.application_decide(
        actor=w.chair,
        application=application,
        expected_version=application.version,
        outcome="approve",
        overlaps=[{"existing": "矩阵中先前准入的同一事项", "action": "keep"}],
    )


def _other(w):
    application = services.application_create(actor=None, applicant=w.other_dept, **PLAN)
    return services.application_submit(actor=None, application=application, expected_version=1)


def _reminder(w):
    application = _submitted(w)
    return Reminder.objects.create(
        user=w.office, application=application, status="submitted", due_on=date(2026, 1, 5)
    )


def _with_attachment(w):
    application = _draft(w)
    attachment = services.attachment_add(
        actor=w.dept_clerk,
        application=application,
        upload=SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4 matrix"),
    )
    services.application_submit(
        actor=w.dept_clerk, application=application, expected_version=application.version
    )
    return attachment


def _decline(w):
    return filing.work_decline(
        actor=w.village_cadre,
        region=w.village_taoyuan,
        text="矩阵：每周上报光伏摸底台账",
        department=w.dept_rs,
        department_name="",
        received_on=timezone.localdate(),
    )


SEES = {
    "adm_draft": {"dept_clerk"},  # a draft is the department's own until submitted
    "adm_submitted": PAST_DRAFT_SEES,
    "adm_other": {"outsider"},
    "adm_other_draft": set(),  # another county's draft: its own department only, and nobody here is in it
    "adm_item": ITEM_SEES,
    "adm_notice": PAST_DRAFT_SEES | {"village_cadre", "community_cadre"},
    "adm_recipient": {"town_hk", "village_cadre"},
    "adm_decline": COUNTY_WIDE | {"town_hk", "village_cadre", "dept_clerk"},
    "adm_reminder": {"office"},
    "adm_attachment": APPLICANT_SEES | {"member", "town_hk", "town_cg"},  # on a submitted application
    "adm_consult": {"town_hk"},  # a township's own consultation: only that township answers or sees it there
}
OBJECTS = {
    "adm_draft": _draft,
    "adm_submitted": _submitted,
    "adm_other": _other,
    "adm_other_draft": lambda w: services.application_create(actor=None, applicant=w.other_dept, **PLAN),
    "adm_item": lambda w: _approved(w).admitted_item,
    "adm_notice": lambda w: _approved(w).notice,
    "adm_recipient": lambda w: _approved(w).notice.recipients.get(region=w.village_taoyuan),
    "adm_decline": _decline,
    "adm_reminder": _reminder,
    "adm_attachment": lambda w: _with_attachment(w),
    "adm_consult": lambda w: _submitted(w).consults.get(township=w.township_hk),
}


def acting(allowed: set, ok, visible: dict = SEES, anon=LOGIN):
    """The object is loaded first (404 outside the scope); then only ``allowed`` may act (else 403)."""

    def expect(p, t):
        if p == ANON:
            return anon
        if t is not None and p not in visible[t]:
            return 404
        return ok(t) if p in allowed else 403

    expect.writes = True
    return expect


def only(allowed: set, ok, anon=LOGIN):
    """No object: only ``allowed`` may use the page (else 403)."""

    def expect(p, t):
        return anon if p == ANON else (ok if p in allowed else 403)

    expect.writes = True
    return expect


def scoped_to(label_sees: dict, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (200 if p in label_sees[t] else 404)


def to_detail(t):
    return Redirect("/admission/")


DRAFTS = ("adm_draft", "adm_other_draft")
SUBMITTED = ("adm_submitted", "adm_other")
VERSIONED = lambda a: {"version": a.version}  # noqa: E731
OFFICE, CHAIR, APPLICANT = {"office"}, {"chair"}, {"dept_clerk"}
OPINERS = {"office", "member", "town_hk", "town_cg"}
ROUTES = {
    "admission:index": Case(signed_in(200)),
    "admission:create": (
        Case(only({"dept_clerk", "member"}, 200)),
        Case(only({"dept_clerk", "member"}, 200), "post", data=lambda o: {}),
    ),
    "admission:retroactive": (Case(only(OFFICE, 200)), Case(only(OFFICE, 200), "post", data=lambda o: {})),
    "admission:detail": Case(scoped_to(SEES), targets=("adm_draft", "adm_submitted", "adm_other"), kwargs=pk),
    "admission:edit": (
        Case(acting(APPLICANT, lambda t: 200), targets=DRAFTS, kwargs=pk),
        Case(acting(APPLICANT, lambda t: 200), "post", DRAFTS, pk, lambda a: {"version": a.version}),
    ),
    "admission:submit": Case(acting(APPLICANT, to_detail), "post", DRAFTS, pk, VERSIONED),
    "admission:withdraw": Case(
        acting(APPLICANT, to_detail), "post", DRAFTS, pk, lambda a: {"reason": "矩阵"}
    ),
    "admission:review": Case(
        acting(OFFICE, to_detail),
        "post",
        SUBMITTED,
        pk,
        lambda a: {"version": a.version, "outcome": "ordinary", "opinion": "矩阵"},
    ),
    "admission:coordinate": Case(
        acting(OFFICE, to_detail), "post", SUBMITTED, pk, lambda a: {"version": a.version, "note": "矩阵"}
    ),
    "admission:meeting": Case(
        acting(OFFICE | CHAIR, to_detail),
        "post",
        SUBMITTED,
        pk,
        lambda a: {"held_on": "2026-01-05", "convener": "主任", "applicant_report": "汇报"},
    ),
    "admission:opinion": Case(
        acting(OPINERS, to_detail),
        "post",
        SUBMITTED,
        pk,
        lambda a: {
            "unit": f"d{Department.objects.get(name='县委编办').pk}",
            "stance": "agree",
            "confirmed_by": "县委编办副主任",
        },
    ),
    "admission:conclude": Case(acting(OFFICE, to_detail), "post", SUBMITTED, pk, VERSIONED),
    "admission:decide": Case(
        acting(CHAIR, to_detail),
        "post",
        SUBMITTED,
        pk,
        lambda a: {"version": a.version, "outcome": "approve"},
    ),
    "admission:attach": Case(
        acting(APPLICANT, to_detail),
        "post",
        DRAFTS,
        pk,
        lambda a: {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4 matrix")},
    ),
    "admission:attachment": Case(
        scoped_to(SEES),
        targets=("adm_attachment",),
        kwargs=lambda f: {"pk": f.application_id, "attachment_pk": f.pk},
    ),
    "admission:archive_export": Case(scoped_to(SEES), targets=("adm_submitted", "adm_other"), kwargs=pk),
    "admission:items": Case(signed_in(200)),
    "admission:item_detail": Case(scoped_to(SEES), targets=("adm_item",), kwargs=pk),
    "admission:item_end": Case(
        acting(APPLICANT, lambda t: Redirect("/admission/items/")),
        "post",
        ("adm_item",),
        pk,
        lambda i: {"version": i.version, "end_on": "2099-01-01", "reason": "矩阵"},
    ),
    "admission:item_change": Case(acting(APPLICANT, to_detail), "post", ("adm_item",), pk),
    "admission:notices": Case(signed_in(200)),
    "admission:acknowledge": Case(
        acting(
            {"village_cadre"}, lambda t: Redirect("/admission/notices/")
        ),  # the village signs, not its township
        "post",
        ("adm_recipient",),
        pk,
    ),
    "admission:notice_print": Case(scoped_to(SEES), targets=("adm_notice",), kwargs=pk),
    "admission:notice_docx": Case(scoped_to(SEES), targets=("adm_notice",), kwargs=pk),
    "admission:check": (
        Case(only(VILLAGES, 200)),
        Case(only(VILLAGES, 200), "post", data=lambda o: {"text": "矩阵：上报光伏摸底台账"}),
    ),
    "admission:decline": Case(
        only(VILLAGES, Redirect("/admission/declines/")),
        "post",
        data=lambda o: {
            "text": "每周上报户用光伏安装意向摸底台账",
            "department_name": "县人社局",
            "received_on": "2026-01-05",
        },
    ),
    "admission:declines": Case(signed_in(200)),
    "admission:decline_print": Case(scoped_to(SEES), targets=("adm_decline",), kwargs=pk),
    "admission:decline_docx": Case(scoped_to(SEES), targets=("adm_decline",), kwargs=pk),
    "admission:consults": Case(only({"member", "town_hk", "town_cg"}, 200)),
    "admission:consult_answer": Case(
        acting({"town_hk"}, lambda t: Redirect("/admission/consults/")),
        "post",
        ("adm_consult",),
        pk,
        lambda c: {"version": c.version, "stance": "no_objection"},
    ),
    "admission:limits": Case(signed_in(200)),  # read-only: the limits are set on the settings page
    "admission:reminder_dismiss": Case(
        lambda p, t: LOGIN if p == ANON else (Redirect("/admission/") if p == "office" else 404),
        "post",
        ("adm_reminder",),
        pk,
    ),
    "public_admission:items": Case(everyone(200)),
    "public_admission:item": Case(everyone(200), targets=("adm_item",), kwargs=pk),
}
