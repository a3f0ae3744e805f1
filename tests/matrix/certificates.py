"""Permission-matrix cases for this app's routes (merged by tests/test_permission_matrix.py)."""

from tests.matrix.base import Case  # noqa: F401

SEES: dict = {}
OBJECTS: dict = {}
ROUTES: dict = {}
