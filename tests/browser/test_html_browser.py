"""The HTML report in a real headless browser (Debian's chromium driven by Playwright).

Opens the file from disk with the network unused, expands a failing clause and reads what
appears, uses the status filter, and prints to an A4 PDF. Needs ``/usr/bin/chromium``
(``apt-get install chromium``) and the ``playwright`` Python package; Playwright's own
browser download (``playwright install``) is not used.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import BROWSER_MARKS, CHROMIUM, LAUNCH_ARGS

from helpers import MIXED, example_data
from qstrong import Status, evaluate
from qstrong.engine.clause import ClauseResult
from qstrong.engine.results import EntityResult, Report
from qstrong.report.html import render_html

pytestmark = BROWSER_MARKS
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is absent (pip install playwright)")


def _report() -> Report:
    """examples/county-mixed.yaml when it is there, else county.yaml with D1 made to fail."""
    if MIXED.exists():
        return evaluate(MIXED)
    data = example_data()
    data["districts"][0]["drug_evaluation_pass_rate"] = "90"
    return evaluate(data)


def _blocking_leaves(node: ClauseResult, status: Status) -> list[ClauseResult]:
    if node.status is not status:
        return []
    if not node.children:
        return [node]
    return [leaf for c in node.children for leaf in _blocking_leaves(c, status)]


def _failing_leaf(report: Report) -> tuple[EntityResult, ClauseResult]:
    """A failing leaf of a failing candidate, preferably one with a margin to read."""
    found = [(e, leaf) for e in report.entities if e.status is Status.FAIL
             for c in e.clauses for leaf in _blocking_leaves(c, Status.FAIL)]
    assert found, "the dataset has no failing clause"
    with_margin = [(e, n) for e, n in found if any(c.margin is not None for c in n.checks)]
    return (with_margin or found)[0]


def _q(value: str) -> str:
    """A CSS attribute value (a JSON string is a valid CSS string for these ids)."""
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_expand_a_failing_clause_and_filter_by_status(browser: Any, tmp_path: Path) -> None:
    started = time.perf_counter()
    report = _report()
    entity, leaf = _failing_leaf(report)
    passing = next(e for e in report.entities if e.status is Status.PASS)
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")

    # Self-contained: the file itself is the only thing loaded; the script ran (CSP allowed it).
    assert requests == [path.as_uri()]
    assert problems == []
    assert page.locator(".qs-toolbar").is_visible()

    # The failing candidate is open down to its failing clause, which is still closed.
    ent = page.locator(f"details.qs-entity[data-kind={_q(entity.kind)}]"
                       f"[data-entity={_q(entity.id)}]")
    node = ent.locator(f"details.qs-node[data-clause={_q(leaf.id)}]")
    expect = sync_api.expect
    expect(node).to_have_count(1)
    expect(node.locator("> summary")).to_be_visible()
    expect(node.locator("> summary")).to_contain_text(leaf.title_zh)
    plan = node.locator("> .qs-body > blockquote.qs-text")
    expect(plan).to_be_hidden()

    node.locator("> summary").click()
    expect(node).to_have_attribute("open", "")
    expect(plan).to_be_visible()
    expect(plan).to_have_text(leaf.text)
    margin = next((c.margin for c in leaf.checks if c.margin is not None), None)
    if margin is not None:
        shown = node.locator("> .qs-body .qs-margin").first
        expect(shown).to_be_visible()
        expect(shown).to_have_text(margin.text_zh)
        expect(shown).to_have_attribute("data-met", "false")
    for value in leaf.values:
        if not value.missing:
            expect(node.locator("> .qs-body table.qs-values")).to_contain_text(value.display)

    # Status filter: hide passing candidates (and passing clauses).
    other = page.locator(f"details.qs-entity[data-kind={_q(passing.kind)}]"
                         f"[data-entity={_q(passing.id)}]")
    expect(other).to_be_visible()
    page.locator(".qs-filter input[value=pass]").uncheck()
    expect(other).to_be_hidden()
    expect(page.locator("details.qs-entity[data-status=pass]:visible")).to_have_count(0)
    expect(page.locator("tr.qs-row[data-status=pass]:visible")).to_have_count(0)
    expect(ent).to_be_visible()
    expect(plan).to_be_visible()
    passing_nodes = ent.locator("details.qs-node[data-status=pass]")
    if passing_nodes.count():
        expect(passing_nodes.first).to_be_hidden()
    page.locator(".qs-filter input[value=pass]").check()
    expect(other).to_be_visible()

    # Only passing candidates shown: the kind with none says so.
    for status in ("fail", "unknown"):
        page.locator(f".qs-filter input[value={status}]").uncheck()
    expect(ent).to_be_hidden()
    if not any(e.status is Status.PASS for e in report.entities if e.kind == entity.kind):
        expect(page.locator(f".qs-kind[data-kind={_q(entity.kind)}] .qs-none")).to_be_visible()
    for status in ("fail", "unknown"):
        page.locator(f".qs-filter input[value={status}]").check()

    # Print (what is open now): A4, no toolbar.
    page.emulate_media(media="print")
    expect(page.locator(".qs-toolbar")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 1
    sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert sizes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2
                         for w, h in sizes), sizes  # A4 in points
    page.emulate_media(media="screen")

    # Collapse all / expand all.
    page.locator("button.qs-collapse").click()
    expect(plan).to_be_hidden()
    page.locator("button.qs-expand").click()
    expect(plan).to_be_visible()

    page.close()
    assert time.perf_counter() - started < 30


def test_english_report_in_browser(browser: Any, tmp_path: Path) -> None:
    report = _report()
    entity, leaf = _failing_leaf(report)
    path = tmp_path / "report-en.html"
    path.write_text(render_html(report, lang="en"), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    node = page.locator(f"details.qs-entity[data-entity={_q(entity.id)}] "
                        f"details.qs-node[data-clause={_q(leaf.id)}]")
    node.locator("> summary").click()
    expect = sync_api.expect
    expect(node.locator("> .qs-body > .qs-caption").first).to_have_text("Plan text")
    expect(node.locator("> summary .qs-badge")).to_have_text("fail")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()

