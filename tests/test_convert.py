"""Converting between YAML, JSON, .xlsx and CSV folders keeps every value exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from helpers import EXAMPLE
from qstrong import evaluate, load_dataset
from qstrong.cli import main as cli_main
from qstrong.core.errors import DataError, DataErrors
from qstrong.data.models import Dataset
from qstrong.data.validate import dataset_to_dict
from qstrong.io.convert import convert, dataset_to_yaml
from qstrong.io.load import is_tabular, load_any

SOURCE = """\
# 注释在转换后不保留
assessment:
  date: 2014-11-01
  criteria_params: {stable_years: 3, quality_loss_drop: 25%, x: 0.5}
county: {code: "330681", name: 诸暨市}
province_benchmarks:
  quality_loss_rate: 1.8
  spot_check_pass_rate: {2013: 89.6, 2014: "90.3%"}
  unit_energy_consumption: {袜子: 0.52, 五金制品: 0.310}
districts:
  - id: D1
    name: 大唐袜业产业集聚区
    kind: industry_cluster_zone
    production_spot_check_pass_rate: {2013: "187/200", 2014: {passed: 1, total: 3}}
    food_spot_check_pass_rate: {processing: "95.8%", catering: {passed: 276, total: 300}}
    standards: [{name: 联盟标准, kind: alliance, implemented: true}]
    standard_adoption_rate: {baseline: 59.1, current: 64.1}
    export_demo_zone: false
    incidents: []
industries:
  - id: I1
    name: 袜业
    product_class: 袜子
    total_output: 12.7
    province_scale_rank: 1
    unit_energy_consumption: 0.47
    led_standards: [{name: "FZ/T 73001", level: industry}]
    brands: [{name: 锦丰, kind: 中国驰名商标, level: national, sales: 386000}]
    regional_brand: null
    spot_check_pass_rate: {2014: 93.1}
    incidents:
      - {date: 2012-09-03, type: industry_quality_problem, description: "整顿后复查合格"}
enterprises:
  - id: E1
    name: 诸暨市大唐锦丰袜业有限公司
    credit_code: "91440300708461136T"
    industry: I1
    above_designated_size: true
    quality_loss_rate: {passed: 3, total: 1000}
    standards_participation: 0
    brands: [{name: 大唐锦丰, level: national}]
    incidents: []
"""


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("source") / "county.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def original(source: Path) -> Dataset:
    return load_dataset(source)


def _check_exact(dataset: Dataset) -> None:
    district = dataset.districts[0]
    assert district.production_spot_check_pass_rate == {2013: Fraction(187, 2),
                                                        2014: Fraction(100, 3)}
    assert dataset.industries[0].total_output == Decimal("12.7")
    assert dataset.enterprises[0].quality_loss_rate == Fraction(3, 10)
    assert dataset.assessment.criteria_params["x"] == Decimal("0.5")
    assert district.incidents == [] and dataset.industries[0].regional_brand is None


@pytest.mark.parametrize("chain", [
    ["county.xlsx", "back.yaml"],
    ["county.json", "county.xlsx", "csv", "back.json"],
    ["csv", "county.yml"],
    ["county.xlsx", "county2.xlsx"],
])
def test_round_trips_are_exact(tmp_path: Path, source: Path, original: Dataset,
                               chain: list[str]) -> None:
    current = source
    for name in chain:
        target = tmp_path / name
        convert(current, target)
        current = target
        dataset = load_any(current)
        assert dataset == original, name
        assert dataset_to_dict(dataset) == dataset_to_dict(original), name
        _check_exact(dataset)


def test_example_round_trip_gives_byte_identical_reports(tmp_path: Path) -> None:
    source = EXAMPLE
    expected = evaluate(load_dataset(source)).to_json()
    convert(source, tmp_path / "county.xlsx")
    convert(tmp_path / "county.xlsx", tmp_path / "csv")
    convert(tmp_path / "csv", tmp_path / "county.yaml")
    for path in ("county.xlsx", "csv", "county.yaml"):
        assert evaluate(load_any(tmp_path / path)).to_json() == expected, path


def test_yaml_output_is_plain_and_exact(original: Dataset) -> None:
    text = dataset_to_yaml(original)
    assert "total_output: 12.7\n" in text
    assert "2013: 93.5\n" in text and "2014: 1/3\n" in text
    assert "date: 2014-11-01\n" in text and "code: '330681'" in text
    assert "null" not in text              # missing values are left out
    assert load_dataset_text(text, tmp_name="x.yaml") == original


def load_dataset_text(text: str, tmp_name: str) -> Dataset:
    from qstrong.io.yamldoc import load_yaml_text

    return load_dataset(load_yaml_text(text, tmp_name))


def test_load_any_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    for name, words in [("old.xls", "另存为 .xlsx"), ("data.ods", "另存为 .xlsx"),
                        ("强企.csv", "文件夹")]:
        (tmp_path / name).write_bytes(b"x")
        with pytest.raises(DataError, match=words):
            load_any(tmp_path / name)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match="不支持的文件类型"):
        load_any(tmp_path / "notes.txt")
    with pytest.raises(DataError, match="没有这个文件或文件夹"):
        load_any(tmp_path / "missing")
    assert is_tabular(tmp_path) and is_tabular("a.xlsx") and not is_tabular("a.yaml")


def test_convert_refuses_unknown_outputs(source: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="文件夹"):
        convert(source, tmp_path / "强企.csv")
    with pytest.raises(DataError, match=r"不能写出 '\.txt' 文件"):
        convert(source, tmp_path / "out.txt")


def test_errors_in_the_input_keep_their_cells(tmp_path: Path, source: Path) -> None:
    convert(source, tmp_path / "csv")
    path = tmp_path / "csv" / "强企.csv"
    text = path.read_text(encoding="utf-8-sig").replace(",是,", ",真的,", 1)
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(DataErrors) as info:
        convert(tmp_path / "csv", tmp_path / "out.yaml")
    (d,) = info.value.diagnostics
    assert d.path == "强企!E2" and "规模以上企业 (above_designated_size)" in d.message
    assert not (tmp_path / "out.yaml").exists()


def test_command_line_pieces(tmp_path: Path, source: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["template", "--xlsx", str(tmp_path / "t.xlsx"), "--csv", str(tmp_path / "t-csv"),
            "--years", "2012-2014"]
    assert cli_main(argv) == 0
    assert (tmp_path / "t.xlsx").exists() and (tmp_path / "t-csv" / "强企.csv").exists()
    header = (tmp_path / "t-csv" / "省基准.csv").read_text(encoding="utf-8-sig")
    assert "(spot_check_pass_rate.2012)" in header and "(spot_check_pass_rate.2014)" in header
    capsys.readouterr()
    assert cli_main(argv) == 2
    assert "文件已存在" in capsys.readouterr().err
    convert_argv = ["convert", str(source), str(tmp_path / "c.xlsx")]
    assert cli_main(convert_argv) == 0
    assert cli_main(convert_argv) == 2
    assert "--force" in capsys.readouterr().err
    assert cli_main(["convert", "--force", str(source), str(tmp_path / "c.xlsx")]) == 0
    assert "已写出" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["template", "--years", "13-14"])
