"""Markdown reports (``--format md``) for pasting into documents.

The text is GitHub-flavoured Markdown: a heading with the county and the criteria used, the
county target (a count table per kind and one row per target clause), one table per kind of
candidate (a row per candidate, a column per top-level clause), then for every candidate
that is not strong the clauses that keep it from passing (the failing or undecided leaves,
following only branches that do not pass) with their margins, the plan's words and the
missing data; last, the parameters used.

Report texts are escaped so that they stay text: Markdown punctuation gets a backslash,
``|`` is escaped everywhere (so tables keep their columns), line breaks become spaces, and
ids and field paths are code spans. The same report gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qstrong.core.logic import Status, Truth
from qstrong.core.vocab import (
    FOCUS_HEADING,
    FOCUS_WORDS,
    KIND_WORDS,
    KINDS,
    MARKS,
    MEMBERS_ONLY_WORDS,
    STATUS_WORDS,
)
from qstrong.engine.advice import blocking_leaves
from qstrong.engine.clause import ClauseResult
from qstrong.engine.results import QSTRONG_VERSION, EntityResult, Report
from qstrong.lang.criteria_file import ClauseDef
from qstrong.report.missing_words import cells_for, missing_places

__all__ = ["md_code", "md_text", "render_markdown"]

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "heading": "{county}（{code}）质量强县评定",
        "meta": "评审基准日 {date} · 评定标准 {version}（sha256 {sha}）{modified} · qstrong {qv}",
        "modified": "，已修改：与 qstrong 自带的同版本标准不同",
        "legend": "图例",
        "county_target": "县域目标",
        "kind": "类别",
        "strong": "评定为强",
        "candidates": "候选数",
        "clause": "条款",
        "result": "结果",
        "finding": "说明",
        "id": "编号",
        "name": "名称",
        "problems": "未达标和无法判定的条款",
        "all_pass": "所有候选对象均达标。",
        "county_problems": "县域目标",
        "margin": "差距",
        "plan_text": "方案原文",
        "missing": "缺少数据",
        "applies_if": "适用条件",
        "params": "评定参数",
        "param": "参数",
        "value": "取值",
        "default": "默认值",
        "overridden": "数据集覆盖",
        "what_if": "假设值 --set",
        "colon": "：",
        "sep": "；",
        "open": "（",
        "close": "）",
    },
    "en": {
        "heading": "{county} ({code}) quality-strong county assessment",
        "meta": "Assessment date {date} · criteria {version} (sha256 {sha}){modified} · "
                "qstrong {qv}",
        "modified": ", modified: not the packaged criteria of that version",
        "legend": "Legend",
        "county_target": "County target",
        "kind": "Kind",
        "strong": "Strong",
        "candidates": "Candidates",
        "clause": "Clause",
        "result": "Result",
        "finding": "Finding",
        "id": "Id",
        "name": "Name",
        "problems": "Failing and undecided clauses",
        "all_pass": "Every candidate passes.",
        "county_problems": "County target",
        "margin": "Margin",
        "plan_text": "Plan text",
        "missing": "Missing data",
        "applies_if": "Applies if",
        "params": "Parameters",
        "param": "Parameter",
        "value": "Value",
        "default": "Default",
        "overridden": "overridden by the dataset",
        "what_if": "what-if value (--set)",
        "colon": ": ",
        "sep": "; ",
        "open": " (",
        "close": ")",
    },
}

KIND_HEADINGS: dict[str, dict[str, str]] = {
    "zh": dict(KIND_WORDS["zh"]),
    "en": {"district": "Districts (强区)", "industry": "Industries (强业)",
           "enterprise": "Enterprises (强企)"},
}

STATUS_ORDER = (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE)

# Markdown punctuation; "_" only where it could start or end emphasis (not inside a word),
# "~" only where it could start or end a strikethrough (not with spaces on both sides).
_SPECIAL = re.compile(r"[\\`*\[\]<>|#]|(?<![^\W_])_|_(?![^\W_])|(?<!\s)~|~(?!\s)")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_text(text: object) -> str:
    """Text that Markdown shows as written: punctuation backslash-escaped, one line.

    Examples:
        >>> print(md_text("a|b *c* snake_case _x_"))
        a\\|b \\*c\\* snake_case \\_x\\_
    """
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(text))
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), _NEWLINES.sub(" ", shown))


def md_code(text: object) -> str:
    """A code span for ids and field paths; ``|`` escaped so it can sit in a table cell.

    Examples:
        >>> md_code("district/1")
        '`district/1`'
    """
    s = _NEWLINES.sub(" ", str(text)).replace("|", "\\|")
    runs = [len(r) for r in re.findall(r"`+", s)]
    fence = "`" * (max(runs) + 1 if runs else 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _words(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(WORDS)}")
    return WORDS[lang]


def _status(status: Status, lang: str) -> str:
    return f"{MARKS[status]} {STATUS_WORDS[lang][status]}"


def _title(node: ClauseResult | ClauseDef, lang: str) -> str:
    return node.title_zh if lang == "zh" else (node.title_en or node.title_zh)


def _summary(node: ClauseResult, lang: str) -> str:
    return node.summary_zh if lang == "zh" else (node.summary_en or node.summary_zh)


def _table(head: list[str], rows: Iterable[list[str]], align: list[str] | None = None) -> list[str]:
    """Table lines; cells are ready Markdown (already escaped)."""
    rule = align or ["---"] * len(head)
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(rule) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _leaf_lines(node: ClauseResult, lang: str) -> list[str]:
    w = WORDS[lang]
    head = f"- {MARKS[node.status]} {md_code(node.id)} {md_text(_title(node, lang))}"
    if node.section:
        head += f"{w['open']}{md_text(node.section)}{w['close']}"
    summary = _summary(node, lang)
    if summary:
        head += f"{w['colon']}{md_text(summary)}"
    lines = [head]
    margins = []
    for check in node.checks:
        if check.margin is not None and check.status is not Truth.PASS:
            m = check.margin
            margins.append(m.text_zh if lang == "zh" else (m.text_en or m.text_zh))
    if margins:
        lines.append(f"  - {w['margin']}{w['colon']}{md_text(w['sep'].join(margins))}")
    if node.applies_if is not None and node.applicability is Status.UNKNOWN:
        lines.append(f"  - {w['applies_if']}{w['colon']}{md_code(node.applies_if)}"
                     f" {_status(Status.UNKNOWN, lang)}")
    if node.text:
        lines.append(f"  - {w['plan_text']}{w['colon']}{md_text(node.text)}")
    if node.missing:  # the readers' name, the cell to fill in, the path
        places = [md_text(label) + (f" {md_code(cell)}" if cell else "")
                  + ("" if label == path else f" {md_code(path)}")
                  for label, cell, path in missing_places(node, lang)]
        lines.append(f"  - {w['missing']}{w['colon']}" + ", ".join(places))
    return lines


def _county_lines(report: Report, lang: str) -> list[str]:
    w = WORDS[lang]
    county = report.county
    lines = [f"## {w['county_target']}{w['colon']}{_status(county.status, lang)}", ""]
    rows = []
    for kind in KINDS:
        counts = county.counts.get(kind, {})
        rows.append([md_text(KIND_HEADINGS[lang][kind]), str(len(county.strong.get(kind, []))),
                     str(sum(counts.values())), str(counts.get("fail", 0)),
                     str(counts.get("unknown", 0))])
    lines += _table([w["kind"], w["strong"], w["candidates"],
                     STATUS_WORDS[lang][Status.FAIL], STATUS_WORDS[lang][Status.UNKNOWN]],
                    rows, ["---", "--:", "--:", "--:", "--:"])
    nodes = [n for c in county.clauses for n in c.walk()]
    if nodes:
        lines.append("")
        lines += _table(
            [w["clause"], w["result"], w["finding"]],
            ([f"{md_code(n.id)} {md_text(_title(n, lang))}", _status(n.status, lang),
              md_text(_summary(n, lang))] for n in nodes),
        )
    return lines


def _kind_lines(entities: list[EntityResult], kind: str, lang: str,
                top: list[ClauseDef]) -> list[str]:
    w = WORDS[lang]
    head = [w["id"], w["name"], w["result"]] + [
        f"{md_code(c.id)} {md_text(_title(c, lang))}" for c in top]
    rows = []
    for e in entities:
        statuses = e.statuses()  # the verdicts only: no explanation made for a mark
        marks = [MARKS[statuses[c.id]] if c.id in statuses else "" for c in top]
        rows.append([md_text(e.id), md_text(e.name), _status(e.status, lang), *marks])
    focus = [f"- {md_text(e.id)} {md_text(e.name)}{w['colon']}{md_text(FOCUS_HEADING[lang])} "
             + md_text(w["sep"].join(FOCUS_WORDS[lang].get(f, f) for f in e.focus))
             for e in entities if e.focus]
    return [f"## {md_text(KIND_HEADINGS[lang][kind])}", "",
            *_table(head, rows, ["---", "---", "---"] + [":-:"] * len(top)),
            *(["", *focus] if focus else [])]


def _problem_lines(report: Report, lang: str) -> list[str]:
    w = WORDS[lang]
    lines = [f"## {w['problems']}"]
    found = False
    for e in report.entities:
        if e.status is Status.PASS:
            continue  # nothing blocks it: not explained for this
        leaves = blocking_leaves(e.clause_trees(keep=False))
        if not leaves:
            continue
        found = True
        kind = KIND_WORDS[lang].get(e.kind, e.kind)
        lines += ["", f"### {MARKS[e.status]} {md_text(kind)} {md_text(e.id)} "
                  f"{md_text(e.name)}{w['colon']}{STATUS_WORDS[lang][e.status]}", ""]
        with cells_for(report, e.kind, e.id):
            for leaf in leaves:
                lines += _leaf_lines(leaf, lang)
    county_leaves = blocking_leaves(report.county.clauses)
    if county_leaves:
        found = True
        lines += ["", f"### {MARKS[report.county.status]} {w['county_problems']}"
                  f"{w['colon']}{STATUS_WORDS[lang][report.county.status]}", ""]
        for leaf in county_leaves:
            lines += _leaf_lines(leaf, lang)
    if not found:
        lines += ["", w["all_pass"]]
    return lines


def _param_lines(report: Report, lang: str) -> list[str]:
    if not report.params:
        return []
    w = WORDS[lang]
    rows = []
    for p in report.params:
        title = p.title_zh if lang == "zh" else (p.title_en or p.title_zh)
        flag = w["what_if" if p.what_if else "overridden"]
        value = md_text(p.value_in(lang)) + (f"{w['open']}{flag}{w['close']}"
                                             if p.overridden else "")
        rows.append([f"{md_code('$' + p.name)} {md_text(title)}", value,
                     md_text(p.default_in(lang))])
    return ["", f"## {w['params']}", "",
            *_table([w["param"], w["value"], w["default"]], rows)]


def render_markdown(report: Report, lang: str = "zh") -> str:
    """The report as Markdown (GitHub-flavoured tables), ending with a newline.

    Args:
        report: the evaluation report.
        lang: ``"zh"`` (default) or ``"en"``.

    Returns:
        The Markdown text; the same report gives the same text.

    Raises:
        ValueError: the language is not supported.
    """
    w = _words(lang)
    county = report.county
    legend = "　".join(_status(s, lang) for s in STATUS_ORDER)
    lines = [
        f"# {md_text(w['heading'].format(county=county.name, code=county.code))}",
        "",
        md_text(w["meta"].format(modified=w["modified"] if report.criteria.modified else "",
                                 qv=QSTRONG_VERSION,
                                 date=report.dataset.assessment.date.isoformat(),
                                 version=report.criteria.version,
                                 sha=report.criteria.sha256[:12])),
        "",
        f"{w['legend']}{w['colon']}{legend}",
        "",
        *[line for warning in report.warnings for line in (
            f"> warning[{warning.code}] {md_code(warning.path or '')}{w['colon']}"
            f"{md_text(warning.detail(lang))}", "")],
        *_county_lines(report, lang),
    ]
    for kind in KINDS:
        members = [e for e in report.entities if e.kind == kind]
        if members:
            lines += ["", *_kind_lines(members, kind, lang, report.criteria.clause_defs(kind))]
        if kind == "enterprise" and report.members_only:
            lines += ["", md_text(MEMBERS_ONLY_WORDS[lang]) + w["colon"] + w["sep"].join(
                f"{md_code(m.id)} {md_text(m.name)}" for m in report.members_only)]
    lines += ["", *_problem_lines(report, lang)]
    lines += _param_lines(report, lang)
    return "\n".join(lines) + "\n"
