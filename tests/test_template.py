"""The starter dataset: loads as is, covers every model field with a Chinese comment."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from qstrong import Status, evaluate, load_dataset
from qstrong.data.models import Dataset
from qstrong.io.template import dataset_template, describe_field

DATE = dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def text() -> str:
    return dataset_template(date=DATE)


def models() -> list[type[BaseModel]]:
    """Every model reachable from `Dataset`."""
    found: list[type[BaseModel]] = []

    def inner(annotation: Any) -> list[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [m for arg in getattr(annotation, "__args__", ()) for m in inner(arg)]

    def visit(model: type[BaseModel]) -> None:
        if model not in found:
            found.append(model)
            for info in model.model_fields.values():
                for m in inner(info.annotation):
                    visit(m)

    visit(Dataset)
    return found


def test_template_parses_and_loads(text: str, tmp_path: Path) -> None:
    assert isinstance(yaml.safe_load(text), dict)
    path = tmp_path / "county.yaml"
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(path)
    assert dataset.assessment.date == DATE
    assert [d.id for d in dataset.districts] == ["D1"]
    assert [i.id for i in dataset.industries] == ["I1"]
    assert [e.id for e in dataset.enterprises] == ["E1"]


def test_unfilled_template_never_passes_a_candidate(text: str, tmp_path: Path) -> None:
    path = tmp_path / "county.yaml"
    path.write_text(text, encoding="utf-8")
    report = evaluate(path)
    assert {e.status for e in report.entities} == {Status.UNKNOWN}


def test_every_field_has_a_line_with_its_chinese_label(text: str) -> None:
    lines = text.splitlines()
    for model in models():
        for name, info in model.model_fields.items():
            pattern = re.compile(rf"^\s*#?\s*(- )?{name}:.*#\s*(.+)$")
            comments = [m.group(2) for line in lines if (m := pattern.match(line))]
            assert comments, f"{model.__name__}.{name} is missing from the template"
            assert any(c.startswith(info.title or name) for c in comments), (
                f"{model.__name__}.{name}: no comment starting with {info.title!r}")


def test_comments_give_units_and_accepted_forms(text: str) -> None:
    from qstrong.data.models import District, Enterprise, Industry

    rate = describe_field(District, "drug_evaluation_pass_rate")
    assert "93.5" in rate and "\"93.5%\"" in rate and "{passed: 187, total: 200}" in rate
    assert "按年份" in describe_field(District, "production_spot_check_pass_rate")
    assert "true 或 false" in describe_field(District, "export_demo_zone")
    assert "万元" in describe_field(Industry, "total_output")
    assert "整数 ≥ 1" in describe_field(Industry, "province_scale_rank")
    assert "单位：项" in describe_field(Enterprise, "standards_participation")
    assert "industry_cluster_zone（产业集聚区）" in describe_field(District, "kind")
    assert "18 位" in describe_field(Enterprise, "credit_code")
    assert "必填" in describe_field(District, "id")
    assert describe_field(Dataset, "assessment") == "评审；下列各项；必填"
    assert "有则删去 null" in describe_field(Industry, "regional_brand")


def test_schema_line_and_determinism() -> None:
    first = dataset_template(date=DATE, schema_url="./qstrong-data.schema.json")
    assert first.splitlines()[0] == "# yaml-language-server: $schema=./qstrong-data.schema.json"
    assert first == dataset_template(date=DATE, schema_url="./qstrong-data.schema.json")
    assert not dataset_template(date=DATE).startswith("# yaml-language-server")


def test_commented_formats_become_valid_yaml_when_uncommented(text: str) -> None:
    """Deleting the ``#`` of a format block (and the ``null`` above it) gives valid data."""
    out: list[str] = []
    for line in text.splitlines():
        m = re.match(r"^(\s+)#( +)(- )?[a-z_]+:", line)
        if m:
            line = m.group(1) + " " + line[len(m.group(1)) + 1:]
        out.append(line)
    filled = "\n".join(out)
    for key in ("standards", "incidents", "led_standards", "brands", "regional_brand"):
        filled = re.sub(rf"^(\s+{key}:) null", r"\1", filled, flags=re.M)
    dataset = load_dataset(yaml.safe_load(filled))
    district = dataset.districts[0]
    assert district.standards is not None and district.standards[0].name == "待填写"
    assert district.incidents is not None and district.incidents[0].date == DATE
    industry = dataset.industries[0]
    assert industry.regional_brand is not None and industry.brands is not None
