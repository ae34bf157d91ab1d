"""What generated verdict code calls: a few helpers for the general (partly known) cases, and
`Runtime`, the one object a generated function may reach besides its candidate.

The helpers delegate to the explaining evaluator's own operations (`compare_values`,
`arith`, `uncertain_population`), so both paths count and compare by the same rules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from qstrong.core.exact import to_fraction
from qstrong.core.logic import Status, Truth
from qstrong.engine.aggregates import uncertain_population
from qstrong.engine.context import EvalContext
from qstrong.engine.operations import arith, compare_values, window_bounds, window_cap
from qstrong.engine.runtime import Bounds, Missing, UncertainMembers
from qstrong.engine.trace import Recorder

__all__ = ["CODE_OF_STATUS", "HELPERS", "STATUS_OF_CODE", "VIRTUAL_KEYS", "YES_NO", "Runtime"]

STATUS_OF_CODE = (Status.FAIL, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE)
"""A generated status code (0 fail, 1 unknown, 2 pass, 3 not applicable) as a `Status`."""

CODE_OF_STATUS = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2}
"""A verdict's truth code, as the verdict program records it for ``strong`` to read."""

VIRTUAL_KEYS = ("members", "industry_enterprises", "enterprises", "strong", "districts",
                "industries")
"""The evaluator's views a generated function may read (``R.v_members(industry)`` …)."""

YES_NO = {None: 1, True: 2, False: 0}
"""A model's yes/no value (a bool, or None where it is missing) as its truth code."""

_MISSING = Missing(())
_CODE = {Truth.FAIL: 0, Truth.UNKNOWN: 1, Truth.PASS: 2}


class Runtime:
    """The dataset-wide values a generated function reads: the assessment date, the
    parameters by position (``pv``), the three roots, and the evaluator's views."""

    __slots__ = ("assessment", "county", "ctx", "date", "province_benchmarks", "pv", "vc", "win",
                 *(f"v_{k}" for k in VIRTUAL_KEYS))

    def __init__(self, ctx: EvalContext, param_order: tuple[str, ...],
                 views: dict[str, Callable[[Any], Any]],
                 windows: tuple[tuple[str, Any, str], ...] = (),
                 verdicts: dict[int, int] | None = None) -> None:
        self.ctx = ctx
        # ``R.vc(id(candidate), 1)``: a rated candidate's verdict as a truth code, unknown
        # (1) for one not rated (yet), as generated code reads ``strong``.
        self.vc = (verdicts if verdicts is not None else {}).get
        self.date = ctx.date
        self.pv = tuple(ctx.params[name] for name in param_order)
        self.win = tuple(self._window(source, value, unit) for source, value, unit in windows)
        self.province_benchmarks = ctx.roots.get("province_benchmarks")
        self.assessment = ctx.roots.get("assessment")
        self.county = ctx.roots.get("county")
        for key in VIRTUAL_KEYS:
            setattr(self, f"v_{key}", views[key])


    def _window(self, source: str, value: Any, unit: str
                ) -> tuple[_dt.date, _dt.date, tuple[int, ...]] | None:
        """(first day, last day, the years it ends in) of a window fixed for the run; None
        when its length is out of range (the aggregate is then unknown, as when explained)."""
        length = to_fraction(value) if source == "literal" else self.ctx.params[value]
        if not 0 <= length <= window_cap(unit):
            return None
        start = window_bounds(self.date, int(length), unit)
        return start, self.date, tuple(range(start.year + 1, self.date.year + 1))


def _ex(value: Any) -> Any:
    """An exact number (int or Fraction) of a model's number; None stays None."""
    if value is None or type(value) is int or type(value) is Fraction:
        return value
    return to_fraction(value)


def _g(value: Any) -> Any:
    """A plain value as the general operations take it: None is missing."""
    return _MISSING if value is None else value


def _tv(code: int) -> bool | None:
    """A truth code as a yes/no value (None: unknown)."""
    return None if code == 1 else code == 2


def _cmp(op: str, left: Any, right: Any) -> int:
    return _CODE[compare_values(op, left, right)]


def _in_set_general(value: Any, allowed: frozenset[Any], negated: bool) -> int:
    if isinstance(value, Missing | Bounds):
        return 1
    return 2 if (value in allowed) != negated else 0


def _neg(value: Any) -> Any:
    if isinstance(value, Bounds):
        return Missing(value.missing) if value.hi is None else Bounds(-value.hi, -value.lo,
                                                                      value.missing)
    return value if isinstance(value, Missing) else -value


def _arith(op: str, left: Any, right: Any, percent: bool) -> Any:
    return arith(op, left, right, percent)


def _div(left: Any, right: Any, scale: int) -> Any:
    if right == 0:
        return None
    return Fraction(left) / right * scale


def _index(mapping: Any, key: Any) -> Any:
    if not isinstance(mapping, dict):
        return None
    return mapping.get(int(key) if isinstance(key, Fraction) else key)


def _bounds(lo: Any, hi: Any) -> Bounds:
    return Bounds(Fraction(lo), None if hi is None else Fraction(hi), ())


def _uncertain(func: str, passed: int, unknown: int, sure: int, maybe_pass: int,
               maybe_unknown: int, maybe_fail: int) -> Any:
    return uncertain_population(func, passed, unknown, sure, maybe_pass, maybe_unknown,
                                maybe_fail, [], ())


def _window_start(end: _dt.date, length: int, unit: str) -> _dt.date:
    return window_bounds(end, length, unit)


def _closure(fn: Callable[[EvalContext, tuple[Any, ...]], Truth], entity: Any,
             runtime: Runtime) -> int:
    """Run a rule's explaining closure (for a construct the generator does not emit)."""
    ctx = runtime.ctx
    saved = ctx.recorder
    ctx.recorder = Recorder()
    try:
        return _CODE[fn(ctx, (entity,))]
    finally:
        ctx.recorder = saved


HELPERS: dict[str, Any] = {
    "_MISSING": _MISSING,
    "_Fraction": Fraction,
    "_Bounds": _bounds,
    "_UncertainMembers": UncertainMembers,
    "_ex": _ex,
    "_g": _g,
    "_tv": _tv,
    "_cmp": _cmp,
    "_in_set_general": _in_set_general,
    "_neg": _neg,
    "_arith": _arith,
    "_div": _div,
    "_index": _index,
    "_uncertain": _uncertain,
    "_window_start": _window_start,
    "_closure": _closure,
    "_STATUS_OF_CODE": STATUS_OF_CODE,
    "_YES_NO": YES_NO,
    "__builtins__": {"min": min, "max": max, "int": int, "id": id, "type": type,
                     "range": range, "sorted": sorted, "list": list, "map": map, "len": len,
                     "None": None, "True": True, "False": False},
}
"""The namespace generated code runs in: these names and its own constants, no builtins
beyond the few it uses."""
