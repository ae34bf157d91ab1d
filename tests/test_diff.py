"""Comparing two evaluations: verdict flips per kind, the clauses behind them, both sides'
values, candidates on one side only, the county; and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import qstrong
from qstrong.cli import main
from qstrong.core.logic import Status
from qstrong.engine.diff import SUMMARY_KEYS, diff

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
COUNTY, MIXED = EXAMPLES / "county.yaml", EXAMPLES / "county-mixed.yaml"
CRITERIA = qstrong.load_criteria()


def test_the_same_evaluation_has_no_changes() -> None:
    result = diff(qstrong.evaluate(COUNTY, CRITERIA), qstrong.evaluate(COUNTY, CRITERIA))
    assert result.changes == []
    assert all(v == 0 for counts in result.summary.values() for v in counts.values())
    assert result.to_dict()["county"] == {"from": "pass", "to": "pass"}


def test_a_what_if_flip_names_the_clause_and_both_sides() -> None:
    result = diff(qstrong.evaluate(COUNTY, CRITERIA),
                  qstrong.evaluate(COUNTY, CRITERIA, params={"scale_rank_top": 1}))
    (change,) = result.changes
    assert (change.kind, change.id) == ("industry", "I2")
    assert (change.before_status, change.after_status) == (Status.PASS, Status.FAIL)
    (clause,) = change.clauses
    assert clause.id == "industry/scale"
    assert clause.before["threshold"] == "<= 10" and clause.after["threshold"] == "<= 1"
    assert clause.before["value"] == clause.after["value"]
    assert result.summary["industry"]["pass_to_fail"] == 1
    assert result.after["params"] == {"scale_rank_top": "1"}


def test_counts_every_way_of_changing_and_one_sided_candidates(tmp_path: Path) -> None:
    doc = yaml.safe_load(MIXED.read_text(encoding="utf-8"))
    removed = doc["enterprises"].pop(0)
    doc["enterprises"].append({**removed, "id": "E99", "name": "新企业",
                               "credit_code": None})
    path = tmp_path / "after.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    before, after = qstrong.evaluate(MIXED, CRITERIA), qstrong.evaluate(path, CRITERIA)
    result = diff(before, after)
    by_id = {c.id: c for c in result.changes}
    assert by_id[removed["id"]].after_status is None
    assert by_id["E99"].before_status is None and by_id["E99"].clauses == []
    assert result.summary["enterprise"]["removed"] == 1
    assert result.summary["enterprise"]["added"] == 1
    doc_json = result.to_dict()
    assert set(doc_json) == {"before", "after", "summary", "county", "changes"}
    assert all(set(v) == set(SUMMARY_KEYS) for v in doc_json["summary"].values())


def test_two_datasets_find_each_flip() -> None:
    before, after = qstrong.evaluate(COUNTY, CRITERIA), qstrong.evaluate(MIXED, CRITERIA)
    result = diff(before, after)
    expected = {(e.kind, e.id) for e, f in zip(before.entities, after.entities, strict=True)
                if e.status is not f.status}
    assert {(c.kind, c.id) for c in result.changes} == expected
    for change in result.changes:
        a, b = before.entity(change.id, change.kind), after.entity(change.id, change.kind)
        changed = {i for i, s in a.statuses().items() if b.statuses().get(i) is not s}
        assert {c.id for c in change.clauses} == changed


def test_cli_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(COUNTY), "--set", "scale_rank_top=1"]) == 0
    out = capsys.readouterr().out
    assert "I2" in out and "industry/scale" in out and "要求 ≤ 1" in out
    assert main(["diff", str(COUNTY), str(MIXED), "--format", "json", "-o",
                 str(tmp_path / "d.json")]) == 0
    doc = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert doc["county"] == {"from": "pass", "to": "fail"} and doc["changes"]
    assert main(["diff", str(COUNTY)]) == 2
    assert "--to-criteria" in capsys.readouterr().err


def test_two_criteria_versions_on_one_dataset(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from qstrong.engine.ruleset import packaged_criteria_dir

    edited = tmp_path / "criteria"
    shutil.copytree(packaged_criteria_dir(), edited)
    page = edited / "district.yaml"
    old = "food_spot_check_pass_rate.processing >= 94%"
    page.write_text(page.read_text(encoding="utf-8").replace(old, old.replace("94", "95")),
                    encoding="utf-8")
    assert main(["diff", str(COUNTY), "--to-criteria", str(edited), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["before"]["criteria"]["sha256"] != doc["after"]["criteria"]["sha256"]
    flipped = {c["id"] for c in doc["changes"]}
    assert flipped and all(c["kind"] == "district" for c in doc["changes"])
    for change in doc["changes"]:
        assert [c["id"] for c in change["clauses"]][-1] == "district/1/food_processing"
    assert flipped == {e.id for e in qstrong.evaluate(COUNTY, qstrong.load_criteria(edited))
                       .entities if e.status is not Status.PASS and e.kind == "district"}


@pytest.mark.parametrize("rates", [
    None,
    {"D1": {2013: 94, 2014: 96}, "D2": {2013: 95, 2014: 95.5}},
    {"D1": {2013: "93.49", 2014: 99}, "D2": {2013: 94.99, 2014: 97}},
])
def test_production_bound_raised_lists_exactly_the_rates_in_between(
        tmp_path: Path, rates: dict[str, dict[int, object]] | None) -> None:
    """A copy of the criteria with 93.5% → 95% for the production spot-check: exactly the
    districts whose lowest rate in the window lies in [93.5, 95) flip (the others pass)."""
    import shutil
    from fractions import Fraction

    from qstrong.engine.ruleset import packaged_criteria_dir

    edited = tmp_path / "criteria"
    shutil.copytree(packaged_criteria_dir(), edited)
    page = edited / "district.yaml"
    old = "where value >= 93.5%)"
    text = page.read_text(encoding="utf-8")
    assert text.count(old) == 1
    page.write_text(text.replace(old, "where value >= 95%)"), encoding="utf-8")
    doc = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    for district in doc["districts"]:
        if rates is not None:
            district["production_spot_check_pass_rate"] = rates[district["id"]]
    path = tmp_path / "county.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    dataset = qstrong.load_dataset(path)
    window = (dataset.assessment.date.year - 1, dataset.assessment.date.year)
    expected = set()
    for d in dataset.districts:  # from the data alone, not from the engine
        lowest = min(Fraction(d.production_spot_check_pass_rate[y]) for y in window)
        if Fraction(187, 2) <= lowest < 95:
            expected.add(d.id)
    result = diff(qstrong.evaluate(dataset, CRITERIA),
                  qstrong.evaluate(dataset, qstrong.load_criteria(edited)))
    assert {c.id for c in result.changes} == expected
    if rates is not None:
        assert len(expected) == 1  # each patched case has one district in between
    for change in result.changes:
        assert (change.before_status, change.after_status) == (Status.PASS, Status.FAIL)
        assert [c.id for c in change.clauses] == ["district/1",
                                                  "district/1/production_spot_check"]
    assert result.summary["district"]["pass_to_fail"] == len(expected)
