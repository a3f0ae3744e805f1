"""Every audit record carries the region it concerns, and only inspectors above that region read it."""

import json

import pytest
from cryptography.hazmat.primitives import hashes
from django.core.management import call_command
from django.db.models import QuerySet
from django.utils import timezone

from jianfu.audit.models import AuditChainHead, AuditRecord
from jianfu.audit.regions import object_region_code
from jianfu.audit.services import audit_record
from jianfu.audit.verify import audit_verify
from jianfu.orgs import services

DONGLING_COMMUNITY = "428522100001"


def _latest(action):
    return AuditRecord.objects.filter(action=action).latest("seq")


def test_it_files_a_residents_write_in_under_the_village_written_to(world, client):
    response = client.post(
        f"/api/v1/consultation/public/villages/{DONGLING_COMMUNITY}/opinions",
        {"content": "社区门口的路灯坏了"},
        content_type="application/json",
    )
    assert response.status_code == 201
    record = _latest("consultation.opinion_submit")
    assert (record.region_code, record.actor_region_code, record.actor_id) == (DONGLING_COMMUNITY, "", None)


def test_it_files_a_failed_login_under_the_accounts_county(world, client):
    client.post("/accounts/login/", {"username": "taoyuan", "password": "wrong"})
    assert _latest("auth.login_failed").region_code == world.county.code
    client.post("/accounts/login/", {"username": "nobody-here", "password": "wrong"})
    assert _latest("auth.login_failed").region_code == world.province.code  # no account, no county


def test_it_files_system_actions_under_the_province_and_others_under_the_actor(world):
    audit_record(actor=None, action="calendar.announce_year", message="系统")
    assert _latest("calendar.announce_year").region_code == world.province.code
    audit_record(actor=world.admin, action="calendar.announce_year", message="县管理员")
    assert _latest("calendar.announce_year").region_code == world.county.code


def test_it_finds_the_region_of_an_object_through_its_foreign_keys(world):
    token, _ = services.api_token_create(actor=world.village_cadre, name="对接")
    assert object_region_code(token) == ""  # a token belongs to a person, not a place…
    assert _latest("api_token.create").region_code == world.village_taoyuan.code  # …so its actor's region
    assert object_region_code(world.village_cadre) == world.village_taoyuan.code
    assert object_region_code(world.dept_rs) == world.county.code
    assignment = world.village_cadre.role_assignments.first()
    assert object_region_code(assignment) == world.village_taoyuan.code
    services.user_update(actor=world.admin, user=world.village_cadre, expected_version=1, phone="13900000001")
    assert _latest("user.update").region_code == world.village_taoyuan.code


def test_it_finds_the_region_two_steps_away(world):
    from jianfu.consultation.services import outcomes
    from tests.consultation.conftest import walk

    adopted = walk(world)[0]
    measure = outcomes.measure_add(
        actor=world.community_cadre, topic=adopted, title="换灯", owner="物业", due_on=timezone.localdate()
    )
    assert object_region_code(measure) == world.community_jiefang.code  # measure → topic → region
    assert AuditRecord.objects.filter(object_type="consultation.Measure").latest("seq").region_code == (
        world.community_jiefang.code
    )


def test_it_shows_province_records_only_to_an_inspector_of_the_province(world, client):
    audit_record(actor=None, action="calendar.announce_year", message="省级系统操作")
    record = _latest("calendar.announce_year")
    client.force_login(world.inspector)
    assert client.get(f"/audit/{record.seq}/").status_code == 404
    provincial = services.user_create(
        actor=None,
        username="sheng_jw",
        full_name="省纪委监委",
        password="Jianfu@2026",
        home_region=world.province,
    )
    services.role_grant(actor=None, user=provincial, role="inspector", region=world.province)
    client.force_login(provincial)
    page = client.get(f"/audit/{record.seq}/")
    assert page.status_code == 200 and "省级系统操作" in page.content.decode()
    provincial.refresh_from_db()
    provincial.__dict__.pop("_assignment_cache", None)
    assert AuditRecord.objects.visible_to(provincial).count() == AuditRecord.objects.count()


# The data migration: regions backfilled, the old plain-SM3 chain re-keyed ----------------------------------


def _old_style_hash(record, prev: str) -> str:
    """The chain as the platform wrote it before the key: plain SM3, no region."""
    fields = [f for f in AuditRecord.HASHED_FIELDS if f != "region_code"]
    body = {}
    for name in fields:
        value = getattr(record, name)
        body[name] = value.isoformat(timespec="microseconds") if hasattr(value, "isoformat") else value
    payload = json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()
    digest = hashes.Hash(hashes.SM3())
    digest.update(prev.encode() + payload)
    return digest.finalize().hex()


@pytest.mark.django_db(transaction=True)
def test_it_backfills_regions_and_rekeys_an_old_chain_in_its_migration(world, client):
    from jianfu.consultation import services as consultation_services

    opinion = consultation_services.opinion_submit_public(
        region=world.community_jiefang, content="迁移前的居民意见"
    )
    client.post("/accounts/login/", {"username": "taoyuan", "password": "wrong"})
    call_command("migrate", "audit", "0003", verbosity=0)
    # The log as the old code left it: no region, a plain SM3 chain, a failed login's own region (its
    # village) kept in actor_region_code.
    prev = "0" * 64
    for record in AuditRecord.objects.defer("chain").order_by("seq"):  # no chain column before 0006
        record.region_code = ""
        if record.action == "auth.login_failed":
            record.actor_region_code = world.village_taoyuan.code
        new_hash = _old_style_hash(record, prev)
        QuerySet.update(
            AuditRecord._base_manager.filter(seq=record.seq),
            region_code="",
            prev_hash=prev,
            hash=new_hash,
            actor_region_code=record.actor_region_code,
        )
        prev = new_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)

    call_command("migrate", "audit", verbosity=0)
    written_in = AuditRecord.objects.get(action="consultation.opinion_submit", object_id=str(opinion.pk))
    assert written_in.region_code == world.community_jiefang.code
    assert _latest("auth.login_failed").region_code == world.county.code
    assert _latest("region.import").region_code == world.province.code
    assert not AuditRecord.objects.filter(region_code="").exists()
    rekey = _latest("audit.rekey")
    assert "原审计链核验一致" in rekey.message and rekey.region_code == world.province.code
    assert audit_verify().ok
    # and the rekeyed chain is the one legacy chain of migration 0006
    assert [c.chain for c in audit_verify().chains] == ["legacy"]
