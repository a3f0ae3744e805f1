"""Roles from data: a county sets its own capability set for a role; separation of duties keeps holding."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.core.exceptions import StaleWriteError
from jianfu.orgs import access, services
from jianfu.orgs.models import Region, RoleSetting, User
from jianfu.orgs.roles import Capability, Role

pytestmark = pytest.mark.django_db

TOWNSHIP_WITHOUT_OPINION = ["orgs.view", "work.decline", "forms.review", "forms.view"]


def _fresh(user):
    return User.objects.get(pk=user.pk)  # the assignments (and their capabilities) are cached per object


def _other_county_township_user(world):
    township = Region.objects.filter(code__startswith=world.other_county.prefix, level=4).first()
    person = User.objects.create(username="dl_town", full_name="东岭镇干部", home_region=township)
    services.role_grant(actor=None, user=person, role=Role.TOWNSHIP, region=township)
    return person


def test_a_county_narrows_a_role_in_its_own_subtree_only(world):
    neighbour = _other_county_township_user(world)
    assert access.may(world.town_hk, Capability.ADMISSION_OPINE)

    services.role_setting_save(
        actor=world.admin,
        region=world.county,
        role=Role.TOWNSHIP,
        capabilities=TOWNSHIP_WITHOUT_OPINION,
        reason="乡镇意见改由县委编办统一出具",
    )

    assert not access.may(_fresh(world.town_hk), Capability.ADMISSION_OPINE)
    assert access.may(_fresh(world.town_hk), Capability.WORK_DECLINE)
    assert access.may(_fresh(neighbour), Capability.ADMISSION_OPINE)  # 东岭县 keeps the seed


def test_grid_command_without_lists_and_admission(world):
    """The county's 综治中心 commands grid work and nothing else (the county's 综治办 leads grid work)."""
    person = User.objects.create(username="zz_centre", full_name="综治中心值班员", home_region=world.county)
    services.role_grant(actor=world.admin, user=person, role=Role.GRID_COMMAND, region=world.county)
    person = _fresh(person)
    assert access.may(person, Capability.GRID_MANAGE, world.community_jiefang)
    assert not access.may(person, Capability.CATALOG_MANAGE)
    assert not access.may(person, Capability.ADMISSION_REVIEW)


def test_a_setting_above_applies_below_until_the_county_sets_its_own(world):
    province_admin = User.objects.create(
        username="sheng_admin", full_name="省管理员", home_region=world.province
    )
    services.role_grant(actor=None, user=province_admin, role=Role.ADMIN, region=world.province)
    services.role_setting_save(
        actor=_fresh(province_admin),
        region=world.province,
        role=Role.MONITOR,
        capabilities=["orgs.view", "monitoring.view"],
        reason="全省监测员只看不记",
    )
    assert not access.may(_fresh(world.monitor), Capability.MONITORING_RECORD)

    services.role_setting_save(
        actor=world.admin,
        region=world.county,
        role=Role.MONITOR,
        capabilities=["orgs.view", "monitoring.view", "monitoring.record"],
        reason="本县监测员继续记录",
    )
    assert access.may(_fresh(world.monitor), Capability.MONITORING_RECORD)


@pytest.mark.parametrize(
    ("role", "capabilities", "message"),
    [
        (Role.COMMITTEE_OFFICE, ["orgs.view", "audit.view"], "三员分立"),
        (Role.TOWNSHIP, ["orgs.view", "orgs.manage"], "三员分立"),
        (Role.INSPECTOR, ["orgs.view", "audit.view", "catalog.manage"], "只能减少权限"),
        (Role.TOWNSHIP, ["orgs.view", "no.such"], "未知权限"),
    ],
)
def test_separation_of_duties_holds_whatever_a_county_sets(world, role, capabilities, message):
    with pytest.raises(ValidationError, match=message):
        services.role_setting_save(
            actor=world.admin, region=world.county, role=role, capabilities=capabilities, reason="试图越权"
        )
    assert not RoleSetting.objects.exists()


def test_nobody_widens_the_administrators_own_role(world):
    with pytest.raises(PermissionDenied):
        services.role_setting_save(
            actor=world.admin,
            region=world.county,
            role=Role.ADMIN,
            capabilities=["orgs.view", "orgs.manage", "catalog.manage"],
            reason="扩权",
        )


def test_only_the_regions_administrator_sets_its_roles(world):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.role_setting_save(
            actor=world.outsider,
            region=world.county,
            role=Role.TOWNSHIP,
            capabilities=TOWNSHIP_WITHOUT_OPINION,
            reason="越界",
        )
    with pytest.raises(PermissionDenied):
        services.role_setting_save(
            actor=world.office,
            region=world.county,
            role=Role.TOWNSHIP,
            capabilities=TOWNSHIP_WITHOUT_OPINION,
            reason="不是管理员",
        )
    with pytest.raises(ValidationError, match="县级及以上"):
        services.role_setting_save(
            actor=world.admin,
            region=world.township_hk,
            role=Role.VILLAGE,
            capabilities=["orgs.view"],
            reason="乡镇不设",
        )


def test_a_concurrent_edit_is_refused_and_every_change_is_audited(world):
    first = services.role_setting_save(
        actor=world.admin,
        region=world.county,
        role=Role.TOWNSHIP,
        capabilities=TOWNSHIP_WITHOUT_OPINION,
        reason="第一次",
        version=0,
    )
    with pytest.raises(StaleWriteError):
        services.role_setting_save(
            actor=world.admin,
            region=world.county,
            role=Role.TOWNSHIP,
            capabilities=["orgs.view"],
            reason="基于旧版本",
            version=0,
        )
    services.role_setting_save(
        actor=world.admin,
        region=world.county,
        role=Role.TOWNSHIP,
        capabilities=["orgs.view", "work.decline"],
        reason="第二次",
        version=first.version,
    )
    services.role_setting_reset(actor=world.admin, region=world.county, role=Role.TOWNSHIP)
    actions = list(
        AuditRecord.objects.filter(action__startswith="role.capabilities")
        .order_by("seq")
        .values_list("action", "region_code")
    )
    assert actions == [("role.capabilities_set", world.county.code)] * 2 + [
        ("role.capabilities_reset", world.county.code)
    ]
    assert access.may(_fresh(world.town_hk), Capability.ADMISSION_OPINE)  # back to the seed


def test_the_page_adjusts_a_role_and_names_a_missing_reason(world, login, client):
    login(world.admin)
    assert client.get("/orgs/roles/")["Location"] == f"/orgs/roles/{world.county.code}/"
    table = client.get(f"/orgs/roles/{world.county.code}/").content.decode()
    assert "网格化服务管理指挥中心" in table and "平台默认" in table and "grid.manage" not in table

    url = f"/orgs/roles/{world.county.code}/township/"
    refused = client.post(url, {"capabilities": TOWNSHIP_WITHOUT_OPINION, "reason": "", "version": 0})
    assert refused.status_code == 200 and "调整理由" in refused.content.decode()
    assert "data-error-summary" in refused.content.decode()  # GOV.UK's summary, its link reaching the field
    assert '<a href="#id_reason">' in refused.content.decode()
    assert not RoleSetting.objects.exists()

    saved = client.post(
        url, {"capabilities": TOWNSHIP_WITHOUT_OPINION, "reason": "意见统一出具", "version": 0}
    )
    assert saved.status_code == 302
    assert sorted(RoleSetting.objects.get().capabilities) == sorted(TOWNSHIP_WITHOUT_OPINION)
    assert "本级调整" in client.get(f"/orgs/roles/{world.county.code}/").content.decode()


def test_the_api_reads_sets_and_resets_a_role(world, login, client):
    login(world.admin)
    base = f"/api/v1/regions/{world.county.code}/roles"
    rows = {row["role"]: row for row in client.get(base).json()}
    assert rows["township"]["source"] == "平台默认" and not rows["admin"]["editable"]

    body = {"capabilities": TOWNSHIP_WITHOUT_OPINION, "reason": "意见统一出具", "version": 0}
    answer = client.put(f"{base}/township", body, content_type="application/json")
    assert (
        answer.status_code == 200 and answer.json()["source"] == "本级调整" and answer.json()["version"] == 1
    )
    stale = client.put(f"{base}/township", body, content_type="application/json")
    assert stale.status_code == 409
    refused = client.put(
        f"{base}/committee_office", {**body, "capabilities": ["audit.view"]}, content_type="application/json"
    )
    assert refused.status_code == 400 and "三员分立" in json.dumps(refused.json(), ensure_ascii=False)
    # The message a person reads has no field code in front of it; the code stays in "fields" for programs.
    assert refused.json()["error"]["message"].startswith("“查阅审计日志”只能由")
    assert "capabilities" in refused.json()["error"]["fields"]
    assert client.delete(f"{base}/township").status_code == 204
    assert not RoleSetting.objects.exists()
