"""Limits every input channel shares (see docs/limits.md): how deep a document may nest."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MAX_NESTING", "nesting_depth"]

MAX_NESTING = 64
"""Deepest nesting of mappings and lists in any document: a dataset needs 5 levels."""


def nesting_depth(value: object, limit: int = MAX_NESTING) -> int:
    """How deeply ``value`` nests mappings and lists, counted without recursion and stopping
    once past ``limit`` (so a hostile document costs no more than the limit to measure).

    Examples:
        >>> nesting_depth({"a": [1, {"b": []}]})
        4
        >>> nesting_depth([[[[]]]], limit=2)
        3
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: list[object] = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest
