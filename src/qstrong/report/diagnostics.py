"""Diagnostics as the command line shows them: the headline, the source line with a caret run
under the spot (aligned for Chinese text), and the hint."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from qstrong.core.errors import Diagnostic
from qstrong.core.source import Source, render_snippet

__all__ = ["render_diagnostic"]


@lru_cache(maxsize=32)
def _source(path: str) -> Source | None:
    try:
        return Source(Path(path).read_text(encoding="utf-8-sig"), path)
    except (OSError, UnicodeDecodeError):
        return None


def render_diagnostic(d: Diagnostic) -> str:
    """``file:line:col: error[CODE]: message``, the source line with a caret run, and a hint."""
    lines = [d.headline()]
    if d.span is not None:
        source = _source(d.span.file)
        if source is not None:
            text = source.line_text(d.span.line)
            end = d.span.end_col if d.span.end_line == d.span.line else len(text) + 1
            for row in render_snippet(text, d.span.col, end).splitlines():
                lines.append(f"  | {row}")
    if d.hint:
        lines.append(f"  = hint: {d.hint}")
    return "\n".join(lines)
