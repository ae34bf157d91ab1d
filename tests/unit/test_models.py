"""The dataset models: optional indicators, strict types, labels, credit codes, references."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from qstrong.data import models
from qstrong.data.identifiers import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    parse_credit_code,
)
from qstrong.data.models import (
    Dataset,
    District,
    Enterprise,
    EnterpriseBrand,
    Industry,
    IndustryBrand,
    find_reference_problems,
)
from qstrong.data.values import Quantity, quantity_of

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

BASE: dict[str, Any] = {
    "assessment": {"date": "2014-11-01"},
    "county": {"code": "330681", "name": "诸暨市"},
}


def _dataset(**parts: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(parts)
    return data


def _errors(model: type[BaseModel], data: object) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return [dict(e) for e in info.value.errors()]


def _all_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for name in models.__all__:
        obj = getattr(models, name)
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            found.append(obj)
    return found


# ---------------------------------------------------------------------------- shape


def test_minimal_dataset_has_defaults() -> None:
    ds = Dataset.model_validate(BASE)
    assert ds.districts == [] and ds.industries == [] and ds.enterprises == []
    assert ds.province_benchmarks.quality_loss_rate is None
    assert ds.assessment.criteria_params == {}


def test_null_entity_lists_and_benchmarks_are_empty() -> None:
    ds = Dataset.model_validate(_dataset(districts=None, province_benchmarks=None))
    assert ds.districts == []
    assert ds.province_benchmarks.spot_check_pass_rate is None


def test_indicators_default_to_missing_and_empty_list_means_none() -> None:
    district = District.model_validate({"id": "D1", "name": "开发区", "standards": []})
    assert district.standards == []
    assert district.incidents is None
    assert district.special_equipment is None
    for name, field in District.model_fields.items():
        if name not in ("id", "name"):
            assert not field.is_required(), name
            assert field.default is None, name


@pytest.mark.parametrize("missing", ["id", "name"])
def test_id_and_name_are_required(missing: str) -> None:
    data = {"id": "E1", "name": "x"}
    del data[missing]
    [err] = _errors(Enterprise, data)
    assert err["type"] == "missing" and err["loc"] == (missing,)


@pytest.mark.parametrize("value", [5, "", "  ", True])
def test_id_must_be_non_blank_text(value: object) -> None:
    [err] = _errors(Industry, {"id": value, "name": "x"})
    assert err["loc"] == ("id",)


def test_models_are_frozen() -> None:
    industry = Industry.model_validate({"id": "I1", "name": "x"})
    with pytest.raises(ValidationError):
        industry.name = "y"  # type: ignore[misc]


@pytest.mark.parametrize("model", _all_models())
def test_unknown_fields_are_errors_everywhere(model: type[BaseModel]) -> None:
    assert model.model_config.get("extra") == "forbid"
    assert model.model_config.get("frozen") is True


@pytest.mark.parametrize("model", _all_models())
def test_every_field_has_chinese_title_and_english_description(model: type[BaseModel]) -> None:
    for name, field in model.model_fields.items():
        assert field.title and any("\u4e00" <= ch <= "\u9fff" for ch in field.title), name
        assert field.description and field.description.isascii(), name


def _literal_args(annotation: Any) -> tuple[str, ...] | None:
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        found = _literal_args(arg)
        if found:
            return found
    return None


@pytest.mark.parametrize("model", _all_models())
def test_enum_fields_label_every_value(model: type[BaseModel]) -> None:
    for name, field in model.model_fields.items():
        values = _literal_args(field.annotation)
        if values is None:
            continue
        extra = field.json_schema_extra
        assert isinstance(extra, dict), name
        labels = extra["enum_labels"]
        assert isinstance(labels, dict)
        assert set(labels) == set(values), name


def test_district_kind_labels() -> None:
    extra = District.model_fields["kind"].json_schema_extra
    assert isinstance(extra, dict)
    assert extra["enum_labels"] == {
        "development_zone": "开发区(园区)",
        "industry_cluster_zone": "产业集聚区",
        "cluster_demo_zone": "产业集群示范区",
        "agri_two_zones": '农业"两区"',
    }


@pytest.mark.parametrize(
    ("model", "field", "kind"),
    [
        (District, "drug_evaluation_pass_rate", "percent"),
        (Industry, "total_output", "amount"),
        (Industry, "province_scale_rank", "rank"),
        (Enterprise, "brand_market_share_rank", "rank"),
        (Enterprise, "standards_participation", "count"),
        (Enterprise, "quality_loss_rate", "percent"),
    ],
)
def test_numeric_fields_carry_quantity(model: type[BaseModel], field: str, kind: str) -> None:
    marker = quantity_of(model.model_fields[field].annotation)
    assert isinstance(marker, Quantity) and marker.kind == kind


# ---------------------------------------------------------------------------- strict values


@pytest.mark.parametrize(
    ("value", "ok"),
    [(True, True), (False, True), ("false", False), ("true", False), (1, False),
     (0, False), ("是", False), ("yes", False)],
)
def test_bools_are_strict(value: object, ok: bool) -> None:
    data = {"id": "E1", "name": "x", "licensed": value}
    if ok:
        assert Enterprise.model_validate(data).licensed is value
    else:
        [err] = _errors(Enterprise, data)
        assert err["loc"] == ("licensed",)


def test_extra_field_rejected() -> None:
    [err] = _errors(District, {"id": "D1", "name": "x", "spot_chek_pass_rate": {}})
    assert err["type"] == "extra_forbidden" and err["loc"] == ("spot_chek_pass_rate",)


def test_nested_values_are_exact() -> None:
    district = District.model_validate(
        {
            "id": "D1",
            "name": "x",
            "special_equipment": {"inspection_rate": {"passed": 1, "total": 3}},
            "quality_loss_rate": {"baseline": Decimal("2.5"), "current": "1.5%"},
            "production_spot_check_pass_rate": {"2014": "93.5"},
        }
    )
    assert district.special_equipment is not None
    assert district.special_equipment.inspection_rate == Fraction(100, 3)
    assert district.quality_loss_rate is not None
    assert district.quality_loss_rate.baseline == Fraction(5, 2)
    assert district.production_spot_check_pass_rate == {2014: Fraction(187, 2)}


def test_industry_brands_have_sales_enterprise_brands_do_not() -> None:
    brand = IndustryBrand.model_validate({"name": "a", "level": "provincial", "sales": "12.5"})
    assert brand.sales == Decimal("12.5")
    [err] = _errors(EnterpriseBrand, {"name": "a", "sales": 1})
    assert err["type"] == "extra_forbidden"


def test_regional_brand_absent_or_null_is_none() -> None:
    assert Industry.model_validate({"id": "I", "name": "x"}).regional_brand is None
    industry = Industry.model_validate({"id": "I", "name": "x", "regional_brand": None})
    assert industry.regional_brand is None


@pytest.mark.parametrize(
    ("incident", "ok"),
    [
        ({"date": "2014-01-02", "type": "major_quality_accident"}, True),
        ({"date": "2014-01-02", "type": "major_quality_accident", "description": "x"}, True),
        ({"date": "2014-01-02", "type": "major_quality_safety"}, False),  # a district type
        ({"type": "major_quality_accident"}, False),
        ({"date": "02/01/2014", "type": "major_quality_accident"}, False),
    ],
)
def test_enterprise_incidents(incident: dict[str, Any], ok: bool) -> None:
    data = {"id": "E1", "name": "x", "incidents": [incident]}
    if ok:
        assert Enterprise.model_validate(data).incidents is not None
    else:
        _errors(Enterprise, data)


@pytest.mark.parametrize(("code", "ok"), [("330681", True), (330681, False), ("33068", False),
                                          ("33068a", False)])
def test_county_code_is_six_digit_text(code: object, ok: bool) -> None:
    data = _dataset(county={"code": code, "name": "x"})
    if ok:
        assert Dataset.model_validate(data).county.code == code
    else:
        [err] = _errors(Dataset, data)
        assert err["loc"] == ("county", "code")


def test_criteria_params_are_raw_but_floats_become_exact() -> None:
    ds = Dataset.model_validate(
        _dataset(assessment={"date": "2014-11-01", "criteria_params": {"a": 0.1, "b": "x"}})
    )
    assert ds.assessment.criteria_params == {"a": Decimal("0.1"), "b": "x"}


# ---------------------------------------------------------------------------- credit codes


@pytest.mark.parametrize(
    "code",
    ["91440300708461136T", "91110000802100433B", "91330100716105852F", "9144030071526726XG"],
)
def test_real_credit_codes_pass(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    enterprise = Enterprise.model_validate({"id": "E", "name": "x", "credit_code": code})
    assert enterprise.credit_code == code


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17))
def test_the_check_character_is_gb_32100s_weighted_sum(first17: str) -> None:
    # GB 32100-2015: weights 3^i mod 31, check = (31 - Σ value × weight mod 31) mod 31.
    total = sum(CREDIT_CODE_CHARSET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    assert credit_code_check_char(first17) == CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def test_a_check_character_of_a_character_outside_the_set_is_refused() -> None:
    with pytest.raises(ValueError, match="'I' is not allowed in a credit code"):
        credit_code_check_char("9144030070846113I")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91440300708461136A", "the last character should be 'T', not 'A'"),
        ("91440300708461136", "a credit code has 18 characters; '91440300708461136' has 17"),
        ("9144030070846113IT", "contains 'I'"),
        ("91440300708461136t", "contains 't'"),
        (914403007084611360, "expected an 18-character credit code as text"),
    ],
)
def test_bad_credit_codes(code: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_credit_code(code)
    assert message in str(info.value)
    [err] = _errors(Enterprise, {"id": "E", "name": "x", "credit_code": code})
    assert err["loc"] == ("credit_code",)


def test_check_char_wraps_31_to_0() -> None:
    # Search a prefix whose weighted sum is a multiple of 31: its check character is '0'.
    for tail in range(31):
        prefix = "9133068100000" + f"{tail:04d}"
        if credit_code_check_char(prefix) == "0":
            break
    else:  # pragma: no cover - some tail always works
        pytest.fail("no prefix found")
    parse_credit_code(prefix + "0")


# ---------------------------------------------------------------------------- references


def test_duplicate_ids_and_unknown_industry_fail_dataset() -> None:
    data = _dataset(
        industries=[{"id": "I1", "name": "a"}],
        enterprises=[
            {"id": "E1", "name": "a", "industry": "I1"},
            {"id": "E1", "name": "b"},
            {"id": "E3", "name": "c", "industry": "X1"},
        ],
    )
    [err] = _errors(Dataset, data)
    assert "enterprises[1].id: duplicate id 'E1' (also enterprises[0])" in err["msg"]
    assert "enterprises[2].industry: no industry with id 'X1'; did you mean 'I1'?" in err["msg"]


def test_same_id_in_different_kinds_is_fine() -> None:
    data = _dataset(
        districts=[{"id": "X", "name": "a"}],
        industries=[{"id": "X", "name": "a"}],
        enterprises=[{"id": "X", "name": "a", "industry": "X"}],
    )
    assert Dataset.model_validate(data).industry("X") is not None


@pytest.mark.parametrize(
    ("ids", "refs", "expected"),
    [
        ({"districts": ["D1", "D2", "D1"]}, [],
         [(("districts", 2, "id"), "duplicate id 'D1'", (("districts", 0),))]),
        ({"industries": ["I1"]}, [None, "I1"], []),
        ({"industries": []}, ["I1"],
         [(("enterprises", 0, "industry"),
           "no industry with id 'I1' (the dataset lists no industries)", ())]),
        ({"industries": ["socks"]}, ["shose"],
         [(("enterprises", 0, "industry"), "no industry with id 'shose'; did you mean 'socks'?",
           ())]),
        ({"industries": ["socks"]}, ["Q9"],
         [(("enterprises", 0, "industry"), "no industry with id 'Q9'", ())]),
    ],
)
def test_find_reference_problems(
    ids: dict[str, list[str | None]],
    refs: list[str | None],
    expected: list[tuple[tuple[str | int, ...], str, tuple[tuple[str | int, ...], ...]]],
) -> None:
    assert [(loc, str(text), related)
            for loc, text, related in find_reference_problems(ids, refs)] == expected


def test_a_regional_brand_means_one_is_held() -> None:
    base = {"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "县"}}
    held = Dataset.model_validate({**base, "industries": [
        {"id": "I1", "name": "袜业", "regional_brand": {"name": "区域名牌"}}]})
    assert held.industries[0].has_regional_brand is True
    unreported = Dataset.model_validate({**base, "industries": [{"id": "I1", "name": "袜业"}]})
    assert unreported.industries[0].has_regional_brand is None
    with pytest.raises(ValidationError, match="has_regional_brand is false"):
        Dataset.model_validate({**base, "industries": [
            {"id": "I1", "name": "袜业", "has_regional_brand": False,
             "regional_brand": {"name": "区域名牌"}}]})


def test_enterprises_are_candidates_unless_said_otherwise() -> None:
    base = {"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "县"}}
    data = Dataset.model_validate({**base, "enterprises": [
        {"id": "E1", "name": "甲"}, {"id": "E2", "name": "乙", "candidate": False}]})
    assert [e.candidate for e in data.enterprises] == [True, False]


def test_special_equipment_accident_labels_say_major() -> None:
    from qstrong.data.indicators import DISTRICT_INCIDENT_LABELS, INDUSTRY_INCIDENT_LABELS

    assert INDUSTRY_INCIDENT_LABELS["major_special_equipment"] == "重大特种设备安全事故"
    assert {"regional_special_equipment", "industry_special_equipment"} <= set(
        DISTRICT_INCIDENT_LABELS)
