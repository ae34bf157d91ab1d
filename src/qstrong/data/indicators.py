"""The dataset's nested pydantic models (rates groups, standards, brands, incidents) and their base.

`qstrong.data.models` re-exports every public name here; import from there.
"""

# Annotations are objects here, not text (no `from __future__ import annotations`): pydantic
# would otherwise evaluate each field's from its text when the model is built, a compile
# per field at every start.
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictStr,
    WithJsonSchema,
)

from qstrong.core.messages import msg
from qstrong.data.parsing import describe_value, value_error
from qstrong.data.values import Amount, IsoDate, Rate, Year

__all__ = [
    "BRAND_LEVEL_LABELS",
    "DISTRICT_INCIDENT_LABELS",
    "ENTERPRISE_INCIDENT_LABELS",
    "INDUSTRY_INCIDENT_LABELS",
    "LED_STANDARD_LEVEL_LABELS",
    "STANDARD_KIND_LABELS",
    "BaselineCurrent",
    "BrandLevel",
    "DistrictIncident",
    "DistrictIncidentType",
    "DistrictStandard",
    "EnterpriseBrand",
    "EnterpriseIncident",
    "EnterpriseIncidentType",
    "FoodSpotCheckRates",
    "IndustryBrand",
    "IndustryIncident",
    "IndustryIncidentType",
    "LedStandard",
    "LedStandardLevel",
    "RegionalBrand",
    "SpecialEquipment",
    "StandardKind",
    "Text",
    "parse_text",
]


def parse_text(value: object) -> str:
    """Read a non-blank string strictly (a number or yes/no value is not text).

    Examples:
        >>> parse_text("诸暨市")
        '诸暨市'
    """
    if not isinstance(value, str):
        raise value_error(msg("text.expected", value=describe_value(value)))
    if not value.strip():
        raise value_error(msg("text.empty"))
    return value


Text = Annotated[
    str, PlainValidator(parse_text), WithJsonSchema({"type": "string", "minLength": 1})
]
"""Non-blank text; ids, names and labels."""


class _Model(BaseModel):
    """Base of every dataset model: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _opt(zh: str, en: str, labels: dict[str, str] | None = None) -> Any:
    """An optional field (absent or null = missing data) with its labels."""
    extra = {"enum_labels": labels} if labels is not None else None
    return Field(None, title=zh, description=en, json_schema_extra=extra)  # type: ignore[arg-type]


def _empty_list() -> list[Any]:
    """A field's default, a new empty list. pydantic reads the signature of a default
    factory; a function's is read off its code, the builtin ``list``'s is parsed from text
    by the tokenizer (compiling its patterns cost a few ms of every start)."""
    return []


def _empty_dict() -> dict[str, Any]:
    """A field's default, a new empty mapping (a function, for the reason of `_empty_list`)."""
    return {}


def _req(zh: str, en: str, labels: dict[str, str] | None = None) -> Any:
    """A required field with its labels."""
    extra = {"enum_labels": labels} if labels is not None else None
    return Field(title=zh, description=en, json_schema_extra=extra)  # type: ignore[arg-type]


class FoodSpotCheckRates(_Model):
    """食品抽查合格率 by stage of the food chain."""

    planting_breeding: Rate | None = _opt("种养", "planting and breeding")
    processing: Rate | None = _opt("加工", "processing")
    circulation: Rate | None = _opt("流通", "circulation")
    catering: Rate | None = _opt("餐饮", "catering")


class BaselineCurrent(_Model):
    """A rate in a baseline year (基期) and now (现期), to measure a rise or a drop."""

    baseline: Rate | None = _opt("基期", "baseline")
    current: Rate | None = _opt("现期", "current")
    baseline_year: Year | None = _opt("基期年份", "baseline year")


class SpecialEquipment(_Model):
    """特种设备 rates."""

    registration_rate: Rate | None = _opt("使用登记率", "registration rate")
    inspection_rate: Rate | None = _opt("定期检验率", "periodic inspection rate")
    certified_operator_rate: Rate | None = _opt("职业人员持证上岗率", "certified operator rate")
    hazard_rectification_rate: Rate | None = _opt("隐患治理率", "hazard rectification rate")


StandardKind = Literal["alliance", "industry_technical", "industry_integrity"]
STANDARD_KIND_LABELS: dict[str, str] = {
    "alliance": "块状产业联盟标准",
    "industry_technical": "行业技术标准",
    "industry_integrity": "行业质量诚信标准",
}


class DistrictStandard(_Model):
    """A district's 块状产业联盟标准, 行业技术标准 or 行业质量诚信标准."""

    name: Text = _req("名称", "name")
    kind: StandardKind | None = _opt("类型", "kind", STANDARD_KIND_LABELS)
    implemented: StrictBool | None = _opt("已实施", "implemented")


LedStandardLevel = Literal["international", "national", "industry", "local", "association"]
LED_STANDARD_LEVEL_LABELS: dict[str, str] = {
    "international": "国际标准",
    "national": "国家标准",
    "industry": "行业标准",
    "local": "地方标准",
    "association": "团体(协会)标准",
}


class LedStandard(_Model):
    """A standard the industry led the drafting of (为主制订的标准)."""

    name: Text = _req("名称", "name")
    level: LedStandardLevel | None = _opt("级别", "level", LED_STANDARD_LEVEL_LABELS)


BrandLevel = Literal["municipal", "provincial", "national", "international"]
BRAND_LEVEL_LABELS: dict[str, str] = {
    "municipal": "市级",
    "provincial": "省级",
    "national": "国家级",
    "international": "国际",
}


class EnterpriseBrand(_Model):
    """An enterprise's 名牌, 著名商标 or similar brand."""

    name: Text = _req("名称", "name")
    kind: Text | None = _opt("类型(名牌、著名商标等)", "kind (famous brand, well-known mark, ...)")
    level: BrandLevel | None = _opt("级别", "level", BRAND_LEVEL_LABELS)


class IndustryBrand(_Model):
    """An industry's 名牌, 著名商标 or similar brand, with the sales made under it."""

    name: Text = _req("名称", "name")
    kind: Text | None = _opt("类型(名牌、著名商标等)", "kind (famous brand, well-known mark, ...)")
    level: BrandLevel | None = _opt("级别", "level", BRAND_LEVEL_LABELS)
    sales: Amount | None = _opt("销售产值(万元)", "sales (10k CNY)")


class RegionalBrand(_Model):
    """An industry's 区域名牌."""

    name: Text = _req("名称", "name")
    user_output: Amount | None = _opt(
        "使用区域名牌标志企业产值(万元)", "output of enterprises using the mark (10k CNY)"
    )


DistrictIncidentType = Literal[
    "regional_quality_safety",
    "industry_quality_safety",
    "major_quality_safety",
    "regional_special_equipment",
    "industry_special_equipment",
    "major_special_equipment",
    "export_serious_adverse",
]
DISTRICT_INCIDENT_LABELS: dict[str, str] = {
    "regional_quality_safety": "区域性质量安全事故",
    "industry_quality_safety": "行业性质量安全事故",
    "major_quality_safety": "重大级以上质量安全事故",
    "regional_special_equipment": "区域性特种设备事故",
    "industry_special_equipment": "行业性特种设备事故",
    "major_special_equipment": "重大级以上特种设备事故",
    "export_serious_adverse": "出口产品多次被国外通报、退货、索赔造成严重不良影响",
}

IndustryIncidentType = Literal[
    "industry_quality_problem", "major_quality_safety", "major_special_equipment"
]
INDUSTRY_INCIDENT_LABELS: dict[str, str] = {
    "industry_quality_problem": "行业性质量问题",
    "major_quality_safety": "重大质量安全事故",
    "major_special_equipment": "重大特种设备安全事故",
}

EnterpriseIncidentType = Literal[
    "key_indicator_failure",
    "major_quality_accident",
    "major_safety_accident",
    "major_environmental_accident",
    "major_valid_complaint",
]
ENTERPRISE_INCIDENT_LABELS: dict[str, str] = {
    "key_indicator_failure": "监督抽查主要特性指标不合格",
    "major_quality_accident": "重大质量事故",
    "major_safety_accident": "重大安全事故",
    "major_environmental_accident": "重大环境污染事故",
    "major_valid_complaint": "因企业责任导致的重大有效投诉",
}


class DistrictIncident(_Model):
    """An event that breaks 三(一)3 质量安全稳."""

    date: IsoDate = _req("日期", "date")
    type: DistrictIncidentType = _req("类型", "type", DISTRICT_INCIDENT_LABELS)
    description: StrictStr | None = _opt("说明", "description")


class IndustryIncident(_Model):
    """An event that breaks 三(二)4 质量安全稳."""

    date: IsoDate = _req("日期", "date")
    type: IndustryIncidentType = _req("类型", "type", INDUSTRY_INCIDENT_LABELS)
    description: StrictStr | None = _opt("说明", "description")


class EnterpriseIncident(_Model):
    """An event that breaks 三(三)3 生产经营诚."""

    date: IsoDate = _req("日期", "date")
    type: EnterpriseIncidentType = _req("类型", "type", ENTERPRISE_INCIDENT_LABELS)
    description: StrictStr | None = _opt("说明", "description")
