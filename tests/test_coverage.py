"""``qstrong test --coverage`` and the CI formats (JSON, JUnit XML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from qstrong.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county.yaml"


def _cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(
        f"base: {EXAMPLE}\n"
        "cases:\n"
        "  - name: 全部达标\n"
        "    expect: {D1: pass}\n"
        "  - name: 故意写错的预期 <&>\n"
        "    patch: {districts: [{id: D1, drug_evaluation_pass_rate: 90}]}\n"
        "    expect: {D1: {district/1/drug_evaluation: pass}}\n", encoding="utf-8")
    return path


def test_junit_has_one_testcase_per_case_and_the_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(_cases(tmp_path)), "--format", "junit"]) == 1
    text = capsys.readouterr().out
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(ROOT / "tests" / "fixtures" / "junit.xsd")).validate(text)
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["全部达标", "故意写错的预期 <&>"]
    failure = cases[1].find("failure")
    assert failure is not None and "district/1/drug_evaluation" in (failure.text or "")
    assert (failure.text or "").startswith(f"{tmp_path / 'cases.yaml'}:5")
    assert cases[0].find("failure") is None


def test_json_with_coverage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.json"
    assert main(["test", str(_cases(tmp_path)), "--format", "json", "--coverage",
                 "-o", str(target)]) == 1
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert (doc["passed"], doc["failed"]) == (1, 1)
    (mismatch,) = doc["cases"][1]["mismatches"]
    assert mismatch == {**mismatch, "entity": "D1", "clause": "district/1/drug_evaluation",
                        "expected": "pass", "actual": "fail"}
    assert doc["coverage"]["district/1/drug_evaluation"] == ["pass", "fail"]
    assert "district/eligibility" in doc["coverage"]


def test_text_coverage_names_what_is_never_reached(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(_cases(tmp_path)), "--coverage"]) == 1
    out = capsys.readouterr().out
    never_failing = next(line for line in out.splitlines() if line.startswith("从未未达标"))
    assert "district/1/food_processing" in never_failing
    assert "district/1/drug_evaluation" not in never_failing


def test_the_shipped_cases_reach_pass_fail_and_unknown_everywhere(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(ROOT / "tests" / "cases"), "--format", "json",
                 "--coverage"]) == 0
    coverage = json.loads(capsys.readouterr().out)["coverage"]
    for clause, statuses in coverage.items():
        assert "pass" in statuses and "unknown" in statuses, clause
        # 二(三)'s kinds are the data contract's only values: the clause cannot fail.
        assert "fail" in statuses or clause == "district/eligibility", clause


def test_the_schema_refuses_what_junit_does_not_have() -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(ROOT / "tests" / "fixtures" / "junit.xsd"))
    bad = ('<testsuites><testsuite name="s" tests="1" failures="0" errors="0">'
           '<testcase name="c" file="x.yaml" line="3"/></testsuite></testsuites>')
    assert not schema.is_valid(bad)
