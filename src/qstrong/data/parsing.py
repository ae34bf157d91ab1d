"""Parse and serialise the domain values exactly: rates from ``93.5``, ``"93.5%"``, ``"187/200"``
or ``{passed, total}`` into `Fraction` percent units, amounts into `Decimal`, strict whole
numbers, years and ISO dates; and write them back as exact text.

Every failure raises ``PydanticCustomError`` (a ``ValueError``) whose message is plain words,
such as ``101 is above 100``; binary floats are only ever converted from their shortest repr.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from pydantic import SerializationInfo
from pydantic_core import PydanticCustomError

from qstrong.core.exact import format_rounded, terminating_decimal
from qstrong.core.messages import Text, msg

__all__ = [
    "MAX_DIGITS",
    "YEAR_MAX",
    "YEAR_MIN",
    "describe_value",
    "format_decimal",
    "parse_amount",
    "parse_count",
    "parse_date",
    "parse_rank",
    "parse_rate",
    "parse_year",
    "serialize_amount",
    "serialize_amount_json",
    "serialize_date",
    "serialize_rate",
    "serialize_rate_json",
]

MAX_TEXT_CHARS = 2 * 40 + 4
"""Longest numeric text read (digits, point, sign and exponent), checked before conversion."""
MAX_DIGITS = 40
"""Numbers with more significant digits, or an exponent beyond this, are refused (cost guard)."""

YEAR_MIN = 1900
YEAR_MAX = 2100


def value_error(text: Text) -> PydanticCustomError:
    """The error pydantic reports: its ``ctx["text"]`` is the catalogue message (the
    validator reads it back to render in either language)."""
    return PydanticCustomError("qstrong_value", "{text}", {"text": text})


def describe_value(value: object) -> Text:
    """Show an input value and what kind of thing it is, for error messages.

    Args:
        value: any input value.

    Returns:
        A message such as ``'false'（文字）`` / ``'false' (a string)``.

    Examples:
        >>> describe_value("false").render("en")
        "'false' (a string)"
        >>> describe_value(True).render("en")
        'true (a yes/no value)'
        >>> describe_value(Decimal("12.70")).render("zh")
        '12.70（数值）'
    """
    if value is None:
        return msg("value.null")
    if isinstance(value, bool):
        return msg("value.bool", value="true" if value else "false")
    if isinstance(value, int | Decimal | float | Fraction):
        return msg("value.number", value=value)
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return msg("value.text", value=repr(shown))
    if isinstance(value, Mapping):
        return msg("value.mapping")
    if isinstance(value, list | tuple):
        return msg("value.list")
    if isinstance(value, _dt.datetime):
        return msg("value.datetime", value=value.isoformat())
    if isinstance(value, _dt.date):
        return msg("value.date", value=value.isoformat())
    return msg("value.other", kind=type(value).__name__)


_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_COUNTS_RE = re.compile(r"(\d+)\s*/\s*(\d+)")


def _guard_size(d: Decimal, shown: object, quote: bool = False) -> Decimal:
    """``d``, refused when it has more digits than `MAX_DIGITS`; ``shown`` is how the
    message names the value (its ``repr`` when ``quote``, made only then)."""
    sign_digits_exp = d.as_tuple()
    exponent = sign_digits_exp.exponent
    assert isinstance(exponent, int)  # finite numbers only reach here
    if len(sign_digits_exp.digits) > MAX_DIGITS or abs(exponent) > MAX_DIGITS:
        raise value_error(msg("number.too_many_digits", value=repr(shown) if quote else shown,
                              most=MAX_DIGITS))
    return d


def _decimal_of_text(text: str, value: object) -> Decimal:
    """The exact Decimal of a numeric text, its size checked before any conversion."""
    if len(text) > MAX_TEXT_CHARS:
        raise value_error(msg("number.too_many_digits", value=describe_value(value),
                              most=MAX_DIGITS))
    try:
        return _guard_size(Decimal(text), value, quote=True)
    except ArithmeticError:  # an exponent beyond what Decimal holds
        raise value_error(msg("number.too_large", value=describe_value(value))) from None


def _to_decimal(value: object) -> Decimal:
    """Turn a number or numeric string into an exact, finite Decimal (no percent sign)."""
    if isinstance(value, bool):
        raise value_error(msg("number.expected", value=describe_value(value)))
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise value_error(msg("number.too_many_digits", value=value, most=MAX_DIGITS))
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise value_error(msg("number.not_finite", value=value))
        return _guard_size(Decimal(repr(value)), value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise value_error(msg("number.not_finite", value=value))
        return _guard_size(value, value)
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER_RE.fullmatch(text):
            raise value_error(msg("number.not_a_number", value=describe_value(value)))
        return _decimal_of_text(text, value)
    raise value_error(msg("number.expected", value=describe_value(value)))


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise value_error(msg("counts.not_whole", name=name, value=describe_value(value)))
    if isinstance(value, Decimal | float) and not (
        math.isfinite(value) and value == int(value)
    ):
        raise value_error(msg("counts.not_whole", name=name, value=value))
    count = int(value)
    if count < 0:
        raise value_error(msg("counts.negative", name=name, count=count))
    if count >= 10**MAX_DIGITS:
        raise value_error(msg("number.too_many_digits", value=name, most=MAX_DIGITS))
    return count


def _rate_from_counts(passed_in: object, total_in: object) -> Fraction:
    passed = _count(passed_in, "passed")
    total = _count(total_in, "total")
    if total == 0:
        raise value_error(msg("counts.total_zero"))
    if passed > total:
        raise value_error(msg("counts.passed_above_total", passed=passed, total=total))
    return Fraction(passed * 100, total)


_N = TypeVar("_N", Fraction, Decimal)


def _check_percent(rate: _N, shown: Callable[[_N], str]) -> _N:
    """``rate``, refused outside 0–100; ``shown`` writes it for the message (only then)."""
    if rate < 0:
        raise value_error(msg("rate.below_zero", value=shown(rate)))
    if rate > 100:
        raise value_error(msg("rate.above_100", value=shown(rate)))
    return rate


def _percent_of(number: Decimal) -> Fraction:
    """The exact percentage of a Decimal, refused outside 0–100: compared as the Decimal
    (in C; a Fraction compares in Python code)."""
    checked = _check_percent(number, _plain)
    return Fraction(*checked.as_integer_ratio())  # two ints: Fraction's fast path


_RATE_OF: dict[object, Fraction] = {}
"""Rates already read, by what was written (a text, an int, a finite Decimal): a province
writes a few hundred different rates (``"93.5%"``, ``98.1``) a hundred thousand times, so
each is read once and its one `Fraction` (immutable) is shared by every value written so.
The values then take a few hundred objects, not one each, and the verdict path finds them
in a few cache lines."""

_RATE_CACHE_MAX = 8192
"""How many values `_RATE_OF` keeps: further ones are read each time (no eviction)."""


def parse_rate(value: object) -> Fraction:
    """Read a percentage (in percent units) as an exact fraction.

    Accepted: a number 0-100 (int, ``Decimal``, a float via its ``repr``, ``Fraction``),
    a numeric string with or without ``%`` (``"93.5"``, ``"93.5%"``), counts as a mapping
    ``{passed: 187, total: 200}`` or as the string ``"187/200"``.

    Args:
        value: the input value.

    Returns:
        The percentage, e.g. ``Fraction(187, 2)`` for 93.5.

    Raises:
        PydanticCustomError: (a ``ValueError``) with a plain-words message.

    Examples:
        >>> parse_rate("93.5%")
        Fraction(187, 2)
        >>> parse_rate({"passed": 187, "total": 200}) == parse_rate(Decimal("93.5"))
        True
        >>> parse_rate("1/3")
        Fraction(100, 3)
    """
    # The common cases first, each read once (`_RATE_OF`; a bool, a str subclass, a NaN go
    # the long way). Equal keys of two types (100, Decimal(100)) are one rate.
    if type(value) is str:
        return _remembered(value, _rate_of_text)
    if type(value) is int or (type(value) is Decimal and value.is_finite()):
        return _remembered(value, _rate_of_number)
    if isinstance(value, str):
        return _rate_of_text(value)
    if isinstance(value, int | float | Decimal):  # a bool is refused by _to_decimal
        return _percent_of(_to_decimal(value))
    if isinstance(value, Fraction):
        return _check_percent(value, format_decimal)
    if isinstance(value, Mapping):
        unknown = sorted(str(k) for k in value if k not in ("passed", "total"))
        if unknown:
            raise value_error(msg("counts.unknown_key", key=unknown[0]))
        missing = [k for k in ("passed", "total") if k not in value]
        if missing:
            raise value_error(msg("counts.missing_key", key=missing[0]))
        return _rate_from_counts(value["passed"], value["total"])
    if isinstance(value, list | tuple) or value is None:
        raise value_error(msg("rate.expected", value=describe_value(value)))
    return _percent_of(_to_decimal(value))


def _remembered(value: object, read: Callable[[Any], Fraction]) -> Fraction:
    """``read(value)``, the rate read before from an equal value if there is one (and
    remembered for the next while `_RATE_OF` has room)."""
    known = _RATE_OF.get(value)
    if known is not None:
        return known
    rate = read(value)
    if len(_RATE_OF) < _RATE_CACHE_MAX:
        _RATE_OF[value] = rate
    return rate


def _rate_of_number(value: int | Decimal) -> Fraction:
    """`parse_rate` of an int or a finite Decimal."""
    return _percent_of(_to_decimal(value))


def _rate_of_text(value: str) -> Fraction:
    """`parse_rate` of a text (its result depends on the text alone)."""
    text = value.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise value_error(msg("number.too_many_digits", value=describe_value(value),
                          most=MAX_DIGITS))
    counts = _COUNTS_RE.fullmatch(text)
    if counts:
        return _rate_from_counts(int(counts.group(1)), int(counts.group(2)))
    if text.endswith(("%", "％")):
        text = text[:-1].rstrip()
    if not _NUMBER_RE.fullmatch(text):
        raise value_error(msg("rate.not_a_rate", value=describe_value(value)))
    return _percent_of(_decimal_of_text(text, value))


def _plain(d: Decimal) -> str:
    """Fixed-point text without exponent or trailing zeros."""
    # format() is exact; Decimal.normalize() would round to the context's 28 digits.
    if d == 0:
        return "0"
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_decimal(x: Fraction | Decimal | int, places: int = 2) -> str:
    """Print an exact number: all its digits when its decimal expansion ends, else rounded.

    Args:
        x: the number.
        places: decimal places used (half-even rounding) only when ``x`` does not terminate.

    Returns:
        Fixed-point text without trailing zeros for exact values. Unlike
        `qstrong.core.exact.format_number` there is no "≈": a rounded value shows exactly
        ``places`` decimals (`qstrong.core.exact.format_rounded`).

    Examples:
        >>> format_decimal(Fraction(187, 2))
        '93.5'
        >>> format_decimal(5)
        '5'
        >>> format_decimal(Decimal("64.1") - Decimal("59.1"))
        '5'
        >>> format_decimal(Fraction(100, 3))
        '33.33'
        >>> format_decimal(Fraction(200, 3), 1)
        '66.7'
    """
    if isinstance(x, int) or (isinstance(x, Decimal) and not x.is_finite()):
        return str(x)
    if isinstance(x, Decimal):
        return _plain(x)
    exact = terminating_decimal(x)
    if exact is not None:
        return _plain(exact)
    return format_rounded(x, places)


def serialize_rate(rate: Fraction) -> str:
    """Lossless text of a rate: its exact decimal when it ends, else counts ``"p/t"``.

    ``parse_rate(serialize_rate(x)) == x`` for every valid rate.

    Examples:
        >>> serialize_rate(Fraction(187, 2))
        '93.5'
        >>> serialize_rate(Fraction(100, 3))
        '1/3'
    """
    exact = terminating_decimal(rate)
    if exact is not None:
        digits = exact.as_tuple()
        exponent = digits.exponent
        # Only a decimal that parse_rate accepts back; longer ones are written as counts.
        if isinstance(exponent, int) and len(digits.digits) <= MAX_DIGITS \
                and abs(exponent) <= MAX_DIGITS:
            return _plain(exact)
    counts = rate / 100
    return f"{counts.numerator}/{counts.denominator}"


def serialize_rate_json(rate: Fraction, info: SerializationInfo) -> str | Decimal:
    if info.mode_is_json():
        return serialize_rate(rate)
    exact = terminating_decimal(rate)
    return exact if exact is not None else serialize_rate(rate)


def parse_amount(value: object) -> Decimal:
    """Read a non-negative, finite amount (money or quantity) exactly.

    Examples:
        >>> parse_amount("12.70")
        Decimal('12.70')
        >>> parse_amount(0.1)
        Decimal('0.1')
    """
    number = _to_decimal(value)
    if number < 0:
        raise value_error(msg("number.negative_amount", value=_plain(number)))
    return number


def serialize_amount(amount: Decimal) -> str:
    """Fixed-point text of an amount, no exponent (``Decimal("1E+3")`` → ``"1000"``).

    Examples:
        >>> serialize_amount(Decimal("1E+3"))
        '1000'
        >>> serialize_amount(Decimal("12.70"))
        '12.70'
    """
    return format(amount, "f")


def serialize_amount_json(amount: Decimal, info: SerializationInfo) -> str | Decimal:
    return serialize_amount(amount) if info.mode_is_json() else amount


def parse_year(value: object) -> int:
    """Read a calendar year (an int or a numeric string) between 1900 and 2100.

    Examples:
        >>> parse_year("2014")
        2014
    """
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{1,6}\s*", value):
        year = int(value)
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        shown: object = repr(value) if isinstance(value, str) else describe_value(value)
        raise value_error(msg("year.not_a_year", value=shown, low=YEAR_MIN, high=YEAR_MAX))
    return year


def _strict_int(value: object, minimum: int, why: str) -> int:
    """``value`` as a whole number ≥ ``minimum``; ``why`` is the key of the message that
    says why the minimum holds (made only for the error)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise value_error(msg("number.expected_whole", value=describe_value(value)))
    if value < minimum:
        raise value_error(msg("number.below_minimum", value=value, minimum=minimum,
                              why=msg(why)))
    return value


def parse_count(value: object) -> int:
    """Read a count: an int ≥ 0 (no bools, floats or strings).

    Examples:
        >>> parse_count(3)
        3
    """
    return _strict_int(value, 0, "number.count_not_negative")


def parse_rank(value: object) -> int:
    """Read a rank: an int ≥ 1, where 1 is the top (no bools, floats or strings).

    Examples:
        >>> parse_rank(1)
        1
    """
    return _strict_int(value, 1, "number.rank_one_top")


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> _dt.date:
    """Read a calendar day: a ``datetime.date`` or an ISO string ``YYYY-MM-DD``.

    Examples:
        >>> parse_date("2014-06-30")
        datetime.date(2014, 6, 30)
    """
    if isinstance(value, _dt.datetime):
        raise value_error(msg("date.expected", value=describe_value(value)))
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise value_error(msg("date.not_real", value=repr(value))) from None
    raise value_error(msg("date.expected", value=describe_value(value)))


def serialize_date(value: _dt.date) -> str:
    return value.isoformat()
