"""The scenario machinery (`qstrong.scenarios`): patches, status words, errors, CLI, examples."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

import qstrong
from helpers import EXAMPLE, MIXED
from qstrong.cli import main as cli_main
from qstrong.core.logic import Status
from qstrong.engine.ruleset import Criteria
from qstrong.scenarios.run import (
    Mismatch,
    ScenarioError,
    apply_patch,
    load_scenarios,
    parse_status,
    run_cli,
    run_scenario,
)

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

pytest_plugins = ["pytester"]



@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return qstrong.load_criteria()


def _write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).replace("BASE", str(EXAMPLE)), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- patches

BASE: dict[str, Any] = {
    "assessment": {"date": "2014-11-01"},
    "districts": [
        {"id": "D1", "name": "甲", "food": {"processing": 95, "catering": 92},
         "incidents": [{"date": "2013-01-01", "type": "x"}]},
        {"id": "D2", "name": "乙"},
    ],
    "rates": {2013: 90, 2014: 91},
}


def test_mappings_merge_recursively_and_keep_siblings() -> None:
    out = apply_patch(BASE, {"districts": [{"id": "D1", "food": {"processing": 94}}]})
    assert out["districts"][0]["food"] == {"processing": 94, "catering": 92}
    assert out["districts"][0]["name"] == "甲"
    assert out["districts"][1] == {"id": "D2", "name": "乙"}
    assert out["assessment"] == {"date": "2014-11-01"}


def test_patch_leaves_the_base_unchanged() -> None:
    before = repr(BASE)
    apply_patch(BASE, {"districts": [{"id": "D1", "food": {"processing": 1}}],
                       "rates": {"~delete": [2013]}})
    assert repr(BASE) == before


def test_entities_are_matched_by_id_and_unknown_ids_appended() -> None:
    out = apply_patch(BASE, {"districts": [{"id": "D2", "name": "丙"}, {"id": "D3", "name": "丁"}]})
    assert [d["id"] for d in out["districts"]] == ["D1", "D2", "D3"]
    assert out["districts"][1] == {"id": "D2", "name": "丙"}
    assert out["districts"][2] == {"id": "D3", "name": "丁"}


def test_remove_an_entity() -> None:
    out = apply_patch(BASE, {"districts": [{"id": "D1", "~remove": True}]})
    assert [d["id"] for d in out["districts"]] == ["D2"]
    with pytest.raises(ScenarioError, match="no entity 'D9'"):
        apply_patch(BASE, {"districts": [{"id": "D9", "~remove": True}]})
    with pytest.raises(ScenarioError, match="only its id"):
        apply_patch(BASE, {"districts": [{"id": "D1", "~remove": True, "name": "x"}]})


def test_entity_patch_items_need_an_id() -> None:
    with pytest.raises(ScenarioError, match="needs an id"):
        apply_patch(BASE, {"districts": [{"name": "无编号"}]})
    with pytest.raises(ScenarioError, match="list of items"):
        apply_patch(BASE, {"districts": {"id": "D1"}})


def test_other_lists_are_replaced_whole() -> None:
    out = apply_patch(BASE, {"districts": [{"id": "D1", "incidents": []}]})
    assert out["districts"][0]["incidents"] == []


def test_null_sets_a_field_to_null() -> None:
    out = apply_patch(BASE, {"districts": [{"id": "D1", "food": {"processing": None}}]})
    assert out["districts"][0]["food"] == {"processing": None, "catering": 92}


def test_delete_removes_keys_and_refuses_absent_ones() -> None:
    out = apply_patch(BASE, {"districts": [{"id": "D1", "~delete": ["food", "incidents"]}]})
    assert out["districts"][0] == {"id": "D1", "name": "甲"}
    out = apply_patch(BASE, {"rates": {"~delete": "2013"}})  # year written as text
    assert out["rates"] == {2014: 91}
    with pytest.raises(ScenarioError, match="no 'fod'"):
        apply_patch(BASE, {"districts": [{"id": "D1", "~delete": ["fod"]}]})


def test_year_keys_match_whether_written_as_numbers_or_text() -> None:
    out = apply_patch(BASE, {"rates": {"2014": 93}})
    assert out["rates"] == {2013: 90, 2014: 93}


def test_replace_instead_of_merge() -> None:
    patch = {"districts": [{"id": "D1", "food": {"~replace": True, "catering": 90}}]}
    out = apply_patch(BASE, patch)
    assert out["districts"][0]["food"] == {"catering": 90}


def test_unknown_instruction_is_an_error() -> None:
    with pytest.raises(ScenarioError, match="unknown patch instruction '~dlete'"):
        apply_patch(BASE, {"rates": {"~dlete": [2013]}})


# ---------------------------------------------------------------------------- status words


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("pass", Status.PASS), ("fail", Status.FAIL), ("unknown", Status.UNKNOWN),
        ("not_applicable", Status.NOT_APPLICABLE), ("PASS", Status.PASS),
        (" Fail ", Status.FAIL), ("达标", Status.PASS), ("未达标", Status.FAIL),
        ("无法判定", Status.UNKNOWN), ("不适用", Status.NOT_APPLICABLE),
    ],
)
def test_status_words(word: str, status: Status) -> None:
    assert parse_status(word) is status


@pytest.mark.parametrize("word", ["passed", "ok", "", True, None, 1, "通过"])
def test_bad_status_words(word: object) -> None:
    with pytest.raises(ScenarioError, match="is not a status"):
        parse_status(word)


def test_bad_status_word_hint() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_status("unknwon")
    assert str(info.value.hint) == "did you mean 'unknown'?"


# ---------------------------------------------------------------------------- loading errors


def test_unknown_clause_id_is_an_error_with_its_line(tmp_path: Path, criteria: Criteria) -> None:
    path = _write(tmp_path, """\
        base: BASE
        cases:
          - name: 好的用例
            expect: {D1: {district/1/food_processing: pass}}
          - name: 写错条款编号
            expect:
              D1:
                district/1/food_procesing: pass
        """)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path, criteria=criteria)
    err = info.value
    assert "unknown clause id 'district/1/food_procesing'" in err.message
    assert err.span is not None and err.span.line == 8 and err.span.file == str(path)
    assert str(err.hint) == "did you mean 'district/1/food_processing'?"
    assert f"{path}:8:" in str(err)
    # Without criteria at load time, running the case reports the same error.
    scenarios = load_scenarios(path)
    with pytest.raises(ScenarioError, match="unknown clause id"):
        run_scenario(scenarios[1], criteria)


def test_unknown_entity_id_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        base: BASE
        cases:
          - name: 写错对象编号
            expect:
              D1: pass
              D7: pass
        """)
    with pytest.raises(ScenarioError, match="no entity 'D7'") as info:
        load_scenarios(path)
    assert info.value.span is not None and info.value.span.line == 6


def test_clause_of_another_kind_is_an_error(tmp_path: Path, criteria: Criteria) -> None:
    path = _write(tmp_path, """\
        base: BASE
        cases:
          - name: 条款与对象类型不符
            expect: {D1: {industry/1: pass}}
        """)
    with pytest.raises(ScenarioError, match="there is no industry 'D1'") as info:
        load_scenarios(path, criteria=criteria)
    assert info.value.span is not None and info.value.span.line == 4


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("base: BASE\ncases:\n  - name: a\n    expect: {D1: pas}\n", "'pas' is not a status", 4),
        ("base: BASE\ncases:\n  - name: a\n    exepct: {D1: pass}\n", "unknown key 'exepct'", 4),
        ("base: BASE\ncase:\n  - name: a\n", "unknown key 'case'", 2),
        ("base: BASE\ncases: []\n", "non-empty list", 2),
        ("cases:\n  - name: a\n    expect: {D1: pass}\n", "has no dataset", 2),
        ("base: BASE\ncases:\n  - name: a\n    expect: {D1: pass}\n  - name: a\n"
         "    expect: {D2: pass}\n", "used twice", 5),
        ("base: BASE\ncases:\n  - name: a\n", "needs 'expect'", 3),
        ("base: BASE\ncases:\n  - expect: {D1: pass}\n", "needs a 'name'", 3),
        ("base: nothing-here.yaml\ncases:\n  - name: a\n    expect: {D1: pass}\n",
         "does not exist", None),
        ("base: BASE\ncases:\n  - name: 数据不合法\n    patch: {districts: [{id: D1, "
         "drug_evaluation_pass_rate: 101}]}\n    expect: {D1: pass}\n",
         r"drug_evaluation_pass_rate: .*above 100", 3),
        ("base: BASE\ncases:\n  - name: a\n    patch: {districts: [{id: D1, ~delete: [nme]}]}\n"
         "    expect: {D1: pass}\n", "no 'nme'", 4),
        ("base: BASE\ncases:\n  - name: a\n    expect: {D1: pass\n", "YAML syntax error", None),
    ],
)
def test_invalid_scenario_files(tmp_path: Path, text: str, message: str,
                                line: int | None) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenarios(path)
    assert isinstance(info.value, qstrong.DataError)
    if line is not None:
        assert info.value.span is not None and info.value.span.line == line


# ---------------------------------------------------------------------------- running


def test_whole_dataset_params_and_anchors(tmp_path: Path, criteria: Criteria) -> None:
    path = _write(tmp_path, """\
        x-small: &small
          assessment: {date: 2014-11-01}
          county: {code: "330681", name: 诸暨市}
          industries:
            - {id: I1, name: 袜业, province_scale_rank: 6}
        cases:
          - name: 默认前 10 名
            dataset: *small
            expect:
              I1: {industry/scale: pass, industry/1: unknown}
              county: {county/industries: fail}
          - name: 参数改为前 5 名
            dataset: *small
            params: {scale_rank_top: 5}
            expect: {I1: {industry/scale: 未达标}}
          - name: 整个数据集加补丁
            dataset: *small
            patch: {industries: [{id: I1, province_scale_rank: null}]}
            expect: {I1: {industry/scale: unknown}}
        """)
    scenarios = load_scenarios(path, criteria=criteria)
    assert [s.name for s in scenarios] == ["默认前 10 名", "参数改为前 5 名", "整个数据集加补丁"]
    assert scenarios[1].dataset.assessment.criteria_params == {"scale_rank_top": 5}
    assert scenarios[0].line == 7
    for s in scenarios:
        assert run_scenario(s, criteria).ok, s.name


def test_mismatches_name_entity_clause_statuses_and_summary(
    tmp_path: Path, criteria: Criteria
) -> None:
    path = _write(tmp_path, """\
        base: BASE
        cases:
          - name: 故意写错的期望
            patch: {districts: [{id: D1, food_spot_check_pass_rate: {processing: 93.6}}]}
            expect:
              D1: {district/1/food_processing: pass, district/1/food_catering: pass}
              D2: fail
        """)
    [scenario] = load_scenarios(path, criteria=criteria)
    result = run_scenario(scenario, criteria)
    assert not result.ok
    assert len(result.mismatches) == 2
    first, second = result.mismatches
    assert isinstance(first, Mismatch)
    entity, clause, expected, actual, summary, _ = first
    assert (entity, clause, expected, actual) == (
        "D1", "district/1/food_processing", Status.PASS, Status.FAIL)
    assert "93.6%" in summary and "94%" in summary
    assert second[:4] == ("D2", "overall", Status.FAIL, Status.PASS)
    assert first.line().startswith(
        "D1 district/1/food_processing: expected pass, got fail — ")


def test_run_cli_output_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    good = _write(tmp_path, """\
        base: BASE
        cases:
          - name: 加工 94% 达标
            patch: {districts: [{id: D1, food_spot_check_pass_rate: {processing: 94}}]}
            expect: {D1: {district/1/food_processing: pass}}
        """, "good.yaml")
    bad = _write(tmp_path, """\
        base: BASE
        cases:
          - name: 加工 93.6% 误写为达标
            patch: {districts: [{id: D1, food_spot_check_pass_rate: {processing: 93.6}}]}
            expect: {D1: {district/1/food_processing: pass}}
        """, "bad.yaml")
    assert run_cli([str(good)], None) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["✓ 加工 94% 达标", "1 passed, 0 failed"]

    assert run_cli([str(tmp_path)], None) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"✗ 加工 93.6% 误写为达标  ({bad}:3)"
    assert out[1].startswith("  D1 district/1/food_processing: expected pass, got fail — ")
    assert "93.6%" in out[1]
    assert out[2] == "✓ 加工 94% 达标"
    assert out[-1] == "1 passed, 1 failed"


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path, "base: BASE\ncases:\n  - name: a\n    expect: {D1: pass}\n", "g.yaml")
    wrong = _write(tmp_path, "base: BASE\ncases:\n  - name: a\n    expect: {D1: fail}\n", "w.yaml")
    broken = _write(tmp_path, "base: BASE\ncases:\n  - name: a\n    expect: {D1: {x/1: pass}}\n",
                    "b.yaml")
    assert cli_main(["test", str(good)]) == 0
    assert cli_main(["test", str(wrong)]) == 1
    capsys.readouterr()
    assert cli_main(["test", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:4:" in err and "unknown clause id 'x/1'" in err
    assert cli_main(["test", str(tmp_path / "missing.yaml")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main(["test", str(empty)]) == 2


def test_pytest_plugin_reports_a_diff_without_traceback(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    cases = pytester.mkdir("cases")
    (cases / "d.yaml").write_text(textwrap.dedent(f"""\
        base: {EXAMPLE}
        cases:
          - name: 对的
            expect: {{D1: pass}}
          - name: 错的
            patch: {{districts: [{{id: D1, agri_standardization_rate: 60}}]}}
            expect: {{D1: {{district/2/agri_standardization: pass}}}}
        """), encoding="utf-8")
    result = pytester.runpytest("cases", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "d.yaml: case '错的':",
        "  D1 district/2/agri_standardization: expected pass, got fail — *60%*",
    ])
    assert "Traceback" not in result.stdout.str()
    assert "conftest.py:" not in result.stdout.str()


# ---------------------------------------------------------------------------- the examples


def test_example_county_passes_everywhere() -> None:
    report = qstrong.evaluate(qstrong.load_dataset(EXAMPLE))
    assert report.county.status is Status.PASS
    assert [c.status for c in report.county.clauses[0].walk()] == [Status.PASS] * 4
    assert len(report.dataset.districts) == 2 and len(report.dataset.industries) == 2
    assert len(report.dataset.enterprises) >= 32
    assert all(e.status is Status.PASS for e in report.entities)
    not_applicable = sorted(
        (e.id, n.id) for e in report.entities for n in e.nodes()
        if n.status is Status.NOT_APPLICABLE
    )
    assert not_applicable == [
        ("I2", "industry/3/alliance_implementation"),
        ("I2", "industry/3/alliance_standard"),
        ("I2", "industry/3/regional_brand"),
    ]
    others = {n.status for e in report.entities for n in e.nodes()} - {Status.NOT_APPLICABLE}
    assert others == {Status.PASS}


def test_example_mixed_fails_with_fail_and_unknown_entities() -> None:
    report = qstrong.evaluate(qstrong.load_dataset(MIXED))
    assert report.county.status is Status.FAIL
    statuses = {e.id: e.status for e in report.entities}
    assert Status.FAIL in statuses.values() and Status.UNKNOWN in statuses.values()
    not_pass = {k: v.value for k, v in statuses.items() if v is not Status.PASS}
    assert not_pass == {
        "D1": "unknown", "D2": "fail", "I1": "fail", "I2": "unknown",
        "E05": "fail", "E14": "fail", "E15": "unknown", "E27": "fail",
        "E30": "unknown", "E33": "unknown",
    }
    county = {n.id: n.status.value for n in report.county.clauses[0].walk()}
    assert county == {"county": "fail", "county/districts": "fail",
                      "county/industries": "fail", "county/enterprises": "unknown"}
    # E15 lacks advanced_qm, but 9 of 10 members of I2 already exceed 50%.
    assert report.entity("I2").clause("industry/2/advanced_qm").status is Status.PASS
    # Readable explanations: a failing clause says by how much, an unknown one what is missing.
    d2 = report.entity("D2").clause("district/1/food_processing")
    assert "93.6%" in d2.summary_zh
    d1 = report.entity("D1").clause("district/3/equipment_hazards")
    assert d1.status is Status.UNKNOWN
    assert d1.missing == ["special_equipment.hazard_rectification_rate"]
    data = report.to_json()
    assert '"status": "unknown"' in data and '"status": "fail"' in data
