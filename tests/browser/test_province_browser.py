"""The province page in headless chromium: it opens from disk without a request, draws its
charts, and the county table's links reach the counties' sections."""

from __future__ import annotations

from pathlib import Path

import pytest
from chromium import BROWSER_MARKS, CHROMIUM, LAUNCH_ARGS

from helpers import EXAMPLES
from qstrong.engine.province import evaluate_province
from qstrong.report.province_html import render_province_html

pytestmark = BROWSER_MARKS
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is absent (pip install playwright)")


def test_the_province_page(tmp_path: Path) -> None:
    page_file = tmp_path / "province.html"
    page_file.write_text(render_province_html(evaluate_province([EXAMPLES / "province"],
                                                                jobs=1)), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            assert page.locator("svg").count() == 9
            box = page.locator("svg").first.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            page.click('a[href="#county-330783"]')
            assert page.evaluate("location.hash") == "#county-330783"
            section = page.locator("#county-330783")
            assert section.is_visible() and "东阳市" in section.inner_text()
            assert section.get_attribute("data-status") == "pass"
        finally:
            browser.close()
    assert requests == [page_file.as_uri()]
