"""The tabular form of a dataset: sheets of cells, read and written.

One table, `LAYOUT`, describes every sheet (工作表) of the tabular form of a dataset and
every column in it, derived from the pydantic models so that no field can be left out:

* record sheets (``评审``, ``省基准``) hold one data row;
* entity sheets (``强区``, ``强业``, ``强企``) hold one row per candidate; nested groups are
  flattened (``食品抽查合格率·加工 (food_spot_check_pass_rate.processing)``), a year map
  becomes one column per year (``….2013``) and each list field a count column;
* list sheets (``强区标准``, ``强业标准``, ``品牌``, ``事件``) hold one row per list item,
  keyed by the candidate's id (and its kind where several kinds share the sheet);
* mapping sheets (``评审参数``, ``单位能耗基准``) hold one row per key.

Every header is the field's Chinese title followed by its field name in parentheses; the
name in parentheses is what identifies the column when reading. Sheets and headers are
matched exactly (after NFKC normalisation), unknown ones are errors with a suggestion.

Reading turns already decoded cells (``None``, ``str``, ``int``, ``Decimal``, ``bool``,
``date``, ``datetime``) into a dataset mapping while remembering, for every dataset
path, the cell it came from; `load_tables` then validates it with `load_dataset` and maps
every diagnostic back to its cell: ``强企!H12: error[E201]: “质量损失率 (quality_loss_rate)”，
强企 E07：101 is above 100``. Writing (`dataset_to_tables`) is the inverse; cell values
keep every number exact (a rate whose decimals never end is written as counts ``p/t``).
This module knows nothing about xlsx or CSV; `qstrong.io.workbook` and `qstrong.io.csv_folder` do.

The layout itself is in `qstrong.io.layout`, single cells in `qstrong.io.cells`
and reading in `qstrong.io.sheets`; this module writes tables and re-exports the public
names of all three, so import from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from qstrong.core.locations import column_letter
from qstrong.data.models import Dataset
from qstrong.io.cells import CellRef, parse_bool, write_cell
from qstrong.io.layout import (
    IGNORED_SHEETS,
    LAYOUT,
    CellKind,
    Column,
    Owner,
    SheetSpec,
    describe_column,
    owner_labels,
    sheet_spec,
)
from qstrong.io.sheets import (
    CELL_CODE,
    LAYOUT_CODE,
    RawSheet,
    load_tables,
    tables_to_mapping,
)

__all__ = [
    "CELL_CODE",
    "IGNORED_SHEETS",
    "LAYOUT",
    "LAYOUT_CODE",
    "CellKind",
    "CellRef",
    "Column",
    "Owner",
    "RawSheet",
    "SheetSpec",
    "Table",
    "column_letter",
    "dataset_to_tables",
    "describe_column",
    "load_tables",
    "parse_bool",
    "sheet_spec",
    "tables_to_mapping",
]


# ---------------------------------------------------------------------------- writing


@dataclass
class Table:
    """One sheet ready to be written: its layout, headers, physical columns and rows.

    ``columns[i]`` is the layout column of physical column ``i`` and its year (or None).
    Cell values are ``None`` (empty), ``str``, ``int``, ``Decimal`` or ``date``; booleans
    are already ``是``/``否`` and enums their Chinese labels.
    """

    spec: SheetSpec
    columns: list[tuple[Column, int | None]]
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        """The header row."""
        return [col.header(year) for col, year in self.columns]

    @property
    def name(self) -> str:
        """The sheet name."""
        return self.spec.name


def _get(obj: Any, path: Sequence[str]) -> Any:
    for step in path:
        if obj is None:
            return None
        obj = obj.get(step) if isinstance(obj, Mapping) else getattr(obj, step, None)
    return obj


def _years_of(items: Sequence[Any], col: Column) -> set[int]:
    years: set[int] = set()
    for item in items:
        mapping = _get(item, col.path)
        if isinstance(mapping, Mapping):
            years.update(int(y) for y in mapping)
    return years


def _all_years(dataset: Dataset | None) -> set[int]:
    if dataset is None:
        return set()
    found: set[int] = set()
    for spec in LAYOUT:
        items = _spec_items(spec, dataset)
        for col in spec.columns:
            if col.years:
                found |= _years_of([obj for obj, _ in items], col)
    return found


def _spec_items(spec: SheetSpec, dataset: Dataset) -> list[tuple[Any, Owner | None]]:
    """The objects one sheet's rows come from, with their owner for list sheets."""
    if spec.role == "record":
        return [(dataset if not spec.target else _get(dataset, spec.target), None)]
    if spec.role == "entities":
        return [(e, None) for e in getattr(dataset, spec.target[0])]
    if spec.role == "mapping":
        mapping = _get(dataset, spec.target) or {}
        return [({spec.columns[0].key: k, spec.columns[1].key: v}, None)
                for k, v in mapping.items()]
    out: list[tuple[Any, Owner | None]] = []
    for owner in spec.owners:
        for entity in getattr(dataset, owner.kind):
            for item in getattr(entity, spec.target[0]) or ():
                out.append(((entity, item), owner))
    return out


def dataset_to_tables(dataset: Dataset | None, years: Iterable[int] = ()) -> list[Table]:
    """The sheets of a dataset (or, with None, of an empty template), in `LAYOUT` order.

    Args:
        dataset: the dataset, or None for the empty template.
        years: years that every year-map column gets even without data (the template's).
            A year-map column with no data at all gets every year used anywhere in the
            dataset (or, when there is none, the assessment year and the one before), so
            that staff can fill it in.

    Returns:
        One `Table` per sheet; record sheets of a template have no row.
    """
    extra_years = set(years)
    fallback = _all_years(dataset) | extra_years
    if not fallback and dataset is not None:  # the two years up to the assessment date
        assessed = dataset.assessment.date.year
        fallback = {assessed - 1, assessed}
    tables: list[Table] = []
    for spec in LAYOUT:
        items = _spec_items(spec, dataset) if dataset is not None else []
        objects = [obj for obj, _ in items]
        columns: list[tuple[Column, int | None]] = []
        for col in spec.columns:
            if col.years:
                found = _years_of(objects, col) | extra_years
                columns.extend((col, y) for y in sorted(found or fallback))
            else:
                columns.append((col, None))
        table = Table(spec, columns)
        for obj, owner in items:
            row: list[Any] = []
            for col, year in columns:
                if spec.role == "children":
                    entity, item = obj
                    assert owner is not None
                    if col.kind == "owner_kind":
                        value: Any = owner.sheet
                    elif col.kind == "owner_id":
                        value = entity.id
                    else:
                        labels = owner_labels(owner).get(col.key, col.labels)
                        value = write_cell(replace(col, labels=labels), _get(item, col.path))
                else:
                    raw = _get(obj, col.path)
                    if year is not None:
                        raw = raw.get(year) if isinstance(raw, Mapping) else None
                    value = write_cell(col, raw)
                row.append(value)
            table.rows.append(row)
        tables.append(table)
    return tables
