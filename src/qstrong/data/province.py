"""The province's view of its counties, as the province criteria read it.

One record per county (code, name, city) with the years it was assessed and, for each, whether
its county target passed — true, false, or null when the county's own verdict is unknown. The
province criteria (``criteria/province.yaml``) count these records; `qstrong.engine.province`
builds them from the county reports.
"""

# Annotations are objects here, not text (no `from __future__ import annotations`): pydantic
# would otherwise evaluate each field's from its text when the model is built, a compile
# per field at every start.
from pydantic import Field

from qstrong.data.indicators import Text, _empty_list, _Model, _opt, _req
from qstrong.data.values import Year

__all__ = ["CountyYear", "ProvinceCounty", "ProvinceView"]


class CountyYear(_Model):
    """One assessment year of a county."""

    year: Year = _req("评审年度", "assessment year (the year of the assessment date)")
    demonstration: bool | None = _opt(
        "达到县域目标（质量强县示范县候选）",
        "the county target passed that year (a candidate 质量强县示范县); null when unknown")


class ProvinceCounty(_Model):
    """A county of the province with its assessment years."""

    code: Text = _req("行政区划代码", "administrative division code")
    name: Text = _req("名称", "name")
    city: Text | None = _opt("所属设区市", "city")
    years: list[CountyYear] = Field(default_factory=_empty_list, title="各年度评定",
                                    description="the county's assessment years")


class ProvinceView(_Model):
    """Every county of a province bundle."""

    counties: list[ProvinceCounty] = Field(default_factory=_empty_list, title="县(市、区)",
                                           description="counties")
