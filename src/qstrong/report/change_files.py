"""Diffs and sweeps as Markdown and as workbooks (the sweep's with a line chart).

The data are `qstrong.engine.diff.Diff` and `qstrong.engine.sweep.Sweep`; this only draws.
Cell text goes through `io.workbook_style.put`, which defuses formulas as the results
workbook does.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.chart import LineChart, Reference  # type: ignore[import-untyped]

from qstrong.core.logic import Status
from qstrong.core.vocab import KIND_WORDS, STATUS_WORDS
from qstrong.engine.diff import ClauseChange, Diff
from qstrong.engine.sweep import Sweep
from qstrong.io.workbook_style import HEADER_FILL, HEADER_FONT, put
from qstrong.report.diff_text import _WORDS as DIFF_WORDS
from qstrong.report.markdown import md_code, md_text
from qstrong.report.sweep import _WORDS as SWEEP_WORDS
from qstrong.report.sweep import render_sweep_text

__all__ = ["diff_markdown", "write_diff_xlsx", "write_sweep_xlsx"]


def _word(status: Status | None, lang: str) -> str:
    return str(DIFF_WORDS[lang]["none"]) if status is None else STATUS_WORDS[lang][status]


def diff_markdown(result: Diff, lang: str = "zh") -> str:
    """The diff as Markdown: summary table, county, a section per changed candidate."""
    w = DIFF_WORDS[lang]
    keys = list(next(iter(result.summary.values())))
    lines = [f"# {w['title']}", ""]
    for label, side in ((w["before"], result.before), (w["after"], result.after)):
        d, c = side["dataset"], side["criteria"]
        params = side.get("params") or {}
        extra = "".join(f" · {md_code(f'${k} = {v}')}" for k, v in params.items())
        lines.append(f"- {md_text(label)}：{md_text(d['county']['name'])}"
                     f"（{md_text(d['county']['code'])}） {d['date']} · {md_text(w['criteria'])}"
                     f" {md_text(c['version'])} {md_code(str(c['sha256'])[:12])}{extra}")
    lines += ["", "| | " + " | ".join(md_text(w["summary"][k]) for k in keys) + " |",
              "|---|" + "---:|" * len(keys)]
    for kind, counts in result.summary.items():
        lines.append(f"| {md_text(KIND_WORDS[lang][kind])} | "
                     + " | ".join(str(counts[k]) for k in keys) + " |")
    lines += ["", f"{md_text(w['county'])}：{_word(result.county_before, lang)} → "
                  f"{_word(result.county_after, lang)}"]
    if not result.changes:
        lines += ["", md_text(w["nothing"])]
    key = "summary" if lang == "zh" else "summary_en"
    for change in result.changes:
        lines += ["", f"## {md_text(KIND_WORDS[lang][change.kind])} {md_code(change.id)} "
                      f"{md_text(change.name)}：{_word(change.before_status, lang)} → "
                      f"{_word(change.after_status, lang)}"]
        if change.clauses:
            lines += ["", f"| | | {md_text(w['before'])} | {md_text(w['after'])} |",
                      "|---|---|---|---|"]
        for c in change.clauses:
            title = c.title_zh if lang == "zh" else (c.title_en or c.title_zh)
            lines.append(f"| {md_code(c.id)} {md_text(title)} | "
                         f"{_word(c.before_status, lang)} → {_word(c.after_status, lang)} | "
                         f"{md_text(c.before.get(key, ''))} | {md_text(c.after.get(key, ''))} |")
    return "\n".join(lines) + "\n"


def _header(ws: object, values: list[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = put(ws, 1, column, value)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT


def write_diff_xlsx(result: Diff, path: str | Path, lang: str = "zh") -> None:
    """The diff as a workbook: a summary sheet and one row per changed clause."""
    w = DIFF_WORDS[lang]
    wb = Workbook()
    summary = wb.active
    summary.title = "概要" if lang == "zh" else "summary"
    keys = list(next(iter(result.summary.values())))
    _header(summary, ["", *(w["summary"][k] for k in keys)])
    for row, (kind, counts) in enumerate(result.summary.items(), start=2):
        put(summary, row, 1, KIND_WORDS[lang][kind])
        for column, k in enumerate(keys, start=2):
            put(summary, row, column, counts[k])
    last = len(result.summary) + 3
    put(summary, last, 1, w["county"])
    put(summary, last, 2, f"{_word(result.county_before, lang)} → "
                          f"{_word(result.county_after, lang)}")
    ws = wb.create_sheet("变化" if lang == "zh" else "changes")
    heads = (["类型", "编号", "名称", "之前", "之后", "条款", "条款之前", "条款之后", "之前说明",
              "之后说明"] if lang == "zh" else
             ["kind", "id", "name", "before", "after", "clause", "clause before",
              "clause after", "before summary", "after summary"])
    _header(ws, heads)
    row = 1
    key = "summary" if lang == "zh" else "summary_en"
    for change in result.changes:
        listed: list[ClauseChange | None] = list(change.clauses) or [None]
        for c in listed:
            row += 1
            values = [KIND_WORDS[lang][change.kind], change.id, change.name,
                      _word(change.before_status, lang), _word(change.after_status, lang)]
            if c is not None:
                values += [c.id, _word(c.before_status, lang), _word(c.after_status, lang),
                           c.before.get(key, ""), c.after.get(key, "")]
            for column, value in enumerate(values, start=1):
                put(ws, row, column, value)
    ws.freeze_panes = "A2"
    wb.save(Path(path))


def write_sweep_xlsx(result: Sweep, path: str | Path, lang: str = "zh") -> None:
    """The sweep as a workbook: one row per value and a line chart of the counts."""
    w = SWEEP_WORDS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = "扫描" if lang == "zh" else "sweep"
    put(ws, 1, 1, render_sweep_text(result, lang).splitlines()[0])
    has_clause = bool(result.points) and result.points[0].clause is not None
    heads: list[str] = [w["value"], *([w["clause"]] if has_clause else []),
                        w["district"], w["industry"], w["enterprise"], w["county"]]
    for column, value in enumerate(heads, start=1):
        cell = put(ws, 3, column, value)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row, p in enumerate(result.points, start=4):
        values: list[object] = [float(p.value)]
        if has_clause and p.clause is not None:
            values.append(p.clause["pass"])
        values += [p.strong.get(k, 0) for k in ("district", "industry", "enterprise")]
        values.append(STATUS_WORDS[lang][p.county])
        for column, cell_value in enumerate(values, start=1):
            put(ws, row, column, cell_value)
    if result.points:
        chart = LineChart()
        chart.title = heads[0]
        last = 3 + len(result.points)
        count_columns = len(heads) - 2
        data = Reference(ws, min_col=2, max_col=1 + count_columns, min_row=3, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
        ws.add_chart(chart, f"{chr(ord('A') + len(heads) + 1)}3")
    wb.save(Path(path))
