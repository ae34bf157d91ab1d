"""`dumps_indented` writes the bytes of ``json.dumps(..., ensure_ascii=False, indent=2)``,
`dumps_compact` those of JSON Lines' compact ``json.dumps``: by the code of
`qstrong.core.jsontext` (orjson hidden) and, where it is installed, by orjson (values without
floats, which orjson writes in its own shortest form and qstrong's results never hold)."""

from __future__ import annotations

import enum
import gc
import json
import math
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qstrong
from qstrong.core import jsontext
from qstrong.core.jsontext import dumps_compact, dumps_indented

try:
    import orjson
except ImportError:  # the fast extra is not installed: its cases skip
    orjson = None

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
            | st.text())
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30)


_NO_FLOATS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none(), inner,
                      max_size=4),
    max_leaves=30)


@pytest.fixture
def no_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code of `qstrong.core.jsontext` alone, as without the fast extra."""
    monkeypatch.setattr(jsontext, "_orjson", None)


def _expected(value: Any, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * level)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.integers(0, 8))
def test_the_same_bytes_as_json_dumps(value: Any, level: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsontext, "_orjson", None)
        assert dumps_indented(value, level) == _expected(value, level)
        assert dumps_compact(value) == json.dumps(value, ensure_ascii=False,
                                                  separators=(",", ":"))
        _same_bytes(value, level)


@pytest.mark.skipif(orjson is None, reason="orjson (the fast extra) is not installed")
@settings(max_examples=400, deadline=None)
@given(_NO_FLOATS, st.integers(0, 8))
def test_orjson_writes_the_same_bytes_without_floats(value: Any, level: int) -> None:
    assert jsontext.fast_writer() is not None
    assert dumps_indented(value, level) == _expected(value, level)
    assert dumps_compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    _same_bytes(value, level)


def _same_bytes(value: Any, level: int) -> None:
    """The binary writers give the text writers' UTF-8 bytes, where the text can be encoded
    (a lone surrogate cannot: both refuse it, as writing it to a UTF-8 file would)."""
    try:
        compact = dumps_compact(value).encode("utf-8")
        indented = dumps_indented(value, level).encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            jsontext.compact_bytes(value)
        return
    assert jsontext.compact_bytes(value) == compact
    assert bytes(jsontext.indented_bytes(value, level)) == indented


def test_reports_hold_no_floats() -> None:
    """What lets orjson write reports: every number in them is an int (or text)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bench

    root = Path(__file__).resolve().parents[2]
    reports = [qstrong.evaluate(root / "examples" / "county.yaml"),
               qstrong.evaluate(qstrong.load_dataset(bench.generate(300, 7, 0.1)))]
    stack: list[Any] = [r.to_dict() for r in reports]
    seen = 0
    while stack:
        value = stack.pop()
        seen += 1
        assert not isinstance(value, float), value
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    assert seen > 10_000


class _Word(enum.StrEnum):
    PASS = "pass"


class _Number(enum.IntEnum):
    TWO = 2


@pytest.mark.parametrize("value", [
    {}, [], (), "", "中文\n\"引号\"\\\u2028\x00", math.inf, -math.inf, 0.1, 1e300, -0.0,
    {"a": {}, "b": [], "c": [{}], "d": [[]]},
    OrderedDict([("z", 1), ("a", 2)]),
    {_Word.PASS: _Word.PASS, "n": _Number.TWO, True: False, None: None, 1.5: 2},
    [True, False, None, _Number.TWO, _Word.PASS, 10**30],
])
def test_edges(value: Any, no_orjson: None) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("value", [
    {}, [], "中文\n\"引号\"\\\u2028\x00\x1f\x7f", {"a": {}, "b": [], "c": [{}], "d": [[]]},
    OrderedDict([("z", 1), ("a", 2)]), [True, False, None, 2**63 - 1, -(2**63)],
    # what orjson refuses is written by the code here, the same text:
    [10**30], {"s": "\ud800"}, {1: 2, False: 3, None: 4}, {_Word.PASS: _Word.PASS},
    [_Number.TWO, _Word.PASS],
])
def test_edges_whichever_writes(value: Any) -> None:
    assert dumps_indented(value, 3) == _expected(value, 3)
    assert dumps_compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for level in range(7):
        _same_bytes(value, level)


@pytest.mark.parametrize("value", [{1j: 1}, [object()], {"a": {1, 2}}, b"bytes"])
def test_what_json_refuses_is_refused(value: Any) -> None:  # with orjson too
    with pytest.raises(TypeError):
        json.dumps(value, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps_indented(value)


def test_nothing_is_left_for_the_garbage_collector() -> None:
    # qstrong pauses the collector while it writes a report: a document's pieces caught in
    # a reference cycle would pile up until the end (107 MB for 1 000 candidates once).
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        dumps_indented({"a": [{"b": [1, 2.5, None]}, {"c": {}}], "d": "文字"})
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


@pytest.mark.skipif(orjson is None, reason="orjson (the fast extra) is not installed")
def test_reports_are_the_same_text_with_or_without_orjson_to_text_or_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    from pathlib import Path

    report = qstrong.evaluate(Path(__file__).resolve().parents[2] / "examples"
                              / "county-mixed.yaml")

    def written() -> tuple[str, str]:
        lines = io.StringIO()
        report.write_jsonl(lines)
        # A binary stream gets the same text as UTF-8 bytes.
        as_bytes, lines_as_bytes = io.BytesIO(), io.BytesIO()
        report.write_json(as_bytes)
        report.write_jsonl(lines_as_bytes)
        assert as_bytes.getvalue().decode("utf-8") == report.to_json()
        assert lines_as_bytes.getvalue().decode("utf-8") == lines.getvalue()
        return report.to_json(), lines.getvalue()

    fast = written()
    monkeypatch.setattr(jsontext, "_orjson", None)
    assert written() == fast
