"""Chinese official documents as DOCX (GB/T 9704, simplified): A4 with the standard margins, 仿宋 body on a fixed
28-point pitch, 小标宋 titles, 黑体 headings, red header and rule, signature block. The admission notice and reply,
the monitoring bulletin and other apps' documents are built from these blocks."""

from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_FONT, BODY_FONT, HEADING_FONT, LATIN = "方正小标宋简体", "仿宋_GB2312", "黑体", "Times New Roman"
# Word has no per-run fallback list: a font-table altName is what it substitutes when a computer lacks the
# 方正/GB2312 fonts, which most computers outside government offices do.
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋"}
BODY, TITLE, IMPRINT = Pt(16), Pt(22), Pt(14)  # 三号, 二号, 四号
LINE_PITCH = Pt(28)  # a fixed pitch gives GB/T 9704's 22 lines to the page
TEXT_WIDTH = 442  # points between the margins: 210 mm - 28 mm - 26 mm
NUMERALS = "一二三四五六七八九十"


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def xml_safe(text: str) -> str:
    """Control characters pasted from other programs are not allowed in XML and would abort the file."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def new_document(title: str) -> WordDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN, BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    doc.core_properties.title = title
    _register_fallbacks(doc)
    return doc


def _register_fallbacks(doc) -> None:
    part = doc.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        table.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternative}"/>'
                '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    # python-docx loads the font table as an opaque part; replacing its bytes is the only way to edit it.
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_text_run(paragraph, text: str, font: str = BODY_FONT, size=BODY, *, color=None):
    run = paragraph.add_run(xml_safe(text))
    run.font.name, run.font.size = LATIN, size
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color is not None:
        run.font.color.rgb = color
    return run


def add_para(doc, text: str = "", font: str = BODY_FONT, size=BODY, *, align=None, indent=True, color=None):
    paragraph = doc.add_paragraph()
    if text:
        add_text_run(paragraph, text, font, size, color=color)
    if align is not None:
        paragraph.alignment = align
    if indent and text:
        paragraph.paragraph_format.first_line_indent = size * 2  # two characters
    return paragraph


def add_display(doc, text: str, size, color=None):
    """A centred header or title line: single spacing, since the body's fixed pitch would clip large type."""
    paragraph = add_para(
        doc, text, TITLE_FONT, size, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=color
    )
    paragraph.paragraph_format.line_spacing = 1.0
    return paragraph


def add_rule(paragraph, edge: str, color: str = "000000", eighths: int = 6) -> None:
    """A horizontal rule as a paragraph border (the red separator, the imprint's lines)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    line = OxmlElement(f"w:{edge}")
    for key, value in {"val": "single", "sz": str(eighths), "space": "4", "color": color}.items():
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def add_sections(doc, sections) -> None:
    """Numbered level-one headings (黑体) and their paragraphs; empty sections are left out."""
    for number, (heading, lines) in enumerate(s for s in sections if s):
        add_para(doc, f"{NUMERALS[number]}、{heading}", HEADING_FONT)
        for line in lines:
            add_para(doc, line)


def add_signature(doc, signer: str, day) -> None:
    add_para(doc)
    for text in (signer, cn_date(day)):
        paragraph = add_para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = BODY * 2


def to_bytes(doc) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
