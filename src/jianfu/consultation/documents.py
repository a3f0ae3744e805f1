"""Documents of a consultation (python-docx): the 征求意见书 of a written consultation, and the dossier that
files the whole record — plan, notice, participants, minutes, votes, announcement, follow-up — for the archive
("对协商过程中形成的有关材料要及时整理归档", seed 003)."""

import io

from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Topic
from .selectors import satisfaction_summary

FONT = "宋体"


def _document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return doc


def _bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _when(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M")
    return value.strftime("%Y年%m月%d日")


def _organiser(topic: Topic) -> str:
    return f"{topic.region.name}{'村（居）民议事会' if topic.region.level == 5 else '党（工）委'}"


def letter_docx(topic: Topic) -> bytes:
    """征求意见书: one page per participant, with the question, where to reply and by when."""
    doc = _document()
    for index, participant in enumerate(topic.participants.all()):
        if index:
            doc.add_page_break()
        doc.add_heading("征求意见书", level=1)
        doc.add_paragraph(f"{participant.name}（{participant.capacity}）：")
        doc.add_paragraph(f"为做好“{topic.title}”的协商工作，现就以下内容书面征求您的意见：")
        doc.add_paragraph(topic.plan_content or topic.background)
        doc.add_paragraph(f"请于{_when(topic.scheduled_at)}前将书面意见交回{topic.place}。")
        for vote in topic.votes.all():
            doc.add_paragraph(f"表决事项：{vote.question}    □同意  □不同意  □弃权")
        doc.add_paragraph("意见：" + "_" * 30)
        doc.add_paragraph(_organiser(topic))
        doc.add_paragraph(_when(topic.noticed_on))
    if not topic.participants.exists():
        doc.add_heading("征求意见书", level=1)
        doc.add_paragraph("尚未确定协商人员。")
    return _bytes(doc)


def _section(doc, title: str, lines) -> None:
    doc.add_heading(title, level=2)
    lines = [line for line in lines if line]
    for line in lines or ["（无）"]:
        doc.add_paragraph(line)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


def dossier_docx(topic: Topic) -> bytes:
    """The consultation's whole record in one file, section by section in the order of the seven steps."""
    doc = _document()
    doc.add_heading(f"协商议事档案：{topic.title}", level=1)
    doc.add_paragraph(f"组织单位：{_organiser(topic)}    当前步骤：{topic.get_status_display()}")
    if topic.involved.exists():
        doc.add_paragraph("涉及：" + "、".join(r.name for r in topic.involved.all()))
    if topic.previous_id:
        doc.add_paragraph(f"前次协商：第 {topic.previous_id} 号议题（未达成一致，另行协商）")
    _section(
        doc,
        "一、群众意见",
        [f"{o.receipt}（{o.get_source_display()}）{o.content}" for o in topic.opinions.all()],
    )
    _section(doc, "二、协商议题", [topic.background, f"确定日期：{_when(topic.settled_on)}"])
    _section(
        doc,
        "三、协商方案",
        [
            f"制定日期：{_when(topic.planned_on)}（应于{_when(topic.plan_due)}前完成）",
            f"时间：{_when(topic.scheduled_at)}",
            f"地点：{topic.place}",
            f"形式：{topic.get_form_display()}",
            f"内容：{topic.plan_content}",
            f"参与主体：{topic.plan_participants}",
        ],
    )
    _section(doc, "四、协商公告", [f"发布日期：{_when(topic.noticed_on)}", topic.notice_text])
    doc.add_heading("五、协商人员", level=2)
    _table(
        doc,
        ["姓名或单位", "身份", "出席", "意见或书面回复"],
        [
            [
                p.name,
                p.capacity,
                {True: "出席", False: "缺席", None: "—"}[p.attended],
                p.reply or p.opinion or "—",
            ]
            for p in topic.participants.all()
        ],
    )
    comments = [f"{c.participant.name}：{c.text}" for c in topic.comments.select_related("participant")]
    _section(doc, "六、协商纪要", [f"协商日期：{_when(topic.held_on)}", topic.minutes, *comments])
    doc.add_heading("七、表决", level=2)
    _table(
        doc,
        ["表决事项", "规则", "参与人员", "同意", "不同意", "弃权", "结果"],
        [
            [v.question, v.get_rule_display(), v.electorate, v.yes, v.no, v.abstain, v.get_status_display()]
            for v in topic.votes.all()
        ],
    )
    _section(
        doc,
        "八、协商情况通报",
        [
            f"协商结果：{topic.get_outcome_display() or '—'}",
            f"通报日期：{_when(topic.announced_on)}",
            topic.announcement,
            f"逾期说明：{topic.late_reason}" if topic.late_reason else "",
            f"提交村（居）民会议表决：{topic.referral_note}" if topic.referral_note else "",
        ],
    )
    doc.add_heading("九、成果落实与跟踪回访", level=2)
    _table(
        doc,
        ["落实事项", "责任人", "计划完成", "进度", "状态"],
        [
            [m.title, m.owner, _when(m.due_on), f"{m.progress}%", m.get_status_display()]
            for m in topic.measures.all()
        ],
    )
    summary = satisfaction_summary(topic)
    rate = f"满意率 {summary['rate']}%" if summary["rate"] is not None else "尚未回访"
    _section(
        doc,
        "回访",
        [
            f"回访 {summary['total']} 人，{rate}",
            *[
                f"{f.respondent or '群众'}：{f.get_satisfaction_display()} {f.comment}"
                for f in topic.followups.all()
            ],
        ],
    )
    _section(
        doc, "步骤记录", [f"{_when(s.at)} {s.get_to_status_display()} {s.note}" for s in topic.steps.all()]
    )
    return _bytes(doc)
