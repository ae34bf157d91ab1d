"""What changed between two evaluations: two datasets (two years of a county) under one
criteria set, or one dataset under two criteria versions (or what-if parameters).

`diff` matches candidates by kind and id and lists every candidate whose verdict changes,
with every clause whose status changes and, for each side, the values, thresholds and
margins behind it (read from the explanations of those candidates only, made on demand);
candidates on one side only; and per kind how many flipped each way. Results never render
themselves: `qstrong.report.diff_text` draws a `Diff`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qstrong.core.logic import Status
from qstrong.core.vocab import KINDS
from qstrong.engine.results import EntityResult, Report

__all__ = ["SUMMARY_KEYS", "ClauseChange", "Diff", "EntityChange", "diff"]

SUMMARY_KEYS = ("pass_to_fail", "fail_to_pass", "to_unknown", "from_unknown", "added",
                "removed")
"""The counts of the summary of each kind, in order."""


@dataclass(frozen=True)
class ClauseChange:
    """One clause whose status differs, with what each side read and required."""

    id: str
    title_zh: str
    title_en: str
    before_status: Status | None
    after_status: Status | None
    before: dict[str, Any]
    after: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title_zh, "title_en": self.title_en,
                "from": _word(self.before_status), "to": _word(self.after_status),
                "before": dict(self.before), "after": dict(self.after)}


@dataclass(frozen=True)
class EntityChange:
    """A candidate whose verdict changed, or that is on one side only."""

    kind: str
    id: str
    name: str
    before_status: Status | None
    after_status: Status | None
    clauses: list[ClauseChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name,
                "from": _word(self.before_status), "to": _word(self.after_status),
                "clauses": [c.to_dict() for c in self.clauses]}


@dataclass(frozen=True)
class Diff:
    """The changes from a `before` report to an `after` report."""

    before: dict[str, Any]
    after: dict[str, Any]
    summary: dict[str, dict[str, int]]
    county_before: Status
    county_after: Status
    changes: list[EntityChange]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of issue 13: before, after, summary, county, changes."""
        return {"before": self.before, "after": self.after,
                "summary": {k: dict(v) for k, v in self.summary.items()},
                "county": {"from": self.county_before.value, "to": self.county_after.value},
                "changes": [c.to_dict() for c in self.changes]}

    def _repr_html_(self) -> str:
        import qstrong.report.display as display

        return display.diff_html(self)

    def to_frame(self) -> Any:
        """One row per changed clause of each changed candidate (one row for a candidate
        on one side only); a pandas DataFrame (the ``pandas`` extra)."""
        import qstrong.report.display as display

        return display.diff_frame(self)


def _word(status: Status | None) -> str | None:
    return None if status is None else status.value


def _side(report: Report) -> dict[str, Any]:
    county = report.dataset.county
    return {"criteria": {"version": report.criteria.version,
                         "sha256": report.criteria.sha256},
            "dataset": {"county": {"code": county.code, "name": county.name},
                        "date": report.dataset.assessment.date.isoformat()},
            **({"params": {p.name: p.value for p in report.params if p.overridden}}
               if any(p.overridden for p in report.params) else {})}


def _facts(entity: EntityResult | None, clause_id: str) -> dict[str, Any]:
    """What one side's explanation says of a clause: status, values, bound, margin."""
    if entity is None:
        return {}
    try:
        node = entity.clause(clause_id)
    except KeyError:
        return {}
    out: dict[str, Any] = {"status": node.status.value, "summary": node.summary_zh,
                           "summary_en": node.summary_en}
    check = next(iter(node.checks), None)
    if check is not None:
        out["value"] = check.left_value
        out["threshold"] = f"{check.op} {check.right_value}"
        if check.margin is not None:
            out["margin"] = check.margin.text_zh
            out["margin_en"] = check.margin.text_en
    if node.missing:
        out["missing"] = list(node.missing)
    return out


def _count(summary: dict[str, int], before: Status | None, after: Status | None) -> None:
    if before is None:
        summary["added"] += 1
    elif after is None:
        summary["removed"] += 1
    elif before is Status.PASS and after is Status.FAIL:
        summary["pass_to_fail"] += 1
    elif before is Status.FAIL and after is Status.PASS:
        summary["fail_to_pass"] += 1
    elif after is Status.UNKNOWN and before is not Status.UNKNOWN:
        summary["to_unknown"] += 1
    elif before is Status.UNKNOWN and after is not Status.UNKNOWN:
        summary["from_unknown"] += 1


def diff(before: Report, after: Report) -> Diff:
    """Compare two reports: every candidate whose verdict changes, and why.

    Only the changed candidates' explanations are read (made on demand), so comparing two
    province reports costs their verdicts plus the explanations of what changed.
    """
    summary = {kind: dict.fromkeys(SUMMARY_KEYS, 0) for kind in KINDS}
    old = {(e.kind, e.id): e for e in before.entities}
    new = {(e.kind, e.id): e for e in after.entities}
    keys = list(old) + [k for k in new if k not in old]
    changes: list[EntityChange] = []
    for key in keys:
        a, b = old.get(key), new.get(key)
        a_status = None if a is None else a.status
        b_status = None if b is None else b.status
        if a_status is b_status:
            continue
        _count(summary[key[0]], a_status, b_status)
        name = (b or a).name  # type: ignore[union-attr]
        clauses: list[ClauseChange] = []
        if a is not None and b is not None:
            a_statuses, b_statuses = a.statuses(), b.statuses()
            ids = list(a_statuses) + [i for i in b_statuses if i not in a_statuses]
            for clause_id in ids:
                sa, sb = a_statuses.get(clause_id), b_statuses.get(clause_id)
                if sa is sb:
                    continue
                node = (b if sb is not None else a).clause(clause_id)
                clauses.append(ClauseChange(clause_id, node.title_zh, node.title_en, sa, sb,
                                            _facts(a, clause_id), _facts(b, clause_id)))
        changes.append(EntityChange(key[0], key[1], name, a_status, b_status, clauses))
    return Diff(_side(before), _side(after), summary, before.status, after.status, changes)
