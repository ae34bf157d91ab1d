"""JSON Schemas: valid themselves, accept the examples and the real criteria, refuse bad input."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import ROOT
from qstrong.core.vocab import CRITERIA_KINDS
from qstrong.data.schema import MODEL_TITLES, dataset_schema, dataset_schema_json
from qstrong.io.template import dataset_template
from qstrong.lang import criteria_file as criteria_module
from qstrong.lang.schema import criteria_schema, criteria_schema_json

jsonschema = pytest.importorskip("jsonschema")

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CRITERIA = sorted((ROOT / "criteria").glob("*.yaml"))


def as_json(value: Any) -> Any:
    """What an editor's YAML language server sees: string keys, dates as strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load(path: Path) -> Any:
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def errors(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


@pytest.fixture(scope="module")
def data_schema() -> dict[str, Any]:
    schema = dataset_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def crit_schema() -> dict[str, Any]:
    schema = criteria_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def example() -> Any:
    if not EXAMPLES:
        pytest.skip("no example datasets")
    return load(EXAMPLES[0])


# ------------------------------------------------------------------ dataset schema


def test_dataset_schema_is_deterministic_and_declares_its_dialect() -> None:
    assert dataset_schema_json() == dataset_schema_json()
    doc = json.loads(dataset_schema_json())
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["title"] == MODEL_TITLES["Dataset"]


def test_dataset_schema_titles_are_chinese(data_schema: dict[str, Any]) -> None:
    for name, sub in data_schema["$defs"].items():
        assert not sub["title"].isascii(), f"add {name} to MODEL_TITLES"
        for field, prop in sub.get("properties", {}).items():
            assert not prop["title"].isascii(), f"{name}.{field}"
    rate = data_schema["$defs"]["District"]["properties"]["drug_evaluation_pass_rate"]
    assert rate["title"] == "药品评价性抽验合格率"
    assert rate["description"].startswith("药品评价性抽验合格率 — ")
    kind = data_schema["$defs"]["District"]["properties"]["kind"]["anyOf"][0]
    assert kind["enumDescriptions"][0] == "开发区(园区)"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_datasets_validate(data_schema: dict[str, Any], path: Path) -> None:
    assert errors(data_schema, load(path)) == []


def test_template_validates(data_schema: dict[str, Any]) -> None:
    doc = as_json(yaml.safe_load(dataset_template(date=dt.date(2024, 12, 31))))
    assert errors(data_schema, doc) == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["districts"][0].update(spot_chek=1), ["districts", 0]),
    (lambda d: d["districts"][0].update(drug_evaluation_pass_rate=101),
     ["districts", 0, "drug_evaluation_pass_rate"]),
    (lambda d: d["districts"][0].update(production_spot_check_pass_rate={"20x3": 95}),
     ["districts", 0, "production_spot_check_pass_rate"]),
    (lambda d: d["districts"][0].update(kind="zone"), ["districts", 0, "kind"]),
    (lambda d: d["districts"][0].update(export_demo_zone="yes"),
     ["districts", 0, "export_demo_zone"]),
    (lambda d: d["county"].update(code=330681), ["county", "code"]),
    (lambda d: d.pop("assessment"), []),
])
def test_dataset_schema_refuses_bad_input(data_schema: dict[str, Any], example: Any,
                                          change: Any, where: list[Any]) -> None:
    doc = copy.deepcopy(example)
    change(doc)
    validator = jsonschema.Draft202012Validator(data_schema)
    found = [list(e.absolute_path) for e in validator.iter_errors(doc)]
    assert where in found


def test_rate_counts_form_is_accepted(data_schema: dict[str, Any], example: Any) -> None:
    doc = copy.deepcopy(example)
    doc["districts"][0]["drug_evaluation_pass_rate"] = {"passed": 187, "total": 200}
    doc["districts"][0]["licensed_product_pass_rate"] = "96.4%"
    doc["districts"][0]["agri_standardization_rate"] = None
    assert errors(data_schema, doc) == []


# ------------------------------------------------------------------ criteria schema


def test_criteria_schema_matches_the_reader(crit_schema: dict[str, Any]) -> None:
    assert tuple(crit_schema["properties"]) == criteria_module._FILE_KEYS
    assert tuple(crit_schema["$defs"]["clause"]["properties"]) == criteria_module._CLAUSE_KEYS
    assert tuple(crit_schema["$defs"]["param"]["properties"]) == criteria_module._PARAM_KEYS
    assert crit_schema["properties"]["kind"]["enum"] == list(CRITERIA_KINDS)
    assert criteria_schema_json() == criteria_schema_json()


@pytest.mark.parametrize("path", CRITERIA, ids=[p.name for p in CRITERIA])
def test_real_criteria_files_validate(crit_schema: dict[str, Any], path: Path) -> None:
    assert errors(crit_schema, load(path)) == []


BASE_CRITERIA: dict[str, Any] = {
    "kind": "district", "title": "标准", "version": "1",
    "params": {"n": {"type": "years", "default": 2, "title": "年数", "note": "理由"}},
    "clauses": [{"id": "district/1", "title": "甲", "text": "原文", "section": "三(一)1",
                 "all": [{"id": "district/1/a", "title": "乙", "text": "原文", "rule": "x"}]}],
}


@pytest.mark.parametrize("change", [
    lambda d: d.update(kind="town"),
    lambda d: d.update(clauses=[]),
    lambda d: d.update(titel="x"),
    lambda d: d["clauses"][0].update(rule="x"),  # both rule and all
    lambda d: d["clauses"][0]["all"][0].pop("rule"),  # neither
    lambda d: d["clauses"][0]["all"][0].pop("text"),
    lambda d: d["clauses"][0]["all"][0].update(rule="  "),
    lambda d: d["params"]["n"].update(type="weeks"),
    lambda d: d["params"].update({"bad name": d["params"]["n"]}),
])
def test_criteria_schema_refuses_bad_files(crit_schema: dict[str, Any], change: Any) -> None:
    assert errors(crit_schema, BASE_CRITERIA) == []
    doc = copy.deepcopy(BASE_CRITERIA)
    change(doc)
    assert errors(crit_schema, doc) != []
