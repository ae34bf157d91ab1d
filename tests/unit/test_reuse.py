"""`qstrong.engine.reuse`: which clauses' explanations candidates may share, and the keys
that decide who shares one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest

import qstrong
from qstrong.engine.reuse import reuse_key
from qstrong.engine.ruleset import CompiledClause, scopes_of
from qstrong.lang.parser import parse_rule

CRITERIA = qstrong.load_criteria()
SCOPES = scopes_of()


def _clause(clause_id: str) -> CompiledClause:
    kind = clause_id.split("/")[0]
    stack = list(CRITERIA.clauses[kind])
    while stack:
        clause = stack.pop()
        if clause.defn.id == clause_id:
            return clause
        stack.extend(clause.children)
    raise KeyError(clause_id)


@pytest.mark.parametrize(("clause_id", "shared"), [
    ("enterprise/3/good_credit", True),               # one yes/no field of its own
    ("enterprise/2/standards_participation", True),   # a count against a parameter
    ("enterprise/3/no_major_accident", True),         # none(...) over its own incidents
    ("district/1/food_planting_breeding", True),      # a field of a record it holds
    ("enterprise/1", True),                            # every child is shared
    ("industry/2/advanced_qm", False),                 # a share over the members (a view)
    ("industry/2", False),                             # one child is not shared
    ("industry/3/alliance_implementation", False),     # a condition (applies_if)
    ("county/enterprises", False),                     # every candidate's verdict
])
def test_which_packaged_clauses_are_shared(clause_id: str, shared: bool) -> None:
    assert (_clause(clause_id).reuse is not None) is shared


def _key(rule: str, kind: str = "enterprise") -> Any:
    base = _clause("enterprise/3/good_credit").defn
    defn = dataclasses.replace(base, rule=parse_rule(rule), rule_text=rule)
    return reuse_key(defn, SCOPES[kind])


def test_a_yes_no_field_is_keyed_by_its_value() -> None:
    key = _key("good_credit")
    assert key is not None
    yes, no, blank = (key(SimpleNamespace(good_credit=v), None) for v in (True, False, None))
    assert len({yes, no, blank}) == 3
    assert yes == key(SimpleNamespace(good_credit=True), None)


@pytest.mark.parametrize(("a", "b", "same"), [
    (Fraction(935, 10), Fraction(187, 2), True),      # equal exact values write alike
    (Fraction(935, 10), Fraction(936, 10), False),
    (Decimal("1.0"), Decimal("1.00"), False),         # equal, but not written alike
    (1, True, False),                                 # equal in Python, not in the data
    (dt.date(2024, 1, 1), dt.date(2024, 1, 1), True),
    ("a", "a", True),
])
def test_values_share_a_key_only_when_written_alike(a: Any, b: Any, same: bool) -> None:
    key = _key("standards_participation >= 1")
    assert key is not None
    ka = key(SimpleNamespace(standards_participation=a), None)
    kb = key(SimpleNamespace(standards_participation=b), None)
    assert ka is not None and kb is not None
    assert (ka == kb) is same


def test_a_value_of_a_type_it_does_not_know_is_never_shared() -> None:
    key = _key("standards_participation >= 1")
    assert key is not None
    assert key(SimpleNamespace(standards_participation=[1]), None) is None


def test_a_list_is_shared_only_while_empty_and_missing_is_not_empty() -> None:
    key = _key('none(incidents within 2 years where type = "major_accident")')
    assert key is not None
    empty = key(SimpleNamespace(incidents=[]), None)
    missing = key(SimpleNamespace(incidents=None), None)
    assert empty is not None and missing is not None and empty != missing
    assert key(SimpleNamespace(incidents=[object()]), None) is None  # members are named


def test_which_step_of_a_path_was_missing_is_in_the_key() -> None:
    key = _key("food_spot_check_pass_rate.processing >= 94%", "district")
    assert key is not None
    no_record = key(SimpleNamespace(food_spot_check_pass_rate=None), None)
    no_value = key(SimpleNamespace(
        food_spot_check_pass_rate=SimpleNamespace(processing=None)), None)
    assert no_record != no_value


@pytest.mark.parametrize(("rule", "kind"), [
    ("count(members where advanced_qm) >= 1", "industry"),      # a view of the industry
    ("count(enterprises where advanced_qm) >= 1", "industry"),
    ("count(enterprises where strong) >= 30", "county"),         # every candidate's verdict
    ("good_credit and count(brands where level = \"national\") >= 1", "enterprise"),
    ("unit_energy_consumption < province_benchmarks.unit_energy_consumption[product_class]",
     "industry"),                                                # read by an index
])
def test_rules_reading_views_indexes_or_members_have_no_key(rule: str, kind: str) -> None:
    key = _key(rule, kind)
    if "brands" in rule:  # an own list: keyed, but only while it is empty
        assert key is not None
        assert key(SimpleNamespace(good_credit=True, brands=[object()]), None) is None
    else:
        assert key is None


def test_a_dataset_wide_value_is_not_in_the_key() -> None:
    key = _key("quality_loss_rate < province_benchmarks.quality_loss_rate")
    assert key is not None
    made = key(SimpleNamespace(quality_loss_rate=Fraction(1)), None)
    assert made == ((Fraction, 1, 1),)


def test_a_conditional_clause_has_no_key() -> None:
    defn = _clause("industry/3/alliance_implementation").defn
    assert defn.applies_if is not None
    assert reuse_key(defn, SCOPES["industry"]) is None
