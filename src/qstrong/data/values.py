"""Domain value types (`Rate`, `Amount`, year maps, counts, ranks, dates) held as exact numbers,
with the `Quantity` markers that tell the criteria checker a rate from an amount from a count.

Parsing and serialising the values is `qstrong.data.parsing`.

Every number is kept exact: a `Rate` is a `fractions.Fraction` in percent units and an
`Amount` is a `decimal.Decimal`; binary floats are only ever converted from their
shortest ``repr``. Each numeric type carries a `Quantity` marker in its ``Annotated``
metadata so that the criteria checker can tell a rate from an amount from a count.
Validation failures raise ``PydanticCustomError`` (a ``ValueError``) whose message is
plain words, such as ``101 is above 100``.
"""

from __future__ import annotations

import datetime as _dt
import types
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from qstrong.core.messages import msg
from qstrong.data.parsing import (
    YEAR_MAX,
    YEAR_MIN,
    parse_amount,
    parse_count,
    parse_date,
    parse_rank,
    parse_rate,
    parse_year,
    serialize_amount_json,
    serialize_date,
    serialize_rate_json,
)

__all__ = [
    "YEAR_KEY_ERROR",
    "Amount",
    "AmountMap",
    "Count",
    "IsoDate",
    "Quantity",
    "Rank",
    "Rate",
    "RateYearMap",
    "Year",
    "YearMap",
    "plain_type",
    "quantity_of",
    "year_keys",
]

QuantityKind = Literal["percent", "amount", "count", "rank", "year"]

@dataclass(frozen=True)
class Quantity:
    """What a number means; placed in ``Annotated`` metadata for the criteria type checker.

    Attributes:
        kind: ``percent`` (a `Rate`), ``amount``, ``count``, ``rank`` or ``year``.
        unit_zh: the unit shown in Chinese reports (``%``, ``项``, ``名``), or "".
        unit_en: the unit shown in English, or "".
    """

    kind: QuantityKind
    unit_zh: str = ""
    unit_en: str = ""


@dataclass(frozen=True)
class YearMap:
    """Marker in the ``Annotated`` metadata of a year map: one value per calendar year.

    Attributes:
        item: the `Quantity` of each year's value.
    """

    item: Quantity


PERCENT = Quantity("percent", "%", "%")
AMOUNT = Quantity("amount")
COUNT = Quantity("count", "项", "")
RANK = Quantity("rank", "名", "")
YEAR = Quantity("year", "年", "")


_NUMBER_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string"}],
}

Rate = Annotated[
    Fraction,
    PERCENT,
    PlainValidator(parse_rate),
    PlainSerializer(serialize_rate_json),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "examples": ["93.5", "93.5%", "187/200"]},
                {
                    "type": "object",
                    "properties": {
                        "passed": {"type": "integer", "minimum": 0},
                        "total": {"type": "integer", "minimum": 1},
                    },
                    "required": ["passed", "total"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
"""A percentage in percent units, exact (`Fraction`); 93.5 means 93.5 %."""

Amount = Annotated[
    Decimal,
    AMOUNT,
    PlainValidator(parse_amount),
    PlainSerializer(serialize_amount_json),
    WithJsonSchema({**_NUMBER_SCHEMA, "minimum": 0}),
]
"""A non-negative money or quantity value (万元, tce, …), exact (`Decimal`)."""

Year = Annotated[
    int,
    YEAR,
    PlainValidator(parse_year),
    WithJsonSchema({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}),
]
"""A calendar year 1900-2100 (a year map's key)."""

YEAR_KEY_ERROR = "qstrong_year_key"
"""Error type of a bad year-map key; its context holds the raw key under ``"key"``."""


def year_keys(value: object) -> object:
    """Turn a year map's keys into int years (before its values are validated).

    Args:
        value: the raw mapping (anything else is passed on for the dict check to refuse).

    Returns:
        A new dict keyed by int years, or ``value`` unchanged when it is not a mapping.

    Raises:
        PydanticCustomError: (type ``qstrong_year_key``) naming the first key that is
            not a year, or two keys for the same year.

    Examples:
        >>> year_keys({"2014": 1, 2013: 2})
        {2014: 1, 2013: 2}
    """
    if not isinstance(value, Mapping):
        return value
    converted: dict[int, object] = {}
    raw_of: dict[int, object] = {}
    for key, item in value.items():
        try:
            year = parse_year(key)
        except PydanticCustomError as exc:
            ctx = exc.context or {}
            raise PydanticCustomError(YEAR_KEY_ERROR, "{text}",
                                      {"key": key, "text": ctx.get("text")}) from None
        if year in converted:
            raise PydanticCustomError(
                YEAR_KEY_ERROR, "{text}",
                {"key": key, "text": msg("year.twice", year=year, first=repr(raw_of[year]),
                                         second=repr(key))},
            )
        converted[year] = item
        raw_of[year] = key
    return converted


RateYearMap = Annotated[dict[int, Rate], YearMap(PERCENT), BeforeValidator(year_keys)]
"""One `Rate` per calendar year: ``{2013: 91.2, 2014: 92.0}``."""

AmountMap = dict[str, Amount]
"""Product class → `Amount` (province unit energy consumption)."""

Count = Annotated[
    int,
    COUNT,
    PlainValidator(parse_count),
    WithJsonSchema({"type": "integer", "minimum": 0}),
]
"""A whole number ≥ 0 (strict)."""

Rank = Annotated[
    int,
    RANK,
    PlainValidator(parse_rank),
    WithJsonSchema({"type": "integer", "minimum": 1}),
]
"""A rank ≥ 1 where 1 is the top (strict)."""

IsoDate = Annotated[
    _dt.date,
    PlainValidator(parse_date),
    PlainSerializer(serialize_date, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar day, ISO ``YYYY-MM-DD`` only."""


def quantity_of(annotation: Any) -> Quantity | YearMap | None:
    """Find the `Quantity` (or `YearMap`) marker of a field's type, looking through ``| None``.

    Args:
        annotation: a type such as ``model_fields[name].annotation``.

    Returns:
        The marker, or None when the type is not a quantity.

    Examples:
        >>> quantity_of(Rate | None).kind
        'percent'
        >>> quantity_of(RateYearMap | None).item.kind
        'percent'
        >>> quantity_of(str) is None
        True
    """
    origin = get_origin(annotation)
    if origin is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, Quantity | YearMap):
                return meta
        return None
    if origin is Union or origin is types.UnionType:
        found = [q for q in (quantity_of(a) for a in get_args(annotation)) if q is not None]
        return found[0] if len(found) == 1 else None
    return None


def plain_type(annotation: Any) -> Any:
    """The type inside ``Annotated`` and ``| None`` wrappers (a union of several stays as is).

    Examples:
        >>> plain_type(Rate | None) is Fraction, plain_type(int | str) == int | str
        (True, True)
    """
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation
