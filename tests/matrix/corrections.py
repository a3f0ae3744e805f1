"""Permission-matrix cases for people's judgements of the classifier (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- a request or correction is seen by the region roles over its county (the office, the chair, the monitor, the
  inspector, the county's administrator) and by the person who asked;
- the review office decides requests from the pre-check, the village's check, the decline and the comparison
  page; the inspector decides monitoring events' verdicts (not walked here: reached from an event's page);
- villages (and the township above them) ask the office about a check.
"""

from jianfu.catalog.corrections import review_request
from tests.matrix.admission import acting, only
from tests.matrix.base import COUNTY_WIDE, Case, Redirect, pk, signed_in

TEXT = "矩阵：请村里为农商银行推销理财产品"
OFFICE = {"office"}
ASKERS = {"village_cadre", "town_hk"}


def _pending(w):
    return review_request(actor=w.village_cadre, source="village_check", region=w.village_taoyuan, text=TEXT)


def _other(w):
    return review_request(actor=None, source="village_check", region=w.other_village, text=TEXT)


SEES = {
    "corr_pending": COUNTY_WIDE | {"village_cadre"},
    "corr_other": {"outsider"},
}
OBJECTS = {"corr_pending": _pending, "corr_other": _other}
DECIDE = {"corrected_verdict": "unlisted", "item": "", "reason": "矩阵：确认清单外"}
TARGETS = ("corr_pending", "corr_other")


def _visible(p, t):
    return 200 if p in SEES[t] else 404


ROUTES = {
    "catalog:corrections": Case(signed_in(200)),
    "catalog:correction": (
        Case(
            lambda p, t: Redirect("/accounts/login/") if p == "anonymous" else _visible(p, t),
            targets=TARGETS,
            kwargs=pk,
        ),
        Case(
            acting(OFFICE, lambda t: Redirect("/lists/corrections/"), SEES),
            "post",
            TARGETS,
            pk,
            lambda c: {**DECIDE, "version": c.version},
        ),
    ),
    "catalog:correction_new": (
        Case(only(OFFICE, 200), query=lambda o: {"source": "classify", "text": TEXT, "mode": "work"}),
        Case(
            only(OFFICE, Redirect("/lists/corrections/")),
            "post",
            data=lambda o: {"source": "classify", "text": TEXT, "mode": "work", **DECIDE},
        ),
    ),
    "admission:check_ask": Case(
        only({"village_cadre", "community_cadre"}, Redirect("/admission/check/")),
        "post",
        data=lambda o: {"text": TEXT, "question": "矩阵"},
    ),
    "api:catalog_corrections": Case(signed_in(200, anon=401)),
    "api:catalog_correction_create": Case(
        only(OFFICE, 201, anon=401),
        "post",
        data=lambda o: {**DECIDE, "item_id": None, "region_code": "428521101201", "text": TEXT},
    ),
    "api:catalog_correction_decide": Case(
        acting(OFFICE, lambda t: 200, SEES, anon=401),
        "post",
        TARGETS,
        pk,
        lambda c: {**DECIDE, "item_id": None, "version": c.version},
    ),
    "api:catalog_review_request": Case(
        only(ASKERS, 201, anon=401),
        "post",
        data=lambda o: {"region_code": "428521101201", "text": TEXT, "question": "矩阵"},
    ),
}
