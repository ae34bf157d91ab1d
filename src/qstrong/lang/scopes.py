"""The names a rule may use while it is checked: frames of record fields, dataset-wide roots, and
the (year, value) record of one entry of a year-indexed value."""

from __future__ import annotations

from dataclasses import dataclass

from qstrong.lang.rule_types import FieldSpec, Record, Ty

__all__ = ["ERROR", "Frame", "Scope", "year_record"]

ERROR = Ty("error")
"""The type of an expression that failed to check (its problem is reported already)."""


@dataclass(frozen=True)
class Frame:
    """One level of names: the entity, or the members of an aggregate."""

    record: Record
    collection: str = ""


@dataclass(frozen=True)
class Scope:
    """The names a rule may use: frames (innermost last) and the dataset-wide roots."""

    frames: tuple[Frame, ...]
    roots: dict[str, FieldSpec]

    def push(self, frame: Frame) -> Scope:
        return Scope((*self.frames, frame), self.roots)


def year_record(value_ty: Ty) -> Record:
    """The fields (year, value) of one entry of a year-indexed value."""
    fields = {
        "year": FieldSpec("year", Ty("year"), "年份", "year", lambda o, c: o.year),
        "value": FieldSpec("value", value_ty, "数值", "value", lambda o, c: o.value),
    }
    return Record("year entry", fields)
