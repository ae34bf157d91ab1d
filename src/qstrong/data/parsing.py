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
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from pydantic import SerializationInfo
from pydantic_core import PydanticCustomError

from qstrong.core.exact import format_rounded, terminating_decimal

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


def _fail(message: str) -> PydanticCustomError:
    # No context dict: the message is used verbatim (braces in user input stay as typed).
    return PydanticCustomError("qstrong_value", message)


def describe_value(value: object) -> str:
    """Show an input value and what kind of thing it is, for error messages.

    Args:
        value: any input value.

    Returns:
        Text such as ``'false' (a string)`` or ``true (a yes/no value)``.

    Examples:
        >>> describe_value("false")
        "'false' (a string)"
        >>> describe_value(True)
        'true (a yes/no value)'
        >>> describe_value(Decimal("12.70"))
        '12.70 (a number)'
        >>> describe_value(None)
        'null'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, int | Decimal | float | Fraction):
        return f"{value} (a number)"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"{shown!r} (a string)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, _dt.datetime):
        return f"{value.isoformat()} (a date and time)"
    if isinstance(value, _dt.date):
        return f"{value.isoformat()} (a date)"
    return f"a {type(value).__name__}"


_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_COUNTS_RE = re.compile(r"(\d+)\s*/\s*(\d+)")


def _guard_size(d: Decimal, shown: object) -> Decimal:
    sign_digits_exp = d.as_tuple()
    exponent = sign_digits_exp.exponent
    assert isinstance(exponent, int)  # finite numbers only reach here
    if len(sign_digits_exp.digits) > MAX_DIGITS or abs(exponent) > MAX_DIGITS:
        raise _fail(f"{shown} has too many digits (at most {MAX_DIGITS})")
    return d


def _decimal_of_text(text: str, value: object) -> Decimal:
    """The exact Decimal of a numeric text, its size checked before any conversion."""
    if len(text) > MAX_TEXT_CHARS:
        raise _fail(f"{describe_value(value)} has too many digits (at most {MAX_DIGITS})")
    try:
        return _guard_size(Decimal(text), repr(value))
    except ArithmeticError:  # an exponent beyond what Decimal holds
        raise _fail(f"{describe_value(value)} is too large a number") from None


def _to_decimal(value: object) -> Decimal:
    """Turn a number or numeric string into an exact, finite Decimal (no percent sign)."""
    if isinstance(value, bool):
        raise _fail(f"expected a number, got {describe_value(value)}")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise _fail(f"{value} has too many digits (at most {MAX_DIGITS})")
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _fail(f"{value} is not a finite number")
        return _guard_size(Decimal(repr(value)), value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _fail(f"{value} is not a finite number")
        return _guard_size(value, value)
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER_RE.fullmatch(text):
            raise _fail(f"{describe_value(value)} is not a number")
        return _decimal_of_text(text, value)
    raise _fail(f"expected a number, got {describe_value(value)}")


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise _fail(f"{name} must be a whole number, got {describe_value(value)}")
    if isinstance(value, Decimal | float) and not (
        math.isfinite(value) and value == int(value)
    ):
        raise _fail(f"{name} must be a whole number, got {value}")
    count = int(value)
    if count < 0:
        raise _fail(f"{name} is {count}; counts cannot be negative")
    if count >= 10**MAX_DIGITS:
        raise _fail(f"{name} has too many digits (at most {MAX_DIGITS})")
    return count


def _rate_from_counts(passed_in: object, total_in: object) -> Fraction:
    passed = _count(passed_in, "passed")
    total = _count(total_in, "total")
    if total == 0:
        raise _fail("total is 0; a rate needs at least one item checked")
    if passed > total:
        raise _fail(f"passed ({passed}) is more than total ({total})")
    return Fraction(passed * 100, total)


def _check_percent(rate: Fraction, shown: str) -> Fraction:
    if rate < 0:
        raise _fail(f"{shown} is below 0")
    if rate > 100:
        raise _fail(f"{shown} is above 100")
    return rate


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
    if isinstance(value, Fraction):
        return _check_percent(value, format_decimal(value))
    if isinstance(value, Mapping):
        unknown = sorted(str(k) for k in value if k not in ("passed", "total"))
        if unknown:
            raise _fail(
                f"unknown key '{unknown[0]}' in counts; expected only 'passed' and 'total'"
            )
        missing = [k for k in ("passed", "total") if k not in value]
        if missing:
            raise _fail(f"counts need both 'passed' and 'total'; '{missing[0]}' is missing")
        return _rate_from_counts(value["passed"], value["total"])
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_TEXT_CHARS:
            raise _fail(f"{describe_value(value)} has too many digits (at most {MAX_DIGITS})")
        counts = _COUNTS_RE.fullmatch(text)
        if counts:
            return _rate_from_counts(int(counts.group(1)), int(counts.group(2)))
        if text.endswith(("%", "％")):
            text = text[:-1].rstrip()
        if not _NUMBER_RE.fullmatch(text):
            raise _fail(
                f"{describe_value(value)} is not a number, a percentage like '93.5%' "
                "or counts like '187/200'"
            )
        number = _decimal_of_text(text, value)
        return _check_percent(Fraction(number), _plain(number))
    if isinstance(value, list | tuple) or value is None:
        raise _fail(
            "expected a percentage (a number 0-100, '93.5%' or counts "
            f"{{passed: ..., total: ...}}), got {describe_value(value)}"
        )
    number = _to_decimal(value)
    return _check_percent(Fraction(number), _plain(number))


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
        raise _fail(f"{_plain(number)} is below 0; an amount cannot be negative")
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
        shown = f"{value!r}" if isinstance(value, str) else describe_value(value)
        raise _fail(
            f"year key {shown} is not a year (expected a whole number {YEAR_MIN}-{YEAR_MAX})"
        )
    return year


def _strict_int(value: object, minimum: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"expected a whole number, got {describe_value(value)}")
    if value < minimum:
        raise _fail(f"{value} is below {minimum}; {what}")
    return value


def parse_count(value: object) -> int:
    """Read a count: an int ≥ 0 (no bools, floats or strings).

    Examples:
        >>> parse_count(3)
        3
    """
    return _strict_int(value, 0, "a count cannot be negative")


def parse_rank(value: object) -> int:
    """Read a rank: an int ≥ 1, where 1 is the top (no bools, floats or strings).

    Examples:
        >>> parse_rank(1)
        1
    """
    return _strict_int(value, 1, "rank 1 is the top")


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> _dt.date:
    """Read a calendar day: a ``datetime.date`` or an ISO string ``YYYY-MM-DD``.

    Examples:
        >>> parse_date("2014-06-30")
        datetime.date(2014, 6, 30)
    """
    if isinstance(value, _dt.datetime):
        raise _fail(f"expected a date like 2014-06-30, got {describe_value(value)}")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _fail(f"{value!r} is not a real calendar day") from None
    raise _fail(f"expected a date like 2014-06-30, got {describe_value(value)}")


def serialize_date(value: _dt.date) -> str:
    return value.isoformat()
