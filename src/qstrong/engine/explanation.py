"""The parts of an explanation: values read, checks with margins, aggregates with their members,
parameters used; plain dataclasses filled during evaluation, and their JSON-able dicts.

The node that holds them is `qstrong.engine.clause.ClauseResult`. Explanations never render
themselves; the renderers in `qstrong.report` draw them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from qstrong.core.exact import exact_text
from qstrong.core.logic import Truth

__all__ = [
    "AggregateTrace",
    "Check",
    "ItemTrace",
    "LazyCheck",
    "LazyValueRead",
    "Margin",
    "ParamUse",
    "ValueRead",
    "exact_number",
    "jsonable",
]




def exact_number(value: Any) -> Fraction | None:
    """A runtime value as an exact number, or None when it is not one (yes/no, missing)."""
    if isinstance(value, bool) or not isinstance(value, Fraction | Decimal | int):
        return None
    return Fraction(value)


def jsonable(value: Any) -> Any:
    """A JSON-safe, deterministic form of a runtime value (exact numbers as strings)."""
    kind = type(value)  # the usual types first, by identity
    if kind is Fraction:
        return exact_text(value)
    if kind is str or kind is bool or value is None:
        return value
    if isinstance(value, Fraction | Decimal | int):
        return exact_text(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


@dataclass
class ValueRead:
    """A value a rule read: field path, labels, the value (None when missing) and its unit."""

    path: str
    label_zh: str
    label_en: str
    value: Any
    display: str
    missing: bool = False
    display_en: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "label": self.label_zh,
            "label_en": self.label_en,
            "value": jsonable(self.value),
            "display": self.display,
            "display_en": self.display_en or self.display,
            "missing": self.missing,
        }


@dataclass(frozen=True, slots=True)
class Margin:
    """By how much a comparison was met or missed, in the clause's own terms (frozen: the
    checks of many candidates with the same values share one)."""

    met: bool | None
    amount: Fraction | None
    unit: str
    text_zh: str
    text_en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "met": self.met,
            "amount": None if self.amount is None else exact_text(self.amount),
            "unit": self.unit,
            "text": self.text_zh,
            "text_en": self.text_en,
        }


@dataclass
class Check:
    """One comparison: the two sides as written, their values, the operator, truth and margin."""

    expr: str
    left: str
    left_label_zh: str
    left_label_en: str
    left_value: str
    op: str
    right: str
    right_value: str
    status: Truth
    margin: Margin | None = None
    left_value_en: str = ""
    right_value_en: str = ""
    share: bool = False
    """The left side is a share of members (its margin already states value and bound);
    recorded by the compiler from the rule's syntax tree."""
    left_number: Fraction | None = None
    """The left value as an exact number in the unit shown (93.5 for 93.5%), if it is one."""
    right_number: Fraction | None = None
    """The threshold as an exact number in the unit shown, if it is one."""
    unit: str = ""
    """The kind of number compared (``percent``, ``points``, ``count``…), or ``""``."""
    partial: bool = False
    """Unknown, yet both sides have a known part (bounds, a share with some members known):
    the value and margin say something a reader needs beside the missing data."""
    summary_texts: ClassVar[tuple[str, str] | None] = None
    """The check's part of its clause's summary, where it was written with the other texts
    (`LazyCheck`); None: `qstrong.engine.summary` writes it from the fields."""
    item_texts: ClassVar[tuple[str, str] | None] = None
    """The same for a member's check inside an aggregate (`summary.item_check_texts`)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "expr": self.expr,
            "left": self.left,
            "label": self.left_label_zh,
            "label_en": self.left_label_en,
            "left_value": self.left_value,
            "left_value_en": self.left_value_en or self.left_value,
            "op": self.op,
            "right": self.right,
            "threshold": self.right_value,
            "threshold_en": self.right_value_en or self.right_value,
            "status": self.status._value_,
            "margin": None if self.margin is None else self.margin.to_dict(),
        }


class _Rendered:
    """A `LazyCheck` or `LazyValueRead` attribute read from its rendered texts (the key is
    the attribute's name).

    On the first read of any of them the check renders once and keeps every text in its own
    ``__dict__``, where later reads find them as plain attributes: this descriptor defines
    no ``__set__``, so an instance's own value comes first (as with ``cached_property``,
    without the lock Python 3.11 takes on each of its first reads)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    def __get__(self, check: LazyCheck | LazyValueRead | None,
                owner: type | None = None) -> Any:
        if check is None:
            return self
        texts = check._render()
        check.__dict__.update(texts)
        return texts[self.key]


class LazyCheck(Check):
    """A `Check` whose displayed values and margin are written only when first read."""

    def __init__(self, expr: str, left: str, left_label_zh: str, left_label_en: str,
                 op: str, right: str, status: Truth,
                 render: Callable[[], dict[str, Any]], *, share: bool = False) -> None:
        self.expr = expr
        self.share = share
        self.left = left
        self.left_label_zh = left_label_zh
        self.left_label_en = left_label_en
        self.op = op
        self.right = right
        self.status = status
        self._render = render

    left_value = _Rendered()
    left_value_en = _Rendered()
    right_value = _Rendered()
    right_value_en = _Rendered()
    left_number = _Rendered()
    right_number = _Rendered()
    unit = _Rendered()
    partial = _Rendered()
    margin = _Rendered()
    summary_texts = _Rendered()
    item_texts = _Rendered()


class LazyValueRead(ValueRead):
    """A `ValueRead` whose display texts are written only when first read: ``render``
    gives both (``{"display": …, "display_en": …}``) on the first read of either."""

    def __init__(self, path: str, label_zh: str, label_en: str, value: Any,
                 render: Callable[[], dict[str, str]]) -> None:
        self.path = path
        self.label_zh = label_zh
        self.label_en = label_en
        self.value = value
        self.missing = False
        self._render = render

    display = _Rendered()
    display_en = _Rendered()


@dataclass(slots=True)
class ItemTrace:
    """One member of a collection in an aggregate: what it is, its truth, what it lacked."""

    key: str
    label: str
    status: Truth
    value: str | None = None
    missing: list[str] = field(default_factory=list)
    detail: str = ""
    label_en: str = ""
    detail_en: str = ""

    def label_in(self, lang: str) -> str:
        """The member's label in `lang` (a year, ``2013年`` / ``2013``; a name as it is)."""
        return self.label if lang == "zh" else (self.label_en or self.label)

    def detail_in(self, lang: str) -> str:
        """The member's check in `lang`: value, bound, margin."""
        return self.detail if lang == "zh" else (self.detail_en or self.detail)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label,
                               "label_en": self.label_en or self.label,
                               "status": self.status._value_}
        if self.value is not None:
            out["value"] = self.value
        if self.detail:
            out["detail"] = self.detail
            out["detail_en"] = self.detail_en
        if self.missing:
            out["missing"] = list(self.missing)
        return out


@dataclass(slots=True)
class AggregateTrace:
    """A share/count/sum/any/all/none over a collection, with its window and counted members."""

    expr: str
    func: str
    collection: str
    unit_zh: str
    total: int | None
    counted: int
    unknown: int
    value: str
    window: tuple[_dt.date, _dt.date] | None = None
    excluded: int = 0
    items: list[ItemTrace] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "expr": self.expr,
            "func": self.func,
            "collection": self.collection,
            "unit": self.unit_zh,
            "total": self.total,
            "counted": self.counted,
            "unknown": self.unknown,
            "value": self.value,
            "items": [i.to_dict() for i in self.items],
        }
        if self.window is not None:
            out["window"] = {"start": self.window[0].isoformat(), "end": self.window[1].isoformat()}
            out["outside_window"] = self.excluded
        return out


@dataclass(slots=True)
class ParamUse:
    """A criteria parameter a rule used: its value, default, and whether the dataset overrode it."""

    name: str
    title_zh: str
    title_en: str
    value: str
    default: str
    overridden: bool
    note: str = ""
    what_if: bool = False
    """Given for this run (``params=``, ``--set``) rather than by the dataset."""
    value_en: str = ""
    default_en: str = ""
    """The value and default with English units (``2 years``), for English reports."""

    def value_in(self, lang: str) -> str:
        """The value as a reader of `lang` writes it (``2 年`` / ``2 years``)."""
        return self.value_en or self.value if lang == "en" else self.value

    def default_in(self, lang: str) -> str:
        """The default as a reader of `lang` writes it."""
        return self.default_en or self.default if lang == "en" else self.default

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title_zh,
            "title_en": self.title_en,
            "value": self.value,
            "default": self.default,
            "overridden": self.overridden,
            **({"what_if": True} if self.what_if else {}),
            "note": self.note,
        }
