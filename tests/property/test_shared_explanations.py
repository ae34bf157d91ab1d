"""The writers share a clause's explanation among candidates who gave the same values
(`qstrong.engine.reuse`, `Explainer.json_clauses`): what they write must be, byte for byte,
what each candidate's own explanation (`EntityResult.to_dict`, never shared) says, on
generated datasets, mutated examples and criteria whose rules are shuffled."""

from __future__ import annotations

import io
import json
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
from qstrong.core.jsontext import dumps_compact

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench

CRITERIA = qstrong.load_criteria()
SETTINGS = settings(max_examples=15, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def _same(doc: Any, criteria: Any) -> int:
    """Check both writers against the unshared objects; the number of candidates."""
    try:
        report = qstrong.evaluate(doc, criteria)
    except QStrongError:
        return 0
    out = io.StringIO()
    report.write_jsonl(out)
    text = report.to_json()  # the second writer finds the nodes the first one shared
    unshared = report.to_dict()
    assert out.getvalue().splitlines() == [
        *(dumps_compact(e) for e in unshared["entities"]),
        dumps_compact({"county": unshared["county"]})]
    assert text == json.dumps(unshared, ensure_ascii=False, indent=2) + "\n"
    return len(report.entities)


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(1, 150),
       missing=st.sampled_from([0.0, 0.02, 0.2, 0.6, 1.0]))
def test_generated_datasets(seed: int, n: int, missing: float) -> None:
    _same(bench.generate(n, seed, missing), CRITERIA)


@SETTINGS
@given(seed=st.integers(0, 10**6))
def test_mutated_examples(seed: int) -> None:
    rng = random.Random(seed)
    _same(mutate(example_mapping(), rng, rng.randint(1, 4)), CRITERIA)


@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_shuffled_criteria(tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    rng = random.Random(seed)
    directory = Path(tmp_path_factory.mktemp("criteria"))
    criteria = load_shuffled_criteria(directory, rng)
    assume(criteria is not None)
    for doc in (example_mapping(), bench.generate(60, seed, 0.2)):
        _same(doc, criteria)
    shutil.rmtree(directory)


def test_candidates_with_the_same_values_share_one_node() -> None:
    # Forty enterprises answering alike: each shared clause is explained once, and what is
    # written is still each one's own object.
    doc = example_mapping()
    template = next(e for e in doc["enterprises"] if e.get("candidate", True))
    template = {k: v for k, v in template.items() if k != "credit_code"}  # unique codes
    doc["enterprises"] = [{**template, "id": f"E{i}", "name": f"企业{i}"} for i in range(40)]
    report = qstrong.evaluate(doc)
    lines = io.StringIO()
    report.write_jsonl(lines)
    enterprises = [e for e in report.entities if e.kind == "enterprise"]
    explainer = enterprises[0]._explain[1]  # type: ignore[attr-defined]
    tables = explainer.shared  # type: ignore[union-attr]
    assert tables["enterprise/3/good_credit"] and len(tables["enterprise/3/good_credit"]) == 1
    first, last = (e.json_object()["clauses"] for e in (enterprises[0], enterprises[-1]))
    assert first[0] is last[0]  # the same object, written twice
    assert _same(doc, None) == len(report.entities)


def test_trees_read_before_are_written_as_read() -> None:
    # A candidate whose clauses were read (and kept) is written from those trees.
    report = qstrong.evaluate(example_mapping())
    entity = report.entities[0]
    kept = entity.clauses
    assert entity.json_object() == entity.to_dict()
    assert entity.clauses is kept
    verdicts = qstrong.evaluate(example_mapping(), explain=False)
    assert verdicts.entities[0].json_object() == verdicts.entities[0].to_dict()


def test_the_shared_nodes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # More sets of values than a table keeps: the first ones are kept, the others are
    # explained for each candidate, and what is written does not change.
    import qstrong.engine.evaluate as evaluate

    monkeypatch.setattr(evaluate, "SHARED_PER_CLAUSE", 2)
    doc = bench.generate(60, 7, 0.3)
    assert _same(doc, CRITERIA) > 0
    report = qstrong.evaluate(doc)
    report.write_jsonl(io.StringIO())
    tables = report.entities[-1]._explain[1].shared  # type: ignore[attr-defined]
    assert tables and max(len(t) for t in tables.values()) == 2


def _renderings(report: qstrong.Report) -> tuple[str, str, str, list[Any]]:
    from qstrong.report.html import render_html
    from qstrong.report.markdown import render_markdown
    from qstrong.report.records import candidate_rows
    from qstrong.report.text import write_report_text

    text = io.StringIO()
    write_report_text(report, text, "en")
    return (text.getvalue(), render_html(report), render_markdown(report),
            list(candidate_rows(report, keep=False)))


@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), n=st.integers(1, 80),
       missing=st.sampled_from([0.0, 0.2, 0.6]))
def test_renderers_reading_shared_trees(seed: int, n: int, missing: float) -> None:
    # Text, HTML, Markdown and the records read each candidate's trees once, with the
    # nodes shared; the same report with every tree read (and kept) first reads its own.
    doc = bench.generate(n, seed, missing)
    shared = _renderings(qstrong.evaluate(doc))
    own = qstrong.evaluate(doc)
    for entity in own.entities:
        assert entity.clauses  # made for this candidate alone, and kept
    assert shared == _renderings(own)
