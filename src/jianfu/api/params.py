"""Shared parameter types of the API: the same bounds on every operation."""

from typing import Annotated

from ninja import Field

from jianfu.core.years import YEAR_MAX, YEAR_MIN

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"年度（{YEAR_MIN}–{YEAR_MAX}）")]
Month = Annotated[int, Field(ge=1, le=12, description="月份（1–12）")]
# A record number: what a database key can hold (a 30-digit filter is refused here on every database, rather
# than overflowing SQLite's driver and quietly matching nothing on PostgreSQL).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1, description="记录编号")]
