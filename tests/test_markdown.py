"""The Markdown report: sections, tables that keep their columns, blocking clauses, escaping."""

from __future__ import annotations

import re

import pytest

from helpers import EXAMPLE
from qstrong import evaluate
from qstrong.engine.results import Report
from qstrong.report.markdown import md_code, md_text, render_markdown

NASTY = "<b>大唐</b> | *袜业* [x](y) `z`"
CELL_SPLIT = re.compile(r"(?<!\\)\|")


@pytest.fixture(scope="module")
def md(report: Report) -> str:
    return render_markdown(report)


@pytest.fixture(scope="module")
def d1_name() -> str:
    """The mixed example `report` names D1 ``NASTY``."""
    return NASTY


def _section(md: str, heading: str) -> str:
    start = md.index(heading + "\n")
    end = md.find("\n## ", start + 1)
    return md[start:] if end < 0 else md[start:end]


def _tables(text: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def test_outline(report: Report, md: str) -> None:
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings[:5] == [
        "# 诸暨市（330681）质量强县评定",
        "## 县域目标：✗ 未达标",
        "## 产品质量强区",
        "## 产品质量强业",
        "## 产品质量强企",
    ]
    assert "## 未达标和无法判定的条款" in headings and headings[-1] == "## 评定参数"
    assert "评审基准日 2014-11-01 · 评定标准 " + report.criteria.version in md
    assert md.endswith("|\n")


def test_every_table_row_has_as_many_cells_as_its_header(md: str) -> None:
    tables = _tables(md)
    assert len(tables) == 6  # county counts, county clauses, three kinds, parameters
    for table in tables:
        widths = {len(CELL_SPLIT.split(row)) for row in table}
        assert len(widths) == 1, table[:3]


def test_county_summary(report: Report, md: str) -> None:
    county = _section(md, "## 县域目标：✗ 未达标")
    counts, clauses = _tables(county)
    assert counts[2] == "| 产品质量强区 | 0 | 2 | 1 | 1 |"
    n = sum(e.kind == "enterprise" for e in report.entities)
    assert counts[4] == f"| 产品质量强企 | {n} | {n} | 0 | 0 |"
    assert len(clauses) == 2 + sum(len(c.walk()) for c in report.county.clauses)
    assert "| `county/districts` 2个以上质量强区 | ✗ 未达标 | " in county


def test_kind_tables_have_a_row_per_candidate_and_a_column_per_top_clause(
        report: Report, md: str) -> None:
    for kind, heading in (("district", "## 产品质量强区"), ("industry", "## 产品质量强业"),
                          ("enterprise", "## 产品质量强企")):
        (table,) = _tables(_section(md, heading))
        members = [e for e in report.entities if e.kind == kind]
        assert len(table) == 2 + len(members)
        header = CELL_SPLIT.split(table[0])[1:-1]
        assert [h.strip().split(" ")[0] for h in header[3:]] == [
            f"`{c.id}`" for c in members[0].clauses]
    d2, i1 = report.entity("D2"), report.entity("I1")
    assert f"| D2 | {md_text(d2.name)} | ? 无法判定 | ✓ | ? | ✓ | ✓ |" in md
    assert f"| I1 | {md_text(i1.name)} | ✓ 达标 | {' | '.join(['✓'] * len(i1.clauses))} |" in md


def test_blocking_leaves_with_margins_plan_text_and_missing_data(report: Report, md: str) -> None:
    problems = _section(md, "## 未达标和无法判定的条款")
    assert [line for line in problems.splitlines() if line.startswith("### ")] == [
        f"### ✗ 产品质量强区 D1 {md_text(NASTY)}：未达标",
        f"### ? 产品质量强区 D2 {md_text(report.entity('D2').name)}：无法判定",
        "### ✗ 县域目标：未达标",
    ]
    d1 = problems[problems.index("### ✗ 产品质量强区 D1"):problems.index("### ? ")]
    assert d1.splitlines()[2:] == [
        "- ✗ `district/1/drug_evaluation` 药品评价性抽验合格率达到96%以上（三(一)1）："
        "药品评价性抽验合格率 90%（要求 ≥ 96%），差 6个百分点",
        "  - 差距：差 6个百分点",
        "  - 方案原文：药品评价性抽验合格率达到96%以上",
        "",
    ]
    d2 = problems[problems.index("### ? "):problems.index("### ✗ 县域目标")]
    assert "- ? `district/1/drug_evaluation`" in d2
    assert "  - 缺少数据：药品评价性抽验合格率 `drug_evaluation_pass_rate`" in d2
    assert "- ✗ `county/districts` 2个以上质量强区（二(一)）" in problems
    # Passing candidates and passing clauses of failing ones are not listed.
    assert "I1" not in problems and "food_processing" not in problems


def test_all_pass_example_says_so() -> None:
    md = render_markdown(evaluate(EXAMPLE))
    assert "## 县域目标：✓ 达标" in md
    assert _section(md, "## 未达标和无法判定的条款").splitlines()[2] == "所有候选对象均达标。"


def test_english(report: Report) -> None:
    md = render_markdown(report, lang="en")
    assert md.startswith("# 诸暨市 (330681) quality-strong county assessment\n")
    assert "## County target: ✗ fail" in md
    assert "## Districts (强区)" in md
    assert "  - Margin: short by 6 percentage points" in md
    assert "Drug evaluation sampling pass rate at least 96%" in md
    assert "未达标" not in md


def test_report_texts_are_escaped(md: str) -> None:
    assert NASTY not in md and md_text(NASTY) in md
    assert md_text(NASTY) == r"\<b\>大唐\</b\> \| \*袜业\* \[x\](y) \`z\`"


def test_md_text_and_code() -> None:
    assert md_text("line one\n  line two") == "line one line two"
    assert md_text("snake_case _emph_ a*b") == r"snake_case \_emph\_ a\*b"
    assert md_text("C:\\path") == "C:\\\\path"
    assert md_code("a|b") == r"`a\|b`"
    assert md_code("has `tick`") == "`` has `tick` ``"  # CommonMark strips one space
    assert md_code("`") == "`` ` ``"


def test_deterministic_and_languages_checked(report: Report, md: str) -> None:
    assert render_markdown(report) == md
    with pytest.raises(ValueError, match="unsupported language"):
        render_markdown(report, lang="de")


def test_a_commonmark_parser_reads_the_tables_and_keeps_texts_as_text(md: str) -> None:
    # markdown-it-py comes with rich (a dependency of qstrong); CommonMark plus GFM tables.
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 6
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<b>" not in rendered and "<em>" not in rendered and "<a " not in rendered
    assert "<td>&lt;b&gt;大唐&lt;/b&gt; | *袜业* [x](y) `z`</td>" in rendered
    assert "<code>district/1/drug_evaluation</code>" in rendered


def test_docstring_examples() -> None:
    import doctest

    import qstrong.report.markdown

    result = doctest.testmod(qstrong.report.markdown)
    assert result.attempted >= 2 and result.failed == 0


def test_tilde_is_escaped_only_where_it_could_strike_through() -> None:
    assert md_text("0 个 ~ 1 个") == "0 个 ~ 1 个"
    assert md_text("~~x~~ a~b") == r"\~\~x\~\~ a\~b"


def test_markdown_keeps_no_explanation_and_explains_only_what_blocks() -> None:
    """The marks are read off the verdicts; only a candidate that is not strong is explained
    (for its blocking clauses), and nothing made for the page is kept."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "county-mixed.yaml"
    expected = render_markdown(evaluate(example))
    report = evaluate(example)
    made: list[str] = []
    for e in report.entities:  # the one way in to a candidate's trees for a writer
        trees = e.clause_trees
        e.clause_trees = (  # type: ignore[method-assign]
            lambda *, keep=True, e=e, trees=trees: made.append(e.id) or trees(keep=keep))
    assert render_markdown(report) == expected
    not_strong = {e.id for e in report.entities if e.status.value != "pass"}
    assert not_strong and set(made) == not_strong
    assert not any(e.__dict__.get("_clauses") for e in report.entities)
