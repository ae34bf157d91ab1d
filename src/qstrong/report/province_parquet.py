"""The province report as Parquet rows: one row per county-year × candidate.

Columns: ``year``, ``city``, ``county`` (code), ``county_name``, ``county_status``, ``kind``,
``id``, ``name``, ``status``, ``awarded`` and ``flags`` (the review flags, a list). The same
report gives the same rows, whether written as one file (`write_province_parquet`) or as a
dataset partitioned by year and county code (`write_partitioned`, as a Dask run writes it,
docs/scale.md).

Needs pyarrow (``pip install 'qstrong[arrow]'``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qstrong.engine.province import ProvinceReport
from qstrong.report.parquet import arrow_modules

__all__ = ["PROVINCE_COLUMNS", "province_rows", "province_table", "read_partitioned",
           "write_partitioned", "write_province_parquet"]

PROVINCE_COLUMNS = ("year", "city", "county", "county_name", "county_status", "kind", "id",
                    "name", "status", "awarded", "flags")
"""The columns, in order."""


def province_rows(report: ProvinceReport) -> list[dict[str, Any]]:
    """Every candidate of every county-year as a row (plain values)."""
    awarded = {(c.year, c.code, e.kind, e.id) for c, e in report.awarded()}
    out = []
    for c in report.counties:
        for e in c.candidates:
            out.append({"year": c.year, "city": c.city, "county": c.code,
                        "county_name": c.name, "county_status": c.status.value,
                        "kind": e.kind, "id": e.id, "name": e.name, "status": e.status.value,
                        "awarded": (c.year, c.code, e.kind, e.id) in awarded,
                        "flags": report.flags(c, e)})
    return out


def _schema(pa: Any) -> Any:
    types = {"year": pa.int32(), "awarded": pa.bool_(), "flags": pa.list_(pa.string())}
    return pa.schema([pa.field(name, types.get(name, pa.string()))
                      for name in PROVINCE_COLUMNS])


def province_table(rows: list[dict[str, Any]]) -> Any:
    """The rows as an Arrow table with the province schema."""
    pa, _ = arrow_modules()
    return pa.Table.from_pylist(rows, schema=_schema(pa))


def write_province_parquet(report: ProvinceReport, path: str | Path) -> None:
    """Every row in one Parquet file."""
    _, pq = arrow_modules()
    pq.write_table(province_table(province_rows(report)), str(path))


def _partitioning() -> Any:
    import pyarrow.dataset as ds  # type: ignore[import-untyped]

    pa, _ = arrow_modules()
    return ds.partitioning(pa.schema([("year", pa.int32()), ("county", pa.string())]),
                           flavor="hive")


def write_partitioned(rows: list[dict[str, Any]], root: str | Path) -> None:
    """The rows as a Parquet dataset under ``root``, partitioned ``year=…/county=…`` (hive
    style), each partition's rows in report order."""
    import pyarrow.dataset as ds

    ds.write_dataset(province_table(rows), str(root), format="parquet",
                     partitioning=_partitioning(), existing_data_behavior="overwrite_or_ignore")


def read_partitioned(root: str | Path) -> Any:
    """A partitioned dataset read back as one table, the columns in order (county codes stay
    text: ``330604``, not a number)."""
    import pyarrow.dataset as ds

    table = ds.dataset(str(root), format="parquet", partitioning=_partitioning()).to_table()
    return table.select(list(PROVINCE_COLUMNS))
