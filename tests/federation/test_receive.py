"""A province's signed push at the national instance: accepted once, repeated harmlessly, corrected with a
reason, and every bad push refused in Chinese with nothing changed."""

from decimal import Decimal

import pytest
from django.test import Client

from jianfu.audit.models import AuditRecord
from jianfu.federation.models import Cell, Submission
from tests.federation.conftest import COUNTY, HUBEI, HUNAN, push, rollup

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a push may change: the submissions, the cells' figures and the audit trail's length."""
    return (
        list(Submission.objects.order_by("pk").values_list("pk", "revision", "current", "digest")),
        list(
            Cell.objects.order_by("region_code", "kind").values_list("region_code", "kind", "events", "hours")
        ),
        AuditRecord.objects.count(),
    )


def error(response) -> str:
    return response.json()["error"]["message"]


def test_it_accepts_a_signed_month_and_audits_it(nation):
    client = Client(enforce_csrf_checks=True)  # a province's server has no session and no CSRF token
    response = push(client, rollup(), nation.keys[HUBEI])
    assert response.status_code == 201, response.content
    assert response.json()["revision"] == 1 and response.json()["created"] is True
    assert "湖北省2026年10月汇总（第1版）已接收" in response.json()["message"]
    cells = Cell.objects.filter(province_code=HUBEI)
    assert {(c.region_code, c.events, c.hours) for c in cells} == {
        (HUBEI, 5, Decimal("7.5")),
        (COUNTY, 5, Decimal("7.5")),
    }
    record = AuditRecord.objects.filter(action="federation.accept").get()
    assert record.region_code == HUBEI and record.actor_username == f"省级部署 {HUBEI}"


def test_it_answers_the_same_month_again_as_already_held_and_changes_nothing(nation, client):
    push(client, rollup(), nation.keys[HUBEI])
    before = state()
    again = push(
        client, rollup(built_at="2026-11-02T02:00:00+08:00"), nation.keys[HUBEI]
    )  # rebuilt, same figures
    assert again.status_code == 200
    assert again.json()["created"] is False and "此前已接收相同内容" in again.json()["message"]
    assert state() == before


def test_it_refuses_other_figures_for_an_accepted_month_unless_a_correction(nation, client):
    push(client, rollup(), nation.keys[HUBEI])
    before = state()
    response = push(client, rollup(events=9), nation.keys[HUBEI])
    assert response.status_code == 409
    assert (
        "已接收第 1 版" in error(response)
        and "须作为更正" in error(response)
        and "第 2 版" in error(response)
    )
    assert state() == before


def test_it_refuses_a_correction_without_a_reason_or_out_of_turn(nation, client):
    push(client, rollup(), nation.keys[HUBEI])
    before = state()
    no_reason = push(client, rollup(events=9, revision=2), nation.keys[HUBEI])
    assert no_reason.status_code == 409 and "须写明更正原因" in error(no_reason)
    skipped = push(client, rollup(events=9, revision=3, reason="补录"), nation.keys[HUBEI])
    assert skipped.status_code == 409 and "第 2 版" in error(skipped)
    first_as_correction = push(client, rollup(month="2026-09", revision=2, reason="补录"), nation.keys[HUBEI])
    assert first_as_correction.status_code == 409 and "首次报送应为第 1 版" in error(first_as_correction)
    assert state() == before


def test_it_accepts_a_correction_with_its_reason_and_keeps_the_first_version(nation, client):
    push(client, rollup(), nation.keys[HUBEI])
    response = push(
        client, rollup(events=9, revision=2, reason="清河县补录 3 起迟报事件"), nation.keys[HUBEI]
    )
    assert response.status_code == 201 and response.json()["revision"] == 2
    versions = list(Submission.objects.order_by("revision").values_list("revision", "current", "reason"))
    assert versions == [(1, False, ""), (2, True, "清河县补录 3 起迟报事件")]
    assert set(Cell.objects.values_list("events", flat=True)) == {9}
    record = AuditRecord.objects.filter(action="federation.correct").get()
    assert record.message == "清河县补录 3 起迟报事件"
    stale = push(client, rollup(), nation.keys[HUBEI])  # the first version, replayed after the correction
    assert stale.status_code == 409


def test_it_refuses_a_bad_signature(nation, client):
    before = state()
    other_key = push(client, rollup(), nation.keys[HUNAN], sender=HUBEI)  # 湖南's key claiming to be 湖北
    assert other_key.status_code == 403
    assert "签名校验失败" in error(other_key) and "湖北省登记的密钥" in error(other_key)
    body = b'{"tampered": true}'
    signed_other = client.post(
        "/api/v1/federation/rollups",
        body,
        content_type="application/json",
        headers={"X-Jianfu-Province": HUBEI, "X-Jianfu-Signature": "bm90IGEgc2lnbmF0dXJl"},
    )
    assert signed_other.status_code == 403 and "签名校验失败" in error(signed_other)
    assert state() == before


def test_it_refuses_a_province_that_is_not_the_senders(nation, client):
    before = state()
    response = push(client, rollup(province=HUBEI), nation.keys[HUNAN], sender=HUNAN)
    assert response.status_code == 403
    assert f"报送的省份代码「{HUBEI}」不是发送方湖南省（{HUNAN}）的" in error(response)
    stray = push(client, rollup(province=HUNAN, county=COUNTY), nation.keys[HUNAN], sender=HUNAN)
    assert (
        stray.status_code == 403 and "第 2 个汇总格的区划" in error(stray) and "不在湖南省内" in error(stray)
    )
    assert state() == before


def test_it_refuses_an_unregistered_sender_and_a_malformed_rollup(nation, client):
    before = state()
    unknown = push(client, rollup(province="440000000000"), nation.keys[HUBEI], sender="440000000000")
    assert unknown.status_code == 403 and "不是已登记的省级部署" in error(unknown)
    bad = rollup()
    bad["cells"][1]["events"] = -1
    malformed = push(client, bad, nation.keys[HUBEI])
    assert malformed.status_code == 400
    assert "第 2 个汇总格「事件数」格式不正确" in error(malformed)
    future = push(client, rollup(month="2099-01"), nation.keys[HUBEI])
    assert future.status_code == 400 and "尚未到来" in error(future)
    not_json = push(client, None, nation.keys[HUBEI], body=b"\xff not json")
    assert not_json.status_code == 400 and "不是有效的 JSON" in error(not_json)
    assert state() == before


def test_it_refuses_a_body_over_the_limit_before_reading_it(nation, client, monkeypatch):
    monkeypatch.setattr("jianfu.federation.payload.MAX_BODY_BYTES", 100)
    before = state()
    response = push(client, rollup(), nation.keys[HUBEI])
    assert response.status_code == 400 and "报送内容超过" in error(response)
    assert state() == before


def test_it_stops_an_address_whose_pushes_keep_being_refused_but_never_counts_accepted_ones(
    nation, client, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "federation_push": "3/h"}
    for _ in range(3):  # accepted once, then repeated: neither is counted
        assert push(client, rollup(), nation.keys[HUBEI]).status_code in (200, 201)
    for _ in range(3):
        assert push(client, rollup(), nation.keys[HUNAN], sender=HUBEI).status_code == 403  # bad signature
    before = state()
    stopped = push(client, rollup(events=9, revision=2, reason="更正"), nation.keys[HUBEI])
    assert stopped.status_code == 429
    assert "报送被拒绝次数过多" in error(stopped) and "分钟后再试" in error(stopped)
    assert state() == before  # not even a correctly signed push gets through from this address
    other_address = push(
        Client(REMOTE_ADDR="10.0.0.7"), rollup(events=9, revision=2, reason="更正"), nation.keys[HUBEI]
    )
    assert other_address.status_code == 201  # the count is per client address
