"""Writing spreadsheets people download: text stays text."""

from openpyxl.cell import WriteOnlyCell


def text_safe_row(sheet, values) -> list:
    """Cells for a write-only sheet where strings are always strings.

    openpyxl turns a string starting with "=" into a formula; content typed by users (names, list items)
    must never become a formula in a file someone else opens (CSV/formula injection).
    """
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        cells.append(cell)
    return cells
