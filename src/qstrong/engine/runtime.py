"""Runtime values that are not plain data: `Missing` data and partly-known `Bounds`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Bounds", "Missing", "UncertainMembers"]


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


@dataclass(frozen=True, slots=True)
class UncertainMembers:
    """A collection some of whose items may or may not belong to it: an industry's above-size
    members when some enterprises' size is not known.

    ``sure`` belong; each of ``maybe`` belongs or not, as ``paths`` (the fields that would
    settle it, named by ``labels``) will tell. Shares and counts over it are bounds over
    every possible population, so an answer that is the same either way stays certain.
    """

    sure: tuple[object, ...]
    maybe: tuple[object, ...]
    paths: tuple[str, ...]
    labels: tuple[tuple[str, str], ...] = ()
