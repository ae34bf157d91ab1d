"""Patches in scenario files: how a case changes its base dataset (`apply_patch`).

A case's ``patch`` is merged into its base dataset:

* mappings merge recursively; any other value replaces the base value;
* ``null`` sets a field to null, which the engine reads as missing data;
* ``~delete: [field, ...]`` (or a single name) removes those keys of the mapping it
  stands in, before the rest of the patch is merged (a name that is not there is an
  error, so a typo cannot silently leave the data unchanged); year-map entries are
  removed the same way (``~delete: [2013]``);
* ``~replace: true`` makes the mapping replace the base value instead of merging;
* the top-level lists ``districts``, ``industries`` and ``enterprises`` are patched item
  by item, matched by ``id``: an existing entity is merged, an unknown id is appended
  as a new entity, and ``~remove: true`` in an item removes that entity; every other
  list (incidents, brands, standards ...) is replaced as a whole.

This is the lowest of the scenario modules (`qstrong.scenarios.patch`, then
`qstrong.scenarios.file`, then `qstrong.scenarios.run`), so it also holds what the others
share: `ScenarioError`, and small helpers for positions in the YAML (`key_span`,
`value_span`, `span_of`) and for plain copies (`plain`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import DataError
from qstrong.core.messages import msg, words
from qstrong.core.positions import PosDict, PosList
from qstrong.core.source import Span
from qstrong.core.vocab import suggest

__all__ = ["ENTITY_LISTS", "ScenarioError", "apply_patch"]

ENTITY_LISTS = ("districts", "industries", "enterprises")
"""Top-level dataset lists whose items a patch matches by ``id``."""

_DELETE, _REPLACE, _REMOVE = "~delete", "~replace", "~remove"


class ScenarioError(DataError):
    """A scenario file is invalid: its shape, a patch, a status word, an unknown id."""

    code = codes.SCENARIO


def key_span(mapping: object, key: object) -> Span | None:
    """Where ``key`` is written in ``mapping`` (a `PosDict`), or None."""
    if isinstance(mapping, PosDict):
        return mapping.key_spans.get(key)
    return None


def value_span(mapping: object, key: object) -> Span | None:
    """Where the value of ``key`` is written in ``mapping`` (a `PosDict`), or None."""
    if isinstance(mapping, PosDict):
        return mapping.value_spans.get(key)
    return None


def span_of(node: object) -> Span | None:
    """Where a YAML mapping or list is written, or None."""
    if isinstance(node, PosDict | PosList):
        return node.span
    return None


def plain(value: Any) -> Any:
    """A copy made of plain dicts and lists (scenario-only ``~`` keys are refused by callers)."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _find_key(mapping: Mapping[Any, Any], key: object) -> object:
    """The key of ``mapping`` equal to ``key`` or written the same (``2013`` and ``"2013"``)."""
    if key in mapping:
        return key
    for k in mapping:
        if str(k) == str(key):
            return k
    return _ABSENT


_ABSENT = object()


def apply_patch(base: Any, patch: Any, *, top: bool = True) -> Any:
    """Merge a patch into a dataset mapping; neither argument is changed.

    Args:
        base: the base dataset (or, below the top, the base value of one field).
        patch: the patch: a mapping (see the module docstring for its semantics).
        top: True at the dataset level, where the entity lists are patched by id.

    Returns:
        The merged value, made of plain dicts and lists.

    Raises:
        ScenarioError: a malformed patch (``~delete`` of an absent key, an entity item
            without an id, ``~remove`` of an unknown entity ...).

    Examples:
        >>> apply_patch({"a": {"x": 1, "y": 2}}, {"a": {"y": 3, "~delete": ["x"]}})
        {'a': {'y': 3}}
    """
    if not isinstance(patch, Mapping):
        return plain(patch)
    if patch.get(_REPLACE) is True:
        return _new_mapping(patch)
    if not isinstance(base, Mapping):
        return _new_mapping(patch)
    result: dict[Any, Any] = plain(base)
    for key in patch:
        if isinstance(key, str) and key.startswith("~") and key not in (_DELETE, _REPLACE):
            raise ScenarioError(
                msg("patch.unknown_remove" if key == _REMOVE else "patch.unknown", key=key),
                span=key_span(patch, key),
            )
    if _REPLACE in patch and patch[_REPLACE] is not False:
        raise ScenarioError(msg("patch.true_or_false", word="~replace"),
                            span=value_span(patch, _REPLACE))
    for name in _delete_list(patch):
        found = _find_key(result, name)
        if found is _ABSENT:
            raise ScenarioError(
                msg("patch.nothing_named", name=name),
                span=value_span(patch, _DELETE),
                hint=suggest(str(name), [str(k) for k in result]),
            )
        del result[found]
    for key, value in patch.items():
        if key in (_DELETE, _REPLACE):
            continue
        found = _find_key(result, key)
        old = result[found] if found is not _ABSENT else None
        target = found if found is not _ABSENT else key
        if top and key in ENTITY_LISTS and value is not None:
            result[target] = _patch_entities(old, value, str(key), value_span(patch, key))
        elif value is None:
            result[target] = None
        else:
            result[target] = apply_patch(old, value, top=False)
    return result


def _delete_list(patch: Mapping[Any, Any]) -> list[Any]:
    if _DELETE not in patch:
        return []
    names = patch[_DELETE]
    if isinstance(names, list | tuple):
        return list(names)
    if isinstance(names, str | int):
        return [names]
    raise ScenarioError(
        words("patch.delete_names"),
        span=value_span(patch, _DELETE),
    )


def _new_mapping(patch: Mapping[Any, Any]) -> dict[Any, Any]:
    """A patch mapping used as a whole value (no base to merge into)."""
    if _DELETE in patch:
        names = ", ".join(str(n) for n in _delete_list(patch))
        raise ScenarioError(
            msg("patch.nothing_here", names=names),
            span=value_span(patch, _DELETE),
        )
    out: dict[Any, Any] = {}
    for key, value in patch.items():
        if key == _REPLACE:
            continue
        if isinstance(key, str) and key.startswith("~"):
            raise ScenarioError(msg("patch.unknown", key=key), span=key_span(patch, key))
        out[key] = apply_patch(None, value, top=False)
    return out


def _patch_entities(base: Any, patch: Any, kind: str, span: Span | None) -> list[Any]:
    if not isinstance(patch, list):
        raise ScenarioError(msg("patch.entities_list", kind=kind), span=span)
    result: list[Any] = plain(base) if isinstance(base, list) else []
    for index, item in enumerate(patch):
        item_span = patch.item_spans[index] if isinstance(patch, PosList) else span
        if not isinstance(item, Mapping) or "id" not in item:
            raise ScenarioError(
                msg("patch.item_id", kind=kind),
                span=item_span,
            )
        entity_id = item["id"]
        position = next(
            (i for i, old in enumerate(result)
             if isinstance(old, Mapping) and str(old.get("id")) == str(entity_id)),
            None,
        )
        remove = item.get(_REMOVE, False)
        if remove not in (True, False):
            raise ScenarioError(msg("patch.true_or_false", word="~remove"),
                                span=value_span(item, _REMOVE))
        if remove:
            if position is None:
                raise ScenarioError(
                    msg("patch.no_entity", id=entity_id, kind=kind),
                    span=item_span,
                    hint=suggest(str(entity_id), [str(e.get("id")) for e in result
                                                if isinstance(e, Mapping)]),
                )
            extra = [k for k in item if k not in ("id", _REMOVE)]
            if extra:
                raise ScenarioError(
                    msg("patch.remove_only_id", key=extra[0]),
                    span=key_span(item, extra[0]),
                )
            del result[position]
            continue
        fields = {k: v for k, v in item.items() if k != _REMOVE}
        if isinstance(item, PosDict):
            fields = _with_positions(item, fields)
        if position is None:
            result.append(apply_patch(None, fields, top=False))
        else:
            result[position] = apply_patch(result[position], fields, top=False)
    return result


def _with_positions(source: PosDict, items: dict[Any, Any]) -> PosDict:
    out = PosDict(items)
    out.source = source.source
    out.span = source.span
    out.key_spans = source.key_spans
    out.value_info = source.value_info
    out.value_spans = source.value_spans
    return out
