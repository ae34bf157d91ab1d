"""Renderers: text, diagnostics, HTML, Markdown, results workbook, records, frames, reviewers' page.

Renderers read results; results never render themselves. ``from qstrong.report import Report``
keeps working for code written against qstrong 0.1: the result classes live in
`qstrong.engine.results` and are looked up here on first use, so importing this package
(or its display seam) imports nothing else.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CountyResult", "EntityResult", "Report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from qstrong.engine import results

        return getattr(results, name)
    raise AttributeError(f"module 'qstrong.report' has no attribute {name!r}")
