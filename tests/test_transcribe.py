"""The reviewers' transcription page: current, complete, and following the criteria files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import CRITERIA, ROOT
from qstrong import load_criteria
from qstrong.cli import main as cli_main
from qstrong.engine.ruleset import Criteria
from qstrong.lang.criteria_file import REQUIRED_TOP_IDS
from qstrong.report.reviewers import render_criteria_page

PAGE = ROOT / "docs" / "criteria.md"
REGENERATE = "qstrong docs -o docs/criteria.md"


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return load_criteria(CRITERIA)


@pytest.fixture(scope="module")
def page(criteria: Criteria) -> str:
    return render_criteria_page(criteria)


def test_page_is_current(page: str) -> None:
    assert PAGE.is_file(), f"docs/criteria.md is missing; generate it with: {REGENERATE}"
    assert PAGE.read_text(encoding="utf-8") == page, (
        f"docs/criteria.md is stale (the criteria files changed); regenerate it with: "
        f"{REGENERATE}"
    )


def test_page_has_every_clause_id_and_plan_text(criteria: Criteria, page: str) -> None:
    clauses = [c for f in criteria.files.values() for top in f.clauses for c in top.walk()]
    assert len(clauses) > 50
    for clause in clauses:
        assert f"`{clause.id}` {clause.title_zh}" in page, clause.id
        for line in clause.text.splitlines():
            assert f"> {line.strip()}" in page, f"{clause.id}: plan text missing"
        if clause.rule_text is not None:
            assert clause.rule_text in page, f"{clause.id}: rule missing"
        if clause.applies_text is not None:
            assert clause.applies_text in page, f"{clause.id}: applies_if missing"


def test_page_follows_plan_order(criteria: Criteria, page: str) -> None:
    ids = [top.id for kind in ("district", "industry", "enterprise", "county")
           for top in criteria.files[kind].clauses]
    assert ids[:4] == list(REQUIRED_TOP_IDS["district"])
    positions = [page.index(f"### `{cid}` ") for cid in ids]
    assert positions == sorted(positions)
    for cid in ids:  # the index table links every top-level clause
        assert f"[`{cid}`](#" in page


def test_page_lists_parameters_and_bound_words(criteria: Criteria, page: str) -> None:
    for name, param in criteria.params.items():
        assert f"`${name}`" in page
        assert param.title_zh in page
    assert "| `$quality_loss_drop` |" in page and "| 20% |" in page
    for word in ("以上", "超过", "低于", "高于", "达到100%"):
        assert word in page
    assert "qstrong docs -o docs/criteria.md" in page
    assert "qstrong docs" in page


def test_rendering_is_deterministic(criteria: Criteria, page: str) -> None:
    assert render_criteria_page(criteria) == page
    assert render_criteria_page(load_criteria(CRITERIA)) == page
    assert page.endswith("\n") and not page.endswith("\n\n")


def test_changed_criteria_change_the_page(tmp_path: Path, page: str) -> None:
    directory = tmp_path / "criteria"
    shutil.copytree(CRITERIA, directory)
    target = directory / "district.yaml"
    text = target.read_text(encoding="utf-8")
    old_rule = "rule: drug_evaluation_pass_rate >= 96%"
    new_rule = "rule: drug_evaluation_pass_rate >= 97%"
    old_text = "text: 药品评价性抽验合格率达到96%以上"
    new_text = "text: 药品评价性抽验合格率达到97%以上"
    assert text.count(old_rule) == 1 and text.count(old_text) == 1
    target.write_text(text.replace(old_rule, new_rule).replace(old_text, new_text),
                      encoding="utf-8")

    changed = render_criteria_page(load_criteria(directory))
    assert changed != page
    assert "drug_evaluation_pass_rate >= 97%" in changed
    assert "drug_evaluation_pass_rate >= 96%" not in changed
    assert "> 药品评价性抽验合格率达到97%以上" in changed
    assert "> 药品评价性抽验合格率达到96%以上" not in changed


def main(argv: list[str]) -> int:
    """``qstrong docs ARGV``: the page generator as users run it."""
    return cli_main(["docs", *argv])


def test_main_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                page: str) -> None:
    out = tmp_path / "criteria.md"
    assert main(["--criteria", str(CRITERIA), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == page
    assert main(["--criteria", str(CRITERIA), "--check", str(out)]) == 0
    capsys.readouterr()

    out.write_text(page.replace("质量水平高", "质量水平很高", 1), encoding="utf-8")
    assert main(["--criteria", str(CRITERIA), "--check", str(out)]) == 1
    shown = capsys.readouterr().out
    assert "质量水平很高" in shown  # the diff shows the edited line
    assert REGENERATE in shown

    assert main(["--criteria", str(CRITERIA), "--check", str(tmp_path / "absent.md")]) == 1


def test_main_prints_the_page(capsys: pytest.CaptureFixture[str], page: str) -> None:
    assert main(["--criteria", str(CRITERIA)]) == 0
    assert capsys.readouterr().out == page


def test_main_reports_broken_criteria(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--criteria", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_page_explains_collections_codes_readings_and_corrections(page: str) -> None:
    assert page.startswith("# 《地区创质量强县计划的实施方案》")
    glossary = page[page.index("## 名词"):page.index("## 时间和数量的读法")]
    for name in ("`members`", "`enterprises`", "`strong`", "`candidate: false`"):
        assert name in glossary
    readings = page[page.index("## 时间和数量的读法"):page.index("## 取值代码")]
    assert "两端的日子都算在内" in readings and "两年中的每一年" in readings
    codes = page[page.index("## 取值代码"):page.index("## 条款索引")]
    assert "| `major_special_equipment` | 重大特种设备安全事故 |" in codes
    assert "| `regional_special_equipment` | 区域性特种设备事故 |" in codes
    adoption = page[page.index("### `district/2/standard_adoption` "):]
    assert adoption.index("原文更正：抓取的原文作“采際率”") < adoption.index("规则：")
    assert "一并列出（不参与判定）：`province_scale_rank_source`" in page


def test_html_in_criteria_text_is_shown_not_run(tmp_path: Path) -> None:
    copy = tmp_path / "criteria"
    shutil.copytree(CRITERIA, copy)
    district = copy / "district.yaml"
    text = district.read_text(encoding="utf-8")
    hostile = text.replace("title: 质量水平高", "title: 质量水平高<script>x()</script>", 1)
    district.write_text(hostile, encoding="utf-8")
    page = render_criteria_page(load_criteria(copy))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_reports_say_when_criteria_claim_a_version_they_are_not(tmp_path: Path) -> None:
    from qstrong import evaluate
    from qstrong.report.text import report_text

    assert not load_criteria(CRITERIA).modified
    copy = tmp_path / "criteria"
    shutil.copytree(CRITERIA, copy)
    district = copy / "district.yaml"
    district.write_text(district.read_text(encoding="utf-8").replace(
        "processing >= 94%", "processing >= 95%"), encoding="utf-8")
    edited = load_criteria(copy)
    assert edited.version == load_criteria(CRITERIA).version and edited.modified
    report = evaluate(ROOT / "examples" / "county.yaml", edited)
    assert report.to_dict()["criteria"]["modified"] is True
    assert report.to_dict()["qstrong"] == qstrong_version()
    assert "已修改：与 qstrong 自带的同版本标准不同" in report_text(report, "zh", width=200)


def qstrong_version() -> str:
    import qstrong

    return qstrong.__version__
