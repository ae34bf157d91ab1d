"""Load a dataset from YAML, JSON or a mapping into `Dataset`, reporting every problem at once.

Validation errors become `Diagnostic` records (code ``E201``) with a field path that names
the entity (``districts[0] (D1).special_equipment.inspection_rate``), a plain-words
message, and, for YAML files, the position of the offending value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from qstrong.core.errors import DataError, DataErrors, Diagnostic
from qstrong.core.source import Span
from qstrong.core.vocab import suggest
from qstrong.data.models import (
    ENTITY_KINDS,
    SKIP_REFERENCE_CHECKS,
    Dataset,
    find_reference_problems,
)
from qstrong.data.values import YEAR_KEY_ERROR, describe_value, parse_year, plain_type
from qstrong.io.yamldoc import MAX_DATASET_BYTES, PosDict, PosList, YamlError, load_yaml_text

__all__ = ["VALIDATION_CODE", "dataset_to_dict", "dataset_to_json", "load_dataset"]

VALIDATION_CODE = "E201"
"""Diagnostic code of every field-level or cross-reference problem in a dataset."""

_DUPLICATE_KEY_CODE = "E002"
_SYNTAX_CODE = "E001"


def load_dataset(source: str | Path | Mapping[str, Any]) -> Dataset:
    """Read and validate one dataset.

    Args:
        source: a path to a ``.yaml``/``.yml``/``.json`` file, an ``.xlsx`` workbook or a
            folder of CSV files (read by `qstrong.io.convert.load_any`; their diagnostics name
            cells such as ``强企!H12``), or an already parsed mapping.

    Returns:
        The validated, immutable `Dataset`.

    Raises:
        DataError: the file cannot be read or parsed (syntax, duplicate keys, not a mapping).
        DataErrors: the document does not follow the data dictionary; one `Diagnostic` per
            problem, all of them at once.
    """
    if isinstance(source, Mapping):
        raw: object = source
    else:
        from qstrong.io.convert import is_tabular, load_any  # lazy: convert imports this module

        if is_tabular(source):
            return load_any(source)
        raw = _read_file(Path(source))
    if not isinstance(raw, Mapping):
        span = raw.span if isinstance(raw, PosList) else None
        what = "nothing (the document is empty)" if raw is None else describe_value(raw)
        raise DataError(
            "a dataset must be a mapping with assessment, county, province_benchmarks, "
            f"districts, industries and enterprises; got {what}",
            span=span,
            code=VALIDATION_CODE,
        )
    diagnostics: list[Diagnostic] = []
    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(raw, context={SKIP_REFERENCE_CHECKS: True})
    except ValidationError as exc:
        diagnostics.extend(_diagnostic(err, raw) for err in exc.errors(include_url=False))
    diagnostics.extend(_reference_diagnostics(raw))
    if diagnostics:
        if all(d.span is not None for d in diagnostics):
            diagnostics.sort(key=lambda d: (d.span.line, d.span.col) if d.span else (0, 0))
        raise DataErrors(diagnostics)
    assert dataset is not None
    return dataset


def dataset_to_dict(dataset: Dataset) -> dict[str, Any]:
    """A JSON-able dict of a dataset that `load_dataset` reads back to an equal dataset.

    Rates and amounts become exact decimal strings (``"93.5"``; a rate whose decimals never
    end becomes counts ``"1/3"``), dates ISO strings, year keys strings. A number inside
    ``assessment.criteria_params`` stays a number (a float whose ``repr`` is exactly the
    value, so it reads back exactly), or becomes a string when no float is exact.

    Args:
        dataset: the dataset.

    Returns:
        Plain dicts, lists, strings, ints, bools and None.
    """
    return dataset.model_dump(mode="json")


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


# ---------------------------------------------------------------------------- reading


def _read_file(path: Path) -> object:
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise DataError(
            f"unsupported file type '{path.suffix}'; use .yaml, .yml or .json", path=str(path)
        )
    try:
        size = path.stat().st_size
        if size > MAX_DATASET_BYTES:
            raise DataError(
                f"file is larger than {MAX_DATASET_BYTES // 1024 // 1024} MiB", path=str(path)
            )
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text (save the file as UTF-8)", path=str(path)) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DataError(f"cannot read file ({reason})", path=str(path)) from None
    if suffix == ".json":
        return _parse_json(text, str(path))
    try:
        return load_yaml_text(text, str(path), keep_dates=True, max_bytes=MAX_DATASET_BYTES)
    except YamlError as exc:
        raise DataError(
            exc.message,
            span=exc.span,
            hint=exc.hint,
            path=None if exc.span is not None else str(path),
            code=exc.code,
        ) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def _parse_json(text: str, filename: str) -> object:
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
        )
    except _DuplicateKey as exc:
        raise DataError(
            f"duplicate key '{exc.key}' in a JSON object", path=filename, code=_DUPLICATE_KEY_CODE
        ) from None
    except json.JSONDecodeError as exc:
        span = Span(filename, exc.lineno, exc.colno, exc.lineno, exc.colno + 1)
        raise DataError(f"JSON syntax error: {exc.msg}", span=span, code=_SYNTAX_CODE) from None
    except (ValueError, RecursionError) as exc:
        raise DataError(f"cannot read JSON: {exc}", path=filename, code=_SYNTAX_CODE) from None


# ---------------------------------------------------------------------------- error locations


@dataclass
class _Where:
    path: str
    span: Span | None
    annotation: Any


def _find_key(node: Mapping[Any, Any], key: object) -> object:
    """The key of ``node`` that validation called ``key`` (year keys may have been converted)."""
    if key in node:
        return key
    if isinstance(key, int):
        for raw_key in node:
            try:
                if parse_year(raw_key) == key:
                    return raw_key
            except ValueError:
                continue
    return _MISSING


_MISSING = object()


def _key_text(key: object) -> str:
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return f"[{key}]"
    return f"[{str(key)!r}]"


def _locate(raw: object, loc: Sequence[str | int]) -> _Where:
    """Walk the raw document and the model types together along a pydantic error location."""
    node: object = raw
    annotation: Any = Dataset
    span: Span | None = raw.span if isinstance(raw, PosDict) else None
    path = ""
    for index, step in enumerate(loc):
        base = plain_type(annotation)
        if step == "[key]":
            continue
        key_is_field = isinstance(base, type) and issubclass(base, BaseModel)
        if isinstance(node, Sequence) and not isinstance(node, str) and isinstance(step, int):
            path += f"[{step}]"
            item = node[step] if 0 <= step < len(node) else None
            if isinstance(node, PosList) and 0 <= step < len(node.item_spans):
                span = node.item_spans[step]
            if index == 1 and loc[0] in ENTITY_KINDS and isinstance(item, Mapping):
                entity_id = item.get("id")
                if isinstance(entity_id, str) and entity_id.strip():
                    path += f" ({entity_id})"
            node = item
        else:
            path += (f".{step}" if path else str(step)) if key_is_field else _key_text(step)
            raw_key = _find_key(node, step) if isinstance(node, Mapping) else _MISSING
            next_is_key = index + 1 < len(loc) and loc[index + 1] == "[key]"
            if raw_key is not _MISSING and isinstance(node, PosDict):
                spans = node.key_spans if next_is_key else node.value_spans
                span = spans.get(raw_key, span)
            node = node[raw_key] if raw_key is not _MISSING and isinstance(node, Mapping) else None
        annotation = _step_type(base, step)
    return _Where(path, span, annotation)


def _step_type(base: Any, step: str | int) -> Any:
    if isinstance(base, type) and issubclass(base, BaseModel):
        field = base.model_fields.get(str(step))
        return field.annotation if field is not None else None
    origin = get_origin(base)
    if origin in (list, tuple):
        return get_args(base)[0]
    if origin is dict:
        return get_args(base)[1]
    return None


def _diagnostic(err: ErrorDetails, raw: object) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == YEAR_KEY_ERROR and "key" in ctx:
        loc = (*loc, ctx["key"], "[key]")
    elif kind == "extra_forbidden":
        loc = (*loc, "[key]")  # point at the misspelt key, not its value
    where = _locate(raw, loc)
    message = str(err["msg"])
    if kind == "missing":
        message = f"missing required field '{loc[-1]}'"
    elif kind == "extra_forbidden":
        field = loc[-2]
        parent = plain_type(_locate(raw, loc[:-2]).annotation)
        names = list(parent.model_fields) if isinstance(parent, type) and issubclass(
            parent, BaseModel
        ) else []
        message = f"unknown field '{field}'"
        close = suggest(str(field), names)
        if close:
            message += f"; {close}"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"expected true or false, got {describe_value(value)}"
    elif kind == "literal_error":
        message = _literal_message(where.annotation, value, str(ctx.get("expected", "")))
    elif kind in ("model_type", "model_attributes_type", "dataclass_type"):
        message = f"expected a mapping of fields, got {describe_value(value)}"
    elif kind == "dict_type":
        message = f"expected a mapping, got {describe_value(value)}"
    elif kind in ("list_type", "tuple_type"):
        message = f"expected a list, got {describe_value(value)}"
    elif kind in ("string_type", "str_type"):
        message = f"expected text, got {describe_value(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number, got {describe_value(value)}"
    return Diagnostic(VALIDATION_CODE, message, where.span, None, where.path or None)


def _literal_message(annotation: Any, value: object, expected_text: str) -> str:
    base = plain_type(annotation)
    if get_origin(base) is Literal:
        allowed = [str(a) for a in get_args(base)]
    else:
        allowed = re.findall(r"'([^']*)'", expected_text)
    message = f"expected one of {', '.join(allowed)}; got {describe_value(value)}"
    if isinstance(value, str):
        close = suggest(value, allowed)
        if close:
            message += f"; {close}"
    return message


def _reference_diagnostics(raw: Mapping[str, Any]) -> list[Diagnostic]:
    """Duplicate ids and unknown industry references, read off the raw document."""

    def text_or_none(value: object) -> str | None:
        return value if isinstance(value, str) and value.strip() else None

    ids: dict[str, list[str | None]] = {}
    items_of: dict[str, list[Any]] = {}
    for kind in ENTITY_KINDS:
        items = raw.get(kind)
        items_of[kind] = list(items) if isinstance(items, list) else []
        ids[kind] = [
            text_or_none(item.get("id")) if isinstance(item, Mapping) else None
            for item in items_of[kind]
        ]
    industries = [
        text_or_none(item.get("industry")) if isinstance(item, Mapping) else None
        for item in items_of["enterprises"]
    ]
    out = []
    for loc, message in find_reference_problems(ids, industries):
        where = _locate(raw, loc)
        out.append(Diagnostic(VALIDATION_CODE, message, where.span, None, where.path))
    return out


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
