"""The spreadsheet layout of a dataset: which sheet and column hold which field.

One table, `LAYOUT`, describes every sheet (工作表) of the tabular form of a dataset and
every column in it, derived from the pydantic models so that no field can be left out
(see `qstrong.io.tabular` for the sheets and how they are read and written). Here too: what
each kind of column accepts (`describe_column`) and how a header text is matched to its
column (`match_header`), exactly after NFKC normalisation (`norm`).

`qstrong.io.tabular` re-exports every public name of the layout; import from there.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from qstrong.core.messages import Text, msg, words
from qstrong.core.vocab import closest
from qstrong.data.models import (
    Assessment,
    County,
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
from qstrong.data.values import Quantity, YearMap, plain_type, quantity_of

__all__ = [
    "IGNORED_SHEETS",
    "LAYOUT",
    "NOTE_PREFIXES",
    "OWNER_ALIASES",
    "SPECS",
    "CellKind",
    "Column",
    "Owner",
    "SheetSpec",
    "cell_hint",
    "describe_column",
    "kind_words",
    "match_header",
    "norm",
    "owner_labels",
    "sheet_spec",
    "suggest_header",
]

IGNORED_SHEETS: tuple[str, ...] = ("说明", "选项")
"""Sheets that explain the layout or hold dropdown lists; never read as data."""

NOTE_PREFIXES: tuple[str, ...] = ("备注", "#")
"""A sheet or column whose name starts with one of these is the staff's own note: ignored."""

CellKind = Literal[
    "text", "bool", "rate", "rate_fraction", "amount", "count", "rank", "year", "date", "enum",
    "enum_list", "list", "any",
    "owner_kind", "owner_id",
]
"""How a column's cells are read and written."""


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
        group: for a field of an optional group (``regional_brand.name``), the group's
            title: the field is required only when the group is filled in.
    """

    key: str
    title_zh: str
    kind: CellKind
    path: tuple[str, ...]
    description: str = ""
    required: bool = False
    labels: tuple[tuple[str, str], ...] = ()
    years: bool = False
    group: str = ""

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


OWNER_ALIASES: dict[str, str] = {  # what a 候选对象类别 cell may say, to the owner's sheet
    "强区": "强区", "district": "强区", "districts": "强区", "产品质量强区": "强区",
    "强业": "强业", "industry": "强业", "industries": "强业", "产品质量强业": "强业",
    "强企": "强企", "enterprise": "强企", "enterprises": "强企", "产品质量强企": "强企",
}


def _marker(annotation: Any, metadata: Sequence[Any]) -> Quantity | YearMap | None:
    found = quantity_of(annotation)
    if found is not None:
        return found
    return next((m for m in metadata if isinstance(m, Quantity | YearMap)), None)


_QUANTITY_KINDS: dict[str, CellKind] = {
    "percent": "rate", "amount": "amount", "count": "count", "rank": "rank", "year": "year",
}


def _model_columns(
    model: type[BaseModel],
    *,
    prefix: tuple[str, ...] = (),
    title_prefix: str = "",
    skip: Iterable[str] = (),
    group: str = "",
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
        base = plain_type(info.annotation)
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
            out.extend(_model_columns(base, prefix=path, title_prefix=title,
                                      group=group or ("" if required else title)))
        elif get_origin(base) is list and get_origin(get_args(base)[0]) is Literal:
            labels_map = raw_labels if isinstance(raw_labels, dict) else {}
            labels = tuple((str(code), str(labels_map.get(code, code)))
                           for code in get_args(get_args(base)[0]))
            out.append(Column(key, title, "enum_list", path, description, required, labels))
        elif get_origin(base) is list:
            out.append(Column(key, f"{title}·条数", "list", path, description, required))
        else:  # pragma: no cover - guards the layout against a new kind of field
            raise TypeError(f"no spreadsheet form for {model.__name__}.{name}: {base!r}")
    return [replace(c, group=group) if group and not c.group else c for c in out]


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
    county = {f: County.model_fields[f] for f in ("code", "name", "city")}
    record = (
        Column("assessment.date", str(Assessment.model_fields["date"].title), "date",
               ("assessment", "date"), Assessment.model_fields["date"].description or "",
               required=True),
        Column("county.code", f"县(市、区)·{county['code'].title}", "text", ("county", "code"),
               county["code"].description or "", required=True),
        Column("county.name", f"县(市、区)·{county['name'].title}", "text", ("county", "name"),
               county["name"].description or "", required=True),
        Column("county.city", f"县(市、区)·{county['city'].title}", "text", ("county", "city"),
               county["city"].description or ""),
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

SPECS: dict[str, SheetSpec] = {s.name: s for s in LAYOUT}
"""The sheets of `LAYOUT` by name."""


def sheet_spec(name: str) -> SheetSpec:
    """The layout of the sheet with this name (KeyError if there is none)."""
    return SPECS[name]


@functools.cache
def owner_labels(owner: Owner) -> dict[str, tuple[tuple[str, str], ...]]:
    """The item model's columns by key, with that owner's enum labels."""
    return {c.key: c.labels for c in _model_columns(owner.item_model)}


# ---------------------------------------------------------------------------- descriptions


def kind_words(kind: str) -> Text:
    """What a column of this kind accepts (``cell_kind.*`` in the message catalogue)."""
    return words(f"cell_kind.{kind}")


def describe_column(col: Column, lang: str = "zh") -> str:
    """What a column accepts (for the 说明 sheet, in Chinese, and input prompts)."""
    text = kind_words(col.kind).render(lang)
    if col.kind in ("enum", "enum_list"):
        text += ("：" if lang == "zh" else ": ") + "、".join(label for _, label in col.labels)
    if col.years:
        text += words("cell_kind.per_year").render(lang)
    return text


_HINTED = frozenset({"rate", "bool", "date", "amount", "count", "rank", "year", "list"})


def cell_hint(kind: str) -> Text | None:
    """The hint of a message about a bad cell of this kind (``cell_hint.*``), or None."""
    return words(f"cell_hint.{kind}") if kind in _HINTED else None


# ---------------------------------------------------------------------------- headers


_PAREN_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_YEAR_KEY_RE = re.compile(r"^(.*)\.(\d{4})$")
_YEAR_TITLE_RE = re.compile(r"^(.*)·(\d{4})年?$")


def norm(text: str) -> str:
    """NFKC and collapsed whitespace: full-width brackets and digits become ASCII."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _year_column(columns: Mapping[str, Column],
                 match: re.Match[str] | None) -> tuple[Column, int] | None:
    """The year-map column and year a ``key.2013`` or ``标题·2013年`` match names, if valid."""
    if match is None or match.group(1) not in columns:
        return None
    col = columns[match.group(1)]
    year = int(match.group(2))
    return (col, year) if col.years and 1900 <= year <= 2100 else None


def match_header(text: str, by_key: Mapping[str, Column],
                 by_title: Mapping[str, Column]) -> tuple[Column, int | None] | None:
    """The column (and year) a header names: by the field in parentheses, or the bare title.

    Args:
        text: the header, already `norm`-alised.
        by_key: the sheet's columns by key.
        by_title: the sheet's columns by `norm`-alised Chinese title.
    """
    match = _PAREN_RE.match(text)
    candidates = [match.group(2).strip()] if match else []
    candidates.append(text)
    for key in candidates:
        if key in by_key and not by_key[key].years:
            return by_key[key], None
        found = _year_column(by_key, _YEAR_KEY_RE.match(key))
        if found is not None:
            return found
    if match is None:
        if text in by_title and not by_title[text].years:
            return by_title[text], None
        return _year_column(by_title, _YEAR_TITLE_RE.match(text))
    return None


def suggest_header(text: str, spec: SheetSpec) -> Text | None:
    """A “是不是…？” hint naming the header of ``spec`` closest to an unknown one, or None."""
    names: dict[str, str] = {}
    for col in spec.columns:
        shown = col.header(2014).replace("2014", "YYYY") if col.years else col.header()
        names[norm(col.title_zh)] = shown
        names[col.key] = shown
        names[norm(shown)] = shown
    match = _PAREN_RE.match(text)
    probes = [text] + ([match.group(1), match.group(2)] if match else [])
    for probe in probes:
        close = closest(probe, names)
        if close:
            return msg("sheet.did_you_mean", word=names[close])
    return None
