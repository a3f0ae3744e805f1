"""The bulletin (通报) as DOCX in the official layout the admission documents use (GB/T 9704, simplified):
red issuer line, number above the red rule, title, addressees, the ranking with the events behind each
department, the rectification requirement, signature. Clue reporters never appear: only what happened."""

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jianfu.core import progress
from jianfu.core.officialdoc import (
    HEADING_FONT,
    RED,
    TEXT_WIDTH,
    TITLE,
    add_display,
    add_para,
    add_rule,
    add_signature,
    cn_date,
    new_document,
    to_bytes,
)

from .models import Bulletin, BulletinStatus

NUMERALS = "一二三四五六七八九十"


def issuer_name(bulletin: Bulletin) -> str:
    return f"{bulletin.region.name}村（社区）减负工作领导小组办公室"


def bulletin_docx(bulletin: Bulletin) -> bytes:
    doc = new_document(bulletin.title)
    issuer = issuer_name(bulletin)
    add_display(doc, issuer, Pt(min(36, TEXT_WIDTH // len(issuer))), RED)
    add_para(doc)
    number = bulletin.number if bulletin.status == BulletinStatus.PUBLISHED else "（草稿，未编号）"
    add_rule(add_para(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False), "bottom", "FF0000", 18)
    add_para(doc)
    add_display(doc, bulletin.title, TITLE)
    add_para(doc)
    add_para(doc, f"{bulletin.region.name}各有关单位：", indent=False)
    entries = list(bulletin.entries.select_related("department").prefetch_related("findings__village"))
    total = sum(e.violations for e in entries)
    add_para(
        doc,
        f"{cn_date(bulletin.period_start)}至{cn_date(bulletin.period_end)}，经对减负监测、问题线索、村（社区）"
        f"拒绝执行、证明事项、督查检查和报表等各渠道发现的问题逐一研判，认定违规向村（社区）转嫁负担问题{total}起，涉及{len(entries)}个单位。按照“对随意向基层"
        "摊派工作任务的单位加强通报整改”的要求，现将有关情况通报如下：",
    )
    add_para(doc, "一、问题排名", HEADING_FONT)
    for done, entry in enumerate(entries):
        progress.tick(done, len(entries), "写入被通报单位及其问题")
        rules = "；".join(f"{rule}（{count}起）" for rule, count in entry.rules)
        add_para(
            doc,
            f"{entry.rank}. {entry.department.name}：违规{entry.violations}起，耗费村（社区）工时"
            f"{entry.hours}小时。违反：{rules}。",
        )
        for finding in entry.findings.all():
            basis = f"（依据{finding.basis}）" if finding.basis else ""
            text = (
                f"{finding.occurred_on:%Y年%-m月%-d日}，{finding.village.name}，{finding.get_source_display()}："
                f"{finding.subject[:60]}{basis}"
            )
            add_para(doc, text)
    add_para(doc, "二、整改要求", HEADING_FONT)
    add_para(
        doc,
        f"被通报单位要认真对照检查，立即纠正，并在通报发布之日起{bulletin.rectify_days}个工作日内通过系统报告"
        "整改情况；问题所在村（社区）的监测员将到村核实，整改不到位的退回重新整改。",
    )
    day = timezone.localtime(bulletin.published_at).date() if bulletin.published_at else timezone.localdate()
    add_signature(doc, issuer, day)
    return to_bytes(doc)
