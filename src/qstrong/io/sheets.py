"""Reading the sheets of a tabular dataset, and mapping every problem back to its cell.

Reading turns sheets of already decoded cells (`RawSheet`) into a dataset mapping while
remembering, for every dataset path, the cell it came from; `load_tables` then validates
it with `load_dataset` and maps every diagnostic back to its cell: ``强企!H12:
error[E201]: “质量损失率 (quality_loss_rate)”，强企 E07：101 is above 100``. Sheets and
headers are matched exactly (after NFKC normalisation), unknown ones are errors with a
suggestion.

`qstrong.io.tabular` re-exports every public name here; import from there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import DataErrors, Diagnostic
from qstrong.core.locations import Cell, column_letter, loc_text
from qstrong.core.messages import Message, msg
from qstrong.core.vocab import ID_CUTOFF, SHEET_CUTOFF, closest
from qstrong.data.models import Dataset
from qstrong.data.validate import validate_dataset
from qstrong.io.cells import CellError, CellRef, blank, id_text, parse_cell
from qstrong.io.layout import (
    IGNORED_SHEETS,
    LAYOUT,
    NOTE_PREFIXES,
    SPECS,
    Column,
    Owner,
    SheetSpec,
    cell_hint,
    match_header,
    norm,
    owner_labels,
    suggest_header,
)

__all__ = [
    "CELL_CODE",
    "LAYOUT_CODE",
    "RawSheet",
    "load_tables",
    "load_tables_with_cells",
    "lookup_cell",
    "tables_to_mapping",
]

CELL_CODE = codes.DATA_VALUE
"""Diagnostic code of a cell whose value is not valid (same as a dataset field error)."""

LAYOUT_CODE = codes.SHEET_LAYOUT
"""Diagnostic code of a layout problem: unknown sheet or header, missing column, bad count."""

Loc = tuple[str | int, ...]
"""A place in the dataset mapping: keys and list positions from the document down."""


@dataclass
class RawSheet:
    """A sheet as a file reader found it: ``rows[0]`` is the header row (row 1).

    Cells are ``None``, ``str``, ``int``, ``Decimal``, ``bool``, ``date`` or ``datetime``
    (xlsx readers turn floats into exact Decimals and percent-formatted numbers into
    ``"93.5%"`` text). ``note`` is added to layout messages (e.g. the encoding used).
    """

    name: str
    rows: list[list[Any]]
    note: Message = ""


_FRACTION_MARK = re.compile(r"\s*\[(?:小数|fraction)\]$")
"""A heading ending in ``[小数]`` declares its rates typed as fractions of one (0.025 for
2.5 %), as some statistics systems export them: read right, instead of refused."""


def _diag(ref: CellRef, message: Message, *, code: str = CELL_CODE,
          hint: Message | None = None) -> Diagnostic:
    return Diagnostic(code, ref.about(message), None, hint, cell=ref.cell())


# ---------------------------------------------------------------------------- reading


_HEADING_SEARCH_ROWS = 10
"""How far down a sheet to look for headings typed below a title row."""


def _headings_below_row_one(sheet: RawSheet, by_key: Mapping[str, Column],
                            by_title: Mapping[str, Column]) -> int | None:
    """The row (2…10) holding the headings when row 1 holds none of them, else None."""
    def known(row: Sequence[Any]) -> int:
        return sum(1 for cell in row if not blank(cell)
                   and match_header(norm(str(cell)), by_key, by_title) is not None)

    if not sheet.rows or known(sheet.rows[0]) > 0:
        return None
    for number, row in enumerate(sheet.rows[1:_HEADING_SEARCH_ROWS], start=2):
        if known(row) >= 2:
            return number
    return None


@dataclass
class _HeaderMap:
    columns: list[tuple[int, Column, int | None, str]]  # (0-based index, column, year, header)


class _Builder:
    """Builds the dataset mapping from sheets, remembering every value's cell."""

    def __init__(self) -> None:
        self.doc: dict[str, Any] = {}
        self.where: dict[Loc, CellRef] = {}
        self.problems: list[Diagnostic] = []
        self.bad: set[Loc] = set()
        self.ids: dict[str, list[str | None]] = {}
        self.index_of: dict[str, dict[str, int]] = {}
        self.counts: list[tuple[Loc, int, CellRef]] = []
        self.skipped_roots: list[Loc] = []
        self.skipped_children: set[str] = set()
        self.present: set[str] = set()
        self.sheet_order: dict[str, int] = {s.name: i for i, s in enumerate(LAYOUT)}

    # -- problems

    def layout(self, ref: CellRef, message: Message, hint: Message | None = None) -> None:
        self.problems.append(_diag(ref, message, code=LAYOUT_CODE, hint=hint))

    def cell_problem(self, loc: Loc, ref: CellRef, exc: CellError) -> None:
        self.bad.add(loc)
        self.problems.append(_diag(ref, exc.message, hint=exc.hint))

    # -- sheets

    def run(self, sheets: Sequence[RawSheet]) -> None:
        found: dict[str, RawSheet] = {}
        for sheet in sheets:
            name = norm(sheet.name)
            if name in IGNORED_SHEETS or name.startswith(NOTE_PREFIXES):
                continue
            if name not in SPECS:
                if not any(not blank(v) for row in sheet.rows for v in row):
                    continue  # an empty "Sheet1" is harmless
                close = closest(name, SPECS, SHEET_CUTOFF)
                hint = msg("sheet.did_you_mean", word=close) if close else None
                self.problems.append(Diagnostic(
                    LAYOUT_CODE, msg("sheet.unknown", name=sheet.name, note=sheet.note,
                                     known=list(SPECS)), None,
                    hint, cell=Cell(sheet.name, 1, 1)))
                continue
            found[name] = sheet
        for spec in LAYOUT:
            present = found.get(spec.name)
            if present is None:
                if spec.required:
                    self.problems.append(Diagnostic(
                        LAYOUT_CODE, msg("sheet.missing", name=spec.name,
                                         what=spec.description_zh),
                        None, msg("sheet.missing_hint"),
                        cell=Cell(spec.name, 1, 1)))
                    self.skipped_roots.extend(
                        (c.path[0],) for c in spec.columns if c.path)
                continue
            headers = self.headers(spec, present)
            if headers is None:
                if spec.role == "entities":
                    self.ids[spec.target[0]] = []
                if spec.role == "children":
                    self.skipped_children.add(spec.name)
                elif spec.target:
                    self.skipped_roots.append(spec.target)
                else:
                    self.skipped_roots.extend({(c.path[0],) for c in spec.columns})
                continue
            self.present.add(spec.name)
            readers = {"record": self.read_record, "mapping": self.read_mapping,
                       "entities": self.read_entities, "children": self.read_children}
            readers[spec.role](spec, present, headers)
        self.check_counts()

    def headers(self, spec: SheetSpec, sheet: RawSheet) -> _HeaderMap | None:
        header_row = sheet.rows[0] if sheet.rows else []
        by_key: dict[str, Column] = {c.key: c for c in spec.columns}
        by_title: dict[str, Column] = {norm(c.title_zh): c for c in spec.columns}
        lower = _headings_below_row_one(sheet, by_key, by_title)
        if lower is not None:   # one error for the cause, not one per column
            self.layout(CellRef(spec.name, lower, 1, ""),
                        msg("sheet.headings_lower", row=lower, note=sheet.note),
                        msg("sheet.headings_lower_hint", last=lower - 1))
            return None
        seen: dict[tuple[str, int | None], int] = {}
        out: list[tuple[int, Column, int | None, str]] = []
        ok = True
        for index, cell in enumerate(header_row):
            ref = CellRef(spec.name, 1, index + 1, "")
            if blank(cell):
                has_data = any(index < len(r) and not blank(r[index]) for r in sheet.rows[1:])
                if has_data:
                    self.layout(ref, msg("sheet.no_heading", note=sheet.note))
                continue
            text = norm(str(cell))
            if text.startswith(NOTE_PREFIXES):
                continue
            fraction = _FRACTION_MARK.search(text)
            if fraction is not None:
                text = text[:fraction.start()].rstrip()
            match = match_header(text, by_key, by_title)
            if match is None:
                self.layout(ref, msg("sheet.unknown_heading", heading=cell, note=sheet.note),
                            suggest_header(text, spec))
                continue
            col, year = match
            if fraction is not None:
                if col.kind != "rate":
                    self.layout(ref, msg("sheet.fraction_mark", heading=cell))
                    continue
                col = replace(col, kind="rate_fraction")
            if (col.key, year) in seen:
                first = column_letter(seen[(col.key, year)] + 1)
                self.layout(ref, msg("sheet.duplicate_heading", heading=cell, first=first))
                continue
            seen[(col.key, year)] = index
            out.append((index, col, year, col.header(year)))  # messages use the full header
        beyond = sorted({index for r in sheet.rows[1:] for index in range(len(header_row), len(r))
                         if not blank(r[index])})
        for index in beyond:  # data past the last heading would be dropped without a word
            self.layout(CellRef(spec.name, 1, index + 1, ""),
                        msg("sheet.no_heading", note=sheet.note))
        present = {c.key for _, c, _, _ in out}
        for col in spec.columns:
            if col.required and col.key not in present:
                self.layout(CellRef(spec.name, 1, len(header_row) + 1, ""),
                            msg("sheet.missing_column", heading=col.header(), note=sheet.note))
                ok = False
        return _HeaderMap(out) if ok else None

    def rows(self, sheet: RawSheet) -> Iterable[tuple[int, list[Any]]]:
        for number, row in enumerate(sheet.rows[1:], start=2):
            if any(not blank(v) for v in row):
                yield number, row

    def fill(self, spec: SheetSpec, headers: _HeaderMap, row: list[Any], number: int,
             base: Loc, candidate: Message | None, owner: Owner | None = None
             ) -> dict[str, Any]:
        """One row's object; records each column's cell under ``base + path``."""
        obj: dict[str, Any] = {}
        labels_of = owner_labels(owner) if owner is not None else {}
        for index, col, year, header in headers.columns:
            if col.kind in ("owner_kind", "owner_id"):
                continue
            ref = CellRef(spec.name, number, index + 1, header, candidate)
            loc: Loc = (*base, *col.path) + ((year,) if year is not None else ())
            value = row[index] if index < len(row) else None
            if owner is not None and col.key not in labels_of:
                if not blank(value):
                    self.cell_problem(loc, ref, CellError(msg(
                        "sheet.not_for_owner", owner=owner.sheet,
                        owners="、".join(o.sheet for o in spec.owners
                                         if col.key in owner_labels(o)))))
                continue
            for depth in range(len(base) + 1, len(loc)):
                self.where.setdefault(loc[:depth], ref)
            self.where[loc] = ref
            try:
                parsed = parse_cell(col, value, labels_of.get(col.key, ()))
            except CellError as exc:
                self.cell_problem(loc, ref, exc)
                continue
            if parsed is None:
                continue
            if col.kind == "list":
                self.counts.append((loc, parsed, ref))
                continue
            target: dict[str | int, Any] = obj  # type: ignore[assignment]
            rel = loc[len(base):]
            for step in rel[:-1]:
                target = target.setdefault(step, {})
            target[rel[-1]] = parsed
        return obj

    def read_record(self, spec: SheetSpec, sheet: RawSheet, headers: _HeaderMap) -> None:
        rows = list(self.rows(sheet)) or [(2, [])]
        for number, _ in rows[1:]:
            self.layout(CellRef(spec.name, number, 1, ""),
                        msg("sheet.one_row", name=spec.name))
        number, row = rows[0]
        obj = self.fill(spec, headers, row, number, spec.target, None)
        target = self.doc
        for step in spec.target:
            target = target.setdefault(str(step), {})
        for col in spec.columns:  # so that a missing date is reported at its own cell
            if len(col.path) > 1 and not col.years:
                obj.setdefault(col.path[0], {})
        for key, value in obj.items():
            target[key] = value
        if spec.target:
            self.where.setdefault(spec.target, CellRef(spec.name, number, 1, ""))

    def read_mapping(self, spec: SheetSpec, sheet: RawSheet, headers: _HeaderMap) -> None:
        key_col, value_col = spec.columns
        positions = {col.key: (index, header) for index, col, _, header in headers.columns}
        key_index, key_header = positions[key_col.key]
        value_index, value_header = positions[value_col.key]
        mapping: dict[str, Any] = {}
        first_row: dict[str, int] = {}
        for number, row in self.rows(sheet):
            key_ref = CellRef(spec.name, number, key_index + 1, key_header)
            try:
                key = parse_cell(key_col, row[key_index] if key_index < len(row) else None)
            except CellError as exc:
                self.cell_problem((*spec.target, f"\0row{number}"), key_ref, exc)
                continue
            if key is None:
                self.layout(key_ref, msg("sheet.missing_name"))
                continue
            if key in first_row:
                self.layout(key_ref, msg("sheet.duplicate_name", name=key, row=first_row[key]))
                continue
            first_row[key] = number
            loc: Loc = (*spec.target, key)
            ref = CellRef(spec.name, number, value_index + 1, value_header, key)
            self.where[loc] = ref
            try:
                value = parse_cell(value_col, row[value_index] if value_index < len(row)
                                    else None)
            except CellError as exc:
                self.cell_problem(loc, ref, exc)
                continue
            if value is None:
                self.problems.append(_diag(ref, msg("sheet.missing_value")))
                self.bad.add(loc)
                continue
            mapping[key] = value
        if mapping:
            target = self.doc
            for step in spec.target[:-1]:
                target = target.setdefault(str(step), {})
            target[spec.target[-1]] = mapping

    def read_entities(self, spec: SheetSpec, sheet: RawSheet, headers: _HeaderMap) -> None:
        kind = spec.target[0]
        items: list[dict[str, Any]] = []
        ids: list[str | None] = []
        index_of: dict[str, int] = {}
        id_index = next((i for i, c, _, _ in headers.columns if c.key == "id"), None)
        for number, row in self.rows(sheet):
            raw_id = row[id_index] if id_index is not None and id_index < len(row) else None
            entity_id = id_text(raw_id)
            candidate: Message = (f"{spec.name} {entity_id}" if entity_id
                                  else msg("sheet.row_candidate", sheet=spec.name, row=number))
            position = len(items)
            base: Loc = (kind, position)
            self.where[base] = CellRef(spec.name, number, (id_index or 0) + 1, "", candidate)
            items.append(self.fill(spec, headers, row, number, base, candidate))
            ids.append(entity_id)
            if entity_id is not None:
                index_of.setdefault(entity_id, position)
        self.doc[kind] = items
        self.ids[kind] = ids
        self.index_of[kind] = index_of

    def read_children(self, spec: SheetSpec, sheet: RawSheet, headers: _HeaderMap) -> None:
        positions = {col.key: (index, col, header) for index, col, _, header in headers.columns}
        field_name = spec.target[0]
        for number, row in self.rows(sheet):
            owner = spec.owners[0]
            if "candidate_kind" in positions:
                index, col, header = positions["candidate_kind"]
                ref = CellRef(spec.name, number, index + 1, header)
                try:
                    sheet_name = parse_cell(col, row[index] if index < len(row) else None)
                except CellError as exc:
                    self.cell_problem((f"\0{spec.name}", number), ref, exc)
                    continue
                if sheet_name is None:
                    self.layout(ref, msg("sheet.missing_owner_kind",
                                         kinds="、".join(o.sheet for o in spec.owners)))
                    continue
                owner = next(o for o in spec.owners if o.sheet == sheet_name)
            index, col, header = positions["candidate_id"]
            ref = CellRef(spec.name, number, index + 1, header)
            raw_id = row[index] if index < len(row) else None
            owner_id = id_text(raw_id)
            if owner_id is None:
                self.layout(ref, msg("sheet.missing_owner_id", owner=owner.sheet))
                continue
            known = self.index_of.get(owner.kind)
            if known is None:
                if owner.kind in self.ids:  # the owner sheet was unreadable: said already
                    continue
                self.layout(ref, msg("sheet.no_owner_sheet", owner=owner.sheet, id=owner_id))
                continue
            if owner_id not in known:
                close = closest(owner_id, known, ID_CUTOFF)
                self.layout(ref, msg("sheet.no_owner", owner=owner.sheet, id=owner_id),
                            msg("sheet.did_you_mean", word=close) if close else None)
                continue
            position = known[owner_id]
            entity = self.doc[owner.kind][position]
            items = entity.setdefault(field_name, [])
            base: Loc = (owner.kind, position, field_name, len(items))
            candidate = f"{owner.sheet} {owner_id}"
            self.where[base] = CellRef(spec.name, number, 1, "", candidate)
            items.append(self.fill(spec, headers, row, number, base, candidate, owner))

    def check_counts(self) -> None:
        for loc, count, ref in self.counts:
            kind, position, field_name = loc[0], loc[1], loc[2]
            entity = self.doc[str(kind)][int(position)]
            rows = entity.get(str(field_name))
            have = len(rows) if isinstance(rows, list) else 0
            sheet = next(s.name for s in LAYOUT
                         if s.role == "children" and s.target == (field_name,))
            if sheet in self.skipped_children:
                continue
            self.where[loc] = ref
            if rows is None and count == 0:
                entity[str(field_name)] = []
            elif have != count:
                self.bad.add(loc)
                self.layout(ref, msg("sheet.count_rows", count=count, sheet=sheet, have=have)
                            if sheet in self.present
                            else msg("sheet.count_no_sheet", count=count, sheet=sheet))


# ---------------------------------------------------------------------------- validation


def lookup_cell(where: Mapping[Loc, CellRef], loc: Loc) -> tuple[CellRef | None, Loc]:
    """The cell of a location, or of its nearest ancestor that has one."""
    for depth in range(len(loc), 0, -1):
        prefix = loc[:depth]
        if prefix in where:
            return where[prefix], prefix
        last = prefix[-1]
        if isinstance(last, int) and (*prefix[:-1], str(last)) in where:
            alt = (*prefix[:-1], str(last))
            return where[alt], alt
    return None, ()


def _map_diagnostic(d: Diagnostic, builder: _Builder) -> Diagnostic | None:
    loc = d.loc
    if loc is None:
        return d
    if any(loc[: len(root)] == root for root in builder.skipped_roots):
        return None
    if ("industries",) in builder.skipped_roots and loc[:1] == ("enterprises",) and (
            loc[-1] == "industry"):
        return None  # the 强业 sheet could not be read: its ids are unknown, said already
    if any(loc[: len(bad)] == bad for bad in builder.bad):
        return None  # the cell's own problem is reported already
    ref, _ = lookup_cell(builder.where, loc)
    if ref is None:
        return d
    message: Message = d.message
    for related in d.related:
        other = builder.where.get((*related, "id"))
        message = msg("sheet.same_as", message=message,
                      other=other.ref() if other is not None else loc_text(related))
    hint = d.hint
    if hint is None:
        col = _column_at(ref)
        hint = cell_hint(col.kind) if col is not None else None
    return _diag(ref, message, code=d.code, hint=hint)


def _column_at(ref: CellRef) -> Column | None:
    spec = SPECS.get(ref.sheet)
    if spec is None or not ref.header:
        return None
    match = match_header(norm(ref.header), {c.key: c for c in spec.columns},
                         {norm(c.title_zh): c for c in spec.columns})
    return match[0] if match else None


def _sort_key(builder: _Builder, d: Diagnostic) -> tuple[int, int, int]:
    if d.cell is None:
        return (len(LAYOUT) + 1, 0, 0)
    return (builder.sheet_order.get(d.cell.sheet, -1), d.cell.row, d.cell.col)


def tables_to_mapping(sheets: Sequence[RawSheet]) -> dict[str, Any]:
    """The dataset mapping of some sheets, without validating field values.

    Raises:
        DataErrors: layout or cell problems (unknown sheet or header, bad 是/否, ...),
            each naming its cell.
    """
    builder = _Builder()
    builder.run(sheets)
    if builder.problems:
        builder.problems.sort(key=lambda d: _sort_key(builder, d))
        raise DataErrors(builder.problems)
    return builder.doc


def load_tables(sheets: Sequence[RawSheet]) -> Dataset:
    """`load_tables_with_cells` without the cells."""
    return load_tables_with_cells(sheets)[0]


def load_tables_with_cells(sheets: Sequence[RawSheet]
                           ) -> tuple[Dataset, dict[Loc, CellRef]]:
    """Read and validate sheets into a `Dataset`; every problem names its cell.

    Args:
        sheets: the sheets of one workbook or CSV folder, in file order.

    Returns:
        The validated dataset, and the cell every value was read from (blank cells too:
        where a missing value would be typed), by its place in the document.

    Raises:
        DataErrors: every layout, cell and field problem at once; each diagnostic's
            ``path`` is the cell (``强企!H12``) and its message starts with the column's
            header and the candidate.
    """
    builder = _Builder()
    builder.run(sheets)
    problems = list(builder.problems)
    try:
        dataset = validate_dataset(builder.doc)
    except DataErrors as exc:
        mapped = [_map_diagnostic(d, builder) for d in exc.diagnostics]
        problems.extend(d for d in mapped if d is not None)
        if not problems:  # pragma: no cover - each was a repeat of a reported problem
            problems = exc.diagnostics
    else:
        if not problems:
            return dataset, builder.where
    problems.sort(key=lambda d: _sort_key(builder, d))
    raise DataErrors(problems)
