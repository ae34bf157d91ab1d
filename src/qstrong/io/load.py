"""The one loader that picks a reader by path: documents (YAML, JSON), .xlsx workbooks and CSV
folders, each read into a parsed form and then validated by `qstrong.data.validate`.

Readers never call the loader: the workbook and CSV readers build the document from their
cells and call validation themselves, so reading and validating stay two separate steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qstrong.core.collector import collector_paused
from qstrong.core.errors import DataError
from qstrong.core.messages import msg
from qstrong.data.models import Dataset
from qstrong.data.validate import validate_dataset
from qstrong.io.documents import DOCUMENT_SUFFIXES, read_document_checked
from qstrong.io.yamldoc import MAX_DATASET_BYTES

__all__ = ["REFUSED", "TABULAR_SUFFIXES", "is_tabular", "load_any", "load_dataset"]


def load_dataset(source: str | Path | Mapping[str, Any], *,
                 max_bytes: int | None = None) -> Dataset:
    """Read and validate one dataset.

    Args:
        source: a path to a ``.yaml``/``.yml``/``.json`` file, an ``.xlsx`` workbook or a
            folder of CSV files (their diagnostics name cells such as ``强企!H12``), or an
            already parsed mapping.
        max_bytes: the largest YAML/JSON document accepted (default 512 MiB, see
            docs/limits.md).

    Returns:
        The validated, immutable `Dataset`.

    Raises:
        DataError: the file cannot be read or parsed (syntax, duplicate keys, not a mapping).
        DataErrors: the document does not follow the data dictionary; one `Diagnostic` per
            problem, all of them at once.
    """
    # Parsing and validating build many long-lived objects and no cycles: the collector
    # would rescan them again and again (it doubled a province's load).
    with collector_paused():
        if isinstance(source, Mapping):
            return validate_dataset(source)
        if is_tabular(source):
            return load_any(source)
        document, checked = read_document_checked(Path(source), max_bytes or MAX_DATASET_BYTES)
        return validate_dataset(document, checked=checked)


TABULAR_SUFFIXES = (".xlsx", ".xlsm")
REFUSED = {
    ".xls": msg("file.xls"),
    ".ods": msg("file.ods"),
    ".csv": msg("file.csv_is_folder"),
}


def is_tabular(path: str | Path) -> bool:
    """Whether a path is read by the spreadsheet readers (an .xlsx workbook or a folder)."""
    p = Path(path)
    return p.is_dir() or p.suffix.lower() in (*TABULAR_SUFFIXES, *REFUSED)


def load_any(path: str | Path) -> Dataset:
    """Read and validate a dataset from a YAML/JSON file, an .xlsx workbook or a CSV folder.

    Raises:
        DataError: unsupported or unreadable file.
        DataErrors: the data does not follow the data dictionary; for spreadsheets every
            diagnostic names its cell (``强企!H12``), header and candidate.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if p.is_dir():
        from qstrong.io.csv_folder import load_csv_dataset

        return load_csv_dataset(p)
    if suffix in TABULAR_SUFFIXES:
        from qstrong.io.workbook import load_workbook_dataset

        return load_workbook_dataset(p)
    if suffix in REFUSED:
        raise DataError(msg("file.refused", suffix=p.suffix, why=REFUSED[suffix]), file=str(p))
    if suffix in DOCUMENT_SUFFIXES:
        document, checked = read_document_checked(p)
        return validate_dataset(document, checked=checked)
    if not p.exists():
        raise DataError(msg("file.no_such"), file=str(p))
    raise DataError(msg("file.unsupported", suffix=p.suffix), file=str(p))
