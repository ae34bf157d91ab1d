"""Indented JSON at two to three times the speed of ``json.dumps(..., indent=2)``, same bytes.

Python's C encoder cannot indent, so ``indent=2`` falls back to the standard library's
generator-based encoder, which was half the time of writing a province's JSON report. This
encoder writes the same text (``ensure_ascii=False``, ``indent=2``, the default
separators) with one function per container and the C string encoder for every string.
What it accepts is what `json.dumps` accepts without a ``default``: dicts, lists, tuples,
strings, numbers, booleans and None, and dict keys that are strings, numbers, booleans or
None. Values must not contain themselves (there is no circular-reference check: qstrong's
results are trees). ``tests/unit/test_jsontext.py`` checks the bytes against `json.dumps`.

Where orjson is installed (``pip install "qstrong[fast]"``), `dumps_indented` and
`dumps_compact` let it write the text, three to five times faster again, and the same
text for everything qstrong writes: strings, ints within 64 bits, booleans, None, string
keys (a value it refuses, such as a larger int or a lone surrogate, is written by the code
here). It writes a float as the shortest text that reads back (``1e-5`` where `json.dumps`
writes ``1e-05``); qstrong's results hold no floats (exact numbers are ints or text,
which `tests/unit/test_jsontext.py` checks on the reports it writes).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring as _string  # the C function where there is one
from typing import Any

_UNLOADED: Any = object()
_orjson: Any = _UNLOADED
"""The optional fast writer (the "fast" extra): the module, None where it is not installed,
or `_UNLOADED` until JSON is first written (importing it, with the `uuid` and `platform`
it imports, was 1% of a command that writes no JSON)."""


def _fast() -> Any:
    """orjson, or None; imported on first use."""
    global _orjson
    if _orjson is _UNLOADED:
        try:
            import orjson
        except ImportError:  # pragma: no cover - exercised where orjson is not installed
            _orjson = None
        else:
            _orjson = orjson
    return _orjson

__all__ = ["compact_bytes", "dumps_compact", "dumps_indented", "fast_writer", "indented_bytes"]

_number = json.JSONEncoder(ensure_ascii=False).encode  # floats as json writes them (NaN …)
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def fast_writer() -> str | None:
    """The name and version of the fast JSON writer in use, or None (for reports of speed)."""
    fast = _fast()
    return None if fast is None else f"orjson {fast.__version__}"


def _orjson_compact(value: Any) -> bytes | None:
    """orjson's compact bytes of ``value``, or None (no orjson, or a value it refuses: a big
    int, a lone surrogate, a key that is not a string …)."""
    fast = _fast()
    if fast is None:
        return None
    try:
        written: bytes = fast.dumps(value)
    except TypeError:
        return None
    return written


def _orjson_indented(value: Any, level: int) -> bytes | memoryview | None:
    """orjson's two-space bytes of ``value``, each line after the first indented by
    ``level`` more spaces, or None as for `_orjson_compact`.

    With an even ``level`` the value is written inside ``level / 2`` lists, where orjson
    itself indents it by ``level``, and the lists' own lines are cut off (a view, not a
    copy); an odd one is indented by a pass over the text (a newline is never inside a JSON
    string: each one starts a line)."""
    fast = _fast()
    if fast is None:
        return None
    depth, odd = divmod(level, 2)
    wrapped: Any = value
    for _ in range(0 if odd else depth):
        wrapped = [wrapped]
    try:
        text: bytes = fast.dumps(wrapped, option=fast.OPT_INDENT_2)
    except TypeError:
        return None
    if odd:
        return text.replace(b"\n", b"\n" + b" " * level)
    head, tail = _wrapping(depth)
    return memoryview(text)[head:len(text) - tail] if depth else text


def _wrapping(depth: int) -> tuple[int, int]:
    """The lengths of the lines ``depth`` nested lists add before and after their item:
    ``[\n  [\n    `` … ``\n  ]\n]``."""
    head = sum(2 * k + 2 for k in range(depth)) + 2 * depth
    tail = sum(2 * k + 2 for k in range(depth))
    return head, tail


def compact_bytes(value: Any) -> bytes:
    """`dumps_compact` as UTF-8 bytes, for a binary stream (orjson's own bytes: no decoding
    and encoding again, which writing a province's JSON Lines to a file spent seconds on)."""
    fast = _orjson_compact(value)
    return fast if fast is not None else _compact(value).encode("utf-8")


def indented_bytes(value: Any, level: int = 0) -> bytes | memoryview:
    """`dumps_indented` as UTF-8 bytes, for a binary stream."""
    fast = _orjson_indented(value, level)
    return fast if fast is not None else dumps_indented(value, level).encode("utf-8")


def dumps_compact(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``: JSON Lines' text."""
    fast = _orjson_compact(value)
    return str(fast, "utf-8") if fast is not None else _compact(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _number(float(value))
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, (bool, int, float)) or key is None:
        return _string(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _item(head: str, item: Any, pad: str, append: Callable[[str], None]) -> None:
    """One member of a container, after its ``head`` (the separator, and a dict's key)."""
    if type(item) is str:
        append(head + _string(item))
    elif isinstance(item, dict):
        append(head)
        _walk_dict(item, pad, append) if item else append("{}")
    elif isinstance(item, (list, tuple)):
        append(head)
        _walk_list(item, pad, append) if item else append("[]")
    else:
        append(head + _scalar(item))


def _walk_dict(mapping: dict[Any, Any], pad: str, append: Callable[[str], None]) -> None:
    inner = pad + "  "
    separator = "{\n" + inner
    for key, item in mapping.items():
        _item(separator + (_string(key) if type(key) is str else _key(key)) + ": ", item,
              inner, append)
        separator = ",\n" + inner
    append("\n" + pad + "}")


def _walk_list(sequence: list[Any] | tuple[Any, ...], pad: str,
               append: Callable[[str], None]) -> None:
    inner = pad + "  "
    separator = "[\n" + inner
    for item in sequence:
        _item(separator, item, inner, append)
        separator = ",\n" + inner
    append("\n" + pad + "]")


def dumps_indented(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, each line after the first
    indented by ``level`` more spaces (for a value written inside an indented document).

    The walkers are module functions, not closures: a recursive closure is a reference
    cycle, and each document's pieces would wait for the garbage collector (which qstrong
    pauses while it writes a report) instead of going when the text is made.
    """
    fast = _orjson_indented(value, level)
    if fast is not None:
        return str(fast, "utf-8")
    pad = " " * level
    parts: list[str] = []
    append = parts.append
    if isinstance(value, dict):
        _walk_dict(value, pad, append) if value else append("{}")
    elif isinstance(value, (list, tuple)):
        _walk_list(value, pad, append) if value else append("[]")
    else:
        append(_scalar(value))
    return "".join(parts)
