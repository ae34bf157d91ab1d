"""One-line verdict summaries for explanation nodes, in Chinese and English."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from qstrong.core.logic import Status, Truth
from qstrong.core.vocab import OP_SHOW
from qstrong.engine.explanation import AggregateTrace, Check, Margin, ValueRead

__all__ = ["Summarized", "check_texts", "item_check_texts", "summarize"]


class Summarized(Protocol):
    """What a summary reads of an explanation node (`qstrong.engine.clause.ClauseResult`)."""

    @property
    def id(self) -> str: ...
    @property
    def title_zh(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def combine(self) -> str | None: ...
    @property
    def applies_if(self) -> str | None: ...
    @property
    def children(self) -> Sequence[Summarized]: ...
    @property
    def checks(self) -> Sequence[Check]: ...
    @property
    def values(self) -> Sequence[ValueRead]: ...
    @property
    def aggregates(self) -> Sequence[AggregateTrace]: ...
    @property
    def missing(self) -> Sequence[str]: ...



def _check_text(check: Check) -> tuple[str, str]:
    written = check.summary_texts  # what a comparison wrote with its other texts, if any
    if written is not None:
        return written
    return check_texts(check.op, check.share, check.left_label_zh, check.left_label_en,
                       check.left_value, check.left_value_en, check.right_value,
                       check.right_value_en, check.margin)


def check_texts(op: str, share: bool, label_zh: str, label_en: str, left_zh: str,
                left_en: str, right_zh: str, right_en: str,
                margin: Margin | None) -> tuple[str, str]:
    """A check's part of a summary (Chinese, English): the value against its bound, and the
    margin. A comparison writes it once with its display texts, for every candidate that
    compares the same values (`qstrong.engine.compiler`)."""
    shown = OP_SHOW.get(op, op)
    margin_zh = margin.text_zh if margin is not None else ""
    margin_en = margin.text_en if margin is not None else ""
    if share:
        zh = f"{label_zh}：{margin_zh}（要求 {shown} {right_zh}）"
        en = f"{label_en}: {margin_en} (required {shown} {right_en})"
        return zh, en
    zh = f"{label_zh} {left_zh}（要求 {shown} {right_zh}）"
    en = f"{label_en} {left_en} (required {shown} {right_en})"
    if margin_zh:
        zh += f"，{margin_zh}"
        en += f"; {margin_en}"
    return zh, en


def item_check_texts(op: str, value_zh: str, value_en: str, bound_zh: str, bound_en: str,
                     margin: Margin | None) -> tuple[str, str]:
    """One member's check as its aggregate lists it (a year's rate against its bound, and
    the margin), in Chinese and English; written once per pair of values, as `check_texts`."""
    margin_zh = f"，{margin.text_zh}" if margin is not None else ""
    margin_en = f", {margin.text_en}" if margin is not None else ""
    return (f"{value_zh}（要求 {OP_SHOW.get(op, op)} {bound_zh}{margin_zh}）",
            f"{value_en} (required {op} {bound_en}{margin_en})")


def _aggregate_text(agg: AggregateTrace) -> tuple[str, str]:
    window_zh = window_en = ""
    if agg.window is not None and agg.unit_zh == "年":
        first, last = agg.window[0].year + 1, agg.window[1].year
        window_zh = f"{first}—{last}年："
        window_en = f"{first}-{last}: "
    elif agg.window is not None:
        start, end = (d.isoformat() for d in agg.window)
        window_zh = f"{start} 至 {end} 期间"
        window_en = f"from {start} to {end}: "
    if agg.func == "none":
        zh = f"{window_zh}符合条件的 {agg.counted} {agg.unit_zh}"
        en = f"{window_en}{agg.counted} matching"
        found = [i for i in agg.items if i.status is Truth.PASS]
        if found:
            zh += "：" + "、".join(i.label for i in found)
            en += ": " + ", ".join(i.label_en or i.label for i in found)
        if agg.unknown:
            zh += f"，另有 {agg.unknown} {agg.unit_zh}无法判断"
            en += f", {agg.unknown} undetermined"
        return zh, en
    if agg.func == "all":
        failed = (agg.total or 0) - agg.counted - agg.unknown
        zh = f"{window_zh}{agg.total} {agg.unit_zh}中 {agg.counted} {agg.unit_zh}符合"
        en = f"{window_en}{agg.counted} of {agg.total} satisfy"
        if failed:
            failing = [i for i in agg.items if i.status is Truth.FAIL]
            bad = "、".join(
                f"{i.label} {i.detail}" if i.detail else (f"{i.label}（{i.value}）" if i.value
                                                          else i.label)
                for i in failing)
            bad_en = ", ".join(
                f"{i.label_en or i.label} {i.detail_en}" if i.detail_en
                else (i.label_en or i.label) for i in failing)
            zh += f"，不符合：{bad}"
            en += f"; failing: {bad_en}"
        if agg.unknown:
            zh += f"，{agg.unknown} {agg.unit_zh}缺数据"
            en += f"; {agg.unknown} lack data"
        return zh, en
    zh = f"{window_zh}{agg.total} {agg.unit_zh}中 {agg.counted} {agg.unit_zh}符合"
    en = f"{window_en}{agg.counted} of {agg.total} match"
    return zh, en


_OTHER_STATUSES = ((Status.FAIL, "未达标", "fail"), (Status.UNKNOWN, "无法判定", "unknown"),
                   (Status.NOT_APPLICABLE, "不适用", "not applicable"))


def summarize(node: Summarized) -> tuple[str, str]:
    """The one-line summaries (Chinese, English) of a node: checks, aggregates, children."""
    parts_zh: list[str] = []
    parts_en: list[str] = []
    if node.status is Status.NOT_APPLICABLE:
        parts_zh.append(f"不适用：适用条件（{node.applies_if}）不成立")
        parts_en.append(f"not applicable: condition ({node.applies_if}) does not hold")
    elif node.children:
        statuses = [c.status for c in node.children]
        total = len(statuses)
        passed = statuses.count(Status.PASS)  # identity first: no Enum hashing
        word = "全部" if node.combine == "all" else "任一"
        zh = f"{total} 项（需{word}达标）：{passed} 项达标"
        en = f"{total} parts ({node.combine} required): {passed} pass"
        if passed < total:
            for status, zh_word, en_word in _OTHER_STATUSES:
                count = statuses.count(status)
                if count:
                    ids = "、".join(c.title_zh or c.id for c in node.children
                                   if c.status is status)
                    zh += f"，{count} 项{zh_word}（{ids}）"
                    en += f", {count} {en_word}"
        parts_zh.append(zh)
        parts_en.append(en)
    else:
        for agg in node.aggregates:
            if agg.func in ("none", "all", "any"):
                zh, en = _aggregate_text(agg)
                parts_zh.append(zh)
                parts_en.append(en)
        for check in node.checks:
            zh, en = _check_text(check)
            parts_zh.append(zh)
            parts_en.append(en)
        if not parts_zh:
            for read in node.values:
                parts_zh.append(f"{read.label_zh}：{read.display}")
                parts_en.append(f"{read.label_en}: {read.display_en or read.display}")
    if node.missing and node.status is Status.UNKNOWN:
        parts_zh.append("缺少数据：" + "、".join(node.missing))
        parts_en.append("missing data: " + ", ".join(node.missing))
    elif node.missing and node.status is Status.FAIL:
        parts_zh.append("另缺数据（不影响本条结论）：" + "、".join(node.missing))
        parts_en.append("also missing (cannot change this verdict): " + ", ".join(node.missing))
    return "；".join(parts_zh), "; ".join(parts_en)
