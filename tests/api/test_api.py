"""The JSON API end to end: token and session auth, the OpenAPI schema, and the one error shape.

Every failure answers ``{"error": {"code", "message", "fields"}}`` with a Chinese message.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import get_resolver

from jianfu.orgs import services
from jianfu.orgs.models import ApiToken, Department, Region
from tests.conftest import PASSWORD


def _json(client, method, url, body, **headers):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _error(response, status, code):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["code"] == code, body
    assert re.search(r"[\u4e00-\u9fff]", body["error"]["message"]), f"not a Chinese message: {body}"
    return body["error"]


# Token auth ---------------------------------------------------------------------------------------------


def test_it_lets_a_machine_client_call_me_with_a_bearer_token_from_the_service(world):
    token, key = services.api_token_create(actor=world.office, name="民政数据对接")
    client = Client()  # no session: the token alone authenticates
    response = client.get("/api/v1/me", **_bearer(key))
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "mz_office" and me["home_region_code"] == world.county.code
    assert me["assignments"][0]["role"] == "committee_office"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.key_hash == ApiToken.hash_key(key) and key not in (
        token.key_hash,
        token.prefix,
    )  # digest only
    assert "sessionid" not in response.cookies


def test_it_keeps_the_token_holder_inside_their_own_scope(world):
    _token, key = services.api_token_create(actor=world.village_cadre, name="村务系统")
    client = Client()
    assert client.get(f"/api/v1/regions/{world.village_taoyuan.code}", **_bearer(key)).status_code == 200
    _error(client.get(f"/api/v1/regions/{world.township_cg.code}", **_bearer(key)), 404, "not_found")
    codes = {r["code"] for r in client.get("/api/v1/regions", **_bearer(key)).json()["items"]}
    assert codes == {world.village_taoyuan.code}


def test_it_issues_a_token_on_the_account_page_and_shows_the_key_only_once(world, client, login):
    login(world.monitor)
    response = client.post("/accounts/me/tokens/", {"name": "监测数据上报"})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    page = client.get("/accounts/me/").content.decode()
    key = re.search(r"jf_[A-Za-z0-9_-]{20,}", page).group(0)
    assert key not in client.get("/accounts/me/").content.decode()  # shown once
    me = Client().get("/api/v1/me", **_bearer(key))
    assert me.status_code == 200 and me.json()["username"] == "monitor"


def test_it_answers_401_for_a_revoked_token(world, client, login):
    token, key = services.api_token_create(actor=world.monitor, name="将被吊销")
    assert Client().get("/api/v1/me", **_bearer(key)).status_code == 200
    login(world.monitor)
    assert client.post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    error = _error(Client().get("/api/v1/me", **_bearer(key)), 401, "unauthenticated")
    assert "令牌" in error["message"]


@pytest.mark.parametrize(
    "header", ["Bearer jf_not-a-real-key", "Bearer ", "Token abc", "", "Bearer jf_" + "x" * 43]
)
def test_it_answers_401_for_a_bad_or_missing_token(world, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    _error(Client().get("/api/v1/me", **headers), 401, "unauthenticated")


def test_it_answers_401_for_the_token_of_a_deactivated_account(world):
    _token, key = services.api_token_create(actor=world.grid_worker, name="网格 APP")
    services.user_set_active(actor=world.admin, user=world.grid_worker, active=False)
    _error(Client().get("/api/v1/me", **_bearer(key)), 401, "unauthenticated")


def test_it_lets_another_users_token_be_revoked_by_nobody_but_its_owner_on_the_page(world, client, login):
    token, key = services.api_token_create(actor=world.monitor, name="他人令牌")
    login(world.admin)
    assert client.post(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and Client().get("/api/v1/me", **_bearer(key)).status_code == 200


# OpenAPI ------------------------------------------------------------------------------------------------


def test_it_publishes_an_openapi_schema_that_lists_every_endpoint(world):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "减负平台 API"
    paths = schema["paths"]
    expected = {
        "/api/v1/me": {"get"},
        "/api/v1/regions": {"get", "post"},
        "/api/v1/regions/{code}": {"get", "patch"},
        "/api/v1/departments": {"get", "post"},
        "/api/v1/departments/{pk}": {"get", "patch"},
        "/api/v1/users": {"get"},
        "/api/v1/users/{pk}": {"get"},
        "/api/v1/audit/records": {"get"},
        "/api/v1/audit/verify": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), f"{path} {methods} not in the schema"
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "ActiveSessionAuth"}
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert all(op.get("summary") for ops in paths.values() for op in ops.values()), (
        "every operation has a summary"
    )


def test_it_describes_in_the_schema_every_endpoint_the_url_resolver_serves(world):
    api_resolver = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api")
    served = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)) for p in api_resolver.url_patterns
    }
    served -= {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/"}
    assert served <= set(Client().get("/api/v1/openapi.json").json()["paths"])


# The error shape ----------------------------------------------------------------------------------------


def test_it_names_the_field_in_chinese_when_a_service_refuses_the_input(world, client):
    client.force_login(world.admin)
    body = {
        "code": "42852110129",
        "name": "短码村",
        "level": 5,
        "kind": "village",
        "parent_code": world.township_hk.code,
    }
    error = _error(_json(client, "post", "/api/v1/regions", body), 400, "invalid")
    assert "code" in error["fields"] and "12 位数字" in error["fields"]["code"][0]
    assert "12 位数字" in error["message"]
    body = {**body, "code": "428521101299", "kind": "community_center"}
    error = _error(_json(client, "post", "/api/v1/regions", body), 400, "invalid")
    assert "kind" in error["fields"] and "类型" in error["message"]
    assert not Region.objects.filter(name="短码村").exists()


def test_it_answers_400_naming_the_fields_for_a_duplicate_department(world, client):
    client.force_login(world.admin)
    response = _json(
        client, "post", "/api/v1/departments", {"name": "县人社局", "region_code": world.county.code}
    )
    error = _error(response, 400, "invalid")
    assert "所属区划" in error["message"] and "名称" in error["message"] and "已经存在" in error["message"]
    assert error["fields"]["__all__"] == [error["message"]]
    assert Department.objects.filter(name="县人社局").count() == 1


def test_it_answers_400_in_the_error_shape_for_a_body_that_is_not_json(world, client):
    client.force_login(world.admin)
    error = _error(
        client.post("/api/v1/departments", "{not json", content_type="application/json"), 400, "invalid"
    )
    assert "JSON" in error["message"]


def test_it_answers_422_naming_the_fields_when_the_request_does_not_match_the_schema(world, client):
    client.force_login(world.admin)
    error = _error(
        _json(client, "post", "/api/v1/departments", {"region_code": world.county.code}), 422, "invalid"
    )
    assert "name" in error["fields"] and "格式不正确" in error["fields"]["name"][0]
    assert error["message"].startswith("请求数据格式不正确")
    body = {"code": "428521101299", "name": "新村", "level": "第五级", "kind": "village", "parent_code": "x"}
    error = _error(_json(client, "post", "/api/v1/regions", body), 422, "invalid")
    assert "level" in error["fields"]
    error = _error(client.get("/api/v1/regions", {"page_size": 0}), 422, "invalid")
    assert "page_size" in error["fields"]
    error = _error(
        _json(client, "patch", f"/api/v1/departments/{world.dept_rs.pk}", {"name": "无版本号"}),
        422,
        "invalid",
    )
    assert "version" in error["fields"]


def test_it_answers_409_when_a_patch_is_based_on_an_older_version(world, client):
    client.force_login(world.admin)
    url = f"/api/v1/departments/{world.dept_rs.pk}"
    first = _json(client, "patch", url, {"version": 1, "short_name": "人社"})
    assert first.status_code == 200 and first.json()["version"] == 2
    error = _error(_json(client, "patch", url, {"version": 1, "short_name": "旧页面的改动"}), 409, "stale")
    assert "已被其他用户修改" in error["message"]
    department = Department.objects.get(pk=world.dept_rs.pk)
    assert (department.short_name, department.version) == ("人社", 2)
    region_url = f"/api/v1/regions/{world.village_taoyuan.code}"
    assert _json(client, "patch", region_url, {"version": 1, "name": "桃源村"}).status_code == 200
    _error(_json(client, "patch", region_url, {"version": 1, "name": "桃园村"}), 409, "stale")
    assert Region.objects.get(pk=world.village_taoyuan.pk).name == "桃源村"


def test_it_answers_403_in_chinese_when_the_role_may_not_act(world, client):
    client.force_login(world.village_cadre)
    region_url = f"/api/v1/regions/{world.village_taoyuan.code}"
    error = _error(_json(client, "patch", region_url, {"version": 1, "name": "改名"}), 403, "forbidden")
    assert error["message"] == "您没有维护组织架构的权限。"
    client.force_login(world.admin)  # separation of duties: the administrator reads no audit log
    error = _error(client.get("/api/v1/audit/records"), 403, "forbidden")
    assert "纪检监察" in error["message"]
    client.force_login(world.inspector)
    assert client.get("/api/v1/audit/records").status_code == 200
    _error(
        _json(
            client, "post", "/api/v1/departments", {"name": "审计员建的局", "region_code": world.county.code}
        ),
        403,
        "forbidden",
    )
    assert Region.objects.get(pk=world.village_taoyuan.pk).name == "桃园村"


def test_it_answers_404_in_chinese_for_missing_and_out_of_scope_objects(world, client):
    client.force_login(world.village_cadre)
    for url in (
        f"/api/v1/regions/{world.township_cg.code}",
        "/api/v1/regions/999999999999",
        f"/api/v1/departments/{world.other_dept.pk}",
        f"/api/v1/users/{world.outsider.pk}",
    ):
        error = _error(client.get(url), 404, "not_found")
        assert error["message"] == "未找到该对象，或它不在您的管辖范围内。"
    client.force_login(world.admin)
    _error(
        _json(client, "post", "/api/v1/departments", {"name": "无区划局", "region_code": "000000000000"}),
        404,
        "not_found",
    )


def test_it_answers_401_in_chinese_to_an_anonymous_caller(world):
    for method, url in (("get", "/api/v1/me"), ("get", "/api/v1/regions"), ("post", "/api/v1/audit/verify")):
        error = _error(getattr(Client(), method)(url), 401, "unauthenticated")
        assert error["message"] == "请先登录，或提供有效的 API 令牌。"


# Session auth from the browser -----------------------------------------------------------------------------


@pytest.fixture
def browser(world):
    """A client that enforces CSRF like a real browser session, signed in through the login page."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": world.admin.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    return client


def test_it_lets_the_browser_session_read_without_a_csrf_token(browser):
    assert browser.get("/api/v1/me").json()["username"] == "sysadmin"


def test_it_refuses_a_session_write_without_the_csrf_token(world, browser):
    body = {"name": "跨站请求局", "region_code": world.county.code}
    error = _error(_json(browser, "post", "/api/v1/departments", body), 403, "csrf_failed")
    assert "CSRF" in error["message"]
    error = _error(
        _json(browser, "post", "/api/v1/departments", body, HTTP_X_CSRFTOKEN="wrong" * 8), 403, "csrf_failed"
    )
    assert not Department.objects.filter(name="跨站请求局").exists()


def test_it_accepts_a_session_write_that_carries_the_csrf_token(world, browser):
    body = {"name": "县档案馆", "region_code": world.county.code}
    token = browser.cookies["csrftoken"].value
    response = _json(browser, "post", "/api/v1/departments", body, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201 and response.json()["region_code"] == world.county.code


def test_it_needs_no_csrf_token_for_a_bearer_token_write(world):
    _token, key = services.api_token_create(actor=world.admin, name="自动化脚本")
    client = Client(enforce_csrf_checks=True)
    response = _json(
        client,
        "post",
        "/api/v1/departments",
        {"name": "县数据局", "region_code": world.county.code},
        **_bearer(key),
    )
    assert response.status_code == 201


def _paginated_operations(client):
    """Every GET of the schema that takes a page number, with its path parameters filled in."""
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        params = operations.get("get", {}).get("parameters", [])
        if any(p["name"] == "page" and p["in"] == "query" for p in params):
            yield re.sub(r"\{[^}]+\}", "1", path)


def test_it_refuses_a_huge_page_number_on_every_list_in_chinese(world, client):
    client.force_login(world.admin)
    paths = list(_paginated_operations(client))
    assert len(paths) >= 35
    for path in paths:
        error = _error(client.get(path, {"page": 288230376151711743}), 422, "invalid")
        assert "页码" in error["message"] and "page" in error["fields"], (path, error)
    anonymous = Client()
    error = _error(anonymous.get("/api/v1/consultation/public/measures", {"page": 2**63}), 422, "invalid")
    assert "不能大于" in error["fields"]["page"][0]


def test_it_explains_a_schema_error_in_chinese_without_english_words(world, client):
    client.force_login(world.admin)
    body = {"village_code": world.village_taoyuan.code, "indicator": "x", "score": "很多"}
    error = _error(_json(client, "post", "/api/v1/campaign/evaluations/1/scores", body), 422, "invalid")
    assert error["fields"]["score"] == ["格式不正确：须为数字"]
    error = _error(client.get("/api/v1/regions", {"page_size": "十"}), 422, "invalid")
    assert error["fields"]["page_size"] == ["格式不正确：须为整数"]
    assert "每页条数" in error["message"]
    for messages in error["fields"].values():
        assert not re.search(r"[A-Za-z]", "".join(messages)), messages


def test_it_answers_an_id_too_large_for_the_database_with_a_chinese_422(world, client):
    client.force_login(world.village_cadre)
    for huge in (-3022901475192143631179841536, 10**30):
        response = client.get("/api/v1/supervision/visits", {"department": huge})
        error = _error(response, 422, "invalid")  # on SQLite and PostgreSQL alike
        assert "不能" in error["message"] and "department" in error["fields"]
