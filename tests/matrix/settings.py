"""Permission-matrix cases for region settings (区划设置; merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- reading a county's settings page and API: everyone whose work the county's rules govern (every persona of
  清河县, whatever their role: department clerks, townships and villages too); the neighbouring county's
  administrator sees only 东岭县's (another county's is a 404);
- adding a version: only the review committee's office (县民政局, capability 调整本地区设置) on its own county;
  anyone else who reads the page is refused (403).
"""

from django.utils import timezone

from tests.conftest import PERSONAS
from tests.matrix.base import ANON, LOGIN, Case, Redirect, code

QINGHE = set(PERSONAS) - {"outsider"}
EDITORS = {"office"}
OBJECTS = {"settings_county": lambda w: w.county, "settings_other_county": lambda w: w.other_county}
SEES = {"settings_county": QINGHE, "settings_other_county": {"outsider"}}
COUNTIES = tuple(OBJECTS)
TO_SETTINGS = Redirect("/orgs/settings/")
KEY = "admission.step_limit.submitted"


def readers(ok, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p in SEES[t] else 404)


def editors(ok, anon=LOGIN):
    def expect(p, t):
        if p == ANON:
            return anon
        if p not in SEES[t]:
            return 404
        return ok if p in EDITORS else 403

    expect.writes = True
    return expect


def _key(region):
    return {"code": region.code, "key": KEY}


def _form(region):
    return {"value": "7", "effective_from": timezone.localdate().isoformat(), "reason": "矩阵"}


def _json(region):
    return {"value": 7, "effective_from": timezone.localdate().isoformat(), "reason": "矩阵"}


ROUTES = {
    "orgs:settings_index": Case(lambda p, t: LOGIN if p == ANON else TO_SETTINGS),
    "orgs:settings_table": Case(readers(200), targets=COUNTIES, kwargs=code),
    "orgs:setting_edit": (
        Case(editors(200), targets=COUNTIES, kwargs=_key),
        Case(editors(TO_SETTINGS), "post", COUNTIES, _key, _form),
    ),
    "api:settings_table": Case(readers(200, anon=401), targets=COUNTIES, kwargs=code),
    "api:setting_detail": Case(readers(200, anon=401), targets=COUNTIES, kwargs=_key),
    "api:setting_set": Case(editors(200, anon=401), "put", COUNTIES, _key, _json),
}
