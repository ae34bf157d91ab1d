"""Where a problem is, as data: a location in a dataset document (a tuple of keys and indices)
and a spreadsheet cell. Text is made from them last, by `loc_text` and `Cell.ref`; nobody
parses a location back out of a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from qstrong.core.vocab import COLLECTIONS

__all__ = ["Cell", "Key", "Loc", "column_letter", "loc_text"]


class Key(str):
    """A mapping key inside a location (shown ``['纺织']``), as opposed to a field name (``.x``).

    It is a `str`, so a location holding it equals and hashes like one holding the plain key.
    """

    __slots__ = ()


Loc = tuple[str | int, ...]
"""Field names, `Key`s and list indices from the document root: ``("districts", 0, "id")``."""

_LISTS = frozenset(COLLECTIONS.values())


def loc_text(loc: Loc, entity: str | None = None) -> str:
    """The location as readers and integrators know it, naming the candidate when known.

    Examples:
        >>> loc_text(("districts", 0, "food_spot_check_pass_rate", "processing"), "D1")
        'districts[0] (D1).food_spot_check_pass_rate.processing'
        >>> loc_text(("province_benchmarks", "spot_check_pass_rate", 2014))
        'province_benchmarks.spot_check_pass_rate[2014]'
        >>> loc_text(("province_benchmarks", "unit_energy", Key("纺织")))
        "province_benchmarks.unit_energy['纺织']"
    """
    out = ""
    for index, step in enumerate(loc):
        if isinstance(step, int) or (isinstance(step, Key) and step.isdigit()):
            out += f"[{step}]"
            if index == 1 and entity and loc[0] in _LISTS:
                out += f" ({entity})"
        elif isinstance(step, Key):
            out += f"[{str(step)!r}]"
        else:
            out += f".{step}" if out else step
    return out


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 1-based column index.

    Examples:
        >>> column_letter(1), column_letter(26), column_letter(28)
        ('A', 'Z', 'AB')
    """
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Cell:
    """A spreadsheet cell: sheet name and 1-based row and column.

    Examples:
        >>> Cell("强企", 12, 8).ref()
        '强企!H12'
    """

    sheet: str
    row: int
    col: int

    def ref(self) -> str:
        """``强企!H12``."""
        return f"{self.sheet}!{column_letter(self.col)}{self.row}"
