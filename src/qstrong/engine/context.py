"""What compiled rules run against: the evaluation context, name scopes and year entries."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from qstrong.core.logic import Truth
from qstrong.engine.explanation import ParamUse
from qstrong.engine.runtime import Recorder
from qstrong.lang.rule_types import FieldSpec, Record, Ty

__all__ = ["ERROR", "CondFn", "Env", "EvalContext", "Frame", "Scope", "ValueFn", "YearEntry",
           "year_record"]

Env = tuple[Any, ...]
ValueFn = Callable[["EvalContext", Env], Any]
CondFn = Callable[["EvalContext", Env], Truth]
ERROR = Ty("error")


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


@dataclass(frozen=True)
class Frame:
    """One level of names: the entity, or the members of an aggregate."""

    record: Record
    collection: str = ""


@dataclass(frozen=True)
class Scope:
    """The names a rule may use: frames (innermost last) and the dataset-wide roots."""

    frames: tuple[Frame, ...]
    roots: dict[str, FieldSpec]

    def push(self, frame: Frame) -> Scope:
        return Scope((*self.frames, frame), self.roots)


def year_record(value_ty: Ty) -> Record:
    """The fields (year, value) of one entry of a year-indexed value."""
    fields = {
        "year": FieldSpec("year", Ty("year"), "年份", "year", lambda o, c: o.year),
        "value": FieldSpec("value", value_ty, "数值", "value", lambda o, c: o.value),
    }
    return Record("year entry", fields)
