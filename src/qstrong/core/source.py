"""Source text and positions: `Span`, offset-to-position conversion, snippets with carets.

Criteria files hold Chinese text, so caret columns are computed by display width
(East Asian wide characters take two terminal cells), not by ``len()``.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

__all__ = ["SNIPPET_WIDTH", "Source", "Span", "display_width", "render_snippet"]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a file: 1-based line and column (in characters), end exclusive.

    Examples:
        >>> Span("criteria/district.yaml", 14, 22, 14, 30).location()
        'criteria/district.yaml:14:22'
    """

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def location(self) -> str:
        """``file:line:col`` as editors and compilers print it."""
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Source:
    """The text of one file, with line-start offsets to turn offsets into positions."""

    text: str
    filename: str
    _line_starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        object.__setattr__(self, "_line_starts", starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset.

        Examples:
            >>> Source("ab\\ncd", "f").position(3)
            (2, 1)
        """
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def offset(self, line: int, col: int) -> int:
        """Character offset of a 1-based (line, column)."""
        return self._line_starts[line - 1] + col - 1

    def span(self, start: int, end: int) -> Span:
        """The span between two character offsets."""
        line, col = self.position(start)
        end_line, end_col = self.position(max(start, end))
        return Span(self.filename, line, col, end_line, end_col)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]


def display_width(text: str) -> int:
    """Terminal cells a string takes: wide (CJK) and fullwidth characters count two.

    Examples:
        >>> display_width("合格率 >= 93.5%")
        15
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


SNIPPET_WIDTH = 200
"""Most terminal cells of a source line shown under a diagnostic: any line a person wrote
fits, and a longer one (a flow-style document on one line of megabytes) is shown around its
span, cut with ``…``."""


def render_snippet(line_text: str, col: int, end_col: int | None = None,
                   width: int = SNIPPET_WIDTH) -> str:
    """The source line and a caret run under columns ``col``..``end_col`` (1-based, exclusive end).

    Tabs are expanded to one space so that the caret stays aligned. A line wider than
    ``width`` cells is shown around the span: a third of the width before it, cut with
    ``…`` where the line goes on.

    Examples:
        >>> print(render_snippet("合格率 >= x", 8, 9))
        合格率 >= x
                  ^
        >>> print(render_snippet("x" * 50 + "合格率 >= y" + "z" * 50, 58, 59, width=30))
        …格率 >= yzzzzzzzzzzzzzzzzzzz…
                 ^
    """
    text = line_text.replace("\t", " ")
    start = max(1, min(col, len(text) + 1))
    stop = end_col if end_col is not None and end_col > start else start + 1
    stop = min(stop, max(len(text) + 1, start + 1))
    lead = ""
    if 2 * len(text) > width and display_width(text[:4 * width]) > width:
        first, last = _window(text, start - 1, width)
        lead = "…" if first > 0 else ""
        tail = "…" if last < len(text) else ""
        text, start, stop = text[first:last] + tail, start - first, min(stop - first,
                                                                        last - first + 1)
    pad = display_width(lead + text[: start - 1])
    under = max(1, display_width(text[start - 1 : stop - 1]))
    return f"{lead}{text}\n{' ' * pad}^{'~' * (under - 1)}"


def _window(text: str, at: int, width: int) -> tuple[int, int]:
    """The characters ``[first, last)`` of ``text`` to show: at most ``width`` cells, up
    to a third of them before index ``at`` (two are kept for the ``…`` marks)."""
    room = max(4, width - 2)
    first, used = at, 0
    while first > 0 and used + display_width(text[first - 1]) <= room // 3:
        first -= 1
        used += display_width(text[first])
    last = first
    used = 0
    while last < len(text) and used + display_width(text[last]) <= room:
        used += display_width(text[last])
        last += 1
    return first, last
