"""Generated functions around a kind's clause body (`qstrong.engine.codegen`): the loop over
the kind's candidates (``run_district`` …) and a candidate's status dict (``statuses_district``
…), written from the same names as the body, so they cannot drift from it."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["run_function", "statuses_function"]


def run_function(kind: str, body: list[str], names: list[str], verdict: str) -> list[str]:
    """The kind's loop: its function's body for each candidate, then its verdict (``verdict``,
    the source of Kleene's "and" of the top-level clauses, one not applying a pass) and the
    result `run_kind` would record, as `run_kind` documents them."""
    return [
        f"def run_{kind}(items, R, verdicts, append, new, cls, kind, kp, has_focus, "
        "explainer, progress, status_of, tup):",
        "    for f0 in items:",
        *("    " + line for line in body),
        f"        _codes = ({', '.join(names)},)",
        f"        _code = {verdict}",
        "        verdicts[id(f0)] = _code",
        "        _fields = f0.__dict__",
        "        _res = new(cls)",
        "        _res.kind, _res.id, _res.name, _res.status = (",
        "            kind, _fields['id'], _fields['name'], status_of[_code])",
        "        _res._program, _res._codes = kp, _codes",
        "        if has_focus and _fields['focus']:",
        "            _res.focus = tup(_fields['focus'])",
        "        if explainer is not None:",
        "            _res._explain = (f0, explainer)",
        "        append(_res)",
        "        if progress is not None:",
        "            progress()",
    ]


def statuses_function(kind: str, names: list[str], run_always: list[bool],
                      id_constant: Callable[[int], str]) -> list[str]:
    """``statuses_<kind>(codes)``: the dict of `VerdictEntity.statuses`, clause id → `Status`
    in pre-order, from a candidate's codes (``names``: the body's status names, then its
    applicability names). A node under a clause that did not apply has no status (None):
    it is left out, so from the first such node on each entry is a statement of its own.

    A dict display of unpacked locals is presized and reads each code by a tuple index:
    about half of what ``dict(zip(ids, map(...)))`` costs per node, and a province reads it
    for each candidate whose statuses are asked (most patterns of codes are met once, so
    a dict kept per pattern and copied cost more than this). The clause ids are constants
    in the namespace (``id_constant(index)`` names them), never spelled in the source."""
    count = len(run_always)
    lines = [f"def statuses_{kind}(codes, S=_STATUS_OF_CODE):",
             *([f"    {', '.join(names)}, = codes"] if names else [])]
    always = next((i for i, ran in enumerate(run_always) if not ran), count)
    entries = ", ".join(f"{id_constant(i)}: S[{names[i]}]" for i in range(always))
    lines.append(f"    d = {{{entries}}}")
    for i in range(always, count):
        entry = f"d[{id_constant(i)}] = S[{names[i]}]"
        lines += ([f"    {entry}"] if run_always[i]
                  else [f"    if {names[i]} is not None:", f"        {entry}"])
    lines.append("    return d")
    return lines
