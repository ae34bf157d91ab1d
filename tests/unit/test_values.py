"""Rate, Amount, year maps, counts, ranks and dates: accepted forms, exactness, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from qstrong.data.parsing import format_decimal, parse_rate, serialize_rate
from qstrong.data.values import (
    Amount,
    Count,
    IsoDate,
    Quantity,
    Rank,
    Rate,
    RateYearMap,
    YearMap,
    quantity_of,
)
from qstrong.io.yamldoc import load_yaml_text

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

RATE: TypeAdapter[Fraction] = TypeAdapter(Rate)
AMOUNT: TypeAdapter[Decimal] = TypeAdapter(Amount)
YEARS: TypeAdapter[dict[int, Fraction]] = TypeAdapter(RateYearMap)
COUNT: TypeAdapter[int] = TypeAdapter(Count)
RANK: TypeAdapter[int] = TypeAdapter(Rank)
DATE: TypeAdapter[dt.date] = TypeAdapter(IsoDate)


def _message(adapter: TypeAdapter[Any], value: object) -> str:
    with pytest.raises(ValidationError) as info:
        adapter.validate_python(value)
    errors = info.value.errors()
    assert len(errors) == 1
    return str(errors[0]["msg"])


# ---------------------------------------------------------------------------- Rate


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("93.5"), Fraction(187, 2)),
        (93.5, Fraction(187, 2)),
        (0.1, Fraction(1, 10)),
        (94, Fraction(94)),
        (0, Fraction(0)),
        (100, Fraction(100)),
        ("93.5", Fraction(187, 2)),
        ("93.5%", Fraction(187, 2)),
        (" 93.5 % ", Fraction(187, 2)),
        ("93.5％", Fraction(187, 2)),
        ({"passed": 187, "total": 200}, Fraction(187, 2)),
        ({"passed": 1, "total": 3}, Fraction(100, 3)),
        ({"passed": 0, "total": 5}, Fraction(0)),
        ("187/200", Fraction(187, 2)),
        ("1 / 3", Fraction(100, 3)),
        (Fraction(100, 3), Fraction(100, 3)),
    ],
)
def test_rate_accepted_forms_are_exact(value: object, expected: Fraction) -> None:
    result = RATE.validate_python(value)
    assert type(result) is Fraction
    assert result == expected


def test_rate_forms_agree_exactly() -> None:
    assert (
        RATE.validate_python(Decimal("93.5"))
        == RATE.validate_python("93.5%")
        == RATE.validate_python({"passed": 187, "total": 200})
        == Fraction(187, 2)
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "-1 is below 0"),
        (101, "101 is above 100"),
        ("101%", "101 is above 100"),
        (Decimal("-0.5"), "-0.5 is below 0"),
        (Decimal("100.0001"), "100.0001 is above 100"),
        (True, "expected a number, got true (a yes/no value)"),
        (float("nan"), "nan is not a finite number"),
        (float("inf"), "inf is not a finite number"),
        (Decimal("NaN"), "NaN is not a finite number"),
        ("abc", "'abc' (a string) is not a number"),
        ("NaN", "'NaN' (a string) is not a number"),
        ("93,5%", "is not a number"),
        ("", "is not a number"),
        (None, "expected a percentage"),
        ([1, 2], "got a list"),
        ({"passed": 201, "total": 200}, "passed (201) is more than total (200)"),
        ("201/200", "passed (201) is more than total (200)"),
        ({"passed": 0, "total": 0}, "total is 0"),
        ({"passed": -1, "total": 5}, "passed is -1; counts cannot be negative"),
        ({"passed": 1.5, "total": 5}, "passed must be a whole number, got 1.5"),
        ({"passed": "1", "total": 5}, "passed must be a whole number, got '1' (a string)"),
        ({"passed": True, "total": 5}, "passed must be a whole number"),
        ({"passed": 1}, "'total' is missing"),
        ({"passed": 1, "total": 2, "failed": 1}, "unknown key 'failed' in counts"),
        (Decimal("1E-100"), "has too many digits"),
    ],
)
def test_rate_rejections_say_why(value: object, message: str) -> None:
    assert message in _message(RATE, value)


def test_rate_message_keeps_braces_verbatim() -> None:
    assert "'{x}' (a string) is not a number" in _message(RATE, "{x}")


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=0, max_value=100, max_denominator=10**6))
def test_rate_serialization_round_trips(rate: Fraction) -> None:
    assert parse_rate(serialize_rate(rate)) == rate
    for mode in ("json", "python"):
        dumped = RATE.dump_python(rate, mode=mode)
        assert RATE.validate_python(dumped) == rate
    assert RATE.validate_json(RATE.dump_json(rate)) == rate


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=4, allow_nan=False))
def test_rate_from_decimal_text_is_the_decimal(value: Decimal) -> None:
    assert parse_rate(str(value)) == Fraction(value)
    assert parse_rate(f"{value}%") == Fraction(value)


@pytest.mark.parametrize(
    ("rate", "json_form", "python_form"),
    [
        (Fraction(187, 2), "93.5", Decimal("93.5")),
        (Fraction(100), "100", Decimal("100")),
        (Fraction(100, 3), "1/3", "1/3"),
        (Fraction(200, 7), "2/7", "2/7"),
    ],
)
def test_rate_serialized_forms(rate: Fraction, json_form: str, python_form: object) -> None:
    assert RATE.dump_python(rate, mode="json") == json_form
    assert RATE.dump_python(rate) == python_form


def test_yaml_float_is_exact_decimal() -> None:
    data = load_yaml_text("a: 12.7\nb: 64.1\nc: 59.1\n")
    assert data["a"] == Decimal("12.7")
    assert AMOUNT.validate_python(data["a"]) == Decimal("12.7")
    assert RATE.validate_python(data["a"]) == Fraction(127, 10)
    assert RATE.validate_python(data["b"]) - RATE.validate_python(data["c"]) == 5


# ---------------------------------------------------------------------------- Amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal(12)),
        (Decimal("12.70"), Decimal("12.7")),
        ("0.52", Decimal("0.52")),
        (0.1, Decimal("0.1")),
        ("1e3", Decimal(1000)),
        (0, Decimal(0)),
    ],
)
def test_amount_accepts(value: object, expected: Decimal) -> None:
    result = AMOUNT.validate_python(value)
    assert type(result) is Decimal
    assert result == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "-1 is below 0; an amount cannot be negative"),
        (Decimal("-0.01"), "-0.01 is below 0"),
        ("-3", "-3 is below 0"),
        (True, "expected a number, got true (a yes/no value)"),
        (False, "expected a number, got false"),
        (float("nan"), "not a finite number"),
        (float("-inf"), "not a finite number"),
        (Decimal("Infinity"), "not a finite number"),
        ("12万", "is not a number"),
        ("12.7%", "is not a number"),
        (None, "expected a number, got null"),
    ],
)
def test_amount_rejections(value: object, message: str) -> None:
    assert message in _message(AMOUNT, value)


def test_amount_json_dump_has_no_exponent() -> None:
    assert AMOUNT.dump_python(Decimal("1E+3"), mode="json") == "1000"
    assert AMOUNT.dump_python(Decimal("12.70")) == Decimal("12.70")


# ---------------------------------------------------------------------------- year maps


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({2013: Decimal("91.2"), 2014: 92}, {2013: Fraction(456, 5), 2014: Fraction(92)}),
        ({"2014": "93.5%"}, {2014: Fraction(187, 2)}),
        ({}, {}),
    ],
)
def test_year_map_keys_become_int_years(value: object, expected: dict[int, Fraction]) -> None:
    assert YEARS.validate_python(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"abc": 90}, "year key 'abc' is not a year (expected a whole number 1900-2100)"),
        ({1800: 90}, "year key 1800 (a number) is not a year"),
        ({"2014.5": 90}, "year key '2014.5' is not a year"),
        ({True: 90}, "year key true (a yes/no value) is not a year"),
        ({2014: 90, "2014": 91}, "year 2014 is given twice"),
    ],
)
def test_year_map_rejects_non_year_keys(value: object, message: str) -> None:
    assert message in _message(YEARS, value)


def test_year_map_value_errors_name_the_year() -> None:
    with pytest.raises(ValidationError) as info:
        YEARS.validate_python({"2013": 90, "2014": 101})
    [err] = info.value.errors()
    assert err["loc"] == (2014,)
    assert err["msg"] == "101 is above 100"


# ---------------------------------------------------------------------------- counts, ranks


@pytest.mark.parametrize(
    ("adapter", "value", "ok"),
    [
        (COUNT, 0, True),
        (COUNT, 7, True),
        (COUNT, -1, False),
        (COUNT, True, False),
        (COUNT, 3.0, False),
        (COUNT, Decimal(3), False),
        (COUNT, "3", False),
        (RANK, 1, True),
        (RANK, 0, False),
        (RANK, False, False),
        (RANK, "1", False),
    ],
)
def test_count_and_rank_are_strict(adapter: TypeAdapter[int], value: object, ok: bool) -> None:
    if ok:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_rank_message() -> None:
    assert _message(RANK, 0) == "0 is below 1; rank 1 is the top"
    assert _message(COUNT, "3") == "expected a whole number, got '3' (a string)"
    assert _message(COUNT, -1) == "-1 is below 0; a count cannot be negative"


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2014-06-30", dt.date(2014, 6, 30)), (dt.date(2014, 6, 30), dt.date(2014, 6, 30))],
)
def test_date_accepts_iso(value: object, expected: dt.date) -> None:
    assert DATE.validate_python(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2014/06/30", "expected a date like 2014-06-30, got '2014/06/30'"),
        ("2014-02-30", "'2014-02-30' is not a real calendar day"),
        (20140630, "expected a date like 2014-06-30"),
        (dt.datetime(2014, 6, 30, 8), "(a date and time)"),
    ],
)
def test_date_rejects_other_formats(value: object, message: str) -> None:
    assert message in _message(DATE, value)


# ---------------------------------------------------------------------------- display, markers


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(187, 2), 2, "93.5"),
        (Fraction(5), 2, "5"),
        (5, 2, "5"),
        (Decimal("12.70"), 2, "12.7"),
        (Decimal("1E+3"), 2, "1000"),
        (Decimal("64.1") - Decimal("59.1"), 2, "5"),
        (Fraction(1, 1024), 2, "0.0009765625"),
        (Fraction(100, 3), 2, "33.33"),
        (Fraction(200, 3), 1, "66.7"),
        (Fraction(1, 6), 1, "0.2"),
        (Fraction(-100, 3), 2, "-33.33"),
        (Fraction(0), 2, "0"),
    ],
)
def test_format_decimal(value: Fraction | Decimal | int, places: int, text: str) -> None:
    assert format_decimal(value, places) == text


@pytest.mark.parametrize(
    ("annotation", "kind"),
    [(Rate, "percent"), (Rate | None, "percent"), (Amount, "amount"), (Count, "count"),
     (Rank | None, "rank")],
)
def test_quantity_markers(annotation: object, kind: str) -> None:
    marker = quantity_of(annotation)
    assert isinstance(marker, Quantity)
    assert marker.kind == kind


def test_year_map_marker_and_plain_types() -> None:
    marker = quantity_of(RateYearMap | None)
    assert isinstance(marker, YearMap)
    assert marker.item.kind == "percent"
    assert quantity_of(str) is None
    assert quantity_of(int | None) is None


@pytest.mark.parametrize("total", [2**41, 5**30, 2**60 * 5**7])
def test_rates_with_long_exact_decimals_round_trip(total: int) -> None:
    # More than Decimal's default 28 significant digits: serialising must not round.
    rate = parse_rate({"passed": 1, "total": total})
    text = serialize_rate(rate)
    assert parse_rate(text) == rate == Fraction(100, total)


def test_a_rate_written_again_is_the_same_object() -> None:
    """A rate read a second time from the same text (or int, or finite Decimal) is the
    first one's `Fraction` (immutable): a province's values share a few hundred objects."""
    for written in ("93.5%", " 93.5 ", 96, Decimal("98.1"), "187/200"):
        first = parse_rate(written)
        assert parse_rate(written) is first
    assert parse_rate("93.5%") == parse_rate(Decimal("93.5")) == Fraction(187, 2)
    assert parse_rate(100) == parse_rate(Decimal(100)) == parse_rate("100") == 100


def test_a_remembered_rate_never_stands_for_another_value() -> None:
    """A yes/no is refused even where the int it equals was read; a NaN is refused as
    before; what is not remembered (past the cap) is read as usual."""
    from qstrong.data import parsing

    parse_rate(1)
    parse_rate(0)
    for refused in (True, False, Decimal("NaN"), Decimal("sNaN"), "abc", "101%", -1):
        with pytest.raises(ValueError):
            parse_rate(refused)
    saved = dict(parsing._RATE_OF)
    try:
        parsing._RATE_OF.clear()
        parsing._RATE_OF.update({f"k{i}": Fraction(i % 100) for i in
                                 range(parsing._RATE_CACHE_MAX)})
        assert parse_rate("42.5%") == Fraction(85, 2) and "42.5%" not in parsing._RATE_OF
        with pytest.raises(ValueError):
            parse_rate("200")
    finally:
        parsing._RATE_OF.clear()
        parsing._RATE_OF.update(saved)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.decimals(min_value=-5, max_value=105, places=2, allow_nan=False),
                 st.integers(-5, 105)),
       st.sampled_from(["{}", "{}%", " {} ", "{}％"]))
def test_a_rate_read_twice_gives_the_same_answer(value: Decimal | int, form: str) -> None:
    """Reading a value a second time (from the cache) gives what the first reading gave:
    the same rate, or the same refusal."""
    for written in (form.format(value), value):
        answers = []
        for _ in range(2):
            try:
                answers.append(parse_rate(written))
            except ValueError as error:
                answers.append(str(error))
        assert answers[0] == answers[1]
