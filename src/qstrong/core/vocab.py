"""The project's one vocabulary: candidate kinds and their words, status words and marks,
headings, how operators are shown, parameter types and units, the CJK character class,
and the one "did you mean" helper.

Every table a reader sees a word from is defined here once, so a word changed here changes
in the text report, HTML, Markdown, the workbook, advice and the reviewers' page alike.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache

from qstrong.core.logic import Status
from qstrong.core.messages import Text, msg

__all__ = [
    "ALL_KINDS",
    "CJK",
    "COLLECTIONS",
    "COUNTY_WORDS",
    "FOCUS_HEADING",
    "FOCUS_WORDS",
    "ID_CUTOFF",
    "KINDS",
    "KIND_HEADINGS",
    "KIND_OR_COUNTY_WORDS",
    "KIND_SHORT_ZH",
    "KIND_WORDS",
    "MARKS",
    "MEMBERS_ONLY_WORDS",
    "NAME_CUTOFF",
    "OP_SHOW",
    "PARAM_TYPES",
    "PARAM_TYPE_ZH",
    "PARAM_UNITS",
    "PARAM_UNITS_EN",
    "SHEET_CUTOFF",
    "STATUS_WORDS",
    "closest",
    "is_cjk",
    "suggest",
    "unfold_cjk",
]

# ---------------------------------------------------------------------------- kinds

KINDS: tuple[str, ...] = ("district", "industry", "enterprise")
"""The three kinds of candidate, in the plan's order (三(一), 三(二), 三(三))."""

ALL_KINDS: tuple[str, ...] = (*KINDS, "county")
"""The four kinds of criteria file a county's evaluation needs: the candidates and the county
target."""

PROVINCE = "province"
"""The kind of the optional fifth criteria file: the province target (二(一)), read by
``qstrong province``, never by a county's evaluation."""

CRITERIA_KINDS: tuple[str, ...] = (*ALL_KINDS, PROVINCE)
"""Every kind a criteria file may declare."""

COLLECTIONS: dict[str, str] = {
    "district": "districts", "industry": "industries", "enterprise": "enterprises"}
"""The dataset list that holds each kind of candidate."""

KIND_WORDS: dict[str, dict[str, str]] = {
    "zh": {"district": "产品质量强区", "industry": "产品质量强业", "enterprise": "产品质量强企"},
    "en": {"district": "district", "industry": "industry", "enterprise": "enterprise"},
}
COUNTY_WORDS: dict[str, str] = {"zh": "县域目标", "en": "county target"}
KIND_OR_COUNTY_WORDS: dict[str, dict[str, str]] = {
    lang: {**words, "county": COUNTY_WORDS[lang]} for lang, words in KIND_WORDS.items()}
KIND_SHORT_ZH: dict[str, str] = {
    "district": "强区", "industry": "强业", "enterprise": "强企", "county": "县"}
KIND_HEADINGS: dict[str, dict[str, str]] = {
    "zh": {"district": "产品质量强区 三(一)", "industry": "产品质量强业 三(二)",
           "enterprise": "产品质量强企 三(三)", "county": "县域目标 二(一)"},
    "en": {"district": "Quality-strong districts 三(一)",
           "industry": "Quality-strong industries 三(二)",
           "enterprise": "Quality-strong enterprises 三(三)",
           "county": "County target 二(一)"},
}

FOCUS_WORDS: dict[str, dict[str, str]] = {
    "zh": {"featured": "当地主要特色产业", "strategic_emerging": "战略性新兴产业",
           "manufacturing_upgrade": "制造业转型升级重点产业"},
    "en": {"featured": "local featured industry", "strategic_emerging": "strategic emerging "
           "industry", "manufacturing_upgrade": "key industry of manufacturing upgrading"},
}
"""二(二)'s focus for 强业 (emphasis shown in reports, not a pass/fail requirement)."""
MEMBERS_ONLY_WORDS: dict[str, str] = {
    "zh": "仅作为产业成员列出、不评定为强企的企业（candidate 为 false）",
    "en": "enterprises listed only as industry members, not rated (candidate: false)",
}
FOCUS_HEADING: dict[str, str] = {"zh": "建设重点", "en": "focus"}

# ---------------------------------------------------------------------------- statuses

STATUS_WORDS: dict[str, dict[Status, str]] = {
    "zh": {Status.PASS: "达标", Status.FAIL: "未达标", Status.UNKNOWN: "无法判定",
           Status.NOT_APPLICABLE: "不适用"},
    "en": {Status.PASS: "pass", Status.FAIL: "fail", Status.UNKNOWN: "unknown",
           Status.NOT_APPLICABLE: "not applicable"},
}
MARKS: dict[Status, str] = {
    Status.PASS: "✓", Status.FAIL: "✗", Status.UNKNOWN: "?", Status.NOT_APPLICABLE: "–"}

# ---------------------------------------------------------------------------- operators

OP_SHOW: dict[str, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "!=": "≠"}
"""How comparison operators are shown to readers (rules write ``>=``; reports show ``≥``)."""

# ---------------------------------------------------------------------------- parameters

PARAM_TYPES: tuple[str, ...] = ("percent", "points", "number", "count", "rank", "years", "amount")
"""The types a named criteria parameter may have."""

PARAM_UNITS: dict[str, str] = {"percent": "%", "points": "个百分点", "years": " 年"}
"""The unit written after a parameter's value (none for the others)."""

PARAM_UNITS_EN: dict[str, str] = {"percent": "%", "points": " pp", "years": " years"}
"""`PARAM_UNITS` in English reports."""

PARAM_TYPE_ZH: dict[str, str] = {
    "percent": "百分比", "points": "百分点", "number": "数值", "count": "个数",
    "rank": "名次", "years": "年数", "amount": "金额/数量",
}

# ---------------------------------------------------------------------------- CJK text

CJK = "\u2e80-\u9fff\uf900-\uffef"
"""Chinese, Japanese and Korean characters and full-width forms, as a regex class body:
CJK radicals to unified ideographs (with CJK punctuation), compatibility ideographs and
full-width and half-width forms."""


@cache
def _cjk_gap() -> re.Pattern[str]:
    """White space between two CJK characters, compiled when first needed (the class of
    CJK ranges costs a millisecond or two to compile, on every start otherwise)."""
    return re.compile(f"(?<=[{CJK}])\\s+(?=[{CJK}])")


def is_cjk(ch: str) -> bool:
    """Whether one character is Chinese (or another CJK form).

    Examples:
        >>> is_cjk("强"), is_cjk("，"), is_cjk("a")
        (True, True, False)
    """
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef"


def unfold_cjk(text: str) -> str:
    """Drop the spaces that YAML line folding puts between two Chinese characters.

    Examples:
        >>> unfold_cjk("维护行业整体利益、 发挥作用")
        '维护行业整体利益、发挥作用'
    """
    return _cjk_gap().sub("", text)


# ---------------------------------------------------------------------------- did you mean

NAME_CUTOFF = 0.6
"""Similarity a field, key, parameter or code must reach to be suggested."""
ID_CUTOFF = 0.5
"""Ids (``D1``, ``E07``) are short: one changed character already halves the similarity."""
SHEET_CUTOFF = 0.3
"""Sheet names are two or three Chinese characters: one right character is a useful hint."""


def closest(word: str, options: Iterable[str], cutoff: float = NAME_CUTOFF) -> str | None:
    """The option most like ``word``, or None when none is close enough.

    Examples:
        >>> closest("titel", ["title", "text"])
        'title'
    """
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return found[0] if found else None


def suggest(word: str, options: Iterable[str], cutoff: float = NAME_CUTOFF) -> Text | None:
    """A "did you mean" hint for a misspelt word, or None.

    Examples:
        >>> suggest("titel", ["title", "text"]).render("en")
        "did you mean 'title'?"
    """
    found = closest(word, options, cutoff)
    return msg("core.did_you_mean", word=found) if found is not None else None
