"""Fixtures shared by the test modules, and the scenario-file plugin.

Fixtures: ``example`` (the example dataset), ``report`` (the mixed example report, whose
D1 is named by ``d1_name``); the data behind them is in ``helpers.py``.

Plugin: collect the scenario files in ``tests/cases/*.yaml``, one pytest item per case.
The scenario machinery is `qstrong.scenarios.run`; the plugin only maps its cases to pytest
items and prints a mismatch as the per-clause diff (no Python traceback).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

# The suite reads and writes its own per-user cache (criteria, grammar, messages), made for
# the session and removed after it: its many temporary criteria folders would otherwise
# push the developer's packaged criteria out of theirs (64 entries are kept), and the next
# `qstrong evaluate` would parse them again. Set before anything loads criteria.
if "QSTRONG_CACHE_DIR" not in os.environ:
    _SESSION_CACHE = tempfile.mkdtemp(prefix="qstrong-test-cache-")
    os.environ["QSTRONG_CACHE_DIR"] = _SESSION_CACHE
    atexit.register(shutil.rmtree, _SESSION_CACHE, ignore_errors=True)

import pytest

from helpers import EXAMPLE, mixed_report

# The tests expect qstrong's own defaults, whatever the developer's shell says.
os.environ.pop("QSTRONG_LANG", None)
from qstrong import load_dataset
from qstrong.core.errors import QStrongError
from qstrong.data.models import Dataset
from qstrong.engine.results import Report
from qstrong.engine.ruleset import Criteria, load_criteria
from qstrong.report.diagnostics import render_diagnostic
from qstrong.scenarios.run import Scenario, ScenarioResult, load_scenarios, run_scenario

CASES_DIR = Path(__file__).parent / "cases"


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English for the test: ``str()`` of errors, the command line's default.

    The modules that check the wording of messages check the English of the catalogue
    (``pytestmark = pytest.mark.usefixtures("english")``); the Chinese default is checked
    by the tests of the catalogue and of the command line."""
    from qstrong.core.messages import language

    with language("en"):
        yield


@pytest.fixture(scope="session")
def example() -> Dataset:
    """The all-pass example dataset ``examples/county.yaml`` (a frozen model)."""
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def d1_name() -> str | None:
    """The name ``report`` gives district D1: its own (None), unless a module overrides it."""
    return None


@pytest.fixture(scope="module")
def report(d1_name: str | None) -> Report:
    """The mixed example report (`helpers.mixed_report`), built once per module."""
    return mixed_report(d1_name)


# ---------------------------------------------------------------------------- scenario files


@cache
def _criteria() -> Criteria:
    return load_criteria()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.parent == CASES_DIR:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def _diagnostics(error: QStrongError) -> str:
    return "\n".join(render_diagnostic(d) for d in error.diagnostics)


class ScenarioMismatch(Exception):
    """A case whose statuses differ from the expected ones."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(result.scenario.name)
        self.result = result


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[ScenarioItem]:
        for scenario in load_scenarios(self.path, criteria=_criteria()):
            yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> Any:
        if isinstance(excinfo.value, QStrongError):
            return _diagnostics(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        result = run_scenario(self.scenario, _criteria())
        if not result.ok:
            raise ScenarioMismatch(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        error = excinfo.value
        if isinstance(error, ScenarioMismatch):
            lines = [f"{self.path.name}: case '{self.scenario.name}':"]
            lines += [f"  {line}" for line in error.result.diff_lines()]
            return "\n".join(lines)
        if isinstance(error, QStrongError):
            return f"{self.path.name}: case '{self.scenario.name}':\n{_diagnostics(error)}"
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, f"case: {self.scenario.name}"
