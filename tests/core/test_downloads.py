"""Downloads are named in words a browser keeps (issue 21: not 2.docx or archive.xlsx)."""

import io
from urllib.parse import unquote

from django.http import HttpResponse
from django.utils import timezone

from jianfu.admission.services import filing
from jianfu.core.uploads import download_name


def _name(response) -> str:
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    return unquote(header.split("filename*=utf-8''")[1])


def test_it_names_a_chinese_download_so_the_browser_keeps_the_name():
    response = download_name(HttpResponse(b"x"), "工作告知单-清河准〔2026〕3号.docx")
    assert _name(response) == "工作告知单-清河准〔2026〕3号.docx"


def test_it_names_the_decline_reply_by_what_it_is(world, client):
    from django.core.management import call_command

    call_command("load_reference", stdout=io.StringIO())  # the lists the check reads
    record = filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text="要求村委会每周上报辖区内商铺消防检查照片并组织执法",
        department=None,
        department_name="县消防救援大队",
        received_on=timezone.localdate(),
    )
    client.force_login(world.village_cadre)
    response = client.get(f"/admission/declines/{record.pk}.docx")
    assert response.status_code == 200
    assert _name(response) == f"不予承担回执-{record.number}.docx"


def test_it_answers_the_browsers_favicon_request_with_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/field/icon-192.png"
