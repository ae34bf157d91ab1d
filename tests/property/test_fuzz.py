"""Fuzzing with a bounded example count: every generated rule, dataset and YAML text gives a
verdict or a `QStrongError`, never another exception (``benchmarks/fuzz.py`` runs longer)."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import qstrong
from fuzzing import example_mapping, mutate, mutate_text, random_rule, seeds
from qstrong.io.yamldoc import load_yaml_text
from qstrong.lang.criteria_file import REQUIRED_TOP_IDS
from qstrong.lang.parser import parse_rule

FAST = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
CRITERIA = qstrong.load_criteria()
DOC = example_mapping()


def _verdict_or_error(call: Any) -> None:
    with contextlib.suppress(qstrong.QStrongError):
        call()


@FAST
@given(seeds)
def test_any_rule_text_parses_or_is_a_syntax_error(seed: int) -> None:
    _, text = random_rule(random.Random(seed))
    _verdict_or_error(lambda: parse_rule(text))


@SLOW
@given(seeds)
def test_any_rule_checks_and_evaluates_or_is_refused(tmp_path_factory: pytest.TempPathFactory,
                                                     seed: int) -> None:
    kind, text = random_rule(random.Random(seed))
    directory = tmp_path_factory.mktemp("criteria")
    for k, ids in REQUIRED_TOP_IDS.items():
        items = [{"id": cid, "title": cid, "section": "s", "text": cid,
                  "rule": text if k == kind and cid == ids[0] else "present(name)"}
                 for cid in ids]
        (Path(directory) / f"{k}.yaml").write_text(yaml.safe_dump(
            {"kind": k, "title": k, "version": "f", "clauses": items}, allow_unicode=True),
            encoding="utf-8")

    def run() -> None:
        criteria = qstrong.load_criteria(directory)
        qstrong.evaluate(DOC, criteria).to_json()

    _verdict_or_error(run)


@FAST
@given(seeds)
def test_any_mutated_dataset_evaluates_or_is_refused(seed: int) -> None:
    rng = random.Random(seed)
    doc = mutate(DOC, rng, rng.randint(1, 4))
    _verdict_or_error(lambda: qstrong.evaluate(doc, CRITERIA).to_json())


@FAST
@given(seeds)
def test_any_mutated_yaml_text_evaluates_or_is_refused(seed: int) -> None:
    rng = random.Random(seed)
    text = mutate_text(yaml.safe_dump(DOC, allow_unicode=True, sort_keys=False), rng)

    def run() -> None:
        raw = load_yaml_text(text, "fuzz.yaml", keep_dates=True)
        qstrong.evaluate(raw, CRITERIA)

    _verdict_or_error(run)


def test_the_grammar_is_strict() -> None:
    """Lark's strict mode (regex collisions checked with interegular) accepts the grammar."""
    pytest.importorskip("interegular")
    from lark import Lark

    grammar = (Path(qstrong.__file__).parent / "lang" / "grammar" / "rules.lark").read_text(
        encoding="utf-8")
    Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True,
         strict=True)
