"""Benchmark qstrong against a hand-written evaluator of the same rules, and cross-check them.

Usage::

    python benchmarks/bench.py --n 1000 [--repeat 5] [--seed 20141101] [--json]

One run:

1. generates N synthetic candidates (seeded ``random.Random``: districts, industries with
   above-size member enterprises, and enterprises; realistic ranges, some missing fields,
   some incidents) as one dataset mapping;
2. times ``qstrong.load_dataset`` on that mapping (validation into a `Dataset`);
3. times ``qstrong.engine.evaluate`` (verdicts plus the full explanation tree) with the packaged
   criteria, loaded once outside the timing;
4. times `handwritten_evaluate`, plain Python written straight from the plan (same
   thresholds, same three-valued logic, no explanations), on the same `Dataset`;
5. compares every candidate's verdict and every top-level clause status of the two; any
   disagreement is printed and the script exits 1 (a cross-check of the engine);
6. times a full evaluation of ``examples/county.yaml`` when that file exists (and
   cross-checks its verdicts the same way).

Times are the best of ``--repeat`` runs of ``time.perf_counter``. Targets (see README):
the example county evaluates in under 100 ms once the criteria are loaded, and qstrong's
per-candidate cost is at most 5x the hand-written function's.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import platform
import random
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import qstrong
from qstrong.data.identifiers import CREDIT_CODE_CHARSET, credit_code_check_char
from qstrong.data.models import Dataset

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county.yaml"
ASSESSMENT_DATE = "2014-11-01"
TARGET_EXAMPLE_MS = 100.0
TARGET_RATIO = 5.0

# ---------------------------------------------------------------------------- data generator

PRODUCT_CLASSES = {"袜子": "0.52", "珍珠": "0.31", "五金": "1.20", "纺织": "0.85", "家具": "0.64"}
DISTRICT_KINDS = ("development_zone", "industry_cluster_zone", "cluster_demo_zone",
                  "agri_two_zones")
DISTRICT_INCIDENTS = ("regional_quality_safety", "industry_quality_safety",
                      "major_quality_safety", "major_special_equipment", "export_serious_adverse")
INDUSTRY_INCIDENTS = ("industry_quality_problem", "major_quality_safety",
                      "major_special_equipment")
ENTERPRISE_INCIDENTS = ("key_indicator_failure", "major_quality_accident",
                        "major_safety_accident", "major_environmental_accident",
                        "major_valid_complaint")
BRAND_LEVELS = ("municipal", "provincial", "national", "international")
LED_LEVELS = ("international", "national", "industry", "local", "association")


class _Gen:
    """Seeded values: each entity is 'good' (most indicators meet the bound) or not."""

    def __init__(self, seed: int, missing: float) -> None:
        self.r = random.Random(seed)
        self.missing = missing

    def gone(self) -> bool:
        return self.r.random() < self.missing

    def put(self, out: dict[str, Any], key: str, make: Callable[[], Any]) -> None:
        """Set ``out[key]``, except for a few missing values (absent, sometimes null)."""
        if self.gone():
            if self.r.random() < 0.3:
                out[key] = None
            return
        out[key] = make()

    def rate(self, bound: float, good: bool, spread: float = 4.0) -> Any:
        """A rate near ``bound``; usually above it when good. Written in the accepted forms."""
        r = self.r
        if good and r.random() < 0.95:
            value = bound + r.random() * min(spread, 100 - bound)
        else:
            value = max(0.0, bound - spread + r.random() * spread * 1.5)
        value = round(min(value, 100.0), 2)
        form = r.random()
        if form < 0.1:
            total = r.randint(150, 400)
            return {"passed": min(total, round(total * value / 100)), "total": total}
        if form < 0.25:
            return f"{value}%"
        return value

    def full_rate(self, good: bool) -> Any:
        """A rate that must reach 100%."""
        if good and self.r.random() < 0.97:
            return 100
        return round(96 + self.r.random() * 4, 1)

    def flag(self, good: bool, p_good: float = 0.985, p_bad: float = 0.6) -> bool:
        return self.r.random() < (p_good if good else p_bad)

    def year_rates(self, bound: float, good: bool, strict: bool = False) -> dict[int, Any]:
        out: dict[int, Any] = {}
        for year in (2011, 2012, 2013, 2014):
            if year >= 2013 and self.gone():
                continue
            out[year] = self.rate(bound + (0.5 if strict else 0.0), good, 3.0)
        return out

    def day(self) -> str:
        start = _dt.date(2010, 1, 1).toordinal()
        end = _dt.date(2014, 11, 1).toordinal()
        return _dt.date.fromordinal(self.r.randint(start, end)).isoformat()

    def incidents(self, types: tuple[str, ...], good: bool) -> list[dict[str, Any]]:
        count = self.r.choices((0, 1, 2), (0.8, 0.15, 0.05) if good else (0.5, 0.3, 0.2))[0]
        out = []
        for _ in range(count):
            item = {"date": self.day(), "type": self.r.choice(types)}
            if self.r.random() < 0.5:
                item["description"] = "抽查发现问题"
            out.append(item)
        return out

    def credit_code(self) -> str:
        body = "91" + "330681" + "".join(self.r.choice(CREDIT_CODE_CHARSET) for _ in range(9))
        return body + credit_code_check_char(body)


def _district(g: _Gen, i: int) -> dict[str, Any]:
    r = g.r
    good = r.random() < 0.6
    d: dict[str, Any] = {"id": f"D{i}", "name": f"第{i}产业园区"}
    g.put(d, "kind", lambda: r.choice(DISTRICT_KINDS))
    g.put(d, "production_spot_check_pass_rate", lambda: g.year_rates(93.5, good))
    food: dict[str, Any] = {}
    for key, bound in (("planting_breeding", 96), ("processing", 94), ("circulation", 91),
                       ("catering", 91)):
        g.put(food, key, partial(g.rate, bound, good))
    g.put(d, "food_spot_check_pass_rate", lambda: food)
    g.put(d, "drug_evaluation_pass_rate", lambda: g.rate(96, good))
    g.put(d, "licensed_product_pass_rate", lambda: g.rate(95, good))
    g.put(d, "ccc_product_pass_rate", lambda: g.rate(94, good))

    def standards() -> list[dict[str, Any]]:
        out = []
        for j in range(r.randint(0 if not good else 1, 3)):
            s: dict[str, Any] = {"name": f"标准{i}-{j}"}
            g.put(s, "kind", lambda: r.choice(("alliance", "industry_technical",
                                               "industry_integrity")))
            g.put(s, "implemented", lambda: g.flag(good, 0.9, 0.5))
            out.append(s)
        return out

    g.put(d, "standards", standards)

    def adoption() -> dict[str, Any]:
        base = round(40 + r.random() * 30, 1)
        rise = round(r.uniform(4.5, 12) if good else r.uniform(0, 7), 1)
        return {"baseline": base, "current": min(100.0, round(base + rise, 1))}

    g.put(d, "standard_adoption_rate", adoption)

    def loss() -> dict[str, Any]:
        base = round(1 + r.random() * 2, 2)
        drop = r.uniform(0.18, 0.5) if good else r.uniform(-0.05, 0.25)
        return {"baseline": base, "current": round(base * (1 - drop), 2)}

    g.put(d, "quality_loss_rate", loss)
    g.put(d, "agri_standardization_rate", lambda: g.rate(60, good, 10))
    for key in ("export_demo_zone", "safety_responsibility_system", "supervision_resources",
                "graded_supervision"):
        g.put(d, key, lambda: g.flag(good))
    equipment: dict[str, Any] = {}
    for key in ("registration_rate", "inspection_rate", "certified_operator_rate",
                "hazard_rectification_rate"):
        g.put(equipment, key, lambda: g.full_rate(good))
    g.put(d, "special_equipment", lambda: equipment)
    g.put(d, "incidents", lambda: g.incidents(DISTRICT_INCIDENTS, good))
    return d


def _industry(g: _Gen, i: int, good: bool) -> dict[str, Any]:
    r = g.r
    d: dict[str, Any] = {"id": f"I{i}", "name": f"第{i}特色产业"}
    product = r.choice(sorted(PRODUCT_CLASSES))
    g.put(d, "product_class", lambda: product)
    output = r.randint(50_000, 2_000_000)
    g.put(d, "total_output", lambda: output)
    g.put(d, "province_scale_rank", lambda: r.randint(1, 12) if good else r.randint(1, 40))
    for key in ("industrial_policy_compliant", "local_policy_opinion", "association_established",
                "association_active", "integrity_code_in_alliance_standard", "quality_culture",
                "alliance_standard_established", "public_service_platform",
                "responsibilities_fulfilled"):
        g.put(d, key, lambda: g.flag(good))
    bench = Decimal(PRODUCT_CLASSES[product])
    g.put(d, "unit_energy_consumption",
          lambda: str(round(bench * Decimal(str(round(r.uniform(0.8, 1.02) if good
                                                     else r.uniform(0.9, 1.2), 3))), 4)))
    g.put(d, "key_energy_unit_metering_rate", lambda: g.rate(95, good))
    g.put(d, "has_block_standard", lambda: r.random() < 0.5)

    def led() -> list[dict[str, Any]]:
        out = []
        for j in range(r.randint(1 if good else 0, 3)):
            s: dict[str, Any] = {"name": f"行业标准{i}-{j}"}
            g.put(s, "level", lambda: r.choice(LED_LEVELS[:3] if good else LED_LEVELS))
            out.append(s)
        return out

    g.put(d, "led_standards", led)

    def brands() -> list[dict[str, Any]]:
        out = []
        n = r.randint(4, 7) if good else r.randint(0, 5)
        for j in range(n):
            b: dict[str, Any] = {"name": f"品牌{i}-{j}", "kind": "著名商标"}
            g.put(b, "level", lambda: r.choice(BRAND_LEVELS[1:] if good else BRAND_LEVELS))
            share = r.uniform(0.06, 0.15) if good else r.uniform(0.0, 0.1)
            g.put(b, "sales", partial(round, output * share, 1))
            out.append(b)
        return out

    g.put(d, "brands", brands)
    if r.random() < 0.4:
        share = r.uniform(0.38, 0.7) if good else r.uniform(0.2, 0.5)
        brand: dict[str, Any] = {"name": f"区域名牌{i}"}
        g.put(brand, "user_output", lambda: round(output * share))
        d["regional_brand"] = brand
    g.put(d, "spot_check_pass_rate", lambda: g.year_rates(90.3, good, strict=True))
    g.put(d, "incidents", lambda: g.incidents(INDUSTRY_INCIDENTS, good))
    return d


def _enterprise(g: _Gen, i: int, industry: str | None, above: bool | None,
                good_bias: float = 0.5) -> dict[str, Any]:
    r = g.r
    good = r.random() < good_bias
    e: dict[str, Any] = {"id": f"E{i}", "name": f"第{i}企业有限公司"}
    if r.random() < 0.5:
        e["credit_code"] = g.credit_code()
    if industry is not None:
        e["industry"] = industry
    if above is not None:
        e["above_designated_size"] = above
    for key in ("advanced_qm", "qm_organization", "quality_reward_system", "gm_quality_award",
                "key_post_assessment", "certified_quality_engineers", "quality_activities",
                "quality_loss_tracked", "high_tech_content", "own_ip", "innovation_to_standards",
                "adopts_standards", "implements_alliance_standard", "lawful_operation",
                "qc_department", "factory_inspection", "after_sales_system", "good_credit",
                "energy_saving_target_met", "leading_role"):
        g.put(e, key, lambda: g.flag(good))
    g.put(e, "quality_loss_rate", lambda: round(r.uniform(0.8, 2.2 if good else 2.6), 2))
    g.put(e, "standards_participation", lambda: r.randint(1, 6) if good else r.randint(0, 3))

    def brands() -> list[dict[str, Any]]:
        out = []
        for j in range(r.randint(1 if good else 0, 3)):
            b: dict[str, Any] = {"name": f"企业品牌{i}-{j}", "kind": "名牌产品"}
            g.put(b, "level", lambda: r.choice(BRAND_LEVELS[1:] if good else BRAND_LEVELS))
            out.append(b)
        return out

    g.put(e, "brands", brands)
    g.put(e, "brand_market_share_rank", lambda: r.randint(1, 4) if good else r.randint(1, 20))
    licensed = r.random() < 0.5
    g.put(e, "requires_license", lambda: licensed)
    g.put(e, "licensed", lambda: licensed and g.flag(good, 0.995, 0.95))
    g.put(e, "high_consumption_pollution", lambda: not g.flag(good, 0.97, 0.8))
    g.put(e, "incidents", lambda: g.incidents(ENTERPRISE_INCIDENTS, good))
    return e


def generate(n: int, seed: int = 20141101, missing: float = 0.02) -> dict[str, Any]:
    """A dataset mapping with ``n`` candidates in all (about 5% districts, 5% industries).

    About 60% of the enterprises belong to an industry; most of those are above-size
    members (a few have ``above_designated_size`` missing, which makes their industry's
    shares unknown).
    """
    n_districts = max(1, n // 20)
    n_industries = max(1, n // 20)
    return generate_counts(n_districts, n_industries, max(1, n - n_districts - n_industries),
                           seed, missing)


def generate_counts(n_districts: int, n_industries: int, n_enterprises: int,
                    seed: int = 20141101, missing: float = 0.02) -> dict[str, Any]:
    """`generate` with the number of each kind given (a province: 1 000, 1 000, 100 000)."""
    g = _Gen(seed, missing)
    districts = [_district(g, i + 1) for i in range(n_districts)]
    good_industries = [g.r.random() < 0.6 for _ in range(n_industries)]
    industries = [_industry(g, i + 1, good) for i, good in enumerate(good_industries)]
    enterprises = []
    for i in range(n_enterprises):
        bias = 0.55
        if g.r.random() < 0.6:
            which = g.r.randint(1, n_industries)
            industry: str | None = f"I{which}"
            bias = 0.85 if good_industries[which - 1] else 0.45
            roll = g.r.random()
            above: bool | None = None if roll < 0.003 else roll < 0.85
        else:
            industry, above = None, g.r.random() < 0.7
        enterprises.append(_enterprise(g, i + 1, industry, above, bias))
    return {
        "assessment": {"date": ASSESSMENT_DATE},
        "county": {"code": "330681", "name": "示例县"},
        "province_benchmarks": {
            "quality_loss_rate": 1.8,
            "spot_check_pass_rate": {2012: 89.1, 2013: 89.6, 2014: 90.3},
            "unit_energy_consumption": dict(PRODUCT_CLASSES),
        },
        "districts": districts,
        "industries": industries,
        "enterprises": enterprises,
    }


# ---------------------------------------------------------------------------- hand-written rules
#
# Three-valued logic with Python values: True (pass), False (fail), None (unknown). A
# clause that does not apply is "na" and counts as passing in its parent.

PASS, FAIL, UNKNOWN, NA = "pass", "fail", "unknown", "not_applicable"
DEFAULT_PARAMS = {
    "stable_years": Fraction(2),
    "quality_loss_drop": Fraction(20),
    "district_incident_window_years": Fraction(2),
    "scale_rank_top": Fraction(10),
    "min_standards_participation": Fraction(1),
    "market_lead_rank": Fraction(3),
    "earliest_baseline_year": Fraction(2012),
}


def _all(values: Iterable[bool | None]) -> bool | None:
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def _any(values: Iterable[bool | None]) -> bool | None:
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _not(a: bool | None) -> bool | None:
    return None if a is None else not a


def _ge(x: Any, bound: Any) -> bool | None:
    return None if x is None or bound is None else x >= bound


def _gt(x: Any, bound: Any) -> bool | None:
    return None if x is None or bound is None else x > bound


def _lt(x: Any, bound: Any) -> bool | None:
    return None if x is None or bound is None else x < bound


def _le(x: Any, bound: Any) -> bool | None:
    return None if x is None or bound is None else x <= bound


def _share_at_least(truths: list[bool | None], percent: Fraction) -> bool | None:
    """share(members where ...) >= percent, with unknown members giving bounds."""
    if not truths:
        return None  # no members: the share cannot be computed
    yes = sum(1 for t in truths if t is True)
    maybe = sum(1 for t in truths if t is None)
    if Fraction(yes * 100, len(truths)) >= percent:
        return True
    if Fraction((yes + maybe) * 100, len(truths)) < percent:
        return False
    return None


def _share_uncertain(items: list[tuple[bool | None, bool]], percent: Fraction) -> bool | None:
    """share(...) >= percent over members some of which may not belong (``sure`` False):
    the smallest share counts every uncertain member that does not pass as in and every
    one that passes as out (unknowns as fails), the largest the other way round; a
    population with no sure member may be empty, so its share is unknown."""
    sure = [t for t, certain in items if certain]
    maybe = [t for t, certain in items if not certain]
    if not sure:
        return None
    low_in = sure + [t for t in maybe if t is not True]
    high_in = sure + [t for t in maybe if t is not False]
    low = Fraction(sum(1 for t in low_in if t is True) * 100, len(low_in))
    high = Fraction(sum(1 for t in high_in if t is not False) * 100, len(high_in))
    if low >= percent:
        return True
    if high < percent:
        return False
    return None


def _count_at_least(truths: list[bool | None], k: int) -> bool | None:
    yes = sum(1 for t in truths if t is True)
    maybe = sum(1 for t in truths if t is None)
    if yes >= k:
        return True
    if yes + maybe < k:
        return False
    return None


def _years_back(date: _dt.date, years: int) -> _dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def _none_within(incidents: list[Any] | None, date: _dt.date, years: int,
                 types: frozenset[str]) -> bool | None:
    if incidents is None:
        return None
    start = _years_back(date, years)
    return not any(start <= i.date <= date and i.type in types for i in incidents)


def _status(truth: bool | None) -> str:
    return PASS if truth is True else FAIL if truth is False else UNKNOWN


def _verdict(statuses: list[str]) -> str:
    return _status(_all(None if s == UNKNOWN else s != FAIL for s in statuses))


def _district_clauses(d: Any, date: _dt.date, p: Mapping[str, Fraction]) -> list[str]:
    years = range(date.year - int(p["stable_years"]) + 1, date.year + 1)
    prod = d.production_spot_check_pass_rate
    food = d.food_spot_check_pass_rate

    def f(name: str) -> Any:
        return None if food is None else getattr(food, name)

    c1 = _all([
        None if prod is None else _all(_ge(prod.get(y), Fraction("93.5")) for y in years),
        _ge(f("planting_breeding"), 96),
        _ge(f("processing"), 94),
        _ge(f("circulation"), 91),
        _ge(f("catering"), 91),
        _ge(d.drug_evaluation_pass_rate, 96),
        _ge(d.licensed_product_pass_rate, 95),
        _ge(d.ccc_product_pass_rate, 94),
    ])
    kinds = {"alliance", "industry_technical", "industry_integrity"}
    standards = None if d.standards is None else _any(
        _and(None if s.kind is None else s.kind in kinds, s.implemented) for s in d.standards)
    sar = d.standard_adoption_rate
    adoption = None if sar is None or sar.current is None or sar.baseline is None else (
        sar.current - sar.baseline >= 5)
    qlr = d.quality_loss_rate
    if qlr is None or qlr.baseline is None or qlr.current is None or qlr.baseline == 0:
        loss = None
    else:
        loss = (qlr.baseline - qlr.current) / qlr.baseline * 100 >= p["quality_loss_drop"]
    # The baselines must not be older than the campaign (二(一): from 2012).
    earliest = p["earliest_baseline_year"]
    adoption_base = None if sar is None else _ge(sar.baseline_year, earliest)
    loss_base = None if qlr is None else _ge(qlr.baseline_year, earliest)
    c2 = _all([standards, adoption, adoption_base, loss, loss_base,
               _gt(d.agri_standardization_rate, 60), d.export_demo_zone])
    eq = d.special_equipment

    def full(name: str) -> bool | None:
        return None if eq is None else _ge(getattr(eq, name), 100)

    c3 = _all([
        d.safety_responsibility_system, d.supervision_resources, d.graded_supervision,
        full("registration_rate"), full("inspection_rate"), full("certified_operator_rate"),
        full("hazard_rectification_rate"),
        _none_within(d.incidents, date, int(p["district_incident_window_years"]),
                     frozenset(DISTRICT_INCIDENTS)),
    ])
    # 二(三): only these kinds of zone are 强区 candidates; no kind given is unknown.
    eligible = None if d.kind is None else d.kind in DISTRICT_KINDS
    return [_status(eligible), _status(c1), _status(c2), _status(c3)]


def _industry_clauses(ind: Any, members: list[tuple[Any, bool]], enterprises: list[Any],
                      bench: Any, date: _dt.date, p: Mapping[str, Fraction]) -> list[str]:
    def share(test: Callable[[Any], bool | None], percent: int) -> bool | None:
        return _share_uncertain([(test(m), sure) for m, sure in members], Fraction(percent))

    c1 = _all([ind.industrial_policy_compliant, ind.local_policy_opinion,
               ind.association_established, ind.association_active,
               ind.integrity_code_in_alliance_standard, ind.quality_culture])
    benchmarks = bench.unit_energy_consumption
    energy_bench = None if benchmarks is None or ind.product_class is None else benchmarks.get(
        ind.product_class)
    c2 = _all([
        share(lambda m: m.advanced_qm, 50),
        share(lambda m: m.gm_quality_award, 20),
        share(lambda m: _and(m.quality_loss_tracked,
                             _lt(m.quality_loss_rate, bench.quality_loss_rate)), 50),
        _lt(ind.unit_energy_consumption, energy_bench),
        _ge(ind.key_energy_unit_metering_rate, 95),
    ])
    # 三(二)3: the first two parts apply only where the block industry has no standard.
    statuses: list[bool | None] = []
    if ind.has_block_standard is None:
        statuses += [None, None]
    elif not ind.has_block_standard:
        statuses += [ind.alliance_standard_established,
                     share(lambda m: m.implements_alliance_standard, 60)]
    high_led = {"international", "national", "industry"}
    statuses.append(None if ind.led_standards is None else _count_at_least(
        [None if s.level is None else s.level in high_led for s in ind.led_standards], 1))
    statuses.append(share(lambda m: m.adopts_standards, 50))
    high = {"provincial", "national", "international"}
    brands = ind.brands
    total = None if ind.total_output is None else Fraction(ind.total_output)
    if brands is None:
        count, sales = None, None
    else:
        levels = [None if b.level is None else b.level in high for b in brands]
        count = _count_at_least(levels, 4)
        lo, hi, open_ended = Fraction(0), Fraction(0), False
        for b, is_high in zip(brands, levels, strict=True):
            if is_high is False:
                continue
            if b.sales is None:
                open_ended = True
                continue
            hi += Fraction(b.sales)
            if is_high:
                lo += Fraction(b.sales)
        if total is None or total == 0:
            sales = None
        elif lo / total * 100 >= 30:
            sales = True
        elif not open_ended and hi / total * 100 < 30:
            sales = False
        else:
            sales = None
    statuses += [count, sales]
    # Applies when the industry has a regional brand (unknown when that is not given).
    rb = ind.regional_brand
    if ind.has_regional_brand is None:
        statuses.append(None)
    elif ind.has_regional_brand:
        if rb is None or rb.user_output is None or total is None or total == 0:
            statuses.append(None)
        else:
            statuses.append(Fraction(rb.user_output) / total * 100 >= 40)
    statuses.append(ind.public_service_platform)
    c3 = _all(statuses)
    spot = ind.spot_check_pass_rate
    bench_spot = bench.spot_check_pass_rate
    if spot is None:
        spot_ok = None
    else:
        spot_ok = _all(_gt(spot.get(y), None if bench_spot is None else bench_spot.get(y))
                       for y in (date.year - 1, date.year))
    c4 = _all([
        ind.responsibilities_fulfilled,
        # "all" over no enterprises says nothing: unknown, not a pass.
        _all(_or(_not(e.requires_license), e.licensed) for e in enterprises)
        if enterprises else None,
        spot_ok,
        _none_within(ind.incidents, date, 2, frozenset({"industry_quality_problem"})),
        _none_within(ind.incidents, date, 2,
                     frozenset({"major_quality_safety", "major_special_equipment"})),
    ])
    scale = _le(ind.province_scale_rank, p["scale_rank_top"])
    return [_status(c1), _status(c2), _status(c3), _status(c4), _status(scale)]


def _enterprise_clauses(e: Any, date: _dt.date, p: Mapping[str, Fraction]) -> list[str]:
    c1 = _all([e.advanced_qm, e.qm_organization, e.quality_reward_system, e.gm_quality_award,
               e.key_post_assessment, e.certified_quality_engineers, e.quality_activities,
               e.quality_loss_tracked])
    high = {"provincial", "national", "international"}
    brand = None if e.brands is None else _count_at_least(
        [None if b.level is None else b.level in high for b in e.brands], 1)
    c2 = _all([e.high_tech_content, e.own_ip, e.innovation_to_standards,
               _ge(e.standards_participation, p["min_standards_participation"]),
               e.adopts_standards, brand,
               _le(e.brand_market_share_rank, p["market_lead_rank"])])
    c3 = _all([
        e.lawful_operation, e.qc_department, e.factory_inspection, e.after_sales_system,
        e.good_credit,
        _none_within(e.incidents, date, 2, frozenset({"key_indicator_failure"})),
        _none_within(e.incidents, date, 2, frozenset({
            "major_quality_accident", "major_safety_accident", "major_environmental_accident"})),
        _none_within(e.incidents, date, 2, frozenset({"major_valid_complaint"})),
    ])
    c4 = _all([e.energy_saving_target_met, _not(e.high_consumption_pollution)])
    return [_status(c1), _status(c2), _status(c3), _status(c4), _status(e.leading_role)]


def handwritten_evaluate(ds: Dataset) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """Verdict and top-level clause statuses of every candidate, plus the county's.

    Returns:
        ``(kind, id) -> (verdict, top-level statuses in plan order)``; the county's key
        is ``("county", code)``.
    """
    date = ds.assessment.date
    p = dict(DEFAULT_PARAMS)
    for name, value in (ds.assessment.criteria_params or {}).items():
        p[name] = Fraction(str(value).rstrip("%").removesuffix("pp"))
    bench = ds.province_benchmarks
    by_industry: dict[str, list[Any]] = {}
    for e in ds.enterprises:
        if e.industry is not None:
            by_industry.setdefault(e.industry, []).append(e)
    out: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    strong: dict[str, list[bool | None]] = {"district": [], "industry": [], "enterprise": []}

    def record(kind: str, ident: str, statuses: list[str]) -> None:
        verdict = _verdict(statuses)
        out[(kind, ident)] = (verdict, tuple(statuses))
        strong[kind].append(None if verdict == UNKNOWN else verdict == PASS)

    for d in ds.districts:
        record("district", d.id, _district_clauses(d, date, p))
    for ind in ds.industries:
        group = by_industry.get(ind.id, [])
        # Above-size members; a member whose size is not known may or may not belong.
        members = [(e, e.above_designated_size is True) for e in group
                   if e.above_designated_size is not False]
        record("industry", ind.id, _industry_clauses(ind, members, group, bench, date, p))
    for e in ds.enterprises:
        if e.candidate:  # the others are industry members only, not rated
            record("enterprise", e.id, _enterprise_clauses(e, date, p))
    county = _all([_count_at_least(strong["district"], 2),
                   _count_at_least(strong["industry"], 2),
                   _count_at_least(strong["enterprise"], 30)])
    out[("county", ds.county.code)] = (_status(county), (_status(county),))
    return out


# ---------------------------------------------------------------------------- measuring


def qstrong_outcomes(report: qstrong.Report) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """The same shape as `handwritten_evaluate`, read off a qstrong report."""
    out = {
        (e.kind, e.id): (e.status.value, tuple(c.status.value for c in e.clauses))
        for e in report.entities
    }
    county = report.county
    out[("county", county.code)] = (county.status.value,
                                    tuple(c.status.value for c in county.clauses))
    return out


def best_of(repeat: int, fn: Callable[[], Any], *, no_gc: bool = False) -> tuple[float, Any]:
    """The shortest of ``repeat`` timed calls (seconds), and the last call's result.

    The garbage collector runs as usual unless ``no_gc`` (then it is off while timing).
    """
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        result = None
        gc.collect()
        if no_gc:
            gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best, result


def compare(ours: Mapping[tuple[str, str], tuple[str, tuple[str, ...]]],
            theirs: Mapping[tuple[str, str], tuple[str, tuple[str, ...]]]
            ) -> tuple[list[str], list[str]]:
    """(verdict mismatches, top-level clause mismatches), each as readable lines."""
    verdicts, clauses = [], []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None:
            verdicts.append(f"{key}: only in {'handwritten' if a is None else 'qstrong'}")
            continue
        if a[0] != b[0]:
            verdicts.append(f"{key}: qstrong {a[0]}, handwritten {b[0]}")
        if key[0] != "county" and a[1] != b[1]:
            clauses.append(f"{key}: qstrong {list(a[1])}, handwritten {list(b[1])}")
    return verdicts, clauses


def run(n: int, repeat: int, seed: int, missing: float = 0.02) -> dict[str, Any]:
    """Generate, time and cross-check; returns the results as a JSON-able dict."""
    t0 = time.perf_counter()
    criteria = qstrong.load_criteria()
    load_criteria_s = time.perf_counter() - t0
    raw = generate(n, seed, missing)
    load_s, dataset = best_of(repeat, lambda: qstrong.load_dataset(raw))
    candidates = len(dataset.districts) + len(dataset.industries) + len(dataset.enterprises)
    criteria.program()  # the verdict program is written once per criteria set, as loading is

    def explained() -> qstrong.Report:
        # Every candidate's full explanation tree, built: what the reports read.
        report = qstrong.evaluate(dataset, criteria)
        for entity in report.entities:
            _ = entity.clauses
        return report

    def verdicts_only() -> Any:
        report = qstrong.evaluate(dataset, criteria, explain=False)
        return report, [entity.statuses() for entity in report.entities]

    eval_s, report = best_of(repeat, explained)
    nogc_s, _ = best_of(repeat, explained, no_gc=True)
    verdict_s, (fast, _) = best_of(repeat, verdicts_only)
    json_s, _ = best_of(repeat, lambda: report.to_json())
    hand_s, hand = best_of(repeat, lambda: handwritten_evaluate(dataset))
    verdicts, clauses = compare(qstrong_outcomes(report), hand)
    fast_verdicts, fast_clauses = compare(qstrong_outcomes(fast), hand)
    verdicts += [f"verdict path {m}" for m in fast_verdicts]
    clauses += [f"verdict path {m}" for m in fast_clauses]
    counts: dict[str, dict[str, int]] = {}
    for e in report.entities:
        counts.setdefault(e.kind, {}).setdefault(e.status.value, 0)
        counts[e.kind][e.status.value] += 1
    result: dict[str, Any] = {
        "date": _dt.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "qstrong": qstrong.__version__,
        "criteria": {"version": criteria.version, "sha256": criteria.sha256},
        "n": candidates,
        "seed": seed,
        "missing": missing,
        "repeat": repeat,
        "entities": {"districts": len(dataset.districts), "industries": len(dataset.industries),
                     "enterprises": len(dataset.enterprises)},
        "verdicts": counts,
        "county": report.county.status.value,
        "load_criteria_ms": load_criteria_s * 1000,
        "load_dataset_ms": load_s * 1000,
        "qstrong_ms": eval_s * 1000,
        "qstrong_no_gc_ms": nogc_s * 1000,
        "qstrong_to_json_ms": json_s * 1000,
        "verdict_path_ms": verdict_s * 1000,
        "verdict_path_per_candidate_us": verdict_s / candidates * 1e6,
        "verdict_path_ratio": verdict_s / hand_s,
        "handwritten_ms": hand_s * 1000,
        "qstrong_per_candidate_us": eval_s / candidates * 1e6,
        "handwritten_per_candidate_us": hand_s / candidates * 1e6,
        "qstrong_candidates_per_s": candidates / eval_s,
        "handwritten_candidates_per_s": candidates / hand_s,
        "load_dataset_candidates_per_s": candidates / load_s,
        "ratio": eval_s / hand_s,
        "target_ratio": TARGET_RATIO,
        "ratio_met": eval_s / hand_s <= TARGET_RATIO,
        "verdict_mismatches": len(verdicts),
        "clause_mismatches": len(clauses),
        "mismatch_examples": (verdicts + clauses)[:10],
        "example": None,
    }
    if EXAMPLE.is_file():
        example_ds = qstrong.load_dataset(EXAMPLE)
        file_s, _ = best_of(repeat, lambda: qstrong.evaluate(EXAMPLE, criteria))
        only_s, ex_report = best_of(repeat, lambda: qstrong.evaluate(example_ds, criteria))
        ex_verdicts, ex_clauses = compare(qstrong_outcomes(ex_report),
                                          handwritten_evaluate(example_ds))
        result["verdict_mismatches"] += len(ex_verdicts)
        result["clause_mismatches"] += len(ex_clauses)
        result["mismatch_examples"] += [f"example {m}" for m in ex_verdicts + ex_clauses][:10]
        result["example"] = {
            "path": str(EXAMPLE.relative_to(ROOT)),
            "candidates": len(ex_report.entities),
            "load_and_evaluate_ms": file_s * 1000,
            "evaluate_ms": only_s * 1000,
            "target_ms": TARGET_EXAMPLE_MS,
            "met": file_s * 1000 < TARGET_EXAMPLE_MS,
        }
    return result


def _print(r: dict[str, Any]) -> None:
    e = r["entities"]
    print(f"qstrong {r['qstrong']} · Python {r['python']} · {r['platform']} · {r['date']}")
    print(f"criteria {r['criteria']['version']} ({r['criteria']['sha256'][:12]}), "
          f"loaded once in {r['load_criteria_ms']:.1f} ms (not timed below)")
    print(f"N = {r['n']} candidates: {e['districts']} districts, {e['industries']} industries, "
          f"{e['enterprises']} enterprises (seed {r['seed']}, {r['missing']:.0%} fields missing, "
          f"best of {r['repeat']})")
    for kind, counts in sorted(r["verdicts"].items()):
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"  {kind}: {shown}")
    print(f"  county: {r['county']}")
    print()
    rows = [
        ("load_dataset (validation)", r["load_dataset_ms"], r["load_dataset_candidates_per_s"]),
        ("qstrong evaluate (+explanations)", r["qstrong_ms"], r["qstrong_candidates_per_s"]),
        ("hand-written rules", r["handwritten_ms"], r["handwritten_candidates_per_s"]),
    ]
    for label, ms, rate in rows:
        print(f"{label:<34} {ms:10.1f} ms  {rate:12,.0f} candidates/s  "
              f"{ms * 1000 / r['n']:8.1f} µs/candidate")
    print(f"{'  (same, garbage collector off)':<34} {r['qstrong_no_gc_ms']:10.1f} ms  "
          f"{r['n'] / r['qstrong_no_gc_ms'] * 1000:12,.0f} candidates/s  "
          f"{r['qstrong_no_gc_ms'] * 1000 / r['n']:8.1f} µs/candidate")
    print(f"{'verdict path (explain=False)':<34} {r['verdict_path_ms']:10.1f} ms  "
          f"{r['n'] / r['verdict_path_ms'] * 1000:12,.0f} candidates/s  "
          f"{r['verdict_path_per_candidate_us']:8.1f} µs/candidate")
    print(f"{'report.to_json() (not in ratio)':<34} {r['qstrong_to_json_ms']:10.1f} ms")
    status = "met" if r["ratio_met"] else "NOT met"
    print(f"\nratio qstrong (every explanation built) / hand-written: {r['ratio']:.1f}x "
          f"(target <= {r['target_ratio']:.0f}x: {status})")
    print(f"ratio verdict path (every status read) / hand-written: "
          f"{r['verdict_path_ratio']:.1f}x")
    if r["example"] is not None:
        x = r["example"]
        status = "met" if x["met"] else "NOT met"
        print(f"{x['path']} ({x['candidates']} candidates): load+evaluate "
              f"{x['load_and_evaluate_ms']:.1f} ms, evaluate {x['evaluate_ms']:.1f} ms "
              f"(target < {x['target_ms']:.0f} ms: {status})")
    else:
        print(f"{EXAMPLE.relative_to(ROOT)}: not present, not timed")
    print(f"\nverdict mismatches: {r['verdict_mismatches']}, "
          f"top-level clause mismatches: {r['clause_mismatches']}")
    for line in r["mismatch_examples"]:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1000, help="candidates to generate (1000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats, best kept (5)")
    parser.add_argument("--seed", type=int, default=20141101, help="generator seed")
    parser.add_argument("--missing", type=float, default=0.02,
                        help="share of optional fields left out (0.02)")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args(argv)
    if args.n < 3 or args.repeat < 1 or not 0 <= args.missing <= 1:
        parser.error("--n must be at least 3, --repeat at least 1, --missing within 0..1")
    result = run(args.n, args.repeat, args.seed, args.missing)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(result)
    mismatched = result["verdict_mismatches"] or result["clause_mismatches"]
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
