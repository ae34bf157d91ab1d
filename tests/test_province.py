"""The province view: a bundle of county-years, the province target counted three-valued,
the per-year line, the roster and the changes; bad bundles refused naming their files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import CRITERIA, EXAMPLES, example_data
from qstrong import load_dataset
from qstrong.cli import main
from qstrong.core.errors import CriteriaError, DataError
from qstrong.core.logic import Status
from qstrong.engine.province import evaluate_province
from qstrong.engine.ruleset import check_criteria

PROVINCE = EXAMPLES / "province"


def _generator() -> Any:
    """examples/make_province.py, the example's generator, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_province",
                                                  EXAMPLES / "make_province.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _county(code: str, year: int, *, state: str = "P", city: str = "甲市") -> Any:
    """The all-pass example as county ``code`` in ``year``; S: one 强区 short, U: unknown."""
    make_province = _generator()
    import yaml

    base = yaml.safe_load((EXAMPLES / "county.yaml").read_text(encoding="utf-8"))
    return load_dataset(make_province.county_year(base, code, f"县{code}", city, year, state))


def test_the_example_is_what_its_generator_writes(tmp_path: Path) -> None:
    make_province = _generator()
    written = make_province.write(tmp_path)
    assert len(written) == 33  # 32 county-years and the 2014 review record
    for path in written:
        committed = PROVINCE / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), committed


def test_the_example_province() -> None:
    report = evaluate_province([PROVINCE], jobs=1)
    doc = report.to_dict()
    assert set(doc) == {"criteria", "target", "years", "counties", "roster", "progress",
                        "awarded", "clauses"}
    assert doc["target"] == {"status": "fail", "year": 2015, "needed": 20,
                             "counties": {"pass": 6, "fail": 1, "unknown": 1}}
    assert [(y["year"], y["demonstration_counties"]["pass"]) for y in doc["years"]] == [
        (2012, 1), (2013, 3), (2014, 5), (2015, 6)]
    assert doc["years"][-1]["demonstration_counties"]["unknown"] == 1
    assert len(doc["counties"]) == 32 and len({c["city"] for c in doc["counties"]}) == 3
    first = doc["counties"][0]
    assert set(first) == {"code", "name", "city", "year", "status", "counts", "short", "source"}
    assert set(first["counts"]) == {"district", "industry", "enterprise"}
    assert set(first["counts"]["district"]) == {"pass", "fail", "unknown", "not_applicable"}
    assert {r["status"] for r in doc["roster"] if not r["review"]} == {"pass", "unknown"}
    assert set(doc["roster"][0]) == {"year", "city", "county", "kind", "id", "name", "status",
                                     "review", "flags"}
    # 东阳市 reaches the target, loses it and regains it: its D2 changes three times
    dongyang = [(p["from_year"], p["from"], p["to"]) for p in doc["progress"]
                if p["county"] == "330783"]
    assert dongyang == [(2012, "fail", "pass"), (2013, "pass", "fail"), (2014, "fail", "pass")]


@pytest.mark.parametrize(("states", "expected"), [
    ({"A": "SP", "B": "PS"}, ("pass", {"pass": 2, "fail": 0, "unknown": 0})),
    ({"A": "SP", "B": "SS"}, ("fail", {"pass": 1, "fail": 1, "unknown": 0})),
    ({"A": "SP", "B": "SU"}, ("unknown", {"pass": 1, "fail": 0, "unknown": 1})),
    ({"A": "SS", "B": "SU"}, ("fail", {"pass": 0, "fail": 1, "unknown": 1})),
])
def test_the_target_counts_counties_three_valued(states: dict[str, str],
                                                  expected: tuple[str, dict[str, int]]) -> None:
    codes = {"A": "330101", "B": "330102"}
    datasets = [_county(codes[c], year, state=s) for c, plan in states.items()
                for year, s in zip((2014, 2015), plan, strict=True)]
    report = evaluate_province(datasets, params={"province_target_counties": 2})
    status, counted = expected
    assert report.to_dict()["target"]["counties"] == counted
    assert report.status.value == status


def test_the_target_year_bounds_what_counts() -> None:
    datasets = [_county("330101", 2014, state="S"), _county("330101", 2016)]
    report = evaluate_province(datasets, params={"province_target_counties": 1})
    assert report.status is Status.FAIL  # it passed in 2016, after 2015
    later = evaluate_province(datasets, params={"province_target_counties": 1,
                                                "province_target_year": 2016})
    assert later.status is Status.PASS


def test_progress_matches_by_id_within_the_county() -> None:
    data = example_data()
    data["county"]["city"] = "甲市"
    before = load_dataset(data)
    later = example_data()
    later["assessment"]["date"] = "2015-11-01"
    later["enterprises"] = [e for e in later["enterprises"] if e["id"] != "E01"]
    report = evaluate_province([before, _shifted(later)])
    changes = [(p.kind, p.id, p.before, p.after) for p in report.progress()]
    assert ("enterprise", "E01", Status.PASS, None) in changes


def _shifted(data: dict[str, Any]) -> Any:
    """An example dataset a year later (its year columns too)."""
    make_province = _generator()
    data["assessment"]["date"] = "2014-11-01"
    import datetime as dt

    shifted = make_province._shift(load_dataset(data).model_dump(), 1)
    assert shifted["assessment"]["date"] == dt.date(2015, 11, 1)
    return load_dataset({k: v for k, v in shifted.items()})


def test_jobs_give_identical_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for jobs in ("1", "2"):
        assert main(["province", str(PROVINCE), "--format", "json", "-j", jobs,
                     "--no-progress"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["target"]["needed"] == 20


def test_the_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["province", str(PROVINCE), "-j", "1", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "省级目标（二(一)）：截止 2015 年创建 20 个质量强县示范县 — ✗ 未达标" in out
    assert "东阳市 强区 D2：2013 年达标 → 2014 年未达标" in out
    assert main(["province", str(PROVINCE), "-j", "1", "--lang", "en", "--no-progress",
                 "--set", "province_target_counties=6"]) == 0
    out = capsys.readouterr().out
    assert "Province target (二(一)): 6 demonstration counties by 2015 — ✓ pass" in out
    assert "东阳市 district D2: pass in 2013 → fail in 2014" in out


def test_a_county_twice_in_a_year_names_both_files(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    one = PROVINCE / "jinhua" / "330782-2014.yaml"
    shutil.copy(one, tmp_path / "again.yaml")
    assert main(["province", str(one), str(tmp_path / "again.yaml"), "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert "error[E230]" in err and "330782" in err and str(one) in err and "again.yaml" in err


def test_counties_of_one_year_must_share_the_benchmarks(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    other = tmp_path / "other.yaml"
    text = (PROVINCE / "jinhua" / "330783-2014.yaml").read_text(encoding="utf-8")
    other.write_text(text.replace("quality_loss_rate: 1.8", "quality_loss_rate: 1.9", 1),
                     encoding="utf-8")
    first = PROVINCE / "jinhua" / "330782-2014.yaml"
    assert main(["province", str(first), str(other), "-j", "1", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "error[E230]" in err and "province benchmarks" in err and str(first) in err


def test_a_bad_dataset_in_a_bundle_names_its_file(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("county: {code: '330101', name: 甲}\n", encoding="utf-8")
    assert main(["province", str(tmp_path), "-j", "1"]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_criteria_without_a_province_file(tmp_path: Path) -> None:
    folder = tmp_path / "criteria"
    shutil.copytree(CRITERIA, folder)
    (folder / "province.yaml").unlink()
    criteria, problems = check_criteria(folder)
    assert problems == [] and criteria is not None  # a county's evaluation does not need it
    with pytest.raises(CriteriaError, match="province"):
        evaluate_province([PROVINCE], folder, jobs=1)


def test_a_county_report_is_not_changed_by_the_province_file() -> None:
    from qstrong import evaluate

    report = evaluate(load_dataset(EXAMPLES / "county.yaml"))
    assert not any(p.name.startswith("province_") for p in report.params)
    with pytest.raises(DataError, match="province_target_counties"):
        data = example_data()
        data["assessment"]["criteria_params"] = {"province_target_counties": 3}
        evaluate(data)


# ---------------------------------------------------------------------------- review records


def test_the_example_review_record() -> None:
    report = evaluate_province([PROVINCE], jobs=1)
    doc = report.to_dict()
    assert [(a["year"], a["county"], a["kind"], a["id"]) for a in doc["awarded"]] == [
        (2014, "330681", "district", "D1"), (2014, "330681", "enterprise", "E01")]
    flagged = [r for r in doc["roster"] if r["flags"]]
    assert [(r["county"], r["id"], r["status"], r["flags"]) for r in flagged] == [
        ("330783", "D2", "fail", ["not_strong", "no_reason"])]
    e01 = next(r for r in doc["roster"] if r["year"] == 2014 and r["county"] == "330681"
               and r["id"] == "E01")
    assert list(e01["review"]) == ["county", "city", "province"]
    assert e01["review"]["province"] == {"decision": "award", "date": "2014-12-15",
                                         "by": "省质量强省工作领导小组办公室", "reason": ""}


def _record(tmp_path: Path, *lines: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text("year: 2014\ndecisions:\n" + "".join(f"  - {line}\n" for line in lines),
                    encoding="utf-8")
    return path


def test_a_reason_clears_the_no_reason_flag_and_a_skipped_level_is_flagged(
        tmp_path: Path) -> None:
    record = _record(
        tmp_path,
        '{county: "330783", kind: district, id: D2, level: county, decision: 推荐, '
        'reason: 整改已完成，次年复核}',
        '{county: "330681", kind: enterprise, id: E02, level: province, decision: 授予}')
    report = evaluate_province([PROVINCE / "jinhua" / "330783-2014.yaml",
                                PROVINCE / "shaoxing" / "330681-2014.yaml"], jobs=1,
                               reviews=[record])
    flags = {e.id: report.flags(c, e) for c, e in report.roster() if report.flags(c, e)}
    assert flags == {"D2": ["not_strong"], "E02": ["level_skipped"]}
    assert [e.id for _, e in report.awarded()] == ["E02"]


def test_a_decision_for_an_unknown_candidate_is_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = _record(tmp_path, '{county: "330681", kind: enterprise, id: E99, level: county, '
                               'decision: 推荐}')
    assert main(["province", str(PROVINCE / "shaoxing" / "330681-2014.yaml"), "--review",
                 str(record), "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert f"{record}:3:5: error[E231]" in err and "E99" in err


def test_review_words_are_checked_with_their_line(tmp_path: Path) -> None:
    record = _record(tmp_path, '{county: "330681", kind: enterprise, id: E01, level: town, '
                               'decision: 推荐}')
    with pytest.raises(DataError) as info:
        evaluate_province([PROVINCE / "shaoxing" / "330681-2014.yaml"], reviews=[record])
    (d,) = info.value.diagnostics
    assert d.code == "E231" and d.span is not None and d.span.line == 3
    assert "town" in str(d.message)


def test_a_csv_review_record(tmp_path: Path) -> None:
    record = tmp_path / "review.csv"
    record.write_text("年度 (year),县代码 (county),类别 (kind),编号 (id),层级 (level),"
                      "决定 (decision),日期 (date),决定人 (by),理由 (reason)\n"
                      "2014,330681,强企,E01,县,推荐,2014-11-20,县质监局,\n", encoding="utf-8-sig")
    report = evaluate_province([PROVINCE / "shaoxing" / "330681-2014.yaml"], reviews=[record])
    assert list(report.reviews) == [(2014, "330681", "enterprise", "E01")]


def test_the_review_template_reads_back(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "review-2014.yaml"
    assert main(["template", "--review", str(target), "--years", "2014"]) == 0
    from qstrong.io.review import read_review

    (d,) = read_review(target)
    assert (d.year, d.county, d.kind, d.id, d.level, d.decision) == (
        2014, "330681", "enterprise", "E01", "county", "recommend")
    assert main(["template", "--review", str(target)]) == 2  # exists, no --force


def test_criteria_and_results_pickle(tmp_path: Path) -> None:
    import pickle

    folder = tmp_path / "criteria"
    shutil.copytree(CRITERIA, folder)
    criteria = check_criteria(folder)[0]
    assert criteria is not None
    again = pickle.loads(pickle.dumps(criteria))
    assert again.sha256 == criteria.sha256 and set(again.clauses) == set(criteria.clauses)
    report = evaluate_province([PROVINCE / "shaoxing"], criteria, jobs=1)
    assert pickle.loads(pickle.dumps(report)).to_dict() == report.to_dict()
    data = pickle.dumps(criteria)
    path = folder / "district.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(CriteriaError, match="被修改"):
        pickle.loads(data)


# ---------------------------------------------------------------------------- outputs


@pytest.fixture(scope="module")
def province_report() -> Any:
    return evaluate_province([PROVINCE], jobs=1)


def test_markdown_holds_the_tables(province_report: Any) -> None:
    from qstrong.report.province_markdown import render_province_markdown

    md = render_province_markdown(province_report)
    assert md.startswith("# 质量强县示范创建：8 个县（市、区），2012–2015 年\n")
    assert "| 东阳市 (330783) | 金华市 | ✗ | ✓ | ✗ | ✓ | 2012: 1/0/0; 2014: 1/0/0 |" in md
    assert "  - 东阳市 强区 D2 店口五金产业集群示范区（2014 年未达标）" in md
    assert "| 2015 | 6 | 1 |" in render_province_markdown(province_report)
    assert "## Changes since each county's previous assessment" in render_province_markdown(
        province_report, "en")


def test_the_html_page_links_each_county_and_draws_its_charts(province_report: Any) -> None:
    from qstrong.report.province_html import CSP, render_province_html

    page = render_province_html(province_report)
    assert f'content="{CSP.replace(chr(39), "&#x27;")}"' in page and "<script" not in page
    assert page.count('<section class="qs-county"') == 8
    for code in ("330681", "330783", "331082"):
        assert f'href="#county-{code}"' in page and f'id="county-{code}"' in page
    assert page.count("<svg") == 9  # the province's line and each county's bars
    assert "目标 20" in page and render_province_html(province_report) == page
    assert "<svg" in render_province_html(province_report, "en") and "target 20" in \
        render_province_html(province_report, "en")


def test_the_workbook_has_its_five_sheets(province_report: Any, tmp_path: Path) -> None:
    import openpyxl

    from qstrong.report.province_workbook import write_province_xlsx

    write_province_xlsx(province_report, tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert book.sheetnames == ["总览", "县", "名单", "审核", "进展"]
    assert book["县"].max_row == 33 and book["审核"].max_row == 8
    flagged = [r for r in book["名单"].iter_rows(values_only=True) if r[8]]
    assert flagged[1:] == [(2014, "金华市", "330783", "强区", "D2", "店口五金产业集群示范区",
                            "未达标", None, "not_strong, no_reason")]


def test_the_parquet_rows(province_report: Any, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="needs pyarrow (qstrong[arrow])")
    from qstrong.report.province_parquet import write_province_parquet

    write_province_parquet(province_report, tmp_path / "p.parquet")
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.num_rows == sum(len(c.candidates) for c in province_report.counties)
    awarded = [r for r in table.to_pylist() if r["awarded"]]
    assert [(r["county"], r["id"]) for r in awarded] == [("330681", "D1"), ("330681", "E01")]


def test_every_format_from_the_command_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("md", "html"):
        assert main(["province", str(PROVINCE), "-j", "1", "--format", fmt,
                     "--no-progress"]) == 0
        assert capsys.readouterr().out
    for fmt in ("xlsx", "parquet"):
        assert main(["province", str(PROVINCE), "-j", "1", "--format", fmt]) == 2
        assert "-o FILE" in capsys.readouterr().err
        assert main(["province", str(PROVINCE), "-j", "1", "--format", fmt, "-o",
                     str(tmp_path / f"p.{fmt}"), "--no-progress"]) == 0
        assert (tmp_path / f"p.{fmt}").stat().st_size > 0


def test_review_records_as_csv_template_and_workbook_sheet(tmp_path: Path) -> None:
    import openpyxl

    from qstrong.io.review import read_review

    target = tmp_path / "review-2014.csv"
    assert main(["template", "--review", str(target), "--years", "2014"]) == 0
    (d,) = read_review(target)
    assert (d.kind, d.id, d.level, d.decision, d.by) == ("enterprise", "E01", "county",
                                                          "recommend", "县质监局")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "审核"
    for row in csv_rows(target):
        sheet.append(row)
    book.save(tmp_path / "review-2014.xlsx")
    (w,) = read_review(tmp_path / "review-2014.xlsx")
    assert w == d.__class__(**{**d.__dict__, "source": str(tmp_path / "review-2014.xlsx")})


def csv_rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_package_exports_evaluate_province() -> None:
    import qstrong

    report = qstrong.evaluate_province([PROVINCE / "taizhou"], jobs=1)
    assert isinstance(report, qstrong.ProvinceReport) and len(report.counties) == 8


def test_the_text_report_counts_the_changes_past_its_limit(
        province_report: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from qstrong.report import province_text

    monkeypatch.setattr(province_text, "MAX_CHANGES", 4)
    text = province_text.render_province_text(province_report)
    import re

    assert len(re.findall(r"\d{4} 年\S* → \d{4} 年", text)) == 4 and "……另有 5 项变化" in text
