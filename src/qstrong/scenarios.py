"""Scenario files: expected verdicts per clause, written in YAML, run by ``qstrong test``.

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

Patch semantics (`apply_patch`):

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

Status words: ``pass``, ``fail``, ``unknown``, ``not_applicable`` or 达标, 未达标,
无法判定, 不适用. ``expect`` keys are entity ids or ``county``; an entity id together with
a clause id's kind (``district/...``) selects the entity, so the same id may be used in
two kinds. Unknown entity ids, clause ids, status words and keys are errors of the
scenario file (`ScenarioError`, a `DataError`), reported with file and line.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from qstrong.dataset import load_dataset
from qstrong.errors import DataError, QStrongError
from qstrong.evaluate import evaluate
from qstrong.explain import ClauseResult
from qstrong.logic import Status
from qstrong.models import Dataset
from qstrong.report import EntityResult, Report
from qstrong.ruleset import Criteria, load_criteria
from qstrong.source import Span
from qstrong.yamlio import PosDict, PosList, load_yaml_file

__all__ = [
    "ENTITY_LISTS",
    "OVERALL",
    "STATUS_WORDS",
    "Expectation",
    "Mismatch",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "apply_patch",
    "check_scenario",
    "load_scenarios",
    "parse_status",
    "run_cli",
    "run_scenario",
    "scenario_files",
]

ENTITY_LISTS = ("districts", "industries", "enterprises")
"""Top-level dataset lists whose items a patch matches by ``id``."""

OVERALL = "overall"
"""The clause name a `Mismatch` uses for an entity's (or the county's) overall verdict."""

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

_STATUS_ZH = {Status.PASS: "达标", Status.FAIL: "未达标", Status.UNKNOWN: "无法判定",
              Status.NOT_APPLICABLE: "不适用"}
_FILE_KEYS = ("base", "cases", "description")
_CASE_KEYS = ("name", "base", "dataset", "patch", "params", "expect")
_DELETE, _REPLACE, _REMOVE = "~delete", "~replace", "~remove"
_KIND_OF_LIST = {"districts": "district", "industries": "industry", "enterprises": "enterprise"}
_COUNTY = "county"


class ScenarioError(DataError):
    """A scenario file is invalid: its shape, a patch, a status word, an unknown id."""

    code = "E210"


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


class Mismatch(NamedTuple):
    """A clause whose status differs from the expected one.

    ``clause`` is `OVERALL` for an entity's (or the county's) overall verdict.
    """

    entity: str
    clause: str
    expected: Status
    actual: Status
    summary_zh: str

    def line(self) -> str:
        """``D1 district/1/food_processing: expected pass, got fail — <summary>``."""
        text = (f"{self.entity} {self.clause}: expected {self.expected.value}, "
                f"got {self.actual.value}")
        return f"{text} — {self.summary_zh}" if self.summary_zh else text


@dataclass
class ScenarioResult:
    """What running one case found."""

    scenario: Scenario
    mismatches: list[Mismatch] = field(default_factory=list)
    report: Report | None = None

    @property
    def ok(self) -> bool:
        """True when every expected status was met."""
        return not self.mismatches

    def diff_lines(self) -> list[str]:
        """One line per mismatch (no indentation)."""
        return [m.line() for m in self.mismatches]


# ---------------------------------------------------------------------------- helpers


def _key_span(mapping: object, key: object) -> Span | None:
    if isinstance(mapping, PosDict):
        return mapping.key_spans.get(key)
    return None


def _value_span(mapping: object, key: object) -> Span | None:
    if isinstance(mapping, PosDict):
        return mapping.value_spans.get(key)
    return None


def _span_of(node: object) -> Span | None:
    if isinstance(node, PosDict | PosList):
        return node.span
    return None


def _hint(name: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _plain(value: Any) -> Any:
    """A copy made of plain dicts and lists (scenario-only ``~`` keys are refused by callers)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
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
        hint = _hint(text.lower(), STATUS_WORDS)
    else:
        hint = None
    raise ScenarioError(
        f"'{word}' is not a status; use pass, fail, unknown, not_applicable "
        "(or 达标, 未达标, 无法判定, 不适用)",
        span=span,
        hint=hint,
    )


# ---------------------------------------------------------------------------- patches


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
        return _plain(patch)
    if patch.get(_REPLACE) is True:
        return _new_mapping(patch)
    if not isinstance(base, Mapping):
        return _new_mapping(patch)
    result: dict[Any, Any] = _plain(base)
    for key in patch:
        if isinstance(key, str) and key.startswith("~") and key not in (_DELETE, _REPLACE):
            raise ScenarioError(
                f"unknown patch instruction '{key}'; use ~delete or ~replace"
                + (" (~remove is for items of districts, industries, enterprises)"
                   if key == _REMOVE else ""),
                span=_key_span(patch, key),
            )
    if _REPLACE in patch and patch[_REPLACE] is not False:
        raise ScenarioError("~replace takes true or false", span=_value_span(patch, _REPLACE))
    for name in _delete_list(patch):
        found = _find_key(result, name)
        if found is _ABSENT:
            raise ScenarioError(
                f"~delete: there is no '{name}' here to delete",
                span=_value_span(patch, _DELETE),
                hint=_hint(str(name), [str(k) for k in result]),
            )
        del result[found]
    for key, value in patch.items():
        if key in (_DELETE, _REPLACE):
            continue
        found = _find_key(result, key)
        old = result[found] if found is not _ABSENT else None
        target = found if found is not _ABSENT else key
        if top and key in ENTITY_LISTS and value is not None:
            result[target] = _patch_entities(old, value, str(key), _value_span(patch, key))
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
        "~delete takes a field name or a list of field names",
        span=_value_span(patch, _DELETE),
    )


def _new_mapping(patch: Mapping[Any, Any]) -> dict[Any, Any]:
    """A patch mapping used as a whole value (no base to merge into)."""
    if _DELETE in patch:
        names = ", ".join(str(n) for n in _delete_list(patch))
        raise ScenarioError(
            f"~delete: there is nothing here to delete {names} from",
            span=_value_span(patch, _DELETE),
        )
    out: dict[Any, Any] = {}
    for key, value in patch.items():
        if key == _REPLACE:
            continue
        if isinstance(key, str) and key.startswith("~"):
            raise ScenarioError(f"unknown patch instruction '{key}'", span=_key_span(patch, key))
        out[key] = apply_patch(None, value, top=False)
    return out


def _patch_entities(base: Any, patch: Any, kind: str, span: Span | None) -> list[Any]:
    if not isinstance(patch, list):
        raise ScenarioError(
            f"'{kind}' in a patch is a list of items with an id (matched by id)", span=span
        )
    result: list[Any] = _plain(base) if isinstance(base, list) else []
    for index, item in enumerate(patch):
        item_span = patch.item_spans[index] if isinstance(patch, PosList) else span
        if not isinstance(item, Mapping) or "id" not in item:
            raise ScenarioError(
                f"each item of '{kind}' in a patch needs an id (the entity to change or add)",
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
            raise ScenarioError("~remove takes true or false", span=_value_span(item, _REMOVE))
        if remove:
            if position is None:
                raise ScenarioError(
                    f"~remove: there is no entity '{entity_id}' in {kind}",
                    span=item_span,
                    hint=_hint(str(entity_id), [str(e.get("id")) for e in result
                                                if isinstance(e, Mapping)]),
                )
            extra = [k for k in item if k not in ("id", _REMOVE)]
            if extra:
                raise ScenarioError(
                    f"an item with ~remove: true takes only its id, not '{extra[0]}'",
                    span=_key_span(item, extra[0]),
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
            raise ScenarioError(f"base dataset '{path}' does not exist", span=span) from None
        key = (resolved, stat.st_size, stat.st_mtime_ns)
        if key not in self._data:
            if len(self._data) > 16:
                self._data.clear()
            self._data[key] = _read_base(resolved, span)
        return self._data[key]


_BASES = _BaseCache()


def _read_base(path: Path, span: Span | None) -> Any:
    if not path.is_file():
        raise ScenarioError(f"base dataset '{path}' does not exist", span=span)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(path.read_text(encoding="utf-8-sig"), parse_float=Decimal)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ScenarioError(f"cannot read base dataset '{path}': {exc}", span=span) from None
    try:
        return load_yaml_file(path)
    except QStrongError as exc:
        raise ScenarioError(
            f"cannot read base dataset: {exc.message}", span=exc.span or span
        ) from None


def _check_keys(mapping: PosDict | Mapping[Any, Any], allowed: Sequence[str], what: str,
                *, extension_keys: bool = False) -> None:
    for key in mapping:
        if key in allowed or (extension_keys and isinstance(key, str) and key.startswith("x-")):
            continue
        raise ScenarioError(
            f"unknown key '{key}' in {what}; expected one of {', '.join(allowed)}",
            span=_key_span(mapping, key),
            hint=_hint(str(key), allowed),
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
        doc = load_yaml_file(file)
    except QStrongError as exc:
        raise ScenarioError(exc.message, span=exc.span, hint=exc.hint,
                            path=None if exc.span else str(file)) from None
    if not isinstance(doc, PosDict):
        raise ScenarioError("a scenario file is a mapping with 'cases' (and optionally 'base')",
                            span=_span_of(doc), path=str(file))
    _check_keys(doc, _FILE_KEYS, "a scenario file", extension_keys=True)
    file_base = doc.get("base")
    if file_base is not None and not isinstance(file_base, str):
        raise ScenarioError("'base' is the path of a dataset file",
                            span=_value_span(doc, "base"))
    cases = doc.get("cases")
    if not isinstance(cases, PosList) or not cases:
        raise ScenarioError("'cases' must be a non-empty list of cases",
                            span=_value_span(doc, "cases") or doc.span)
    out: list[Scenario] = []
    seen: dict[str, int] = {}
    for index, case in enumerate(cases):
        scenario = _load_case(file, case, cases.item_spans[index], file_base)
        if scenario.name in seen:
            raise ScenarioError(
                f"case name '{scenario.name}' is used twice (first at line {seen[scenario.name]})",
                span=scenario.span,
            )
        seen[scenario.name] = scenario.line
        if criteria is not None:
            check_scenario(scenario, criteria)
        out.append(scenario)
    return out


def _load_case(file: Path, case: object, span: Span, file_base: str | None) -> Scenario:
    if not isinstance(case, PosDict):
        raise ScenarioError("a case is a mapping with name, expect and a dataset", span=span)
    _check_keys(case, _CASE_KEYS, "a case")
    name = case.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError("a case needs a 'name' (text)",
                            span=_value_span(case, "name") or case.span)
    name_span = _value_span(case, "name") or case.span
    data = _case_data(file, case, file_base, name)
    patch = case.get("patch")
    if patch is not None:
        if not isinstance(patch, Mapping):
            raise ScenarioError("'patch' is a mapping merged into the dataset",
                                span=_value_span(case, "patch"))
        data = apply_patch(data, patch)
    params = case.get("params")
    if params is not None:
        if not isinstance(params, Mapping):
            raise ScenarioError("'params' maps criteria parameter names to values",
                                span=_value_span(case, "params"))
        assessment = data.get("assessment")
        data["assessment"] = apply_patch(
            assessment if isinstance(assessment, Mapping) else {},
            {"criteria_params": params}, top=False)
    try:
        dataset = load_dataset(data)
    except DataError as exc:
        problems = "; ".join(d.headline() for d in exc.diagnostics)
        raise ScenarioError(f"case '{name}': the dataset is invalid: {problems}",
                            span=name_span) from None
    expect = _read_expect(case, dataset)
    return Scenario(name=name, file=str(file), line=case.span.line, data=data, dataset=dataset,
                    expect=expect, span=name_span)


def _case_data(file: Path, case: PosDict, file_base: str | None, name: str) -> dict[str, Any]:
    if "dataset" in case:
        whole = case["dataset"]
        if not isinstance(whole, Mapping):
            raise ScenarioError("'dataset' is a whole dataset mapping",
                                span=_value_span(case, "dataset"))
        if "base" in case:
            raise ScenarioError("give either 'dataset' or 'base' in a case, not both",
                                span=_key_span(case, "base"))
        plain: dict[str, Any] = _plain(whole)
        return plain
    base = case.get("base", file_base)
    span = _value_span(case, "base") if "base" in case else None
    if base is None:
        raise ScenarioError(
            f"case '{name}' has no dataset: give 'base:' at the top of the file or "
            "'dataset:' in the case",
            span=case.span,
        )
    if not isinstance(base, str):
        raise ScenarioError("'base' is the path of a dataset file", span=span)
    raw = _BASES.get(file.parent / base, span)
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"base dataset '{base}' is not a mapping", span=span)
    data: dict[str, Any] = _plain(raw)
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
            "a case needs 'expect': entity id -> clause id -> status",
            span=_value_span(case, "expect") or case.span,
        )
    ids = _entity_ids(dataset)
    out: list[Expectation] = []
    for raw_key, value in expect.items():
        key_span = _key_span(expect, raw_key)
        entity = str(raw_key)
        if entity != _COUNTY and entity not in ids:
            raise ScenarioError(
                f"expect: there is no entity '{entity}' in this case's dataset",
                span=key_span,
                hint=_hint(entity, [*ids, _COUNTY]),
            )
        if isinstance(value, PosDict):
            if not value:
                raise ScenarioError(f"expect: no clauses listed for '{entity}'", span=key_span)
            for clause, word in value.items():
                if not isinstance(clause, str):
                    raise ScenarioError(f"expect: '{clause}' is not a clause id",
                                        span=_key_span(value, clause))
                status = parse_status(word, _value_span(value, clause))
                out.append(Expectation(entity, clause, status, _key_span(value, clause)))
        else:
            out.append(Expectation(entity, None, parse_status(value, _value_span(expect, raw_key)),
                                   key_span))
    return out


# ---------------------------------------------------------------------------- running


def _clause_kinds(criteria: Criteria) -> dict[str, str]:
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
    kinds = _clause_kinds(criteria)
    ids = _entity_ids(scenario.dataset)
    for e in scenario.expect:
        if e.clause is None:
            if e.entity != _COUNTY and len(ids.get(e.entity, [])) > 1:
                raise ScenarioError(
                    f"expect: '{e.entity}' is the id of a {' and a '.join(ids[e.entity])}; "
                    "name the clauses (their ids say the kind) instead of a bare status",
                    span=e.span)
            continue
        kind = kinds.get(e.clause)
        if kind is None:
            raise ScenarioError(f"expect: unknown clause id '{e.clause}'", span=e.span,
                                hint=_hint(e.clause, kinds))
        if e.entity == _COUNTY:
            if kind != _COUNTY:
                raise ScenarioError(
                    f"expect: '{e.clause}' is a {kind} clause, not a county clause",
                    span=e.span)
        elif kind not in ids.get(e.entity, []):
            raise ScenarioError(
                f"expect: '{e.clause}' is a {kind} clause, but there is no {kind} "
                f"'{e.entity}' ('{e.entity}' is a {' and a '.join(ids.get(e.entity, []))})",
                span=e.span)


def _overall_summary(clauses: Sequence[ClauseResult]) -> str:
    bad = [c for c in clauses if c.status not in (Status.PASS, Status.NOT_APPLICABLE)]
    if not bad:
        return "各条款均达标"
    return "；".join(f"{c.id} {c.title_zh}{_STATUS_ZH[c.status]}" for c in bad)


def _actual(report: Report, e: Expectation, kinds: Mapping[str, str]) -> tuple[Status, str]:
    if e.entity == _COUNTY:
        if e.clause is None:
            return report.county.status, _overall_summary(report.county.clauses)
        for top in report.county.clauses:
            for node in top.walk():
                if node.id == e.clause:
                    return node.status, node.summary_zh
        raise KeyError(e.clause)
    if e.clause is None:
        entity: EntityResult = report.entity(e.entity)
        return entity.status, _overall_summary(entity.clauses)
    node = report.entity(e.entity, kinds[e.clause]).clause(e.clause)
    return node.status, node.summary_zh


def run_scenario(scenario: Scenario, criteria: Criteria | str | Path | None = None
                 ) -> ScenarioResult:
    """Evaluate one case and compare every expected status.

    Args:
        scenario: the case.
        criteria: a loaded `Criteria` (load it once for many cases), a criteria
            directory, or None for the packaged criteria.

    Returns:
        The result; ``.ok`` is True when nothing differs.

    Raises:
        ScenarioError: ``expect`` names a clause that does not exist (or of another kind).
    """
    if not isinstance(criteria, Criteria):
        criteria = load_criteria(criteria)
    check_scenario(scenario, criteria)
    kinds = _clause_kinds(criteria)
    report = evaluate(scenario.dataset, criteria)
    result = ScenarioResult(scenario, report=report)
    for e in scenario.expect:
        actual, summary = _actual(report, e, kinds)
        if actual is not e.status:
            result.mismatches.append(
                Mismatch(e.entity, e.clause or OVERALL, e.status, actual, summary))
    return result


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files named by ``paths``: files as given, directories searched for YAML.

    Raises:
        ScenarioError: a path does not exist, or no scenario file is found.
    """
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml")
                                and f.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise ScenarioError(f"no such file or directory: {p}", path=str(p))
    if not files:
        raise ScenarioError("no scenario files (*.yaml, *.yml) found",
                            path=", ".join(str(p) for p in paths))
    return files


def _say(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:  # a terminal that cannot show ✓/✗ or Chinese
        out = sys.stdout
        encoding = getattr(out, "encoding", None) or "ascii"
        print(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))


def run_cli(paths: list[str], criteria_dir: str | None) -> int:
    """Run scenario files for ``qstrong test`` and print one line per case.

    Every file is read and checked before any case runs, so an invalid file stops the
    run with an error instead of a partial result.

    Args:
        paths: scenario files or directories.
        criteria_dir: criteria directory, or None for the packaged criteria.

    Returns:
        0 when every case passes, 1 when any case fails.

    Raises:
        ScenarioError: an invalid scenario file (the CLI exits with status 2).
        CriteriaError: invalid criteria files.
    """
    criteria = load_criteria(criteria_dir)
    scenarios = [s for f in scenario_files(paths) for s in load_scenarios(f, criteria=criteria)]
    passed = failed = 0
    for scenario in scenarios:
        result = run_scenario(scenario, criteria)
        if result.ok:
            passed += 1
            _say(f"✓ {scenario.name}")
            continue
        failed += 1
        _say(f"✗ {scenario.name}  ({scenario.file}:{scenario.line})")
        for line in result.diff_lines():
            _say(f"  {line}")
    _say(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
