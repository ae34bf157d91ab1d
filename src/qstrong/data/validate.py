"""Validate a parsed dataset document into `Dataset`, reporting every problem at once.

Validation errors become `Diagnostic` records (code ``E201``) whose location is data: the
key path in the document (``("districts", 0, "special_equipment", "inspection_rate")``),
the id of the entity it falls in, and, for YAML documents, the position of the offending
value. Reading files and choosing a reader by path is `qstrong.io.load`'s job; this module
never reads a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from qstrong.core import codes
from qstrong.core.errors import DataError, DataErrors, Diagnostic
from qstrong.core.limits import MAX_NESTING, first_unencodable, nesting_depth
from qstrong.core.locations import Key, Loc
from qstrong.core.messages import Message, Text, msg
from qstrong.core.positions import PosDict, PosList
from qstrong.core.source import Span
from qstrong.core.vocab import suggest
from qstrong.data.models import (
    ENTITY_KINDS,
    SKIP_REFERENCE_CHECKS,
    Dataset,
    find_reference_problems,
)
from qstrong.data.parsing import describe_value, parse_year
from qstrong.data.values import YEAR_KEY_ERROR, plain_type

__all__ = ["VALIDATION_CODE", "dataset_to_dict", "validate_dataset"]

VALIDATION_CODE = codes.DATA_VALUE
"""Diagnostic code of every field-level or cross-reference problem in a dataset."""


def validate_dataset(raw: object, *, checked: bool = False) -> Dataset:
    """Validate a parsed document (a mapping, with positions when it came from YAML).

    Every field-level and cross-reference problem is found at once; a `Diagnostic` carries
    its location in the document (``loc``), the entity it falls in, and the position of
    the offending value when the document has positions.

    Args:
        raw: the parsed document (plain mappings and lists, or the YAML reader's
            position-keeping `PosDict`/`PosList`).
        checked: the reader has measured the document's nesting and knows that no text in
            it holds a lone surrogate (`qstrong.io.documents.read_document_checked`), so
            neither is walked for again.

    Returns:
        The validated, immutable `Dataset`.

    Raises:
        DataError: the document is not a mapping.
        DataErrors: the document does not follow the data dictionary; one `Diagnostic` per
            problem, all of them at once.
    """
    if not checked and nesting_depth(raw) > MAX_NESTING:
        raise DataError(msg("dataset.too_deep", most=MAX_NESTING), code=codes.DOCUMENT_SYNTAX)
    broken = None if checked else first_unencodable(raw)
    if broken is not None:
        raise DataError(msg("dataset.surrogate"), loc=broken, code=VALIDATION_CODE)
    if not isinstance(raw, Mapping):
        span = raw.span if isinstance(raw, PosList) else None
        what = msg("dataset.empty") if raw is None else describe_value(raw)
        raise DataError(msg("dataset.not_mapping", value=what), span=span, code=VALIDATION_CODE)
    diagnostics: list[Diagnostic] = []
    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(raw, context={SKIP_REFERENCE_CHECKS: True})
    except ValidationError as exc:
        diagnostics.extend(_diagnostic(err, raw) for err in exc.errors(include_url=False))
    diagnostics.extend(_reference_diagnostics(raw))
    if dataset is not None:
        for loc, message in dataset.future_incidents():
            where = _locate(raw, loc)
            diagnostics.append(Diagnostic(VALIDATION_CODE, message, where.span, loc=where.loc,
                                          entity=where.entity))
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


# ---------------------------------------------------------------------------- error locations


@dataclass
class _Where:
    loc: Loc
    entity: str | None
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


def _locate(raw: object, loc: Sequence[str | int]) -> _Where:
    """Walk the raw document and the model types together along a pydantic error location."""
    node: object = raw
    annotation: Any = Dataset
    span: Span | None = raw.span if isinstance(raw, PosDict) else None
    steps: list[str | int] = []
    entity: str | None = None
    for index, step in enumerate(loc):
        base = plain_type(annotation)
        if step == "[key]":
            continue
        key_is_field = isinstance(base, type) and issubclass(base, BaseModel)
        if isinstance(node, Sequence) and not isinstance(node, str) and isinstance(step, int):
            steps.append(step)
            item = node[step] if 0 <= step < len(node) else None
            if isinstance(node, PosList) and 0 <= step < len(node.item_spans):
                span = node.item_spans[step]
            if index == 1 and loc[0] in ENTITY_KINDS and isinstance(item, Mapping):
                entity_id = item.get("id")
                if isinstance(entity_id, str) and entity_id.strip():
                    entity = entity_id
            node = item
        else:
            steps.append(step if key_is_field or isinstance(step, int) else Key(step))
            raw_key = _find_key(node, step) if isinstance(node, Mapping) else _MISSING
            next_is_key = index + 1 < len(loc) and loc[index + 1] == "[key]"
            if raw_key is not _MISSING and isinstance(node, PosDict):
                spans = node.key_spans if next_is_key else node.value_spans
                span = spans.get(raw_key, span)
            node = node[raw_key] if raw_key is not _MISSING and isinstance(node, Mapping) else None
        annotation = _step_type(base, step)
    return _Where(tuple(steps), entity, span, annotation)


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
    carried = ctx.get("text")
    message: Message = carried if isinstance(carried, Text) else str(err["msg"])
    hint: Message | None = None
    if kind == "missing":
        message = msg("field.missing", field=loc[-1])
    elif kind == "extra_forbidden":
        field = loc[-2]
        parent = plain_type(_locate(raw, loc[:-2]).annotation)
        names = list(parent.model_fields) if isinstance(parent, type) and issubclass(
            parent, BaseModel
        ) else []
        close = suggest(str(field), names)
        message = (msg("field.unknown_close", field=field, hint=close) if close
                   else msg("field.unknown", field=field))
    elif kind in ("bool_type", "bool_parsing"):
        message = msg("field.expected_bool", value=describe_value(value))
    elif kind == "literal_error":
        message = _literal_message(where.annotation, value, str(ctx.get("expected", "")))
    elif kind in ("model_type", "model_attributes_type", "dataclass_type"):
        message = msg("field.expected_fields", value=describe_value(value))
        hint = _colon_hint(where.annotation, value)
    elif kind == "dict_type":
        message = msg("field.expected_mapping", value=describe_value(value))
    elif kind in ("list_type", "tuple_type"):
        message = msg("field.expected_list", value=describe_value(value))
    elif kind in ("string_type", "str_type"):
        message = msg("text.expected", value=describe_value(value))
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = msg("number.expected_whole", value=describe_value(value))
    return Diagnostic(VALIDATION_CODE, message, where.span,
                      hint if kind in ("model_type", "model_attributes_type",
                                       "dataclass_type") else None,
                      loc=where.loc or None, entity=where.entity)


def _colon_hint(annotation: Any, value: object) -> Text | None:
    """``date 2014-11-01`` where fields were expected: the colon after a field name is
    missing (YAML then reads the line as one text)."""
    model = plain_type(annotation)
    if not isinstance(value, str) or not (isinstance(model, type) and issubclass(model,
                                                                                 BaseModel)):
        return None
    first = value.strip().split(" ", 1)[0].rstrip(":")
    if first in model.model_fields:
        rest = value.strip()[len(first):].strip()
        return msg("field.colon_hint", field=first, rest=rest)
    return None


def _literal_message(annotation: Any, value: object, expected_text: str) -> Text:
    base = plain_type(annotation)
    if get_origin(base) is Literal:
        allowed = [str(a) for a in get_args(base)]
    else:
        allowed = re.findall(r"'([^']*)'", expected_text)
    close = suggest(value, allowed) if isinstance(value, str) else None
    if close:
        return msg("field.one_of_close", allowed=", ".join(allowed), value=describe_value(value),
                   hint=close)
    return msg("field.one_of", allowed=", ".join(allowed), value=describe_value(value))


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
    for loc, message, related in find_reference_problems(ids, industries):
        where = _locate(raw, loc)
        out.append(Diagnostic(VALIDATION_CODE, message, where.span, loc=where.loc,
                              entity=where.entity, related=related))
    return out
