"""Excel workbooks of datasets (.xlsx, via openpyxl): the fill-in template, reading and writing.

* `write_template_xlsx` — an empty workbook in the `qstrong.io.tabular.LAYOUT` layout with a
  说明 sheet, frozen Chinese headers, dropdowns for 是/否 and enums, numeric ranges for
  rates, amounts, counts and ranks, and an input prompt on every column.
* `write_dataset_xlsx` — the same workbook filled with a dataset; every value is written
  so that reading it back gives exactly the same value (numbers that a binary float
  cannot hold exactly, such as ``12.70`` or a rate of ``1/3``, are written as text).
* `read_workbook` / `load_workbook_dataset` — read a workbook staff filled in. Floats are
  made exact from their shortest representation rounded to Excel's 15 significant digits;
  a number formatted as a percentage (Excel stores ``93.5%`` as 0.935) is read as
  ``"93.5%"``; dates become ``datetime.date``.

The results workbook of an evaluation is a report: `qstrong.report.workbook`.
"""

from __future__ import annotations

import datetime as _dt
import stat
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from qstrong.core import codes
from qstrong.core.errors import DataError, DataErrors, Diagnostic
from qstrong.core.locations import Cell
from qstrong.core.messages import msg
from qstrong.core.source import display_width
from qstrong.io.tabular import (
    IGNORED_SHEETS,
    LAYOUT,
    Column,
    RawSheet,
    Table,
    column_letter,
    dataset_to_tables,
    describe_column,
    load_tables,
    tables_to_mapping,
)
from qstrong.io.workbook_style import HEADER_FILL, HEADER_FONT, WRAP, put

if TYPE_CHECKING:
    from qstrong.data.models import Dataset

__all__ = [
    "EXCEL_DIGITS",
    "default_years",
    "load_workbook_dataset",
    "read_workbook",
    "read_workbook_sheets",
    "write_dataset_xlsx",
    "write_template_xlsx",
]

EXCEL_DIGITS = 15
"""Significant digits Excel keeps; a float read from a cell is rounded to this many."""

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Largest total of a workbook's unpacked parts (its XML), checked before parsing."""
"""Larger files are refused before openpyxl reads them."""

TEMPLATE_ROWS = 1000
"""Rows below the header that get dropdowns and range checks in a template."""

OPTIONS_SHEET = "选项"
README_SHEET = "说明"

_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


# ---------------------------------------------------------------------------- cell values


def _excel_number(value: Decimal) -> int | float | str:
    """The cell for an exact number: an int or float when reading it back is exact, else text.

    A float is used only for a value without trailing zeros and with at most 15
    significant digits, whose shortest float representation is then the same decimal.
    """
    if not value.is_finite():  # pragma: no cover - validation refuses NaN and infinity
        return str(value)
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    significant = len(digits)
    if exponent >= 0:
        if significant + exponent <= EXCEL_DIGITS:
            return int(value)
        return format(value, "f")
    if significant <= EXCEL_DIGITS and digits[-1] != 0:
        return float(value)
    return format(value, "f")


def _cell_out(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _excel_number(value)
    return value


def _decimal_of(value: float) -> Decimal:
    """A float from a cell as the decimal staff typed (shortest repr, 15 digits at most)."""
    exact = Decimal(repr(value))
    if len(exact.as_tuple().digits) > EXCEL_DIGITS:
        exact = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    return exact


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _cell_in(value: Any, number_format: str) -> Any:
    """A cell value as `qstrong.io.tabular` wants it (see `RawSheet`)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        number = _decimal_of(value)
        if "%" in number_format:
            return f"{_plain(number * 100)}%"
        if number == number.to_integral_value() and number.as_tuple().exponent == 0:
            return int(number)
        return number
    if isinstance(value, int):
        if "%" in number_format:
            return f"{value * 100}%"
        return value
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        return value
    return str(value)


# ---------------------------------------------------------------------------- reading


_BROKEN = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
           TypeError, ElementTree.ParseError, zlib.error, EOFError)
"""What openpyxl raises on a file that is not a workbook or is damaged."""


def read_workbook_sheets(path: str | Path) -> list[RawSheet]:
    """Every sheet of an .xlsx file as decoded cells (see `RawSheet`).

    Raises:
        DataError: the file cannot be read or is not an .xlsx workbook.
    """
    file = Path(path)
    try:
        info = file.stat()
    except OSError as exc:
        raise DataError(msg("file.unreadable", why=exc.strerror or exc.__class__.__name__),
                        file=str(file)) from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(msg("file.not_regular"), file=str(file))
    if info.st_size > MAX_WORKBOOK_BYTES:
        raise DataError(msg("file.too_large", most=f"{MAX_WORKBOOK_BYTES // 2**20} MiB"),
                        file=str(file))
    _check_unpacked_size(file)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except _BROKEN as exc:
        raise DataError(msg("workbook.unreadable", why=exc.__class__.__name__),
                        file=str(file)) from None
    try:
        sheets = _read_sheets(book)
    except _BROKEN as exc:  # a damaged sheet inside a readable file
        raise DataError(msg("workbook.damaged", why=f"{exc.__class__.__name__}: {exc}"),
                        file=str(file)) from None
    finally:
        book.close()
    hidden = _cells_without_values(file, sheets)
    if hidden:
        raise DataErrors(hidden)
    return sheets


def _cells_without_values(file: Path, sheets: Sequence[RawSheet]) -> list[Diagnostic]:
    """Cells that look empty when read for their values but are not: a formula saved without
    its result (Excel keeps one; other programs may not), and the covered cells of a merged
    range (only the first holds the value). Read as blanks they would become missing data
    without a word; they are errors naming the cell instead."""
    try:
        book = load_workbook(file, read_only=False, data_only=False)
    except _BROKEN:  # pragma: no cover - the same file was just read
        return []
    values = {sheet.name: sheet.rows for sheet in sheets}
    found: list[Diagnostic] = []
    try:
        for ws in book.worksheets:
            if ws.title in IGNORED_SHEETS:
                continue
            rows = values.get(ws.title, [])

            def empty(r: int, c: int, rows: list[list[Any]] = rows) -> bool:
                return r > len(rows) or c > len(rows[r - 1]) or rows[r - 1][c - 1] is None

            for merged in ws.merged_cells.ranges:
                for r in range(merged.min_row, merged.max_row + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        if (r, c) != (merged.min_row, merged.min_col) and r > 1:
                            found.append(Diagnostic(
                                codes.SHEET_LAYOUT, msg("workbook.merged", range=merged.coord),
                                hint=msg("workbook.merged_hint"), cell=Cell(ws.title, r, c)))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" and empty(cell.row, cell.column):
                        found.append(Diagnostic(
                            codes.DATA_VALUE, msg("workbook.formula"),
                            hint=msg("workbook.formula_hint"),
                            cell=Cell(ws.title, cell.row, cell.column)))
    finally:
        book.close()
    return found


def _check_unpacked_size(file: Path) -> None:
    """Refuse a workbook whose parts unpack to more than `MAX_UNPACKED_BYTES`, before any is
    unpacked: an .xlsx is a zip, and a small zip can hold gigabytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            count = len(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says so in its own words below
    if unpacked > MAX_UNPACKED_BYTES or count > 10_000:
        raise DataError(msg("workbook.zip_bomb", size=unpacked // 2**20, parts=count,
                            most=MAX_UNPACKED_BYTES // 2**20), file=str(file))


def _read_sheets(book: Any) -> list[RawSheet]:
    sheets: list[RawSheet] = []
    for ws in book.worksheets:
        rows: list[list[Any]] = []
        for row in ws.iter_rows():
            cells = [_cell_in(getattr(c, "value", None),
                              str(getattr(c, "number_format", None) or "General"))
                     for c in row]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        sheets.append(RawSheet(ws.title, rows))
    return sheets


def read_workbook(path: str | Path) -> dict[str, Any]:
    """The dataset mapping of a workbook (field values are not validated yet).

    Raises:
        DataError: the file is not a readable workbook.
        DataErrors: layout or cell problems, each naming its cell (``强企!H12``).
    """
    return tables_to_mapping(read_workbook_sheets(path))


def load_workbook_dataset(path: str | Path) -> Dataset:
    """Read and validate a workbook; every problem names its sheet, cell, header and candidate.

    Raises:
        DataError: the file is not a readable workbook.
        DataErrors: every layout, cell and field problem at once.
    """
    return load_tables(read_workbook_sheets(path))


# ---------------------------------------------------------------------------- writing data


def _width(text: str, lo: int = 8, hi: int = 40) -> float:
    return float(max(lo, min(hi, display_width(text) + 2)))


def _prompt(col: Column) -> tuple[str, str]:
    title = col.title_zh if len(col.title_zh) <= 32 else col.title_zh[:31] + "…"
    text = describe_column(col)
    if col.required:
        text = (f"填写“{col.group}”时必填。" if col.group else "必填。") + text
    if col.kind in ("rate", "amount", "count", "rank", "year", "date", "bool", "enum"):
        text += "。空白表示缺数（该项判为“无法判定”）"
    return title, text[:255]


def _validation(col: Column, options: dict[tuple[str, ...], str]) -> DataValidation:
    """The data validation of one column (dropdown, range, or just the input prompt)."""
    kind = col.kind
    args: dict[str, Any] = {"allow_blank": True, "showInputMessage": True,
                            "showErrorMessage": True}
    if kind == "bool":
        args.update(type="list", formula1='"是,否"', error="请选择“是”或“否”。")
    elif kind == "owner_kind":
        args.update(type="list", formula1='"' + ",".join(c for c, _ in col.labels) + '"',
                    error="请从下拉列表中选择。")
    elif kind == "enum":
        args.update(type="list", formula1=options[tuple(label for _, label in col.labels)],
                    error="请从下拉列表中选择。")
    elif kind == "rate":
        args.update(type="decimal", operator="between", formula1="0", formula2="100",
                    errorStyle="warning",
                    error="百分率应在 0–100 之间（93.5 表示 93.5%）。"
                          "要填 合格数/总数（如 187/200），请先把单元格设为文本格式，"
                          "或按“是”保留输入。")
    elif kind == "amount":
        args.update(type="decimal", operator="greaterThanOrEqual", formula1="0",
                    error="应为不小于 0 的数值。")
    elif kind == "count":
        args.update(type="whole", operator="greaterThanOrEqual", formula1="0",
                    error="应为不小于 0 的整数。")
    elif kind == "year":
        args.update(type="whole", operator="between", formula1="1900", formula2="2100",
                    error="年份应为 1900–2100 之间的四位数，如 2012。")
    elif kind == "rank":
        args.update(type="whole", operator="greaterThanOrEqual", formula1="1",
                    error="名次应为从 1 起的整数。")
    elif kind == "list":
        args.update(type="whole", operator="greaterThanOrEqual", formula1="0",
                    errorStyle="warning", error="应为条数（不小于 0 的整数）；没有可填 0 或“无”。")
    elif kind == "date":
        args.update(type="date", operator="between", formula1="DATE(1900,1,1)",
                    formula2="DATE(2100,12,31)", errorStyle="warning",
                    error="应为日期，如 2014-06-30。")
    title, prompt = _prompt(col)
    args.update(promptTitle=title, prompt=prompt, errorTitle=title)
    return DataValidation(**args)


def _write_options(wb: Any) -> dict[tuple[str, ...], str]:
    """The hidden 选项 sheet with one column per enum list; returns list → range formula."""
    ws = wb.create_sheet(OPTIONS_SHEET)
    ws.sheet_state = "hidden"
    formulas: dict[tuple[str, ...], str] = {}
    for spec in LAYOUT:
        for col in spec.columns:
            if col.kind != "enum":
                continue
            labels = tuple(label for _, label in col.labels)
            if labels in formulas:
                continue
            index = len(formulas) + 1
            letter = column_letter(index)
            put(ws, 1, index, f"{spec.name}·{col.title_zh}")
            for row, label in enumerate(labels, start=2):
                put(ws, row, index, label)
            formulas[labels] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
    return formulas


_GENERAL_NOTES = (
    "本工作簿是 qstrong 的数据填报格式：每张工作表对应数据集的一部分，每个候选对象一行。",
    "列标题 = 中文名称 + 括号中的字段名；读取时以括号中的字段名识别列，请勿修改括号中的内容。",
    "空白单元格表示“缺数”：相关条款判为“无法判定”，不会判为达标或未达标。",
    "是/否 列填“是”或“否”（也接受 TRUE/FALSE）；百分率填 93.5、93.5% 或 合格数/总数 如 187/200。",
    "“·条数”列填该候选对象在对应清单表（强区标准、强业标准、品牌、事件）中的行数；"
    "填 0 或“无”表示没有，空白表示未知。",
    "按年份填写的指标每年一列，如“…·2014年 (production_spot_check_pass_rate.2014)”；"
    "要增加年份，复制一列并改动括号中的年份。",
    "可以增加列标题以“备注”开头的列、名称以“备注”开头的工作表，读取时忽略。",
    "出错时 qstrong 会指出工作表和单元格，如 强企!H12，以及列标题和候选对象编号。",
)


_README_WIDTHS = (12, 44, 44, 6, 44)


def _lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column of ``width`` characters."""
    return max(1, -(-display_width(text) // max(1, int(width) - 2)))


def _write_readme(ws: Any, tables: Sequence[Table]) -> None:
    total = sum(_README_WIDTHS)
    put(ws, 1, 1, "质量强县示范创建评审数据填报说明").font = Font(bold=True,
                                                                          size=14)
    row = 2
    for note in _GENERAL_NOTES:
        put(ws, row, 1, note).alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 15 * _lines(note, total)
        row += 1
    row += 1
    headers = ("工作表", "列标题", "填写内容", "必填", "说明 (English)")
    for index, text in enumerate(headers, start=1):
        cell = put(ws, row, index, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    row += 1
    for table in tables:
        spec = table.spec
        put(ws, row, 1, spec.name).font = HEADER_FONT
        put(ws, row, 2, spec.description_zh).alignment = WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        row += 1
        for col in spec.columns:
            header = (f"{col.title_zh}·YYYY年 ({col.key}.YYYY)" if col.years else col.header())
            required = (f"填写“{col.group}”时必填" if col.group else "是") if col.required else ""
            values = (spec.name, header, describe_column(col), required, col.description)
            for index, text in enumerate(values, start=1):
                put(ws, row, index, text).alignment = WRAP
            ws.row_dimensions[row].height = 15 * max(
                _lines(text, width) for text, width in zip(values, _README_WIDTHS, strict=True))
            row += 1
    for letter, width in zip("ABCDE", _README_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width


def _write_table(ws: Any, table: Table, options: dict[tuple[str, ...], str],
                 rows: int) -> None:
    spec = table.spec
    last = 2 if spec.role == "record" else max(rows + 1, len(table.rows) + 1)
    for index, ((col, _), header) in enumerate(zip(table.columns, table.headers, strict=True),
                                               start=1):
        cell = put(ws, 1, index, header)
        cell.font = HEADER_FONT
        cell.fill = _REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = column_letter(index)
        dim = ws.column_dimensions[letter]
        dim.width = _width(col.title_zh, 10, 24)
        if col.kind in ("text", "owner_id"):
            dim.number_format = "@"
        elif col.kind == "date":
            dim.number_format = "yyyy-mm-dd"
        validation = _validation(col, options)
        ws.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")
    ws.row_dimensions[1].height = 60
    for r, values in enumerate(table.rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = put(ws, r, c, _cell_out(value))
            if isinstance(value, _dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.number_format = "@"
    frozen = 3 if spec.role == "entities" else (3 if spec.role == "children" and len(
        spec.owners) > 1 else 2 if spec.role == "children" else 1)
    ws.freeze_panes = f"{column_letter(frozen)}2"


def _write_tables(tables: Sequence[Table], path: str | Path, rows: int) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    _write_readme(wb.create_sheet(README_SHEET), tables)
    sheets = [wb.create_sheet(t.name) for t in tables]
    options = _write_options(wb)
    for ws, table in zip(sheets, tables, strict=True):
        _write_table(ws, table, options, rows)
    wb.active = 1
    wb.save(Path(path))


def default_years(today: _dt.date | None = None) -> list[int]:
    """The template's per-year columns by default: the years the rules read for an
    assessment dated ``today`` (its year and the one before: ``within 2 years``)."""
    year = (today or _dt.date.today()).year
    return [year - 1, year]


def write_template_xlsx(path: str | Path, years: Iterable[int] | None = None,
                        rows: int = TEMPLATE_ROWS) -> None:
    """Write the empty fill-in workbook.

    Args:
        path: the .xlsx file to write.
        years: the years that get a column in each per-year indicator (default: the two
            calendar years before this one).
        rows: how many rows below the header get dropdowns and range checks.
    """
    chosen = list(years) if years is not None else default_years()
    _write_tables(dataset_to_tables(None, chosen), path, rows)


def write_dataset_xlsx(dataset: Dataset, path: str | Path, rows: int = TEMPLATE_ROWS) -> None:
    """Write a dataset as a workbook in the template layout (validation included).

    Reading the file back with `load_workbook_dataset` gives an equal dataset.
    """
    _write_tables(dataset_to_tables(dataset), path, rows)
