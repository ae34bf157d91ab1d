"""Check rule names and types against the data models, and compile each rule once into closures.

Every compiled node also records its own explanation (values read, comparisons with
margins, aggregates with their members) into the context's `Recorder`, so the
explanation cannot drift from what was computed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from fractions import Fraction
from functools import partial
from typing import Any, TypeVar

from qstrong.core import codes
from qstrong.core.errors import Diagnostic
from qstrong.core.exact import to_fraction
from qstrong.core.logic import Truth, all_of, any_of, not_
from qstrong.core.messages import Message, msg, words
from qstrong.core.source import Span
from qstrong.core.vocab import closest, suggest
from qstrong.engine.aggregates import compile_aggregate
from qstrong.engine.context import CondFn, Env, EvalContext, ValueFn
from qstrong.engine.explanation import LazyCheck, LazyValueRead, ValueRead, exact_number
from qstrong.engine.margin import compare_margin, display_value
from qstrong.engine.operations import arith, compare_values, missing_of, to_exact
from qstrong.engine.runtime import Bounds, Missing, UncertainMembers
from qstrong.engine.summary import check_texts, item_check_texts
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import ParamDef
from qstrong.lang.labels import expression_label
from qstrong.lang.rule_types import (
    NUMERIC,
    FieldSpec,
    Ty,
    arith_result,
    comparable,
    comparison_hint,
    describe,
    record_words,
)
from qstrong.lang.scopes import ERROR, Scope

__all__ = ["RuleCompiler"]

_PLAIN = frozenset({Fraction, int, bool, str, _dt.date})
"""Value types a comparison's written texts depend on alone (hashable, immutable)."""

_T = TypeVar("_T")

_RENDERED_PER_COMPARISON = 256
"""How many pairs of values one comparison keeps the texts of (a bounded memory: each
entry is a few short strings)."""


def _kept(memo: dict[Any, _T], key: Any, make: Callable[..., _T], *args: Any) -> _T:
    """``make(*args)``, kept in ``memo`` under ``key`` (up to `_RENDERED_PER_COMPARISON`
    entries) for the next candidate that asks with the same values."""
    made = memo.get(key)
    if made is None:
        made = make(*args)
        if len(memo) < _RENDERED_PER_COMPARISON:
            memo[key] = made
    return made


def _as_key(value: Any) -> Any:
    """A plain value as a memo key: a `Fraction` as its two integers (hashing a `Fraction`
    runs Python code; its integers hash in C). The value's type is in the key beside it."""
    if type(value) is Fraction:
        exact: Any = value  # its integers, read without the properties' calls
        return (exact._numerator, exact._denominator)
    return value


def _marker(frame_index: int) -> str:
    return f"@{frame_index}." if frame_index > 0 else ""


class RuleCompiler:
    """Checks and compiles rule expressions for one scope; collects every diagnostic."""

    def __init__(self, params: dict[str, ParamDef]) -> None:
        self.params = params
        self.diagnostics: list[Diagnostic] = []
        self.aggregate_depth = 0

    # -- diagnostics -------------------------------------------------------------------

    def error(self, code: str, message: Message, span: Span,
              hint: Message | None = None) -> None:
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
            self.error(codes.RULE_TYPE, msg("check.not_condition", text=n.unparse(node),
                                            type=describe(ty)),
                       node.span, words("check.not_condition_hint"))

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
                self.error(codes.RULE_TYPE, problem, node.span, comparison_hint(lt, rt))
        if lt.kind == "string" and isinstance(node.right, n.String):
            self._check_enum(lt, node.right)
        op = node.op
        text = n.unparse(node)
        left_text, right_text = n.unparse(node.left), n.unparse(node.right)
        left_zh, left_en = self.label(node.left, scope)
        unit_ty = lt if lt.kind not in ("number", "error") else rt
        is_share = isinstance(node.left, n.Aggregate) and node.left.func == "share"
        in_members = len(scope.frames) > 1  # inside an aggregate, for each of its members

        def compare(ctx: EvalContext, env: Env) -> Truth:
            ctx.last_share = None
            left = lf(ctx, env)
            share = ctx.last_share if is_share else None
            right = rf(ctx, env)
            truth = compare_values(op, left, right)
            rec = ctx.recorder
            if truth is Truth.UNKNOWN:
                rec.note_missing(missing_of(left, right))
                for v in (left, right):
                    if isinstance(v, Missing) and v.note:
                        rec.note(v.note)
            if rec.depth == 0 or rec.item_detail:
                rec.check(LazyCheck(text, left_text, left_zh, left_en, op, right_text, truth,
                                    partial(render, left, right, share, truth),
                                    share=is_share))
            return truth

        left_shown = unit_ty if lt.kind == "number" else lt
        right_shown = unit_ty if rt.kind == "number" else rt
        rendered: dict[tuple[Any, ...], dict[str, Any]] = {}

        def render(left: Any, right: Any, share: Any, truth: Truth) -> dict[str, Any]:
            # Display texts are written when an explanation is read, not during the run. The
            # candidates of a province compare the same few values with the same bound: a
            # comparison of plain values keeps what it wrote for each pair (the types are in
            # the key: 1, 1.0 and True are equal as keys but are not written alike).
            if share is None and type(left) in _PLAIN and type(right) in _PLAIN:
                return _kept(rendered, (type(left), _as_key(left), type(right), _as_key(right),
                                        truth), _render, left, right, share, truth)
            return _render(left, right, share, truth)

        def _render(left: Any, right: Any, share: Any, truth: Truth) -> dict[str, Any]:
            apart = right if isinstance(left, Fraction) and isinstance(right, Fraction) else None
            value_zh = display_value(left, left_shown, apart_from=apart)
            value_en = display_value(left, left_shown, lang="en", apart_from=apart)
            bound_zh = display_value(right, right_shown)
            bound_en = display_value(right, right_shown, lang="en")
            margin = (compare_margin(op, left, right, unit_ty, share)
                      if unit_ty.kind in NUMERIC else None)
            return {
                "left_value": value_zh,
                "left_value_en": value_en,
                "right_value": bound_zh,
                "right_value_en": bound_en,
                "left_number": exact_number(left),
                "right_number": exact_number(right),
                "unit": unit_ty.kind if unit_ty.kind in NUMERIC else "",
                "partial": truth is Truth.UNKNOWN and not isinstance(left, Missing)
                           and not isinstance(right, Missing),
                "margin": margin,
                # Its part of a text: of its clause's summary, or inside an aggregate of its
                # member's detail (the other is written from the fields, if ever asked for).
                "summary_texts": None if in_members else check_texts(
                    op, is_share, left_zh, left_en, value_zh, value_en, bound_zh, bound_en,
                    margin),
                "item_texts": item_check_texts(op, value_zh, value_en, bound_zh, bound_en,
                                               margin) if in_members else None,
            }

        return compare

    def label(self, node: n.Node, scope: Scope) -> tuple[str, str]:
        """A reader's name for an expression (see `qstrong.lang.labels`)."""
        return expression_label(self, node, scope)

    def _check_enum(self, ty: Ty, lit: n.String) -> None:
        if ty.enum is not None and lit.value not in ty.enum:
            self.error(codes.RULE_TYPE, msg("check.not_allowed_value", value=lit.value),
                       lit.span, suggest(lit.value, sorted(ty.enum))
                       or msg("check.allowed", values=", ".join(sorted(ty.enum))))

    def _in_set(self, node: n.InSet, scope: Scope) -> CondFn:
        item_fn, item_ty = self.value(node.item, scope)
        options: list[Any] = []
        if not node.options:
            self.error(codes.RULE_TYPE, words("check.empty_set"), node.span,
                       words("check.empty_set_hint"))
        if item_ty.kind in ("list", "record", "yearmap", "map"):
            self.error(codes.RULE_TYPE, msg("check.in_one_value", text=n.unparse(node.item),
                                            type=describe(item_ty)), node.item.span,
                       words("check.in_one_value_hint"))
            return lambda ctx, env: Truth.UNKNOWN
        for opt in node.options:
            if isinstance(opt, n.String):
                if item_ty.kind == "string":
                    self._check_enum(item_ty, opt)
                elif item_ty.kind != "error":
                    self.error(codes.RULE_TYPE, msg("check.text_option", value=opt.value,
                                                    text=n.unparse(node.item),
                                                    type=describe(item_ty)), opt.span)
                options.append(opt.value)
            elif isinstance(opt, n.Number | n.Percent) and item_ty.kind in NUMERIC:
                if (item_ty.kind == "percent") != isinstance(opt, n.Percent):
                    self.error(codes.RULE_TYPE, msg("check.option_unit", option=n.unparse(opt),
                                                    text=n.unparse(node.item),
                                                    type=describe(item_ty)), opt.span,
                               words("check.option_unit_hint"))
                options.append(to_fraction(opt.value))
            else:
                self.error(codes.RULE_TYPE, words("check.set_items"), opt.span)
        allowed = frozenset(options)
        negated = node.negated

        def in_set(ctx: EvalContext, env: Env) -> Truth:
            value = item_fn(ctx, env)
            if isinstance(value, Missing | Bounds):
                ctx.recorder.note_missing(missing_of(value))
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
                self.error(codes.RULE_TYPE, msg("param.above_100", value=n.unparse(node)),
                           node.span)
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
                self.error(codes.RULE_TYPE, msg("check.negate", type=describe(ty)), node.span)

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
            close = closest(node.name, self.params)
            self.error(codes.UNKNOWN_NAME, msg("check.unknown_param", name=node.name), node.span,
                       msg("core.did_you_mean", word=f"${close}") if close else None)
            return (lambda ctx, env: Missing((f"${node.name}",))), ERROR
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
        last = scope.frames[-1] if scope.frames else None
        where = (words("check.the_data") if last is None
                 else msg("check.items_of", collection=last.collection) if last.collection
                 else record_words(last.record))
        hint = suggest(name, sorted(options))
        for frame in reversed(scope.frames):  # a value of a coded field, written unquoted
            for field_name, spec in frame.record.fields.items():
                if spec.ty.enum is not None and name in spec.ty.enum:
                    hint = msg("check.quote_code", name=name, field=field_name)
                    break
            else:
                continue
            break
        self.error(codes.UNKNOWN_NAME, msg("check.unknown_field", name=name, where=where), span,
                   hint)
        return None

    def _path(self, node: n.Path, scope: Scope, *, record: bool) -> tuple[ValueFn, Ty]:
        head = node.parts[0]
        assert isinstance(head, str)
        found = self._resolve_head(head, scope, node.span)
        if found is None:
            return (lambda ctx, env: Missing((n.unparse(node),))), ERROR
        frame_index, spec = found
        prefix = _marker(frame_index)
        steps: list[tuple[str, Any, str, str]] = []  # (kind, getter-or-fn, label_zh, label_en)
        ty = spec.ty
        labels_zh, labels_en = [spec.label_zh], [spec.label_en]
        enum_labels = dict(spec.enum_labels)
        for part in node.parts[1:]:
            if isinstance(part, str):
                if ty.kind != "record" or ty.record is None:
                    self.error(codes.UNKNOWN_NAME,
                               msg("check.no_fields", part=part, type=describe(ty)), node.span)
                    return (lambda ctx, env: Missing((n.unparse(node),))), ERROR
                sub = ty.record.fields.get(part)
                if sub is None:
                    self.error(codes.UNKNOWN_NAME,
                               msg("check.unknown_field", name=part,
                                   where=record_words(ty.record)), node.span,
                               suggest(part, sorted(ty.record.fields)))
                    return (lambda ctx, env: Missing((n.unparse(node),))), ERROR
                steps.append(("attr", sub.getter, part, ""))
                labels_zh.append(sub.label_zh)
                labels_en.append(sub.label_en)
                enum_labels = dict(sub.enum_labels)
                ty = sub.ty
            else:
                key_fn, key_ty = self.value(part, scope)
                if ty.kind == "yearmap":
                    if key_ty.kind not in ("year", "number", "error"):
                        self.error(codes.RULE_TYPE, msg("check.index_year", head=head,
                                                        type=describe(key_ty)), part.span)
                elif ty.kind == "map":
                    if key_ty.kind not in ("string", "error"):
                        self.error(codes.RULE_TYPE, msg("check.index_text", head=head,
                                                        type=describe(key_ty)), part.span)
                else:
                    self.error(codes.RULE_TYPE, msg("check.no_index", type=describe(ty)),
                               part.span)
                    return (lambda ctx, env: Missing((n.unparse(node),))), ERROR
                steps.append(("index", key_fn, "", ""))
                ty = ty.item or ERROR
        label_zh = " · ".join(labels_zh)
        label_en = " · ".join(labels_en)
        value_ty = ty
        numeric = ty.kind in NUMERIC
        head_getter = spec.getter
        static_text = n.unparse(node)

        # A path of field names only has one text, whatever was found: it is written once
        # here rather than on every read (a path with an index writes the key it read).
        attr_text = head + "".join(f".{attr}" for _, _, attr, _ in steps)
        fields_only = attr_text == static_text and all(s[0] == "attr" for s in steps)
        getters = tuple(step for _, step, _, _ in steps)

        def get(ctx: EvalContext, env: Env) -> Any:
            obj = head_getter(ctx, ctx) if frame_index < 0 else head_getter(env[frame_index], ctx)
            lz = label_zh
            if fields_only:
                for step in getters:
                    if obj is None or isinstance(obj, Missing):
                        break
                    obj = step(obj, ctx)
                text = attr_text
            else:
                text = head
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
                    for i, missing_path in enumerate(obj.paths):
                        ctx.recorder.label(missing_path, obj.labels[i] if i < len(obj.labels)
                                           else (lz, label_en))
                else:
                    full_missing = Missing((full,))
                    ctx.recorder.label(full, (lz, label_en))
                if record and ctx.recorder.depth == 0:
                    ctx.recorder.read(ValueRead(full, lz, label_en, None, "（缺失）", True,
                                                "(missing)"))
                return full_missing
            value = to_exact(obj) if numeric else obj
            if record and ctx.recorder.depth == 0 and not isinstance(
                    value, list | dict | UncertainMembers):
                ctx.recorder.read(LazyValueRead(prefix + text, lz, label_en, value,
                                                partial(shown, value)))
            return value

        shown_before: dict[tuple[Any, ...], dict[str, str]] = {}
        labels_of_values = enum_labels or None

        def texts(value: Any) -> dict[str, str]:
            return {"display": display_value(value, value_ty, labels_of_values, "zh"),
                    "display_en": display_value(value, value_ty, labels_of_values, "en")}

        def shown(value: Any) -> dict[str, str]:
            # As a comparison keeps its texts (`_compare`): the two texts of a plain value,
            # kept for the next candidate that read the same value here.
            if type(value) not in _PLAIN:
                return texts(value)
            return _kept(shown_before, (type(value), _as_key(value)), texts, value)

        return get, ty

    def _arith(self, node: n.Arith, scope: Scope) -> tuple[ValueFn, Ty]:
        lf, lt = self.value(node.left, scope)
        rf, rt = self.value(node.right, scope)
        if "error" in (lt.kind, rt.kind):
            return (lambda ctx, env: Missing(("?",))), ERROR
        result = arith_result(lt, node.op, rt)
        if not isinstance(result, Ty):
            self.error(codes.RULE_TYPE, result, node.span)
            return (lambda ctx, env: Missing(("?",))), ERROR
        op = node.op
        percent = op == "/" and result.kind == "percent" and rt.kind != "number"

        divisor = self.label(node.right, scope)[0] if op == "/" else ""

        def compute(ctx: EvalContext, env: Env) -> Any:
            return arith(op, lf(ctx, env), rf(ctx, env), percent, divisor)

        return compute, result

    # -- aggregates --------------------------------------------------------------------

    def _aggregate(self, node: n.Aggregate, scope: Scope) -> tuple[ValueFn, Ty]:
        return compile_aggregate(self, node, scope)
