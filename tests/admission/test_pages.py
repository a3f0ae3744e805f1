"""The admission pages with the test client: forms name the field, steps report back, conflicts are told."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from jianfu.admission.models import AdmittedItem, Application, Status
from jianfu.admission.services import filing, review
from tests.admission.conftest import COMPLETE, approved, at_decision, submitted

pytestmark = pytest.mark.usefixtures("reference")


def _form(**overrides):
    data = {**COMPLETE, "scope_all": "on", "urgency": "normal", **overrides}
    return {k: v for k, v in data.items() if v is not None}


def test_it_lets_the_department_draft_and_submit_from_the_pages(world, login):
    client = login(world.dept_clerk)
    response = client.post(reverse("admission:create"), _form())
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admission:detail", args=[application.pk]
    )
    response = client.post(
        reverse("admission:submit", args=[application.pk]), {"version": application.version}, follow=True
    )
    assert "已通过清单预检" in response.content.decode()
    assert Application.objects.get().status == Status.SUBMITTED


def test_it_saves_and_submits_in_one_step_and_keeps_the_draft_when_refused(world, login):
    client = login(world.dept_clerk)
    response = client.post(reverse("admission:create"), {**_form(), "and_submit": "1"}, follow=True)
    assert "已通过清单预检" in response.content.decode()
    assert Application.objects.get().status == Status.SUBMITTED
    response = client.post(
        reverse("admission:create"),
        {**_form(funds_amount="", funds_source=""), "and_submit": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "已保存为草稿，但还不能提交" in page and "费随事转" in page
    assert Application.objects.filter(status=Status.DRAFT).count() == 1


def test_it_names_the_missing_field_when_submission_is_refused(world, login):
    client = login(world.dept_clerk)
    client.post(reverse("admission:create"), _form(funds_amount="", funds_source=""))
    application = Application.objects.get()
    response = client.post(
        reverse("admission:submit", args=[application.pk]), {"version": application.version}, follow=True
    )
    assert "费随事转" in response.content.decode()
    assert Application.objects.get().status == Status.DRAFT


def test_it_shows_a_clear_form_error_for_a_bad_date(world, login):
    client = login(world.dept_clerk)
    response = client.post(reverse("admission:create"), _form(period_start="2026-13-45"))
    assert response.status_code == 200 and "实施起始日期" in response.content.decode()
    assert not Application.objects.exists()


def test_it_tells_the_second_chair_the_application_changed(world, login):
    application = at_decision(world)
    client = login(world.chair)
    stale = application.version
    client.post(reverse("admission:decide", args=[application.pk]), {"version": stale, "outcome": "approve"})
    response = client.post(
        reverse("admission:decide", args=[application.pk]),
        {"version": stale, "outcome": "approve"},
        follow=True,
    )
    assert "已被其他用户修改" in response.content.decode()
    assert AdmittedItem.objects.count() == 1


def test_it_shows_each_person_only_their_own_step(world, login):
    application = submitted(world)
    url = reverse("admission:detail", args=[application.pk])
    assert "记录初审结论" in login(world.office).get(url).content.decode()
    assert "记录初审结论" not in login(world.chair).get(url).content.decode()
    assert "记录初审结论" not in login(world.dept_clerk).get(url).content.decode()


def test_it_serves_the_notice_as_docx_and_a_print_view(world, login):
    notice = approved(world).notice
    client = login(world.village_cadre)
    response = client.get(reverse("admission:notice_docx", args=[notice.pk]))
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert notice.number in text and "企业用工情况季度调查协助" in text
    assert notice.number in client.get(reverse("admission:notice_print", args=[notice.pk])).content.decode()


def test_it_lets_a_village_check_decline_and_print_the_reply(world, login):
    client = login(world.village_cadre)
    text = "请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积"
    page = client.post(reverse("admission:check"), {"text": text}).content.decode()
    assert "拒绝执行，生成回执" in page
    response = client.post(
        reverse("admission:decline"),
        {"text": text, "department": world.dept_rs.pk, "received_on": "2026-11-20"},
        follow=True,
    )
    assert "关于不予承担未经准入工作事项的回执" in response.content.decode()
    assert "县人社局" in response.content.decode()


def test_it_publishes_admitted_items_without_login_and_without_people(world, client):
    approved(world)
    page = client.get(reverse("public_admission:items") + f"?county={world.county.code}").content.decode()
    assert "企业用工情况季度调查协助" in page
    item = AdmittedItem.objects.get()
    detail = client.get(reverse("public_admission:item", args=[item.pk])).content.decode()
    assert "县人社局" in detail
    for private in (world.dept_clerk.full_name, world.chair.full_name, world.dept_clerk.phone):
        assert private not in page and private not in detail


def test_it_keeps_the_queue_query_count_flat(world, login, django_assert_max_num_queries):
    client = login(world.office)
    for n in range(3):
        submitted(
            world, title=f"协助开展第{n}批高龄津贴发放对象核查", description="协助核查高龄津贴发放对象。"
        )
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("admission:index"))
    for n in range(3, 12):
        submitted(
            world, title=f"协助开展第{n}批高龄津贴发放对象核查", description="协助核查高龄津贴发放对象。"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admission:index"))


def test_it_counts_declines_per_assigning_unit_for_the_township(world, login):
    from django.utils import timezone

    from jianfu.admission.services import filing

    for text in ("请协助开展农村户用光伏安装意向摸底调查", "请协助统计辖区养蜂户数量并每周上报"):
        filing.work_decline(
            actor=world.village_cadre,
            region=world.village_taoyuan,
            text=text,
            department=world.dept_rs,
            department_name="",
            received_on=timezone.localdate(),
        )
    page = login(world.town_hk).get(reverse("admission:declines")).content.decode()
    assert "县人社局（2）" in page
    assert "县人社局（" not in login(world.town_cg).get(reverse("admission:declines")).content.decode()


def test_it_keeps_the_public_notice_query_count_flat(world, client, django_assert_max_num_queries):
    approved(world)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("public_admission:items"))
    for n in range(4):
        approved(
            world,
            title=f"协助开展第{n}批高龄津贴发放对象核查",
            description="协助核查高龄津贴发放对象。",
            overlaps=[{"existing": "同类核查", "action": "merge"}],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("public_admission:items"))


def test_it_uploads_an_attachment_to_a_draft_and_serves_it_only_in_scope(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(world.dept_clerk)
    client.post(reverse("admission:create"), _form())
    application = Application.objects.get()
    upload = SimpleUploadedFile("乡镇书面意见.pdf", b"%PDF-1.4 written opinions")
    client.post(reverse("admission:attach", args=[application.pk]), {"file": upload})
    attachment = application.attachments.get()
    url = reverse("admission:attachment", args=[application.pk, attachment.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 written opinions"
    assert login(world.outsider).get(url).status_code == 404


def test_it_refuses_an_attachment_of_an_unknown_type(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(world.dept_clerk)
    client.post(reverse("admission:create"), _form())
    application = Application.objects.get()
    response = client.post(
        reverse("admission:attach", args=[application.pk]),
        {"file": SimpleUploadedFile("run.exe", b"MZ")},
        follow=True,
    )
    assert "这里只能上传" in response.content.decode() and not application.attachments.exists()


def test_it_shows_a_returned_application_with_the_reason_of_its_last_step(world, login):
    application = submitted(world)
    review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="return",
        opinion="缺少经费来源说明，请补充后重新提交。",
    )
    response = login(world.office).get(reverse("admission:detail", args=[application.pk]))
    assert response.status_code == 200
    assert "缺少经费来源说明" in response.content.decode()


def test_it_shows_a_village_only_its_own_receipt_of_a_notice_and_the_county_every_one(world, login, client):
    notice = approved(world).notice
    taoyuan = notice.recipients.get(region=world.village_taoyuan)
    filing.notice_acknowledge(actor=world.village_cadre, recipient=taoyuan)
    signer = world.village_cadre.full_name
    url = reverse("admission:item_detail", args=[notice.item_id])
    page = login(world.community_cadre).get(url).content.decode()
    assert world.community_jiefang.name in page and world.village_taoyuan.name not in page
    assert signer not in page
    assert "签收情况（1 个单位）" in page
    client.logout()
    page = login(world.office).get(url).content.decode()
    assert signer in page and world.village_taoyuan.name in page and world.community_jiefang.name in page
    client.logout()
    page = login(world.village_cadre).get(url).content.decode()
    assert signer in page and world.community_jiefang.name not in page
