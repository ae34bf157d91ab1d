"""`Truth` (pass / fail / unknown) and Kleene's three-valued tables; nothing domain-specific."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["Status", "Truth", "all_of", "any_of", "from_bool", "not_"]


class Truth(Enum):
    """A three-valued truth: unknown means missing data could still change the answer.

    Examples:
        >>> Truth.PASS & Truth.UNKNOWN
        <Truth.UNKNOWN: 'unknown'>
        >>> Truth.FAIL & Truth.UNKNOWN
        <Truth.FAIL: 'fail'>
        >>> Truth.PASS | Truth.UNKNOWN
        <Truth.PASS: 'pass'>
        >>> ~Truth.UNKNOWN
        <Truth.UNKNOWN: 'unknown'>
    """

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"

    def __and__(self, other: Truth) -> Truth:
        return all_of((self, other))

    def __or__(self, other: Truth) -> Truth:
        return any_of((self, other))

    def __invert__(self) -> Truth:
        return not_(self)


class Status(Enum):
    """A clause's verdict: a `Truth`, or not applicable when its condition is false."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    @classmethod
    def of(cls, truth: Truth) -> Status:
        """The status that reports a truth."""
        # Identity tests: hashing an Enum member runs Python code, this does not.
        if truth is Truth.PASS:
            return Status.PASS
        return Status.FAIL if truth is Truth.FAIL else Status.UNKNOWN

    def as_truth(self) -> Truth:
        """How a parent counts this status: not applicable counts as passing."""
        if self is Status.FAIL:
            return Truth.FAIL
        return Truth.UNKNOWN if self is Status.UNKNOWN else Truth.PASS


def from_bool(value: bool) -> Truth:
    """PASS for True, FAIL for False."""
    return Truth.PASS if value else Truth.FAIL


def all_of(truths: Iterable[Truth]) -> Truth:
    """Kleene and: fail if any fails, else unknown if any is unknown, else pass (empty: pass).

    Examples:
        >>> all_of([Truth.PASS, Truth.UNKNOWN, Truth.FAIL])
        <Truth.FAIL: 'fail'>
    """
    seen_unknown = False
    for t in truths:
        if t is Truth.FAIL:
            return Truth.FAIL
        if t is Truth.UNKNOWN:
            seen_unknown = True
    return Truth.UNKNOWN if seen_unknown else Truth.PASS


def any_of(truths: Iterable[Truth]) -> Truth:
    """Kleene or: pass if any passes, else unknown if any is unknown, else fail (empty: fail).

    Examples:
        >>> any_of([Truth.FAIL, Truth.UNKNOWN])
        <Truth.UNKNOWN: 'unknown'>
    """
    seen_unknown = False
    for t in truths:
        if t is Truth.PASS:
            return Truth.PASS
        if t is Truth.UNKNOWN:
            seen_unknown = True
    return Truth.UNKNOWN if seen_unknown else Truth.FAIL


def not_(truth: Truth) -> Truth:
    """Kleene not: swaps pass and fail, keeps unknown."""
    if truth is Truth.PASS:
        return Truth.FAIL
    if truth is Truth.FAIL:
        return Truth.PASS
    return Truth.UNKNOWN
