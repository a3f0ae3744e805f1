"""Writing spreadsheets people download: text stays text."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


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
