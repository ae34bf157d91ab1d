"""Scenario files: their format, reading and checking (`load_scenarios`, `check_scenario`).

A scenario file holds cases. Each case builds one dataset (a base dataset file plus a
patch, or a whole dataset), evaluates it with the criteria, and compares the status of
the clauses it names with what the case expects::

    # tests/cases/district.yaml
    base: ../../examples/county.yaml     # optional: a dataset file, relative to this file
    cases:
      - name: 加工食品抽查合格率恰好 94% 达标
        patch:                           # deep-merged into the base dataset
          districts:
            - id: D1
              food_spot_check_pass_rate: {processing: 94}
        expect:                          # entity id -> clause id -> status
          D1:
            district/1/food_processing: pass
      - name: 县域强区数量不足
        dataset: {...}                   # or a whole dataset instead of base + patch
        params: {stable_years: 3}        # optional criteria parameter overrides
        expect:
          county: {county/districts: fail}
          D2: fail                       # shorthand: the entity's overall verdict

File keys: ``base`` (optional), ``cases`` (required, a non-empty list), ``description``
(optional text), and any key starting with ``x-`` (ignored; a place for YAML anchors
shared by several cases, e.g. ``x-small: &small {...}`` then ``dataset: *small``).

Case keys: ``name`` (required, unique in the file), ``base`` (optional, overrides the
file's), ``dataset`` (optional whole dataset; used instead of the base), ``patch``
(optional), ``params`` (optional, merged into ``assessment.criteria_params``) and
``expect`` (required).

Patch semantics: see `qstrong.scenarios.patch` (mappings merge, ``null`` marks missing
data, ``~delete`` and ``~replace`` change how a mapping merges, and the entity lists
are patched item by item, matched by ``id``, where ``~remove: true`` removes an entity).

Status words: ``pass``, ``fail``, ``unknown``, ``not_applicable`` or 达标, 未达标,
无法判定, 不适用. ``expect`` keys are entity ids or ``county``; an entity id together with
a clause id's kind (``district/...``) selects the entity, so the same id may be used in
two kinds. Unknown entity ids, clause ids, status words and keys are errors of the
scenario file (`ScenarioError`, a `DataError`), reported with file and line.

Running the cases and comparing the statuses is `qstrong.scenarios.run`, which also re-exports
this module's public names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from qstrong.core.errors import DataError, QStrongError
from qstrong.core.logic import Status
from qstrong.core.messages import Text, msg, words
from qstrong.core.positions import PosDict, PosList
from qstrong.core.source import Span
from qstrong.core.vocab import suggest
from qstrong.data.models import Dataset
from qstrong.engine.ruleset import Criteria
from qstrong.io.load import load_dataset
from qstrong.io.yamldoc import load_yaml_file
from qstrong.scenarios.patch import (
    ScenarioError,
    apply_patch,
    key_span,
    plain,
    span_of,
    value_span,
)

__all__ = [
    "COUNTY",
    "STATUS_WORDS",
    "Expectation",
    "Scenario",
    "check_scenario",
    "clause_kinds",
    "load_scenarios",
    "parse_status",
]

COUNTY = "county"
"""The ``expect`` key (and clause kind) of the county itself."""

STATUS_WORDS: dict[str, Status] = {
    "pass": Status.PASS,
    "fail": Status.FAIL,
    "unknown": Status.UNKNOWN,
    "not_applicable": Status.NOT_APPLICABLE,
    "达标": Status.PASS,
    "未达标": Status.FAIL,
    "无法判定": Status.UNKNOWN,
    "不适用": Status.NOT_APPLICABLE,
}
"""Accepted status words (English words are case-insensitive)."""

_FILE_KEYS = ("base", "cases", "description")
_CASE_KEYS = ("name", "base", "dataset", "patch", "params", "expect")
_KIND_OF_LIST = {"districts": "district", "industries": "industry", "enterprises": "enterprise"}


@dataclass(frozen=True)
class Expectation:
    """One expected status: of a clause of an entity, or of the entity's overall verdict.

    Attributes:
        entity: the entity id, or ``county``.
        clause: the clause id, or None for the overall verdict.
        status: the expected status.
        span: where the expectation is written.
    """

    entity: str
    clause: str | None
    status: Status
    span: Span | None = None


@dataclass
class Scenario:
    """One case of a scenario file, with its dataset already built and validated.

    Attributes:
        name: the case name.
        file: the scenario file.
        line: the line where the case starts.
        data: the dataset mapping after base, patch and params.
        dataset: the validated dataset.
        expect: the expected statuses, in file order.
        span: where the case is written.
    """

    name: str
    file: str
    line: int
    data: dict[str, Any]
    dataset: Dataset
    expect: list[Expectation]
    span: Span | None = None


def parse_status(word: object, span: Span | None = None) -> Status:
    """Read a status word.

    Args:
        word: ``pass``, ``fail``, ``unknown``, ``not_applicable`` (any case) or 达标,
            未达标, 无法判定, 不适用.
        span: where the word stands, for the error.

    Returns:
        The `Status`.

    Raises:
        ScenarioError: the word is not one of them.

    Examples:
        >>> parse_status("达标")
        <Status.PASS: 'pass'>
        >>> parse_status("Not_Applicable")
        <Status.NOT_APPLICABLE: 'not_applicable'>
    """
    if isinstance(word, str):
        text = word.strip()
        found = STATUS_WORDS.get(text) or STATUS_WORDS.get(text.lower())
        if found is not None:
            return found
        hint = suggest(text.lower(), STATUS_WORDS)
    else:
        hint = None
    raise ScenarioError(
        msg("scenario.not_status", word=word),
        span=span,
        hint=hint,
    )


# ---------------------------------------------------------------------------- loading


class _BaseCache:
    """Base datasets read once (by resolved path, size and modification time)."""

    def __init__(self) -> None:
        self._data: dict[tuple[Path, int, int], Any] = {}

    def get(self, path: Path, span: Span | None) -> Any:
        resolved = path.resolve()
        try:
            stat = resolved.stat()
        except OSError:
            raise ScenarioError(msg("scenario.no_base", path=path), span=span) from None
        key = (resolved, stat.st_size, stat.st_mtime_ns)
        if key not in self._data:
            if len(self._data) > 16:
                self._data.clear()
            self._data[key] = _read_base(resolved, span)
        return self._data[key]


_BASES = _BaseCache()


def _read_base(path: Path, span: Span | None) -> Any:
    if not path.is_file():
        raise ScenarioError(msg("scenario.no_base", path=path), span=span)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(path.read_text(encoding="utf-8-sig"), parse_float=Decimal)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ScenarioError(msg("scenario.base_unreadable", path=path, why=str(exc)),
                                span=span) from None
    try:
        return load_yaml_file(path)
    except QStrongError as exc:
        raise ScenarioError(msg("scenario.base_bad", problem=exc.message),
                            span=exc.span or span) from None


def _check_keys(mapping: PosDict | Mapping[Any, Any], allowed: Sequence[str], what: Text,
                *, extension_keys: bool = False) -> None:
    for key in mapping:
        if key in allowed or (extension_keys and isinstance(key, str) and key.startswith("x-")):
            continue
        raise ScenarioError(
            msg("scenario.unknown_key", key=key, what=what, allowed=", ".join(allowed)),
            span=key_span(mapping, key),
            hint=suggest(str(key), allowed),
        )


def load_scenarios(path: str | Path, *, criteria: Criteria | None = None) -> list[Scenario]:
    """Read a scenario file and build every case's dataset.

    Args:
        path: the scenario file (YAML).
        criteria: when given, clause ids in ``expect`` are checked against it now
            (`check_scenario`); otherwise `run_scenario` checks them.

    Returns:
        The cases, in file order.

    Raises:
        ScenarioError: the file is not a valid scenario file, a patch is malformed, a case's
            dataset is invalid, or ``expect`` names an unknown entity, clause or status.
    """
    file = Path(path)
    try:
        doc = load_yaml_file(file, aliases=True)
    except QStrongError as exc:
        raise ScenarioError(exc.message, span=exc.span, hint=exc.hint,
                            file=None if exc.span else str(file)) from None
    if not isinstance(doc, PosDict):
        raise ScenarioError(words("scenario.not_mapping"), span=span_of(doc), file=str(file))
    _check_keys(doc, _FILE_KEYS, words("scenario.what_file"), extension_keys=True)
    file_base = doc.get("base")
    if file_base is not None and not isinstance(file_base, str):
        raise ScenarioError(words("scenario.base_path"), span=value_span(doc, "base"))
    cases = doc.get("cases")
    if not isinstance(cases, PosList) or not cases:
        raise ScenarioError(words("scenario.cases_list"),
                            span=value_span(doc, "cases") or doc.span)
    out: list[Scenario] = []
    seen: dict[str, int] = {}
    for index, case in enumerate(cases):
        scenario = _load_case(file, case, cases.item_spans[index], file_base)
        if scenario.name in seen:
            raise ScenarioError(
                msg("scenario.name_twice", name=scenario.name, line=seen[scenario.name]),
                span=scenario.span,
            )
        seen[scenario.name] = scenario.line
        if criteria is not None:
            check_scenario(scenario, criteria)
        out.append(scenario)
    return out


def _load_case(file: Path, case: object, span: Span, file_base: str | None) -> Scenario:
    if not isinstance(case, PosDict):
        raise ScenarioError(words("scenario.case_mapping"), span=span)
    _check_keys(case, _CASE_KEYS, words("scenario.what_case"))
    name = case.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(words("scenario.case_name"),
                            span=value_span(case, "name") or case.span)
    name_span = value_span(case, "name") or case.span
    data = _case_data(file, case, file_base, name)
    patch = case.get("patch")
    if patch is not None:
        if not isinstance(patch, Mapping):
            raise ScenarioError(words("scenario.patch_mapping"),
                                span=value_span(case, "patch"))
        data = apply_patch(data, patch)
    params = case.get("params")
    if params is not None:
        if not isinstance(params, Mapping):
            raise ScenarioError(words("scenario.params_mapping"),
                                span=value_span(case, "params"))
        assessment = data.get("assessment")
        data["assessment"] = apply_patch(
            assessment if isinstance(assessment, Mapping) else {},
            {"criteria_params": params}, top=False)
    try:
        dataset = load_dataset(data)
    except DataError as exc:
        raise ScenarioError(msg("scenario.invalid_dataset", name=name,
                                problems=[d.headline() for d in exc.diagnostics]),
                            span=name_span) from None
    expect = _read_expect(case, dataset)
    return Scenario(name=name, file=str(file), line=case.span.line, data=data, dataset=dataset,
                    expect=expect, span=name_span)


def _case_data(file: Path, case: PosDict, file_base: str | None, name: str) -> dict[str, Any]:
    if "dataset" in case:
        whole = case["dataset"]
        if not isinstance(whole, Mapping):
            raise ScenarioError(words("scenario.dataset_mapping"),
                                span=value_span(case, "dataset"))
        if "base" in case:
            raise ScenarioError(words("scenario.dataset_or_base"),
                                span=key_span(case, "base"))
        whole_data: dict[str, Any] = plain(whole)
        return whole_data
    base = case.get("base", file_base)
    span = value_span(case, "base") if "base" in case else None
    if base is None:
        raise ScenarioError(msg("scenario.no_dataset", name=name), span=case.span)
    if not isinstance(base, str):
        raise ScenarioError(words("scenario.base_path"), span=span)
    raw = _BASES.get(file.parent / base, span)
    if not isinstance(raw, Mapping):
        raise ScenarioError(msg("scenario.base_not_mapping", path=base), span=span)
    data: dict[str, Any] = plain(raw)
    return data


def _entity_ids(dataset: Dataset) -> dict[str, list[str]]:
    """Entity id -> the kinds that have an entity with that id."""
    kinds: dict[str, list[str]] = {}
    for attr, kind in _KIND_OF_LIST.items():
        for entity in getattr(dataset, attr):
            kinds.setdefault(entity.id, []).append(kind)
    return kinds


def _read_expect(case: PosDict, dataset: Dataset) -> list[Expectation]:
    expect = case.get("expect")
    if not isinstance(expect, PosDict) or not expect:
        raise ScenarioError(
            words("scenario.needs_expect"),
            span=value_span(case, "expect") or case.span,
        )
    ids = _entity_ids(dataset)
    out: list[Expectation] = []
    for raw_key, value in expect.items():
        entity_span = key_span(expect, raw_key)
        entity = str(raw_key)
        if entity != COUNTY and entity not in ids:
            raise ScenarioError(
                msg("scenario.no_entity", entity=entity),
                span=entity_span,
                hint=suggest(entity, [*ids, COUNTY]),
            )
        if isinstance(value, PosDict):
            if not value:
                raise ScenarioError(msg("scenario.no_clauses", entity=entity), span=entity_span)
            for clause, word in value.items():
                if not isinstance(clause, str):
                    raise ScenarioError(msg("scenario.not_clause_id", clause=clause),
                                        span=key_span(value, clause))
                status = parse_status(word, value_span(value, clause))
                out.append(Expectation(entity, clause, status, key_span(value, clause)))
        else:
            out.append(Expectation(entity, None, parse_status(value, value_span(expect, raw_key)),
                                   entity_span))
    return out


# ---------------------------------------------------------------------------- checking


def clause_kinds(criteria: Criteria) -> dict[str, str]:
    """Clause id -> the kind of entity it is written for (``county`` for county clauses)."""
    kinds: dict[str, str] = {}
    for kind, clauses in criteria.clauses.items():
        for clause in clauses:
            for d in clause.defn.walk():
                kinds[d.id] = kind
    return kinds


def check_scenario(scenario: Scenario, criteria: Criteria) -> None:
    """Check that every clause id in ``expect`` exists and belongs to the entity's kind.

    Raises:
        ScenarioError: an unknown clause id, or one of another kind than the entity.
    """
    kinds = clause_kinds(criteria)
    ids = _entity_ids(scenario.dataset)
    for e in scenario.expect:
        if e.clause is None:
            if e.entity != COUNTY and len(ids.get(e.entity, [])) > 1:
                raise ScenarioError(
                    msg("scenario.id_of_several", entity=e.entity,
                        kinds=[words(f"kind.{k}") for k in ids[e.entity]]),
                    span=e.span)
            continue
        kind = kinds.get(e.clause)
        if kind is None:
            raise ScenarioError(msg("scenario.unknown_clause", clause=e.clause), span=e.span,
                                hint=suggest(e.clause, kinds))
        if e.entity == COUNTY:
            if kind != COUNTY:
                raise ScenarioError(
                    msg("scenario.not_county_clause", clause=e.clause, kind=words(f"kind.{kind}")),
                    span=e.span)
        elif kind not in ids.get(e.entity, []):
            raise ScenarioError(
                msg("scenario.wrong_kind", clause=e.clause, kind=words(f"kind.{kind}"),
                    entity=e.entity,
                    kinds=[words(f"kind.{k}") for k in ids.get(e.entity, [])]),
                span=e.span)
