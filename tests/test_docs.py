"""The examples in the docstrings of the core modules run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "qstrong.core.source",
    "qstrong.core.logic",
    "qstrong.core.exact",
    "qstrong.engine.margin",
    "qstrong.engine.gaps",
    "qstrong.lang.rule_types",
    "qstrong.lang.nodes",
    "qstrong.lang.parser",
    "qstrong.lang.criteria_file",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
