"""Clause trees laid out as rich's `Tree` lays them out, at a fraction of its cost.

rich renders every label of a tree through its general machinery (wrapping, cropping, a
style stack per node), which was two thirds of the time of `qstrong evaluate` on the example
county. A clause tree's labels are `Text` and almost always fit their line: such a label is
cut at its newlines, which is all rich's wrapping would do to it, and only a label wider than
its line goes through rich's own `render_lines`. On a console without colour (files, pipes,
`report_text`) lines are written as plain segments; on a colour console each line keeps its
spans. The guides are rich's (``├── `` ``│   `` ``└── ``), in the tree's guide style, and
`tests/unit/test_tree_layout.py` checks the output against rich's `Tree` character for
character, in colour and without.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.styled import Styled
from rich.text import Text
from rich.tree import Tree

from qstrong.report.plain_layout import CONTINUE, END, FORK, GUIDE_WIDTH, SPACE, tree_lines
from qstrong.report.plain_layout import cut_lines as _cut
from qstrong.report.text_builder import TextBuilder

__all__ = ["LightTree"]

_NO_GUIDE_BOLD = Style(bold=False, underline2=False)


def _children(node: Tree) -> list[Tree]:
    return node.children


class LightTree(Tree):
    """A rich `Tree` with the same output and a fast layout for `Text` labels that fit.

    Only what clause trees use is taken over: guides without bold or double underline, every
    node expanded, the root shown. Anything else (another label type, a bold guide, ASCII-only
    or legacy Windows consoles) is left to rich's own `Tree`.
    """

    def add(self, label: RenderableType, *, style: str | Style | None = None,
            guide_style: str | Style | None = None, expanded: bool = True,
            highlight: bool | None = False) -> Tree:
        node = LightTree(label, style=self.style if style is None else style,
                         guide_style=self.guide_style if guide_style is None else guide_style,
                         expanded=expanded,
                         highlight=self.highlight if highlight is None else highlight)
        self.children.append(node)
        return node

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self._simple(console, options):
            yield from super().__rich_console__(console, options)
            return
        plain = console.color_system is None
        guide = console.get_style(self.guide_style, default="") or Style.null()
        tree_style = console.get_style(self.style, default="") or Style.null()
        background = tree_style.background_style or None
        line_end = Segment.line()
        # depth first, as rich walks it: (node, first line's guides, the other lines')
        stack: list[tuple[LightTree, tuple[str, ...], tuple[str, ...]]] = [(self, (), ())]
        while stack:
            node, first, rest = stack.pop()
            width = options.max_width - GUIDE_WIDTH * len(first)
            for number, line in enumerate(node._label_lines(console, options, width,
                                                            tree_style, plain)):
                guides = first if number == 0 else rest
                if plain:
                    if guides:
                        yield Segment("".join(guides))
                elif guides:  # one segment per level, styled as rich styles them
                    yield from Segment.apply_style([Segment(g, guide) for g in guides],
                                                   background, post_style=_NO_GUIDE_BOLD)
                yield from line
                yield line_end
            children = node.children
            for index in range(len(children) - 1, -1, -1):
                last = index == len(children) - 1
                stack.append((children[index],  # type: ignore[arg-type]
                              (*rest, END if last else FORK),
                              (*rest, SPACE if last else CONTINUE)))

    def plain_lines(self, console: Console,
                    options: ConsoleOptions | None = None) -> list[str] | None:
        """The tree's lines as ``console.print`` would write them without colour, without
        going through its printing pipeline (which costs more than laying the tree out);
        None when the console has colour or the tree is not one the fast layout draws.
        The lines are made as strings: a label that fits is its text cut at its newlines,
        one that does not is wrapped by rich, as `__rich_console__` does."""
        if options is None:  # a console's options ask the terminal for its size each time
            options = console.options
        if console.color_system is not None or not self._simple_root(console, options):
            return None
        tree_style: Style | None = None  # every node's style is the root's, read once

        def pieces(node: Tree, width: int) -> list[str] | None:
            nonlocal tree_style
            if not self._drawable(node):  # `_simple`'s test, on the one walk of the tree
                return None
            assert isinstance(node, LightTree)
            label = node.label
            assert isinstance(label, (Text, TextBuilder))
            cut = _cut(label.plain, width)  # a builder's text, no `Text` made
            if cut is not None:
                return cut
            if tree_style is None:
                tree_style = console.get_style(self.style, default="") or Style.null()
            return ["".join(segment.text for segment in line)
                    for line in node._wrapped(console, options, width, tree_style)]

        root: Tree = self
        return tree_lines(root, options.max_width, _children, pieces)

    def _simple(self, console: Console, options: ConsoleOptions) -> bool:
        """Whether this tree is one the fast layout draws exactly as rich would."""
        return self._simple_root(console, options) and all(
            self._drawable(node) for node in self._nodes())

    def _drawable(self, node: Tree) -> bool:
        """Whether one node of this tree is one the fast layout draws: expanded, in the
        root's styles, with a text label."""
        return (isinstance(node, LightTree) and node.expanded
                and node.guide_style == self.guide_style and node.style == self.style
                and isinstance(node.label, (Text, TextBuilder)))

    def _simple_root(self, console: Console, options: ConsoleOptions) -> bool:
        """`_simple`'s tests of the console and the root (the rest are of every node)."""
        if options.ascii_only or options.legacy_windows or self.hide_root:
            return False
        style = console.get_style(self.guide_style, default="") or Style.null()
        return not (style.bold or style.underline2)

    def _nodes(self) -> Iterator[Tree]:
        stack: list[Tree] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children)

    def _label_lines(self, console: Console, options: ConsoleOptions, width: int,
                     style: Style, plain: bool) -> list[list[Segment]]:
        """The label's lines as segments: cut at newlines when every line fits and has no
        tab (`_cut`), otherwise (a line too wide, a tab, no room at all) wrapped by rich."""
        label = self._label_text()
        pieces = _cut(label.plain, width)
        if pieces is None:
            return self._wrapped(console, options, width, style)
        if plain:
            return [[Segment(piece)] if piece else [] for piece in pieces]
        lines = label.split("\n", allow_blank=True) if len(pieces) > 1 else [label]
        out = []
        for line in lines:
            segments = list(line.render(console, end=""))
            out.append(list(Segment.apply_style(segments, style)) if style else segments)
        return out

    def _wrapped(self, console: Console, options: ConsoleOptions, width: int,
                 style: Style) -> list[list[Segment]]:
        """The label wrapped to ``width`` by rich itself."""
        label = self._label_text()
        return console.render_lines(Styled(label, style) if style else label,
                                    options.update(width=width, height=None), pad=False)

    def _label_text(self) -> Text:
        """The label as a `Text` (a `TextBuilder`'s made now)."""
        label = self.label
        if isinstance(label, TextBuilder):
            return label.text()
        assert isinstance(label, Text)
        return label
