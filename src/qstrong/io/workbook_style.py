"""The look shared by every workbook qstrong writes: heading font and fill, wrapped text, and
the background colour of a status cell."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

from qstrong.core.logic import Status

__all__ = ["HEADER_FILL", "HEADER_FONT", "STATUS_FILLS", "WRAP"]

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
