"""Scenario tests: run the cases of scenario files and compare statuses (``qstrong test``).

A scenario file (YAML) holds cases; each builds a dataset (a base dataset plus a patch, or
a whole dataset) and names the statuses that some clauses of some entities should get::

    base: ../../examples/county.yaml
    cases:
      - name: 加工食品抽查合格率恰好 94% 达标
        patch: {districts: [{id: D1, food_spot_check_pass_rate: {processing: 94}}]}
        expect: {D1: {district/1/food_processing: pass}}

This module runs them: `run_scenario` evaluates one case and lists where it differs
(`Mismatch`), and `run_cli` runs whole files for ``qstrong test``. The file format, its
reading and checking are `qstrong.scenarios.file`, and patch semantics are
`qstrong.scenarios.patch`; the whole scenario API (`__all__`: `load_scenarios`,
`apply_patch`, `ScenarioError` ...) is importable from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from qstrong.core.logic import Status
from qstrong.core.messages import default_lang, msg, words
from qstrong.core.vocab import STATUS_WORDS as _WORDS
from qstrong.engine.clause import ClauseResult
from qstrong.engine.evaluate import evaluate
from qstrong.engine.results import EntityResult, Report
from qstrong.engine.ruleset import Criteria, load_criteria
from qstrong.scenarios.file import (
    COUNTY,
    STATUS_WORDS,
    Expectation,
    Scenario,
    check_scenario,
    clause_kinds,
    load_scenarios,
    parse_status,
)
from qstrong.scenarios.patch import ENTITY_LISTS, ScenarioError, apply_patch

__all__ = [
    "ENTITY_LISTS",
    "OVERALL",
    "STATUS_WORDS",
    "Expectation",
    "Mismatch",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "apply_patch",
    "check_scenario",
    "load_scenarios",
    "parse_status",
    "run_cli",
    "run_scenario",
    "scenario_files",
]

OVERALL = "overall"
"""The clause name a `Mismatch` uses for an entity's (or the county's) overall verdict."""

STATUS_ZH = _WORDS["zh"]


class Mismatch(NamedTuple):
    """A clause whose status differs from the expected one.

    ``clause`` is `OVERALL` for an entity's (or the county's) overall verdict.
    """

    entity: str
    clause: str
    expected: Status
    actual: Status
    summary_zh: str
    summary_en: str = ""

    def line(self, lang: str | None = None) -> str:
        """``D1 district/1/food_processing: 预期 pass，实际 fail — <summary>``."""
        lang = lang or default_lang()
        text = msg("test.mismatch", entity=self.entity, clause=self.clause,
                   expected=self.expected.value, actual=self.actual.value).render(lang)
        summary = self.summary_en if lang == "en" and self.summary_en else self.summary_zh
        return f"{text} — {summary}" if summary else text


@dataclass
class ScenarioResult:
    """What running one case found."""

    scenario: Scenario
    mismatches: list[Mismatch] = field(default_factory=list)
    report: Report | None = None

    @property
    def ok(self) -> bool:
        """True when every expected status was met."""
        return not self.mismatches

    def diff_lines(self, lang: str | None = None) -> list[str]:
        """One line per mismatch (no indentation)."""
        return [m.line(lang) for m in self.mismatches]


def _overall_summary(clauses: Sequence[ClauseResult], lang: str) -> str:
    bad = [c for c in clauses if c.status not in (Status.PASS, Status.NOT_APPLICABLE)]
    if not bad:
        return words("test.all_pass").render(lang)
    if lang == "en":
        return "; ".join(f"{c.id} {c.title_en or c.title_zh}: {_WORDS['en'][c.status]}"
                         for c in bad)
    return "；".join(f"{c.id} {c.title_zh}{STATUS_ZH[c.status]}" for c in bad)


def _actual(report: Report, e: Expectation, kinds: Mapping[str, str]
            ) -> tuple[Status, str, str]:
    if e.entity == COUNTY:
        if e.clause is None:
            return (report.county.status, _overall_summary(report.county.clauses, "zh"),
                    _overall_summary(report.county.clauses, "en"))
        for top in report.county.clauses:
            for node in top.walk():
                if node.id == e.clause:
                    return node.status, node.summary_zh, node.summary_en
        raise KeyError(e.clause)
    if e.clause is None:
        entity: EntityResult = report.entity(e.entity)
        return (entity.status, _overall_summary(entity.clauses, "zh"),
                _overall_summary(entity.clauses, "en"))
    node = report.entity(e.entity, kinds[e.clause]).clause(e.clause)
    return node.status, node.summary_zh, node.summary_en


def run_scenario(scenario: Scenario, criteria: Criteria | str | Path | None = None
                 ) -> ScenarioResult:
    """Evaluate one case and compare every expected status.

    Args:
        scenario: the case.
        criteria: a loaded `Criteria` (load it once for many cases), a criteria
            directory, or None for the packaged criteria.

    Returns:
        The result; ``.ok`` is True when nothing differs.

    Raises:
        ScenarioError: ``expect`` names a clause that does not exist (or of another kind).
    """
    if not isinstance(criteria, Criteria):
        criteria = load_criteria(criteria)
    check_scenario(scenario, criteria)
    kinds = clause_kinds(criteria)
    report = evaluate(scenario.dataset, criteria)
    result = ScenarioResult(scenario, report=report)
    for e in scenario.expect:
        actual, summary_zh, summary_en = _actual(report, e, kinds)
        if actual is not e.status:
            result.mismatches.append(Mismatch(e.entity, e.clause or OVERALL, e.status, actual,
                                              summary_zh, summary_en))
    return result


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files named by ``paths``: files as given, directories searched for YAML.

    Raises:
        ScenarioError: a path does not exist, or no scenario file is found.
    """
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml")
                                and f.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise ScenarioError(msg("file.no_such"), file=str(p))
    if not files:
        raise ScenarioError(words("test.no_files"),
                            file=", ".join(str(p) for p in paths))
    return files


def _say(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:  # a terminal that cannot show ✓/✗ or Chinese
        out = sys.stdout
        encoding = getattr(out, "encoding", None) or "ascii"
        print(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))


def run_cli(paths: list[str], criteria_dir: str | None, *, fmt: str = "text",
            coverage: bool = False, write: Callable[[str], None] | None = None,
            lang: str | None = None) -> int:
    """Run scenario files for ``qstrong test``: one line per case (``fmt="text"``), or the
    results as JSON or JUnit XML; with ``coverage``, which statuses every clause reached.

    Every file is read and checked before any case runs, so an invalid file stops the
    run with an error instead of a partial result.

    Args:
        paths: scenario files or directories.
        criteria_dir: criteria directory, or None for the packaged criteria.
        fmt: ``text``, ``json`` or ``junit``.
        coverage: also report the statuses each clause reached (text and JSON).
        write: where JSON or JUnit text goes (standard output when None).
        lang: the language of the text lines (``zh`` or ``en``; default: `default_lang`).

    Returns:
        0 when every case passes, 1 when any case fails.

    Raises:
        ScenarioError: an invalid scenario file (the CLI exits with status 2).
        CriteriaError: invalid criteria files.
    """
    from qstrong.scenarios.coverage import (
        clause_coverage,
        coverage_text,
        results_json,
        results_junit,
    )

    lang = lang or default_lang()
    criteria = load_criteria(criteria_dir)
    scenarios = [s for f in scenario_files(paths) for s in load_scenarios(f, criteria=criteria)]
    results = [run_scenario(scenario, criteria) for scenario in scenarios]
    reached = (clause_coverage(criteria, [r.report for r in results if r.report is not None])
               if coverage else None)
    failed = sum(1 for r in results if not r.ok)
    if fmt != "text":
        import json

        text = (results_junit(results) if fmt == "junit" else
                json.dumps(results_json(results, reached), ensure_ascii=False, indent=2) + "\n")
        (write or sys.stdout.write)(text)
        return 1 if failed else 0
    for result in results:
        scenario = result.scenario
        if result.ok:
            _say(f"✓ {scenario.name}")
            continue
        _say(f"✗ {scenario.name}  ({scenario.file}:{scenario.line})")
        for line in result.diff_lines(lang):
            _say(f"  {line}")
    if reached is not None:
        for line in coverage_text(reached, lang):
            _say(line)
    _say(msg("test.totals", passed=len(results) - failed, failed=failed).render(lang))
    return 1 if failed else 0
