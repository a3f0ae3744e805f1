"""The audit log: hash-chained, append-only, kept at least 184 days, read only by the inspector."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from jianfu.audit.chain import record_hash
from jianfu.audit.exports import COLUMNS
from jianfu.audit.models import AuditChainHead, AuditRecord
from jianfu.audit.services import audit_purge, audit_record
from jianfu.audit.verify import audit_verify
from jianfu.orgs import services
from jianfu.orgs.models import Department, Region, User
from jianfu.orgs.roles import Role
from tests.conftest import fresh_settings

TABLE = AuditRecord._meta.db_table


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(TABLE)), params)


def _seqs(chain: str = "428521000000") -> list[int]:
    """One chain's records in order: the county's, where busy_world's administrator worked."""
    return list(AuditRecord.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))


# The chain ------------------------------------------------------------------------------------------


def test_it_verifies_the_chain_after_a_series_of_actions(busy_world):
    result = audit_verify()
    assert result.ok and result.checked == AuditRecord.objects.count() > 10
    # one chain per county (the province's own records in the province's chain), each linked within itself
    assert {c.chain for c in result.chains} == {busy_world.county.code, busy_world.province.code}
    for head in AuditChainHead.objects.all():
        records = list(AuditRecord.objects.filter(chain=head.chain).order_by("seq"))
        assert records[0].prev_hash == "0" * 64
        assert all(
            later.prev_hash == earlier.hash for earlier, later in zip(records, records[1:], strict=False)
        )
        assert (head.last_seq, head.last_hash) == (records[-1].seq, records[-1].hash)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "清河县（428521000000）：12 条，一致" in out.getvalue()


def test_it_catches_a_row_edited_behind_the_applications_back(busy_world):
    victim = _seqs()[5]
    _raw("UPDATE {table} SET object_repr = %s WHERE seq = %s", ["篡改后的对象", victim])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq, result.broken[0].checked) == (False, victim, 5)
    assert "被修改" in result.reason


def test_it_catches_an_edit_whose_hash_was_recomputed_at_the_next_record(busy_world):
    seqs = _seqs()
    victim = AuditRecord.objects.get(seq=seqs[3])
    victim.message = "改过的说明"
    forged = record_hash(victim, victim.prev_hash)
    _raw("UPDATE {table} SET message = %s, hash = %s WHERE seq = %s", [victim.message, forged, victim.seq])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, seqs[4])


def test_it_catches_a_deleted_middle_row_naming_the_next_record(busy_world):
    seqs = _seqs()
    _raw("DELETE FROM {table} WHERE seq = %s", [seqs[7]])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, seqs[8])
    assert "前一条记录被删除、修改" in result.reason


def test_it_catches_deleted_rows_at_the_tail_and_everywhere(busy_world):
    seqs = _seqs()
    _raw("DELETE FROM {table} WHERE seq = %s", [seqs[-1]])
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, seqs[-1])
    assert "链尾记录缺失" in result.reason
    _raw("DELETE FROM {table}")
    assert not audit_verify().ok


def test_it_fails_the_verify_command_on_a_broken_chain(busy_world):
    victim = _seqs()[2]
    _raw("UPDATE {table} SET success = %s WHERE seq = %s", [False, victim])
    with pytest.raises(CommandError, match=f"清河县的审计链被破坏：第一条异常记录 #{victim}"):
        call_command("audit", "verify")


# Append-only -----------------------------------------------------------------------------------------


def test_it_refuses_to_change_or_remove_records_through_the_orm(busy_world):
    record = AuditRecord.objects.order_by("seq").first()
    original = record.message
    record.message = "改一下"
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied):
        record.delete()
    with pytest.raises(PermissionDenied):
        AuditRecord.objects.filter(seq=record.seq).update(message="改一下")
    with pytest.raises(PermissionDenied):
        AuditRecord.objects.all().delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditRecord.objects.bulk_update([record], ["message"])
    assert AuditRecord.objects.get(seq=record.seq).message == original
    assert audit_verify().ok


# Retention ------------------------------------------------------------------------------------------


def test_it_clamps_the_retention_setting_to_184_days(monkeypatch):
    assert fresh_settings(monkeypatch, JIANFU_AUDIT_RETENTION_DAYS="30").AUDIT_RETENTION_DAYS == 184
    assert fresh_settings(monkeypatch, JIANFU_AUDIT_RETENTION_DAYS="400").AUDIT_RETENTION_DAYS == 400
    assert settings.AUDIT_RETENTION_DAYS >= 184


def test_it_never_purges_records_younger_than_184_days_even_if_told_to(busy_world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    count = AuditRecord.objects.count()
    assert audit_purge(now=timezone.now() + timedelta(days=100)) == 0
    assert audit_purge(now=timezone.now() + timedelta(days=183)) == 0
    assert AuditRecord.objects.count() == count
    call_command("audit", "purge", stdout=io.StringIO())
    assert AuditRecord.objects.count() == count


def test_it_purges_only_the_older_records_and_the_chain_still_verifies(busy_world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    county = busy_world.county.code
    records = list(AuditRecord.objects.filter(chain=county).order_by("seq"))
    middle = records[len(records) // 2]
    older = [r for r in records if r.created_at < middle.created_at]
    assert older and len(older) < len(records)
    province = list(AuditRecord.objects.filter(chain=busy_world.province.code))
    assert all(r.created_at < middle.created_at for r in province)  # the world's setup came first

    removed = audit_purge(now=middle.created_at + timedelta(days=184))
    assert removed == len(older) + len(province)
    remaining = _seqs()
    assert (
        remaining[0] == older[-1].seq + 1 and not AuditRecord.objects.filter(seq__lte=older[-1].seq).exists()
    )
    head = AuditChainHead.objects.get(chain=county)
    assert (head.purged_through_seq, head.purged_anchor_hash) == (older[-1].seq, older[-1].hash)
    # each chain states its own new start, in itself
    purge = AuditRecord.objects.get(action="audit.purge", chain=county)
    assert f"之前的 {len(older)} 条审计记录" in purge.message and purge.region_code == county
    assert AuditRecord.objects.filter(action="audit.purge", chain=busy_world.province.code).count() == 1
    assert audit_verify().ok

    _some_actions_after_purge(busy_world)
    result = audit_verify()
    assert result.ok and result.checked == AuditRecord.objects.count()

    _raw("DELETE FROM {table} WHERE seq = %s", [remaining[0]])  # the first survivor is still protected
    result = audit_verify()
    assert result.first_broken_seq == remaining[1] and [c.chain for c in result.broken] == [county]


def _some_actions_after_purge(world):
    services.department_create(actor=world.admin, name="县审计局二", region=world.county, kind="government")


# Pages ----------------------------------------------------------------------------------------------


def test_it_lets_the_inspector_search_the_log(busy_world, client, login):
    login(busy_world.admin)
    client.post("/accounts/logout/")
    login(busy_world.inspector)
    response = client.get("/audit/", {"q": "sysadmin", "action": "region."})
    rows = response.content.decode().split("<tbody", 1)[1]  # the 操作 filter above names every action
    assert response.status_code == 200
    assert "新增区划" in rows and "修改区划" in rows
    assert "新增部门" not in rows
    response = client.get("/audit/", {"action": "auth.login", "success": "1"})
    assert "系统管理员" in response.content.decode()


def test_it_offers_the_actions_by_name_in_the_filter(busy_world, client):
    client.force_login(busy_world.inspector)
    html = client.get("/audit/", {"action": "auth.login"}).content.decode()
    select = html.split('id="action"', 1)[1].split("</select>", 1)[0]
    assert '<option value="auth.login" selected>登录成功</option>' in select
    assert "如 auth." not in html and ">auth.login<" not in select


def test_it_exports_the_inspectors_search_to_excel(busy_world, client, login):
    login(busy_world.outsider)  # the neighbouring county's sign-in is not the inspector's to read
    client.post("/accounts/logout/")
    login(busy_world.inspector)
    response = client.get("/audit/export.xlsx", {"action": "auth."})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == [title for title, _ in COLUMNS]
    assert rows[1:] and all(row[8].startswith("auth.") for row in rows[1:])
    assert {row[2] for row in rows[1:]} == {"jw_inspector"}
    assert all(row[6].startswith("428521") for row in rows[1:])

    everything = list(
        load_workbook(io.BytesIO(client.get("/audit/export.xlsx").content)).worksheets[0].values
    )
    seqs = [row[0] for row in everything[1:]]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) > 10
    assert "dl_admin" not in {row[2] for row in everything[1:]}
    # The demo import by the system concerns the whole province: a county inspector does not read it.
    assert not {"导入区划", "导入用户"} & {row[7] for row in everything[1:]}


def test_it_verifies_the_chain_from_the_inspectors_page(busy_world, client, login):
    login(busy_world.inspector)
    response = client.post("/audit/verify/", follow=True)
    assert "审计链完整" in response.content.decode()
    victim = _seqs()[4]
    _raw("UPDATE {table} SET ip = %s WHERE seq = %s", ["6.6.6.6", victim])
    page = client.post("/audit/verify/", follow=True).content.decode()
    # per chain, by the county's name (never its code); a county inspector is told of their county's chain only
    assert f"清河县的审计链被破坏：第一条异常记录为 #{victim}" in page
    assert "428521000000" not in page
    assert "湖北省" not in page and "东岭县" not in page


def test_it_shows_each_inspector_the_chains_of_their_scope(busy_world, client, login):
    world = busy_world
    audit_record(actor=None, action="auth.logout", region_code=world.outsider.home_region.code)
    province_inspector = User.objects.create(
        username="sheng_jw", full_name="省纪委监委", home_region=world.province
    )
    province_inspector.role_assignments.create(role=Role.INSPECTOR, region=world.province)
    login(world.inspector)
    county_rows = client.post("/audit/verify/").content.decode()
    assert '<td data-label="审计链">清河县</td>' in county_rows
    assert "东岭县" not in county_rows and '<td data-label="审计链">湖北省</td>' not in county_rows
    client.force_login(province_inspector)
    every_row = client.post("/audit/verify/").content.decode()
    for name in ("清河县", "东岭县", "湖北省"):
        assert f'<td data-label="审计链">{name}</td>' in every_row
    assert (
        '<td data-label="审计链">湖北省</td><td data-label="已核验记录">3 条</td><td data-label="结果">一致'
        in every_row
    )
    api = client.post("/api/v1/audit/verify", content_type="application/json").json()
    assert {c["name"] for c in api["chains"]} >= {"清河县", "东岭县", "湖北省"} and api["ok"]
    client.force_login(world.inspector)
    api = client.post("/api/v1/audit/verify", content_type="application/json").json()
    assert [c["name"] for c in api["chains"]] == ["清河县"]


def test_it_keeps_the_audit_log_from_the_administrator(busy_world, client, login):
    login(busy_world.admin)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.xlsx").status_code == 403
    assert client.post("/audit/verify/").status_code == 403
    assert client.get("/api/v1/audit/records").status_code == 403
    assert client.get("/admin/audit/auditrecord/").status_code in (302, 403)


def test_it_keeps_the_inspector_from_changing_business_data(busy_world, client, login):
    world = busy_world
    login(world.inspector)
    for url in (
        "/orgs/regions/new/",
        "/orgs/departments/new/",
        "/orgs/users/new/",
        "/orgs/import/",
        f"/orgs/regions/{world.village_taoyuan.code}/edit/",
        f"/orgs/departments/{world.dept_rs.pk}/edit/",
        f"/orgs/users/{world.village_cadre.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/orgs/regions/{world.village_taoyuan.code}/toggle/",
        f"/orgs/users/{world.village_cadre.pk}/unlock/",
        f"/orgs/departments/{world.dept_rs.pk}/toggle/",
        f"/orgs/users/{world.village_cadre.pk}/toggle/",
    ):
        assert client.post(url).status_code == 403, url
    response = client.post(
        "/api/v1/departments",
        {"name": "县医保局2", "region_code": world.county.code, "kind": "government"},
        content_type="application/json",
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.department_create(
            actor=world.inspector, name="县医保局2", region=world.county, kind="government"
        )
    with pytest.raises(PermissionDenied):
        services.region_update(
            actor=world.inspector, region=world.village_taoyuan, expected_version=1, name="x"
        )
    with pytest.raises(PermissionDenied):
        services.user_update(
            actor=world.inspector, user=world.village_cadre, expected_version=None, phone="1"
        )
    assert not Department.objects.filter(name="县医保局2").exists()
    assert Region.objects.get(pk=world.village_taoyuan.pk).is_active
    assert User.objects.get(pk=world.village_cadre.pk).is_active


def test_the_log_pages_by_sequence_forward_and_back(world, client):
    """Seek paging (core.keyset, id order alone): every record once, newest first, and back again."""
    from jianfu.audit.services import audit_record

    for n in range(120):
        audit_record(
            actor=world.admin, action="region.update", message=f"第{n}次", region_code=world.county.code
        )
    client.force_login(world.inspector)
    visible = list(
        AuditRecord.objects.visible_to(world.inspector).order_by("-seq").values_list("seq", flat=True)
    )
    assert len(visible) > 100

    def shown(html: str) -> list[int]:
        return [int(seq) for seq in re.findall(r'href="/audit/(\d+)/"', html)]

    def follow(html: str, label: str) -> str:
        link = re.search(r'href="\?([^"]*)">' + label, html).group(1).replace("&amp;", "&")
        return client.get("/audit/?" + link).content.decode()

    pages = [client.get("/audit/").content.decode()]
    while "更早的记录" in pages[-1]:
        pages.append(follow(pages[-1], "更早的记录"))
    assert [seq for page in pages for seq in shown(page)] == visible
    assert f"共 {len(visible)} 条" in pages[0]
    back = follow(pages[-1], "较新的记录")
    assert shown(back) == shown(pages[-2])
