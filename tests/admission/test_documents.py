"""The admission documents read back as their users would open them: the work notice and the decline reply
in Word, the archive in Excel, and the archive timeline.

县人社局's clerk (dept_clerk) applies, the office reviews, the chair approves; 桃园村 (河口镇) and 解放路社区
(城关街道) receive the notice.
"""

import zipfile
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from openpyxl import load_workbook

from jianfu.admission import services
from jianfu.admission.archive import application_archive_workbook, archive_entries
from jianfu.admission.documents import decline_docx, notice_docx
from jianfu.admission.services import filing, review
from jianfu.orgs.models import Department
from tests.admission.conftest import COMPLETE, approved, at_decision, submitted, townships_answer

pytestmark = pytest.mark.usefixtures("reference")

FORMULA_TITLE = '=HYPERLINK("http://example.com/x","企业用工情况季度调查协助")'


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def paragraph_with(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def archive(application):
    buffer = BytesIO()
    application_archive_workbook(application).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer), buffer


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def ordinary(world, **overrides):
    """Through coordination and a member-unit meeting with two opinions, then approved."""
    application = submitted(world, township_stance="objection", **overrides)
    application = review.application_initial_review(
        actor=world.office,
        application=application,
        expected_version=application.version,
        outcome="ordinary",
        opinion="河口镇有异议，走普通程序。",
    )
    application = review.application_coordinate(
        actor=world.office,
        application=application,
        expected_version=application.version,
        note="已协调，经费增加。",
    )
    meeting = review.meeting_record(
        actor=world.office,
        application=application,
        held_on=timezone.localdate(),
        place="县政府三楼会议室",
        convener="李建国（审核委员会主任）",
        applicant_report="县人社局专题汇报了调查方案。",
    )
    review.meeting_opinion_add(
        actor=world.member,
        meeting=meeting,
        stance="agree",
        text="同意",
        department=Department.objects.get(name="县委编办"),
    )
    review.meeting_opinion_add(
        actor=world.town_hk,
        meeting=meeting,
        stance="changes",
        text="请提前一周下发名单",
        region=world.township_hk,
    )
    application.refresh_from_db()
    application = review.meeting_conclude(
        actor=world.office, application=application, expected_version=application.version
    )
    return review.application_decide(
        actor=world.chair, application=application, expected_version=application.version, outcome="approve"
    )


def changed_then_ended(world):
    """The original item, changed by a second application, whose item the department then ends."""
    original = approved(world)
    change = services.application_create(
        actor=world.dept_clerk,
        applicant=world.dept_rs,
        kind="change",
        related_item=original.admitted_item,
        **{**COMPLETE, "title": "企业用工调查协助（调整为每半年一次）"},
    )
    change = services.application_submit(
        actor=world.dept_clerk, application=change, expected_version=change.version
    )
    townships_answer(change, "no_objection")
    change = review.application_initial_review(
        actor=world.office,
        application=change,
        expected_version=change.version,
        outcome="simple",
        opinion="变更",
    )
    change = review.application_decide(
        actor=world.chair, application=change, expected_version=change.version, outcome="approve"
    )
    exit_filing = filing.item_end(
        actor=world.dept_clerk,
        item=change.admitted_item,
        end_on=timezone.localdate(),
        reason="调查工作已全部完成",
    )
    return original, change, exit_filing


# 工作告知单 ------------------------------------------------------------------------------------------------


def test_it_renders_the_notice_with_its_number_title_scope_and_funds(world):
    application = approved(world, scope_all=False, scope_regions=[world.township_hk])
    notice = application.notice
    text = docx_text(notice_docx(notice))
    assert notice.number in text
    assert f"关于准入“{COMPLETE['title']}”工作事项的告知单" in text
    assert "河口镇及所辖各村（社区）：" in text and "城关街道" not in text
    assert "实施范围：河口镇。" in text
    assert "60,000.00元" in text and "县级社保经办经费" in text
    assert notice.item.code in text and "起，长期" in text
    assert "审核程序：简易程序。" in text and "审定机构：清河县社区工作事项审核委员会。" in text
    assert "村（社区）有权拒绝执行" in text
    assert f"抄送：县人社局；备案：清河县社区工作事项审核委员会办公室（{notice.filed_on.year}年" in text


def test_it_lays_the_notice_out_on_a4_under_a_red_header(world):
    document = Document(BytesIO(notice_docx(approved(world).notice)))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    header = paragraph_with(document, "清河县社区工作事项审核委员会")
    run = header.runs[0]
    assert run.font.color.rgb == RGBColor(0xFF, 0x00, 0x00)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = paragraph_with(document, "交办部门：县人社局。")
    assert body.runs[0].font.size.pt == 16 and body.paragraph_format.first_line_indent.pt == 32


def test_it_addresses_every_township_when_the_item_covers_the_county(world):
    text = docx_text(notice_docx(approved(world).notice))
    assert "各乡镇（街道），各村（社区）：" in text
    assert "实施范围：清河县全部村（社区）。" in text


def test_it_addresses_a_village_chosen_on_its_own(world):
    text = docx_text(
        notice_docx(approved(world, scope_all=False, scope_regions=[world.village_taoyuan]).notice)
    )
    assert "\n桃园村：\n" in text and "实施范围：桃园村。" in text


def test_it_tells_what_becomes_of_overlapping_work(world):
    approved(world)
    second = at_decision(world, title="企业用工情况调查协助（第二次）")
    second = review.application_decide(
        actor=world.chair,
        application=second,
        expected_version=second.version,
        outcome="approve",
        overlaps=[{"existing": "原用工调查事项", "action": "merge", "note": "并入本事项"}],
    )
    text = docx_text(notice_docx(second.notice))
    assert "重叠工作的处理" in text and "1. 原用工调查事项：合并（并入本事项）。" in text


def test_it_records_the_member_unit_meeting_in_the_notice(world):
    text = docx_text(notice_docx(ordinary(world).notice))
    assert "审核程序：普通程序。" in text and "召开成员单位会议审议，出具意见2份。" in text


# 回执 -----------------------------------------------------------------------------------------------------


def test_it_writes_the_decline_reply_to_the_department(world):
    decline = filing.work_decline(
        actor=world.village_cadre,
        region=world.village_taoyuan,
        text="请村里协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积",
        department=world.dept_rs,
        department_name="",
        received_on=timezone.localdate(),
    )
    text = docx_text(decline_docx(decline))
    assert f"编号：{decline.number}" in text
    assert "县人社局：" in text and "农村户用光伏安装意向摸底调查" in text
    assert decline.verdict["explanation"] in text
    # A department reads the list, the item and its basis, never a score or an internal code.
    assert "相似度" not in text and not any(m["code"] in text for m in decline.verdict["matches"])
    assert "有权拒绝执行" in text and "未经审核批准的，不得擅自新增" in text
    assert "清河县社区工作事项审核委员会办公室" in text and "提出准入申请" in text
    assert "桃园村村民委员会（盖章）" in text


# The archive workbook --------------------------------------------------------------------------------------


def test_it_exports_the_archive_with_every_sheet_and_the_transitions_in_order(world):
    workbook, _ = archive(approved(world))
    assert workbook.sheetnames == [
        "申请信息",
        "流转记录",
        "审核意见",
        "成员单位会议",
        "告知单及签收",
        "变更与退出",
    ]
    steps = [(row[2], row[3]) for row in rows(workbook["流转记录"])]
    assert steps == [
        ("新建", "草稿"),
        ("草稿", "待初审"),
        ("待初审", "待审核委员会核准"),
        ("待审核委员会核准", "已准入"),
    ]
    info = dict(rows(workbook["申请信息"]))
    assert info["事项名称"] == COMPLETE["title"] and info["状态"] == "已准入"
    assert info["经费来源"] == "县级社保经办经费" and info["实施范围"] == "清河县全部村（社区）"
    opinions = rows(workbook["审核意见"])
    assert [(o[1], o[3]) for o in opinions] == [("初审意见", "同意")]
    assert workbook["流转记录"].freeze_panes == "A2" and workbook["流转记录"]["A1"].font.bold


def test_it_keeps_a_formula_looking_title_as_text(world):
    workbook, buffer = archive(approved(world, title=FORMULA_TITLE))
    cell = next(c for c in workbook["申请信息"]["B"] if c.value == FORMULA_TITLE)
    assert cell.data_type == "s"
    with zipfile.ZipFile(buffer) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet for sheet in sheets)


def test_it_lists_each_recipient_signed_or_not(world):
    notice = approved(world).notice
    filing.notice_acknowledge(
        actor=world.village_cadre, recipient=notice.recipients.get(region=world.village_taoyuan)
    )
    workbook, _ = archive(notice.application)
    by_name = {row[2]: row for row in rows(workbook["告知单及签收"])}
    assert by_name["解放路社区"][4] == "未签收" and by_name["解放路社区"][0] == notice.number
    signed = by_name["桃园村"]
    assert signed[4].date() == timezone.localdate() and signed[5] == world.village_cadre.full_name


def test_it_exports_the_meeting_and_its_opinions(world):
    workbook, _ = archive(ordinary(world))
    (meeting,) = rows(workbook["成员单位会议"])
    assert meeting[1] == "县政府三楼会议室" and meeting[5] == 2
    units = [(o[1], o[2], o[3]) for o in rows(workbook["审核意见"]) if o[1] == "成员单位会议意见"]
    assert units == [
        ("成员单位会议意见", "县委编办", "同意"),
        ("成员单位会议意见", "河口镇", "原则同意，建议修改"),
    ]


def test_it_follows_the_item_through_its_change_and_exit(world):
    original, change, exit_filing = changed_then_ended(world)
    workbook, _ = archive(original)
    chain = [(row[0], row[1]) for row in rows(workbook["变更与退出"])]
    assert chain == [
        ("本申请", original.number),
        ("变更", change.number),
        ("完结/退出报备", exit_filing.number),
    ]
    workbook, _ = archive(exit_filing)
    assert [row[0] for row in rows(workbook["变更与退出"])] == ["原准入", "变更", "本申请"]


# The timeline ----------------------------------------------------------------------------------------------


def test_it_merges_the_archive_into_one_chronological_timeline(world):
    original, change, _ = changed_then_ended(world)
    filing.notice_acknowledge(
        actor=world.village_cadre, recipient=original.notice.recipients.get(region=world.village_taoyuan)
    )
    entries = archive_entries(original)
    kinds = [e["kind"] for e in entries]
    assert kinds == [
        "transition",
        "transition",
        "opinion",
        "transition",
        "transition",
        "notice",
        "change",
        "exit",
        "acknowledgement",
    ]
    times = [e["time"] for e in entries]
    assert times == sorted(times)
    assert [e["step"] for e in entries[:2]] == ["草稿", "待初审"]
    assert entries[2]["actor"].startswith("县民政局") and "简易程序" in entries[2]["content"]
    assert original.notice.number in entries[5]["content"] and change.number in entries[6]["content"]
    assert entries[-1]["actor"].startswith("桃园村")


def test_it_puts_the_meeting_between_coordination_and_decision(world):
    steps = [e["step"] for e in archive_entries(ordinary(world))]
    assert steps.index("待成员单位会议审议") < steps.index("成员单位会议") < steps.index("成员单位会议意见")
    assert steps.index("成员单位会议意见") < steps.index("待审核委员会核准") < steps.index("下发告知单并备案")


def test_it_drops_control_characters_that_word_and_excel_cannot_hold(world):
    application = approved(world, description="协助开展企业用工情况调查，\x0b填报企业用工台账。")
    assert "协助开展企业用工情况调查，填报企业用工台账。" in docx_text(notice_docx(application.notice))
    workbook, _ = archive(application)
    assert dict(rows(workbook["申请信息"]))["事项内容"] == "协助开展企业用工情况调查，填报企业用工台账。"
