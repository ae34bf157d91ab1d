"""A dataset as a folder of CSV files, one per sheet of the layout (``强企.csv`` …).

Reading: every ``*.csv`` file in the folder is one sheet, named after the file. The
encoding is detected per file: UTF-8 with or without a byte order mark; otherwise GBK
(GB 18030), which is what Excel on Chinese Windows writes for "CSV (逗号分隔)", is
decoded and named in every layout message about the file, so that a wrong guess is
visible; UTF-16 and bytes that are neither are refused with a message saying how to
save the file. All cells are text; `qstrong.io.tabular` reads them by column type.

Writing: UTF-8 with a byte order mark (Excel then shows Chinese correctly), comma
separated, every value in its exact text form.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qstrong.core import codes
from qstrong.core.errors import DataError
from qstrong.core.messages import Message, msg
from qstrong.io.tabular import (
    RawSheet,
    dataset_to_tables,
    load_tables,
    tables_to_mapping,
)

if TYPE_CHECKING:
    from qstrong.data.models import Dataset

__all__ = [
    "ENCODING_CODE",
    "decode_csv_bytes",
    "load_csv_dataset",
    "read_csv_folder",
    "read_csv_sheets",
    "write_dataset_csv",
]

ENCODING_CODE = codes.SHEET_ENCODING
"""Diagnostic code of a CSV file that is not UTF-8 or GBK text."""

MAX_CSV_BYTES = 20 * 1024 * 1024
"""Larger files are refused."""

_SAVE_AS = msg("csv.save_as")


def decode_csv_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a CSV file's bytes; returns the text and the encoding used (``utf-8``/``gbk``).

    Raises:
        DataError: UTF-16/32 text, or bytes that are neither UTF-8 nor GBK.

    Examples:
        >>> decode_csv_bytes("编号".encode("gbk"), "强企.csv")
        ('编号', 'gbk')
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            raise DataError(msg("csv.bad_utf8_bom", then=_SAVE_AS),
                            file=name, code=ENCODING_CODE) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(data) >= 2 and (data[0] == 0 or data[1] == 0)):
        raise DataError(msg("csv.utf16", then=_SAVE_AS), file=name, code=ENCODING_CODE)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise DataError(msg("csv.encoding", then=_SAVE_AS),
                        file=name, code=ENCODING_CODE) from None


def _read_file(path: Path) -> RawSheet:
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise DataError(msg("file.too_large", most=f"{MAX_CSV_BYTES // 2**20} MiB"),
                            file=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(msg("file.unreadable", why=exc.strerror or exc.__class__.__name__),
                        file=str(path)) from None
    text, encoding = decode_csv_bytes(data, str(path))
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(msg("csv.format", why=str(exc)), file=str(path)) from None
    rows: list[list[Any]] = [[_unguard(cell) if cell != "" else None for cell in record]
                             for record in records]
    note: Message = msg("sheet.gbk_note", file=path.name) if encoding == "gbk" else ""
    return RawSheet(path.stem, rows, note)


def read_csv_sheets(folder: str | Path) -> list[RawSheet]:
    """Every ``*.csv`` file of a folder as a sheet named after the file (sorted by name).

    Raises:
        DataError: the folder cannot be read, has no CSV file, or a file's encoding is
            neither UTF-8 nor GBK.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError(msg("csv.not_folder"), file=str(root))
    try:
        files = sorted(p for p in root.iterdir()
                       if p.is_file() and p.suffix.lower() == ".csv")
    except OSError as exc:
        raise DataError(msg("file.unreadable_folder", why=exc.strerror or exc.__class__.__name__),
                        file=str(root)) from None
    if not files:
        raise DataError(msg("csv.no_files"),
                        file=str(root))
    return [_read_file(p) for p in files]


def read_csv_folder(folder: str | Path) -> dict[str, Any]:
    """The dataset mapping of a CSV folder (field values are not validated yet).

    Raises:
        DataError: unreadable folder or file, unknown encoding.
        DataErrors: layout or cell problems, each naming its cell (``强企!H12``).
    """
    return tables_to_mapping(read_csv_sheets(folder))


def load_csv_dataset(folder: str | Path) -> Dataset:
    """Read and validate a CSV folder; every problem names its file (sheet), cell and header.

    Raises:
        DataError: unreadable folder or file, unknown encoding.
        DataErrors: every layout, cell and field problem at once.
    """
    return load_tables(read_csv_sheets(folder))


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program takes for the start of a formula when it opens a CSV file."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    # a name such as =HYPERLINK(...) must stay text when Excel opens the file: the usual
    # guard is a leading apostrophe, which reading the folder back removes again
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _unguard(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1:].startswith(
        _FORMULA_STARTS) else cell


def write_dataset_csv(dataset: Dataset | None, folder: str | Path,
                      years: Iterable[int] = ()) -> list[Path]:
    """Write a dataset as one CSV file per sheet (UTF-8 with BOM); returns the files written.

    Args:
        dataset: the dataset, or None for header-only template files.
        folder: the folder (created if needed). Files of the same names are replaced;
            other files are left alone.
        years: years that every per-year indicator gets a column for even without data.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in dataset_to_tables(dataset, years):
        path = root / f"{table.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(table.headers)
            for row in table.rows:
                writer.writerow([_text(v) for v in row])
        written.append(path)
    return written
