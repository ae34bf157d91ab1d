"""What it would take to pass: leaf selection, margins, missing data, labels, text forms."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from helpers import near_miss_district
from qstrong import evaluate
from qstrong.core.logic import Status, Truth
from qstrong.engine.advice import advise, check_gap, field_label, needed_leaves
from qstrong.engine.clause import ClauseResult
from qstrong.engine.explanation import Check, Margin, ValueRead
from qstrong.engine.results import EntityResult

P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE


def leaf(cid: str, status: Status, **kw: Any) -> ClauseResult:
    return ClauseResult(id=cid, title_zh=f"条款{cid}", title_en=f"clause {cid}", text="",
                        section="三(一)1", status=status, **kw)


def group(cid: str, status: Status, combine: str, *children: ClauseResult) -> ClauseResult:
    return ClauseResult(id=cid, title_zh=cid, title_en=cid, text="", section="三(一)1",
                        status=status, combine=combine, children=list(children))


def entity(*clauses: ClauseResult, status: Status = F) -> EntityResult:
    return EntityResult("district", "D9", "测试区", status, list(clauses))


def rate_check(value: str, bound: str, diff: Fraction, text: str) -> Check:
    margin = Margin(diff >= 0, diff, "个百分点", text, "en " + text)
    truth = Truth.PASS if diff >= 0 else Truth.FAIL
    return Check(f"r >= {bound}", "r", "合格率", "rate", value, ">=", bound, bound, truth, margin)


# ------------------------------------------------------------------ which leaves


def test_all_keeps_every_failing_and_unknown_leaf() -> None:
    tree = group("g", F, "all", leaf("a", P), leaf("b", F), leaf("c", U), leaf("d", NA))
    leaves, choices = needed_leaves(tree)
    assert [n.id for n in leaves] == ["b", "c"]
    assert choices == []


def test_any_picks_the_option_needing_fewest_changes() -> None:
    big = group("big", F, "all", leaf("x1", F), leaf("x2", F))
    small = group("small", F, "all", leaf("y1", F))
    tree = group("g", F, "any", big, small)
    leaves, choices = needed_leaves(tree)
    assert [n.id for n in leaves] == ["y1"]
    assert choices == ["g"]


def test_any_prefers_unknown_over_failing_when_sizes_tie() -> None:
    tree = group("g", U, "any", leaf("f", F), leaf("u", U))
    assert [n.id for n in needed_leaves(tree)[0]] == ["u"]


def test_passing_and_not_applicable_need_nothing() -> None:
    assert needed_leaves(leaf("a", P)) == ([], [])
    assert needed_leaves(group("g", NA, "all", leaf("a", F))) == ([], [])
    advice = advise(entity(leaf("a", P), status=P))
    assert advice.steps == ()
    assert advice.lines() == ["产品质量强区 D9 测试区：已达标，无需改动。"]
    assert advice.lines("en") == ["district D9 测试区: already passes."]


# ------------------------------------------------------------------ gaps


def test_failing_comparison_gives_value_bound_and_margin() -> None:
    check = rate_check("95.6%", "96%", Fraction(-2, 5), "差 0.4个百分点")
    step = advise(entity(leaf("d/1/x", F, checks=[check]))).steps[0]
    assert step.status is F
    assert step.gap_zh == "95.6%（要求 ≥ 96%），差 0.4个百分点"
    assert step.gap_en == "95.6% (required ≥ 96%); en 差 0.4个百分点"
    assert step.amount == Fraction(2, 5)
    assert step.unit == "个百分点"


def test_share_gap_leads_with_the_counts() -> None:
    margin = Margin(False, Fraction(-6), "个百分点", "11/25 家 = 44%，差 6个百分点，还需 2 家",
                    "11/25 = 44%; short by 6 percentage points; 2 more needed")
    check = Check("share(members where x) >= 50%", "share(members where x)", "比例", "share",
                  "44%", ">=", "50%", "50%", Truth.FAIL, margin)
    assert check_gap(check) == "11/25 家 = 44%，差 6个百分点，还需 2 家（要求 ≥ 50%）"
    assert check_gap(check, "en").endswith("2 more needed (required ≥ 50%)")


@pytest.mark.parametrize(("rule", "value", "zh"), [
    ("advanced_qm", False, "导入先进质量管理：现为“否”，需为“是”"),
    ("not high_consumption_pollution", True, "属高耗能企业：现为“是”，需为“否”"),
])
def test_yes_no_rule_says_what_it_must_be(rule: str, value: bool, zh: str) -> None:
    path = rule.removeprefix("not ")
    label = "导入先进质量管理" if path == "advanced_qm" else "属高耗能企业"
    read = ValueRead(path, label, "label", value, "是" if value else "否")
    step = advise(entity(leaf("e/1", F, rule=rule, values=[read]))).steps[0]
    assert step.gap_zh == zh


def test_unknown_leaf_lists_fields_to_supply_with_labels() -> None:
    read = ValueRead("agri_standardization_rate", "农业标准化生产普及率", "agri", None, "（缺失）",
                     missing=True)
    node = leaf("d/2/agri", U, values=[read],
                missing=["agri_standardization_rate", "special_equipment.inspection_rate"])
    step = advise(entity(node)).steps[0]
    assert step.missing == ("agri_standardization_rate", "special_equipment.inspection_rate")
    assert step.missing_labels == ("农业标准化生产普及率", "特种设备 · 定期检验率")
    assert step.gap_zh == ("补充数据：农业标准化生产普及率（agri_standardization_rate）、"
                           "特种设备 · 定期检验率（special_equipment.inspection_rate）")
    assert step.gap_en == "supply: agri_standardization_rate, special_equipment.inspection_rate"


def test_unknown_condition_is_reported_as_such() -> None:
    node = leaf("i/3/x", U, applies_if="not has_block_standard", applicability=U,
                missing=["has_block_standard"])
    step = advise(entity(node)).steps[0]
    assert step.gap_zh.startswith("适用条件（not has_block_standard）无法判断；补充数据：")


@pytest.mark.parametrize(("path", "kind", "label"), [
    ("drug_evaluation_pass_rate", "district", "药品评价性抽验合格率"),
    ("food_spot_check_pass_rate.catering", "district", "食品抽查合格率 · 餐饮"),
    ("regional_brand.user_output", "industry", "区域名牌 · 使用区域名牌标志企业产值(万元)"),
    ("province_benchmarks.quality_loss_rate", "industry",
     "全省平均水平等参照值 · 全省规上企业平均质量损失率"),
    ("enterprises[E08].above_designated_size", "industry", "企业 E08 · 规模以上企业"),
    ("enterprises[E11].strong", "county", "企业 E11 · 评定结果"),
    ("members", "industry", "规上企业"),
    ("no_such_field", "district", None),
])
def test_field_label(path: str, kind: str, label: str | None) -> None:
    assert field_label(path, kind) == label


# ------------------------------------------------------------------ on a real evaluation

DISTRICT = near_miss_district(
    special_equipment={"registration_rate": 100, "inspection_rate": "99.5",
                       "certified_operator_rate": 100, "hazard_rectification_rate": 100},
    incidents=[{"date": "2014-03-01", "type": "major_quality_safety"}],
)


@pytest.fixture(scope="module")
def d1() -> EntityResult:
    report = evaluate({"assessment": {"date": "2014-11-01"},
                       "county": {"code": "330681", "name": "测试县"},
                       "districts": [DISTRICT]})
    return report.entity("D1")


def test_advice_on_an_evaluated_district(d1: EntityResult) -> None:
    advice = advise(d1)
    assert [s.clause_id for s in advice.steps] == [
        "district/1/drug_evaluation", "district/2/agri_standardization",
        "district/3/equipment_inspection", "district/3/no_incidents"]
    assert [s.status for s in advice.steps] == [F, U, F, F]
    drug, agri, inspection, incidents = advice.steps
    assert drug.gap_zh == "95.6%（要求 ≥ 96%），差 0.4个百分点"
    assert (drug.amount, drug.unit) == (Fraction(2, 5), "个百分点")
    assert agri.gap_zh == "补充数据：农业标准化生产普及率（agri_standardization_rate）"
    assert inspection.gap_zh == "99.5%（要求 ≥ 100%），差 0.5个百分点"
    assert "2014-03-01" in incidents.gap_zh
    assert len(advice.failing) == 3 and len(advice.unknown) == 1


def test_advice_text_and_json(d1: EntityResult) -> None:
    advice = advise(d1)
    lines = advice.lines()
    assert lines[0] == ("产品质量强区 D1 甲产业集聚区 要达标，需要：3 项未达标条款需达到要求，"
                        "1 项条款需补充数据后判定。")
    assert lines[1] == ("1. [未达标] 三(一)1 药品评价性抽验合格率达到96%以上"
                        "（district/1/drug_evaluation）")
    assert lines[2] == "   95.6%（要求 ≥ 96%），差 0.4个百分点"
    english = advice.text("en")
    assert english.startswith("For district D1 甲产业集聚区 to pass: meet 3 failing clause(s) "
                              "and supply data for 1 undecided clause(s).")
    assert "short by 0.4 percentage points" in english
    doc = json.loads(json.dumps(advice.to_dict(), ensure_ascii=False))
    assert doc["steps"][0] == {
        "clause": "district/1/drug_evaluation", "section": "三(一)1",
        "title": "药品评价性抽验合格率达到96%以上",
        "title_en": "Drug evaluation sampling pass rate at least 96%",
        "status": "fail", "gap": "95.6%（要求 ≥ 96%），差 0.4个百分点",
        "gap_en": "95.6% (required ≥ 96%); short by 0.4 percentage points",
        "amount": "0.4", "unit": "个百分点", "missing": [], "missing_labels": []}
    assert doc["status"] == "fail" and doc["choices"] == []
