"""The orgs services: audited in the same transaction, Chinese errors, stale writes refused, scope kept."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client

from jianfu.audit.models import AuditRecord
from jianfu.audit.verify import audit_verify
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import services
from jianfu.orgs.models import Department, Level, Region, RoleAssignment, User
from jianfu.orgs.roles import Role
from tests.conftest import PASSWORD

CJK = re.compile(r"[\u4e00-\u9fff]")
STALE = "已被其他用户修改"


class Rollback(Exception):
    """Raised inside an atomic block to roll it back."""


def _audit_count(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


def _field_errors(excinfo, field: str) -> list[str]:
    errors = excinfo.value.message_dict[field]
    assert errors and all(CJK.search(e) for e in errors), errors
    return errors


def _new_village(world, actor, code="428521101299", name="新桃村"):
    return services.region_create(
        actor=actor, code=code, name=name, level=Level.VILLAGE, kind="village", parent=world.township_hk
    )


# Audit in the same transaction -----------------------------------------------------------------------


def test_it_audits_region_create_update_and_retire(world):
    admin = world.admin
    region = _new_village(world, admin)
    region = services.region_update(actor=admin, region=region, expected_version=1, name="新桃园村")
    region = services.region_set_active(actor=admin, region=region, active=False, expected_version=2)
    records = AuditRecord.objects.filter(object_type="orgs.Region", object_id=str(region.pk)).order_by("seq")
    assert [r.action for r in records] == ["region.create", "region.update", "region.retire"]
    assert records[1].before["name"] == "新桃村" and records[1].after["name"] == "新桃园村"
    assert records[2].after["is_active"] is False
    assert all(r.actor_id == admin.pk and r.actor_username == "sysadmin" for r in records)
    assert Region.objects.get(pk=region.pk).version == 3
    assert audit_verify().ok


def test_it_rolls_back_the_audit_row_with_the_region_write(world):
    before = AuditRecord.objects.count()
    with pytest.raises(Rollback), transaction.atomic():
        _new_village(world, world.admin)
        assert AuditRecord.objects.count() == before + 1
        raise Rollback
    assert AuditRecord.objects.count() == before
    assert not Region.objects.filter(code="428521101299").exists()
    assert audit_verify().ok


def test_it_rolls_back_the_audit_row_with_updates_and_retirements(world):
    admin, dept = world.admin, world.dept_rs
    before = AuditRecord.objects.count()
    with pytest.raises(Rollback), transaction.atomic():
        services.department_update(
            actor=admin, department=dept, expected_version=dept.version, short_name="人社"
        )
        services.department_set_active(actor=admin, department=dept, active=False)
        services.region_update(actor=admin, region=world.village_taoyuan, expected_version=1, name="桃源村")
        services.user_update(actor=admin, user=world.village_cadre, expected_version=1, phone="13900000000")
        services.user_set_active(actor=admin, user=world.village_cadre, active=False)
        assert AuditRecord.objects.count() == before + 5
        raise Rollback
    assert AuditRecord.objects.count() == before
    dept.refresh_from_db()
    assert (dept.short_name, dept.is_active, dept.version) == ("县人社局", True, 1)
    assert Region.objects.get(pk=world.village_taoyuan.pk).name == "桃园村"
    assert User.objects.get(pk=world.village_cadre.pk).is_active


def test_it_audits_department_create_update_and_retire(world):
    admin = world.admin
    dept = services.department_create(actor=admin, name="县医保局", region=world.county, kind="government")
    dept = services.department_update(actor=admin, department=dept, expected_version=1, short_name="医保局")
    dept = services.department_set_active(actor=admin, department=dept, active=False)
    actions = list(
        AuditRecord.objects.filter(object_type="orgs.Department", object_id=str(dept.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["department.create", "department.update", "department.retire"]
    assert not Department.objects.get(pk=dept.pk).is_active  # retired, not erased


def test_it_rolls_back_the_audit_row_with_the_department_and_user_create(world):
    before = (AuditRecord.objects.count(), Department.objects.count(), User.objects.count())
    with pytest.raises(Rollback), transaction.atomic():
        dept = services.department_create(
            actor=world.admin, name="县医保局", region=world.county, kind="government"
        )
        services.user_create(
            actor=world.admin,
            username="yb_clerk",
            full_name="医保经办",
            home_region=world.county,
            department=dept,
            password="Yibao@2026x",
        )
        raise Rollback
    assert (AuditRecord.objects.count(), Department.objects.count(), User.objects.count()) == before


def test_it_audits_user_create_update_and_deactivate_without_the_password(world):
    admin = world.admin
    user = services.user_create(
        actor=admin,
        username="hk_helper",
        full_name="河口助理",
        home_region=world.township_hk,
        password="Helper#2026",
    )
    user = services.user_update(actor=admin, user=user, expected_version=1, phone="13911112222")
    user = services.user_set_active(actor=admin, user=user, active=False)
    records = list(
        AuditRecord.objects.filter(object_type="orgs.User", object_id=str(user.pk)).order_by("seq")
    )
    assert [r.action for r in records] == ["user.create", "user.update", "user.deactivate"]
    assert all("password" not in (r.after or {}) for r in records)
    assert records[1].after["phone"] == "13911112222"
    assert User.objects.filter(pk=user.pk, is_active=False).exists()


# Chinese validation messages ------------------------------------------------------------------------


def test_it_names_the_field_in_chinese_when_a_region_is_invalid(world):
    with pytest.raises(ValidationError) as excinfo:
        _new_village(world, world.admin, code="4285211012")
    assert "区划代码须为 12 位数字" in _field_errors(excinfo, "code")[0]

    with pytest.raises(ValidationError) as excinfo:
        services.region_create(
            actor=world.admin,
            code="428521103000",
            name="新镇",
            level=Level.TOWNSHIP,
            kind="village",
            parent=world.county,
        )
    assert "类型只能是" in _field_errors(excinfo, "kind")[0]

    with pytest.raises(ValidationError) as excinfo:
        _new_village(world, world.admin, code="428521102299")  # not under 河口镇's prefix
    assert "应以上级“河口镇”的代码" in _field_errors(excinfo, "code")[0]

    with pytest.raises(ValidationError) as excinfo:
        _new_village(world, world.admin, name="")
    _field_errors(excinfo, "name")


def test_it_names_the_field_in_chinese_for_duplicates_and_blanks(world):
    with pytest.raises(ValidationError) as excinfo:
        _new_village(world, world.admin, code=world.village_taoyuan.code)
    _field_errors(excinfo, "code")

    with pytest.raises(ValidationError) as excinfo:
        services.department_create(actor=world.admin, name="县人社局", region=world.county, kind="government")
    assert excinfo.value.messages == ["包含 所属区划 和 名称 的 部门单位 已经存在。"]

    with pytest.raises(ValidationError) as excinfo:
        services.user_create(
            actor=world.admin,
            username="taoyuan",
            full_name="",
            home_region=world.county,
            password="Another#2026",
        )
    _field_errors(excinfo, "username")
    _field_errors(excinfo, "full_name")


def test_it_refuses_a_weak_password_naming_the_password_field(world):
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(
            actor=world.admin,
            username="weak",
            full_name="弱密码",
            home_region=world.county,
            password="abcdefgh",
        )
    assert any("至少 3 类" in e for e in _field_errors(excinfo, "password"))
    assert not User.objects.filter(username="weak").exists()


def test_it_shows_service_errors_beside_the_field_on_the_page(world, client, login):
    login(world.admin)
    response = client.post(
        "/orgs/regions/new/",
        {
            "code": "428521101000",
            "name": "重复的河口镇",
            "level": Level.TOWNSHIP,
            "kind": "town",
            "parent": world.county.pk,
        },
    )
    assert response.status_code == 200
    assert "区划代码：" in response.content.decode()
    assert Region.objects.filter(name="重复的河口镇").count() == 0


# Stale writes ---------------------------------------------------------------------------------------


def test_it_refuses_a_stale_region_save_and_keeps_the_first(world):
    first, second = (
        Region.objects.get(pk=world.village_taoyuan.pk),
        Region.objects.get(pk=world.village_taoyuan.pk),
    )
    services.region_update(actor=world.admin, region=first, expected_version=first.version, name="桃园一村")
    before = AuditRecord.objects.count()
    with pytest.raises(StaleWriteError) as excinfo:
        services.region_update(
            actor=world.admin, region=second, expected_version=second.version, name="桃园二村"
        )
    assert "区划“桃园村”已被其他用户修改" in excinfo.value.messages[0]
    assert "刷新" in excinfo.value.messages[0]
    region = Region.objects.get(pk=world.village_taoyuan.pk)
    assert (region.name, region.version) == ("桃园一村", 2)
    assert AuditRecord.objects.count() == before


def test_it_refuses_stale_department_and_user_saves(world):
    dept_a, dept_b = Department.objects.get(pk=world.dept_rs.pk), Department.objects.get(pk=world.dept_rs.pk)
    services.department_update(
        actor=world.admin, department=dept_a, expected_version=dept_a.version, short_name="甲"
    )
    with pytest.raises(StaleWriteError, match=STALE):
        services.department_update(
            actor=world.admin, department=dept_b, expected_version=dept_b.version, short_name="乙"
        )
    assert Department.objects.get(pk=dept_a.pk).short_name == "甲"

    user_a, user_b = User.objects.get(pk=world.town_hk.pk), User.objects.get(pk=world.town_hk.pk)
    services.user_update(actor=world.admin, user=user_a, expected_version=user_a.version, phone="13000000001")
    with pytest.raises(StaleWriteError, match=STALE):
        services.user_update(
            actor=world.admin, user=user_b, expected_version=user_b.version, phone="13000000002"
        )
    assert User.objects.get(pk=user_a.pk).phone == "13000000001"

    with pytest.raises(StaleWriteError, match=STALE):
        services.region_set_active(
            actor=world.admin, region=world.village_taoyuan, active=False, expected_version=99
        )
    assert Region.objects.get(pk=world.village_taoyuan.pk).is_active


@pytest.fixture
def second_admin(world):
    user = services.user_create(
        actor=None, username="sysadmin2", full_name="第二管理员", home_region=world.county, password=PASSWORD
    )
    services.role_grant(actor=None, user=user, role=Role.ADMIN, region=world.county)
    return user


def _signed_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _version_on_page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def test_it_refuses_a_stale_save_on_the_region_edit_page(world, second_admin):
    url = f"/orgs/regions/{world.village_taoyuan.code}/edit/"
    alice, bob = _signed_in(world.admin), _signed_in(second_admin)
    alice_version, bob_version = _version_on_page(alice, url), _version_on_page(bob, url)
    assert (
        alice.post(url, {"name": "桃园甲村", "kind": "village", "version": alice_version}).status_code == 302
    )
    response = bob.post(url, {"name": "桃园乙村", "kind": "village", "version": bob_version})
    assert response.status_code == 200
    assert "已被其他用户修改，您看到的是旧版本" in response.content.decode()
    assert Region.objects.get(pk=world.village_taoyuan.pk).name == "桃园甲村"
    # After reloading, bob sees the new version and may save.
    fresh = _version_on_page(bob, url)
    assert fresh == "2"
    assert bob.post(url, {"name": "桃园乙村", "kind": "village", "version": fresh}).status_code == 302


def test_it_refuses_a_stale_save_on_the_department_and_user_edit_pages(world, second_admin):
    dept = world.dept_rs
    alice, bob = _signed_in(world.admin), _signed_in(second_admin)
    url = f"/orgs/departments/{dept.pk}/edit/"
    old = _version_on_page(bob, url)
    data = {
        "name": "县人社局",
        "short_name": "甲",
        "region": world.county.pk,
        "kind": "government",
        "is_member_unit": "on",
    }
    assert alice.post(url, data | {"version": _version_on_page(alice, url)}).status_code == 302
    response = bob.post(url, data | {"short_name": "乙", "version": old})
    assert STALE in response.content.decode()
    assert Department.objects.get(pk=dept.pk).short_name == "甲"

    person = world.village_cadre
    url = f"/orgs/users/{person.pk}/edit/"
    old = _version_on_page(bob, url)
    data = {"full_name": person.full_name, "phone": "13000000003", "home_region": person.home_region_id}
    assert alice.post(url, data | {"version": _version_on_page(alice, url)}).status_code == 302
    response = bob.post(url, data | {"phone": "13000000004", "version": old})
    assert "已被其他用户修改" in response.content.decode()
    assert User.objects.get(pk=person.pk).phone == "13000000003"


# Scope ---------------------------------------------------------------------------------------------


def test_it_refuses_to_move_a_department_into_another_county(world):
    dept = world.dept_rs
    with pytest.raises(ValidationError) as excinfo:
        services.department_update(
            actor=world.admin, department=dept, expected_version=dept.version, region=world.other_county
        )
    assert "“东岭县”不在您的管辖范围内" in _field_errors(excinfo, "region")[0]
    dept.refresh_from_db()
    assert (dept.region_id, dept.version) == (world.county.pk, 1)

    with pytest.raises(ValidationError):  # nor may the neighbour pull it across
        services.department_update(
            actor=world.outsider, department=dept, expected_version=1, region=world.other_county
        )
    assert Department.objects.get(pk=dept.pk).region_id == world.county.pk


def test_it_refuses_to_move_a_user_into_another_county(world):
    person = world.village_cadre
    with pytest.raises(ValidationError) as excinfo:
        services.user_update(
            actor=world.admin, user=person, expected_version=1, home_region=world.other_village
        )
    _field_errors(excinfo, "home_region")
    with pytest.raises(ValidationError) as excinfo:
        services.user_update(actor=world.admin, user=person, expected_version=1, department=world.other_dept)
    _field_errors(excinfo, "department")
    with pytest.raises(ValidationError):
        services.user_create(
            actor=world.admin,
            username="crosser",
            full_name="跨县",
            home_region=world.county,
            department=world.other_dept,
            password="Crosser#2026",
        )
    person.refresh_from_db()
    assert (person.home_region_id, person.department_id, person.version) == (
        world.village_taoyuan.pk,
        None,
        1,
    )
    assert not User.objects.filter(username="crosser").exists()


def test_it_refuses_a_move_on_the_edit_page(world, client, login):
    login(world.admin)
    dept = world.dept_rs
    response = client.post(
        f"/orgs/departments/{dept.pk}/edit/",
        {"name": "县人社局", "region": world.other_county.pk, "kind": "government", "version": dept.version},
    )
    assert response.status_code == 200
    assert Department.objects.get(pk=dept.pk).region_id == world.county.pk


def test_it_refuses_writes_by_the_neighbouring_county_admin(world):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        _new_village(world, world.outsider)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.region_update(
            actor=world.outsider, region=world.village_taoyuan, expected_version=1, name="东桃园"
        )
    with pytest.raises(PermissionDenied):
        _new_village(world, world.town_hk)  # township staff hold no orgs.manage


# Roles ---------------------------------------------------------------------------------------------


def test_it_requires_a_department_for_department_roles(world):
    person = world.village_cadre
    for role in (Role.DEPARTMENT, Role.COMMITTEE_MEMBER):
        with pytest.raises(ValidationError) as excinfo:
            services.role_grant(actor=world.admin, user=person, role=role, region=world.county)
        assert "角色须指定部门" in _field_errors(excinfo, "department")[0]
    assert not RoleAssignment.objects.filter(user=person, role=Role.DEPARTMENT).exists()

    before = _audit_count("role.grant")
    assignment = services.role_grant(
        actor=world.admin, user=person, role=Role.DEPARTMENT, region=world.county, department=world.dept_mz
    )
    assert assignment.department == world.dept_mz
    assert _audit_count("role.grant") == before + 1


def test_it_refuses_a_role_outside_the_admins_county(world):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.role_grant(
            actor=world.admin, user=world.village_cadre, role=Role.VILLAGE, region=world.other_village
        )
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=world.admin, user=world.village_cadre, role="superuser", region=world.county
        )
    services.role_revoke(actor=world.admin, assignment=world.village_cadre.role_assignments.get())
    assert _audit_count("role.revoke") == 1
    assert audit_verify().ok
