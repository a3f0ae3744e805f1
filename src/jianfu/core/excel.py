"""Spreadsheets: writing the ones people download (text stays text), reading the ones they upload."""

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter


def text_safe_row(sheet, values) -> list:
    """Cells for a write-only sheet where strings are always strings.

    openpyxl turns a string starting with "=" into a formula; content typed by users (names, list items)
    must never become a formula in a file someone else opens (CSV/formula injection). Control characters
    pasted from other programs would make openpyxl refuse the whole file, so they are dropped.
    """
    cells = []
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        cells.append(cell)
    return cells


# Reading the spreadsheets people upload ---------------------------------------------------------------------


class ImportRefused(Exception):
    """The file was refused whole; ``errors`` lists every bad cell as 第 N 行“列”：reason."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(fileobj, required, *, read=None, max_rows: int | None = None) -> list[tuple[int, dict]]:
    """(row number, {column title: text}) for every non-empty row of the first sheet: the one reader of every
    import. ``read`` names the columns taken (all titled columns if None). A missing column, a formula in a
    cell that is read (its value is whatever the program that last saved the file computed, or nothing), too
    many rows or no rows refuse the whole file."""
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises several types for a file that is not xlsx
        raise ImportRefused(
            ["文件无法作为 Excel（.xlsx）读取，请用 Excel 或 WPS 另存为 .xlsx 后再导入。"]
        ) from exc
    try:
        return _rows(workbook.worksheets[0].iter_rows(), list(required), read, max_rows)
    finally:
        workbook.close()


def _rows(rows, required: list, read, max_rows: int | None) -> list[tuple[int, dict]]:
    header = [cell_text(c.value) for c in next(rows, [])]
    missing = [title for title in required if title not in header]
    if missing:
        raise ImportRefused([f"第 1 行（表头）缺少列：{'、'.join(missing)}。应包含：{'、'.join(required)}"])
    columns = [(i, title) for i, title in enumerate(header) if title and (read is None or title in read)]
    parsed, formulas = [], []
    for number, cells in enumerate(rows, start=2):
        values = {}
        for i, title in columns:
            cell = cells[i] if i < len(cells) else None
            if cell is not None and cell.data_type == "f":
                formulas.append(
                    f"第 {number} 行“{title}”（{get_column_letter(i + 1)} 列）是公式 {cell.value}，"
                    "请改为直接填写的值（复制后“选择性粘贴—数值”）。"
                )
            values[title] = "" if cell is None or cell.data_type == "f" else cell_text(cell.value)
        if any(values.values()):
            parsed.append((number, values))
        if max_rows is not None and len(parsed) > max_rows:
            raise ImportRefused([f"一次最多导入 {max_rows} 行。"])
    if formulas:
        raise ImportRefused(formulas)
    if not parsed:
        raise ImportRefused(["文件中没有数据行。"])
    return parsed
