"""Permission-matrix cases for publishing lists (merged by tests/test_permission_matrix.py).

Only the committee office keeps a region's lists (``catalog_writes``), and separation of duties holds on top of
that: the clerk who drafted a version may open its publishing page but not publish it (403); another office
clerk does, recording the two bodies that studied and approved it, with their dates.
"""

from jianfu.catalog import services
from tests.matrix.base import COUNTY_WIDE, LOGIN, Case, Redirect, catalog_writes, pk

DRAFTS = ("list_draft", "other_list_draft", "list_draft_by_office")
LIST_PAGE = Redirect("/lists/")


def _drafted_by_office(w):
    draft = services.worklist_start_draft(
        actor=w.office, kind="duty", region=w.county, title="矩阵履职清单（本人起草）"
    )
    services.item_save(actor=w.office, work_list=draft, code="M-901", content="矩阵事项：调解邻里纠纷")
    draft.refresh_from_db()
    return draft


def not_the_drafter(ok, anon=LOGIN):
    """``catalog_writes``, except that the office clerk who drafted ``list_draft_by_office`` is refused."""
    writes = catalog_writes(ok, anon)

    def expect(p, t):
        if p == "office" and t == "list_draft_by_office":
            return 403
        return writes(p, t)

    expect.writes = True
    return expect


def _publish_form(w) -> dict:
    return {
        "revision": w.revision,
        "effective_from": "2025-01-01",
        "studied_by": "县政府常务会议",
        "studied_on": "2024-12-10",
        "approved_by": "县委常委会会议",
        "approved_on": "2024-12-20",
    }


OBJECTS = {"list_draft_by_office": _drafted_by_office}
SEES = {"list_draft_by_office": COUNTY_WIDE}
ROUTES = {
    "catalog:publish": (
        Case(catalog_writes(200), targets=DRAFTS, kwargs=pk),
        Case(not_the_drafter(LIST_PAGE), "post", DRAFTS, pk, _publish_form),
    ),
    "api:publish": Case(not_the_drafter(200, anon=401), "post", DRAFTS, pk, _publish_form),
}
