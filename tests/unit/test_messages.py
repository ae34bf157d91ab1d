"""The message catalogue: both languages for every key, the same values in both, no Chinese
in English, every key the code names in the catalogue and every catalogue key used."""

from __future__ import annotations

import pickle
import re

import pytest

from helpers import ROOT
from qstrong.core.messages import (
    Text,
    catalogue,
    default_lang,
    language,
    msg,
    placeholders,
    render,
)
from qstrong.core.vocab import is_cjk
from qstrong.io.layout import SPECS

SRC = ROOT / "src" / "qstrong"
_KEY_USE = re.compile(r"""\b(?:msg|words|Text)\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
_KEY_TEXT = re.compile(r"""["']([a-z_]+\.[a-z0-9_]+)["']""")

# Chinese that may stand in an English message: sheet and column names the clerk sees in
# the workbook (the template is Chinese), the words typed into yes/no and count cells, a
# plan section number, and quoted words (what the user typed, the plan's bound words).
_DATA_WORDS = re.compile("|".join([*sorted(SPECS, key=len, reverse=True), "说明", "小数", "是",
                                   "否", "无", "「[^」]*」", "、",
                                   r"三\(一\)1", r"'[^']*'"]))


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys.update(_KEY_USE.findall(text))
        # keys kept in tables (("mapping values are not allowed", "yaml.hint_colon_in_value"))
        keys.update(k for k in _KEY_TEXT.findall(text) if k in catalogue())
    return keys


def _values(template: str) -> set[str]:
    """The values a template names; ``name_zh`` and ``name`` are one value in two languages."""
    return {re.sub(r"_(zh|en)$", "", name) for name in placeholders(template)}


def test_every_key_has_both_languages_with_the_same_values() -> None:
    for key, templates in catalogue().items():
        assert templates["zh"].strip() and templates["en"].strip(), key
        assert _values(templates["zh"]) == _values(templates["en"]), key


def test_english_templates_hold_no_chinese_but_data_words() -> None:
    for key, templates in catalogue().items():
        left = _DATA_WORDS.sub("", templates["en"])
        assert not has_cjk(left), (key, templates["en"])


def test_chinese_templates_are_chinese() -> None:
    for key, templates in catalogue().items():
        assert has_cjk(templates["zh"]) or key in _LANGUAGE_NEUTRAL, (key, templates["zh"])


_LANGUAGE_NEUTRAL = frozenset({"type.record_named"})  # “{name_zh}”: the words are the value


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    missing = sorted(set(_KEY_USE.findall("\n".join(
        p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")))) - set(catalogue()))
    assert missing == []


def test_every_catalogue_key_is_used() -> None:
    # looked up by kind: kind_words, cell_hint (column kinds), describe (rule types)
    dynamic = ("cell_kind.", "cell_hint.", "type.", "kind.")
    unused = sorted(k for k in set(catalogue()) - _used_keys() if not k.startswith(dynamic))
    assert unused == []


def test_values_are_filled_in_both_languages() -> None:
    text = msg("field.missing", field="id")
    assert text.render("zh") == "缺少必填字段 'id'"
    assert text.render("en") == "missing required field 'id'"


def test_nested_messages_and_lists_render_in_the_same_language() -> None:
    text = msg("field.unknown_close", field="foo", hint=msg("core.did_you_mean", word="food"))
    assert text.render("en") == "unknown field 'foo'; did you mean 'food'?"
    assert text.render("zh") == "未知字段 'foo'；是不是 'food'？"
    assert render(["a", msg("core.hint_label")], "zh") == "a、提示"
    assert render(["a", msg("core.hint_label")], "en") == "a, hint"


def test_braces_in_values_stay_as_typed() -> None:
    assert msg("usage.not_number", text="{x}").render("en") == "'{x}' is not a number"


def test_str_follows_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    text = msg("field.missing", field="id")
    monkeypatch.delenv("QSTRONG_LANG", raising=False)
    assert str(text) == text.render("zh")
    with language("en"):
        assert default_lang() == "en"
        assert str(text) == text.render("en")
    monkeypatch.setenv("QSTRONG_LANG", "en")
    assert str(text) == text.render("en")
    with language("zh"):
        assert str(text) == text.render("zh")


def test_messages_are_values() -> None:
    a, b = msg("field.missing", field="id"), msg("field.missing", field="id")
    assert a == b and hash(a) == hash(b) and a != msg("field.missing", field="name")
    assert pickle.loads(pickle.dumps(a)) == a
    assert "required field" in a and "必填字段" in a
    assert isinstance(a, Text)
