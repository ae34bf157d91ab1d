"""Readers' names for rule expressions, built from the fields' Chinese and English labels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from qstrong.core.errors import Diagnostic
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import ParamDef
from qstrong.lang.rule_types import FieldSpec, Ty
from qstrong.lang.scopes import ERROR, Frame, Scope, year_record

__all__ = ["RuleTyper", "expression_label", "item_scope", "path_label"]


class RuleTyper(Protocol):
    """What labels need of the rule compiler: the parameters, its diagnostics, and the type of
    an expression in a scope (the compiler itself, seen from here without importing it)."""

    @property
    def params(self) -> Mapping[str, ParamDef]: ...

    @property
    def diagnostics(self) -> list[Diagnostic]: ...

    def value(self, node: n.Node, scope: Scope) -> tuple[Any, Ty]: ...


def expression_label(c: RuleTyper, node: n.Node, scope: Scope) -> tuple[str, str]:
    """A reader's name for an expression, built from the fields' Chinese and English labels."""
    if isinstance(node, n.Path):
        return path_label(node, scope)
    if isinstance(node, n.Param):
        pdef = c.params.get(node.name)
        return (pdef.title_zh, pdef.title_en or node.name) if pdef else (f"${node.name}",) * 2
    if isinstance(node, n.Arith):
        if (isinstance(node.left, n.Path) and isinstance(node.right, n.Path)
                and len(node.left.parts) == len(node.right.parts) > 1
                and node.left.parts[:-1] == node.right.parts[:-1]):
            head = n.Path(node.left.parts[:-1])
            hz, he = path_label(head, scope)
            lz, le = path_label(node.left, scope)
            rz, re_ = path_label(node.right, scope)

            def tail(full: str, h: str) -> str:
                return full[len(h) + 3:] if full.startswith(h + " · ") else full

            return (f"{hz}（{tail(lz, hz)} {node.op} {tail(rz, hz)}）",
                    f"{he} ({tail(le, he)} {node.op} {tail(re_, he)})")
        lz, le = expression_label(c, node.left, scope)
        rz, re_ = expression_label(c, node.right, scope)
        if isinstance(node.left, n.Arith):
            lz, le = f"（{lz}）", f"({le})"
        if isinstance(node.right, n.Arith):
            rz, re_ = f"（{rz}）", f"({re_})"
        op = {"/": "÷", "*": "×", "-": "−"}.get(node.op, node.op)
        return f"{lz} {op} {rz}", f"{le} {op} {re_}"
    if isinstance(node, n.Aggregate):
        cz, ce = expression_label(c, node.collection, scope)
        item = item_scope(c, node, scope) if node.where is not None else None
        wz, we = expression_label(c, node.where, item) if item and node.where else ("", "")
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
                item = item_scope(c, node, scope)
                text = n.unparse(node.value)
                vz, ve = expression_label(c, node.value, item) if item else (text, text)
            except Exception:  # labels never fail a compile
                vz = ve = n.unparse(node.value)
            return f"符合条件的{cz}{vz}合计", f"total {ve} of matching {ce}"
    if isinstance(node, n.Compare):
        lz, le = expression_label(c, node.left, scope)
        rz, re_ = expression_label(c, node.right, scope)
        return f"{lz} {node.op} {rz}", f"{le} {node.op} {re_}"
    if isinstance(node, n.BoolOp):
        parts = [expression_label(c, o, scope) for o in node.operands]
        word_zh = "且" if node.op == "and" else "或"
        return (word_zh.join(p[0] for p in parts),
                f" {node.op} ".join(p[1] for p in parts))
    if isinstance(node, n.Not):
        z, e = expression_label(c, node.operand, scope)
        return f"非（{z}）", f"not ({e})"
    if isinstance(node, n.InSet):
        z, e = expression_label(c, node.item, scope)
        opts = "、".join(n.unparse(o).strip('"') for o in node.options)
        word = "不属于" if node.negated else "属于"
        return f"{z}{word}{{{opts}}}", f"{e} {'not ' if node.negated else ''}in {{{opts}}}"
    text = n.unparse(node)
    return text, text

def item_scope(c: RuleTyper, node: n.Aggregate, scope: Scope) -> Scope | None:
    """The scope inside an aggregate (its members' fields), or None if it has none."""
    saved = list(c.diagnostics)
    _, coll_ty = c.value(node.collection, scope)
    c.diagnostics[:] = saved
    if coll_ty.kind == "list" and coll_ty.item is not None and coll_ty.item.record:
        return scope.push(Frame(coll_ty.item.record))
    if coll_ty.kind == "yearmap" and coll_ty.item is not None:
        return scope.push(Frame(year_record(coll_ty.item)))
    return None

def path_label(node: n.Path, scope: Scope) -> tuple[str, str]:
    """A path's name from its fields' labels, joined with " · "."""
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
            ty = ty.item or ERROR
    return " · ".join(zh), " · ".join(en)
