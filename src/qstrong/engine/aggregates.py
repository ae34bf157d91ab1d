"""Aggregates over members, incidents and years: share, count, sum, any, all, none.

Members with unknown values give `Bounds` (counting every unknown as no, then as yes),
so the counting rule is exact; the trace lists every member with its status.
"""

from __future__ import annotations

import datetime as _dt
from fractions import Fraction
from typing import Any, Protocol

from qstrong.core import codes
from qstrong.core.logic import Truth
from qstrong.core.messages import Message, msg, words
from qstrong.core.source import Span
from qstrong.engine.context import CondFn, Env, EvalContext, ValueFn, YearEntry
from qstrong.engine.explanation import AggregateTrace, Check, ItemTrace
from qstrong.engine.margin import display_value
from qstrong.engine.operations import to_exact, window_bounds, window_cap
from qstrong.engine.runtime import Bounds, Missing, UncertainMembers
from qstrong.engine.summary import item_check_texts
from qstrong.engine.trace import Label
from qstrong.lang import nodes as n
from qstrong.lang.rule_types import NUMERIC, Ty, describe
from qstrong.lang.scopes import ERROR, Frame, Scope, year_record

__all__ = ["AggregateCompiler", "compile_aggregate", "uncertain_population"]


class AggregateCompiler(Protocol):
    """What compiling an aggregate needs of the rule compiler (which calls it, passing itself)."""

    aggregate_depth: int
    """How many aggregates enclose the one being compiled (0 at the top of a rule)."""

    def value(self, node: n.Node, scope: Scope) -> tuple[ValueFn, Ty]: ...

    def condition(self, node: n.Node, scope: Scope) -> CondFn: ...

    def error(self, code: str, message: Message, span: Span,
              hint: Message | None = None) -> None: ...

    def label(self, node: n.Node, scope: Scope) -> Label: ...

_UNITS = {"members": "家", "enterprises": "家", "districts": "个", "industries": "个",
          "brands": "个", "led_standards": "项", "standards": "项", "incidents": "起"}


def compile_aggregate(c: AggregateCompiler, node: n.Aggregate, scope: Scope) -> tuple[ValueFn, Ty]:
    """Compile ``share/count/sum/any/all/none(...)``: members, window, condition, trace."""
    coll_fn, coll_ty = c.value(node.collection, scope)
    func = node.func
    coll_text = n.unparse(node.collection)
    if coll_ty.kind == "error":
        return (lambda ctx, env: Missing((coll_text,))), ERROR
    if node.empty is not None and func != "all":
        c.error(codes.RULE_TYPE, msg("agg.empty_for_all", empty=node.empty, func=func),
                node.span)
    if coll_ty.kind == "list" and coll_ty.item is not None and coll_ty.item.record:
        item_record = coll_ty.item.record
        is_years = False
    elif coll_ty.kind == "yearmap" and coll_ty.item is not None:
        item_record = year_record(coll_ty.item)
        is_years = True
    else:
        c.error(codes.RULE_TYPE, msg("agg.needs_list", func=func, text=coll_text,
                                     type=describe(coll_ty)), node.collection.span)
        return (lambda ctx, env: Missing((coll_text,))), ERROR
    head = node.collection.parts[-1] if isinstance(node.collection, n.Path) else ""
    type_spec = item_record.fields.get("type")
    type_labels = dict(type_spec.enum_labels) if type_spec is not None else {}
    unit = "年" if is_years else _UNITS.get(str(head), "个")
    inner = scope.push(Frame(item_record, coll_text))
    depth_index = len(inner.frames) - 1
    nested = getattr(c, "aggregate_depth", 0)
    if nested and head in _CANDIDATE_LISTS:
        c.error(codes.RULE_TYPE, msg("agg.nested", func=func, text=coll_text), node.span,
                words("agg.nested_hint"))
    c.aggregate_depth = nested + 1
    try:
        where = c.condition(node.where, inner) if node.where is not None else None
    finally:
        c.aggregate_depth = nested
    value_fn: ValueFn | None = None
    result_ty: Ty
    if func == "sum":
        if node.value is None:
            c.error(codes.RULE_SYNTAX, words("agg.sum_needs_value"), node.span)
            return (lambda ctx, env: Missing((coll_text,))), ERROR
        value_fn, result_ty = c.value(node.value, inner)
        if result_ty.kind not in NUMERIC and result_ty.kind != "error":
            c.error(codes.RULE_TYPE, msg("agg.sum_numbers", text=n.unparse(node.value),
                                         type=describe(result_ty)), node.value.span)
    else:
        if node.value is not None:
            c.error(codes.RULE_SYNTAX, msg("agg.of_only_sum", func=func), node.value.span)
        result_ty = {"share": Ty("percent"), "count": Ty("count", unit_zh=unit)}.get(
            func, Ty("bool"))
    window_fn: ValueFn | None = None
    window_unit = ""
    if node.window is not None:
        window_fn, wty = c.value(node.window.length, scope)
        window_unit = node.window.unit
        if wty.kind not in ("number", "count", "error"):
            c.error(codes.RULE_TYPE, msg("agg.window_number", unit=window_unit,
                                         type=describe(wty)), node.window.length.span)
        if not is_years and "date" not in item_record.fields:
            c.error(codes.RULE_TYPE, msg("agg.no_dates", text=coll_text), node.window.span)
        cap = window_cap(window_unit)
        if isinstance(node.window.length, n.Number) and not (
                0 <= node.window.length.value <= cap):
            c.error(codes.RULE_TYPE, msg("agg.window_range", length=node.window.length.value,
                                         unit=window_unit, cap=cap), node.window.length.span)
        if is_years and not window_unit.startswith("year"):
            c.error(codes.RULE_TYPE, words("agg.years_window"), node.window.span)
    text = n.unparse(node)
    value_ty = result_ty
    coll_zh, coll_en = c.label(node.collection, scope)

    def aggregate(ctx: EvalContext, env: Env) -> Any:
        coll = coll_fn(ctx, env)
        rec = ctx.recorder
        maybe: set[int] = set()
        size_paths: tuple[str, ...] = ()
        if isinstance(coll, UncertainMembers):
            for size_path, size_label in zip(coll.paths, coll.labels, strict=False):
                rec.label(size_path, size_label)
            if func not in ("share", "count"):
                coll = Missing(coll.paths, labels=coll.labels)
            else:
                maybe = {id(item) for item in coll.maybe}
                size_paths = coll.paths
                coll = [*coll.sure, *coll.maybe]
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
            if not 0 <= length <= window_cap(window_unit):
                note = f"时间窗口 {length} {window_unit} 超出范围（0 至 {window_cap(window_unit)}）"
                rec.note(note)
                return Missing((), note) if func in ("share", "count", "sum") else Truth.UNKNOWN
            start = window_bounds(ctx.date, int(length), window_unit)
            window = (start, ctx.date)
        if is_years:
            if window is not None:
                years = list(range(window[0].year + 1, window[1].year + 1))
                excluded = sum(1 for y in coll if y not in years)
            else:
                years = sorted(coll)
            members = [(str(y), f"{y}年", str(y), YearEntry(y, to_exact(coll.get(y))))
                       for y in years]
        else:
            for i, item in enumerate(coll):
                if window is not None:
                    day = getattr(item, "date", None)
                    if day is None or not (window[0] <= day <= window[1]):
                        excluded += 1
                        continue
                key_, label_, label_en_, obj_ = _member_key(item, i, type_labels)
                if id(item) in maybe:
                    label_, label_en_ = f"{label_}（规模不明）", f"{label_en_} (size unknown)"
                members.append((key_, label_, label_en_, obj_))
        passed = unknown = 0
        maybe_pass = maybe_unknown = maybe_fail = 0
        lo = hi = Fraction(0)
        unbounded = False
        traces: list[ItemTrace] = []
        missing: list[str] = []
        missing_seen: set[str] = set()
        state = rec.enter_members(detail=is_years)
        try:
            for key, label, label_en, obj in members:
                rec.start_member()
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
                    shown = display_value(obj.value, coll_ty.item or ERROR) if (
                        obj.value is not None) else "（缺失）"
                if maybe and id(obj) in maybe:
                    if truth is Truth.PASS:
                        maybe_pass += 1
                    elif truth is Truth.UNKNOWN:
                        maybe_unknown += 1
                    else:
                        maybe_fail += 1
                elif truth is Truth.PASS:
                    passed += 1
                elif truth is Truth.UNKNOWN:
                    unknown += 1
                item_paths: list[str] = []
                if rec.item_missing:  # most members lack nothing
                    item_paths = [_qualify(p, depth_index, coll_text, key, is_years)
                                  for p in rec.item_missing]
                    for raw, qualified in zip(rec.item_missing, item_paths, strict=True):
                        rec.label_above(state, qualified, _member_field_label(
                            (coll_zh, coll_en), key if getattr(obj, "id", None) is not None
                            else label, rec.member_label(raw), is_years))
                    for p in item_paths:  # a set beside the list: linear in the members
                        if p not in missing_seen:
                            missing_seen.add(p)
                            missing.append(p)
                detail = detail_en = ""
                if is_years and rec.item_checks:
                    texts = [_item_texts(c) for c in rec.item_checks]
                    detail = "；".join(zh for zh, _ in texts)
                    detail_en = "; ".join(en for _, en in texts)
                traces.append(ItemTrace(key, label, truth, shown, item_paths, detail,
                                        label_en, detail_en))
        finally:
            rec.leave_members(state)
        total = len(members) - len(maybe)
        result: Any
        if maybe:
            result = uncertain_population(func, passed, unknown, total, maybe_pass,
                                           maybe_unknown, maybe_fail, missing, size_paths)
            # an exact share is the same whoever belongs: show the sure part's counts
            ctx.last_share = ((passed, unknown, total, unit) if isinstance(result, Fraction)
                              and func == "share" else None)
        elif func == "count":
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
        elif func == "all" and total == 0:
            result = _EMPTY[node.empty] if node.empty is not None else Truth.UNKNOWN
            if node.empty is None:
                rec.note(f"没有数据：{coll_text} 为空，无从判断“全部符合”")
        elif func == "all":
            result = Truth.PASS if passed == total else (
                Truth.FAIL if passed + unknown < total else Truth.UNKNOWN)
        else:  # none
            result = Truth.FAIL if passed else (Truth.UNKNOWN if unknown else Truth.PASS)
        if isinstance(result, Bounds) and maybe:
            rec.note_missing(result.missing)
        elif isinstance(result, Missing) and maybe:
            rec.note_missing(result.paths)
        elif missing and (unknown or unbounded):
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


def _item_texts(check: Check) -> tuple[str, str]:
    written = check.item_texts  # written with the comparison's other texts, if it was
    if written is not None:
        return written
    return item_check_texts(check.op, check.left_value, check.left_value_en, check.right_value,
                            check.right_value_en, check.margin)


_CANDIDATE_LISTS = frozenset({"districts", "industries", "enterprises", "members"})
"""Lists as long as the dataset: an aggregate over one inside another is quadratic."""

_EMPTY = {"pass": Truth.PASS, "fail": Truth.FAIL, "unknown": Truth.UNKNOWN}


def uncertain_population(func: str, passed: int, unknown: int, sure: int, maybe_pass: int,
                          maybe_unknown: int, maybe_fail: int, missing: list[str],
                          size_paths: tuple[str, ...]) -> Any:
    """A share or count over a population some of whose members are uncertain.

    Counting every uncertain member the way that lowers the result (members whose condition
    may fail are in, those that pass are out; unknown conditions fail) gives the lower bound,
    the other way the upper; equal bounds are an exact, certain answer.
    """
    paths = tuple(dict.fromkeys((*missing, *size_paths)))
    if func == "count":
        lo_count = passed
        hi_count = passed + unknown + maybe_pass + maybe_unknown
        return Fraction(lo_count) if lo_count == hi_count else Bounds(
            Fraction(lo_count), Fraction(hi_count), paths)
    if sure == 0:  # the population may be empty: no share to speak of
        return Missing(paths)
    lo = Fraction(passed * 100, sure + maybe_unknown + maybe_fail)
    hi = Fraction((passed + unknown + maybe_pass + maybe_unknown) * 100,
                  sure + maybe_pass + maybe_unknown)
    return lo if lo == hi else Bounds(lo, hi, paths)


def _member_field_label(collection: Label, member: str, inner: Label | None,
                        is_years: bool) -> Label:
    """A member's missing field named after the member: ``强企候选 E15 · 评定为强``, or one
    year of a year-indexed value: ``监督抽查合格率（2013）``."""
    if is_years or inner is None:
        return f"{collection[0]}（{member}）", f"{collection[1]} ({member})"
    return f"{collection[0]} {member} · {inner[0]}", f"{collection[1]} {member} · {inner[1]}"


def _qualify(path: str, depth_index: int, coll: str, key: str, is_years: bool) -> str:
    marker = f"@{depth_index}."
    if is_years and path == f"{marker}value":
        return f"{coll}[{key}]"
    if path.startswith(marker):
        return f"{coll}[{key}].{path[len(marker):]}"
    return path


_FIELDS: dict[type, frozenset[str]] = {}


def _fields_of(kind: type) -> frozenset[str]:
    """The attribute names a member type has: asking a pydantic model for one it lacks goes
    through its slow ``__getattr__``, once per member otherwise."""
    known = _FIELDS.get(kind)
    if known is None:
        model_fields = getattr(kind, "model_fields", None)
        if isinstance(model_fields, dict):
            known = frozenset(model_fields)
        else:
            known = frozenset(name for name in ("id", "name", "date", "type")
                              if hasattr(kind, name)
                              or name in getattr(kind, "__dataclass_fields__", {}))
        _FIELDS[kind] = known
    return known


def _member_key(item: Any, index: int,
                type_labels: dict[str, str] | None = None) -> tuple[str, str, str, Any]:
    """(key, Chinese label, English label, item) of a collection member."""
    fields = _fields_of(type(item))
    ident = getattr(item, "id", None) if "id" in fields else None
    name = getattr(item, "name", None) if "name" in fields else None
    if ident is not None:
        label = f"{name}（{ident}）" if name else str(ident)
        return str(ident), label, f"{name} ({ident})" if name else str(ident), item
    day = getattr(item, "date", None) if "date" in fields else None
    kind = getattr(item, "type", None) if "type" in fields else None
    kind_zh = type_labels.get(kind, kind) if type_labels and kind else kind
    if day is not None:
        return (f"{index}", f"{day.isoformat()} {kind_zh or ''}".strip(),
                f"{day.isoformat()} {kind or ''}".strip(), item)
    if name is not None:
        return f"{index}", str(name), str(name), item
    return f"{index}", f"#{index + 1}", f"#{index + 1}", item
