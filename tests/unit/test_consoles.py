"""`captured` takes a one-line `Text` that fits straight as its text: the same lines as
printing it through rich, for any text, width and justification."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from qstrong.report.consoles import captured

_CHARS = st.sampled_from(["a", "B", " ", "达", "标", "·", "（", "\t", "\n", "\x1b", "\x07",
                          "é", "\u0301", "😀", "[", "]", ":"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=_CHARS, max_size=30),
                          st.sampled_from([None, "left", "center", "right", "full"]),
                          st.sampled_from(["\n", ""])), min_size=1, max_size=4),
       st.integers(1, 40))
def test_a_text_is_written_as_rich_prints_it(texts: list[tuple[str, object, str]],
                                             width: int) -> None:
    drawn = [Text(plain, style="bold", justify=justify, end=end)  # type: ignore[arg-type]
             for plain, justify, end in texts]
    assert captured(drawn, width, fast=True) == captured(drawn, width, fast=False)


def test_a_text_that_fits_is_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    import qstrong.report.consoles as consoles

    printed: list[object] = []
    real = consoles.Visible

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, inner: object) -> None:
            printed.append(inner)
            super().__init__(inner)

    monkeypatch.setattr(consoles, "Visible", Counting)
    out = captured([Text("质量强县 · 汇总"), Text("x" * 50), Text("")], 20)
    assert out == "质量强县 · 汇总\n" + "x" * 20 + "\n" + "x" * 20 + "\n" + "x" * 10 + "\n\n"
    assert [t.plain for t in printed] == ["x" * 50]  # type: ignore[attr-defined]
