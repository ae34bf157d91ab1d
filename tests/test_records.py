"""Flat records: one row per candidate × clause node, same keys everywhere, JSON/CSV ready."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import Any

import pytest

from qstrong.engine.results import Report
from qstrong.report.records import RECORD_KEYS, report_records


@pytest.fixture(scope="module")
def rows(report: Report) -> list[dict[str, Any]]:
    """The records of the mixed example `report` (conftest.py): D1 fails, D2 is unknown."""
    return report_records(report)


def _row(rows: list[dict[str, Any]], entity_id: str, clause_id: str) -> dict[str, Any]:
    (row,) = [r for r in rows if r["entity_id"] == entity_id and r["clause_id"] == clause_id]
    return row


def test_one_row_per_candidate_and_node_in_report_order(
        report: Report, rows: list[dict[str, Any]]) -> None:
    expected = [(e.kind, e.id, n.id) for e in report.entities for n in e.nodes()]
    assert [(r["kind"], r["entity_id"], r["clause_id"]) for r in rows] == expected
    assert all(tuple(r) == RECORD_KEYS for r in rows)
    statuses = [n.status.value for e in report.entities for n in e.nodes()]
    assert [r["status"] for r in rows] == statuses


def test_tree_shape(report: Report, rows: list[dict[str, Any]]) -> None:
    by_key = {(r["entity_id"], r["clause_id"]): r for r in rows}
    for r in rows:
        if r["parent_id"] is None:
            assert r["depth"] == 0
        else:
            parent = by_key[(r["entity_id"], r["parent_id"])]
            assert r["depth"] == parent["depth"] + 1 and not parent["leaf"]
    entity = report.entity("D1")
    leaves = {n.id for n in entity.nodes() if not n.children}
    assert {r["clause_id"] for r in rows if r["entity_id"] == "D1" and r["leaf"]} == leaves


def test_failing_and_unknown_rows(report: Report, rows: list[dict[str, Any]]) -> None:
    node = report.entity("D1").clause("district/1/drug_evaluation")
    fail = _row(rows, "D1", "district/1/drug_evaluation")
    assert fail == {
        "kind": "district", "entity_id": "D1", "entity_name": report.entity("D1").name,
        "entity_status": "fail", "clause_id": "district/1/drug_evaluation",
        "parent_id": "district/1", "depth": 1, "section": "三(一)1",
        "title": "药品评价性抽验合格率达到96%以上", "status": "fail", "leaf": True,
        "summary": node.summary_zh, "value": "90", "threshold": "96", "unit": "percent",
        "margin": "差 6个百分点", "margin_amount": "-6", "missing": "",
        "missing_labels": "", "missing_cells": "",
    }
    unknown = _row(rows, "D2", "district/1/drug_evaluation")
    assert unknown["status"] == "unknown" and unknown["entity_status"] == "unknown"
    assert unknown["missing"] == "drug_evaluation_pass_rate"
    assert unknown["missing_labels"] == "药品评价性抽验合格率"
    assert unknown["missing_cells"] == ""  # a YAML document has no cells
    assert unknown["margin_amount"] is None
    assert (unknown["value"], unknown["threshold"], unknown["unit"]) == (None, "96", "percent")
    group = _row(rows, "D1", "district/1")
    assert group["margin"] == "" and group["margin_amount"] is None and not group["leaf"]
    assert (group["value"], group["threshold"], group["unit"]) == (None, None, "")
    # A rule without a comparison (an aggregate over years) has no margin.
    assert _row(rows, "D1", "district/1/production_spot_check")["margin"] == ""


def test_county_rows_on_request(report: Report, rows: list[dict[str, Any]]) -> None:
    assert all(r["kind"] != "county" for r in rows)
    with_county = report_records(report, include_county=True)
    extra = with_county[len(rows):]
    assert with_county[:len(rows)] == rows
    assert [r["clause_id"] for r in extra] == [
        n.id for c in report.county.clauses for n in c.walk()]
    assert {r["entity_id"] for r in extra} == {"330681"}
    # D1 fails and D2 is unknown: between 0 and 1 strong district, short of 2 either way.
    districts = _row(extra, "330681", "county/districts")
    assert districts["status"] == "fail" and districts["entity_status"] == "fail"
    assert districts["margin"] == (
        "可能值介于 0 个 与 1 个 之间；即使缺失数据全部按符合计也达不到 2 个")


def test_english(report: Report) -> None:
    row = _row(report_records(report, lang="en"), "D1", "district/1/drug_evaluation")
    assert row["title"] == "Drug evaluation sampling pass rate at least 96%"
    assert row["margin"] == "short by 6 percentage points"
    assert row["status"] == "fail"  # statuses stay the plain values
    with pytest.raises(ValueError, match="unsupported language"):
        report_records(report, lang="fr")


def test_rows_are_plain_data(rows: list[dict[str, Any]]) -> None:
    assert json.loads(json.dumps(rows, ensure_ascii=False)) == rows
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=RECORD_KEYS)
    writer.writeheader()
    writer.writerows(rows)
    assert len(buf.getvalue().splitlines()) == len(rows) + 1


def test_pandas_frame(rows: list[dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is optional; records are plain dicts")
    df = pd.DataFrame(rows)
    assert list(df.columns) == list(RECORD_KEYS)
    blocking = df[df.leaf & (df.status != "pass") & (df.status != "not_applicable")]
    assert sorted(zip(blocking.entity_id, blocking.status, strict=True)) == [
        ("D1", "fail"), ("D2", "unknown")]


def test_frame_numbers_are_numeric_and_match_the_exact_records(report: Report,
                                                               rows: list[dict[str, Any]]) -> None:
    pytest.importorskip("pandas", reason="pandas is optional; records are plain dicts")
    nodes = report.to_frame(level="node")
    for column in ("value", "threshold", "margin_amount"):
        assert str(nodes[column].dtype) == "float64", column
        for number, text in zip(nodes[column], (r[column] for r in rows), strict=True):
            if text is None:
                assert number != number  # NaN where the record has no number
            else:
                assert number == float(Fraction(text))
    fail = nodes[(nodes.entity_id == "D1") & (nodes.clause_id == "district/1/drug_evaluation")]
    assert (fail.value.item(), fail.threshold.item(), fail.margin_amount.item()) == (90, 96, -6)
    # The margin is the signed difference of the two sides, exactly, wherever all three exist.
    both = [r for r in rows if None not in (r["value"], r["threshold"], r["margin_amount"])]
    assert both and all(Fraction(r["margin_amount"]) == Fraction(r["value"])
                        - Fraction(r["threshold"]) for r in both)


def test_missing_frame_has_one_row_per_missing_item(report: Report) -> None:
    pytest.importorskip("pandas", reason="pandas is optional; records are plain dicts")
    frame = report.to_frame(level="missing")
    items = report.missing()
    assert len(frame) == len(items) > 0
    assert list(frame.columns) == ["kind", "entity_id", "clause_id", "path", "label"]
    assert list(frame.path) == [i.path for i in items]
    assert list(frame.label) == [i.label_zh for i in items]
    english = report.to_frame(level="missing", lang="en")
    assert list(english.label) == [i.label_en or i.label_zh for i in items]
    with pytest.raises(ValueError, match="missing"):
        report.to_frame(level="rows")  # type: ignore[arg-type]


def test_entity_rows_read_statuses_without_explaining() -> None:
    """The entity frame's rows (each candidate's top-level statuses) are read off the
    verdict codes: an explaining report makes no explanation for them, and they are the
    explained trees' statuses, in the order the trees give their clauses."""
    from pathlib import Path

    import qstrong
    from qstrong.report.frame import entity_rows

    mixed = Path(__file__).resolve().parents[1] / "examples" / "county-mixed.yaml"
    report = qstrong.evaluate(mixed)
    rows = entity_rows(report)
    assert all(e._clauses is None for e in report.entities)  # nothing explained
    want: list[dict[str, Any]] = []
    ids = list(dict.fromkeys(c.id for e in report.entities for c in e.clauses))
    for e in report.entities:  # now explained: the rows as the trees give them
        top = {c.id: c.status.value for c in e.clauses}
        want.append({"kind": e.kind, "entity_id": e.id, "entity_name": e.name,
                     "entity_status": e.status.value, **{i: top.get(i) for i in ids}})
    assert rows == want and entity_rows(report) == want
    assert {s for row in rows for s in row.values()} >= {"pass", "fail", "unknown"}
    assert entity_rows(qstrong.evaluate(mixed, explain=False)) == want
