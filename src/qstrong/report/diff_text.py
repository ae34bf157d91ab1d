"""A `Diff` as plain text: the summary per kind, the county, then each changed candidate
with the clauses that changed and what each side read and required."""

from __future__ import annotations

from typing import Any

from qstrong.core.logic import Status
from qstrong.core.vocab import KIND_WORDS, STATUS_WORDS
from qstrong.engine.diff import Diff

__all__ = ["render_diff_text"]

_WORDS: dict[str, dict[str, Any]] = {
    "zh": {"title": "评定结果比较", "before": "之前", "after": "之后", "none": "（无）",
           "county": "县域目标", "nothing": "没有候选对象的结论改变。",
           "summary": {"pass_to_fail": "达标→未达标", "fail_to_pass": "未达标→达标",
                       "to_unknown": "变为无法判定", "from_unknown": "不再无法判定",
                       "added": "新增", "removed": "减少"},
           "only_after": "只在之后出现", "only_before": "只在之前出现",
           "criteria": "标准", "dataset": "数据", "params": "参数"},
    "en": {"title": "Comparison of two evaluations", "before": "before", "after": "after",
           "none": "(none)", "county": "county target",
           "nothing": "No candidate's verdict changed.",
           "summary": {"pass_to_fail": "pass→fail", "fail_to_pass": "fail→pass",
                       "to_unknown": "became unknown", "from_unknown": "no longer unknown",
                       "added": "added", "removed": "removed"},
           "only_after": "only after", "only_before": "only before",
           "criteria": "criteria", "dataset": "data", "params": "parameters"},
}


def _status(status: Status | None, lang: str) -> str:
    return _WORDS[lang]["none"] if status is None else STATUS_WORDS[lang][status]


def _side(side: dict[str, object], label: str, lang: str) -> str:
    w = _WORDS[lang]
    criteria = side["criteria"]
    dataset = side["dataset"]
    assert isinstance(criteria, dict) and isinstance(dataset, dict)
    text = (f"{label}：" if lang == "zh" else f"{label}: ") + (
        f"{w['dataset']} {dataset['county']['name']}（{dataset['county']['code']}）"
        f" {dataset['date']} · {w['criteria']} {criteria['version']}"
        f"（{str(criteria['sha256'])[:12]}）")
    params = side.get("params")
    if isinstance(params, dict) and params:
        text += f" · {w['params']} " + ", ".join(f"${k} = {v}" for k, v in params.items())
    return text


def render_diff_text(result: Diff, lang: str = "zh") -> str:
    """The comparison as plain text (Chinese, or English with ``lang="en"``)."""
    w = _WORDS[lang]
    lines = [w["title"], _side(result.before, w["before"], lang),
             _side(result.after, w["after"], lang), ""]
    for kind, counts in result.summary.items():
        shown = [f"{w['summary'][k]} {v}" for k, v in counts.items() if v]
        if shown:
            lines.append(f"{KIND_WORDS[lang][kind]}：" + "，".join(shown) if lang == "zh"
                         else f"{KIND_WORDS[lang][kind]}: " + ", ".join(shown))
    lines.append(f"{w['county']}：{_status(result.county_before, lang)} → "
                 f"{_status(result.county_after, lang)}" if lang == "zh" else
                 f"{w['county']}: {_status(result.county_before, lang)} → "
                 f"{_status(result.county_after, lang)}")
    if not result.changes:
        lines += ["", w["nothing"]]
    for change in result.changes:
        where = ""
        if change.before_status is None:
            where = f"（{w['only_after']}）" if lang == "zh" else f" ({w['only_after']})"
        elif change.after_status is None:
            where = f"（{w['only_before']}）" if lang == "zh" else f" ({w['only_before']})"
        lines += ["", f"{KIND_WORDS[lang][change.kind]} {change.id} {change.name}："
                      f"{_status(change.before_status, lang)} → "
                      f"{_status(change.after_status, lang)}{where}"]
        for clause in change.clauses:
            title = clause.title_zh if lang == "zh" else (clause.title_en or clause.title_zh)
            lines.append(f"  {clause.id} {title}：{_status(clause.before_status, lang)} → "
                         f"{_status(clause.after_status, lang)}")
            for label, facts in ((w["before"], clause.before), (w["after"], clause.after)):
                key = "summary" if lang == "zh" else "summary_en"
                if facts.get(key):
                    lines.append(f"    {label}：{facts[key]}" if lang == "zh"
                                 else f"    {label}: {facts[key]}")
    return "\n".join(lines) + "\n"
