"""A starter dataset: YAML with a Chinese comment on every field (label, unit, accepted forms).

The text is generated from the pydantic models (their titles, types and enum labels),
so a field added to the data dictionary appears here without anyone editing a template.
Every indicator starts as ``null`` (missing: its clauses evaluate to unknown, never to
pass), so the unfilled template loads with `qstrong.load_dataset` and evaluates.
"""

from __future__ import annotations

import datetime as _dt
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from qstrong.core.source import display_width
from qstrong.data.values import Quantity, YearMap

__all__ = ["COMMENT_COLUMN", "dataset_template", "describe_field"]

COMMENT_COLUMN = 44
"""Display column where field comments start (when the key and value leave room)."""

_RATE = "百分比(%)：0–100 的数如 93.5，或 \"93.5%\"，或合格数/总数 {passed: 187, total: 200}"
_FORMS: dict[str, str] = {
    "percent": _RATE,
    "yearmap": "按年份：{2013: 91.2, 2014: \"92%\"}，每年一个百分比(%)，写法同合格率",
    "amount": "非负数（数字或数字字符串，如 2860000 或 \"0.47\"）",
    "amountmap": "按产品类别：{袜子: 0.52}，值为非负数",
    "count": "整数，≥ 0",
    "rank": "名次，整数 ≥ 1（1 为第一名）",
    "year": "年份，四位整数，如 2012",
    "bool": "是/否：写 true 或 false",
    "date": "日期，写成 2014-11-01",
    "text": "文字",
    "credit_code": "18 位统一社会信用代码（末位为 GB 32100-2015 校验码）",
    "county_code": "6 位数字，须加引号，如 \"330681\"",
    "params": "{参数名: 值}，覆盖标准文件中的评审参数"
              "（参数名和默认值见 qstrong evaluate 输出的“评审参数”）",
}
_NOTES: dict[tuple[str, str], str] = {
    ("Enterprise", "industry"): "填所属产业的 id（如 I1）；不属于候选产业填 null",
    ("Enterprise", "above_designated_size"):
        "产业的“规上企业”即 industry 指向该产业且此项为 true 的企业",
    ("Industry", "product_class"):
        "须与 province_benchmarks.unit_energy_consumption 中的类别名一致",
    ("Industry", "unit_energy_consumption"): "单位与全省同类产品单位能耗相同",
    ("ProvinceBenchmarks", "unit_energy_consumption"): "单位如 吨标准煤/万元产值",
    ("Industry", "regional_brand"): "没有区域名牌填 null",
    ("Assessment", "date"): "“近两年内”等时间窗口由此往前推算",
}
_PLACEHOLDERS: dict[tuple[str, str], str] = {
    ("County", "code"): "\"000000\"",
    ("County", "name"): "待填写",
    ("District", "id"): "D1",
    ("Industry", "id"): "I1",
    ("Enterprise", "id"): "E1",
}


def _strip_optional(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _unpack(info: FieldInfo) -> tuple[Any, list[Any]]:
    """The field's base type (no Optional, no Annotated) and all its metadata."""
    annotation = _strip_optional(info.annotation)
    metadata = list(info.metadata)
    while get_origin(annotation) is Annotated:
        args = get_args(annotation)
        annotation = _strip_optional(args[0])
        metadata.extend(args[1:])
    return annotation, metadata


def _validator_name(metadata: list[Any]) -> str:
    for meta in metadata:
        func = getattr(meta, "func", None)
        if func is not None:
            return str(getattr(func, "__name__", ""))
    return ""


def _shape(info: FieldInfo) -> tuple[str, Any]:
    """What a field holds: (form key, extra) where extra is a model, enum values or unit."""
    annotation, metadata = _unpack(info)
    for meta in metadata:
        if isinstance(meta, YearMap):
            return "yearmap", None
        if isinstance(meta, Quantity):
            return meta.kind, meta.unit_zh
    origin = get_origin(annotation)
    if origin is Literal:
        return "enum", get_args(annotation)
    if origin is list and get_origin(get_args(annotation)[0]) is Literal:
        return "enum_list", get_args(get_args(annotation)[0])
    if origin is list:
        return "list", get_args(annotation)[0]
    if origin is dict:
        value = _strip_optional(get_args(annotation)[1])
        return ("params", None) if value is Any else ("amountmap", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if annotation is bool:
        return "bool", None
    if annotation is _dt.date:
        return "date", None
    validator = _validator_name(metadata)
    if "credit_code" in validator:
        return "credit_code", None
    if "county_code" in validator:
        return "county_code", None
    return "text", None


def _enum_labels(info: FieldInfo) -> dict[str, str]:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    labels = extra.get("enum_labels") if extra else None
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}


def describe_field(model: type[BaseModel], name: str) -> str:
    """The Chinese comment for one field: label, unit and accepted forms.

    Examples:
        >>> from qstrong.data.models import District
        >>> describe_field(District, "drug_evaluation_pass_rate").split("；")[0]
        '药品评价性抽验合格率'
    """
    info = model.model_fields[name]
    kind, extra = _shape(info)
    parts = [info.title or name]
    if kind == "enum":
        labels = _enum_labels(info)
        parts.append("可选：" + "、".join(f"{v}（{labels[v]}）" if v in labels else str(v)
                                        for v in extra))
    elif kind == "enum_list":
        labels = _enum_labels(info)
        parts.append("列表，可含：" + "、".join(f"{v}（{labels[v]}）" if v in labels else str(v)
                                            for v in extra) + "；没有填 []，不清楚填 null")
    elif kind == "list":
        parts.append("列表，每项的格式见下方注释行；没有填 []，不清楚填 null")
    elif kind == "model" and _expanded(info, extra):
        parts.append("下列各项")
    elif kind == "model":
        parts.append("有则删去 null 并取消下方各行的注释")
    elif kind in _FORMS:
        form = _FORMS[kind]
        if kind == "count" and extra:
            form += f"，单位：{extra}"
        parts.append(form)
    note = _NOTES.get((model.__name__, name))
    if note:
        parts.append(note)
    parts.append("必填" if info.is_required() else "")
    return "；".join(p for p in parts if p)


def _expanded(info: FieldInfo, model: type[BaseModel]) -> bool:
    """Whether a record field is written out field by field (else null plus its format)."""
    return info.is_required() or not any(
        field.is_required() for field in model.model_fields.values())


def _line(indent: int, key: str, value: str, comment: str) -> str:
    head = " " * indent + (f"{key}: {value}" if value else f"{key}:")
    pad = max(2, COMMENT_COLUMN - display_width(head))
    return f"{head}{' ' * pad}# {comment}"


def _placeholder(model: type[BaseModel], name: str, info: FieldInfo, date: _dt.date) -> str:
    special = _PLACEHOLDERS.get((model.__name__, name))
    if special is not None:
        return special
    kind, extra = _shape(info)
    if not info.is_required():
        if isinstance(info.default, bool):  # a yes/no with a default (candidate: true)
            return "true" if info.default else "false"
        return "{}" if kind == "params" else "null"
    if kind == "date":
        return date.isoformat()
    if kind == "text":
        return "待填写"
    if kind == "enum":
        return str(extra[0])
    return "null"


def _commented(lines: list[str], column: int) -> list[str]:
    """Comment lines out with a ``#`` at ``column``; deleting it gives valid YAML back."""
    return [line[:column] + "#" + line[column + 1:] for line in lines]


def _model_lines(model: type[BaseModel], indent: int, out: list[str], date: _dt.date, *,
                 first_dash: bool = False) -> None:
    """One line per field (nested groups expanded) at ``indent`` spaces.

    A list of records, or a record that has required fields, is written ``null`` and
    followed by its format, commented out one column left of where its items go.
    """
    for number, (name, info) in enumerate(model.model_fields.items()):
        kind, extra = _shape(info)
        comment = describe_field(model, name)
        key_indent, key = indent, name
        if first_dash and number == 0:
            key_indent, key = indent - 2, f"- {name}"
        if kind == "model" and _expanded(info, extra):
            out.append(_line(key_indent, key, "", comment))
            _model_lines(extra, indent + 2, out, date)
            continue
        out.append(_line(key_indent, key, _placeholder(model, name, info, date), comment))
        example: list[str] = []
        if kind == "list" and isinstance(extra, type) and issubclass(extra, BaseModel):
            _model_lines(extra, indent + 4, example, date, first_dash=True)
        elif kind == "model":
            _model_lines(extra, indent + 2, example, date)
        out.extend(_commented(example, indent))


_HEADER = """\
# qstrong 数据集模板：一个县（市、区）一次质量强县评审的全部指标。
#
# 填写说明
# - 每个字段右侧的注释给出含义、单位和可接受的写法。
# - null 表示“缺失”：用到它的条款评定为“无法判定”，不会算作达标或未达标。
#   请用实际数据替换 null；确实没有的列表（如没有发生任何事件）填 []。
# - 合格率等百分比可写 93.5、"93.5%" 或 {passed: 187, total: 200}；数值按十进制精确计算。
# - 候选对象可以有多个：复制 districts / industries / enterprises 下的一项（以 - 开头的整块）。
# - 产业的“规上企业”是 enterprises 中 industry 为该产业 id 且 above_designated_size 为 true 的企业。
# - 检查：qstrong evaluate 本文件；编辑器校验见 qstrong schema data 和 docs/cli.md。
"""


def dataset_template(*, date: _dt.date | None = None, schema_url: str | None = None) -> str:
    """The starter dataset as YAML text.

    Args:
        date: the placeholder assessment date (default: today).
        schema_url: when given, a first line ``# yaml-language-server: $schema=URL`` so that
            editors validate the file against ``qstrong schema data``.

    Returns:
        YAML text that `qstrong.load_dataset` reads as is (every indicator null).
    """
    from qstrong.data.models import Dataset, District, Enterprise, Industry

    when = date if date is not None else _dt.date.today()
    out: list[str] = []
    if schema_url:
        out.append(f"# yaml-language-server: $schema={schema_url}")
    out.extend(_HEADER.rstrip("\n").split("\n"))
    entity_models: dict[str, type[BaseModel]] = {
        "districts": District, "industries": Industry, "enterprises": Enterprise}
    for name, info in Dataset.model_fields.items():
        out.append("")
        kind, extra = _shape(info)
        if name in entity_models:
            out.append(f"{name}:{' ' * max(2, COMMENT_COLUMN - len(name) - 1)}# "
                       f"{info.title}：列表，每个候选对象一项")
            _model_lines(entity_models[name], 4, out, when, first_dash=True)
        elif kind == "model":
            out.append(_line(0, name, "", describe_field(Dataset, name)))
            _model_lines(extra, 2, out, when)
        else:  # pragma: no cover - every top-level field is a model or a list today
            out.append(_line(0, name, "null", describe_field(Dataset, name)))
    return "\n".join(out) + "\n"
