"""Lines of plain text laid out exactly as rich lays them out without colour, by rich's own
measures (`rich.cells`, `rich._wrap`, which import nothing else of rich) and never through
its console.

A text report written to a file or a pipe is lines, rules, simple tables and clause trees
of printable text: for those this module gives the lines ``console.print`` would write
(before the caller cuts trailing blanks), and None for anything else (a tab, a control
character, a title that would be shortened, a table that does not fit), which is then left
to rich. Writing such a report so costs neither importing rich's console (about 7% of
``qstrong evaluate`` on the example county) nor its printing pipeline.
`tests/unit/test_plain_layout.py` checks every function here against rich, character for
character.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size

__all__ = [
    "GUIDE_WIDTH",
    "cut_lines",
    "rule_line",
    "table_lines",
    "too_wide",
    "tree_lines",
    "wrapped_lines",
]

_RULE = "─"
SPACE, CONTINUE, FORK, END = "    ", "│   ", "├── ", "└── "
"""rich's tree guides: below a last child, beside a child's later lines, before a child,
before the last child."""
GUIDE_WIDTH = 4

Node = TypeVar("Node")


def too_wide(piece: str, width: int) -> bool:
    """Whether a line of a label is wider than ``width`` in characters or in cells (a
    character is at most two cells wide, so a short line needs no measuring)."""
    size = len(piece)
    return size > width or (2 * size > width and cell_len(piece) > width)


def cut_lines(text: str, width: int) -> list[str] | None:
    """A text cut at its newlines when every line fits ``width`` and none has a tab, or
    None: rich wraps it, by its own measure of words (a line longer in characters than in
    cells, with control or zero-width characters, is left to it too)."""
    if width < 1 or "\t" in text:
        return None
    pieces = text.split("\n")
    # a text at most half its line long fits, whatever its characters
    if 2 * len(text) > width and any(too_wide(piece, width) for piece in pieces):
        return None
    return pieces


def wrapped_lines(text: str, width: int) -> list[str] | None:
    """A text of printable characters and newlines as rich wraps it to ``width`` (each line
    at its words, a word wider than the line folded; ``Text.wrap`` with the default
    justification and overflow), or None for anything else (tabs, control or zero-width
    characters, a line too narrow for a wide character)."""
    if width < 2:
        return None
    out: list[str] = []
    for line in text.split("\n"):
        if not line.isprintable():
            return None
        if cell_len(line) <= width:
            out.append(line)
            continue
        offsets = divide_line(line, width, fold=True)
        for start, end in zip([0, *offsets], [*offsets, len(line)], strict=True):
            piece = line[start:end]
            if cell_len(piece) > width:  # only its trailing blanks, which rich crops
                piece = set_cell_size(piece, width)
            out.append(piece)
    return out


def rule_line(title: str, width: int) -> str | None:
    """rich's ``Rule(title)`` (centred, ``─``) as one line, or None when rich would shorten
    the title, or it has a newline, tab or control character."""
    size = cell_len(title)
    if not title or not title.isprintable() or size > width - 4:
        return None
    side = (width - size) // 2
    # rich's right side is longer than the room left; the line is cut to the width
    return set_cell_size(f"{_RULE * (side - 1)} {title} {_RULE * (side + 1)}", width)


def table_lines(headers: Sequence[str], justify: Sequence[str], rows: Sequence[Sequence[str]],
                title: str | None, max_width: int) -> list[str] | None:
    """A ``SIMPLE_HEAD`` table without edge padding, whose cells are one printable line
    each, as rich prints it without colour: each column as wide as its widest cell and its
    padding; None when it is wider than ``max_width`` or its title wider than it."""
    last = len(headers) - 1
    # A column is as wide as its widest cell and its padding, and never narrower than 1.
    widths = [max(1, max(cell_len(row[number]) for row in (headers, *rows))
                  + (number > 0) + (number < last)) for number in range(len(headers))]
    total = sum(widths) + len(headers) + 1  # the two edges and the dividers between
    if total > max_width or (title is not None and cell_len(title) > total):
        return None

    def line(cells: Sequence[str]) -> str:
        parts = [" "]
        for number, (cell, width, how) in enumerate(zip(cells, widths, justify, strict=True)):
            left, right = (number > 0), (number < last)
            excess = width - left - right - cell_len(cell)
            if how == "right":
                body = " " * excess + cell
            elif how == "center":
                body = " " * (excess // 2) + cell + " " * (excess - excess // 2)
            else:
                body = cell + " " * excess
            parts.append(" " * left + body + " " * right)
            parts.append(" ")  # a divider, or the right edge after the last
        return "".join(parts)

    blank = " " * total
    out = [] if title is None else [title + " " * (total - cell_len(title))]
    out.append(blank)  # SIMPLE_HEAD's top edge
    out.append(line(headers))
    out.append(" " + _RULE * (total - 2) + " ")
    out.extend(line(row) for row in rows)
    out.append(blank)  # and its bottom edge
    return out


def tree_lines(root: Node, width: int, children: Callable[[Node], Sequence[Node]],
               pieces: Callable[[Node, int], list[str] | None]) -> list[str] | None:
    """A tree's lines as rich's ``Tree`` draws them without colour: depth first, each node's
    lines (``pieces(node, room)``, its label laid out in the room its guides leave) after
    its guides; None as soon as a node's ``pieces`` is None."""
    out: list[str] = []
    append = out.append
    stack: list[tuple[Node, str, str, int]] = [(root, "", "", 0)]
    while stack:
        node, first, rest, depth = stack.pop()
        lines = pieces(node, width - GUIDE_WIDTH * depth)
        if lines is None:
            return None
        for number, line in enumerate(lines):
            append((rest if number else first) + line)
        below = children(node)
        last = len(below) - 1
        for index in range(last, -1, -1):
            stack.append((below[index], rest + (END if index == last else FORK),
                          rest + (SPACE if index == last else CONTINUE), depth + 1))
    return out
