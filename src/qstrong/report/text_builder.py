"""rich `Text` written piece by piece for a fraction of what `Text.append` costs.

A clause tree's label is a handful of pieces (a mark, a title, a brief, a detail line), each
appended with a style. `Text.append` checks its argument's type, strips control codes and
makes a span on every call, and `Text.append_text` copies the other text's spans: together
they were most of the cost of laying out a text report's labels. `TextBuilder` keeps the
pieces and spans in plain lists and makes the `Text` once, with exactly the text and the
spans (same order, same offsets, the same zero-width span for a piece that was only control
codes) that the same calls of `Text.append` would have made; `tests/unit/test_text_builder.py`
checks it against them.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is loaded only when a `Text` is made (colour, or rich's layout)
    from rich.text import Text

__all__ = ["STRIP_CONTROL_CODES", "TextBuilder"]

STRIP_CONTROL_CODES = (7, 8, 11, 12, 13)
"""`rich.control.STRIP_CONTROL_CODES`, written out so that the plain layout never imports
rich (`tests/unit/test_text_builder.py` checks they are the same)."""
_STRIP = dict.fromkeys(STRIP_CONTROL_CODES)
"""What `rich.control.strip_control_codes` deletes (BEL, BS, VT, FF, CR), as a table."""
_HAS_STRIPPED = re.compile("[" + "".join(map(chr, STRIP_CONTROL_CODES)) + "]")
"""Whether a piece has any of them: a search in C, where ``str.translate`` with a table
looks every character of a Chinese text up in a dict."""


class TextBuilder:
    """Pieces of text with styles, made into one `Text` by `text`. A span is kept as the
    range of pieces it covers and its style; offsets and `Span`s are made by `text` (the
    plain layout never needs them)."""

    __slots__ = ("_pieces", "_spans")

    def __init__(self, text: str = "", style: str = "") -> None:
        self._pieces: list[str] = []
        self._spans: list[tuple[int, int, str]] = []
        if text:
            self.add(text, style)

    def add(self, text: str, style: str = "") -> TextBuilder:
        """`Text.append(text, style)` of a string."""
        if text:  # the control codes are stripped when the text is read (`plain`, `text`)
            pieces = self._pieces
            if style:
                at = len(pieces)
                self._spans.append((at, at + 1, style))
            pieces.append(text)
        return self

    def add_styled(self, builder: TextBuilder, style: str = "") -> TextBuilder:
        """`Text.append_text(other)` of another builder's text, ``style`` being the other
        text's own style (one span over all of it, before its spans)."""
        at = len(self._pieces)
        if style:
            self._spans.append((at, at + len(builder._pieces), style))
        if at:
            self._spans.extend((a + at, b + at, s) for a, b, s in builder._spans)
        else:
            self._spans.extend(builder._spans)
        self._pieces.extend(builder._pieces)
        return self

    @property
    def plain(self) -> str:
        """The text without styles (stripping each piece or the whole is the same)."""
        joined = "".join(self._pieces)
        return joined.translate(_STRIP) if _HAS_STRIPPED.search(joined) else joined

    def text(self) -> Text:
        """The `Text` the same appends would have made."""
        from rich.text import Span, Text

        pieces = [piece.translate(_STRIP) if _HAS_STRIPPED.search(piece) else piece
                  for piece in self._pieces]
        ends = list(accumulate(map(len, pieces), initial=0))
        return Text("".join(pieces),
                    spans=[Span(ends[a], ends[b], s) for a, b, s in self._spans])

    def __rich__(self) -> Text:
        """Printed as its `Text` (a clause tree's labels stay builders until drawn in
        colour: the plain layout reads only `plain`)."""
        return self.text()
