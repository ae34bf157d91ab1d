"""Runtime values that are not plain data: `Missing` data and partly-known `Bounds`, and the
`Recorder` that collects what a clause read, compared and counted while it ran."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from qstrong.engine.explanation import AggregateTrace, Check, ParamUse, ValueRead

__all__ = ["Bounds", "Missing", "Recorder"]


@dataclass(frozen=True, slots=True)
class Missing:
    """A value that cannot be known: ``paths`` name the missing fields that would settle it,
    ``note`` says why when no data is missing (a ratio whose divisor is 0)."""

    paths: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Bounds:
    """A number known only to lie in ``[lo, hi]`` (``hi`` None: no upper bound).

    Shares and counts over members with unknown values are bounds: counting every
    unknown as no gives ``lo``, as yes gives ``hi``.
    """

    lo: Fraction
    hi: Fraction | None
    missing: tuple[str, ...]


_NOT_IN_AGGREGATE: list[str] = []
_NOT_IN_AGGREGATE_CHECKS: list[Check] = []


class Recorder:
    """Collects one clause's explanation while it is evaluated.

    ``depth`` is above zero inside an aggregate's members; there only missing fields
    are collected (into ``item_missing``), so that the clause lists the aggregate, not
    every member's every field.
    """

    __slots__ = ("aggregates", "checks", "depth", "item_checks", "item_detail",
                 "item_missing", "missing", "notes", "params", "values")

    def __init__(self) -> None:
        self.depth = 0
        self.values: dict[str, ValueRead] = {}
        self.checks: list[Check] = []
        self.aggregates: list[AggregateTrace] = []
        self.params: dict[str, ParamUse] = {}
        self.missing: list[str] = []
        # Written only inside an aggregate, which gives them fresh lists for each member.
        self.item_missing: list[str] = _NOT_IN_AGGREGATE
        self.item_checks: list[Check] = _NOT_IN_AGGREGATE_CHECKS
        self.notes: list[str] = []
        self.item_detail = False

    def note_missing(self, paths: tuple[str, ...]) -> None:
        """Remember fields whose absence left something unknown."""
        target = self.missing if self.depth == 0 else self.item_missing
        for p in paths:
            if p not in target:
                target.append(p)

    def note(self, text: str) -> None:
        """Remember why something is unknown although no data is missing."""
        if self.depth == 0 and text not in self.notes:
            self.notes.append(text)

    def read(self, value_read: ValueRead) -> None:
        """Remember a value read at clause level (once per path)."""
        if self.depth == 0 and value_read.path not in self.values:
            self.values[value_read.path] = value_read

    def check(self, check: Check) -> None:
        """Remember a comparison made at clause level."""
        if self.depth == 0:
            self.checks.append(check)
        elif self.item_detail:
            self.item_checks.append(check)

    def aggregate(self, trace: AggregateTrace) -> None:
        """Remember an aggregate computed at clause level."""
        if self.depth == 0:
            self.aggregates.append(trace)

    def param(self, use: ParamUse) -> None:
        """Remember a parameter used anywhere in the clause."""
        self.params.setdefault(use.name, use)
