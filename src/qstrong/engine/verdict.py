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
from qstrong.engine.results import EntityResult
from qstrong.engine.verdict_runtime import STATUS_OF_CODE, Runtime

__all__ = ["CODE_OF_STATUS", "STATUS_OF_CODE", "VerdictEntity", "run_kind", "tree_of"]


CODE_OF_STATUS = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2}
"""A verdict's truth code, as `run_kind` records it for ``strong`` to read."""


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

    Made by `run_kind` alone, which sets its attributes without an ``__init__`` call (a
    province makes one per candidate): ``kind``, ``id``, ``name``, ``status``, ``_program``
    and ``_codes``, and ``focus`` and ``_explain`` where they are not the class defaults.
    (Seven attributes at most for most candidates: on CPython 3.11 an eighth makes every
    instance build its own attribute dict, which cost more than all the others.)"""

    _program: KindProgram
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


def run_kind(kp: KindProgram, items: list[Any], runtime: Runtime,
             verdicts: dict[int, int], entities: list[EntityResult],
             progress: Callable[[], None] | None = None,
             explainer: Callable[[str, Any], list[Any]] | None = None) -> None:
    """Evaluate one kind's candidates, appending their results and recording each verdict's
    truth code (by the identity of the candidate's model object, as ``strong`` reads it)."""
    # A model without the field: no lookup per candidate.
    has_focus = bool(items) and "focus" in type(items[0]).model_fields
    # The loop is generated (`KindProgram.run`): the kind's function's body for each
    # candidate, then its verdict, recorded in ``verdicts`` by the identity of the model
    # object, and its `VerdictEntity`, made without an ``__init__`` call (a province makes
    # one per candidate) with ``kind``, ``id``, ``name``, ``status``, ``_program`` and
    # ``_codes``, and ``focus`` and ``_explain`` where they are not the class defaults.
    kp.run(items, runtime, verdicts, entities.append, object.__new__, VerdictEntity,
           kp.kind, kp, has_focus, explainer, progress, STATUS_OF_CODE, tuple)
