"""Open311 GeoReport v2: a client round trip over real HTTP (urllib against the live server), as an existing
city-reporting app would do it, and the specification's error shapes."""

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest

from jianfu.grid import demo
from jianfu.grid.models import GridEvent
from jianfu.orgs.demo import load_demo
from jianfu.orgs.models import User
from jianfu.orgs.services import api_token_create


@pytest.fixture
def live(transactional_db, live_server):
    load_demo()
    demo.load_classes()
    demo.load_grids()
    _, key = api_token_create(actor=User.objects.get(username="grid_jf"), name="Open311 客户端")
    return live_server.url + "/open311/v2", key


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def _post(url, fields, headers=None):
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers=headers or {})
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_it_serves_a_georeport_client_from_discovery_to_its_request(live):
    base, key = live
    status, kind, body = _get(f"{base}/services.json")
    services = json.loads(body)
    assert status == 200 and kind.startswith("application/json")
    codes = {s["service_code"] for s in services}
    assert {"SR-01", "SS-01", "LB-01"} <= codes and "MD-01" not in codes  # disputes are never public
    assert set(services[0]) >= {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    definition = json.loads(_get(f"{base}/services/SR-01.json")[2])
    assert definition == {"service_code": "SR-01", "attributes": []}
    assert ElementTree.fromstring(_get(f"{base}/services/SR-01.xml")[2]).find("service_code").text == "SR-01"

    fields = {
        "api_key": key,
        "service_code": "SR-01",
        "lat": "30.5130",
        "long": "114.3020",
        "address_string": "解放路4号楼东侧",
        "description": "垃圾桶倾倒",
        "first_name": "红",
        "last_name": "李",
        "phone": "13900000123",
        "media_url": "https://example.org/p.jpg",
    }
    status, created = _post(f"{base}/requests.json", fields, {"Idempotency-Key": "app-42"})
    assert status == 201 and set(created[0]) == {"service_request_id", "service_notice", "account_id"}
    number = created[0]["service_request_id"]
    status, again = _post(f"{base}/requests.json", fields, {"Idempotency-Key": "app-42"})
    assert again[0]["service_request_id"] == number and GridEvent.objects.filter(number=number).count() == 1

    one = json.loads(_get(f"{base}/requests/{number}.json")[2])
    assert len(one) == 1
    request = one[0]
    assert request["status"] == "open" and request["service_code"] == "SR-01"
    assert request["agency_responsible"] == "县城管执法局" and request["address"] == "解放路4号楼东侧"
    assert (
        request["lat"] == 30.513
        and request["long"] == 114.302
        and request["media_url"] == "https://example.org/p.jpg"
    )
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert request[field].endswith("+08:00")
    listed = json.loads(_get(f"{base}/requests.json?status=open&service_code=SR-01")[2])
    assert number in {r["service_request_id"] for r in listed}
    assert json.loads(_get(f"{base}/requests.json?status=closed&service_code=SR-01")[2]) == []
    event = GridEvent.objects.get(number=number)
    assert (event.source, event.grid.name, event.building, event.resident_name) == (
        "open311",
        "第一网格",
        "解放路4号楼",
        "李红",
    )

    xml = ElementTree.fromstring(_get(f"{base}/requests/{number}.xml")[2])
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text == number


def test_it_answers_errors_as_the_specification_lists_them(live):
    base, key = live
    status, body = _post(f"{base}/requests.json", {"service_code": "SR-01", "address_string": "解放路1号楼"})
    assert status == 403 and body[0]["code"] == 403 and "api_key" in body[0]["description"]
    status, body = _post(f"{base}/requests.json", {"api_key": key, "service_code": "SR-01"})
    assert status == 400 and "位置" in body[0]["description"]
    status, body = _post(
        f"{base}/requests.json", {"api_key": key, "service_code": "NOPE", "address_string": "解放路1号楼"}
    )
    assert status == 404
    status, body = _post(
        f"{base}/requests.json", {"api_key": key, "service_code": "SR-01", "address_string": "火星"}
    )
    assert status == 400 and "网格" in body[0]["description"]
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(f"{base}/requests/WG0000.json")
    assert missing.value.code == 404 and json.loads(missing.value.read())[0]["code"] == 404
    assert GridEvent.objects.count() == 0
