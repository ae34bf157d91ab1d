"""The province report as plain text: the target, the years toward it, one row per county with
its verdict each year and how far it is from 2/2/30, the roster's counts, the changes and the
review record."""

from __future__ import annotations

from qstrong.core.source import display_width
from qstrong.engine.province import ProvinceReport
from qstrong.report.province_words import (
    UI,
    change_lines,
    county_rows,
    review_lines,
    roster_counts,
    target_lines,
)

__all__ = ["MAX_CHANGES", "render_province_text"]

MAX_CHANGES = 200
"""Changes listed in the text report; the others are counted (JSON and the workbook list
every one)."""


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_province_text(report: ProvinceReport, lang: str = "zh") -> str:
    """The province report as text in `lang` (``zh`` or ``en``)."""
    ui = UI[lang]
    title, target, standing = target_lines(report, lang)
    lines = [title, "", target, f"  {standing}", "", ui["years"]]
    for year in report.years:
        by = report.demonstration_by(year)
        lines.append(ui["year_row"].format(
            year=year, bar=_pad("█" * by["pass"] + "░" * by["unknown"], report.needed),
            passed=by["pass"],
            unknown=ui["unknown"].format(n=by["unknown"]) if by["unknown"] else ""))
    marks = "  ".join(ui["marks"])
    lines += ["", ui["table"].format(marks=marks)]
    rows = county_rows(report, lang)
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        lines.append("  " + "  ".join(_pad(cell, widths[i])
                                      for i, cell in enumerate(row)).rstrip())
    lines += ["", ui["roster"]]
    for year, strong, unknown in roster_counts(report):
        lines.append(ui["roster_row"].format(
            year=year, **strong,
            unknown=ui["roster_unknown"].format(n=unknown) if unknown else ""))
    changes = change_lines(report, lang)
    lines += ["", ui["changes"], *(f"  {line}" for line in changes[:MAX_CHANGES])]
    if len(changes) > MAX_CHANGES:
        lines.append(ui["more_changes"].format(n=len(changes) - MAX_CHANGES))
    if not changes:
        lines.append(ui["no_changes"])
    lines += ["", ui["review"], *review_lines(report, lang)]
    return "\n".join(lines) + "\n"
