"""The one sanctioned upward seam: notebook, terminal and pandas conveniences of result objects.

`ClauseResult`, `EntityResult`, `CountyResult` and `Report` (in `qstrong.engine`) offer
``_repr_html_``, ``__rich__``, ``to_records`` and ``to_frame`` so that a notebook or a rich
console shows them without any call to a renderer. They reach the renderers through this
module only, imported when first used, so the engine never imports a renderer at load time
and the layers stay acyclic everywhere else. Results never render themselves: they ask here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.console import Group
    from rich.tree import Tree

    from qstrong.engine.clause import ClauseResult
    from qstrong.engine.diff import Diff
    from qstrong.engine.results import CountyResult, EntityResult, Report
    from qstrong.engine.sweep import Sweep

__all__ = [
    "county_html",
    "county_rich",
    "diff_frame",
    "diff_html",
    "entity_html",
    "entity_rich",
    "node_html",
    "node_rich",
    "report_frame",
    "report_html",
    "report_records",
    "report_rich",
    "sweep_frame",
    "sweep_html",
]


def node_html(node: ClauseResult) -> str:
    from qstrong.report.html import node_html as render

    return render(node)


def node_rich(node: ClauseResult) -> Tree:
    from qstrong.report.text import node_tree

    return node_tree(node)


def entity_html(entity: EntityResult) -> str:
    from qstrong.report.html import entity_html as render

    return render(entity)


def entity_rich(entity: EntityResult) -> Tree:
    from qstrong.report.text import clause_tree

    return clause_tree(entity, show_kind=True)


def county_html(county: CountyResult) -> str:
    from qstrong.report.html import county_html as render

    return render(county)


def county_rich(county: CountyResult) -> Tree:
    from qstrong.report.text import clause_tree

    return clause_tree(county)


def report_html(report: Report) -> str:
    from qstrong.report.html import report_fragment_html

    return report_fragment_html(report)


def report_rich(report: Report) -> Group:
    from rich.console import Group

    from qstrong.report.text import report_renderables

    return Group(*report_renderables(report))  # type: ignore[arg-type]


def report_records(report: Report, lang: str, include_county: bool) -> list[dict[str, Any]]:
    from qstrong.report.records import report_records as records

    return records(report, lang, include_county=include_county)


def report_frame(report: Report, level: Literal["entity", "clause", "node", "missing"],
                 lang: str) -> Any:
    from qstrong.report.frame import report_frame as frame

    return frame(report, level, lang)


def diff_html(result: Diff) -> str:
    from qstrong.report.change_html import diff_fragment

    return diff_fragment(result)


def sweep_html(result: Sweep) -> str:
    from qstrong.report.change_html import sweep_fragment

    return sweep_fragment(result)


def diff_frame(result: Diff) -> Any:
    from qstrong.report.frame import diff_frame as frame

    return frame(result)


def sweep_frame(result: Sweep) -> Any:
    from qstrong.report.frame import sweep_frame as frame

    return frame(result)
