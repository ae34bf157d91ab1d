"""`plain_table_lines` writes what rich writes for the tables it takes, and leaves the others."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from qstrong.report.consoles import plain_console
from qstrong.report.table_layout import plain_table_lines

_SAFE = st.sampled_from([
    "", "D1", "E100", "✓", "✗", "?", "–", "大唐袜业产业集聚区", "达标", "12", "0", "ab cd",
    "Product quality strong industries", "中文 mixed", "é", "ｗｉｄｅ", "e\u0301",
])
_UNSAFE = st.sampled_from(["a\nb", "tab\there", "[bold]x[/]", ":smile:", "\x1b[2J",
                           "\u200b"])
_CELLS = st.one_of(_SAFE, _SAFE, _SAFE, _SAFE, _SAFE, _SAFE, _SAFE, _SAFE, _SAFE, _UNSAFE)
_HEADERS = st.sampled_from(["", "编号", "名称", "结论", "1", "2", "id", "name", "类型"])


@st.composite
def _tables(draw: st.DrawFn) -> Table:
    title = draw(st.none() | st.sampled_from(["产品质量强区", "Strong districts", "",
                                              "a title much longer than its table is"]))
    table = Table(title=None if title is None else Text(title, style="bold"),
                  box=draw(st.sampled_from([box.SIMPLE_HEAD] * 5 + [box.ROUNDED])),
                  title_justify=draw(st.sampled_from(["left"] * 5 + ["center"])),
                  pad_edge=draw(st.sampled_from([False] * 5 + [True])))
    columns = draw(st.integers(1, 6))
    for _ in range(columns):
        table.add_column(draw(_HEADERS), justify=draw(st.sampled_from(
            ["left", "center", "right"])), no_wrap=draw(st.booleans()),
            overflow=draw(st.sampled_from(["fold", "ellipsis"])))
    for _ in range(draw(st.integers(0, 4))):
        cells = draw(st.lists(_CELLS, min_size=0, max_size=columns))
        as_text = draw(st.booleans())
        table.add_row(*(Text(c, style="green") if as_text else c for c in cells))
    return table


def _printed(table: Table, console: Console) -> list[str]:
    console.print(table)
    buffer = console.file
    assert isinstance(buffer, io.StringIO)
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.split("\n")[:-1]


@settings(max_examples=400, deadline=None)
@given(_tables(), st.integers(10, 120))
def test_the_lines_are_what_rich_prints(table: Table, width: int) -> None:
    console = plain_console(io.StringIO(), width)
    lines = plain_table_lines(table, console)
    if lines is not None:
        assert lines == _printed(table, console)


def test_a_summary_table_is_taken_and_a_coloured_console_is_not() -> None:
    table = Table(title=Text("产品质量强区", style="bold"), box=box.SIMPLE_HEAD,
                  title_justify="left", pad_edge=False)
    table.add_column("编号", no_wrap=True)
    table.add_column("名称", overflow="fold")
    table.add_column("1", justify="center", no_wrap=True)
    table.add_row(Text("D1"), Text("大唐袜业产业集聚区"), Text("✓", style="green"))
    console = plain_console(io.StringIO(), 80)
    lines = plain_table_lines(table, console)
    assert lines is not None and lines == _printed(table, console)
    colour = Console(file=io.StringIO(), width=80, color_system="truecolor",
                     force_terminal=True)
    assert plain_table_lines(table, colour) is None


def test_a_table_wider_than_the_console_is_left_to_rich() -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("名称")
    table.add_row("长" * 50)
    assert plain_table_lines(table, plain_console(io.StringIO(), 60)) is None
    assert plain_table_lines(table, plain_console(io.StringIO(), 120)) is not None
