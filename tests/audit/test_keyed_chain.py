"""The keyed audit chain (HMAC-SM3, key from the environment) and the checkpoints an inspector keeps outside.

The attacker here can write to the database but does not hold JIANFU_AUDIT_KEY, except where a test says so.
"""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from jianfu.audit.chain import GENESIS_HASH, record_hash, record_payload
from jianfu.audit.models import AuditChainHead, AuditRecord
from jianfu.audit.services import audit_purge
from jianfu.audit.verify import _signature, audit_verify, checkpoint_export
from jianfu.core.system_checks import audit_chain_key
from tests.audit.test_audit import _raw, _seqs
from tests.conftest import fresh_settings


def _sm3(data: bytes) -> str:
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


COUNTY = "428521000000"  # busy_world's county: its administrator's actions make up its chain


def _recompute_chains() -> None:
    for chain in AuditChainHead.objects.values_list("chain", flat=True):
        first = AuditRecord.objects.filter(chain=chain).order_by("seq").first()
        if first:
            _recompute_from(first.seq, record_hash)


def _recompute_from(seq: int, hash_fn) -> None:
    """What an attacker with database access does after editing a record: rehash it and everything after it in
    its chain, and move that chain's head, so every link matches again."""
    chain = AuditRecord.objects.get(seq=seq).chain
    records = AuditRecord.objects.filter(chain=chain)
    previous = records.filter(seq__lt=seq).order_by("-seq").values_list("hash", flat=True).first()
    prev = previous or GENESIS_HASH
    for record in records.filter(seq__gte=seq).order_by("seq"):
        new_hash = hash_fn(record, prev)
        _raw("UPDATE {table} SET prev_hash = %s, hash = %s WHERE seq = %s", [prev, new_hash, record.seq])
        prev = new_hash
    AuditChainHead.objects.filter(chain=chain).update(last_hash=prev)


def _edit(seq: int, message: str) -> None:
    _raw("UPDATE {table} SET message = %s WHERE seq = %s", [message, seq])


def test_it_detects_an_edit_whose_following_hashes_were_recomputed_without_the_key(busy_world):
    victim = _seqs()[3]
    _edit(victim, "改过的说明")
    _recompute_from(victim, lambda r, prev: _sm3(prev.encode() + record_payload(r, r.HASHED_FIELDS)))
    result = audit_verify()
    assert (result.ok, result.first_broken_seq) == (False, victim)
    assert "不是用本系统密钥计算的" in result.reason
    with pytest.raises(CommandError, match=f"第一条异常记录 #{victim}"):
        call_command("audit", "verify")


def test_it_detects_a_chain_recomputed_with_another_key(busy_world):
    victim = _seqs()[2]
    _edit(victim, "改过的说明")
    _recompute_from(victim, lambda r, prev: record_hash(r, prev, key=b"a key the attacker made up"))
    assert audit_verify().first_broken_seq == victim


def test_it_detects_the_oldest_rows_deleted_and_the_anchor_moved(busy_world):
    seqs = _seqs()
    cut = AuditRecord.objects.get(seq=seqs[4])
    _raw("DELETE FROM {table} WHERE chain = %s AND seq <= %s", [COUNTY, cut.seq])
    AuditChainHead.objects.filter(chain=COUNTY).update(
        purged_through_seq=cut.seq, purged_anchor_hash=cut.hash
    )
    result = audit_verify()
    assert not result.ok and "最早的记录被删除，清理锚点被移动" in result.reason
    with pytest.raises(CommandError, match="清理锚点被移动"):
        call_command("audit", "verify")


def test_it_detects_more_rows_deleted_after_a_real_purge(busy_world):
    records = list(AuditRecord.objects.filter(chain=COUNTY).order_by("seq"))
    middle = records[len(records) // 2]
    audit_purge(now=middle.created_at + timedelta(days=184))
    assert audit_verify().ok
    survivor = AuditRecord.objects.filter(chain=COUNTY).order_by("seq").first()
    _raw("DELETE FROM {table} WHERE seq = %s", [survivor.seq])
    AuditChainHead.objects.filter(chain=COUNTY).update(
        purged_through_seq=survivor.seq, purged_anchor_hash=survivor.hash
    )
    assert "清理锚点被移动" in audit_verify().reason


def test_it_detects_the_newest_rows_cut_off_only_against_a_checkpoint(busy_world):
    checkpoint = checkpoint_export(actor=busy_world.inspector)
    seqs = _seqs()
    keep = AuditRecord.objects.get(seq=seqs[-6])
    _raw("DELETE FROM {table} WHERE chain = %s AND seq > %s", [COUNTY, keep.seq])
    AuditChainHead.objects.filter(chain=COUNTY).update(last_seq=keep.seq, last_hash=keep.hash)
    assert audit_verify().ok  # the database alone cannot tell a rewound head from a quiet day
    result = audit_verify([checkpoint])
    assert (result.ok, result.first_broken_seq) == (False, checkpoint["chains"][COUNTY]["seq"])
    assert "链尾被截短" in result.reason and [c.chain for c in result.broken] == [COUNTY]


def test_it_detects_a_chain_rewritten_by_someone_holding_the_key_against_a_checkpoint(busy_world):
    checkpoint = checkpoint_export(actor=busy_world.inspector)
    victim = _seqs()[1]
    _edit(victim, "持有密钥者改过的说明")
    _recompute_from(victim, record_hash)  # with the real key: the chain verifies on its own
    assert audit_verify().ok
    result = audit_verify([checkpoint])
    assert not result.ok and "被删除或改写" in result.reason


def test_it_detects_records_purged_before_their_time_against_a_checkpoint(busy_world):
    early = checkpoint_export(actor=busy_world.inspector)
    # Someone with the key runs the purge with a clock set a year ahead: records days old are removed, and the
    # keyed purge record makes the chain verify on its own.
    audit_purge(now=timezone.now() + timedelta(days=365))
    assert audit_verify().ok
    result = audit_verify([early])
    assert not result.ok and "尚在保存期内却已不在库中" in result.reason


def test_it_accepts_a_checkpoint_of_records_purged_after_retention(busy_world):
    # A checkpoint kept for 400 days: the records it names were purged lawfully meanwhile.
    long_ago = timezone.now() - timedelta(days=400)
    _raw("UPDATE {table} SET created_at = %s", [long_ago])
    _recompute_chains()
    old = checkpoint_export(actor=busy_world.inspector)
    for stated in old["chains"].values():
        stated["record_time"] = long_ago.isoformat()
    old["signature"] = _signature(old)
    _raw("UPDATE {table} SET created_at = %s", [long_ago])
    _recompute_chains()
    assert audit_purge() > 0
    assert audit_verify([old]).ok


def test_it_refuses_a_checkpoint_whose_content_was_changed(busy_world):
    checkpoint = checkpoint_export(actor=busy_world.inspector)
    forged = {**checkpoint, "seq": checkpoint["seq"] - 3}
    assert "签名不符" in audit_verify([forged]).reason
    assert audit_verify([checkpoint]).ok


def test_it_exports_and_checks_checkpoints_from_the_inspectors_page(busy_world, client):
    client.force_login(busy_world.inspector)
    response = client.post("/audit/checkpoint/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    saved = response.content
    record = AuditRecord.objects.latest("seq")
    assert (record.action, record.actor_id) == ("audit.checkpoint", busy_world.inspector.pk)
    page = client.post("/audit/verify/", {"checkpoints": io.BytesIO(saved)}, follow=True).content.decode()
    assert "审计链完整" in page and "与 1 个检查点相符" in page
    keep = AuditRecord.objects.filter(chain=COUNTY).order_by("seq")[3]
    _raw("DELETE FROM {table} WHERE chain = %s AND seq > %s", [COUNTY, keep.seq])
    AuditChainHead.objects.filter(chain=COUNTY).update(last_seq=keep.seq, last_hash=keep.hash)
    page = client.post("/audit/verify/", {"checkpoints": io.BytesIO(saved)}, follow=True).content.decode()
    assert "审计链被破坏" in page and "链尾被截短" in page
    junk = io.BytesIO(b"not json")
    junk.name = "notes.txt"
    page = client.post("/audit/verify/", {"checkpoints": junk}, follow=True).content.decode()
    assert "notes.txt 不是检查点文件" in page


def test_it_exports_and_checks_checkpoints_through_the_api(busy_world, client):
    client.force_login(busy_world.inspector)
    checkpoint = client.post("/api/v1/audit/checkpoint").json()
    ok = client.post("/api/v1/audit/verify", {"checkpoints": [checkpoint]}, content_type="application/json")
    assert ok.json()["ok"] and ok.json()["checkpoints"] == 1
    bad = client.post("/api/v1/audit/verify", {"checkpoints": [{"seq": 1}]}, content_type="application/json")
    assert bad.status_code == 400 and "不是本系统导出的审计链检查点" in bad.json()["error"]["message"]


def test_it_exports_and_checks_checkpoints_from_the_command_line(busy_world, tmp_path):
    path = tmp_path / "head.json"
    call_command("audit", "checkpoint", "--output", str(path), stdout=io.StringIO())
    assert json.loads(path.read_text())["seq"] == AuditRecord.objects.latest("seq").seq - 1
    out = io.StringIO()
    call_command("audit", "verify", "--checkpoint", str(path), stdout=out)
    assert "与 1 个检查点相符" in out.getvalue()
    newest = AuditRecord.objects.filter(chain=COUNTY).latest("seq")
    _raw("DELETE FROM {table} WHERE chain = %s AND seq >= %s", [COUNTY, newest.seq - 1])
    previous = AuditRecord.objects.filter(chain=COUNTY).latest("seq")
    AuditChainHead.objects.filter(chain=COUNTY).update(last_seq=previous.seq, last_hash=previous.hash)
    with pytest.raises(CommandError, match="链尾被截短"):
        call_command("audit", "verify", "--checkpoint", str(path))


# The key -----------------------------------------------------------------------------------------------


def test_it_keeps_the_key_out_of_the_database(busy_world, settings):
    key = settings.AUDIT_KEY
    with connection.cursor() as cursor:
        for model in (AuditRecord, AuditChainHead):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            assert key not in repr(cursor.fetchall())


def test_it_has_no_development_key_in_production(monkeypatch, settings):
    production = fresh_settings(
        monkeypatch, JIANFU_ENV="production", JIANFU_SECRET_KEY="x" * 50, JIANFU_AUDIT_KEY=""
    )
    assert production.AUDIT_KEY == ""
    settings.PRODUCTION, settings.AUDIT_KEY = True, ""
    assert [e.id for e in audit_chain_key(None)] == ["jianfu.E002"]
    settings.AUDIT_KEY = settings.DEV_AUDIT_KEY
    assert [e.id for e in audit_chain_key(None)] == ["jianfu.E002"]
    settings.AUDIT_KEY = "k" * 48
    assert audit_chain_key(None) == []


def test_it_fails_the_deploy_check_in_production_without_a_key(monkeypatch, settings):
    settings.PRODUCTION, settings.AUDIT_KEY = True, ""
    with pytest.raises(Exception, match="jianfu.E002"):
        call_command("check", "--deploy", "--fail-level", "ERROR", stdout=io.StringIO(), stderr=io.StringIO())


def test_it_refuses_to_write_an_unkeyed_record(world, settings):
    from django.core.exceptions import ImproperlyConfigured

    from jianfu.orgs import services

    settings.AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="JIANFU_AUDIT_KEY"):
        services.department_create(actor=world.admin, name="县档案馆", region=world.county, kind="government")
