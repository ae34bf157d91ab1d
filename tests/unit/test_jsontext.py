"""`dumps_indented` writes the bytes of ``json.dumps(..., ensure_ascii=False, indent=2)``."""

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

from qstrong.core.jsontext import dumps_indented

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
            | st.text())
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.integers(0, 8))
def test_the_same_bytes_as_json_dumps(value: Any, level: int) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * level)
    assert dumps_indented(value, level) == expected


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
def test_edges(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("value", [{1j: 1}, [object()], {"a": {1, 2}}, b"bytes"])
def test_what_json_refuses_is_refused(value: Any) -> None:
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
