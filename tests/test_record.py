"""``explain --as-scenario``: every candidate's recorded case reproduces its statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

import qstrong
from qstrong.cli import main
from qstrong.scenarios.file import load_scenarios
from qstrong.scenarios.record import scenario_of
from qstrong.scenarios.run import run_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CRITERIA = qstrong.load_criteria()


@pytest.mark.parametrize("name", ["county.yaml", "county-mixed.yaml"])
def test_every_candidate_of_the_examples_round_trips(tmp_path: Path, name: str) -> None:
    report = qstrong.evaluate(EXAMPLES / name, CRITERIA)
    targets = [(e.kind, e.id) for e in report.entities] + [("county", "county")]
    for kind, entity_id in targets:
        path = tmp_path / f"{kind}-{entity_id}.yaml"
        path.write_text(scenario_of(report, kind, entity_id), encoding="utf-8")
        (scenario,) = load_scenarios(path, criteria=CRITERIA)
        result = run_scenario(scenario, CRITERIA)
        assert result.ok, (kind, entity_id, result.diff_lines())
        node_count = (len(report.entity(entity_id, kind).statuses()) if kind != "county"
                      else sum(len(c.walk()) for c in report.county.clauses))
        assert len(scenario.expect) == node_count


def test_a_what_if_run_records_its_params(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "i2.yaml"
    assert main(["explain", str(EXAMPLES / "county.yaml"), "I2", "--set",
                 "scale_rank_top=1", "--as-scenario", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "params:\n    scale_rank_top: '1'" in text
    assert "industry/scale: fail" in text
    assert main(["test", str(target)]) == 0
    assert "1 个通过，0 个不符" in capsys.readouterr().out
