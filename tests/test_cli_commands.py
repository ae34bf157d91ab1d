"""The command line: evaluate (text, filters, formats), explain, schema, template, help."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len
from rich.console import Console

from helpers import good_enterprise, near_miss_district
from qstrong.cli import formats as cli_formats
from qstrong.cli import main
from qstrong.cli.progress import DelayedProgress
from qstrong.data.schema import dataset_schema_json
from qstrong.lang.schema import criteria_schema_json


def dataset() -> dict[str, Any]:
    """D1 misses the drug rate by 0.4 points and lacks the agricultural rate; E1 passes;
    E2 has done no standards work; X1 is both a district and an enterprise id."""
    return {
        "assessment": {"date": "2014-11-01"},
        "county": {"code": "330681", "name": "测试县"},
        "districts": [near_miss_district(), {"id": "X1", "name": "重名区"}],
        "enterprises": [
            {"id": "E1", "name": "甲机械有限公司", **good_enterprise()},
            {"id": "E2", "name": "乙机械有限公司", **good_enterprise(standards_participation=0)},
            {"id": "X1", "name": "重名企业"},
        ],
    }


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "county.json"
    path.write_text(json.dumps(dataset(), ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_plain(text: str, width: int = 80) -> None:
    assert "\x1b" not in text
    for line in text.splitlines():
        assert cell_len(line) <= width, line


# ------------------------------------------------------------------ evaluate, text


def test_evaluate_text_is_plain_and_fits(capsys: pytest.CaptureFixture[str],
                                         data_file: Path) -> None:
    code, out, err = run(capsys, "evaluate", str(data_file))
    assert code == 0 and err == ""
    assert_plain(out)
    assert "✗ D1 甲产业集聚区：未达标" in out
    assert "95.6%（要求 ≥ 96%），差 0.4个百分点" in out
    assert "✓ E1 甲机械有限公司：达标" in out
    assert "0 项（要求 ≥ 1），差 1 项" in out
    assert "✗ 测试县（330681）县域目标：未达标" in out


def test_evaluate_filters(capsys: pytest.CaptureFixture[str], data_file: Path) -> None:
    code, out, _ = run(capsys, "evaluate", str(data_file), "--status", "fail,unknown",
                       "--kind", "enterprise")
    assert code == 0
    assert "E2 乙机械有限公司：未达标" in out
    assert "E1 甲机械有限公司：达标" not in out
    assert "D1 甲产业集聚区" not in out and "县域目标：" not in out
    code, out, _ = run(capsys, "evaluate", str(data_file), "--entity", "D1", "--entity", "E1")
    assert "D1 甲产业集聚区" in out and "E1 甲机械有限公司" in out
    assert "E2 乙机械有限公司：" not in out
    code, out, _ = run(capsys, "evaluate", str(data_file), "--entity", "county")
    assert "县域目标：未达标" in out and "D1 甲产业集聚区：" not in out
    code, out, _ = run(capsys, "evaluate", str(data_file), "--status", "未达标")
    assert code == 0 and "E1 甲机械有限公司：" not in out


def test_evaluate_english_and_width(capsys: pytest.CaptureFixture[str],
                                    data_file: Path) -> None:
    code, out, _ = run(capsys, "evaluate", str(data_file), "--lang", "en", "--width", "60")
    assert code == 0
    assert_plain(out, 60)
    assert "95.6% (required ≥ 96%); short by 0.4 percentage\n│   │   points" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--entity", "E9"], "没有编号为 'E9' 的候选对象；是不是"),
    (["--format", "xlsx"], "--format xlsx 会写出文件；请用 -o FILE 给出文件名"),
    (["--entity", "E9", "--lang", "en"], "no candidate with id 'E9'; did you mean"),
    (["--format", "xlsx", "--lang", "en"], "--format xlsx writes a file; give it with -o FILE"),
])
def test_evaluate_input_errors_exit_2(capsys: pytest.CaptureFixture[str], data_file: Path,
                                      argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "evaluate", str(data_file), *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_data_errors_name_file_position_and_field(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("assessment: {date: 2014-11-01}\ncounty: {code: \"330681\", name: 县}\n"
                    "districts:\n  - {id: D1, name: 甲, drug_evaluation_pass_rate: 101}\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "evaluate", str(path))
    assert code == 2 and out == ""
    assert f"{path}:4:" in err and "error[E201]: 101 大于 100" in err
    assert "= 字段: districts[0] (D1).drug_evaluation_pass_rate" in err
    code, out, err = run(capsys, "evaluate", str(path), "--lang", "en")
    assert "error[E201]: 101 is above 100" in err
    assert "= field: districts[0] (D1).drug_evaluation_pass_rate" in err


@pytest.mark.parametrize("argv", [["--status", "good"], ["--kind", "town"], ["--width", "20"]])
def test_bad_filter_values_are_usage_errors(capsys: pytest.CaptureFixture[str],
                                            data_file: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", str(data_file), *argv])
    assert exc.value.code == 2
    assert "错误：参数 --" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["evaluate", str(data_file), *argv, "--lang", "en"])
    assert "error: argument --" in capsys.readouterr().err


def test_output_file_for_text_and_json(capsys: pytest.CaptureFixture[str], data_file: Path,
                                       tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    code, out, _ = run(capsys, "evaluate", str(data_file), "-o", str(target))
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    assert_plain(text)
    assert "差 0.4个百分点" in text
    target = tmp_path / "report.json"
    assert run(capsys, "evaluate", str(data_file), "--format", "json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["county"]["status"] == "fail"


def test_output_formats_are_a_table_of_functions(capsys: pytest.CaptureFixture[str],
                                                 data_file: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    fake_md = cli_formats.Format(render=lambda report, lang: f"# {report.county.name} {lang}")
    fake_xlsx = cli_formats.Format(write=lambda report, path, lang: calls.append((path, lang)))
    monkeypatch.setitem(cli_formats.OUTPUT_FORMATS, "md", fake_md)
    monkeypatch.setitem(cli_formats.OUTPUT_FORMATS, "xlsx", fake_xlsx)
    code, out, _ = run(capsys, "evaluate", str(data_file), "--format", "md", "--lang", "en")
    assert (code, out) == (0, "# 测试县 en\n")
    target = tmp_path / "r.xlsx"
    assert run(capsys, "evaluate", str(data_file), "--format", "xlsx", "-o", str(target))[0] == 0
    # written under a temporary name beside the target, then renamed into place
    ((written, lang),) = calls
    assert Path(written).parent == tmp_path and Path(written).name.startswith(".r.xlsx.")
    assert lang == "zh" and target.exists() and not Path(written).exists()


def test_renderers_are_imported_only_when_asked_for() -> None:
    code = ("import sys, qstrong.cli.dispatch; "
            "print(sorted(m for m in ('qstrong.report.html', 'qstrong.report.markdown', "
            "'qstrong.report.workbook', 'openpyxl') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == "[]"


def test_piped_output_has_no_ansi(data_file: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS")}
    proc = subprocess.run([sys.executable, "-m", "qstrong", "evaluate", str(data_file)],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert_plain(proc.stdout)
    assert "差 0.4个百分点" in proc.stdout


# ------------------------------------------------------------------ explain


def test_explain_shows_tree_and_what_it_takes(capsys: pytest.CaptureFixture[str],
                                              data_file: Path) -> None:
    code, out, _ = run(capsys, "explain", str(data_file), "D1")
    assert code == 0
    assert_plain(out)
    assert "✗ 产品质量强区 D1 甲产业集聚区：未达标" in out
    assert "规则：drug_evaluation_pass_rate >= 96%" in out
    tail = out[out.index("要达标需要"):]
    assert "1. ✗ 三(一)1 药品评价性抽验合格率达到96%以上" in tail
    assert "95.6%（要求 ≥ 96%），差 0.4个百分点" in tail
    assert "补充数据：农业标准化生产普及率（agri_standardization_rate）" in tail


def test_explain_english_county_and_json(capsys: pytest.CaptureFixture[str],
                                         data_file: Path) -> None:
    code, out, _ = run(capsys, "explain", str(data_file), "E2", "--lang", "en")
    assert code == 0 and "0 (required ≥ 1); short by 1" in out
    code, out, _ = run(capsys, "explain", str(data_file), "county")
    flat = " ".join(out.split())
    assert code == 0 and "即使缺失数据全部按符合计也达不到 30 家" in flat
    # the advice names the missing verdict as the tree does, and does not offer it as the fix
    # for a count that cannot reach 30 whatever it is
    assert ("另缺数据（补齐也不能单独改变本条结论）："
            "强企候选 X1 · 评定为强（enterprises[X1].strong）") in flat
    assert "补充数据：" not in flat.split("要达标需要")[-1]
    code, out, _ = run(capsys, "explain", str(data_file), "D1", "--format", "json")
    doc = json.loads(out)
    assert doc["result"]["id"] == "D1"
    assert [s["clause"] for s in doc["advice"]["steps"]] == [
        "district/1/drug_evaluation", "district/2/agri_standardization"]


def test_explain_id_problems(capsys: pytest.CaptureFixture[str], data_file: Path) -> None:
    code, _, err = run(capsys, "explain", str(data_file), "D2")
    assert code == 2 and "没有编号为 'D2' 的候选对象；是不是" in err
    code, _, err = run(capsys, "explain", str(data_file), "X1")
    assert code == 2 and "用于多个类别（district, enterprise）；请加 --kind" in err
    code, out, _ = run(capsys, "explain", str(data_file), "X1", "--kind", "enterprise")
    assert code == 0 and "产品质量强企 X1 重名企业：无法判定" in out


# ------------------------------------------------------------------ schema, template


def test_schema_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "schema", "data")
    assert code == 0 and out == dataset_schema_json()
    json.loads(out)
    target = tmp_path / "criteria.schema.json"
    assert run(capsys, "schema", "criteria", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == criteria_schema_json()


def test_template_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "template", "--schema", "./qstrong-data.schema.json")
    assert code == 0
    assert out.startswith("# yaml-language-server: $schema=./qstrong-data.schema.json\n")
    assert yaml.safe_load(out)["districts"][0]["id"] == "D1"
    target = tmp_path / "county.yaml"
    code, _, err = run(capsys, "template", "-o", str(target))
    assert code == 0 and f"已写出 {target}" in err
    code, _, err = run(capsys, "template", "-o", str(target))
    assert code == 2 and "文件已存在" in err
    target.write_text("old", encoding="utf-8")
    assert run(capsys, "template", "-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# qstrong 数据集模板")
    code, out, _ = run(capsys, "evaluate", str(target))
    assert code == 0 and "? D1 待填写：无法判定" in out


def test_docs_command_prints_the_reviewers_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "docs")
    assert code == 0 and out.startswith("# 《地区创质量强县计划的实施方案》评定标准")


# ------------------------------------------------------------------ help


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("evaluate", "explain", "schema", "template", "docs", "check", "test"):
        assert command in out
    assert "退出状态" in out and "docs/cli.md" in out


@pytest.mark.parametrize(("command", "options"), [
    ("evaluate", ["--format", "--lang", "--status", "--kind", "--entity", "--no-color",
                  "--width", "-o", "--criteria", "html", "md", "xlsx"]),
    ("explain", ["--kind", "--format", "--lang", "--no-color", "-o"]),
    ("schema", ["data", "criteria", "-o", "yaml-language-server"]),
    ("template", ["-o", "--force", "--schema"]),
    ("docs", ["--check", "-o", "--criteria"]),
    ("check", ["criteria"]),
    ("test", ["paths", "--criteria"]),
])
def test_subcommand_help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                         command: str, options: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in options:
        assert option in out, option
    assert_plain(out)


# ------------------------------------------------------------------ progress


def test_progress_never_drawn_off_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False)
    with DelayedProgress(console, delay=0) as progress:
        progress.step("评定候选对象")
        time.sleep(0.05)
        assert not progress.shown
    with DelayedProgress(None, delay=0) as progress:
        time.sleep(0.05)
        assert not progress.shown
    assert buffer.getvalue() == ""


def test_progress_appears_on_a_terminal_only_when_slow() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with DelayedProgress(console, delay=60) as progress:
        progress.step("读取数据集")
        assert not progress.shown  # quick work: nothing is drawn
    assert buffer.getvalue() == ""
    with DelayedProgress(console, delay=0) as progress:
        progress.step("评定候选对象")
        deadline = time.monotonic() + 5
        while not progress.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        assert progress.shown
        progress.step("评定候选对象")
    assert "评定候选对象" in buffer.getvalue()


def test_progress_counts_candidates_on_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with DelayedProgress(console, delay=0) as progress:
        progress.step("评定候选对象")
        deadline = time.monotonic() + 5
        while not progress.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        progress.advance(7, 38)
        time.sleep(0.15)  # let rich refresh once
    assert "7/38" in buffer.getvalue()


def test_evaluate_reports_progress_per_candidate() -> None:
    import qstrong
    from helpers import EXAMPLE

    seen: list[tuple[int, int]] = []
    report = qstrong.evaluate(EXAMPLE, progress=lambda done, total: seen.append((done, total)))
    total = len(report.entities)
    assert seen == [(i, total) for i in range(1, total + 1)]


def test_output_never_replaces_an_input_or_an_existing_file(
        capsys: pytest.CaptureFixture[str], data_file: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "evaluate", str(data_file), "--format", "json",
                       "-o", str(data_file), "--force")
    assert code == 2 and "这是本命令的输入文件" in err
    target = tmp_path / "r.json"
    assert run(capsys, "evaluate", str(data_file), "--format", "json", "-o", str(target))[0] == 0
    first = target.read_text(encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(data_file), "--format", "md", "-o", str(target))
    assert code == 2 and "--force" in err and target.read_text(encoding="utf-8") == first
    assert run(capsys, "evaluate", str(data_file), "--format", "md", "-o", str(target),
               "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("#")
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary files left


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    from qstrong.cli.output import write_atomic

    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def broken(temp: Path) -> None:
        temp.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_internal_errors_exit_70_and_ctrl_c_130(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import qstrong.cli.dispatch as cli_main

    def boom(argv: object) -> int:
        raise KeyError("x")

    monkeypatch.setattr(cli_main, "run", boom)
    assert main(["check"]) == 70
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err

    def interrupted(argv: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "run", interrupted)
    assert main(["check"]) == 130
    assert capsys.readouterr().err == ""


def test_width_is_bounded(capsys: pytest.CaptureFixture[str], data_file: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["evaluate", str(data_file), "--width", str(10**30)])
    assert info.value.code == 2 and "40～1000 列" in capsys.readouterr().err


def test_init_writes_a_working_folder_that_checks_and_tests(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "work"]) == 0
    work = tmp_path / "work"
    assert sorted(p.name for p in (work / "criteria").iterdir()) == [
        "county.yaml", "district.yaml", "enterprise.yaml", "industry.yaml", "province.yaml"]
    assert (work / "examples" / "county.xlsx").exists() and (work / "README.md").exists()
    assert main(["init", "work"]) == 2  # not empty any more
    monkeypatch.chdir(work)
    capsys.readouterr()
    assert main(["check", "criteria"]) == 0
    assert main(["test"]) == 0
    out, err = capsys.readouterr()
    assert "用例：tests/cases；标准：criteria" in err and "，0 个不符" in out
    # an edit of the folder's criteria is what `qstrong test` runs
    district = work / "criteria" / "district.yaml"
    district.write_text(district.read_text(encoding="utf-8").replace(
        "processing >= 94%", "processing >= 95%"), encoding="utf-8")
    assert main(["test"]) == 1


def test_main_stays_the_function_after_a_run() -> None:
    import qstrong.cli

    assert main(["check"]) == 0
    assert callable(qstrong.cli.main) and qstrong.cli.main is main


def test_filters_select_candidates_in_every_format(capsys: pytest.CaptureFixture[str],
                                                   data_file: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "evaluate", str(data_file), "--format", "json",
                       "--status", "fail", "--kind", "district")
    doc = json.loads(out)
    assert code == 0 and doc["entities"]
    assert {(e["kind"], e["status"]) for e in doc["entities"]} == {("district", "fail")}
    full = json.loads(run(capsys, "evaluate", str(data_file), "--format", "json")[1])
    assert doc["county"] == full["county"]  # the county part stays whole
    code, out, _ = run(capsys, "evaluate", str(data_file), "--format", "md", "--entity", "D1")
    assert code == 0 and "| D1 |" in out and "| D2 |" not in out


def test_max_size_refuses_a_larger_document_with_the_way_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "county.yaml"
    assert main(["evaluate", str(example), "--max-size", "10K", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "大于允许的 10 KiB" in err and "--max-size" in err
    assert main(["evaluate", str(example), "--max-size", "1M", "--no-progress",
                 "--format", "json", "-o", str(tmp_path / "r.json")]) == 0
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", str(example), "--max-size", "lots"])
    assert stop.value.code == 2
    assert "不是大小" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "size"), [("512M", 512 * 2**20), ("1GiB", 2**30),
                                            ("1.5g", 3 * 2**29), ("800", 800),
                                            ("20 KiB", 20 * 1024)])
def test_sizes_are_read_in_powers_of_1024(text: str, size: int) -> None:
    from qstrong.core.limits import format_size, parse_size

    assert parse_size(text) == size
    assert parse_size(format_size(size).replace(" bytes", "")) == size
