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

Statuses are the JSON strings (``pass``, ``fail``, ``unknown``, ``not_applicable``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Literal

from qstrong.core.errors import QStrongError

if TYPE_CHECKING:
    from qstrong.engine.results import Report

__all__ = ["Level", "entity_rows", "report_frame"]

Level = Literal["entity", "clause", "node"]


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
    if level not in ("entity", "clause", "node"):
        raise ValueError(f"level must be 'entity', 'clause' or 'node', not {level!r}")
    pandas = _pandas()
    if level == "entity":
        return pandas.DataFrame.from_records(entity_rows(report))
    from qstrong.report.records import RECORD_KEYS, report_records

    rows = report_records(report, lang)
    if level == "clause":
        rows = [r for r in rows if r["depth"] == 0]
    return pandas.DataFrame.from_records(rows, columns=list(RECORD_KEYS))
