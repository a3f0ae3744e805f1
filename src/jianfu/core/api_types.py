"""The API's shared shapes: the one pagination and the bounded parameter types every operation uses.

They live in core so that every app's ``api.py`` (the floor's included) can use them without importing the
``jianfu.api`` package, which only builds the NinjaAPI from the apps' routers.
"""

from typing import Annotated

from ninja import Field
from ninja.pagination import PageNumberPagination

from jianfu.core.years import YEAR_MAX, YEAR_MIN

# Far past any list's end, yet (page - 1) * page_size stays well inside a 64-bit OFFSET on every database.
MAX_PAGE = 100_000


class Page(PageNumberPagination):
    """The one pagination of every list: a page number past MAX_PAGE is refused (422), never sent to SQL."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(50, ge=1, le=200)

    def __init__(self, **kwargs):
        super().__init__(page_size=50, **kwargs)


Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"年度（{YEAR_MIN}–{YEAR_MAX}）")]
Month = Annotated[int, Field(ge=1, le=12, description="月份（1–12）")]
# A record number: what a database key can hold (a 30-digit filter is refused here on every database, rather
# than overflowing SQLite's driver and quietly matching nothing on PostgreSQL).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1, description="记录编号")]
