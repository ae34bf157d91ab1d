"""Limits every input channel shares (see docs/limits.md): how deep a document may nest."""

from __future__ import annotations

from collections.abc import Mapping

from qstrong.core.locations import Loc

__all__ = ["MAX_NESTING", "first_unencodable", "nesting_depth"]

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


def first_unencodable(value: object) -> Loc | None:
    """Where the first text that UTF-8 cannot hold sits (a lone surrogate such as
    ``"\\ud800"``, which JSON allows): such text would break every output later.

    Examples:
        >>> first_unencodable({"a": ["ok", "bad\\ud800"]})
        ('a', 1)
        >>> first_unencodable({"a": "ok"}) is None
        True
    """
    stack: list[tuple[object, Loc]] = [(value, ())]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return loc
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                if isinstance(key, str) and first_unencodable(key) is not None:
                    return loc
                stack.append((child, (*loc, key)))
        elif isinstance(item, list | tuple):
            stack.extend((child, (*loc, i)) for i, child in reversed(list(enumerate(item))))
    return None
