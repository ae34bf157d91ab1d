"""Test data shared by several test modules: paths, the mixed example report, candidates.

Each function returns a fresh object, so a test may change what it gets; the fixtures
that build these once per module or session are in ``conftest.py``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from qstrong import evaluate, load_dataset
from qstrong.data.validate import dataset_to_dict
from qstrong.engine.results import Report

ROOT = Path(__file__).resolve().parents[1]
CRITERIA = ROOT / "criteria"
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "county.yaml"
MIXED = EXAMPLES / "county-mixed.yaml"


def example_data() -> dict[str, Any]:
    """The all-pass example ``examples/county.yaml`` as a plain mapping."""
    return dataset_to_dict(load_dataset(EXAMPLE))


def mixed_report(d1_name: str | None = None) -> Report:
    """The all-pass example with D1 failing (drug evaluation 90% < 96%) and D2 unknown.

    Args:
        d1_name: a name for D1 instead of its own (to test escaping), or None.
    """
    data = example_data()
    d1, d2 = data["districts"][0], data["districts"][1]
    if d1_name is not None:
        d1["name"] = d1_name
    d1["drug_evaluation_pass_rate"] = "90"
    d2["drug_evaluation_pass_rate"] = None
    return evaluate(data)


_NEAR_MISS_DISTRICT: dict[str, Any] = {
    "id": "D1", "name": "甲产业集聚区", "kind": "industry_cluster_zone",
    "production_spot_check_pass_rate": {2013: 94, 2014: 95},
    "food_spot_check_pass_rate": {"planting_breeding": 97, "processing": 95,
                                  "circulation": 92, "catering": 92},
    "drug_evaluation_pass_rate": "95.6", "licensed_product_pass_rate": 96,
    "ccc_product_pass_rate": 95,
    "standards": [{"name": "联盟标准", "kind": "alliance", "implemented": True}],
    "standard_adoption_rate": {"baseline": 60, "current": 66, "baseline_year": 2012},
    "quality_loss_rate": {"baseline": "2.5", "current": "1.5", "baseline_year": 2012},
    "export_demo_zone": True, "safety_responsibility_system": True,
    "supervision_resources": True, "graded_supervision": True,
    "special_equipment": {"registration_rate": 100, "inspection_rate": 100,
                          "certified_operator_rate": 100, "hazard_rectification_rate": 100},
    "incidents": [],
}

_GOOD_ENTERPRISE: dict[str, Any] = {
    "advanced_qm": True, "qm_organization": True, "quality_reward_system": True,
    "gm_quality_award": True, "key_post_assessment": True,
    "certified_quality_engineers": True, "quality_activities": True,
    "quality_loss_tracked": True, "quality_loss_rate": "0.9", "high_tech_content": True,
    "own_ip": True, "innovation_to_standards": True, "standards_participation": 2,
    "adopts_standards": True, "brands": [{"name": "甲", "level": "national"}],
    "brand_market_share_rank": 1, "lawful_operation": True, "qc_department": True,
    "factory_inspection": True, "after_sales_system": True, "good_credit": True,
    "requires_license": False, "energy_saving_target_met": True,
    "high_consumption_pollution": False, "leading_role": True, "incidents": [],
}


def near_miss_district(**changes: Any) -> dict[str, Any]:
    """District D1 甲产业集聚区: meets every bound but the drug evaluation rate (95.6%,
    0.4 points short of 96%) and has no agricultural standardisation rate.

    Args:
        changes: fields to set (or add) on top of that.
    """
    return {**copy.deepcopy(_NEAR_MISS_DISTRICT), **changes}


def good_enterprise(**changes: Any) -> dict[str, Any]:
    """The fields of an enterprise that meets every enterprise clause (no id, name,
    industry or size: the caller adds them), with ``changes`` on top."""
    return {**copy.deepcopy(_GOOD_ENTERPRISE), **changes}
