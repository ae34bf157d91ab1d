"""The JSON Schema (draft 2020-12) of criteria files, for editors and validators: written key
for key with `qstrong.lang.criteria_file`'s reader; the same qstrong gives the same bytes."""

from __future__ import annotations

from typing import Any

from qstrong.core.vocab import CRITERIA_KINDS, PARAM_TYPES
from qstrong.data.schema import DIALECT, dump_schema

__all__ = ["criteria_schema", "criteria_schema_json"]


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
            "correction": _text("原文更正", "对抓取的方案原文所作的编辑更正及理由"),
            "context": {"type": "array", "items": {"type": "string"}, "title": "一并列出的数据",
                        "description": "与条款数值一并显示、但不参与判定的字段，如排名依据"},
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
            "kind": {"enum": list(CRITERIA_KINDS), "title": "类型",
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


def criteria_schema_json() -> str:
    """`criteria_schema` as JSON text (UTF-8, two-space indent, final newline)."""
    return dump_schema(criteria_schema())
