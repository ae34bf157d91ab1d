"""Criteria diagnostics: one planted error per failure mode, all errors together, rendering.

Each case copies the shipped ``criteria/`` directory into a temporary folder, changes one
piece of one file, and checks what `check_criteria` reports: the code, the position (found
by searching the changed file for a marker, so the expectation does not depend on line
numbers of the shipped files), words in the message, and the hint.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from qstrong.core.errors import CriteriaErrors, Diagnostic
from qstrong.engine.ruleset import check_criteria, load_criteria
from qstrong.lang.criteria_file import read_criteria_file
from qstrong.report.diagnostics import render_diagnostic

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"

Plant = Callable[[str, str, str], tuple[Path, str, int]]


@pytest.fixture
def plant(tmp_path: Path) -> Plant:
    """Copy criteria/ once, then replace the first ``old`` in ``file`` by ``new``.

    Returns the criteria directory, the changed file's text and where ``new`` starts.
    """
    dest = tmp_path / "criteria"

    def _plant(file: str, old: str, new: str) -> tuple[Path, str, int]:
        if not dest.exists():
            shutil.copytree(CRITERIA, dest)
        path = dest / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{file} no longer contains {old!r}; update this test case"
        index = text.index(old)
        text = text[:index] + new + text[index + len(old) :]
        path.write_text(text, encoding="utf-8")
        return dest, text, index

    return _plant


def position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def test_shipped_criteria_are_clean() -> None:
    criteria, diagnostics = check_criteria(CRITERIA)
    assert diagnostics == []
    assert criteria is not None
    assert set(criteria.files) == {"district", "industry", "enterprise", "county", "province"}


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    old: str
    new: str
    code: str
    at: str | None  # marker where the span starts; None: a file-level diagnostic (no span)
    words: tuple[str, ...]
    hint: str | None = None  # words in the hint
    at_after_plant: bool = False  # search the marker from the planted text on
    first_at: str | None = None  # the message names the line of this marker's first use
    count: int | None = 1  # how many diagnostics in all (None: do not check)


DRUG = "rule: drug_evaluation_pass_rate >= 96%"
LED = 'rule: count(led_standards where level in {"international", "national", "industry"}) >= 1'
BRANDS = 'rule: count(brands where level in {"provincial", "national", "international"}) >= 4'

CASES = [
    Case(
        "unknown-field",
        "industry.yaml",
        "rule: key_energy_unit_metering_rate >= 95%",
        "rule: spot_chek_pass_rate >= 95%",
        "E103",
        "spot_chek_pass_rate",
        ("unknown field", "'spot_chek_pass_rate'"),
        hint="did you mean 'spot_check_pass_rate'",
    ),
    Case(
        "unknown-parameter",
        "industry.yaml",
        "rule: province_scale_rank <= $scale_rank_top",
        "rule: province_scale_rank <= $scale_rank_tp",
        "E103",
        "$scale_rank_tp",
        ("unknown parameter", "scale_rank_tp"),
        hint="$scale_rank_top",
    ),
    Case(
        "unknown-clause-key",
        "district.yaml",
        "    title: 质量水平高\n",
        "    titel: 质量水平高\n",
        "E101",
        "titel",
        ("unknown key", "'titel'"),
        hint="did you mean 'title'",
        count=2,  # and: the clause lacks 'title'
    ),
    Case(
        "unknown-file-key",
        "district.yaml",
        'version: "2024.1"\n',
        'version: "2024.1"\nversoin: 2\n',
        "E101",
        "versoin",
        ("unknown key", "'versoin'"),
        hint="'version'",
    ),
    Case(
        "duplicate-clause-id",
        "district.yaml",
        "id: district/1/food_processing",
        "id: district/1/food_planting_breeding",
        "E101",
        "district/1/food_planting_breeding",
        ("duplicate clause id", "district/1/food_planting_breeding"),
        at_after_plant=True,
        first_at="id: district/1/food_planting_breeding",
    ),
    Case(
        "duplicate-yaml-key",
        "district.yaml",
        f"        {DRUG}\n",
        f"        {DRUG}\n        rule: drug_evaluation_pass_rate >= 95%\n",
        "E002",
        "rule: drug_evaluation_pass_rate >= 95%",
        ("duplicate key 'rule'",),
        first_at=DRUG,
        count=None,  # see test_unreadable_file_does_not_also_report_its_kind_missing
    ),
    Case(
        "rate-compared-with-bool",
        "district.yaml",
        DRUG,
        "rule: drug_evaluation_pass_rate = true",
        "E104",
        "drug_evaluation_pass_rate = true",
        ("percentage", "yes/no"),
    ),
    Case(
        "percent-bound-on-count",
        "industry.yaml",
        LED,
        LED.replace(">= 1", ">= 50%"),
        "E104",
        "count(led_standards",
        ("percentage", "count"),
    ),
    Case(
        "rate-compared-with-number",
        "district.yaml",
        DRUG,
        "rule: drug_evaluation_pass_rate >= 96",
        "E104",
        "drug_evaluation_pass_rate >= 96",
        ("percentage", "number"),
        hint="%",
    ),
    Case(
        "points-compared-with-number",
        "district.yaml",
        "standard_adoption_rate.baseline >= 5个百分点",
        "standard_adoption_rate.baseline >= 5",
        "E104",
        "standard_adoption_rate.current -",
        ("percentage points", "number"),
        hint="pp",
    ),
    Case(
        "percent-above-100",
        "district.yaml",
        DRUG,
        "rule: drug_evaluation_pass_rate >= 960%",
        "E104",
        "960%",
        ("960%", "above 100%"),
    ),
    Case(
        "rate-used-as-condition",
        "district.yaml",
        DRUG,
        "rule: drug_evaluation_pass_rate",
        "E104",
        "drug_evaluation_pass_rate",
        ("percentage", "yes/no"),
        hint=">=",
        at_after_plant=True,
    ),
    Case(
        "enum-typo-in-set",
        "industry.yaml",
        BRANDS,
        BRANDS.replace('"provincial"', '"provincal"'),
        "E104",
        '"provincal"',
        ("'provincal'", "allowed"),
        hint="did you mean 'provincial'",
    ),
    Case(
        "sum-without-of",
        "industry.yaml",
        "sum(sales of brands where",
        "sum(brands where",
        "E102",
        "sum(brands",
        ("sum(", "needs a value"),
    ),
    Case(
        "window-on-list-without-dates",
        "industry.yaml",
        "rule: count(led_standards where level",
        "rule: count(led_standards within 2 years where level",
        "E104",
        "within 2 years",
        ("'led_standards'", "no dates", "within"),
    ),
    Case(
        "missing-text",
        "district.yaml",
        "        text: 药品评价性抽验合格率达到96%以上\n",
        "",
        "E101",
        "id: district/1/drug_evaluation",
        ("district/1/drug_evaluation", "needs 'text'"),
    ),
    Case(
        "rule-and-all",
        "district.yaml",
        f"        {DRUG}\n",
        f"        {DRUG}\n        all:\n          - {{id: x/1, title: t, text: t, {DRUG}}}\n",
        "E101",
        "id: district/1/drug_evaluation",
        ("district/1/drug_evaluation", "exactly one of", "rule, all"),
    ),
    Case(
        "clause-not-a-mapping",
        "district.yaml",
        "      - id: district/1/drug_evaluation\n",
        "      - just some text\n      - id: district/1/drug_evaluation\n",
        "E101",
        "just some text",
        ("clause must be a mapping",),
    ),
    Case(
        "bad-parameter-default",
        "district.yaml",
        "    default: 20%\n",
        "    default: 120%\n",
        "E101",
        "120%",
        ("quality_loss_drop", "above 100%"),
    ),
    Case(
        "rule-not-text",
        "district.yaml",
        DRUG,
        "rule: true",
        "E102",
        "true",
        ("'rule'", "text"),
        at_after_plant=True,
    ),
    Case(
        "syntax-error-chinese-and",
        "district.yaml",
        DRUG,
        "rule: drug_evaluation_pass_rate >= 96% 且 ccc_product_pass_rate >= 94%",
        "E102",
        "且",
        ("unexpected", "且"),
        hint="'and'",
    ),
    Case(
        "required-top-level-clause-missing",
        "industry.yaml",
        "  - id: industry/scale\n",
        "  - id: industry/scales\n",
        "E105",
        None,
        ("'industry/scale'",),
    ),
    Case(
        "kind-typo",
        "district.yaml",
        "kind: district\n",
        "kind: distrct\n",
        "E101",
        "distrct",
        ("kind", "'distrct'"),
        hint="'district'",
        count=None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_planted_error(plant: Plant, case: Case) -> None:
    directory, text, planted = plant(case.file, case.old, case.new)
    criteria, diagnostics = check_criteria(directory)
    assert criteria is None
    matching = [d for d in diagnostics if d.code == case.code]
    if case.at is None:
        found = [d for d in matching if d.span is None and (d.path or "").endswith(case.file)]
    else:
        index = text.index(case.at, planted if case.at_after_plant else 0)
        line, col = position(text, index)
        found = [
            d
            for d in matching
            if d.span is not None
            and d.span.file.endswith(case.file)
            and (d.span.line, d.span.col) == (line, col)
        ]
    assert len(found) == 1, "\n".join(d.headline() for d in diagnostics)
    d = found[0]
    for word in case.words:
        assert word in d.message
    if case.hint is not None:
        assert d.hint is not None and case.hint in d.hint, d
    if case.first_at is not None:
        first_line, _ = position(text, text.index(case.first_at))
        assert f"line {first_line}" in d.message
    if case.count is not None:
        assert len(diagnostics) == case.count, "\n".join(x.headline() for x in diagnostics)


def test_load_criteria_raises_every_problem(plant: Plant) -> None:
    directory, _, _ = plant("industry.yaml", "$scale_rank_top", "$scale_rank_tp")
    with pytest.raises(CriteriaErrors) as info:
        load_criteria(directory)
    assert [d.code for d in info.value.diagnostics] == ["E103"]
    assert "scale_rank_tp" in str(info.value)


def test_all_problems_in_a_file_are_reported_together(plant: Plant) -> None:
    plant("district.yaml", DRUG, "rule: drug_evaluation_pass_rat >= 96%")
    plant("district.yaml", "rule: licensed_product_pass_rate >= 95%",
          "rule: licensed_product_pass_rate >= 95")
    directory, text, _ = plant("district.yaml", "rule: ccc_product_pass_rate >= 94%",
                               "rule: ccc_product_pass_rate >= 94% 且 x")
    criteria, diagnostics = check_criteria(directory)
    assert criteria is None
    got = sorted((d.span.line, d.code) for d in diagnostics if d.span is not None)
    expected = sorted([
        (position(text, text.index("drug_evaluation_pass_rat >= 96%"))[0], "E103"),
        (position(text, text.index("licensed_product_pass_rate >= 95"))[0], "E104"),
        (position(text, text.index("且 x"))[0], "E102"),
    ])
    assert got == expected
    assert len(diagnostics) == 3


def test_problems_in_several_files_are_reported_together(plant: Plant) -> None:
    plant("district.yaml", DRUG, "rule: drug_evaluation_pass_rat >= 96%")
    plant("industry.yaml", "$scale_rank_top", "$scale_rank_tp")
    directory, _, _ = plant("enterprise.yaml", "rule: leading_role", "rule: leading_rol")
    _, diagnostics = check_criteria(directory)
    files = sorted(Path(d.span.file).name for d in diagnostics if d.span is not None)
    assert files == ["district.yaml", "enterprise.yaml", "industry.yaml"]
    assert {d.code for d in diagnostics} == {"E103"}


def test_unreadable_file_does_not_also_report_its_kind_missing(plant: Plant) -> None:
    """A YAML error in district.yaml is the problem; 'no criteria file for kind' is not true."""
    directory, _, _ = plant(
        "district.yaml", f"        {DRUG}\n", f"        {DRUG}\n        rule: x\n"
    )
    _, diagnostics = check_criteria(directory)
    assert [d.code for d in diagnostics] == ["E002"], [d.headline() for d in diagnostics]


def test_empty_rule_is_an_error(plant: Plant) -> None:
    """``rule:`` with nothing after it must not silently become a clause that always passes."""
    directory, text, planted = plant("district.yaml", DRUG, "rule:")
    criteria, diagnostics = check_criteria(directory)
    line, _ = position(text, planted)
    assert criteria is None, "an empty rule was accepted"
    assert any(
        d.code in ("E101", "E102") and d.span is not None and d.span.line in (line - 4, line)
        for d in diagnostics
    ), [d.headline() for d in diagnostics]


def test_each_problem_is_reported_once(plant: Plant) -> None:
    """A file-level 'section' that is not text is one problem, reported once."""
    directory, text, planted = plant("district.yaml", "section: 三(一)\n", "section: true\n")
    _, diagnostics = check_criteria(directory)
    line, col = position(text, planted + len("section: "))
    at_section = [d for d in diagnostics if d.span is not None
                  and (d.span.line, d.span.col) == (line, col)]
    assert len(at_section) == 1, [d.headline() for d in diagnostics]
    assert at_section[0].code == "E101"
    assert "'section'" in at_section[0].message
    headlines = [d.headline() for d in diagnostics]
    assert len(headlines) == len(set(headlines)), headlines


def test_missing_kind_file_is_e105(tmp_path: Path) -> None:
    dest = tmp_path / "criteria"
    shutil.copytree(CRITERIA, dest)
    (dest / "county.yaml").unlink()
    _, diagnostics = check_criteria(dest)
    assert [d.code for d in diagnostics] == ["E105"]
    assert "'county'" in diagnostics[0].message


# -- rendering ---------------------------------------------------------------------------


def test_render_syntax_error_with_chinese_before_the_caret(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "kind: district\ntitle: 测试\nsection: 三(一)\nclauses:\n"
        "  - id: d/1\n    title: 质量水平高\n    text: 原文\n"
        '    rule: kind = "开发区" 且 export_demo_zone\n',
        encoding="utf-8",
    )
    _, diagnostics = read_criteria_file(path)
    assert len(diagnostics) == 1
    # 23 characters before 且, three of them wide: the caret goes 26 cells in.
    assert render_diagnostic(diagnostics[0]) == (
        f"{path}:8:24: error[E102]: unexpected character '且'\n"
        '  |     rule: kind = "开发区" 且 export_demo_zone\n'
        "  |                           ^~\n"
        "  = hint: write 'and' instead of '且'"
    )


def test_render_unknown_field_after_chinese_in_a_flow_mapping(plant: Plant) -> None:
    old = (
        "      - id: district/1/drug_evaluation\n"
        "        title: 药品评价性抽验合格率达到96%以上\n"
        "        title_en: Drug evaluation sampling pass rate at least 96%\n"
        "        text: 药品评价性抽验合格率达到96%以上\n"
        f"        {DRUG}\n"
    )
    line = (
        "      - {id: district/1/drug_evaluation, title: 药品合格率, text: 药品评价性抽验,"
        " rule: drug_evaluation_pass_rat >= 96%}"
    )
    directory, text, planted = plant("district.yaml", old, line + "\n")
    _, diagnostics = check_criteria(directory)
    assert len(diagnostics) == 1
    d = diagnostics[0]
    lineno, _ = position(text, planted)
    # 76 characters before the name, 12 of them wide: 88 cells; the name is 24 long.
    assert render_diagnostic(d) == (
        f"{directory / 'district.yaml'}:{lineno}:77: error[E103]: "
        "unknown field 'drug_evaluation_pass_rat' (not a field of a district)\n"
        f"  | {line}\n"
        f"  | {' ' * 88}^{'~' * 23}\n"
        "  = hint: did you mean 'drug_evaluation_pass_rate'?"
    )


def test_render_without_span_is_the_headline_only() -> None:
    d = Diagnostic("E105", "no criteria file for kind 'county'", None, file="criteria")
    assert render_diagnostic(d) == "criteria: error[E105]: no criteria file for kind 'county'"


def test_render_span_over_several_lines_underlines_to_the_end_of_the_first(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("a: 质量\nb: x\n", encoding="utf-8")
    from qstrong.core.source import Span

    d = Diagnostic("E101", "m", Span(str(path), 1, 4, 2, 2), "h")
    assert render_diagnostic(d) == (
        f"{path}:1:4: error[E101]: m\n  | a: 质量\n  |    ^~~~\n  = hint: h"
    )


def test_check_warns_where_words_and_rules_disagree(tmp_path: Path) -> None:
    from qstrong.cli import main as cli_main

    copy = tmp_path / "criteria"
    shutil.copytree(CRITERIA, copy)
    district = copy / "district.yaml"
    text = district.read_text(encoding="utf-8")
    text = text.replace("rule: food_spot_check_pass_rate.processing >= 94%",
                        "rule: food_spot_check_pass_rate.processing > 95%")
    text = text.replace("    default: 20%", "    default: 0.2")
    district.write_text(text, encoding="utf-8")
    from qstrong.lang.review import review_files

    warnings = review_files(load_criteria(copy).files.values())
    assert sorted(w.code for w in warnings) == ["W101", "W102", "W103"]
    lines = text.splitlines()
    assert {w.span.line for w in warnings if w.span} == {
        lines.index("  quality_loss_drop:") + 1,
        lines.index("      - id: district/1/food_processing") + 1}
    assert cli_main(["check", str(copy)]) == 0
    assert cli_main(["check", str(copy), "--strict"]) == 1


def test_the_shipped_criteria_have_no_review_warnings() -> None:
    from qstrong.lang.review import review_files

    assert review_files(load_criteria(CRITERIA).files.values()) == []


def test_an_unquoted_code_is_told_to_be_quoted(tmp_path: Path) -> None:
    import shutil

    import qstrong
    from qstrong.engine.ruleset import packaged_criteria_dir

    shutil.copytree(packaged_criteria_dir(), tmp_path / "c")
    page = tmp_path / "c" / "enterprise.yaml"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('type = "key_indicator_failure"',
                                 "type = key_indicator_failure"), encoding="utf-8")
    with pytest.raises(qstrong.CriteriaErrors) as caught:
        qstrong.load_criteria(tmp_path / "c")
    (problem,) = caught.value.diagnostics
    assert "not a field of the items of incidents" in problem.message
    assert "EnterpriseIncident" not in problem.message
    assert problem.hint is not None and 'type = "key_indicator_failure"' in problem.hint
