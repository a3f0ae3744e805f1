"""Permission-matrix cases for process cards (谁交办任务、谁建立流程).

- departments (县人社局's clerk, and the member unit 县委编办: catalog.card on their own department) write and
  submit their own department's cards; the review office (catalog.manage on 清河县) reviews them;
- drafts and submissions are seen by the writing department and the office; accepted cards are public.
"""

from jianfu.catalog import cards
from jianfu.catalog.reference import REFERENCE_DIR, load_reference_file
from tests.matrix.base import ANON, LOGIN, PERSONAS, Case, Redirect, everyone, pk

WRITERS = {"dept_clerk", "member"}
OFFICE = {"office"}
CARD = {"basis": "《中华人民共和国就业促进法》第五十二条", "steps": "受理、初审、上报"}


def _card(w, code: str, state: str):
    for name in ("city_assist.yaml", "city_undertaken.yaml"):
        load_reference_file(REFERENCE_DIR / name)
    from jianfu.orgs.models import User

    clerk = User.objects.get(username="rs_clerk")
    card = cards.card_save(actor=clerk, department=w.dept_rs, item_code=code, **CARD)
    if state in ("submitted", "accepted"):
        card = cards.card_submit(actor=clerk, card=card)
    if state == "accepted":
        card = cards.card_decide(actor=w.office, card=card, accept=True)
    return card


OBJECTS = {
    "card_draft": lambda w: _card(w, "SZ-RS-XZ-002", "draft"),
    "card_submitted": lambda w: _card(w, "SZ-RS-CB-001", "submitted"),
    "card_accepted": lambda w: _card(w, "SZ-RS-CB-002", "accepted"),
}
SEES = {
    "card_draft": {"dept_clerk", "office"},
    "card_submitted": {"dept_clerk", "office"},
    "card_accepted": set(PERSONAS),
}


def only(people, ok, anon=LOGIN, writes=False):
    def expect(p, t):
        if p == ANON:
            return anon
        return ok if p in people else 403

    expect.writes = writes
    return expect


def on_card(people, ok, anon=LOGIN, refused=403):
    """An action on a card: 404 out of sight, ``ok`` for ``people``, else ``refused``."""

    def expect(p, t):
        if p == ANON:
            return anon
        if p not in SEES[t]:
            return 404
        return ok if p in people else refused

    expect.writes = True
    return expect


def seen(anon=LOGIN):
    return lambda p, t: anon if p == ANON else (200 if p in SEES[t] else 404)


def _new_card(o):
    return {"code": "SZ-RS-XZ-001", **CARD}


def _api_card(o):
    from jianfu.orgs.models import Department

    return {"department_id": Department.objects.get(name="县人社局").pk, "item_code": "SZ-RS-XZ-001", **CARD}


CARD_PAGE = Redirect("/lists/cards/")
ROUTES = {
    "catalog:cards": Case(only(WRITERS | OFFICE, 200)),
    "catalog:card_new": (
        Case(only(WRITERS, 200)),
        Case(only(WRITERS, CARD_PAGE, writes=True), "post", data=_new_card),
    ),
    "catalog:card": Case(seen(), targets=("card_draft", "card_accepted"), kwargs=pk),
    "catalog:card_edit": (
        Case(on_card({"dept_clerk"}, 200), targets=("card_draft",), kwargs=pk),
        Case(on_card({"dept_clerk"}, CARD_PAGE, refused=403), "post", ("card_draft",), pk, lambda o: CARD),
    ),
    "catalog:card_submit": Case(on_card({"dept_clerk"}, CARD_PAGE), "post", ("card_draft",), pk),
    "catalog:card_decide": Case(
        on_card(OFFICE, CARD_PAGE),
        "post",
        ("card_submitted",),
        pk,
        lambda o: {"decision": "accept"},
    ),
    "public_lists:card": Case(everyone(200), targets=("card_accepted",), kwargs=pk),
    "api:catalog_cards": Case(lambda p, t: 401 if p == ANON else 200),
    "api:catalog_card_create": Case(
        lambda p, t: 401 if p == ANON else (201 if p == "dept_clerk" else 403), "post", data=_api_card
    ),
    "api:catalog_card_submit": Case(
        on_card({"dept_clerk"}, 200, anon=401), "post", ("card_draft",), pk, lambda o: {}
    ),
    "api:catalog_card_decide": Case(
        on_card(OFFICE, 200, anon=401), "post", ("card_submitted",), pk, lambda o: {"accept": True}
    ),
}
