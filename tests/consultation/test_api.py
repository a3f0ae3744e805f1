"""The API walks the same steps with the same services; refusals keep the JSON error shape."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jianfu.consultation.models import Opinion, TopicStatus
from tests.consultation.conftest import opinion, walk

pytestmark = pytest.mark.django_db
API = "/api/v1/consultation"


def _post(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")


def test_it_walks_the_first_steps_and_refuses_a_stale_version(world, client):
    client.force_login(world.community_cadre)
    first = opinion(world)
    made = _post(client, "/topics", {"title": "加装电梯", "opinion_ids": [first.pk]})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    settled = _post(client, f"/topics/{pk}/settle", {"version": 1})
    assert settled.status_code == 200 and settled.json()["status"] == "settled"
    stale = _post(client, f"/topics/{pk}/settle", {"version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    when = (timezone.now() + timedelta(days=2)).isoformat()
    bad = _post(client, f"/topics/{pk}/plan", {"version": 2, "form": "meeting", "scheduled_at": when})
    assert bad.status_code == 400 and "place" in bad.json()["error"]["fields"]
    plan = {
        "version": 2,
        "form": "online",
        "scheduled_at": when,
        "place": "网上",
        "plan_content": "电梯",
        "plan_participants": "各单元代表",
    }
    assert _post(client, f"/topics/{pk}/plan", plan).json()["status"] == "planned"
    assert _post(client, f"/topics/{pk}/notice", {"version": 3, "notice_text": "公告"}).status_code == 200
    for name in ("一单元", "二单元", "三单元"):
        assert (
            _post(client, f"/topics/{pk}/participants", {"name": name, "capacity": "单元代表"}).status_code
            == 201
        )
    settled = _post(client, f"/topics/{pk}/participants/settle", {"version": 7}).json()
    assert len(settled["codes"]) == 3
    vote = _post(client, f"/topics/{pk}/votes", {"question": "同意加装", "rule": "two_thirds"}).json()
    assert vote["needed"] == 2
    client.logout()
    code = next(iter(settled["codes"].values()))
    online = _post(client, f"/public/topics/{pk}/online", {"code": code, "choices": {str(vote["id"]): "yes"}})
    assert online.status_code == 200 and online.json()["code_used"]
    again = _post(client, f"/public/topics/{pk}/online", {"code": code, "choices": {str(vote["id"]): "no"}})
    assert again.status_code == 400 and "已经用过" in again.json()["error"]["message"]


def test_it_refuses_a_second_ballot_by_api(world, client):
    topic, _ = walk(world, to=TopicStatus.PARTICIPANTS)
    client.force_login(world.community_cadre)
    vote = _post(client, f"/topics/{topic.pk}/votes", {"question": "同意", "rule": "half"}).json()
    person = topic.participants.first().pk
    assert (
        _post(client, f"/votes/{vote['id']}/ballots", {"participant_id": person, "choice": "yes"}).status_code
        == 201
    )
    second = _post(client, f"/votes/{vote['id']}/ballots", {"participant_id": person, "choice": "no"})
    assert second.status_code == 400 and "每人只能投一次" in second.json()["error"]["message"]


def test_it_takes_a_public_opinion_and_answers_its_status(world, client):
    sent = _post(
        client, f"/public/villages/{world.village_taoyuan.code}/opinions", {"content": "希望修一修村道"}
    )
    assert sent.status_code == 201
    receipt = sent.json()["receipt"]
    assert client.get(f"{API}/public/opinions/{receipt}").json()["status"] == "open"
    assert Opinion.objects.get(receipt=receipt).source == "public"
    township = _post(
        client, f"/public/villages/{world.township_hk.code}/opinions", {"content": "希望修一修村道"}
    )
    assert township.status_code == 404


def test_it_lists_only_the_callers_scope(world, client):
    opinion(world)
    opinion(world, actor=world.village_cadre, village=world.village_taoyuan)
    client.force_login(world.town_hk)
    assert [o["region_name"] for o in client.get(f"{API}/opinions").json()["items"]] == ["桃园村"]
    client.force_login(world.grid_worker)
    assert client.get(f"{API}/opinions").status_code == 403
