"""The command line: exit codes, diagnostics with carets, the JSON contract, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from string import Template
from typing import Any

import pytest

from helpers import CRITERIA, ROOT
from qstrong.cli import main
from qstrong.cli.formats import BINARY_FORMATS, FORMATS

TOP_IDS = {
    "district": ["district/eligibility", "district/1", "district/2", "district/3"],
    "industry": ["industry/1", "industry/2", "industry/3", "industry/4", "industry/scale"],
    "enterprise": [
        "enterprise/1", "enterprise/2", "enterprise/3", "enterprise/4", "enterprise/leading"
    ],
}
STATUSES = {"pass", "fail", "unknown", "not_applicable"}
NODE_KEYS = {"id", "status", "title", "text", "children"}

# D1 meets every bound of 三(一), several exactly at the bound (以上 includes the number);
# D2 is D1 with 农业标准化生产普及率 at exactly 60%, which is not 超过60% (D2 also has no
# kind, writes two of D1's rates another way, and lacks D1's incident, which is before the
# assessment window).
_DISTRICT = Template("""\
  - id: $id
    name: $name
${kind}    production_spot_check_pass_rate: {2013: 95.2, 2014: 93.5}
    food_spot_check_pass_rate:
      {planting_breeding: 97, processing: 94, circulation: 92, catering: 91}
    drug_evaluation_pass_rate: 96
    licensed_product_pass_rate: $licensed
    ccc_product_pass_rate: $ccc
    standards:
      - {name: 袜业联盟标准, kind: alliance, implemented: true}
    standard_adoption_rate: {baseline: 59.1, current: 64.1, baseline_year: 2012}
    quality_loss_rate: {baseline: 2.5, current: 2.0, baseline_year: 2012}
    agri_standardization_rate: $agri
    export_demo_zone: true
    safety_responsibility_system: true
    supervision_resources: true
    graded_supervision: true
    special_equipment:
      registration_rate: 100
      inspection_rate: 100
      certified_operator_rate: 100
      hazard_rectification_rate: 100
    incidents:$incidents
""")
DATASET = """\
assessment: {date: 2014-11-01}
county: {code: "330681", name: 测试县}
province_benchmarks:
  quality_loss_rate: 1.8
  spot_check_pass_rate: {2013: 89.6, 2014: 90.3}
  unit_energy_consumption: {袜子: 0.52}
districts:
""" + _DISTRICT.substitute(
    id="D1", name="甲园区", kind="    kind: development_zone\n", licensed='"95.5%"',
    ccc="{passed: 188, total: 200}", agri="60.5",
    incidents="\n      - {date: 2012-05-01, type: regional_quality_safety, description: 窗口之前}",
) + _DISTRICT.substitute(
    id="D2", name="乙园区", kind="", licensed="95.5", ccc="94", agri="60", incidents=" []",
) + """\
industries:
  - id: I1
    name: 袜业
    product_class: 袜子
    total_output: 100000
    province_scale_rank: 3
    has_block_standard: true
    unit_energy_consumption: 0.5
enterprises:
  - id: E1
    name: 甲针织有限公司
    industry: I1
    above_designated_size: true
    advanced_qm: true
    gm_quality_award: true
  - id: E2
    name: 乙袜业有限公司
    industry: I1
    above_designated_size: true
    advanced_qm: false
    leading_role: false
"""


def _write(tmp_path: Path, text: str = DATASET, name: str = "county.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m qstrong`` with colour never forced."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "qstrong", *args],
        capture_output=True, text=True, encoding="utf-8", env=base, cwd=ROOT, timeout=120,
    )


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    out = [node]
    for child in node["children"]:
        out.extend(_walk(child))
    return out


def _plant(tmp_path: Path, old: str, new: str, file: str = "district.yaml") -> tuple[Path, Path]:
    """A copy of the criteria with ``old`` replaced by ``new`` in one file."""
    directory = tmp_path / "criteria"
    shutil.copytree(CRITERIA, directory)
    target = directory / file
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    target.write_text(text.replace(old, new), encoding="utf-8")
    return directory, target


# ---------------------------------------------------------------------------- check


def test_check_packaged_criteria_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CRITERIA)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("通过：")
    assert "5 个标准文件" in out


def test_check_subprocess_exits_0() -> None:
    result = _run("check", "criteria")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "通过：" in result.stdout


def test_check_planted_error_shows_position_and_caret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = "rule: drug_evaluation_pass_rate >= 96%"
    bad = "rule: drug_evaluaton_pass_rate >= 96%"
    directory, target = _plant(tmp_path, good, bad)
    lines = target.read_text(encoding="utf-8").splitlines()
    line_no = next(i for i, text in enumerate(lines, 1) if bad in text)
    col = lines[line_no - 1].index("drug_evaluaton") + 1

    assert main(["check", str(directory)]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert f"{target}:{line_no}:{col}" in out
    assert "drug_evaluaton_pass_rate" in out
    assert "是不是 'drug_evaluation_pass_rate'" in out
    # The source line, then a caret run starting under the misspelt name.
    shown = [row for row in out.splitlines() if row.rstrip().endswith(bad)]
    carets = [row for row in out.splitlines() if row.lstrip(" |").startswith("^")]
    assert shown and carets
    assert carets[0].index("^") - shown[0].index(bad) == len("rule: ")
    assert carets[0].count("~") == len("drug_evaluaton_pass_rate") - 1


def test_check_planted_error_subprocess(tmp_path: Path) -> None:
    directory, target = _plant(tmp_path, "agri_standardization_rate > 60%",
                               "agri_standardization_rate > 60")
    result = _run("check", str(directory))
    assert result.returncode == 1
    assert f"{target}:" in result.stdout
    assert "^" in result.stdout
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- evaluate


def test_evaluate_json_follows_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path)
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)

    assert {"entities", "county", "criteria"} <= set(data)
    assert set(data["criteria"]) >= {"version", "sha256"}
    assert len(data["criteria"]["sha256"]) == 64
    ids = [(e["kind"], e["id"]) for e in data["entities"]]
    assert ids == [("district", "D1"), ("district", "D2"), ("industry", "I1"),
                   ("enterprise", "E1"), ("enterprise", "E2")]
    for entity in data["entities"]:
        assert {"kind", "id", "name", "status", "clauses"} <= set(entity)
        assert entity["status"] in STATUSES - {"not_applicable"}
        assert [c["id"] for c in entity["clauses"]] == TOP_IDS[entity["kind"]]
        for top in entity["clauses"]:
            for node in _walk(top):
                assert set(node) >= NODE_KEYS, node["id"]
                assert node["status"] in STATUSES
                assert node["title"] and node["text"]
    county = data["county"]
    assert [c["id"] for c in county["clauses"]] == ["county"]
    assert county["status"] in STATUSES - {"not_applicable"}
    for node in _walk(county["clauses"][0]):
        assert set(node) >= NODE_KEYS
        assert node["status"] in STATUSES

    by_id = {e["id"]: e for e in data["entities"]}
    assert by_id["D1"]["status"] == "pass"
    assert by_id["D2"]["status"] == "fail"
    d2 = {c["id"]: c for c in by_id["D2"]["clauses"]}
    assert d2["district/2"]["status"] == "fail"
    assert d2["district/1"]["status"] == d2["district/3"]["status"] == "pass"
    i1 = {n["id"]: n for top in by_id["I1"]["clauses"] for n in _walk(top)}
    assert i1["industry/3/alliance_standard"]["status"] == "not_applicable"
    assert i1["industry/scale"]["status"] == "pass"
    # Only one district is strong, and 2 are needed: the county target fails.
    assert county["status"] == "fail"


def test_evaluate_json_is_byte_identical_across_runs(tmp_path: Path) -> None:
    path = _write(tmp_path)
    first = _run("evaluate", str(path), "--format", "json", env={"PYTHONHASHSEED": "1"})
    second = _run("evaluate", str(path), "--format", "json", env={"PYTHONHASHSEED": "2"})
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    json.loads(first.stdout)


@pytest.mark.parametrize(
    ("old", "new", "field_path"),
    [
        ("drug_evaluation_pass_rate: 96\n    licensed_product_pass_rate: \"95.5%\"",
         "drug_evaluation_pass_rate: 101\n    licensed_product_pass_rate: \"95.5%\"",
         "districts[0] (D1).drug_evaluation_pass_rate"),
        ("export_demo_zone: true\n    safety_responsibility_system: true\n"
         "    supervision_resources: true\n    graded_supervision: true\n"
         "    special_equipment:\n      registration_rate: 100\n      inspection_rate: 100\n"
         "      certified_operator_rate: 100\n      hazard_rectification_rate: 100\n"
         "    incidents:\n      - {date",
         "export_demo_zone: \"false\"\n    safety_responsibility_system: true\n"
         "    supervision_resources: true\n    graded_supervision: true\n"
         "    special_equipment:\n      registration_rate: 100\n      inspection_rate: 100\n"
         "      certified_operator_rate: 100\n      hazard_rectification_rate: 100\n"
         "    incidents:\n      - {date",
         "districts[0] (D1).export_demo_zone"),
        ("    name: 乙园区\n", "    name: 乙园区\n    agri_standardisation_rate: 70\n",
         "districts[1] (D2).agri_standardisation_rate"),
    ],
    ids=["rate-101", "string-false", "unknown-field"],
)
def test_invalid_yaml_data_exits_2_naming_the_field(
    tmp_path: Path, old: str, new: str, field_path: str
) -> None:
    assert DATASET.count(old) == 1
    path = _write(tmp_path, DATASET.replace(old, new))
    result = _run("evaluate", str(path))
    assert result.returncode == 2
    assert field_path in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_json_data_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {
        "assessment": {"date": "2014-11-01"},
        "county": {"code": "330681", "name": "测试县"},
        "districts": [{"id": "D1", "name": "甲园区", "drug_evaluation_pass_rate": 101,
                       "export_demo_zone": "false", "bogus": 1}],
    }
    path = tmp_path / "county.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["evaluate", str(path), "--format", "json"]) == 2
    err = capsys.readouterr().err
    for field in ("drug_evaluation_pass_rate", "export_demo_zone", "bogus"):
        assert f"districts[0] (D1).{field}" in err


def test_missing_dataset_file_exits_2_without_traceback(tmp_path: Path) -> None:
    result = _run("evaluate", str(tmp_path / "no-such-file.yaml"))
    assert result.returncode == 2
    assert "no-such-file.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_criteria_directory_exits_2(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = _run("evaluate", str(path), "--criteria", str(tmp_path / "no-such-dir"))
    assert result.returncode == 2
    assert "no-such-dir" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_criteria_make_evaluate_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, target = _plant(tmp_path, "rule: leading_role", "rule: leading_rol",
                               file="enterprise.yaml")
    path = _write(tmp_path)
    assert main(["evaluate", str(path), "--criteria", str(directory)]) == 2
    err = capsys.readouterr().err
    assert f"{target}:" in err
    assert "leading_rol" in err


def test_lang_en(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path)
    assert main(["evaluate", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "High quality level" in out  # district/1's title_en
    assert "Clear leading role" in out  # enterprise/leading's title_en
    assert "质量水平高" not in out  # ... instead of its Chinese title


def test_text_output_has_no_ansi_codes_when_not_a_tty(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = _run("evaluate", str(path))
    assert result.returncode == 0, result.stderr
    assert "D1" in result.stdout and "甲园区" in result.stdout
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr


def test_text_output_in_process_has_no_ansi_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    path = _write(tmp_path)
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "甲园区" in out
    assert "\x1b" not in out


def test_qstrong_lang_sets_the_default_language(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from qstrong.cli import main

    example = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"
    monkeypatch.setenv("QSTRONG_LANG", "en")
    assert main(["evaluate", str(example), "--no-progress"]) == 0
    english = capsys.readouterr().out
    assert main(["evaluate", str(example), "--no-progress", "--lang", "zh"]) == 0
    chinese = capsys.readouterr().out
    assert english != chinese and "assessment" in english.lower()
    monkeypatch.setenv("QSTRONG_LANG", "fr")  # not a language qstrong speaks: Chinese
    assert main(["evaluate", str(example), "--no-progress"]) == 0
    assert capsys.readouterr().out == chinese


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in BINARY_FORMATS])
def test_every_format_to_a_file_is_what_it_prints(fmt: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``-o FILE`` writes the bytes the same command prints (JSON and JSON Lines go to the
    file as bytes, HTML and the rest as text: each path is taken here)."""
    example = str(ROOT / "examples" / "county-mixed.yaml")
    args = ["evaluate", example, "--format", fmt, "--no-progress"]
    assert main(args) in (0, 1)
    printed = capsys.readouterr().out
    target = tmp_path / f"report.{fmt}"
    assert main([*args, "-o", str(target)]) in (0, 1)
    assert target.read_bytes().decode("utf-8") == printed
