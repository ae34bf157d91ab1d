"""Spans, offset/position conversion, display width and caret snippets (CJK before the caret)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qstrong.core.source import Source, Span, display_width, render_snippet

TEXT = "ab\n质量 x\n\nlast"


@pytest.mark.parametrize(
    ("offset", "position"),
    [
        (0, (1, 1)),
        (1, (1, 2)),
        (2, (1, 3)),  # the newline itself still belongs to line 1
        (3, (2, 1)),
        (5, (2, 3)),  # columns count characters, not bytes or cells: 质量 are columns 1 and 2
        (6, (2, 4)),
        (8, (3, 1)),  # an empty line
        (9, (4, 1)),
        (13, (4, 5)),  # the end of the text
        (-4, (1, 1)),  # clamped
        (999, (4, 5)),  # clamped
    ],
)
def test_position_of_offset(offset: int, position: tuple[int, int]) -> None:
    assert Source(TEXT, "f").position(offset) == position


@pytest.mark.parametrize("offset", range(len(TEXT) + 1))
def test_offset_inverts_position(offset: int) -> None:
    source = Source(TEXT, "f")
    assert source.offset(*source.position(offset)) == offset


def test_span_between_offsets() -> None:
    source = Source(TEXT, "criteria/x.yaml")
    assert source.span(3, 7) == Span("criteria/x.yaml", 2, 1, 2, 5)
    assert source.span(1, 4) == Span("criteria/x.yaml", 1, 2, 2, 2)


def test_span_end_before_start_collapses_to_start() -> None:
    assert Source(TEXT, "f").span(6, 2) == Span("f", 2, 4, 2, 4)


@pytest.mark.parametrize(
    ("line", "text"), [(1, "ab"), (2, "质量 x"), (3, ""), (4, "last"), (0, ""), (5, "")]
)
def test_line_text(line: int, text: str) -> None:
    assert Source(TEXT, "f").line_text(line) == text


def test_line_text_of_single_line_without_newline() -> None:
    assert Source("only", "f").line_text(1) == "only"


def test_span_location() -> None:
    span = Span("criteria/district.yaml", 14, 22, 14, 30)
    assert span.location() == "criteria/district.yaml:14:22"


def test_span_is_frozen_and_compares_by_value() -> None:
    span = Span("f", 1, 2, 1, 3)
    assert span == Span("f", 1, 2, 1, 3)
    assert span != Span("f", 1, 2, 1, 4)
    with pytest.raises(AttributeError):
        span.line = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("abc", 3),
        ("合格率", 6),
        ("合格率 >= 93.5%", 15),
        ("93.5％", 6),  # full-width percent sign takes two cells
        ("（", 2),
        ("ｱ", 1),  # half-width katakana takes one cell
        ("e\u0301", 1),  # a combining accent takes none
        ("质量\t", 5),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("line", "col", "end_col", "expected"),
    [
        # ASCII only: the caret sits under column 6.
        ("a >= b c", 8, 9, "a >= b c\n       ^"),
        # Three CJK characters before the caret take six cells.
        ("合格率 >= x", 8, 9, "合格率 >= x\n          ^"),
        # A CJK character under the caret gets a two-cell caret run.
        ("a 且 b", 3, 4, "a 且 b\n  ^~"),
        ("质量 >= 1 且 b", 9, 10, "质量 >= 1 且 b\n          ^~"),
        # A run under an ASCII name after CJK text.
        ("名称 drug_rat >= 1", 4, 12, "名称 drug_rat >= 1\n     ^~~~~~~~"),
        # A full-width character inside the run.
        ("x >= 93.5％", 6, 11, "x >= 93.5％\n     ^~~~~~"),
        # No end: a single caret.
        ("合格率 >= x", 5, None, "合格率 >= x\n       ^"),
        # An empty run (end == col) still shows one caret.
        ("abc", 2, 2, "abc\n ^"),
        # Past the end of the line: the caret goes just after the text.
        ("abc", 10, None, "abc\n   ^"),
        ("质量", 3, 4, "质量\n    ^"),
        ("", 1, None, "\n^"),
        # A tab counts as one column and is shown as one space.
        ("a\tb", 3, None, "a b\n  ^"),
    ],
)
def test_render_snippet(line: str, col: int, end_col: int | None, expected: str) -> None:
    assert render_snippet(line, col, end_col) == expected


def test_render_snippet_caret_column_matches_display_width_of_prefix() -> None:
    line = "      - {title: 质量水平高, text: 中文, rule: rate >= 93.5% 且 x}"
    col = line.index("且") + 1
    rendered = render_snippet(line, col, col + 1)
    first, second = rendered.split("\n")
    assert first == line
    assert second == " " * display_width(line[: col - 1]) + "^~"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1{}:,合格率")), min_size=1, max_size=400),
       st.data(), st.integers(10, 120))
def test_a_long_line_is_shown_around_its_span(line: str, data: st.DataObject,
                                              width: int) -> None:
    """However long the line, the snippet is at most ``width`` cells and its caret is under
    the character the span starts at."""
    col = data.draw(st.integers(1, len(line)))
    shown, carets = render_snippet(line, col, col + 1, width=width).split("\n")
    assert display_width(shown) <= max(width, display_width(line))
    pad = len(carets) - len(carets.lstrip(" "))
    cells = 0
    for ch in shown:  # the character that starts at the caret's cell
        if cells >= pad:
            assert ch == line[col - 1]
            break
        cells += display_width(ch)


def test_a_minified_document_is_not_printed_whole() -> None:
    line = '{"a": ' + "[1, 2, 3], " * 500_000 + '"bad"]}'
    shown, carets = render_snippet(line, len(line) - 6, len(line) - 1).split("\n")
    assert shown.startswith("…") and shown.endswith('"bad"]}') and len(shown) <= 200
    assert carets.strip() == "^~~~~" and shown[len(carets) - 5:len(carets)] == '"bad"'
