"""Pydantic models of the whole dataset document, as the data dictionary defines it.

Every indicator is optional: absent or ``null`` means *missing* (the engine turns it into
``unknown``); an empty list means "none". Unknown fields are errors, values are exact
(`qstrong.data.values`), and models are frozen. Each field's ``title`` is its Chinese label and
its ``description`` a short English label; enum fields list their values' Chinese labels
under ``json_schema_extra["enum_labels"]``.
"""

# Annotations are objects here, not text (no `from __future__ import annotations`): pydantic
# would otherwise evaluate each field's from its text when the model is built, a compile
# per field at every start.
import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    Field,
    StrictBool,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from qstrong.core import codes
from qstrong.core.errors import Diagnostic
from qstrong.core.locations import Loc, loc_text
from qstrong.core.messages import Text as Words
from qstrong.core.messages import msg
from qstrong.core.vocab import COLLECTIONS, FOCUS_WORDS, ID_CUTOFF, suggest
from qstrong.data.identifiers import CountyCode, CreditCode
from qstrong.data.indicators import (
    BRAND_LEVEL_LABELS,
    DISTRICT_INCIDENT_LABELS,
    ENTERPRISE_INCIDENT_LABELS,
    INDUSTRY_INCIDENT_LABELS,
    LED_STANDARD_LEVEL_LABELS,
    STANDARD_KIND_LABELS,
    BaselineCurrent,
    BrandLevel,
    DistrictIncident,
    DistrictIncidentType,
    DistrictStandard,
    EnterpriseBrand,
    EnterpriseIncident,
    EnterpriseIncidentType,
    FoodSpotCheckRates,
    IndustryBrand,
    IndustryIncident,
    IndustryIncidentType,
    LedStandard,
    LedStandardLevel,
    RegionalBrand,
    SpecialEquipment,
    StandardKind,
    Text,
    _empty_dict,
    _empty_list,
    _Model,
    _opt,
    _req,
)
from qstrong.data.parsing import format_decimal, value_error
from qstrong.data.values import Amount, AmountMap, Count, IsoDate, Rank, Rate, RateYearMap

__all__ = [
    "BRAND_LEVEL_LABELS",
    "DISTRICT_INCIDENT_LABELS",
    "DISTRICT_KIND_LABELS",
    "ENTERPRISE_INCIDENT_LABELS",
    "ENTITY_KINDS",
    "INDUSTRY_INCIDENT_LABELS",
    "LED_STANDARD_LEVEL_LABELS",
    "SKIP_REFERENCE_CHECKS",
    "STANDARD_KIND_LABELS",
    "Assessment",
    "BaselineCurrent",
    "BrandLevel",
    "County",
    "Dataset",
    "District",
    "DistrictIncident",
    "DistrictIncidentType",
    "DistrictKind",
    "DistrictStandard",
    "Enterprise",
    "EnterpriseBrand",
    "EnterpriseIncident",
    "EnterpriseIncidentType",
    "FoodSpotCheckRates",
    "Industry",
    "IndustryBrand",
    "IndustryIncident",
    "IndustryIncidentType",
    "LedStandard",
    "LedStandardLevel",
    "ProvinceBenchmarks",
    "RegionalBrand",
    "SpecialEquipment",
    "StandardKind",
    "find_reference_problems",
]

ENTITY_KINDS: tuple[str, ...] = tuple(COLLECTIONS.values())
"""The dataset's entity lists, in document order."""

SKIP_REFERENCE_CHECKS = "qstrong_skip_reference_checks"
"""Validation-context key: `Dataset` then leaves id and reference checks to the caller."""

# ---------------------------------------------------------------------------- document head


def _exact_params(value: Any) -> Any:
    """Criteria parameter values with binary floats made exact (``Decimal(repr(x))``)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise value_error(msg("number.not_finite", value=value))
        return Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise value_error(msg("number.not_finite", value=value))
    if isinstance(value, Mapping):
        return {k: _exact_params(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_exact_params(v) for v in value]
    return value


def _json_params(value: Any) -> Any:
    """JSON-able parameter values: a Decimal becomes a JSON number when that is exact."""
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else format(value, "f")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _json_params(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_params(v) for v in value]
    return value


class Assessment(_Model):
    """The assessment the dataset is for."""

    date: IsoDate = _req("评审基准日", "assessment date (time windows count back from it)")
    criteria_params: dict[str, Any] = Field(
        default_factory=_empty_dict,
        title="评审参数",
        description="overrides of named criteria parameters (checked by the engine)",
    )

    @field_validator("criteria_params", mode="after")
    @classmethod
    def _exact(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {k: _exact_params(v) for k, v in value.items()}

    @field_serializer("criteria_params", when_used="json")
    def _dump_params(self, value: dict[str, Any]) -> dict[str, Any]:
        # A float is written only when its repr is exactly the Decimal, so reading the
        # JSON back (as a float, or with parse_float=Decimal) gives the same value.
        return {k: _json_params(v) for k, v in value.items()}


class County(_Model):
    """The county assessed."""

    code: CountyCode = _req("行政区划代码", "administrative division code (6 digits)")
    name: Text = _req("名称", "name")
    city: Text | None = _opt("所属设区市", "the city the county belongs to (the province "
                             "view groups counties by it; recommendations go county, city, "
                             "province)")


class ProvinceBenchmarks(_Model):
    """Province-wide reference values (全省平均水平 and the like)."""

    quality_loss_rate: Rate | None = _opt(
        "全省规上企业平均质量损失率", "province average quality loss rate of above-size enterprises"
    )
    spot_check_pass_rate: RateYearMap | None = _opt(
        "全省产品质量监督抽查合格率", "province product spot-check pass rate, per year"
    )
    unit_energy_consumption: AmountMap | None = _opt(
        "全省同类产品单位能耗", "province unit energy consumption, per product class"
    )


# ---------------------------------------------------------------------------- entities

DistrictKind = Literal[
    "development_zone", "industry_cluster_zone", "cluster_demo_zone", "agri_two_zones"
]
DISTRICT_KIND_LABELS: dict[str, str] = {
    "development_zone": "开发区(园区)",
    "industry_cluster_zone": "产业集聚区",
    "cluster_demo_zone": "产业集群示范区",
    "agri_two_zones": '农业"两区"',
}


def _no_benchmarks() -> ProvinceBenchmarks:
    """The default province reference values, none given (a function, for the reason of
    `qstrong.data.indicators._empty_list`: a model class's signature costs more to read)."""
    return ProvinceBenchmarks()


class District(_Model):
    """A 产品质量强区 candidate (三(一))."""

    id: Text = _req("编号", "id")
    name: Text = _req("名称", "name")
    kind: DistrictKind | None = _opt("类型", "kind", DISTRICT_KIND_LABELS)
    production_spot_check_pass_rate: RateYearMap | None = _opt(
        "生产环节产品质量监督抽查批次合格率",
        "production-stage spot-check batch pass rate, per year",
    )
    food_spot_check_pass_rate: FoodSpotCheckRates | None = _opt(
        "食品抽查合格率", "food spot-check pass rates"
    )
    drug_evaluation_pass_rate: Rate | None = _opt(
        "药品评价性抽验合格率", "drug evaluation sampling pass rate"
    )
    licensed_product_pass_rate: Rate | None = _opt(
        "涉及健康安全的生产许可产品监督抽查批次合格率",
        "spot-check pass rate of licensed health/safety products",
    )
    ccc_product_pass_rate: Rate | None = _opt(
        "涉及健康安全的强制认证产品监督抽查批次合格率",
        "spot-check pass rate of CCC-certified health/safety products",
    )
    standards: list[DistrictStandard] | None = _opt(
        "块状产业联盟标准、行业技术标准、行业质量诚信标准",
        "alliance, industry technical and industry integrity standards",
    )
    standard_adoption_rate: BaselineCurrent | None = _opt(
        "规上企业主导产品采标率", "standard adoption rate of above-size enterprises' main products"
    )
    quality_loss_rate: BaselineCurrent | None = _opt(
        "主要工业产品质量损失率", "quality loss rate of main industrial products"
    )
    agri_standardization_rate: Rate | None = _opt(
        "农业标准化生产普及率", "agricultural standardised production rate"
    )
    export_demo_zone: StrictBool | None = _opt(
        "已建立出口产品示范区", "export product demonstration zone established"
    )
    safety_responsibility_system: StrictBool | None = _opt(
        "质量安全责任体系健全", "quality safety responsibility system in place"
    )
    supervision_resources: StrictBool | None = _opt(
        "监管所需人力、物力、财力有效保障", "supervision staff, means and funds assured"
    )
    graded_supervision: StrictBool | None = _opt(
        "食品、3C及生产许可目录产品分级分类监管和风险监控",
        "graded supervision and risk monitoring of food, CCC and licensed products",
    )
    special_equipment: SpecialEquipment | None = _opt("特种设备", "special equipment")
    incidents: list[DistrictIncident] | None = _opt("事件", "incidents")


IndustryFocus = Literal["featured", "strategic_emerging", "manufacturing_upgrade"]
INDUSTRY_FOCUS_LABELS: dict[str, str] = dict(FOCUS_WORDS["zh"])
"""二(二)'s focus for 强业: emphasis shown in reports, not a pass/fail requirement."""


class Industry(_Model):
    """A 产品质量强业 candidate (三(二), 二(一)); its members are its above-size enterprises."""

    id: Text = _req("编号", "id")
    name: Text = _req("名称", "name")
    product_class: Text | None = _opt("产品类别", "product class (key of province unit energy)")
    total_output: Amount | None = _opt("产业总产值(万元)", "total output (10k CNY)")
    province_scale_rank: Rank | None = _opt("产业规模全省排名", "province rank by scale")
    province_scale_rank_source: Text | None = _opt(
        "产业规模排名依据", "source of the province ranking (who ranked, by what, which year)"
    )
    industrial_policy_compliant: StrictBool | None = _opt(
        "符合转型升级和国家产业政策要求", "complies with upgrading and national industrial policy"
    )
    local_policy_opinion: StrictBool | None = _opt(
        "当地政府有促进产业质量建设的政策意见", "local government policy on industry quality"
    )
    association_established: StrictBool | None = _opt(
        "已建立行业协会", "industry association established"
    )
    association_active: StrictBool | None = _opt(
        "行业协会在规范同质竞争、维护行业整体利益等方面发挥积极作用",
        "industry association plays an active role",
    )
    integrity_code_in_alliance_standard: StrictBool | None = _opt(
        "制定行业质量诚信守则并纳入联盟标准", "integrity code written into the alliance standard"
    )
    quality_culture: StrictBool | None = _opt("建立行业质量文化", "industry quality culture")
    unit_energy_consumption: Amount | None = _opt(
        "单位能耗", "unit energy consumption (unit of its class's province benchmark)"
    )
    key_energy_unit_metering_rate: Rate | None = _opt(
        "千吨以上重点用能单位能源计量器具配备达标率",
        "energy metering compliance rate of key energy users (1000 tce+)",
    )
    has_block_standard: StrictBool | None = _opt(
        "块状产业已有相应标准", "the block industry already has a standard"
    )
    alliance_standard_established: StrictBool | None = _opt(
        "已制定行业协会标准或企业联盟标准", "association or alliance standard established"
    )
    led_standards: list[LedStandard] | None = _opt("为主制订的标准", "standards it led")
    brands: list[IndustryBrand] | None = _opt("名牌、著名商标等品牌", "brands")
    has_regional_brand: StrictBool | None = _opt(
        "已获区域名牌", "has a regional brand (absent: not reported)"
    )
    regional_brand: RegionalBrand | None = _opt("区域名牌", "regional brand")
    focus: list[IndustryFocus] | None = _opt(
        "建设重点（二(二)）", "focus: which kinds of priority industry it is (section 2.2)",
        INDUSTRY_FOCUS_LABELS,
    )
    public_service_platform: StrictBool | None = _opt(
        "有配套的质量技术公共服务平台", "quality technology public service platform"
    )
    responsibilities_fulfilled: StrictBool | None = _opt(
        "企业质量安全主体责任、部门监管责任落实",
        "enterprise and supervisory responsibilities fulfilled",
    )
    spot_check_pass_rate: RateYearMap | None = _opt(
        "产品质量监督抽查合格率", "product spot-check pass rate, per year"
    )
    incidents: list[IndustryIncident] | None = _opt("事件", "incidents")

    @model_validator(mode="before")
    @classmethod
    def _brand_reported(cls, data: Any) -> Any:
        """A regional brand given means one is held; one given beside ``false`` is a
        contradiction, refused rather than guessed."""
        if not isinstance(data, Mapping) or data.get("regional_brand") is None:
            return data
        held = data.get("has_regional_brand")
        if held is None:
            return {**data, "has_regional_brand": True}
        if held is False:
            raise PydanticCustomError("qstrong_regional_brand", "{text}",
                                      {"text": msg("brand.contradiction")})
        return data


class Enterprise(_Model):
    """A 产品质量强企 candidate (三(三), 二(一)), or an above-size member of an industry."""

    id: Text = _req("编号", "id")
    name: Text = _req("名称", "name")
    credit_code: CreditCode | None = _opt("统一社会信用代码", "unified social credit code")
    industry: Text | None = _opt("所属产业", "industry id")
    above_designated_size: StrictBool | None = _opt("规模以上企业", "above designated size")
    candidate: StrictBool = Field(
        True, title="开展质量强企建设（强企候选）",
        description="takes part in quality-strong enterprise building (a candidate); "
                    "false: listed only as an industry member, not rated",
    )
    advanced_qm: StrictBool | None = _opt(
        "导入并实施先进有效的质量管理方式/模式", "advanced quality management adopted"
    )
    qm_organization: StrictBool | None = _opt("有健全的质量管理机构", "quality management body")
    quality_reward_system: StrictBool | None = _opt("有质量奖惩制度", "quality reward system")
    gm_quality_award: StrictBool | None = _opt(
        "设立并实施总经理质量奖", "general manager's quality award"
    )
    key_post_assessment: StrictBool | None = _opt(
        "实施关键岗位质量考核", "key post quality assessment"
    )
    certified_quality_engineers: StrictBool | None = _opt(
        "质量工程师持证上岗", "certified quality engineers"
    )
    quality_activities: StrictBool | None = _opt(
        "开展质量管理小组、质量攻关、质量培训等活动", "QC circles, quality projects and training"
    )
    quality_loss_tracked: StrictBool | None = _opt(
        "有效开展质量损失率统计", "quality loss rate tracked"
    )
    quality_loss_rate: Rate | None = _opt("质量损失率", "quality loss rate")
    high_tech_content: StrictBool | None = _opt(
        "主导产品具有较高的科技含量", "main products have high technology content"
    )
    own_ip: StrictBool | None = _opt("具有自主知识产权", "own intellectual property")
    innovation_to_standards: StrictBool | None = _opt(
        "将自主创新成果转化为技术标准", "innovations turned into technical standards"
    )
    standards_participation: Count | None = _opt(
        "参与各级标准制修订的数量", "standards drafted or revised with its participation"
    )
    adopts_standards: StrictBool | None = _opt(
        "主导产品采用国际标准或国外先进标准", "main products adopt international standards"
    )
    implements_alliance_standard: StrictBool | None = _opt(
        "实施联盟标准", "implements the alliance standard"
    )
    brands: list[EnterpriseBrand] | None = _opt("名牌、著名商标等品牌", "brands")
    brand_market_share_rank: Rank | None = _opt(
        "品牌产品市场份额全省同行业排名", "province rank of brand market share in its trade"
    )
    lawful_operation: StrictBool | None = _opt("依法组织生产经营", "lawful operation")
    qc_department: StrictBool | None = _opt("有专门的质检机构", "quality inspection department")
    factory_inspection: StrictBool | None = _opt(
        "自觉履行产品出厂检验义务", "ex-factory inspection performed"
    )
    after_sales_system: StrictBool | None = _opt("有完善的售后服务体系", "after-sales service")
    good_credit: StrictBool | None = _opt(
        "具有良好的质量信用和社会信誉", "good quality credit and reputation"
    )
    requires_license: StrictBool | None = _opt("涉及市场准入", "subject to market access licence")
    licensed: StrictBool | None = _opt("持证生产", "produces under licence")
    energy_saving_target_met: StrictBool | None = _opt(
        "综合运用节能手段，实现节能降耗目标", "energy-saving target met"
    )
    high_consumption_pollution: StrictBool | None = _opt(
        "属高耗能、高排放、高污染产品生产企业", "high energy use, emission or pollution producer"
    )
    leading_role: StrictBool | None = _opt("龙头带动作用明显", "clear leading role")
    incidents: list[EnterpriseIncident] | None = _opt("事件", "incidents")


# ---------------------------------------------------------------------------- dataset


def find_reference_problems(
    ids: Mapping[str, Sequence[str | None]],
    enterprise_industries: Sequence[str | None],
) -> list[tuple[Loc, Words, tuple[Loc, ...]]]:
    """Duplicate ids within a kind, and enterprises naming an industry that is not there.

    Args:
        ids: entity kind (``districts`` …) → each item's id, or None where unreadable.
        enterprise_industries: each enterprise's ``industry``, or None.

    Returns:
        ``(location, message, related locations)``; a location such as
        ``("enterprises", 5, "id")``; for a duplicate id, the entity that has it first.

    Examples:
        >>> find_reference_problems({"industries": ["I1", "I1"]}, ["X1"])[0]
        (('industries', 1, 'id'), msg('id.duplicate', {'id': 'I1'}), (('industries', 0),))
    """
    problems: list[tuple[Loc, Words, tuple[Loc, ...]]] = []
    for kind, kind_ids in ids.items():
        first: dict[str, int] = {}
        for index, item_id in enumerate(kind_ids):
            if item_id is None:
                continue
            if item_id in first:
                problems.append(((kind, index, "id"), msg("id.duplicate", id=item_id),
                                 ((kind, first[item_id]),)))
            else:
                first[item_id] = index
    industry_ids = [i for i in ids.get("industries", ()) if i is not None]
    known = set(industry_ids)
    for index, ref in enumerate(enterprise_industries):
        if ref is None or ref in known:
            continue
        close = suggest(ref, industry_ids, ID_CUTOFF)
        if close:
            message = msg("id.no_industry_close", id=ref, hint=close)
        elif not industry_ids:
            message = msg("id.no_industry_none", id=ref)
        else:
            message = msg("id.no_industry", id=ref)
        problems.append((("enterprises", index, "industry"), message, ()))
    return problems


class Dataset(_Model):
    """One county's data for one assessment."""

    assessment: Assessment = _req("评审", "assessment")
    county: County = _req("县(市、区)", "county")
    province_benchmarks: ProvinceBenchmarks = Field(
        default_factory=_no_benchmarks,
        title="全省平均水平等参照值",
        description="province-wide reference values",
    )
    districts: list[District] = Field(
        default_factory=_empty_list, title="产品质量强区",
        description="quality-strong district candidates",
    )
    industries: list[Industry] = Field(
        default_factory=_empty_list, title="产品质量强业",
        description="quality-strong industry candidates",
    )
    enterprises: list[Enterprise] = Field(
        default_factory=_empty_list,
        title="产品质量强企",
        description="quality-strong enterprise candidates and members of candidate industries",
    )

    @field_validator("province_benchmarks", mode="before")
    @classmethod
    def _null_benchmarks(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("districts", "industries", "enterprises", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> "Dataset":
        context = info.context if isinstance(info.context, Mapping) else {}
        if context.get(SKIP_REFERENCE_CHECKS):
            return self
        problems = find_reference_problems(
            {
                "districts": [d.id for d in self.districts],
                "industries": [i.id for i in self.industries],
                "enterprises": [e.id for e in self.enterprises],
            },
            [e.industry for e in self.enterprises],
        )
        future = self.future_incidents()
        if problems or future:
            raise PydanticCustomError(
                "qstrong_references",
                "; ".join([
                    *(f"{loc_text(loc)}: "
                      f"{Diagnostic(codes.DATA_VALUE, text, related=related).detail()}"
                      for loc, text, related in problems),
                    *(f"{loc_text(loc)}: {text}" for loc, text in future)]),
            )
        return self

    def future_incidents(self) -> list[tuple[Loc, Words]]:
        """Incidents dated after the assessment date: a typing slip (2041 for 2014) that the
        windows would silently leave out, so the data are refused instead."""
        out: list[tuple[Loc, Words]] = []
        day = self.assessment.date
        for kind in ENTITY_KINDS:
            for i, entity in enumerate(getattr(self, kind)):
                for j, incident in enumerate(entity.incidents or []):
                    if incident.date > day:
                        out.append(((kind, i, "incidents", j, "date"),
                                    msg("incident.future", date=incident.date.isoformat(),
                                        day=day.isoformat())))
        return out

    def warnings(self) -> list[tuple[str, Loc, Words]]:
        """What looks wrong but may be right, for every report to show (code, place, words):
        an incident listed twice (each copy would count), and a column of quality loss rates
        that all lie at or below 1 while the province's lies above (fractions for %?)."""
        out: list[tuple[str, Loc, Words]] = []
        for kind in ENTITY_KINDS:
            for i, entity in enumerate(getattr(self, kind)):
                incidents = entity.incidents
                if incidents is None or len(incidents) < 2:
                    continue  # nothing listed twice
                seen: dict[tuple[object, ...], int] = {}
                for j, incident in enumerate(incidents):
                    key = (incident.date, incident.type, incident.description)
                    if key in seen:
                        out.append((codes.DUPLICATE_INCIDENT, (kind, i, "incidents", j),
                                    msg("incident.twice", date=incident.date.isoformat(),
                                        type=incident.type, first=seen[key])))
                    else:
                        seen[key] = j
        province = self.province_benchmarks.quality_loss_rate
        rates = [e.quality_loss_rate for e in self.enterprises if e.quality_loss_rate is not None]
        if province is not None and province > 1 and len(rates) >= 3 and all(
                r <= 1 for r in rates):
            out.append((codes.FRACTION_COLUMN, ("enterprises",),
                        msg("loss_rate.fractions", province=format_decimal(province))))
        return out

    def district(self, entity_id: str) -> District | None:
        """The district with this id, or None."""
        return next((d for d in self.districts if d.id == entity_id), None)

    def industry(self, entity_id: str) -> Industry | None:
        """The industry with this id, or None."""
        return next((i for i in self.industries if i.id == entity_id), None)

    def enterprise(self, entity_id: str) -> Enterprise | None:
        """The enterprise with this id, or None."""
        return next((e for e in self.enterprises if e.id == entity_id), None)
