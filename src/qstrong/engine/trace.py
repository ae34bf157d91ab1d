"""The `Recorder`: what one clause read, compared, counted and missed while it ran.

The compiled closures call it; `qstrong.engine.evaluate` turns what it holds into the clause's
explanation. Inside an aggregate it keeps each member's missing fields (and, for year-indexed
values, its checks) apart, through `Recorder.enter_members` / `start_member` /
`leave_members`, so the clause lists the aggregate rather than every member's every field.
"""

from __future__ import annotations

from dataclasses import dataclass

from qstrong.engine.explanation import AggregateTrace, Check, ParamUse, ValueRead

__all__ = ["Label", "MemberState", "Recorder"]

Label = tuple[str, str]
"""A reader's name for a piece of data: (Chinese, English)."""


@dataclass(frozen=True, slots=True)
class MemberState:
    """The enclosing level's member bookkeeping, restored when an aggregate's members end."""

    missing: list[str]
    checks: list[Check]
    labels: dict[str, Label]
    detail: bool


_NOT_IN_AGGREGATE: list[str] = []
_NOT_IN_AGGREGATE_CHECKS: list[Check] = []
_NOT_IN_AGGREGATE_LABELS: dict[str, Label] = {}


class Recorder:
    """Collects one clause's explanation while it is evaluated.

    ``depth`` is above zero inside an aggregate's members; there only missing fields
    are collected (into ``item_missing``), so that the clause lists the aggregate, not
    every member's every field.

    ``labels`` holds what the compiler knew of each missing field: its readers' name, as
    the explanation tree shows it (an aggregate names a member's field after the member:
    ``强企候选 E15 · 评定为强``). Advice and reports read these names; none re-derives them.
    """

    __slots__ = ("aggregates", "checks", "depth", "item_checks", "item_detail",
                 "item_labels", "item_missing", "labels", "missing", "missing_seen", "notes",
                 "params", "values")

    def __init__(self) -> None:
        self.depth = 0
        self.values: dict[str, ValueRead] = {}
        self.checks: list[Check] = []
        self.aggregates: list[AggregateTrace] = []
        self.params: dict[str, ParamUse] = {}
        self.missing: list[str] = []
        self.missing_seen: set[str] = set()
        """The paths in ``missing``, so that noting one is not a scan of the list."""
        self.labels: dict[str, Label] = {}
        # Written only inside an aggregate, which gives them fresh ones for each member.
        self.item_labels: dict[str, Label] = _NOT_IN_AGGREGATE_LABELS
        self.item_missing: list[str] = _NOT_IN_AGGREGATE
        self.item_checks: list[Check] = _NOT_IN_AGGREGATE_CHECKS
        self.notes: list[str] = []
        self.item_detail = False

    def enter_members(self, *, detail: bool) -> MemberState:
        """Start an aggregate's members: from here until `leave_members`, reads, checks and
        missing fields belong to the current member (see `start_member`).

        Args:
            detail: keep each member's checks too (the years of a year-indexed value).

        Returns:
            What `leave_members` restores (aggregates nest).
        """
        state = MemberState(self.item_missing, self.item_checks, self.item_labels,
                            self.item_detail)
        self.item_detail = detail
        self.depth += 1
        return state

    def start_member(self) -> None:
        """Begin the next member: its missing fields and checks start empty."""
        self.item_missing = []
        self.item_checks = []
        self.item_labels = {}

    def leave_members(self, state: MemberState) -> None:
        """End an aggregate's members, restoring the enclosing level."""
        self.depth -= 1
        self.item_missing = state.missing
        self.item_checks = state.checks
        self.item_labels = state.labels
        self.item_detail = state.detail

    def label(self, path: str, label: Label) -> None:
        """Remember the readers' name of a field that was found missing (at this level)."""
        target = self.labels if self.depth == 0 else self.item_labels
        target.setdefault(path, label)

    def member_label(self, path: str) -> Label | None:
        """The name given to a missing field of the current member (see `label`)."""
        return self.item_labels.get(path)

    def label_above(self, state: MemberState, path: str, label: Label) -> None:
        """Name a missing field at the level enclosing the current members (an aggregate
        names its members' fields there, after the member)."""
        target = self.labels if self.depth == 1 else state.labels
        target.setdefault(path, label)

    def note_missing(self, paths: tuple[str, ...]) -> None:
        """Remember fields whose absence left something unknown."""
        if self.depth == 0:
            seen = self.missing_seen
            for p in paths:
                if p not in seen:
                    seen.add(p)
                    self.missing.append(p)
            return
        target = self.item_missing  # one member's few fields
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
