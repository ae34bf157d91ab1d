"""Flat records of a report: one row per candidate × clause node, ready for ``pandas``.

`report_records` walks every candidate's explanation tree depth first and gives one dict per
node, with the same keys in the same order on every row, so ``pandas.DataFrame(rows)`` has a
stable set of columns:

=================  ==========================================================================
kind               ``district`` / ``industry`` / ``enterprise`` (``county`` for the county rows)
entity_id          the candidate's id (the county code for the county rows)
entity_name        the candidate's name
entity_status      the candidate's verdict: ``pass`` / ``fail`` / ``unknown``
clause_id          the node's clause id, e.g. ``district/1/drug_evaluation``
parent_id          the parent node's clause id, ``None`` for a top-level clause
depth              0 for a top-level clause, 1 below it, ...
section            the plan's section, e.g. ``三(一)1``
title              the clause title (Chinese, or English with ``lang="en"``)
status             the node's verdict: ``pass`` / ``fail`` / ``unknown`` / ``not_applicable``
leaf               True when the node has no children (a rule, not a group)
summary            the one-line explanation
value              the first comparison's value, exact, in the unit shown (``"87.5"`` for 87.5%),
                   or None (yes/no, missing, no comparison); ``p/q`` when it does not end
threshold          that comparison's threshold, the same way (``"93.5"``)
unit               the comparison's unit: ``percent``, ``points``, ``count``, ``amount``,
                   ``rank``, ``year``, ``number``, or ``""``
margin             the first margin of the node's comparisons (``差 6个百分点``), or ``""``
margin_amount      that margin's exact signed amount, the same way (``"-6"``), or None
missing            the missing field paths, comma-joined, or ``""``
missing_labels     the same fields by their readers' names (``主要工业产品质量损失率 · 现期``),
                   ``"、"``-joined (``", "`` in English), or ``""``
missing_cells      for a workbook or CSV folder, the cells to fill them in (``强区!S2``),
                   comma-joined (``""`` where a field has no cell), or ``""``
=================  ==========================================================================

Statuses are the plain strings of `Status.value` and numbers are exact strings, so rows can
be written to CSV or JSON as they are; `Report.to_frame` turns the number columns into
numeric columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qstrong.core.exact import exact_text
from qstrong.engine.clause import ClauseResult
from qstrong.engine.results import Report
from qstrong.report.missing_words import cells_for, missing_places

__all__ = ["RECORD_KEYS", "candidate_rows", "clause_rows", "report_records"]

RECORD_KEYS = (
    "kind", "entity_id", "entity_name", "entity_status", "clause_id", "parent_id", "depth",
    "section", "title", "status", "leaf", "summary", "value", "threshold", "unit", "margin",
    "margin_amount", "missing", "missing_labels", "missing_cells",
)
"""The keys of every record, in column order."""


def clause_rows(head: dict[str, Any], node: ClauseResult, parent: str | None, depth: int,
          lang: str, out: list[dict[str, Any]]) -> None:
    """Append the rows of one node and the nodes below it, depth first."""
    places = missing_places(node, lang)
    margin = next((c.margin for c in node.checks if c.margin is not None), None)
    check = node.checks[0] if node.checks else None
    left = None if check is None else check.left_number
    right = None if check is None else check.right_number
    margin_text = ""
    if margin is not None:
        margin_text = margin.text_zh if lang == "zh" else (margin.text_en or margin.text_zh)
    out.append({
        **head,
        "clause_id": node.id,
        "parent_id": parent,
        "depth": depth,
        "section": node.section,
        "title": node.title_zh if lang == "zh" else (node.title_en or node.title_zh),
        "status": node.status.value,
        "leaf": not node.children,
        "summary": node.summary_zh if lang == "zh" else (node.summary_en or node.summary_zh),
        "value": None if left is None else exact_text(left),
        "threshold": None if right is None else exact_text(right),
        "unit": "" if check is None else check.unit,
        "margin": margin_text,
        "margin_amount": (None if margin is None or margin.amount is None
                          else exact_text(margin.amount)),
        "missing": ", ".join(node.missing),
        "missing_labels": ("、" if lang == "zh" else ", ").join(label for label, _, _ in places),
        "missing_cells": ", ".join(cell or "" for _, cell, _ in places)
                         if any(cell for _, cell, _ in places) else "",
    })
    for child in node.children:
        clause_rows(head, child, node.id, depth + 1, lang, out)


def report_records(report: Report, lang: str = "zh", *,
                   include_county: bool = False) -> list[dict[str, Any]]:
    """One flat dict per candidate × clause node, in report order, depth first.

    Args:
        report: the evaluation report.
        lang: ``"zh"`` (default) or ``"en"`` for ``title``, ``summary`` and ``margin``.
        include_county: also give the county target's nodes (``kind`` ``"county"``,
            ``entity_id`` the county code) after the candidates.

    Returns:
        The rows; every row has the keys of `RECORD_KEYS` in that order.

    Raises:
        ValueError: the language is not supported.

    Examples:
        >>> import pandas as pd                                  # doctest: +SKIP
        >>> df = pd.DataFrame(report_records(report))            # doctest: +SKIP
        >>> df[(df.leaf) & (df.status != "pass")]                # doctest: +SKIP
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unsupported language {lang!r}; use one of zh, en")
    out: list[dict[str, Any]] = []
    for rows in candidate_rows(report, lang, include_county=include_county):
        out.extend(rows)
    return out


def candidate_rows(report: Report, lang: str = "zh", *, include_county: bool = False,
                   keep: bool = True) -> Iterator[list[dict[str, Any]]]:
    """The records one candidate at a time (then the county's, with ``include_county``);
    ``keep=False`` lets each explanation made for its rows go (`EntityResult.clause_trees`)."""
    for entity in report.entities:
        head = {"kind": entity.kind, "entity_id": entity.id, "entity_name": entity.name,
                "entity_status": entity.status.value}
        rows: list[dict[str, Any]] = []
        with cells_for(report, entity.kind, entity.id):
            for clause in entity.clause_trees(keep=keep):
                clause_rows(head, clause, None, 0, lang, rows)
        yield rows
    if include_county:
        county = report.county
        head = {"kind": "county", "entity_id": county.code, "entity_name": county.name,
                "entity_status": county.status.value}
        rows = []
        for clause in county.clauses:
            clause_rows(head, clause, None, 0, lang, rows)
        yield rows

