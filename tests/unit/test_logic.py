"""Kleene's three-valued truth tables for and, or and not, and how statuses count as truths."""

from __future__ import annotations

import pytest

from qstrong.core.logic import Status, Truth, all_of, any_of, from_bool, not_

P, F, U = Truth.PASS, Truth.FAIL, Truth.UNKNOWN

AND_TABLE = [
    (P, P, P), (P, U, U), (P, F, F),
    (U, P, U), (U, U, U), (U, F, F),
    (F, P, F), (F, U, F), (F, F, F),
]  # fmt: skip

OR_TABLE = [
    (P, P, P), (P, U, P), (P, F, P),
    (U, P, P), (U, U, U), (U, F, U),
    (F, P, P), (F, U, U), (F, F, F),
]  # fmt: skip

NOT_TABLE = [(P, F), (F, P), (U, U)]


@pytest.mark.parametrize(("a", "b", "expected"), AND_TABLE)
def test_and_operator(a: Truth, b: Truth, expected: Truth) -> None:
    assert (a & b) is expected


@pytest.mark.parametrize(("a", "b", "expected"), AND_TABLE)
def test_all_of_pair(a: Truth, b: Truth, expected: Truth) -> None:
    assert all_of([a, b]) is expected


@pytest.mark.parametrize(("a", "b", "expected"), OR_TABLE)
def test_or_operator(a: Truth, b: Truth, expected: Truth) -> None:
    assert (a | b) is expected


@pytest.mark.parametrize(("a", "b", "expected"), OR_TABLE)
def test_any_of_pair(a: Truth, b: Truth, expected: Truth) -> None:
    assert any_of([a, b]) is expected


@pytest.mark.parametrize(("a", "expected"), NOT_TABLE)
def test_not(a: Truth, expected: Truth) -> None:
    assert (~a) is expected
    assert not_(a) is expected


@pytest.mark.parametrize(
    ("truths", "expected"),
    [
        ([], P),
        ([P, P, P], P),
        ([P, U, P], U),
        ([U, P, F], F),
        ([F, U, U], F),
    ],
)
def test_all_of_many(truths: list[Truth], expected: Truth) -> None:
    assert all_of(truths) is expected
    assert all_of(iter(truths)) is expected


@pytest.mark.parametrize(
    ("truths", "expected"),
    [
        ([], F),
        ([F, F, F], F),
        ([F, U, F], U),
        ([U, F, P], P),
        ([P, U, U], P),
    ],
)
def test_any_of_many(truths: list[Truth], expected: Truth) -> None:
    assert any_of(truths) is expected
    assert any_of(iter(truths)) is expected


@pytest.mark.parametrize(("value", "expected"), [(True, P), (False, F)])
def test_from_bool(value: bool, expected: Truth) -> None:
    assert from_bool(value) is expected


@pytest.mark.parametrize(
    ("status", "truth"),
    [
        (Status.PASS, P),
        (Status.FAIL, F),
        (Status.UNKNOWN, U),
        (Status.NOT_APPLICABLE, P),  # a parent counts a clause that does not apply as met
    ],
)
def test_status_as_truth(status: Status, truth: Truth) -> None:
    assert status.as_truth() is truth


@pytest.mark.parametrize(
    ("truth", "status"), [(P, Status.PASS), (F, Status.FAIL), (U, Status.UNKNOWN)]
)
def test_status_of_truth(truth: Truth, status: Status) -> None:
    assert Status.of(truth) is status
