"""Generated source for aggregates (share, count, sum, any, all, none): one helper function
per aggregate node, a plain loop over the members that counts truth codes.

The counting rules are the explaining evaluator's (`qstrong.engine.aggregates`): unknown
members make `Bounds`, members whose belonging is uncertain go through the same
`uncertain_population`, an empty ``all`` is unknown unless the rule says ``empty = ...``.
"""

from __future__ import annotations

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
    ``__dict__`` once at the top, or None where it is missing. An aggregate's helper is
    given the ``__dict__`` of the caller's frame variables it reads (``_agg4(f0, R, d0)``),
    not left to read it again. Every field the generator reads this way is a model field,
    which pydantic always keeps in ``__dict__``."""

    params: tuple[str, ...]
    """The frame variables the function takes (its sub-records may be read at the top)."""
    given: bool = False
    """Whether the parameters' dicts are passed in (a helper) or read at the top."""
    dicts: set[str] = field(default_factory=set)
    """Frame variables read through their ``__dict__``."""
    nested: dict[tuple[str, str], str] = field(default_factory=dict)
    """(parameter, field of a record type) → the local holding that record's ``__dict__``."""

    def passed(self) -> list[str]:
        """The parameters whose dicts the function reads (passed in when `given`)."""
        return [v for v in self.params if v in self.dicts]

    def prelude(self, indent: str) -> list[str]:
        """The lines that make the parameters' locals, at the top of the function."""
        lines = [] if self.given else [f"{indent}{dict_of(v)} = {v}.__dict__"
                                       for v in self.passed()]
        for (var, name), local in self.nested.items():
            lines.append(f"{indent}{local} = None if ({local} := {dict_of(var)}[{name!r}]) "
                         f"is None else {local}.__dict__")
        return lines


class SourceWriter(Protocol):
    """What writing an aggregate needs of the program writer (`qstrong.engine.codegen`)."""

    helpers: list[str]
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
    """Write the helper of one aggregate; returns the source of its call, the shape and
    type of its value."""
    # The helper is a function of its own: its reads are its own (see `FunctionReads`),
    # but the caller's frame variables' dicts it reads are the caller's, passed to it.
    outer, gen.reads = gen.reads, FunctionReads(params=fv, given=True)
    try:
        name, shape, ty = _helper(gen, node, scope, fv)
        passed = gen.reads.passed()
    finally:
        gen.reads = outer
    outer.dicts.update(passed)
    args = [*fv, "R", *map(dict_of, passed)]
    return f"{name}({', '.join(args)})", shape, ty


def _helper(gen: SourceWriter, node: n.Aggregate, scope: Scope,
            fv: tuple[str, ...]) -> tuple[str, str, Ty]:
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
    inner_fv = (*fv, var)
    if is_years:
        gen.year_frames.add(var)
    numeric = func in ("share", "count", "sum")
    miss = "_MISSING" if numeric else "1"
    name = gen.fresh("_agg")
    where, value_src, value_ty = _member_sources(gen, node, func, inner, inner_fv)
    reads = gen.reads
    if node.window is not None and not is_years:
        reads.dicts.add(var)  # its date is read before anything else
    # The def line is written last: which dicts the helper is given is known at the end.
    body = [*reads.prelude("    "), f"    c = {coll_src}",
            "    if c is None:", f"        return {miss}"]
    # Only a virtual field (``members`` …) can give members whose belonging is unknown.
    virtual = not is_years and "R.v_" in coll_src
    uncertain = virtual and func in ("share", "count")
    if virtual:
        body += ["    if type(c) is _UncertainMembers:"]
        if uncertain:
            body += ["        maybe = {id(x) for x in c.maybe}",
                     "        c = (*c.sure, *c.maybe)",
                     "    else:",
                     "        maybe = None"]
        else:
            body += [f"        return {miss}"]
    fixed = node.window is not None and isinstance(node.window.length, n.Number | n.Param)
    if node.window is not None:
        unit_word = node.window.unit
        if unit_word not in ("year", "years", "month", "months", "day", "days"):
            raise Unsupported(f"window unit {unit_word!r}")
        if fixed:
            length_node = node.window.length
            if isinstance(length_node, n.Number):
                gen.windows.append(("literal", length_node.value, unit_word))
            elif isinstance(length_node, n.Param):
                gen.windows.append(("param", length_node.name, unit_word))
            body += [f"    w = R.win[{len(gen.windows) - 1}]",
                     "    if w is None:",
                     f"        return {miss}",
                     "    start, end, years = w"]
        else:
            length, length_shape, _ = gen.value(node.window.length, scope, fv)
            if length_shape != "plain":
                raise Unsupported("a window that may be partly known")
            body += [f"    w = {length}",
                     f"    if w is None or not 0 <= w <= {window_cap(unit_word)}:",
                     f"        return {miss}",
                     f"    start = _window_start(R.date, int(w), {unit_word!r})",
                     "    end = R.date",
                     "    years = range(start.year + 1, end.year + 1)"]
    decides = _DECIDES.get(func) if not uncertain else None
    body += ["    passed = unknown = total = 0" if decides is None
             else "    unknown = total = 0" if func == "all" else "    unknown = 0"]
    if func == "sum":
        body += ["    lo = hi = 0", "    unbounded = False"]
    if uncertain:
        body += ["    maybe_pass = maybe_unknown = maybe_fail = 0"]
    if is_years:
        item_kind = coll_ty.item.kind if coll_ty.item is not None else ""
        get = f"c.get({var}_year)"
        if item_kind in ("number", "amount", "points"):
            get = f"_ex({get})"
        body += [f"    for {var}_year in {'years' if node.window is not None else 'sorted(c)'}:",
                 f"        {var}_value = {get}"]
    else:
        body += [f"    for {var} in c:"]
        if var in reads.dicts:
            body += [f"        {dict_of(var)} = {var}.__dict__"]
        if node.window is not None:
            body += [f"        d = {dict_of(var)}['date']",
                     "        if d is None or not start <= d <= end:",
                     "            continue"]
    body += [f"        t = {where}"]
    if func == "sum":
        body += ["        if t:",
                 f"            v = {value_src}",
                 "            if v is None:",
                 "                unbounded = True",
                 "                if t == 2:",
                 "                    t = 1",
                 "            else:",
                 "                hi += v",
                 "                if t == 2:",
                 "                    lo += v"]
    if uncertain:
        body += [f"        if maybe is not None and id({var}) in maybe:",
                 "            if t == 2:",
                 "                maybe_pass += 1",
                 "            elif t == 1:",
                 "                maybe_unknown += 1",
                 "            else:",
                 "                maybe_fail += 1",
                 "            continue"]
    if decides is not None:  # any, all, none: the first member that decides ends it
        code, result = decides
        body += [f"        if t == {code}:",
                 f"            return {result}",
                 *(["        total += 1"] if func == "all" else []),
                 "        if t == 1:",
                 "            unknown = 1"]
        body += _decided(func, node.empty)
        gen.helpers.append(_def_line(name, fv, reads) + "\n".join(body))
        return name, "truth", Ty("bool")
    body += ["        total += 1",
             "        if t == 2:",
             "            passed += 1",
             "        elif t == 1:",
             "            unknown += 1"]
    if uncertain:
        body += ["    if maybe is not None:",
                 f"        return _uncertain({func!r}, passed, unknown, total, "
                 "maybe_pass, maybe_unknown, maybe_fail)"]
    body += _result(func)
    gen.helpers.append(_def_line(name, fv, reads) + "\n".join(body))
    if func == "share":
        return name, "general", Ty("percent")
    if func == "count":
        return name, "general", Ty("count")
    return name, "general", value_ty  # a sum


def _def_line(name: str, fv: tuple[str, ...], reads: FunctionReads) -> str:
    """A helper's ``def`` line: its frame variables, ``R``, the dicts it is given."""
    return f"def {name}({', '.join([*fv, 'R', *map(dict_of, reads.passed())])}):\n"


def _member_sources(gen: SourceWriter, node: n.Aggregate, func: str, inner: Scope,
                    inner_fv: tuple[str, ...]) -> tuple[str, str, Ty]:
    """The sources of what is asked of each member: its truth code (``where``) and, for a
    sum, its value and the value's type."""
    where = gen.truth(node.where, inner, inner_fv) if node.where is not None else "2"
    if func != "sum":
        return where, "", Ty("count")
    if node.value is None:
        raise Unsupported("sum without a value")
    value_src, value_shape, value_ty = gen.value(node.value, inner, inner_fv)
    if value_shape != "plain":
        raise Unsupported("a sum of values that may be partly known")
    return where, value_src, value_ty


_DECIDES = {"any": (2, 2), "none": (2, 0), "all": (0, 0)}
"""For a yes/no aggregate: the member's code that decides it, and the result it gives."""


def _decided(func: str, empty: str | None) -> list[str]:
    """The result of a yes/no aggregate that no member decided (see `_DECIDES`)."""
    if func == "any":
        return ["    return 1 if unknown else 0"]
    if func == "none":
        return ["    return 1 if unknown else 2"]
    return ["    if total == 0:",
            f"        return {_EMPTY[empty] if empty is not None else 1}",
            "    return 1 if unknown else 2"]


def _result(func: str) -> list[str]:
    """The result of a numeric aggregate (``count``, ``share``, ``sum``) from its counts."""
    if func == "count":
        return ["    return passed if not unknown else _Bounds(passed, passed + unknown)"]
    if func == "share":
        return ["    if total == 0:",
                "        return _MISSING",
                "    if unknown:",
                "        return _Bounds(_Fraction(passed * 100, total), "
                "_Fraction((passed + unknown) * 100, total))",
                "    return _Fraction(passed * 100, total)"]
    return ["    if unknown or unbounded:",
            "        return _Bounds(lo, None if unbounded else hi)",
            "    return lo"]
