"""Operations on runtime values: exact comparisons and arithmetic that respect `Missing`
and `Bounds`, and the first day of a time window."""

from __future__ import annotations

import datetime as _dt
import operator
from fractions import Fraction
from typing import Any

from qstrong.core.exact import to_fraction
from qstrong.core.logic import Truth
from qstrong.engine.runtime import Bounds, Missing

__all__ = ["WINDOW_CAPS", "arith", "compare_bounds", "compare_values", "missing_of", "to_exact",
           "window_bounds", "window_cap"]


def to_exact(value: Any) -> Any:
    """Numbers as exact fractions; everything else unchanged."""
    if type(value) is Fraction:  # what the data's numbers are: no isinstance chain
        return value
    if value is None or isinstance(value, bool | str | _dt.date | Missing | Bounds):
        return value
    if isinstance(value, int | Fraction) or type(value).__name__ == "Decimal":
        return to_fraction(value)
    return value


_OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
              "=": operator.eq, "!=": operator.ne}


def compare_values(op: str, left: Any, right: Any) -> Truth:
    if type(left) is Fraction and type(right) is Fraction:
        # Two exact numbers, the usual case: their integers cross-multiplied (denominators
        # are positive), as the generated code compares them, without `Fraction`'s checks.
        in_order = _OPERATORS[op](left._numerator * right._denominator,  # type: ignore[attr-defined]
                                  right._numerator * left._denominator)  # type: ignore[attr-defined]
        return Truth.PASS if in_order else Truth.FAIL
    if isinstance(left, Missing) or isinstance(right, Missing):
        return Truth.UNKNOWN
    if isinstance(left, Bounds) or isinstance(right, Bounds):
        return compare_bounds(op, left, right)
    try:
        result = _OPERATORS[op](left, right)
    except TypeError:
        return Truth.UNKNOWN
    return Truth.PASS if result else Truth.FAIL


def compare_bounds(op: str, left: Any, right: Any) -> Truth:
    """Pass when every value in the bounds satisfies ``op``, fail when none does."""
    lo_l, hi_l = (left.lo, left.hi) if isinstance(left, Bounds) else (left, left)
    lo_r, hi_r = (right.lo, right.hi) if isinstance(right, Bounds) else (right, right)
    inf = None
    if op in (">=", ">"):
        strict = op == ">"
        surely = hi_r is not inf and (lo_l > hi_r if strict else lo_l >= hi_r)
        never = hi_l is not inf and (hi_l <= lo_r if strict else hi_l < lo_r)
    elif op in ("<=", "<"):
        strict = op == "<"
        surely = hi_l is not inf and (hi_l < lo_r if strict else hi_l <= lo_r)
        never = hi_r is not inf and (lo_l >= hi_r if strict else lo_l > hi_r)
    else:
        point = lo_l == hi_l == lo_r == hi_r
        apart = (hi_l is not inf and hi_l < lo_r) or (hi_r is not inf and hi_r < lo_l)
        surely, never = (point, apart) if op == "=" else (apart, point)
    if surely:
        return Truth.PASS
    if never:
        return Truth.FAIL
    return Truth.UNKNOWN


def missing_of(*values: Any) -> tuple[str, ...]:
    paths: dict[str, None] = {}  # an ordered set: linear however many paths
    for v in values:
        found = v.paths if isinstance(v, Missing) else v.missing if isinstance(v, Bounds) else ()
        paths.update(dict.fromkeys(found))
    return tuple(paths)


def arith(op: str, left: Any, right: Any, percent: bool, divisor: str = "") -> Any:
    if isinstance(left, Missing) or isinstance(right, Missing):
        notes = [v.note for v in (left, right) if isinstance(v, Missing) and v.note]
        return Missing(missing_of(left, right), "；".join(notes))
    scale = Fraction(100) if percent else Fraction(1)
    if isinstance(left, Bounds) or isinstance(right, Bounds):
        return _arith_bounds(op, left, right, scale)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return Missing((), f"{divisor or '除数'}为 0，比例无定义")
    return left / right * scale


def _arith_bounds(op: str, left: Any, right: Any, scale: Fraction) -> Any:
    missing = missing_of(left, right)
    lb = left if isinstance(left, Bounds) else Bounds(left, left, ())
    rb = right if isinstance(right, Bounds) else Bounds(right, right, ())
    if op == "+":
        hi = None if lb.hi is None or rb.hi is None else lb.hi + rb.hi
        return Bounds(lb.lo + rb.lo, hi, missing)
    if op == "-":
        if rb.hi is None:
            return Missing(missing)
        hi = None if lb.hi is None else lb.hi - rb.lo
        return Bounds(lb.lo - rb.hi, hi, missing)
    if isinstance(right, Fraction) and right > 0 and lb.lo >= 0:
        if op == "*":
            return Bounds(lb.lo * right, None if lb.hi is None else lb.hi * right, missing)
        return Bounds(lb.lo / right * scale, None if lb.hi is None else lb.hi / right * scale,
                      missing)
    return Missing(missing)


def _shift_years(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


WINDOW_CAPS: dict[str, int] = {"year": 100, "month": 1200, "day": 36_600}
"""Longest window of each unit a rule may ask for: a century (see docs/limits.md)."""


def window_cap(unit: str) -> int:
    """The longest window `within N unit` may give (``years`` → 100)."""
    return WINDOW_CAPS[unit.removesuffix("s")]


def window_bounds(end: _dt.date, length: int, unit: str) -> _dt.date:
    """The first day of a window of ``length`` units that ends on ``end`` (both days count)."""
    if unit.startswith("year"):
        return _shift_years(end, length)
    if unit.startswith("month"):
        month = end.month - 1 - length
        year = end.year + month // 12
        month = month % 12 + 1
        day = end.day
        while True:
            try:
                return _dt.date(year, month, day)
            except ValueError:
                day -= 1
    return end - _dt.timedelta(days=length)
