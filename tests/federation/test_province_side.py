"""The province's side: its month built from the monitoring rollup, versioned, signed and pushed (CLI)."""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from jianfu.audit.models import AuditRecord
from jianfu.federation import services, signing
from jianfu.federation.models import Cell, Outgoing
from jianfu.monitoring.models import MonthlyRollup
from jianfu.monitoring.services import rollup
from tests.federation.conftest import COUNTY, HUBEI

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


def add_events(region_code: str, level: int, events: int, department_id: int = 1, kind: str = "form"):
    """``events`` more of one department's events in the region's cell (the rollup sums departments)."""
    cell, _ = MonthlyRollup.objects.get_or_create(
        region_code=region_code, level=level, month=OCTOBER, kind=kind
    )
    cell.events += events
    cell.hours += events
    cell.violations += 1
    cell.save()
    if (
        level == 3
    ):  # as the rollup's writers do: the county's month has moved (the prefecture and province sums)
        rollup.stamp(region_code, OCTOBER)


@pytest.fixture
def october(world):
    """Two departments' form events in 清河县 and its township (the prefecture and province sum the county)."""
    for department in (1, 2):
        add_events(COUNTY, 3, 3, department)
        add_events("428521101000", 4, 3, department)  # a township: not sent
    return world


def test_it_builds_the_month_from_the_rollup_summed_over_departments_without_townships(october):
    payload = services.build_month(OCTOBER)
    assert payload["province"] == HUBEI and payload["month"] == "2026-10"
    cells = {(c["region"], c["kind"]): c for c in payload["cells"]}
    prefecture = COUNTY[:4].ljust(12, "0")
    assert set(cells) == {(HUBEI, "form"), (prefecture, "form"), (COUNTY, "form")}
    assert cells[(COUNTY, "form")]["events"] == 6 and cells[(COUNTY, "form")]["name"] == "清河县"
    assert [cells[(code, "form")]["level"] for code in (HUBEI, prefecture)] == [1, 2]
    assert cells[(HUBEI, "form")]["events"] == cells[(prefecture, "form")]["events"] == 6


def test_it_versions_the_month_and_asks_a_reason_when_figures_change(october):
    first = services.outgoing_prepare(month=OCTOBER)
    assert first.revision == 1 and services.outgoing_prepare(month=OCTOBER).pk == first.pk
    add_events(COUNTY, 3, 1, 3)
    with pytest.raises(ValidationError) as refused:
        services.outgoing_prepare(month=OCTOBER)
    assert "已生成过第 1 版" in str(refused.value) and "更正原因" in str(refused.value)
    second = services.outgoing_prepare(month=OCTOBER, reason="补录迟报事件")
    assert (second.revision, second.payload["revision"], second.payload["reason"]) == (2, 2, "补录迟报事件")
    assert AuditRecord.objects.filter(action="federation.build").count() == 2


def test_it_pushes_through_the_cli_to_the_national_api(
    october, nation, client, tmp_path, monkeypatch, settings
):
    """Province and nation share the test database: the push goes through urllib to the national API (the test
    client stands in for the network)."""
    key_file = tmp_path / "province.key"
    out = io.StringIO()
    call_command("federation_keygen", str(key_file), stdout=out)
    public = out.getvalue().strip().splitlines()[-1]
    assert signing.public_of(key_file.read_text().strip()) == public
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    call_command("federation_register", HUBEI, public, stdout=io.StringIO())  # re-key 湖北省
    settings.FEDERATION_KEY_FILE = str(key_file)

    def urlopen(request, timeout):
        response = client.post(
            "/api/v1/federation/rollups",
            request.data,
            content_type="application/json",
            headers={k: v for k, v in request.header_items() if k.lower().startswith("x-jianfu")},
        )
        assert response.status_code in (200, 201), response.content
        return io.BytesIO(response.content)

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    out = io.StringIO()
    call_command("federation_push", "--month", "2026-10", "--to", "https://national.example", stdout=out)
    assert "已接收" in out.getvalue()
    assert Cell.objects.filter(region_code=COUNTY, kind="form").get().events == 6
    sent = Outgoing.objects.get()
    assert sent.sent_at and "已接收" in sent.answer
    assert AuditRecord.objects.filter(action__in=["federation.accept", "federation.push"]).count() == 2
    add_events(COUNTY, 3, 2, 3)
    with pytest.raises(CommandError, match="更正原因"):
        call_command("federation_push", "--month", "2026-10", "--to", "https://national.example")


def test_it_keeps_a_refusal_as_the_answer(october, nation, monkeypatch, settings, tmp_path):
    import urllib.error

    settings.FEDERATION_KEY_FILE = str(tmp_path / "k")
    (tmp_path / "k").write_text(signing.new_private_key()[0])
    body = json.dumps({"error": {"code": "forbidden", "message": "签名校验失败"}}).encode()

    def urlopen(request, timeout):
        raise urllib.error.HTTPError(request.full_url, 403, "Forbidden", {}, io.BytesIO(body))

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    with pytest.raises(CommandError, match="国家平台拒绝了报送：签名校验失败"):
        call_command("federation_push", "--month", "2026-10", "--to", "https://national.example")
    sent = Outgoing.objects.get()
    assert sent.sent_at is None and sent.answer == "签名校验失败"
    assert AuditRecord.objects.filter(action="federation.push_refused", success=False).exists()


def test_it_registers_only_a_province_with_a_well_formed_key(world):
    with pytest.raises(ValidationError, match="只能登记省级部署"):
        services.peer_register(actor=None, region=world.county, public_key=signing.new_private_key()[1])
    with pytest.raises(ValidationError, match="Base64"):
        services.peer_register(actor=None, region=world.province, public_key="not a key")
    with pytest.raises(CommandError, match="月份"):
        call_command("federation_push", "--month", "十月", "--dry-run")


def test_it_pushes_last_month_as_the_monthly_job(october, nation, client, tmp_path, monkeypatch, settings):
    from datetime import timedelta

    from django.utils import timezone

    key_file = tmp_path / "k"
    private, public = signing.new_private_key()
    key_file.write_text(private)
    services.peer_register(actor=None, region=october.province, public_key=public)
    settings.FEDERATION_KEY_FILE, settings.FEDERATION_NATIONAL_URL = str(key_file), "https://national.example"
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    MonthlyRollup.objects.update(month=last_month)

    def urlopen(request, timeout):
        headers = {k: v for k, v in request.header_items() if k.lower().startswith("x-jianfu")}
        response = client.post(
            "/api/v1/federation/rollups", request.data, content_type="application/json", headers=headers
        )
        return io.BytesIO(response.content)

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    assert "已接收" in services.push_last_month()
    assert "此前已接收相同内容" in services.push_last_month()  # the job run again: nothing new
    assert Cell.objects.filter(month=last_month, region_code=COUNTY).get().events == 6
