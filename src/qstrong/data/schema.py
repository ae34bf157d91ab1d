"""JSON Schemas (draft 2020-12) of dataset files and criteria files, for editors and validators.

The dataset schema is derived from the pydantic `Dataset` model (field titles are the
Chinese labels), so it follows the data dictionary as the models do. The criteria schema
is written here, key for key with `qstrong.lang.criteria_file`'s reader. Both are deterministic:
the same qstrong gives the same bytes.

Editors that use the YAML language server (VS Code's YAML extension and others) pick a
schema from a first-line comment::

    # yaml-language-server: $schema=./qstrong-data.schema.json
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from qstrong.core.vocab import ALL_KINDS, PARAM_TYPES
from qstrong.data.parsing import YEAR_MAX, YEAR_MIN
from qstrong.data.values import YearMap, quantity_of

__all__ = [
    "DIALECT",
    "MODEL_TITLES",
    "criteria_schema",
    "criteria_schema_json",
    "dataset_schema",
    "dataset_schema_json",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

MODEL_TITLES: dict[str, str] = {
    "Dataset": "qstrong 数据集（一个县一次评审的全部指标）",
    "Assessment": "评审",
    "County": "县(市、区)",
    "ProvinceBenchmarks": "全省平均水平等参照值",
    "District": "产品质量强区候选",
    "Industry": "产品质量强业候选",
    "Enterprise": "产品质量强企候选（或候选产业的规上企业）",
    "FoodSpotCheckRates": "食品抽查合格率（按环节）",
    "BaselineCurrent": "基期与现期",
    "SpecialEquipment": "特种设备各项比率",
    "DistrictStandard": "块状产业联盟标准、行业技术标准、行业质量诚信标准",
    "LedStandard": "为主制订的标准",
    "EnterpriseBrand": "企业品牌",
    "IndustryBrand": "产业品牌",
    "RegionalBrand": "区域名牌",
    "DistrictIncident": "强区事件",
    "IndustryIncident": "强业事件",
    "EnterpriseIncident": "强企事件",
}
"""Chinese titles of the dataset's models (a model missing here keeps its class name)."""

_YEAR_PATTERN = "^(19[0-9]{2}|20[0-9]{2}|2100)$"
assert (YEAR_MIN, YEAR_MAX) == (1900, 2100), "update _YEAR_PATTERN"


def _models() -> dict[str, type[BaseModel]]:
    """Every model of the dataset document, by class name."""
    from qstrong.data.models import Dataset

    found: dict[str, type[BaseModel]] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = model
        for info in model.model_fields.values():
            for inner in _inner_models(info.annotation):
                visit(inner)

    visit(Dataset)
    return found


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        out.extend(_inner_models(arg))
    return out


def _object_branch(prop: dict[str, Any]) -> dict[str, Any] | None:
    if prop.get("type") == "object":
        return prop
    for alternative in prop.get("anyOf", []):
        if isinstance(alternative, dict) and alternative.get("type") == "object":
            return alternative
    return None


def _enum_branch(prop: dict[str, Any]) -> dict[str, Any] | None:
    if "enum" in prop:
        return prop
    for alternative in prop.get("anyOf", []):
        if isinstance(alternative, dict) and "enum" in alternative:
            return alternative
    return None


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema of a dataset document (YAML or JSON).

    Year maps get a key pattern (YAML year keys are strings once read as JSON), enum
    values get ``enumDescriptions`` from their Chinese labels, and every property's
    description reads ``中文标签 — English label``.
    """
    from qstrong.data.models import Dataset

    schema = copy.deepcopy(Dataset.model_json_schema())
    models = _models()
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    for name, model in models.items():
        target = schema if model is Dataset else defs.get(name)
        if target is None:
            continue
        target["title"] = MODEL_TITLES.get(name, name)
        props: dict[str, Any] = target.get("properties", {})
        for field, info in model.model_fields.items():
            prop = props.get(field)
            if prop is None:
                continue
            if info.title and info.description:
                prop["description"] = f"{info.title} — {info.description}"
            if isinstance(quantity_of(info.annotation), YearMap):
                branch = _object_branch(prop)
                if branch is not None:
                    branch["propertyNames"] = {"pattern": _YEAR_PATTERN}
            labels = prop.get("enum_labels")
            branch = _enum_branch(prop)
            if isinstance(labels, dict) and branch is not None:
                branch["enumDescriptions"] = [str(labels.get(v, v)) for v in branch["enum"]]
    return {"$schema": DIALECT, **schema}


def _text(title: str, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "minLength": 1, "title": title}
    if description:
        out["description"] = description
    return out


def criteria_schema() -> dict[str, Any]:
    """The JSON Schema of one criteria file (``criteria/*.yaml``)."""
    clause: dict[str, Any] = {
        "type": "object",
        "title": "条款",
        "description": "一个条款：rule（规则表达式），或 all/any（子条款列表），三者只能有一个；"
                       "可选 applies_if（适用条件，不成立时为“不适用”）。",
        "properties": {
            "id": _text("条款编号",
                        "稳定的编号，如 district/1/drug_evaluation；JSON 输出和场景测试使用"),
            "title": _text("标题", "中文标题"),
            "title_en": _text("英文标题", "English title"),
            "section": _text("方案章节", "实施方案中的章节，如 三(一)1；省略时沿用上级"),
            "text": _text("方案原文", "实施方案的原话（报告中逐字显示）"),
            "rule": {**_text("规则", "规则表达式，如 drug_evaluation_pass_rate >= 96%"),
                     "pattern": "\\S"},
            "applies_if": {**_text("适用条件", "条件表达式；不成立时条款为“不适用”（计为达标）"),
                           "pattern": "\\S"},
            "all": {"type": "array", "minItems": 1, "title": "全部达标",
                    "description": "子条款全部达标（不适用计为达标）才达标",
                    "items": {"$ref": "#/$defs/clause"}},
            "any": {"type": "array", "minItems": 1, "title": "任一达标",
                    "description": "子条款任一达标即达标",
                    "items": {"$ref": "#/$defs/clause"}},
            "note": _text("说明", "条款的解释或取舍说明"),
        },
        "required": ["id", "title", "text"],
        "oneOf": [{"required": ["rule"]}, {"required": ["all"]}, {"required": ["any"]}],
        "additionalProperties": False,
    }
    param: dict[str, Any] = {
        "type": "object",
        "title": "评审参数",
        "description": "方案未给出数字之处的取值：默认值及理由，可由数据集 "
                       "assessment.criteria_params 覆盖。",
        "properties": {
            "type": {"enum": list(PARAM_TYPES), "title": "类型",
                     "enumDescriptions": ["百分比", "百分点", "数", "个数", "名次", "年数",
                                          "金额或数量"]},
            "default": {"anyOf": [{"type": "number", "minimum": 0},
                                  {"type": "string", "minLength": 1}],
                        "title": "默认值", "description": "如 2、93.5%、5个百分点"},
            "title": _text("标题"),
            "title_en": _text("英文标题"),
            "note": _text("理由", "为什么取这个默认值"),
        },
        "required": ["type", "default", "title", "note"],
        "additionalProperties": False,
    }
    return {
        "$schema": DIALECT,
        "title": "qstrong 标准文件",
        "description": "一类候选对象（强区、强业、强企或县域目标）的建设标准：元数据、评审参数"
                       "和条款树。",
        "type": "object",
        "properties": {
            "kind": {"enum": list(ALL_KINDS), "title": "类型",
                     "enumDescriptions": ["产品质量强区", "产品质量强业", "产品质量强企",
                                          "县域目标"]},
            "title": _text("标题"),
            "title_en": _text("英文标题"),
            "section": _text("方案章节", "如 三(一)"),
            "version": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}],
                        "title": "版本", "description": "标准版本，如 \"2024.1\"（建议加引号）"},
            "params": {"type": "object", "title": "评审参数",
                       "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                       "additionalProperties": {"$ref": "#/$defs/param"}},
            "clauses": {"type": "array", "minItems": 1, "title": "条款",
                        "items": {"$ref": "#/$defs/clause"}},
        },
        "required": ["kind", "title", "clauses"],
        "additionalProperties": False,
        "$defs": {"clause": clause, "param": param},
    }


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def dataset_schema_json() -> str:
    """`dataset_schema` as JSON text (UTF-8, two-space indent, final newline)."""
    return _dump(dataset_schema())


def criteria_schema_json() -> str:
    """`criteria_schema` as JSON text (UTF-8, two-space indent, final newline)."""
    return _dump(criteria_schema())
