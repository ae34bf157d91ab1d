"""The Dask recipe of docs/scale.md: county files mapped with dask.bag on a local cluster, the
Parquet rows written partitioned by year and county code are the rows of the serial run."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import EXAMPLES
from qstrong.engine.province import (
    assemble,
    bundle_sources,
    evaluate_county_file,
    evaluate_province,
    review_sources,
)

pa = pytest.importorskip("pyarrow", reason="the Parquet rows need pyarrow (qstrong[arrow])")
db = pytest.importorskip("dask.bag", reason="the Dask recipe needs qstrong[dask]")
distributed = pytest.importorskip("dask.distributed",
                                  reason="the Dask recipe needs qstrong[dask]")

PROVINCE = EXAMPLES / "province"


def _sorted(table: object) -> list[dict[str, object]]:
    rows = table.to_pylist()  # type: ignore[attr-defined]
    return sorted(rows, key=lambda r: (r["year"], r["county"], r["kind"], r["id"]))


def test_the_dask_recipe_writes_the_serial_rows(tmp_path: Path) -> None:
    from qstrong.report.province_parquet import (
        province_rows,
        province_table,
        read_partitioned,
        write_partitioned,
    )

    paths = [str(p) for p in bundle_sources([PROVINCE])]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        results = db.from_sequence(paths, npartitions=8).map(evaluate_county_file).compute()
    report = assemble(results, reviews=review_sources([PROVINCE]))
    serial = evaluate_province([PROVINCE], jobs=1)
    assert report.to_json() == serial.to_json()

    write_partitioned(province_rows(report), tmp_path / "rows")
    parts = sorted(p.relative_to(tmp_path / "rows").parts[:2]
                   for p in (tmp_path / "rows").rglob("*.parquet"))
    assert parts[0] == ("year=2012", "county=330604") and len(parts) == 32
    back = read_partitioned(tmp_path / "rows")
    expected = province_table(province_rows(serial))
    assert back.schema == expected.schema
    assert _sorted(back) == _sorted(expected)
