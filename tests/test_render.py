"""Text rendering of reports and explanations: marks, margins, tables, filters, width, colour."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from helpers import good_enterprise, near_miss_district
from qstrong import evaluate
from qstrong.core.errors import Diagnostic
from qstrong.core.logic import Status
from qstrong.core.source import Span, display_width
from qstrong.core.vocab import MARKS
from qstrong.engine.advice import advise
from qstrong.engine.results import Report
from qstrong.report.diagnostics import render_diagnostic
from qstrong.report.text import (
    ReportFilter,
    explain_text,
    plain_console,
    render_report,
    report_text,
)

ENTERPRISE: dict[str, Any] = {
    "id": "E1", "name": "甲袜业有限公司", "industry": "I1", "above_designated_size": True,
    **good_enterprise(advanced_qm=False, implements_alliance_standard=True, licensed=False),
}
DISTRICT = near_miss_district(kind="industry_cluster_zone")
INDUSTRY: dict[str, Any] = {
    "id": "I1", "name": "袜业", "product_class": "袜子", "total_output": 1000,
    "province_scale_rank": 2, "industrial_policy_compliant": True,
    "local_policy_opinion": True, "association_established": True,
    "association_active": True, "integrity_code_in_alliance_standard": True,
    "quality_culture": True, "unit_energy_consumption": "0.47",
    "key_energy_unit_metering_rate": 97, "has_block_standard": True,
    "alliance_standard_established": False,
    "led_standards": [{"name": "行标", "level": "industry"}],
    "brands": [{"name": n, "level": "provincial", "sales": 100} for n in "甲乙丙丁"],
    "has_regional_brand": False, "regional_brand": None, "public_service_platform": True,
    "responsibilities_fulfilled": True, "spot_check_pass_rate": {2013: 92, 2014: 93},
    "incidents": [],
}


def small_dataset() -> dict[str, Any]:
    """Two districts (D1 fails by 0.4 points and lacks one rate, D2 passes), one industry
    whose two above-size members both lack advanced QM, and a passing enterprise E3."""
    d2 = dict(DISTRICT, id="D2", name="乙产业集群示范区", drug_evaluation_pass_rate=97,
              agri_standardization_rate=65)
    e2 = dict(ENTERPRISE, id="E2", name="乙袜业有限公司", quality_loss_tracked=None)
    e3 = dict(ENTERPRISE, id="E3", name="丙机械有限公司", industry=None, advanced_qm=True)
    return copy.deepcopy({
        "assessment": {"date": "2014-11-01"},
        "county": {"code": "330681", "name": "测试县"},
        "province_benchmarks": {"quality_loss_rate": "1.8",
                                "spot_check_pass_rate": {2013: "89.6", 2014: "90.3"},
                                "unit_energy_consumption": {"袜子": "0.52"}},
        "districts": [DISTRICT, d2], "industries": [INDUSTRY],
        "enterprises": [ENTERPRISE, e2, e3],
    })


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(small_dataset())


def assert_fits(text: str, width: int = 80) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, line
        assert display_width(line) <= width, line


# ------------------------------------------------------------------ report text


def test_plain_text_has_no_ansi_and_fits_80_columns(report: Report) -> None:
    for lang in ("zh", "en"):
        text = report_text(report, lang)
        assert "\x1b" not in text
        assert_fits(text)
        assert all(line == line.rstrip() for line in text.splitlines())


def test_text_report_shows_marks_and_margins(report: Report) -> None:
    text = report_text(report)
    assert text.startswith("测试县（330681）质量强县评定\n评审基准日 2014-11-01")
    assert "✗ D1 甲产业集聚区：未达标" in text
    assert "✓ D2 乙产业集群示范区：达标" in text
    assert "├── ✗ 三(一)1 质量水平高 · 8 项中 7 项达标、1 项未达标" in text
    assert ("│   ├── ✗ 药品评价性抽验合格率达到96%以上\n"
            "│   │   95.6%（要求 ≥ 96%），差 0.4个百分点") in text
    assert "? 农业标准化生产普及率超过60%" in text
    assert "缺少数据：农业标准化生产普及率（agri_standardization_rate）" in text
    assert "– 已获区域名牌的，使用区域名牌标志企业产值占40%以上" in text
    assert "0/2 家 = 0%，差 50个百分点，还需 1 家（要求 ≥ 50%）" in text
    assert "97%（要求 ≥ 96%），超出 1个百分点" in text


def test_unknown_clauses_show_what_is_known_beside_what_is_missing() -> None:
    data = small_dataset()
    data["enterprises"][0]["advanced_qm"] = None     # E1 unknown, E2 known not to
    report = evaluate(data)
    node = report.entity("I1").clause("industry/2/advanced_qm")
    assert node.status is Status.UNKNOWN
    text = report_text(report, width=200)
    assert ("? 50%以上的规上企业导入和实施先进的质量管理模式\n"
            "│   │   已知 0/2 家符合，1 家缺数据；结论取决于缺失数据（阈值 50%）（要求 ≥ 50%）；"
            "缺少数据：规上企业 E1 · 导入并实施先进有效的质量管理方式/模式"
            "（members[E1].advanced_qm）") in text
    english = report_text(report, lang="en", width=200)
    assert "0/2 known to qualify, 1 lack data; the verdict depends on the missing data" in english
    # A value that is simply missing still reads as missing data, without a (缺失) value.
    plain = report_text(evaluate(small_dataset()), width=200)
    assert "? 农业标准化生产普及率超过60%\n│   │   缺少数据：农业标准化生产普及率" in plain


def test_every_mark_appears(report: Report) -> None:
    text = report_text(report)
    for status in Status:
        assert f"{MARKS[status]} " in text


def test_summary_tables_and_county_counts(report: Report) -> None:
    text = report_text(report)
    assert "1 个达标 / 共 2 个候选（未达标 1，无法判定 0）" in text
    assert "1 个达标 / 共 3 个候选（未达标 2，无法判定 0）" in text
    assert "1 属于强区建设主体的区域类型  2 质量水平高  3 质量创优强  4 质量安全稳" in text
    assert re.search(r"D1\s+甲产业集聚区\s+✗ 未达标\s+✓\s+✗\s+\?\s+✓", text)
    assert re.search(r"E3\s+丙机械有限公司\s+✓ 达标(\s+✓){5}", text)
    assert "✗ 测试县（330681）县域目标：未达标" in text
    assert "1 个（要求 ≥ 2 个），差 1 个" in text
    assert re.search(r"产品质量强企\s+1\s+2\s+0\s+3", text)
    # the county verdict comes last, after the per-kind tables
    assert text.index("汇总") < text.index("县域目标：未达标")
    assert "$stable_years = 2 年（默认）" in text


def test_english(report: Report) -> None:
    text = report_text(report, "en")
    assert "测试县 (330681) quality-strong county assessment" in text
    assert "✗ D1 甲产业集聚区: fail" in text
    assert "95.6% (required ≥ 96%); short by 0.4 percentage points" in text
    assert "Drug evaluation sampling pass rate at least 96%" in text
    assert "1 pass of 2 candidates (1 fail, 0 unknown)" in text
    assert "County target 二(一)" in text


def test_status_filter_prunes_candidates_and_clauses(report: Report) -> None:
    text = report_text(report, filters=ReportFilter(statuses=frozenset({Status.FAIL})))
    assert "✗ D1 甲产业集聚区" in text
    assert "D2 乙产业集群示范区：达标" not in text
    assert "E3 丙机械有限公司：达标" not in text
    assert "药品评价性抽验合格率达到96%以上" in text
    assert "种养环节食品抽查合格率" not in text  # passing leaves are hidden
    assert "农业标准化生产普及率超过60%" not in text  # unknown is not asked for
    assert "✗ 测试县（330681）县域目标" in text  # the county fails too


def test_not_applicable_filter_finds_candidates_with_such_clauses(report: Report) -> None:
    text = report_text(report, filters=ReportFilter(
        statuses=frozenset({Status.NOT_APPLICABLE})))
    assert "✗ I1 袜业：未达标" in text
    assert "– 已获区域名牌的，使用区域名牌标志企业产值占40%以上" in text
    assert "D1 甲产业集聚区" not in text and "药品评价性" not in text


def test_a_filter_that_matches_nothing_says_so(report: Report) -> None:
    text = report_text(report, filters=ReportFilter(statuses=frozenset({Status.PASS}),
                                                    kinds=frozenset({"industry"})))
    assert text.rstrip().endswith("（没有符合筛选条件的候选对象）")


def test_kind_and_entity_filters(report: Report) -> None:
    text = report_text(report, filters=ReportFilter(kinds=frozenset({"enterprise"})))
    assert "产品质量强区 三(一)" not in text and "E1 甲袜业有限公司" in text
    assert "县域目标：" not in text
    text = report_text(report, filters=ReportFilter(entities=frozenset({"E2"})))
    assert "E2 乙袜业有限公司" in text and "E1 甲袜业有限公司：" not in text
    assert "县域目标：" not in text
    text = report_text(report, filters=ReportFilter(kinds=frozenset({"county"})))
    assert "县域目标：未达标" in text and "D1" not in text


def test_narrower_width_still_fits(report: Report) -> None:
    assert_fits(report_text(report, width=60), 60)


def test_colour_only_on_a_terminal(report: Report) -> None:
    plain = io.StringIO()
    render_report(report, plain_console(plain))
    assert "\x1b" not in plain.getvalue()
    coloured = io.StringIO()
    console = Console(file=coloured, force_terminal=True, color_system="standard", width=80)
    render_report(report, console)
    assert "\x1b[31m✗" in coloured.getvalue()
    assert "\x1b[32m✓" in coloured.getvalue()


# ------------------------------------------------------------------ explanations


def test_explanation_has_every_detail_and_the_advice(report: Report) -> None:
    entity = report.entity("D1")
    text = explain_text(entity, advise(entity))
    assert_fits(text)
    assert "✗ 产品质量强区 D1 甲产业集聚区：未达标" in text
    assert "规则：drug_evaluation_pass_rate >= 96%" in text
    assert "数据：药品评价性抽验合格率（drug_evaluation_pass_rate）= 95.6%" in text
    assert "district/1/drug_evaluation" in text
    assert "参数：$stable_years = 2 年（默认）" in text
    advice = text[text.index("要达标需要"):]
    flat = " ".join(advice.split())
    assert "1 项未达标条款需达到要求，1 项条款需补充数据后判定" in flat
    assert "1. ✗ 三(一)1 药品评价性抽验合格率达到96%以上" in advice
    assert "差 0.4个百分点" in advice
    assert "补充数据：农业标准化生产普及率（agri_standardization_rate）" in advice


def test_explanation_lists_aggregate_members(report: Report) -> None:
    entity = report.entity("I1")
    text = explain_text(entity, advise(entity))
    assert_fits(text)
    assert "逐项：share(members where advanced_qm)" in text
    assert "✗ 甲袜业有限公司（E1）" in text
    assert "适用条件：not has_block_standard → 未达标" in text
    assert "还需 1 家" in text


def test_explanation_plan_text_has_no_folding_spaces(report: Report) -> None:
    entity = report.entity("I1")
    text = explain_text(entity, advise(entity), width=400)
    plan = next(line for line in text.splitlines() if "原文：50%以上的规上企业导入" in line)
    assert "且质量损失率低于全省平均水平" in plan


def test_county_explanation_and_passing_advice(report: Report) -> None:
    text = explain_text(report.county, advise(report.county), "en")
    assert "✗ 测试县 (330681) county target: fail" in text
    assert "short by 29" in text
    entity = report.entity("E3")
    assert "already passes" in explain_text(entity, advise(entity), "en")


# ------------------------------------------------------------------ diagnostics


def test_render_diagnostic_is_unchanged(tmp_path: Any) -> None:
    path = tmp_path / "district.yaml"
    path.write_text("kind: district\n    rule: spot_chek_pass_rate >= 93.5%\n", encoding="utf-8")
    d = Diagnostic("E103", "unknown field 'spot_chek_pass_rate'",
                   Span(str(path), 2, 11, 2, 30), "did you mean 'spot_check_pass_rate'?")
    assert render_diagnostic(d, "en") == (
        f"{path}:2:11: error[E103]: unknown field 'spot_chek_pass_rate'\n"
        "  |     rule: spot_chek_pass_rate >= 93.5%\n"
        "  |           ^" + "~" * 18 + "\n"
        "  = hint: did you mean 'spot_check_pass_rate'?"
    )
    assert render_diagnostic(Diagnostic("E201", "bad", loc=("districts", 0, "x"))) == (
        "districts[0].x: error[E201]: bad")


def test_terminal_escapes_in_data_are_shown_not_sent() -> None:
    data = {"assessment": {"date": "2014-11-01"},
            "county": {"code": "330681", "name": "县\x1b[2J"},
            "enterprises": [{"id": "E1", "name": "甲\x1b]8;;http://evil\x07乙"}]}
    report = evaluate(data)
    text = report_text(report, "zh", width=100)
    assert "\x1b" not in text and "\x07" not in text
    assert "县\\x1b[2J" in text and "甲\\x1b]8;;http://evil" in text  # rich drops BEL itself
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    render_report(report, console, "zh")
    shown = buffer.getvalue()
    assert "\x1b[2J" not in shown and "\x1b]8" not in shown and "\x07" not in shown


def test_report_text_takes_tree_lines_straight_from_their_layout() -> None:
    """The fast plain path of `report_text` writes what printing every renderable writes."""
    from qstrong.report.consoles import captured as _captured
    from qstrong.report.text import explanation_renderables, report_renderables

    report = evaluate(Path(__file__).resolve().parents[1] / "examples" / "county.yaml")
    for lang in ("zh", "en"):
        drawn = report_renderables(report, lang)
        assert _captured(drawn, 80, fast=True) == _captured(drawn, 80, fast=False)
    from qstrong.engine.advice import advise

    entity = report.entities[0]
    drawn = explanation_renderables(entity, advise(entity), "zh")
    assert _captured(drawn, 60, fast=True) == _captured(drawn, 60, fast=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_streamed_text_report_is_the_text_and_keeps_no_explanation(lang: str) -> None:
    """`write_report_text` (what ``qstrong evaluate`` writes) gives `report_text`'s text and
    lets each candidate's explanation go once its tree is written."""
    from qstrong.report.text import ReportFilter, report_text, write_report_text

    example = Path(__file__).resolve().parents[1] / "examples" / "county-mixed.yaml"
    for filters in (ReportFilter(), ReportFilter(statuses=frozenset({Status.FAIL})),
                    ReportFilter(kinds=frozenset({"district"}))):
        expected = report_text(evaluate(example), lang, filters=filters)
        streamed = evaluate(example)
        out = io.StringIO()
        write_report_text(streamed, out, lang, filters=filters)
        assert out.getvalue() == expected
        assert not any(e.__dict__.get("_clauses") for e in streamed.entities)


@pytest.mark.parametrize("name", ["county.yaml", "county-mixed.yaml"])
def test_the_plain_text_report_is_what_rich_prints(name: str) -> None:
    """`report_text` lays its pieces out without rich (`report.blocks`): the same text as
    printing every piece's rich renderable, in both languages, at any width, filtered."""
    from qstrong.report.consoles import captured as _captured
    from qstrong.report.text import ReportFilter, report_renderables, report_text

    report = evaluate(Path(__file__).resolve().parents[1] / "examples" / name)
    for lang in ("zh", "en"):
        for width in (40, 80, 132):
            for filters in (ReportFilter(), ReportFilter(statuses=frozenset({Status.FAIL}))):
                drawn = report_renderables(report, lang, filters)
                assert report_text(report, lang, width=width, filters=filters) == \
                    _captured(drawn, width, fast=False)
