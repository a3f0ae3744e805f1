"""Region filters are code ranges (``subtree_q``), never ``LIKE 'prefix%'``: a range uses the code index on
SQLite and PostgreSQL alike, a LIKE is case-insensitive on SQLite and scans."""

import re
from pathlib import Path

import pytest
from django.db import connection

from jianfu.orgs.models import Region, subtree_q
from jianfu.supervision.models import InspectionVisit

SRC = Path(__file__).resolve().parents[2] / "src" / "jianfu"
# A region code compared by prefix: ``village__code__startswith=``, ``region_code__startswith=``, or a Region's
# own ``code__startswith=`` (list item codes such as "FR-428521-" are not region codes and may use LIKE).
PREFIX_LIKE = re.compile(r"(__code|region_code)__startswith|Region\.objects[^\n]*code__startswith")


def test_no_region_code_is_filtered_with_startswith():
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if PREFIX_LIKE.search(line)
    ]
    assert offenders == [], "用 subtree_q([prefix], field) 代替 startswith：" + "、".join(offenders)


def test_a_range_finds_what_the_prefix_finds(world):
    for region in (world.county, world.township_hk, world.village_taoyuan):
        by_range = set(Region.objects.filter(subtree_q([region.prefix])).values_list("code", flat=True))
        by_prefix = {c for c in Region.objects.values_list("code", flat=True) if c.startswith(region.prefix)}
        assert by_range == by_prefix and region.code in by_range


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan wording")
def test_sqlite_searches_the_code_index_for_a_subtree(world):
    queryset = InspectionVisit.objects.filter(subtree_q([world.township_hk.prefix], "village__code"))
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert re.search(r"SEARCH \S*orgs_region\S* USING (COVERING )?INDEX \S+ \(code>\? AND code<\?\)", plan), (
        plan
    )
