"""Permission-matrix cases for the monitoring app (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- viewers (monitoring.view, .publish or .manage on a region): the county office, chair, monitor and inspector;
  the township staff and the village and community cadres in their own subtree. Departments and grid workers
  are not viewers; a department sees the events behind a published bulletin that names it, and its own entries.
- the monitor (serving 桃园村) records events there; the office designates points and monitors;
- anyone at a village (cadres, grid workers, the monitor) reports clues for their own village only;
- the inspector reviews clues, drafts and publishes bulletins; the office or inspector re-checks events;
- the named department (县人社局's clerk) reports rectification; the monitor or inspector confirms or reopens.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jianfu.monitoring import services
from jianfu.monitoring.models import BurdenEvent, Finding, Origin, Verdict
from jianfu.monitoring.services import bulletins
from tests.matrix.base import ANON, LOGIN, Case, Redirect, everyone, pk, scoped, signed_in

COUNTY = {"office", "chair", "monitor", "inspector"}
TAOYUAN = COUNTY | {"town_hk", "village_cadre"}
JIEFANG = COUNTY | {"town_cg", "community_cadre"}
VIEWERS = COUNTY | {"town_hk", "town_cg", "village_cadre", "community_cadre"}
REPORTERS = {"monitor", "village_cadre", "community_cadre", "grid_worker"}
# The inspector is the one who publishes (monitoring.publish): these routes are its duty, not a breach of the
# separation of duties; tests/test_permission_matrix.py's inspector test merges this set into its own.
INSPECTOR_MAY = {
    "monitoring:clue_review",
    "monitoring:event_recheck",
    "monitoring:bulletin_new",
    "monitoring:bulletin_publish",
    "monitoring:entry_confirm",
    "monitoring:entry_reopen",
    "api:monitoring_clue_review",
    "api:monitoring_event_recheck",
    "api:monitoring_bulletin_draft",
    "api:monitoring_bulletin_publish",
    "api:monitoring_entry_confirm",
    "api:monitoring_entry_reopen",
    "monitoring:findings_decide",
    "monitoring:finding_department",
    "monitoring:finding_rectification",
    "api:monitoring_finding_decide",
    "api:monitoring_findings_decide",
    "api:monitoring_finding_department",
    "api:monitoring_finding_rectification",
}


def _day():
    return timezone.localdate() - timedelta(days=1)


def _setup(w) -> dict:
    """Points, an event, a clue, bulletins (published and draft) in 清河县 and one of each in 东岭县."""
    if "_monitoring" in w.__dict__:
        return w.__dict__["_monitoring"]
    day = _day()
    point = services.point_designate(actor=None, village=w.village_taoyuan)
    assignment = services.monitor_assign(actor=None, point=point, monitor=w.monitor)
    common = dict(kind="app", department=w.dept_rs, occurred_on=day, hours=1, description="要求每天APP打卡")
    event, _ = services.event_record(actor=w.monitor, village=w.village_taoyuan, **common)
    clue, _ = services.clue_report(actor=w.community_cadre, village=w.community_jiefang, **common)
    other = BurdenEvent.objects.create(
        village=w.other_village,
        region_code=w.other_village.code,
        kind="app",
        department=w.other_dept,
        occurred_on=day,
        description="东岭县APP打卡",
        origin=Origin.MONITOR,
        reporter=w.outsider,
        verdict=Verdict.VIOLATION,
        check_rule="APP",
    )
    with transaction.atomic():
        services.event_finding(other)
    earlier = {**common, "occurred_on": day - timedelta(days=2), "description": "要求APP积分排名"}
    earlier_event, _ = services.event_record(actor=w.monitor, village=w.village_taoyuan, **earlier)
    services.findings_decide(
        actor=None,
        # the clue waits; other apps' findings (made with their objects) are not judged here
        items=[(f.pk, f.version) for f in Finding.objects.filter(event__in=[event, other, earlier_event])],
        decision="confirm",
        reason="矩阵：属实",
    )
    published = bulletins.bulletin_draft(actor=None, region=w.county, period_start=day, period_end=day)
    bulletins.bulletin_publish(actor=None, bulletin=published)
    other_bulletin = bulletins.bulletin_draft(
        actor=None, region=w.other_county, period_start=day, period_end=day
    )
    made = {
        "mon_point": point,
        "mon_point_jiefang": services.point_designate(actor=None, village=w.community_jiefang),
        "mon_point_other": services.point_designate(actor=None, village=w.other_village),
        "mon_assignment": assignment,
        "mon_event": event,
        "mon_clue": clue,
        "mon_event_other": other,
        "mon_bulletin": published,
        "mon_bulletin_draft": bulletins.bulletin_draft(
            actor=None,
            region=w.township_hk,
            period_start=earlier["occurred_on"],
            period_end=earlier["occurred_on"],
        ),
        "mon_bulletin_other": other_bulletin,
        "mon_entry": published.entries.get(department=w.dept_rs),
        "mon_entry_other": other_bulletin.entries.get(),
        "mon_finding": event.findings.get(),  # published, naming 县人社局
        "mon_finding_clue": clue.findings.get(),  # pending
        "mon_finding_other": other.findings.get(),
    }
    w.__dict__["_monitoring"] = made
    return made


OBJECTS = {
    label: (lambda w, label=label: _setup(w)[label])
    for label in (
        "mon_point",
        "mon_point_jiefang",
        "mon_point_other",
        "mon_assignment",
        "mon_event",
        "mon_clue",
        "mon_event_other",
        "mon_bulletin",
        "mon_bulletin_draft",
        "mon_bulletin_other",
        "mon_entry",
        "mon_entry_other",
        "mon_finding",
        "mon_finding_clue",
        "mon_finding_other",
    )
}
SEES = {
    "mon_point": TAOYUAN,
    "mon_point_jiefang": JIEFANG,
    "mon_point_other": set(),
    "mon_assignment": TAOYUAN,
    "mon_event": TAOYUAN | {"dept_clerk"},  # 县人社局 is named by the published bulletin
    "mon_clue": JIEFANG,
    "mon_event_other": set(),
    "mon_bulletin": COUNTY | {"dept_clerk"},
    "mon_bulletin_draft": COUNTY | {"town_hk"},
    "mon_bulletin_other": set(),
    "mon_entry": COUNTY | {"dept_clerk"},
    "mon_entry_other": set(),
    "mon_finding": TAOYUAN | {"dept_clerk"},
    "mon_finding_clue": JIEFANG,  # still to be judged
    "mon_finding_other": set(),
}
POINTS = ("mon_point", "mon_point_jiefang", "mon_point_other")
EVENTS = ("mon_event", "mon_clue", "mon_event_other")
BULLETINS = ("mon_bulletin", "mon_bulletin_draft", "mon_bulletin_other")
ENTRIES = ("mon_entry", "mon_entry_other")
FINDINGS = ("mon_finding", "mon_finding_clue", "mon_finding_other")
# Confirming a rectification on the ground: the inspector, or the monitor serving the finding's village (桃园村).
FINDING_CONFIRMERS = {"mon_finding": {"monitor", "inspector"}, "mon_finding_clue": {"inspector"}}
# The inspector's decision and department on the pending clue's finding go through; on the published one: 400.
JUDGED = {"mon_finding_clue": 200}


# Policies ---------------------------------------------------------------------------------------------------


def only(people, ok, anon=LOGIN, writes=False, others=403):
    """Capability routes: ``ok`` for ``people``, 403 (or ``others``) for everyone else signed in."""

    def expect(p, t):
        if p == ANON:
            return anon
        return ok(p) if callable(ok) and p in people else ok if p in people else others

    expect.writes = writes
    return expect


def acts_on(people, ok, anon=LOGIN):
    """An action on an object: 404 when the object is out of sight, else ``ok`` for ``people``, else 403."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p not in SEES[t]:
            return 404
        return ok if p in people else 403

    expect.writes = True
    return expect


def _event_form(o):
    return {
        "village": "428521101201",
        "kind": "app",
        "department": _dept_rs(),
        "occurred_on": _day().isoformat(),
        "hours": "1",
        "description": "矩阵：APP打卡",
        "idempotency_key": "matrix-key",
    }


def _api_event(o):
    return {
        "village_code": "428521101201",
        "kind": "app",
        "department_id": _dept_rs(),
        "occurred_on": _day().isoformat(),
        "hours": 1,
        "description": "矩阵：APP打卡",
    }


def _dept_rs() -> int:
    from jianfu.orgs.models import Department

    return Department.objects.get(name="县人社局").pk


TO_EVENTS, TO_POINTS, TO_BULLETINS = (
    Redirect("/monitoring/events/"),
    Redirect("/monitoring/points/"),
    Redirect("/monitoring/bulletins/"),
)
TO_RETURNS = Redirect("/monitoring/returns/")


def _taoyuan_point() -> int:
    from jianfu.monitoring.models import MonitoringPoint

    return MonitoringPoint.objects.get(village__code="428521101201").pk


def _return_form() -> dict:
    return {"point": _taoyuan_point(), "day": _day().isoformat(), "note": "矩阵：本期报送"}


PERIOD = {"period_start": "2020-01-01", "period_end": "2099-12-31"}
CLUE_PAGE = {"monitor": TO_EVENTS, "village_cadre": TO_EVENTS, "community_cadre": 200, "grid_worker": 200}
CLUE_API = {"monitor": 201, "village_cadre": 201, "community_cadre": 404, "grid_worker": 404}
CONFIRMERS = {"monitor", "inspector"}

ROUTES = {
    "monitoring:index": Case(signed_in(200)),
    "monitoring:rollup_rebuild": (
        Case(signed_in(405)),
        Case(only({"office"}, Redirect("/jobs/work/"), writes=True), "post"),
    ),
    "monitoring:bulletin_docx_work": Case(
        lambda p, t: LOGIN if p == ANON else (Redirect("/jobs/work/") if p in SEES[t] else 404),
        "post",
        BULLETINS,
        pk,
    ),
    "monitoring:dashboard": (
        Case(only(VIEWERS, 200)),
        Case(
            only(VIEWERS, lambda p: 200 if p in COUNTY else 404), query=lambda o: {"region": "428521000000"}
        ),
    ),
    "monitoring:event_new": (
        Case(only({"monitor"}, 200)),
        Case(only({"monitor"}, TO_EVENTS, writes=True), "post", data=_event_form),
    ),
    "monitoring:clue_new": (
        Case(only(REPORTERS, 200)),
        Case(only(REPORTERS, lambda p: CLUE_PAGE[p], writes=True), "post", data=_event_form),
    ),
    "monitoring:my_clues": Case(only(REPORTERS, 200)),
    "monitoring:events": (
        Case(only(VIEWERS, 200)),
        Case(
            only(VIEWERS, 200), query=lambda o: {"region": "428521000000", "kind": "app", "month": "2026-01"}
        ),
    ),
    "monitoring:event_detail": Case(scoped(), targets=EVENTS, kwargs=pk),
    "monitoring:event_photo": Case(lambda p, t: LOGIN if p == ANON else 404, targets=EVENTS, kwargs=pk),
    "monitoring:clue_review": Case(
        acts_on({"inspector"}, Redirect("/monitoring/events/")),
        "post",
        ("mon_clue", "mon_event_other"),
        pk,
        lambda o: {"decision": "accept", "note": "经核实属实"},
    ),
    "monitoring:event_recheck": Case(
        acts_on({"inspector", "office"}, Redirect("/monitoring/events/")),
        "post",
        ("mon_event", "mon_event_other"),
        pk,
    ),
    "monitoring:points": (
        Case(only(VIEWERS, 200)),
        Case(only({"office"}, TO_POINTS, writes=True), "post", data=lambda o: {"village": "428521101202"}),
    ),
    "monitoring:point_detail": (
        Case(scoped(), targets=POINTS, kwargs=pk),
        Case(
            acts_on({"office"}, TO_POINTS),
            "post",
            ("mon_point_jiefang", "mon_point_other"),
            pk,
            lambda o: {"monitor": _monitor_pk()},
        ),
    ),
    "monitoring:assignment_end": Case(acts_on({"office"}, TO_POINTS), "post", ("mon_assignment",), pk),
    "monitoring:bulletins": Case(only(VIEWERS | {"dept_clerk", "member"}, 200)),
    "monitoring:bulletin_new": (
        Case(only({"inspector"}, 200)),
        Case(
            only({"inspector"}, TO_BULLETINS, writes=True),
            "post",
            data=lambda o: {"region": "428521000000", **PERIOD},
        ),
    ),
    "monitoring:bulletin_detail": Case(scoped(), targets=BULLETINS, kwargs=pk),
    "monitoring:bulletin_docx": Case(scoped(), targets=BULLETINS, kwargs=pk),
    "monitoring:bulletin_publish": Case(
        acts_on({"inspector"}, TO_BULLETINS), "post", ("mon_bulletin_draft", "mon_bulletin_other"), pk
    ),
    "monitoring:entry_rectify": Case(
        acts_on({"dept_clerk"}, TO_BULLETINS), "post", ENTRIES, pk, lambda o: {"text": "矩阵：已整改"}
    ),
    # The entry is still pending: a confirmer is sent back with a message, nothing changes.
    "monitoring:entry_confirm": Case(acts_on(CONFIRMERS, TO_BULLETINS), "post", ENTRIES, pk),
    "monitoring:entry_reopen": Case(
        acts_on(CONFIRMERS, TO_BULLETINS), "post", ENTRIES, pk, lambda o: {"text": "矩阵：仍未整改"}
    ),
    "monitoring:findings": (
        Case(only(VIEWERS, 200)),
        Case(
            only(VIEWERS, 200), query=lambda o: {"source": "event", "state": "violations", "month": "2026-01"}
        ),
    ),
    "monitoring:finding_detail": Case(scoped(), targets=FINDINGS, kwargs=pk),
    "monitoring:findings_figures": Case(only(VIEWERS, 200), query=lambda o: {"year": "2026"}),
    # Published findings: the inspector is sent back with a message (a published finding is not re-judged).
    "monitoring:findings_decide": Case(
        only({"inspector"}, Redirect("/monitoring/findings/"), writes=True),
        "post",
        data=lambda o: {"decision": "confirm", "reason": "矩阵"},
    ),
    "monitoring:finding_department": Case(
        acts_on({"inspector"}, Redirect("/monitoring/findings/")),
        "post",
        FINDINGS,
        pk,
        lambda o: {"department": _dept_rs()},
    ),
    "monitoring:finding_rectification": Case(
        lambda p, t: acts_on(FINDING_CONFIRMERS.get(t, set()), Redirect("/monitoring/findings/"))(p, t),
        "post",
        FINDINGS,
        pk,
        lambda o: {"decision": "accept"},
    ),
    # Public pages: published bulletins only, for everyone (no login).
    "public_monitoring:bulletins": Case(everyone(200), query=lambda o: {"county": "428521000000"}),
    "public_monitoring:bulletin": Case(
        lambda p, t: 200 if t == "mon_bulletin" else 404, targets=BULLETINS, kwargs=pk
    ),
    # API
    "api:monitoring_findings": Case(only(VIEWERS, 200, anon=401), query=lambda o: {"state": "published"}),
    "api:monitoring_findings_figures": Case(only(VIEWERS, 200, anon=401), query=lambda o: {"year": 2026}),
    "api:monitoring_finding": Case(scoped(anon=401), targets=FINDINGS, kwargs=pk),
    "api:monitoring_finding_decide": Case(
        lambda p, t: acts_on({"inspector"}, JUDGED.get(t, 400), anon=401)(p, t),
        "post",
        FINDINGS,
        pk,
        lambda o: {"decision": "confirm", "reason": "矩阵"},
    ),
    "api:monitoring_findings_decide": Case(
        only({"inspector"}, 400, anon=401, writes=True),
        "post",
        data=lambda o: {"findings": [], "decision": "confirm", "reason": "矩阵"},
    ),
    "api:monitoring_finding_department": Case(
        lambda p, t: acts_on({"inspector"}, JUDGED.get(t, 400), anon=401)(p, t),
        "post",
        FINDINGS,
        pk,
        lambda o: {"department_id": _dept_rs()},
    ),
    "api:monitoring_finding_rectification": Case(
        lambda p, t: acts_on(FINDING_CONFIRMERS.get(t, set()), 400, anon=401)(p, t),
        "post",
        FINDINGS,
        pk,
        lambda o: {"accept": True},
    ),
    "monitoring:returns": (
        Case(only(VIEWERS, 200)),
        Case(only({"monitor"}, TO_RETURNS, writes=True), "post", data=lambda o: _return_form()),
    ),
    "api:monitoring_returns": Case(only(VIEWERS, 200, anon=401)),
    "api:monitoring_return_file": Case(
        only({"monitor"}, 201, anon=401, writes=True),
        "post",
        data=lambda o: {"point": _taoyuan_point(), "day": _day().isoformat()},
    ),
    "api:monitoring_points": Case(only(VIEWERS, 200, anon=401)),
    "api:monitoring_point_designate": Case(
        only({"office"}, 201, anon=401, writes=True), "post", data=lambda o: {"village_code": "428521101202"}
    ),
    "api:monitoring_monitor_assign": Case(
        acts_on({"office"}, 201, anon=401),
        "post",
        ("mon_point_jiefang", "mon_point_other"),
        pk,
        lambda o: {"username": "monitor"},
    ),
    "api:monitoring_monitor_unassign": Case(
        acts_on({"office"}, 200, anon=401), "post", ("mon_assignment",), pk
    ),
    "api:monitoring_event_record": Case(
        only({"monitor"}, 201, anon=401, writes=True), "post", data=_api_event
    ),
    "api:monitoring_clue_report": Case(
        only(REPORTERS, lambda p: CLUE_API[p], anon=401, writes=True), "post", data=_api_event
    ),
    "api:monitoring_my_clues": Case(only(REPORTERS, 200, anon=401)),
    "api:monitoring_events": Case(only(VIEWERS, 200, anon=401), query=lambda o: {"kind": "app"}),
    "api:monitoring_event": Case(scoped(anon=401), targets=EVENTS, kwargs=pk),
    "api:monitoring_clue_review": Case(
        acts_on({"inspector"}, 200, anon=401),
        "post",
        ("mon_clue", "mon_event_other"),
        pk,
        lambda o: {"accept": True, "note": "经核实属实"},
    ),
    "api:monitoring_event_recheck": Case(
        acts_on({"inspector", "office"}, 200, anon=401), "post", ("mon_event", "mon_event_other"), pk
    ),
    "api:monitoring_dashboard": Case(only(VIEWERS, 200, anon=401)),
    "api:monitoring_bulletins": Case(only(VIEWERS | {"dept_clerk", "member"}, 200, anon=401)),
    "api:monitoring_bulletin_draft": Case(
        only({"inspector"}, 201, anon=401, writes=True),
        "post",
        data=lambda o: {"region_code": "428521000000", **PERIOD},
    ),
    "api:monitoring_bulletin": Case(scoped(anon=401), targets=BULLETINS, kwargs=pk),
    "api:monitoring_bulletin_publish": Case(
        acts_on({"inspector"}, 200, anon=401), "post", ("mon_bulletin_draft", "mon_bulletin_other"), pk
    ),
    "api:monitoring_entry_rectify": Case(
        acts_on({"dept_clerk"}, 200, anon=401), "post", ENTRIES, pk, lambda o: {"text": "矩阵：已整改"}
    ),
    "api:monitoring_entry_confirm": Case(acts_on(CONFIRMERS, 400, anon=401), "post", ENTRIES, pk),
    "api:monitoring_entry_reopen": Case(
        acts_on(CONFIRMERS, 400, anon=401), "post", ENTRIES, pk, lambda o: {"text": "矩阵：仍未整改"}
    ),
}


def _monitor_pk() -> int:
    from jianfu.orgs.models import User

    return User.objects.get(username="monitor").pk
