"""Loading datasets from YAML, JSON or a mapping: diagnostics with paths and lines; round trips."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qstrong.core.errors import DataError, DataErrors, Diagnostic
from qstrong.data.models import Dataset
from qstrong.data.validate import dataset_to_dict
from qstrong.io.documents import dataset_to_json
from qstrong.io.load import load_dataset

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

GOOD_YAML = """\
assessment:
  date: 2014-11-01
  criteria_params: {stable_years: 2, big_drop: 0.5}
county:
  code: "330681"
  name: 诸暨市
province_benchmarks:
  quality_loss_rate: 1.8
  spot_check_pass_rate: {2013: 89.6, 2014: 90.3}
  unit_energy_consumption: {袜子: 0.52}
districts:
  - id: D1
    name: 开发区
    kind: development_zone
    production_spot_check_pass_rate: {2013: "187/200", 2014: {passed: 1, total: 3}}
    special_equipment:
      inspection_rate: 100
    standards: []
    incidents: [{date: 2014-01-02, type: major_quality_safety}]
industries:
  - {id: I1, name: 袜业, total_output: 12.7, regional_brand: {name: 大唐袜业, user_output: 1E+3}}
enterprises:
  - id: E1
    name: 甲
    industry: I1
    credit_code: "91440300708461136T"
    above_designated_size: true
    standards_participation: 3
"""


def _write(tmp_path: Path, text: str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _diagnostics(source: Any) -> list[Diagnostic]:
    with pytest.raises(DataErrors) as info:
        load_dataset(source)
    found: list[Diagnostic] = info.value.diagnostics
    return found


# ---------------------------------------------------------------------------- good input


def test_yaml_dataset_is_exact(tmp_path: Path) -> None:
    ds = load_dataset(_write(tmp_path, GOOD_YAML))
    assert ds.industries[0].total_output == Decimal("12.7")
    assert type(ds.industries[0].total_output) is Decimal
    assert ds.province_benchmarks.quality_loss_rate == Fraction(9, 5)
    assert ds.districts[0].production_spot_check_pass_rate == {
        2013: Fraction(187, 2),
        2014: Fraction(100, 3),
    }
    assert ds.assessment.date == dt.date(2014, 11, 1)
    assert ds.assessment.criteria_params == {"stable_years": 2, "big_drop": Decimal("0.5")}
    assert ds.districts[0].standards == [] and ds.districts[0].food_spot_check_pass_rate is None
    assert ds.enterprises[0].brands is None


def test_str_path_and_yml_suffix(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_YAML, "data.yml")
    assert load_dataset(str(path)) == load_dataset(path)


def test_json_dataset_reads_decimals(tmp_path: Path) -> None:
    text = json.dumps({"assessment": {"date": "2014-11-01"},
                       "county": {"code": "330681", "name": "x"},
                       "industries": [{"id": "I1", "name": "y"}]})
    text = text.replace('"name": "y"', '"name": "y", "total_output": 12.7')
    ds = load_dataset(_write(tmp_path, text, "data.json"))
    assert ds.industries[0].total_output == Decimal("12.7")


# ---------------------------------------------------------------------------- validation errors


BAD_YAML = """\
assessment:
  date: 2014-11-01
county:
  code: "330681"
  name: 诸暨市
province_benchmarks:
  spot_check_pass_rate: {2013: 89.6, abc: 90.3}
districts:
  - id: D1
    name: 开发区
    special_equipment:
      inspection_rate: 101
    spot_chek_pass_rate: 3
    export_demo_zone: "false"
  - id: D2
    production_spot_check_pass_rate: {"2014": {passed: 201, total: 200}}
industries:
  - {id: I1, name: 袜业}
enterprises:
  - {id: E01, name: a, industry: X1}
  - {id: E01, name: b, licensed: 1}
"""

EXPECTED_BAD = [
    (7, "province_benchmarks.spot_check_pass_rate['abc']",
     "year key 'abc' is not a year (expected a whole number 1900-2100)"),
    (12, "districts[0] (D1).special_equipment.inspection_rate", "101 is above 100"),
    (13, "districts[0] (D1).spot_chek_pass_rate",
     "unknown field 'spot_chek_pass_rate'; did you mean 'food_spot_check_pass_rate'?"),
    (14, "districts[0] (D1).export_demo_zone", "expected true or false, got 'false' (a string)"),
    (15, "districts[1] (D2).name", "missing required field 'name'"),
    (16, "districts[1] (D2).production_spot_check_pass_rate[2014]",
     "passed (201) is more than total (200)"),
    (20, "enterprises[0] (E01).industry", "no industry with id 'X1'; did you mean 'I1'?"),
    (21, "enterprises[1] (E01).id", "duplicate id 'E01' (also enterprises[0])"),
    (21, "enterprises[1] (E01).licensed", "expected true or false, got 1 (a number)"),
]


def test_every_problem_reported_at_once_with_path_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD_YAML)
    found = _diagnostics(path)
    assert [(d.span.line if d.span else None, d.path, d.detail()) for d in found] == EXPECTED_BAD
    assert {d.code for d in found} == {"E201"}
    assert all(d.span is not None and d.span.file == str(path) for d in found)


def test_locations_are_data_not_text(tmp_path: Path) -> None:
    found = _diagnostics(_write(tmp_path, BAD_YAML))
    duplicate = next(d for d in found if str(d.message) == "duplicate id 'E01'")
    assert (duplicate.loc, duplicate.entity, duplicate.related) == (
        ("enterprises", 1, "id"), "E01", (("enterprises", 0),))
    year_key = found[0]
    assert year_key.loc == ("province_benchmarks", "spot_check_pass_rate", "abc")
    assert year_key.entity is None and year_key.related == ()


def test_columns_point_at_the_value_or_key(tmp_path: Path) -> None:
    found = {d.path: d for d in _diagnostics(_write(tmp_path, BAD_YAML))}
    rate = found["districts[0] (D1).special_equipment.inspection_rate"].span
    assert rate is not None and rate.col == BAD_YAML.splitlines()[11].index("101") + 1
    extra = found["districts[0] (D1).spot_chek_pass_rate"].span
    assert extra is not None and extra.col == 5  # the key itself
    year = found["province_benchmarks.spot_check_pass_rate['abc']"].span
    assert year is not None and year.col == BAD_YAML.splitlines()[6].index("abc") + 1


def test_error_message_is_the_headlines(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD_YAML)
    with pytest.raises(DataErrors) as info:
        load_dataset(path)
    assert f"{path}:12:24: error[E201]: 101 is above 100" in str(info.value)


BASE: dict[str, Any] = {
    "assessment": {"date": "2014-11-01"},
    "county": {"code": "330681", "name": "x"},
}


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        ({"districts": [{"id": "D1", "name": "x", "kind": "zone"}]}, "districts[0] (D1).kind",
         "expected one of development_zone, industry_cluster_zone, cluster_demo_zone, "
         "agri_two_zones; got 'zone' (a string)"),
        ({"districts": [{"id": "D1", "name": "x", "kind": "developmentzone"}]},
         "districts[0] (D1).kind", "did you mean 'development_zone'?"),
        ({"industries": [{"name": "x"}]}, "industries[0].id", "missing required field 'id'"),
        ({"industries": [{"id": 7, "name": "x"}]}, "industries[0].id",
         "expected text, got 7 (a number)"),
        ({"industries": "none"}, "industries", "expected a list, got 'none' (a string)"),
        ({"industries": [{"id": "I", "name": "x", "brands": [{"name": "b", "sales": -1}]}]},
         "industries[0] (I).brands[0].sales", "-1 is below 0; an amount cannot be negative"),
        ({"industries": [{"id": "I", "name": "x", "regional_brand": "yes"}]},
         "industries[0] (I).regional_brand", "expected a mapping of fields, got 'yes' (a string)"),
        ({"enterprises": [{"id": "E", "name": "x", "brand_market_share_rank": 0}]},
         "enterprises[0] (E).brand_market_share_rank", "0 is below 1"),
        ({"province_benchmarks": {"unit_energy_consumption": {"袜子": "n/a"}}},
         "province_benchmarks.unit_energy_consumption['袜子']", "'n/a' (a string) is not a number"),
        ({"province_benchmarks": {"quality_loss_rate": "93.5%%"}},
         "province_benchmarks.quality_loss_rate", "is not a number"),
        ({"assessment": {"date": "2014/11/01"}}, "assessment.date",
         "expected a date like 2014-06-30, got '2014/11/01' (a string)"),
        ({"county": {"code": "330681", "name": "x", "nmae": "y"}}, "county.nmae",
         "unknown field 'nmae'; did you mean 'name'?"),
        ({"colour": 1}, "colour", "unknown field 'colour'"),
    ],
)
def test_mapping_input_messages(extra: dict[str, Any], path: str, message: str) -> None:
    found = _diagnostics({**BASE, **extra})
    assert [d.path for d in found] == [path]
    assert message in found[0].message
    assert found[0].span is None


def test_id_in_path_only_when_readable() -> None:
    found = _diagnostics({**BASE, "enterprises": [{"id": 5, "name": "x", "licensed": "no"}]})
    assert sorted(d.path or "" for d in found) == ["enterprises[0].id", "enterprises[0].licensed"]


def test_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="a dataset must be a mapping"):
        load_dataset(_write(tmp_path, "- 1\n- 2\n"))
    with pytest.raises(DataError, match="the document is empty"):
        load_dataset(_write(tmp_path, "# nothing\n"))


# ---------------------------------------------------------------------------- file problems


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(DataError) as info:
        load_dataset(path)
    assert info.value.path == str(path)
    assert "cannot read the file" in info.value.message
    assert not isinstance(info.value, DataErrors)


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"unsupported file type '\.csv'"):
        load_dataset(_write(tmp_path, "a,b\n", "data.csv"))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_bytes("name: 诸暨".encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_dataset(path)


def test_yaml_duplicate_key_has_line(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(_write(tmp_path, "assessment: {}\ncounty: {}\nassessment: {}\n"))
    assert info.value.code == "E002"
    assert info.value.span is not None and info.value.span.line == 3


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(_write(tmp_path, "a: [1, 2\nb: 3\n"))
    assert info.value.span is not None
    assert "YAML syntax error" in info.value.message


@pytest.mark.parametrize(
    ("text", "code", "needle"),
    [
        ('{"assessment": {}, "assessment": {}}', "E002", "duplicate key 'assessment'"),
        ('{"county": {"name": "a", "name": "b"}}', "E002", "duplicate key 'name'"),
        ('{"a": NaN}', "E001", "NaN is not a finite number"),
        ('{"a": 1,,}', "E001", "JSON syntax error"),
    ],
)
def test_json_problems(tmp_path: Path, text: str, code: str, needle: str) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(_write(tmp_path, text, "data.json"))
    assert info.value.code == code
    assert needle in info.value.message


def test_json_syntax_error_position(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(_write(tmp_path, '{\n  "a": 1,,\n}', "data.json"))
    assert info.value.span is not None and info.value.span.line == 2


# ---------------------------------------------------------------------------- round trips


def test_round_trip_of_the_good_file(tmp_path: Path) -> None:
    ds = load_dataset(_write(tmp_path, GOOD_YAML))
    as_dict = dataset_to_dict(ds)
    assert as_dict["districts"][0]["production_spot_check_pass_rate"] == {
        "2013": "93.5",
        "2014": "1/3",
    }
    assert load_dataset(as_dict) == ds
    assert load_dataset(json.loads(json.dumps(as_dict, ensure_ascii=False))) == ds
    json_path = _write(tmp_path, dataset_to_json(ds), "rt.json")
    assert load_dataset(json_path) == ds


_rates = st.one_of(
    st.none(),
    st.fractions(min_value=0, max_value=100, max_denominator=1000),
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
)
_amounts = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False)
)
_bools = st.one_of(st.none(), st.booleans())
_ids = st.text(alphabet="ABCDEFG0123456789", min_size=1, max_size=4)
_names = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() != "")


@st.composite
def _datasets(draw: st.DrawFn) -> dict[str, Any]:
    industry_ids = draw(st.lists(_ids, max_size=3, unique=True))
    industries = [
        {
            "id": i,
            "name": draw(_names),
            "total_output": draw(_amounts),
            "association_active": draw(_bools),
            "spot_check_pass_rate": draw(
                st.one_of(st.none(), st.dictionaries(st.integers(1990, 2030), _rates.filter(
                    lambda r: r is not None), max_size=3))
            ),
            "brands": draw(st.one_of(st.none(), st.lists(st.fixed_dictionaries(
                {"name": _names, "sales": _amounts,
                 "level": st.sampled_from(["provincial", "national"])}), max_size=2))),
        }
        for i in industry_ids
    ]
    enterprise_ids = draw(st.lists(_ids, max_size=3, unique=True))
    enterprises = [
        {
            "id": e,
            "name": draw(_names),
            "industry": draw(st.one_of(st.none(), st.sampled_from(industry_ids)))
            if industry_ids else None,
            "quality_loss_rate": draw(_rates),
            "licensed": draw(_bools),
            "standards_participation": draw(st.one_of(st.none(), st.integers(0, 50))),
        }
        for e in enterprise_ids
    ]
    params = draw(st.dictionaries(
        st.text(alphabet="abc_", min_size=1, max_size=5),
        st.one_of(st.integers(0, 10), st.decimals(0, 100, places=2, allow_nan=False),
                  st.text(max_size=3)),
        max_size=3,
    ))
    return {
        "assessment": {"date": draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
                       "criteria_params": params},
        "county": {"code": "330681", "name": draw(_names)},
        "province_benchmarks": {"quality_loss_rate": draw(_rates)},
        "industries": industries,
        "enterprises": enterprises,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_datasets())
def test_round_trip_is_lossless(data: dict[str, Any]) -> None:
    ds = load_dataset(data)
    as_dict = dataset_to_dict(ds)
    assert load_dataset(json.loads(json.dumps(as_dict))) == ds
    assert load_dataset(as_dict) == ds
    text = dataset_to_json(ds, indent=None)
    reread = json.loads(text, parse_float=Decimal)
    assert load_dataset(reread) == ds


def test_round_trip_keeps_every_field() -> None:
    ds = load_dataset({**BASE, "enterprises": [{"id": "E", "name": "x"}]})
    assert set(dataset_to_dict(ds)["enterprises"][0]) == set(type(ds.enterprises[0]).model_fields)
    assert isinstance(ds, Dataset)


def test_text_that_utf8_cannot_hold_is_refused_with_its_path() -> None:
    data = {"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "\ud800"}}
    with pytest.raises(DataError) as info:
        load_dataset(data)
    assert info.value.path == "county.name" and "not valid Unicode" in info.value.message


@pytest.mark.parametrize(("name", "text"), [
    ("a.json", '{"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", '
               '"name": "\\ud800"}}'),
    ("b.json", '{"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", '
               '"name": "x\\uDFFFy"}}'),
    ("c.yaml", 'assessment: {date: 2014-11-01}\ncounty: {code: "330681", name: "\\ud800"}\n'),
    ("d.yaml", 'assessment: {date: 2014-11-01}\ncounty: {code: "330681", '
               'name: "\\U0000DC00"}\n'),
])
def test_a_file_whose_escapes_make_a_lone_surrogate_is_refused(tmp_path: Path, name: str,
                                                               text: str) -> None:
    """The reader skips the walk for such text only when no escape could make it: every
    escape of U+D800 to U+DFFF, in JSON's and YAML's spellings, is still refused (JSON's by
    the walk, with the value's path; YAML's already by the YAML reader, at its line)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_dataset(path)
    if name.endswith(".json"):
        assert info.value.path == "county.name" and "not valid Unicode" in info.value.message
    else:
        assert info.value.span is not None and info.value.span.line == 2


def test_a_file_with_a_surrogate_pair_escape_loads(tmp_path: Path) -> None:
    """A pair of escapes that makes one character (an emoji) is valid: the walk runs and
    finds nothing."""
    path = tmp_path / "ok.json"
    path.write_text('{"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", '
                    '"name": "\\ud83d\\ude00县"}}', encoding="utf-8")
    assert load_dataset(path).county.name == "\U0001F600县"


@pytest.mark.parametrize(("text", "may"), [
    ('"\\ud800"', True), ('"\\uD83D\\uDE00"', True), ('"\\U0000dfff"', True),
    ('"\\u6d59\\u6c5f"', False), ('"\\ud7ff"', False), ('"\\ue000"', False),
    ('"浙江 93.5%"', False), ('"\\U0001F600"', False), ("", False),
])
def test_which_escapes_may_make_a_surrogate(text: str, may: bool) -> None:
    from qstrong.core.limits import escapes_may_make_surrogates

    assert escapes_may_make_surrogates(text) is may


def test_documents_nested_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    deep = "[" * 900 + "]" * 900
    path = tmp_path / "deep.json"
    path.write_text('{"assessment": {"date": "2014-11-01", "criteria_params": {"x": '
                    + deep + '}}, "county": {"code": "330681", "name": "x"}}', encoding="utf-8")
    with pytest.raises(DataError, match="deeper than 64"):
        load_dataset(path)
    with pytest.raises(DataError, match="deeper than 64"):
        load_dataset(json.loads(path.read_text(encoding="utf-8")))


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        load_dataset(fifo)
