"""A comparison's value, bound and margin in few words, for a leaf clause's line in a report.

Its own module so that the text report, which writes one for every leaf, does not load the
advice (`qstrong.engine.advice`, which re-exports it) with its classes.
"""

from __future__ import annotations

from qstrong.core.vocab import OP_SHOW
from qstrong.engine.explanation import Check

__all__ = ["check_gap"]


def check_gap(check: Check, lang: str = "zh") -> str:
    """A comparison's value, bound and margin in few words: ``95.6%（要求 ≥ 96%），差 0.4个百分点``.

    Examples:
        >>> from fractions import Fraction
        >>> from qstrong.engine.explanation import Margin
        >>> from qstrong.core.logic import Truth
        >>> c = Check("r >= 96%", "r", "合格率", "rate", "95.6%", ">=", "96%", "96%",
        ...           Truth.FAIL, Margin(False, Fraction(-2, 5), "个百分点",
        ...                              "差 0.4个百分点", "short by 0.4 percentage points"))
        >>> check_gap(c)
        '95.6%（要求 ≥ 96%），差 0.4个百分点'
        >>> check_gap(c, "en")
        '95.6% (required ≥ 96%); short by 0.4 percentage points'
    """
    op = OP_SHOW.get(check.op, check.op)
    zh = lang == "zh"
    margin = ""
    if check.margin is not None:
        margin = check.margin.text_zh if zh else check.margin.text_en
    right = check.right_value if zh else (check.right_value_en or check.right_value)
    left = check.left_value if zh else (check.left_value_en or check.left_value)
    bound = f"{op} {right}"
    required = f"（要求 {bound}）" if zh else f" (required {bound})"
    if check.share and margin:
        return margin + required
    text = left + required
    if margin:
        text += ("，" if zh else "; ") + margin
    return text
