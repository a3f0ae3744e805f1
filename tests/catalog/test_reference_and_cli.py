"""The reference lists load as published lists, once; the classifier answers through the CLI and the API."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from jianfu.catalog.classify import classify
from jianfu.catalog.models import ListKind, WorkList
from jianfu.catalog.reference import load_reference_lists

EXPECTED_COUNTS = {  # seed 002's annexes: 24 duty items, 29 assist items, 7 negative categories
    ("420000000000", ListKind.DUTY): 24,
    ("420000000000", ListKind.ASSIST): 29,
    ("420000000000", ListKind.NEGATIVE): 7,
    # seed 003's city table, one list per column: 社区法定职责 / 社区承办 / 需社区协助
    ("428500000000", ListKind.DUTY): 21,
    ("428500000000", ListKind.UNDERTAKEN): 69,
    ("428500000000", ListKind.ASSIST): 52,
}


@pytest.fixture
def reference(world):
    return load_reference_lists()


def test_it_loads_the_seed_lists_faithfully_and_only_once(reference):
    loaded = {(w.region.code, w.kind): w.items.count() for w in reference if not w.is_national}
    for key, count in EXPECTED_COUNTS.items():
        assert loaded[key] == count
    assert {w.kind for w in reference} == set(ListKind.values)
    assert load_reference_lists() == []
    negative = WorkList.objects.get(region__code="420000000000", kind=ListKind.NEGATIVE)
    assert all(item.reason and item.examples for item in negative.items.all())


def test_it_classifies_the_way_a_county_clerk_would_expect(world, reference):
    village = world.village_taoyuan
    assert classify("请各村协助开展燃煤及油烟整治排查", village).verdict == "negative"
    assert classify("调解邻里纠纷", village).verdict == "duty"
    assert classify("开具亲属关系证明", village, mode="certificate").verdict == "cert_forbidden"
    assert classify("开具居住证明", village, mode="certificate").verdict == "cert_allowed"


def test_it_classifies_against_the_lists_in_force_on_the_date(world, reference):
    before_any_list = date(
        1989, 12, 31
    )  # the 城市居民委员会组织法, the oldest text of the national layer, from 1990
    verdict = classify("调解邻里纠纷", world.village_taoyuan, before_any_list)
    assert verdict.verdict == "unlisted" and not verdict.matches


def test_it_reads_json_lines_and_plain_lines_on_the_command_line(world, reference, monkeypatch):
    lines = '{"id": "t1", "text": "调解邻里纠纷"}\n\n请各村协助开展燃煤及油烟整治排查\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    out = io.StringIO()
    call_command("classify", region=world.county.code, stdout=out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["id"], r["verdict"]) for r in results] == [("t1", "duty"), (3, "negative")]
    assert set(results[0]) >= {"id", "text", "verdict", "confidence", "matches", "explanation"}
    assert results[1]["matches"][0]["legal_basis"] is not None


def test_it_classifies_through_the_api(world, reference, client):
    client.force_login(world.village_cadre)
    response = client.post(
        "/api/v1/classify",
        {"texts": ["开具无犯罪记录证明"], "region_code": world.county.code, "mode": "certificate"},
        content_type="application/json",
    )
    assert response.status_code == 200
    (result,) = response.json()
    assert result["verdict"] == "cert_forbidden" and "不予出具" in result["explanation"]
    bad = client.post(
        "/api/v1/classify",
        {"texts": ["x"], "region_code": world.county.code, "mode": "poem"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "比对类型" in bad.json()["error"]["message"]


def test_it_shows_verdicts_on_the_comparison_page(world, reference, client):
    client.force_login(world.town_hk)
    page = client.post(
        "/lists/classify/", {"texts": "请各村协助开展燃煤及油烟整治排查\n调解邻里纠纷", "mode": "work"}
    )
    html = page.content.decode()
    assert "负面清单事项" in html and "依法履职事项" in html
    # Scores, codes and nearest items are the office's: a township reads the explanation only.
    assert "<mark>" not in html and "相似度" not in html and "FM-00" not in html
    client.force_login(world.office)
    html = client.post("/lists/classify/", {"texts": "调解邻里纠纷", "mode": "work"}).content.decode()
    assert "<mark>" in html and "相似度" in html and "确认或更正这一结论" in html


def test_it_answers_bad_text_with_a_chinese_message_on_the_page_the_api_and_the_cli(
    world, reference, client, monkeypatch
):
    client.force_login(world.office)
    html = client.post(
        "/lists/classify/", {"texts": "Please help us\n" + "调" * 2001, "mode": "work"}
    ).content.decode()
    assert "请用中文描述" in html and "内容过长（2001 字）" in html
    assert (
        "请填写要比对的工作内容"
        in client.post("/lists/classify/", {"texts": "   ", "mode": "work"}).content.decode()
    )
    response = client.post(
        "/api/v1/classify",
        {"texts": ["hello world"], "region_code": world.county.code},
        content_type="application/json",
    )
    assert response.status_code == 400 and "请用中文描述" in response.json()["error"]["message"]
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("12345\n调解邻里纠纷\n"))
    call_command("classify", "--region", world.county.code, stdout=out, stderr=err)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert "请用中文描述" in lines[0]["error"] and "第 1 行" in err.getvalue()
    assert lines[1]["verdict"] == "duty"


def test_it_keeps_the_city_tables_undertaken_column_as_its_own_list(world, reference, client):
    """小区物业管理 and 农家书屋 are 承办 items, not legal duties; the classifier still treats them as permitted
    work (the community's own work as a duty, a department's work as assistance) and names the 承办 list."""
    undertaken = WorkList.objects.get(region__code="428500000000", kind=ListKind.UNDERTAKEN)
    contents = set(undertaken.items.values_list("content", flat=True))
    assert {"小区物业管理", "农家书屋工程建设和日常维护"} <= contents
    duty = WorkList.objects.get(region__code="428500000000", kind=ListKind.DUTY)
    assert not duty.items.filter(content__in=["小区物业管理", "农家书屋工程建设和日常维护"]).exists()
    village = world.village_taoyuan
    own = classify("做好农家书屋的日常开放和图书管理", village)
    assert own.verdict == "duty" and "社区承办事项清单" in own.explanation
    handed = classify("做好流动人口登记管理", village)
    assert handed.verdict == "assist" and "社区承办事项清单" in handed.explanation
    page = client.get("/public/lists/", {"region": world.county.code}).content.decode()
    assert "社区承办事项" in page and "社区工作事项指导清单（社区承办事项）" in page
