"""A dataset as a folder of CSV files: round trip, encodings (UTF-8 ± BOM, GBK), errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from qstrong import evaluate
from qstrong.core.errors import DataError, DataErrors
from qstrong.data.models import Dataset
from qstrong.io.csv_folder import (
    decode_csv_bytes,
    load_csv_dataset,
    read_csv_folder,
    read_csv_sheets,
    write_dataset_csv,
)
from qstrong.io.tabular import LAYOUT


@pytest.fixture
def folder(tmp_path: Path, example: Dataset) -> Path:
    out = tmp_path / "county-csv"
    write_dataset_csv(example, out)
    return out


def test_one_file_per_sheet_utf8_with_bom(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s.name}.csv" for s in LAYOUT)
    data = (folder / "强企.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    first = data[len(codecs.BOM_UTF8):].decode("utf-8").splitlines()[0]
    assert first.startswith("编号 (id),名称 (name),统一社会信用代码 (credit_code)")


def test_round_trip_and_same_report(folder: Path, example: Dataset) -> None:
    back = load_csv_dataset(folder)
    assert back == example
    assert evaluate(back).to_json() == evaluate(example).to_json()


def test_utf8_without_bom(folder: Path, example: Dataset) -> None:
    for path in folder.glob("*.csv"):
        path.write_bytes(path.read_bytes()[len(codecs.BOM_UTF8):])
    assert load_csv_dataset(folder) == example


def test_gbk_is_decoded_and_named(folder: Path, example: Dataset) -> None:
    path = folder / "强区.csv"
    text = path.read_bytes().decode("utf-8-sig")
    path.write_bytes(text.encode("gbk"))
    assert load_csv_dataset(folder) == example
    # a layout problem in that file says how it was read
    path.write_bytes(text.replace("类型 (kind)", "类形 (knd)", 1).encode("gbk"))
    with pytest.raises(DataErrors) as info:
        load_csv_dataset(folder)
    (d,) = info.value.diagnostics
    assert d.path == "强区!C1" and "按 GBK 编码读取" in d.message


def test_undecodable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="UTF-16"):
        decode_csv_bytes("编号".encode("utf-16"), "x.csv")
    with pytest.raises(DataError, match="既不是 UTF-8 也不是 GBK"):
        decode_csv_bytes(b"\x81\x30\xff\xff", "x.csv")
    with pytest.raises(DataError, match="不是 UTF-8 文本"):
        decode_csv_bytes(codecs.BOM_UTF8 + b"\xff", "x.csv")
    assert decode_csv_bytes("是".encode(), "x.csv") == ("是", "utf-8")
    (tmp_path / "评审.csv").write_bytes(b"\x81\x30\xff\xff")
    with pytest.raises(DataError) as info:
        read_csv_sheets(tmp_path)
    assert info.value.path is not None and info.value.path.endswith("评审.csv")
    assert "另存为" in info.value.message


def test_errors_name_file_cell_header_and_candidate(folder: Path) -> None:
    path = folder / "强区.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    column = header.index("药品评价性抽验合格率 (drug_evaluation_pass_rate)")
    cells = lines[2].split(",")
    cells[column] = "101"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(DataErrors) as info:
        load_csv_dataset(folder)
    (d,) = info.value.diagnostics
    letter = chr(ord("A") + column)
    assert d.path == f"强区!{letter}3"
    assert "药品评价性抽验合格率 (drug_evaluation_pass_rate)" in d.message
    assert "强区 D2" in d.message and "101 is above 100" in d.message


def test_unknown_file_is_an_unknown_sheet(folder: Path) -> None:
    (folder / "强企业.csv").write_text("编号 (id)\nE99\n", encoding="utf-8")
    (folder / "readme.txt").write_text("not a sheet", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        read_csv_folder(folder)
    (d,) = info.value.diagnostics
    assert d.path == "强企业!A1" and str(d.hint) == "是不是“强企”？"


def test_empty_or_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"没有 \.csv 文件"):
        read_csv_sheets(tmp_path)
    with pytest.raises(DataError, match="不是 CSV 文件所在的文件夹"):
        read_csv_sheets(tmp_path / "nope")


def test_header_only_template(tmp_path: Path) -> None:
    write_dataset_csv(None, tmp_path, [2013, 2014])
    header = (tmp_path / "省基准.csv").read_text(encoding="utf-8-sig").strip()
    assert header.endswith("全省产品质量监督抽查合格率·2014年 (spot_check_pass_rate.2014)")
    with pytest.raises(DataErrors) as info:
        load_csv_dataset(tmp_path)
    assert sorted(d.path or "" for d in info.value.diagnostics) == [
        "评审!A2", "评审!B2", "评审!C2"]


def test_quoted_commas_and_newlines(tmp_path: Path) -> None:
    (tmp_path / "评审.csv").write_text(
        "评审基准日 (assessment.date),县(市、区)·行政区划代码 (county.code),"
        "县(市、区)·名称 (county.name)\n2014-11-01,330681,\"诸暨市, 浙江\"\n",
        encoding="utf-8")
    (tmp_path / "强企.csv").write_text(
        "编号 (id),名称 (name)\nE1,\"第一行\n第二行\"\n", encoding="utf-8")
    dataset = load_csv_dataset(tmp_path)
    assert dataset.county.name == "诸暨市, 浙江"
    assert dataset.enterprises[0].name == "第一行\n第二行"


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from qstrong import load_dataset as load

    data = {"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "县"},
            "enterprises": [{"id": "E1", "name": '=HYPERLINK("http://x","y")'},
                            {"id": "E2", "name": "-甲"}, {"id": "E3", "name": "@乙"}]}
    folder = tmp_path / "out"
    write_dataset_csv(load(data), folder)
    text = (folder / "强企.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'-甲" in text and "'@乙" in text
    assert [e.name for e in load_csv_dataset(folder).enterprises] == [
        '=HYPERLINK("http://x","y")', "-甲", "@乙"]
