"""Permission-matrix cases for the supervision app (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- departments (县人社局's clerk; the member unit 县委编办) draft and submit their own department's plans and see
  their own plans and the visits recorded about them (not who recorded them), no village registers;
- the county office approves or returns plans and keeps the placard standard;
- village and community cadres record visits, placards and mechanisms at their own village, townships at their
  villages, the county's monitor anywhere in the county;
- the chair and the inspector read everything in the county and change nothing;
- the administrator, the grid worker and the neighbouring county's administrator see nothing of it.
"""

from datetime import date

from jianfu.orgs.models import Department, Region
from tests.matrix.base import ANON, LOGIN, Case, Redirect, code, everyone, pk, scoped, signed_in

YEAR = 2026
COUNTY = {"office", "chair", "monitor", "inspector"}
PLANNERS = {"dept_clerk", "member"}
RECORDERS = {"village_cadre", "community_cadre", "town_hk", "town_cg", "monitor"}
REGION_VIEWERS = COUNTY | {"town_hk", "town_cg", "village_cadre", "community_cadre"}
VIEWERS = REGION_VIEWERS | PLANNERS
TAOYUAN = COUNTY | {"town_hk", "village_cadre"}


def _setup(w) -> dict:
    """Plans, a visit, a placard (with its photo) and a mechanism here and in 东岭县; made once per world."""
    if "_supervision" in w.__dict__:
        return w.__dict__["_supervision"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jianfu.supervision import services
    from tests.supervision.conftest import approved_plan, png_bytes

    other_village = w.other_village
    draft = services.plan_create(actor=None, department=w.dept_rs, year=YEAR + 1)
    item = services.item_add(
        actor=None, plan=draft, kind="inspection", subject="矩阵检查", month=3, villages=[w.village_taoyuan]
    )
    submitted = services.plan_create(actor=None, department=w.dept_rs, year=YEAR + 2)
    services.plan_submit(actor=None, plan=submitted)
    draft.refresh_from_db()  # adding the item and submitting moved the versions
    submitted.refresh_from_db()
    own = services.plan_create(actor=None, department=w.dept_mz, year=YEAR + 3)
    services.plan_submit(actor=None, plan=own)
    own.refresh_from_db()
    photo = SimpleUploadedFile("matrix.png", png_bytes(), content_type="image/png")
    plan = approved_plan(w)
    extra = [dict(kind="inspection", subject="矩阵补充检查", month=8, villages=[w.village_taoyuan])]
    supplement = services.supplement_submit(actor=None, plan=plan, reason="矩阵：临时部署", items=extra)
    mz_plan = approved_plan(w, department=w.dept_mz, items=[])
    mz_supplement = services.supplement_submit(actor=None, plan=mz_plan, reason="矩阵：本部门", items=extra)
    plan.refresh_from_db()
    made = {
        # A supplement of 县人社局's approved plan, and one of 县民政局's (the office's own department: 403).
        "sv_supplement": supplement,
        "sv_supplement_mz": mz_supplement,
        # 县民政局 hosts the county office: its own plan is decided by someone else (the office clerk gets 403).
        "sv_plan_mz_submitted": own,
        "sv_plan": plan,
        "sv_plan_draft": draft,
        "sv_plan_submitted": submitted,
        "sv_plan_other": services.plan_create(actor=None, department=w.other_dept, year=YEAR),
        "sv_item": item,
        "sv_visit": services.visit_record(
            actor=None,
            village=w.village_taoyuan,
            department=w.dept_rs,
            on=date(YEAR, 3, 12),
            kind="inspection",
            subject="社保检查",
        ),
        "sv_visit_other": services.visit_record(
            actor=None,
            village=other_village,
            department=w.other_dept,
            on=date(YEAR, 3, 12),
            kind="inspection",
            subject="东岭检查",
        ),
        "sv_placard": services.placard_register(
            actor=None,
            village=w.village_taoyuan,
            kind="outside_placard",
            title="桃园村老年人协会",
            photo=photo,
        ),
        "sv_placard_other": services.placard_register(
            actor=None, village=other_village, kind="wall_rule", title="东岭制度"
        ),
        "sv_mechanism": services.mechanism_register(
            actor=None, village=w.village_taoyuan, name="创文工作站", department_name="县创文办"
        ),
        "sv_mechanism_other": services.mechanism_register(
            actor=None, village=other_village, name="东岭工作站", department_name="东岭县民政局"
        ),
        "sv_taoyuan": w.village_taoyuan,
        "sv_other_village": other_village,
        "sv_county": w.county,
        "sv_other_county": w.other_county,
    }
    w.__dict__["_supervision"] = made
    return made


LABELS = (
    "sv_supplement",
    "sv_supplement_mz",
    "sv_plan",
    "sv_plan_draft",
    "sv_plan_submitted",
    "sv_plan_mz_submitted",
    "sv_plan_other",
    "sv_item",
    "sv_visit",
    "sv_visit_other",
    "sv_placard",
    "sv_placard_other",
    "sv_mechanism",
    "sv_mechanism_other",
    "sv_taoyuan",
    "sv_other_village",
    "sv_county",
    "sv_other_county",
)
OBJECTS = {label: (lambda w, label=label: _setup(w)[label]) for label in LABELS}
PLAN_SEES = COUNTY | {"dept_clerk"}
SEES = {
    "sv_supplement": PLAN_SEES,
    "sv_supplement_mz": COUNTY,
    "sv_plan": PLAN_SEES,
    "sv_plan_draft": {"dept_clerk"},  # a draft is the department's own until submitted
    "sv_plan_submitted": PLAN_SEES,
    "sv_plan_mz_submitted": COUNTY,
    "sv_plan_other": set(),
    "sv_item": {"dept_clerk"},  # an item of the draft
    "sv_visit": TAOYUAN | {"dept_clerk"},  # the department sees visits about itself
    "sv_visit_other": set(),
    "sv_placard": TAOYUAN,
    "sv_placard_other": set(),
    "sv_mechanism": TAOYUAN,
    "sv_mechanism_other": set(),
    "sv_taoyuan": TAOYUAN,
    "sv_other_village": set(),
    "sv_county": COUNTY,
    "sv_other_county": set(),
}
PLANS = ("sv_plan", "sv_plan_other")
SUPPLEMENTS = ("sv_supplement", "sv_supplement_mz")
EDITABLE = ("sv_plan_draft", "sv_plan_other")
DECIDABLE = ("sv_plan_submitted", "sv_plan_mz_submitted", "sv_plan_other")
VILLAGES = ("sv_taoyuan", "sv_other_village")
PLACARDS = ("sv_placard", "sv_placard_other")
MECHANISMS = ("sv_mechanism", "sv_mechanism_other")
VISITS = ("sv_visit", "sv_visit_other")
COUNTIES = ("sv_county", "sv_other_county")


# Policies ---------------------------------------------------------------------------------------------------


def among(people, ok=200, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in people else 403)


def acting(people, ok, anon=LOGIN):
    """A write on an object: 404 outside the persona's scope, ``ok`` for the people who may, else 403."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p not in SEES[t]:
            return 404
        return ok if p in people else 403

    expect.writes = True
    return expect


def deciding(ok, anon=LOGIN):
    """The office decides plans, but not its own department's (县民政局's clerk on 县民政局's plan: 403)."""
    policy = acting({"office"}, ok, anon)

    def expect(p, t):
        return 403 if (p, t) == ("office", "sv_plan_mz_submitted") else policy(p, t)

    expect.writes = True
    return expect


def deciding_supplement(ok, anon=LOGIN):
    """The office decides supplements, but not one of its own department's plan (县民政局's clerk: 403)."""
    policy = acting({"office"}, ok, anon)

    def expect(p, t):
        return 403 if (p, t) == ("office", "sv_supplement_mz") else policy(p, t)

    expect.writes = True
    return expect


def writes(policy):
    policy.writes = True
    return policy


def plans_post(p, t):
    if p == ANON:
        return LOGIN
    return {"dept_clerk": Redirect("/supervision/plans/"), "member": 200}.get(p, 403)


def visit_post(ok, anon=LOGIN, wrong_village=400):
    """Recorders of 桃园村 succeed; recorders elsewhere are refused the village (form 400 or API 404)."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p in RECORDERS:
            return ok if p in SEES[t] else wrong_village
        return 403

    expect.writes = True
    return expect


def api_check(p, t):
    if p == ANON:
        return 401
    if p not in VIEWERS:
        return 403
    return 200 if p in SEES[t] else 404


def api_visit_post(p, t):
    if p == ANON:
        return 401
    if p not in SEES[t]:
        return 404
    return 201 if p in RECORDERS else 403


api_visit_post.writes = True


# Request bodies ---------------------------------------------------------------------------------------------


def _rs() -> int:
    return Department.objects.get(name="县人社局").pk


def _visit_form(village: Region) -> dict:
    return {
        "village": village.code,
        "department": _rs(),
        "on": f"{YEAR}-03-12",
        "kind": "inspection",
        "subject": "矩阵检查",
    }


def _visit_api(village: Region) -> dict:
    return {
        "village_code": village.code,
        "department_id": _rs(),
        "on": f"{YEAR}-03-12",
        "kind": "inspection",
        "subject": "矩阵检查",
    }


def _item_form(plan) -> dict:
    return {
        "version": plan.version,
        "kind": "inspection",
        "subject": "矩阵事项",
        "month": 4,
        "village_count": 1,
    }


def _supplement_form(plan) -> dict:
    return {**_item_form(plan), "month": 9, "reason": "矩阵：临时部署"}


def _supplement_api(plan) -> dict:
    item = {"kind": "inspection", "subject": "矩阵补充", "month": 9, "village_count": 1}
    return {"reason": "矩阵：临时部署", "items": [item]}


def _check_query(village: Region) -> dict:
    return {"department_id": _rs(), "village_code": village.code, "on": f"{YEAR}-03-12"}


STANDARD_FORM = {
    "version": 0,
    "outside_placards": "村党组织：支部委员会",
    "outside_signs": "党群服务中心：党群服务中心",
    "inside_max": 9,
    "wall_rules": "村务公开",
}
STANDARD_API = {
    "outside_placards": [{"name": "村党组织", "keywords": ["支部委员会"]}],
    "outside_signs": [],
    "inside_max": 9,
    "wall_rules": ["村务公开"],
}
TO_PLANS, TO_VILLAGES = Redirect("/supervision/plans/"), Redirect("/supervision/villages/")
VERSION = lambda o: {"version": o.version}  # noqa: E731

ROUTES = {
    "public_supervision:plans": Case(
        everyone(200), query=lambda o: {"county": "428521000000", "year": "2026"}
    ),
    "supervision:index": Case(signed_in(200)),
    "supervision:plans": (
        Case(among(VIEWERS)),
        Case(writes(plans_post), "post", data=lambda o: {"department": _rs(), "year": YEAR + 5}),
    ),
    "supervision:plan_detail": Case(scoped(), targets=PLANS, kwargs=pk),
    "supervision:plan_item_add": Case(acting({"dept_clerk"}, TO_PLANS), "post", EDITABLE, pk, _item_form),
    "supervision:plan_item_remove": Case(
        acting({"dept_clerk"}, TO_PLANS), "post", ("sv_item",), pk, lambda o: {}
    ),
    "supervision:plan_submit": Case(acting({"dept_clerk"}, TO_PLANS), "post", EDITABLE, pk, VERSION),
    "supervision:plan_supplement_add": Case(
        acting({"dept_clerk"}, TO_PLANS), "post", PLANS, pk, _supplement_form
    ),
    "supervision:supplement_decide": Case(
        deciding_supplement(TO_PLANS),
        "post",
        SUPPLEMENTS,
        pk,
        lambda o: {"version": o.version, "decision": "approve"},
    ),
    "supervision:plan_decide": Case(
        deciding(TO_PLANS),
        "post",
        DECIDABLE,
        pk,
        lambda o: {"version": o.version, "decision": "approve"},
    ),
    "supervision:visits": Case(among(VIEWERS)),
    "supervision:visit_record": (
        Case(among(RECORDERS)),
        Case(visit_post(Redirect("/supervision/visits/")), "post", ("sv_taoyuan",), data=_visit_form),
    ),
    "supervision:visit_detail": Case(scoped(), targets=VISITS, kwargs=pk),
    "supervision:village": Case(scoped(), targets=VILLAGES, kwargs=code),
    "supervision:placard_add": (
        Case(acting(RECORDERS, 200), targets=VILLAGES, kwargs=code),
        Case(
            acting(RECORDERS, TO_VILLAGES),
            "post",
            VILLAGES,
            code,
            lambda o: {"kind": "wall_rule", "title": "矩阵"},
        ),
    ),
    "supervision:mechanism_add": (
        Case(acting(RECORDERS, 200), targets=VILLAGES, kwargs=code),
        Case(
            acting(RECORDERS, TO_VILLAGES),
            "post",
            VILLAGES,
            code,
            lambda o: {"name": "矩阵机制", "department_name": "县民政局"},
        ),
    ),
    "supervision:placard_remove": Case(acting(RECORDERS, TO_VILLAGES), "post", PLACARDS, pk, VERSION),
    "supervision:mechanism_remove": Case(acting(RECORDERS, TO_VILLAGES), "post", MECHANISMS, pk, VERSION),
    "supervision:placard_photo": Case(scoped(), targets=PLACARDS, kwargs=pk),
    "supervision:placards": Case(among(REGION_VIEWERS)),
    "supervision:placard_list": Case(among(VIEWERS)),
    "supervision:standard": (
        Case(among(REGION_VIEWERS)),
        Case(
            writes(among({"office"}, Redirect("/supervision/standard/"))),
            "post",
            data=lambda o: STANDARD_FORM,
        ),
    ),
    "api:supervision_plans": Case(among(VIEWERS, anon=401)),
    "api:supervision_plan_create": Case(
        writes(among({"dept_clerk"}, 201, anon=401)),
        "post",
        data=lambda o: {"department_id": _rs(), "year": YEAR + 5},
    ),
    "api:supervision_plan_detail": Case(scoped(anon=401), targets=PLANS, kwargs=pk),
    "api:supervision_item_add": Case(
        acting({"dept_clerk"}, 201, anon=401),
        "post",
        EDITABLE,
        pk,
        lambda o: {"kind": "inspection", "subject": "矩阵", "month": 4, "village_count": 1},
    ),
    "api:supervision_item_remove": Case(
        acting({"dept_clerk"}, 200, anon=401), "post", ("sv_item",), pk, lambda o: {}
    ),
    "api:supervision_plan_submit": Case(
        acting({"dept_clerk"}, 200, anon=401), "post", EDITABLE, pk, lambda o: {}
    ),
    "api:supervision_supplement_submit": Case(
        acting({"dept_clerk"}, 201, anon=401), "post", PLANS, pk, _supplement_api
    ),
    "api:supervision_supplement_decide": Case(
        deciding_supplement(200, anon=401), "post", SUPPLEMENTS, pk, lambda o: {"approve": True}
    ),
    "api:supervision_plan_decide": Case(
        deciding(200, anon=401), "post", DECIDABLE, pk, lambda o: {"approve": True}
    ),
    "api:supervision_visits": Case(among(VIEWERS, anon=401)),
    "api:supervision_visit_record": Case(api_visit_post, "post", VILLAGES, data=_visit_api),
    "api:supervision_visit_detail": Case(scoped(anon=401), targets=VISITS, kwargs=pk),
    "api:supervision_check": Case(api_check, targets=VILLAGES, query=_check_query),
    "api:supervision_village": Case(scoped(anon=401), targets=VILLAGES, kwargs=code),
    "api:supervision_placard_register": Case(
        acting(RECORDERS, 201, anon=401),
        "post",
        VILLAGES,
        code,
        lambda o: {"kind": "wall_rule", "title": "矩阵制度"},
    ),
    "api:supervision_placard_remove": Case(
        acting(RECORDERS, 200, anon=401), "post", PLACARDS, pk, lambda o: {}
    ),
    "api:supervision_placards": Case(among(VIEWERS, anon=401)),
    "api:supervision_mechanism_register": Case(
        acting(RECORDERS, 201, anon=401),
        "post",
        VILLAGES,
        code,
        lambda o: {"name": "矩阵机制", "department_name": "县民政局"},
    ),
    "api:supervision_mechanism_remove": Case(
        acting(RECORDERS, 200, anon=401), "post", MECHANISMS, pk, lambda o: {}
    ),
    "api:supervision_standard": Case(among(REGION_VIEWERS, anon=401)),
    "api:supervision_standard_save": Case(
        acting({"office"}, 200, anon=401), "put", COUNTIES, code, lambda o: STANDARD_API
    ),
    "api:supervision_stats": Case(among(REGION_VIEWERS, anon=401), query=lambda o: {"year": YEAR}),
}
