"""The text report's tables laid out as rich lays them out, without rich's machinery, where
that is plain to see: no colour, every cell one line that fits, the table as wide as its
cells.

rich measures and renders every cell of a table through its general pipeline (wrapping,
cropping, padding objects, a style per segment). A county's summary table has a row per
candidate; at province size the tables were a third of writing the text report. The summary
and count tables of `qstrong.report.text` are `SIMPLE_HEAD` boxes without edge padding, and
their cells are short single lines: such a table is written here column by column, and
anything else (colour, a cell with a newline, a tab or a control character, a table wider
than the console, a width or ratio set on a column, another box) is left to rich.
`tests/unit/test_table_layout.py` checks the lines against rich's character for character.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions
from rich.table import Table
from rich.text import Text

from qstrong.report.plain_layout import table_lines

__all__ = ["plain_table_lines"]


def _plain(cell: object) -> str | None:
    """A cell's text, if it renders as exactly that text on one line: printable characters
    only (no line break, tab, escape or zero-width control), and for a plain string nothing
    that could read as markup or an emoji code."""
    if isinstance(cell, Text):
        text = cell.plain
    elif isinstance(cell, str) and "[" not in cell and ":" not in cell:
        text = cell
    else:
        return None
    return text if text.isprintable() else None


def _row(cells: list[object]) -> list[str] | None:
    texts = [_plain(cell) for cell in cells]
    return None if any(t is None for t in texts) else texts  # type: ignore[return-value]


def _fits(table: Table, console: Console, options: ConsoleOptions) -> bool:
    """Whether the table is one this module writes exactly as rich would."""
    return (console.color_system is None and not options.ascii_only
            and not options.legacy_windows and table.box is box.SIMPLE_HEAD
            and not table.pad_edge and table.show_header and table.show_edge
            and not table.show_footer and not table.show_lines and not table.expand
            and table.leading == 0 and table.padding == (0, 1, 0, 1)
            and not table.collapse_padding and table.width is None
            and table.min_width is None and table.caption is None
            and (not table.title or table.title_justify == "left")
            and not any(row.end_section for row in table.rows)
            and all(c.width is None and c.min_width is None and c.max_width is None
                    and c.ratio is None and c.justify in ("left", "center", "right")
                    and c.vertical == "top" for c in table.columns))


def plain_table_lines(table: Table, console: Console,
                      options: ConsoleOptions | None = None) -> list[str] | None:
    """The table's lines as ``console.print`` writes them without colour (trailing blanks
    included), or None when it is not a table this module writes (see the module's note).
    ``options`` are the console's, if the caller has them (reading them measures the
    terminal)."""
    if options is None:
        options = console.options
    if not table.columns or not _fits(table, console, options):
        return None
    columns = table.columns
    header = _row([c.header for c in columns])
    if header is None:
        return None
    cells = [list(c.cells) for c in columns]
    rows: list[list[str]] = []
    for index in range(table.row_count):
        row = _row([column[index] for column in cells])
        if row is None:
            return None
        rows.append(row)
    title: str | None = None
    if table.title:  # rich shows no title line for an empty one
        title = _plain(table.title)
        if title is None:
            return None
    return table_lines(header, [c.justify for c in columns], rows, title, options.max_width)
