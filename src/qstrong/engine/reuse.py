"""Which values a clause's explanation depends on, so that candidates who gave the same ones
can share it when a report is written.

A province's report explains some thirty clauses for each of 100 000 candidates, and most of
those clauses read one or two of the candidate's own fields (``good_credit``,
``standards_participation``): the candidates who answered 是 explain the same way, word for
word. A clause's *reuse key* is read off its syntax tree when it is compiled: the fields it
reads, in order. Two candidates with equal keys get the same explanation node, so the
writers (`Report.write_jsonl`, `Report.write_json`) make it once.

A clause gets no key, and is explained for every candidate, when what it says could depend
on anything else: a condition (``applies_if``), a view the evaluator makes (an industry's
``members``, a candidate's ``strong``), a value read by an index (``rates[2023]``), a list
that is not empty for this candidate (its members are named in the explanation), or a value
of a type the key does not know. What is the same for every candidate of one evaluation (the
parameters, the assessment date, the province's reference values) is not in the key: the
table of shared nodes belongs to one evaluation.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import ClauseDef
from qstrong.lang.rule_types import FieldSpec
from qstrong.lang.scopes import Scope

__all__ = ["KeyFn", "reuse_key"]

KeyFn = Callable[[Any, Any], "tuple[Any, ...] | None"]
"""``key(candidate, ctx)``: the values a clause's explanation depends on, or None when this
candidate's explanation cannot be shared. A clause made of clauses has its children's
keys, in order (see `_key_of_parts`)."""

_EXACT_TYPES = frozenset({int, str, _dt.date})
"""Types whose equal values are written the same way, keyed with their type (``1`` and
``True`` are equal); a `Fraction` is keyed by its two integers, a `Decimal` by its text
(``1.0`` and ``1.00`` are equal but not written alike)."""


class _NotShared(Exception):
    """Raised while reading a syntax tree: this clause's explanation is never shared."""


def reuse_key(clause: ClauseDef, scope: Scope, children: Sequence[KeyFn | None] = ()
              ) -> KeyFn | None:
    """The reuse key of a clause with a rule and no condition, or of a clause made of
    clauses (``children``: theirs) that all have one; None for the others (see the module)."""
    if clause.applies_if is not None:
        return None
    if clause.children:
        if clause.rule is not None or None in children or len(children) != len(clause.children):
            return None
        return _key_of_parts(tuple(k for k in children if k is not None))
    if clause.rule is None:
        return None
    chains: list[tuple[str, ...]] = []
    lists: list[str] = []
    try:
        for node in (clause.rule, *clause.context):
            _collect(node, scope, chains, lists)
    except _NotShared:
        return None
    return _key_function(tuple(dict.fromkeys(chains)), tuple(dict.fromkeys(lists)))


def _collect(node: n.Node, scope: Scope, chains: list[tuple[str, ...]],
             lists: list[str]) -> None:
    """Add the candidate's fields that ``node`` reads to ``chains`` (plain values) and
    ``lists`` (lists aggregated over, which must be empty for the key to stand)."""
    if isinstance(node, n.Path):
        chain = _chain(node, scope)
        if chain is not None:
            chains.append(chain)
        return
    if isinstance(node, n.Aggregate):
        collection = node.collection
        if not isinstance(collection, n.Path):
            raise _NotShared
        chain = _chain(collection, scope)
        if chain is None or len(chain) != 1:
            raise _NotShared  # a dataset-wide list's members are there for every candidate
        lists.append(chain[0])
        if node.window is not None:
            _collect(node.window.length, scope, chains, lists)
        # Its value and filter read members, of which there are none when the key stands.
        return
    for child in _children(node):
        _collect(child, scope, chains, lists)


def _children(node: n.Node) -> Iterator[n.Node]:
    if isinstance(node, n.Present):
        yield node.path
    elif isinstance(node, n.Compare | n.Arith):
        yield node.left
        yield node.right
    elif isinstance(node, n.InSet):
        yield node.item
        yield from node.options
    elif isinstance(node, n.BoolOp):
        yield from node.operands
    elif isinstance(node, n.Not | n.Neg):
        yield node.operand
    elif not isinstance(node, n.Number | n.Percent | n.Points | n.DateLit | n.String
                        | n.BoolLit | n.Param):
        raise _NotShared  # a kind of node this reading does not know


def _chain(path: n.Path, scope: Scope) -> tuple[str, ...] | None:
    """The attribute names of a path of field names that starts at the candidate; None for a
    path into the dataset-wide values (the same for every candidate)."""
    head = path.parts[0]
    assert isinstance(head, str)
    spec: FieldSpec | None = scope.frames[0].record.fields.get(head) if scope.frames else None
    if spec is None:
        if head in scope.roots and not _reaches_a_view(path, scope.roots[head]):
            return None
        raise _NotShared
    names = [head]
    while True:
        if spec.access != "attr":
            raise _NotShared  # a view the evaluator makes (``members``, ``strong``)
        if len(names) == len(path.parts):
            return tuple(names)
        part = path.parts[len(names)]
        if not isinstance(part, str) or spec.ty.record is None:
            raise _NotShared  # an index: the key it reads is data too
        found = spec.ty.record.fields.get(part)
        if found is None:
            raise _NotShared
        spec = found
        names.append(part)


def _reaches_a_view(path: n.Path, root: FieldSpec) -> bool:
    """Whether a path into the dataset-wide values reads a view the evaluator makes (the
    county's ``enterprises`` with their ``strong``): those depend on the candidates."""
    spec = root
    for part in path.parts[1:]:
        if not isinstance(part, str) or spec.ty.record is None:
            return True
        found = spec.ty.record.fields.get(part)
        if found is None:
            return True
        spec = found
        if spec.access != "attr":
            return True
    return False


def _value_key(value: Any) -> Any:
    """A value as a key part that is equal only for values written alike; `_NO_KEY` for a
    value of a type the key does not know."""
    kind = type(value)
    if kind is bool or value is None:
        return value
    if kind is Fraction:
        exact: Any = value  # its integers, read without the properties' calls
        return (kind, exact._numerator, exact._denominator)
    if kind in _EXACT_TYPES:
        return (kind, value)
    if kind is Decimal:
        return (kind, str(value))
    return _NO_KEY


_NO_KEY = object()
_YES, _NO = (True,), (False,)


def _key_function(chains: tuple[tuple[str, ...], ...], lists: tuple[str, ...]) -> KeyFn:
    if not lists and len(chains) == 1 and len(chains[0]) == 1:
        (name,), = chains  # the common clause: one field of the candidate's own

        def key_of_one(candidate: Any, ctx: Any) -> tuple[Any, ...] | None:
            value = getattr(candidate, name, None)
            if value is True:  # most of them: a yes/no answer
                return _YES
            if value is False:
                return _NO
            part = _value_key(value)
            return None if part is _NO_KEY else (part,)

        return key_of_one

    def key(candidate: Any, ctx: Any) -> tuple[Any, ...] | None:
        out: list[Any] = []
        for name in lists:
            items = getattr(candidate, name, None)
            if items:
                return None  # its members would be named
            out.append(items is None)  # a missing list is explained as missing
        for chain in chains:
            value = candidate
            for depth, name in enumerate(chain):
                value = getattr(value, name, None)
                if value is None:
                    out.append((None, depth))  # which step was missing shows in the text
                    break
            else:
                part = _value_key(value)
                if part is _NO_KEY:
                    return None
                out.append(part)
        return tuple(out)

    return key


def _key_of_parts(parts: tuple[KeyFn, ...]) -> KeyFn:
    """A group's key: its children's, together (their verdicts and texts are its own), with
    None where a child's candidate has none; the group is shared only when none is None,
    and its children are shared by their own keys, read here once."""

    def key(candidate: Any, ctx: Any) -> tuple[Any, ...]:
        return tuple([part(candidate, ctx) for part in parts])

    return key
