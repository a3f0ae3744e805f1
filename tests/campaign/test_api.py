"""The JSON API: same services, Chinese errors, 409 on a stale version, the public survey."""

import base64
import json

from jianfu.campaign import services
from jianfu.campaign.models import ProgressReport

from .conftest import rs_task


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_it_files_a_report_with_a_base64_attachment_and_lists_the_ledger(world, login, campaign):
    task = rs_task(world, campaign)
    client = login(world.dept_clerk)
    body = {
        "kind": "weekly",
        "period_start": "2026-07-08",
        "summary": "接口报送",
        "progress": 40,
        "attachments": [{"name": "周报.pdf", "content_base64": base64.b64encode(b"%PDF-1.7").decode()}],
    }
    response = _post(client, f"/api/v1/campaign/tasks/{task.pk}/reports", body)
    assert response.status_code == 201 and response.json()["attachments"] == ["周报.pdf"]
    assert ProgressReport.objects.get(task=task).attachments.get().file.read() == b"%PDF-1.7"
    bad = _post(
        client,
        f"/api/v1/campaign/tasks/{task.pk}/reports",
        {**body, "period_start": "2026-07-15", "attachments": [{"name": "x.pdf", "content_base64": "@@"}]},
    )
    assert bad.status_code == 400 and "Base64" in bad.json()["error"]["message"]
    ledger = client.get(f"/api/v1/campaign/campaigns/{campaign.pk}/ledger").json()
    assert len(ledger["rows"]) == 18 and any(u["department"] == "县人社局" for u in ledger["units"])


def test_it_answers_409_on_a_stale_task_and_400_on_bad_weights(world, login, campaign):
    client = login(world.office)
    task = campaign.tasks.get(number=1)
    ok = _post(
        client, f"/api/v1/campaign/tasks/{task.pk}", {"version": task.version, "measures": "新"}, "patch"
    )
    assert ok.status_code == 200
    stale = _post(
        client, f"/api/v1/campaign/tasks/{task.pk}", {"version": task.version, "measures": "旧"}, "patch"
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    body = {
        "version": scheme.version,
        "indicators": [
            {"name": "群众满意度", "weight": 50, "is_satisfaction": True},
            {"name": "一票否决：安全生产", "weight": 50},
        ],
    }
    refused = _post(client, f"/api/v1/campaign/evaluations/{scheme.pk}/indicators", body, "put")
    assert refused.status_code == 400 and "一票否决" in refused.json()["error"]["message"]


def test_it_takes_the_public_survey_once_and_refuses_signed_in_staff(world, client):
    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    scheme = services.scheme_open(actor=world.town_hk, scheme=scheme, version=scheme.version)
    code = services.codes_issue(actor=world.town_hk, scheme=scheme, village=world.village_taoyuan, count=1)[0]
    answers = {"service": "3", "openness": "3", "conduct": "3", "problems": "2", "overall": "3"}
    first = _post(client, "/api/v1/campaign/survey", {"code": code.code, "answers": answers})
    assert first.status_code == 201 and first.json() == {"village": "桃园村", "score": "92.00"}
    again = _post(client, "/api/v1/campaign/survey", {"code": code.code, "answers": answers})
    assert again.status_code == 400 and "已经使用过" in again.json()["error"]["message"]
    client.force_login(world.town_hk)
    staff = _post(client, "/api/v1/campaign/survey", {"code": code.code, "answers": answers})
    assert staff.status_code == 403 and "不得代填" in staff.json()["error"]["message"]


def test_it_rates_an_agency_through_the_api_under_the_90_percent_rule(world, login):
    client = login(world.town_hk)
    made = _post(
        client,
        "/api/v1/campaign/agencies",
        {
            "township_code": "428521101000",
            "department_id": world.dept_rs.pk,
            "agency_name": "河口镇劳动保障所",
            "head_name": "刘洋",
            "year": 2026,
        },
    )
    agency = made.json()
    scored = _post(
        client,
        f"/api/v1/campaign/agencies/{agency['id']}/township",
        {"version": agency["version"], "territorial": 35, "satisfaction": 18},
    ).json()
    client.force_login(world.dept_clerk)
    scored = _post(
        client,
        f"/api/v1/campaign/agencies/{agency['id']}/department",
        {"version": scored["version"], "statutory": 40},
    ).json()
    assert scored["total"] == "93.00" and scored["township_part"] == "53.00"
    client.force_login(world.town_hk)
    refused = _post(
        client,
        f"/api/v1/campaign/agencies/{agency['id']}/rate",
        {"version": scored["version"], "agency_grade": "excellent", "head_grade": "competent"},
    )
    assert refused.status_code == 400 and "未达 90%" in refused.json()["error"]["message"]
    detail = client.get(f"/api/v1/campaign/agencies/{agency['id']}").json()
    assert set(detail["grid_figures"]) >= {"handled", "on_time_rate"}
