"""The pages people use, the ledger read back from Excel, the public survey, and the demo data."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jianfu.campaign import services
from jianfu.campaign.demo import load_demo_records
from jianfu.campaign.models import Campaign, EvaluationScheme, ProgressReport, SurveyAnswer, Task
from tests.campaign.test_evaluations import ALL_SATISFIED
from tests.files import docx_bytes

from .conftest import rs_task


def test_it_loads_the_demo_once(world):
    first = load_demo_records()
    assert "任务 17 项" in first
    counts = (Campaign.objects.count(), Task.objects.count(), ProgressReport.objects.count())
    load_demo_records()
    assert (Campaign.objects.count(), Task.objects.count(), ProgressReport.objects.count()) == counts
    assert counts[1] == 18  # 17 from seed 000 and one from the joint meeting's decision


def test_it_walks_every_page_of_the_demo(world, login):
    load_demo_records()
    campaign = Campaign.objects.get()
    task = campaign.tasks.get(number=2)
    scheme = EvaluationScheme.objects.get()
    client = login(world.office)
    from jianfu.campaign.models import AgencyEvaluation, ClassificationRound, CommunityWorker, JointMeeting

    urls = [
        "/campaign/",
        f"/campaign/{campaign.pk}/",
        f"/campaign/tasks/{task.pk}/",
        "/campaign/meetings/",
        f"/campaign/meetings/{JointMeeting.objects.get().pk}/",
        "/campaign/evaluations/",
        f"/campaign/evaluations/{scheme.pk}/",
        f"/campaign/evaluations/{scheme.pk}/scores/",
        f"/campaign/evaluations/{scheme.pk}/codes/",
        "/campaign/agencies/",
        f"/campaign/agencies/{AgencyEvaluation.objects.first().pk}/",
        "/campaign/classification/",
        f"/campaign/classification/{ClassificationRound.objects.get().pk}/",
        "/campaign/communities/",
        "/campaign/communities/428521001001/",
        f"/campaign/workers/{CommunityWorker.objects.first().pk}/",
        "/home/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/campaign/classification/{ClassificationRound.objects.get().pk}/").content.decode()
    assert "×0.5" in page and "1 类" in page


def test_it_exports_the_ledger_and_reads_it_back(world, login, campaign):
    task = rs_task(world, campaign, deadline=date(2026, 7, 31))
    services.report_file(
        actor=world.dept_clerk,
        task=task,
        kind="weekly",
        period_start=date(2026, 7, 6),
        summary='=HYPERLINK("x")',
        progress=30,
        today=date(2026, 7, 20),
    )
    response = login(world.office).get(f"/campaign/{campaign.pk}/ledger.xlsx")
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    tasks = list(book["任务分工"].iter_rows(min_row=3, values_only=True))
    assert len(tasks) == 18 and tasks[0][3] == "县政府办"
    mine = next(r for r in tasks if r[3] == "县人社局")
    assert mine[6] == "推进中" and mine[8] == "是" and mine[9] > 0 and mine[10] == '=HYPERLINK("x")'
    units = {r[0]: r for r in book["牵头单位"].iter_rows(min_row=2, values_only=True)}
    assert units["县人社局"][5] == 1
    reports = list(book["进度报告"].iter_rows(min_row=2, values_only=True))
    assert reports[0][2] == "县人社局" and reports[0][3] == "周报告"


def test_it_files_a_report_with_an_attachment_from_the_page(world, login, campaign):
    task = rs_task(world, campaign)
    client = login(world.dept_clerk)
    content = docx_bytes()  # once: a DOCX made a second later carries another timestamp
    upload = SimpleUploadedFile("周报.docx", content, content_type="application/octet-stream")
    response = client.post(
        f"/campaign/tasks/{task.pk}/report/",
        {
            "kind": "weekly",
            "period_start": "2026-07-08",
            "summary": "已完成摸排",
            "progress": "40",
            "attachments": [upload],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task)
    attachment = report.attachments.get()
    download = client.get(f"/campaign/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == content
    assert (
        download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    bad = SimpleUploadedFile("a.sh", b"#!/bin/sh")
    response = client.post(
        f"/campaign/tasks/{task.pk}/report/",
        {
            "kind": "monthly",
            "period_start": "2026-07-08",
            "summary": "x",
            "progress": "40",
            "attachments": [bad],
        },
    )
    assert "不是可以识别的文件，这里只能上传" in response.content.decode()
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_it_takes_the_survey_on_the_public_page_once(world, client):
    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    scheme = services.scheme_open(actor=world.town_hk, scheme=scheme, version=scheme.version)
    code = services.codes_issue(actor=world.town_hk, scheme=scheme, village=world.village_taoyuan, count=1)[0]
    page = client.get(f"/public/campaign/survey/?code={code.code}")
    assert page.status_code == 200 and code.code in page.content.decode()
    response = client.post("/public/campaign/survey/", {"code": code.code, **ALL_SATISFIED})
    assert "感谢您的评价" in response.content.decode()
    response = client.post("/public/campaign/survey/", {"code": code.code, **ALL_SATISFIED})
    assert "已经使用过" in response.content.decode()
    assert SurveyAnswer.objects.count() == 1


def test_it_refuses_weights_not_summing_to_100_on_the_page(world, login):
    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    data = {
        "version": scheme.version,
        "rows": "2",
        "name_0": "群众满意度",
        "weight_0": "50",
        "satisfaction": "0",
        "name_1": "为民服务",
        "weight_1": "30",
    }
    response = login(world.town_hk).post(f"/campaign/evaluations/{scheme.pk}/indicators/", data)
    assert "合计应为 100%，现为 80.00%" in response.content.decode()
    assert scheme.indicators.count() == 4


def test_it_shows_the_grid_figures_on_the_townships_scoring_page(world, login, monkeypatch):
    from jianfu.campaign import services
    from jianfu.grid import selectors as grid_selectors

    agency = services.agency_register(
        actor=world.town_hk,
        township=world.township_hk,
        department=world.dept_rs,
        agency_name="河口镇劳动保障所",
        head_name="刘洋",
        year=2026,
    )
    asked = {}

    def figures(*, department, township, year):
        asked.update(department=department, township=township, year=year)
        return {"handled": 12, "on_time": 9, "on_time_rate": 0.75, "satisfaction": 86.5}

    monkeypatch.setattr(grid_selectors, "agency_figures", figures)
    page = login(world.town_hk).get(f"/campaign/agencies/{agency.pk}/").content.decode()
    assert asked == {"department": world.dept_rs, "township": world.township_hk, "year": 2026}
    assert "网格事件处置情况" in page and ">12<" in page and "75%" in page and "86.5" in page
    assert "乡镇（街道）评分" in page and "派出部门评分" not in page


def test_it_saves_no_score_from_the_grid_when_one_cell_is_out_of_range(world, login):
    from jianfu.campaign.models import VillageScore

    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    scheme = services.scheme_open(actor=world.town_hk, scheme=scheme, version=scheme.version)
    first, second = [i for i in scheme.indicators.order_by("order") if not i.is_satisfaction][:2]
    village = world.village_taoyuan.pk
    data = {f"s_{village}_{first.pk}": "80", f"s_{village}_{second.pk}": "150"}
    response = login(world.town_hk).post(f"/campaign/evaluations/{scheme.pk}/scores/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "应在 0 至 100 之间" in page and "均未保存" in page
    assert 'value="150"' in page  # what was typed is shown again
    assert not VillageScore.objects.filter(scheme=scheme).exists()


def test_it_does_not_overwrite_a_score_a_colleague_entered_after_the_grid_was_opened(world, login):
    from jianfu.campaign.models import VillageScore

    scheme = services.scheme_create(actor=world.town_hk, township=world.township_hk, year=2026)
    scheme = services.scheme_open(actor=world.town_hk, scheme=scheme, version=scheme.version)
    first = next(i for i in scheme.indicators.order_by("order") if not i.is_satisfaction)
    key = f"{world.village_taoyuan.pk}_{first.pk}"
    client = login(world.town_hk)
    page = client.get(f"/campaign/evaluations/{scheme.pk}/scores/").content.decode()
    assert f'name="v_{key}" value="0"' in page  # the form remembers the cell was empty when shown
    services.score_enter(
        actor=world.town_hk, scheme=scheme, village=world.village_taoyuan, indicator=first, score=70
    )
    response = client.post(f"/campaign/evaluations/{scheme.pk}/scores/", {f"s_{key}": "80", f"v_{key}": "0"})
    assert "已被其他用户修改" in response.content.decode()
    row = VillageScore.objects.get(scheme=scheme, indicator=first)
    assert (row.score, row.version) == (70, 1)
    response = client.post(f"/campaign/evaluations/{scheme.pk}/scores/", {f"s_{key}": "85", f"v_{key}": "1"})
    assert response.status_code == 302
    assert VillageScore.objects.get(pk=row.pk).score == 85
