"""`TextBuilder` makes the `Text` that the same `Text.append` calls make: the same text and
the same spans, in the same order (control codes stripped, zero-width spans kept)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Span, Text

from qstrong.report.text_builder import TextBuilder

_PIECES = st.text(alphabet=st.sampled_from(["a", "达", "标", " ", "\n", "\x07", "\r", "\x1b",
                                            "\x08", "\t", "·"]), max_size=6)
_STYLES = st.sampled_from(["", "bold", "dim", "red", "bold yellow"])
_ADDS = st.lists(st.tuples(_PIECES, _STYLES), max_size=6)
# An operation: a piece with its style, or another text (its pieces) with its own style.
_OPS = st.lists(st.one_of(st.tuples(st.just("add"), _PIECES, _STYLES),
                          st.tuples(st.just("styled"), _ADDS, _STYLES)), max_size=8)


def _with_rich(ops: list[tuple[object, ...]]) -> Text:
    out = Text()
    for op in ops:
        if op[0] == "add":
            out.append(op[1], style=op[2])  # type: ignore[arg-type]
        else:
            other = Text(style=op[2])  # type: ignore[arg-type]
            for piece, style in op[1]:  # type: ignore[attr-defined]
                other.append(piece, style=style)
            out.append_text(other)
    return out


def _with_builder(ops: list[tuple[object, ...]]) -> TextBuilder:
    out = TextBuilder()
    for op in ops:
        if op[0] == "add":
            out.add(op[1], op[2])  # type: ignore[arg-type]
        else:
            other = TextBuilder()
            for piece, style in op[1]:  # type: ignore[attr-defined]
                other.add(piece, style)
            out.add_styled(other, op[2])  # type: ignore[arg-type]
    return out


@settings(max_examples=300, deadline=None)
@given(_OPS)
def test_the_builder_makes_what_text_append_makes(ops: list[tuple[object, ...]]) -> None:
    expected = _with_rich(ops)
    built = _with_builder(ops)
    made = built.text()
    assert made.plain == expected.plain == built.plain
    assert made.spans == expected.spans
    assert made == expected and made.style == expected.style == ""


def test_control_codes_are_stripped_and_their_span_kept() -> None:
    made = TextBuilder("✓", "green").add(" 甲\x07乙").add("\x07", "bold").text()
    assert made.plain == "✓ 甲乙"
    assert made.spans == [Span(0, 1, "green"), Span(4, 4, "bold")]
    reference = Text()
    reference.append("✓", style="green").append(" 甲\x07乙").append("\x07", style="bold")
    assert made == reference and made.spans == reference.spans


def test_the_control_codes_stripped_are_richs() -> None:
    from rich.control import STRIP_CONTROL_CODES

    from qstrong.report import text_builder

    assert tuple(STRIP_CONTROL_CODES) == text_builder.STRIP_CONTROL_CODES
