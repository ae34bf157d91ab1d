"""Rule value types read off the pydantic models, and what may be compared or combined.

A rule's type is checked when the criteria are loaded, so a percentage compared
with a yes/no field, or a percent bound on a count, is an error before any data
is read.
"""

from __future__ import annotations

import datetime as _dt
import types as _pytypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = [
    "FieldSpec",
    "Record",
    "Ty",
    "arith_result",
    "comparable",
    "comparison_hint",
    "describe",
    "record_of_model",
]

NUMERIC = frozenset({"percent", "points", "count", "rank", "amount", "number", "year"})


@dataclass(frozen=True, eq=False)
class Record:
    """The fields a record offers to rules (a model, or a virtual record such as a year entry)."""

    name: str
    fields: dict[str, FieldSpec]
    model: type[BaseModel] | None = None


@dataclass(frozen=True)
class Ty:
    """A rule value type.

    ``kind`` is one of: percent, points, count, rank, amount, number, year, bool, date,
    string, record, list, yearmap, map. ``item`` is the element type of list, yearmap
    and map; ``record`` the fields of a record; ``enum`` the allowed strings.
    """

    kind: str
    item: Ty | None = None
    record: Record | None = field(default=None, compare=False)
    enum: frozenset[str] | None = None
    unit_zh: str = ""
    unit_en: str = ""

    def __str__(self) -> str:
        return describe(self)


Getter = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class FieldSpec:
    """One field a rule can name: its type, labels, and how to read it from a record object."""

    name: str
    ty: Ty
    label_zh: str
    label_en: str
    getter: Getter
    enum_labels: Mapping[str, str] = field(default_factory=dict)
    access: str = "attr"
    """How generated code reads it (`qstrong.engine.codegen`): ``attr`` (an attribute of the
    record), ``root`` (a dataset-wide value named ``name``) or ``virtual:KEY`` (a view the
    evaluator provides under KEY, such as an industry's ``members``)."""


_KIND_WORDS = {
    "percent": "a percentage",
    "points": "percentage points",
    "count": "a count",
    "rank": "a rank",
    "amount": "an amount",
    "number": "a number",
    "year": "a year",
    "bool": "yes/no",
    "date": "a date",
    "string": "a text value",
    "record": "a group of fields",
    "list": "a list",
    "yearmap": "values by year",
    "map": "a table of values",
}


def describe(ty: Ty) -> str:
    """Plain words for a type, as error messages use it.

    Examples:
        >>> describe(Ty("percent"))
        'a percentage'
    """
    word = _KIND_WORDS.get(ty.kind, ty.kind)
    if ty.kind == "record" and ty.record is not None:
        return f"{word} ({ty.record.name})"
    if ty.kind in ("list", "yearmap", "map") and ty.item is not None:
        return f"{word} of {describe(ty.item)}"
    return word


def _quantity_of(metadata: list[Any] | tuple[Any, ...]) -> Any:
    for meta in metadata:
        if type(meta).__name__ == "Quantity" and hasattr(meta, "kind"):
            return meta
    return None


def _strip_optional(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Union or origin is _pytypes.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


_RECORD_CACHE: dict[type[BaseModel], Record] = {}


def ty_of_annotation(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> Ty:
    """The rule type of a model field's annotation (with its pydantic metadata)."""
    annotation = _strip_optional(annotation)
    meta = list(metadata)
    while get_origin(annotation) is Annotated:
        args = get_args(annotation)
        annotation = _strip_optional(args[0])
        meta.extend(args[1:])
    quantity = _quantity_of(meta)
    if quantity is not None:
        return Ty(quantity.kind, unit_zh=quantity.unit_zh, unit_en=quantity.unit_en)
    origin = get_origin(annotation)
    if origin is Literal:
        return Ty("string", enum=frozenset(str(a) for a in get_args(annotation)))
    if origin in (list, tuple):
        return Ty("list", item=ty_of_annotation(get_args(annotation)[0]))
    if origin is dict:
        key, value = get_args(annotation)
        value_ty = ty_of_annotation(value)
        if _strip_optional(key) is int:
            return Ty("yearmap", item=value_ty)
        return Ty("map", item=value_ty)
    if annotation is bool:
        return Ty("bool")
    if annotation is _dt.date:
        return Ty("date")
    if annotation is str:
        return Ty("string")
    if annotation is int:
        return Ty("number")
    if annotation in (Decimal, Fraction, float):
        return Ty("number")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Ty("record", record=record_of_model(annotation))
    return Ty("opaque")


def _attr_getter(name: str) -> Getter:
    def get(obj: Any, ctx: Any) -> Any:
        return getattr(obj, name, None)

    return get


def record_of_model(model: type[BaseModel]) -> Record:
    """The rule view of a pydantic model: one `FieldSpec` per model field."""
    cached = _RECORD_CACHE.get(model)
    if cached is not None:
        return cached
    fields: dict[str, FieldSpec] = {}
    record = Record(model.__name__, fields, model)
    _RECORD_CACHE[model] = record
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        enum_labels: Any = extra.get("enum_labels") if extra else None
        fields[name] = FieldSpec(
            name=name,
            ty=ty_of_annotation(info.annotation, info.metadata),
            label_zh=info.title or name,
            label_en=info.description or name.replace("_", " "),
            getter=_attr_getter(name),
            enum_labels=dict(enum_labels) if isinstance(enum_labels, dict) else {},
        )
    return record


def comparable(left: Ty, right: Ty, op: str) -> str | None:
    """Why ``left op right`` is not allowed, or None when it is.

    Examples:
        >>> comparable(Ty("percent"), Ty("percent"), ">=") is None
        True
        >>> comparable(Ty("percent"), Ty("number"), ">=")
        'compares a percentage with a number'
    """
    lk, rk = left.kind, right.kind
    ordering = op in (">=", "<=", ">", "<")
    if lk in ("bool", "string") or rk in ("bool", "string"):
        if ordering:
            return f"cannot order {describe(left)} and {describe(right)} with {op}"
        if lk != rk:
            return f"compares {describe(left)} with {describe(right)}"
        return None
    if lk == "date" or rk == "date":
        return None if lk == rk else f"compares {describe(left)} with {describe(right)}"
    if lk not in NUMERIC or rk not in NUMERIC:
        return f"cannot compare {describe(left)} with {describe(right)}"
    if lk == rk:
        return None
    pair = {lk, rk}
    if pair == {"percent", "number"}:
        return "compares a percentage with a number"
    if pair == {"points", "number"}:
        return "compares percentage points with a number"
    if pair == {"percent", "points"}:
        return "compares a percentage with percentage points"
    if "percent" in pair or "points" in pair:
        other = (pair - {"percent", "points"}).pop()
        return f"compares a percentage with {_KIND_WORDS[other]}"
    plain = {"number", "count", "rank", "year", "amount"}
    if pair <= plain and "number" in pair:
        return None
    if pair == {"count", "rank"}:
        return None
    return f"compares {describe(left)} with {describe(right)}"


def comparison_hint(left: Ty, right: Ty) -> str | None:
    """How to fix a comparison that `comparable` refused, when there is a usual fix.

    Examples:
        >>> comparison_hint(Ty("percent"), Ty("number"))
        'write the bound as a percentage, e.g. 93.5%'
    """
    pair = {left.kind, right.kind}
    if pair == {"percent", "number"}:
        return "write the bound as a percentage, e.g. 93.5%"
    if pair == {"points", "number"}:
        return "write the bound in percentage points, e.g. 5pp or 5个百分点"
    if pair == {"percent", "points"}:
        return ("a difference of two rates is in percentage points (5pp); "
                "a rate itself is a percentage (93.5%)")
    return None


def arith_result(left: Ty, op: str, right: Ty) -> Ty | str:
    """The type of ``left op right``, or the reason it is not allowed.

    A difference of two percentages is in percentage points; a quotient of two
    like quantities is a percentage.

    Examples:
        >>> arith_result(Ty("percent"), "-", Ty("percent")).kind
        'points'
        >>> arith_result(Ty("amount"), "/", Ty("amount")).kind
        'percent'
    """
    lk, rk = left.kind, right.kind
    if lk not in NUMERIC or rk not in NUMERIC:
        return f"cannot compute {describe(left)} {op} {describe(right)}"
    if op in "+-":
        if lk == rk:
            if lk == "percent" and op == "-":
                return Ty("points")
            return left
        if {lk, rk} == {"percent", "points"}:
            if lk == "percent" or op == "+":
                return Ty("percent")
            return f"cannot compute {describe(left)} - a percentage"
        if "number" in (lk, rk) and {lk, rk} & {"count", "amount", "year", "rank"}:
            return left if rk == "number" else right
        return f"cannot compute {describe(left)} {op} {describe(right)}"
    if op == "*":
        if lk == "number":
            return right
        if rk == "number":
            return left
        return f"cannot multiply {describe(left)} by {describe(right)}"
    # division
    if rk == "number":
        return left
    if lk == "points" and rk == "percent":
        return Ty("percent")  # a change in points relative to its base rate
    if lk == rk or {lk, rk} <= {"count", "number"}:
        return Ty("percent")
    return f"cannot divide {describe(left)} by {describe(right)}"
