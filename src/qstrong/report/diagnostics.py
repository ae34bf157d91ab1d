"""Diagnostics as the command line shows them: the headline, the source line with a caret run
under the spot (aligned for Chinese text), and the hint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from qstrong.core.errors import Diagnostic
from qstrong.core.locations import column_letter
from qstrong.core.messages import default_lang, msg
from qstrong.core.source import Source, render_snippet

__all__ = ["GROUP_AT", "diagnostic_lines", "render_diagnostic"]


@lru_cache(maxsize=32)
def _source(path: str) -> Source | None:
    try:
        return Source(Path(path).read_text(encoding="utf-8-sig"), path)
    except (OSError, UnicodeDecodeError):
        return None


def render_diagnostic(d: Diagnostic, lang: str | None = None) -> str:
    """``file:line:col: error[CODE]: message``, the source line with a caret run, and a hint,
    in `lang` (default: `default_lang`)."""
    lang = lang or default_lang()
    lines = [d.headline(lang)]
    if d.span is not None:
        source = _source(d.span.file)
        if source is not None:
            text = source.line_text(d.span.line)
            end = d.span.end_col if d.span.end_line == d.span.line else len(text) + 1
            for row in render_snippet(text, d.span.col, end).splitlines():
                lines.append(f"  | {row}")
    hint = d.hint_text(lang)
    if hint:
        lines.append(f"  = {msg('core.hint_label').render(lang)}: {hint}")
    return "\n".join(lines)


GROUP_AT = 3
"""How many problems of one kind in one spreadsheet column are shown as one group."""
_MAX_RANGES = 8


def _rows_text(rows: list[int], lang: str) -> str:
    """``2–2001``, or ``2–5、9、12–14`` (the first runs, then how many more)."""
    runs: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    shown = [f"{a}–{b}" if a != b else str(a) for a, b in runs[:_MAX_RANGES]]
    more = msg("core.row_runs", count=len(runs)).render(lang) if len(runs) > _MAX_RANGES else ""
    return ("、" if lang == "zh" else ", ").join(shown) + more


def diagnostic_lines(diagnostics: Sequence[Diagnostic],
                     render: Callable[[Diagnostic, str], str] = render_diagnostic,
                     lang: str | None = None) -> list[str]:
    """Every diagnostic as `render` shows it, except that problems with the same code in
    the same spreadsheet column (one bad column in 2 000 rows) are one entry: the range of
    cells and how many (``强企!O2:O2001 共 2000 行``), the first of them in full, the rows;
    a last line gives the total when there is more than one problem."""
    lang = lang or default_lang()
    groups: dict[tuple[str, str, int], list[Diagnostic]] = {}
    for d in diagnostics:
        if d.cell is not None:
            groups.setdefault((d.code, d.cell.sheet, d.cell.col), []).append(d)
    done: set[tuple[str, str, int]] = set()
    out: list[str] = []
    for d in diagnostics:
        key = (d.code, d.cell.sheet, d.cell.col) if d.cell is not None else None
        members = groups.get(key, []) if key is not None else []
        if key is None or len(members) < GROUP_AT:
            out.append(render(d, lang))
            continue
        if key in done:
            continue
        done.add(key)
        cells = [m.cell for m in members if m.cell is not None]
        first, last = min(cells, key=lambda c: c.row), max(cells, key=lambda c: c.row)
        span = f"{first.ref()}:{column_letter(last.col)}{last.row}"
        example = render(members[0], lang).splitlines()
        same = msg("core.same_in_rows", count=len(members)).render(lang)
        rows = msg("core.rows", rows=_rows_text([c.row for c in cells], lang)).render(lang)
        lines = [f"{span}: error[{d.code}]: {same}",
                 *(f"  {line}" for line in example),
                 f"  = {rows}"]
        out.append("\n".join(lines))
    if len(diagnostics) > 1:
        out.append(msg("core.problems_total", count=len(diagnostics)).render(lang))
    return out
