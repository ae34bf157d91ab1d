"""Excel workbooks: the template (validation, 说明), datasets read back exactly, results.

The LibreOffice checks run only where ``soffice``/``libreoffice`` is installed (Debian
package ``libreoffice-calc``); they use a private profile so that they never talk to
another running office instance.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from helpers import EXAMPLES, MIXED
from qstrong import evaluate, load_dataset
from qstrong.core.errors import DataError, DataErrors, QStrongError
from qstrong.core.logic import Status
from qstrong.data.models import Dataset
from qstrong.data.validate import dataset_to_dict
from qstrong.engine.results import Report
from qstrong.io.tabular import LAYOUT
from qstrong.io.workbook import (
    default_years,
    load_workbook_dataset,
    read_workbook,
    write_dataset_xlsx,
    write_template_xlsx,
)
from qstrong.io.workbook_style import STATUS_FILLS
from qstrong.report.workbook import write_results_xlsx

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    OFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc)")


@pytest.fixture(scope="module")
def mixed_report() -> Report:
    path = MIXED
    if not path.exists():
        pytest.skip("examples/county-mixed.yaml is not there yet")
    return evaluate(load_dataset(path))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template_xlsx(path, [2013, 2014])
    return path


def _office(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    assert OFFICE is not None
    return subprocess.run(
        [OFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         *args], capture_output=True, text=True, timeout=120, check=False)


# ---------------------------------------------------------------------------- examples


def test_bundled_workbook_evaluates_like_the_yaml(example: Dataset) -> None:
    workbook = EXAMPLES / "county.xlsx"
    assert workbook.exists(), "examples/county.xlsx: qstrong convert examples/county.yaml it"
    from_xlsx = load_workbook_dataset(workbook)
    assert from_xlsx == example
    assert evaluate(from_xlsx).to_json() == evaluate(example).to_json()


def test_every_example_round_trips_through_xlsx(tmp_path: Path) -> None:
    for source in sorted(EXAMPLES.glob("*.yaml")):
        dataset = load_dataset(source)
        path = tmp_path / f"{source.stem}.xlsx"
        write_dataset_xlsx(dataset, path)
        back = load_workbook_dataset(path)
        assert back == dataset, source.name
        assert dataset_to_dict(back) == dataset_to_dict(dataset), source.name
        assert evaluate(back).to_json() == evaluate(dataset).to_json(), source.name


EXACT = {
    "assessment": {"date": "2014-11-01", "criteria_params": {"stable_years": 3}},
    "county": {"code": "330681", "name": "诸暨市"},
    "province_benchmarks": {"unit_energy_consumption": {"袜子": "0.52"}},
    "industries": [{
        "id": "001", "name": "袜业", "total_output": 12.7, "province_scale_rank": 2,
        "unit_energy_consumption": "12.70",
        "regional_brand": {"name": "大唐", "user_output": "123456789012345678.5"},
        "key_energy_unit_metering_rate": "187/200",
        "spot_check_pass_rate": {2013: {"passed": 1, "total": 3}, 2014: "0.000001"},
    }],
    "enterprises": [{"id": "E1", "name": "企", "industry": "001",
                     "credit_code": "91440300708461136T", "quality_loss_rate": "1e-3"}],
}


def test_values_survive_exactly(tmp_path: Path) -> None:
    dataset = load_dataset(EXACT)
    path = tmp_path / "exact.xlsx"
    write_dataset_xlsx(dataset, path)
    back = load_workbook_dataset(path)
    assert back == dataset
    assert dataset_to_dict(back) == dataset_to_dict(dataset)
    industry = back.industries[0]
    assert industry.id == "001"
    assert industry.total_output == Decimal("12.7")
    assert str(industry.unit_energy_consumption) == "12.70"
    assert industry.key_energy_unit_metering_rate == Fraction(187, 2)
    assert industry.spot_check_pass_rate == {2013: Fraction(100, 3),
                                             2014: Fraction(1, 1000000)}
    assert back.enterprises[0].credit_code == "91440300708461136T"
    # what the cells hold: numbers where a float is exact, text where it is not
    ws = load_workbook(path)["强业"]
    cells = {ws.cell(row=1, column=c).value: ws.cell(row=2, column=c).value
             for c in range(1, ws.max_column + 1)}
    assert cells["产业总产值(万元) (total_output)"] == 12.7
    assert cells["单位能耗 (unit_energy_consumption)"] == "12.70"
    metering = "千吨以上重点用能单位能源计量器具配备达标率 (key_energy_unit_metering_rate)"
    assert cells[metering] == 93.5
    assert cells["产品质量监督抽查合格率·2013年 (spot_check_pass_rate.2013)"] == "1/3"
    assert cells["区域名牌·使用区域名牌标志企业产值(万元) (regional_brand.user_output)"] \
        == "123456789012345678.5"


def test_cells_as_excel_stores_what_staff_type(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "评审"
    ws.append(["评审基准日 (assessment.date)", "县(市、区)·行政区划代码 (county.code)",
               "县(市、区)·名称 (county.name)"])
    ws.append([dt.datetime(2014, 11, 1), 330681, "诸暨市"])
    ws = wb.create_sheet("强区")
    ws.append(["编号 (id)", "名称 (name)", "药品评价性抽验合格率 (drug_evaluation_pass_rate)",
               "涉及健康安全的生产许可产品监督抽查批次合格率 (licensed_product_pass_rate)",
               "农业标准化生产普及率 (agri_standardization_rate)",
               "已建立出口产品示范区 (export_demo_zone)",
               "质量安全责任体系健全 (safety_responsibility_system)"])
    ws.append([1, "开发区", 0.935, 30.1 + 0.2, "187/200", True, "否"])
    ws["C2"].number_format = "0.0%"          # Excel keeps 93.5% as 0.935
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    dataset = load_workbook_dataset(path)
    district = dataset.districts[0]
    assert dataset.assessment.date == dt.date(2014, 11, 1)
    assert dataset.county.code == "330681"
    assert district.id == "1"
    assert district.drug_evaluation_pass_rate == Fraction(187, 2)
    assert district.licensed_product_pass_rate == Fraction(303, 10)   # 15 digits, as Excel
    assert district.agri_standardization_rate == Fraction(187, 2)
    assert district.export_demo_zone is True
    assert district.safety_responsibility_system is False


def test_errors_name_the_cell_in_a_real_workbook(tmp_path: Path, example: Dataset) -> None:
    path = tmp_path / "bad.xlsx"
    write_dataset_xlsx(example, path)
    wb = load_workbook(path)
    ws = wb["强企"]
    headers = [c.value for c in ws[1]]
    rate = headers.index("质量损失率 (quality_loss_rate)") + 1
    lawful = headers.index("依法组织生产经营 (lawful_operation)") + 1
    ws.cell(row=12, column=rate, value=101)
    ws.cell(row=5, column=lawful, value="不是")
    ws.cell(row=7, column=1, value=ws.cell(row=6, column=1).value)
    wb.save(path)
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(path)
    found = {d.path: d for d in info.value.diagnostics}
    letter = ws.cell(row=12, column=rate).column_letter
    d = found[f"强企!{letter}12"]
    assert "质量损失率 (quality_loss_rate)" in d.message and "强企 E11" in d.message
    assert "101 is above 100" in d.message
    assert "应填“是”或“否”" in found[f"强企!{ws.cell(row=5, column=lawful).column_letter}5"].message
    assert "duplicate id 'E05'" in found["强企!A7"].message


@pytest.mark.parametrize(("title", "shift"), [("诸暨市质量强企候选名单", 2), (None, 1)])
def test_headings_below_row_one_are_one_error_naming_the_row(
        tmp_path: Path, example: Dataset, title: str | None, shift: int) -> None:
    path = tmp_path / "shifted.xlsx"
    write_dataset_xlsx(example, path)
    wb = load_workbook(path)
    ws = wb["强企"]
    ws.insert_rows(1, shift)
    if title:
        ws["A1"] = title
    wb.save(path)
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(path)
    [d] = info.value.diagnostics      # not one error per column
    assert d.path == f"强企!A{shift + 1}"
    assert f"列标题应在第 1 行，这张表的列标题在第 {shift + 1} 行" in d.message
    assert d.hint is not None and f"删除第 1—{shift} 行" in d.hint


def test_a_sheet_of_unknown_headings_is_not_mistaken_for_shifted_headings(
        tmp_path: Path, example: Dataset) -> None:
    path = tmp_path / "odd.xlsx"
    write_dataset_xlsx(example, path)
    wb = load_workbook(path)
    ws = wb["强企"]
    ws["A1"] = "编号X"          # row 1 still has known headings: the usual errors
    wb.save(path)
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(path)
    messages = [d.message for d in info.value.diagnostics]
    assert any("未知的列标题“编号X”" in m for m in messages)
    assert not any("列标题应在第 1 行" in m for m in messages)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DataError, match=r"不是可读取的 \.xlsx 工作簿"):
        read_workbook(path)
    with pytest.raises(DataError, match="无法读取文件"):
        read_workbook(tmp_path / "missing.xlsx")


def test_damaged_workbook(tmp_path: Path, template: Path) -> None:
    import zipfile

    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]          # cut off in the middle
            dst.writestr(item, data)
    with pytest.raises(DataError, match=r"工作簿已损坏|不是可读取的"):
        read_workbook(damaged)


# ---------------------------------------------------------------------------- template


def _validations(ws: Any) -> dict[str, Any]:
    """Data validation of each header, by the header text."""
    by_column: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            header = ws.cell(row=1, column=cell_range.min_col).value
            by_column[header] = dv
    return by_column


def test_template_sheets_and_headers(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames[0] == "说明"
    assert [n for n in wb.sheetnames if n not in ("说明", "选项")] == [s.name for s in LAYOUT]
    assert wb["选项"].sheet_state == "hidden"
    headers = [c.value for c in wb["强区"][1]]
    assert "食品抽查合格率·加工 (food_spot_check_pass_rate.processing)" in headers
    assert "生产环节产品质量监督抽查批次合格率·2013年 (production_spot_check_pass_rate.2013)" \
        in headers
    assert wb["强区"].freeze_panes == "C2"
    readme = [c.value for row in wb["说明"].iter_rows() for c in row if c.value]
    assert "质量损失率 (quality_loss_rate)" in readme
    assert any("187/200" in str(v) for v in readme)


def test_template_validation(template: Path) -> None:
    wb = load_workbook(template)
    district = _validations(wb["强区"])
    yes_no = district["已建立出口产品示范区 (export_demo_zone)"]
    assert yes_no.type == "list" and yes_no.formula1 == '"是,否"'
    headers = [c.value for c in wb["强区"][1]]
    letter = wb["强区"].cell(row=1, column=headers.index(
        "已建立出口产品示范区 (export_demo_zone)") + 1).column_letter
    assert str(yes_no.sqref) == f"{letter}2:{letter}1001"
    kind = district["类型 (kind)"]
    assert kind.type == "list" and kind.formula1.startswith("'选项'!$")
    options_col = kind.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    assert kind.formula1.endswith("$5")
    options = [c.value for c in wb["选项"][options_col]][1:5]
    assert options == ["开发区(园区)", "产业集聚区", "产业集群示范区", '农业"两区"']
    rate = district["药品评价性抽验合格率 (drug_evaluation_pass_rate)"]
    assert (rate.type, rate.operator, rate.formula1, rate.formula2) == (
        "decimal", "between", "0", "100")
    assert rate.errorStyle == "warning" and "187/200" in rate.error
    assert rate.showInputMessage and "93.5%" in rate.prompt
    enterprise = _validations(wb["强企"])
    rank = enterprise["品牌产品市场份额全省同行业排名 (brand_market_share_rank)"]
    assert (rank.type, rank.operator, rank.formula1) == ("whole", "greaterThanOrEqual", "1")
    count = enterprise["参与各级标准制修订的数量 (standards_participation)"]
    assert (count.type, count.formula1) == ("whole", "0")
    events = _validations(wb["事件"])
    assert events["候选对象类别 (candidate_kind)"].formula1 == '"强区,强业,强企"'
    assert events["日期 (date)"].type == "date"
    assert wb["强企"].column_dimensions["C"].number_format == "@"     # credit code as text


def test_template_reads_back_as_an_empty_document(template: Path) -> None:
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(template)
    paths = sorted(d.path or "" for d in info.value.diagnostics)
    assert paths == ["评审!A2", "评审!B2", "评审!C2"]


def test_default_template_years() -> None:
    assert default_years(dt.date(2024, 3, 1)) == [2023, 2024]  # what within 2 years reads


@needs_office
def test_libreoffice_opens_the_template_and_keeps_data(tmp_path: Path, template: Path,
                                                       example: Dataset) -> None:
    data = tmp_path / "data.xlsx"
    write_dataset_xlsx(example, data)
    pdf_dir, xlsx_dir = tmp_path / "pdf", tmp_path / "resaved"
    profile = tmp_path / "profile"
    done = _office(["--convert-to", "pdf", "--outdir", str(pdf_dir), str(template)], profile)
    assert (pdf_dir / "template.pdf").stat().st_size > 1000, done.stderr
    done = _office(["--convert-to", "xlsx", "--outdir", str(xlsx_dir), str(data),
                    str(template)], profile)
    resaved = xlsx_dir / "data.xlsx"
    assert resaved.exists(), done.stderr
    assert load_workbook_dataset(resaved) == example      # LibreOffice keeps every value
    validations = _validations(load_workbook(xlsx_dir / "template.xlsx")["强区"])
    assert validations["已建立出口产品示范区 (export_demo_zone)"].type == "list"
    assert validations["药品评价性抽验合格率 (drug_evaluation_pass_rate)"].type == "decimal"


# ---------------------------------------------------------------------------- results


def test_results_workbook(tmp_path: Path, mixed_report: Report) -> None:
    path = tmp_path / "results.xlsx"
    write_results_xlsx(mixed_report, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["总览", "强区", "强业", "强企", "明细", "待补数据"]
    summary = wb["总览"]
    values = {row[0].value: row[1] for row in summary.iter_rows(max_row=5)}
    verdict = values["县域结论"]
    assert verdict.value == {"pass": "达标", "fail": "未达标", "unknown": "无法判定"}[
        mixed_report.status.value]
    assert verdict.fill.fgColor.rgb.endswith(STATUS_FILLS[mixed_report.status])
    rows = {r[0].value: [c.value for c in r] for r in summary.iter_rows()}
    counts = mixed_report.county.counts["enterprise"]
    assert rows["产品质量强企"][1:5] == [sum(counts.values()), counts["pass"], counts["fail"],
                                   counts["unknown"]]

    enterprises = wb["强企"]
    headers = [c.value for c in enterprises[1]]
    assert headers[:3] == ["编号", "名称", "结论"]
    assert "enterprise/1 质量基础实" in headers and "enterprise/1 说明/差距" in headers
    districts = wb["强区"]
    for row, entity in enumerate([e for e in mixed_report.entities if e.kind == "district"],
                                 start=2):
        for index, clause in enumerate(entity.clauses):
            note = districts.cell(row=row, column=5 + 2 * index).value
            if clause.status is Status.PASS:
                assert note == clause.summary_zh
            else:   # the items that did not pass, with their margins
                leaves = [n for n in clause.walk() if not n.children
                          and n.status is clause.status]
                assert leaves and note == "；".join(n.summary_zh for n in leaves)
    results = [e for e in mixed_report.entities if e.kind == "enterprise"]
    assert enterprises.max_row == len(results) + 1
    colours: dict[Status, set[str]] = {Status.PASS: set(), Status.FAIL: set(),
                                       Status.UNKNOWN: set()}
    for row, entity in enumerate(results, start=2):
        cell = enterprises.cell(row=row, column=3)
        assert enterprises.cell(row=row, column=1).value == entity.id
        colours.setdefault(entity.status, set()).add(cell.fill.fgColor.rgb[-6:])
    for status, seen in colours.items():
        if seen:
            assert seen == {STATUS_FILLS[status]}
    assert len([s for s, seen in colours.items() if seen]) >= 2

    detail = wb["明细"]
    nodes = sum(len(e.nodes()) for e in mixed_report.entities)
    nodes += sum(len(c.walk()) for c in mixed_report.county.clauses)
    assert detail.max_row == nodes + 1
    first = [c.value for c in detail[2]]
    entity = mixed_report.entities[0]
    assert first[1:5] == [entity.id, entity.name, entity.clauses[0].id, 0]


def test_results_workbook_prints_as_wide_as_the_page(tmp_path: Path,
                                                    mixed_report: Report) -> None:
    path = tmp_path / "results.xlsx"
    write_results_xlsx(mixed_report, path)
    wb = load_workbook(path)
    titles = {"总览": (None, None), "强区": ("$1:$1", "$A:$C"), "强业": ("$1:$1", "$A:$C"),
              "强企": ("$1:$1", "$A:$C"), "明细": ("$1:$1", None),
              "待补数据": ("$1:$1", None)}
    for ws in wb:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.print_title_rows, ws.print_title_cols) == titles[ws.title]
        assert "&P" in ws.oddFooter.center.text


@needs_office
def test_libreoffice_prints_the_results_one_page_wide(tmp_path: Path, example: Dataset) -> None:
    path = tmp_path / "results.xlsx"
    write_results_xlsx(evaluate(example), path)
    done = _office(["--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   tmp_path / "profile")
    pdf = (tmp_path / "results.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # 145 pages before print setup (columns spilled across portrait pages); 20 with it.
    assert 0 < pages <= 30, (pages, done.stderr)


def test_results_workbook_in_english(tmp_path: Path, mixed_report: Report) -> None:
    path = tmp_path / "results-en.xlsx"
    write_results_xlsx(mixed_report, path, lang="en")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Districts", "Industries", "Enterprises", "Details",
                             "To fill in"]
    assert wb["Districts"]["C1"].value == "Status"
    with pytest.raises(ValueError, match="lang"):
        write_results_xlsx(mixed_report, path, lang="fr")


# ---------------------------------------------------------------------------- to_frame


def test_report_frame(mixed_report: Report) -> None:
    pandas = pytest.importorskip("pandas")
    from qstrong.report.frame import report_frame

    frame = report_frame(mixed_report)
    assert isinstance(frame, pandas.DataFrame)
    assert len(frame) == len(mixed_report.entities)
    assert list(frame.columns[:4]) == ["kind", "entity_id", "entity_name", "entity_status"]
    first = mixed_report.entities[0]
    assert frame.iloc[0][first.clauses[0].id] == first.clauses[0].status.value
    enterprises = frame[frame.kind == "enterprise"]
    assert enterprises.entity_status.value_counts().to_dict() == {
        k: v for k, v in mixed_report.county.counts["enterprise"].items() if v}
    nodes = report_frame(mixed_report, level="node")
    assert len(nodes) == sum(len(e.nodes()) for e in mixed_report.entities)
    clauses = report_frame(mixed_report, level="clause", lang="en")
    assert len(clauses) == sum(len(e.clauses) for e in mixed_report.entities)
    assert set(clauses.depth) == {0}
    with pytest.raises(ValueError, match="level"):
        report_frame(mixed_report, level="row")  # type: ignore[arg-type]


def test_report_frame_without_pandas(mixed_report: Report,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from qstrong.report import frame

    real = importlib.import_module

    def no_pandas(name: str, *args: Any) -> Any:
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_pandas)
    with pytest.raises(QStrongError, match="需要 pandas") as info:
        frame.report_frame(mixed_report)
    assert info.value.hint == "pip install 'qstrong[pandas]'"
    assert frame.entity_rows(mixed_report)[0]["entity_id"] == mixed_report.entities[0].id


def test_names_never_become_formulas_and_control_characters_are_shown(tmp_path: Path) -> None:
    data = {"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "县\x1b"},
            "enterprises": [{"id": "E1", "name": '=HYPERLINK("http://x","y")'},
                            {"id": "E2", "name": "乙\x07"}, {"id": "E3", "name": "#N/A"}]}
    report = evaluate(data)
    path = tmp_path / "r.xlsx"
    write_results_xlsx(report, path)
    book = load_workbook(path)
    formulas = [c.coordinate for ws in book for row in ws.iter_rows() for c in row
                if c.data_type in ("f", "e")]
    assert formulas == []
    values = [c.value for ws in book for row in ws.iter_rows() for c in row
              if isinstance(c.value, str)]
    assert '=HYPERLINK("http://x","y")' in values and "乙\\x07" in values
    assert "#N/A" in values
    dataset_path = tmp_path / "d.xlsx"
    write_dataset_xlsx(load_dataset(data), dataset_path)
    assert [c for ws in load_workbook(dataset_path) for row in ws.iter_rows() for c in row
            if c.data_type == "f"] == []


@pytest.mark.parametrize("typed", [0.935, "0.935", 1])
def test_a_pass_rate_typed_as_a_fraction_of_one_is_refused(tmp_path: Path,
                                                           typed: object) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "评审"
    ws.append(["评审基准日 (assessment.date)", "县(市、区)·行政区划代码 (county.code)",
               "县(市、区)·名称 (county.name)"])
    ws.append([dt.datetime(2014, 11, 1), 330681, "诸暨市"])
    ws = wb.create_sheet("强区")
    ws.append(["编号 (id)", "名称 (name)", "药品评价性抽验合格率 (drug_evaluation_pass_rate)"])
    ws.append(["D1", "开发区", typed])
    path = tmp_path / "fraction.xlsx"
    wb.save(path)
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(path)
    (d,) = info.value.diagnostics
    assert d.path == "强区!C2" and "看起来是写成小数的比率" in d.message
    expected = "写 100 或 100%" if typed == 1 else "写 93.5 或 93.5%"
    assert d.hint is not None and str(d.hint).startswith(expected)


def _review_sheet(wb: Any) -> None:
    ws = wb.active
    ws.title = "评审"
    ws.append(["评审基准日 (assessment.date)", "县(市、区)·行政区划代码 (county.code)",
               "县(市、区)·名称 (county.name)"])
    ws.append([dt.datetime(2014, 11, 1), 330681, "诸暨市"])


def test_a_formula_saved_without_its_result_is_an_error_naming_the_cell(
        tmp_path: Path) -> None:
    wb = Workbook()
    _review_sheet(wb)
    ws = wb.create_sheet("强区")
    ws.append(["编号 (id)", "名称 (name)", "药品评价性抽验合格率 (drug_evaluation_pass_rate)"])
    ws.append(["D1", "开发区", "=90+6"])  # openpyxl saves formulas without results
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(path)
    assert [(d.path, "没有保存它的计算结果" in d.message) for d in info.value.diagnostics] == [
        ("强区!C2", True)]


def test_covered_cells_of_a_merged_range_are_errors(tmp_path: Path) -> None:
    wb = Workbook()
    _review_sheet(wb)
    ws = wb.create_sheet("强区")
    ws.append(["编号 (id)", "名称 (name)", "已建立出口产品示范区 (export_demo_zone)",
               "质量安全责任体系健全 (safety_responsibility_system)"])
    ws.append(["D1", "开发区", "是", None])
    ws.merge_cells("C2:D2")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    with pytest.raises(DataErrors) as info:
        load_workbook_dataset(path)
    assert [d.path for d in info.value.diagnostics] == ["强区!D2"]


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qstrong.io.workbook as workbook

    path = tmp_path / "bomb.xlsx"
    write_template_xlsx(path, [2013, 2014])
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(DataError, match="工作簿解压后有"):
        load_workbook_dataset(path)


def test_fields_of_an_optional_group_are_required_only_with_the_group(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template_xlsx(path, [2013, 2014])
    readme = load_workbook(path)["说明"]
    marks = {row[1].value: row[3].value for row in readme.iter_rows() if row[1].value}
    assert marks["区域名牌·名称 (regional_brand.name)"] == "填写“区域名牌”时必填"
    assert marks["编号 (id)"] == "是"


def test_a_results_workbook_past_excel_rows_is_refused_before_writing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import qstrong.report.workbook as results_workbook
    from qstrong.cli import main

    example = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"
    report = evaluate(example)
    rows = 1 + sum(len(e.statuses()) for e in report.entities) + sum(
        len(c.walk()) for c in report.county.clauses)
    monkeypatch.setattr(results_workbook, "EXCEL_MAX_ROWS", rows - 1)
    target = tmp_path / "r.xlsx"
    with pytest.raises(QStrongError) as caught:
        results_workbook.write_results_xlsx(report, target)
    assert caught.value.diagnostics[0].code == "E004"
    assert f"{rows:,} 行" in str(caught.value) and not target.exists()
    assert main(["evaluate", str(example), "--format", "xlsx", "-o", str(target),
                 "--no-progress"]) == 2
    assert "jsonl" in capsys.readouterr().err and not target.exists()
    monkeypatch.setattr(results_workbook, "EXCEL_MAX_ROWS", rows)
    results_workbook.write_results_xlsx(report, target)
    assert target.exists()


def test_the_results_workbook_reports_its_progress(tmp_path: Path, mixed_report: Report) -> None:
    seen: list[tuple[int, int]] = []
    write_results_xlsx(mixed_report, tmp_path / "r.xlsx",
                       progress=lambda done, total: seen.append((done, total)))
    total = len(mixed_report.entities) + 2
    assert seen == [(i, total) for i in range(1, total + 1)]


def test_an_in_order_sheet_writes_what_put_writes_on_a_normal_sheet(tmp_path: Path) -> None:
    from openpyxl.styles import Font

    from qstrong.io.workbook_style import InOrderSheet, put

    def fill(ws: Any) -> None:
        ws.column_dimensions["B"].width = 30
        ws.freeze_panes = "B2"
        put(ws, 1, 1, "heading").font = Font(bold=True)
        put(ws, 1, 3, "=1+1")
        ws.row_dimensions[1].height = 40
        put(ws, 3, 2, 7)          # row 2 left blank
        put(ws, 3, 4, "#DIV/0!")
        ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=6)

    normal, streamed = Workbook(), Workbook(write_only=True)
    fill(normal.active)
    sheet = InOrderSheet(streamed.create_sheet("Sheet"))
    fill(sheet)
    with pytest.raises(ValueError, match="in order"):
        put(sheet, 1, 1, "too late")
    sheet.close()
    normal.save(tmp_path / "normal.xlsx")
    streamed.save(tmp_path / "streamed.xlsx")

    def read(name: str) -> tuple[Any, ...]:
        ws = load_workbook(tmp_path / name).active
        return ([(c.coordinate, c.value, c.data_type, c.font.b) for row in ws.iter_rows()
                 for c in row if c.value is not None],
                [str(r) for r in ws.merged_cells.ranges], ws.column_dimensions["B"].width,
                ws.row_dimensions[1].height, ws.freeze_panes)

    assert read("streamed.xlsx") == read("normal.xlsx")
    cells = read("streamed.xlsx")[0]
    assert ("C1", "=1+1", "s", False) in cells and ("D3", "#DIV/0!", "s", False) in cells
