"""Permission-matrix cases for the campaign app (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- every campaign, evaluation, classification and community-worker page needs campaign.view,
  evaluation.manage or evaluation.score: the county office, the chair, the inspector, the monitor,
  the member unit, the department clerk and the two townships; everyone else gets 403;
- the county campaign is seen by all of them (townships and departments take part in it); another
  county's is a 404; the county office alone manages campaigns, tasks and meetings; the lead unit
  alone (县人社局, the department clerk) reports on its task;
- a township's evaluation, agencies and communities are seen by the county-wide region roles and
  that township; the dispatched agency also by its parent department; the township (and the county
  office) scores and rates, the parent department scores statutory duties; the classification is
  the county's (office);
- the public survey answers anyone who is not signed in; a signed-in official is refused (403).
"""

from datetime import date

from jianfu.campaign import services
from jianfu.campaign.models import ReportAttachment
from jianfu.orgs.models import Department, Region
from tests.matrix.base import ANON, LOGIN, Case, Redirect, pk

VIEWERS = {"office", "member", "dept_clerk", "town_hk", "town_cg", "chair", "inspector", "monitor"}
COUNTY = {"office", "chair", "inspector", "monitor"}
HK = COUNTY | {"town_hk"}
JF = COUNTY | {"town_cg"}
OFFICE = {"office"}
HK_MANAGERS = {"office", "town_hk"}
JF_MANAGERS = {"office", "town_cg"}
OTHER_TOWN, OTHER_COMMUNITY = "428522100000", "428522100001"


def _reported(campaign, department, number):
    task = services.task_add(
        actor=None,
        campaign=campaign,
        area="矩阵办结",
        measures="矩阵措施",
        lead_department=department,
        deadline=date(2026, 12, 31),
    )
    services.report_file(
        actor=None,
        task=task,
        kind="monthly",
        period_start=date(2026, 7, 1),
        summary="已完成",
        progress=100,
        completes=True,
        today=date(2026, 8, 2),
    )
    return task


def _setup(w) -> dict:
    if "_campaign" in w.__dict__:
        return w.__dict__["_campaign"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = services.campaign_create(
        actor=None, region=w.county, title="矩阵行动", starts_on=date(2026, 7, 1)
    )
    task = services.task_add(
        actor=None,
        campaign=campaign,
        area="矩阵任务",
        measures="矩阵措施",
        lead_department=w.dept_rs,
        deadline=date(2026, 12, 31),
    )
    services.report_file(
        actor=None,
        task=task,
        kind="weekly",
        period_start=date(2026, 7, 6),
        summary="矩阵",
        progress=10,
        attachments=[SimpleUploadedFile("矩阵.pdf", b"%PDF")],
        today=date(2026, 7, 20),
    )
    other = services.campaign_create(
        actor=None, region=w.other_county, title="东岭行动", starts_on=date(2026, 7, 1)
    )
    other_task = services.task_add(
        actor=None,
        campaign=other,
        area="东岭任务",
        measures="东岭措施",
        lead_department=w.other_dept,
        deadline=date(2026, 12, 31),
    )
    meeting = services.meeting_record(
        actor=None, region=w.county, title="矩阵会议", held_on=date(2026, 9, 1), agenda="矩阵议程"
    )
    other_meeting = services.meeting_record(
        actor=None, region=w.other_county, title="东岭会议", held_on=date(2026, 9, 1), agenda="东岭议程"
    )
    decision = services.decision_add(
        actor=None,
        meeting=meeting,
        content="矩阵议定",
        lead_department=w.dept_rs,
        deadline=date(2026, 12, 31),
    )
    other_town = Region.objects.get(code=OTHER_TOWN)
    draft = services.scheme_create(actor=None, township=w.township_hk, year=2026)
    opened = services.scheme_create(actor=None, township=w.township_hk, year=2025)
    opened = services.scheme_open(actor=None, scheme=opened, version=opened.version)
    code = services.codes_issue(actor=None, scheme=opened, village=w.village_taoyuan, count=1)[0]
    other_scheme = services.scheme_create(actor=None, township=other_town, year=2026)
    agency = services.agency_register(
        actor=None,
        township=w.township_hk,
        department=w.dept_rs,
        agency_name="矩阵劳动保障所",
        head_name="矩阵",
        year=2026,
    )
    agency = services.agency_score_township(
        actor=None, evaluation=agency, territorial=38, satisfaction=18, version=agency.version
    )
    agency = services.agency_score_department(
        actor=None, evaluation=agency, statutory=36, version=agency.version
    )
    other_agency = services.agency_register(
        actor=None,
        township=other_town,
        department=w.other_dept,
        agency_name="东岭民政办",
        head_name="东岭",
        year=2026,
    )
    worker = services.worker_add(
        actor=None,
        community=w.community_jiefang,
        name="矩阵工作者",
        origin="recruited",
        post="service",
        joined_on=date(2021, 9, 1),
        term="第十一届",
        contract_starts=date(2021, 9, 1),
        contract_ends=date(2026, 8, 31),
    )
    other_community = Region.objects.get(code=OTHER_COMMUNITY)
    other_worker = services.worker_add(
        actor=None,
        community=other_community,
        name="东岭工作者",
        origin="elected",
        post="director",
        joined_on=date(2021, 9, 1),
        term="第十一届",
        contract_starts=date(2021, 9, 1),
        contract_ends=date(2026, 8, 31),
    )
    made = {
        # Reported complete by their lead units, waiting for the office: 县人社局's, and 县民政局's (the office's own).
        "cmp_task_reported": _reported(campaign, w.dept_rs, 90),
        "cmp_task_mz_reported": _reported(campaign, w.dept_mz, 91),
        "cmp": campaign,
        "cmp_other": other,
        "cmp_task": task,
        "cmp_task_other": other_task,
        "cmp_attachment": ReportAttachment.objects.get(report__task=task),
        "cmp_meeting": meeting,
        "cmp_meeting_other": other_meeting,
        "cmp_decision": decision,
        "scheme_draft": draft,
        "scheme_open": opened,
        "scheme_other": other_scheme,
        "survey_code": code,
        "agency": agency,
        "agency_other": other_agency,
        "round": services.round_create(actor=None, county=w.county, year=2026),
        "round_other": services.round_create(actor=None, county=w.other_county, year=2026),
        "jiefang": w.community_jiefang,
        "community_other": other_community,
        "worker": worker,
        "worker_other": other_worker,
    }
    for obj in made.values():
        obj.refresh_from_db()  # the services moved versions after these copies were taken
    w.__dict__["_campaign"] = made
    return made


LABELS = (
    "cmp",
    "cmp_other",
    "cmp_task",
    "cmp_task_other",
    "cmp_task_reported",
    "cmp_task_mz_reported",
    "cmp_attachment",
    "cmp_meeting",
    "cmp_meeting_other",
    "cmp_decision",
    "scheme_draft",
    "scheme_open",
    "scheme_other",
    "survey_code",
    "agency",
    "agency_other",
    "round",
    "round_other",
    "jiefang",
    "community_other",
    "worker",
    "worker_other",
)
OBJECTS = {label: (lambda w, label=label: _setup(w)[label]) for label in LABELS}
SEES = {
    "cmp": VIEWERS,
    "cmp_other": set(),
    "cmp_task": VIEWERS,
    "cmp_task_other": set(),
    "cmp_task_reported": VIEWERS,
    "cmp_task_mz_reported": VIEWERS,
    "cmp_attachment": VIEWERS,
    "cmp_meeting": VIEWERS,
    "cmp_meeting_other": set(),
    "cmp_decision": VIEWERS,
    "scheme_draft": HK,
    "scheme_open": HK,
    "scheme_other": set(),
    "survey_code": set(),
    "agency": HK | {"dept_clerk"},
    "agency_other": set(),
    "round": COUNTY,
    "round_other": set(),
    "jiefang": JF,
    "community_other": set(),
    "worker": JF,
    "worker_other": set(),
}


# Policies ---------------------------------------------------------------------------------------------------


def viewers(ok=200, anon=LOGIN):
    """Needs a campaign/evaluation capability (403), then the object in scope (404)."""
    return lambda p, t: (
        anon if p == ANON else 403 if p not in VIEWERS else 404 if t and p not in SEES[t] else ok
    )


def writers(ok, allowed, anon=LOGIN):
    """As ``viewers``, then only ``allowed`` (a set, or a dict persona → outcome) may write (403)."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p not in VIEWERS:
            return 403
        if t and p not in SEES[t]:
            return 404
        if isinstance(allowed, dict):
            return allowed.get(p, 403)
        return ok if p in allowed else 403

    expect.writes = True
    return expect


def residents_only(ok):
    def expect(p, t):
        return ok if p == ANON else 403

    expect.writes = True
    return expect


def _code(region):
    return {"code": region.code}


def _region_pk(code):
    return Region.objects.get(code=code).pk


CMP = ("cmp", "cmp_other")
TASKS = ("cmp_task", "cmp_task_other")
CLOSABLE = ("cmp_task_reported", "cmp_task_mz_reported", "cmp_task_other")


def closing(ok, anon=LOGIN):
    """Only the leading group's office closes a reported task, and not one led by its own department (县民政局's
    clerk on 县民政局's task: 403); the lead unit (县人社局's clerk) cannot close its own task either."""
    policy = writers(ok, OFFICE, anon)

    def expect(p, t):
        return 403 if (p, t) == ("office", "cmp_task_mz_reported") else policy(p, t)

    expect.writes = True
    return expect


MEETINGS = ("cmp_meeting", "cmp_meeting_other")
SCHEMES = ("scheme_draft", "scheme_other")
AGENCIES = ("agency", "agency_other")
ROUNDS = ("round", "round_other")
COMMUNITIES = ("jiefang", "community_other")
WORKERS = ("worker", "worker_other")
TO_CAMPAIGN = Redirect("/campaign/")
SURVEY = {"service": "3", "openness": "3", "conduct": "2", "problems": "3", "overall": "3"}


def _report(_):
    return {"kind": "weekly", "period_start": "2026-07-15", "summary": "矩阵进展", "progress": "30"}


def _task_form(_):
    return {
        "area": "矩阵",
        "measures": "矩阵措施",
        "lead_department": Department.objects.get(name="县财政局").pk,
        "deadline": "2026-12-31",
    }


def _task_edit(t):
    return {**_task_form(t), "version": t.version}


def _indicators(s):
    return {
        "version": s.version,
        "rows": "2",
        "name_0": "群众满意度",
        "weight_0": "60",
        "satisfaction": "0",
        "name_1": "为民服务",
        "weight_1": "40",
    }


def _scores(s):
    village = Region.objects.get(code="428521101201")
    return {f"s_{village.pk}_{i.pk}": "88" for i in s.indicators.filter(is_satisfaction=False)}


def _worker_form(_):
    return {
        "name": "矩阵新人",
        "origin": "recruited",
        "post": "service",
        "joined_on": "2024-01-02",
        "term": "第十一届",
        "contract_starts": "2024-01-02",
        "contract_ends": "2026-08-31",
    }


def _api_worker(_):
    return {
        "name": "矩阵新人",
        "origin": "recruited",
        "post": "service",
        "joined_on": "2024-01-02",
        "term": "第十一届",
        "contract_starts": "2024-01-02",
        "contract_ends": "2026-08-31",
    }


ROUTES = {
    "campaign:index": Case(lambda p, t: LOGIN if p == ANON else 200),
    "campaign:campaign_create": (
        Case(writers(200, OFFICE)),
        Case(
            writers(TO_CAMPAIGN, OFFICE),
            "post",
            data=lambda o: {"title": "矩阵新行动", "starts_on": "2026-09-01", "cadence": "half_monthly"},
        ),
    ),
    "campaign:detail": Case(viewers(), targets=CMP, kwargs=pk),
    "campaign:phase_set": (
        Case(lambda p, t: LOGIN if p == ANON else 405, targets=("cmp",), kwargs=pk),
        Case(
            writers(TO_CAMPAIGN, OFFICE),
            "post",
            CMP,
            pk,
            lambda c: {"phase": "inspection", "starts_on": "2027-01-01", "ends_on": "2027-01-31"},
        ),
    ),
    "campaign:task_add": (
        Case(writers(200, OFFICE), targets=CMP, kwargs=pk),
        Case(writers(Redirect("/campaign/tasks/"), OFFICE), "post", CMP, pk, _task_form),
    ),
    "campaign:ledger_export": Case(viewers(), targets=CMP, kwargs=pk),
    "campaign:task_detail": Case(viewers(), targets=TASKS, kwargs=pk),
    "campaign:task_edit": (
        Case(writers(200, OFFICE), targets=TASKS, kwargs=pk),
        Case(writers(Redirect("/campaign/tasks/"), OFFICE), "post", TASKS, pk, _task_edit),
    ),
    "campaign:report_file": (
        Case(writers(200, {"dept_clerk"}), targets=TASKS, kwargs=pk),
        Case(writers(Redirect("/campaign/tasks/"), {"dept_clerk"}), "post", TASKS, pk, _report),
    ),
    "campaign:task_close": Case(
        closing(Redirect("/campaign/tasks/")),
        "post",
        CLOSABLE,
        pk,
        lambda t: {"version": t.version, "decision": "close"},
    ),
    "campaign:attachment": Case(viewers(), targets=("cmp_attachment",), kwargs=pk),
    "campaign:meetings": (
        Case(viewers()),
        Case(
            writers(Redirect("/campaign/meetings/"), OFFICE),
            "post",
            data=lambda o: {"title": "矩阵联席会议", "held_on": "2026-10-01", "agenda": "矩阵议程"},
        ),
    ),
    "campaign:meeting_detail": Case(viewers(), targets=MEETINGS, kwargs=pk),
    "campaign:decision_add": (
        Case(lambda p, t: LOGIN if p == ANON else 405, targets=("cmp_meeting",), kwargs=pk),
        Case(
            writers(Redirect("/campaign/meetings/"), OFFICE),
            "post",
            MEETINGS,
            pk,
            lambda m: {
                "content": "矩阵议定",
                "lead_department": Department.objects.get(name="县财政局").pk,
                "deadline": "2026-12-31",
            },
        ),
    ),
    "campaign:decision_task": Case(
        writers(Redirect("/campaign/meetings/"), OFFICE),
        "post",
        ("cmp_decision",),
        pk,
        lambda d: {"campaign": d.meeting.campaign_id or _setup_campaign_pk()},
    ),
    "campaign:schemes": (
        Case(viewers()),
        Case(
            writers(
                None,
                {
                    "office": Redirect("/campaign/evaluations/"),
                    "town_hk": Redirect("/campaign/evaluations/"),
                    "town_cg": 200,
                },
            ),
            "post",
            data=lambda o: {"township": _region_pk("428521101000"), "year": "2027"},
        ),
    ),
    "campaign:scheme_detail": Case(
        viewers(), targets=("scheme_draft", "scheme_open", "scheme_other"), kwargs=pk
    ),
    "campaign:scheme_indicators": (
        Case(writers(200, HK_MANAGERS), targets=SCHEMES, kwargs=pk),
        Case(writers(Redirect("/campaign/evaluations/"), HK_MANAGERS), "post", SCHEMES, pk, _indicators),
    ),
    "campaign:scheme_status": (
        Case(lambda p, t: LOGIN if p == ANON else 405, targets=("scheme_draft",), kwargs=pk),
        Case(
            writers(Redirect("/campaign/evaluations/"), HK_MANAGERS),
            "post",
            SCHEMES,
            pk,
            lambda s: {"version": s.version},
        ),
    ),
    "campaign:scheme_scores": (
        Case(writers(200, HK_MANAGERS), targets=("scheme_open", "scheme_other"), kwargs=pk),
        Case(
            writers(Redirect("/campaign/evaluations/"), HK_MANAGERS),
            "post",
            ("scheme_open", "scheme_other"),
            pk,
            _scores,
        ),
    ),
    "campaign:scheme_codes": (
        Case(writers(200, HK_MANAGERS), targets=("scheme_open", "scheme_other"), kwargs=pk),
        Case(
            writers(Redirect("/campaign/evaluations/"), HK_MANAGERS),
            "post",
            ("scheme_open", "scheme_other"),
            pk,
            lambda s: {"village": _region_pk("428521101201"), "count": "2"},
        ),
    ),
    "public_campaign:survey": (
        Case(lambda p, t: 200 if p == ANON else 403),
        Case(residents_only(200), "post", ("survey_code",), data=lambda c: {"code": c.code, **SURVEY}),
    ),
    "campaign:agencies": (
        Case(viewers()),
        Case(
            writers(
                None,
                {
                    "office": Redirect("/campaign/agencies/"),
                    "town_hk": Redirect("/campaign/agencies/"),
                    "town_cg": 200,
                },
            ),
            "post",
            data=lambda o: {
                "township": _region_pk("428521101000"),
                "year": "2026",
                "agency_name": "矩阵编办派驻组",
                "head_name": "矩阵",
                "department": Department.objects.get(name="县委编办").pk,
            },
        ),
    ),
    "campaign:agency_detail": Case(viewers(), targets=AGENCIES, kwargs=pk),
    "campaign:agency_township": Case(
        writers(Redirect("/campaign/agencies/"), HK_MANAGERS),
        "post",
        AGENCIES,
        pk,
        lambda a: {"version": a.version, "territorial": "39", "satisfaction": "19"},
    ),
    "campaign:agency_department": Case(
        writers(Redirect("/campaign/agencies/"), {"dept_clerk"}),
        "post",
        AGENCIES,
        pk,
        lambda a: {"version": a.version, "statutory": "35"},
    ),
    "campaign:agency_rate": Case(
        writers(Redirect("/campaign/agencies/"), HK_MANAGERS),
        "post",
        AGENCIES,
        pk,
        lambda a: {"version": a.version, "agency_grade": "excellent", "head_grade": "excellent"},
    ),
    "campaign:rounds": (
        Case(viewers()),
        Case(
            writers(Redirect("/campaign/classification/"), OFFICE),
            "post",
            data=lambda o: {"year": "2030", "class1_min": "120", "class2_min": "80"},
        ),
    ),
    "campaign:round_detail": (
        Case(viewers(), targets=ROUNDS, kwargs=pk),
        Case(
            writers(Redirect("/campaign/classification/"), OFFICE),
            "post",
            ROUNDS,
            pk,
            lambda r: {
                "township": _region_pk("428521101000"),
                "population": "3.9",
                "revenue": "16800",
                "area": "126",
            },
        ),
    ),
    "campaign:communities": Case(viewers()),
    "campaign:community": (
        Case(viewers(), targets=COMMUNITIES, kwargs=_code),
        Case(
            writers(Redirect("/campaign/communities/"), JF_MANAGERS), "post", COMMUNITIES, _code, _worker_form
        ),
    ),
    "campaign:profile_set": Case(
        writers(Redirect("/campaign/communities/"), JF_MANAGERS),
        "post",
        COMMUNITIES,
        _code,
        lambda c: {"residents": "12000"},
    ),
    "campaign:worker_detail": Case(viewers(), targets=WORKERS, kwargs=pk),
    "campaign:worker_contract": Case(
        writers(Redirect("/campaign/workers/"), JF_MANAGERS),
        "post",
        WORKERS,
        pk,
        lambda w: {
            "version": w.version,
            "term": "第十二届",
            "starts_on": "2026-09-01",
            "ends_on": "2031-08-31",
        },
    ),
    "campaign:worker_training": Case(
        writers(Redirect("/campaign/workers/"), JF_MANAGERS),
        "post",
        WORKERS,
        pk,
        lambda w: {"kind": "professional", "title": "矩阵培训", "held_on": "2026-05-01", "hours": "8"},
    ),
    "campaign:worker_appraisal": Case(
        writers(Redirect("/campaign/workers/"), JF_MANAGERS),
        "post",
        WORKERS,
        pk,
        lambda w: {"year": "2025", "grade": "competent"},
    ),
}


def _setup_campaign_pk():
    from jianfu.campaign.models import Campaign

    return Campaign.objects.get(title="矩阵行动").pk


# API --------------------------------------------------------------------------------------------------------


def api_viewers(ok=200):
    return viewers(ok, anon=401)


def api_writers(ok, allowed):
    return writers(ok, allowed, anon=401)


def _close_body(t):
    return {"close": True, "version": t.version}


def _api_task(_):
    return {
        "area": "矩阵",
        "measures": "矩阵措施",
        "lead_department_id": Department.objects.get(name="县财政局").pk,
        "deadline": "2026-12-31",
    }


ROUTES.update(
    {
        "api:campaign_list": Case(api_viewers()),
        "api:campaign_create": Case(
            lambda p, t: 401 if p == ANON else 201 if p == "office" else 403,
            "post",
            data=lambda o: {"title": "矩阵接口行动", "starts_on": "2026-09-01"},
        ),
        "api:campaign_detail": Case(api_viewers(), targets=CMP, kwargs=pk),
        "api:campaign_phase": Case(
            api_writers(200, OFFICE),
            "post",
            CMP,
            pk,
            lambda c: {"phase": "rectification", "starts_on": "2027-02-01"},
        ),
        "api:campaign_ledger": Case(api_viewers(), targets=CMP, kwargs=pk),
        "api:campaign_task_add": Case(api_writers(201, OFFICE), "post", CMP, pk, _api_task),
        "api:campaign_task_detail": Case(api_viewers(), targets=TASKS, kwargs=pk),
        "api:campaign_task_update": Case(
            api_writers(200, OFFICE),
            "patch",
            TASKS,
            pk,
            lambda t: {"version": t.version, "measures": "矩阵改写"},
        ),
        "api:campaign_task_close": Case(closing(200, anon=401), "post", CLOSABLE, pk, _close_body),
        "api:campaign_report_file": Case(
            api_writers(201, {"dept_clerk"}),
            "post",
            TASKS,
            pk,
            lambda t: {
                "kind": "monthly",
                "period_start": "2026-07-01",
                "summary": "矩阵",
                "progress": 20,
                "attachments": [{"name": "矩阵.pdf", "content_base64": "JVBERg=="}],
            },
        ),
        "api:campaign_report_list": Case(api_viewers(), targets=TASKS, kwargs=pk),
        "api:campaign_meeting_list": Case(api_viewers()),
        "api:campaign_meeting_create": Case(
            lambda p, t: 401 if p == ANON else 201 if p == "office" else 403,
            "post",
            data=lambda o: {"title": "矩阵接口会议", "held_on": "2026-10-01", "agenda": "矩阵议程"},
        ),
        "api:campaign_meeting_detail": Case(api_viewers(), targets=MEETINGS, kwargs=pk),
        "api:campaign_decision_add": Case(
            api_writers(201, OFFICE),
            "post",
            MEETINGS,
            pk,
            lambda m: {
                "content": "矩阵议定",
                "lead_department_id": Department.objects.get(name="县财政局").pk,
                "deadline": "2026-12-31",
            },
        ),
        "api:campaign_decision_task": Case(
            api_writers(201, OFFICE),
            "post",
            ("cmp_decision",),
            pk,
            lambda d: {"campaign_id": _setup_campaign_pk()},
        ),
        "api:campaign_scheme_list": Case(api_viewers()),
        "api:campaign_scheme_create": Case(
            lambda p, t: 401 if p == ANON else 201 if p in HK_MANAGERS else 404 if p == "town_cg" else 403,
            "post",
            data=lambda o: {"township_code": "428521101000", "year": 2027},
        ),
        "api:campaign_scheme_detail": Case(
            api_viewers(), targets=("scheme_draft", "scheme_open", "scheme_other"), kwargs=pk
        ),
        "api:campaign_scheme_indicators": Case(
            api_writers(200, HK_MANAGERS),
            "put",
            SCHEMES,
            pk,
            lambda s: {
                "version": s.version,
                "indicators": [
                    {"name": "群众满意度", "weight": 70, "is_satisfaction": True},
                    {"name": "为民服务", "weight": 30},
                ],
            },
        ),
        "api:campaign_scheme_open": Case(
            api_writers(200, HK_MANAGERS), "post", SCHEMES, pk, lambda s: {"version": s.version}
        ),
        "api:campaign_scheme_close": Case(
            api_writers(400, HK_MANAGERS),
            "post",
            ("scheme_open", "scheme_other"),
            pk,
            lambda s: {"version": s.version},
        ),
        "api:campaign_score": Case(
            api_writers(200, HK_MANAGERS),
            "post",
            ("scheme_open", "scheme_other"),
            pk,
            lambda s: {"village_code": "428521101201", "indicator": "为民服务", "score": 85},
        ),
        "api:campaign_codes": Case(
            api_writers(201, HK_MANAGERS),
            "post",
            ("scheme_open", "scheme_other"),
            pk,
            lambda s: {"village_code": "428521101201", "count": 2},
        ),
        "api:campaign_survey": Case(
            residents_only(201), "post", ("survey_code",), data=lambda c: {"code": c.code, "answers": SURVEY}
        ),
        "api:campaign_agency_list": Case(api_viewers()),
        "api:campaign_agency_register": Case(
            lambda p, t: 401 if p == ANON else 201 if p in HK_MANAGERS else 404 if p == "town_cg" else 403,
            "post",
            data=lambda o: {
                "township_code": "428521101000",
                "department_id": Department.objects.get(name="县委编办").pk,
                "agency_name": "矩阵派驻组",
                "head_name": "矩阵",
                "year": 2026,
            },
        ),
        "api:campaign_agency_detail": Case(api_viewers(), targets=AGENCIES, kwargs=pk),
        "api:campaign_agency_township": Case(
            api_writers(200, HK_MANAGERS),
            "post",
            AGENCIES,
            pk,
            lambda a: {"version": a.version, "territorial": 39, "satisfaction": 19},
        ),
        "api:campaign_agency_department": Case(
            api_writers(200, {"dept_clerk"}),
            "post",
            AGENCIES,
            pk,
            lambda a: {"version": a.version, "statutory": 35},
        ),
        "api:campaign_agency_rate": Case(
            api_writers(200, HK_MANAGERS),
            "post",
            AGENCIES,
            pk,
            lambda a: {"version": a.version, "agency_grade": "excellent", "head_grade": "competent"},
        ),
        "api:campaign_round_list": Case(api_viewers()),
        "api:campaign_round_create": Case(
            lambda p, t: 401 if p == ANON else 201 if p == "office" else 403,
            "post",
            data=lambda o: {"year": 2031},
        ),
        "api:campaign_round_detail": Case(api_viewers(), targets=ROUNDS, kwargs=pk),
        "api:campaign_round_figures": Case(
            api_writers(200, OFFICE),
            "post",
            ROUNDS,
            pk,
            lambda r: {"township_code": "428521101000", "population": 3.9, "revenue": 16800, "area": 126},
        ),
        "api:campaign_community_list": Case(api_viewers()),
        "api:campaign_profile_set": Case(
            api_writers(200, JF_MANAGERS), "post", COMMUNITIES, _code, lambda c: {"residents": 9000}
        ),
        "api:campaign_worker_list": Case(api_viewers(), targets=COMMUNITIES, kwargs=_code),
        "api:campaign_worker_add": Case(
            api_writers(201, JF_MANAGERS), "post", COMMUNITIES, _code, _api_worker
        ),
        "api:campaign_worker_detail": Case(api_viewers(), targets=WORKERS, kwargs=pk),
        "api:campaign_worker_contract": Case(
            api_writers(201, JF_MANAGERS),
            "post",
            WORKERS,
            pk,
            lambda w: {
                "version": w.version,
                "term": "第十二届",
                "starts_on": "2026-09-01",
                "ends_on": "2031-08-31",
            },
        ),
        "api:campaign_worker_training": Case(
            api_writers(201, JF_MANAGERS),
            "post",
            WORKERS,
            pk,
            lambda w: {"kind": "advanced", "title": "矩阵进修", "held_on": "2026-05-01", "hours": 12},
        ),
        "api:campaign_worker_appraisal": Case(
            api_writers(201, JF_MANAGERS), "post", WORKERS, pk, lambda w: {"year": 2025, "grade": "excellent"}
        ),
    }
)
