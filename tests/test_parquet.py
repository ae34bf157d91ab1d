"""The Parquet report: the records' rows, numbers as numbers with their exact texts beside."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import qstrong
from qstrong.cli import main
from qstrong.report.parquet import PARQUET_COLUMNS, write_parquet

pq = pytest.importorskip("pyarrow.parquet")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("name", ["county.yaml", "county-mixed.yaml"])
def test_rows_are_the_records_with_numbers(tmp_path: Path, name: str) -> None:
    report = qstrong.evaluate(EXAMPLES / name)
    target = tmp_path / "r.parquet"
    write_parquet(report, target)
    table = pq.read_table(target)
    assert tuple(table.schema.names) == PARQUET_COLUMNS
    rows = table.to_pylist()
    records = report.to_records(include_county=True)
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row["clause_id"] == record["clause_id"] and row["status"] == record["status"]
        for key in ("value", "threshold", "margin_amount"):
            assert row[f"{key}_exact"] == record[key]
            if record[key] is None:
                assert row[key] is None
            else:  # the float is the nearest to the exact value
                assert row[key] == float(Fraction(record[key]))
        assert row["missing"] == [p for p in record["missing"].split(", ") if p]


def test_rows_are_written_in_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qstrong.report.parquet as parquet

    monkeypatch.setattr(parquet, "BATCH", 5)
    report = qstrong.evaluate(EXAMPLES / "county.yaml")
    target = tmp_path / "r.parquet"
    write_parquet(report, target)
    assert pq.ParquetFile(target).num_row_groups == len(report.entities) // 5 + 1
    assert pq.read_table(target).num_rows == len(report.to_records(include_county=True))


def test_cli_writes_parquet_and_needs_o(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.parquet"
    assert main(["evaluate", str(EXAMPLES / "county.yaml"), "--format", "parquet",
                 "-o", str(target), "--no-progress"]) == 0
    assert pq.read_table(target).num_rows > 0
    assert main(["evaluate", str(EXAMPLES / "county.yaml"), "--format", "parquet"]) == 2
    assert "-o FILE" in capsys.readouterr().err


def test_without_pyarrow_the_format_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))
    assert main(["evaluate", str(EXAMPLES / "county.yaml"), "--format", "parquet",
                 "-o", str(tmp_path / "r.parquet"), "--no-progress"]) == 2
    assert "qstrong[arrow]" in capsys.readouterr().err
