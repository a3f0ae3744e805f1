"""Permission-matrix cases for the installable field app (merged by tests/test_permission_matrix.py).

The manifest and the service worker are public (a phone fetches them before anyone signs in); the outbox page
and the list of field forms to keep on the phone need a signed-in person, and list only their own forms.
"""

from tests.matrix.base import Case, everyone, signed_in

OBJECTS: dict = {}
SEES: dict = {}
ROUTES = {
    "manifest": Case(everyone(200)),
    "service_worker": Case(everyone(200)),
    "field:outbox": Case(signed_in(200)),
    "field:pages": Case(signed_in(200)),
}
