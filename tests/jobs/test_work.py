"""Long work in the background: the page hands it to the worker, shows its progress, offers the file to the
person who asked and to nobody else; an import stays all or nothing."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from jianfu.core import jobs as registry
from jianfu.core import progress
from jianfu.jobs import operations
from jianfu.jobs.housekeeping import prune
from jianfu.jobs.models import Work, WorkStatus
from jianfu.monitoring import services as monitoring
from jianfu.monitoring.models import Finding, MonthlyRollup
from jianfu.monitoring.services import bulletins


def test_it_exports_in_the_background_and_offers_the_file_only_to_its_owner(world, client, login, run_tasks):
    login(world.admin)
    response = client.post("/orgs/export/users/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page  # the page polls until the work is done
    assert run_tasks() == 1
    work = Work.objects.get()
    assert work.status == WorkStatus.DONE and work.percent == 100
    fragment = client.get(f"/jobs/work/{work.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and f"/jobs/work/{work.pk}/file/" in fragment  # polling stops
    download = client.get(f"/jobs/work/{work.pk}/file/")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0].values)
    usernames = {row[0] for row in rows[1:]}
    assert "taoyuan" in usernames and "dl_admin" not in usernames  # the admin's own scope, as on the page
    login(world.outsider)
    assert client.get(f"/jobs/work/{work.pk}/file/").status_code == 404
    assert client.get(f"/api/v1/jobs/work/{work.pk}").status_code == 404
    assert "导出用户" not in client.get("/jobs/work/").content.decode()


def test_it_builds_a_bulletins_docx_in_the_background(world, client, login, run_tasks):
    day = timezone.localdate() - timedelta(days=1)
    point = monitoring.point_designate(actor=None, village=world.village_taoyuan)
    monitoring.monitor_assign(actor=None, point=point, monitor=world.monitor)
    for n in range(3):
        monitoring.event_record(
            actor=world.monitor,
            village=world.village_taoyuan,
            kind="app",
            department=world.dept_rs,
            occurred_on=day,
            hours=1,
            description=f"要求每天APP打卡（{n}）",
        )
    found = Finding.objects.all()
    monitoring.findings_decide(
        actor=None, items=[(f.pk, f.version) for f in found], decision="confirm", reason="属实"
    )
    bulletin = bulletins.bulletin_draft(actor=None, region=world.county, period_start=day, period_end=day)
    login(world.inspector)
    response = client.post(f"/monitoring/bulletins/{bulletin.pk}/docx/")
    assert run_tasks() == 1
    work = client.get(response["Location"]).context["work"]
    assert work.status == WorkStatus.DONE and work.result_name.endswith(".docx")
    content = b"".join(client.get(f"/jobs/work/{work.pk}/file/").streaming_content)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "县人社局：违规3起" in text and "要求每天APP打卡（2）" in text


def test_it_rebuilds_the_rollup_in_the_background_for_the_county_office(world, client, login, run_tasks):
    MonthlyRollup.objects.create(
        region_code="428521000000",
        level=3,
        month=timezone.localdate().replace(day=1),
        kind="app",
        events=99,
        hours=0,
        violations=0,
        undecided=0,
    )
    login(world.office)
    response = client.post("/monitoring/dashboard/rebuild/")
    assert response.status_code == 302 and run_tasks() == 1
    work = Work.objects.get()
    assert work.status == WorkStatus.DONE and "已重建" in work.message
    assert not MonthlyRollup.objects.filter(events=99).exists()
    login(world.monitor)
    assert client.post("/monitoring/dashboard/rebuild/").status_code == 403


def test_it_reports_progress_while_the_work_runs(world):
    seen = []

    def slow(work):
        for n in range(3):
            progress.tick(n, 3, f"第 {n + 1} 步", force=True)
            seen.append(Work.objects.values_list("done", "total", "stage").get(pk=work.work.pk))
        return operations.Outcome(message="完成")

    registry.register_operation("test.slow", label="测试", func=f"{__name__}.SLOW")
    globals()["SLOW"] = slow
    work = operations.work_start(actor=world.admin, kind="test.slow")
    assert operations.run(work.pk) == WorkStatus.DONE
    assert seen == [(0, 3, "第 1 步"), (1, 3, "第 2 步"), (2, 3, "第 3 步")]
    assert operations.run(work.pk) == "skipped"  # a second copy of the task leaves finished work alone
    del registry.OPERATIONS["test.slow"]


def test_it_keeps_a_failed_operation_to_its_owner_and_expires_files(
    world, client, login, run_tasks, settings
):
    login(world.admin)
    client.post("/orgs/export/regions/")
    run_tasks()
    work = Work.objects.get()
    from pathlib import Path

    path = Path(work.result_path)
    assert path.exists() and str(path).startswith(str(settings.PRIVATE_ROOT))
    assert "过期文件 1 个" in prune(now=timezone.now() + timedelta(days=settings.WORK_FILE_DAYS + 1))
    assert not path.exists()
    assert client.get(f"/jobs/work/{work.pk}/file/").status_code == 404


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b\\c.xlsx", ""])
def test_it_keeps_uploaded_names_inside_the_works_folder(name):
    cleaned = operations._safe_name(name)
    assert "/" not in cleaned and "\\" not in cleaned and cleaned


def test_it_refuses_an_oversized_upload_on_the_page_and_starts_nothing(world, client, login, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "spreadsheet": 10}
    login(world.admin)
    upload = SimpleUploadedFile("regions.xlsx", b"x" * 11)
    page = client.post("/orgs/import/", {"kind": "regions", "file": upload})
    assert page.status_code == 200 and "不能超过" in page.content.decode()
    assert not Work.objects.exists()
