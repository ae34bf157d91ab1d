"""Every diagnostic code is a named constant in `qstrong.core.codes`, and `docs/errors.md`
lists exactly those codes, each with an example."""

from __future__ import annotations

import re

from helpers import ROOT
from qstrong.core.codes import CODES

PAGE = ROOT / "docs" / "errors.md"
SRC = ROOT / "src" / "qstrong"


def test_the_page_lists_every_code_and_no_other() -> None:
    text = PAGE.read_text(encoding="utf-8")
    in_tables = re.findall(r"^\| ([EW]\d{3}) \| (\w+) \|", text, flags=re.M)
    assert [code for code, _ in in_tables] == list(CODES)
    assert {code: name for code, name in in_tables} == {c: i.name for c, i in CODES.items()}


def test_every_code_has_an_example_on_the_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    shown = set(re.findall(r"(?:error|warning)\[([EW]\d{3})\]", text))
    assert shown == set(CODES) - {"E000"}


def test_no_code_is_a_string_literal_outside_the_table() -> None:
    literal = re.compile(r"[\"'][EW]\d{3}[\"']")
    found = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                   if p.name != "codes.py" and literal.search(p.read_text(encoding="utf-8")))
    assert found == []


def test_codes_are_unique_and_ordered() -> None:
    assert list(CODES) == sorted(CODES)
    assert len({i.name for i in CODES.values()}) == len(CODES)
