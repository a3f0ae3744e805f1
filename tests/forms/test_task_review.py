"""Approval levels of a reporting task: the village submits, its township approves or returns it with a reason, the
county office accepts; each step audited and kept, the reporting rollup moving with it."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianfu.audit.models import AuditRecord
from jianfu.forms import services
from jianfu.forms.models import FormTask
from jianfu.forms.selectors import reporting_rates, reporting_rates_live
from jianfu.orgs import services as orgs_services
from jianfu.orgs.models import User
from jianfu.orgs.roles import Role
from tests.forms.conftest import YEAR


def _fresh(task) -> FormTask:
    return FormTask.objects.get(pk=task.pk)


def _submit(world, table):
    typed = {f.pk: "4" for f in table.form.fields.filter(indicator__isnull=True)}
    return services.task_submit(actor=world.village_cadre, task=_fresh(table.task), typed=typed)


def _same(world):
    assert reporting_rates(world.office, year=YEAR) == reporting_rates_live(world.office, year=YEAR)


def test_village_submits_township_returns_with_a_reason_then_approves_and_county_accepts(world, table):
    _submit(world, table)
    with pytest.raises(PermissionDenied):
        services.task_approve(actor=world.town_cg, task=_fresh(table.task))  # not its village
    with pytest.raises(PermissionDenied):
        services.task_approve(
            actor=world.office, task=_fresh(table.task)
        )  # the township's step, not the county's
    with pytest.raises(ValidationError, match="只有“乡镇已审核”时可以"):
        services.task_accept(actor=world.office, task=_fresh(table.task))  # not approved yet
    version = _fresh(table.task).version
    with pytest.raises(ValidationError) as caught:
        services.task_return(actor=world.town_hk, task=_fresh(table.task), reason="  ")
    assert "退回须说明理由" in str(caught.value)
    assert (_fresh(table.task).status, _fresh(table.task).version) == (
        "submitted",
        version,
    )  # nothing changed

    returned = services.task_return(
        actor=world.town_hk, task=_fresh(table.task), reason="外出务工人数与上季度差距过大"
    )
    assert returned.status == "returned" and returned.on_time is None
    assert reporting_rates(world.office, year=YEAR)["total"]["submitted"] == 0
    _same(world)

    resent = _submit(world, table)
    assert resent.status == "submitted" and resent.return_reason == ""
    services.task_approve(actor=world.town_hk, task=_fresh(table.task), note="核实无误")
    total = reporting_rates(world.office, year=YEAR)["total"]
    assert (total["submitted"], total["approved"], total["accepted"]) == (1, 1, 0)
    accepted = services.task_accept(actor=world.office, task=_fresh(table.task))
    assert accepted.status == "accepted"
    total = reporting_rates(world.office, year=YEAR)["total"]
    assert (total["submitted"], total["approved"], total["accepted"]) == (1, 1, 1)
    _same(world)
    assert [s.step for s in accepted.steps.all()] == ["submit", "return", "submit", "approve", "accept"]
    assert accepted.steps.get(step="return").note == "外出务工人数与上季度差距过大"
    actions = set(AuditRecord.objects.filter(object_id=str(table.task.pk)).values_list("action", flat=True))
    assert {"forms.task_return", "forms.task_approve", "forms.task_accept"} <= actions
    with pytest.raises(ValidationError):
        services.task_submit(
            actor=world.village_cadre, task=_fresh(table.task), typed={}
        )  # accepted is final


def test_the_county_returns_what_the_township_approved_and_nobody_accepts_their_own_approval(world, table):
    _submit(world, table)
    services.task_approve(actor=world.town_hk, task=_fresh(table.task))
    with pytest.raises(PermissionDenied):
        services.task_return(
            actor=world.town_hk, task=_fresh(table.task), reason="再看看"
        )  # now the county's
    back = services.task_return(actor=world.office, task=_fresh(table.task), reason="与民政口径不一致")
    assert back.status == "returned"
    _submit(world, table)
    both = world.town_hk
    orgs_services.role_grant(actor=None, user=both, role=Role.COMMITTEE_OFFICE, region=world.county)
    both = User.objects.get(pk=both.pk)
    services.task_approve(actor=both, task=_fresh(table.task))
    with pytest.raises(PermissionDenied) as caught:
        services.task_accept(actor=both, task=_fresh(table.task))
    assert "不能接收自己审核通过的报表" in str(caught.value)


def test_pages_and_api_offer_the_steps_to_whoever_may_take_them(world, table, client):
    _submit(world, table)
    url = f"/forms/tasks/{table.task.pk}/"
    client.force_login(world.town_hk)
    page = client.get(url).content.decode()
    assert "审核通过" in page and "退回" in page and "接收" not in page
    task = _fresh(table.task)
    refused = client.post(
        f"{url}review/", {"step": "return", "note": "", "version": task.version}, follow=True
    )
    assert "退回须说明理由" in refused.content.decode() and _fresh(task).status == "submitted"
    client.post(f"{url}review/", {"step": "return", "note": "请核实户籍户数", "version": task.version})
    assert _fresh(task).status == "returned"
    client.force_login(world.village_cadre)
    page = client.get(url).content.decode()
    assert "请核实户籍户数" in page and "确认并报送" in page
    _submit(world, table)
    client.force_login(world.town_hk)
    task = _fresh(table.task)
    client.post(f"{url}review/", {"step": "approve", "note": "", "version": task.version})
    client.force_login(world.office)
    page = client.get(url).content.decode()
    assert "接收" in page and "办理记录" in page
    task = _fresh(table.task)
    answer = client.post(
        f"/api/v1/forms/tasks/{task.pk}/review",
        json.dumps({"step": "accept", "version": task.version}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    stale = client.post(
        f"/api/v1/forms/tasks/{task.pk}/review",
        json.dumps({"step": "return", "note": "晚了", "version": task.version}),
        content_type="application/json",
    )
    assert stale.status_code in (400, 409) and _fresh(task).status == "accepted"
