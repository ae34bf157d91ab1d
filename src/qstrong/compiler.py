"""Check rule names and types against the data models, and compile each rule once into closures.

Every compiled node also records its own explanation (values read, comparisons with
margins, aggregates with their members) into the context's `Recorder`, so the
explanation cannot drift from what was computed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Any

from qstrong import nodes as n
from qstrong.criteria import ParamDef, suggest
from qstrong.errors import Diagnostic
from qstrong.exact import to_fraction
from qstrong.explain import (
    AggregateTrace,
    Check,
    ItemTrace,
    LazyCheck,
    LazyValueRead,
    ParamUse,
    ValueRead,
)
from qstrong.logic import Truth, all_of, any_of, not_
from qstrong.margin import compare_margin, display_value
from qstrong.runtime import Bounds, Missing, Recorder
from qstrong.source import Span
from qstrong.types import (
    NUMERIC,
    FieldSpec,
    Record,
    Ty,
    arith_result,
    comparable,
    comparison_hint,
    describe,
)

__all__ = ["CondFn", "EvalContext", "Frame", "RuleCompiler", "Scope", "ValueFn", "YearEntry"]

Env = tuple[Any, ...]
ValueFn = Callable[["EvalContext", Env], Any]
CondFn = Callable[["EvalContext", Env], Truth]
_ERROR = Ty("error")
_UNITS = {"members": "家", "enterprises": "家", "districts": "个", "industries": "个",
          "brands": "个", "led_standards": "项", "standards": "项", "incidents": "起"}


@dataclass
class YearEntry:
    """One year of a year-indexed value, as the members of an aggregate over it."""

    year: int
    value: Any


@dataclass
class EvalContext:
    """What a compiled rule may reach at run time: the dataset's reference values and parameters."""

    date: _dt.date
    roots: dict[str, Any]
    params: dict[str, Fraction]
    param_uses: dict[str, ParamUse]
    recorder: Recorder = field(default_factory=Recorder)
    virtual: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    last_share: tuple[int, int, int, str] | None = None


@dataclass(frozen=True)
class Frame:
    """One level of names: the entity, or the members of an aggregate."""

    record: Record
    collection: str = ""


@dataclass(frozen=True)
class Scope:
    """The names a rule may use: frames (innermost last) and the dataset-wide roots."""

    frames: tuple[Frame, ...]
    roots: dict[str, FieldSpec]

    def push(self, frame: Frame) -> Scope:
        return Scope((*self.frames, frame), self.roots)


def _year_record(value_ty: Ty) -> Record:
    fields = {
        "year": FieldSpec("year", Ty("year"), "年份", "year", lambda o, c: o.year),
        "value": FieldSpec("value", value_ty, "数值", "value", lambda o, c: o.value),
    }
    return Record("year entry", fields)


def _num(value: Any) -> Any:
    if value is None or isinstance(value, bool | str | _dt.date | Missing | Bounds):
        return value
    if isinstance(value, int | Fraction) or type(value).__name__ == "Decimal":
        return to_fraction(value)
    return value


def _marker(frame_index: int) -> str:
    return f"@{frame_index}." if frame_index > 0 else ""


def _compare_values(op: str, left: Any, right: Any) -> Truth:
    if isinstance(left, Missing) or isinstance(right, Missing):
        return Truth.UNKNOWN
    if isinstance(left, Bounds) or isinstance(right, Bounds):
        return _compare_bounds(op, left, right)
    try:
        result = {
            ">=": lambda: left >= right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            "<": lambda: left < right,
            "=": lambda: left == right,
            "!=": lambda: left != right,
        }[op]()
    except TypeError:
        return Truth.UNKNOWN
    return Truth.PASS if result else Truth.FAIL


def _compare_bounds(op: str, left: Any, right: Any) -> Truth:
    """Pass when every value in the bounds satisfies ``op``, fail when none does."""
    lo_l, hi_l = (left.lo, left.hi) if isinstance(left, Bounds) else (left, left)
    lo_r, hi_r = (right.lo, right.hi) if isinstance(right, Bounds) else (right, right)
    inf = None
    if op in (">=", ">"):
        strict = op == ">"
        surely = hi_r is not inf and (lo_l > hi_r if strict else lo_l >= hi_r)
        never = hi_l is not inf and (hi_l <= lo_r if strict else hi_l < lo_r)
    elif op in ("<=", "<"):
        strict = op == "<"
        surely = hi_l is not inf and (hi_l < lo_r if strict else hi_l <= lo_r)
        never = hi_r is not inf and (lo_l >= hi_r if strict else lo_l > hi_r)
    else:
        point = lo_l == hi_l == lo_r == hi_r
        apart = (hi_l is not inf and hi_l < lo_r) or (hi_r is not inf and hi_r < lo_l)
        surely, never = (point, apart) if op == "=" else (apart, point)
    if surely:
        return Truth.PASS
    if never:
        return Truth.FAIL
    return Truth.UNKNOWN


def _missing_of(*values: Any) -> tuple[str, ...]:
    paths: list[str] = []
    for v in values:
        found = v.paths if isinstance(v, Missing) else v.missing if isinstance(v, Bounds) else ()
        paths.extend(p for p in found if p not in paths)
    return tuple(paths)


def _arith(op: str, left: Any, right: Any, percent: bool, divisor: str = "") -> Any:
    if isinstance(left, Missing) or isinstance(right, Missing):
        notes = [v.note for v in (left, right) if isinstance(v, Missing) and v.note]
        return Missing(_missing_of(left, right), "；".join(notes))
    scale = Fraction(100) if percent else Fraction(1)
    if isinstance(left, Bounds) or isinstance(right, Bounds):
        return _arith_bounds(op, left, right, scale)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return Missing((), f"{divisor or '除数'}为 0，比例无定义")
    return left / right * scale


def _arith_bounds(op: str, left: Any, right: Any, scale: Fraction) -> Any:
    missing = _missing_of(left, right)
    lb = left if isinstance(left, Bounds) else Bounds(left, left, ())
    rb = right if isinstance(right, Bounds) else Bounds(right, right, ())
    if op == "+":
        hi = None if lb.hi is None or rb.hi is None else lb.hi + rb.hi
        return Bounds(lb.lo + rb.lo, hi, missing)
    if op == "-":
        if rb.hi is None:
            return Missing(missing)
        hi = None if lb.hi is None else lb.hi - rb.lo
        return Bounds(lb.lo - rb.hi, hi, missing)
    if isinstance(right, Fraction) and right > 0 and lb.lo >= 0:
        if op == "*":
            return Bounds(lb.lo * right, None if lb.hi is None else lb.hi * right, missing)
        return Bounds(lb.lo / right * scale, None if lb.hi is None else lb.hi / right * scale,
                      missing)
    return Missing(missing)


def _shift_years(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def window_bounds(end: _dt.date, length: int, unit: str) -> _dt.date:
    """The first day of a window of ``length`` units that ends on ``end`` (both days count)."""
    if unit.startswith("year"):
        return _shift_years(end, length)
    if unit.startswith("month"):
        month = end.month - 1 - length
        year = end.year + month // 12
        month = month % 12 + 1
        day = end.day
        while True:
            try:
                return _dt.date(year, month, day)
            except ValueError:
                day -= 1
    return end - _dt.timedelta(days=length)


class RuleCompiler:
    """Checks and compiles rule expressions for one scope; collects every diagnostic."""

    def __init__(self, params: dict[str, ParamDef]) -> None:
        self.params = params
        self.diagnostics: list[Diagnostic] = []

    # -- diagnostics -------------------------------------------------------------------

    def _error(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint))

    # -- conditions --------------------------------------------------------------------

    def condition(self, node: n.Node, scope: Scope) -> CondFn:
        """Compile a node that must be yes/no into a function returning a `Truth`."""
        if isinstance(node, n.BoolOp):
            parts = [self.condition(o, scope) for o in node.operands]
            combine = all_of if node.op == "and" else any_of

            def bool_op(ctx: EvalContext, env: Env) -> Truth:
                # Every operand runs, so the explanation shows all of them.
                return combine([p(ctx, env) for p in parts])

            return bool_op
        if isinstance(node, n.Not):
            inner = self.condition(node.operand, scope)
            return lambda ctx, env: not_(inner(ctx, env))
        if isinstance(node, n.Compare):
            return self._compare(node, scope)
        if isinstance(node, n.InSet):
            return self._in_set(node, scope)
        if isinstance(node, n.Present):
            get, _ = self._path(node.path, scope, record=False)

            def present(ctx: EvalContext, env: Env) -> Truth:
                value = get(ctx, env)
                return Truth.FAIL if value is None or isinstance(value, Missing) else Truth.PASS

            return present
        if isinstance(node, n.Aggregate) and node.func in ("any", "all", "none"):
            agg, _ = self._aggregate(node, scope)
            return agg
        fn, ty = self.value(node, scope)
        if ty.kind not in ("bool", "error"):
            self._error("E104", f"'{n.unparse(node)}' is {describe(ty)}, not a yes/no condition",
                        node.span, "compare it with a bound, e.g. ... >= 93.5%")

        def as_truth(ctx: EvalContext, env: Env) -> Truth:
            value = fn(ctx, env)
            if isinstance(value, Missing):
                ctx.recorder.note_missing(value.paths)
                return Truth.UNKNOWN
            if isinstance(value, Truth):
                return value
            return Truth.PASS if value is True else Truth.FAIL

        return as_truth

    def _compare(self, node: n.Compare, scope: Scope) -> CondFn:
        lf, lt = self.value(node.left, scope)
        rf, rt = self.value(node.right, scope)
        if "error" not in (lt.kind, rt.kind):
            problem = comparable(lt, rt, node.op)
            if problem is not None:
                self._error("E104", problem, node.span, comparison_hint(lt, rt))
        if lt.kind == "string" and isinstance(node.right, n.String):
            self._check_enum(lt, node.right)
        op = node.op
        text = n.unparse(node)
        left_text, right_text = n.unparse(node.left), n.unparse(node.right)
        left_zh, left_en = self.label(node.left, scope)
        unit_ty = lt if lt.kind not in ("number", "error") else rt
        is_share = isinstance(node.left, n.Aggregate) and node.left.func == "share"

        def compare(ctx: EvalContext, env: Env) -> Truth:
            ctx.last_share = None
            left = lf(ctx, env)
            share = ctx.last_share if is_share else None
            right = rf(ctx, env)
            truth = _compare_values(op, left, right)
            rec = ctx.recorder
            if truth is Truth.UNKNOWN:
                rec.note_missing(_missing_of(left, right))
                for v in (left, right):
                    if isinstance(v, Missing) and v.note:
                        rec.note(v.note)
            if rec.depth == 0 or rec.item_detail:
                rec.check(LazyCheck(text, left_text, left_zh, left_en, op, right_text, truth,
                                    partial(render, left, right, share)))
            return truth

        left_shown = unit_ty if lt.kind == "number" else lt
        right_shown = unit_ty if rt.kind == "number" else rt

        def render(left: Any, right: Any, share: Any) -> dict[str, Any]:
            # Display texts are written when an explanation is read, not during the run.
            return {
                "left_value": display_value(left, left_shown),
                "left_value_en": display_value(left, left_shown, lang="en"),
                "right_value": display_value(right, right_shown),
                "right_value_en": display_value(right, right_shown, lang="en"),
                "margin": (compare_margin(op, left, right, unit_ty, share)
                           if unit_ty.kind in NUMERIC else None),
            }

        return compare

    def label(self, node: n.Node, scope: Scope) -> tuple[str, str]:
        """A reader's name for an expression, built from the fields' Chinese and English labels."""
        if isinstance(node, n.Path):
            return self._path_label(node, scope)
        if isinstance(node, n.Param):
            pdef = self.params.get(node.name)
            return (pdef.title_zh, pdef.title_en or node.name) if pdef else (f"${node.name}",) * 2
        if isinstance(node, n.Arith):
            if (isinstance(node.left, n.Path) and isinstance(node.right, n.Path)
                    and len(node.left.parts) == len(node.right.parts) > 1
                    and node.left.parts[:-1] == node.right.parts[:-1]):
                head = n.Path(node.left.parts[:-1])
                hz, he = self._path_label(head, scope)
                lz, le = self._path_label(node.left, scope)
                rz, re_ = self._path_label(node.right, scope)

                def tail(full: str, h: str) -> str:
                    return full[len(h) + 3:] if full.startswith(h + " · ") else full

                return (f"{hz}（{tail(lz, hz)} {node.op} {tail(rz, hz)}）",
                        f"{he} ({tail(le, he)} {node.op} {tail(re_, he)})")
            lz, le = self.label(node.left, scope)
            rz, re_ = self.label(node.right, scope)
            if isinstance(node.left, n.Arith):
                lz, le = f"（{lz}）", f"({le})"
            if isinstance(node.right, n.Arith):
                rz, re_ = f"（{rz}）", f"({re_})"
            op = {"/": "÷", "*": "×", "-": "−"}.get(node.op, node.op)
            return f"{lz} {op} {rz}", f"{le} {op} {re_}"
        if isinstance(node, n.Aggregate):
            cz, ce = self.label(node.collection, scope)
            item = self._item_scope(node, scope) if node.where is not None else None
            wz, we = self.label(node.where, item) if item and node.where else ("", "")
            if node.func == "share":
                if wz:
                    return f"{cz}中「{wz}」的比例", f"share of {ce} with [{we}]"
                return f"{cz}的比例", f"share of {ce}"
            if node.func == "count":
                if wz:
                    return f"{cz}中「{wz}」的数量", f"number of {ce} with [{we}]"
                return f"{cz}数量", f"number of {ce}"
            if node.func == "sum" and node.value is not None:
                try:
                    item = self._item_scope(node, scope)
                    vz, ve = self.label(node.value, item) if item else (n.unparse(node.value),) * 2
                except Exception:  # labels never fail a compile
                    vz = ve = n.unparse(node.value)
                return f"符合条件的{cz}{vz}合计", f"total {ve} of matching {ce}"
        if isinstance(node, n.Compare):
            lz, le = self.label(node.left, scope)
            rz, re_ = self.label(node.right, scope)
            return f"{lz} {node.op} {rz}", f"{le} {node.op} {re_}"
        if isinstance(node, n.BoolOp):
            parts = [self.label(o, scope) for o in node.operands]
            word_zh = "且" if node.op == "and" else "或"
            return (word_zh.join(p[0] for p in parts),
                    f" {node.op} ".join(p[1] for p in parts))
        if isinstance(node, n.Not):
            z, e = self.label(node.operand, scope)
            return f"非（{z}）", f"not ({e})"
        if isinstance(node, n.InSet):
            z, e = self.label(node.item, scope)
            opts = "、".join(n.unparse(o).strip('"') for o in node.options)
            word = "不属于" if node.negated else "属于"
            return f"{z}{word}{{{opts}}}", f"{e} {'not ' if node.negated else ''}in {{{opts}}}"
        text = n.unparse(node)
        return text, text

    def _item_scope(self, node: n.Aggregate, scope: Scope) -> Scope | None:
        saved = list(self.diagnostics)
        _, coll_ty = self.value(node.collection, scope)
        self.diagnostics[:] = saved
        if coll_ty.kind == "list" and coll_ty.item is not None and coll_ty.item.record:
            return scope.push(Frame(coll_ty.item.record))
        if coll_ty.kind == "yearmap" and coll_ty.item is not None:
            return scope.push(Frame(_year_record(coll_ty.item)))
        return None

    def _path_label(self, node: n.Path, scope: Scope) -> tuple[str, str]:
        head = node.parts[0]
        spec: FieldSpec | None = None
        for frame in reversed(scope.frames):
            spec = frame.record.fields.get(str(head))
            if spec is not None:
                break
        if spec is None:
            spec = scope.roots.get(str(head))
        if spec is None:
            return n.unparse(node), n.unparse(node)
        zh, en = [spec.label_zh], [spec.label_en]
        ty = spec.ty
        for part in node.parts[1:]:
            if isinstance(part, str) and ty.record is not None and part in ty.record.fields:
                sub = ty.record.fields[part]
                zh.append(sub.label_zh)
                en.append(sub.label_en)
                ty = sub.ty
            elif not isinstance(part, str):
                key = n.unparse(part)
                zh[-1] += f"[{key}]"
                en[-1] += f"[{key}]"
                ty = ty.item or _ERROR
        return " · ".join(zh), " · ".join(en)

    def _check_enum(self, ty: Ty, lit: n.String) -> None:
        if ty.enum is not None and lit.value not in ty.enum:
            self._error("E104", f"'{lit.value}' is not one of the allowed values",
                        lit.span, suggest(lit.value, sorted(ty.enum))
                        or "allowed: " + ", ".join(sorted(ty.enum)))

    def _in_set(self, node: n.InSet, scope: Scope) -> CondFn:
        item_fn, item_ty = self.value(node.item, scope)
        options: list[Any] = []
        for opt in node.options:
            if isinstance(opt, n.String):
                if item_ty.kind == "string":
                    self._check_enum(item_ty, opt)
                elif item_ty.kind != "error":
                    self._error("E104", f"'{opt.value}' is text but "
                                f"'{n.unparse(node.item)}' is {describe(item_ty)}", opt.span)
                options.append(opt.value)
            elif isinstance(opt, n.Number | n.Percent) and item_ty.kind in NUMERIC:
                options.append(to_fraction(opt.value))
            else:
                self._error("E104", "a set lists quoted values or numbers", opt.span)
        allowed = frozenset(options)
        negated = node.negated

        def in_set(ctx: EvalContext, env: Env) -> Truth:
            value = item_fn(ctx, env)
            if isinstance(value, Missing | Bounds):
                ctx.recorder.note_missing(_missing_of(value))
                return Truth.UNKNOWN
            inside = value in allowed
            return Truth.PASS if inside != negated else Truth.FAIL

        return in_set

    # -- values ------------------------------------------------------------------------

    def value(self, node: n.Node, scope: Scope) -> tuple[ValueFn, Ty]:
        """Compile a node into a function returning its value, and the value's type."""
        if isinstance(node, n.Number):
            v = to_fraction(node.value)
            return (lambda ctx, env: v), Ty("number")
        if isinstance(node, n.Percent):
            v = to_fraction(node.value)
            if v > 100:
                self._error("E104", f"{n.unparse(node)} is above 100%", node.span)
            return (lambda ctx, env: v), Ty("percent")
        if isinstance(node, n.Points):
            v = to_fraction(node.value)
            return (lambda ctx, env: v), Ty("points")
        if isinstance(node, n.DateLit | n.String | n.BoolLit):
            lit = node.value
            kind = {n.DateLit: "date", n.String: "string", n.BoolLit: "bool"}[type(node)]
            return (lambda ctx, env: lit), Ty(kind)
        if isinstance(node, n.Param):
            return self._param(node)
        if isinstance(node, n.Path):
            return self._path(node, scope, record=True)
        if isinstance(node, n.Arith):
            return self._arith(node, scope)
        if isinstance(node, n.Neg):
            fn, ty = self.value(node.operand, scope)
            if ty.kind not in NUMERIC and ty.kind != "error":
                self._error("E104", f"cannot negate {describe(ty)}", node.span)

            def neg(ctx: EvalContext, env: Env) -> Any:
                v = fn(ctx, env)
                if isinstance(v, Bounds):
                    return Missing(v.missing) if v.hi is None else Bounds(-v.hi, -v.lo, v.missing)
                return v if isinstance(v, Missing) else -v

            return neg, ty
        if isinstance(node, n.Aggregate):
            return self._aggregate(node, scope)
        # Conditions used as values (e.g. a comparison inside "= true").
        cond = self.condition(node, scope)
        return cond, Ty("bool")

    def _param(self, node: n.Param) -> tuple[ValueFn, Ty]:
        pdef = self.params.get(node.name)
        if pdef is None:
            self._error("E103", f"unknown parameter '${node.name}'", node.span,
                        suggest(node.name, self.params) and
                        f"did you mean '${suggest_name(node.name, self.params)}'?")
            return (lambda ctx, env: Missing((f"${node.name}",))), _ERROR
        name = node.name
        ty = {"percent": Ty("percent"), "points": Ty("points"), "count": Ty("count"),
              "rank": Ty("rank"), "amount": Ty("amount"), "years": Ty("number", unit_zh="年"),
              "number": Ty("number")}[pdef.type]

        def param(ctx: EvalContext, env: Env) -> Any:
            use = ctx.param_uses.get(name)
            if use is not None:
                ctx.recorder.param(use)
            return ctx.params[name]

        return param, ty

    def _resolve_head(self, name: str, scope: Scope, span: Span) -> tuple[int, FieldSpec] | None:
        for index in range(len(scope.frames) - 1, -1, -1):
            spec = scope.frames[index].record.fields.get(name)
            if spec is not None:
                return index, spec
        root = scope.roots.get(name)
        if root is not None:
            return -1, root
        options = set(scope.roots)
        for frame in scope.frames:
            options |= set(frame.record.fields)
        where = scope.frames[-1].record.name if scope.frames else "the data"
        self._error("E103", f"unknown field '{name}' (not a field of {where})", span,
                    suggest(name, sorted(options)))
        return None

    def _path(self, node: n.Path, scope: Scope, *, record: bool) -> tuple[ValueFn, Ty]:
        head = node.parts[0]
        assert isinstance(head, str)
        found = self._resolve_head(head, scope, node.span)
        if found is None:
            return (lambda ctx, env: Missing((n.unparse(node),))), _ERROR
        frame_index, spec = found
        prefix = _marker(frame_index)
        steps: list[tuple[str, Any, str, str]] = []  # (kind, getter-or-fn, label_zh, label_en)
        ty = spec.ty
        labels_zh, labels_en = [spec.label_zh], [spec.label_en]
        enum_labels = dict(spec.enum_labels)
        for part in node.parts[1:]:
            if isinstance(part, str):
                if ty.kind != "record" or ty.record is None:
                    self._error("E103", f"'{part}': {describe(ty)} has no fields", node.span)
                    return (lambda ctx, env: Missing((n.unparse(node),))), _ERROR
                sub = ty.record.fields.get(part)
                if sub is None:
                    self._error("E103", f"unknown field '{part}' of {ty.record.name}", node.span,
                                suggest(part, sorted(ty.record.fields)))
                    return (lambda ctx, env: Missing((n.unparse(node),))), _ERROR
                steps.append(("attr", sub.getter, part, ""))
                labels_zh.append(sub.label_zh)
                labels_en.append(sub.label_en)
                enum_labels = dict(sub.enum_labels)
                ty = sub.ty
            else:
                key_fn, key_ty = self.value(part, scope)
                if ty.kind == "yearmap":
                    if key_ty.kind not in ("year", "number", "error"):
                        self._error("E104", f"a year is needed to index '{head}', not "
                                    f"{describe(key_ty)}", part.span)
                elif ty.kind == "map":
                    if key_ty.kind not in ("string", "error"):
                        self._error("E104", f"a text key is needed to index '{head}', not "
                                    f"{describe(key_ty)}", part.span)
                else:
                    self._error("E104", f"{describe(ty)} cannot be indexed with [...]",
                                part.span)
                    return (lambda ctx, env: Missing((n.unparse(node),))), _ERROR
                steps.append(("index", key_fn, "", ""))
                ty = ty.item or _ERROR
        label_zh = " · ".join(labels_zh)
        label_en = " · ".join(labels_en)
        value_ty = ty
        numeric = ty.kind in NUMERIC
        head_getter = spec.getter
        static_text = n.unparse(node)

        def get(ctx: EvalContext, env: Env) -> Any:
            obj = head_getter(ctx, ctx) if frame_index < 0 else head_getter(env[frame_index], ctx)
            text = head
            lz = label_zh
            for kind, step, attr, _ in steps:
                if obj is None or isinstance(obj, Missing):
                    break
                if kind == "attr":
                    obj = step(obj, ctx)
                    text += f".{attr}"
                else:
                    key = step(ctx, env)
                    if isinstance(key, Missing):
                        return Missing(key.paths)
                    key = int(key) if isinstance(key, Fraction) else key
                    text += f"[{key}]"
                    lz += f"（{key}）"
                    obj = obj.get(key) if isinstance(obj, dict) else None
            if obj is None or isinstance(obj, Missing):
                full = prefix + (text if len(text) >= len(static_text) or "[" in text
                                 else static_text)
                if isinstance(obj, Missing) and (obj.paths or obj.note):
                    full_missing = obj  # a virtual field knows which data are missing
                else:
                    full_missing = Missing((full,))
                if record and ctx.recorder.depth == 0:
                    ctx.recorder.read(ValueRead(full, lz, label_en, None, "（缺失）", True,
                                                "(missing)"))
                return full_missing
            value = _num(obj) if numeric else obj
            if record and ctx.recorder.depth == 0 and not isinstance(value, list | dict):
                ctx.recorder.read(LazyValueRead(
                    prefix + text, lz, label_en, value,
                    partial(display_value, value, value_ty, enum_labels or None),
                ))
            return value

        return get, ty

    def _arith(self, node: n.Arith, scope: Scope) -> tuple[ValueFn, Ty]:
        lf, lt = self.value(node.left, scope)
        rf, rt = self.value(node.right, scope)
        if "error" in (lt.kind, rt.kind):
            return (lambda ctx, env: Missing(("?",))), _ERROR
        result = arith_result(lt, node.op, rt)
        if isinstance(result, str):
            self._error("E104", result, node.span)
            return (lambda ctx, env: Missing(("?",))), _ERROR
        op = node.op
        percent = op == "/" and result.kind == "percent" and rt.kind != "number"

        divisor = self.label(node.right, scope)[0] if op == "/" else ""

        def arith(ctx: EvalContext, env: Env) -> Any:
            return _arith(op, lf(ctx, env), rf(ctx, env), percent, divisor)

        return arith, result

    # -- aggregates --------------------------------------------------------------------

    def _aggregate(self, node: n.Aggregate, scope: Scope) -> tuple[ValueFn, Ty]:
        coll_fn, coll_ty = self.value(node.collection, scope)
        func = node.func
        coll_text = n.unparse(node.collection)
        if coll_ty.kind == "error":
            return (lambda ctx, env: Missing((coll_text,))), _ERROR
        if coll_ty.kind == "list" and coll_ty.item is not None and coll_ty.item.record:
            item_record = coll_ty.item.record
            is_years = False
        elif coll_ty.kind == "yearmap" and coll_ty.item is not None:
            item_record = _year_record(coll_ty.item)
            is_years = True
        else:
            self._error("E104", f"{func}(...) needs a list or values by year; "
                        f"'{coll_text}' is {describe(coll_ty)}", node.collection.span)
            return (lambda ctx, env: Missing((coll_text,))), _ERROR
        head = node.collection.parts[-1] if isinstance(node.collection, n.Path) else ""
        type_spec = item_record.fields.get("type")
        type_labels = dict(type_spec.enum_labels) if type_spec is not None else {}
        unit = "年" if is_years else _UNITS.get(str(head), "个")
        inner = scope.push(Frame(item_record, coll_text))
        depth_index = len(inner.frames) - 1
        where = self.condition(node.where, inner) if node.where is not None else None
        value_fn: ValueFn | None = None
        result_ty: Ty
        if func == "sum":
            if node.value is None:
                self._error("E102", "sum(...) needs a value: sum(sales of brands where ...)",
                            node.span)
                return (lambda ctx, env: Missing((coll_text,))), _ERROR
            value_fn, result_ty = self.value(node.value, inner)
            if result_ty.kind not in NUMERIC and result_ty.kind != "error":
                self._error("E104", f"sum(...) adds numbers; '{n.unparse(node.value)}' is "
                            f"{describe(result_ty)}", node.value.span)
        else:
            if node.value is not None:
                self._error("E102", f"'of' is only for sum(...); {func}(...) counts members",
                            node.value.span)
            result_ty = {"share": Ty("percent"), "count": Ty("count", unit_zh=unit)}.get(
                func, Ty("bool"))
        window_fn: ValueFn | None = None
        window_unit = ""
        if node.window is not None:
            window_fn, wty = self.value(node.window.length, scope)
            window_unit = node.window.unit
            if wty.kind not in ("number", "count", "error"):
                self._error("E104", f"a window length is a number of {window_unit}, not "
                            f"{describe(wty)}", node.window.length.span)
            if not is_years and "date" not in item_record.fields:
                self._error("E104", f"'{coll_text}' has no dates, so 'within' cannot apply",
                            node.window.span)
            if is_years and not window_unit.startswith("year"):
                self._error("E104", "values by year take a window in years", node.window.span)
        text = n.unparse(node)
        value_ty = result_ty

        def aggregate(ctx: EvalContext, env: Env) -> Any:
            coll = coll_fn(ctx, env)
            rec = ctx.recorder
            if isinstance(coll, Missing):
                rec.note_missing(coll.paths)
                return Missing(coll.paths) if func in ("share", "count", "sum") else Truth.UNKNOWN
            window: tuple[_dt.date, _dt.date] | None = None
            excluded = 0
            members: list[tuple[str, str, str, Any]] = []
            if window_fn is not None:
                length = window_fn(ctx, env)
                if isinstance(length, Missing):
                    return Missing(length.paths) if func in ("share", "count", "sum") else (
                        Truth.UNKNOWN)
                start = window_bounds(ctx.date, int(length), window_unit)
                window = (start, ctx.date)
            if is_years:
                if window is not None:
                    years = list(range(window[0].year + 1, window[1].year + 1))
                    excluded = sum(1 for y in coll if y not in years)
                else:
                    years = sorted(coll)
                members = [(str(y), f"{y}年", str(y), YearEntry(y, _num(coll.get(y))))
                           for y in years]
            else:
                for i, item in enumerate(coll):
                    if window is not None:
                        day = getattr(item, "date", None)
                        if day is None or not (window[0] <= day <= window[1]):
                            excluded += 1
                            continue
                    members.append(_member_key(item, i, type_labels))
            passed = unknown = 0
            lo = hi = Fraction(0)
            unbounded = False
            traces: list[ItemTrace] = []
            missing: list[str] = []
            saved = rec.item_missing
            saved_checks = rec.item_checks
            rec.item_detail = is_years
            rec.depth += 1
            try:
                for key, label, label_en, obj in members:
                    rec.item_missing = []
                    rec.item_checks = []
                    inner_env = (*env, obj)
                    truth = where(ctx, inner_env) if where is not None else Truth.PASS
                    shown: str | None = None
                    if value_fn is not None and truth is not Truth.FAIL:
                        v = value_fn(ctx, inner_env)
                        if isinstance(v, Missing):
                            rec.note_missing(v.paths)
                            unbounded = True
                            truth = Truth.UNKNOWN if truth is Truth.PASS else truth
                        else:
                            shown = display_value(v, value_ty)
                            hi += v
                            if truth is Truth.PASS:
                                lo += v
                    elif value_fn is None and is_years:
                        shown = display_value(obj.value, coll_ty.item or _ERROR) if (
                            obj.value is not None) else "（缺失）"
                    if truth is Truth.PASS:
                        passed += 1
                    elif truth is Truth.UNKNOWN:
                        unknown += 1
                    item_paths = [_qualify(p, depth_index, coll_text, key, is_years)
                                  for p in rec.item_missing]
                    missing.extend(p for p in item_paths if p not in missing)
                    detail = detail_en = ""
                    if is_years and rec.item_checks:
                        detail = "；".join(_item_check_text(c) for c in rec.item_checks)
                        detail_en = "; ".join(_item_check_text_en(c) for c in rec.item_checks)
                    traces.append(ItemTrace(key, label, truth, shown, item_paths, detail,
                                            label_en, detail_en))
            finally:
                rec.depth -= 1
                rec.item_missing = saved
                rec.item_checks = saved_checks
                rec.item_detail = False
            total = len(members)
            result: Any
            if func == "count":
                result = Fraction(passed) if not unknown else Bounds(
                    Fraction(passed), Fraction(passed + unknown), tuple(missing))
            elif func == "share":
                if total == 0:
                    result = Missing((f"{coll_text}（没有成员，无法计算比例）",))
                elif unknown:
                    result = Bounds(Fraction(passed * 100, total),
                                    Fraction((passed + unknown) * 100, total), tuple(missing))
                else:
                    result = Fraction(passed * 100, total)
                ctx.last_share = (passed, unknown, total, unit)
            elif func == "sum":
                result = lo if not unknown and not unbounded else Bounds(
                    lo, None if unbounded else hi, tuple(missing))
            elif func == "any":
                result = Truth.PASS if passed else (Truth.UNKNOWN if unknown else Truth.FAIL)
            elif func == "all":
                result = Truth.PASS if passed == total else (
                    Truth.FAIL if passed + unknown < total else Truth.UNKNOWN)
            else:  # none
                result = Truth.FAIL if passed else (Truth.UNKNOWN if unknown else Truth.PASS)
            if missing and (unknown or unbounded):
                rec.note_missing(tuple(missing))
            if rec.depth == 0:
                shown_value = (result.value if isinstance(result, Truth)
                               else display_value(result, value_ty))
                rec.aggregate(AggregateTrace(
                    expr=text, func=func, collection=coll_text, unit_zh=unit,
                    total=total, counted=passed, unknown=unknown, value=shown_value,
                    window=window, excluded=excluded, items=traces,
                ))
            return result

        return aggregate, result_ty


def _item_check_text(check: Check) -> str:
    op = {">=": "≥", "<=": "≤", "!=": "≠"}.get(check.op, check.op)
    margin = f"，{check.margin.text_zh}" if check.margin is not None else ""
    return f"{check.left_value}（要求 {op} {check.right_value}{margin}）"


def _item_check_text_en(check: Check) -> str:
    margin = f", {check.margin.text_en}" if check.margin is not None else ""
    return f"{check.left_value_en} (required {check.op} {check.right_value_en}{margin})"


def _qualify(path: str, depth_index: int, coll: str, key: str, is_years: bool) -> str:
    marker = f"@{depth_index}."
    if is_years and path == f"{marker}value":
        return f"{coll}[{key}]"
    if path.startswith(marker):
        return f"{coll}[{key}].{path[len(marker):]}"
    return path


def _member_key(item: Any, index: int,
                type_labels: dict[str, str] | None = None) -> tuple[str, str, str, Any]:
    """(key, Chinese label, English label, item) of a collection member."""
    ident = getattr(item, "id", None)
    name = getattr(item, "name", None)
    if ident is not None:
        label = f"{name}（{ident}）" if name else str(ident)
        return str(ident), label, f"{name} ({ident})" if name else str(ident), item
    day = getattr(item, "date", None)
    kind = getattr(item, "type", None)
    kind_zh = type_labels.get(kind, kind) if type_labels and kind else kind
    if day is not None:
        return (f"{index}", f"{day.isoformat()} {kind_zh or ''}".strip(),
                f"{day.isoformat()} {kind or ''}".strip(), item)
    if name is not None:
        return f"{index}", str(name), str(name), item
    return f"{index}", f"#{index + 1}", f"#{index + 1}", item


def suggest_name(name: str, options: dict[str, Any]) -> str:
    """The closest option's name (for hints that must be re-quoted with a prefix)."""
    hint = suggest(name, options) or ""
    return hint.removeprefix("did you mean '").removesuffix("'?")
