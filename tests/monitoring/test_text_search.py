"""The lists' text search (core.textsearch): a trigram index answers three characters or more over the whole
scope, one or two characters search the newest events only; edits reach the index in the same transaction,
and the search never shows what the user's scope does not.

Runs on both backends (FTS5 on SQLite, pg_trgm on PostgreSQL: DATABASE_URL=postgres://…)."""

from datetime import date, timedelta

import pytest
from django.db import connection

from jianfu.core import textsearch
from jianfu.grid.models import GridEvent
from jianfu.monitoring import selectors
from jianfu.monitoring.models import EVENT_TEXT, BurdenEvent, Finding


def _event(world, subject, *, description="参加会议", village=None, day=date(2025, 3, 1)):
    village = village or world.village_taoyuan
    return BurdenEvent.objects.create(
        village=village,
        region_code=village.code,
        kind="meeting",
        department=world.dept_rs if village == world.village_taoyuan else world.other_dept,
        subject=subject,
        occurred_on=day,
        description=description,
        reporter=world.monitor,
        verdict="ok",
    )


def _found(user, q, **filters) -> set[str]:
    found, _ = selectors.events_and_window(user, {"q": q, **filters}, newest_first=True)
    return set(found.values_list("subject", flat=True))


@pytest.fixture
def texts(world):
    _event(world, "迎检材料报送", description="镇里要求三天内报送迎检材料")
    _event(world, "召开调度会", description="县人社局通知参加社保调度会")
    _event(world, "填报 ABC 系统", description="重复录入低保数据")
    _event(world, "迎检材料报送（东岭县）", village=world.other_village)  # outside 清河县
    return world


def test_three_or_more_chinese_characters_are_found_from_the_index_in_subject_or_description(texts):
    inspector = texts.inspector
    assert _found(inspector, "迎检材料") == {"迎检材料报送"}
    assert _found(inspector, "社保调度") == {"召开调度会"}  # the description only
    assert _found(inspector, "abc") == {"填报 ABC 系统"}  # case does not matter
    assert _found(inspector, "没有这件事") == set()
    _, window = selectors.events_and_window(inspector, {"q": "迎检材料"})
    assert window == 0  # the whole scope was searched


def test_one_or_two_characters_search_the_newest_events_and_say_how_many(texts, monkeypatch):
    inspector = texts.inspector
    assert _found(inspector, "迎检") == {"迎检材料报送"}
    assert _found(inspector, "报") == {"迎检材料报送", "填报 ABC 系统"}
    assert _found(inspector, "低保") == {"填报 ABC 系统"}  # the description
    for n in range(3):
        _event(texts, f"新事项{n}", day=date(2025, 6, 1) + timedelta(days=n))
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 3)
    found, window = selectors.events_and_window(inspector, {"q": "迎检"}, newest_first=True)
    assert list(found) == [] and window == 3  # the list says "只在最近 3 条中查找"
    # Three characters are not bounded by the window.
    assert _found(inspector, "迎检材") == {"迎检材料报送"}


def test_the_search_never_widens_the_scope(texts):
    # The county inspector of 清河县 never sees 东岭县's event, however it is searched; 东岭县's admin does
    # not see 清河县's.
    for q in ("迎检材料报送", "迎检", "东岭县"):
        assert "迎检材料报送（东岭县）" not in _found(texts.inspector, q)
    assert _found(texts.inspector, "迎检材料", region=texts.township_hk.code) == {"迎检材料报送"}
    assert _found(texts.inspector, "迎检材料", region=texts.township_cg.code) == set()


def test_an_edit_or_a_delete_reaches_the_index(texts):
    event = BurdenEvent.objects.get(subject="召开调度会")
    event.subject, event.description = "整理扶贫台账", "补录三年台账"
    event.save()
    inspector = texts.inspector
    assert _found(inspector, "调度会") == set()
    assert _found(inspector, "扶贫台账") == {"整理扶贫台账"}
    assert _found(inspector, "补录三年") == {"整理扶贫台账"}
    BurdenEvent.objects.filter(pk=event.pk).update(subject="改过的名称")  # a bulk update too
    assert _found(inspector, "扶贫台账") == set() and _found(inspector, "改过的") == {"改过的名称"}
    event.delete()
    assert _found(inspector, "改过的") == set()


def test_search_text_with_quotes_or_operators_is_only_text(texts):
    _event(texts, 'A "OR" 迎检*')
    assert _found(texts.inspector, '"OR" 迎检*') == {'A "OR" 迎检*'}
    assert _found(texts.inspector, "NOT AND (") == set()


def test_findings_are_searched_by_subject_and_the_source_unit(texts):
    event = BurdenEvent.objects.get(subject="迎检材料报送")
    Finding.objects.create(
        source="event",
        source_key=f"event:{event.pk}",
        event=event,
        village=event.village,
        region_code=event.region_code,
        department_text="河口镇党政办",
        occurred_on=event.occurred_on,
        subject="要求报送迎检材料",
    )
    inspector = texts.inspector
    subjects = lambda q: set(selectors.findings(inspector, {"q": q}).values_list("subject", flat=True))  # noqa: E731
    assert subjects("党政办") == {"要求报送迎检材料"}
    assert subjects("报送迎检") == {"要求报送迎检材料"}
    assert subjects("党政") == {"要求报送迎检材料"}
    assert subjects("县人社局") == set()


def test_grid_events_are_searched_by_number_and_place(world):
    from jianfu.grid import demo
    from jianfu.grid.selectors import events_for, filter_events

    from ..grid.conftest import file_event

    classes = {c.code: c for c in demo.load_classes()}
    demo.load_grids()
    event_class = next(iter(classes.values()))
    event = file_event(world, event_class, place="解放路菜市场东门")
    file_event(world, event_class, place="河堤", building="")
    viewer = world.grid_worker
    numbers = lambda q: set(filter_events(events_for(viewer), {"q": q}).values_list("number", flat=True))  # noqa: E731
    assert numbers("菜市场东") == {event.number}
    assert numbers("菜市") == {event.number}
    assert numbers(event.number[-6:].lower()) == {event.number}
    assert numbers("解放路3号楼") == {event.number}  # 楼栋 matched exactly, as before
    GridEvent.objects.filter(pk=event.pk).update(place="河堤北侧")
    assert numbers("菜市场") == set() and event.number in numbers("河堤北")


def test_three_characters_are_looked_up_in_the_index(texts):
    found, _ = selectors.events_and_window(texts.inspector, {"q": "迎检材料"})
    sql, params = found.values("pk").query.sql_with_params()
    if connection.vendor == "sqlite":
        assert "MATCH" in sql
        return
    # The ORM's own icontains SQL must be the expression the GIN indexes were built on (asked without the
    # scope: on a handful of rows the planner would rather read the region index; and without the model's
    # order, which on a few rows it would rather walk in the (occurred_on, id) index, filtering as it goes).
    sql, params = (
        textsearch.matching(BurdenEvent.objects.all(), EVENT_TEXT, "迎检材料")
        .order_by()
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SET LOCAL enable_indexscan = off"
        )  # nor walk a btree filtering: only an index condition
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # On a partitioned table (PostgreSQL, monitoring 0007) each month's partition carries its own copy of the
    # parent's index under a generated name, so the plan is read for the indexed expressions themselves.
    assert (
        "Index Cond: (upper((subject)::text) ~~" in plan and "Index Cond: (upper(description) ~~" in plan
    ), plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_a_table_rebuild_that_drops_the_triggers_is_repaired_after_migrate(texts):
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER {EVENT_TEXT.fts_table}_{suffix}")  # as Django's table remake does
    _event(texts, "新增的整改事项")  # written while the triggers were gone
    assert _found(texts.inspector, "整改事项") == set()
    textsearch.ensure_all()
    assert _found(texts.inspector, "整改事项") == {"新增的整改事项"}  # refilled
    _event(texts, "再次新增事项")
    assert _found(texts.inspector, "再次新增") == {"再次新增事项"}  # and following again


def test_a_phrase_in_very_many_rows_is_found_the_same_way_without_the_index(texts, monkeypatch):
    monkeypatch.setattr(textsearch, "FREQUENT", 0)  # every phrase counts as frequent: tested row by row
    assert _found(texts.inspector, "迎检材料") == {"迎检材料报送"}
    assert _found(texts.inspector, "社保调度") == {"召开调度会"}
    assert "迎检材料报送（东岭县）" not in _found(texts.inspector, "迎检材料报送")


def test_a_phrase_frequent_among_the_newest_events_is_walked_in_order_and_a_rare_one_looked_up(
    texts, monkeypatch
):
    # Probe: the newest PROBE events of the scope; FREQUENT of them containing the phrase make it frequent.
    monkeypatch.setattr(textsearch, "PROBE", 2)
    monkeypatch.setattr(textsearch, "FREQUENT", 2)
    for n in range(2):
        _event(texts, f"台账报送{n}", day=date(2025, 6, 1) + timedelta(days=n))  # the two newest events
    _event(texts, "台账报送（旧）", day=date(2024, 1, 1))

    def sql(q: str) -> str:
        found, _ = selectors.events_and_window(texts.inspector, {"q": q}, newest_first=True)
        return found.query.sql_with_params()[0].upper()

    frequent, rare = sql("台账报送"), sql("迎检材料")  # in both newest events / in neither
    index = "MATCH" if connection.vendor == "sqlite" else "LIKE"
    assert index in rare and index not in frequent
    assert ("INSTR(" if connection.vendor == "sqlite" else "STRPOS(") in frequent
    # Either way the same rows: every match in the scope, the older one too.
    assert _found(texts.inspector, "台账报送") == {"台账报送0", "台账报送1", "台账报送（旧）"}
    assert _found(texts.inspector, "迎检材料") == {"迎检材料报送"}
