# The events tested here are made with other apps' fixtures.
from tests.admission.conftest import reference  # noqa: F401
from tests.grid.conftest import grids  # noqa: F401
