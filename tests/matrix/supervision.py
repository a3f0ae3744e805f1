"""Permission-matrix cases for the supervision app (merged by tests/test_permission_matrix.py)."""

from tests.matrix.base import Case, signed_in

SEES: dict = {}
OBJECTS: dict = {}
ROUTES: dict = {
    "supervision:index": Case(signed_in(200)),
}
