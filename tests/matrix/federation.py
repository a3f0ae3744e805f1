"""Permission-matrix cases for the federation app (merged by tests/test_permission_matrix.py).

The national dashboards ask federation.view (the office, the chair and the inspector hold it on 清河县, so the
page opens for them but no province lies in their scope: a province page is 404); everyone else is refused.
A push carries no account: without a registered sender and signature it is refused (403) for anyone, signed
in or not. Registering a province's key asks federation.manage on the province, which nobody here holds
(the counties' administrators hold it on their county: the province is then not found).
"""

from tests.matrix.base import ANON, LOGIN, MANAGERS, Case, code

VIEWERS = {"office", "chair", "inspector"}


def viewers(ok, anon=LOGIN, foreign=403):
    return lambda p, t: anon if p == ANON else (ok if p in VIEWERS else foreign)


def refused_push(p, t):
    return 403


refused_push.writes = True


def peer_register(p, t):
    if p == ANON:
        return 401
    return (
        404 if p in MANAGERS else 403
    )  # the counties' administrators hold federation.manage, not on a province


peer_register.writes = True

OBJECTS: dict = {}
SEES: dict = {}
ROUTES = {
    "federation:national": Case(viewers(200)),
    "federation:province": Case(viewers(404), targets=("province",), kwargs=code),
    "api:federation_receive": Case(refused_push, "post", data=lambda o: {"province": "420000000000"}),
    "api:federation_provinces": Case(viewers(200, anon=401), query=lambda o: {"year": 2026}),
    "api:federation_peer_register": Case(
        peer_register,
        "post",
        data=lambda o: {"province_code": "420000000000", "public_key": "A" * 43 + "="},
    ),
}
