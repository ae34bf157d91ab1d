"""Plain text out of a report's pieces: a console that writes no ANSI codes, data's control
characters made visible, and the text of a report captured one piece at a time. The pieces
of `qstrong.report.blocks` are laid out by `qstrong.report.plain_layout` (rich is imported
only for one it does not draw); of rich renderables, clause trees and plain tables are
taken straight from their layouts (`LightTree.plain_lines`, `plain_table_lines`) instead of
through rich's printing."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from qstrong.report.blocks import Block, Blocks

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.text import Text

__all__ = ["Visible", "captured", "captured_chunks", "plain_console", "visible"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x9b]")


def visible(text: str) -> str:
    r"""Control characters of the data (ESC, BEL, CSI …) written out as ``\x1b``, so that a
    name cannot clear the screen, move the cursor or hide a link in the reader's terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


class Visible:
    """Renders a renderable with every piece of its text made `visible`: the console's own
    colours are applied later, as styles, so they stay; escapes inside the data go."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for segment in console.render(self.inner, options):  # type: ignore[arg-type]
            if segment.control or not _CONTROL.search(segment.text):
                yield segment
            else:
                yield Segment(visible(segment.text), segment.style)


def plain_console(file: IO[str] | None = None, width: int = 80) -> Console:
    """A console that never writes ANSI codes: no colour, no bold, fixed width."""
    from rich.console import Console

    return Console(file=file if file is not None else io.StringIO(), width=width,
                   color_system=None, force_terminal=False, highlight=False, markup=False,
                   emoji=False, legacy_windows=False)


def captured(draw: Iterable[object], width: int, *, fast: bool = True) -> str:
    """Renderables as plain text; trailing blanks (table and tree padding) removed. A clause
    tree's lines are taken straight from its layout (`LightTree.plain_lines`), the same
    text ``console.print`` would write (``fast=False`` prints everything, for tests)."""
    return "".join(captured_chunks(draw, width, fast=fast))


def _is_group(renderable: object) -> bool:
    """Whether it is a rich `Group` (there is none unless rich's console is loaded)."""
    console = sys.modules.get("rich.console")
    return console is not None and isinstance(renderable, console.Group)


def _ungrouped(draw: Iterable[object]) -> Iterator[object]:
    """A `Group`'s renderables one by one (printing a group prints each in turn)."""
    for renderable in draw:
        if isinstance(renderable, Blocks):
            yield from _ungrouped(renderable.items)
        elif _is_group(renderable):
            yield from _ungrouped(renderable.renderables)  # type: ignore[attr-defined]
        else:
            yield renderable


def _plain_lines(renderable: object, console: Console,
                 options: ConsoleOptions) -> list[str] | None:
    """A clause tree's or a plain table's lines straight from their layouts, a one-line
    `Text` that fits as its text, or None (printed by rich)."""
    from rich.table import Table
    from rich.text import Text

    from qstrong.report.table_layout import plain_table_lines
    from qstrong.report.tree_layout import LightTree

    if isinstance(renderable, LightTree):
        return renderable.plain_lines(console, options)
    if isinstance(renderable, Table):
        return plain_table_lines(renderable, console, options)
    if isinstance(renderable, Text):
        return _text_line(renderable, console, options)
    return None


def _text_line(text: Text, console: Console, options: ConsoleOptions) -> list[str] | None:
    """A `Text` that rich prints as its text on one line: printable characters only (no line
    break, tab or control character), no justification that pads on the left, as wide as
    the console at most, and nothing after it but the line's end."""
    from rich.cells import cell_len

    plain = text.plain
    if (text.justify not in (None, "default", "left") or text.end != "\n"
            or not plain.isprintable() or console.color_system is not None
            or cell_len(plain) > options.max_width):
        return None
    return [plain]


def captured_chunks(draw: Iterable[object], width: int, *, fast: bool = True
                     ) -> Iterator[str]:
    """`captured`'s text, one renderable at a time (each ends its last line). A piece of
    `qstrong.report.blocks` is laid out by `plain_layout` and printed by rich (as its
    `to_rich`) only when that gives no lines; rich's console is made on the first piece
    it prints."""
    printer: _Printer | None = None
    for renderable in _ungrouped(draw) if fast else draw:
        piece = renderable if isinstance(renderable, Block) else None
        lines: list[str] | None = None
        if fast and piece is not None:
            lines = piece.plain_lines(width)
        elif fast:
            if printer is None:
                printer = _Printer(width)
            lines = _plain_lines(renderable, printer.console, printer.options)
        text = None if lines is None else "".join(line + "\n" for line in lines)
        # A control character is written out wider than it was laid out: the console crops
        # what it prints, so such a piece is printed.
        if text is None or _CONTROL.search(text):
            if printer is None:
                printer = _Printer(width)
            text = printer.print(renderable if piece is None else piece.to_rich())
        yield "".join(line.rstrip() + "\n" for line in text.splitlines())


class _Printer:
    """A plain console printing into a buffer, for the pieces rich draws."""

    def __init__(self, width: int) -> None:
        self.buffer = io.StringIO()
        self.console = plain_console(self.buffer, width)
        self.options = self.console.options  # once: reading them asks the terminal its size

    def print(self, renderable: object) -> str:
        self.console.print(Visible(renderable))
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text
