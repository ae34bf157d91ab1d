"""The text report's pieces as plain data: lines, rules, tables, groups and clause trees.

`qstrong.report.text` builds a report out of these, and they are drawn two ways: as plain
lines by `qstrong.report.plain_layout` (files, pipes, `report_text`: rich is not even
imported), or as the rich renderables they stand for (`to_rich`, also what printing one
gives) on a colour terminal, and for any piece the plain layout does not draw exactly as
rich would. Each piece records what the report asked rich for (the same text, styles and
options), so both ways draw the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qstrong.report.plain_layout import (
    cut_lines,
    rule_line,
    table_lines,
    tree_lines,
    wrapped_lines,
)
from qstrong.report.text_builder import TextBuilder

if TYPE_CHECKING:
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

__all__ = ["Block", "Blocks", "Line", "RuleLine", "TableBlock", "TreeBlock"]


class Line:
    """A paragraph of text: rich's ``Text(text, style=style)``, pieces appended to
    ``builder`` as ``Text.append`` appends them."""

    __slots__ = ("builder", "style")

    def __init__(self, text: str | TextBuilder = "", style: str = "") -> None:
        self.builder = text if isinstance(text, TextBuilder) else TextBuilder(text)
        self.style = style

    def append(self, text: str, style: str = "") -> Line:
        """``Text.append``."""
        self.builder.add(text, style)
        return self

    @property
    def plain(self) -> str:
        return self.builder.plain

    def plain_lines(self, width: int) -> list[str] | None:
        return wrapped_lines(self.plain, width)

    def to_rich(self) -> Text:
        text = self.builder.text()
        if self.style:
            text.style = self.style
        return text

    def __rich__(self) -> Text:
        return self.to_rich()


class RuleLine:
    """rich's ``Rule(Text(title), style=style)``: a line across with the title centred."""

    __slots__ = ("style", "title")

    def __init__(self, title: str, style: str = "") -> None:
        self.title = title
        self.style = style

    def plain_lines(self, width: int) -> list[str] | None:
        line = rule_line(self.title, width)
        return None if line is None else [line]

    def to_rich(self) -> Rule:
        from rich.rule import Rule
        from rich.text import Text

        return Rule(Text(self.title), style=self.style)

    def __rich__(self) -> Rule:
        return self.to_rich()


class TableBlock:
    """rich's ``Table`` with a ``SIMPLE_HEAD`` box, as `qstrong.report.text` makes them: a
    title, columns (header, justification, wrapping) and rows of `Line` cells."""

    __slots__ = ("columns", "options", "rows", "title")

    def __init__(self, *, title: Line | None = None, pad_edge: bool = False,
                 title_justify: str = "left") -> None:
        self.title = title
        self.options: dict[str, Any] = {"pad_edge": pad_edge, "title_justify": title_justify}
        self.columns: list[tuple[str, dict[str, Any]]] = []
        self.rows: list[tuple[Line, ...]] = []

    def add_column(self, header: str, *, justify: str = "left", no_wrap: bool = False,
                   overflow: str = "ellipsis") -> None:
        self.columns.append((header, {"justify": justify, "no_wrap": no_wrap,
                                      "overflow": overflow}))

    def add_row(self, *cells: Line) -> None:
        self.rows.append(cells)

    def plain_lines(self, width: int) -> list[str] | None:
        if (not self.columns or self.options["pad_edge"]
                or (self.title is not None and self.title.plain
                    and self.options["title_justify"] != "left")):
            return None
        headers = [header for header, _options in self.columns]
        rows = [[cell.plain for cell in row] for row in self.rows]
        if any(len(row) != len(headers) for row in rows) or not all(
                text.isprintable() for text in (*headers, *(c for row in rows for c in row))):
            return None
        title = self.title.plain if self.title is not None and self.title.plain else None
        if title is not None and not title.isprintable():
            return None
        return table_lines(headers, [o["justify"] for _h, o in self.columns], rows, title,
                           width)

    def to_rich(self) -> Table:
        from rich import box
        from rich.table import Table

        table = Table(title=None if self.title is None else self.title.to_rich(),
                      box=box.SIMPLE_HEAD, **self.options)
        for header, options in self.columns:
            table.add_column(header, **options)
        for row in self.rows:
            table.add_row(*(cell.to_rich() for cell in row))
        return table

    def __rich__(self) -> Table:
        return self.to_rich()


class Blocks:
    """rich's ``Group``: pieces drawn one after the other."""

    __slots__ = ("items",)

    def __init__(self, *items: Block) -> None:
        self.items = list(items)

    def plain_lines(self, width: int) -> list[str] | None:
        out: list[str] = []
        for item in self.items:
            lines = item.plain_lines(width)
            if lines is None:
                return None
            out.extend(lines)
        return out

    def to_rich(self) -> Group:
        from rich.console import Group

        return Group(*(item.to_rich() for item in self.items))

    def __rich__(self) -> Group:
        return self.to_rich()


class TreeBlock:
    """A clause tree: rich's ``Tree`` (drawn by `qstrong.report.tree_layout.LightTree`)
    with a `TextBuilder` label per node and every node expanded."""

    __slots__ = ("children", "guide_style", "label")

    def __init__(self, label: TextBuilder, guide_style: str = "dim") -> None:
        self.label = label
        self.guide_style = guide_style
        self.children: list[TreeBlock] = []

    def add(self, label: TextBuilder) -> TreeBlock:
        node = TreeBlock(label, self.guide_style)
        self.children.append(node)
        return node

    def plain_lines(self, width: int) -> list[str] | None:
        """The lines rich's tree draws without colour: each label cut at its newlines or
        wrapped, as rich wraps it, to the width its guides leave."""
        return tree_lines(self, width, _children, _label_lines)

    def to_rich(self) -> Tree:
        from qstrong.report.tree_layout import LightTree

        root = LightTree(self.label, guide_style=self.guide_style)
        stack: list[tuple[TreeBlock, Tree]] = [(self, root)]
        while stack:
            node, drawn = stack.pop()
            for child in node.children:
                stack.append((child, drawn.add(child.label)))
        return root

    def __rich__(self) -> Tree:
        return self.to_rich()


def _children(node: TreeBlock) -> list[TreeBlock]:
    return node.children


def _label_lines(node: TreeBlock, room: int) -> list[str] | None:
    """A label cut at its newlines, or wrapped as rich wraps it when a line is too wide."""
    plain = node.label.plain
    pieces = cut_lines(plain, room)
    return wrapped_lines(plain, room) if pieces is None else pieces


Block = Line | RuleLine | TableBlock | Blocks | TreeBlock
"""Any piece of a text report."""
