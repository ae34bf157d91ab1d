"""The sheet layout: columns for every field, cell forms staff type, errors naming their cell.

Sheets are built in memory here (cells as a CSV reader gives them: text or None), so these
tests need neither openpyxl nor files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from pydantic import BaseModel

from qstrong.core.errors import DataErrors, Diagnostic
from qstrong.data.models import District, Enterprise, Industry, ProvinceBenchmarks
from qstrong.data.validate import dataset_to_dict
from qstrong.io.load import load_dataset
from qstrong.io.tabular import (
    LAYOUT,
    RawSheet,
    column_letter,
    dataset_to_tables,
    load_tables,
    parse_bool,
    sheet_spec,
    tables_to_mapping,
)

REVIEW = ["评审基准日 (assessment.date)", "县(市、区)·行政区划代码 (county.code)",
          "县(市、区)·名称 (county.name)"]
DISTRICT_HEADERS = [
    "编号 (id)",                                                               # A
    "名称 (name)",                                                             # B
    "类型 (kind)",                                                             # C
    "生产环节产品质量监督抽查批次合格率·2013年 (production_spot_check_pass_rate.2013)",  # D
    "生产环节产品质量监督抽查批次合格率·2014年 (production_spot_check_pass_rate.2014)",  # E
    "药品评价性抽验合格率 (drug_evaluation_pass_rate)",                          # F
    "已建立出口产品示范区 (export_demo_zone)",                                   # G
    "事件·条数 (incidents)",                                                    # H
]


def sheets(**overrides: list[list[Any]]) -> list[RawSheet]:
    """A small valid document: 评审, 强区 (D1, D2), 强业 (I1), 强企 (E1), 事件."""
    base: dict[str, list[list[Any]]] = {
        "评审": [REVIEW, ["2014-11-01", "330681", "诸暨市"]],
        "强区": [
            DISTRICT_HEADERS,
            ["D1", "开发区", "开发区(园区)", "187/200", "93.5%", "98.1", "是", "1"],
            ["D2", "集聚区", "industry_cluster_zone", "94", "95.25", "96", "否", "0"],
        ],
        "强业": [
            ["编号 (id)", "名称 (name)", "产业总产值(万元) (total_output)",
             "区域名牌·名称 (regional_brand.name)",
             "区域名牌·使用区域名牌标志企业产值(万元) (regional_brand.user_output)"],
            ["I1", "袜业", "12.7", "", ""],
        ],
        "强企": [
            ["编号 (id)", "名称 (name)", "所属产业 (industry)",
             "规模以上企业 (above_designated_size)", "质量损失率 (quality_loss_rate)",
             "参与各级标准制修订的数量 (standards_participation)",
             "名牌、著名商标等品牌·条数 (brands)"],
            ["E1", "锦丰", "I1", "TRUE", "0.9", "3", ""],
        ],
        "事件": [
            ["候选对象类别 (candidate_kind)", "候选对象编号 (candidate_id)", "日期 (date)",
             "类型 (type)", "说明 (description)"],
            ["强区", "D1", "2012/6/15", "行业性质量安全事故", "已整治"],
        ],
    }
    base.update(overrides)
    return [RawSheet(name, [list(row) for row in rows]) for name, rows in base.items()]


def errors(raw: list[RawSheet]) -> list[Diagnostic]:
    with pytest.raises(DataErrors) as info:
        load_tables(raw)
    return info.value.diagnostics


def one(raw: list[RawSheet], path: str) -> Diagnostic:
    found = [d for d in errors(raw) if d.path == path]
    assert found, [d.headline() for d in errors(raw)]
    return found[0]


def replace_cell(raw: list[RawSheet], sheet: str, ref: tuple[int, int], value: Any) -> None:
    rows = next(s for s in raw if s.name == sheet).rows
    row, col = ref
    rows[row - 1][col - 1] = value


def cell_error(sheet: str, ref: tuple[int, int], value: Any, path: str) -> Diagnostic:
    """The diagnostic at ``path`` when the cell at ``ref`` (row, column; row 1 is the
    headers) of ``sheet`` in the small valid document holds ``value``."""
    raw = sheets()
    replace_cell(raw, sheet, ref, value)
    return one(raw, path)


# ---------------------------------------------------------------------------- layout


def _leaf_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        nested = [a for a in (annotation, *args)
                  if isinstance(a, type) and issubclass(a, BaseModel)]
        if nested:
            keys |= _leaf_keys(nested[0], f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


@pytest.mark.parametrize(("sheet", "model"), [
    ("强区", District), ("强业", Industry), ("强企", Enterprise)])
def test_every_entity_field_has_a_column(sheet: str, model: type[BaseModel]) -> None:
    keys = {c.key for c in sheet_spec(sheet).columns}
    assert _leaf_keys(model) == keys


def test_province_benchmarks_are_split_over_two_sheets() -> None:
    keys = {c.key for c in sheet_spec("省基准").columns}
    keys |= {sheet_spec("单位能耗基准").columns[1].key}
    assert keys == set(ProvinceBenchmarks.model_fields)


def test_headers_are_title_plus_field_name() -> None:
    district = sheet_spec("强区")
    food = district.column("food_spot_check_pass_rate.processing")
    assert food is not None
    assert food.header() == "食品抽查合格率·加工 (food_spot_check_pass_rate.processing)"
    years = district.column("production_spot_check_pass_rate")
    assert years is not None and years.years
    assert years.header(2013) == (
        "生产环节产品质量监督抽查批次合格率·2013年 (production_spot_check_pass_rate.2013)")
    incidents = district.column("incidents")
    assert incidents is not None and incidents.kind == "list"


def test_sheet_names_are_unique_and_cover_the_issue() -> None:
    names = [s.name for s in LAYOUT]
    assert len(names) == len(set(names))
    assert {"强区", "强业", "强企", "省基准", "事件", "评审"} <= set(names)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


# ---------------------------------------------------------------------------- cell forms


@pytest.mark.parametrize(("text", "value"), [
    ("是", True), ("否", False), ("TRUE", True), ("false", False), (" 是 ", True),
    (True, True)])
def test_yes_no_forms(text: object, value: bool) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["对", "1", "Y", "yes", "", 1])
def test_yes_no_refuses_guesses(text: object) -> None:
    with pytest.raises(ValueError, match=r"是.*否"):
        parse_bool(text)


def test_staff_forms_are_read_exactly() -> None:
    ds = load_tables(sheets())
    d1, d2 = ds.districts
    assert d1.production_spot_check_pass_rate == {2013: Fraction(187, 2),
                                                  2014: Fraction(187, 2)}
    assert d2.production_spot_check_pass_rate == {2013: 94, 2014: Fraction(381, 4)}
    assert d1.kind == "development_zone" and d2.kind == "industry_cluster_zone"
    assert d1.export_demo_zone is True and d2.export_demo_zone is False
    assert d1.incidents is not None and d1.incidents[0].date == dt.date(2012, 6, 15)
    assert d1.incidents[0].type == "industry_quality_safety"
    assert d2.incidents == []              # 0 rows declared: none, not missing
    assert d1.food_spot_check_pass_rate is None
    industry = ds.industries[0]
    assert industry.total_output == Decimal("12.7")
    assert industry.regional_brand is None
    enterprise = ds.enterprises[0]
    assert enterprise.above_designated_size is True
    assert enterprise.standards_participation == 3
    assert enterprise.brands is None       # empty count, no rows: missing
    assert enterprise.incidents is None


def test_full_width_and_spaces_are_normalised() -> None:
    raw = sheets()
    replace_cell(raw, "强区", (2, 6), "９８.１％")
    replace_cell(raw, "强区", (2, 3), " 开发区（园区） ")
    ds = load_tables(raw)
    assert ds.districts[0].drug_evaluation_pass_rate == Fraction(981, 10)
    assert ds.districts[0].kind == "development_zone"


def test_chinese_only_and_field_only_headers_are_accepted() -> None:
    raw = sheets()
    headers = next(s for s in raw if s.name == "强区").rows[0]
    headers[3] = "生产环节产品质量监督抽查批次合格率·2013年"
    headers[5] = "drug_evaluation_pass_rate"
    headers[6] = "已建立出口产品示范区（export_demo_zone）"   # full-width brackets
    ds = load_tables(raw)
    assert ds.districts[0].production_spot_check_pass_rate is not None
    assert ds.districts[0].drug_evaluation_pass_rate == Fraction(981, 10)


def test_notes_and_explanations_are_ignored() -> None:
    raw = sheets()
    raw.append(RawSheet("说明", [["anything"], ["at all"]]))
    raw.append(RawSheet("备注-张三", [["随便写"]]))
    raw.append(RawSheet("Sheet1", []))
    district = next(s for s in raw if s.name == "强区").rows
    district[0].append("备注")
    district[1].append("核实过")
    load_tables(raw)


def test_criteria_params_keep_their_type() -> None:
    raw = sheets(评审参数=[["参数名 (name)", "值 (value)"], ["stable_years", "3"],
                       ["quality_loss_drop", "25%"], ["x", "0.5"]])
    params = tables_to_mapping(raw)["assessment"]["criteria_params"]
    assert params == {"stable_years": 3, "quality_loss_drop": "25%", "x": Decimal("0.5")}


# ---------------------------------------------------------------------------- errors


def test_bad_rate_names_sheet_cell_header_and_candidate() -> None:
    d = cell_error("强区", (3, 6), "101", "强区!F3")
    assert d.code == "E201"
    assert "药品评价性抽验合格率 (drug_evaluation_pass_rate)" in d.message
    assert "强区 D2" in d.message
    assert "101 is above 100" in d.message
    assert d.headline().startswith("强区!F3: error[E201]: ")
    assert d.hint is not None and "187/200" in d.hint


def test_bad_year_rate_points_at_its_year_column() -> None:
    d = cell_error("强区", (2, 5), "abc", "强区!E2")
    assert "·2014年" in d.message and "强区 D1" in d.message


def test_bad_yes_no() -> None:
    raw = sheets()
    replace_cell(raw, "强区", (2, 7), "对")
    d = one(raw, "强区!G2")
    assert "已建立出口产品示范区 (export_demo_zone)" in d.message
    assert "强区 D1" in d.message and "应填“是”或“否”" in d.message
    assert len(errors(raw)) == 1        # no second, model-level error for the same cell


def test_unknown_sheet_suggests_a_name() -> None:
    raw = sheets()
    raw.append(RawSheet("强企业", [["编号 (id)"], ["E9"]]))
    d = one(raw, "强企业!A1")
    assert d.code == "E210" and "未知的工作表“强企业”" in d.message
    assert str(d.hint) == "是不是“强企”？"


def test_unknown_header_suggests_a_column() -> None:
    d = cell_error("强区", (1, 6), "药品评价抽验合格率 (drug_evaluation_passrate)", "强区!F1")
    assert d.code == "E210" and "未知的列标题" in d.message
    assert str(d.hint) == "是不是“药品评价性抽验合格率 (drug_evaluation_pass_rate)”？"


def test_duplicate_column() -> None:
    d = cell_error("强区", (1, 7), "药品评价性抽验合格率 (drug_evaluation_pass_rate)", "强区!G1")
    assert "与 F 列重复" in d.message


def test_missing_required_column_and_sheet() -> None:
    raw = [s for s in sheets() if s.name != "评审"]
    d = one(raw, "评审!A1")
    assert "缺少工作表“评审”" in d.message
    assert not [e for e in errors(raw) if "missing required field" in e.message]
    raw = sheets()
    district = next(s for s in raw if s.name == "强区")
    district.rows = [r[1:] for r in district.rows]
    assert any("缺少必填的列“编号 (id)”" in e.message for e in errors(raw))


def test_duplicate_id_names_both_cells() -> None:
    d = cell_error("强区", (3, 1), "D1", "强区!A3")
    assert "duplicate id 'D1'" in d.message and "与 强区!A2 重复" in d.message
    assert "编号 (id)" in d.message


def test_unknown_industry_reference() -> None:
    d = cell_error("强企", (2, 3), "I2", "强企!C2")
    assert "no industry with id 'I2'" in d.message and "强企 E1" in d.message


def test_list_rows_must_match_their_count() -> None:
    d = cell_error("强区", (3, 8), "2", "强区!H3")
    assert d.code == "E210" and "条数填的是 2，但“事件”表中有 0 行" in d.message
    d = cell_error("强区", (2, 8), "无", "强区!H2")   # 无 = none, but a row is listed
    assert "条数填的是 0" in d.message


def test_list_row_for_an_unknown_candidate() -> None:
    d = cell_error("事件", (2, 2), "D-1", "事件!B2")
    assert "“强区”表中没有编号 D-1" in d.message and str(d.hint) == "是不是“D1”？"


def test_bad_enum_and_owner_kind() -> None:
    d = cell_error("事件", (2, 4), "行业性质量安全事", "事件!D2")
    assert "是不是“行业性质量安全事故”" in d.message and "强区 D1" in d.message
    assert "应填 强区、强业、强企 之一" in cell_error("事件", (2, 1), "强县", "事件!A2").message


def test_incident_type_of_another_kind_is_refused() -> None:
    d = cell_error("事件", (2, 4), "重大质量事故", "事件!D2")   # an enterprise incident type
    assert "应从下拉列表中选择" in d.message


def test_bad_date_and_excel_date_trap() -> None:
    assert "不是真实存在的日期" in cell_error("事件", (2, 3), "2014-02-30", "事件!C2").message
    d = cell_error("事件", (2, 3), "去年", "事件!C2")
    assert "expected a date like 2014-06-30" in d.message
    d = cell_error("强区", (2, 6), dt.datetime(2024, 1, 3), "强区!F2")
    assert "日期" in d.message and d.hint is not None and "文本" in d.hint


def test_required_cell_left_empty() -> None:
    d = cell_error("评审", (2, 1), None, "评审!A2")
    assert "missing required field 'date'" in d.message


def test_second_row_on_a_record_sheet() -> None:
    raw = sheets()
    next(s for s in raw if s.name == "评审").rows.append(["2015-01-01", "330681", "x"])
    assert "只填一行" in one(raw, "评审!A3").message


def test_sales_only_for_industry_brands() -> None:
    raw = sheets(品牌=[
        ["候选对象类别 (candidate_kind)", "候选对象编号 (candidate_id)", "名称 (name)",
         "级别 (level)", "销售产值(万元) (sales)"],
        ["强业", "I1", "锦丰", "国家级", "386000"],
        ["强企", "E1", "锦丰", "national", "100"],
    ])
    d = one(raw, "品牌!E3")
    assert "强企不填这一列" in d.message


def test_every_problem_is_reported_at_once_in_sheet_order() -> None:
    raw = sheets()
    replace_cell(raw, "强企", (2, 5), "-1")
    replace_cell(raw, "强区", (3, 6), "101")
    replace_cell(raw, "强区", (2, 7), "对")
    paths = [d.path for d in errors(raw)]
    assert paths == ["强区!G2", "强区!F3", "强企!E2"]
    assert all("Traceback" not in d.message for d in errors(raw))


# ---------------------------------------------------------------------------- round trip


ROUND_TRIP = {
    "assessment": {"date": "2014-11-01",
                   "criteria_params": {"stable_years": 3, "quality_loss_drop": "25%"}},
    "county": {"code": "330681", "name": "诸暨市"},
    "province_benchmarks": {"quality_loss_rate": "1.8", "spot_check_pass_rate": {2014: 90.3},
                            "unit_energy_consumption": {"袜子": "0.52", "2013": 1}},
    "districts": [{"id": "D1", "name": "区", "production_spot_check_pass_rate": {
        2013: "187/200", 2014: {"passed": 1, "total": 3}},
        "food_spot_check_pass_rate": {"processing": "95.8%"},
        "standards": [{"name": "联盟标准", "kind": "alliance", "implemented": True}],
        "incidents": []}],
    "industries": [{"id": "I1", "name": "袜业", "total_output": "12.70",
                    "regional_brand": {"name": "大唐袜业", "user_output": 12.7},
                    "brands": [{"name": "锦丰", "level": "national", "sales": 386000}],
                    "incidents": [{"date": "2013-01-01", "type": "major_quality_safety"}]}],
    "enterprises": [{"id": "E1", "name": "企", "industry": "I1", "credit_code": None,
                     "above_designated_size": False, "incidents": [
                         {"date": "2014-01-02", "type": "major_quality_accident",
                          "description": "说明, with a comma"}]}],
}


def _as_csv_cells(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def test_tables_round_trip_exactly() -> None:
    ds = load_dataset(ROUND_TRIP)
    tables = dataset_to_tables(ds)
    raw = [RawSheet(t.name, [t.headers] + [[_as_csv_cells(v) for v in r] for r in t.rows])
           for t in tables]
    back = load_tables(raw)
    assert back == ds
    assert dataset_to_dict(back) == dataset_to_dict(ds)
    assert back.industries[0].total_output == Decimal("12.70")
    assert str(back.industries[0].total_output) == "12.70"
    rates = back.districts[0].production_spot_check_pass_rate
    assert rates == {2013: Fraction(187, 2), 2014: Fraction(100, 3)}


def test_written_cells_are_what_staff_would_type() -> None:
    ds = load_dataset(ROUND_TRIP)
    tables = {t.name: t for t in dataset_to_tables(ds)}
    district = tables["强区"]
    row = dict(zip(district.headers, district.rows[0], strict=True))
    assert row["生产环节产品质量监督抽查批次合格率·2013年 (production_spot_check_pass_rate.2013)"] \
        == Decimal("93.5")
    assert row["生产环节产品质量监督抽查批次合格率·2014年 (production_spot_check_pass_rate.2014)"] \
        == "1/3"
    assert row["事件·条数 (incidents)"] == 0
    assert row["已建立出口产品示范区 (export_demo_zone)"] is None
    enterprise = dict(zip(tables["强企"].headers, tables["强企"].rows[0], strict=True))
    assert enterprise["规模以上企业 (above_designated_size)"] == "否"
    events = tables["事件"]
    assert [r[:2] for r in events.rows] == [["强业", "I1"], ["强企", "E1"]]
    assert events.rows[1][3] == "重大质量事故"


def test_template_has_year_columns_and_no_rows() -> None:
    tables = dataset_to_tables(None, [2013, 2014])
    district = next(t for t in tables if t.name == "强区")
    assert not district.rows
    assert sum("production_spot_check_pass_rate." in h for h in district.headers) == 2


def test_an_unknown_header_does_not_hide_other_problems() -> None:
    raw = sheets()
    next(s for s in raw if s.name == "强区").rows[0][5] = "药品评价抽验合格率"
    replace_cell(raw, "强区", (2, 7), "对")
    assert [d.path for d in errors(raw)] == ["强区!F1", "强区!G2"]


def test_missing_required_column_on_the_record_sheet() -> None:
    raw = sheets()
    review = next(s for s in raw if s.name == "评审")
    review.rows = [r[:2] for r in review.rows]
    found = errors(raw)
    assert [d.path for d in found] == ["评审!C1"]
    assert "缺少必填的列“县(市、区)·名称 (county.name)”" in found[0].message


def test_year_columns_without_any_year_data() -> None:
    tables = dataset_to_tables(load_dataset({"assessment": {"date": "2014-11-01"},
                                             "county": {"code": "330681", "name": "县"}}))
    bench = next(t for t in tables if t.name == "省基准")
    assert bench.headers[1:] == [
        "全省产品质量监督抽查合格率·2013年 (spot_check_pass_rate.2013)",
        "全省产品质量监督抽查合格率·2014年 (spot_check_pass_rate.2014)"]


def test_a_list_of_choices_is_one_cell() -> None:
    from qstrong.io.cells import CellError, parse_cell, write_cell

    col = sheet_spec("强业").column("focus")
    assert col is not None and col.kind == "enum_list"
    assert parse_cell(col, "当地主要特色产业、制造业转型升级重点产业") == [
        "featured", "manufacturing_upgrade"]
    assert parse_cell(col, "strategic_emerging, featured") == ["strategic_emerging", "featured"]
    assert parse_cell(col, "无") == []
    assert parse_cell(col, "") is None
    assert write_cell(col, ["featured", "strategic_emerging"]) == "当地主要特色产业、战略性新兴产业"
    with pytest.raises(CellError, match="是不是"):
        parse_cell(col, "当地主要特色产")


def test_a_year_is_a_whole_number_cell() -> None:
    from qstrong.io.cells import CellError, parse_cell

    col = sheet_spec("强区").column("standard_adoption_rate.baseline_year")
    assert col is not None and col.kind == "year"
    assert parse_cell(col, "2012") == 2012
    assert parse_cell(col, Decimal("2013")) == 2013
    with pytest.raises(CellError):
        parse_cell(col, dt.date(2012, 1, 1))


def test_data_past_the_last_heading_is_an_error_naming_the_column() -> None:
    raw = sheets(强企=[
        ["编号 (id)", "名称 (name)", "所属产业 (industry)"],
        ["E1", "锦丰", "I1", "", "多写的一格"],
    ])
    found = errors(raw)
    assert [(d.path, "没有列标题" in d.message) for d in found] == [("强企!E1", True)]


def test_an_incident_after_the_assessment_date_names_its_cell() -> None:
    raw = sheets(事件=[
        ["候选对象类别 (candidate_kind)", "候选对象编号 (candidate_id)", "日期 (date)",
         "类型 (type)", "说明 (description)"],
        ["强区", "D1", "2041/6/15", "行业性质量安全事故", "年份打错"],
    ])
    (d,) = errors(raw)
    assert d.path == "事件!C2" and "after the assessment date" in d.message


def test_a_count_cell_with_a_huge_exponent_is_refused_at_once() -> None:
    raw = sheets(强企=[
        ["编号 (id)", "名称 (name)", "参与各级标准制修订的数量 (standards_participation)"],
        ["E1", "锦丰", "1e999999999"],
    ])
    (d,) = errors(raw)
    assert d.path == "强企!C2" and "太大" in d.message


INDUSTRY_HEADERS = ["编号 (id)", "名称 (name)", "产业总产值(万元) (total_output)",
                    "区域名牌·名称 (regional_brand.name)",
                    "区域名牌·使用区域名牌标志企业产值(万元) (regional_brand.user_output)"]


@pytest.mark.parametrize(("typed", "read"), [("12,700", Decimal("12700")),
                                             ("12，700.5", Decimal("12700.5"))])
def test_numbers_with_valid_thousands_separators_are_read(typed: str, read: Decimal) -> None:
    raw = sheets(强业=[
        INDUSTRY_HEADERS, ["I1", "袜业", typed, "", ""]])
    assert load_tables(raw).industries[0].total_output == read


@pytest.mark.parametrize(("typed", "hint"), [("12,70", "每三位一个逗号"), ("/", "留空表示缺数据"),
                                             ("无", "留空表示缺数据"), ("—", "留空表示缺数据")])
def test_misplaced_separators_and_no_data_words_get_a_hint(typed: str, hint: str) -> None:
    raw = sheets(强业=[
        INDUSTRY_HEADERS, ["I1", "袜业", typed, "", ""]])
    (d,) = errors(raw)
    assert d.path == "强业!C2" and hint in (d.hint or "")


def test_ids_are_trimmed_like_values() -> None:
    raw = sheets(事件=[
        ["候选对象类别 (candidate_kind)", "候选对象编号 (candidate_id)", "日期 (date)",
         "类型 (type)", "说明 (description)"],
        ["强区", "D1 ", "2012/6/15", "行业性质量安全事故", "编号后多了空格"],
    ])
    dataset = load_tables(raw)
    assert dataset.districts[0].incidents is not None and len(dataset.districts[0].incidents) == 1


def test_a_heading_can_declare_its_rates_typed_as_fractions() -> None:
    raw = sheets(强企=[
        ["编号 (id)", "名称 (name)", "质量损失率 (quality_loss_rate) [小数]"],
        ["E1", "锦丰", "0.025"],
    ])
    assert load_tables(raw).enterprises[0].quality_loss_rate == Fraction(5, 2)
    wrong = sheets(强企=[["编号 (id)", "名称 (name)", "所属产业 (industry) [小数]"],
                         ["E1", "锦丰", "I1"]])
    assert any("只有比率列可以标注" in d.message for d in errors(wrong))
