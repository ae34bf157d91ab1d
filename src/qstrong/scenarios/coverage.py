"""What scenario cases reach, and their results for CI systems.

`clause_coverage` collects, for every clause node of the criteria, the statuses the cases'
evaluations gave it (any candidate, the county too); `coverage_text` names the clauses
never seen failing or unknown. `results_json` and `results_junit` give a run's results as
JSON and as JUnit XML (one ``testcase`` per case, a ``failure`` listing its mismatches).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from qstrong.core.logic import Status
from qstrong.core.messages import msg, words
from qstrong.core.vocab import PROVINCE, STATUS_WORDS
from qstrong.engine.results import Report
from qstrong.engine.ruleset import Criteria

__all__ = ["clause_coverage", "coverage_text", "results_json", "results_junit"]

_ORDER = (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE)


def clause_coverage(criteria: Criteria, reports: Iterable[Report]) -> dict[str, set[Status]]:
    """Every clause id of the criteria (file order) and the statuses the reports gave it."""
    reached: dict[str, set[Status]] = {
        node.id: set() for kind, tops in criteria.clauses.items() if kind != PROVINCE
        for top in tops for node in top.defn.walk()}  # scenarios are county datasets
    for report in reports:
        for entity in report.entities:
            for clause_id, status in entity.statuses().items():
                reached.setdefault(clause_id, set()).add(status)
        for top in report.county.clauses:
            for node in top.walk():
                reached.setdefault(node.id, set()).add(node.status)
    return reached


def coverage_text(reached: dict[str, set[Status]], lang: str = "zh") -> list[str]:
    """The coverage as lines, in `lang`: each clause's statuses, then the clauses never
    failing and never unknown."""
    said = STATUS_WORDS["en" if lang == "en" else "zh"]
    width = max((len(c) for c in reached), default=0)
    lines = [words("test.coverage_heading").render(lang)]
    for clause_id, statuses in reached.items():
        shown = (" ".join(said[s] for s in _ORDER if s in statuses)
                 or words("test.never_run").render(lang))
        lines.append(f"  {clause_id:<{width}}  {shown}")
    for status, key in ((Status.FAIL, "test.never_failing"),
                        (Status.UNKNOWN, "test.never_unknown")):
        missing = [c for c, s in reached.items() if status not in s]
        lines.append(msg(key, count=len(missing), ids=", ".join(missing) or "—").render(lang))
    return lines


def _case(result: Any) -> dict[str, Any]:
    s = result.scenario
    return {"name": s.name, "file": str(s.file), "line": s.line, "ok": result.ok,
            "mismatches": [{"entity": m.entity, "clause": m.clause,
                            "expected": m.expected.value, "actual": m.actual.value,
                            "summary": m.summary_zh} for m in result.mismatches]}


def results_json(results: Sequence[Any],
                 reached: dict[str, set[Status]] | None = None) -> dict[str, Any]:
    """``{"passed", "failed", "cases": [...], "coverage"?: {clause: [statuses]}}``."""
    failed = sum(1 for r in results if not r.ok)
    out: dict[str, Any] = {"passed": len(results) - failed, "failed": failed,
                           "cases": [_case(r) for r in results]}
    if reached is not None:
        out["coverage"] = {c: [s.value for s in _ORDER if s in statuses]
                           for c, statuses in reached.items()}
    return out


def results_junit(results: Sequence[Any]) -> str:
    """JUnit XML (the Jenkins xUnit junit-10 schema): one ``testsuite``, a ``testcase`` per
    case (classname: its file), a ``failure`` with the case's file:line and mismatches."""
    failed = sum(1 for r in results if not r.ok)
    root = ET.Element("testsuites", name="qstrong test", tests=str(len(results)),
                      failures=str(failed), errors="0")
    suite = ET.SubElement(root, "testsuite", name="qstrong scenarios",
                          tests=str(len(results)), failures=str(failed), errors="0")
    for result in results:
        s = result.scenario
        # junit-10 has no file or line on a testcase: the file is the classname, and the
        # line is said in the failure.
        case = ET.SubElement(suite, "testcase", classname=str(s.file), name=s.name)
        if not result.ok:
            failure = ET.SubElement(case, "failure", type="mismatch",
                                    message=f"{len(result.mismatches)} mismatch(es)")
            failure.text = "\n".join([f"{s.file}:{s.line}", *result.diff_lines()])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="unicode") + "\n"
