"""Where a missing value would be typed: the spreadsheet cell of a field path.

A spreadsheet dataset remembers every column's cell of every row, blank ones too
(`load_tables_with_cells`). An explanation names a missing value by its path relative to the
candidate (``quality_loss_rate.current``, ``production_spot_check_pass_rate[2014]``), a
member's field (``members[E05].advanced_qm``) or a dataset-wide value
(``province_benchmarks.quality_loss_rate``); `cell_of` turns such a path back into the place
in the document and looks up its cell, so a clerk reads 强企!O12「质量损失率」.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from qstrong.core.locations import Loc
from qstrong.data.models import Dataset
from qstrong.io.load import is_tabular, load_dataset

if TYPE_CHECKING:  # the spreadsheet readers are loaded only for a spreadsheet's cells
    from qstrong.io.cells import CellRef

__all__ = ["CellMap", "cell_of", "load_dataset_cells", "owner_of"]

CellMap = Mapping[Loc, "CellRef"]

_COLLECTIONS = {"district": "districts", "industry": "industries", "enterprise": "enterprises"}
_MEMBER_LISTS = {"members": "enterprises", "enterprises": "enterprises",
                 "industries": "industries", "districts": "districts"}
_ROOTS = ("province_benchmarks", "assessment", "county")
_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def load_dataset_cells(path: str | Path, *, max_bytes: int | None = None
                       ) -> tuple[Dataset, CellMap | None]:
    """The dataset, and for a workbook or CSV folder the cell of every value (None for a
    YAML/JSON document, whose missing values have no cell)."""
    if not is_tabular(path):
        return load_dataset(path, max_bytes=max_bytes), None
    from qstrong.io.sheets import load_tables_with_cells

    if Path(path).is_dir():
        from qstrong.io.csv_folder import read_csv_sheets

        return load_tables_with_cells(read_csv_sheets(path))
    from qstrong.io.workbook import read_workbook_sheets

    return load_tables_with_cells(read_workbook_sheets(path))


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, key in _TOKEN.findall(path):
        text = name if name else key
        out.append(int(text) if text.isdigit() else text)
    return out


def _index(dataset: Dataset, collection: str, entity_id: str) -> int | None:
    for i, item in enumerate(getattr(dataset, collection)):
        if item.id == entity_id:
            return i
    return None


def _loc(dataset: Dataset, kind: str, entity_id: str, path: str) -> Loc | None:
    parts = _parts(path)
    if not parts:
        return None
    head = parts[0]
    if head in _ROOTS:
        return tuple(parts)
    if head in _MEMBER_LISTS and len(parts) > 1 and isinstance(parts[1], str):
        member_list = _MEMBER_LISTS[str(head)]
        member = _index(dataset, member_list, parts[1])
        if member is not None:
            return (member_list, member, *parts[2:])
    own = _COLLECTIONS.get(kind)
    index = None if own is None else _index(dataset, own, entity_id)
    if own is None or index is None:
        return None
    return (own, index, *parts)


def cell_of(cells: CellMap, dataset: Dataset, kind: str, entity_id: str,
            path: str) -> CellRef | None:
    """The cell where the value at ``path`` (as an explanation names it for the candidate
    ``entity_id`` of ``kind``) is typed, or None (no such column: a verdict such as
    ``strong``, or a value the sheets have no column for)."""
    loc = _loc(dataset, kind, entity_id, path)
    if loc is None:
        return None
    from qstrong.io.sheets import lookup_cell

    ref, found = lookup_cell(cells, loc)
    if ref is None or len(found) < len(loc) or not ref.header:
        return None  # only the row or the sheet is known: not a cell to fill in
    return ref


def owner_of(dataset: Dataset, kind: str, entity_id: str, path: str) -> tuple[str, str]:
    """(kind, id) of the candidate whose row holds the value at ``path``: a member's field
    belongs to the member, a dataset-wide value to the county (``("county", "")``)."""
    loc = _loc(dataset, kind, entity_id, path)
    if loc is None or not loc or loc[0] in _ROOTS:
        return ("county", "") if loc and loc[0] in _ROOTS else (kind, entity_id)
    collection, index = loc[0], loc[1]
    kinds = {v: k for k, v in _COLLECTIONS.items()}
    item = getattr(dataset, str(collection))[int(index)]
    return kinds[str(collection)], item.id
