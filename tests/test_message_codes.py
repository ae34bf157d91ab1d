"""Every diagnostic code, caused the way a user causes it, said in Chinese by default and in
complete English with ``--lang en``: no Chinese left in the English but the data (sheet and
column names, quoted values, the source line shown under the message)."""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import CRITERIA, EXAMPLE, example_data
from qstrong import evaluate, load_dataset
from qstrong.cli import main
from qstrong.cli.output import check_target
from qstrong.core.codes import CODES
from qstrong.core.errors import Diagnostic, QStrongError
from qstrong.core.vocab import is_cjk
from qstrong.engine.ruleset import check_criteria
from qstrong.io.layout import SPECS
from qstrong.io.yamldoc import load_yaml_text
from qstrong.lang.parser import parse_rule
from qstrong.lang.review import review_files
from qstrong.report import workbook as results_workbook
from qstrong.report.diagnostics import render_diagnostic
from qstrong.scenarios.run import load_scenarios

Cause = Callable[[Path, pytest.MonkeyPatch], list[Diagnostic]]


def _raised(action: Callable[[], object]) -> list[Diagnostic]:
    with pytest.raises(QStrongError) as info:
        action()
    return info.value.diagnostics


def _criteria(tmp: Path, kind: str = "district", old: str = "", new: str = "") -> Path:
    """A copy of the packaged criteria with one text replaced in one file."""
    folder = tmp / "criteria"
    shutil.copytree(CRITERIA, folder)
    if old:
        path = folder / f"{kind}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _checked(folder: Path) -> list[Diagnostic]:
    criteria, found = check_criteria(folder)
    if criteria is not None:
        return review_files(criteria.files.values())
    return found


def _dataset_file(tmp: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp / "county.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _e000(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    import importlib

    from qstrong.report import frame

    real = importlib.import_module
    mp.setattr(importlib, "import_module",
               lambda name, *a: (_ for _ in ()).throw(ImportError(name)) if name == "pandas"
               else real(name, *a))
    report = evaluate(load_dataset(EXAMPLE))
    return _raised(lambda: frame.report_frame(report))


def _e004(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    report = evaluate(load_dataset(EXAMPLE))
    mp.setattr(results_workbook, "EXCEL_MAX_ROWS", 10)
    return _raised(lambda: results_workbook.write_results_xlsx(report, tmp / "r.xlsx"))


def _e105(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    folder = _criteria(tmp)
    (folder / "county.yaml").unlink()
    return _checked(folder)


def _e202(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    data = example_data()
    data["assessment"]["criteria_params"] = {"stable_yers": 3}
    return _raised(lambda: evaluate(data))


def _e210(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    folder = tmp / "csv"
    assert main(["convert", str(EXAMPLE), str(folder)]) == 0
    (folder / "强企业.csv").write_text("编号\nE9\n", encoding="utf-8")
    return _raised(lambda: load_dataset(folder))


def _e211(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    folder = tmp / "csv"
    assert main(["convert", str(EXAMPLE), str(folder)]) == 0
    (folder / "强企.csv").write_bytes(b"\xff\xfe\x00\x81\x30")
    return _raised(lambda: load_dataset(folder))


def _e220(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    path = tmp / "cases.yaml"
    path.write_text(f"base: {EXAMPLE}\ncases:\n  - name: 一\n    expect: {{D1: passed}}\n",
                    encoding="utf-8")
    return _raised(lambda: load_scenarios(path))


def _e230(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    from qstrong.engine.province import evaluate_province

    one = EXAMPLE.parent / "province" / "jinhua" / "330782-2014.yaml"
    shutil.copy(one, tmp / "again.yaml")
    return _raised(lambda: evaluate_province([one, tmp / "again.yaml"], jobs=1))


def _e231(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    from qstrong.engine.province import evaluate_province

    record = tmp / "r.yaml"
    record.write_text('year: 2014\ndecisions:\n  - {county: "330681", kind: enterprise, '
                      'id: E99, level: county, decision: 推荐}\n', encoding="utf-8")
    county = EXAMPLE.parent / "province" / "shaoxing" / "330681-2014.yaml"
    return _raised(lambda: evaluate_province([county], jobs=1, reviews=[record]))


def _w301(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    data = example_data()
    incidents = data["districts"][0]["incidents"]
    incidents.append(copy.deepcopy(incidents[0]))
    return evaluate(data).warnings


def _w302(tmp: Path, mp: pytest.MonkeyPatch) -> list[Diagnostic]:
    data = example_data()
    for e in data["enterprises"]:
        if e.get("quality_loss_rate") is not None:
            e["quality_loss_rate"] = "0.02"
    return evaluate(data).warnings


CAUSES: dict[str, Cause] = {
    "E000": _e000,
    "E001": lambda tmp, mp: _raised(lambda: load_yaml_text("a: [1\nb: 2", "bad.yaml")),
    "E002": lambda tmp, mp: _raised(lambda: load_yaml_text("a: 1\na: 2\n", "dup.yaml")),
    "E003": lambda tmp, mp: _raised(lambda: check_target(EXAMPLE)),
    "E004": _e004,
    "E100": lambda tmp, mp: _raised(lambda: check_criteria(tmp / "no-such-criteria")),
    "E101": lambda tmp, mp: _checked(_criteria(tmp, "district", "    title_en:", "    txt: x\n"
                                               "    title_en:")),
    "E102": lambda tmp, mp: _raised(lambda: parse_rule('kind = "a" 且 export_demo_zone')),
    "E103": lambda tmp, mp: _checked(_criteria(tmp, "district", "rule: drug_evaluation_pass_rate",
                                               "rule: drug_evaluation_pass_rat")),
    "E104": lambda tmp, mp: _checked(_criteria(tmp, "district", "drug_evaluation_pass_rate >= 96%",
                                               "drug_evaluation_pass_rate >= 96")),
    "E105": _e105,
    "E200": lambda tmp, mp: _raised(lambda: load_dataset(tmp / "absent.yaml")),
    "E201": lambda tmp, mp: _raised(lambda: load_dataset(_dataset_file(
        tmp, lambda d: d["districts"][0].update(drug_evaluation_pass_rate=101)))),
    "E202": _e202,
    "E210": _e210,
    "E211": _e211,
    "E220": _e220,
    "E230": _e230,
    "E231": _e231,
    "W101": lambda tmp, mp: _checked(_criteria(
        tmp, "district", "title: 药品评价性抽验合格率达到96%以上",
        "title: 药品评价性抽验合格率达到97%以上")),
    "W102": lambda tmp, mp: _checked(_criteria(
        tmp, "district", "drug_evaluation_pass_rate >= 96%", "drug_evaluation_pass_rate > 96%")),
    "W103": lambda tmp, mp: _checked(_criteria(tmp, "district", "default: 20%", "default: 0.2")),
    "W301": _w301,
    "W302": _w302,
}

# What may stay Chinese in an English message: the sheets' and headings' names, quoted
# values and text, the words typed into cells (是, 否, 无), a candidate's sheet and id.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|「[^」]*」")
_DATA = re.compile("|".join(sorted(SPECS, key=len, reverse=True)))


def _words_of(text: str) -> str:
    """The message words of a rendered diagnostic: no source lines, no location."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("|")]
    out = []
    for line in lines:
        line = re.sub(r"^.*?(?:error|warning)\[[EW]\d{3}\]: ", "", line)
        out.append(line)
    return "\n".join(out)


def _has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def test_every_code_has_a_cause_here() -> None:
    assert set(CAUSES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_in_both_languages(code: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    found = [d for d in CAUSES[code](tmp_path, monkeypatch) if d.code == code]
    assert found, f"the cause of {code} gave no {code}"
    d = found[0]
    chinese, english = render_diagnostic(d, "zh"), render_diagnostic(d, "en")
    assert chinese != english
    assert _has_cjk(_QUOTED.sub("", _words_of(chinese))), chinese
    left = _DATA.sub("", _QUOTED.sub("", _words_of(english)))
    assert not _has_cjk(left), english
    assert "提示" not in english and "hint" not in chinese
