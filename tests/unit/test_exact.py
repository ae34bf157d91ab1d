"""Exact numbers as readers see them: a near miss never prints as if it were at the bound."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qstrong.core.exact import format_apart, format_number
from qstrong.engine.margin import compare_margin
from qstrong.lang.rule_types import Ty


def test_a_value_just_below_the_bound_shows_the_digits_that_differ() -> None:
    value = Fraction(40) - Fraction(1, 10**7)
    assert format_number(value) == "39.9999999"  # terminates: every digit shown already
    value = Fraction(40) - Fraction(1, 3 * 10**6)
    assert format_number(value) == "≈40"
    assert format_apart(value, Fraction(40)) == "≈39.9999997"


def test_a_tiny_gap_is_not_shown_as_zero() -> None:
    margin = compare_margin(">=", Fraction(40) - Fraction(1, 3 * 10**6), Fraction(40),
                            Ty("percent"))
    assert margin is not None and margin.met is False
    assert margin.text_zh == "差 ≈0.0000003个百分点"
    assert "≈0个" not in margin.text_zh


@pytest.mark.parametrize(("value", "other", "shown"), [
    (Fraction(200, 3), Fraction(60), "≈66.67"),
    (Fraction(187, 2), Fraction(94), "93.5"),
    (Fraction(40), Fraction(40), "40"),
])
def test_values_far_from_the_bound_print_as_before(value: Fraction, other: Fraction,
                                                    shown: str) -> None:
    assert format_apart(value, other) == shown


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
       st.integers(min_value=-1000, max_value=1000))
def test_different_numbers_never_print_alike(value: Fraction, bound: int) -> None:
    other = Fraction(bound)
    if value != other:
        assert format_apart(value, other).lstrip("≈") != format_number(other)
    assert format_apart(value - other).lstrip("≈") not in ("0", "-0") or value == other
