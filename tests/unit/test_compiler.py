"""Compiled rules evaluated on small in-memory datasets: exact boundaries, unknowns, windows,
shares, applicability, all/any, and margins.

Each test writes a tiny criteria directory (all four kinds, every required top-level clause;
clauses a test does not care about are ``present(name)``, which always passes) and runs
`qstrong.engine.evaluate` on a dataset mapping.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

import qstrong
from qstrong.core.logic import Status
from qstrong.engine.clause import ClauseResult
from qstrong.engine.margin import share_needed
from qstrong.engine.operations import window_bounds
from qstrong.engine.results import Report
from qstrong.lang.criteria_file import REQUIRED_TOP_IDS

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

PASS, FAIL, UNKNOWN, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE

Clause = str | dict[str, Any]


def write_criteria(
    directory: Path,
    clauses: dict[str, Clause],
    params: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A criteria directory: ``clauses`` maps a required top-level id to a rule or clause body."""
    directory.mkdir(parents=True, exist_ok=True)
    unknown = set(clauses) - {i for ids in REQUIRED_TOP_IDS.values() for i in ids}
    assert not unknown, f"not a required top-level id: {unknown}"
    for kind, ids in REQUIRED_TOP_IDS.items():
        items = []
        for cid in ids:
            body = clauses.get(cid, "present(name)")
            item: dict[str, Any] = {"id": cid, "title": cid, "section": "s", "text": cid}
            if isinstance(body, str):
                item["rule"] = body
            else:
                item.update(body)
            items.append(item)
        doc: dict[str, Any] = {"kind": kind, "title": kind, "version": "t", "clauses": items}
        if kind == "district" and params:
            doc["params"] = params
        (directory / f"{kind}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return directory


def dataset(
    *,
    districts: list[dict[str, Any]] | None = None,
    industries: list[dict[str, Any]] | None = None,
    enterprises: list[dict[str, Any]] | None = None,
    benchmarks: dict[str, Any] | None = None,
    date: str = "2014-11-01",
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    assessment: dict[str, Any] = {"date": date}
    if params:
        assessment["criteria_params"] = params
    return {
        "assessment": assessment,
        "county": {"code": "330681", "name": "诸暨市"},
        "province_benchmarks": benchmarks or {},
        "districts": districts or [],
        "industries": industries or [],
        "enterprises": enterprises or [],
    }


Run = Callable[..., Report]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Evaluate ``data`` against criteria built from ``clauses``."""
    counter = iter(range(1000))

    def _run(
        clauses: dict[str, Clause],
        data: dict[str, Any],
        params: dict[str, dict[str, Any]] | None = None,
    ) -> Report:
        directory = write_criteria(tmp_path / f"c{next(counter)}", clauses, params)
        return qstrong.evaluate(data, directory)

    return _run


def district(**fields: Any) -> dict[str, Any]:
    return {"id": "D1", "name": "开发区", **fields}


def industry(**fields: Any) -> dict[str, Any]:
    return {"id": "I1", "name": "袜业", **fields}


def members(*advanced: bool | None, **common: Any) -> list[dict[str, Any]]:
    """Above-size member enterprises of I1; None leaves advanced_qm out (missing)."""
    out = []
    for i, value in enumerate(advanced):
        e: dict[str, Any] = {"id": f"E{i}", "name": f"企业{i}", "industry": "I1",
                             "above_designated_size": True, **common}
        if value is not None:
            e["advanced_qm"] = value
        out.append(e)
    return out


def with_drug_rate(value: Any) -> dict[str, Any]:
    return dataset(districts=[district(drug_evaluation_pass_rate=value)])


def clause(report: Report, entity: str, clause_id: str) -> ClauseResult:
    return report.entity(entity).clause(clause_id)


# -- exact boundaries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        (96, "drug_evaluation_pass_rate >= 96%", PASS),
        (96, "drug_evaluation_pass_rate > 96%", FAIL),
        (Decimal("95.99"), "drug_evaluation_pass_rate >= 96%", FAIL),
        (Decimal("96.01"), "drug_evaluation_pass_rate > 96%", PASS),
        (96, "drug_evaluation_pass_rate <= 96%", PASS),
        (96, "drug_evaluation_pass_rate < 96%", FAIL),
        (96, "drug_evaluation_pass_rate = 96%", PASS),
        (96, "drug_evaluation_pass_rate != 96%", FAIL),
        (Decimal("93.5"), "drug_evaluation_pass_rate >= 93.5%", PASS),
        (Decimal("93.50"), "drug_evaluation_pass_rate ≥ 93.5％", PASS),
        (0.1 + 0.2, "drug_evaluation_pass_rate >= 0.3%", PASS),  # repr 0.30000000000000004
        ("187/200", "drug_evaluation_pass_rate >= 93.5%", PASS),
        ("187/200", "drug_evaluation_pass_rate > 93.5%", FAIL),
        ({"passed": 2, "total": 3}, "drug_evaluation_pass_rate >= 66.67%", FAIL),
        ({"passed": 2, "total": 3}, "drug_evaluation_pass_rate >= 66.66%", PASS),
    ],
)
def test_rate_threshold_boundaries(run: Run, value: Any, rule: str, expected: Status) -> None:
    report = run({"district/1": rule}, with_drug_rate(value))
    assert clause(report, "D1", "district/1").status is expected


@pytest.mark.parametrize(
    ("baseline", "current", "rule", "expected", "amount"),
    [
        (59.1, 64.1, ">= 5pp", PASS, Fraction(0)),  # 64.1 − 59.1 is exactly 5
        (Decimal("59.1"), Decimal("64.1"), ">= 5个百分点", PASS, Fraction(0)),
        (59.1, 64.1, "> 5pp", FAIL, Fraction(0)),
        (59.2, 64.1, ">= 5pp", FAIL, Fraction(-1, 10)),
        (59.0, 64.1, ">= 5pp", PASS, Fraction(1, 10)),
    ],
)
def test_difference_of_rates_in_points_is_exact(
    run: Run, baseline: Any, current: Any, rule: str, expected: Status, amount: Fraction
) -> None:
    report = run(
        {"district/2": f"standard_adoption_rate.current - standard_adoption_rate.baseline {rule}"},
        dataset(districts=[district(standard_adoption_rate={"baseline": baseline,
                                                            "current": current})]),
    )
    node = clause(report, "D1", "district/2")
    assert node.status is expected
    [check] = node.checks
    assert check.margin is not None
    assert check.margin.amount == amount
    assert check.margin.met is (expected is PASS)


@pytest.mark.parametrize(
    ("rank", "bound", "expected"), [(10, 10, PASS), (11, 10, FAIL), (1, 10, PASS), (3, 3, PASS)]
)
def test_rank_bound_from_parameter_is_inclusive(
    run: Run, rank: int, bound: int, expected: Status
) -> None:
    params = {"top": {"type": "rank", "default": bound, "title": "t", "note": "n"}}
    report = run(
        {"industry/scale": "province_scale_rank <= $top"},
        dataset(industries=[industry(province_scale_rank=rank)]),
        params,
    )
    assert clause(report, "I1", "industry/scale").status is expected


def test_parameter_override_from_dataset(run: Run) -> None:
    params = {"top": {"type": "rank", "default": 10, "title": "t", "note": "n"}}
    clauses = {"industry/scale": "province_scale_rank <= $top"}
    data = dataset(industries=[industry(province_scale_rank=5)], params={"top": 4})
    assert clause(run(clauses, data, params), "I1", "industry/scale").status is FAIL
    data = dataset(industries=[industry(province_scale_rank=5)], params={"top": 5})
    assert clause(run(clauses, data, params), "I1", "industry/scale").status is PASS


# -- missing data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "fields", "expected"),
    [
        ("drug_evaluation_pass_rate >= 96%", {}, UNKNOWN),
        ("drug_evaluation_pass_rate < 96%", {}, UNKNOWN),
        ("not (drug_evaluation_pass_rate >= 96%)", {}, UNKNOWN),
        ("export_demo_zone", {}, UNKNOWN),
        ("not export_demo_zone", {}, UNKNOWN),
        ("food_spot_check_pass_rate.processing >= 94%", {}, UNKNOWN),
        ("food_spot_check_pass_rate.processing >= 94%", {"food_spot_check_pass_rate": {}},
         UNKNOWN),
        ("special_equipment.inspection_rate >= 100%", {"special_equipment": None}, UNKNOWN),
        # Kleene: a known answer settles and/or regardless of the missing side
        ("drug_evaluation_pass_rate >= 96% or export_demo_zone", {"export_demo_zone": True},
         PASS),
        ("drug_evaluation_pass_rate >= 96% or export_demo_zone", {"export_demo_zone": False},
         UNKNOWN),
        ("drug_evaluation_pass_rate >= 96% and export_demo_zone", {"export_demo_zone": False},
         FAIL),
        ("drug_evaluation_pass_rate >= 96% and export_demo_zone", {"export_demo_zone": True},
         UNKNOWN),
        # arithmetic with a missing operand is missing
        ("quality_loss_rate.current - quality_loss_rate.baseline <= 0pp",
         {"quality_loss_rate": {"current": 1}}, UNKNOWN),
        ('kind in {"development_zone"}', {}, UNKNOWN),
        ('kind not in {"development_zone"}', {}, UNKNOWN),
    ],
)
def test_missing_is_unknown(run: Run, rule: str, fields: dict[str, Any], expected: Status) -> None:
    report = run({"district/1": rule}, dataset(districts=[district(**fields)]))
    assert clause(report, "D1", "district/1").status is expected


def test_missing_field_is_named(run: Run) -> None:
    report = run({"district/1": "drug_evaluation_pass_rate >= 96%"}, with_drug_rate(None))
    node = clause(report, "D1", "district/1")
    assert node.status is UNKNOWN
    assert any("drug_evaluation_pass_rate" in m for m in node.missing)
    [check] = node.checks
    assert check.margin is not None and check.margin.met is None


def test_missing_data_makes_the_entity_unknown_not_failed(run: Run) -> None:
    report = run({"district/1": "drug_evaluation_pass_rate >= 96%"}, with_drug_rate(None))
    assert report.entity("D1").status is UNKNOWN


# -- present() -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, FAIL),
        ({"drug_evaluation_pass_rate": None}, FAIL),
        ({"drug_evaluation_pass_rate": 0}, PASS),
        ({"drug_evaluation_pass_rate": 96}, PASS),
    ],
)
def test_present_is_never_unknown(run: Run, fields: dict[str, Any], expected: Status) -> None:
    report = run({"district/1": "present(drug_evaluation_pass_rate)"},
                 dataset(districts=[district(**fields)]))
    assert clause(report, "D1", "district/1").status is expected


def test_present_of_a_nested_field_with_missing_parent(run: Run) -> None:
    report = run({"district/1": "present(special_equipment.inspection_rate)"},
                 dataset(districts=[district()]))
    assert clause(report, "D1", "district/1").status is FAIL


# -- applicability ---------------------------------------------------------------------

REGIONAL = {
    "applies_if": "present(regional_brand)",
    "rule": "regional_brand.user_output / total_output >= 40%",
}


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"total_output": 100}, NA),
        ({"total_output": 100, "regional_brand": {"name": "大唐袜业", "user_output": 40}}, PASS),
        ({"total_output": 100, "regional_brand": {"name": "大唐袜业", "user_output": 39}}, FAIL),
        ({"total_output": 100, "regional_brand": {"name": "大唐袜业"}}, UNKNOWN),
    ],
)
def test_applies_if(run: Run, fields: dict[str, Any], status: Status) -> None:
    report = run({"industry/3": REGIONAL}, dataset(industries=[industry(**fields)]))
    assert clause(report, "I1", "industry/3").status is status


def test_not_applicable_top_level_clause_counts_as_pass_for_the_entity(run: Run) -> None:
    report = run({"industry/3": REGIONAL}, dataset(industries=[industry(total_output=100)]))
    assert clause(report, "I1", "industry/3").status is NA
    assert clause(report, "I1", "industry/3").applicability is FAIL
    assert report.entity("I1").status is PASS


def test_applies_if_unknown_makes_the_clause_unknown(run: Run) -> None:
    body = {"applies_if": "not has_block_standard", "rule": "alliance_standard_established"}
    report = run({"industry/3": body},
                 dataset(industries=[industry(alliance_standard_established=True)]))
    node = clause(report, "I1", "industry/3")
    assert node.status is UNKNOWN
    assert node.applicability is UNKNOWN


def test_not_applicable_counts_as_pass_for_the_parent(run: Run) -> None:
    body = {
        "all": [
            {"id": "industry/3/regional", "title": "t", "text": "t", **REGIONAL},
            {"id": "industry/3/platform", "title": "t", "text": "t",
             "rule": "public_service_platform"},
        ]
    }
    report = run({"industry/3": body},
                 dataset(industries=[industry(total_output=100, public_service_platform=True)]))
    assert clause(report, "I1", "industry/3/regional").status is NA
    assert clause(report, "I1", "industry/3").status is PASS
    assert report.entity("I1").status is PASS


# -- all / any of children ---------------------------------------------------------------


def _children(combine: str, rules: list[str]) -> dict[str, Any]:
    return {
        combine: [
            {"id": f"district/1/{i}", "title": "t", "text": "t", "rule": r}
            for i, r in enumerate(rules)
        ]
    }


YES, NO, MISSING = "export_demo_zone", "graded_supervision", "supervision_resources"


@pytest.mark.parametrize(
    ("combine", "rules", "expected"),
    [
        ("all", [YES, YES], PASS),
        ("all", [YES, NO], FAIL),
        ("all", [YES, MISSING], UNKNOWN),
        ("all", [NO, MISSING], FAIL),
        ("any", [NO, YES], PASS),
        ("any", [NO, NO], FAIL),
        ("any", [NO, MISSING], UNKNOWN),
        ("any", [YES, MISSING], PASS),
    ],
)
def test_combining_children(run: Run, combine: str, rules: list[str], expected: Status) -> None:
    report = run(
        {"district/1": _children(combine, rules)},
        dataset(districts=[district(export_demo_zone=True, graded_supervision=False)]),
    )
    node = clause(report, "D1", "district/1")
    assert node.status is expected
    assert len(node.children) == len(rules)


def test_nested_combination(run: Run) -> None:
    body = {
        "all": [
            {"id": "a", "title": "t", "text": "t", "rule": YES},
            {"id": "b", "title": "t", "text": "t", "any": [
                {"id": "b/1", "title": "t", "text": "t", "rule": NO},
                {"id": "b/2", "title": "t", "text": "t", "rule": YES},
            ]},
        ]
    }
    report = run({"district/1": body},
                 dataset(districts=[district(export_demo_zone=True, graded_supervision=False)]))
    assert clause(report, "D1", "b").status is PASS
    assert clause(report, "D1", "district/1").status is PASS


def test_entity_status_is_all_of_its_top_level_clauses(run: Run) -> None:
    report = run({"district/1": YES, "district/2": NO},
                 dataset(districts=[district(export_demo_zone=True, graded_supervision=False)]))
    assert report.entity("D1").status is FAIL


# -- shares of members -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("advanced", "rule", "expected"),
    [
        ((True, False), ">= 50%", PASS),
        ((True, False), "> 50%", FAIL),
        ((True, True, False), ">= 66.67%", FAIL),  # 2/3 is 66.666...%, exactly
        ((True, True, False), ">= 66.66%", PASS),
        ((True, None), ">= 50%", PASS),  # 50%..100%: settled
        ((False, None), ">= 50%", UNKNOWN),  # 0%..50%: depends on the missing one
        ((False, False, None), ">= 50%", FAIL),  # 0%..33%: settled
        ((False, None), "> 50%", FAIL),  # 0%..50% can never be above 50%
        ((True, True, False, None), ">= 50%", PASS),
        ((True, False, False, None), ">= 50%", UNKNOWN),
        ((None, None), ">= 50%", UNKNOWN),
        ((True, True, True, True, False), ">= 80%", PASS),
    ],
)
def test_share_of_members(
    run: Run, advanced: tuple[bool | None, ...], rule: str, expected: Status
) -> None:
    report = run(
        {"industry/2": f"share(members where advanced_qm) {rule}"},
        dataset(industries=[industry()], enterprises=members(*advanced)),
    )
    node = clause(report, "I1", "industry/2")
    assert node.status is expected
    [agg] = node.aggregates
    assert agg.total == len(advanced)
    assert agg.counted == sum(1 for a in advanced if a is True)
    assert agg.unknown == sum(1 for a in advanced if a is None)


def test_share_counts_only_above_size_members(run: Run) -> None:
    enterprises = members(True, False, False)
    enterprises[1]["above_designated_size"] = False
    enterprises[2]["above_designated_size"] = False
    report = run({"industry/2": "share(members where advanced_qm) >= 100%"},
                 dataset(industries=[industry()], enterprises=enterprises))
    assert clause(report, "I1", "industry/2").status is PASS


def test_share_of_no_members_is_unknown(run: Run) -> None:
    report = run({"industry/2": "share(members where advanced_qm) >= 50%"},
                 dataset(industries=[industry()]))
    assert clause(report, "I1", "industry/2").status is UNKNOWN


@pytest.mark.parametrize(
    ("advanced", "needed"),
    [
        ((True, False, False, False), 1),  # 1/4 = 25%; 2/4 reaches 50%
        ((False,) * 25, 13),
        ((True,) * 11 + (False,) * 14, 2),  # 11/25 = 44%; 13/25 = 52%
    ],
)
def test_failing_share_says_how_many_more_members(
    run: Run, advanced: tuple[bool, ...], needed: int
) -> None:
    report = run(
        {"industry/2": "share(members where advanced_qm) >= 50%"},
        dataset(industries=[industry()], enterprises=members(*advanced)),
    )
    node = clause(report, "I1", "industry/2")
    assert node.status is FAIL
    [check] = node.checks
    assert check.margin is not None
    assert check.margin.met is False
    counted = sum(advanced)
    assert check.margin.amount == Fraction(counted * 100, len(advanced)) - 50
    assert share_needed(counted, len(advanced), ">=", Fraction(50)) == needed
    assert f"还需 {needed} 家" in check.margin.text_zh


@pytest.mark.parametrize(
    ("count", "total", "op", "bound", "needed"),
    [
        (11, 25, ">=", Fraction(50), 2),
        (13, 25, ">=", Fraction(50), 0),
        (1, 2, ">=", Fraction(50), 0),
        (1, 2, ">", Fraction(50), 1),
        (3, 5, ">", Fraction(60), 1),
        (0, 3, ">=", Fraction(200, 3), 2),  # exactly 2/3: two of three members
        (0, 3, ">", Fraction(200, 3), 3),
        (0, 10, ">=", Fraction(0), 0),
        (0, 0, ">=", Fraction(50), None),
        (1, 4, "<=", Fraction(50), None),
    ],
)
def test_share_needed(count: int, total: int, op: str, bound: Fraction, needed: int | None) -> None:
    assert share_needed(count, total, op, bound) == needed


# -- counts and sums ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["provincial", "national", "international", "provincial"], PASS),
        (["provincial", "national", "international", "municipal"], FAIL),
        (["provincial", "national", "international", None], UNKNOWN),
        (["provincial", "national", "international", "provincial", None], PASS),
        (["municipal", None], FAIL),  # at most 1 of 4
    ],
)
def test_count_with_unknown_members(run: Run, levels: list[str | None], expected: Status) -> None:
    brands = [{"name": f"b{i}", **({"level": lv} if lv else {})} for i, lv in enumerate(levels)]
    report = run(
        {"industry/3": 'count(brands where level in {"provincial", "national", '
                       '"international"}) >= 4'},
        dataset(industries=[industry(brands=brands)]),
    )
    assert clause(report, "I1", "industry/3").status is expected


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        ([10, 20], PASS),  # 30 of 100
        ([10, Decimal("19.99")], FAIL),
        ([10, None], UNKNOWN),
        ([30, None], PASS),  # at least 30 whatever the missing sales are
    ],
)
def test_sum_of_member_values(run: Run, sales: list[Any], expected: Status) -> None:
    brands = [{"name": f"b{i}", "level": "provincial", **({"sales": s} if s is not None else {})}
              for i, s in enumerate(sales)]
    report = run(
        {"industry/3": 'sum(sales of brands where level in {"provincial"}) / total_output >= 30%'},
        dataset(industries=[industry(brands=brands, total_output=100)]),
    )
    assert clause(report, "I1", "industry/3").status is expected


@pytest.mark.parametrize(
    ("brands", "expected"),
    [
        ([{"name": "a", "level": "provincial", "sales": 20},
          {"name": "b", "sales": 10}], UNKNOWN),  # 20%..30%
        ([{"name": "a", "level": "provincial", "sales": 20},
          {"name": "b", "sales": 5}], FAIL),  # 20%..25%
        ([{"name": "a", "level": "provincial", "sales": 30},
          {"name": "b", "sales": 5}], PASS),  # 30%..35%
    ],
)
def test_sum_with_members_of_unknown_kind(
    run: Run, brands: list[dict[str, Any]], expected: Status
) -> None:
    report = run(
        {"industry/3": 'sum(sales of brands where level in {"provincial"}) / total_output >= 30%'},
        dataset(industries=[industry(brands=brands, total_output=100)]),
    )
    assert clause(report, "I1", "industry/3").status is expected


PROVINCIAL = 'count(brands where level in {"provincial"})'


@pytest.mark.parametrize(
    ("rule", "levels", "expected"),
    [
        # one provincial brand and one of unknown level: the count is 1 or 2
        (f"-{PROVINCIAL} >= -1", ["provincial", None], UNKNOWN),
        (f"0 - {PROVINCIAL} >= -1", ["provincial", None], UNKNOWN),
        (f"-{PROVINCIAL} >= -2", ["provincial", None], PASS),
        (f"-{PROVINCIAL} > -1", ["provincial", None], FAIL),
        (f"-{PROVINCIAL} >= -1", ["provincial"], PASS),
        (f"-{PROVINCIAL} >= -1", ["provincial", "provincial"], FAIL),
    ],
)
def test_negated_partly_known_count(
    run: Run, rule: str, levels: list[str | None], expected: Status
) -> None:
    brands = [{"name": f"b{i}", **({"level": lv} if lv else {})} for i, lv in enumerate(levels)]
    report = run({"industry/3": rule}, dataset(industries=[industry(brands=brands)]))
    assert clause(report, "I1", "industry/3").status is expected


# -- time windows ----------------------------------------------------------------------

NO_INCIDENT = 'none(incidents within 2 years where type = "major_quality_safety")'


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2012-11-01", FAIL),  # the first day of the window counts
        ("2012-10-31", PASS),  # the day before does not
        ("2014-11-01", FAIL),  # the assessment day counts
        ("2013-06-30", FAIL),
    ],
)
def test_window_includes_its_start_day(run: Run, day: str, expected: Status) -> None:
    incident = {"date": day, "type": "major_quality_safety"}
    report = run({"district/3": NO_INCIDENT},
                 dataset(districts=[district(incidents=[incident])]))
    node = clause(report, "D1", "district/3")
    assert node.status is expected
    [agg] = node.aggregates
    assert agg.window == (dt.date(2012, 11, 1), dt.date(2014, 11, 1))


def test_window_with_parameter_length(run: Run) -> None:
    params = {"w": {"type": "years", "default": 1, "title": "t", "note": "n"}}
    incident = {"date": "2013-06-30", "type": "major_quality_safety"}
    rule = 'none(incidents within $w years where type = "major_quality_safety")'
    report = run({"district/3": rule}, dataset(districts=[district(incidents=[incident])]), params)
    assert clause(report, "D1", "district/3").status is PASS


@pytest.mark.parametrize(
    ("incidents", "expected"),
    [
        (None, UNKNOWN),  # the list itself is missing
        ([], PASS),  # an empty list means none happened
        ([{"date": "2014-01-01", "type": "regional_quality_safety"}], PASS),  # another type
    ],
)
def test_none_over_missing_or_empty_list(run: Run, incidents: Any, expected: Status) -> None:
    fields = {} if incidents is None else {"incidents": incidents}
    report = run({"district/3": NO_INCIDENT}, dataset(districts=[district(**fields)]))
    assert clause(report, "D1", "district/3").status is expected


@pytest.mark.parametrize(
    ("end", "length", "unit", "start"),
    [
        (dt.date(2014, 11, 1), 2, "years", dt.date(2012, 11, 1)),
        (dt.date(2016, 2, 29), 2, "years", dt.date(2014, 2, 28)),
        (dt.date(2014, 3, 31), 1, "months", dt.date(2014, 2, 28)),
        (dt.date(2014, 1, 15), 2, "months", dt.date(2013, 11, 15)),
        (dt.date(2014, 1, 15), 14, "days", dt.date(2014, 1, 1)),
        (dt.date(2014, 1, 15), 1, "year", dt.date(2013, 1, 15)),
    ],
)
def test_window_bounds(end: dt.date, length: int, unit: str, start: dt.date) -> None:
    assert window_bounds(end, length, unit) == start


SPOT = "all(spot_check_pass_rate within 2 years where value > province_benchmarks.spot_check_pass_rate[year])"  # noqa: E501


@pytest.mark.parametrize(
    ("rates", "province", "expected"),
    [
        ({2013: 91, 2014: 92}, {2013: 90, 2014: 91}, PASS),
        ({2013: 90, 2014: 92}, {2013: 90, 2014: 91}, FAIL),  # equal is not above
        ({2014: 92}, {2013: 90, 2014: 91}, UNKNOWN),  # the industry's 2013 is missing
        ({2013: 91, 2014: 92}, {2014: 91}, UNKNOWN),  # the province's 2013 is missing
        ({2014: 90}, {2013: 90, 2014: 91}, FAIL),  # a known failing year settles it
        ({2012: 50, 2013: 91, 2014: 92}, {2013: 90, 2014: 91}, PASS),  # 2012 is outside
    ],
)
def test_year_map_window(
    run: Run, rates: dict[int, Any], province: dict[int, Any], expected: Status
) -> None:
    report = run(
        {"industry/4": SPOT},
        dataset(industries=[industry(spot_check_pass_rate=rates)],
                benchmarks={"spot_check_pass_rate": province}),
    )
    node = clause(report, "I1", "industry/4")
    assert node.status is expected
    if expected is UNKNOWN:
        assert any("2013" in m for m in node.missing)


def test_year_map_window_all_years_missing_is_unknown(run: Run) -> None:
    report = run({"industry/4": SPOT}, dataset(industries=[industry()],
                                                benchmarks={"spot_check_pass_rate": {2014: 1}}))
    assert clause(report, "I1", "industry/4").status is UNKNOWN


# -- map lookups -----------------------------------------------------------------------

ENERGY = "unit_energy_consumption < province_benchmarks.unit_energy_consumption[product_class]"


@pytest.mark.parametrize(
    ("fields", "benchmark", "expected"),
    [
        ({"product_class": "袜子", "unit_energy_consumption": "0.51"}, {"袜子": "0.52"}, PASS),
        ({"product_class": "袜子", "unit_energy_consumption": "0.52"}, {"袜子": "0.52"}, FAIL),
        ({"product_class": "衬衫", "unit_energy_consumption": "0.51"}, {"袜子": "0.52"}, UNKNOWN),
        ({"unit_energy_consumption": "0.51"}, {"袜子": "0.52"}, UNKNOWN),  # no class
        ({"product_class": "袜子", "unit_energy_consumption": "0.51"}, None, UNKNOWN),
    ],
)
def test_map_lookup(
    run: Run, fields: dict[str, Any], benchmark: dict[str, Any] | None, expected: Status
) -> None:
    report = run(
        {"industry/2": ENERGY},
        dataset(industries=[industry(**fields)],
                benchmarks={"unit_energy_consumption": benchmark} if benchmark else {}),
    )
    assert clause(report, "I1", "industry/2").status is expected


@pytest.mark.parametrize(("key", "expected"), [('"袜子"', PASS), ('"衬衫"', UNKNOWN)])
def test_map_lookup_with_literal_key(run: Run, key: str, expected: Status) -> None:
    rule = f"unit_energy_consumption < province_benchmarks.unit_energy_consumption[{key}]"
    report = run(
        {"industry/2": rule},
        dataset(industries=[industry(unit_energy_consumption="0.5")],
                benchmarks={"unit_energy_consumption": {"袜子": "0.52"}}),
    )
    assert clause(report, "I1", "industry/2").status is expected


# -- margins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rule", "met", "amount"),
    [
        (Decimal("95.6"), "drug_evaluation_pass_rate >= 96%", False, Fraction(-2, 5)),
        (Decimal("96.5"), "drug_evaluation_pass_rate >= 96%", True, Fraction(1, 2)),
        (96, "drug_evaluation_pass_rate >= 96%", True, Fraction(0)),
        (96, "drug_evaluation_pass_rate > 96%", False, Fraction(0)),
        (Decimal("1.5"), "drug_evaluation_pass_rate <= 2%", True, Fraction(-1, 2)),
        (Decimal("2.25"), "drug_evaluation_pass_rate <= 2%", False, Fraction(1, 4)),
    ],
)
def test_margin_of_a_comparison(
    run: Run, value: Any, rule: str, met: bool, amount: Fraction
) -> None:
    report = run({"district/1": rule}, with_drug_rate(value))
    node = clause(report, "D1", "district/1")
    [check] = node.checks
    assert check.margin is not None
    assert check.margin.met is met
    assert check.margin.amount == amount
    assert check.margin.unit == "个百分点"
    assert node.status is (PASS if met else FAIL)


@pytest.mark.parametrize(
    ("advanced", "met"),
    [
        ((True, None), True),  # 50%..100%: settled pass
        ((False, False, None), False),  # 0%..33%: settled fail
        ((False, None), None),  # 0%..50%: open
    ],
)
def test_margin_of_a_partly_known_share(
    run: Run, advanced: tuple[bool | None, ...], met: bool | None
) -> None:
    report = run(
        {"industry/2": "share(members where advanced_qm) >= 50%"},
        dataset(industries=[industry()], enterprises=members(*advanced)),
    )
    [check] = clause(report, "I1", "industry/2").checks
    assert check.margin is not None
    assert check.margin.met is met
    assert check.margin.amount is None  # no single distance while members are unknown


def test_margin_of_a_count(run: Run) -> None:
    report = run(
        {"industry/3": 'count(led_standards where level in {"national"}) >= 3'},
        dataset(industries=[industry(led_standards=[{"name": "s", "level": "national"}])]),
    )
    [check] = clause(report, "I1", "industry/3").checks
    assert check.margin is not None
    assert check.margin.met is False
    assert check.margin.amount == -2


# -- the county target ---------------------------------------------------------------------


def test_county_counts_strong_candidates(run: Run) -> None:
    clauses: dict[str, Clause] = {
        "district/1": "export_demo_zone",
        "county": "count(districts where strong) >= 2",
    }
    data = dataset(districts=[
        {"id": "D1", "name": "a", "export_demo_zone": True},
        {"id": "D2", "name": "b", "export_demo_zone": True},
    ])
    assert run(clauses, data).status is PASS
    data["districts"][1]["export_demo_zone"] = False
    assert run(clauses, data).status is FAIL
    data["districts"][1].pop("export_demo_zone")
    assert run(clauses, data).status is UNKNOWN


# -- empty collections, uncertain members, candidates (the transcription review) --------


@pytest.mark.parametrize(("rule", "expected"), [
    ("all(industry_enterprises where licensed)", UNKNOWN),
    ("all(industry_enterprises where licensed, empty = pass)", PASS),
    ("all(industry_enterprises where licensed, empty = fail)", FAIL),
    ("none(industry_enterprises where licensed)", PASS),
    ("any(industry_enterprises where licensed)", FAIL),
    ("count(industry_enterprises where licensed) >= 0", PASS),
])
def test_aggregates_over_nothing(run: Run, rule: str, expected: Status) -> None:
    report = run({"industry/1": rule.replace("industry_enterprises", "enterprises")},
                 dataset(industries=[industry()]))
    node = clause(report, "I1", "industry/1")
    assert node.status is expected
    if expected is UNKNOWN:
        assert node.missing == [] and any("没有数据" in note for note in node.notes)


def test_empty_is_only_for_all(tmp_path: Path) -> None:
    directory = write_criteria(tmp_path / "c", {
        "industry/1": "count(enterprises where licensed, empty = pass) >= 1"})
    with pytest.raises(qstrong.CriteriaErrors, match="is for all"):
        qstrong.load_criteria(directory)


def _sized(advanced: list[bool], unknown_size: list[bool]) -> list[dict[str, Any]]:
    out = members(*advanced)
    for i, value in enumerate(unknown_size):
        out.append({"id": f"U{i}", "name": f"规模不明{i}", "industry": "I1", "advanced_qm": value})
    return out


@pytest.mark.parametrize(("advanced", "unknown_size", "expected", "missing"), [
    # 10/10 whoever else belongs: 100% either way
    ([True] * 10, [True], PASS, []),
    # 5/10 = 50%, 5/11 = 45%: depends on whether U0 is above size
    ([True] * 5 + [False] * 5, [False], UNKNOWN, ["enterprises[U0].above_designated_size"]),
    # 4/10 = 40%, 5/11 = 45%: short either way
    ([True] * 4 + [False] * 6, [True], FAIL, ["enterprises[U0].above_designated_size"]),
    # 9/10 = 90%, 9/12 = 75%: passes either way
    ([True] * 9 + [False], [False, False], PASS, []),
])
def test_shares_over_members_of_unknown_size_are_bounds(
        run: Run, advanced: list[bool], unknown_size: list[bool], expected: Status,
        missing: list[str]) -> None:
    report = run({"industry/2": "share(members where advanced_qm) >= 50%"},
                 dataset(industries=[industry()], enterprises=_sized(advanced, unknown_size)))
    node = clause(report, "I1", "industry/2")
    assert node.status is expected
    assert node.missing == missing


def test_a_member_of_unknown_size_is_listed_as_such(run: Run) -> None:
    report = run({"industry/2": "share(members where advanced_qm) >= 50%"},
                 dataset(industries=[industry()], enterprises=_sized([True] * 3, [True])))
    items = clause(report, "I1", "industry/2").aggregates[0].items
    assert [i.label for i in items][-1] == "规模不明0（U0）（规模不明）"


def test_members_only_are_not_rated_nor_counted(run: Run) -> None:
    enterprises = [{"id": f"E{i}", "name": f"企业{i}"} for i in range(3)]
    enterprises.append({"id": "M1", "name": "成员企业", "candidate": False})
    report = run({"county": "count(enterprises where strong) >= 4"},
                 dataset(enterprises=enterprises))
    assert [e.id for e in report.entities] == ["E0", "E1", "E2"]
    assert [(m.id, m.name) for m in report.members_only] == [("M1", "成员企业")]
    assert report.county.status is FAIL
    doc = report.to_dict()
    assert doc["members_only"] == [{"id": "M1", "name": "成员企业", "industry": None}]
    assert "members_only" not in run({}, dataset(enterprises=enterprises[:3])).to_dict()


def test_context_fields_are_shown_not_judged(run: Run) -> None:
    report = run({"industry/scale": {"rule": "province_scale_rank <= 10",
                                     "context": ["province_scale_rank_source"]}},
                 dataset(industries=[industry(province_scale_rank=3,
                                              province_scale_rank_source="省经信委排名")]))
    node = clause(report, "I1", "industry/scale")
    assert node.status is PASS
    assert [(v.path, v.display) for v in node.values] == [
        ("province_scale_rank", "3"), ("province_scale_rank_source", "省经信委排名")]
    missing_source = run({"industry/scale": {"rule": "province_scale_rank <= 10",
                                             "context": ["province_scale_rank_source"]}},
                         dataset(industries=[industry(province_scale_rank=3)]))
    assert clause(missing_source, "I1", "industry/scale").status is PASS


# -- careless and hostile rules are refused by check, never crash or hang later ---------


@pytest.mark.parametrize(("kind_id", "rule", "message"), [
    ("industry/1", 'brands in {}', "tests one value"),
    ("industry/1", 'province_scale_rank in {}', "empty set"),
    ("enterprise/1", "quality_loss_rate in {0.9}", "not in the same unit"),
    ("district/3", "none(incidents within 30000 months)", "out of range"),
    ("district/3", "none(incidents within 101 years)", "out of range"),
    ("district/3", "none(incidents within 1000000 days)", "out of range"),
    ("county", "count(enterprises where count(enterprises where strong) >= 1) >= 1",
     "inside another aggregate"),
    ("district/1", "drug_evaluation_pass_rate > ٣%", "unexpected character"),
    ("district/1", "drug_evaluation_pass_rate > " + "-" * 491 + "1%", "operators"),
    ("district/1", " + ".join(["1"] * 495) + " > 1", "operators"),
    ("district/1", "drug_evaluation_pass_rate > " + "9" * 50 + "%", "digits"),
])
def test_bad_rules_are_refused_by_check(tmp_path: Path, kind_id: str, rule: str,
                                        message: str) -> None:
    directory = write_criteria(tmp_path / "c", {kind_id: rule})
    with pytest.raises(qstrong.CriteriaErrors, match=message):
        qstrong.load_criteria(directory)


def test_a_window_parameter_is_bounded_at_evaluation(run: Run) -> None:
    params = {"w": {"type": "years", "default": 2, "title": "w", "note": "n"}}
    with pytest.raises(qstrong.DataErrors, match="above 100"):
        run({"district/3": "none(incidents within $w years)"},
            dataset(districts=[district(incidents=[])], params={"w": 2015}), params)


def test_an_incident_after_the_assessment_date_is_refused(run: Run) -> None:
    data = dataset(districts=[district(incidents=[{"date": "2014-11-02",
                                                   "type": "major_quality_safety"}])])
    with pytest.raises(qstrong.DataErrors, match="after the assessment date"):
        run({"district/3": "none(incidents within 2 years)"}, data)


def test_duplicate_incidents_and_fraction_looking_rates_are_warnings(run: Run) -> None:
    from qstrong.report.text import report_text

    twice = {"date": "2014-03-01", "type": "major_quality_safety"}
    data = dataset(districts=[district(incidents=[twice, dict(twice)])],
                   enterprises=[{"id": f"E{i}", "name": f"企业{i}", "quality_loss_rate": "0.02"}
                                for i in range(3)],
                   benchmarks={"quality_loss_rate": "1.8"})
    report = run({"district/3": "none(incidents within 2 years)"}, data)
    assert [(w.code, w.path) for w in report.warnings] == [
        ("W301", "districts[0].incidents[1]"), ("W302", "enterprises")]
    assert clause(report, "D1", "district/3").aggregates[0].counted == 2  # both still count
    assert [w["code"] for w in report.to_dict()["warnings"]] == ["W301", "W302"]
    said = json.loads(report.to_json())["warnings"][0]
    assert "重复列出" in said["message"] and "listed twice" in said["message_en"]
    assert "listed twice" in report_text(report, "en") and "重复" not in report_text(report, "en")
    assert "! warning[W301] districts[0].incidents[1]" in report_text(report, "zh")
    assert "warnings" not in run({}, dataset()).to_dict()


def test_texts_kept_for_the_same_values_are_the_texts_written_afresh() -> None:
    """A comparison and a value read keep what they wrote for each plain value: the
    explanations of a county are the same whether the criteria have written them before
    (warm, after another county) or not (a fresh load)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bench

    doc = bench.generate(400, 11, 0.1)
    fresh = qstrong.load_criteria()
    warm = qstrong.load_criteria()
    assert fresh is not warm
    qstrong.evaluate(qstrong.load_dataset(bench.generate(400, 12, 0.1)), warm).to_dict()
    dataset = qstrong.load_dataset(doc)
    expected = qstrong.evaluate(dataset, fresh).to_dict()
    assert qstrong.evaluate(dataset, warm).to_dict() == expected
    assert qstrong.evaluate(dataset, warm).to_dict() == expected


def test_two_candidates_with_the_same_values_share_one_margin() -> None:
    report = qstrong.evaluate(Path(__file__).resolve().parents[2] / "examples" / "county.yaml")
    first, second = (e for e in report.entities if e.kind == "district")
    a = next(n for n in first.nodes() if n.id == "district/3/equipment_registration").checks[0]
    b = next(n for n in second.nodes() if n.id == "district/3/equipment_registration").checks[0]
    assert (a.left_value, a.right_value) == (b.left_value, b.right_value) == ("100%", "100%")
    assert a.margin is b.margin  # written once; frozen, so sharing it is safe
    with pytest.raises(AttributeError):
        a.margin.met = False  # type: ignore[misc]
