"""Limits every input channel shares (see docs/limits.md): how deep a document may nest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from qstrong.core.locations import Loc
from qstrong.core.messages import msg

__all__ = ["DEFAULT_MAX_DATASET_BYTES", "MAX_NESTING", "escapes_may_make_surrogates",
           "first_unencodable", "format_size", "nesting_depth", "parse_size"]

DEFAULT_MAX_DATASET_BYTES = 512 * 1024 * 1024
"""Largest YAML/JSON dataset document read by default (a province of 100 000 enterprises is
about 100 MiB); ``--max-size`` / ``max_bytes`` changes it."""

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2,
          "mib": 1024**2, "g": 1024**3, "gb": 1024**3, "gib": 1024**3}


def parse_size(text: str) -> int:
    """A size in bytes from ``512M``, ``1GiB``, ``800000000`` (K, M, G are powers of 1024).

    Examples:
        >>> parse_size("1GiB") == parse_size("1g") == 2**30
        True

    Raises:
        ValueError: not a size.
    """
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = found.group(2).lower() if found else ""
    if found is None or unit not in _UNITS:
        raise ValueError(msg("usage.size_form", text=text))
    size = int(Decimal(found.group(1)) * _UNITS[unit])
    if size <= 0:
        raise ValueError(msg("usage.size_zero", text=text))
    return size


def format_size(size: int) -> str:
    """``512 MiB``, ``1 GiB``, ``20 KiB``: how the limits are said in messages."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} B"

MAX_NESTING = 64
"""Deepest nesting of mappings and lists in any document: a dataset needs 5 levels."""


_SCALARS = frozenset({str, int, float, bool, Decimal, type(None)})


def _containers(level: list[object]) -> tuple[list[object], bool]:
    """The items one level of containers holds, and whether the level had any container.
    Exact dicts, lists, tuples and scalars are told by their type (no ABC test per item);
    scalars first, since most items of a dataset's deeper levels are values."""
    below: list[object] = []
    extend = below.extend
    found = False
    for item in level:
        kind = type(item)
        if kind in _SCALARS:
            continue
        if kind is dict:
            extend(item.values())  # type: ignore[attr-defined]
        elif kind is list or kind is tuple:
            extend(item)  # type: ignore[arg-type]
        elif isinstance(item, Mapping):
            extend(item.values())
        elif isinstance(item, list | tuple):
            extend(item)
        else:
            continue
        found = True
    return below, found


def nesting_depth(value: object, limit: int = MAX_NESTING) -> int:
    """How deeply ``value`` nests mappings and lists, counted without recursion and stopping
    once past ``limit`` (so a hostile document costs no more than the limit to measure).

    Examples:
        >>> nesting_depth({"a": [1, {"b": []}]})
        4
        >>> nesting_depth([[[[]]]], limit=2)
        3
    """
    level: list[object] = [value]
    depth = 0
    while level:
        level, found = _containers(level)
        if not found:
            break
        depth += 1
        if depth > limit:
            return depth
    return depth


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
"""An escape that writes a code point from U+D800 to U+DFFF: ``\\ud800`` in JSON and YAML,
``\\U0000DC00`` in YAML (a pair of them that makes one character matches too)."""


def escapes_may_make_surrogates(text: str) -> bool:
    """Whether a document's text (decoded from UTF-8, which cannot hold a lone surrogate)
    has an escape that could put one in a string once parsed; if not, `first_unencodable`
    has nothing to find in what it parses to.

    Examples:
        >>> escapes_may_make_surrogates('{"name": "\\\\ud800"}')
        True
        >>> escapes_may_make_surrogates('{"name": "\\\\u6d59\\\\u6c5f 93.5%"}')
        False
    """
    return _SURROGATE_ESCAPE.search(text) is not None


def first_unencodable(value: object) -> Loc | None:
    """Where the first text that UTF-8 cannot hold sits (a lone surrogate such as
    ``"\\ud800"``, which JSON allows): such text would break every output later.

    Examples:
        >>> first_unencodable({"a": ["ok", "bad\\ud800"]})
        ('a', 1)
        >>> first_unencodable({"a": "ok"}) is None
        True
    """
    # A quick pass level by level, without locations: almost no document has such text.
    level: list[object] = [value]
    while level:
        for item in level:
            kind = type(item)
            if kind is str or (kind not in _SCALARS and isinstance(item, str)):
                if not item.isascii() and not _encodable(item):  # type: ignore[attr-defined, arg-type]
                    return _locate_unencodable(value)
            elif kind is dict or (kind not in _SCALARS and kind is not list
                                  and isinstance(item, Mapping)):
                for key in item:  # type: ignore[attr-defined]
                    if isinstance(key, str) and not key.isascii() and not _encodable(key):
                        return _locate_unencodable(value)
        level, _ = _containers(level)
    return None


def _locate_unencodable(value: object) -> Loc | None:
    stack: list[tuple[object, Loc]] = [(value, ())]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                return loc
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                if isinstance(key, str) and not _encodable(key):
                    return loc
                stack.append((child, (*loc, key)))
        elif isinstance(item, list | tuple):
            stack.extend((child, (*loc, i)) for i, child in reversed(list(enumerate(item))))
    return None
