"""What blocks a pass: the one walker every output uses (advice, Markdown, near misses)."""

from __future__ import annotations

from collections.abc import Iterable

from qstrong.core.logic import Status
from qstrong.engine.clause import ClauseResult

__all__ = ["blocking_leaves", "needed_leaves"]


def needed_leaves(node: ClauseResult) -> tuple[list[ClauseResult], list[str]]:
    """The leaf clauses under ``node`` that must change for it to pass.

    Every failing or unknown child of an ``all`` counts; of an ``any`` only the
    option with the fewest leaves to change (then the fewest failing ones, then
    the first). A clause whose applicability is unknown is a leaf itself.

    Returns:
        The leaves in tree order, and the ids of ``any`` clauses where a choice was made.
    """
    if node.status in (Status.PASS, Status.NOT_APPLICABLE):
        return [], []
    if not node.children:
        return [node], []
    if node.combine == "any":
        options = [needed_leaves(c) for c in node.children
                   if c.status not in (Status.PASS, Status.NOT_APPLICABLE)]
        if not options:
            return [node], []
        best = min(options, key=lambda o: (
            len(o[0]), sum(1 for leaf in o[0] if leaf.status is Status.FAIL)))
        return best[0], ([node.id] if len(options) > 1 else []) + best[1]
    leaves: list[ClauseResult] = []
    choices: list[str] = []
    for child in node.children:
        more, chosen = needed_leaves(child)
        leaves.extend(more)
        choices.extend(chosen)
    return leaves, choices


def blocking_leaves(clauses: Iterable[ClauseResult]) -> list[ClauseResult]:
    """What blocks a pass, for every output: the leaves `needed_leaves` keeps under each of
    a candidate's (or the county's) top-level clauses, in tree order."""
    return [leaf for clause in clauses for leaf in needed_leaves(clause)[0]]
