"""What it would take to pass: leaf selection, margins, missing data, labels, text forms."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from helpers import MIXED, near_miss_district
from qstrong import evaluate
from qstrong.core.logic import Status, Truth
from qstrong.engine.advice import advise, blocking_leaves, check_gap, needed_leaves
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
                  "44%", ">=", "50%", "50%", Truth.FAIL, margin, share=True)
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
    requires = (path, not rule.startswith("not "))
    step = advise(entity(leaf("e/1", F, rule=rule, values=[read], requires=requires))).steps[0]
    assert step.gap_zh == zh
    # without the compiler's record of what the rule requires, nothing is guessed from text
    assert advise(entity(leaf("e/1", F, rule=rule, values=[read]))).steps[0].gap_zh != zh


def test_unknown_leaf_lists_fields_to_supply_with_labels() -> None:
    read = ValueRead("agri_standardization_rate", "农业标准化生产普及率", "agri", None, "（缺失）",
                     missing=True)
    node = leaf("d/2/agri", U, values=[read],
                missing=["agri_standardization_rate", "special_equipment.inspection_rate"],
                missing_labels={
                    "agri_standardization_rate": ("农业标准化生产普及率", "agri"),
                    "special_equipment.inspection_rate": ("特种设备 · 定期检验率", "inspection")})
    step = advise(entity(node)).steps[0]
    assert step.missing == ("agri_standardization_rate", "special_equipment.inspection_rate")
    assert step.missing_labels == ("农业标准化生产普及率", "特种设备 · 定期检验率")
    assert step.gap_zh == ("补充数据：农业标准化生产普及率（agri_standardization_rate）、"
                           "特种设备 · 定期检验率（special_equipment.inspection_rate）")
    assert step.gap_en == ("supply: agri (agri_standardization_rate), "
                           "inspection (special_equipment.inspection_rate)")


def test_a_path_without_a_recorded_name_is_shown_as_the_path() -> None:
    step = advise(entity(leaf("d/2/agri", U, missing=["x.y"]))).steps[0]
    assert (step.missing_labels, step.gap_zh, step.gap_en) == (("x.y",), "补充数据：x.y",
                                                              "supply: x.y")


def test_missing_data_of_a_failing_clause_are_not_offered_as_the_fix() -> None:
    node = leaf("c/1", F, missing=["districts[D1].strong"],
                missing_labels={"districts[D1].strong": ("强区候选 D1 · 评定为强", "d")},
                checks=[rate_check("1", "2", Fraction(-1), "差 1 个")])
    gap = advise(entity(node)).steps[0].gap_zh
    assert "补充数据" not in gap
    assert gap.endswith("另缺数据（补齐也不能单独改变本条结论）："
                        "强区候选 D1 · 评定为强（districts[D1].strong）")


def test_unknown_condition_is_reported_as_such() -> None:
    node = leaf("i/3/x", U, applies_if="not has_block_standard", applicability=U,
                missing=["has_block_standard"])
    step = advise(entity(node)).steps[0]
    assert step.gap_zh.startswith("适用条件（not has_block_standard）无法判断；补充数据：")


def test_names_of_missing_data_are_the_compilers_on_a_real_evaluation() -> None:
    report = evaluate(MIXED)
    county = advise(report.county)
    names = {p: label for step in county.steps
             for p, label in zip(step.missing, step.missing_labels, strict=True)}
    assert names["enterprises[E15].strong"] == "强企候选 E15 · 评定为强"
    assert names["districts[D1].strong"] == "强区候选 D1 · 评定为强"
    # the tree names the same collection and field the same way
    node = next(n for c in report.county.clauses for n in c.walk()
                if n.id == "county/enterprises")
    assert node.missing_label("enterprises[E15].strong") == "强企候选 E15 · 评定为强"
    assert node.missing_label("enterprises[E15].strong", "en") == (
        "enterprise candidates E15 · rated strong")
    assert [c.left_label_zh for c in node.checks] == ["强企候选中「评定为强」的数量"]


def test_member_of_unknown_size_is_named_after_the_industrys_enterprises() -> None:
    report = evaluate({
        "assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "测试县"},
        "industries": [{"id": "I1", "name": "袜业"}],
        "enterprises": [{"id": "E1", "name": "甲", "industry": "I1"}]})
    names = {p: label for step in advise(report.entity("I1")).steps
             for p, label in zip(step.missing, step.missing_labels, strict=True)}
    assert names["enterprises[E1].above_designated_size"] == "产业内企业 E1 · 规模以上企业"


def test_markdown_and_advice_block_on_the_same_leaves() -> None:
    a = leaf("a", F, checks=[rate_check("1", "2", Fraction(-1), "差 1")])
    b1 = leaf("b1", F)
    b2 = leaf("b2", F)
    b3 = leaf("b3", F)
    tree = [a, group("b", F, "any", group("bb", F, "all", b1, b2), b3)]
    assert [x.id for x in blocking_leaves(tree)] == ["a", "b3"]
    assert [s.clause_id for s in advise(entity(*tree)).steps] == ["a", "b3"]


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


def test_near_misses_and_missing_data_across_the_county() -> None:
    report = evaluate(MIXED)
    one = report.near_misses()
    assert [e.id for e in one][:2] == ["D2", "I1"]
    assert all(len(blocking_leaves(e.clauses)) == 1 for e in one)
    assert "D1" not in [e.id for e in one] and "D1" in [e.id for e in report.near_misses(3)]
    assert all(e.status is not P for e in report.near_misses(10))
    items = report.missing()
    assert ("district", "D1", "quality_loss_rate.current") in {
        (m.kind, m.entity_id, m.path) for m in items}
    county = [m for m in items if m.kind == "county"]
    assert [m.label_zh for m in county] == [
        "强企候选 E15 · 评定为强", "强企候选 E30 · 评定为强", "强企候选 E33 · 评定为强"]
    assert len({(m.kind, m.entity_id, m.path) for m in items}) == len(items)
