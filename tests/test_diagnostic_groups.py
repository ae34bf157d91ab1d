"""A flood of data errors is grouped by spreadsheet column: one entry with the cell range,
the count, the first problem in full and the rows; a total at the end."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qstrong.cli import main
from qstrong.core.errors import Diagnostic
from qstrong.core.locations import Cell
from qstrong.report.diagnostics import GROUP_AT, diagnostic_lines

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"


def _bad(row: int, col: int = 8, code: str = "E201") -> Diagnostic:
    return Diagnostic(code, f"'x{row}' is not a number", cell=Cell("强企", row, col),
                      hint="填数字")


def test_one_column_is_one_entry_with_range_count_and_rows() -> None:
    problems = [_bad(r) for r in (*range(2, 12), 15, 16, 40)]
    (group, total) = diagnostic_lines(problems)
    assert group.startswith("强企!H2:H40: error[E201]: 共 13 行有同样的问题")
    assert "强企!H2: error[E201]: 'x2' is not a number" in group  # the first in full
    assert "= 行：2–11、15–16、40" in group
    assert total == "共 13 个问题"


def test_few_problems_other_columns_and_other_codes_stay_apart() -> None:
    problems = [_bad(2), _bad(3), _bad(2, col=9), _bad(4, code="E210"),
                Diagnostic("E201", "no cell", loc=("districts", 0, "x"))]
    assert GROUP_AT == 3
    lines = diagnostic_lines(problems)
    assert len(lines) == len(problems) + 1
    assert lines[0].startswith("强企!H2: error[E201]")
    assert lines[-2].startswith("districts[0].x: error[E201]")
    assert diagnostic_lines([_bad(2)]) == [diagnostic_lines([_bad(2), _bad(3)])[0]]


def test_the_command_line_groups_a_bad_column(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "csv"
    assert main(["convert", str(EXAMPLE), str(folder)]) == 0
    sheet = folder / "强企.csv"
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    column = next(i for i, h in enumerate(rows[0]) if "(quality_loss_rate)" in h)
    for row in rows[1:]:
        row[column] = "1.2x"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    capsys.readouterr()
    assert main(["evaluate", str(folder), "--no-progress"]) == 2
    err = capsys.readouterr().err
    letter = chr(ord("A") + column)
    assert f"强企!{letter}2:{letter}{len(rows)}: error[E201]: 共 {len(rows) - 1} 行" in err
    assert err.count("不是数值") == 1
    assert err.rstrip().endswith(f"共 {len(rows) - 1} 个问题")
    assert main(["evaluate", str(folder), "--no-progress", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{len(rows) - 1} rows with the same problem" in err and "is not a number" in err
    assert err.rstrip().endswith(f"{len(rows) - 1} problems")
