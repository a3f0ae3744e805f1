"""Permission-matrix cases for the grid app and its Open311 endpoints (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- grid pages and API need grid.view: everyone but the administrators and the monitor (403);
- an event is seen inside the viewer's region subtree (county office, chair, inspector; 城关街道; 解放路社区's cadre
  and grid worker) or by the department it is dispatched to (县人社局's clerk); other viewers get 404;
- reporting: grid workers, village/community cadres and the centres (county office, townships) where they work;
- dispatching and grids: the centres (county office, 城关街道 for 解放路社区); the classification: the county office;
- accepting, returning, reporting back: the department the event went to; verifying: the reporter or a centre;
- the burden tap: grid workers and village/community cadres;
- the rating page and Open311 reads are public; creating an Open311 request needs an api_key (403 without).
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import PERSONAS
from tests.matrix.base import ANON, LOGIN, Case, Redirect, everyone, pk

NO_VIEW = {"admin", "monitor", "outsider"}
VIEWERS = set(PERSONAS) - NO_VIEW
REPORTERS = {"office", "town_hk", "town_cg", "village_cadre", "community_cadre", "grid_worker"}
JIEFANG_REPORTERS = {"office", "town_cg", "community_cadre", "grid_worker"}
CENTRES = {"office", "town_hk", "town_cg"}
JIEFANG_CENTRES = {"office", "town_cg"}
TAPPERS = {"village_cadre", "community_cadre", "grid_worker"}
JIEFANG_REGION = {"office", "chair", "inspector", "town_cg", "community_cadre", "grid_worker"}
SEES = {
    "grid_event_jf": JIEFANG_REGION | {"dept_clerk"},
    "grid_event_handled": JIEFANG_REGION | {"dept_clerk"},
    "grid_event_reported": JIEFANG_REGION,
    "grid_class": VIEWERS,
    "grid_grid": JIEFANG_REGION,
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, format="PNG")
    return out.getvalue()


def _setup(w) -> dict:
    if "_grid" in w.__dict__:
        return w.__dict__["_grid"]
    from jianfu.grid import demo
    from jianfu.grid.services import events as workflow

    grids = demo.load_grids()
    classes = {c.code: c for c in demo.load_classes()}

    def filed(code, building, **extra):
        report = workflow.Report(
            event_class=classes[code],
            community=w.community_jiefang,
            place="矩阵路口",
            description="矩阵事件",
            building=building,
            **extra,
        )
        return workflow.event_report(actor=w.grid_worker, report=report)[0]

    handled = filed("LB-01", "解放路2号楼")
    workflow.event_accept(actor=w.dept_clerk, event=handled)
    handled = workflow.event_feedback(actor=w.dept_clerk, event=handled, result="已处置")
    made = {
        "grid_event_jf": filed(
            "LB-01", "解放路1号楼", photo=SimpleUploadedFile("现场.png", _png()), resident_phone="13900000000"
        ),
        "grid_event_handled": handled,
        "grid_event_reported": filed("MD-01", "解放路4号楼"),
        "grid_class": classes["SR-01"],
        "grid_grid": grids[0],
    }
    w.__dict__["_grid"] = made
    return made


OBJECTS = {label: (lambda w, label=label: _setup(w)[label]) for label in SEES}
OBJECTS["grid_community"] = lambda w: w.community_jiefang
OBJECTS["grid_dept_rs"] = lambda w: w.dept_rs
SEES["grid_community"] = JIEFANG_REGION
SEES["grid_dept_rs"] = set(PERSONAS)
EVENTS = ("grid_event_jf", "grid_event_handled", "grid_event_reported")


def viewers(ok=200, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in VIEWERS else 403)


def only(people, ok, anon=LOGIN, otherwise=403):
    def expect(p, t):
        return anon if p == ANON else (ok if p in people else otherwise)

    expect.writes = True
    return expect


def scoped_view(ok=200, anon=LOGIN):
    return lambda p, t: anon if p == ANON else 403 if p in NO_VIEW else ok if p in SEES[t] else 404


def acts(people, ok, anon=LOGIN):
    """A step on an event: 403 without grid.view, 404 out of sight, ``ok`` for ``people``, else 403."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p in NO_VIEW:
            return 403
        if p not in SEES[t]:
            return 404
        return ok(p) if callable(ok) else (ok if p in people else 403)

    expect.writes = True
    return expect


def reporting(ok, outside, anon=LOGIN):
    """Filing an event in 解放路社区: the reporters who work there; reporters elsewhere get ``outside``."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p not in REPORTERS:
            return 403
        return ok if p in JIEFANG_REPORTERS else outside

    expect.writes = True
    return expect


def _web_report(w):
    return {
        "community": w.pk,
        "event_class": _setup_class(w, "SR-01"),
        "place": "矩阵广场",
        "building": "解放路11号楼",
        "description": "矩阵：路面垃圾",
        "idempotency_key": "matrix-web",
        "ignore_duplicates": "1",
    }


def _setup_class(region, code):
    from jianfu.grid.models import EventClass

    return EventClass.objects.get(code=code, region__code="428521000000").pk


def _api_report(region):
    return {
        "class_code": "SR-01",
        "community_code": region.code,
        "place": "矩阵广场",
        "building": "解放路11号楼",
        "description": "矩阵：路面垃圾",
        "idempotency_key": "matrix-api",
    }


def _grid_form(region):
    return {"community": region.pk, "name": "矩阵网格", "buildings": "矩阵新楼1栋\n矩阵新楼2栋"}


def _class_form(c):
    return {
        "code": c.code,
        "name": c.name + "（矩阵）",
        "kind": c.kind,
        "department": c.department_id or "",
        "deadline_value": c.deadline_value,
        "deadline_unit": c.deadline_unit,
        "duplicate_metres": 100,
        "is_public": "on",
        "is_active": "on",
        "version": c.version,
    }


def _event_url(action):
    return lambda e: {"pk": e.pk, "action": action}


def _grid_new_post():
    """The centres over 解放路社区 create the grid; 河口镇's centre cannot pick that community (form error)."""

    def expect(p, t):
        if p == ANON:
            return LOGIN
        if p not in CENTRES:
            return 403
        return Redirect("/grid/grids/") if p in JIEFANG_CENTRES else 200

    expect.writes = True
    return expect


def _dept_rs_pk():
    from jianfu.orgs.models import Department

    return Department.objects.get(name="县人社局").pk


TO_EVENT = Redirect("/grid/events/")
API_VERIFIERS = JIEFANG_CENTRES | {"grid_worker"}

ROUTES = {
    "grid:index": (Case(viewers()), Case(viewers(), query=lambda o: {"flag": "overdue", "month": "2026-01"})),
    "grid:report": (
        Case(only(REPORTERS, 200)),
        Case(reporting(TO_EVENT, 200), "post", ("grid_community",), data=_web_report),
    ),
    "grid:event": Case(scoped_view(), targets=EVENTS, kwargs=pk),
    "grid:event_photo": Case(scoped_view(), targets=("grid_event_jf",), kwargs=pk),
    "grid:event_act": (
        Case(
            lambda p, t: LOGIN if p == ANON else 405, targets=("grid_event_jf",), kwargs=_event_url("accept")
        ),
        Case(acts({"dept_clerk"}, TO_EVENT), "post", ("grid_event_jf",), _event_url("accept")),
        Case(
            acts({"dept_clerk"}, TO_EVENT),
            "post",
            ("grid_event_jf",),
            _event_url("return"),
            lambda o: {"reason": "矩阵：不属本部门"},
        ),
        Case(
            acts(API_VERIFIERS, TO_EVENT),
            "post",
            ("grid_event_handled",),
            _event_url("verify"),
            lambda o: {"passed": "1"},
        ),
        Case(acts(JIEFANG_REPORTERS, TO_EVENT), "post", ("grid_event_jf",), _event_url("follow")),
        Case(
            acts(JIEFANG_CENTRES, TO_EVENT),
            "post",
            ("grid_event_reported",),
            _event_url("dispatch"),
            lambda o: {"department": _dept_rs_pk()},
        ),
    ),
    "grid:stats": Case(viewers(), query=lambda o: {"year": "2026"}),
    "grid:grids": Case(viewers()),
    "grid:grid_new": (
        Case(only(CENTRES, 200)),
        Case(_grid_new_post(), "post", ("grid_community",), data=_grid_form),
    ),
    "grid:grid_edit": Case(
        lambda p, t: LOGIN if p == ANON else 403 if p not in CENTRES else 200 if p in SEES[t] else 404,
        targets=("grid_grid",),
        kwargs=pk,
    ),
    "grid:classes": Case(viewers()),
    "grid:class_new": Case(only(CENTRES, 200)),
    "grid:class_edit": (
        Case(only(CENTRES, 200), targets=("grid_class",), kwargs=pk),
        Case(only({"office"}, Redirect("/grid/classes/")), "post", ("grid_class",), pk, _class_form),
    ),
    "grid:burden": Case(only(TAPPERS, 200)),
    "public_grid:rate": Case(everyone(200), query=lambda o: {"code": "ABCDEFGH"}),
    "public_grid:report": (
        Case(everyone(200)),
        Case(
            everyone(Redirect("/public/grid/status/?code=")),
            "post",
            ("grid_class",),
            data=lambda c: {
                "community": c.region.code[:6] + "001001",  # 解放路社区, under the class's county
                "event_class": c.pk,
                "place": "解放路 3 号楼下",
                "description": "垃圾堆了三天没人清运",
            },
        ),
        Case(everyone(200), "post", ("grid_class",), data=lambda c: {"community": "", "description": ""}),
    ),
    "public_grid:status": Case(everyone(200), query=lambda o: {"code": "ABCDEFGH"}),
    "public_grid:locate": Case(everyone(200), query=lambda o: {"lat": "30.5133", "lng": "114.3022"}),
    # Open311 GeoReport v2: public reads; a create without api_key is refused (403) for everyone.
    "open311:services": (
        Case(everyone(200), kwargs=lambda o: {"fmt": "json"}, targets=("grid_class",)),
        Case(everyone(200), kwargs=lambda o: {"fmt": "xml"}, targets=("grid_class",)),
    ),
    "open311:service_definition": Case(
        everyone(200), targets=("grid_class",), kwargs=lambda c: {"code": c.code, "fmt": "json"}
    ),
    "open311:requests": (
        Case(everyone(200), targets=("grid_class",), kwargs=lambda o: {"fmt": "json"}),
        Case(
            everyone(403),
            "post",
            ("grid_class",),
            lambda o: {"fmt": "json"},
            lambda c: {"service_code": c.code, "address_string": "解放路1号楼"},
        ),
    ),
    "open311:request": Case(
        everyone(200), targets=("grid_event_jf",), kwargs=lambda e: {"request_id": e.number, "fmt": "json"}
    ),
    # JSON API
    "api:grid_classes": Case(viewers(anon=401)),
    "api:grid_grids": Case(viewers(anon=401)),
    "api:grid_events": Case(viewers(anon=401), query=lambda o: {"status": "dispatched"}),
    "api:grid_event_report": Case(
        reporting(201, 404, anon=401), "post", ("grid_community",), data=_api_report
    ),
    "api:grid_inbound": Case(
        reporting(201, 404, anon=401),
        "post",
        ("grid_community",),
        data=lambda r: {**_api_report(r), "source_system": "12345", "idempotency_key": "M-1"},
    ),
    "api:grid_event_duplicates": Case(
        lambda p, t: 401 if p == ANON else 403 if p in NO_VIEW else 200 if p in JIEFANG_REGION else 404,
        targets=("grid_community",),
        query=lambda r: {"class_code": "LB-01", "community_code": r.code, "building": "解放路1号楼"},
    ),
    "api:grid_event_detail": Case(scoped_view(anon=401), targets=EVENTS, kwargs=pk),
    "api:grid_event_dispatch": Case(
        acts(JIEFANG_CENTRES, 200, anon=401),
        "post",
        ("grid_event_reported",),
        pk,
        lambda o: {"department_id": _dept_rs_pk()},
    ),
    "api:grid_event_accept": Case(acts({"dept_clerk"}, 200, anon=401), "post", ("grid_event_jf",), pk),
    "api:grid_event_return": Case(
        acts({"dept_clerk"}, 200, anon=401),
        "post",
        ("grid_event_jf",),
        pk,
        lambda o: {"reason": "矩阵：不属本部门"},
    ),
    # Reporting back before accepting is refused (400) even for the handler.
    "api:grid_event_feedback": Case(
        acts({"dept_clerk"}, 400, anon=401),
        "post",
        ("grid_event_jf",),
        pk,
        lambda o: {"result": "矩阵：已处置"},
    ),
    "api:grid_event_verify": Case(
        acts(API_VERIFIERS, 200, anon=401), "post", ("grid_event_handled",), pk, lambda o: {"passed": True}
    ),
    "api:grid_stats": Case(viewers(anon=401)),
    "api:grid_burden": Case(
        only(TAPPERS, 201, anon=401),
        "post",
        ("grid_dept_rs",),
        data=lambda d: {
            "kind": "form",
            "department_id": d.pk,
            "occurred_on": "2026-01-05",
            "description": "矩阵：要求填报统计表",
        },
    ),
}


INSPECTOR_MAY = {"public_grid:report"}  # a resident's report is open to anyone on the public page
