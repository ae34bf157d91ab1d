"""Parsed documents that remember where each value stood: `PosDict` and `PosList` carry the
span of every key, value and item, and `ScalarInfo` maps offsets inside a scalar back to
its file. The YAML reader builds them; validation and the criteria reader read their spans
without knowing which reader made them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from qstrong.core.source import Source, Span

if TYPE_CHECKING:
    from yaml.nodes import ScalarNode

__all__ = ["PosDict", "PosList", "ScalarInfo", "SpanList", "SpanMap"]


class ScalarInfo:
    """Where a scalar value stood in its file, and how to map offsets in its value to the file."""

    __slots__ = ("_map", "_value", "end", "source", "start", "style")

    def __init__(self, source: Source, node: ScalarNode) -> None:
        self.source = source
        self.start = node.start_mark.index
        self.end = node.end_mark.index
        self.style = node.style
        self._map: list[int] | None = None
        self._value = node.value

    def span(self) -> Span:
        """The whole scalar's span."""
        return self.source.span(self.start, self.end)

    def offset_of(self, index: int) -> int:
        """File offset of character ``index`` of the scalar's value (aligned greedily)."""
        if self._map is None:
            self._map = _align(self._value, self.source.text[self.start : self.end], self.start)
        if not self._map:
            return self.start
        if index >= len(self._map):
            return self._map[-1] + 1
        return self._map[max(index, 0)]

    def span_of(self, start: int, end: int) -> Span:
        """The file span of characters ``start``..``end`` of the scalar's value."""
        begin = self.offset_of(start)
        stop = self.offset_of(end - 1) + 1 if end > start else begin
        return self.source.span(begin, stop)


def _align(value: str, raw: str, base: int) -> list[int]:
    """Map each character of a parsed scalar to its offset in the raw text (quotes, folds)."""
    out: list[int] = []
    j = 0
    for ch in value:
        k = j
        while k < len(raw) and raw[k] != ch and not (ch == " " and raw[k] in "\r\n"):
            k += 1
        if k >= len(raw):
            out.append(base + min(j, max(len(raw) - 1, 0)))
            continue
        out.append(base + k)
        j = k + 1
        if ch == " " and raw[k] in "\r\n":
            while j < len(raw) and raw[j] in " \t\r\n":
                j += 1
    return out


class SpanMap(Mapping[Any, Span]):
    """Spans by key, kept as offsets and turned into line/column only when asked for.

    A large dataset has hundreds of thousands of values; most positions are never shown.
    """

    __slots__ = ("_offsets", "_source")

    def __init__(self, source: Source) -> None:
        self._source = source
        self._offsets: dict[Any, tuple[int, int]] = {}

    def __getitem__(self, key: Any) -> Span:
        start, end = self._offsets[key]
        return self._source.span(start, end)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def __contains__(self, key: object) -> bool:
        return key in self._offsets


class SpanList(Sequence[Span]):
    """Spans by position in a sequence, computed when asked for (see `SpanMap`)."""

    __slots__ = ("_offsets", "_source")

    def __init__(self, source: Source, offsets: list[tuple[int, int]]) -> None:
        self._source = source
        self._offsets = offsets

    @overload
    def __getitem__(self, index: int) -> Span: ...
    @overload
    def __getitem__(self, index: slice) -> list[Span]: ...
    def __getitem__(self, index: int | slice) -> Span | list[Span]:
        if isinstance(index, slice):
            return [self._source.span(s, e) for s, e in self._offsets[index]]
        start, end = self._offsets[index]
        return self._source.span(start, end)

    def __len__(self) -> int:
        return len(self._offsets)


class _Span:
    """A document's own span: set as a `Span`, or made from its offsets (``at``, set by the
    reader) when first read; a province's dataset has tens of thousands of mappings, and
    most spans are never shown."""

    def __get__(self, obj: Any, owner: Any = None) -> Span:
        if obj is None:
            raise AttributeError("span")
        made: Span | None = obj.__dict__.get("_span")
        if made is None:
            start, end = obj.__dict__["at"]
            made = obj.__dict__["_span"] = obj.source.span(start, end)
        return made

    def __set__(self, obj: Any, value: Span) -> None:
        obj.__dict__["_span"] = value


class PosDict(dict[Any, Any]):
    """A mapping that remembers the source position of itself and of each key and value."""

    source: Source
    span = _Span()
    at: tuple[int, int]
    key_spans: SpanMap
    value_info: dict[Any, ScalarInfo]
    value_spans: SpanMap


class PosList(list[Any]):
    """A sequence that remembers the source position of itself and each item."""

    source: Source
    span = _Span()
    at: tuple[int, int]
    item_spans: SpanList
    item_info: list[ScalarInfo | None]
