"""An evaluation `Report` as a pandas DataFrame (pandas is optional: ``qstrong[pandas]``).

Three shapes, with the column names of `qstrong.report.records`:

* ``level="entity"`` (default): one row per candidate — ``kind``, ``entity_id``,
  ``entity_name``, ``entity_status``, then one column per top-level clause id
  (``district/1`` …) holding that clause's status; a clause that only other kinds have is
  missing (``None``; NaN in the frame).
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

if TYPE_CHECKING:
    from qstrong.engine.results import Report

__all__ = [
    "MISSING_KEYS",
    "NUMBER_COLUMNS",
    "Level",
    "entity_rows",
    "missing_rows",
    "report_frame",
]

Level = Literal["entity", "clause", "node", "missing"]
NUMBER_COLUMNS = ("value", "threshold", "margin_amount")
"""The record columns that hold exact numbers as text, numeric in a frame."""


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise QStrongError(
            "Report.to_frame() needs pandas, which is not installed; "
            "install it with: pip install 'qstrong[pandas]'"
        ) from None


def entity_rows(report: Report) -> list[dict[str, Any]]:
    """One dict per candidate: its verdict and each top-level clause's status (no pandas)."""
    clause_ids: list[str] = []
    for entity in report.entities:
        for clause in entity.clauses:
            if clause.id not in clause_ids:
                clause_ids.append(clause.id)
    rows: list[dict[str, Any]] = []
    for entity in report.entities:
        row: dict[str, Any] = {"kind": entity.kind, "entity_id": entity.id,
                               "entity_name": entity.name,
                               "entity_status": entity.status.value}
        statuses = {c.id: c.status.value for c in entity.clauses}
        for clause_id in clause_ids:
            row[clause_id] = statuses.get(clause_id)
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
