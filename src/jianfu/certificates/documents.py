"""The documents residents take away: a certificate or a written commitment as DOCX (python-docx), with the
verification code and a QR code (segno) that opens the public verification page.

``build_docx`` runs inside the issuing transaction, before the record is saved: if it fails, the number it
was given is rolled back with everything else.
"""

import io
from dataclasses import dataclass
from datetime import date

import segno
from django.utils.safestring import mark_safe
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .numbering import display_code

FONT = "宋体"
TITLE_FONT = "黑体"
VOID_RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass(frozen=True)
class Sheet:
    """Everything printed on one document, for the DOCX and the print view alike."""

    title: str
    number: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...]  # right-aligned lines at the foot: issuer, date
    verify_url: str
    code: str
    signing_line: str = ""  # a commitment's line for the resident's signature


def committee_name(village) -> str:
    """桃园村 → 桃园村村民委员会; 解放路社区 → 解放路社区居民委员会."""
    return f"{village.name}{'居民委员会' if village.kind == 'community' else '村民委员会'}"


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """Inline SVG for the print view (no image request, prints sharp)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2, title="扫码核验"))


def _font(run, name: str = FONT, size: float = 14, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, *, align=None, size: float = 14, indent: bool = False, bold=False, font=FONT):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(
            size * 2
        )  # two characters, as official documents do
    paragraph.paragraph_format.line_spacing = 1.5
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def build_docx(sheet: Sheet) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)  # A4
    section.top_margin = section.bottom_margin = Cm(3)
    section.left_margin = section.right_margin = Cm(2.6)
    doc.core_properties.title = sheet.title
    doc.core_properties.identifier = sheet.number
    _paragraph(doc, sheet.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True, font=TITLE_FONT)
    _paragraph(doc, f"编号：{sheet.number}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    for text in sheet.paragraphs:
        _paragraph(doc, text, indent=True)
    if sheet.signing_line:
        _paragraph(doc, sheet.signing_line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for line in sheet.signature:
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.add_picture(io.BytesIO(qr_png(sheet.verify_url)), width=Cm(2.6))
    _paragraph(doc, f"核验码：{display_code(sheet.code)}", size=10.5)
    _paragraph(doc, f"扫描二维码或访问 {sheet.verify_url} 核验真伪", size=9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def stamp_revoked(data: bytes, *, on: date, reason: str) -> bytes:
    """The DOCX as issued, marked 已作废 with the date and reason above the title and in every page's header, so a
    revoked document downloaded again cannot pass for a valid one (the stored original stays as issued)."""
    doc = Document(io.BytesIO(data))
    note = f"已作废：{on.year}年{on.month}月{on.day}日作废，原因：{reason or '未注明'}"
    stamp = doc.paragraphs[0].insert_paragraph_before()
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = stamp.add_run(note)
    _font(run, TITLE_FONT, 16, bold=True)
    run.font.color.rgb = VOID_RED
    for section in doc.sections:
        header = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = header.add_run("已作废")
        _font(mark, TITLE_FONT, 14, bold=True)
        mark.font.color.rgb = VOID_RED
    doc.core_properties.title = f"【已作废】{doc.core_properties.title}"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def sheet_for(record, verify_url: str, *, commitment: bool) -> Sheet:
    """The sheet of a saved (or about to be saved) issuance or commitment."""
    committee = committee_name(record.village)
    day = f"{record.on.year}年{record.on.month}月{record.on.day}日"
    paragraphs = tuple(p for p in record.body_text.split("\n") if p.strip())
    if commitment:
        return Sheet(
            title=record.title,
            number=record.number,
            paragraphs=paragraphs,
            signing_line="承诺人（签名并按手印）：____________",
            signature=(f"见证单位：{committee}", day),
            verify_url=verify_url,
            code=record.verification_code,
        )
    return Sheet(
        title=record.title,
        number=record.number,
        paragraphs=paragraphs,
        signature=(f"{committee}（盖章）", day),
        verify_url=verify_url,
        code=record.verification_code,
    )
