"""Margins in the clause's own terms (差 0.4 个百分点; 11/25 家 = 44%，还需 2 家), value display."""

from __future__ import annotations

import datetime as _dt
import math
from fractions import Fraction
from typing import Any

from qstrong.core.exact import format_apart, format_number
from qstrong.engine.explanation import Margin
from qstrong.engine.runtime import Bounds, Missing
from qstrong.lang.rule_types import Ty

__all__ = ["compare_margin", "display_value", "share_needed"]



def _unit(ty: Ty) -> tuple[str, str]:
    """(Chinese, English) unit words for an amount of this type's difference."""
    if ty.kind in ("percent", "points"):
        return "个百分点", "percentage points"
    if ty.kind == "count":
        return ty.unit_zh or "个", ty.unit_en or ""
    if ty.kind == "rank":
        return "名", "places"
    if ty.kind == "year":
        return "年", "years"
    return ty.unit_zh, ty.unit_en


def display_value(value: Any, ty: Ty, enum_labels: dict[str, str] | None = None,
                  lang: str = "zh", apart_from: Fraction | None = None) -> str:
    """A value as a reader wants to see it: 93.5%, 5个百分点, 是/否, 2014-06-30, 4 家.

    Examples:
        >>> display_value(Fraction(187, 2), Ty("percent"))
        '93.5%'
    """
    en = lang == "en"
    if isinstance(value, Missing):
        if value.note and not value.paths:
            return "(undefined)" if en else f"（{value.note}）"
        return "(missing)" if en else "（缺失）"
    if isinstance(value, Bounds):
        hi = "∞" if value.hi is None else display_value(value.hi, ty, lang=lang)
        return f"{display_value(value.lo, ty, lang=lang)} ~ {hi}"
    if isinstance(value, bool):
        return ("yes" if value else "no") if en else ("是" if value else "否")
    if isinstance(value, Fraction | int) and ty.kind in (
        "percent", "points", "count", "rank", "amount", "number", "year"
    ):
        text = format_number(value) if apart_from is None else format_apart(value, apart_from)
        if ty.kind == "percent":
            return f"{text}%"
        if ty.kind == "points":
            return f"{text} pp" if en else f"{text}个百分点"
        unit = ty.unit_en if en else ty.unit_zh
        if ty.kind in ("count", "amount") and unit:
            return f"{text} {unit}"
        return text
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if enum_labels and value in enum_labels and not en:
            return f"{enum_labels[value]}（{value}）"
        return value
    if isinstance(value, list):
        return f"{len(value)} items" if en else f"{len(value)} 项"
    return str(value)


def share_needed(count: int, total: int, op: str, bound: Fraction) -> int | None:
    """How many more members must qualify for ``count/total op bound%`` to hold (0 if it does).

    Examples:
        >>> share_needed(11, 25, ">=", Fraction(50))
        2
        >>> share_needed(3, 5, ">", Fraction(60))
        1
    """
    if total <= 0 or op not in (">=", ">"):
        return None
    exact = bound * total / 100
    needed = math.ceil(exact) if op == ">=" else math.floor(exact) + 1
    return max(0, needed - count)


def compare_margin(
    op: str,
    left: Any,
    right: Any,
    ty: Ty,
    share: tuple[int, int, int, str] | None = None,
) -> Margin | None:
    """How far ``left op right`` is from flipping, in the comparison's own unit.

    Args:
        op: the comparison operator.
        left: the measured value (exact, `Bounds` or `Missing`).
        right: the threshold.
        ty: the type both sides share (for the unit).
        share: (counted, unknown, total, unit word) when ``left`` is a share of members.
    """
    if isinstance(right, Missing | Bounds) or not isinstance(right, Fraction):
        return None
    unit_zh, unit_en = _unit(ty)
    if isinstance(left, Missing):
        if left.note and not left.paths:
            return Margin(None, None, unit_zh, f"{left.note}，无法判断", "undefined; cannot tell")
        return Margin(None, None, unit_zh, "数据缺失，无法判断", "data missing; cannot tell")
    if isinstance(left, Bounds):
        return _bounds_margin(op, left, right, ty, share)
    if not isinstance(left, Fraction):
        return None
    diff = left - right
    gap = abs(diff)
    g = format_apart(gap)
    holds = {
        ">=": diff >= 0, ">": diff > 0, "<=": diff <= 0, "<": diff < 0,
        "=": diff == 0, "!=": diff != 0,
    }[op]
    sep = "" if unit_zh == "个百分点" else " "
    amount_zh = f"{g}{sep}{unit_zh}".strip()
    amount_en = f"{g} {unit_en}".strip()
    prefix_zh = prefix_en = ""
    if share is not None:
        counted, _, total, word = share
        prefix_zh = f"{counted}/{total} {word} = {format_number(left)}%，"
        prefix_en = f"{counted}/{total} = {format_number(left)}%; "
    if op in (">=", ">"):
        if holds:
            zh = "恰好达到" if diff == 0 else f"超出 {amount_zh}"
            en = "exactly at the bound" if diff == 0 else f"above by {amount_en}"
        elif diff == 0:
            zh, en = "恰好等于阈值，未超过", "equal to the bound, not above it"
        else:
            zh, en = f"差 {amount_zh}", f"short by {amount_en}"
        if share is not None and not holds:
            need = share_needed(share[0], share[2], op, right)
            if need:
                zh += f"，还需 {need} {share[3]}"
                en += f"; {need} more needed"
    elif op in ("<=", "<") and ty.kind == "rank":
        if holds:
            zh = "恰好达到" if diff == 0 else f"比要求靠前 {g} 名"
            en = "exactly at the bound" if diff == 0 else f"{g} places ahead of the bound"
        elif diff == 0:
            zh, en = "恰好等于要求名次，未进入", "at the bound, not ahead of it"
        else:
            zh, en = f"落后 {g} 名", f"{g} places behind"
    elif op in ("<=", "<"):
        if holds:
            zh = "恰好达到" if diff == 0 else f"低 {amount_zh}"
            en = "exactly at the bound" if diff == 0 else f"below by {amount_en}"
        elif diff == 0:
            zh, en = "恰好等于阈值，未低于", "equal to the bound, not below it"
        else:
            zh, en = f"高出 {amount_zh}", f"above by {amount_en}"
    elif op == "=":
        zh, en = ("相等", "equal") if holds else (f"相差 {amount_zh}", f"off by {amount_en}")
    else:
        zh, en = ("不相等", "different") if holds else ("相等", "equal")
    return Margin(holds, diff, unit_zh, prefix_zh + zh, prefix_en + en)


def _bounds_margin(op: str, left: Bounds, right: Fraction, ty: Ty,
                   share: tuple[int, int, int, str] | None) -> Margin:
    """Margin when only bounds are known: settled either way, or open until data arrive."""
    lo, hi = left.lo, left.hi
    shown_lo = display_value(lo, ty)
    shown_lo_en = display_value(lo, ty, lang="en")
    shown_hi = "不设上限" if hi is None else display_value(hi, ty)
    shown_hi_en = "unbounded" if hi is None else display_value(hi, ty, lang="en")
    bound = display_value(right, ty)
    bound_en = display_value(right, ty, lang="en")
    if op in (">=", ">"):
        settled_pass = lo > right if op == ">" else lo >= right
        settled_fail = hi is not None and (hi <= right if op == ">" else hi < right)
    elif op in ("<=", "<"):
        settled_pass = hi is not None and (hi < right if op == "<" else hi <= right)
        settled_fail = lo >= right if op == "<" else lo > right
    else:
        settled_pass = settled_fail = False
    if share is not None:
        counted, unknown, total, word = share
        known_zh = f"已知 {counted}/{total} {word}符合，{unknown} {word}缺数据"
        known_en = f"{counted}/{total} known to qualify, {unknown} lack data"
    else:
        known_zh = f"可能值介于 {shown_lo} 与 {shown_hi} 之间"
        known_en = f"between {shown_lo_en} and {shown_hi_en}"
    if settled_pass:
        zh = f"{known_zh}；已知部分已达到 {bound}，缺失数据不影响结论"
        en = (f"{known_en}; the known part already meets {bound_en}, "
              "missing data cannot change it")
        return Margin(True, None, "", zh, en)
    if settled_fail:
        zh = f"{known_zh}；即使缺失数据全部按符合计也达不到 {bound}"
        en = f"{known_en}; even counting all missing as yes cannot reach {bound_en}"
        return Margin(False, None, "", zh, en)
    zh = f"{known_zh}；结论取决于缺失数据（阈值 {bound}）"
    en = f"{known_en}; the verdict depends on the missing data (bound {bound_en})"
    return Margin(None, None, "", zh, en)
