"""``qstrong check`` as a reviewer: warnings where a clause's words and its rule disagree.

An officer who changes a rule from 93.5% to 95% but leaves the title saying 93.5%, or
writes ``>`` under a title that says 以上 (which includes the number), gets a warning with
the clause's position. So does a percent parameter whose default is below 1 (0.2 reads as
0.2 %, not 20 %). Warnings never stop a run; ``qstrong check --strict`` makes them errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from qstrong.core import codes
from qstrong.core.errors import Diagnostic
from qstrong.core.messages import msg, words
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import ClauseDef, CriteriaFile

__all__ = ["review_files"]

_NUMBER_IN_WORDS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|％|个百分点)?")
_INCLUSIVE = ("以上", "达到", "不低于", "以内", "以下")
_EXCLUSIVE = ("超过", "高于", "低于", "不满")


def review_files(files: Iterable[CriteriaFile]) -> list[Diagnostic]:
    """Warnings for every clause of these files (see the module's docstring)."""
    out: list[Diagnostic] = []
    for f in files:
        for param in f.params.values():
            if param.type == "percent" and 0 < param.default < 1:
                shown = format(param.default.normalize(), "f")
                meant = format((param.default * 100).normalize(), "f")
                out.append(Diagnostic(
                    codes.PERCENT_BELOW_ONE,
                    msg("review.percent_below_one", name=param.name, shown=shown), param.span,
                    msg("review.percent_below_one_hint", shown=shown, meant=meant)))
        for top in f.clauses:
            for clause in top.walk():
                out.extend(_review_clause(clause))
    return out


def _literals(node: n.Node) -> Iterator[tuple[Decimal, bool]]:
    """Every number a rule writes, with whether it was written as a percentage or points."""
    if isinstance(node, n.Number):
        yield node.value, False
    elif isinstance(node, n.Percent | n.Points):
        yield node.value, True
    for child in _children(node):
        yield from _literals(child)


def _children(node: n.Node) -> list[n.Node]:
    out: list[n.Node] = []
    for name in ("left", "right", "operand", "item", "collection", "value", "where"):
        child = getattr(node, name, None)
        if child is not None and not isinstance(child, str | Decimal | bool):
            out.append(child)
    if isinstance(node, n.InSet):
        out.extend(node.options)
    if isinstance(node, n.BoolOp):
        out.extend(node.operands)
    if isinstance(node, n.Path):
        out.extend(p for p in node.parts if not isinstance(p, str))
    if isinstance(node, n.Aggregate) and node.window is not None:
        out.append(node.window.length)
    return out


def _ops(node: n.Node) -> Iterator[str]:
    if isinstance(node, n.Compare):
        yield node.op
    for child in _children(node):
        yield from _ops(child)


def _has_all(node: n.Node) -> bool:
    return (isinstance(node, n.Aggregate) and node.func == "all") or any(
        _has_all(c) for c in _children(node))


def _uses_params(node: n.Node) -> bool:
    return isinstance(node, n.Param) or any(_uses_params(c) for c in _children(node))


def _review_clause(clause: ClauseDef) -> list[Diagnostic]:
    if clause.rule is None:
        return []
    out: list[Diagnostic] = []
    literals = {value for value, _ in _literals(clause.rule)}
    if not _uses_params(clause.rule):
        for match in _NUMBER_IN_WORDS.finditer(clause.title_zh):
            number, unit = Decimal(match.group(1)), match.group(2)
            if number == 100 and _has_all(clause.rule):
                continue  # 100% of a group is what all(...) says
            if unit and number not in literals:
                out.append(Diagnostic(
                    codes.TITLE_NUMBER,
                    msg("review.title_number", id=clause.id, said=match.group(0).strip(),
                        number=match.group(1)), clause.span,
                    words("review.title_number_hint")))
    ops = set(_ops(clause.rule))
    title = clause.title_zh
    if any(w in title for w in _INCLUSIVE) and not any(w in title for w in _EXCLUSIVE) and (
            ops and ops <= {">", "<"}):
        out.append(Diagnostic(
            codes.BOUND_WORD, msg("review.inclusive", id=clause.id, ops=" ".join(sorted(ops))),
            clause.span, words("review.inclusive_hint")))
    if any(w in title for w in _EXCLUSIVE) and not any(w in title for w in _INCLUSIVE) and (
            ops and ops <= {">=", "<="}):
        out.append(Diagnostic(
            codes.BOUND_WORD, msg("review.exclusive", id=clause.id, ops=" ".join(sorted(ops))),
            clause.span, words("review.exclusive_hint")))
    return out
