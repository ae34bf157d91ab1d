"""`collector_paused` restores the garbage collector's state, whatever happens inside."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import qstrong
from qstrong.core.collector import collector_paused

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"


def test_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_exception() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        qstrong.evaluate(EXAMPLE)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_library_calls_leave_it_as_they_found_it() -> None:
    report = qstrong.evaluate(EXAMPLE)
    report.to_json()
    _ = [e.clauses for e in report.entities]
    assert gc.isenabled()
