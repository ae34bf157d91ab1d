"""Threshold sweeps: move one clause's bound (or one parameter) over a range and count, at
each value, how many candidates pass that clause, how many are strong, and the county's
verdict. Every point runs the verdict path (`evaluate(..., explain=False)`); a literal
bound is moved by writing the verdict program again from the clause's tree with the new
literal, so the criteria files are never edited.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qstrong.core.exact import format_number
from qstrong.core.logic import Status
from qstrong.core.messages import msg
from qstrong.core.vocab import KINDS, suggest
from qstrong.data.models import Dataset
from qstrong.engine.codegen import generate
from qstrong.engine.evaluate import evaluate, industry_views, reevaluate_kind
from qstrong.engine.ruleset import Criteria, scopes_of
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import ClauseDef

__all__ = ["MAX_POINTS", "Sweep", "SweepError", "SweepPoint", "sweep", "sweep_values"]

MAX_POINTS = 1000
"""The most values one sweep evaluates."""

_LITERALS = (n.Number, n.Percent, n.Points)
_UNITS = {n.Number: "", n.Percent: "%", n.Points: "个百分点"}


class SweepError(ValueError):
    """A sweep that cannot be made: no such clause, no single bound in it, a bad range."""


@dataclass(frozen=True)
class SweepPoint:
    """What one value of the bound gives."""

    value: Decimal
    clause: dict[str, int] | None
    """How many candidates of the clause's kind the clause passes, fails, … (None for a
    parameter swept without a clause)."""
    strong: dict[str, int]
    """How many candidates of each kind are strong."""
    county: Status

    def to_dict(self) -> dict[str, Any]:
        return {"value": format_number(self.value),
                **({"clause": dict(self.clause)} if self.clause is not None else {}),
                "strong": dict(self.strong), "county": self.county.value}


@dataclass(frozen=True)
class Sweep:
    """A sweep's points, and what was moved."""

    clause: str | None
    bound: dict[str, str]
    """``{"kind": "literal", "text": "93.5%", "unit": "%"}`` or ``{"kind": "param", "name": …}``."""
    points: list[SweepPoint] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "bound": dict(self.bound),
                "points": [p.to_dict() for p in self.points]}

    def _repr_html_(self) -> str:
        import qstrong.report.display as display

        return display.sweep_html(self)

    def to_frame(self) -> Any:
        """One row per value: the value, the clause's counts, the strong counts, the county
        (a pandas DataFrame; the ``pandas`` extra)."""
        import qstrong.report.display as display

        return display.sweep_frame(self)


def sweep_values(start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    """``start, start + step, …`` up to ``stop`` (included when reached exactly), exact.

    Raises:
        SweepError: a step that is not above 0, or more than `MAX_POINTS` values.
    """
    if step <= 0:
        raise SweepError(msg("sweep.step", step=step))
    if stop < start:
        raise SweepError(msg("sweep.to_below_from", stop=stop, start=start))
    count = int((stop - start) / step) + 1
    if count > MAX_POINTS:
        raise SweepError(msg("sweep.too_many", count=count, start=start, stop=stop, step=step,
                             most=MAX_POINTS))
    return [start + i * step for i in range(count)]


def _children(node: n.Node) -> Iterator[tuple[str, int | None, n.Node]]:
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item) and not isinstance(item, str):
                    yield f.name, i, item  # type: ignore[misc]
        elif dataclasses.is_dataclass(value) and f.name != "span":
            yield f.name, None, value  # type: ignore[misc]


def _bounds(node: n.Node, path: tuple[tuple[str, int | None], ...] = ()
            ) -> Iterator[tuple[tuple[tuple[str, int | None], ...], n.Node]]:
    """Every literal or parameter that a comparison holds, with the path to it."""
    if isinstance(node, n.Compare):
        for side in ("right", "left"):
            operand = getattr(node, side)
            if isinstance(operand, (*_LITERALS, n.Param)):
                yield (*path, (side, None)), operand
    for name, index, child in _children(node):
        if isinstance(node, n.Compare) and isinstance(child, (*_LITERALS, n.Param)):
            continue
        yield from _bounds(child, (*path, (name, index)))


def _replaced(node: Any, path: tuple[tuple[str, int | None], ...], new: n.Node) -> Any:
    if not path:
        return new
    (name, index), rest = path[0], path[1:]
    value = getattr(node, name)
    if index is None:
        return dataclasses.replace(node, **{name: _replaced(value, rest, new)})
    items = list(value)
    items[index] = _replaced(items[index], rest, new)
    return dataclasses.replace(node, **{name: tuple(items)})


def _find(criteria: Criteria, clause_id: str) -> tuple[str, ClauseDef]:
    ids: list[str] = []
    for kind, tops in criteria.clauses.items():
        for top in tops:
            for defn in top.defn.walk():
                if defn.id == clause_id:
                    return kind, defn
                ids.append(defn.id)
    hint = suggest(clause_id, ids)
    raise SweepError(msg("sweep.no_clause_close", id=clause_id, hint=hint) if hint
                     else msg("sweep.no_clause", id=clause_id))


def _with_rule(criteria: Criteria, clause_id: str, rule: n.Node) -> Criteria:
    """The criteria with one clause's rule tree replaced, for the verdict path only."""

    def copy(defn: ClauseDef) -> ClauseDef:
        children = [copy(c) for c in defn.children]
        if defn.id == clause_id:
            return dataclasses.replace(defn, rule=rule, children=children)
        return dataclasses.replace(defn, children=children) if defn.children else defn

    clauses = {kind: [copy(c.defn) for c in tops] for kind, tops in criteria.clauses.items()}

    def no_fallback(defn: ClauseDef, which: str) -> Any:
        raise SweepError(msg("sweep.not_generated", id=defn.id))

    program = generate(criteria.params, clauses, scopes_of(), no_fallback)
    return dataclasses.replace(criteria, _program=program)


def _counts(statuses: Sequence[Status | None]) -> dict[str, int]:
    out = {s.value: 0 for s in Status}
    for s in statuses:
        if s is not None:
            out[s.value] += 1
    return out


def sweep(dataset: Dataset, criteria: Criteria, clause_id: str | None, values: list[Decimal],
          *, param: str | None = None, params: dict[str, Any] | None = None) -> Sweep:
    """Evaluate at each value of a clause's bound (or of ``param``).

    Args:
        dataset: the dataset.
        criteria: the criteria.
        clause_id: the clause whose bound moves, and whose passes are counted; it must
            compare against exactly one literal or parameter. May be None with ``param``.
        values: the values, in the bound's own unit (``95`` for 95%).
        param: sweep this parameter instead (every clause that uses it moves).
        params: what-if values of other parameters, held at every point (``--set``).

    Raises:
        SweepError: no such clause or parameter, or no single bound in the clause.
    """
    kind: str | None = None
    defn: ClauseDef | None = None
    if clause_id is not None:
        kind, defn = _find(criteria, clause_id)
    if param is not None and param not in criteria.params:
        hint = suggest(param, criteria.params)
        raise SweepError(msg("sweep.no_param_close", name=param, hint=hint) if hint
                         else msg("param.unknown", name=param))
    literal_path: tuple[tuple[str, int | None], ...] | None = None
    literal: n.Node | None = None
    if param is None:
        assert defn is not None
        if defn.rule is None:
            raise SweepError(msg("sweep.has_children", id=defn.id))
        found = list(_bounds(defn.rule))
        if len(found) != 1:
            shown = ", ".join(n.unparse(b) for _, b in found) or "—"
            raise SweepError(msg("sweep.bounds_param" if found else "sweep.bounds", id=defn.id,
                                 rule=defn.rule_text, count=len(found), shown=shown))
        literal_path, literal = found[0]
        if isinstance(literal, n.Param):
            param, literal_path = literal.name, None
        elif isinstance(literal, n.Percent) and any(not 0 <= v <= 100 for v in values):
            raise SweepError(msg("sweep.percent_range", bound=n.unparse(literal)))
    if param is not None:
        bound = {"kind": "param", "name": param, "unit": criteria.params[param].type}
    else:
        assert literal is not None
        bound = {"kind": "literal", "text": n.unparse(literal),
                 "unit": _UNITS[type(literal)]}
    result = Sweep(clause_id, bound)
    base = None if param is not None else evaluate(dataset, criteria, explain=False,
                                                   params=params)
    industry = None if param is not None else industry_views(dataset)
    for value in values:
        if param is not None:
            report = evaluate(dataset, criteria, explain=False,
                              params={**(params or {}), param: str(value)})
        else:
            assert defn is not None and defn.rule is not None and literal_path is not None
            assert isinstance(literal, n.Number | n.Percent | n.Points)
            assert base is not None and kind is not None
            new: n.Node = dataclasses.replace(literal, value=value)
            moved = _with_rule(criteria, defn.id, _replaced(defn.rule, literal_path, new))
            # Only the clause's kind (and the county) is evaluated again at each point.
            report = reevaluate_kind(base, moved, kind, params, industry=industry)
        clause_counts = None
        if clause_id is not None and kind is not None:
            if kind == "county":
                clause_counts = _counts([_county_status(report, clause_id)])
            else:
                clause_counts = _counts([e.statuses().get(clause_id) for e in report.entities
                                         if e.kind == kind])
        strong = {k: len(report.county.strong.get(k, [])) for k in KINDS}
        result.points.append(SweepPoint(value, clause_counts, strong, report.status))
    return result


def _county_status(report: Any, clause_id: str) -> Status | None:
    for top in report.county.clauses:
        for node in top.walk():
            if node.id == clause_id:
                status: Status = node.status
                return status
    return None
