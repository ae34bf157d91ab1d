"""`qstrong.core.limits.nesting_depth` against the plain recursive definition."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from qstrong.core.limits import nesting_depth

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=3), st.decimals(allow_nan=False, places=2))

_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=2), inner, max_size=3),
        st.dictionaries(st.text(max_size=2), inner, max_size=2).map(OrderedDict),
    ),
    max_leaves=30,
)


def _depth(value: Any) -> int:
    """How deeply mappings and lists nest: 0 for a scalar, 1 + the deepest item's for a
    container (an empty one is 1)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@settings(max_examples=300, deadline=None, database=None)
@given(_VALUES)
def test_the_depth_is_the_recursive_one(value: Any) -> None:
    assert nesting_depth(value) == _depth(value)


@settings(max_examples=100, deadline=None, database=None)
@given(_VALUES, st.integers(min_value=0, max_value=4))
def test_measuring_stops_past_the_limit(value: Any, limit: int) -> None:
    # Past the limit it only has to say so: any depth above the limit, never below it.
    depth = nesting_depth(value, limit=limit)
    assert depth == _depth(value) if _depth(value) <= limit else depth > limit


def test_scalars_of_every_kind_nest_nothing() -> None:
    for value in (None, True, 3, 2.5, "x", Decimal("1.5")):
        assert nesting_depth(value) == 0
    assert nesting_depth([None, True, 3, 2.5, "x", Decimal("1.5")]) == 1
