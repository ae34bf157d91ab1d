"""The rule AST: frozen dataclasses, one per syntactic form, plus `unparse` for display and tests.

Nodes carry no behaviour. Every node ends with a ``span`` excluded from equality, so
tests compare structure and ignore positions.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal

from qstrong.core.source import Span

__all__ = [
    "Aggregate",
    "Arith",
    "BoolLit",
    "BoolOp",
    "Compare",
    "DateLit",
    "InSet",
    "Neg",
    "Node",
    "Not",
    "Number",
    "Param",
    "Path",
    "Percent",
    "Points",
    "Present",
    "String",
    "Window",
    "unparse",
]

_NOWHERE = Span("<expr>", 1, 1, 1, 1)


def _span() -> Span:
    return field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Number:
    """A plain decimal number such as ``4`` or ``0.52``."""

    value: Decimal
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Percent:
    """A percentage such as ``93.5%``; ``value`` is in percent units (93.5)."""

    value: Decimal
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Points:
    """Percentage points, written ``5pp`` or ``5个百分点``."""

    value: Decimal
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class DateLit:
    """A calendar day, ``2014-06-30``."""

    value: _dt.date
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class String:
    """A quoted string, used for enum values such as ``"provincial"``."""

    value: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class BoolLit:
    """``true`` or ``false``."""

    value: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Param:
    """A named criteria parameter, ``$stable_years``."""

    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Path:
    """A field path: names joined by dots; an index step is an expression (``x[year]``)."""

    parts: tuple[str | Node, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Present:
    """``present(path)``: true when the value is given (never unknown)."""

    path: Path
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right`` with op one of ``>= <= > < = !=``."""

    left: Node
    op: str
    right: Node
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class InSet:
    """``item in {a, b}`` (or ``not in`` when ``negated``)."""

    item: Node
    options: tuple[Node, ...]
    negated: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class BoolOp:
    """``a and b and ...`` or ``a or b or ...``."""

    op: str
    operands: tuple[Node, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Not:
    """``not x``."""

    operand: Node
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Arith:
    """``left op right`` with op one of ``+ - * /``."""

    left: Node
    op: str
    right: Node
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Neg:
    """``-x``."""

    operand: Node
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Window:
    """``within N years``: records dated in the N units up to the assessment date."""

    length: Node
    unit: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Aggregate:
    """``func([value of] collection [within N unit] [where condition])``.

    ``func`` is one of share, count, sum, any, all, none. The condition selects the
    items that are counted (or, for ``all``, that every item must satisfy). ``empty``
    (``pass``, ``fail`` or ``unknown``) says what ``all`` over no items means; without it
    that is unknown ("没有数据").
    """

    func: str
    collection: Node
    value: Node | None = None
    window: Window | None = None
    where: Node | None = None
    span: Span = _span()
    empty: str | None = None


Node = (
    Number
    | Percent
    | Points
    | DateLit
    | String
    | BoolLit
    | Param
    | Path
    | Present
    | Compare
    | InSet
    | BoolOp
    | Not
    | Arith
    | Neg
    | Aggregate
)

# Binding strength, loosest first; used to put parentheses back only where needed.
_PREC_OR, _PREC_AND, _PREC_NOT, _PREC_CMP, _PREC_ADD, _PREC_MUL, _PREC_NEG, _PREC_ATOM = range(8)


def _number_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _prec(node: Node) -> int:
    if isinstance(node, BoolOp):
        return _PREC_OR if node.op == "or" else _PREC_AND
    if isinstance(node, Not):
        return _PREC_NOT
    if isinstance(node, Compare | InSet):
        return _PREC_CMP
    if isinstance(node, Arith):
        return _PREC_ADD if node.op in "+-" else _PREC_MUL
    if isinstance(node, Neg):
        return _PREC_NEG
    return _PREC_ATOM


def _wrap(node: Node, minimum: int) -> str:
    text = unparse(node)
    return f"({text})" if _prec(node) < minimum else text


def unparse(node: Node) -> str:
    """Write a node back as rule text that parses to an equal node.

    Examples:
        >>> unparse(Compare(Path(("a", "b")), ">=", Percent(Decimal("93.50"))))
        'a.b >= 93.5%'
    """
    if isinstance(node, Number):
        return _number_text(node.value)
    if isinstance(node, Percent):
        return _number_text(node.value) + "%"
    if isinstance(node, Points):
        return _number_text(node.value) + "pp"
    if isinstance(node, DateLit):
        return node.value.isoformat()
    if isinstance(node, String):
        return _quote(node.value)
    if isinstance(node, BoolLit):
        return "true" if node.value else "false"
    if isinstance(node, Param):
        return f"${node.name}"
    if isinstance(node, Path):
        out = ""
        for i, part in enumerate(node.parts):
            if isinstance(part, str):
                out += part if i == 0 else f".{part}"
            else:
                out += f"[{unparse(part)}]"
        return out
    if isinstance(node, Present):
        return f"present({unparse(node.path)})"
    if isinstance(node, Compare):
        return f"{_wrap(node.left, _PREC_ADD)} {node.op} {_wrap(node.right, _PREC_ADD)}"
    if isinstance(node, InSet):
        options = ", ".join(unparse(o) for o in node.options)
        word = "not in" if node.negated else "in"
        return f"{_wrap(node.item, _PREC_ADD)} {word} {{{options}}}"
    if isinstance(node, BoolOp):
        level = _PREC_OR if node.op == "or" else _PREC_AND
        return f" {node.op} ".join(_wrap(o, level + 1) for o in node.operands)
    if isinstance(node, Not):
        return f"not {_wrap(node.operand, _PREC_NOT)}"
    if isinstance(node, Arith):
        level = _PREC_ADD if node.op in "+-" else _PREC_MUL
        return f"{_wrap(node.left, level)} {node.op} {_wrap(node.right, level + 1)}"
    if isinstance(node, Neg):
        return f"-{_wrap(node.operand, _PREC_NEG)}"
    if isinstance(node, Aggregate):
        inner = unparse(node.collection)
        if node.value is not None:
            inner = f"{unparse(node.value)} of {inner}"
        if node.window is not None:
            inner += f" within {_wrap(node.window.length, _PREC_ADD)} {node.window.unit}"
        if node.where is not None:
            inner += f" where {unparse(node.where)}"
        if node.empty is not None:
            inner += f", empty = {node.empty}"
        return f"{node.func}({inner})"
    raise TypeError(f"not a rule node: {node!r}")  # pragma: no cover
