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
from qstrong.core.vocab import ID_CUTOFF, closest
from qstrong.data.parsing import MAX_DIGITS, MAX_TEXT_CHARS, serialize_rate
from qstrong.io.layout import HINTS, OWNER_ALIASES, TYPE_ZH, Column, norm

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
    candidate: str | None = None

    def ref(self) -> str:
        """``强企!H12``."""
        return f"{self.sheet}!{column_letter(self.col)}{self.row}"

    def cell(self) -> Cell:
        """The cell as a location."""
        return Cell(self.sheet, self.row, self.col)

    def context(self) -> str:
        """``“header”，强企 E07：`` — what a message about this cell starts with."""
        text = f"“{self.header}”" if self.header else ""
        if self.candidate:
            text += f"{'，' if text else ''}{self.candidate}"
        return f"{text}：" if text else ""


# ---------------------------------------------------------------------------- reading


class CellError(Exception):
    """A cell that cannot be read; ``message`` and ``hint`` are for the staff, in Chinese."""

    def __init__(self, message: str, hint: str | None = None) -> None:
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
    raise ValueError(f"应填“是”或“否”，不是 {shown}")


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
    return CellError(
        f"单元格是日期 {value.isoformat()}，不是数值：Excel 可能把“187/200”一类的输入当成了日期",
        "先把单元格设为“文本”格式再输入 合格数/总数，或直接填百分率如 93.5",
    )


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
        raise CellError(f"应填文字，不是 {_show(value)}")
    if kind == "bool":
        try:
            return parse_bool(value)
        except ValueError as exc:
            raise CellError(str(exc), HINTS["bool"]) from None
    if kind == "enum":
        return _parse_enum(value, labels or col.labels)
    if kind == "enum_list":
        if not isinstance(value, str):
            raise CellError(f"应填文字，不是 {_show(value)}")
        if norm(value) == "无":
            return []
        parts = [p for p in re.split(r"[、,，;；]", norm(value)) if p.strip()]
        return [_parse_enum(p.strip(), labels or col.labels) for p in parts]
    if kind == "owner_kind":
        text = norm(value).lower() if isinstance(value, str) else ""
        if text in OWNER_ALIASES and OWNER_ALIASES[text] in {c for c, _ in col.labels}:
            return OWNER_ALIASES[text]
        allowed = "、".join(c for c, _ in col.labels)
        raise CellError(f"应填 {allowed} 之一，不是 {_show(value)}")
    if isinstance(value, bool):
        raise CellError(f"应填{TYPE_ZH[kind]}，不是 {_show(value)}", HINTS.get(kind))
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
            raise CellError(f"应填数值或文字，不是日期 {_show(value)}")
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
        raise CellError(
            f"{shown} 看起来是写成小数的比率：本列的值通常在 1 以上，{shown} 会被读作 {shown}%",
            f"写 {percent} 或 {percent}%；若确实是 {shown}%，请写成 {shown}%")


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
        raise CellError(f"“{text}”不是数值", "留空表示缺数据 / leave the cell empty for "
                        "missing data" + ("；“无”只用于条数列" if text == "无" else ""))
    if "," in text or "，" in text:
        if _GROUPED.fullmatch(text):
            return text.replace(",", "").replace("，", "")
        raise CellError(f"“{text}”的千位分隔符位置不对",
                        "写成 2860000 或 2,860,000（每三位一个逗号）")
    return text


def _percent_of_fraction(value: object) -> Decimal:
    number: object = norm(value) if isinstance(value, str) else value
    if isinstance(number, str) and len(number) <= MAX_TEXT_CHARS and _DEC_RE.fullmatch(number):
        number = Decimal(number)
    if isinstance(number, bool) or not isinstance(number, int | Decimal) or _too_large(number):
        raise CellError(f"应填以小数表示的比率（如 0.025），不是 {_show(value)}",
                        "本列标题标注了 [小数]：0.025 表示 2.5%")
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
        raise CellError(f"应填{TYPE_ZH[col.kind]}，不是日期 {_show(value)}", HINTS[col.kind])
    number: Any = value
    if isinstance(value, str):
        text = norm(value)
        if col.kind == "list" and text == "无":
            return 0
        if len(text) > MAX_TEXT_CHARS:
            raise CellError(f"数字位数太多（不超过 {MAX_DIGITS} 位），不是 {_show(value)}",
                            HINTS[col.kind])
        if _INT_RE.fullmatch(text):
            number = int(text)
        elif _DEC_RE.fullmatch(text):
            number = Decimal(text)
        else:
            number = text
    if isinstance(number, int | Decimal) and not isinstance(number, bool) and (
            _too_large(number)):
        raise CellError(f"数字太大（不超过 {MAX_DIGITS} 位），不是 {_show(value)}",
                        HINTS[col.kind])
    if isinstance(number, Decimal) and number.is_finite() and (
            number == number.to_integral_value()):
        number = int(number)
    if col.kind == "list" and (not isinstance(number, int) or number < 0):
        raise CellError(f"应填条数（不小于 0 的整数或“无”），不是 {_show(value)}",
                        HINTS["list"])
    return number


def _parse_date_cell(value: object) -> Any:
    if isinstance(value, _dt.datetime):
        if value.time() != _dt.time(0, 0):
            raise CellError(f"应填日期，不是带时刻的 {value.isoformat(sep=' ')}", HINTS["date"])
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
                raise CellError(f"{value!r} 不是真实存在的日期", HINTS["date"]) from None
        return text  # the model refuses it with its own message
    return value


def _parse_enum(value: object, labels: Sequence[tuple[str, str]]) -> str:
    text = norm(value) if isinstance(value, str) else None
    if text is not None:
        for code, label in labels:
            if text in (code, norm(label)):
                return code
    shown = "、".join(label for _, label in labels)
    message = f"应从下拉列表中选择（{shown}），不是 {_show(value)}"
    if text is not None:
        names = [norm(label) for _, label in labels] + [code for code, _ in labels]
        close = closest(text, names, ID_CUTOFF)
        if close:
            message += f"；是不是“{close}”？"
    raise CellError(message)


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
        raise DataError(f"criteria parameter value {value!r} does not fit in one cell",
                        loc=("assessment", "criteria_params"))
    return value
