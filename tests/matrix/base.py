"""The permission matrix's vocabulary: expected outcomes, policies and the ``Case`` a route is checked with.

Each domain keeps its own cases in ``tests/matrix/<app>.py`` (``ROUTES``, ``OBJECTS`` and its ``SEES`` rows);
``tests/test_permission_matrix.py`` merges them and walks the URL resolver.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conftest import PERSONAS

ANON = "anonymous"
ALL = [*PERSONAS, ANON]


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with ``prefix``."""

    prefix: str


LOGIN = Redirect("/accounts/login/")
ADMIN_LOGIN = Redirect("/admin/login/")
ERROR_CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}

# Scope, written out by hand rather than computed from the code under test.
COUNTY_WIDE = {"admin", "office", "chair", "monitor", "inspector"}  # region roles on 清河县
MANAGERS = {"admin", "outsider"}  # role admin is the only one with orgs.manage
AUDITORS = {"inspector"}
SEES = {
    "province": set(),  # nobody in the demo is granted the province
    "county": COUNTY_WIDE,
    "township_hk": COUNTY_WIDE | {"town_hk"},
    "village_taoyuan": COUNTY_WIDE | {"town_hk", "village_cadre"},
    "community_jiefang": COUNTY_WIDE | {"town_cg", "community_cadre", "grid_worker"},
    "other_county": {"outsider"},
    "other_township": {"outsider"},
    "other_village": {"outsider"},
    "dept_rs": COUNTY_WIDE | {"dept_clerk"},  # the department role sees its own department only
    "dept_hk": COUNTY_WIDE | {"town_hk"},
    "dept_bb": COUNTY_WIDE | {"member"},
    "other_dept": {"outsider"},
    "user_taoyuan": COUNTY_WIDE | {"town_hk", "village_cadre"},
    "user_rs_clerk": COUNTY_WIDE | {"dept_clerk"},
    "user_outsider": {"outsider"},
    # Lists: issued lists are public documents; drafts stay inside the drafting region's subtree.
    "list_published": set(PERSONAS),
    "list_draft": COUNTY_WIDE,
    "other_list_draft": {"outsider"},
}
CATALOG_MANAGERS = {"office"}  # the review committee's office (县民政局) keeps 清河县's lists


# Policies: (persona, target label) -> expected outcome ----------------------------------------------


def everyone(status):
    return lambda p, t: status


def signed_in(status, anon=LOGIN):
    return lambda p, t: anon if p == ANON else status


def scoped(anon=LOGIN):
    return lambda p, t: anon if p == ANON else (200 if p in SEES[t] else 404)


def managers(ok, anon=LOGIN, load_first=False, foreign=404):
    """Only orgs.manage; ``load_first``: the view loads the object (404) before checking the capability."""

    def expect(p, t):
        if p == ANON:
            return anon
        visible = t is None or p in SEES[t]
        if load_first and not visible:
            return 404
        if p not in MANAGERS:
            return 403
        return ok if visible else foreign

    expect.writes = True
    return expect


def auditors(ok, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in AUDITORS else 403)


def catalog_writes(ok, anon=LOGIN):
    """Only catalog.manage (the committee office) on the list's region; the list is loaded first (404)."""

    def expect(p, t):
        if p == ANON:
            return anon
        if t is not None and p not in SEES[t]:
            return 404
        return ok if p in CATALOG_MANAGERS else 403

    expect.writes = True
    return expect


def not_oneself(policy):
    """Nobody grants themselves a role: a manager acting on their own account is refused (403)."""

    def expect(p, t):
        return 403 if (p, t) == ("outsider", "user_outsider") else policy(p, t)

    expect.writes = True
    return expect


def owner_only(owner, ok):
    return lambda p, t: LOGIN if p == ANON else (ok if p == owner else 404)


@dataclass(frozen=True)
class Case:
    expect: Callable[[str, str | None], Any]
    method: str = "get"
    targets: tuple = (None,)
    kwargs: Callable[[Any], dict] = lambda obj: {}
    data: Callable[[Any], dict] | None = None
    logs_out: bool = False
    query: Callable[[Any], dict] | None = None  # GET parameters


def _cases(entry) -> tuple[Case, ...]:
    return entry if isinstance(entry, tuple) else (entry,)


def code(obj):
    return {"code": obj.code}


def pk(obj):
    return {"pk": obj.pk}
