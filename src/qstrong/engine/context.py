"""What compiled rules run against: the evaluation context, and entries of year-indexed values."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from qstrong.core.logic import Truth
from qstrong.engine.explanation import ParamUse
from qstrong.engine.trace import Recorder

__all__ = ["CondFn", "Env", "EvalContext", "ValueFn", "YearEntry"]

Env = tuple[Any, ...]
ValueFn = Callable[["EvalContext", Env], Any]
CondFn = Callable[["EvalContext", Env], Truth]


@dataclass
class YearEntry:
    """One year of a year-indexed value, as the members of an aggregate over it."""

    year: int
    value: Any


@dataclass
class EvalContext:
    """What a compiled rule may reach at run time: the dataset's reference values and parameters."""

    date: _dt.date
    roots: dict[str, Any]
    params: dict[str, Fraction]
    param_uses: dict[str, ParamUse]
    recorder: Recorder = field(default_factory=Recorder)
    virtual: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    last_share: tuple[int, int, int, str] | None = None
