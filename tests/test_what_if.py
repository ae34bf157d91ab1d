"""What-if parameters: ``evaluate(params=...)`` and ``--set NAME=VALUE`` over the dataset's
``criteria_params``, read and refused the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import qstrong
from qstrong.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"


def _param(report: qstrong.Report, name: str) -> dict[str, object]:
    return next(p for p in report.to_dict()["params"] if p["name"] == name)


def test_a_what_if_value_changes_the_verdicts_it_should() -> None:
    before = qstrong.evaluate(EXAMPLE)
    after = qstrong.evaluate(EXAMPLE, params={"scale_rank_top": 1})
    changed = {e.id for e, f in zip(before.entities, after.entities, strict=True)
               if e.status is not f.status}
    assert changed == {"I2"} and after.status is qstrong.Status.FAIL
    assert _param(after, "scale_rank_top") == {**_param(before, "scale_rank_top"),
                                               "value": "1", "overridden": True,
                                               "what_if": True}
    assert "what_if" not in _param(before, "scale_rank_top")
    fast = qstrong.evaluate(EXAMPLE, params={"scale_rank_top": 1}, explain=False)
    assert [e.status for e in fast.entities] == [e.status for e in after.entities]


def test_what_if_wins_over_the_dataset(tmp_path: Path) -> None:
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    doc["assessment"]["criteria_params"] = {"scale_rank_top": 1}
    path = tmp_path / "county.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert qstrong.evaluate(path).entity("I2").status is qstrong.Status.FAIL
    report = qstrong.evaluate(path, params={"scale_rank_top": "10"})
    assert report.entity("I2").status is qstrong.Status.PASS
    assert _param(report, "scale_rank_top")["what_if"] is True


@pytest.mark.parametrize(("given", "message"), [
    ({"scale_rank_topp": 1}, "did you mean 'scale_rank_top'"),
    ({"scale_rank_top": "abc"}, "'abc' is not a number"),
    ({"quality_loss_drop": "120%"}, "above 100%"),
])
@pytest.mark.usefixtures("english")
def test_bad_values_are_refused_with_their_name(given: dict[str, object], message: str) -> None:
    with pytest.raises(qstrong.DataErrors) as caught:
        qstrong.evaluate(EXAMPLE, params=given)
    (problem,) = caught.value.diagnostics
    assert message in f"{problem.message} {problem.hint}"
    assert problem.loc == ("params", next(iter(given)))


def test_cli_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE), "--set", "scale_rank_top=1", "--format", "json",
                 "--no-progress"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["county"]["status"] == "fail"
    assert main(["evaluate", str(EXAMPLE), "--set", "scale_rank_top=1", "--no-progress"]) == 0
    assert "（假设值 --set，默认 10）" in capsys.readouterr().out
    assert main(["explain", str(EXAMPLE), "I2", "--set", "scale_rank_top=1"]) == 0
    assert "居全省前列" in capsys.readouterr().out
    assert main(["evaluate", str(EXAMPLE), "--set", "scale_rank_topp=1"]) == 2
    assert "是不是 'scale_rank_top'？" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", str(EXAMPLE), "--set", "scale_rank_top"])
    assert stop.value.code == 2
    assert "不是 名称=值 的形式" in capsys.readouterr().err
