"""The province report as one self-contained HTML page: the target, a line of demonstration
counties per year toward the target, the county table linking to each county's section (its
bars toward 2/2/30 per year), the roster's counts, the review record and the changes.

No script and no network: the Content-Security-Policy allows inline styles and ``data:``
images only; the charts are inline SVG. Every text from the data is escaped.
"""

from __future__ import annotations

import html

from qstrong.core.logic import Status
from qstrong.core.vocab import MARKS, STATUS_WORDS
from qstrong.engine.province import COUNTY_TARGET, CountyYearResult, ProvinceReport
from qstrong.report.province_words import (
    UI,
    change_lines,
    county_names,
    county_rows,
    kind_word,
    review_lines,
    roster_counts,
    target_lines,
)

__all__ = ["CSP", "render_province_html"]

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")
"""Nothing but the page itself: no script, no request."""

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left}th{background:#f3f4f6}.pass{color:#15803d}.fail{color:#b91c1c}
.unknown{color:#a16207}.qs-county{border-left:4px solid #ccc;padding-left:1em;margin:1.5em 0}
.qs-county[data-status=pass]{border-color:#15803d}.qs-county[data-status=fail]{border-color:#b91c1c}
.qs-county[data-status=unknown]{border-color:#a16207}svg text{font-size:12px}
"""
_WORDS = {
    "zh": {"doc": "质量强县示范创建：全省视图", "chart": "各年度累计示范县与省级目标",
           "counties": "各县（市、区）", "year": "年度", "status": "县域目标",
           "counts": "评定为强（强区/强业/强企）", "bars": "距 2/2/30", "source": "数据文件",
           "target_line": "目标 {n}"},
    "en": {"doc": "Quality-strong county demonstration: the province", "chart":
           "Demonstration counties by year and the province target", "counties": "Counties",
           "year": "year", "status": "county target", "counts": "rated strong (d/i/e)",
           "bars": "toward 2/2/30", "source": "dataset file", "target_line": "target {n}"},
}
_COLOURS = {Status.PASS: "#15803d", Status.FAIL: "#b91c1c", Status.UNKNOWN: "#a16207"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(rows: list[list[str]], escape: bool = True) -> str:
    head, *body = rows
    cell = _e if escape else str
    return ("<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>"
                      for row in body) + "</tbody></table>")


def _line_chart(report: ProvinceReport, lang: str) -> str:
    """Demonstration counties per year (unknown ones stacked light) against the target."""
    years = report.years
    width, height, left, bottom = 560, 220, 40, 30
    top = max(report.needed, *(report.demonstration_by(y)["pass"]
                                + report.demonstration_by(y)["unknown"] for y in years), 1)
    step = (width - left - 20) / max(len(years) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(n: int) -> float:
        return height - bottom - (height - bottom - 10) * n / top

    passed = [report.demonstration_by(year)["pass"] for year in years]
    maybe = [p + report.demonstration_by(year)["unknown"] for p, year in zip(
        passed, years, strict=True)]
    points = " ".join(f"{x(i):.1f},{y(n):.1f}" for i, n in enumerate(passed))
    upper = " ".join(f"{x(i):.1f},{y(n):.1f}" for i, n in enumerate(maybe))
    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{_e(_WORDS[lang]['chart'])}</title>",
             f'<line x1="{left}" y1="{y(report.needed):.1f}" x2="{width - 10}" '
             f'y2="{y(report.needed):.1f}" stroke="#b91c1c" stroke-dasharray="4 3"/>',
             f'<text x="{width - 12}" y="{y(report.needed) + 14:.1f}" text-anchor="end" '
             f'fill="#b91c1c">{_e(_WORDS[lang]["target_line"].format(n=report.needed))}</text>',
             f'<polyline points="{upper}" fill="none" stroke="#a16207" stroke-dasharray="2 2"/>',
             f'<polyline points="{points}" fill="none" stroke="#15803d" stroke-width="2"/>']
    for i, (year, n) in enumerate(zip(years, passed, strict=True)):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(n):.1f}" r="3" fill="#15803d"/>'
                     f'<text x="{x(i):.1f}" y="{y(n) - 6:.1f}" text-anchor="middle">{n}</text>'
                     f'<text x="{x(i):.1f}" y="{height - 10}" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bars(rows: list[CountyYearResult], lang: str) -> str:
    """Per year, three bars: strong districts, industries, enterprises against 2/2/30."""
    width, row_h = 420, 18
    height = row_h * len(rows) * 3 + 10
    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} '
             f'{height}"><title>{_e(_WORDS[lang]["bars"])}</title>']
    line = 0
    for c in rows:
        for kind, need in COUNTY_TARGET.items():
            have = c.counts[kind]["pass"]
            share = min(have / need, 1.0)
            yy = 5 + line * row_h
            colour = "#15803d" if have >= need else "#b91c1c"
            parts.append(f'<text x="0" y="{yy + 12}">{c.year} {_e(kind_word(kind, lang))}</text>'
                         f'<rect x="110" y="{yy + 2}" width="{250 * share:.1f}" height="12" '
                         f'fill="{colour}"/><rect x="110" y="{yy + 2}" width="250" height="12" '
                         f'fill="none" stroke="#999"/>'
                         f'<text x="366" y="{yy + 12}">{have}/{need}</text>')
            line += 1
    parts.append("</svg>")
    return "".join(parts)


def _county_section(code: str, rows: list[CountyYearResult], lang: str) -> str:
    w, words = _WORDS[lang], STATUS_WORDS[lang]
    name, city = rows[-1].name, rows[-1].city or ""
    best = (Status.PASS if any(r.status is Status.PASS for r in rows) else Status.UNKNOWN
            if any(r.status is Status.UNKNOWN for r in rows) else Status.FAIL)
    table = [[w["year"], w["status"], w["counts"], w["source"]]]
    for r in rows:
        table.append([str(r.year),
                      f'<span class="{r.status.value}">{MARKS[r.status]} '
                      f"{_e(words[r.status])}</span>",
                      _e("/".join(str(r.counts[k]["pass"]) for k in COUNTY_TARGET)),
                      f"<code>{_e(r.source)}</code>"])
    return (f'<section class="qs-county" id="county-{_e(code)}" data-status="{best.value}">'
            f"<h3>{_e(name)} ({_e(code)}) {_e(city)}</h3>"
            + _table(table, escape=False) + _bars(rows, lang) + "</section>")


def render_province_html(report: ProvinceReport, lang: str = "zh") -> str:
    """The province report as one HTML document in `lang` (no script, no network)."""
    ui, w = UI[lang], _WORDS[lang]
    title, target, standing = target_lines(report, lang)
    rows = county_rows(report, lang)
    codes = [r[0].rsplit("(", 1)[1].rstrip(")") for r in rows[1:]]
    linked = [rows[0]] + [[f'<a href="#county-{_e(code)}">{_e(r[0])}</a>',
                           *(_e(c) for c in r[1:])] for code, r in zip(codes, rows[1:],
                                                                       strict=True)]
    roster = [[w["year"], *(kind_word(k, lang) for k in COUNTY_TARGET), STATUS_WORDS[lang][
        Status.UNKNOWN]]] + [[str(y), *(str(s[k]) for k in s), str(u)]
                             for y, s, u in roster_counts(report)]
    by_code: dict[str, list[CountyYearResult]] = {}
    for c in report.counties:
        by_code.setdefault(c.code, []).append(c)
    names = county_names(report)
    body = [
        f"<h1>{_e(title)}</h1>",
        f'<p><strong class="{report.status.value}">{_e(target)}</strong><br>{_e(standing)}</p>',
        f"<h2>{_e(w['chart'])}</h2>", _line_chart(report, lang),
        f"<h2>{_e(ui['table'].format(marks='  '.join(ui['marks'])).rstrip('：:'))}</h2>",
        _table(linked, escape=False),
        f"<h2>{_e(ui['roster'].rstrip('：:'))}</h2>", _table(roster),
        f"<h2>{_e(ui['review'].rstrip('：:'))}</h2>",
        "<ul>" + "".join(f"<li>{_e(line.strip())}</li>" for line in review_lines(report, lang))
        + "</ul>",
        f"<h2>{_e(ui['changes'].rstrip('：:'))}</h2>",
        "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in change_lines(report, lang))
        + "</ul>",
        f"<h2>{_e(w['counties'])}</h2>",
        *(_county_section(code, by_code[code], lang)
          for code in sorted(by_code, key=lambda k: (names[k][1], k))),
    ]
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_e(w['doc'])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n",
        "\n".join(body), "\n</main>\n</body>\n</html>\n"])
