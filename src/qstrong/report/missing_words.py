"""Missing data in the reader's words: the name the explanation gives it, then — for a
workbook or CSV folder — the cell to type it into, then the field path for integrators:
``主要工业产品质量损失率 · 现期（强区!S2；quality_loss_rate.current）``.

The cells are the report's `source_cells` (kept by the command line's loader). A renderer
draws one candidate at a time inside `cells_for`, which makes that candidate's cell lookup
the current one for `missing_text` (a context variable, so concurrent renderers do not mix).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from qstrong.engine.clause import ClauseResult
from qstrong.engine.results import Report
from qstrong.io.where import cell_of

__all__ = ["cells_for", "missing_places", "missing_text"]

_WHERE: ContextVar[Callable[[str], str | None] | None] = ContextVar("qstrong_cells",
                                                                    default=None)


@contextmanager
def cells_for(report: Report | None, kind: str, entity_id: str) -> Iterator[None]:
    """While drawing one candidate of ``report``, name its missing data's cells."""
    cells: Any = None if report is None else report.source_cells
    if cells is None:
        yield
        return
    dataset = report.dataset  # type: ignore[union-attr]

    def where(path: str) -> str | None:
        ref = cell_of(cells, dataset, kind, entity_id, path)
        return None if ref is None else ref.ref()

    token = _WHERE.set(where)
    try:
        yield
    finally:
        _WHERE.reset(token)


def missing_places(node: ClauseResult, lang: str) -> list[tuple[str, str | None, str]]:
    """Each missing field of a node as (readers' name, cell or None, path)."""
    where = _WHERE.get()
    return [(node.missing_label(path, lang), where(path) if where is not None else None, path)
            for path in node.missing]


def missing_text(node: ClauseResult, lang: str) -> str:
    """``缺少数据：label（cell；path）、…``: the compiler's name for each missing field, the
    cell when the input was a spreadsheet, the path."""
    where = _WHERE.get()
    shown = []
    for path in node.missing:
        label = node.missing_label(path, lang)
        cell = where(path) if where is not None else None
        places = [p for p in (cell, path) if p]
        if label == path and not cell:
            shown.append(path)
        elif lang == "zh":
            shown.append(f"{label}（{'；'.join(places)}）")
        else:
            shown.append(f"{label} ({'; '.join(places)})")
    return ("缺少数据：" + "、".join(shown)) if lang == "zh" else (
        "missing data: " + ", ".join(shown))
