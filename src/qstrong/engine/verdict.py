"""The verdict path: run the generated program (`qstrong.engine.codegen`) over a dataset and
turn its status codes into `ClauseStatus` trees, for every candidate and the county.

The same candidates, in the same order, with the same verdict feeding ``strong`` as the
explaining evaluator (`qstrong.engine.evaluate`); only statuses are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qstrong.core.logic import Status
from qstrong.engine.clause import ClauseStatus
from qstrong.engine.codegen import KindProgram
from qstrong.engine.results import EntityResult, StatusTable
from qstrong.engine.verdict_runtime import CODE_OF_STATUS, STATUS_OF_CODE, Runtime

__all__ = ["CODE_OF_STATUS", "STATUS_OF_CODE", "KindRun", "VerdictEntity", "run_kind",
           "tree_of"]


def tree_of(kp: KindProgram, codes: tuple[Any, ...]) -> list[ClauseStatus]:
    """The clause trees of one candidate from its status codes (pre-order); the children of
    a clause that did not apply, or whose applicability is unknown, are left out, as the
    explaining evaluator leaves them out."""
    count = len(kp.nodes)
    applicability: dict[int, Status] = {}
    for offset, index in enumerate(kp.applies):
        code = codes[count + offset]
        if code is not None:
            applicability[index] = STATUS_OF_CODE[code]
    made: list[ClauseStatus | None] = [None] * count
    top: list[ClauseStatus] = []
    for index, defn in enumerate(kp.nodes):
        code = codes[index]
        if code is None:
            continue
        node = ClauseStatus(defn, STATUS_OF_CODE[code], applicability.get(index), [])
        made[index] = node
        parent = kp.parents[index]
        if parent < 0:
            top.append(node)
        else:
            above = made[parent]
            if above is not None:
                above.children.append(node)
    return top


class VerdictEntity(EntityResult):
    """A candidate's result on the verdict path: its clause trees are made from the status
    codes when first read (most of a province's candidates are only counted).

    Made by `KindRun.entities` alone, which sets its attributes without an ``__init__``
    call (a province makes one per candidate): ``kind``, ``id``, ``name``, ``status``,
    ``_program`` and ``_codes``, and ``focus`` and ``_explain`` where they are not the class
    defaults.
    (Seven attributes at most for most candidates: on CPython 3.11 an eighth makes every
    instance build its own attribute dict, which cost more than all the others.)"""

    # ``_program`` (the `KindProgram`) is declared on `EntityResult`, None there.
    _codes: tuple[Any, ...]

    # Defaults kept on the class: a province makes one of these per candidate, and most
    # of them have no focus, no explainer and no clause trees made.
    _explain: tuple[Any, Callable[[str, Any], list[Any]]] | None = None
    """(the candidate's model object, what explains it) when the report explains."""
    _clauses: list[Any] | None = None

    @property
    def explained(self) -> bool:
        """Whether `clauses` are explanation trees (`ClauseResult`) or statuses only."""
        return self._explain is not None

    def _make_clauses(self) -> list[Any]:
        if self._explain is not None:
            source, explainer = self._explain
            return explainer(self.kind, source)
        return list(tree_of(self._program, self._codes))

    @property
    def clauses(self) -> list[Any]:
        """The clause trees: explained (`ClauseResult`) when the report explains, made on
        first read and kept; otherwise `ClauseStatus` trees."""
        if self._clauses is None:
            self._clauses = self._make_clauses()
        return self._clauses

    @clauses.setter
    def clauses(self, value: list[Any]) -> None:
        self._clauses = value

    def clause_trees(self, *, keep: bool = True) -> list[Any]:
        if keep or self._clauses is not None:
            return self.clauses
        # Read once by a writer: with the nodes other candidates share (`Explainer`).
        if self._explain is not None:
            source, explainer = self._explain
            shared_trees = getattr(explainer, "shared_trees", None)
            if shared_trees is not None:
                trees: list[Any] = shared_trees(self.kind, source)
                return trees
        return self._make_clauses()

    def json_object(self) -> dict[str, Any]:
        # Explained for the writer with the nodes other candidates share (`Explainer`),
        # unless the trees were read, and kept, before.
        if self._clauses is None and self._explain is not None:
            source, explainer = self._explain
            json_clauses = getattr(explainer, "json_clauses", None)
            if json_clauses is not None:
                return self._object(json_clauses(self.kind, source))
        return self.to_dict()

    def statuses(self) -> dict[str, Status]:
        """Every clause node's status by id, read off the codes without building the tree
        (by the kind's generated ``statuses_<kind>``: a new dict for each call)."""
        return self._program.statuses(self._codes)  # type: ignore[no-any-return]

    def top_statuses(self) -> dict[str, Status]:
        # Off the codes, unless trees were made or set (they are what `clauses` gives).
        if self._clauses is not None:
            return super().top_statuses()
        kp, codes = self._program, self._codes
        return {kp.ids[i]: STATUS_OF_CODE[codes[i]]
                for i, parent in enumerate(kp.parents) if parent < 0}


class KindRun:
    """One kind's candidates as the verdict program left them: their models, each one's
    status codes and verdict code, in report order. The report's results (`VerdictEntity`)
    are made from it when first read, and `Report.status_table` reads the codes directly:
    a caller who asks only for verdicts and statuses never pays for a result object per
    candidate."""

    __slots__ = ("codes", "explainer", "items", "kp", "verdicts")

    def __init__(self, kp: KindProgram, items: list[Any],
                 explainer: Callable[[str, Any], list[Any]] | None) -> None:
        self.kp, self.items, self.explainer = kp, items, explainer
        self.codes: list[tuple[Any, ...]] = []
        self.verdicts: list[int] = []
        """Each candidate's verdict as its truth code (0 fail, 1 unknown, 2 pass)."""

    @property
    def kind(self) -> str:
        return self.kp.kind

    def entities(self) -> list[EntityResult]:
        """The candidates' results, made without an ``__init__`` call (a province makes one
        per candidate): ``kind``, ``id``, ``name``, ``status``, ``_program`` and ``_codes``,
        and ``focus`` and ``_explain`` where they are not the class defaults."""
        kp, kind, explainer = self.kp, self.kp.kind, self.explainer
        new, cls, status_of = object.__new__, VerdictEntity, STATUS_OF_CODE
        # A model without the field: no lookup per candidate.
        has_focus = bool(self.items) and "focus" in type(self.items[0]).model_fields
        out: list[EntityResult] = []
        append = out.append
        for model, codes, code in zip(self.items, self.codes, self.verdicts, strict=True):
            fields = model.__dict__
            res = new(cls)
            res.kind, res.id, res.name, res.status = (
                kind, fields["id"], fields["name"], status_of[code])
            # ``_program`` is a class default (None) on `EntityResult`, set on each here.
            res._program, res._codes = kp, codes  # type: ignore[misc]
            if has_focus and fields["focus"]:
                res.focus = tuple(fields["focus"])
            if explainer is not None:
                res._explain = (model, explainer)
            append(res)
        return out

    def record(self, verdicts: dict[int, int]) -> None:
        """Record every verdict in ``verdicts`` by the identity of its candidate's model
        object, as ``strong`` reads it (at once, in C)."""
        verdicts.update(zip(map(id, self.items), self.verdicts, strict=True))

    def ids(self) -> list[str]:
        """The candidates' ids, in order."""
        return [model.__dict__["id"] for model in self.items]

    def strong_ids(self) -> list[str]:
        """The ids of the candidates that pass, in order."""
        return [model.__dict__["id"] for model, code in zip(self.items, self.verdicts, strict=True)
                if code == 2]

    def status_table(self) -> StatusTable:
        """`Report.status_table` of the kind, from the codes."""
        status_of = STATUS_OF_CODE
        return StatusTable(self.kp.kind, self.kp.ids,
                           [status_of[code] for code in self.verdicts],
                           self.kp.rows(self.codes), self.ids)


def run_kind(kp: KindProgram, items: list[Any], runtime: Runtime, verdicts: dict[int, int],
             progress: Callable[[], None] | None = None,
             explainer: Callable[[str, Any], list[Any]] | None = None) -> KindRun:
    """Evaluate one kind's candidates, recording each verdict's truth code (by the identity
    of the candidate's model object, as ``strong`` reads it); their codes and verdicts are
    the `KindRun` returned."""
    run = KindRun(kp, items, explainer)
    # The loop is generated (`KindProgram.run`): the kind's function's body for each
    # candidate, then its verdict, its codes and verdict appended to the run's lists, and
    # the verdict recorded in ``verdicts`` by the identity of the model object: in the
    # loop where the kind's rules read verdicts, after it otherwise.
    kp.run(items, runtime, verdicts, run.codes.append, run.verdicts.append, progress)
    if not kp.reads_verdicts:  # nothing read them while it ran: recorded at once
        run.record(verdicts)
    return run
