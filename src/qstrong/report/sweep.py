"""A sweep as a text table: each value of the bound, the clause's passes, the strong counts
and the county's verdict (the data is `qstrong.engine.sweep.Sweep`; this only draws it)."""

from __future__ import annotations

from qstrong.core.source import display_width
from qstrong.core.vocab import STATUS_WORDS
from qstrong.engine.sweep import Sweep

__all__ = ["render_sweep_text"]

_WORDS = {
    "zh": {"value": "取值", "clause": "本条款（达标/未达标/无法判定）", "district": "强区",
           "industry": "强业", "enterprise": "强企", "county": "县域目标",
           "literal": "条款 {clause} 的界限 {text}", "param": "评审参数 ${name}",
           "with_clause": "，按条款 {clause} 计数"},
    "en": {"value": "value", "clause": "this clause (pass/fail/unknown)",
           "district": "districts", "industry": "industries", "enterprise": "enterprises",
           "county": "county", "literal": "bound {text} of clause {clause}",
           "param": "criteria parameter ${name}", "with_clause": ", counting clause {clause}"},
}


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_sweep_text(result: Sweep, lang: str = "zh") -> str:
    """The sweep as a plain table, one line per value."""
    w = _WORDS[lang]
    bound = result.bound
    if bound["kind"] == "literal":
        head = w["literal"].format(clause=result.clause, text=bound["text"])
    else:
        head = w["param"].format(name=bound["name"])
        if result.clause is not None:
            head += w["with_clause"].format(clause=result.clause)
    unit = bound.get("unit", "") if bound["kind"] == "literal" else ""
    columns = [w["value"]]
    if result.clause is not None:
        columns.append(w["clause"])
    columns += [w["district"], w["industry"], w["enterprise"], w["county"]]
    rows = []
    for p in result.points:
        row = [f"{p.to_dict()['value']}{unit}"]
        if p.clause is not None:
            row.append(f"{p.clause['pass']} / {p.clause['fail']} / {p.clause['unknown']}")
        row += [str(p.strong.get(k, 0)) for k in ("district", "industry", "enterprise")]
        row.append(STATUS_WORDS[lang][p.county])
        rows.append(row)
    widths = [max(display_width(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    lines = [head, "", "  ".join(_pad(c, widths[i]) for i, c in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * widths[i] for i in range(len(columns))))
    lines += ["  ".join(_pad(c, widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"
