"""Runtime values that are not plain data: `Missing` data and partly-known `Bounds`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Bounds", "Missing"]


@dataclass(frozen=True, slots=True)
class Missing:
    """A value that cannot be known: ``paths`` name the missing fields that would settle it,
    ``note`` says why when no data is missing (a ratio whose divisor is 0), and ``labels``
    (when the maker knows them) name each path for readers, (Chinese, English)."""

    paths: tuple[str, ...]
    note: str = ""
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Bounds:
    """A number known only to lie in ``[lo, hi]`` (``hi`` None: no upper bound).

    Shares and counts over members with unknown values are bounds: counting every
    unknown as no gives ``lo``, as yes gives ``hi``.
    """

    lo: Fraction
    hi: Fraction | None
    missing: tuple[str, ...]
