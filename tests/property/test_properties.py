"""Properties: parse/unparse round trips, Kleene laws, share monotonicity, exact boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import qstrong
from qstrong.core.logic import Status, Truth, all_of, any_of
from qstrong.engine.operations import compare_bounds as _compare_bounds
from qstrong.engine.operations import compare_values as _compare_values
from qstrong.engine.ruleset import Criteria, load_criteria
from qstrong.engine.runtime import Bounds
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import REQUIRED_TOP_IDS
from qstrong.lang.parser import parse_rule

SETTINGS = settings(max_examples=200, deadline=None, database=None)
SLOW = settings(max_examples=60, deadline=None, database=None)

# -- generated rule trees --------------------------------------------------------------

# Field names, including ones that look like keywords in other positions.
NAMES = st.sampled_from(
    ["a", "b", "x1", "_y", "advanced_qm", "members", "value", "year", "type", "level",
     "count", "sum", "present", "index", "order", "notes", "years_ago", "trueish"]
)
PARAM_NAMES = st.sampled_from(["stable_years", "p", "w2", "in_", "year"])

decimals = st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(min_value=0, max_value=99999),
    st.integers(min_value=-3, max_value=2),
)
strings = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
    max_size=8,
)

literals = st.one_of(
    st.builds(n.Number, decimals),
    st.builds(n.Percent, decimals),
    st.builds(n.Points, decimals),
    st.builds(n.DateLit, st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
    st.builds(n.String, strings),
    st.builds(n.BoolLit, st.booleans()),
    st.builds(n.Param, PARAM_NAMES),
)

simple_paths = st.builds(
    lambda parts: n.Path(tuple(parts)), st.lists(NAMES, min_size=1, max_size=3)
)


def _paths(inner: st.SearchStrategy[n.Node]) -> st.SearchStrategy[n.Path]:
    part = st.one_of(NAMES, inner)
    return st.builds(
        lambda head, rest: n.Path((head, *rest)), NAMES, st.lists(part, max_size=3)
    )


def _extend(inner: st.SearchStrategy[n.Node]) -> st.SearchStrategy[n.Node]:
    ops = st.sampled_from([">=", "<=", ">", "<", "=", "!="])
    window = st.builds(
        n.Window, inner, st.sampled_from(["years", "year", "months", "month", "days", "day"])
    )
    return st.one_of(
        _paths(inner),
        st.builds(n.Present, _paths(inner)),
        st.builds(n.Compare, inner, ops, inner),
        st.builds(n.InSet, inner, st.lists(inner, max_size=3).map(tuple), st.booleans()),
        st.builds(
            n.BoolOp,
            st.sampled_from(["and", "or"]),
            st.lists(inner, min_size=2, max_size=3).map(tuple),
        ),
        st.builds(n.Not, inner),
        st.builds(n.Arith, inner, st.sampled_from(["+", "-", "*", "/"]), inner),
        st.builds(n.Neg, inner),
        st.builds(
            n.Aggregate,
            st.sampled_from(["share", "count", "sum", "any", "all", "none"]),
            st.one_of(simple_paths, inner),
            st.none() | inner,
            st.none() | window,
            st.none() | inner,
        ),
    )


trees = st.recursive(st.one_of(literals, simple_paths), _extend, max_leaves=12)


@SETTINGS
@given(trees)
def test_parse_unparse_round_trip(tree: n.Node) -> None:
    text = n.unparse(tree)
    assert parse_rule(text) == tree
    # and unparse is a fixed point on canonical text
    assert n.unparse(parse_rule(text)) == text


# -- Kleene laws -----------------------------------------------------------------------

truths = st.sampled_from(list(Truth))


@SETTINGS
@given(truths, truths)
def test_commutativity(a: Truth, b: Truth) -> None:
    assert a & b is b & a
    assert a | b is b | a


@SETTINGS
@given(truths, truths, truths)
def test_associativity(a: Truth, b: Truth, c: Truth) -> None:
    assert (a & b) & c is a & (b & c)
    assert (a | b) | c is a | (b | c)


@SETTINGS
@given(truths, truths, truths)
def test_distributivity(a: Truth, b: Truth, c: Truth) -> None:
    assert a & (b | c) is (a & b) | (a & c)
    assert a | (b & c) is (a | b) & (a | c)


@SETTINGS
@given(truths, truths)
def test_de_morgan(a: Truth, b: Truth) -> None:
    assert ~(a & b) is (~a | ~b)
    assert ~(a | b) is (~a & ~b)


@SETTINGS
@given(truths)
def test_double_negation(a: Truth) -> None:
    assert ~~a is a


@SETTINGS
@given(truths, truths)
def test_absorption(a: Truth, b: Truth) -> None:
    assert a & (a | b) is a
    assert a | (a & b) is a


@SETTINGS
@given(truths)
def test_identity_and_domination(a: Truth) -> None:
    assert a & Truth.PASS is a
    assert a | Truth.FAIL is a
    assert a & Truth.FAIL is Truth.FAIL
    assert a | Truth.PASS is Truth.PASS


@SETTINGS
@given(st.lists(truths, max_size=6))
def test_all_of_and_any_of_are_folds(values: list[Truth]) -> None:
    folded_and, folded_or = Truth.PASS, Truth.FAIL
    for v in values:
        folded_and = folded_and & v
        folded_or = folded_or | v
    assert all_of(values) is folded_and
    assert any_of(values) is folded_or
    assert ~all_of(values) is any_of([~v for v in values])


@SETTINGS
@given(st.lists(truths, max_size=6), st.data())
def test_resolving_an_unknown_never_flips_a_settled_answer(
    values: list[Truth], data: st.DataObject
) -> None:
    """Kleene logic is monotone: replacing an unknown by pass or fail keeps pass and fail."""
    unknown_at = [i for i, v in enumerate(values) if v is Truth.UNKNOWN]
    if not unknown_at:
        return
    i = data.draw(st.sampled_from(unknown_at))
    resolved = list(values)
    resolved[i] = data.draw(st.sampled_from([Truth.PASS, Truth.FAIL]))
    for combine in (all_of, any_of):
        before, after = combine(values), combine(resolved)
        if before is not Truth.UNKNOWN:
            assert after is before


# -- shares of members, through the evaluator ------------------------------------------

SHARE_RULES = {
    "industry/1": "share(members where advanced_qm) >= 50%",
    "industry/2": "share(members where advanced_qm) > 50%",
    "industry/3": "share(members where advanced_qm) >= 20%",
    "industry/4": "share(members where advanced_qm) >= 100%",
    "industry/scale": "count(members where advanced_qm) >= 2",
}
ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2}


def _write_criteria(directory: Path, rules: dict[str, str],
                    params: dict[str, dict[str, Any]] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for kind, ids in REQUIRED_TOP_IDS.items():
        clauses = [{"id": cid, "title": cid, "section": "s", "text": cid,
                    "rule": rules.get(cid, "present(name)")} for cid in ids]
        doc: dict[str, Any] = {"kind": kind, "title": kind, "clauses": clauses}
        if kind == "enterprise" and params:
            doc["params"] = params
        (directory / f"{kind}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def share_criteria(tmp_path_factory: pytest.TempPathFactory) -> Criteria:
    return load_criteria(_write_criteria(tmp_path_factory.mktemp("share"), SHARE_RULES))


def _share_statuses(criteria: Criteria, flags: list[bool | None]) -> dict[str, Status]:
    enterprises = []
    for i, flag in enumerate(flags):
        e: dict[str, Any] = {"id": f"E{i}", "name": f"e{i}", "industry": "I1",
                             "above_designated_size": True}
        if flag is not None:
            e["advanced_qm"] = flag
        enterprises.append(e)
    data = {
        "assessment": {"date": "2014-11-01"},
        "county": {"code": "330681", "name": "诸暨市"},
        "industries": [{"id": "I1", "name": "袜业"}],
        "enterprises": enterprises,
    }
    entity = qstrong.evaluate(data, criteria).entity("I1")
    return {cid: entity.clause(cid).status for cid in SHARE_RULES}


flags_lists = st.lists(st.sampled_from([True, False, None]), max_size=8)


@SLOW
@given(flags_lists, st.data())
def test_resolving_an_unknown_member_never_flips_a_share_verdict(
    share_criteria: Criteria, flags: list[bool | None], data: st.DataObject
) -> None:
    unknown_at = [i for i, f in enumerate(flags) if f is None]
    if not unknown_at:
        return
    i = data.draw(st.sampled_from(unknown_at))
    resolved = list(flags)
    resolved[i] = data.draw(st.booleans())
    before = _share_statuses(share_criteria, flags)
    after = _share_statuses(share_criteria, resolved)
    for cid in SHARE_RULES:
        if before[cid] in (Status.PASS, Status.FAIL):
            assert after[cid] is before[cid], (cid, flags, resolved)


@SLOW
@given(flags_lists, st.integers(min_value=0, max_value=8))
def test_adding_a_qualifying_member_never_lowers_a_share_verdict(
    share_criteria: Criteria, flags: list[bool | None], where: int
) -> None:
    more = list(flags)
    more.insert(min(where, len(more)), True)
    before = _share_statuses(share_criteria, flags)
    after = _share_statuses(share_criteria, more)
    for cid in SHARE_RULES:
        assert ORDER[after[cid]] >= ORDER[before[cid]], (cid, flags, more)


@SLOW
@given(st.lists(st.booleans(), min_size=1, max_size=8))
def test_share_verdict_with_known_members_is_exact(
    share_criteria: Criteria, flags: list[bool]
) -> None:
    statuses = _share_statuses(share_criteria, list(flags))
    share = Fraction(sum(flags) * 100, len(flags))
    expect = {
        "industry/1": share >= 50,
        "industry/2": share > 50,
        "industry/3": share >= 20,
        "industry/4": share >= 100,
        "industry/scale": sum(flags) >= 2,
    }
    for cid, holds in expect.items():
        assert statuses[cid] is (Status.PASS if holds else Status.FAIL), (cid, flags)


# -- exact boundaries ------------------------------------------------------------------

OPS = {
    ">=": lambda x, t: x >= t,
    ">": lambda x, t: x > t,
    "<=": lambda x, t: x <= t,
    "<": lambda x, t: x < t,
    "=": lambda x, t: x == t,
    "!=": lambda x, t: x != t,
}
ops = st.sampled_from(sorted(OPS))
exact = st.builds(Fraction, st.integers(-1000, 1000), st.sampled_from([1, 2, 3, 10, 100]))


@SETTINGS
@given(st.integers(-50, 50), st.integers(-50, 50), ops)
def test_compare_integers_is_exact(x: int, t: int, op: str) -> None:
    expected = Truth.PASS if OPS[op](x, t) else Truth.FAIL
    assert _compare_values(op, Fraction(x), Fraction(t)) is expected


@SETTINGS
@given(exact, exact, ops)
def test_point_bounds_compare_like_exact_values(x: Fraction, t: Fraction, op: str) -> None:
    expected = Truth.PASS if OPS[op](x, t) else Truth.FAIL
    assert _compare_bounds(op, Bounds(x, x, ()), t) is expected
    assert _compare_bounds(op, t, Bounds(x, x, ())) is (
        Truth.PASS if OPS[op](t, x) else Truth.FAIL
    )


@SETTINGS
@given(exact, exact, exact, ops)
def test_bounds_decide_only_when_every_value_agrees(
    a: Fraction, b: Fraction, t: Fraction, op: str
) -> None:
    lo, hi = min(a, b), max(a, b)
    result = _compare_bounds(op, Bounds(lo, hi, ()), t)
    # Sample the interval: both ends, the threshold (if inside), and the midpoint.
    samples = {lo, hi, (lo + hi) / 2} | ({t} if lo <= t <= hi else set())
    outcomes = {OPS[op](x, t) for x in samples}
    if result is Truth.PASS:
        assert outcomes == {True}
    elif result is Truth.FAIL:
        assert outcomes == {False}
    else:
        assert outcomes == {True, False}


@SETTINGS
@given(exact, exact, st.sampled_from([">=", ">", "<=", "<"]))
def test_unbounded_above(lo: Fraction, t: Fraction, op: str) -> None:
    result = _compare_bounds(op, Bounds(lo, None, ()), t)
    if op in (">=", ">"):
        assert result is (Truth.PASS if OPS[op](lo, t) else Truth.UNKNOWN)
    else:
        assert result is (Truth.UNKNOWN if OPS[op](lo, t) else Truth.FAIL)


BOUNDARY_RULES = {
    "enterprise/1": "standards_participation >= $n",
    "enterprise/2": "standards_participation > $n",
    "enterprise/3": "quality_loss_rate >= $r",
    "enterprise/4": "quality_loss_rate <= $r",
}
BOUNDARY_PARAMS = {
    "n": {"type": "count", "default": 1, "title": "t", "note": "n"},
    "r": {"type": "percent", "default": "1%", "title": "t", "note": "n"},
}


@pytest.fixture(scope="module")
def boundary_criteria(tmp_path_factory: pytest.TempPathFactory) -> Criteria:
    directory = _write_criteria(tmp_path_factory.mktemp("bounds"), BOUNDARY_RULES,
                                BOUNDARY_PARAMS)
    return load_criteria(directory)


one_place = st.builds(lambda k: Decimal(k).scaleb(-1), st.integers(0, 1000))


@SLOW
@given(st.integers(0, 40), st.integers(0, 40), one_place, one_place)
def test_thresholds_through_the_evaluator_are_exact(
    boundary_criteria: Criteria, x: int, t: int, rate: Decimal, bound: Decimal
) -> None:
    data = {
        "assessment": {"date": "2014-11-01", "criteria_params": {"n": t, "r": f"{bound}%"}},
        "county": {"code": "330681", "name": "诸暨市"},
        "enterprises": [{"id": "E1", "name": "e", "standards_participation": x,
                         "quality_loss_rate": rate}],
    }
    entity = qstrong.evaluate(data, boundary_criteria).entity("E1")

    def status(holds: bool) -> Status:
        return Status.PASS if holds else Status.FAIL

    assert entity.clause("enterprise/1").status is status(x >= t)
    assert entity.clause("enterprise/2").status is status(x > t)
    assert entity.clause("enterprise/3").status is status(rate >= bound)
    assert entity.clause("enterprise/4").status is status(rate <= bound)
