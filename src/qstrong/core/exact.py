"""Exact numbers: conversion to `Fraction` without binary floats; display without float noise.

The display functions are pure and remembered (a bounded cache keyed by value and type): a
province's report prints the same thresholds and many of the same rates 100 000 times."""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "exact_text",
    "format_apart",
    "format_number",
    "format_rounded",
    "terminating_decimal",
    "to_fraction",
]


def to_fraction(value: object) -> Fraction:
    """The exact value of an int, Decimal or Fraction (never a binary float).

    Examples:
        >>> to_fraction(Decimal("64.1")) - to_fraction(Decimal("59.1"))
        Fraction(5, 1)
    """
    if isinstance(value, bool):
        raise TypeError("a yes/no value is not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    raise TypeError(f"not an exact number: {value!r}")


def _decimal_digits(q: Fraction) -> int | None:
    """How many decimal places ``q`` needs, or None when its expansion never ends."""
    d = q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    return max(twos, fives) if d == 1 else None


def terminating_decimal(q: Fraction) -> Decimal | None:
    """The Decimal of a fraction whose decimal expansion ends, else None.

    Examples:
        >>> terminating_decimal(Fraction(187, 2))
        Decimal('93.5')
        >>> terminating_decimal(Fraction(1, 3)) is None
        True
        >>> terminating_decimal(Fraction(1, 2**41)) == Fraction(1, 2**41)
        True
    """
    digits = _decimal_digits(q)
    if digits is None:
        return None
    # Built from its digits: Decimal arithmetic (scaleb) would round to 28 digits.
    return Decimal(f"{q.numerator * (10**digits // q.denominator)}E-{digits}")


def _fixed_point(q: Fraction, digits: int, sign: str, *, pad: bool = False) -> str:
    """``q`` (which has at most ``digits`` decimals) in fixed point; ``pad`` keeps its zeros."""
    scaled = abs(q.numerator * 10**digits // q.denominator)
    whole, frac = divmod(scaled, 10**digits)
    if digits == 0:
        return f"{sign}{whole}"
    frac_text = str(frac).rjust(digits, "0")
    if not pad:
        frac_text = frac_text.rstrip("0")
    return f"{sign}{whole}.{frac_text}" if frac_text else f"{sign}{whole}"


@functools.lru_cache(maxsize=1 << 16, typed=True)
def format_number(value: Fraction | Decimal | int, places: int = 2) -> str:
    """Print an exact number: all its digits when it terminates, else rounded half-even.

    Examples:
        >>> format_number(Fraction(187, 2))
        '93.5'
        >>> format_number(Fraction(200, 3))
        '≈66.67'
        >>> format_number(Decimal("5.0"))
        '5'
        >>> format_number(Fraction(-1, 4))
        '-0.25'
    """
    q = to_fraction(value)
    digits = _decimal_digits(q)
    if digits is None:
        rounded = round(q, places)
        return "≈" + _fixed_point(rounded, places, "-" if rounded < 0 else "")
    return _fixed_point(q, digits, "-" if q < 0 else "")


MAX_SHOWN_PLACES = 20
"""Decimals `format_apart` goes to before it gives up making two near numbers look apart."""


@functools.lru_cache(maxsize=1 << 16, typed=True)
def format_apart(value: Fraction | Decimal | int, other: Fraction | Decimal | int | None = None,
                 places: int = 2) -> str:
    """`format_number`, with as many more decimals as it takes for a number that differs from
    ``other`` (or from 0) not to print as if it were equal to it.

    A rate of 39.9999…% against a bound of 40% must not read "≈40%（要求 ≥ 40%），差 ≈0".

    Examples:
        >>> format_apart(Fraction(399999, 10000) + Fraction(1, 30000000), Fraction(40))
        '≈39.9999'
        >>> format_apart(Fraction(1, 3000))
        '≈0.0003'
        >>> format_apart(Fraction(200, 3), Fraction(60))
        '≈66.67'
    """
    target = Fraction(0) if other is None else to_fraction(other)
    q = to_fraction(value)
    text = format_number(q, places)
    if q == target:
        return text
    shown_target = format_number(target, places).lstrip("≈")
    while text.lstrip("≈") in (shown_target, "0", "-0") and places < MAX_SHOWN_PLACES:
        places += 1
        text = format_number(q, places)
        shown_target = format_number(target, places).lstrip("≈")
    return text


def format_rounded(value: Fraction | Decimal | int, places: int = 2) -> str:
    """``value`` rounded half-even to exactly ``places`` decimals, trailing zeros kept.

    Like ``Decimal.quantize``, a negative value that rounds to zero keeps its sign.

    Examples:
        >>> format_rounded(Fraction(200, 3)), format_rounded(Fraction(2999, 300), 2)
        ('66.67', '10.00')
        >>> format_rounded(Fraction(-1, 300)), format_rounded(Fraction(5, 2), 0)
        ('-0.00', '2')
    """
    q = to_fraction(value)
    return _fixed_point(round(q, places), places, "-" if q < 0 else "", pad=True)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def exact_text(value: Fraction | Decimal | int) -> str:
    """A lossless text form: all decimals when they end, else ``p/q``.

    Examples:
        >>> exact_text(Fraction(187, 2))
        '93.5'
        >>> exact_text(Fraction(350, 11))
        '350/11'
    """
    q = to_fraction(value)
    if _decimal_digits(q) is None:
        return f"{q.numerator}/{q.denominator}"
    return format_number(q)
