"""The clerk's to-do list: what to fill in, where, and which verdicts it could settle."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import qstrong
from qstrong.cli import main
from qstrong.io.where import load_dataset_cells
from qstrong.report.todo import render_todo_text, todo_list

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "county.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def test_values_that_settle_the_county_too(tmp_path: Path) -> None:
    doc = _doc()
    unknown = [e["id"] for e in doc["enterprises"][:5]]
    for e in doc["enterprises"][:5]:
        e["advanced_qm"] = None
    report = qstrong.evaluate(_write(tmp_path, doc))
    assert report.status is qstrong.Status.UNKNOWN  # 29 strong, 5 unknown: 29 to 34
    todo = todo_list(report)
    assert [g.id for g in todo.todo] == unknown
    for group in todo.todo:
        (value,) = group.values
        assert value.path == "advanced_qm" and value.settles == [group.id, "county"]
        assert value.clauses == ["enterprise/1/advanced_qm"]
    assert todo.apart == []


def test_a_member_value_is_on_the_member_row_and_settles_its_industry(tmp_path: Path) -> None:
    doc = _doc()
    members = [e for e in doc["enterprises"] if e.get("industry") == "I1"
               and e.get("above_designated_size")]
    for member in members:  # no member's award known: I1's 20% share is unknown
        member["gm_quality_award"] = None
    report = qstrong.evaluate(_write(tmp_path, doc))
    assert report.entity("I1", "industry").status is qstrong.Status.UNKNOWN
    todo = todo_list(report)
    assert all(g.id != "I1" for g in todo.todo)  # the values are on the members' rows
    for member in members:
        group = next(g for g in todo.todo if g.id == member["id"])
        value = next(v for v in group.values if v.path == "gm_quality_award")
        assert {member["id"], "I1"} <= set(value.settles)
        assert set(value.clauses) == {"enterprise/1/gm_quality_award",
                                      "industry/2/gm_quality_award"}


def test_what_cannot_change_a_verdict_is_apart(tmp_path: Path) -> None:
    doc = _doc()
    district = doc["districts"][0]
    district["drug_evaluation_pass_rate"] = 90          # fails anyway
    district["quality_loss_rate"]["current"] = None     # so this cannot change D1
    todo = todo_list(qstrong.evaluate(_write(tmp_path, doc)))
    assert all(g.id != district["id"] for g in todo.todo)
    (group,) = [g for g in todo.apart if g.id == district["id"]]
    assert [v.path for v in group.values] == ["quality_loss_rate.current"]


def test_spreadsheet_cells_and_headings(tmp_path: Path) -> None:
    doc = _doc()
    doc["enterprises"][3]["qm_organization"] = None
    folder = tmp_path / "csv"
    assert main(["convert", str(_write(tmp_path, doc)), str(folder)]) == 0
    dataset, cells = load_dataset_cells(folder)
    assert cells is not None
    todo = todo_list(qstrong.evaluate(dataset), cells)
    (value,) = [v for g in todo.todo for v in g.values if v.path == "qm_organization"]
    rows = list(csv.reader((folder / "强企.csv").open(encoding="utf-8-sig")))
    column = next(i for i, h in enumerate(rows[0]) if h.endswith("(qm_organization)"))
    assert value.cell == f"强企!{chr(ord('A') + column)}5"   # the fourth enterprise's row
    assert value.heading == rows[0][column]
    assert rows[4][column] == ""                             # the blank to fill in
    text = render_todo_text(todo)
    assert f"{value.cell}「{value.heading}」" in text


def test_cli_todo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mixed = EXAMPLE.with_name("county-mixed.yaml")
    assert main(["todo", str(mixed), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"county", "todo", "apart"} and doc["todo"]
    assert all(v["settles"] for g in doc["todo"] for v in g["values"])
    assert main(["todo", str(mixed), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Data to fill in: ")
    assert main(["todo", str(EXAMPLE)]) == 0
    assert "没有会改变结论的缺失数据" in capsys.readouterr().out


def test_the_fill_in_workbook_marks_the_cells_and_feeds_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from qstrong.report.todo import TODO_FILL

    mixed = EXAMPLE.with_name("county-mixed.yaml")
    target = tmp_path / "fill.xlsx"
    assert main(["todo", str(mixed), "--workbook", str(target)]) == 0
    before = qstrong.load_dataset(mixed)
    assert qstrong.load_dataset(target) == before  # the data unchanged, only marked
    wb = load_workbook(target)
    marked = {(ws.title, c.coordinate): c for ws in wb for row in ws.iter_rows() for c in row
              if c.fill is not None and str(c.fill.fgColor.rgb).endswith(TODO_FILL)}
    todo = todo_list(qstrong.evaluate(mixed))
    assert len(marked) == sum(len(g.values) for g in todo.todo)
    assert all(c.value is None and "待补" in c.comment.text for c in marked.values())
    # The clerk fills in D1's two cells and evaluates the workbook again.
    d1 = [c for (sheet, _), c in marked.items() if sheet == "强区"]
    assert len(d1) == 2
    d1[0].value, d1[1].value = 1.9, 100
    wb.save(target)
    after = qstrong.evaluate(target)
    statuses = after.entity("D1", "district").statuses()
    assert statuses["district/2/quality_loss"] is qstrong.Status.PASS
    assert statuses["district/3/equipment_hazards"] is qstrong.Status.PASS


def test_the_results_workbook_has_the_to_do_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    mixed = EXAMPLE.with_name("county-mixed.yaml")
    folder = tmp_path / "csv"
    assert main(["convert", str(mixed), str(folder)]) == 0
    for source in (mixed, folder):
        target = tmp_path / f"results-{source.name}.xlsx"
        assert main(["evaluate", str(source), "--format", "xlsx", "-o", str(target),
                     "--no-progress"]) == 0
        rows = list(load_workbook(target)["待补数据"].iter_rows(values_only=True))
        assert rows[0][4] == "单元格" and len(rows) > 1
        expected = todo_list(qstrong.evaluate(source))
        assert len(rows) - 1 == (sum(len(g.values) for g in expected.todo)
                                 + sum(len(g.values) for g in expected.apart))
        cells = [r[4] for r in rows[1:]]
        if source == folder:
            assert cells[0] is not None and cells[0].startswith("强区!")
        else:
            assert all(c is None for c in cells)  # a YAML document has no cells


def test_reports_name_the_cell_of_missing_data(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "csv"
    assert main(["convert", str(EXAMPLE.with_name("county-mixed.yaml")), str(folder)]) == 0
    capsys.readouterr()
    expected = "主要工业产品质量损失率 · 现期（强区!S2；quality_loss_rate.current）"
    assert main(["evaluate", str(folder), "--no-progress", "--width", "200"]) == 0
    assert expected in capsys.readouterr().out
    assert main(["explain", str(folder), "D1", "--width", "200"]) == 0
    assert expected in capsys.readouterr().out
    assert main(["evaluate", str(folder), "--format", "md"]) == 0
    assert "主要工业产品质量损失率 · 现期 `强区!S2` `quality_loss_rate.current`" in (
        capsys.readouterr().out)
    assert main(["evaluate", str(folder), "--format", "html"]) == 0
    assert "<code>强区!S2</code>" in capsys.readouterr().out


def test_records_and_frames_name_labels_and_cells(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    assert main(["convert", str(EXAMPLE.with_name("county-mixed.yaml")), str(folder)]) == 0
    dataset, cells = load_dataset_cells(folder)
    report = qstrong.evaluate(dataset)
    report.source_cells = cells
    (row,) = [r for r in report.to_records() if r["entity_id"] == "D1"
              and r["clause_id"] == "district/2/quality_loss"]
    assert row["missing"] == "quality_loss_rate.current"
    assert row["missing_labels"] == "主要工业产品质量损失率 · 现期"
    assert row["missing_cells"] == "强区!S2"


def test_explain_county_leads_down_to_the_candidates_missing_data(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _doc()
    for e in doc["enterprises"][:5]:
        e["advanced_qm"] = None
    path = _write(tmp_path, doc)
    assert main(["explain", str(path), "county"]) == 0
    out = capsys.readouterr().out
    tail = out[out.index("县域目标的结论取决于下列候选对象"):]
    for e in doc["enterprises"][:5]:
        assert f"{e['id']} {e['name']}" in tail
    assert tail.count("[advanced_qm; enterprise/1/advanced_qm]") == 5
    assert main(["explain", str(path), "county", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["id"] for g in data["todo"]] == [e["id"] for e in doc["enterprises"][:5]]
    assert main(["explain", str(EXAMPLE), "county"]) == 0  # a settled county: no such part
    assert "县域目标的结论取决于" not in capsys.readouterr().out
