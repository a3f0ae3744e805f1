"""One audit chain per county (docs/scale.md): writers in different counties never wait for each other, each
chain verifies and is purged on its own, and a record cannot be moved from one chain to another unseen."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from jianfu.audit.chain import GENESIS_HASH, LEGACY_CHAIN, chain_of, record_hash
from jianfu.audit.models import AuditChainHead, AuditRecord
from jianfu.audit.services import audit_purge, audit_record
from jianfu.audit.verify import CHECKPOINT_FORMAT_SINGLE, _signature, audit_verify, checkpoint_export
from tests.audit.test_audit import _raw
from tests.concurrency import interleave

COUNTY, OTHER = "428521000000", "428522000000"  # 清河县, 东岭县 (the demo's two counties)
OTHER_COMMUNITY = "428522100001"
migration = import_module("jianfu.audit.migrations.0006_one_audit_chain_per_county")


def _append(region_code: str, n: int = 1) -> list[AuditRecord]:
    return [
        audit_record(actor=None, action="auth.logout", region_code=region_code, message=f"记录 {k}")
        for k in range(n)
    ]


def _broken() -> list[str]:
    return [c.chain for c in audit_verify().broken]


def test_it_files_each_record_in_its_countys_chain(busy_world):
    world = busy_world
    assert chain_of(world.village_taoyuan.code) == COUNTY  # a village → its county
    assert chain_of(COUNTY) == COUNTY
    assert chain_of("428500000000") == "428500000000"  # a prefecture's records: its own chain
    assert chain_of(world.province.code) == world.province.code
    assert chain_of("") == ""  # before any region exists
    first, second = _append(world.village_taoyuan.code)[0], _append(OTHER_COMMUNITY)[0]
    assert (first.chain, second.chain) == (COUNTY, OTHER)
    head = AuditChainHead.objects.get(chain=OTHER)
    assert (head.last_seq, head.last_hash) == (second.seq, second.hash)
    # each chain links within itself only
    previous = AuditRecord.objects.filter(chain=COUNTY, seq__lt=first.seq).latest("seq")
    assert first.prev_hash == previous.hash
    assert AuditChainHead.objects.filter(chain=OTHER).count() == 1 and audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_counties_append_at_once_without_waiting_for_each_other(world):
    """Real transactions on PostgreSQL: the first county's writer holds its transaction (and its chain head)
    open; the other county's writer appends and commits meanwhile. With one head for the province the second
    would wait on the first's row lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time for the whole database")
    _append(OTHER_COMMUNITY)  # both heads exist: what is measured is the append, not the first-use insert
    outcome = interleave(
        lambda hold: _append(world.village_taoyuan.code)[0].seq, lambda: _append(OTHER_COMMUNITY)[0].seq
    )
    assert outcome.second_done_while_first_held and outcome.both_committed, outcome
    assert AuditRecord.objects.filter(seq__in=[outcome.first, outcome.second]).count() == 2
    assert audit_verify().ok


def test_tampering_with_one_countys_record_is_reported_for_that_chain_only(busy_world):
    _append(OTHER_COMMUNITY, 3)
    victim = AuditRecord.objects.filter(chain=COUNTY).order_by("seq")[4]
    _raw("UPDATE {table} SET message = %s WHERE seq = %s", ["改过的说明", victim.seq])
    result = audit_verify()
    assert [(c.chain, c.first_broken_seq) for c in result.broken] == [(COUNTY, victim.seq)]
    intact = {c.chain: c.checked for c in result.chains if c.ok}
    assert intact == {OTHER: 3, busy_world.province.code: 3}


def test_moving_a_record_to_another_chain_breaks_verification(busy_world):
    _append(OTHER_COMMUNITY, 2)
    victim = AuditRecord.objects.filter(chain=COUNTY).order_by("seq")[3]
    _raw("UPDATE {table} SET chain = %s WHERE seq = %s", [OTHER, victim.seq])
    assert sorted(_broken()) == [COUNTY, OTHER]  # a gap in one, a stranger in the other


def test_relabelling_a_whole_chain_as_another_county_breaks_verification(busy_world):
    """Every link still matches after the relabel: only the keyed hash over the chain field shows it."""
    _append(OTHER_COMMUNITY, 2)
    assert audit_verify().ok
    elsewhere = "428599000000"
    _raw("UPDATE {table} SET chain = %s WHERE chain = %s", [elsewhere, OTHER])
    AuditChainHead.objects.filter(chain=OTHER).update(chain=elsewhere)
    result = audit_verify()
    assert [c.chain for c in result.broken] == [elsewhere]
    assert "记录内容与其哈希不符" in result.reason


def test_purge_works_chain_by_chain_and_every_chain_still_verifies(busy_world, settings):
    settings.AUDIT_RETENTION_DAYS = 184
    other = _append(OTHER_COMMUNITY, 3)
    county_count = AuditRecord.objects.filter(chain=COUNTY).count()
    # The cutoff falls inside the other county's chain: everything older goes, in every chain.
    removed = audit_purge(now=other[1].created_at + timedelta(days=184))
    assert removed == county_count + 3 + 1  # the county's, the province's three, the other county's first
    for chain, through in ((COUNTY, None), (OTHER, other[0])):
        head = AuditChainHead.objects.get(chain=chain)
        purge = AuditRecord.objects.get(chain=chain, action="audit.purge")
        assert purge.after["through_seq"] == head.purged_through_seq and purge.prev_hash == (
            head.purged_anchor_hash if through is None else other[-1].hash
        )
        if through is not None:
            assert head.purged_through_seq == through.seq
    assert list(AuditRecord.objects.filter(chain=OTHER).values_list("seq", flat=True).order_by("seq"))[
        :2
    ] == [
        other[1].seq,
        other[2].seq,
    ]
    assert audit_verify().ok
    checkpoint = checkpoint_export(actor=busy_world.inspector)
    _append(OTHER_COMMUNITY)
    _append(busy_world.village_taoyuan.code)
    assert audit_verify([checkpoint]).ok
    _raw("DELETE FROM {table} WHERE seq = %s", [other[1].seq])  # the other county's first survivor
    assert _broken() == [OTHER]


def test_a_checkpoint_states_every_chain_and_a_cut_chain_is_named(busy_world):
    _append(OTHER_COMMUNITY, 3)
    checkpoint = checkpoint_export(actor=busy_world.inspector)
    assert set(checkpoint["chains"]) == {COUNTY, OTHER, busy_world.province.code}
    keep = AuditRecord.objects.filter(chain=OTHER).order_by("seq")[0]
    _raw("DELETE FROM {table} WHERE chain = %s AND seq > %s", [OTHER, keep.seq])
    AuditChainHead.objects.filter(chain=OTHER).update(last_seq=keep.seq, last_hash=keep.hash)
    assert audit_verify().ok  # a rewound head shows only against the checkpoint
    result = audit_verify([checkpoint])
    assert [c.chain for c in result.broken] == [OTHER] and "链尾被截短" in result.reason


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_old_records_as_one_legacy_chain_and_joins_the_counties_back(world):
    """Backwards: the county chains become the one chain the code before 0006 verifies (hashed without the
    chain field, head at row 1). Forwards: those records are the legacy chain, hashes unchanged, and a
    checkpoint exported before (format /1) still verifies against it."""
    _append(world.village_taoyuan.code, 2)
    _append(OTHER_COMMUNITY, 2)
    count = AuditRecord.objects.count()
    call_command("migrate", "audit", "0005", verbosity=0)

    key, prev = settings.AUDIT_KEY.encode(), GENESIS_HASH
    records = list(AuditRecord.objects.defer("chain").order_by("seq"))  # no chain column here
    for record in records:
        assert record.prev_hash == prev and record.hash == migration._single_chain_hash(key, record, prev)
        prev = record.hash
    head = AuditChainHead.objects.only("last_seq", "last_hash").get()
    assert (head.pk, head.last_seq, head.last_hash) == (1, records[-1].seq, prev)
    single = {
        "format": CHECKPOINT_FORMAT_SINGLE,
        "seq": head.last_seq,
        "hash": head.last_hash,
        "record_time": records[-1].created_at.isoformat(),
        "purged_through_seq": 0,
        "exported_at": timezone.now().isoformat(),
        "exported_by": "inspector",
    }
    single["signature"] = _signature(single)

    call_command("migrate", "audit", verbosity=0)
    result = audit_verify([single])
    assert result.ok and [c.chain for c in result.chains] == [LEGACY_CHAIN] and result.checked == count
    assert AuditRecord.objects.get(seq=records[-1].seq).hash == records[-1].hash  # not rehashed
    new = _append(OTHER_COMMUNITY)[0]
    assert (new.chain, new.prev_hash) == (OTHER, GENESIS_HASH)  # a fresh county chain; legacy stays closed
    assert audit_verify([single]).ok
    # a legacy record moved into a county chain is hashed with the chain field there, and so fails
    _raw("UPDATE {table} SET chain = %s WHERE seq = %s", [OTHER, records[-1].seq])
    assert sorted(_broken()) == [OTHER, LEGACY_CHAIN]
    assert record_hash(AuditRecord.objects.get(seq=new.seq), new.prev_hash) == new.hash
