"""The plain layout of a report's pieces (`report.blocks`, `report.plain_layout`) writes what
rich prints for the rich renderables they stand for, character for character; a piece it
does not lay out is left to rich."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import RenderableType
from rich.rule import Rule
from rich.text import Text
from rich.tree import Tree

from qstrong.report.blocks import Blocks, Line, RuleLine, TableBlock, TreeBlock
from qstrong.report.consoles import captured, plain_console
from qstrong.report.plain_layout import rule_line, wrapped_lines
from qstrong.report.text_builder import TextBuilder

_WORDS = st.sampled_from([
    "✓", "✗", "?", " ", "  ", "生产环节监督抽查批次合格率稳定在93.5%以上", "97.2%（要求 ≥ 96%）",
    "D1", "大唐袜业产业集聚区", "a-very-long-word-without-any-space-in-it-at-all-xxxxxxxxxxxx",
    "word ", "，", "Product quality", "é", "e\u0301", "ｗｉｄｅ", "😀", "达标", "\n",
])
_AWKWARD = st.sampled_from(["\t", "\x1b[2J", "\x07", "\u200b", "\r"])
_STYLES = st.sampled_from(["", "bold", "dim", "red", "green bold"])


def _printed(renderable: object, width: int) -> list[str]:
    """What rich prints without colour, trailing blanks cut (as the report writes it)."""
    out = io.StringIO()
    plain_console(out, width).print(renderable)
    return [line.rstrip() for line in out.getvalue().split("\n")[:-1]]


@st.composite
def _texts(draw: st.DrawFn, awkward: bool = False) -> str:
    pieces = st.one_of(_WORDS, _AWKWARD) if awkward else _WORDS
    return "".join(draw(st.lists(pieces, max_size=8)))


@settings(max_examples=400, deadline=None)
@given(_texts(), st.integers(1, 90))
def test_a_text_is_wrapped_as_rich_wraps_it(text: str, width: int) -> None:
    lines = wrapped_lines(text, width)
    if lines is not None:
        assert [line.rstrip() for line in lines] == _printed(Text(text), width)
    else:
        assert width < 2 or not all(part.isprintable() for part in text.split("\n"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=4).map("".join), st.integers(1, 90))
def test_a_rule_is_drawn_as_rich_draws_it(title: str, width: int) -> None:
    line = rule_line(title, width)
    if line is not None:
        assert [line.rstrip()] == _printed(Rule(Text(title)), width)
        assert len(line) == width or "\n" not in line


def test_a_rule_rich_would_shorten_is_left_to_it() -> None:
    assert rule_line("产品质量强区", 10) is None  # the title would be cut to 产品…
    assert rule_line("", 40) is None and rule_line("a\tb", 40) is None
    assert rule_line("汇总", 20) == "─────── 汇总 ───────"


@st.composite
def _lines(draw: st.DrawFn) -> Line:
    line = Line(draw(_texts(awkward=draw(st.booleans()))), draw(_STYLES))
    for _ in range(draw(st.integers(0, 2))):
        line.append(draw(_texts()), draw(_STYLES))
    return line


@settings(max_examples=200, deadline=None)
@given(_lines())
def test_a_line_stands_for_the_text_rich_would_have_been_given(line: Line) -> None:
    reference = Text(style=line.style)
    for piece, span_style in _pieces(line.builder):
        reference.append(piece, style=span_style or None)
    made = line.to_rich()
    assert made.plain == reference.plain and made.style == reference.style
    assert [(s.start, s.end, str(s.style)) for s in made.spans] == \
        [(s.start, s.end, str(s.style)) for s in reference.spans]


def _pieces(builder: TextBuilder) -> list[tuple[str, str]]:
    styles = {start: style for start, _end, style in builder._spans}
    return [(piece, styles.get(number, "")) for number, piece in enumerate(builder._pieces)]


_CELLS = st.sampled_from(["", "D1", "E100", "✓", "✗", "?", "大唐袜业产业集聚区", "达标", "12",
                          "ab cd", "Product quality strong industries", "中文 mixed", "é",
                          "ｗｉｄｅ", "a\nb", "tab\there", "\x1b[2J"])


@st.composite
def _tables(draw: st.DrawFn) -> TableBlock:
    title = draw(st.none() | st.sampled_from(["产品质量强区", "Strong districts", "",
                                              "a title much longer than its table is"]))
    table = TableBlock(title=None if title is None else Line(title, "bold"),
                       pad_edge=draw(st.sampled_from([False] * 5 + [True])),
                       title_justify=draw(st.sampled_from(["left"] * 5 + ["center"])))
    columns = draw(st.integers(1, 6))
    for _ in range(columns):
        table.add_column(draw(st.sampled_from(["", "编号", "名称", "1", "id", "类型"])),
                         justify=draw(st.sampled_from(["left", "center", "right"])),
                         no_wrap=draw(st.booleans()),
                         overflow=draw(st.sampled_from(["fold", "ellipsis"])))
    for _ in range(draw(st.integers(0, 4))):
        table.add_row(*(Line(draw(_CELLS), draw(_STYLES)) for _ in range(columns)))
    return table


@settings(max_examples=300, deadline=None)
@given(_tables(), st.integers(10, 120))
def test_a_table_is_drawn_as_rich_draws_it(table: TableBlock, width: int) -> None:
    _drawn_as_rich(table, table.to_rich(), width)


def _drawn_as_rich(block: TableBlock | TreeBlock, rich_form: RenderableType, width: int) -> None:
    """``block`` laid out without rich (where its layout draws it) is what rich prints of
    ``rich_form``, and a report of it is the same either way."""
    lines = block.plain_lines(width)
    if lines is not None:
        assert [line.rstrip() for line in lines] == _printed(rich_form, width)
    assert captured([block], width) == captured([block], width, fast=False)


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> TreeBlock:
    label = TextBuilder()
    for _ in range(draw(st.integers(0, 5))):
        label.add(draw(st.one_of(_WORDS, _WORDS, _WORDS, _AWKWARD)), draw(_STYLES))
    tree = TreeBlock(label)
    if depth < 3:
        for child in draw(st.lists(_trees(depth + 1), max_size=3 if depth < 2 else 2)):
            tree.children.append(child)
    return tree


def _as_rich_tree(block: TreeBlock) -> Tree:
    """rich's own `Tree` of the same labels (not the `LightTree` that `to_rich` makes)."""
    tree = Tree(block.label.text(), guide_style=block.guide_style)

    def add(parent: Tree, node: TreeBlock) -> None:
        for child in node.children:
            add(parent.add(child.label.text()), child)

    add(tree, block)
    return tree


@settings(max_examples=200, deadline=None)
@given(_trees(), st.integers(1, 100))
def test_a_clause_tree_is_drawn_as_rich_draws_it(tree: TreeBlock, width: int) -> None:
    _drawn_as_rich(tree, _as_rich_tree(tree), width)


def test_a_label_wider_than_its_line_is_wrapped_without_rich() -> None:
    tree = TreeBlock(TextBuilder("✓ D1 大唐袜业产业集聚区：达标", "bold"))
    branch = tree.add(TextBuilder("✗ " + "涉及健康安全的强制认证产品抽查合格率达到94%以上" * 2))
    branch.add(TextBuilder("? Production spot-check pass rate at least 93.5% of batches"))
    lines = tree.plain_lines(30)
    assert lines is not None and len(lines) > 3
    assert [line.rstrip() for line in lines] == _printed(_as_rich_tree(tree), 30)


def test_a_group_is_its_pieces_one_after_the_other() -> None:
    group = Blocks(RuleLine("汇总", "dim"), Line("caption"), Line("x" * 30, "dim"))
    assert group.plain_lines(20) == ["─────── 汇总 ───────", "caption", "x" * 20, "x" * 10]
    assert captured([group], 20) == captured([group.to_rich()], 20, fast=False)
    assert Blocks(Line("a"), Line("tab\there")).plain_lines(20) is None
