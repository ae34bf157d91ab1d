"""Sweeps: each point is what evaluating with that bound gives, found without editing files."""

from __future__ import annotations

import copy
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import qstrong
from qstrong.cli import main
from qstrong.engine.ruleset import packaged_criteria_dir
from qstrong.engine.sweep import MAX_POINTS, SweepError, sweep, sweep_values

MIXED = Path(__file__).resolve().parents[1] / "examples" / "county-mixed.yaml"
CRITERIA = qstrong.load_criteria()
DATASET = qstrong.load_dataset(MIXED)
CLAUSE = "district/1/food_processing"


def _summary(report: qstrong.Report, clause: str, kind: str) -> tuple[object, ...]:
    passes = sum(1 for e in report.entities if e.kind == kind
                 and e.statuses().get(clause) is qstrong.Status.PASS)
    strong = tuple(len(report.county.strong[k]) for k in ("district", "industry", "enterprise"))
    return passes, strong, report.status


def _point(result: object, index: int) -> tuple[object, ...]:
    p = result.points[index]  # type: ignore[attr-defined]
    return (p.clause["pass"], tuple(p.strong[k] for k in ("district", "industry", "enterprise")),
            p.county)


def test_the_criteria_own_bound_gives_the_plain_evaluation() -> None:
    result = sweep(DATASET, CRITERIA, CLAUSE, [Decimal(94)])
    assert _point(result, 0) == _summary(qstrong.evaluate(DATASET, CRITERIA), CLAUSE,
                                         "district")
    assert result.bound == {"kind": "literal", "text": "94%", "unit": "%"}


@pytest.mark.parametrize("value", ["93.6", "95", "96.1"])
def test_each_point_is_the_edited_criteria(tmp_path: Path, value: str) -> None:
    edited = tmp_path / "criteria"
    shutil.copytree(packaged_criteria_dir(), edited)
    page = edited / "district.yaml"
    text = page.read_text(encoding="utf-8")
    old = "food_spot_check_pass_rate.processing >= 94%"
    assert text.count(old) == 1
    page.write_text(text.replace(old, old.replace("94%", f"{value}%")), encoding="utf-8")
    expected = _summary(qstrong.evaluate(DATASET, qstrong.load_criteria(edited)), CLAUSE,
                        "district")
    assert _point(sweep(DATASET, CRITERIA, CLAUSE, [Decimal(value)]), 0) == expected


def test_a_parameter_sweep_is_evaluate_with_params() -> None:
    result = sweep(DATASET, CRITERIA, "industry/scale", [Decimal(1), Decimal(3)])
    assert result.bound["kind"] == "param" and result.bound["name"] == "scale_rank_top"
    for index, value in enumerate((1, 3)):
        report = qstrong.evaluate(DATASET, CRITERIA, params={"scale_rank_top": value})
        assert _point(result, index) == _summary(report, "industry/scale", "industry")
    alone = sweep(DATASET, CRITERIA, None, [Decimal(1)], param="scale_rank_top")
    assert alone.points[0].clause is None and "clause" not in alone.to_dict()["points"][0]


@pytest.mark.usefixtures("english")
def test_values_are_exact_and_bounded() -> None:
    assert sweep_values(Decimal("93.4"), Decimal("93.6"), Decimal("0.1")) == [
        Decimal("93.4"), Decimal("93.5"), Decimal("93.6")]
    with pytest.raises(SweepError, match="above 0"):
        sweep_values(Decimal(1), Decimal(2), Decimal(0))
    with pytest.raises(SweepError, match=f"at most {MAX_POINTS}"):
        sweep_values(Decimal(0), Decimal(100), Decimal("0.01"))


@pytest.mark.parametrize(("clause", "values", "message"), [
    ("district/1", [Decimal(1)], "has sub-clauses"),
    ("district/1/food_processin", [Decimal(1)], "did you mean 'district/1/food_processing'"),
    ("district/eligibility", [Decimal(1)], "0 bounds"),
    (CLAUSE, [Decimal(101)], "from 0 to 100"),
])
@pytest.mark.usefixtures("english")
def test_what_cannot_be_swept_says_why(clause: str, values: list[Decimal],
                                       message: str) -> None:
    with pytest.raises(SweepError, match=message):
        sweep(DATASET, CRITERIA, clause, values)


def test_cli_sweep(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(MIXED), CLAUSE, "--from", "93%", "--to", "95%", "--step",
                 "1", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["clause"] == CLAUSE and [p["value"] for p in doc["points"]] == ["93", "94", "95"]
    assert set(doc["points"][0]) == {"value", "clause", "strong", "county"}
    assert main(["sweep", str(MIXED), CLAUSE, "--from", "93", "--to", "95", "--step", "1"]) == 0
    assert "县域目标" in capsys.readouterr().out
    assert main(["sweep", str(MIXED), "--from", "1", "--to", "2", "--step", "1"]) == 2
    assert "--param" in capsys.readouterr().err


def test_food_processing_over_90_to_96_is_monotone_and_exact_at_every_value() -> None:
    values = sweep_values(Decimal(90), Decimal(96), Decimal("0.1"))
    result = sweep(DATASET, CRITERIA, CLAUSE, values)
    passes = [p.clause["pass"] for p in result.points]  # type: ignore[index]
    assert passes == sorted(passes, reverse=True)  # a higher bound never passes more
    rates = [d.food_spot_check_pass_rate.processing for d in DATASET.districts
             if d.food_spot_check_pass_rate is not None]
    for value, point in zip(values, result.points, strict=True):
        # ">= bound", counted from the data alone: 94% passes a rate of exactly 94%.
        expected = sum(1 for r in rates if r is not None and r >= value)
        assert point.clause == {**point.clause, "pass": expected}  # type: ignore[arg-type]
        unknown = sum(1 for d in DATASET.districts if d.food_spot_check_pass_rate is None
                      or d.food_spot_check_pass_rate.processing is None)
        assert point.clause["unknown"] == unknown  # type: ignore[index]


def test_what_if_values_hold_at_every_point() -> None:
    held = {"min_standards_participation": "3"}
    result = sweep(DATASET, CRITERIA, CLAUSE, [Decimal(94)], params=held)
    report = qstrong.evaluate(DATASET, CRITERIA, params=held)
    assert _point(result, 0) == _summary(report, CLAUSE, "district")
    assert result.points[0].strong["enterprise"] < sweep(
        DATASET, CRITERIA, CLAUSE, [Decimal(94)]).points[0].strong["enterprise"]


@pytest.mark.parametrize(("clause", "value"), [
    ("district/1/food_processing", Decimal(95)), ("industry/2/advanced_qm", Decimal(60)),
    ("enterprise/2/brand", Decimal(2)), ("county/enterprises", Decimal(20))])
def test_evaluating_one_kind_again_is_evaluating_everything(clause: str,
                                                            value: Decimal) -> None:
    import dataclasses

    from qstrong.engine.evaluate import reevaluate_kind
    from qstrong.engine.sweep import _bounds, _find, _replaced, _with_rule

    kind, defn = _find(CRITERIA, clause)
    assert defn.rule is not None
    ((path, literal),) = list(_bounds(defn.rule))
    moved = _with_rule(CRITERIA, clause, _replaced(defn.rule, path,
                                                   dataclasses.replace(literal, value=value)))
    base = qstrong.evaluate(DATASET, CRITERIA, explain=False)
    again = reevaluate_kind(base, moved, kind)
    full = qstrong.evaluate(DATASET, moved, explain=False)
    assert [(e.id, e.status, e.statuses()) for e in again.entities] == [
        (e.id, e.status, e.statuses()) for e in full.entities]
    assert again.status is full.status and again.county.strong == full.county.strong
    for k in ("district", "industry", "enterprise"):
        assert again.status_table(k) == full.status_table(k)
    # A report whose results were set (not the verdict program's runs) keeps them the same.
    chosen = copy.copy(base)
    chosen.entities = list(base.entities)
    kept = reevaluate_kind(chosen, moved, kind)
    assert [(e.id, e.status, e.statuses()) for e in kept.entities] == [
        (e.id, e.status, e.statuses()) for e in full.entities]
    assert kept.county.counts == full.county.counts
