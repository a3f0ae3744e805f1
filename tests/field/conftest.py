from tests.grid.conftest import grids  # noqa: F401
