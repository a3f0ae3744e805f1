"""The audit list's text search (人员、对象或 IP): three characters or more from a trigram index over every record the
inspector reads (pg_trgm on PostgreSQL, FTS5 on SQLite, core.textsearch), one or two characters over the newest
records only, and the page says so; the seek paging stays. Runs on both backends."""

import pytest
from django.db import connection, transaction

from jianfu.audit import selectors
from jianfu.audit.models import AUDIT_TEXT
from jianfu.audit.services import audit_record
from jianfu.core import textsearch


def _record(region_code: str, username: str) -> int:
    record = audit_record(
        actor=None, action="auth.logout", region_code=region_code, message="检索用", username=username
    )
    return record.seq


@pytest.fixture
def records(world):
    code = world.village_taoyuan.code
    return {
        "old": _record(code, "桃园村旧账号"),
        "middle": _record(code, "zhang_sanfeng"),
        "new": _record(code, "桃园村新账号"),
    }


def _found(user, query: str) -> set[str]:
    found, _ = selectors.audit_search_and_window(user, query=query)
    return set(found.filter(message="检索用").values_list("actor_username", flat=True))


def test_three_characters_or_more_find_any_record_the_inspector_reads(world, records):
    assert _found(world.inspector, "桃园村") == {"桃园村旧账号", "桃园村新账号"}
    assert _found(world.inspector, "SANFENG") == {"zhang_sanfeng"}  # case does not matter
    assert _found(world.inspector, "不存在的人") == set()
    # never wider than the inspector's scope: the neighbouring county's inspector reads none of them
    assert _found(world.outsider, "桃园村") == set()


def test_the_search_is_answered_from_the_index(world, records):
    found, window = selectors.audit_search_and_window(world.inspector, query="桃园村")
    assert window == 0
    sql, params = found.values("pk").query.sql_with_params()
    if connection.vendor == "sqlite":
        assert "audit_auditrecord_fts" in sql and "MATCH" in sql
        return
    sql, params = textsearch.matching(
        selectors.AuditRecord.objects.order_by(), AUDIT_TEXT, "桃园村"
    ).query.sql_with_params()
    # No order, no sequential scan, no btree walked with a filter: on a handful of rows the planner would take
    # any of them (the seq index in order, filtering as it goes); only an index condition is left to choose.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in ("actor_username", "actor_name", "object_repr", "ip"):
        assert f"Index Cond: (upper(({column})::text) ~~" in plan, plan


def test_one_or_two_characters_search_the_newest_records_only_and_the_page_says_so(
    world, records, monkeypatch, client
):
    newest = selectors.AuditRecord.objects.filter(seq__gte=records["middle"]).count()
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", newest)
    found, window = selectors.audit_search_and_window(world.inspector, query="账号")
    assert window == newest
    assert set(found.filter(message="检索用").values_list("actor_username", flat=True)) == {"桃园村新账号"}
    client.force_login(world.inspector)
    html = client.get("/audit/", {"q": "账号"}).content.decode()
    assert f"一两个字的检索只在最近 {newest} 条中查找" in html and "桃园村新账号" in html
    assert "桃园村旧账号" not in html
    assert "一两个字" not in client.get("/audit/", {"q": "桃园村"}).content.decode()
