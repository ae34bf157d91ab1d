"""Diffs and sweeps as HTML: notebook fragments and self-contained pages (the report's CSS,
no script, no network; a sweep's chart is inline SVG).

The data are `qstrong.engine.diff.Diff` and `qstrong.engine.sweep.Sweep`; this only draws.
"""

from __future__ import annotations

import html

from qstrong.core.logic import Status
from qstrong.core.vocab import KIND_WORDS, STATUS_WORDS
from qstrong.engine.diff import Diff
from qstrong.engine.sweep import Sweep
from qstrong.report.diff_text import _WORDS as DIFF_WORDS
from qstrong.report.html_assets import CSS
from qstrong.report.sweep import _WORDS as SWEEP_WORDS
from qstrong.report.sweep import render_sweep_text

__all__ = ["diff_fragment", "diff_page", "sweep_fragment", "sweep_page", "sweep_svg"]

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'")
_COLOURS = {"district": "#0969da", "industry": "#8250df", "enterprise": "#1a7f37",
            "clause": "#cf222e"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(status: Status | None, lang: str) -> str:
    if status is None:
        return f"<span>{_e(DIFF_WORDS[lang]['none'])}</span>"
    return (f'<span class="qs-badge" data-status="{status.value}">'
            f"{_e(STATUS_WORDS[lang][status])}</span>")


def _page(title: str, body: str, lang: str) -> str:
    return "".join([
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">\n',
        '<meta name="generator" content="qstrong">\n',
        f"<title>{_e(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        f'<main class="qs qs-doc">\n{body}\n</main>\n</body>\n</html>\n'])


def _diff_body(result: Diff, lang: str) -> str:
    w = DIFF_WORDS[lang]
    sides = []
    for label, side in ((w["before"], result.before), (w["after"], result.after)):
        d, c = side["dataset"], side["criteria"]
        params = side.get("params") or {}
        extra = "".join(f" · <code>${_e(k)} = {_e(v)}</code>" for k, v in params.items())
        sides.append(f"<li>{_e(label)}：{_e(d['county']['name'])}（{_e(d['county']['code'])}）"
                     f" {_e(d['date'])} · {_e(w['criteria'])} {_e(c['version'])} "
                     f"<code>{_e(str(c['sha256'])[:12])}</code>{extra}</li>")
    heads = "".join(f"<th>{_e(w['summary'][k])}</th>" for k in next(iter(
        result.summary.values())))
    rows = "".join(
        f"<tr><td>{_e(KIND_WORDS[lang][kind])}</td>"
        + "".join(f'<td class="qs-num">{v}</td>' for v in counts.values()) + "</tr>"
        for kind, counts in result.summary.items())
    parts = [f"<h1>{_e(w['title'])}</h1>", f"<ul>{''.join(sides)}</ul>",
             f"<table><tr><th></th>{heads}</tr>{rows}</table>",
             f"<p>{_e(w['county'])}：{_badge(result.county_before, lang)} → "
             f"{_badge(result.county_after, lang)}</p>"]
    if not result.changes:
        parts.append(f"<p>{_e(w['nothing'])}</p>")
    for change in result.changes:
        parts.append(f'<h3 id="{_e(change.kind)}-{_e(change.id)}">'
                     f"{_e(KIND_WORDS[lang][change.kind])} {_e(change.id)} {_e(change.name)}："
                     f"{_badge(change.before_status, lang)} → "
                     f"{_badge(change.after_status, lang)}</h3>")
        if change.clauses:
            key = "summary" if lang == "zh" else "summary_en"
            cells = "".join(
                f"<tr><td><code>{_e(c.id)}</code> "
                f"{_e(c.title_zh if lang == 'zh' else (c.title_en or c.title_zh))}</td>"
                f"<td>{_badge(c.before_status, lang)} → {_badge(c.after_status, lang)}</td>"
                f"<td>{_e(c.before.get(key, ''))}</td><td>{_e(c.after.get(key, ''))}</td></tr>"
                for c in change.clauses)
            parts.append(f"<table><tr><th></th><th></th><th>{_e(w['before'])}</th>"
                         f"<th>{_e(w['after'])}</th></tr>{cells}</table>")
    return "".join(parts)


def diff_fragment(result: Diff, lang: str = "zh") -> str:
    """The diff as a ``<div>`` with scoped CSS, for notebooks."""
    return f'<div class="qs"><style>{CSS}</style>{_diff_body(result, lang)}</div>'


def diff_page(result: Diff, lang: str = "zh") -> str:
    """The diff as one self-contained HTML document."""
    return _page(DIFF_WORDS[lang]["title"], _diff_body(result, lang), lang)


def _series(result: Sweep) -> dict[str, list[int]]:
    series = {k: [p.strong.get(k, 0) for p in result.points]
              for k in ("district", "industry", "enterprise")}
    if result.points and result.points[0].clause is not None:
        series["clause"] = [p.clause["pass"] if p.clause else 0 for p in result.points]
    return series


def sweep_svg(result: Sweep, lang: str = "zh", width: int = 640, height: int = 280) -> str:
    """A line chart: the clause's passes and the strong counts at each value (inline SVG)."""
    w = SWEEP_WORDS[lang]
    series = _series(result)
    values = [float(p.value) for p in result.points]
    top = max([1, *(v for s in series.values() for v in s)])
    left, right, upper, lower = 48, 16, 16, 36
    span_x = (max(values) - min(values)) or 1.0

    def x(v: float) -> float:
        return left + (v - min(values)) / span_x * (width - left - right)

    def y(v: int) -> float:
        return height - lower - v / top * (height - upper - lower)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{_e(w["value"])}">',
           f'<line x1="{left}" y1="{height - lower}" x2="{width - right}" '
           f'y2="{height - lower}" stroke="#59636e"/>',
           f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{height - lower}" '
           'stroke="#59636e"/>',
           f'<text x="{left - 6}" y="{upper + 4}" text-anchor="end" font-size="11">{top}</text>',
           f'<text x="{left - 6}" y="{height - lower}" text-anchor="end" font-size="11">0</text>']
    for i, p in enumerate(result.points):
        if len(result.points) <= 12 or i in (0, len(result.points) - 1):
            out.append(f'<text x="{x(values[i]):.1f}" y="{height - lower + 16}" '
                       f'text-anchor="middle" font-size="11">{_e(p.to_dict()["value"])}</text>')
    for n, (name, counts) in enumerate(series.items()):
        points = " ".join(f"{x(v):.1f},{y(c):.1f}" for v, c in zip(values, counts, strict=True))
        colour = _COLOURS[name]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                   f'points="{points}"/>')
        label = w["clause"].split("（")[0].split(" (")[0] if name == "clause" else w[name]
        out.append(f'<text x="{left + 8 + n * 130}" y="{height - 4}" font-size="11" '
                   f'fill="{colour}">■ {_e(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _sweep_body(result: Sweep, lang: str) -> str:
    lines = render_sweep_text(result, lang).splitlines()
    return (f"<h1>{_e(lines[0])}</h1>{sweep_svg(result, lang)}"
            f"<pre>{_e(chr(10).join(lines[2:]))}</pre>")


def sweep_fragment(result: Sweep, lang: str = "zh") -> str:
    """The sweep's chart and table as a ``<div>`` with scoped CSS, for notebooks."""
    return f'<div class="qs"><style>{CSS}</style>{_sweep_body(result, lang)}</div>'


def sweep_page(result: Sweep, lang: str = "zh") -> str:
    """The sweep as one self-contained HTML document."""
    return _page(render_sweep_text(result, lang).splitlines()[0], _sweep_body(result, lang),
                 lang)

