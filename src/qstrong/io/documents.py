"""Dataset documents: read a YAML or JSON file into a parsed document (with positions), and write
a dataset as JSON with exact numbers."""

from __future__ import annotations

import json
import stat
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import DataError
from qstrong.core.limits import (
    MAX_NESTING,
    escapes_may_make_surrogates,
    format_size,
    nesting_depth,
)
from qstrong.core.messages import msg
from qstrong.core.source import Span
from qstrong.data.models import Dataset
from qstrong.io.yamldoc import MAX_DATASET_BYTES, YamlError, load_yaml_text

__all__ = ["DOCUMENT_SUFFIXES", "dataset_to_json", "read_document"]

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")

_DUPLICATE_KEY_CODE = codes.DUPLICATE_KEY
_SYNTAX_CODE = codes.DOCUMENT_SYNTAX


def dataset_to_json(dataset: Dataset, indent: int | None = 2) -> str:
    """JSON text of a dataset with exact numbers written as JSON numbers (no binary floats).

    `load_dataset` reads it back (``parse_float=Decimal``) to an equal dataset, including
    numbers inside ``assessment.criteria_params``.

    Args:
        dataset: the dataset.
        indent: spaces per level, or None for one line.

    Returns:
        UTF-8-ready JSON text (Chinese kept as is).
    """
    return _json_text(dataset.model_dump(mode="python"), indent, 0)


def _next_size(size: int) -> int:
    """A round size above ``size`` (the next whole GiB or 64 MiB step), for the hint."""
    step = 1024**3 if size > 1024**3 else 64 * 1024**2
    return (size // step + 1) * step


def read_document(path: Path, max_bytes: int = MAX_DATASET_BYTES) -> object:
    """The parsed document of a ``.yaml``/``.yml``/``.json`` file (YAML keeps positions),
    refused when larger than ``max_bytes``.

    Raises:
        DataError: unsupported suffix, unreadable or oversized file, not UTF-8, syntax error
            or a duplicate key; with the position where there is one.
    """
    return read_document_checked(path, max_bytes)[0]


def read_document_checked(path: Path, max_bytes: int = MAX_DATASET_BYTES
                          ) -> tuple[object, bool]:
    """`read_document`, and whether what it read is known to be safe to validate without
    the document-wide guards: its nesting was measured while parsing (always), and its
    text, decoded from UTF-8, has no escape that could make a lone surrogate
    (`qstrong.core.limits.escapes_may_make_surrogates`). Walking a province's document
    for these twice more cost a fifth of loading it."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise DataError(msg("file.unsupported_document", suffix=path.suffix), file=str(path))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DataError(msg("file.not_regular_document"), file=str(path))
        size = info.st_size
        if size > max_bytes:
            raise DataError(
                msg("file.over_limit", size=format_size(size), most=format_size(max_bytes)),
                file=str(path),
                hint=msg("file.over_limit_hint",
                         size=format_size(_next_size(size)).replace(" ", "")))
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(msg("file.not_utf8"), file=str(path)) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DataError(msg("file.unreadable", why=reason), file=str(path)) from None
    clean = not escapes_may_make_surrogates(text)
    if suffix == ".json":
        return _parse_json(text, str(path)), clean
    try:
        return load_yaml_text(text, str(path), keep_dates=True, max_bytes=max_bytes), clean
    except YamlError as exc:
        raise DataError(
            exc.message,
            span=exc.span,
            hint=exc.hint,
            file=None if exc.span is not None else str(path),
            code=exc.code,
        ) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: find the key given twice
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def _parse_json(text: str, filename: str) -> object:
    try:
        doc = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
        )
        if nesting_depth(doc) > MAX_NESTING:
            raise DataError(msg("yaml.too_deep", most=MAX_NESTING),
                            file=filename, code=_SYNTAX_CODE)
        return doc
    except _DuplicateKey as exc:
        raise DataError(msg("json.duplicate_key", key=exc.key), file=filename,
                        code=_DUPLICATE_KEY_CODE) from None
    except json.JSONDecodeError as exc:
        span = Span(filename, exc.lineno, exc.colno, exc.lineno, exc.colno + 1)
        raise DataError(msg("json.syntax", problem=exc.msg), span=span,
                        code=_SYNTAX_CODE) from None
    except (ValueError, RecursionError) as exc:
        raise DataError(msg("json.unreadable", why=str(exc)), file=filename,
                        code=_SYNTAX_CODE) from None


# ---------------------------------------------------------------------------- JSON writing


def _json_text(value: object, indent: int | None, level: int) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():  # pragma: no cover - validation refuses NaN and infinity
            raise ValueError(f"{value} is not a finite number")
        return format(value, "f")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return json.dumps(value.isoformat())
    if isinstance(value, Mapping):
        parts = [
            f"{json.dumps(str(k), ensure_ascii=False)}:{' ' if indent is not None else ''}"
            f"{_json_text(v, indent, level + 1)}"
            for k, v in value.items()
        ]
        return _wrap("{", "}", parts, indent, level)
    if isinstance(value, list | tuple):
        return _wrap("[", "]", [_json_text(v, indent, level + 1) for v in value], indent, level)
    return json.dumps(str(value), ensure_ascii=False)


def _wrap(open_: str, close: str, parts: list[str], indent: int | None, level: int) -> str:
    if not parts:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(parts) + close
    inner = "\n" + " " * (indent * (level + 1))
    return open_ + inner + ("," + inner).join(parts) + "\n" + " " * (indent * level) + close
