"""The report as a Parquet file: one row per candidate × clause node, numbers as numbers.

The columns are `qstrong.report.records`' (the same rows `to_records` gives), except that
``value``, ``threshold`` and ``margin_amount`` are float64 columns for analysis, with their
exact texts kept beside them (``value_exact``, ``threshold_exact``, ``margin_amount_exact``:
``"93.5"``, ``"200/3"``), and ``missing`` is a list of field paths. Rows are written in row
groups of a few thousand candidates, each candidate explained as it is written and not
kept, so a province's file is written in bounded memory.

Needs pyarrow (``pip install 'qstrong[arrow]'``).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import QStrongError
from qstrong.core.messages import msg
from qstrong.engine.results import Report
from qstrong.report.records import RECORD_KEYS, candidate_rows

__all__ = ["PARQUET_COLUMNS", "arrow_modules", "write_parquet"]

_NUMBERS = ("value", "threshold", "margin_amount")
PARQUET_COLUMNS = tuple(
    part for key in RECORD_KEYS
    for part in ((key, f"{key}_exact") if key in _NUMBERS else (key,)))
"""The columns of the file, in order."""

BATCH = 2000
"""Candidates per row group."""


def arrow_modules() -> Any:
    """pyarrow and pyarrow.parquet, or a clear error naming the extra to install."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        raise QStrongError(msg("output.needs_module", what="parquet", module="pyarrow"),
                           code=codes.INPUT, hint="pip install 'qstrong[arrow]'") from None
    return pa, pq


def _number(text: str | None) -> float | None:
    # For analysis only: the exact text stays in the *_exact column.
    return None if text is None else float(Fraction(text))


def _schema(pa: Any) -> Any:
    types = {"depth": pa.int32(), "leaf": pa.bool_(), "missing": pa.list_(pa.string())}
    fields = []
    for name in PARQUET_COLUMNS:
        if name in _NUMBERS:
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, types.get(name, pa.string())))
    return pa.schema(fields)


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {name: [] for name in PARQUET_COLUMNS}
    for row in rows:
        for key in RECORD_KEYS:
            value = row[key]
            if key in _NUMBERS:
                out[key].append(_number(value))
                out[f"{key}_exact"].append(value)
            elif key == "missing":
                out[key].append([p for p in value.split(", ") if p])
            else:
                out[key].append(value)
    return out


def write_parquet(report: Report, path: str | Path, lang: str = "zh", *,
                  include_county: bool = True) -> None:
    """Write the report's rows (candidates, then the county's) to a Parquet file.

    Raises:
        QStrongError: pyarrow is not installed.
        ValueError: the language is not supported.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unsupported language {lang!r}; use one of zh, en")
    pa, pq = arrow_modules()
    schema = _schema(pa)
    with pq.ParquetWriter(str(path), schema) as writer:
        rows: list[dict[str, Any]] = []

        def flush() -> None:
            if rows:
                writer.write_table(pa.table(_columns(rows), schema=schema))
                rows.clear()

        for count, candidate in enumerate(candidate_rows(report, lang, keep=False,
                                                         include_county=include_county),
                                          start=1):
            rows.extend(candidate)
            if count % BATCH == 0:
                flush()
        flush()
