"""The one spreadsheet reader of every import reads the sheet's XML itself (faster than openpyxl's cells) and
gives the same rows openpyxl would: strings, numbers, booleans, gaps, real row numbers, formulas refused,
and a sheet with dates handed to openpyxl, which converts them."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from jianfu.core.excel import ImportRefused, _read_with_openpyxl, read_sheet


def _book(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _both(fileobj, required):
    fast = read_sheet(fileobj, required)
    fileobj.seek(0)
    return fast, _read_with_openpyxl(fileobj, list(required), None, None)


def test_it_reads_the_same_rows_as_openpyxl():
    book = _book(
        [
            ["区划代码", "名称", "人数", "比例", "是否"],
            ["430000000000", "湖南省", 12, 0.5, True],
            [None, None, None, None, None],  # an empty row: skipped, numbering goes on
            ["430100000000", "  长沙市 ", 3.0, 1e-3, False],
            [None, "只有名称"],
        ]
    )
    fast, slow = _both(book, ["区划代码", "名称"])
    assert fast == slow
    assert fast == [
        (2, {"区划代码": "430000000000", "名称": "湖南省", "人数": "12", "比例": "0.5", "是否": "True"}),
        (4, {"区划代码": "430100000000", "名称": "长沙市", "人数": "3", "比例": "0.001", "是否": "False"}),
        (5, {"区划代码": "", "名称": "只有名称", "人数": "", "比例": "", "是否": ""}),
    ]


def test_a_formula_is_refused_with_its_row_column_and_text():
    book = _book([["区划代码", "名称"], ["430000000000", '=A2&"省"']])
    with pytest.raises(ImportRefused) as refused:
        read_sheet(book, ["区划代码", "名称"])
    assert refused.value.errors == [
        '第 2 行“名称”（B 列）是公式 =A2&"省"，请改为直接填写的值（复制后“选择性粘贴—数值”）。'
    ]


def test_a_sheet_with_a_date_is_read_by_openpyxl():
    book = _book([["名称", "日期"], ["会议", date(2026, 3, 1)]])
    assert read_sheet(book, ["名称"]) == [(2, {"名称": "会议", "日期": "2026-03-01 00:00:00"})]


def test_a_file_that_is_not_a_workbook_or_lacks_a_column_is_refused_in_chinese():
    with pytest.raises(ImportRefused, match="无法作为 Excel"):
        read_sheet(io.BytesIO(b"PK\x03\x04 not really"), ["名称"])
    with pytest.raises(ImportRefused, match="缺少列：名称"):
        read_sheet(_book([["代码"], ["1"]]), ["名称"])
