"""Permission-matrix cases for the consultation app (merged by tests/test_permission_matrix.py)."""

from tests.matrix.base import Case, signed_in

SEES: dict = {}
OBJECTS: dict = {}
ROUTES: dict = {
    "consultation:index": Case(signed_in(200)),
}
