"""Generated functions around a kind's clause body (`qstrong.engine.codegen`): the loop over
the kind's candidates (``run_district`` …), a candidate's status dict (``statuses_district``
…) and the rows of a kind's status table (``rows_district`` …), written from the same names
as the body, so they cannot drift from it."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["passing_prefix", "rows_function", "run_function", "statuses_function"]


def run_function(kind: str, invariant: list[str], body: list[str], names: list[str],
                 verdict: list[str], record: bool) -> list[str]:
    """The kind's loop: its function's lines that read only the run's values first
    (``invariant``), once, then its body for each candidate, then its verdict (``verdict``:
    the statements that set ``_code`` to Kleene's "and" of the top-level clauses, one not
    applying a pass), its
    codes and verdict appended to the kind's lists (`qstrong.engine.verdict.KindRun`: a
    candidate's result object is made from them when the report's results are read). With
    ``record`` (the kind's rules read verdicts), each verdict is also recorded as it is
    taken, by the identity of the candidate's model object, for ``strong`` to read."""
    return [
        f"def run_{kind}(items, R, verdicts, codes_append, verdict_append, progress):",
        *invariant,
        "    for f0 in items:",
        *("    " + line for line in body),
        f"        _codes = ({', '.join(names)},)",
        *("        " + line for line in verdict),
        *(["        verdicts[id(f0)] = _code"] if record else []),
        "        codes_append(_codes)",
        "        verdict_append(_code)",
        "        if progress is not None:",
        "            progress()",
    ]


def statuses_function(kind: str, names: list[str], run_always: list[bool],
                      id_constant: Callable[[int], str], passing: str) -> list[str]:
    """``statuses_<kind>(codes)``: the dict of `VerdictEntity.statuses`, clause id → `Status`
    in pre-order, from a candidate's codes (``names``: the body's status names, then its
    applicability names). A node under a clause that did not apply has no status (None):
    it is left out, so from the first such node on each entry is a statement of its own.

    The nodes before that always have a status: the dict starts as a copy of ``passing``
    (the constant naming their ids, each with `Status.PASS`, in order) and only the codes
    that are not a pass are written into it. Most of a county's clauses pass, and writing
    an entry costs several times what copying it does: in the peer workload this is about
    two thirds of a dict made entry by entry, and under half of
    ``dict(zip(ids, map(...)))``.
    A province reads it for each candidate whose statuses are asked, and most patterns of
    codes are met once, so no dict is kept per pattern. The clause ids are constants in the
    namespace (``id_constant(index)`` names them), never spelled in the source."""
    count = len(run_always)
    lines = [f"def statuses_{kind}(codes, S=_STATUS_OF_CODE, T={passing}):",
             *([f"    {', '.join(names)}, = codes"] if names else []),
             "    d = T.copy()"]
    always = _always_run(run_always)
    for i in range(always):
        lines += [f"    if {names[i]} != 2:", f"        d[{id_constant(i)}] = S[{names[i]}]"]
    for i in range(always, count):
        entry = f"d[{id_constant(i)}] = S[{names[i]}]"
        lines += ([f"    {entry}"] if run_always[i]
                  else [f"    if {names[i]} is not None:", f"        {entry}"])
    lines.append("    return d")
    return lines


def rows_function(kind: str, names: list[str], run_always: list[bool]) -> list[str]:
    """``rows_<kind>(codes)``: the rows of `Report.status_table` from the kind's candidates'
    codes, each the `Status` of every clause node in pre-order (None for a node that did not
    run), in one tuple display.

    A row holds the statuses of `statuses_function`'s dict, without the dict: writing
    twenty entries into a dict costs about three times making a tuple of them, and a
    table of a province's candidates is what an analyst asks for at once."""
    count = len(run_always)
    items = [f"S[{name}]" if ran else f"(None if {name} is None else S[{name}])"
             for name, ran in zip(names[:count], run_always, strict=True)]
    return [f"def rows_{kind}(codes, S=_STATUS_OF_CODE):",
            "    out = []",
            "    append = out.append",
            f"    for {', '.join(names) + ',' if names else '_'} in codes:",
            f"        append(({''.join(item + ', ' for item in items)}))",
            "    return out"]


def passing_prefix(ids: list[str], run_always: list[bool], passed: object) -> dict[str, object]:
    """The dict `statuses_function`'s ``passing`` names: the ids of the nodes before the
    first that may not run, each with ``passed``, in pre-order."""
    return dict.fromkeys(ids[:_always_run(run_always)], passed)


def _always_run(run_always: list[bool]) -> int:
    """How many nodes, from the first, always run (have a status whatever the data)."""
    return next((i for i, ran in enumerate(run_always) if not ran), len(run_always))
