"""The `Recorder`: a clause's level and an aggregate's members kept apart."""

from __future__ import annotations

from pathlib import Path

import qstrong
from qstrong.engine import trace

ROOT = Path(__file__).resolve().parents[2]


def test_the_shared_empty_member_containers_are_never_written() -> None:
    """Outside an aggregate a recorder's member containers are shared empty ones (one
    recorder per clause of every candidate): evaluating and explaining every example
    leaves them empty, so no clause sees another's members."""
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        report = qstrong.evaluate(example)
        for entity in report.entities:
            entity.nodes()
        report.county.to_dict()
    assert trace._NOT_IN_AGGREGATE == []
    assert trace._NOT_IN_AGGREGATE_CHECKS == []
    assert trace._NOT_IN_AGGREGATE_LABELS == {}


def test_members_start_empty_and_the_level_above_is_restored() -> None:
    rec = trace.Recorder()
    rec.label("a", ("甲", "A"))
    state = rec.enter_members(detail=True)
    rec.start_member()
    rec.note_missing(("x",))
    rec.label("x", ("乙", "B"))
    assert rec.item_missing == ["x"] and rec.member_label("x") == ("乙", "B")
    rec.start_member()
    assert rec.item_missing == [] and rec.member_label("x") is None
    rec.leave_members(state)
    assert rec.depth == 0 and rec.missing == [] and rec.labels == {"a": ("甲", "A")}
    assert rec.item_labels is trace._NOT_IN_AGGREGATE_LABELS
