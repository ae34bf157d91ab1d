"""`LightTree` draws exactly what rich's `Tree` draws, in colour and without, wrapped or not."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from qstrong.report.text_builder import TextBuilder
from qstrong.report.tree_layout import LightTree

_PIECES = st.sampled_from([
    "✓", "✗", "?", " ", "  ", "生产环节监督抽查批次合格率稳定在93.5%以上", "97.2%（要求 ≥ 96%）",
    "D1", "大唐袜业产业集聚区", "a-very-long-word-without-any-space-in-it-at-all-xxxxxxxxxxxx",
    "\n", "word ", "，", "\t", "\x1b[2J", "",
])
_STYLES = st.sampled_from(["", "bold", "dim", "red", "green bold", "yellow"])


@st.composite
def _labels(draw: st.DrawFn) -> Text:
    label = Text()
    for _ in range(draw(st.integers(0, 6))):
        label.append(draw(_PIECES), style=draw(_STYLES))
    return label


@st.composite
def _shapes(draw: st.DrawFn, depth: int = 0) -> tuple[Text, list]:  # type: ignore[type-arg]
    children = [] if depth >= 3 else draw(
        st.lists(_shapes(depth + 1), max_size=4 if depth < 2 else 2))
    return draw(_labels()), children


def _build(shape: tuple[Text, list], cls: type[Tree]) -> Tree:  # type: ignore[type-arg]
    label, children = shape
    tree = cls(label.copy(), guide_style="dim")

    def add(parent: Tree, kids: list) -> None:  # type: ignore[type-arg]
        for child_label, grandchildren in kids:
            add(parent.add(child_label.copy()), grandchildren)

    add(tree, children)
    return tree


def _draw(tree: Tree, width: int, *, colour: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system="truecolor" if colour else None,
                      force_terminal=colour, highlight=False, markup=False, emoji=False,
                      legacy_windows=False)
    console.print(tree)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(_shapes(), st.integers(12, 100), st.booleans())
def test_light_tree_draws_what_rich_draws(shape: tuple[Text, list], width: int,  # type: ignore[type-arg]
                                          colour: bool) -> None:
    assert _draw(_build(shape, LightTree), width, colour=colour) == \
        _draw(_build(shape, Tree), width, colour=colour)


def test_a_clause_tree_with_a_label_too_wide_for_its_line() -> None:
    shape = (Text("✓ D1 大唐袜业产业集聚区：达标", style="bold"), [
        (Text("✓ 三(一)1 质量水平高 · 8 项中 8 项达标"), [
            (Text("✓ 生产环节监督抽查批次合格率稳定在93.5%以上\n2013—2014年：2 年中 2 年符合"), []),
            (Text("✗ " + "涉及健康安全的强制认证产品抽查合格率达到94%以上" * 3), []),
        ]),
        (Text("? 最后一项\n第二行"), []),
    ])
    for width in (30, 80):
        light = _draw(_build(shape, LightTree), width, colour=False)
        assert light == _draw(_build(shape, Tree), width, colour=False)
    assert "├── ✓ 三(一)1" in light and "│   └── ✗" in light
    assert "└── ? 最后一项\n    第二行" in light


def test_control_characters_are_measured_as_rich_measures_them() -> None:
    # found by the property test in CI: rich wrapped this line and dropped its last space
    shape = (Text("\x1b[2J\x1b[2J\x1b[2J "), [])
    assert _draw(_build(shape, LightTree), 12, colour=False) == \
        _draw(_build(shape, Tree), 12, colour=False)


def test_a_label_that_is_not_text_is_left_to_rich() -> None:
    tree = LightTree("plain [bold]markup[/bold]", guide_style="dim")
    tree.add(Text("child"))
    reference = Tree("plain [bold]markup[/bold]", guide_style="dim")
    reference.add(Text("child"))
    assert _draw(tree, 40, colour=True) == _draw(reference, 40, colour=True)


def test_a_bold_guide_is_left_to_rich() -> None:
    tree = LightTree(Text("root"), guide_style="bold")
    tree.add(Text("child")).add(Text("grandchild"))
    reference = Tree(Text("root"), guide_style="bold")
    reference.add(Text("child")).add(Text("grandchild"))
    assert _draw(tree, 40, colour=False) == _draw(reference, 40, colour=False)
    assert "┗━━ child\n    ┗━━ grandchild" in _draw(tree, 40, colour=False)


@settings(max_examples=100, deadline=None)
@given(_shapes(), st.integers(1, 100))
def test_plain_lines_are_what_the_console_prints(shape: tuple[Text, list],  # type: ignore[type-arg]
                                                 width: int) -> None:
    """`report_text` takes a clause tree's lines from `LightTree.plain_lines`: the same text,
    control characters made visible and trailing blanks cut, as printing it."""
    from qstrong.report.consoles import captured as _captured

    tree = _build(shape, LightTree)
    assert _captured([tree], width, fast=True) == _captured([tree], width, fast=False)


def test_plain_lines_only_without_colour() -> None:
    tree = _build((Text("根"), [(Text("枝"), [])]), LightTree)
    out = io.StringIO()
    colour = Console(file=out, width=40, color_system="truecolor", force_terminal=True)
    assert tree.plain_lines(colour) is None  # type: ignore[attr-defined]
    plain = Console(file=out, width=40, color_system=None)
    assert tree.plain_lines(plain) == ["根", "└── 枝"]  # type: ignore[attr-defined]


def _as_builder(label: Text) -> TextBuilder:
    """The label as a builder: its pieces, each with the style of its spans (one span or
    none per piece, as `_labels` makes them)."""
    builder = TextBuilder()
    covered = 0
    for span in label.spans:
        builder.add(label.plain[covered:span.start])
        builder.add(label.plain[span.start:span.end], str(span.style))
        covered = span.end
    builder.add(label.plain[covered:])
    return builder


@settings(max_examples=100, deadline=None)
@given(_shapes(), st.integers(1, 100), st.booleans())
def test_labels_left_as_builders_draw_as_their_texts(
        shape: tuple[Text, list], width: int, colour: bool) -> None:  # type: ignore[type-arg]
    """`clause_tree` leaves its labels as `TextBuilder`s (drawn in colour through their
    `Text`, laid out plain from their text): the same output as the `Text` labels."""
    def convert(node: tuple[Text, list]) -> tuple[TextBuilder, list]:  # type: ignore[type-arg]
        label, children = node
        return _as_builder(label), [convert(child) for child in children]

    builders = convert(shape)
    reference = _build(shape, Tree)
    tree = LightTree(builders[0], guide_style="dim")

    def add(parent: Tree, kids: list) -> None:  # type: ignore[type-arg]
        for child_label, grandchildren in kids:
            add(parent.add(child_label), grandchildren)

    add(tree, builders[1])
    assert _draw(tree, width, colour=colour) == _draw(reference, width, colour=colour)
    from qstrong.report.consoles import captured as _captured

    assert _captured([tree], width, fast=True) == _captured([reference], width, fast=False)


def test_plain_lines_leave_a_tree_they_cannot_draw_to_rich() -> None:
    """A node anywhere in the tree that the fast layout does not draw (collapsed, another
    guide style, a rich `Tree`, a label that is not text) makes the whole tree rich's."""
    plain = Console(file=io.StringIO(), width=40, color_system=None)
    for spoil in ("collapsed", "guide", "tree", "label"):
        tree = LightTree(Text("根"), guide_style="dim")
        branch = tree.add(Text("枝")).add(Text("叶"))
        if spoil == "collapsed":
            branch.expanded = False
        elif spoil == "guide":
            branch.guide_style = "red"
        elif spoil == "tree":
            branch.children.append(Tree(Text("别的树")))
        else:
            branch.label = "[bold]markup[/bold]"
        assert tree.plain_lines(plain) is None, spoil  # type: ignore[attr-defined]
        from qstrong.report.consoles import captured as _captured

        assert _captured([tree], 40, fast=True) == _captured([tree], 40, fast=False)
    whole = LightTree(TextBuilder("根"), guide_style="dim")
    whole.add(TextBuilder("枝")).add(Text("叶"))
    assert whole.plain_lines(plain) == ["根", "└── 枝", "    └── 叶"]  # type: ignore[attr-defined]
