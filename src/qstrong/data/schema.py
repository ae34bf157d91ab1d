"""The JSON Schema (draft 2020-12) of dataset files, for editors and validators.

It is derived from the pydantic `Dataset` model (field titles are the Chinese labels), so it
follows the data dictionary as the models do; the same qstrong gives the same bytes. The
criteria files' schema is `qstrong.lang.schema`.

Editors that use the YAML language server (VS Code's YAML extension and others) pick a
schema from a first-line comment::

    # yaml-language-server: $schema=./qstrong-data.schema.json
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from qstrong.data.parsing import YEAR_MAX, YEAR_MIN
from qstrong.data.values import YearMap, quantity_of

__all__ = ["DIALECT", "MODEL_TITLES", "dataset_schema", "dataset_schema_json", "dump_schema"]

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


def dump_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def dataset_schema_json() -> str:
    """`dataset_schema` as JSON text (UTF-8, two-space indent, final newline)."""
    return dump_schema(dataset_schema())
