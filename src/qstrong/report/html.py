"""HTML reports: one self-contained page (``--format html``) and fragments for notebooks.

`render_html` returns a whole document with inline CSS and a small inline script, and a
Content-Security-Policy that forbids every network request, so the file can be mailed,
archived or opened offline. It shows the county summary, an overview table per kind of
candidate, then each candidate's clause tree as nested ``<details>`` elements (they open
and close without JavaScript): status colours, the one-line verdict with its margin, and
in the body the plan's words, the comparisons, the values read, aggregates with their
members, parameters and missing data. The script only adds the status filter and the
"expand all / collapse all" buttons. ``@media print`` lays the page out for A4: what is
open on screen is printed, closed clauses print as their one-line verdict.

`report_fragment_html`, `county_html`, `entity_html` and `node_html` return ``<div>``
fragments (scoped CSS, no script) for ``_repr_html_`` in Jupyter.

Every text from the report is escaped with `html.escape`; the output depends only on the
report (no dates, no random ids), so the same report gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
from collections.abc import Iterable, Iterator
from typing import TextIO

from qstrong.core.logic import Status, Truth
from qstrong.core.vocab import (
    FOCUS_HEADING,
    FOCUS_WORDS,
    KIND_WORDS,
    KINDS,
    MARKS,
    MEMBERS_ONLY_WORDS,
    OP_SHOW,
    STATUS_WORDS,
)
from qstrong.engine.clause import ClauseResult
from qstrong.engine.explanation import (
    AggregateTrace,
    Check,
    ItemTrace,
    ParamUse,
    ValueRead,
)
from qstrong.engine.results import QSTRONG_VERSION, CountyResult, EntityResult, Report
from qstrong.lang.criteria_file import ClauseDef
from qstrong.report.html_assets import CSS, SCRIPT
from qstrong.report.html_words import WORDS
from qstrong.report.missing_words import cells_for, missing_places

__all__ = [
    "LANGS",
    "county_html",
    "entity_html",
    "node_html",
    "render_html",
    "report_fragment_html",
    "write_html",
]

LANGS = ("zh", "en")


AGG_WORDS: dict[str, dict[str, str]] = {
    "zh": {"share": "占比", "count": "计数", "sum": "合计", "any": "任一符合",
           "all": "全部符合", "none": "均不符合"},
    "en": {"share": "share", "count": "count", "sum": "sum", "any": "any",
           "all": "all", "none": "none"},
}

KIND_HEADINGS: dict[str, dict[str, str]] = {
    "zh": dict(KIND_WORDS["zh"]),
    "en": {"district": "Districts (强区)", "industry": "Industries (强业)",
           "enterprise": "Enterprises (强企)"},
}

STATUS_ORDER = (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE)
OPEN_LIMIT = 200
"""Up to this many candidates, the page opens the trees of those that did not pass."""

def _e(text: object) -> str:
    """Escaped text for element content and attribute values."""
    return html.escape(str(text), quote=True)


def _words(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGS)}")
    return WORDS[lang]


def _mark(status: Status | Truth) -> str:
    st = status if isinstance(status, Status) else Status.of(status)
    return f'<span class="qs-mark" data-status="{st.value}">{_e(MARKS[st])}</span>'


def _badge(status: Status | Truth, lang: str) -> str:
    st = status if isinstance(status, Status) else Status.of(status)
    return f'<span class="qs-badge" data-status="{st.value}">{_e(STATUS_WORDS[lang][st])}</span>'


def _title(node: ClauseResult | ClauseDef, lang: str) -> str:
    return node.title_zh if lang == "zh" else (node.title_en or node.title_zh)


def _summary(node: ClauseResult, lang: str) -> str:
    return node.summary_zh if lang == "zh" else (node.summary_en or node.summary_zh)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], cls: str,
           numeric_from: int | None = None) -> str:
    """A table: header cells are escaped here, body cells are ready HTML.

    Cells from column ``numeric_from`` on are right-aligned numbers.
    """
    out = [f'<table class="{cls}"><thead><tr>']
    out.extend(f"<th>{_e(h)}</th>" for h in head)
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for col, cell in enumerate(row):
            num = numeric_from is not None and col >= numeric_from
            out.append(f'<td class="qs-num">{cell}</td>' if num else f"<td>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _margin_html(check: Check, lang: str) -> str:
    m = check.margin
    if m is None:
        return ""
    met = "none" if m.met is None else ("true" if m.met else "false")
    text = m.text_zh if lang == "zh" else (m.text_en or m.text_zh)
    return f'<span class="qs-margin" data-met="{met}">{_e(text)}</span>'


def _checks_html(checks: list[Check], lang: str) -> str:
    w = WORDS[lang]
    rows = []
    for c in checks:
        label = c.left_label_zh if lang == "zh" else (c.left_label_en or c.left_label_zh)
        rows.append([
            f"{_e(label)}<br><code>{_e(c.left)}</code>",
            _e(c.left_value if lang == "zh" else (c.left_value_en or c.left_value)),
            _e(f"{OP_SHOW.get(c.op, c.op)} "
               f"{c.right_value if lang == 'zh' else (c.right_value_en or c.right_value)}"),
            _mark(c.status) + _badge(c.status, lang),
            _margin_html(c, lang),
        ])
    head = [w["check_item"], w["check_value"], w["check_required"], w["result"],
            w["check_margin"]]
    return f'<div class="qs-caption">{_e(w["checks"])}</div>' + _table(head, rows, "qs-checks")


def _values_html(values: list[ValueRead], lang: str) -> str:
    w = WORDS[lang]
    rows = []
    for v in values:
        label = v.label_zh if lang == "zh" else (v.label_en or v.label_zh)
        shown = (f'<span class="qs-missing">{_e(w["missing_value"])}</span>' if v.missing
                 else _e(v.display if lang == "zh" else (v.display_en or v.display)))
        rows.append([_e(label), f"<code>{_e(v.path)}</code>", shown])
    head = [w["name"], w["field"], w["value"]]
    return f'<div class="qs-caption">{_e(w["values"])}</div>' + _table(head, rows, "qs-values")


def _item_row(item: ItemTrace, lang: str) -> list[str]:
    missing = ", ".join(item.missing)
    return [
        _e(item.label_in(lang)),
        _mark(item.status),
        _e(item.value or ""),
        _e(item.detail_in(lang)) + (f'<br><span class="qs-missing">{_e(missing)}</span>'
                                    if missing else ""),
    ]


def _aggregate_html(agg: AggregateTrace, lang: str) -> str:
    w = WORDS[lang]
    func = AGG_WORDS[lang].get(agg.func, agg.func)
    facts = [f"{_e(w['counted'])} {agg.counted}"]
    if agg.total is not None:
        facts.append(f"{_e(w['total'])} {agg.total}")
    if agg.unknown:
        facts.append(f"{_e(w['unknown_items'])} {agg.unknown}")
    if agg.window is not None:
        facts.append(f"{_e(w['window'])} {agg.window[0].isoformat()} {_e(w['to'])} "
                     f"{agg.window[1].isoformat()}")
        if agg.excluded:
            facts.append(f"{_e(w['outside'])} {agg.excluded}")
    out = [
        '<div class="qs-aggregate">',
        f'<div class="qs-caption">{_e(w["aggregates"])}{_e(w["colon"])}{_e(func)} '
        f"<code>{_e(agg.collection)}</code> = {_e(agg.value)}</div>",
        f'<div class="qs-facts">{_e(w["sep"]).join(facts)}</div>',
    ]
    if agg.items:
        head = [w["member"], w["result"], w["value"], w["detail"]]
        out.append(_table(head, (_item_row(i, lang) for i in agg.items), "qs-items"))
    out.append("</div>")
    return "".join(out)


def _params_html(params: list[ParamUse], lang: str, caption: bool = True) -> str:
    w = WORDS[lang]
    rows = []
    for p in params:
        title = p.title_zh if lang == "zh" else (p.title_en or p.title_zh)
        flag = w["what_if" if p.what_if else "overridden"]
        value = _e(p.value_in(lang)) + (f"<br>{_e(flag)}" if p.overridden else "")
        rows.append([f"{_e(title)}<br><code>${_e(p.name)}</code>", value, _e(p.default_in(lang)),
                     _e(p.note)])
    head = [w["name"], w["param_value"], w["param_default"], w["note"]]
    cap = f'<div class="qs-caption">{_e(w["params"])}</div>' if caption else ""
    return cap + _table(head, rows, "qs-params")


def _node_body(node: ClauseResult, lang: str, open_rule: str) -> str:
    w = WORDS[lang]
    out = ['<div class="qs-body">']
    if node.text:
        out.append(f'<div class="qs-caption">{_e(w["plan_text"])}</div>'
                   f'<blockquote class="qs-text" lang="zh-CN">{_e(node.text)}</blockquote>')
    facts: list[tuple[str, str]] = []
    if node.section:
        facts.append((w["section"], _e(node.section)))
    if node.applies_if is not None:
        appl = "" if node.applicability is None else " " + _badge(node.applicability, lang)
        facts.append((w["applies_if"], f"<code>{_e(node.applies_if)}</code>{appl}"))
    if node.rule is not None:
        facts.append((w["rule"], f"<code>{_e(node.rule)}</code>"))
    elif node.children:
        facts.append((w["rule"], _e(w["combine_any" if node.combine == "any" else "combine_all"])))
    if node.missing:  # the readers' name, the cell to fill in, the path
        facts.append((w["missing"], '<span class="qs-missing">' + ", ".join(
            _e(label) + (f" <code>{_e(cell)}</code>" if cell else "")
            + ("" if label == path else f" <code>{_e(path)}</code>")
            for label, cell, path in missing_places(node, lang)) + "</span>"))
    if facts:
        out.append("<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
    if node.checks:
        out.append(_checks_html(node.checks, lang))
    if node.values:
        out.append(_values_html(node.values, lang))
    out.extend(_aggregate_html(a, lang) for a in node.aggregates)
    if node.params:
        out.append(_params_html(node.params, lang))
    if node.children:
        out.append('<div class="qs-children">')
        out.extend(_node(child, lang, open_rule) for child in node.children)
        out.append("</div>")
    out.append("</div>")
    return "".join(out)


def _node(node: ClauseResult, lang: str, open_rule: str) -> str:
    """One clause as ``<details>``; open_rule: "all", "none" or "path" (groups not passing)."""
    leaf = not node.children
    is_open = open_rule == "all" or (
        open_rule == "path" and not leaf and node.status in (Status.FAIL, Status.UNKNOWN))
    brief = _summary(node, lang)
    return "".join([
        f'<details class="qs-node{" qs-leaf" if leaf else ""}" data-status="{node.status.value}" '
        f'data-clause="{_e(node.id)}"{" open" if is_open else ""}>',
        f"<summary>{_mark(node.status)}"
        f'<span class="qs-id">{_e(node.id)}</span>'
        f'<span class="qs-title">{_e(_title(node, lang))}</span> '
        f"{_badge(node.status, lang)}"
        + (f'<span class="qs-brief">{_e(brief)}</span>' if brief else "")
        + "</summary>",
        _node_body(node, lang, open_rule),
        "</details>",
    ])


def _entity(entity: EntityResult, lang: str, anchor: str | None, open_rule: str,
            is_open: bool) -> str:
    kind = KIND_WORDS[lang].get(entity.kind, entity.kind)
    anchor_attr = f' id="{_e(anchor)}"' if anchor else ""
    return "".join([
        f'<details class="qs-entity" data-status="{entity.status.value}" '
        f'data-kind="{_e(entity.kind)}" data-entity="{_e(entity.id)}"{anchor_attr}'
        f'{" open" if is_open else ""}>',
        f"<summary>{_mark(entity.status)}"
        f'<span class="qs-kindword">{_e(kind)}</span> '
        f'<span class="qs-id">{_e(entity.id)}</span>'
        f'<span class="qs-name">{_e(entity.name)}</span> {_badge(entity.status, lang)}'
        + (f' <span class="qs-focus">{_e(FOCUS_HEADING[lang])}：'
           f'{_e("、".join(FOCUS_WORDS[lang].get(f, f) for f in entity.focus))}</span>'
           if entity.focus else "") + "</summary>",
        '<div class="qs-tree">',
        *(_node(c, lang, open_rule) for c in entity.clause_trees(keep=False)),
        "</div></details>",
    ])


def _anchors(report: Report) -> dict[int, str]:
    return {i: f"qs-c{i + 1}" for i in range(len(report.entities))}


def _county_html(county: CountyResult, lang: str) -> str:
    w = WORDS[lang]
    rows = []
    for kind in KINDS:
        counts = county.counts.get(kind, {})
        rows.append([
            _e(KIND_HEADINGS[lang][kind]),
            f'<span class="qs-strong">{len(county.strong.get(kind, []))}</span>',
            str(sum(counts.values())),
            str(counts.get("fail", 0)),
            str(counts.get("unknown", 0)),
        ])
    head = [w["kind"], w["strong"], w["candidates"], STATUS_WORDS[lang][Status.FAIL],
            STATUS_WORDS[lang][Status.UNKNOWN]]
    table = _table(head, rows, "qs-counts", numeric_from=1)
    return "".join([
        f'<section class="qs-county" data-status="{county.status.value}">',
        f"<h2>{_mark(county.status)}{_e(w['county_target'])} {_badge(county.status, lang)}</h2>",
        table,
        '<div class="qs-tree">',
        *(_node(c, lang, "path") for c in county.clauses),
        "</div></section>",
    ])


def _top_cell(status: Status | None, lang: str) -> str:
    if status is None:
        return "<td></td>"
    return f'<td title="{_e(STATUS_WORDS[lang][status])}">{_mark(status)}</td>'


def _overview_html(report: Report, lang: str, anchors: dict[int, str]) -> str:
    """Per kind: one row per candidate with its verdict and its top-level clauses' marks."""
    w = WORDS[lang]
    out = []
    for kind in KINDS:
        members = [(i, e) for i, e in enumerate(report.entities) if e.kind == kind]
        if not members:
            continue
        top = report.criteria.clause_defs(kind)  # statuses only: no explanation is made
        head = [w["id"], w["name"], w["result"]] + [f"{c.id} {_title(c, lang)}" for c in top]
        out.append(f"<h3>{_e(KIND_HEADINGS[lang][kind])}</h3>")
        out.append(f'<table class="qs-overview" data-kind="{_e(kind)}"><thead><tr>')
        out.extend(f"<th>{_e(h)}</th>" for h in head)
        out.append("</tr></thead><tbody>")
        for i, e in members:
            cells = [
                f'<td><a href="#{anchors[i]}">{_e(e.id)}</a></td>',
                f"<td>{_e(e.name)}</td>",
                f'<td class="qs-st">{_mark(e.status)}{_badge(e.status, lang)}</td>',
                *(_top_cell(e.statuses().get(t.id), lang) for t in top),
            ]
            out.append(f'<tr class="qs-row" data-status="{e.status.value}">'
                       + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    return "".join(out)


def _params_section(report: Report, lang: str) -> str:
    if not report.params:
        return ""
    w = WORDS[lang]
    return (f'<section class="qs-paramlist"><h2>{_e(w["params_title"])}</h2>'
            + _params_html(report.params, lang, caption=False) + "</section>")


def _legend(lang: str) -> str:
    return '<p class="qs-legend">' + "".join(
        f"<span>{_mark(s)}{_e(STATUS_WORDS[lang][s])}</span>" for s in STATUS_ORDER) + "</p>"


def _toolbar(report: Report, lang: str) -> str:
    w = WORDS[lang]
    counts = {s: sum(1 for e in report.entities if e.status is s) for s in STATUS_ORDER}
    boxes = []
    for s in STATUS_ORDER:
        count = f" ({counts[s]})" if s is not Status.NOT_APPLICABLE else ""
        boxes.append(f'<label>{_mark(s)}<input type="checkbox" value="{s.value}" checked> '
                     f"{_e(STATUS_WORDS[lang][s])}{count}</label>")
    return "".join([
        '<div class="qs-toolbar">',
        f'<span class="qs-filter" role="group" aria-label="{_e(w["filter"])}">'
        f'{_e(w["filter"])} {" ".join(boxes)}</span>',
        f'<span><button type="button" class="qs-expand">{_e(w["expand"])}</button> '
        f'<button type="button" class="qs-collapse">{_e(w["collapse"])}</button></span>',
        "</div>",
    ])


def _candidates_html(report: Report, lang: str, anchors: dict[int, str]) -> Iterator[str]:
    """The candidates' sections, one piece at a time (a province's page is streamed). A large
    county's page opens on its tables: no candidate's tree is open until clicked."""
    w = WORDS[lang]
    large = len(report.entities) > OPEN_LIMIT
    yield '<div class="qs-cands">'
    out: list[str] = []
    for kind in KINDS:
        members = [(i, e) for i, e in enumerate(report.entities) if e.kind == kind]
        if not members:
            continue
        out.append(f'<section class="qs-kind" data-kind="{_e(kind)}">'
                   f"<h2>{_e(KIND_HEADINGS[lang][kind])}</h2>")
        out.append(f'<p class="qs-none" hidden>{_e(w["no_match"])}</p>')
        yield "".join(out)
        out.clear()
        for i, e in members:
            with cells_for(report, e.kind, e.id):
                yield _entity(e, lang, anchors[i], "path",
                              e.status is not Status.PASS and not large)
        if kind == "enterprise" and report.members_only:
            out.append(f'<p class="qs-members-only">{_e(MEMBERS_ONLY_WORDS[lang])}：'
                       + "、".join(f"{_e(m.id)} {_e(m.name)}" for m in report.members_only)
                       + "</p>")
        out.append("</section>")
    out.append("</div>")
    yield "".join(out)


def _report_body(report: Report, lang: str, toolbar: bool) -> Iterator[str]:
    w = _words(lang)
    county = report.county
    anchors = _anchors(report)
    meta = [
        f"<span>{_e(w['as_of'])} {_e(report.dataset.assessment.date.isoformat())}</span>",
        f"<span>{_e(w['criteria'])} {_e(report.criteria.version)}</span>",
        f'<span>sha256 <code title="{_e(report.criteria.sha256)}">'
        f"{_e(report.criteria.sha256[:12])}</code></span>",
        *([f'<span class="qs-modified">{_e(w["modified"])}</span>']
          if report.criteria.modified else []),
        f"<span>qstrong {_e(QSTRONG_VERSION)}</span>",
    ]
    yield "".join([
        f"<h1>{_e(w['heading'].format(county=county.name, code=county.code))}</h1>",
        f'<p class="qs-meta">{"".join(meta)}</p>',
        *(f'<p class="qs-warning">warning[{_e(w.code)}] <code>{_e(w.path)}</code>：'
          f"{_e(w.detail(lang))}</p>" for w in report.warnings),
        _legend(lang),
        _county_html(report.county, lang),
        f"<h2>{_e(w['candidates_title'])}</h2>",
        _toolbar(report, lang) if toolbar else "",
        _overview_html(report, lang, anchors)])
    yield from _candidates_html(report, lang, anchors)
    yield _params_section(report, lang)


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def render_html(report: Report, lang: str = "zh") -> str:
    """The whole report as one self-contained HTML document (inline CSS and JS, no network).

    Args:
        report: the evaluation report.
        lang: ``"zh"`` (default) or ``"en"`` for titles, summaries and labels.

    Returns:
        The document text (UTF-8 ready, ends with a newline); the same report gives the
        same text.

    Raises:
        ValueError: the language is not supported.
    """
    out = io.StringIO()
    write_html(report, out, lang)
    return out.getvalue()


def write_html(report: Report, out: TextIO, lang: str = "zh") -> None:
    """`render_html`'s text written to ``out`` a candidate at a time; each candidate's
    explanation is made for it and not kept, so a province's page needs no more memory
    than one candidate's."""
    w = _words(lang)
    title = w["doc_title"].format(county=report.county.name)
    out.write("".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp())}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="qstrong">\n',
        f"<title>{_e(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        '<main class="qs qs-doc">\n']))
    for part in _report_body(report, lang, toolbar=True):
        out.write(part)
    out.write(f"\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")


def _fragment(content: str) -> str:
    return f'<div class="qs"><style>{CSS}</style>{content}</div>'


def report_fragment_html(report: Report, lang: str = "zh") -> str:
    """The report as a ``<div>`` with scoped CSS and no script, for notebooks."""
    return _fragment("".join(_report_body(report, lang, toolbar=False)))


def county_html(county: CountyResult, lang: str = "zh") -> str:
    """The county target: verdict, counts per kind and its clause tree, as a fragment."""
    _words(lang)
    return _fragment(_county_html(county, lang))


def entity_html(entity: EntityResult, lang: str = "zh") -> str:
    """One candidate's verdict and clause tree as a ``<div>`` fragment (opened)."""
    _words(lang)
    return _fragment(_entity(entity, lang, None, "path", True))


def node_html(node: ClauseResult, lang: str = "zh") -> str:
    """One clause node and everything below it as a ``<div>`` fragment (opened)."""
    _words(lang)
    return _fragment(_node(node, lang, "all"))
