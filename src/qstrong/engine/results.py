"""The evaluation `Report`: per-candidate results, the county verdict, and their JSON form."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar, Literal, TextIO

from qstrong.core.collector import collector_paused
from qstrong.core.errors import Diagnostic
from qstrong.core.jsontext import compact_bytes, dumps_compact, dumps_indented, indented_bytes
from qstrong.core.logic import Status
from qstrong.core.messages import render
from qstrong.core.version import VERSION
from qstrong.core.vocab import KINDS
from qstrong.engine.blocking import blocking_leaves
from qstrong.engine.clause import ClauseResult
from qstrong.engine.explanation import ParamUse
from qstrong.engine.verdict_runtime import CODE_OF_STATUS

if TYPE_CHECKING:
    from rich.console import Group
    from rich.tree import Tree

    from qstrong.data.models import Dataset
    from qstrong.engine.ruleset import Criteria

QSTRONG_VERSION = VERSION
"""The version of qstrong that made a report."""

__all__ = ["QSTRONG_VERSION", "CountyResult", "EntityResult", "MemberOnly", "MissingItem", "Report",
           "StatusTable"]



@dataclass
class EntityResult:
    """One candidate's verdict and its explanation tree (top-level clauses)."""

    kind: str
    id: str
    name: str
    status: Status
    clauses: list[ClauseResult]
    focus: tuple[str, ...] = ()
    """二(二)'s focus of an industry (``featured`` …): shown, never judged."""

    _program: ClassVar[Any] = None
    """The compiled kind whose status codes a result of the verdict program holds (set on
    each `qstrong.engine.verdict.VerdictEntity`); None for a result made otherwise, whose
    statuses are read off its clause trees."""

    def _repr_html_(self) -> str:
        import qstrong.report.display as display

        return display.entity_html(self)

    def __rich__(self) -> Tree:
        import qstrong.report.display as display

        return display.entity_rich(self)

    def nodes(self) -> list[ClauseResult]:
        """Every explanation node of this candidate, depth first."""
        return [n for c in self.clauses for n in c.walk()]

    def clause_trees(self, *, keep: bool = True) -> list[ClauseResult]:
        """The clause trees; with ``keep=False`` a writer that reads each candidate once
        (text, HTML, Parquet) lets an explanation made for it go afterwards, and may get
        nodes shared with other candidates who gave the same values: to read, never to
        change."""
        return self.clauses

    def statuses(self) -> dict[str, Status]:
        """Every clause node's status by clause id (nodes that did not run are absent)."""
        return {n.id: n.status for n in self.nodes()}

    def top_statuses(self) -> dict[str, Status]:
        """Each top-level clause's status by clause id, in order (of a result of the verdict
        program, read off its codes: no explanation is made for it)."""
        return {c.id: c.status for c in self.clauses}

    def clause(self, clause_id: str) -> ClauseResult:
        """The node with this clause id (KeyError if there is none)."""
        for node in self.nodes():
            if node.id == clause_id:
                return node
        raise KeyError(clause_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's candidate object (an explanation not read before is made for
        it and not kept)."""
        return self._object([c.to_dict() for c in self.clause_trees(keep=False)])

    def json_object(self) -> dict[str, Any]:
        """`to_dict`'s object for a writer that reads each candidate once: parts of it may
        be shared with other candidates' objects, so it is to be written, never changed."""
        return self.to_dict()

    def _object(self, clauses: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            **({"focus": list(self.focus)} if self.focus else {}),
            "clauses": clauses,
        }


@dataclass(frozen=True, eq=False)
class StatusTable:
    """Every clause node's status of one kind's candidates, a row per candidate aligned with
    `clause_ids` (`Report.status_table`): what an analyst puts in a DataFrame, and the form
    a province's statuses cost least to read in (a tuple per candidate, not a dict, and no
    result object).

    ``rows[i][j]`` is the status of clause ``clause_ids[j]`` for the candidate ``ids[i]``,
    whose verdict is ``verdicts[i]``: None where the node did not run (under a clause that
    did not apply), as `EntityResult.statuses` leaves it out. Rows are in report order,
    which is the order of the kind's rated candidates in the dataset."""

    kind: str
    clause_ids: tuple[str, ...]
    """The kind's clause ids in pre-order (a clause, then its sub-clauses)."""
    verdicts: list[Status]
    rows: list[tuple[Status | None, ...]]
    _ids_of: Callable[[], list[str]] = field(repr=False)

    @cached_property
    def ids(self) -> list[str]:
        """The candidates' ids, in report order: read off their models when first asked for
        (reading a province's models again costs about as much as making its rows)."""
        return self._ids_of()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StatusTable):
            return NotImplemented
        return ((self.kind, self.clause_ids, self.verdicts, self.rows, self.ids)
                == (other.kind, other.clause_ids, other.verdicts, other.rows, other.ids))

    __hash__ = None  # type: ignore[assignment]  # holds lists


@dataclass(frozen=True)
class MissingItem:
    """One missing value that leaves a verdict unknown (see `Report.missing`)."""

    kind: str
    entity_id: str
    clause_id: str
    path: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class MemberOnly:
    """An enterprise listed only as an industry member (``candidate: false``): not rated."""

    id: str
    name: str
    industry: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "industry": self.industry}


@dataclass
class CountyResult:
    """The county verdict: the target clauses and how many candidates of each kind are strong."""

    code: str
    name: str
    status: Status
    clauses: list[ClauseResult]
    strong: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def _repr_html_(self) -> str:
        import qstrong.report.display as display

        return display.county_html(self)

    def __rich__(self) -> Tree:
        import qstrong.report.display as display

        return display.county_rich(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "status": self.status.value,
            "strong": {k: list(v) for k, v in self.strong.items()},
            "counts": self.counts,
            "clauses": [c.to_dict() for c in self.clauses],
        }


def _is_binary(out: Any) -> bool:
    """Whether a stream takes bytes (a file opened ``"wb"``, `io.BytesIO`, a socket's file)."""
    return isinstance(out, io.RawIOBase | io.BufferedIOBase) or (
        not isinstance(out, io.TextIOBase) and "b" in str(getattr(out, "mode", "")))


def _writer(out: Any) -> tuple[bool, Callable[[Any], Any], Callable[[str], Any]]:
    """Whether the stream takes bytes, its ``write``, and how a piece of text becomes what
    it takes."""
    if _is_binary(out):
        return True, out.write, lambda text: text.encode("utf-8")
    return False, out.write, lambda text: text


class CountyExplainedOnRead(CountyResult):
    """The county's result whose explanation trees are made when `clauses` is first read,
    as each candidate's are: the county's count over ``strong`` explained lists every
    candidate it counted, which a caller reading only verdicts never looks at. Its
    ``strong`` ids, where ``strong_of`` is given, are also read when first asked for:
    each is read off its candidate's model, which a province's verdicts would otherwise
    touch again (the counts are the verdict codes counted, at once)."""

    def __init__(self, explain: Callable[[], list[ClauseResult]] | None = None,
                 strong_of: Callable[[], dict[str, list[str]]] | None = None,
                 **fields: Any) -> None:
        # ``clauses`` or ``strong`` given (as `dataclasses.replace` gives them): those stand.
        super().__init__(**{"clauses": [], **fields})
        self._explain: Callable[[], list[ClauseResult]] | None = (
            None if fields.get("clauses") else explain)
        self._strong_of = None if "strong" in fields else strong_of

    @property  # a field of `CountyResult`, read when first asked for
    def strong(self) -> dict[str, list[str]]:
        """The ids of each kind's candidates that pass, in report order."""
        if self._strong_of is not None:
            self._strong, self._strong_of = self._strong_of(), None
        return self._strong

    @strong.setter
    def strong(self, value: dict[str, list[str]]) -> None:
        self._strong = value
        self._strong_of = None  # what was set stands

    def __getstate__(self) -> dict[str, Any]:
        """A copy or a pickle holds the ``strong`` ids, not the function that reads them (a
        closure over the run, which does not pickle): they are read first if need be, so a
        verdict-path county pickles as it did when they were read at once."""
        state = dict(self.__dict__)
        state.update(_strong=self.strong, _strong_of=None)
        return state

    @property
    def clauses(self) -> list[ClauseResult]:
        """The target clauses, explained (made on first read and kept)."""
        if self._explain is not None:
            self._clauses, self._explain = self._explain(), None
        return self._clauses

    @clauses.setter
    def clauses(self, value: list[ClauseResult]) -> None:
        self._clauses = value
        self._explain = None  # what was set stands


def _counts_of_entities(entities: list[EntityResult]
                        ) -> tuple[dict[str, list[str]], dict[str, dict[str, int]]]:
    """The county's ``strong`` ids and status counts of each kind, from the results."""
    # Each kind's statuses in a list, counted by identity (a `Status` hashes in Python code,
    # which a province's candidates would each pay).
    by_kind: dict[str, list[Status]] = {k: [] for k in KINDS}
    strong: dict[str, list[str]] = {k: [] for k in KINDS}
    passed = Status.PASS
    for e in entities:
        status = e.status
        by_kind[e.kind].append(status)
        if status is passed:
            strong[e.kind].append(e.id)
    counts = {k: {s.value: by_kind[k].count(s) for s in _COUNTED} for k in KINDS}
    return strong, counts


def _counts_of_runs(runs: list[Any]) -> dict[str, dict[str, int]]:
    """The status counts of `_counts_of_entities` from each kind's verdict codes (`KindRun`),
    without its results."""
    codes: dict[str, list[int]] = {k: [] for k in KINDS}
    for run in runs:
        codes[run.kind] += run.verdicts
    return {k: {s.value: codes[k].count(CODE_OF_STATUS[s]) for s in _COUNTED} for k in KINDS}


def _strong_of_runs(runs: list[Any]) -> dict[str, list[str]]:
    """The ``strong`` ids of `_counts_of_entities` from each kind's verdict codes."""
    strong: dict[str, list[str]] = {k: [] for k in KINDS}
    for run in runs:
        strong[run.kind] += run.strong_ids()
    return strong


_COUNTED = tuple(s for s in Status if s is not Status.NOT_APPLICABLE)
"""The statuses the county's counts hold (a verdict is never "not applicable")."""


class Report:
    """Everything one evaluation found; `to_dict`/`to_json` give the JSON contract."""

    def __init__(
        self,
        *,
        dataset: Dataset,
        criteria: Criteria,
        entities: list[EntityResult] | None = None,
        county_status: Status,
        county_clauses: list[ClauseResult],
        params: list[ParamUse],
        explained: bool = True,
        warnings: list[Diagnostic] | None = None,
        explain_county: Callable[[], list[ClauseResult]] | None = None,
        runs: list[Any] | None = None,
    ) -> None:
        self.dataset = dataset
        self.explained = explained
        self.source_cells: Any = None
        """For a workbook or CSV folder, the cell every value was read from
        (`qstrong.io.where.load_dataset_cells`), when whoever loaded it kept them: the
        to-do list then names the cell to fill in."""
        """False for a report of the verdict path (``evaluate(..., explain=False)``): its
        clause nodes are `ClauseStatus`, statuses without explanations."""
        self.criteria = criteria
        # The results: given, or each kind's `KindRun` of the verdict program, whose
        # results are made when `entities` is first read.
        self._entities = entities
        self._runs = runs if entities is None else None
        self.params = params
        self._members_only: list[MemberOnly] | None = None
        self._warnings = warnings
        fields: dict[str, Any] = {"code": dataset.county.code, "name": dataset.county.name,
                                  "status": county_status}
        runs_made = self._runs
        if runs_made is not None:
            # The counts from the verdict codes; the ids of the strong when first read.
            self.county: CountyResult = CountyExplainedOnRead(
                explain_county, lambda: _strong_of_runs(runs_made),
                counts=_counts_of_runs(runs_made),
                **fields, **({"clauses": county_clauses} if explain_county is None else {}))
        else:
            fields["strong"], fields["counts"] = _counts_of_entities(entities or [])
            self.county = (CountyResult(clauses=county_clauses, **fields)
                           if explain_county is None
                           else CountyExplainedOnRead(explain_county, **fields))

    @property
    def entities(self) -> list[EntityResult]:
        """Every candidate's result, in report order (districts, industries, enterprises)."""
        entities = self._entities
        if entities is None:
            with collector_paused():  # a province's results: no cycles to look for
                entities = [e for run in self._runs or () for e in run.entities()]
            self._entities = entities
        return entities

    @entities.setter
    def entities(self, value: list[EntityResult]) -> None:
        self._entities, self._runs = value, None  # what was set stands

    def status_table(self, kind: str) -> StatusTable:
        """Every clause status of one kind's candidates as a table: a row per candidate,
        a column per clause id (see `StatusTable`), for instance
        ``pandas.DataFrame(t.rows, columns=t.clause_ids, index=t.ids)``. Read off the
        verdict program's codes where the report's results were not made or set: the
        cheapest way to read a province's statuses.

        Raises:
            ValueError: ``kind`` is not ``district``, ``industry`` or ``enterprise``.
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        for run in self._runs or ():
            if run.kind == kind:
                with collector_paused():  # a row per candidate: no cycles to look for
                    table: StatusTable = run.status_table()
                return table
        entities = [e for e in self.entities if e.kind == kind]
        kp = self.criteria.program().kinds.get(kind)
        ids: tuple[str, ...] = () if kp is None else kp.ids
        if kp is not None and all(e._program is kp for e in entities):
            # All the verdict program's results (`VerdictEntity`): their codes.
            codes = [e._codes for e in entities]  # type: ignore[attr-defined]
            rows: list[tuple[Status | None, ...]] = kp.rows(codes)
        else:  # results made otherwise: their statuses, by id
            rows = [tuple(map(e.statuses().get, ids)) for e in entities]
        return StatusTable(kind, ids, [e.status for e in entities], rows,
                           lambda: [e.id for e in entities])

    @property
    def members_only(self) -> list[MemberOnly]:
        """Enterprises listed only as industry members: not rated, listed apart (found
        when first read)."""
        if self._members_only is None:
            self._members_only = [MemberOnly(e.id, e.name, e.industry)
                                  for e in self.dataset.enterprises if not e.candidate]
        return self._members_only

    @property
    def warnings(self) -> list[Diagnostic]:
        """What looks wrong in the data but may be right: shown by every report (looked for
        when first read: the verdict path of a province need not scan its incidents)."""
        if self._warnings is None:
            self._warnings = [Diagnostic(code, message, loc=loc)
                              for code, loc, message in self.dataset.warnings()]
        return self._warnings

    @property
    def status(self) -> Status:
        """The county verdict."""
        return self.county.status

    def entity(self, entity_id: str, kind: str | None = None) -> EntityResult:
        """The result of one candidate by id (and kind, when ids repeat across kinds)."""
        for e in self.entities:
            if e.id == entity_id and (kind is None or e.kind == kind):
                return e
        raise KeyError(entity_id)

    def near_misses(self, max_clauses: int = 1) -> list[EntityResult]:
        """Candidates that do not pass but would with at most ``max_clauses`` leaf clauses
        changed (by the walker advice uses), fewest first, then in report order."""
        found = [(len(leaves), i, e) for i, e in enumerate(self.entities)
                 if e.status is not Status.PASS
                 and 0 < len(leaves := blocking_leaves(e.clauses)) <= max_clauses]
        return [e for _, _, e in sorted(found, key=lambda t: (t[0], t[1]))]

    def missing(self) -> list[MissingItem]:
        """Every missing value that leaves a verdict unknown, one per candidate and path,
        in report order, with the name the explanation gives it (the county's last)."""
        out: list[MissingItem] = []
        groups = [(e.kind, e.id, e.clauses) for e in self.entities]
        groups.append(("county", self.county.code, self.county.clauses))
        for kind, entity_id, clauses in groups:
            seen: set[str] = set()
            for leaf in blocking_leaves(clauses):
                if leaf.status is not Status.UNKNOWN:
                    continue
                for path in leaf.missing:
                    if path not in seen:
                        seen.add(path)
                        out.append(MissingItem(kind, entity_id, leaf.id, path,
                                               leaf.missing_label(path),
                                               leaf.missing_label(path, "en")))
        return out

    def to_records(self, lang: str = "zh", *,
                   include_county: bool = False) -> list[dict[str, Any]]:
        """One flat row per candidate × clause node, for pandas (see `qstrong.report.records`)."""
        import qstrong.report.display as display

        records: list[dict[str, Any]] = display.report_records(self, lang, include_county)
        return records

    def _repr_html_(self) -> str:
        import qstrong.report.display as display

        return display.report_html(self)

    def __rich__(self) -> Group:
        import qstrong.report.display as display

        return display.report_rich(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: entities, county, criteria (version, sha256), assessment, params."""
        head, tail = self._head_and_tail()
        return {**head, "entities": [e.to_dict() for e in self.entities], **tail}

    def to_frame(self, level: Literal["entity", "clause", "node", "missing"] = "entity",
                 lang: str = "zh") -> Any:
        """A pandas DataFrame of the report (the ``pandas`` extra); see `qstrong.report.frame`."""
        import qstrong.report.display as display

        return display.report_frame(self, level, lang)

    def to_json(self, indent: int | None = 2) -> str:
        """Deterministic JSON (same inputs, same bytes), UTF-8 text with Chinese kept readable."""
        if indent != 2:
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def _head_and_tail(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The JSON contract's keys before ``entities`` and after it, in order."""
        head = {
            "assessment": {
                "date": self.dataset.assessment.date.isoformat(),
                "county": {"code": self.dataset.county.code, "name": self.dataset.county.name},
            },
            "qstrong": QSTRONG_VERSION,
            "criteria": {"version": self.criteria.version, "sha256": self.criteria.sha256,
                         "modified": self.criteria.modified},
            "params": [p.to_dict() for p in self.params],
        }
        tail = {
            **({"members_only": [m.to_dict() for m in self.members_only]}
               if self.members_only else {}),
            **({"warnings": [{"code": w.code, "path": w.path,
                              "message": render(w.message, "zh"),
                              "message_en": render(w.message, "en")}
                             for w in self.warnings]} if self.warnings else {}),
            "county": self.county.to_dict(),
        }
        return head, tail

    def write_json(self, out: TextIO | BinaryIO,
                   progress: Callable[[int, int], None] | None = None) -> None:
        """Write `to_json`'s text to ``out`` one candidate at a time, so that a province's
        report is never held whole in memory (the same bytes as `to_json`); ``progress``
        is called as ``progress(done, total)`` after each candidate. ``out`` is a text
        stream, or a binary one (a file opened ``"wb"``), which gets the UTF-8 bytes."""
        binary, write, encode = _writer(out)
        indented = indented_bytes if binary else dumps_indented
        head, tail = self._head_and_tail()
        text = json.dumps(head, ensure_ascii=False, indent=2)
        write(encode(text[:-2]))  # without the closing "\n}"
        write(encode(',\n  "entities": [' if self.entities else ',\n  "entities": []'))
        first, between = encode("\n    "), encode(",\n    ")
        total = len(self.entities)
        for done, entity in enumerate(self.entities, start=1):
            write(first if done == 1 else between)
            write(indented(entity.json_object(), 4))
            if progress is not None:
                progress(done, total)
        if self.entities:
            write(encode("\n  ]"))
        rest = json.dumps(tail, ensure_ascii=False, indent=2)
        write(encode(",\n" + rest[2:] + "\n"))

    def write_jsonl(self, out: TextIO | BinaryIO,
                    progress: Callable[[int, int], None] | None = None) -> None:
        """JSON Lines: one line per candidate (its object of the JSON contract), then one line
        ``{"county": …}``; compact, written as it goes. ``out`` is a text stream, or a binary
        one, which gets the UTF-8 bytes."""
        binary, write, encode = _writer(out)
        line = compact_bytes if binary else dumps_compact
        end = encode("\n")
        total = len(self.entities)
        for done, entity in enumerate(self.entities, start=1):
            write(line(entity.json_object()))
            write(end)
            if progress is not None:
                progress(done, total)
        write(line({"county": self.county.to_dict()}))
        write(end)
