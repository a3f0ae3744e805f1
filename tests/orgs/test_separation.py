"""Separation of duties and the edges of scope that a code review found."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from openpyxl import Workbook

from jianfu.audit.models import AuditRecord
from jianfu.orgs import services
from jianfu.orgs.imports import COLUMNS, ImportRefused, import_users


def _users_file(*rows):
    sheet = Workbook()
    sheet.active.append(COLUMNS["users"])
    for row in rows:
        sheet.active.append(row)
    upload = io.BytesIO()
    sheet.save(upload)
    upload.seek(0)
    return upload


def test_it_refuses_an_administrator_granting_themself_a_role(world, client):
    with pytest.raises(PermissionDenied, match="不能给自己授予角色"):
        services.role_grant(actor=world.admin, user=world.admin, role="inspector", region=world.county)
    client.force_login(world.admin)
    response = client.post(
        f"/orgs/users/{world.admin.pk}/grant/", {"role": "inspector", "region": world.county.pk}
    )
    assert response.status_code == 403
    assert client.get("/audit/").status_code == 403


def test_it_never_makes_one_person_both_administrator_and_auditor(world):
    with pytest.raises(ValidationError, match="系统管理员与审计员须分设"):
        services.role_grant(actor=world.admin, user=world.inspector, role="admin", region=world.county)


def test_it_refuses_an_import_that_grants_a_role_to_an_account_outside_the_county(world):
    upload = _users_file(["dl_admin", "", "", world.county.code, "", "系统管理员", world.county.code, ""])
    with pytest.raises(ImportRefused) as refused:
        import_users(actor=world.admin, fileobj=upload, filename="users.xlsx")
    assert refused.value.errors == ["第 2 行“账号”：“dl_admin”是已有账号，且不在您的管辖范围内。"]
    assert world.outsider.role_assignments.count() == 1


def test_it_refuses_an_import_that_puts_a_new_account_in_another_countys_department(world):
    row = ["spy", "某人", "", world.county.code, "东岭县民政局", "职能部门", world.county.code, "Qinghe#2026"]
    with pytest.raises(ImportRefused) as refused:
        import_users(actor=world.admin, fileobj=_users_file(row), filename="users.xlsx")
    assert "第 2 行“所属部门”：该部门不在您的管辖范围内。" in refused.value.errors


def test_it_names_every_role_an_import_granted_in_the_audit_log(world):
    row = ["newclerk", "新干部", "", world.village_taoyuan.code, "", "村（社区）", "", "Qinghe#2026"]
    import_users(actor=world.admin, fileobj=_users_file(row), filename="users.xlsx")
    record = AuditRecord.objects.filter(action="user.import").latest("seq")
    assert record.after["grants"] == [f"newclerk：村（社区）@{world.village_taoyuan.code}"]


def test_it_ignores_forwarded_addresses_from_anyone_but_a_trusted_proxy(world, client):
    client.post(
        "/accounts/login/", {"username": "taoyuan", "password": "wrong"}, HTTP_X_FORWARDED_FOR="8.8.8.8"
    )
    assert AuditRecord.objects.filter(action="auth.login_failed").latest("seq").ip == "127.0.0.1"
    with override_settings(TRUSTED_PROXIES={"127.0.0.1"}):
        client.post(
            "/accounts/login/", {"username": "taoyuan", "password": "wrong"}, HTTP_X_FORWARDED_FOR="1.2.3.4"
        )
    assert AuditRecord.objects.filter(action="auth.login_failed").latest("seq").ip == "1.2.3.4"


def test_it_replaces_a_malformed_request_id(world, client):
    response = client.get("/", HTTP_X_REQUEST_ID="x" * 200)
    assert len(response["X-Request-Id"]) == 32


def test_it_answers_a_bad_level_through_the_api_in_chinese(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/api/v1/regions",
        {
            "code": "428521101299",
            "name": "坏层级",
            "level": 9,
            "kind": "village",
            "parent_code": world.township_hk.code,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "层级应为 1 至 5" in response.json()["error"]["message"]


def test_it_sends_the_admin_login_to_the_platform_login(world, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
