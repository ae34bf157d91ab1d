"""An evaluation `Report` as a pandas DataFrame (pandas is optional: ``qstrong[pandas]``).

Three shapes, with the column names of `qstrong.report.records`:

* ``level="entity"`` (default): one row per candidate — ``kind``, ``entity_id``,
  ``entity_name``, ``entity_status``, then one column per top-level clause id
  (``district/1`` …) holding that clause's status; a clause that only other kinds have is
  missing (``None``; NaN in the frame). The statuses are read off the verdict program's
  codes (`EntityResult.top_statuses`): no candidate is explained for this frame.
* ``level="clause"``: one row per top-level clause of each candidate (the
  `qstrong.report.records.report_records` rows of depth 0).
* ``level="node"``: one row per explanation node, every depth (all of
  `qstrong.report.records.report_records`).
* ``level="missing"``: one row per missing value that leaves a verdict unknown
  (`Report.missing`): ``kind``, ``entity_id``, ``clause_id``, ``path``, ``label``.

Statuses are the JSON strings (``pass``, ``fail``, ``unknown``, ``not_applicable``). In the
``clause`` and ``node`` frames ``value``, ``threshold`` and ``margin_amount`` are numeric
(float64, NaN where there is no number) so that analysts can sort, filter and plot them.
The verdicts themselves were reached with exact numbers; the exact texts stay in
`Report.to_records` and the JSON.
"""

from __future__ import annotations

import importlib
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from qstrong.core.errors import QStrongError
from qstrong.core.messages import msg

if TYPE_CHECKING:
    from qstrong.engine.diff import Diff
    from qstrong.engine.results import Report
    from qstrong.engine.sweep import Sweep

__all__ = [
    "MISSING_KEYS",
    "NUMBER_COLUMNS",
    "Level",
    "diff_frame",
    "entity_rows",
    "missing_rows",
    "report_frame",
    "sweep_frame",
]

Level = Literal["entity", "clause", "node", "missing"]
NUMBER_COLUMNS = ("value", "threshold", "margin_amount")
"""The record columns that hold exact numbers as text, numeric in a frame."""


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise QStrongError(
            msg("output.needs_module", what="Report.to_frame()", module="pandas"),
            hint="pip install 'qstrong[pandas]'"
        ) from None


def entity_rows(report: Report) -> list[dict[str, Any]]:
    """One dict per candidate: its verdict and each top-level clause's status (no pandas)."""
    # Each candidate's top-level statuses off its verdict codes: an explaining report is not
    # explained for a table of statuses.
    tops = [entity.top_statuses() for entity in report.entities]
    clause_ids = list(dict.fromkeys(clause_id for top in tops for clause_id in top))
    rows: list[dict[str, Any]] = []
    for entity, top in zip(report.entities, tops, strict=True):
        row: dict[str, Any] = {"kind": entity.kind, "entity_id": entity.id,
                               "entity_name": entity.name,
                               "entity_status": entity.status.value}
        for clause_id in clause_ids:
            status = top.get(clause_id)
            row[clause_id] = None if status is None else status.value
        rows.append(row)
    return rows


def report_frame(report: Report, level: Level = "entity", lang: str = "zh") -> Any:
    """A pandas DataFrame of a report (see the module docstring for the three shapes).

    Args:
        report: the evaluation report.
        level: ``entity``, ``clause`` or ``node``.
        lang: ``zh`` or ``en``: titles and summaries of the ``clause``/``node`` rows.

    Raises:
        QStrongError: pandas is not installed.
        ValueError: unknown ``level``.

    Examples:
        >>> frame = report_frame(report)                                   # doctest: +SKIP
        >>> frame[frame.kind == "enterprise"].entity_status.value_counts()  # doctest: +SKIP
    """
    if level not in ("entity", "clause", "node", "missing"):
        raise ValueError(
            f"level must be 'entity', 'clause', 'node' or 'missing', not {level!r}")
    pandas = _pandas()
    if level == "entity":
        return pandas.DataFrame.from_records(entity_rows(report))
    if level == "missing":
        return pandas.DataFrame.from_records(missing_rows(report, lang),
                                             columns=list(MISSING_KEYS))
    from qstrong.report.records import RECORD_KEYS, report_records

    rows = report_records(report, lang)
    if level == "clause":
        rows = [r for r in rows if r["depth"] == 0]
    for row in rows:
        for column in NUMBER_COLUMNS:
            row[column] = _float(row[column])
    frame = pandas.DataFrame.from_records(rows, columns=list(RECORD_KEYS))
    return frame.astype({column: "float64" for column in NUMBER_COLUMNS})


MISSING_KEYS = ("kind", "entity_id", "clause_id", "path", "label")
"""The columns of the ``missing`` frame."""


def missing_rows(report: Report, lang: str = "zh") -> list[dict[str, Any]]:
    """One dict per missing value (`Report.missing`), labelled in ``lang`` (no pandas)."""
    return [{"kind": item.kind, "entity_id": item.entity_id, "clause_id": item.clause_id,
             "path": item.path,
             "label": item.label_zh if lang == "zh" else (item.label_en or item.label_zh)}
            for item in report.missing()]


def _float(text: str | None) -> float:
    """An exact record number (``"93.5"``, ``"350/11"``) as a float for analysis only."""
    return float("nan") if text is None else float(Fraction(text))


DIFF_COLUMNS = ("kind", "id", "name", "from", "to", "clause", "clause_from", "clause_to",
                "before_value", "after_value", "before_threshold", "after_threshold")


def diff_frame(result: Diff) -> Any:
    """One row per changed clause of each changed candidate; one row with no clause for a
    candidate on one side only (or a verdict change with no clause listed)."""
    rows: list[dict[str, Any]] = []
    for e in result.changes:
        head = {"kind": e.kind, "id": e.id, "name": e.name,
                "from": None if e.before_status is None else e.before_status.value,
                "to": None if e.after_status is None else e.after_status.value}
        if not e.clauses:
            rows.append({**head, "clause": None})
        for c in e.clauses:
            rows.append({**head, "clause": c.id,
                         "clause_from": None if c.before_status is None
                         else c.before_status.value,
                         "clause_to": None if c.after_status is None else c.after_status.value,
                         "before_value": c.before.get("value"),
                         "after_value": c.after.get("value"),
                         "before_threshold": c.before.get("threshold"),
                         "after_threshold": c.after.get("threshold")})
    return _pandas().DataFrame.from_records(rows, columns=list(DIFF_COLUMNS))


def sweep_frame(result: Sweep) -> Any:
    """One row per value: ``value`` (float, for plotting) and ``value_exact``, the clause's
    pass/fail/unknown counts, the strong counts per kind and the county's verdict."""
    rows = []
    for p in result.points:
        row: dict[str, Any] = {"value": float(p.value), "value_exact": p.to_dict()["value"]}
        if p.clause is not None:
            row.update({f"clause_{k}": v for k, v in p.clause.items()})
        row.update({f"strong_{k}": v for k, v in p.strong.items()})
        row["county"] = p.county.value
        rows.append(row)
    return _pandas().DataFrame.from_records(rows)
