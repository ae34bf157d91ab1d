"""The look shared by every workbook qstrong writes: heading font and fill, wrapped text, and
the background colour of a status cell."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

from qstrong.core.logic import Status

__all__ = ["HEADER_FILL", "HEADER_FONT", "STATUS_FILLS", "WRAP", "put", "safe_text"]

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
