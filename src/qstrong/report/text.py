"""Presentation only: reports and explanations as trees and tables of text.

A report is built of the pieces of `qstrong.report.blocks` (lines, rules, tables, clause
trees; never console markup, so data such as ``enterprises[E08]`` is printed as is): laid
out as plain lines for files, pipes and `report_text` without rich, and printed as the rich
renderables they stand for on a colour terminal (`render_report`). Whether colour is used
is the console's business: `plain_console` gives one with no ANSI codes at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from qstrong.core.logic import Status, Truth
from qstrong.core.vocab import (
    COUNTY_WORDS,
    FOCUS_HEADING,
    FOCUS_WORDS,
    KIND_HEADINGS,
    KIND_WORDS,
    KINDS,
    MARKS,
    MEMBERS_ONLY_WORDS,
    STATUS_WORDS,
    unfold_cjk,
)
from qstrong.engine.clause import ClauseResult
from qstrong.engine.explanation import AggregateTrace
from qstrong.engine.gaps import check_gap
from qstrong.engine.results import QSTRONG_VERSION, CountyResult, EntityResult, Report
from qstrong.report.blocks import Block, Blocks, Line, RuleLine, TableBlock, TreeBlock
from qstrong.report.consoles import Visible, captured, captured_chunks, plain_console
from qstrong.report.missing_words import cells_for, missing_text
from qstrong.report.text_builder import TextBuilder

if TYPE_CHECKING:  # rich is loaded only to print in colour, or a piece it lays out itself
    from rich.console import Console, Group
    from rich.text import Text
    from rich.tree import Tree

    from qstrong.engine.advice import Advice

__all__ = [
    "STYLES",
    "ReportFilter",
    "clause_tree",
    "explain_text",
    "node_tree",
    "plain_console",
    "render_explanation",
    "render_report",
    "report_text",
    "summary_table",
    "write_report_text",
]

STYLES = {Status.PASS: "green", Status.FAIL: "red", Status.UNKNOWN: "yellow",
          Status.NOT_APPLICABLE: "dim"}
MAX_ITEMS = 60
"""Members of an aggregate listed in an explanation before the rest are summed up."""

_UI = {
    "zh": {
        "title": "{name}（{code}）质量强县评定",
        "meta": "评审基准日 {date} · 标准版本 {version}（sha256 {sha}）{modified} · qstrong {qv}",
        "modified": "，已修改：与 qstrong 自带的同版本标准不同",
        "params": "评审参数",
        "param_override": "（数据集覆盖，默认 {default}）",
        "param_what_if": "（假设值 --set，默认 {default}）",
        "param_default": "（默认）",
        "summary": "汇总",
        "id": "编号", "name": "名称", "verdict": "结论",
        "caption": "{strong} 个达标 / 共 {total} 个候选（未达标 {fail}，无法判定 {unknown}）",
        "no_candidates": "（无候选对象）",
        "none_shown": "（没有符合筛选条件的候选对象）",
        "kind": "类型", "strong": "达标", "fail": "未达标", "unknown": "无法判定",
        "total": "候选",
        "brief": "{total} 项中 {passed} 项达标",
        "brief_more": "、{n} 项{word}",
        "plan": "原文", "rule": "规则", "applies": "适用条件", "result": "结论",
        "data": "数据", "param": "参数", "members": "逐项", "more_items": "…… 另 {n} 项",
        "advice": "要达标需要",
    },
    "en": {
        "title": "{name} ({code}) quality-strong county assessment",
        "meta": "as of {date} · criteria {version} (sha256 {sha}){modified} · qstrong {qv}",
        "modified": ", modified: not the packaged criteria of that version",
        "params": "Criteria parameters",
        "param_override": " (set by the dataset; default {default})",
        "param_what_if": " (what-if --set; default {default})",
        "param_default": " (default)",
        "summary": "Summary",
        "id": "ID", "name": "Name", "verdict": "Verdict",
        "caption": "{strong} pass of {total} candidates ({fail} fail, {unknown} unknown)",
        "no_candidates": "(no candidates)",
        "none_shown": "(no candidate matches the filters)",
        "kind": "Kind", "strong": "Pass", "fail": "Fail", "unknown": "Unknown",
        "total": "Candidates",
        "brief": "{passed} of {total} pass",
        "brief_more": ", {n} {word}",
        "plan": "Plan", "rule": "Rule", "applies": "Applies if", "result": "Result",
        "data": "Data", "param": "Parameter", "members": "Items",
        "more_items": "... and {n} more",
        "advice": "To pass",
    },
}


# ------------------------------------------------------------------ filters


@dataclass(frozen=True)
class ReportFilter:
    """Which candidates and clauses a text report shows (None: no restriction).

    Attributes:
        statuses: show candidates with one of these verdicts (for not applicable: with such
            a clause), and within their trees only clauses with (or above a clause with)
            one of these statuses.
        kinds: candidate kinds to show (``district``, ``industry``, ``enterprise``,
            ``county``).
        entities: candidate ids to show (``county`` or the county code for the county).
    """

    statuses: frozenset[Status] | None = None
    kinds: frozenset[str] | None = None
    entities: frozenset[str] | None = None

    def shows_entity(self, entity: EntityResult) -> bool:
        """Whether a candidate passes every filter."""
        return ((self.kinds is None or entity.kind in self.kinds)
                and (self.entities is None or entity.id in self.entities)
                and (self.statuses is None or entity.status in self.statuses
                     or (Status.NOT_APPLICABLE in self.statuses
                         and any(n.status is Status.NOT_APPLICABLE for n in entity.nodes()))))

    def shows_kind(self, kind: str) -> bool:
        """Whether a kind's section appears at all."""
        if kind == "county":
            return self.kinds is None or "county" in self.kinds
        return self.kinds is None or kind in self.kinds

    def shows_county(self, county: CountyResult) -> bool:
        """Whether the county verdict passes every filter."""
        return (self.shows_kind("county")
                and (self.entities is None or bool({"county", county.code} & self.entities))
                and (self.statuses is None or county.status in self.statuses))

    def shows_node(self, node: ClauseResult) -> bool:
        """Whether a clause, or one below it, has a status the filter asks for."""
        if self.statuses is None:
            return True
        return any(n.status in self.statuses for n in node.walk())


NO_FILTER = ReportFilter()


# ------------------------------------------------------------------ labels


def _title(node: ClauseResult, lang: str) -> str:
    return node.title_zh if lang == "zh" or not node.title_en else node.title_en


def _mark(status: Status) -> Line:
    return Line(MARKS[status], STYLES[status])


def _brief(node: ClauseResult, lang: str) -> str:
    """``8 项中 7 项达标、1 项未达标`` for a clause with children."""
    ui = _UI[lang]
    statuses = [c.status for c in node.children]  # counted without hashing an enum
    text = ui["brief"].format(total=len(statuses), passed=statuses.count(Status.PASS))
    for status in (Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE):
        n = statuses.count(status)
        if n:
            text += ui["brief_more"].format(n=n, word=STATUS_WORDS[lang][status])
    return text


def _leaf_detail(node: ClauseResult, lang: str) -> str:
    """The value, bound and margin of a leaf clause, as briefly as the title allows."""
    summary = node.summary_zh if lang == "zh" else node.summary_en
    if node.status is Status.NOT_APPLICABLE or node.applicability is Status.UNKNOWN:
        return summary
    listed = [a for a in node.aggregates if a.func in ("none", "all", "any")]
    if node.status is Status.UNKNOWN and node.missing and not listed:
        partial = [c for c in node.checks if c.partial]
        if len(partial) == 1:   # what is known so far: 28 家 ~ 31 家, 已知 4/10 家…
            return check_gap(partial[0], lang) + ("；" if lang == "zh" else "; ") \
                + missing_text(node, lang)
        return missing_text(node, lang)
    if len(node.checks) == 1 and not listed:
        text = check_gap(node.checks[0], lang)
        if node.missing:
            text += ("；" if lang == "zh" else "; ") + missing_text(node, lang)
        return text
    return summary


def _node_label(node: ClauseResult, lang: str, *, top: bool, detail: bool) -> TextBuilder:
    label = TextBuilder(MARKS[node.status], STYLES[node.status])
    label.add(" ")
    if top and node.section:
        label.add(f"{node.section} ", "bold")
    label.add(_title(node, lang), "bold" if top else "")
    if node.children:
        label.add(" · " + _brief(node, lang), "dim" if node.status is Status.PASS else "")
    if detail:
        label.add(f"  {node.id}", "dim")
        for line, style in _detail_lines(node, lang):
            label.add("\n")
            label.add_styled(line, style)
    elif not node.children:
        style = "dim" if node.status in (Status.PASS, Status.NOT_APPLICABLE) else ""
        detail_text = _leaf_detail(node, lang)
        if detail_text:  # a verdict-only report (--verdicts-only) has no detail to show
            label.add("\n")
            label.add(detail_text, style)
    return label


def _item_lines(agg: AggregateTrace, lang: str) -> list[tuple[TextBuilder, str]]:
    ui = _UI[lang]
    out: list[tuple[TextBuilder, str]] = []
    marks = {Truth.PASS: Status.PASS, Truth.FAIL: Status.FAIL, Truth.UNKNOWN: Status.UNKNOWN}
    for item in agg.items[:MAX_ITEMS]:
        line = TextBuilder("  ")
        status = marks[item.status]
        line.add(MARKS[status], STYLES[status])
        line.add(f" {item.label_in(lang)}")
        if item.detail:
            line.add(f" {item.detail_in(lang)}")
        elif item.value is not None:
            line.add(f" {item.value}")
        if item.missing:
            joiner = "、" if lang == "zh" else ", "
            line.add(("（缺：" if lang == "zh" else " (missing: ")
                     + joiner.join(item.missing) + ("）" if lang == "zh" else ")"),
                     STYLES[Status.UNKNOWN])
        out.append((line, ""))
    rest = len(agg.items) - MAX_ITEMS
    if rest > 0:
        out.append((TextBuilder("  " + ui["more_items"].format(n=rest)), "dim"))
    return out


def _detail_lines(node: ClauseResult, lang: str) -> list[tuple[TextBuilder, str]]:
    """Everything behind one clause's verdict: plan text, rule, result, data, parameters;
    each line with its own style (the style of the whole line)."""
    ui = _UI[lang]
    colon = "：" if lang == "zh" else ": "
    out: list[tuple[TextBuilder, str]] = []

    def add(key: str, value: str, style: str = "") -> None:
        out.append((TextBuilder(ui[key] + colon).add(value, style), "dim"))

    if node.text and node.text != node.title_zh:
        add("plan", unfold_cjk(node.text))
    if node.applies_if:
        applicable = STATUS_WORDS[lang][node.applicability] if node.applicability else ""
        add("applies", f"{node.applies_if} → {applicable}")
    if node.rule:
        add("rule", " ".join(node.rule.split()))
    summary = node.summary_zh if lang == "zh" else node.summary_en
    if summary:
        add("result", summary, "" if node.status is Status.PASS else STYLES[node.status])
    if not node.children:
        for read in node.values:
            label = read.label_zh if lang == "zh" else read.label_en
            add("data", f"{label}（{read.path}）= {read.display}" if lang == "zh"
                else f"{label} ({read.path}) = {read.display_en or read.display}")
        for agg in node.aggregates:
            if agg.items:
                add("members", agg.expr)
                out.extend(_item_lines(agg, lang))
        if node.missing:  # in the reader's words, with the cell for spreadsheet input
            out.append((TextBuilder(missing_text(node, lang)), STYLES[Status.UNKNOWN]))
    for use in node.params:
        title = use.title_zh if lang == "zh" else (use.title_en or use.title_zh)
        flag = (ui["param_what_if" if use.what_if else "param_override"].format(
            default=use.default_in(lang)) if use.overridden
                else ui["param_default"])
        add("param", f"${use.name} = {use.value_in(lang)}{flag} {title}")
    return out


def _entity_label(result: EntityResult | CountyResult, lang: str,
                  show_kind: bool) -> TextBuilder:
    label = TextBuilder(MARKS[result.status], STYLES[result.status])
    if isinstance(result, CountyResult):
        head = f" {result.name}（{result.code}）{COUNTY_WORDS[lang]}" if lang == "zh" \
            else f" {result.name} ({result.code}) {COUNTY_WORDS[lang]}"
    else:
        kind = f"{KIND_WORDS[lang][result.kind]} " if show_kind else ""
        head = f" {kind}{result.id} {result.name}"
    label.add(head, "bold")
    label.add(("：" if lang == "zh" else ": ") + STATUS_WORDS[lang][result.status],
              f"bold {STYLES[result.status]}")
    if isinstance(result, EntityResult) and result.focus:
        label.add(f"（{FOCUS_HEADING[lang]}：" + "、".join(
            FOCUS_WORDS[lang].get(f, f) for f in result.focus) + "）" if lang == "zh"
            else f" ({FOCUS_HEADING[lang]}: " + ", ".join(
                FOCUS_WORDS[lang].get(f, f) for f in result.focus) + ")", "dim")
    return label


def clause_tree(result: EntityResult | CountyResult, lang: str = "zh", *, detail: bool = False,
                filters: ReportFilter = NO_FILTER, show_kind: bool = False,
                keep: bool = True) -> Tree:
    """One candidate's (or the county's) verdict as a tree of clauses (a rich `Tree`).

    Args:
        result: the candidate's result, or the county's.
        lang: ``zh`` or ``en``.
        detail: also show plan text, rule, data read, members and parameters (``explain``).
        filters: only clauses the filter's statuses select.
        show_kind: name the candidate kind in the root label.
        keep: False lets a candidate's explanation made for this tree go with it (a
            streamed report reads each candidate once).
    """
    return _clause_block(result, lang, detail=detail, filters=filters, show_kind=show_kind,
                         keep=keep).to_rich()


def _clause_block(result: EntityResult | CountyResult, lang: str, *, detail: bool = False,
                  filters: ReportFilter = NO_FILTER, show_kind: bool = False,
                  keep: bool = True) -> TreeBlock:
    """`clause_tree` as a report's piece."""
    tree = TreeBlock(_entity_label(result, lang, show_kind))
    clauses = (result.clause_trees(keep=keep) if isinstance(result, EntityResult)
               else result.clauses)
    _add_children(tree, clauses, lang, detail, filters, top=True)
    return tree


def node_tree(node: ClauseResult, lang: str = "zh", *, detail: bool = True) -> Tree:
    """One clause and the clauses below it as a tree (plan text, rule and data with detail)."""
    tree = TreeBlock(_node_label(node, lang, top=True, detail=detail))
    _add_children(tree, node.children, lang, detail, NO_FILTER, top=False)
    return tree.to_rich()


def _add_children(parent: TreeBlock, nodes: list[ClauseResult], lang: str, detail: bool,
                  filters: ReportFilter, *, top: bool) -> None:
    for node in nodes:
        if not filters.shows_node(node):
            continue
        branch = parent.add(_node_label(node, lang, top=top, detail=detail))
        _add_children(branch, node.children, lang, detail, filters, top=False)


# ------------------------------------------------------------------ tables


def summary_table(report: Report, kind: str, lang: str = "zh",
                  filters: ReportFilter = NO_FILTER) -> Group | Text:
    """One kind's candidates (id, name, verdict, a mark per top-level clause), with counts
    (a rich `Group`, or a `Text` for a kind without candidates)."""
    return _summary_block(report, kind, lang, filters).to_rich()


def _summary_block(report: Report, kind: str, lang: str = "zh",
                   filters: ReportFilter = NO_FILTER) -> Blocks | Line:
    """`summary_table` as a report's piece."""
    ui = _UI[lang]
    everyone = [e for e in report.entities if e.kind == kind]
    counts = report.county.counts.get(kind, {})
    caption = ui["caption"].format(
        strong=counts.get("pass", 0), total=len(everyone),
        fail=counts.get("fail", 0), unknown=counts.get("unknown", 0))
    shown = [e for e in everyone if filters.shows_entity(e)]
    title = KIND_WORDS[lang][kind] if lang == "zh" else KIND_HEADINGS[lang][kind]
    if not everyone:
        return Line(f"{title}：{ui['no_candidates']}" if lang == "zh"
                    else f"{title}: {ui['no_candidates']}")
    defs = report.criteria.clause_defs(kind)
    legend = ("  " if lang == "zh" else "; ").join(
        f"{number} {d.title_zh if lang == 'zh' or not d.title_en else d.title_en}"
        for number, d in enumerate(defs, 1))
    table = TableBlock(title=Line(title, "bold"), title_justify="left", pad_edge=False)
    table.add_column(ui["id"], no_wrap=True)
    table.add_column(ui["name"], overflow="fold")
    table.add_column(ui["verdict"], no_wrap=True)
    for number in range(1, len(defs) + 1):
        table.add_column(str(number), justify="center", no_wrap=True)
    for e in shown:
        marks = e.statuses()  # the verdicts only: no explanation made for a mark
        verdict = _mark(e.status)
        verdict.append(" " + STATUS_WORDS[lang][e.status])
        cells: list[Line] = [Line(e.id), Line(e.name), verdict]
        cells.extend(_mark(marks[d.id]) if d.id in marks else Line("")
                     for d in defs)
        table.add_row(*cells)
    return Blocks(table, Line(caption), Line(legend, "dim"))


def _county_counts(report: Report, lang: str) -> TableBlock:
    ui = _UI[lang]
    table = TableBlock(pad_edge=False)
    table.add_column(ui["kind"])
    for key in ("strong", "fail", "unknown", "total"):
        table.add_column(ui[key], justify="right")
    for kind in KINDS:
        counts = report.county.counts.get(kind, {})
        total = sum(counts.values())
        table.add_row(Line(KIND_WORDS[lang][kind]), Line(str(counts.get("pass", 0))),
                      Line(str(counts.get("fail", 0))), Line(str(counts.get("unknown", 0))),
                      Line(str(total)))
    return table


# ------------------------------------------------------------------ whole reports


def _header(report: Report, lang: str) -> list[Line]:
    ui = _UI[lang]
    county = report.county
    lines = [
        Line(ui["title"].format(name=county.name, code=county.code), "bold"),
        Line(ui["meta"].format(modified=ui["modified"] if report.criteria.modified else "",
                               qv=QSTRONG_VERSION,
                               date=report.dataset.assessment.date.isoformat(),
                               version=report.criteria.version,
                               sha=report.criteria.sha256[:12]), "dim"),
    ]
    for warning in report.warnings:
        lines.append(Line(f"! warning[{warning.code}] {warning.path}: {warning.detail(lang)}",
                          "yellow"))
    return lines


def _param_lines(report: Report, lang: str) -> list[Line]:
    ui = _UI[lang]
    out = []
    for use in report.params:
        title = use.title_zh if lang == "zh" else (use.title_en or use.title_zh)
        line = Line(f"${use.name} = {use.value_in(lang)}")
        line.append(ui["param_what_if" if use.what_if else "param_override"].format(
            default=use.default_in(lang)) if use.overridden
                    else ui["param_default"], style="bold" if use.overridden else "dim")
        line.append(f" {title}", style="dim")
        out.append(line)
    return out


def report_renderables(report: Report, lang: str = "zh",
                       filters: ReportFilter = NO_FILTER) -> list[object]:
    """The text report as rich renderables, in print order.

    Order: heading; per kind a rule and one tree per candidate; the parameters; per kind a
    summary table; the county verdict with its tree and counts (last, so that it is what
    stays on the screen).
    """
    return [block.to_rich() for block in _renderables(report, lang, filters, keep=True)]


def _renderables(report: Report, lang: str, filters: ReportFilter, *,
                 keep: bool) -> Iterator[Block]:
    """`report_renderables` one at a time; with ``keep=False`` each candidate's explanation
    is made for its tree and let go (a province's text report never holds them all)."""
    ui = _UI[lang]
    yield from _header(report, lang)
    for kind in KINDS:
        if not filters.shows_kind(kind):
            continue
        shown = [e for e in report.entities if e.kind == kind and filters.shows_entity(e)]
        if not shown:
            continue
        yield Line("")
        yield RuleLine(KIND_HEADINGS[lang][kind], "dim")
        for number, entity in enumerate(shown):
            if number:
                yield Line("")
            with cells_for(report, entity.kind, entity.id):
                tree = _clause_block(entity, lang, filters=filters, keep=keep)
            yield tree
        if kind == "enterprise" and report.members_only and filters == NO_FILTER:
            yield Line("")
            yield Line(f"{MEMBERS_ONLY_WORDS[lang]}{'：' if lang == 'zh' else ': '}"
                       + ("、" if lang == "zh" else ", ").join(
                           f"{m.id} {m.name}" for m in report.members_only),
                       "dim")
    if report.params and filters == NO_FILTER:
        yield Line("")
        yield RuleLine(ui["params"], "dim")
        yield from _param_lines(report, lang)
    kinds = [k for k in KINDS if filters.shows_kind(k) and (
        filters == NO_FILTER or any(e.kind == k and filters.shows_entity(e)
                                    for e in report.entities))]
    if kinds:
        yield Line("")
        yield RuleLine(ui["summary"], "dim")
        for number, kind in enumerate(kinds):
            if number:
                yield Line("")
            yield _summary_block(report, kind, lang, filters)
    if filters.shows_county(report.county):
        yield Line("")
        yield RuleLine(KIND_HEADINGS[lang]["county"], "dim")
        yield _clause_block(report.county, lang, filters=filters)
        yield _county_counts(report, lang)
    elif not kinds:
        yield Line("")
        yield Line(ui["none_shown"], "dim")


def render_report(report: Report, console: Console, lang: str = "zh",
                  filters: ReportFilter = NO_FILTER) -> None:
    """Print the text report; colours only when the console is a terminal with colour on.
    Each candidate is drawn as it comes, its explanation not kept."""
    for block in _renderables(report, lang, filters, keep=False):
        console.print(Visible(block.to_rich()))


def report_text(report: Report, lang: str = "zh", *, width: int = 80,
                filters: ReportFilter = NO_FILTER) -> str:
    """The text report as plain text (no ANSI codes) at a fixed width."""
    return captured(list(_renderables(report, lang, filters, keep=True)), width)


def write_report_text(report: Report, out: IO[str], lang: str = "zh", *, width: int = 80,
                      filters: ReportFilter = NO_FILTER) -> None:
    """`report_text` written to ``out`` as it is made: one candidate's tree at a time, its
    explanation let go once written, so that a province's text report is never held whole
    (the same text)."""
    for chunk in captured_chunks(_renderables(report, lang, filters, keep=False), width):
        out.write(chunk)


# ------------------------------------------------------------------ explanations


def _advice_renderables(advice: Advice, lang: str) -> list[object]:
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    ui = _UI[lang]
    lines = advice.lines(lang)
    out: list[object] = [Rule(Text(ui["advice"]), style="dim"), Text(lines[0], style="bold")]
    if not advice.steps:
        return out
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for number, step in enumerate(advice.steps, 1):
        title = step.title_zh if lang == "zh" or not step.title_en else step.title_en
        line = Text()
        line.append_text(_mark(step.status).to_rich())
        line.append(f" {step.section} {title}")
        line.append(f"  {step.clause_id}", style="dim")
        line.append("\n")
        line.append(step.gap_zh if lang == "zh" else step.gap_en,
                    style=STYLES[step.status])
        grid.add_row(Text(f"{number}."), line)
    out.append(grid)
    if advice.choices:
        out.append(Text(lines[-1], style="dim"))
    return out


def explanation_renderables(result: EntityResult | CountyResult, advice: Advice,
                            lang: str = "zh") -> list[object]:
    """`explain`'s output: the candidate's full tree with every detail, then the advice."""
    from rich.text import Text

    return [clause_tree(result, lang, detail=True, show_kind=True), Text(""),
            *_advice_renderables(advice, lang)]


def render_explanation(result: EntityResult | CountyResult, advice: Advice, console: Console,
                       lang: str = "zh") -> None:
    """Print one candidate's full explanation and what it would take to pass."""
    for renderable in explanation_renderables(result, advice, lang):
        console.print(Visible(renderable))


def explain_text(result: EntityResult | CountyResult, advice: Advice, lang: str = "zh", *,
                 width: int = 80) -> str:
    """`render_explanation` as plain text at a fixed width."""
    return captured(explanation_renderables(result, advice, lang), width)


__all__ += ["explanation_renderables", "report_renderables"]
