"""The HTML report: a well-formed self-contained document, every node, escaping, determinism."""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from helpers import mixed_report
from qstrong import Status
from qstrong.engine.clause import ClauseResult
from qstrong.engine.results import Report
from qstrong.report.html import entity_html, node_html, render_html, report_fragment_html

NASTY = '<script>alert("x")</script> & \'q\' | *袜业*'


@pytest.fixture(scope="module")
def d1_name() -> str:
    """The mixed example `report` names D1 ``NASTY``."""
    return NASTY


@pytest.fixture(scope="module")
def doc(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def tree(doc: str) -> El:
    """The parsed document (parsing also checks that every element is closed in order)."""
    return parse(doc[len("<!DOCTYPE html>"):])


# ------------------------------------------------------------------ a small DOM


VOID = {"meta", "br", "input", "link", "img", "hr", "wbr", "col", "source"}


@dataclass
class El:
    tag: str
    attrs: dict[str, str | None]
    children: list[El] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self) -> list[El]:
        out = [self]
        for c in self.children:
            out.extend(c.iter())
        return out

    def find_all(self, tag: str, cls: str | None = None) -> list[El]:
        return [e for e in self.iter() if e.tag == tag and (cls is None or cls in e.classes)]

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def child(self, tag: str) -> El:
        return next(c for c in self.children if c.tag == tag)


class TreeBuilder(HTMLParser):
    """Builds an `El` tree and fails on any tag that is not closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, dict(attrs))
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, tag
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(text: str) -> El:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    assert builder.stack == [builder.root], [e.tag for e in builder.stack]
    return builder.root


def clause_ids(el: El) -> list[str]:
    return [e.attrs["data-clause"] or "" for e in el.iter() if "qs-node" in e.classes]


# ------------------------------------------------------------------ the document


def test_document_is_well_formed_and_self_contained(doc: str, tree: El) -> None:
    assert doc.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert doc.endswith("</html>\n")
    root = tree
    (page,) = root.find_all("html")
    assert [c.tag for c in page.children] == ["head", "body"]
    head = page.child("head")
    assert head.find_all("meta")[0].attrs == {"charset": "utf-8"}
    assert "质量强县评定报告" in head.child("title").all_text()
    assert len(root.find_all("style")) == 1 and len(root.find_all("script")) == 1
    # Nothing is fetched: no external resources of any kind.
    for needle in ("http://", "https://", "<link", "<img", "<iframe", "src=", "@import", "url("):
        assert needle not in doc, needle


def test_csp_forbids_network_and_allows_exactly_the_inline_script(tree: El) -> None:
    root = tree
    csp = next(m.attrs["content"] for m in root.find_all("meta")
               if m.attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp
    (script,) = root.find_all("script")
    digest = base64.b64encode(hashlib.sha256(script.all_text().encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp


def test_county_summary_comes_first_with_counts(report: Report, doc: str, tree: El) -> None:
    root = tree
    (county,) = root.find_all("section", "qs-county")
    assert county.attrs["data-status"] == report.county.status.value == "fail"
    assert doc.index("qs-county") < doc.index("qs-cands")
    (counts,) = county.find_all("table", "qs-counts")
    rows = [[td.all_text() for td in tr.find_all("td")] for tr in counts.find_all("tr")[1:]]
    assert rows[0] == ["产品质量强区", "0", "2", "1", "1"]
    n = sum(e.kind == "enterprise" for e in report.entities)
    assert rows[2] == ["产品质量强企", str(n), str(n), "0", "0"]
    assert clause_ids(county) == [n.id for c in report.county.clauses for n in c.walk()]


def test_every_node_of_every_candidate_is_present_with_its_status(
        report: Report, tree: El) -> None:
    root = tree
    entities = root.find_all("details", "qs-entity")
    assert [(e.attrs["data-kind"], e.attrs["data-entity"]) for e in entities] == [
        (r.kind, r.id) for r in report.entities]
    for el, result in zip(entities, report.entities, strict=True):
        assert el.attrs["data-status"] == result.status.value
        nodes = [e for e in el.iter() if "qs-node" in e.classes]
        assert [n.attrs["data-clause"] for n in nodes] == [n.id for n in result.nodes()]
        assert [n.attrs["data-status"] for n in nodes] == [
            n.status.value for n in result.nodes()]
    overview = root.find_all("tr", "qs-row")
    assert [r.attrs["data-status"] for r in overview] == [e.status.value for e in report.entities]


def _node_el(root: El, entity_id: str, clause_id: str) -> El:
    (entity,) = [e for e in root.find_all("details", "qs-entity")
                 if e.attrs["data-entity"] == entity_id]
    (node,) = [e for e in entity.iter() if e.attrs.get("data-clause") == clause_id]
    return node


def test_failing_leaf_shows_plan_text_margin_and_values(report: Report, tree: El) -> None:
    root = tree
    node = report.entity("D1").clause("district/1/drug_evaluation")
    assert node.status is Status.FAIL
    el = _node_el(root, "D1", node.id)
    assert "open" not in el.attrs  # leaves start closed; the reader opens them
    summary = el.child("summary").all_text()
    assert node.id in summary and node.title_zh in summary and node.summary_zh in summary
    (text,) = el.find_all("blockquote", "qs-text")
    assert text.all_text() == node.text
    (margin,) = el.find_all("span", "qs-margin")
    assert margin.attrs["data-met"] == "false" and margin.all_text() == "差 6个百分点"
    (values,) = el.find_all("table", "qs-values")
    assert [td.all_text() for td in values.find_all("td")] == [
        "药品评价性抽验合格率", "drug_evaluation_pass_rate", "90%"]
    assert "drug_evaluation_pass_rate >= 96%" in el.all_text()


def test_unknown_leaf_lists_missing_data(report: Report, tree: El) -> None:
    root = tree
    el = _node_el(root, "D2", "district/1/drug_evaluation")
    assert el.attrs["data-status"] == "unknown"
    missing = " ".join(e.all_text() for e in el.iter() if "qs-missing" in e.classes)
    assert "drug_evaluation_pass_rate" in missing


def test_aggregates_parameters_and_applicability_are_shown(
        report: Report, doc: str, tree: El) -> None:
    root = tree
    node = report.entity("D1").clause("district/1/production_spot_check")
    el = _node_el(root, "D1", node.id)
    (agg,) = el.find_all("div", "qs-aggregate")
    assert "2012-11-01" in agg.all_text() and "2014-11-01" in agg.all_text()
    items = agg.find_all("table", "qs-items")[0].find_all("tr")[1:]
    assert [tr.find_all("td")[0].all_text() for tr in items] == [
        i.label for i in node.aggregates[0].items]
    (params,) = el.find_all("table", "qs-params")
    assert "$stable_years" in params.all_text()
    na = [n for e in report.entities for n in e.nodes() if n.status is Status.NOT_APPLICABLE]
    assert na, "the example has conditional clauses that do not apply"
    assert 'data-status="not_applicable"' in doc and "不适用" in doc


def test_open_state_leads_to_what_does_not_pass(report: Report, tree: El) -> None:
    root = tree
    by_id = {e.attrs["data-entity"]: e for e in root.find_all("details", "qs-entity")}
    assert "open" in by_id["D1"].attrs and "open" in by_id["D2"].attrs
    assert "open" not in by_id["I1"].attrs
    assert "open" in _node_el(root, "D1", "district/1").attrs
    assert "open" not in _node_el(root, "D1", "district/2").attrs


def test_everything_from_the_report_is_escaped(report: Report, doc: str, tree: El) -> None:
    assert html.escape(NASTY) in doc
    assert NASTY not in doc
    assert doc.count("<script") == 1
    root = tree
    names = [e.all_text() for e in root.iter() if "qs-name" in e.classes]
    assert NASTY in names  # the browser shows the name exactly as written


def test_output_is_deterministic(report: Report, doc: str) -> None:
    assert render_html(report) == doc
    assert render_html(mixed_report(NASTY)) == doc


def test_english(report: Report) -> None:
    en = render_html(report, lang="en")
    assert en.startswith('<!DOCTYPE html>\n<html lang="en">')
    root = parse(en[len("<!DOCTYPE html>"):])
    node = report.entity("D1").clause("district/1/drug_evaluation")
    el = _node_el(root, "D1", node.id)
    assert node.title_en in el.child("summary").all_text()
    assert el.find_all("span", "qs-margin")[0].all_text() == "short by 6 percentage points"
    badges = {e.all_text() for e in root.iter() if "qs-badge" in e.classes}
    assert badges == {"pass", "fail", "unknown", "not applicable"}
    assert "Plan text" in en and "方案原文" not in en


def test_unsupported_language_is_an_error(report: Report) -> None:
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        render_html(report, lang="fr")


def test_filter_controls_cover_every_status(report: Report, tree: El) -> None:
    root = tree
    (bar,) = root.find_all("span", "qs-filter")
    boxes = bar.find_all("input")
    assert [b.attrs["value"] for b in boxes] == [s.value for s in Status]
    assert all("checked" in b.attrs for b in boxes)
    passing = sum(e.status is Status.PASS for e in report.entities)
    assert f"达标 ({passing})" in bar.all_text() and "未达标 (1)" in bar.all_text()


def test_print_stylesheet_is_a4(doc: str) -> None:
    assert "@page{size:A4" in doc and "@media print{" in doc


# ------------------------------------------------------------------ notebook fragments


def test_fragments_have_scoped_css_and_no_script(report: Report) -> None:
    entity = report.entity("D1")
    node = entity.clause("district/1")
    for fragment in (report_fragment_html(report), entity_html(entity), node_html(node)):
        assert fragment.startswith('<div class="qs"><style>') and fragment.endswith("</div>")
        assert "<script" not in fragment and 'class="qs-toolbar"' not in fragment
        parse(fragment)
    assert clause_ids(parse(node_html(node))) == [n.id for n in node.walk()]
    assert clause_ids(parse(entity_html(entity))) == [n.id for n in entity.nodes()]
    assert "open" in parse(entity_html(entity)).find_all("details", "qs-entity")[0].attrs
    assert "Plan text" in node_html(node, lang="en")


def test_node_without_optional_parts(report: Report) -> None:
    bare = ClauseResult(id="x/1", title_zh="标题", title_en="", text="", section="",
                        status=Status.UNKNOWN)
    root = parse(node_html(bare, lang="en"))
    (el,) = root.find_all("details", "qs-node")
    assert el.attrs["data-status"] == "unknown"
    assert "标题" in el.child("summary").all_text()  # no English title: the Chinese one


def test_the_page_is_streamed_and_keeps_no_explanation() -> None:
    import io
    from pathlib import Path

    import qstrong
    from qstrong.report.html import write_html

    report = qstrong.evaluate(Path(__file__).resolve().parents[1] / "examples" / "county.yaml")
    out = io.StringIO()
    write_html(report, out)
    assert out.getvalue() == render_html(report)
    # Each candidate was explained for the page and let go (a province's page is streamed).
    assert all(getattr(e, "_clauses", None) is None for e in report.entities)



def test_a_large_county_opens_on_its_tables() -> None:
    import re
    import sys
    from pathlib import Path

    import qstrong
    from qstrong.report.html import OPEN_LIMIT

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench

    report = qstrong.evaluate(qstrong.load_dataset(bench.generate(OPEN_LIMIT + 50, 3, 0.1)))
    assert any(e.status is not Status.PASS for e in report.entities)
    page = render_html(report)
    assert re.search(r'<details class="qs-entity"[^>]* open>', page) is None
    assert 'class="qs-overview"' in page
    small = render_html(qstrong.evaluate(Path(__file__).resolve().parents[1] / "examples"
                                         / "county-mixed.yaml"))
    assert re.search(r'<details class="qs-entity"[^>]* open>', small) is not None
