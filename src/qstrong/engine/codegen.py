"""Compile checked rule trees to Python source: the verdict path.

The explaining evaluator (`qstrong.engine.compiler`) builds closures that record what they
read; that is what a reviewer needs and what costs. The verdict path needs only statuses,
so each candidate kind's clause tree becomes one generated Python function, as Jinja
compiles a template: names are resolved against the data models when the source is
written, so the function reads each model field straight from the model's ``__dict__``
(`FunctionReads`); a comparison with a literal ``a/b`` is
an integer cross-multiplication fixed at compile time (``x.numerator * b >= a *
x.denominator``), exact for ints and Fractions alike, never a binary float; the
three-valued path (a ``None`` test) is emitted only where a value is read that may be
missing.

Nothing of the user's text reaches ``compile()`` except through the checked tree: field
names are the models' own identifiers, numbers are emitted as integers, and every string,
date, set and parameter is a named constant placed in the function's namespace, never
spelled in the source. `Program.show` gives the source a reviewer can read.

Truth is a small int: 0 fail, 1 unknown, 2 pass (Kleene's ``and`` is the least code, ``or``
the greatest, ``not`` is ``2 - t``); a clause's status adds 3 for not applicable, which a
parent counts as a pass (``min(s, 2)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from keyword import iskeyword
from types import CodeType
from typing import Any

from qstrong.core.exact import to_fraction
from qstrong.engine import verdict_runtime as rt
from qstrong.engine.codegen_aggregates import FunctionReads, Unsupported, aggregate_source, dict_of
from qstrong.engine.codegen_kleene import combine_statements, kleene
from qstrong.engine.codegen_wrappers import (
    passing_prefix,
    rows_function,
    run_function,
    statuses_function,
)
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import ClauseDef, ParamDef
from qstrong.lang.rule_types import NUMERIC, FieldSpec, Ty, arith_result
from qstrong.lang.scopes import Scope

__all__ = ["KindProgram", "Program", "Unsupported", "generate"]

_PYOP = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "=": "==", "!=": "!="}

_EXACT_KINDS = frozenset({"percent", "count", "rank", "year"})
"""Numeric kinds the models already hold as int or Fraction (others may be Decimal)."""


@dataclass(frozen=True)
class KindProgram:
    """The generated function of one candidate kind and the clause nodes it answers for."""

    kind: str
    function: Any
    """``function(entity, runtime) -> tuple``: each node's status code in pre-order, then
    the applicability code of each node with an ``applies_if``, in pre-order."""
    nodes: tuple[ClauseDef, ...]
    """Every clause node in pre-order (the order of the status codes)."""
    parents: tuple[int, ...]
    """Each node's parent index (-1 for a top-level clause)."""
    applies: tuple[int, ...]
    """Indexes of the nodes with an ``applies_if``."""
    snippets: dict[str, str]
    """Each clause id's own generated lines, for `Program.show`."""
    fallbacks: tuple[str, ...]
    """Clause ids whose rule runs its explaining closure (a construct not generated)."""
    ids: tuple[str, ...] = ()
    """The clause ids of `nodes`, in order."""
    prelude: tuple[str, ...] = ()
    """The lines at the top of the function that make the dict locals its clauses read
    (`FunctionReads`); `Program.show` puts those a clause reads before its snippet."""
    run: Any = None
    """``run(items, R, verdicts, codes_append, verdict_append, progress)``: `function`'s body
    inside the loop over a kind's candidates, followed by what
    `qstrong.engine.verdict.run_kind` records of each (a province pays a call and a tuple of
    top-level codes per candidate otherwise); None for the county."""
    statuses: Any = None
    """``statuses(codes) -> dict``: each clause id's `Status`, in pre-order, nodes that did
    not run left out (`VerdictEntity.statuses`)."""
    rows: Any = None
    """``rows(codes) -> list[tuple]``: from each candidate's codes, its statuses in the order
    of `ids`, None for a node that did not run (`Report.status_table`)."""
    reads_verdicts: bool = True
    """Whether the kind's code reads candidates' verdicts (``strong``, or through an
    explaining closure) while it runs: `run` then records each verdict as it is taken;
    otherwise `qstrong.engine.verdict.run_kind` records them all after it."""


@dataclass(frozen=True)
class Program:
    """The verdict path of a criteria set: one generated function per candidate kind."""

    kinds: dict[str, KindProgram]
    source: str
    """The whole generated module, as compiled."""
    constants: dict[str, str]
    """Each named constant and its value, as a reviewer reads it."""
    param_order: tuple[str, ...]
    """The parameters in the order the generated code indexes them (``R.pv[i]``)."""
    windows: tuple[tuple[str, Any, str], ...] = ()
    """The windows fixed for a run (``R.win[i]``): (``literal`` or ``param``, value or
    parameter name, unit); the `Runtime` computes each once."""

    def show(self, clause_id: str | None = None) -> str:
        """The generated source of one clause (with the helpers it calls and the constants
        it names), or of the whole program; KeyError for an unknown clause id."""
        if clause_id is None:
            body = self.source
        else:
            for kp in self.kinds.values():
                if clause_id in kp.snippets:
                    body = kp.snippets[clause_id]
                    body = "\n".join([*_defining(kp.prelude, body), body])
                    break
            else:
                raise KeyError(clause_id)
        used = [name for name in self.constants if _mentions(body, name)]
        if not used:
            return body
        table = "\n".join(f"#   {name} = {self.constants[name]}" for name in used)
        return f"{body}\n# constants (placed in the namespace, not in the source):\n{table}\n"


def _mentions(body: str, name: str) -> bool:
    start = body.find(name)
    while start >= 0:
        end = start + len(name)
        if end >= len(body) or not (body[end].isalnum() or body[end] == "_"):
            return True
        start = body.find(name, end)
    return False


class _Gen:
    """Writes the source of one program; every expression is a Python expression."""

    def __init__(self, params: dict[str, ParamDef]) -> None:
        self.param_order = tuple(params)
        self.namespace: dict[str, Any] = dict(rt.HELPERS)
        self.constants: dict[str, str] = {}
        self.pending: list[str] = []
        self.counter = 0
        self.year_frames: set[str] = set()
        self.windows: list[tuple[str, Any, str]] = []
        self.reads = FunctionReads(params=("f0",))
        self.reads_verdicts = False
        """Whether the kind function being written reads a candidate's verdict (``strong``)."""

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def const(self, value: Any, shown: str | None = None) -> str:
        name = self.fresh("_K")
        self.namespace[name] = value
        self.constants[name] = shown if shown is not None else repr(value)
        return name

    # -- truth-valued expressions (0 / 1 / 2) -------------------------------------------

    def truth(self, node: n.Node, scope: Scope, fv: tuple[str, ...]) -> str:
        if isinstance(node, n.BoolOp):
            how = "all" if node.op == "and" else "any"
            parts = [self.truth(o, scope, fv) for o in node.operands]
            names = (self.fresh("k"), self.fresh("k")) if len(parts) == 2 else None
            return kleene(how, parts, bind=names)
        if isinstance(node, n.Not):
            return f"(2 - {self.truth(node.operand, scope, fv)})"
        if isinstance(node, n.Compare):
            return self._compare(node, scope, fv)
        if isinstance(node, n.InSet):
            return self._in_set(node, scope, fv)
        if isinstance(node, n.Present):
            src, _, _ = self._path(node.path, scope, fv)
            return f"(0 if {src} is None else 2)"
        if isinstance(node, n.Path) and len(node.parts) == 1:
            index, spec = self._head(str(node.parts[0]), scope)
            if spec.access == "virtual:strong" and index >= 0:
                # A candidate's verdict, read as its truth code (`Runtime.vc`).
                self.reads_verdicts = True
                return f"R.vc(id({fv[index]}), 1)"
        src, shape, ty = self.value(node, scope, fv)
        if shape == "truth":
            return src
        if shape != "plain":
            raise Unsupported("a yes/no value that may be partly known")
        if ty.kind == "bool" and isinstance(node, n.Path):
            # A model's yes/no field holds True, False or None (pydantic makes it a bool):
            # its code looked up in one step (the table shown with the clause's code).
            self.constants.setdefault("_YES_NO", f"{rt.YES_NO!r}  (a yes/no value's code)")
            return f"_YES_NO[{src}]"
        v = self.fresh()
        return f"(1 if ({v} := {src}) is None else 2 if {v} is True else 0)"

    def _compare(self, node: n.Compare, scope: Scope, fv: tuple[str, ...]) -> str:
        ls, lshape, lt = self.value(node.left, scope, fv)
        rs, rshape, _ = self.value(node.right, scope, fv)
        if lshape == "truth":
            ls, lshape = f"_tv({ls})", "plain"
        if rshape == "truth":
            rs, rshape = f"_tv({rs})", "plain"
        op = _PYOP[node.op]  # a KeyError for anything but the six operators
        if lshape == "plain" and rshape == "plain":
            # A local (a year's value) is tested as it is; any other value is bound to a
            # name as it is tested, to be compared without reading it again.
            v = ls if _is_local(ls) else self.fresh()
            test = v if v == ls else f"({v} := {ls})"
            literal = node.right
            if isinstance(literal, n.Number | n.Percent | n.Points) and lt.kind in NUMERIC:
                q = to_fraction(literal.value)
                a, b = q.numerator, q.denominator
                if lt.kind in ("count", "rank", "year"):  # ints in the models
                    scaled = v if b == 1 else f"{v} * {b}"
                    return f"(1 if {test} is None else 2 if {scaled} {op} {a} else 0)"
                # A percentage is a Fraction in the models (`Rate`): its slots are read
                # directly; other numbers may be ints, read through the properties.
                num, den = (("_numerator", "_denominator")
                            if lt.kind == "percent" and isinstance(node.left, n.Path)
                            else ("numerator", "denominator"))
                scaled = f"{v}.{num}" if b == 1 else f"{v}.{num} * {b}"
                bound = f"{v}.{den}" if a == 1 else f"{a} * {v}.{den}"
                return f"(1 if {test} is None else 2 if {scaled} {op} {bound} else 0)"
            if isinstance(literal, n.String | n.DateLit | n.BoolLit):  # never missing
                return f"(1 if {test} is None else 2 if {v} {op} {rs} else 0)"
            w = self.fresh()
            return (f"(1 if {test} is None or ({w} := {rs}) is None "
                    f"else 2 if {v} {op} {w} else 0)")
        return f"_cmp({node.op!r}, {_general(ls, lshape)}, {_general(rs, rshape)})"

    def _in_set(self, node: n.InSet, scope: Scope, fv: tuple[str, ...]) -> str:
        src, shape, _ = self.value(node.item, scope, fv)
        options = frozenset(to_fraction(o.value) if isinstance(o, n.Number | n.Percent)
                            else o.value for o in node.options
                            if isinstance(o, n.String | n.Number | n.Percent))
        allowed = self.const(options, "{" + ", ".join(sorted(map(repr, options))) + "}")
        inside, outside = ("0", "2") if node.negated else ("2", "0")
        if shape != "plain":
            return f"_in_set_general({_general(src, shape)}, {allowed}, {node.negated})"
        v = self.fresh()
        return f"(1 if ({v} := {src}) is None else {inside} if {v} in {allowed} else {outside})"

    # -- values: (source, shape, type) ---------------------------------------------------
    # shape "plain": the value or None (missing); "general": may be a runtime `Missing` or
    # `Bounds` (aggregates and arithmetic on them); "truth": a truth code.

    def value(self, node: n.Node, scope: Scope, fv: tuple[str, ...]) -> tuple[str, str, Ty]:
        if isinstance(node, n.Number | n.Percent | n.Points):
            q = to_fraction(node.value)
            kind = {n.Number: "number", n.Percent: "percent", n.Points: "points"}[type(node)]
            src = str(q.numerator) if q.denominator == 1 else self.const(q, str(q))
            return src, "plain", Ty(kind)
        if isinstance(node, n.DateLit | n.String | n.BoolLit):
            kind = {n.DateLit: "date", n.String: "string", n.BoolLit: "bool"}[type(node)]
            if isinstance(node, n.BoolLit):
                return ("True" if node.value else "False"), "plain", Ty(kind)
            return self.const(node.value), "plain", Ty(kind)
        if isinstance(node, n.Param):
            index = self.param_order.index(node.name)
            return f"R.pv[{index}]", "plain", Ty("number")
        if isinstance(node, n.Path):
            return self._path(node, scope, fv)
        if isinstance(node, n.Arith):
            return self._arith(node, scope, fv)
        if isinstance(node, n.Neg):
            src, shape, ty = self.value(node.operand, scope, fv)
            if shape == "plain":
                v = self.fresh()
                return f"(None if ({v} := {src}) is None else -{v})", "plain", ty
            return f"_neg({_general(src, shape)})", "general", ty
        if isinstance(node, n.Aggregate):
            return aggregate_source(self, node, scope, fv)
        return self.truth(node, scope, fv), "truth", Ty("bool")

    def _head(self, name: str, scope: Scope) -> tuple[int, FieldSpec]:
        for index in range(len(scope.frames) - 1, -1, -1):
            spec = scope.frames[index].record.fields.get(name)
            if spec is not None:
                return index, spec
        return -1, scope.roots[name]

    def _read(self, spec: FieldSpec, obj: str, frame: bool = False) -> str:
        """How to read ``spec`` of ``obj``: a frame variable's fields from its ``__dict__``
        (``frame``; see `FunctionReads`), another record's as an attribute."""
        if obj in self.year_frames and spec.name in ("year", "value"):
            return f"{obj}_{spec.name}"  # locals of the loop over the years
        if spec.access == "root":
            return f"R.{spec.name}"
        if spec.access.startswith("virtual:"):
            key = spec.access.removeprefix("virtual:")
            if key not in rt.VIRTUAL_KEYS:
                raise Unsupported(f"virtual field {key}")
            self.reads_verdicts |= key == "strong"
            return f"R.v_{key}({obj})"
        if not spec.name.isidentifier():
            raise Unsupported(f"field name {spec.name!r}")
        if frame:
            self.reads.dicts.add(obj)
            return f"{dict_of(obj)}[{spec.name!r}]"
        return f"{obj}.{spec.name}"

    def _sub_record(self, obj: str, spec: FieldSpec, sub: FieldSpec) -> str | None:
        """The local holding the ``__dict__`` of a parameter's sub-record ``spec``, to read
        its field ``sub`` from (made once at the top of the function), or None where that
        is not how they are read."""
        if (obj not in self.reads.params or obj in self.year_frames
                or spec.access != "attr" or spec.ty.record is None
                or not spec.name.isidentifier()
                or sub.access != "attr" or not sub.name.isidentifier()):
            return None
        key = (obj, spec.name)
        local = self.reads.nested.get(key)
        if local is None:
            self.reads.dicts.add(obj)
            local = self.reads.nested[key] = self.fresh("r")
            self.reads.fields[local] = tuple(spec.ty.record.fields)
        return local

    def _path(self, node: n.Path, scope: Scope, fv: tuple[str, ...]) -> tuple[str, str, Ty]:
        head = node.parts[0]
        assert isinstance(head, str)
        index, spec = self._head(head, scope)
        obj = fv[index] if index >= 0 else "R"
        rest = node.parts[1:]
        ty = spec.ty
        guards: list[str] = []
        sub = (ty.record.fields.get(rest[0]) if rest and isinstance(rest[0], str)
               and ty.record is not None else None)
        local = self._sub_record(obj, spec, sub) if sub is not None else None
        if local is not None and sub is not None:
            # A parameter's sub-record, its ``__dict__`` read once (`FunctionReads`): a
            # missing one reads as a dict of its fields, each None, so no test here.
            current = f"{local}[{sub.name!r}]"
            ty, rest = sub.ty, rest[1:]
        else:
            current = self._read(spec, obj, frame=index >= 0)
        for part in rest:
            t = self.fresh()
            guards.append(f"({t} := {current}) is None")
            if isinstance(part, str):
                if ty.record is None:
                    raise Unsupported("a field of a non-record")
                sub = ty.record.fields[part]
                current = self._read(sub, t)
                ty = sub.ty
            else:
                key_src, key_shape, _ = self.value(part, scope, fv)
                if key_shape != "plain" or ty.kind not in ("yearmap", "map"):
                    raise Unsupported("an index that is not a plain value")
                k = self.fresh()
                guards.append(f"({k} := {key_src}) is None")
                current = f"_index({t}, {k})"
                ty = ty.item or Ty("error")
        if ty.kind in NUMERIC and ty.kind not in _EXACT_KINDS:
            current = f"_ex({current})"
        if guards:
            current = f"(None if {' or '.join(guards)} else {current})"
        return current, "plain", ty

    def _arith(self, node: n.Arith, scope: Scope, fv: tuple[str, ...]) -> tuple[str, str, Ty]:
        ls, lshape, lt = self.value(node.left, scope, fv)
        rs, rshape, rt_ = self.value(node.right, scope, fv)
        if node.op not in ("+", "-", "*", "/"):
            raise Unsupported(f"operator {node.op!r}")
        result = arith_result(lt, node.op, rt_)
        if not isinstance(result, Ty):
            raise Unsupported(str(result))
        percent = node.op == "/" and result.kind == "percent" and rt_.kind != "number"
        if lshape == "plain" and rshape == "plain":
            v, w = self.fresh(), self.fresh()
            if node.op == "/":
                body = f"_div({v}, {w}, {100 if percent else 1})"
            else:
                body = f"{v} {node.op} {w}"
            return (f"(None if ({v} := {ls}) is None or ({w} := {rs}) is None else {body})",
                    "plain", result)
        if "truth" in (lshape, rshape):
            raise Unsupported("arithmetic on a yes/no value")
        return (f"_arith({node.op!r}, {_general(ls, lshape)}, "
                f"{_general(rs, rshape)}, {percent})", "general", result)

    # -- clauses -------------------------------------------------------------------------

    def kind_function(self, kind: str, defs: list[ClauseDef], scope: Scope,
                      fallback: Any) -> tuple[str, KindProgram]:
        nodes: list[ClauseDef] = []
        parents: list[int] = []
        applies: list[int] = []

        def number(clause: ClauseDef, parent: int) -> None:
            index = len(nodes)
            nodes.append(clause)
            parents.append(parent)
            if clause.applies_if is not None:
                applies.append(index)
            for child in clause.children:
                number(child, index)

        for d in defs:
            number(d, -1)
        parts: dict[str, list[str]] = {}
        fallbacks: list[str] = []
        fname = f"kind_{kind}"
        lines = [f"def {fname}(f0, R):"]
        self.reads = FunctionReads(params=("f0",))
        self.reads_verdicts = False
        names = [f"s{i}" for i in range(len(nodes))] + [f"a{i}" for i in applies]
        # A node under a clause that did not apply is not run: its status stays None. With
        # no ``applies_if`` every node runs, so nothing needs a value first.
        for start in range(0, len(names) if applies else 0, 8):
            lines.append("    " + " = ".join(names[start:start + 8]) + " = None")
        position = 0

        def emit(indent: str) -> int:
            nonlocal position
            index = position
            position += 1
            clause = nodes[index]
            own: list[str] = []
            body_indent = indent
            if clause.applies_if is not None:
                applies_src = self._guarded(clause, "applies_if", scope, fallback, fallbacks)
                own.extend(self._flush(indent))
                own.append(f"{indent}a{index} = {applies_src}")
                own.append(f"{indent}if a{index} != 2:")
                own.append(f"{indent}    s{index} = 3 if a{index} == 0 else 1")
                own.append(f"{indent}else:")
                body_indent = indent + "    "
            lines.extend(own)
            if clause.rule is not None:
                rule_src = self._guarded(clause, "rule", scope, fallback, fallbacks)
                rule_lines = [*self._flush(body_indent), f"{body_indent}s{index} = {rule_src}"]
                lines.extend(rule_lines)
                own.extend(rule_lines)
            else:
                children = []
                for _ in clause.children:
                    children.append(emit(body_indent))
                combined = [body_indent + line for line in combine_statements(
                    f"s{index}", "all" if clause.combine == "all" else "any",
                    [(f"s{c}", nodes[c].applies_if is not None) for c in children])]
                lines.extend(combined)
                own.extend(combined)
            parts[clause.id] = [line[len(indent):] if line.startswith(indent) else line
                                for line in own]
            return index

        while position < len(nodes):
            emit("    ")
        invariant = ["    " + line for line in self.reads.invariant]
        prelude = [*invariant, *self.reads.prelude("    ", self._missing_record)]
        lines[1:1] = prelude
        snippets = {clause_id: "\n".join(own) for clause_id, own in parts.items()}
        lines.append(f"    return ({', '.join(names)},)")
        reads_verdicts = self.reads_verdicts or bool(fallbacks)
        if kind != "county":
            # The verdict is the top-level clauses combined as a parent combines its own.
            verdict = combine_statements("_code", "all", [
                (f"s{i}", nodes[i].applies_if is not None)
                for i, parent in enumerate(parents) if parent < 0])
            # A kind whose rules read verdicts (``strong``; an explaining closure may) has
            # each recorded as it is taken, in order; the others' after the loop, at once.
            lines += ["", "", *run_function(kind, invariant, lines[1 + len(invariant):-1],
                                            names, verdict, reads_verdicts)]
        # A node runs unless a clause above it has an ``applies_if`` (it is then None).
        run_always = [True] * len(nodes)
        for index, parent in enumerate(parents):
            run_always[index] = parent < 0 or (run_always[parent]
                                               and nodes[parent].applies_if is None)
        ids = [self.const(clause.id) for clause in nodes]
        prefix = passing_prefix([clause.id for clause in nodes], run_always,
                                rt.STATUS_OF_CODE[2])
        passing = self.const(prefix, f"<each of {len(prefix)} clause ids: pass>")
        lines += ["", "", *statuses_function(kind, names, run_always, ids.__getitem__,
                                             passing),
                  "", "", *rows_function(kind, names, run_always)]
        kp = KindProgram(kind, None, tuple(nodes), tuple(parents), tuple(applies),
                         snippets, tuple(fallbacks),
                         prelude=tuple(line.strip() for line in prelude),
                         reads_verdicts=reads_verdicts)
        return "\n".join(lines), kp

    def _missing_record(self, fields: tuple[str, ...]) -> str:
        """The constant a missing sub-record's local holds: its fields, each None (read,
        never written, by the generated code)."""
        return self.const(dict.fromkeys(fields), "{" + ", ".join(
            f"{name!r}: None" for name in fields) + "}  (a record that is missing)")

    def _flush(self, indent: str) -> list[str]:
        """The statements the expression just written needs before it (`pending`), at the
        indent of the statement that holds it."""
        lines = [indent + line for line in self.pending]
        self.pending = []
        return lines

    def _guarded(self, clause: ClauseDef, which: str, scope: Scope, fallback: Any,
                 fallbacks: list[str]) -> str:
        tree = clause.rule if which == "rule" else clause.applies_if
        assert tree is not None
        mark = len(self.pending), len(self.windows)
        reads = self.reads.saved()
        try:
            return self.truth(tree, scope, ("f0",))
        except Unsupported:
            del self.pending[mark[0]:]
            del self.windows[mark[1]:]
            self.reads.restore(reads)
            closure = fallback(clause, which)
            fallbacks.append(clause.id)
            return f"_closure({self.const(closure, f'<closure of {clause.id} {which}>')}, f0, R)"


def _defining(prelude: tuple[str, ...], body: str) -> list[str]:
    """The prelude lines that make the locals ``body`` reads, and those they read in turn (a
    sub-record's local is read from ``d0``): a clause's snippet shows where they come from."""
    wanted: list[str] = []
    for line in reversed(prelude):  # a line reads only the lines above it
        names = line.split(" = ", 1)[0].split(", ")  # ``start5, end5, years5 = w5 …``
        if any(_mentions(body, name) or any(_mentions(w.split(" = ", 1)[1], name)
                                            for w in wanted) for name in names):
            wanted.append(line)
    return wanted[::-1]


def _is_local(src: str) -> bool:
    """Whether ``src`` is the name of a local (``f1_value``), not a read or an expression."""
    return src.isidentifier() and not iskeyword(src) and not src.startswith("_")


def _general(src: str, shape: str) -> str:
    return f"_g({src})" if shape == "plain" else src


_PROGRAM_NAME = "<qstrong verdict program>"


def compiled(source: str) -> CodeType:
    """``compile()`` of a generated program, kept in the per-user cache (`qstrong.core.cache`)
    as ``marshal`` bytes under the hash of the source and of the interpreter: compiling the
    packaged criteria's program costs about 15 ms in every process, reading it back under
    half a millisecond. The key holds the whole source, so an entry is only ever the
    compilation of exactly this text; one that cannot be read is compiled again."""
    import marshal
    import sys
    from hashlib import sha256
    from importlib.util import MAGIC_NUMBER

    from qstrong.core.cache import read_entry, write_entry

    digest = sha256(MAGIC_NUMBER + sys.version.encode() + b"\0" + source.encode("utf-8"))
    entry = f"program-{digest.hexdigest()[:40]}.marshal"
    cached = read_entry(entry)
    if isinstance(cached, bytes):
        try:
            code = marshal.loads(cached)
        except (ValueError, EOFError, TypeError):
            code = None
        if isinstance(code, CodeType) and code.co_filename == _PROGRAM_NAME:
            return code
    code = compile(source, _PROGRAM_NAME, "exec")
    write_entry(entry, marshal.dumps(code), "program-")
    return code


def generate(params: dict[str, ParamDef], clauses: dict[str, list[ClauseDef]],
             scopes: dict[str, Scope], fallback: Any) -> Program:
    """Write, compile and load the verdict program of a checked criteria set.

    Args:
        params: the criteria parameters (their order fixes ``R.pv``).
        clauses: each kind's top-level clause definitions, checked.
        scopes: each kind's names, as the checker used them.
        fallback: ``fallback(clause, "rule" | "applies_if")`` gives a closure
            ``(ctx, env) -> Truth`` for a tree the generator does not emit.
    """
    gen = _Gen(params)
    functions: list[str] = []
    programs: dict[str, KindProgram] = {}
    for kind, defs in clauses.items():
        source, kp = gen.kind_function(kind, defs, scopes[kind], fallback)
        functions.append(source)
        programs[kind] = kp
    source = "\n\n\n".join(functions) + "\n"
    code = compiled(source)
    namespace = gen.namespace
    exec(code, namespace)
    for kind, kp in programs.items():
        programs[kind] = KindProgram(kind, namespace[f"kind_{kind}"], kp.nodes, kp.parents,
                                     kp.applies, kp.snippets, kp.fallbacks,
                                     tuple(d.id for d in kp.nodes), kp.prelude,
                                     namespace.get(f"run_{kind}"),
                                     namespace[f"statuses_{kind}"],
                                     namespace[f"rows_{kind}"], kp.reads_verdicts)
    return Program(programs, source, gen.constants, gen.param_order, tuple(gen.windows))

