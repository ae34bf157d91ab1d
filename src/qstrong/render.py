"""Presentation only: verdict reports as terminal text, and diagnostics with source carets."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rich.console import Console
from rich.text import Text

from qstrong.errors import Diagnostic
from qstrong.explain import ClauseResult
from qstrong.logic import Status
from qstrong.report import KIND_ZH, Report
from qstrong.source import Source, render_snippet

__all__ = ["MARKS", "render_diagnostic", "render_report", "report_lines"]

MARKS = {Status.PASS: "✓", Status.FAIL: "✗", Status.UNKNOWN: "?", Status.NOT_APPLICABLE: "–"}
STYLES = {Status.PASS: "green", Status.FAIL: "red", Status.UNKNOWN: "yellow",
          Status.NOT_APPLICABLE: "dim"}
STATUS_WORDS = {
    "zh": {Status.PASS: "达标", Status.FAIL: "未达标", Status.UNKNOWN: "无法判定",
           Status.NOT_APPLICABLE: "不适用"},
    "en": {Status.PASS: "pass", Status.FAIL: "fail", Status.UNKNOWN: "unknown",
           Status.NOT_APPLICABLE: "not applicable"},
}
KIND_WORDS = {
    "zh": {"district": "产品质量强区", "industry": "产品质量强业", "enterprise": "产品质量强企"},
    "en": {"district": "district", "industry": "industry", "enterprise": "enterprise"},
}


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


def _node_lines(node: ClauseResult, lang: str, depth: int, out: list[tuple[str, Status]]) -> None:
    title = node.title_zh if lang == "zh" else (node.title_en or node.title_zh)
    summary = node.summary_zh if lang == "zh" else node.summary_en
    indent = "  " * depth
    line = f"{indent}{MARKS[node.status]} {node.id} {title}"
    if summary and not node.children:
        line += f" — {summary}"
    elif node.children:
        line += f" [{STATUS_WORDS[lang][node.status]}]"
    out.append((line, node.status))
    for child in node.children:
        _node_lines(child, lang, depth + 1, out)


def report_lines(report: Report, lang: str = "zh") -> list[tuple[str, Status | None]]:
    """The text report as (line, status) pairs; status picks the colour, None for plain lines."""
    words = STATUS_WORDS[lang]
    out: list[tuple[str, Status | None]] = []
    county = report.county
    if lang == "zh":
        out.append((f"{county.name}（{county.code}）质量强县评定 · 评审基准日 "
                    f"{report.dataset.assessment.date.isoformat()}", None))
    else:
        out.append((f"{county.name} ({county.code}) quality-strong county assessment, "
                    f"as of {report.dataset.assessment.date.isoformat()}", None))
    out.append((f"criteria {report.criteria.version} · sha256 {report.criteria.sha256[:12]}", None))
    for entity in report.entities:
        out.append(("", None))
        kind = KIND_WORDS[lang][entity.kind]
        out.append((f"{MARKS[entity.status]} {kind} {entity.id} {entity.name}："
                    f"{words[entity.status]}", entity.status))
        lines: list[tuple[str, Status]] = []
        for clause in entity.clauses:
            _node_lines(clause, lang, 1, lines)
        out.extend(lines)
    out.append(("", None))
    title = "县域目标" if lang == "zh" else "County target"
    out.append((f"{MARKS[county.status]} {title}：{words[county.status]}", county.status))
    for kind in ("district", "industry", "enterprise"):
        strong = county.strong.get(kind, [])
        counts = county.counts.get(kind, {})
        label = KIND_ZH[kind] if lang == "zh" else kind
        out.append((f"  {label}: {len(strong)} strong / {sum(counts.values())} candidates "
                    f"(fail {counts.get('fail', 0)}, unknown {counts.get('unknown', 0)})", None))
    lines2: list[tuple[str, Status]] = []
    for clause in county.clauses:
        _node_lines(clause, lang, 1, lines2)
    out.extend(lines2)
    out.append(("", None))
    if report.params:
        out.append(("参数：" if lang == "zh" else "Parameters:", None))
        for p in report.params:
            flag = ("（数据集覆盖，默认 " + p.default + "）") if p.overridden else ""
            name = p.title_zh if lang == "zh" else (p.title_en or p.title_zh)
            out.append((f"  ${p.name} = {p.value}{flag}  {name}", None))
    return out


def render_report(report: Report, console: Console, lang: str = "zh") -> None:
    """Print the text report; colours only when the console is a terminal with colour on."""
    for line, status in report_lines(report, lang):
        text = Text(line)
        if status is not None:
            indent = len(line) - len(line.lstrip())
            text.stylize(STYLES[status], indent, indent + 1)
        console.print(text, soft_wrap=True, highlight=False)
