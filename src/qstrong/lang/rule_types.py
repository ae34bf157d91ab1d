"""Rule value types read off the pydantic models, and what may be compared or combined.

A rule's type is checked when the criteria are loaded, so a percentage compared
with a yes/no field, or a percent bound on a count, is an error before any data
is read.
"""

from __future__ import annotations

import datetime as _dt
import re
import types as _pytypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from qstrong.core.messages import Text, msg, words

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
        return str(describe(self))


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


_KINDS_SAID = frozenset({"percent", "points", "count", "rank", "amount", "number", "year",
                         "bool", "date", "string", "record", "list", "yearmap", "map"})


_RECORDS_ZH = {
    "Assessment": "评审", "County": "县", "ProvinceBenchmarks": "全省参照值", "District": "强区",
    "Industry": "强业", "Enterprise": "强企", "Dataset": "数据集",
    "FoodSpotCheckRates": "食品抽查合格率", "BaselineCurrent": "基期与当期值",
    "SpecialEquipment": "特种设备", "DistrictStandard": "标准", "LedStandard": "主导制定的标准",
    "EnterpriseBrand": "品牌", "IndustryBrand": "品牌", "RegionalBrand": "区域品牌",
    "DistrictIncident": "事件", "IndustryIncident": "事件", "EnterpriseIncident": "事件",
}
"""How Chinese messages name the records of the data model (English: its words, spaced)."""


def record_words(record: Record) -> Text:
    """A record in plain words (``a special equipment``, ``“特种设备”``), not its Python
    class."""
    plain = re.sub(r"(?<!^)(?=[A-Z])", " ", record.name).lower()
    return msg("type.record_named", name=plain, name_zh=_RECORDS_ZH.get(record.name, plain))


def describe(ty: Ty) -> Text | str:
    """Plain words for a type, as error messages use it.

    Examples:
        >>> describe(Ty("percent")).render("en")
        'a percentage'
    """
    if ty.kind not in _KINDS_SAID:
        return ty.kind
    if ty.kind == "record" and ty.record is not None:
        return record_words(ty.record)
    if ty.kind in ("list", "yearmap", "map") and ty.item is not None:
        return msg(f"type.{ty.kind}_of", item=describe(ty.item))
    return words(f"type.{ty.kind}")


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


def comparable(left: Ty, right: Ty, op: str) -> Text | None:
    """Why ``left op right`` is not allowed, or None when it is.

    Examples:
        >>> comparable(Ty("percent"), Ty("percent"), ">=") is None
        True
        >>> comparable(Ty("percent"), Ty("number"), ">=").render("en")
        'compares a percentage with a number'
    """
    mixed = msg("type.compares", left=describe(left), right=describe(right))
    lk, rk = left.kind, right.kind
    ordering = op in (">=", "<=", ">", "<")
    if lk in ("bool", "string") or rk in ("bool", "string"):
        if ordering:
            return msg("type.cannot_order", left=describe(left), right=describe(right), op=op)
        if lk != rk:
            return mixed
        return None
    if lk == "date" or rk == "date":
        return None if lk == rk else mixed
    if lk not in NUMERIC or rk not in NUMERIC:
        return msg("type.cannot_compare", left=describe(left), right=describe(right))
    if lk == rk:
        return None
    pair = {lk, rk}
    if pair == {"percent", "number"}:
        return msg("type.compares", left=words("type.percent"), right=words("type.number"))
    if pair == {"points", "number"}:
        return msg("type.compares", left=words("type.points"), right=words("type.number"))
    if pair == {"percent", "points"}:
        return msg("type.compares", left=words("type.percent"), right=words("type.points"))
    if "percent" in pair or "points" in pair:
        other = (pair - {"percent", "points"}).pop()
        return msg("type.compares", left=words("type.percent"), right=words(f"type.{other}"))
    plain = {"number", "count", "rank", "year", "amount"}
    if pair <= plain and "number" in pair:
        return None
    if pair == {"count", "rank"}:
        return None
    return mixed


def comparison_hint(left: Ty, right: Ty) -> Text | None:
    """How to fix a comparison that `comparable` refused, when there is a usual fix.

    Examples:
        >>> comparison_hint(Ty("percent"), Ty("number")).render("en")
        'write the bound as a percentage, e.g. 93.5%'
    """
    pair = {left.kind, right.kind}
    if pair == {"percent", "number"}:
        return words("type.hint_percent")
    if pair == {"points", "number"}:
        return words("type.hint_points")
    if pair == {"percent", "points"}:
        return words("type.hint_percent_points")
    return None


def arith_result(left: Ty, op: str, right: Ty) -> Ty | Text:
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
    cannot = msg("type.cannot_compute", left=describe(left), op=op, right=describe(right))
    if lk not in NUMERIC or rk not in NUMERIC:
        return cannot
    if op in "+-":
        if lk == rk:
            if lk == "percent" and op == "-":
                return Ty("points")
            return left
        if {lk, rk} == {"percent", "points"}:
            if lk == "percent" or op == "+":
                return Ty("percent")
            return msg("type.cannot_compute", left=describe(left), op="-",
                       right=words("type.percent"))
        if "number" in (lk, rk) and {lk, rk} & {"count", "amount", "year", "rank"}:
            return left if rk == "number" else right
        return cannot
    if op == "*":
        if lk == "number":
            return right
        if rk == "number":
            return left
        return msg("type.cannot_multiply", left=describe(left), right=describe(right))
    # division
    if rk == "number":
        return left
    if lk == "points" and rk == "percent":
        return Ty("percent")  # a change in points relative to its base rate
    if lk == rk or {lk, rk} <= {"count", "number"}:
        return Ty("percent")
    return msg("type.cannot_divide", left=describe(left), right=describe(right))
