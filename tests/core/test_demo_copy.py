"""The ``world`` fixture copies the rows of the first ``load_demo()`` in each process instead of running the
importers again (tests/conftest.py ``_DemoCopy``): the copy must be what a real load writes."""

import json
import re

import pytest
from django.db import connection, transaction

from jianfu.audit.verify import audit_verify
from jianfu.orgs.demo import DEMO_PASSWORD, load_demo
from jianfu.orgs.models import Region, User
from tests.conftest import _DemoCopy, load_demo_copy

# Times differ between two loads a moment apart, and so do the audit hashes made over them, the digest of each
# generated workbook (openpyxl stamps its creation time), the salted password hashes and the random region stamp.
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _is_id(column: str) -> bool:
    return column in ("id", "seq", "object_id", "last_seq") or column.endswith("_id")


def _mask(column: str, value):
    if column == "password":
        return "<salted>"
    if column == "stamp":
        return "<random>"  # the region tree's stamp (orgs.regioncache): a new random one on every import
    if connection.vendor == "postgresql" and _is_id(column):
        return "<id>"  # PostgreSQL's sequences are not rolled back: the second load gets new ids
    if isinstance(value, str):
        return "<time>" if _TIME.match(value) else _DIGEST.sub("<digest>", value)
    if isinstance(value, dict):  # a JSON column comes back as an object on PostgreSQL, as text on SQLite
        return {k: _mask(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask("", v) for v in value]
    return value


def _comparable(snapshot: dict) -> dict:
    out = {}
    for table, (columns, rows) in snapshot.items():
        masked = []
        for row in json.loads(rows):
            masked.append(tuple(_mask(column, value) for column, value in zip(columns, row, strict=True)))
        out[table] = (columns, sorted(masked, key=repr))
    return out


def _in_rolled_back(work):
    with transaction.atomic():
        result = work()
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db
def test_the_copy_of_the_demo_writes_what_load_demo_writes_and_the_audit_chain_verifies(monkeypatch):
    _in_rolled_back(load_demo_copy)  # the first in this process reads the copy back (or it was read already)
    assert _DemoCopy.tables, "the first load did not start from empty tables"
    assert {"orgs_region", "orgs_department", "orgs_user", "orgs_roleassignment"} <= set(_DemoCopy.tables)

    def copied():
        with monkeypatch.context() as patch:
            patch.setattr("tests.conftest.load_demo", lambda: pytest.fail("loaded instead of copied"))
            load_demo_copy()
        assert audit_verify().ok
        assert User.objects.get(username="jw_inspector").check_password(DEMO_PASSWORD)
        return _DemoCopy._snapshot()

    def loaded():
        load_demo()
        return _DemoCopy._snapshot()

    copy, real = _in_rolled_back(copied), _in_rolled_back(loaded)
    assert _comparable(copy) == _comparable(real)


@pytest.mark.django_db
def test_a_table_the_demo_writes_that_already_has_rows_gets_a_real_load(monkeypatch):
    _in_rolled_back(load_demo_copy)
    calls = []
    monkeypatch.setattr("tests.conftest.load_demo", lambda: calls.append(1) or load_demo())
    Region.objects.create(code="420000000000", name="湖北省", level=1, kind="province")
    load_demo_copy()
    assert calls == [1]
    assert Region.objects.filter(code="420000000000").count() == 1
