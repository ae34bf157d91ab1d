"""Renderers: text, diagnostics, HTML, Markdown, results workbook, records, frames, reviewers' page.

Renderers read results; results never render themselves. ``from qstrong.report import Report``
keeps working for code written against qstrong 0.1 (the result classes live in
`qstrong.engine.results`).
"""

from qstrong.engine.results import CountyResult, EntityResult, Report

__all__ = ["CountyResult", "EntityResult", "Report"]
