"""The spreadsheet layout of a dataset: which sheet and column hold which field, both ways.

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
This module knows nothing about xlsx or CSV; `qstrong.workbook` and `qstrong.csvio` do.
"""

from __future__ import annotations

import ast
import datetime as _dt
import difflib
import functools
import re
import types
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from qstrong.dataset import load_dataset
from qstrong.errors import DataError, DataErrors, Diagnostic
from qstrong.models import (
    Assessment,
    County,
    Dataset,
    District,
    DistrictIncident,
    DistrictStandard,
    Enterprise,
    EnterpriseBrand,
    EnterpriseIncident,
    Industry,
    IndustryBrand,
    IndustryIncident,
    LedStandard,
    ProvinceBenchmarks,
)
from qstrong.values import Quantity, YearMap, quantity_of, serialize_rate

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

CELL_CODE = "E201"
"""Diagnostic code of a cell whose value is not valid (same as a dataset field error)."""

LAYOUT_CODE = "E210"
"""Diagnostic code of a layout problem: unknown sheet or header, missing column, bad count."""

IGNORED_SHEETS: tuple[str, ...] = ("说明", "选项")
"""Sheets that explain the layout or hold dropdown lists; never read as data."""

NOTE_PREFIXES: tuple[str, ...] = ("备注", "#")
"""A sheet or column whose name starts with one of these is the staff's own note: ignored."""

YES, NO = "是", "否"

CellKind = Literal[
    "text", "bool", "rate", "amount", "count", "rank", "date", "enum", "list", "any",
    "owner_kind", "owner_id",
]

Loc = tuple[str | int, ...]


# ---------------------------------------------------------------------------- the layout


@dataclass(frozen=True)
class Column:
    """One column (or, with ``years``, one column per year) of a sheet.

    Attributes:
        key: the field name shown in parentheses, relative to the row's object
            (``food_spot_check_pass_rate.processing``); a year column adds ``.2013``.
        title_zh: the Chinese title (``食品抽查合格率·加工``).
        kind: how cells are read and written.
        path: where the value goes inside the row's object.
        description: the model's English description.
        required: the row is incomplete without it.
        labels: for enums, each code and its Chinese label (what the dropdown offers).
        years: a year map: one column per calendar year.
    """

    key: str
    title_zh: str
    kind: CellKind
    path: tuple[str, ...]
    description: str = ""
    required: bool = False
    labels: tuple[tuple[str, str], ...] = ()
    years: bool = False

    def header(self, year: int | None = None) -> str:
        """The header text: ``标题 (field)``, or ``标题·2013年 (field.2013)`` for a year."""
        if self.years:
            if year is None:
                raise ValueError(f"column {self.key} needs a year")
            return f"{self.title_zh}·{year}年 ({self.key}.{year})"
        return f"{self.title_zh} ({self.key})"


@dataclass(frozen=True)
class Owner:
    """A kind of candidate that a list sheet's rows can belong to."""

    sheet: str
    kind: str
    item_model: type[BaseModel]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the layout.

    Attributes:
        name: the sheet name (``强企``); a CSV file is named ``<name>.csv``.
        role: ``record`` (one row), ``entities`` (one row per candidate), ``children``
            (one row per list item of a candidate) or ``mapping`` (one row per key).
        target: record: the dataset path of the row's object (``()`` is the document);
            entities: the entity list (``("districts",)``); children: the list field of
            the owner (``("incidents",)``); mapping: the dataset path of the mapping.
        columns: the columns, in order.
        description_zh: what the sheet holds, for the 说明 sheet.
        owners: children only: the candidate kinds its rows can belong to.
        required: the sheet must be present.
    """

    name: str
    role: Literal["record", "entities", "children", "mapping"]
    target: tuple[str, ...]
    columns: tuple[Column, ...]
    description_zh: str
    owners: tuple[Owner, ...] = ()
    required: bool = False

    def column(self, key: str) -> Column | None:
        """The column with this key (a year column's key without its year), or None."""
        return next((c for c in self.columns if c.key == key), None)


_OWNER_KINDS: dict[str, str] = {"强区": "districts", "强业": "industries", "强企": "enterprises"}
_OWNER_ALIASES: dict[str, str] = {
    "强区": "强区", "district": "强区", "districts": "强区", "产品质量强区": "强区",
    "强业": "强业", "industry": "强业", "industries": "强业", "产品质量强业": "强业",
    "强企": "强企", "enterprise": "强企", "enterprises": "强企", "产品质量强企": "强企",
}
_SHEET_OF_KIND = {kind: sheet for sheet, kind in _OWNER_KINDS.items()}


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` until a plain type is left."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _marker(annotation: Any, metadata: Sequence[Any]) -> Quantity | YearMap | None:
    found = quantity_of(annotation)
    if found is not None:
        return found
    return next((m for m in metadata if isinstance(m, Quantity | YearMap)), None)


_QUANTITY_KINDS: dict[str, CellKind] = {
    "percent": "rate", "amount": "amount", "count": "count", "rank": "rank",
}


def _model_columns(
    model: type[BaseModel],
    *,
    prefix: tuple[str, ...] = (),
    title_prefix: str = "",
    skip: Iterable[str] = (),
) -> list[Column]:
    """Columns for every field of a model, nested groups flattened; raises on unknown types."""
    skipped = set(skip)
    out: list[Column] = []
    for name, info in model.model_fields.items():
        if name in skipped:
            continue
        path = (*prefix, name)
        key = ".".join(path)
        title = f"{title_prefix}·{info.title}" if title_prefix else str(info.title)
        description = info.description or ""
        required = info.is_required()
        base = _unwrap(info.annotation)
        marker = _marker(info.annotation, info.metadata)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        raw_labels = extra.get("enum_labels")
        if isinstance(marker, YearMap):
            out.append(Column(key, title, "rate", path, description, required, years=True))
        elif isinstance(marker, Quantity) and marker.kind in _QUANTITY_KINDS:
            out.append(Column(key, title, _QUANTITY_KINDS[marker.kind], path, description,
                              required))
        elif get_origin(base) is Literal:
            labels_map = raw_labels if isinstance(raw_labels, dict) else {}
            labels = tuple((str(code), str(labels_map.get(code, code)))
                           for code in get_args(base))
            out.append(Column(key, title, "enum", path, description, required, labels))
        elif base is bool:
            out.append(Column(key, title, "bool", path, description, required))
        elif base is _dt.date:
            out.append(Column(key, title, "date", path, description, required))
        elif base is str:
            out.append(Column(key, title, "text", path, description, required))
        elif isinstance(base, type) and issubclass(base, BaseModel):
            out.extend(_model_columns(base, prefix=path, title_prefix=title))
        elif get_origin(base) is list:
            out.append(Column(key, f"{title}·条数", "list", path, description, required))
        else:  # pragma: no cover - guards the layout against a new kind of field
            raise TypeError(f"no spreadsheet form for {model.__name__}.{name}: {base!r}")
    return out


def _child_columns(owners: Sequence[Owner]) -> tuple[Column, ...]:
    """The columns of a list sheet: owner kind (when several), owner id, then item fields."""
    cols: list[Column] = []
    if len(owners) > 1:
        kinds = "/".join(o.sheet for o in owners)
        cols.append(Column("candidate_kind", "候选对象类别", "owner_kind", (),
                           f"which kind of candidate the row belongs to ({kinds})",
                           required=True, labels=tuple((o.sheet, o.sheet) for o in owners)))
    cols.append(Column("candidate_id", "候选对象编号", "owner_id", (),
                       "id of the candidate the row belongs to", required=True))
    merged: dict[str, Column] = {}
    for owner in owners:
        for col in _model_columns(owner.item_model):
            known = merged.get(col.key)
            if known is None:
                merged[col.key] = col
            elif col.labels:  # the dropdown offers every owner's labels
                extra = tuple(p for p in col.labels if p not in known.labels)
                merged[col.key] = Column(known.key, known.title_zh, known.kind, known.path,
                                         known.description, known.required,
                                         known.labels + extra)
    cols.extend(merged.values())
    return tuple(cols)


def _build_layout() -> tuple[SheetSpec, ...]:
    county = {f: County.model_fields[f] for f in ("code", "name")}
    record = (
        Column("assessment.date", str(Assessment.model_fields["date"].title), "date",
               ("assessment", "date"), Assessment.model_fields["date"].description or "",
               required=True),
        Column("county.code", f"县(市、区)·{county['code'].title}", "text", ("county", "code"),
               county["code"].description or "", required=True),
        Column("county.name", f"县(市、区)·{county['name'].title}", "text", ("county", "name"),
               county["name"].description or "", required=True),
    )
    params = (
        Column("name", "参数名", "text", ("name",), "criteria parameter name", required=True),
        Column("value", "值", "any", ("value",), "its value (number, or text like 20%)",
               required=True),
    )
    energy = (
        Column("product_class", "产品类别", "text", ("product_class",),
               "product class (key of province unit energy)", required=True),
        Column("unit_energy_consumption",
               str(ProvinceBenchmarks.model_fields["unit_energy_consumption"].title), "amount",
               ("unit_energy_consumption",), "province unit energy consumption", required=True),
    )
    district = Owner("强区", "districts", DistrictIncident)
    industry = Owner("强业", "industries", IndustryIncident)
    enterprise = Owner("强企", "enterprises", EnterpriseIncident)
    return (
        SheetSpec("评审", "record", (), record,
                  "评审基准日和被评审的县(市、区)；只填一行。", required=True),
        SheetSpec("评审参数", "mapping", ("assessment", "criteria_params"), params,
                  "覆盖标准文件中命名参数的默认值（可不填）；每行一个参数。"),
        SheetSpec("省基准", "record", ("province_benchmarks",),
                  tuple(_model_columns(ProvinceBenchmarks, skip=("unit_energy_consumption",))),
                  "全省平均水平等参照值；只填一行。每年一列。"),
        SheetSpec("单位能耗基准", "mapping", ("province_benchmarks", "unit_energy_consumption"),
                  energy, "全省同类产品单位能耗；每个产品类别一行。"),
        SheetSpec("强区", "entities", ("districts",), tuple(_model_columns(District)),
                  "产品质量强区候选，每个一行（三(一)）。"),
        SheetSpec("强业", "entities", ("industries",), tuple(_model_columns(Industry)),
                  "产品质量强业候选，每个一行（三(二)、二(一)）。"),
        SheetSpec("强企", "entities", ("enterprises",), tuple(_model_columns(Enterprise)),
                  "产品质量强企候选以及候选产业的全部规上企业，每家一行（三(三)、二(一)）。"),
        SheetSpec("强区标准", "children", ("standards",),
                  _child_columns([Owner("强区", "districts", DistrictStandard)]),
                  "强区的块状产业联盟标准、行业技术标准、行业质量诚信标准；每项一行。",
                  owners=(Owner("强区", "districts", DistrictStandard),)),
        SheetSpec("强业标准", "children", ("led_standards",),
                  _child_columns([Owner("强业", "industries", LedStandard)]),
                  "强业为主制订的标准；每项一行。",
                  owners=(Owner("强业", "industries", LedStandard),)),
        SheetSpec("品牌", "children", ("brands",),
                  _child_columns([Owner("强业", "industries", IndustryBrand),
                                  Owner("强企", "enterprises", EnterpriseBrand)]),
                  "强业、强企的名牌、著名商标等品牌；每个一行。销售产值只对强业填写。",
                  owners=(Owner("强业", "industries", IndustryBrand),
                          Owner("强企", "enterprises", EnterpriseBrand))),
        SheetSpec("事件", "children", ("incidents",),
                  _child_columns([district, industry, enterprise]),
                  "强区、强业、强企发生的质量安全事故等事件；每件一行。",
                  owners=(district, industry, enterprise)),
    )


LAYOUT: tuple[SheetSpec, ...] = _build_layout()
"""Every sheet of the tabular dataset, in workbook order."""

_SPECS: dict[str, SheetSpec] = {s.name: s for s in LAYOUT}


def sheet_spec(name: str) -> SheetSpec:
    """The layout of the sheet with this name (KeyError if there is none)."""
    return _SPECS[name]


_TYPE_ZH: dict[str, str] = {
    "text": "文字",
    "bool": "是/否",
    "rate": "百分率：0–100 的数字（93.5）、百分数（93.5%）或 合格数/总数（187/200）",
    "amount": "不小于 0 的数值",
    "count": "不小于 0 的整数",
    "rank": "名次：1 为第一的整数",
    "date": "日期，如 2014-06-30",
    "enum": "从下拉列表中选择",
    "list": "条数：另一张表中该候选对象的行数；0 或“无”表示没有，空白表示未知",
    "any": "数值或文字（如 2、20%）",
    "owner_kind": "强区/强业/强企",
    "owner_id": "候选对象的编号",
}


def describe_column(col: Column) -> str:
    """What a column accepts, in Chinese (for the 说明 sheet and input prompts)."""
    text = _TYPE_ZH[col.kind]
    if col.kind == "enum":
        text += "：" + "、".join(label for _, label in col.labels)
    if col.years:
        text += "；每年一列"
    return text


_HINTS: dict[str, str] = {
    "rate": "百分率可填 93.5、93.5% 或 合格数/总数（如 187/200）",
    "bool": "填“是”或“否”",
    "date": "日期写成 2014-06-30",
    "amount": "填不小于 0 的数字",
    "count": "填 0 或正整数",
    "rank": "填从 1 起的整数名次",
    "list": "填另一张表中的行数；没有填 0 或“无”",
}


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 1-based column index.

    Examples:
        >>> column_letter(1), column_letter(26), column_letter(28)
        ('A', 'Z', 'AB')
    """
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class CellRef:
    """Where a value came from: sheet, 1-based row and column, header, candidate id."""

    sheet: str
    row: int
    col: int
    header: str
    candidate: str | None = None

    def ref(self) -> str:
        """``强企!H12``."""
        return f"{self.sheet}!{column_letter(self.col)}{self.row}"

    def context(self) -> str:
        """``“header”，强企 E07：`` — what a message about this cell starts with."""
        text = f"“{self.header}”" if self.header else ""
        if self.candidate:
            text += f"{'，' if text else ''}{self.candidate}"
        return f"{text}：" if text else ""


def _diag(ref: CellRef, message: str, *, code: str = CELL_CODE,
          hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, f"{ref.context()}{message}", None, hint, ref.ref())


def _norm(text: str) -> str:
    """NFKC and collapsed whitespace: full-width brackets and digits become ASCII."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


# ---------------------------------------------------------------------------- cell values


class _CellError(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: int | Decimal) -> str:
    return str(value) if isinstance(value, int) else format(value, "f")


def parse_bool(value: object) -> bool:
    """Read a yes/no cell: ``是``/``否``, ``true``/``false`` (any case) or a boolean cell.

    Raises:
        ValueError: anything else (no truthiness guessing: ``1``, ``对``, ``Y`` are refused).

    Examples:
        >>> parse_bool("是"), parse_bool("FALSE")
        (True, False)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = _norm(value).lower()
        if text in (YES, "true"):
            return True
        if text in (NO, "false"):
            return False
    shown = repr(value) if isinstance(value, str) else _show(value)
    raise ValueError(f"应填“是”或“否”，不是 {shown}")


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal | int):
        return _number_text(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return repr(value)


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_INT_RE = re.compile(r"[+-]?\d+")
_DEC_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _excel_date_trap(value: _dt.date) -> _CellError:
    return _CellError(
        f"单元格是日期 {value.isoformat()}，不是数值：Excel 可能把“187/200”一类的输入当成了日期",
        "先把单元格设为“文本”格式再输入 合格数/总数，或直接填百分率如 93.5",
    )


def _parse_cell(col: Column, value: object, labels: Sequence[tuple[str, str]] = ()) -> Any:
    """A cell's value as the dataset mapping wants it (None = missing), or `_CellError`.

    The model validates the result; here only spreadsheet forms are translated.
    """
    if _blank(value):
        return None
    kind = col.kind
    if kind in ("text", "owner_id"):
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return _number_text(value)
        raise _CellError(f"应填文字，不是 {_show(value)}")
    if kind == "bool":
        try:
            return parse_bool(value)
        except ValueError as exc:
            raise _CellError(str(exc), _HINTS["bool"]) from None
    if kind == "enum":
        return _parse_enum(value, labels or col.labels)
    if kind == "owner_kind":
        text = _norm(value).lower() if isinstance(value, str) else ""
        if text in _OWNER_ALIASES and _OWNER_ALIASES[text] in {c for c, _ in col.labels}:
            return _OWNER_ALIASES[text]
        allowed = "、".join(c for c, _ in col.labels)
        raise _CellError(f"应填 {allowed} 之一，不是 {_show(value)}")
    if isinstance(value, bool):
        raise _CellError(f"应填{_TYPE_ZH[kind]}，不是 {_show(value)}", _HINTS.get(kind))
    if kind in ("rate", "amount"):
        if isinstance(value, _dt.date):
            raise _excel_date_trap(value)
        return _norm(value) if isinstance(value, str) else value
    if kind in ("count", "rank", "list"):
        return _parse_whole(col, value)
    if kind == "date":
        return _parse_date_cell(value)
    if kind == "any":
        if isinstance(value, str):
            text = _norm(value)
            if _INT_RE.fullmatch(text):
                return int(text)
            if _DEC_RE.fullmatch(text):
                return Decimal(text)
            return value
        if isinstance(value, _dt.datetime):
            raise _CellError(f"应填数值或文字，不是日期 {_show(value)}")
        return value
    raise AssertionError(kind)  # pragma: no cover


def _parse_whole(col: Column, value: object) -> Any:
    if isinstance(value, _dt.date):
        raise _CellError(f"应填{_TYPE_ZH[col.kind]}，不是日期 {_show(value)}", _HINTS[col.kind])
    number: Any = value
    if isinstance(value, str):
        text = _norm(value)
        if col.kind == "list" and text == "无":
            return 0
        if _INT_RE.fullmatch(text):
            number = int(text)
        elif _DEC_RE.fullmatch(text):
            number = Decimal(text)
        else:
            number = text
    if isinstance(number, Decimal) and number == number.to_integral_value():
        number = int(number)
    if col.kind == "list" and (not isinstance(number, int) or number < 0):
        raise _CellError(f"应填条数（不小于 0 的整数或“无”），不是 {_show(value)}",
                         _HINTS["list"])
    return number


def _parse_date_cell(value: object) -> Any:
    if isinstance(value, _dt.datetime):
        if value.time() != _dt.time(0, 0):
            raise _CellError(f"应填日期，不是带时刻的 {value.isoformat(sep=' ')}", _HINTS["date"])
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        text = _norm(value)
        match = _DATE_RE.fullmatch(text)
        if match:
            try:
                return _dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise _CellError(f"{value!r} 不是真实存在的日期", _HINTS["date"]) from None
        return text  # the model refuses it with its own message
    return value


def _parse_enum(value: object, labels: Sequence[tuple[str, str]]) -> str:
    text = _norm(value) if isinstance(value, str) else None
    if text is not None:
        for code, label in labels:
            if text in (code, _norm(label)):
                return code
    shown = "、".join(label for _, label in labels)
    message = f"应从下拉列表中选择（{shown}），不是 {_show(value)}"
    if text is not None:
        names = [_norm(label) for _, label in labels] + [code for code, _ in labels]
        close = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
        if close:
            message += f"；是不是“{close[0]}”？"
    raise _CellError(message)


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


def _rate_cell(rate: Fraction) -> Decimal | str:
    text = serialize_rate(rate)
    return text if "/" in text else Decimal(text)


def _write_cell(col: Column, value: Any) -> Any:
    """The cell of a model value (see `Table` for the cell types)."""
    if value is None:
        return None
    kind = col.kind
    if kind == "bool":
        return YES if value else NO
    if kind == "rate":
        return _rate_cell(value)
    if kind == "enum":
        return dict(col.labels).get(value, value)
    if kind == "list":
        return len(value)
    if kind == "any":
        if isinstance(value, bool | str | int | Decimal):
            return value
        if isinstance(value, float):
            return Decimal(repr(value))
        raise DataError(f"criteria parameter value {value!r} does not fit in one cell",
                        path="assessment.criteria_params")
    return value


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
                        labels = _owner_labels(owner).get(col.key, col.labels)
                        value = _write_cell(replace(col, labels=labels), _get(item, col.path))
                else:
                    raw = _get(obj, col.path)
                    if year is not None:
                        raw = raw.get(year) if isinstance(raw, Mapping) else None
                    value = _write_cell(col, raw)
                row.append(value)
            table.rows.append(row)
        tables.append(table)
    return tables


# ---------------------------------------------------------------------------- reading


@dataclass
class RawSheet:
    """A sheet as a file reader found it: ``rows[0]`` is the header row (row 1).

    Cells are ``None``, ``str``, ``int``, ``Decimal``, ``bool``, ``date`` or ``datetime``
    (xlsx readers turn floats into exact Decimals and percent-formatted numbers into
    ``"93.5%"`` text). ``note`` is added to layout messages (e.g. the encoding used).
    """

    name: str
    rows: list[list[Any]]
    note: str = ""


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

    def layout(self, ref: CellRef, message: str, hint: str | None = None) -> None:
        self.problems.append(_diag(ref, message, code=LAYOUT_CODE, hint=hint))

    def cell_problem(self, loc: Loc, ref: CellRef, exc: _CellError) -> None:
        self.bad.add(loc)
        self.problems.append(_diag(ref, exc.message, hint=exc.hint))

    # -- sheets

    def run(self, sheets: Sequence[RawSheet]) -> None:
        found: dict[str, RawSheet] = {}
        for sheet in sheets:
            name = _norm(sheet.name)
            if name in IGNORED_SHEETS or name.startswith(NOTE_PREFIXES):
                continue
            if name not in _SPECS:
                if not any(not _blank(v) for row in sheet.rows for v in row):
                    continue  # an empty "Sheet1" is harmless
                message = f"未知的工作表“{sheet.name}”"
                close = difflib.get_close_matches(name, list(_SPECS), n=1, cutoff=0.3)
                hint = (f"是不是“{close[0]}”？" if close else None)
                known = "、".join(_SPECS)
                self.problems.append(Diagnostic(
                    LAYOUT_CODE, f"{message}{sheet.note}；可用的工作表：{known}", None,
                    hint, f"{sheet.name}!A1"))
                continue
            found[name] = sheet
        for spec in LAYOUT:
            present = found.get(spec.name)
            if present is None:
                if spec.required:
                    self.problems.append(Diagnostic(
                        LAYOUT_CODE, f"缺少工作表“{spec.name}”（{spec.description_zh}）",
                        None, "可用 qstrong template --xlsx 生成带全部工作表的模板",
                        f"{spec.name}!A1"))
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
        by_title: dict[str, Column] = {_norm(c.title_zh): c for c in spec.columns}
        seen: dict[tuple[str, int | None], int] = {}
        out: list[tuple[int, Column, int | None, str]] = []
        ok = True
        for index, cell in enumerate(header_row):
            ref = CellRef(spec.name, 1, index + 1, "")
            if _blank(cell):
                has_data = any(index < len(r) and not _blank(r[index]) for r in sheet.rows[1:])
                if has_data:
                    self.layout(ref, f"这一列有数据但没有列标题{sheet.note}")
                continue
            text = _norm(str(cell))
            if text.startswith(NOTE_PREFIXES):
                continue
            match = _match_header(text, by_key, by_title)
            if match is None:
                self.layout(ref, f"未知的列标题“{cell}”{sheet.note}",
                            _suggest_header(text, spec))
                continue
            col, year = match
            if (col.key, year) in seen:
                first = column_letter(seen[(col.key, year)] + 1)
                self.layout(ref, f"列“{cell}”与 {first} 列重复")
                continue
            seen[(col.key, year)] = index
            out.append((index, col, year, col.header(year)))  # messages use the full header
        present = {c.key for _, c, _, _ in out}
        for col in spec.columns:
            if col.required and col.key not in present:
                self.layout(CellRef(spec.name, 1, len(header_row) + 1, ""),
                            f"缺少必填的列“{col.header()}”{sheet.note}")
                ok = False
        return _HeaderMap(out) if ok else None

    def rows(self, sheet: RawSheet) -> Iterable[tuple[int, list[Any]]]:
        for number, row in enumerate(sheet.rows[1:], start=2):
            if any(not _blank(v) for v in row):
                yield number, row

    def fill(self, spec: SheetSpec, headers: _HeaderMap, row: list[Any], number: int,
             base: Loc, candidate: str | None, owner: Owner | None = None) -> dict[str, Any]:
        """One row's object; records each column's cell under ``base + path``."""
        obj: dict[str, Any] = {}
        labels_of = _owner_labels(owner) if owner is not None else {}
        for index, col, year, header in headers.columns:
            if col.kind in ("owner_kind", "owner_id"):
                continue
            ref = CellRef(spec.name, number, index + 1, header, candidate)
            loc: Loc = (*base, *col.path) + ((year,) if year is not None else ())
            value = row[index] if index < len(row) else None
            if owner is not None and col.key not in labels_of:
                if not _blank(value):
                    self.cell_problem(loc, ref, _CellError(
                        f"{owner.sheet}不填这一列（只对"
                        f"{'、'.join(o.sheet for o in spec.owners if col.key in _owner_labels(o))}"
                        "填写）"))
                continue
            for depth in range(len(base) + 1, len(loc)):
                self.where.setdefault(loc[:depth], ref)
            self.where[loc] = ref
            try:
                parsed = _parse_cell(col, value, labels_of.get(col.key, ()))
            except _CellError as exc:
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
                        f"“{spec.name}”只填一行数据（第 2 行），这里多了一行")
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
                key = _parse_cell(key_col, row[key_index] if key_index < len(row) else None)
            except _CellError as exc:
                self.cell_problem((*spec.target, f"\0row{number}"), key_ref, exc)
                continue
            if key is None:
                self.layout(key_ref, "缺少名称")
                continue
            if key in first_row:
                self.layout(key_ref, f"“{key}”重复（第 {first_row[key]} 行已有）")
                continue
            first_row[key] = number
            loc: Loc = (*spec.target, key)
            ref = CellRef(spec.name, number, value_index + 1, value_header, key)
            self.where[loc] = ref
            try:
                value = _parse_cell(value_col, row[value_index] if value_index < len(row)
                                    else None)
            except _CellError as exc:
                self.cell_problem(loc, ref, exc)
                continue
            if value is None:
                self.problems.append(_diag(ref, "缺少数值"))
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
            entity_id = _id_text(raw_id)
            candidate = f"{spec.name} {entity_id}" if entity_id else f"{spec.name}第 {number} 行"
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
                    sheet_name = _parse_cell(col, row[index] if index < len(row) else None)
                except _CellError as exc:
                    self.cell_problem((f"\0{spec.name}", number), ref, exc)
                    continue
                if sheet_name is None:
                    self.layout(ref, "缺少候选对象类别（"
                                + "、".join(o.sheet for o in spec.owners) + "）")
                    continue
                owner = next(o for o in spec.owners if o.sheet == sheet_name)
            index, col, header = positions["candidate_id"]
            ref = CellRef(spec.name, number, index + 1, header)
            raw_id = row[index] if index < len(row) else None
            owner_id = _id_text(raw_id)
            if owner_id is None:
                self.layout(ref, f"缺少{owner.sheet}编号")
                continue
            known = self.index_of.get(owner.kind)
            if known is None:
                if owner.kind in self.ids:  # the owner sheet was unreadable: said already
                    continue
                self.layout(ref, f"“{owner.sheet}”表中没有编号 {owner_id}（缺少“{owner.sheet}”表）")
                continue
            if owner_id not in known:
                message = f"“{owner.sheet}”表中没有编号 {owner_id}"
                close = difflib.get_close_matches(owner_id, list(known), n=1, cutoff=0.5)
                self.layout(ref, message, f"是不是 {close[0]}？" if close else None)
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
                where = (f"“{sheet}”表中有 {have} 行" if sheet in self.present
                         else f"没有“{sheet}”表")
                self.layout(ref, f"条数填的是 {count}，但{where}")


def _id_text(value: object) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return _number_text(value)
    return None


@functools.cache
def _owner_labels(owner: Owner) -> dict[str, tuple[tuple[str, str], ...]]:
    """The item model's columns by key, with that owner's enum labels."""
    return {c.key: c.labels for c in _model_columns(owner.item_model)}


_PAREN_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_YEAR_KEY_RE = re.compile(r"^(.*)\.(\d{4})$")
_YEAR_TITLE_RE = re.compile(r"^(.*)·(\d{4})年?$")


def _match_header(text: str, by_key: Mapping[str, Column],
                  by_title: Mapping[str, Column]) -> tuple[Column, int | None] | None:
    """The column (and year) a header names: by the field in parentheses, or the bare title."""
    match = _PAREN_RE.match(text)
    candidates = [match.group(2).strip()] if match else []
    candidates.append(text)
    for key in candidates:
        if key in by_key and not by_key[key].years:
            return by_key[key], None
        year_match = _YEAR_KEY_RE.match(key)
        if year_match and year_match.group(1) in by_key:
            col = by_key[year_match.group(1)]
            year = int(year_match.group(2))
            if col.years and 1900 <= year <= 2100:
                return col, year
    if match is None:
        if text in by_title and not by_title[text].years:
            return by_title[text], None
        year_match = _YEAR_TITLE_RE.match(text)
        if year_match and year_match.group(1) in by_title:
            col = by_title[year_match.group(1)]
            year = int(year_match.group(2))
            if col.years and 1900 <= year <= 2100:
                return col, year
    return None


def _suggest_header(text: str, spec: SheetSpec) -> str | None:
    names: dict[str, str] = {}
    for col in spec.columns:
        shown = col.header(2014).replace("2014", "YYYY") if col.years else col.header()
        names[_norm(col.title_zh)] = shown
        names[col.key] = shown
        names[_norm(shown)] = shown
    match = _PAREN_RE.match(text)
    probes = [text] + ([match.group(1), match.group(2)] if match else [])
    for probe in probes:
        close = difflib.get_close_matches(probe, list(names), n=1, cutoff=0.6)
        if close:
            return f"是不是“{names[close[0]]}”？"
    return None


# ---------------------------------------------------------------------------- validation


_TOKEN_RE = re.compile(
    r"\.?([A-Za-z_][A-Za-z0-9_]*)"
    r"|\[(\d+|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]"
)


def _parse_path(path: str, ids: Mapping[str, Sequence[str | None]]) -> Loc | None:
    """The location a `load_dataset` diagnostic path stands for (``districts[0] (D1).x``)."""
    loc: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _TOKEN_RE.match(path, pos)
        if match is None:
            return None
        pos = match.end()
        if match.group(1) is not None:
            loc.append(match.group(1))
            continue
        token = match.group(2)
        step: str | int = int(token) if token.isdigit() else ast.literal_eval(token)
        loc.append(step)
        if len(loc) == 2 and isinstance(step, int) and isinstance(loc[0], str):
            kind_ids = ids.get(loc[0], [])
            entity_id = kind_ids[step] if 0 <= step < len(kind_ids) else None
            suffix = f" ({entity_id})" if entity_id else ""
            if suffix and path.startswith(suffix, pos):
                pos += len(suffix)
    return tuple(loc)


def _lookup(where: Mapping[Loc, CellRef], loc: Loc) -> tuple[CellRef | None, Loc]:
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


_ALSO_RE = re.compile(r"\s*\(also (\w+)\[(\d+)\]\)")


def _map_diagnostic(d: Diagnostic, builder: _Builder) -> Diagnostic | None:
    loc = _parse_path(d.path, builder.ids) if d.path else None
    if loc is None:
        return d
    if any(loc[: len(root)] == root for root in builder.skipped_roots):
        return None
    if ("industries",) in builder.skipped_roots and loc[:1] == ("enterprises",) and (
            loc[-1] == "industry"):
        return None  # the 强业 sheet could not be read: its ids are unknown, said already
    if any(loc[: len(bad)] == bad for bad in builder.bad):
        return None  # the cell's own problem is reported already
    ref, _ = _lookup(builder.where, loc)
    if ref is None:
        return d
    message = d.message

    def also(match: re.Match[str]) -> str:
        other = builder.where.get((match.group(1), int(match.group(2)), "id"))
        return f"（与 {other.ref()} 重复）" if other is not None else match.group(0)

    message = _ALSO_RE.sub(also, message)
    hint = d.hint
    if hint is None:
        col = _column_at(ref)
        hint = _HINTS.get(col.kind) if col is not None else None
    return Diagnostic(d.code, f"{ref.context()}{message}", None, hint, ref.ref())


def _column_at(ref: CellRef) -> Column | None:
    spec = _SPECS.get(ref.sheet)
    if spec is None or not ref.header:
        return None
    match = _match_header(_norm(ref.header), {c.key: c for c in spec.columns},
                          {_norm(c.title_zh): c for c in spec.columns})
    return match[0] if match else None


def _sort_key(builder: _Builder, d: Diagnostic) -> tuple[int, int, int]:
    match = re.fullmatch(r"(.*)!([A-Z]+)(\d+)", d.path or "")
    if match is None:
        return (len(LAYOUT) + 1, 0, 0)
    col = 0
    for ch in match.group(2):
        col = col * 26 + ord(ch) - ord("A") + 1
    return (builder.sheet_order.get(match.group(1), -1), int(match.group(3)), col)


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
    """Read and validate sheets into a `Dataset`; every problem names its cell.

    Args:
        sheets: the sheets of one workbook or CSV folder, in file order.

    Returns:
        The validated dataset.

    Raises:
        DataErrors: every layout, cell and field problem at once; each diagnostic's
            ``path`` is the cell (``强企!H12``) and its message starts with the column's
            header and the candidate.
    """
    builder = _Builder()
    builder.run(sheets)
    problems = list(builder.problems)
    try:
        dataset = load_dataset(builder.doc)
    except DataErrors as exc:
        mapped = [_map_diagnostic(d, builder) for d in exc.diagnostics]
        problems.extend(d for d in mapped if d is not None)
        if not problems:  # pragma: no cover - each was a repeat of a reported problem
            problems = exc.diagnostics
    else:
        if not problems:
            return dataset
    problems.sort(key=lambda d: _sort_key(builder, d))
    raise DataErrors(problems)
