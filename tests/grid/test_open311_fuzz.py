"""Schemathesis over Open311 GeoReport v2 (``/open311/v2/``), in-process: it has no OpenAPI schema of its own
(the specification predates it), so the operations and parameters of GeoReport v2 are described here."""

import schemathesis
from django.core.wsgi import get_wsgi_application

from jianfu.grid import demo
from jianfu.orgs import services
from tests.api.test_fuzz import fuzz

FMT = {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["json", "xml"]}}


# Well-formed W3C date-times with any digits: month 13 or 30 February must be refused, not crash.
STAMP = {"type": "string", "pattern": "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"}


def _query(*names):
    return [
        {
            "name": n,
            "in": "query",
            "required": False,
            "schema": STAMP if n.endswith("_date") else {"type": "string"},
        }
        for n in names
    ]


def _path(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


def georeport_schema(api_key: str) -> dict:
    """GeoReport v2's operations; the POST's api_key is the grid worker's half of the time."""
    ok = {"200": {"description": "OK"}}
    create = {
        "type": "object",
        "properties": {
            "api_key": {"type": "string", "enum": [api_key, "无效的密钥"]},
            "service_code": {"type": "string", "enum": ["SR-01", "LB-01", "XX-99"]},
            "jurisdiction_id": {"type": "string"},
            "lat": {"type": "string"},
            "long": {"type": "string"},
            "address_string": {"type": "string"},
            "address_id": {"type": "string"},
            "description": {"type": "string"},
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "phone": {"type": "string"},
            "media_url": {"type": "string"},
            "attribute[idempotency_key]": {"type": "string"},
        },
        "required": ["api_key", "service_code"],
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Open311 GeoReport v2", "version": "2"},
        "paths": {
            "/open311/v2/services.{fmt}": {
                "get": {"parameters": [FMT, *_query("jurisdiction_id")], "responses": ok}
            },
            "/open311/v2/services/{code}.{fmt}": {
                "get": {"parameters": [_path("code"), FMT, *_query("jurisdiction_id")], "responses": ok}
            },
            "/open311/v2/requests.{fmt}": {
                "get": {
                    "parameters": [
                        FMT,
                        *_query(
                            "jurisdiction_id",
                            "service_request_id",
                            "service_code",
                            "start_date",
                            "end_date",
                            "status",
                        ),
                    ],
                    "responses": ok,
                },
                "post": {
                    "parameters": [FMT],
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": create}}},
                    "responses": ok,
                },
            },
            "/open311/v2/requests/{request_id}.{fmt}": {
                "get": {"parameters": [_path("request_id"), FMT, *_query("jurisdiction_id")], "responses": ok}
            },
        },
    }


def test_it_answers_every_generated_georeport_request_without_a_server_error(world):
    demo.load_grids()
    demo.load_classes()
    _token, key = services.api_token_create(actor=world.grid_worker, name="模糊测试")
    schema = schemathesis.openapi.from_dict(georeport_schema(key))
    schema.app = get_wsgi_application()
    figures = fuzz(schema, {}, examples=None)
    print(
        f"open311: {figures['operations']} operations, {figures['cases']} cases, "
        f"{len(figures['errors'])} server errors; statuses {dict(sorted(figures['statuses'].items()))}"
    )
    assert figures["operations"] == 5 and figures["cases"] >= 5
    assert not figures["errors"], "\n".join(
        f"{label} → {status}\n  {curl}" for label, status, curl in figures["errors"]
    )


def test_it_refuses_a_well_formed_date_that_does_not_exist_in_the_error_list(world, client):
    for name, value in (("start_date", "2026-13-01T00:00:00"), ("end_date", "2026-02-30T00:00:00")):
        response = client.get("/open311/v2/requests.json", {name: value})
        assert response.status_code == 400
        assert response.json() == [
            {"code": 400, "description": f"{name} 须为 W3C 日期时间格式，如 2026-01-01T00:00:00+08:00。"}
        ]
