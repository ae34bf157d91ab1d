"""The verdict path (generated Python, ``explain=False``) gives the explaining evaluator's
statuses: every candidate, every clause node at every level, every applicability, the
county, on generated datasets and on criteria whose rules are shuffled, recombined and
given new thresholds and operators."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import qstrong
from fuzzing import example_mapping, load_shuffled_criteria, mutate
from qstrong.core.errors import QStrongError
from qstrong.core.logic import Status, all_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench

CRITERIA = qstrong.load_criteria()
SETTINGS = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def _flat(report: qstrong.Report) -> list[Any]:
    rows: list[Any] = []
    for e in report.entities:
        # The verdict as the tree itself gives it, not only as the report records it.
        derived = Status.of(all_of(c.status.as_truth() for c in e.clauses))
        rows.append((e.kind, e.id, e.status, derived))
        rows.extend((e.id, n.id, n.status, n.applicability) for c in e.clauses for n in c.walk())
    # The county's verdict is the verdict path's in both reports; its explained trees
    # (made when read) must agree with it.
    derived = Status.of(all_of(c.status.as_truth() for c in report.county.clauses))
    rows.append(("county", report.county.status, derived))
    rows.extend((n.id, n.status, n.applicability) for c in report.county.clauses
                for n in c.walk())
    return rows


def _same(doc: Any, criteria: Any) -> None:
    try:
        explained = qstrong.evaluate(doc, criteria)
    except QStrongError:
        return
    fast = qstrong.evaluate(doc, criteria, explain=False)
    assert not fast.explained and explained.explained
    tables = {kind: fast.status_table(kind) for kind in ("district", "industry", "enterprise")}
    assert _flat(fast) == _flat(explained)
    # The status tables, read off the codes before any result was made, hold the explained
    # trees' statuses.
    for kind, table in tables.items():
        entities = [e for e in explained.entities if e.kind == kind]
        assert table.ids == [e.id for e in entities]
        assert table.verdicts == [e.status for e in entities]
        assert table.rows == [tuple(map({n.id: n.status for n in e.nodes()}.get,
                                        table.clause_ids)) for e in entities]


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(1, 120),
       missing=st.sampled_from([0.0, 0.02, 0.2, 0.6, 1.0]))
def test_packaged_criteria_on_generated_datasets(seed: int, n: int, missing: float) -> None:
    _same(qstrong.load_dataset(bench.generate(n, seed, missing)), CRITERIA)


@SETTINGS
@given(seed=st.integers(0, 10**6))
def test_packaged_criteria_on_mutated_examples(seed: int) -> None:
    rng = random.Random(seed)
    _same(mutate(example_mapping(), rng, rng.randint(1, 4)), CRITERIA)


@SETTINGS
@given(seed=st.integers(0, 10**6))
def test_shuffled_criteria_agree(tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    rng = random.Random(seed)
    directory = Path(tmp_path_factory.mktemp("criteria"))
    criteria = load_shuffled_criteria(directory, rng)
    assume(criteria is not None)
    for doc in (example_mapping(), bench.generate(40, seed, 0.2),
                mutate(example_mapping(), rng, 2)):
        _same(doc, criteria)
    shutil.rmtree(directory)


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[2] / "examples")
                                        .glob("*.yaml")), ids=lambda p: p.name)
def test_examples_agree(path: Path) -> None:
    _same(path, CRITERIA)


def _scenarios() -> list[Any]:
    from qstrong.scenarios.file import load_scenarios

    cases = Path(__file__).resolve().parents[1] / "cases"
    return [s for path in sorted(cases.glob("*.yaml"))
            for s in load_scenarios(path, criteria=CRITERIA)]


def test_scenario_cases_agree() -> None:
    scenarios = _scenarios()
    assert len(scenarios) > 20
    for scenario in scenarios:
        _same(scenario.dataset, CRITERIA)


@SETTINGS
@given(seed=st.integers(0, 10**6), missing=st.sampled_from([0.0, 0.1, 0.3]))
def test_both_paths_agree_with_the_hand_written_rules(seed: int, missing: float) -> None:
    # benchmarks/bench.py's rules, written by hand from the plan: an independent oracle.
    dataset = qstrong.load_dataset(bench.generate(60, seed, missing))
    hand = bench.handwritten_evaluate(dataset)
    for explain in (True, False):
        report = qstrong.evaluate(dataset, CRITERIA, explain=explain)
        assert bench.compare(bench.qstrong_outcomes(report), hand) == ([], [])


_NESTED_RULES = {
    # An aggregate in another's condition, over members whose belonging may be uncertain.
    "industry/1": 'share(members where count(brands where level = "international") >= 1)'
                  " >= 50%",
    "industry/2": 'count(members where any(incidents within 2 years where type in'
                  ' {"major_quality_accident", "major_safety_accident"})) = 0',
    "industry/3": 'sum(sales of brands where level in {"provincial", "national"}) >= 600000',
    # A window whose length is worked out for each candidate (not one fixed for the run).
    "industry/4": "all(spot_check_pass_rate within $span + 1 years"
                  " where value > province_benchmarks.spot_check_pass_rate[year])",
    "enterprise/1": 'none(incidents within 2 years where type = "major_valid_complaint")'
                    ' and count(brands where level = "national") < 3',
    "county": 'count(industries where strong and count(brands where level = "national") >= 1)'
              " >= 1",
}


def _nested_criteria(directory: Path) -> Any:
    import yaml

    from qstrong.lang.criteria_file import REQUIRED_TOP_IDS

    for kind, ids in REQUIRED_TOP_IDS.items():
        items = [{"id": cid, "title": cid, "section": "s", "text": cid,
                  "rule": _NESTED_RULES.get(cid, "present(name)")} for cid in ids]
        params = ({"span": {"type": "years", "default": 1, "title": "span", "note": "n"}}
                  if kind == "industry" else {})
        (directory / f"{kind}.yaml").write_text(yaml.safe_dump(
            {"kind": kind, "title": kind, "version": "t", "params": params, "clauses": items},
            allow_unicode=True), encoding="utf-8")
    return qstrong.load_criteria(directory)


@SETTINGS
@given(seed=st.integers(0, 10**6), missing=st.sampled_from([0.0, 0.1, 0.4]))
def test_nested_aggregates_and_windows_agree(tmp_path_factory: pytest.TempPathFactory,
                                            seed: int, missing: float) -> None:
    """Aggregates written inside the clause's own lines (`codegen_aggregates`): nested in
    another's condition, a sum, a share over members, a window of a length read from the
    data; the explaining evaluator's statuses on generated and mutated datasets."""
    criteria = _nested_criteria(Path(tmp_path_factory.mktemp("nested")))
    source = criteria.program().source
    # Every rule generated (none runs its closure), the nested ones in place.
    assert "_closure(" not in source and "def _agg" not in source
    assert source.count("for f2 in ") >= 2 and "_window_start(R.date" in source
    rng = random.Random(seed)
    for doc in (bench.generate(30, seed, missing), mutate(example_mapping(), rng, 2),
                example_mapping()):
        _same(doc, criteria)
