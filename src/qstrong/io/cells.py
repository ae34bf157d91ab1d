"""One spreadsheet cell of the tabular dataset: where it is, and its value both ways.

`CellRef` names a cell (``强企!H12``) and starts every message about it; `parse_cell`
turns an already decoded cell (``None``, ``str``, ``int``, ``Decimal``, ``bool``,
``date``, ``datetime``) of a layout column into what the dataset mapping wants, raising
`CellError` with a Chinese message for what no spreadsheet form allows; `write_cell` is
the inverse, keeping every number exact (a rate whose decimals never end is written as
counts ``p/t``).

`qstrong.io.tabular` re-exports `CellRef`, `column_letter` and `parse_bool`; import from there.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from qstrong.core.errors import DataError
from qstrong.core.locations import Cell, column_letter
from qstrong.core.messages import Message, msg
from qstrong.core.vocab import ID_CUTOFF, closest
from qstrong.data.parsing import MAX_DIGITS, MAX_TEXT_CHARS, serialize_rate
from qstrong.io.layout import OWNER_ALIASES, Column, cell_hint, kind_words, norm

__all__ = [
    "CellError",
    "CellRef",
    "blank",
    "id_text",
    "parse_bool",
    "parse_cell",
    "write_cell",
]

YES, NO = "是", "否"


@dataclass(frozen=True)
class CellRef:
    """Where a value came from: sheet, 1-based row and column, header, candidate id."""

    sheet: str
    row: int
    col: int
    header: str
    candidate: Message | None = None

    def ref(self) -> str:
        """``强企!H12``."""
        return f"{self.sheet}!{column_letter(self.col)}{self.row}"

    def cell(self) -> Cell:
        """The cell as a location."""
        return Cell(self.sheet, self.row, self.col)

    def about(self, message: Message) -> Message:
        """The message, led by the heading and the candidate (``“质量损失率”，强企 E07：…``)."""
        if not self.header and not self.candidate:
            return message
        key = ("cell.about_both" if self.header and self.candidate
               else "cell.about_header" if self.header else "cell.about_candidate")
        return msg(key, header=self.header, candidate=self.candidate or "", message=message)


# ---------------------------------------------------------------------------- reading


class CellError(Exception):
    """A cell that cannot be read; ``message`` and ``hint`` are for the staff (catalogue
    messages, Chinese first)."""

    def __init__(self, message: Message, hint: Message | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def blank(value: object) -> bool:
    """An empty cell: None or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: int | Decimal) -> str:
    return str(value) if isinstance(value, int) else format(value, "f")


def parse_bool(value: object) -> bool:
    """Read a yes/no cell: ``是``/``否``, ``true``/``false`` (any case) or a boolean cell.

    Raises:
        ValueError: anything else (no truthiness guessing: ``1``, ``对``, ``Y`` are refused).

    Examples:
        >>> parse_bool("是"), parse_bool("FALSE")
        (True, False)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = norm(value).lower()
        if text in (YES, "true"):
            return True
        if text in (NO, "false"):
            return False
    shown = repr(value) if isinstance(value, str) else _show(value)
    raise ValueError(msg("cell.not_bool", value=shown))


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal | int):
        return _number_text(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return repr(value)


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_INT_RE = re.compile(r"[+-]?\d+")
_DEC_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _excel_date_trap(value: _dt.date) -> CellError:
    return CellError(msg("cell.date_trap", value=value.isoformat()),
                     msg("cell.date_trap_hint"))


def parse_cell(col: Column, value: object, labels: Sequence[tuple[str, str]] = ()) -> Any:
    """A cell's value as the dataset mapping wants it (None = missing), or `CellError`.

    The model validates the result; here only spreadsheet forms are translated.
    """
    if blank(value):
        return None
    kind = col.kind
    if kind in ("text", "owner_id"):
        if isinstance(value, str):
            # ids are matched across sheets: "D1 " typed with a trailing space is D1
            return value.strip() if kind == "owner_id" or col.key == "id" else value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return _number_text(value)
        raise CellError(msg("cell.expected", kind=kind_words("text"), value=_show(value)))
    if kind == "bool":
        try:
            return parse_bool(value)
        except ValueError as exc:
            raise CellError(exc.args[0], cell_hint("bool")) from None
    if kind == "enum":
        return _parse_enum(value, labels or col.labels)
    if kind == "enum_list":
        if not isinstance(value, str):
            raise CellError(msg("cell.expected", kind=kind_words("text"), value=_show(value)))
        if norm(value) == "无":
            return []
        parts = [p for p in re.split(r"[、,，;；]", norm(value)) if p.strip()]
        return [_parse_enum(p.strip(), labels or col.labels) for p in parts]
    if kind == "owner_kind":
        text = norm(value).lower() if isinstance(value, str) else ""
        if text in OWNER_ALIASES and OWNER_ALIASES[text] in {c for c, _ in col.labels}:
            return OWNER_ALIASES[text]
        allowed = "、".join(c for c, _ in col.labels)
        raise CellError(msg("cell.one_of", allowed=allowed, value=_show(value)))
    if isinstance(value, bool):
        raise CellError(msg("cell.expected", kind=kind_words(kind), value=_show(value)),
                        cell_hint(kind))
    if kind == "rate_fraction":  # declared by the heading: 0.025 means 2.5 %
        return _percent_of_fraction(value)
    if isinstance(value, str) and kind in _NUMBER_KINDS:
        value = _number_cell_text(norm(value), kind)
    if kind in ("rate", "amount"):
        if isinstance(value, _dt.date):
            raise _excel_date_trap(value)
        shown = norm(value) if isinstance(value, str) else value
        if kind == "rate":
            _refuse_fraction_of_one(col, shown)
        return shown
    if kind in ("count", "rank", "year", "list"):
        return _parse_whole(col, value)
    if kind == "date":
        return _parse_date_cell(value)
    if kind == "any":
        if isinstance(value, str):
            text = norm(value)
            if _INT_RE.fullmatch(text):
                return int(text)
            if _DEC_RE.fullmatch(text):
                return Decimal(text)
            return value
        if isinstance(value, _dt.datetime):
            raise CellError(msg("cell.expected_not_date", kind=kind_words("any"),
                                value=_show(value)))
        return value
    raise AssertionError(kind)  # pragma: no cover


_SMALL_RATES = ("quality_loss_rate",)
"""Rates whose ordinary values lie below 1 % (质量损失率 1%~3%): a bare 0.9 there means 0.9 %."""


def _refuse_fraction_of_one(col: Column, value: object) -> None:
    """A pass or coverage rate typed as a fraction of one (0.935 for 93.5 %) in a General
    cell would read as 0.935 %: refused with the cell, never guessed either way."""
    if any(part in _SMALL_RATES for part in col.path):
        return
    numeric = isinstance(value, int | Decimal) and not isinstance(value, bool)
    if not numeric and not (isinstance(value, str) and len(value) <= MAX_TEXT_CHARS
                            and _DEC_RE.fullmatch(value)):
        return
    number = Decimal(value)  # type: ignore[arg-type]
    if 0 < number <= 1:
        shown, percent = _plain(number), _plain(number * 100)
        raise CellError(msg("cell.fraction_of_one", value=shown),
                        msg("cell.fraction_of_one_hint", value=shown, percent=percent))


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


_NUMBER_KINDS = frozenset({"rate", "amount", "count", "rank", "year"})
_NO_DATA_WORDS = frozenset({"/", "／", "无", "—", "–", "-", "－", "--", "N/A", "n/a", "NA",
                            "不详", "未知", "空"})
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,，])\d{3})(?:\1\d{3})*(?:\.\d+)?\s*[%％]?")


def _number_cell_text(text: str, kind: str) -> str:
    """A number typed the way Excel shows it: ``2,860,000`` (a ``#,##0`` cell) or
    ``2，860，000`` loses its separators when the grouping is valid; a wrong grouping, and
    words that mean "no data" (``/``, ``无``, ``—``), are errors with a hint."""
    if text in _NO_DATA_WORDS:
        raise CellError(msg("cell.no_data_word", text=text),
                        msg("cell.leave_blank_none" if text == "无" else "cell.leave_blank"))
    if "," in text or "，" in text:
        if _GROUPED.fullmatch(text):
            return text.replace(",", "").replace("，", "")
        raise CellError(msg("cell.grouping", text=text), msg("cell.grouping_hint"))
    return text


def _percent_of_fraction(value: object) -> Decimal:
    number: object = norm(value) if isinstance(value, str) else value
    if isinstance(number, str) and len(number) <= MAX_TEXT_CHARS and _DEC_RE.fullmatch(number):
        number = Decimal(number)
    if isinstance(number, bool) or not isinstance(number, int | Decimal) or _too_large(number):
        raise CellError(msg("cell.expected", kind=kind_words("rate_fraction"), value=_show(value)),
                        msg("cell.fraction_hint"))
    return Decimal(number) * 100


def _too_large(number: int | Decimal) -> bool:
    """Beyond `MAX_DIGITS` digits or exponent, judged from the digits alone: arithmetic on
    ``Decimal('1e999999999')`` itself overflows or takes forever."""
    if isinstance(number, int):
        return bool(abs(number) >= 10**MAX_DIGITS)
    if not number.is_finite():
        return True
    digits, exponent = number.as_tuple().digits, int(number.as_tuple().exponent)
    return len(digits) + exponent > MAX_DIGITS or abs(exponent) > MAX_DIGITS


def _parse_whole(col: Column, value: object) -> Any:
    if isinstance(value, _dt.date):
        raise CellError(msg("cell.expected_not_date", kind=kind_words(col.kind),
                            value=_show(value)), cell_hint(col.kind))
    number: Any = value
    if isinstance(value, str):
        text = norm(value)
        if col.kind == "list" and text == "无":
            return 0
        if len(text) > MAX_TEXT_CHARS:
            raise CellError(msg("cell.too_many_digits", most=MAX_DIGITS, value=_show(value)),
                            cell_hint(col.kind))
        if _INT_RE.fullmatch(text):
            number = int(text)
        elif _DEC_RE.fullmatch(text):
            number = Decimal(text)
        else:
            number = text
    if isinstance(number, int | Decimal) and not isinstance(number, bool) and (
            _too_large(number)):
        raise CellError(msg("cell.too_large", most=MAX_DIGITS, value=_show(value)),
                        cell_hint(col.kind))
    if isinstance(number, Decimal) and number.is_finite() and (
            number == number.to_integral_value()):
        number = int(number)
    if col.kind == "list" and (not isinstance(number, int) or number < 0):
        raise CellError(msg("cell.expected_list", value=_show(value)), cell_hint("list"))
    return number


def _parse_date_cell(value: object) -> Any:
    if isinstance(value, _dt.datetime):
        if value.time() != _dt.time(0, 0):
            raise CellError(msg("cell.date_with_time", value=value.isoformat(sep=" ")),
                            cell_hint("date"))
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        text = norm(value)
        match = _DATE_RE.fullmatch(text)
        if match:
            try:
                return _dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise CellError(msg("date.not_real", value=repr(value)),
                                cell_hint("date")) from None
        return text  # the model refuses it with its own message
    return value


def _parse_enum(value: object, labels: Sequence[tuple[str, str]]) -> str:
    text = norm(value) if isinstance(value, str) else None
    if text is not None:
        for code, label in labels:
            if text in (code, norm(label)):
                return code
    shown = "、".join(label for _, label in labels)
    close = None
    if text is not None:
        names = [norm(label) for _, label in labels] + [code for code, _ in labels]
        close = closest(text, names, ID_CUTOFF)
    if close:
        raise CellError(msg("cell.choose_close", labels=shown, value=_show(value), close=close))
    raise CellError(msg("cell.choose", labels=shown, value=_show(value)))


def id_text(value: object) -> str | None:
    """The id in a cell (a number cell gives its digits), or None when it is empty."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return _number_text(value)
    return None


# ---------------------------------------------------------------------------- writing


def _rate_cell(rate: Fraction) -> Decimal | str:
    text = serialize_rate(rate)
    return text if "/" in text else Decimal(text)


def write_cell(col: Column, value: Any) -> Any:
    """The cell of a model value (see `qstrong.io.tabular.Table` for the cell types)."""
    if value is None:
        return None
    kind = col.kind
    if kind == "bool":
        return YES if value else NO
    if kind == "rate":
        cell = _rate_cell(value)
        if isinstance(cell, Decimal) and 0 < cell <= 1 and not any(
                part in _SMALL_RATES for part in col.path):
            return f"{_plain(cell)}%"  # a bare 0.3 here is refused when read (see above)
        return cell
    if kind == "enum":
        return dict(col.labels).get(value, value)
    if kind == "enum_list":
        return "、".join(dict(col.labels).get(v, v) for v in value) if value else "无"
    if kind == "list":
        return len(value)
    if kind == "any":
        if isinstance(value, bool | str | int | Decimal):
            return value
        if isinstance(value, float):
            return Decimal(repr(value))
        raise DataError(msg("cell.param_not_one_cell", value=repr(value)),
                        loc=("assessment", "criteria_params"))
    return value
