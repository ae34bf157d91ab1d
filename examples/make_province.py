"""Write the province example, ``examples/province/``: 8 counties in 3 cities, 2012 to 2015.

Every county-year is the all-pass example ``examples/county.yaml`` moved to its county and
year (its year columns, dates and incidents shifted with the assessment date), with one change
that decides its county target: all strong; one 强区 short (the county target fails); or one
强区's drug evaluation rate missing (the county target is unknown). The plan of who reaches the
target when is the table `PLAN` below: some counties early, some late, one that loses it, one
that never does, one with missing data. The output is the same bytes on every run
(``tests/test_province.py`` checks the committed files against it).

Run: ``python examples/make_province.py`` (from the repository root).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
BASE = HERE / "county.yaml"
OUT = HERE / "province"
BASE_YEAR = 2014
YEARS = (2012, 2013, 2014, 2015)

COUNTIES = (  # code, name, city, folder
    ("330681", "诸暨市", "绍兴市", "shaoxing"),
    ("330604", "上虞区", "绍兴市", "shaoxing"),
    ("330683", "嵊州市", "绍兴市", "shaoxing"),
    ("330782", "义乌市", "金华市", "jinhua"),
    ("330783", "东阳市", "金华市", "jinhua"),
    ("330784", "永康市", "金华市", "jinhua"),
    ("331081", "温岭市", "台州市", "taizhou"),
    ("331082", "临海市", "台州市", "taizhou"),
)

# Each county's state per year: P all strong, S one 强区 short (fails), U a 强区's datum missing.
PLAN = {
    "330681": "PPPP",   # early, and stays
    "330604": "SPPP",   # from 2013
    "330683": "SSPP",   # from 2014
    "330782": "SSSP",   # only in 2015
    "330783": "SPSP",   # reaches it, loses it, regains it
    "330784": "SSSS",   # never
    "331081": "SSSU",   # never yet; its 2015 data incomplete
    "331082": "SSPS",   # once, in 2014
}


def _shift(value: Any, years: int) -> Any:
    """Year keys, dates and incident dates moved by ``years``; everything else as it is."""
    if isinstance(value, dict):
        return {(k + years if isinstance(k, int) and 1990 <= k <= 2100 else k): _shift(v, years)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, years) for v in value]
    if isinstance(value, dt.date):
        return value.replace(year=value.year + years)
    return value


def _rename(value: Any, old: str, new: str) -> Any:
    """Names that carry the county's name (诸暨市…有限公司) renamed for the county."""
    if isinstance(value, dict):
        return {k: _rename(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, old, new) for v in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


def county_year(base: dict[str, Any], code: str, name: str, city: str, year: int,
                state: str) -> dict[str, Any]:
    """One county's dataset for one year."""
    data = _rename(_shift(copy.deepcopy(base), year - BASE_YEAR), base["county"]["name"], name)
    data["county"] = {"code": code, "name": name, "city": city}
    d2 = data["districts"][1]
    if state == "S":
        d2["drug_evaluation_pass_rate"] = 92.5      # below 96%: one strong district short
    elif state == "U":
        d2["drug_evaluation_pass_rate"] = None      # not reported: the county target unknown
    return data


REVIEW_2014 = """\
# 2014 年度示范单位审核记录（示例）：县推荐、市审定、省授予。
# The 2014 review record (example): county recommends, city approves, province awards.
year: 2014
decisions:
  # 诸暨市的两家强企：县推荐、市审定、省授予
  - {county: "330681", kind: enterprise, id: E01, level: county, decision: 推荐, date: 2014-11-20, by: 诸暨市质监局}
  - {county: "330681", kind: enterprise, id: E01, level: city, decision: 审定, date: 2014-11-28, by: 绍兴市质监局}
  - {county: "330681", kind: enterprise, id: E01, level: province, decision: 授予, date: 2014-12-15, by: 省质量强省工作领导小组办公室}
  - {county: "330681", kind: district, id: D1, level: county, decision: 推荐, date: 2014-11-20, by: 诸暨市质监局}
  - {county: "330681", kind: district, id: D1, level: city, decision: 审定, date: 2014-11-28, by: 绍兴市质监局}
  - {county: "330681", kind: district, id: D1, level: province, decision: 授予, date: 2014-12-15, by: 省质量强省工作领导小组办公室}
  # 东阳市推荐了当年未评定为强的强区 D2，且没有写理由：报告会标出
  - {county: "330783", kind: district, id: D2, level: county, decision: 推荐, date: 2014-11-21, by: 东阳市质监局}
"""


def write(out: Path = OUT) -> list[Path]:
    """Write every county-year file; returns the paths written."""
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    written = []
    for code, name, city, folder in COUNTIES:
        for year, state in zip(YEARS, PLAN[code], strict=True):
            path = out / folder / f"{code}-{year}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            head = (f"# {city}{name} {year} 年度评审数据（示例，由 examples/make_province.py "
                    f"生成）\n# {name}, {city}: the {year} assessment (generated example)\n")
            body = yaml.safe_dump(county_year(base, code, name, city, year, state),
                                  allow_unicode=True, sort_keys=False, width=100)
            path.write_text(head + body, encoding="utf-8")
            written.append(path)
    review = out / "review-2014.yaml"
    review.write_text(REVIEW_2014, encoding="utf-8")
    written.append(review)
    return written


if __name__ == "__main__":
    for p in write():
        print(p.relative_to(HERE.parent))
