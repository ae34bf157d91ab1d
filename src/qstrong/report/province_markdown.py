"""The province report as Markdown: the target, the years, the county table, the roster's
counts, the changes and the review record, for documents and wikis."""

from __future__ import annotations

from qstrong.engine.province import ProvinceReport
from qstrong.report.markdown import md_text
from qstrong.report.province_words import (
    UI,
    change_lines,
    county_rows,
    review_lines,
    roster_counts,
    target_lines,
)

__all__ = ["render_province_markdown"]

_HEADS = {"zh": {"years": "年度", "demonstration": "累计示范县", "unknown": "无法判定",
                 "district": "强区", "industry": "强业", "enterprise": "强企"},
          "en": {"years": "year", "demonstration": "demonstration counties",
                 "unknown": "unknown", "district": "districts", "industry": "industries",
                 "enterprise": "enterprises"}}


def _table(rows: list[list[str]]) -> list[str]:
    head, *body = rows
    return ["| " + " | ".join(md_text(c) for c in head) + " |",
            "|" + "---|" * len(head),
            *("| " + " | ".join(md_text(c) for c in row) + " |" for row in body)]


def render_province_markdown(report: ProvinceReport, lang: str = "zh") -> str:
    """The province report as Markdown in `lang`."""
    ui, h = UI[lang], _HEADS[lang]
    title, target, standing = target_lines(report, lang)
    lines = [f"# {md_text(title)}", "", f"**{md_text(target)}**", "", md_text(standing), "",
             f"## {md_text(ui['years'].rstrip('：:'))}", ""]
    lines += _table([[h["years"], h["demonstration"], h["unknown"]],
                     *([str(y), str(by["pass"]), str(by["unknown"])]
                       for y in report.years for by in [report.demonstration_by(y)])])
    lines += ["", f"## {md_text(ui['table'].format(marks='  '.join(ui['marks'])).rstrip('：:'))}",
              "", *_table(county_rows(report, lang))]
    lines += ["", f"## {md_text(ui['roster'].rstrip('：:'))}", ""]
    lines += _table([[h["years"], h["district"], h["industry"], h["enterprise"], h["unknown"]],
                     *([str(y), *(str(strong[k]) for k in strong), str(unknown)]
                       for y, strong, unknown in roster_counts(report))])
    changes = change_lines(report, lang)
    lines += ["", f"## {md_text(ui['changes'].rstrip('：:'))}", "",
              *(f"- {md_text(c)}" for c in changes)]
    if not changes:
        lines.append(md_text(ui["no_changes"].strip()))
    lines += ["", f"## {md_text(ui['review'].rstrip('：:'))}", "",
              *(f"{'  ' if line.startswith('    ') else ''}- {md_text(line.strip())}"
                for line in review_lines(report, lang))]
    return "\n".join(lines) + "\n"
