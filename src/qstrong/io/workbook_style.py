"""The look shared by every workbook qstrong writes: heading font and fill, wrapped text, and
the background colour of a status cell."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

from qstrong.core.logic import Status

__all__ = ["HEADER_FILL", "HEADER_FONT", "STATUS_FILLS", "WRAP", "InOrderSheet", "put", "safe_text"]

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")

STATUS_FILLS: dict[Status, str] = {
    Status.PASS: "C6EFCE",
    Status.FAIL: "FFC7CE",
    Status.UNKNOWN: "FFEB9C",
    Status.NOT_APPLICABLE: "D9D9D9",
}
"""Background colour (RGB hex) of a status cell in the results workbook."""


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_text(text: str) -> str:
    r"""Text a workbook can hold and a reader sees as written: control characters (ESC, BEL,
    which XML cannot hold) are shown as ``\x1b`` instead of breaking the file.

    Examples:
        >>> safe_text("a\x1b[2Jb")
        'a\\x1b[2Jb'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell; returns it. Text is always text: ``=HYPERLINK(...)`` in a name is
    stored as a string, never a live formula, and control characters are made visible."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"  # openpyxl would make "=..." a formula
    else:
        cell.value = value
    return cell


class InOrderSheet:
    """A write-only worksheet written cell by cell, as `put` writes a normal one.

    openpyxl's write-only mode keeps no cells (a results workbook of 2 000 candidates took
    390 MB and 17 s in the normal mode) but takes whole rows, in order. This holds the row
    being written and sends it when a later row is begun or the sheet is `close`d, so writers
    keep addressing cells by row and column. Rows must be begun in order; what the sheet
    writes before its first row (column widths, frozen panes) must be set before the first
    row is finished, and a row's height before the row after it is begun.
    """

    __slots__ = ("_cells", "_row", "_sent", "ws")

    def __init__(self, ws: Any) -> None:
        object.__setattr__(self, "ws", ws)
        object.__setattr__(self, "_row", 0)
        object.__setattr__(self, "_sent", 0)
        object.__setattr__(self, "_cells", {})

    def cell(self, row: int, column: int) -> Any:
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
        from openpyxl.cell.cell import Cell  # type: ignore[import-untyped]

        self._begin(row)
        cell = self._cells.get(column)
        if not isinstance(cell, Cell):   # none yet, or a bare value from `value`: kept
            cell = self._cells[column] = WriteOnlyCell(self.ws, value=cell)
        return cell

    def value(self, row: int, column: int, value: Any) -> None:
        """`put` for a cell with no style, without making a cell object for it (the long
        lists hold hundreds of thousands)."""
        if isinstance(value, str):
            if _not_plain_text(value):
                put(self, row, column, value)   # a cell, so that it stays text
                return
            value = safe_text(value)
        self._begin(row)
        self._cells[column] = value

    def _begin(self, row: int) -> None:
        if row < self._row:
            raise ValueError(f"row {row} begun after row {self._row}: rows go in order")
        if row > self._row:
            self._send()
            object.__setattr__(self, "_row", row)

    def merge_cells(self, *, start_row: int, start_column: int, end_row: int,
                    end_column: int) -> None:
        from openpyxl.worksheet.cell_range import CellRange  # type: ignore[import-untyped]

        self.ws.merged_cells.add(CellRange(min_row=start_row, min_col=start_column,
                                           max_row=end_row, max_col=end_column))

    def close(self) -> None:
        """Send the last row (the workbook writes the sheet's tail when it is saved)."""
        self._send()

    def _send(self) -> None:
        if not self._cells:
            return
        for _blank in range(self._sent + 1, self._row):
            self.ws.append([])
        width = max(self._cells)
        cells = self._cells
        self.ws.append([_plain(cells.get(column)) for column in range(1, width + 1)])
        object.__setattr__(self, "_sent", self._row)
        object.__setattr__(self, "_cells", {})

    def __getattr__(self, name: str) -> Any:   # dimensions, panes, print setup …
        return getattr(self.ws, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.ws, name, value)


def _plain(cell: Any) -> Any:
    """A cell as `append` takes it fastest: its bare value when it has no style and the value
    reads back the same (openpyxl tries a cell as a value first, and fails slowly); the cell
    itself otherwise (a style, or text kept as text whatever it starts with)."""
    if not hasattr(cell, "has_style"):
        return cell   # a bare value already (`InOrderSheet.value`), or None
    if cell.has_style:
        return cell
    value = cell.value
    if isinstance(value, str) and (cell.data_type != "s" or _not_plain_text(value)):
        return cell
    return value


def _not_plain_text(text: str) -> bool:
    """Whether openpyxl would store this text as something else (``=…`` as a formula,
    ``#N/A`` as an error) if it were given the bare value."""
    from openpyxl.cell.cell import ERROR_CODES

    return text.startswith("=") or text in ERROR_CODES
