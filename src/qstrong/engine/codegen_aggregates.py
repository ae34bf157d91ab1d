"""Generated source for aggregates (share, count, sum, any, all, none): statements written in
the function that reads the aggregate, a plain loop over the members that counts truth codes.

The counting rules are the explaining evaluator's (`qstrong.engine.aggregates`): unknown
members make `Bounds`, members whose belonging is uncertain go through the same
`uncertain_population`, an empty ``all`` is unknown unless the rule says ``empty = ...``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from qstrong.engine.operations import window_cap
from qstrong.lang import nodes as n
from qstrong.lang.rule_types import Ty
from qstrong.lang.scopes import Frame, Scope, year_record

__all__ = ["FunctionReads", "SourceWriter", "Unsupported", "aggregate_source", "dict_of"]


class Unsupported(Exception):
    """A construct the generator does not emit (the clause then runs its closure)."""


def dict_of(var: str) -> str:
    """The local holding a frame variable's ``__dict__`` (``f1`` → ``d1``)."""
    return "d" + var[1:]


@dataclass
class FunctionReads:
    """How one generated function reads its records' fields: from their ``__dict__``.

    pydantic's ``BaseModel`` defines ``__getattr__``, which takes every attribute read of
    a model off CPython's fast path (several times dearer than a dict lookup), so a frame
    variable whose fields are read gets its ``__dict__`` once (``d0 = f0.__dict__``), and a
    sub-record of a parameter (``food_spot_check_pass_rate`` of the candidate) gets its
    ``__dict__`` once at the top, or, where it is missing, a constant dict of its fields
    each None (so each of its fields reads as missing without a test of its own); an
    aggregate, written in the same function, reads the same locals, and its member's dict
    once per member (``d1 = f1.__dict__``). Every field the generator reads this way is a
    model field, which pydantic always keeps in ``__dict__``.

    Lines that read only the run's values (``R``: a window fixed for the run) are kept
    apart (`invariant`): the loop over a kind's candidates runs them once, before it."""

    params: tuple[str, ...]
    """The frame variables the function takes (its sub-records may be read at the top)."""
    dicts: set[str] = field(default_factory=set)
    """Frame variables read through their ``__dict__``."""
    nested: dict[tuple[str, str], str] = field(default_factory=dict)
    """(parameter, field of a record type) → the local holding that record's ``__dict__``."""
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each `nested` local → the names of its record's fields (its missing record's keys)."""
    invariant: list[str] = field(default_factory=list)
    """Statements that read only ``R`` (the same for every candidate of a run), unindented."""

    def passed(self) -> list[str]:
        """The parameters whose dicts the function reads."""
        return [v for v in self.params if v in self.dicts]

    def prelude(self, indent: str, missing_record: Callable[[tuple[str, ...]], str]
                ) -> list[str]:
        """The lines that make the parameters' locals, at the top of the function;
        ``missing_record(fields)`` names the constant dict, each field None, that stands
        for a sub-record that is missing."""
        lines = [f"{indent}{dict_of(v)} = {v}.__dict__" for v in self.passed()]
        for (var, name), local in self.nested.items():
            empty = missing_record(self.fields[local])
            lines.append(f"{indent}{local} = {empty} if ({local} := {dict_of(var)}[{name!r}]) "
                         f"is None else {local}.__dict__")
        return lines

    def saved(self) -> tuple[set[str], dict[tuple[str, str], str], int]:
        """What `restore` puts back: the reads as they are now."""
        return set(self.dicts), dict(self.nested), len(self.invariant)

    def restore(self, saved: tuple[set[str], dict[tuple[str, str], str], int]) -> None:
        """The reads as `saved` took them (a clause that falls back to its closure)."""
        self.dicts, self.nested = set(saved[0]), dict(saved[1])
        del self.invariant[saved[2]:]


class SourceWriter(Protocol):
    """What writing an aggregate needs of the program writer (`qstrong.engine.codegen`)."""

    pending: list[str]
    """Statements the expression being written needs before it (an aggregate's), unindented;
    the writer places them before the statement that holds the expression."""
    year_frames: set[str]
    """Frame variables of aggregates over years: their ``year`` and ``value`` are locals."""
    windows: list[tuple[str, Any, str]]
    """Windows whose length is fixed for a run (a literal or a parameter), computed once per
    run by the `Runtime`: (``literal`` or ``param``, the value or parameter index, unit)."""

    reads: FunctionReads
    """The reads of the function being written (`FunctionReads`)."""

    def fresh(self, prefix: str = "v") -> str: ...

    def const(self, value: Any, shown: str | None = None) -> str: ...

    def truth(self, node: n.Node, scope: Scope, fv: tuple[str, ...]) -> str: ...

    def value(self, node: n.Node, scope: Scope, fv: tuple[str, ...]) -> tuple[str, str, Ty]: ...


_EMPTY = {"pass": 2, "fail": 0, "unknown": 1}


def aggregate_source(gen: SourceWriter, node: n.Aggregate, scope: Scope,
                     fv: tuple[str, ...]) -> tuple[str, str, Ty]:
    """Write one aggregate as statements in the function that reads it (`SourceWriter.pending`,
    placed before the statement whose expression uses it); returns the local holding its
    value, the value's shape and type.

    Written in place rather than as a helper function: a province calls each aggregate once
    per candidate, and the call, its arguments and its frame cost about a third of what a
    small aggregate costs. Its locals carry its number (``c7``, ``passed7``, ``g7`` for its
    value), so an aggregate nested in another's condition, written inside the other's loop,
    keeps its own; a helper's early ``return`` is a ``break`` out of the member loop with
    the loop's ``else`` for the end, and a test before the loop opens an ``else`` block."""
    number = gen.fresh("g")[1:]
    out = _Block()
    shape, ty = _write(gen, node, scope, fv, number, out)
    gen.pending.extend(out.lines)
    return f"g{number}", shape, ty


class _Block:
    """Lines written at a growing indent: `exit_if` writes the result for a test that ends
    the aggregate early and goes on in its ``else``."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.indent = ""

    def add(self, *lines: str) -> None:
        self.lines.extend(self.indent + line for line in lines)

    def exit_if(self, test: str, *result_lines: str) -> None:
        self.add(f"if {test}:", *(f"    {line}" for line in result_lines), "else:")
        self.indent += "    "


def _write(gen: SourceWriter, node: n.Aggregate, scope: Scope, fv: tuple[str, ...],
           k: str, out: _Block) -> tuple[str, Ty]:
    func = node.func
    if func not in ("share", "count", "sum", "any", "all", "none"):
        raise Unsupported(f"aggregate {func!r}")
    coll_src, coll_shape, coll_ty = gen.value(node.collection, scope, fv)
    if coll_shape != "plain":
        raise Unsupported("a collection that is not a plain value")
    if coll_ty.kind == "yearmap" and coll_ty.item is not None:
        is_years = True
        record = year_record(coll_ty.item)
    elif coll_ty.kind == "list" and coll_ty.item is not None and coll_ty.item.record:
        is_years = False
        record = coll_ty.item.record
    else:
        raise Unsupported("an aggregate over something that is not a list")
    inner = scope.push(Frame(record, n.unparse(node.collection)))
    var = f"f{len(fv)}"
    numeric = func in ("share", "count", "sum")
    g, c, t = f"g{k}", f"c{k}", f"t{k}"
    miss = f"{g} = {'_MISSING' if numeric else '1'}"
    # What is asked of each member is written first: its statements (an aggregate nested in
    # it) go inside the member loop, and whether it reads the member's dict is then known.
    member_lines, where, value_src, value_ty, reads_member = _member(gen, node, func, inner,
                                                                     (*fv, var), is_years)
    if node.window is not None and not is_years:
        reads_member = True  # its date is read before anything else
    out.add(f"{c} = {coll_src}")
    out.exit_if(f"{c} is None", miss)
    # Only a virtual field (``members`` …) can give members whose belonging is unknown.
    virtual = not is_years and "R.v_" in coll_src
    uncertain = virtual and func in ("share", "count")
    maybe = f"maybe{k}"
    passed, unknown, total = f"passed{k}", f"unknown{k}", f"total{k}"
    fast_count = (uncertain and where == f"R.vc(id({var}), 1)" and not member_lines
                  and node.window is None)
    if fast_count:
        # The county's count of the candidates rated strong: their verdicts looked up and
        # counted in C (an unrated one, None, is unknown), where every member is known to
        # belong; the loop below where some may not.
        out.exit_if(f"type({c}) is not _UncertainMembers",
                    f"{t} = list(map(R.vc, map(id, {c})))",
                    f"{total} = len({t})",
                    f"{passed} = {t}.count(2)",
                    f"{unknown} = {total} - {passed} - {t}.count(0)",
                    *_result(func, k))
        out.add(f"{maybe} = {{id(x) for x in {c}.maybe}}", f"{c} = (*{c}.sure, *{c}.maybe)")
    elif uncertain:
        out.add(f"if type({c}) is _UncertainMembers:",
                f"    {maybe} = {{id(x) for x in {c}.maybe}}",
                f"    {c} = (*{c}.sure, *{c}.maybe)",
                "else:",
                f"    {maybe} = None")
    elif virtual:
        out.exit_if(f"type({c}) is _UncertainMembers", miss)
    start, end, years = f"start{k}", f"end{k}", f"years{k}"
    if node.window is not None:
        _window(gen, node.window, scope, fv, (f"w{k}", start, end, years), miss, out)
    decides = _DECIDES.get(func) if not uncertain else None
    # A windowed list skips the members dated outside it: an ``all`` over it counts the
    # members it looked at, to know whether there were any.
    skips = node.window is not None and not is_years
    iterated = (years if node.window is not None else c) if is_years or not skips else None
    if decides is None:
        out.add(f"{passed} = {unknown} = {total} = 0")
    else:
        out.add(_undecided(func, node.empty, k, iterated))
        if func == "all" and iterated is None:
            out.add(f"{total} = 0")
    lo, hi, unbounded = f"lo{k}", f"hi{k}", f"unbounded{k}"
    if func == "sum":
        out.add(f"{lo} = {hi} = 0", f"{unbounded} = False")
    counts = [f"{maybe}_{word}" for word in ("pass", "unknown", "fail")]
    if uncertain:
        out.add(" = ".join([*counts, "0"]))
    if is_years:
        item_kind = coll_ty.item.kind if coll_ty.item is not None else ""
        get = f"{c}.get({var}_year)"
        if item_kind in ("number", "amount", "points"):
            get = f"_ex({get})"
        out.add(f"for {var}_year in {years if node.window is not None else f'sorted({c})'}:",
                f"    {var}_value = {get}")
    else:
        out.add(f"for {var} in {c}:")
        if reads_member:
            out.add(f"    {dict_of(var)} = {var}.__dict__")
        if node.window is not None:
            out.add(f"    date{k} = {dict_of(var)}['date']",
                    f"    if date{k} is None or not {start} <= date{k} <= {end}:",
                    "        continue")
    out.add(*("    " + line for line in member_lines), f"    {t} = {where}")
    if func == "sum":
        v = f"v{k}"
        out.add(f"    if {t}:",
                f"        {v} = {value_src}",
                f"        if {v} is None:",
                f"            {unbounded} = True",
                f"            if {t} == 2:",
                f"                {t} = 1",
                "        else:",
                f"            {hi} += {v}",
                f"            if {t} == 2:",
                f"                {lo} += {v}")
    if uncertain:
        out.add(f"    if {maybe} is not None and id({var}) in {maybe}:",
                f"        if {t} == 2:",
                f"            {counts[0]} += 1",
                f"        elif {t} == 1:",
                f"            {counts[1]} += 1",
                "        else:",
                f"            {counts[2]} += 1",
                "        continue")
    if decides is not None:  # any, all, none: the first member that decides ends it
        code, result = decides
        counted = func == "all" and iterated is None
        out.add(f"    if {t} == {code}:",
                f"        {g} = {result}",
                "        break",
                *([f"    {total} += 1"] if counted else []),
                f"    if {t} == 1:",  # unknown, unless a later member decides
                f"        {g} = 1")
        if counted:
            out.add("else:",
                    f"    if {total} == 0:",
                    f"        {g} = {_empty_code(node.empty)}")
        return "truth", Ty("bool")
    out.add(f"    {total} += 1",
            f"    if {t} == 2:",
            f"        {passed} += 1",
            f"    elif {t} == 1:",
            f"        {unknown} += 1")
    if uncertain:
        out.exit_if(f"{maybe} is not None",
                    f"{g} = _uncertain({func!r}, {passed}, {unknown}, {total}, "
                    f"{', '.join(counts)})")
    out.add(*_result(func, k))
    if func == "share":
        return "general", Ty("percent")
    if func == "count":
        return "general", Ty("count")
    return "general", value_ty  # a sum


def _window(gen: SourceWriter, window: n.Window, scope: Scope, fv: tuple[str, ...],
            names: tuple[str, str, str, str], miss: str, out: _Block) -> None:
    """The lines that make an aggregate's window (``names``: its locals for the window, its
    ``start``, ``end`` and the ``years`` in it), or end the aggregate as missing where its
    length is."""
    unit_word = window.unit
    if unit_word not in ("year", "years", "month", "months", "day", "days"):
        raise Unsupported(f"window unit {unit_word!r}")
    w, start, end, years = names
    if isinstance(window.length, n.Number | n.Param):  # fixed for a run: made once by R
        if isinstance(window.length, n.Number):
            gen.windows.append(("literal", window.length.value, unit_word))
        else:
            gen.windows.append(("param", window.length.name, unit_word))
        # Read once per run (`FunctionReads.invariant`), tested for each candidate.
        gen.reads.invariant += [f"{w} = R.win[{len(gen.windows) - 1}]",
                                f"{start}, {end}, {years} = {w} or (None, None, None)"]
        out.exit_if(f"{w} is None", miss)
        return
    length, length_shape, _ = gen.value(window.length, scope, fv)
    if length_shape != "plain":
        raise Unsupported("a window that may be partly known")
    out.add(f"{w} = {length}")
    out.exit_if(f"{w} is None or not 0 <= {w} <= {window_cap(unit_word)}", miss)
    out.add(f"{start} = _window_start(R.date, int({w}), {unit_word!r})",
            f"{end} = R.date",
            f"{years} = range({start}.year + 1, {end}.year + 1)")


def _member(gen: SourceWriter, node: n.Aggregate, func: str, inner: Scope,
            inner_fv: tuple[str, ...], is_years: bool
            ) -> tuple[list[str], str, str, Ty, bool]:
    """What is asked of each member: the statements it needs first (an aggregate nested in
    its condition), the source of its truth code (``where``) and, for a sum, of its value and
    the value's type, and whether those read the member's ``__dict__``. The member's name
    (``f1``) means the member only here: as a year's locals, as a dict read."""
    var = inner_fv[-1]
    outer_pending, gen.pending = gen.pending, []
    new_year_frame = is_years and var not in gen.year_frames
    if new_year_frame:
        gen.year_frames.add(var)
    gen.reads.dicts.discard(var)
    try:
        where = gen.truth(node.where, inner, inner_fv) if node.where is not None else "2"
        value_src, value_ty = "", Ty("count")
        if func == "sum":
            if node.value is None:
                raise Unsupported("sum without a value")
            value_src, value_shape, value_ty = gen.value(node.value, inner, inner_fv)
            if value_shape != "plain":
                raise Unsupported("a sum of values that may be partly known")
        return gen.pending, where, value_src, value_ty, var in gen.reads.dicts
    finally:
        gen.pending = outer_pending
        gen.reads.dicts.discard(var)
        if new_year_frame:
            gen.year_frames.discard(var)


_DECIDES = {"any": (2, 2), "none": (2, 0), "all": (0, 0)}
"""For a yes/no aggregate: the member's code that decides it, and the result it gives."""


def _undecided(func: str, empty: str | None, k: str, iterated: str | None) -> str:
    """A yes/no aggregate's result before its members are looked at (see `_DECIDES`): what
    it is when none decides it and none is unknown (a member that is sets it to 1). An
    ``all`` over no member is its ``empty`` code; ``iterated`` is what the loop goes over,
    or None where members may be skipped (the loop then counts them)."""
    g = f"g{k}"
    if func == "any":
        return f"{g} = 0"
    if func == "none" or iterated is None:
        return f"{g} = 2"
    return f"{g} = 2 if {iterated} else {_empty_code(empty)}"


def _empty_code(empty: str | None) -> int:
    """The code of an ``all`` over no member: its ``empty`` word's, unknown by default."""
    return _EMPTY[empty] if empty is not None else 1


def _result(func: str, k: str) -> list[str]:
    """The result of a numeric aggregate (``count``, ``share``, ``sum``) from its counts."""
    g, passed, unknown, total = f"g{k}", f"passed{k}", f"unknown{k}", f"total{k}"
    if func == "count":
        return [f"{g} = {passed} if not {unknown} else _Bounds({passed}, {passed} + {unknown})"]
    if func == "share":
        return [f"if {total} == 0:",
                f"    {g} = _MISSING",
                f"elif {unknown}:",
                f"    {g} = _Bounds(_Fraction({passed} * 100, {total}), "
                f"_Fraction(({passed} + {unknown}) * 100, {total}))",
                "else:",
                f"    {g} = _Fraction({passed} * 100, {total})"]
    return [f"if {unknown} or unbounded{k}:",
            f"    {g} = _Bounds(lo{k}, None if unbounded{k} else hi{k})",
            "else:",
            f"    {g} = lo{k}"]
