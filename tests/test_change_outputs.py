"""Diff and sweep outputs: Markdown, HTML pages and fragments (no script, no network, an
SVG chart), workbooks (a chart for the sweep), and pandas frames."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

import qstrong
from qstrong.cli import main
from qstrong.engine.diff import diff
from qstrong.engine.sweep import sweep, sweep_values
from qstrong.report.change_files import diff_markdown
from qstrong.report.change_html import diff_page, sweep_page, sweep_svg

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CRITERIA = qstrong.load_criteria()
DIFF = diff(qstrong.evaluate(EXAMPLES / "county.yaml", CRITERIA),
            qstrong.evaluate(EXAMPLES / "county-mixed.yaml", CRITERIA))
SWEEP = sweep(qstrong.load_dataset(EXAMPLES / "county-mixed.yaml"), CRITERIA,
              "district/1/food_processing", sweep_values(Decimal(90), Decimal(96), Decimal(1)))


def test_diff_markdown_has_the_summary_and_every_change() -> None:
    text = diff_markdown(DIFF)
    assert "| 产品质量强企 | 3 | 0 | 3 | 0 | 0 | 0 |" in text
    for change in DIFF.changes:
        assert f"`{change.id}`" in text
        for clause in change.clauses:
            assert f"`{clause.id}`" in text
    assert "district/1/food_processing" in diff_markdown(DIFF, "en")


@pytest.mark.parametrize("page", [diff_page(DIFF), sweep_page(SWEEP)])
def test_pages_are_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in html.unescape(page)
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_the_sweep_chart_has_a_line_per_count() -> None:
    svg = sweep_svg(SWEEP)
    assert svg.count("<polyline") == 4  # three kinds and the clause
    assert "96" in svg and svg.startswith("<svg")


def test_notebook_conveniences() -> None:
    pd = pytest.importorskip("pandas")
    assert "<svg" in SWEEP._repr_html_() and "qs-badge" in DIFF._repr_html_()
    frame = SWEEP.to_frame()
    assert list(frame["value"]) == [90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0]
    assert list(frame["clause_pass"]) == [p.clause["pass"] for p in SWEEP.points]  # type: ignore[index]
    changes = DIFF.to_frame()
    assert isinstance(changes, pd.DataFrame)
    assert len(changes) == sum(max(1, len(c.clauses)) for c in DIFF.changes)


def test_workbooks(tmp_path: Path) -> None:
    target = tmp_path / "d.xlsx"
    assert main(["diff", str(EXAMPLES / "county.yaml"), str(EXAMPLES / "county-mixed.yaml"),
                 "--format", "xlsx", "-o", str(target)]) == 0
    wb = load_workbook(target)
    assert wb.sheetnames == ["概要", "变化"]
    assert wb["变化"].max_row == 1 + sum(max(1, len(c.clauses)) for c in DIFF.changes)
    target = tmp_path / "s.xlsx"
    assert main(["sweep", str(EXAMPLES / "county-mixed.yaml"), "district/1/food_processing",
                 "--from", "90", "--to", "96", "--step", "1", "--format", "xlsx",
                 "-o", str(target)]) == 0
    ws = load_workbook(target)["扫描"]
    assert [ws.cell(row=r, column=1).value for r in range(4, 11)] == [90, 91, 92, 93, 94,
                                                                       95, 96]
    assert len(ws._charts) == 1
    assert main(["sweep", str(EXAMPLES / "county-mixed.yaml"), "district/1/food_processing",
                 "--from", "90", "--to", "96", "--step", "1", "--format", "xlsx"]) == 2
