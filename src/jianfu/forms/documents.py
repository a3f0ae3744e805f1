"""The annual form list (填报表格清单) as DOCX in the official layout (GB/T 9704, simplified, ``core.officialdoc``):
red issuer line, title, the rule it answers, one table of the listed forms (number, name, department, frequency,
due day, basis, the list item it serves), signature. The county hands it to the townships at the start of the year
(《环县开展社区减负专项行动的实施方案》二（四））."""

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jianfu.core.officialdoc import (
    BODY_FONT,
    HEADING_FONT,
    RED,
    TEXT_WIDTH,
    TITLE,
    add_display,
    add_para,
    add_signature,
    add_text_run,
    new_document,
    to_bytes,
    xml_safe,
)

from .services.schedules import LIST_RULE

TABLE_FONT = Pt(10.5)  # 五号: eight columns fit the page's width
COLUMNS = ("序号", "清单编号", "报表名称", "报表部门", "填报频次", "报送截止", "填报依据", "服务的清单事项")


def issuer_name(county) -> str:
    return f"{county.name}村（社区）减负工作领导小组办公室"


def list_title(county, year: int) -> str:
    return f"{county.name}{year}年村（社区）填报表格清单"


def _cell(cell, text: str, *, bold_font: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    add_text_run(paragraph, xml_safe(text), HEADING_FONT if bold_font else BODY_FONT, TABLE_FONT)


def annual_list_docx(county, year: int, forms) -> bytes:
    forms = list(forms)
    title = list_title(county, year)
    doc = new_document(title)
    issuer = issuer_name(county)
    add_display(doc, issuer, Pt(min(36, TEXT_WIDTH // len(issuer))), RED)
    add_para(doc)
    add_display(doc, title, TITLE)
    add_para(doc)
    add_para(
        doc,
        f"依据{LIST_RULE}的要求，现将{county.name}{year}年村（社区）填报表格清单印发给各乡镇（街道）。"
        f"清单共列入报表{len(forms)}张，各乡镇（街道）按清单规定的频次安排村（社区）填报，可按规定频次或更低频次"
        "调整所辖村（社区）的填报安排，不得更频繁；未列入清单的报表、高于清单频次的下发，村（社区）有权拒绝。",
    )
    add_para(doc, "清单如下：", HEADING_FONT)
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS, strict=True):
        _cell(cell, name, bold_font=True)
    for n, form in enumerate(forms, 1):
        row = table.add_row().cells
        values = (
            str(n),
            form.number,
            form.name,
            form.department.name,
            form.get_frequency_display(),
            f"每期结束后次月{form.due_day}日前",
            form.legal_basis,
            form.list_item_text or form.list_item_code or "—",
        )
        for cell, value in zip(row, values, strict=True):
            _cell(cell, value)
    if not forms:
        add_para(doc, "本年度没有列入清单的报表。", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    add_para(doc)
    add_signature(doc, issuer, timezone.localdate())
    return to_bytes(doc)
