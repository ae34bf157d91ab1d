"""Kleene's three-valued ``and`` and ``or`` of truth codes (0 fail, 1 unknown, 2 pass; 3 for
a clause that did not apply) as Python expressions, for the generated verdict program
(`qstrong.engine.codegen`): the cheapest form CPython runs for each case."""

from __future__ import annotations

__all__ = ["combine", "combine_statements", "kleene"]


def combine(how: str, children: list[tuple[str, bool]]) -> str:
    """A parent's status from its children's: Kleene's ``and`` (``all``) is ``min``, ``or``
    (``any``) is ``max``; a child that did not apply (3, only where it has an
    ``applies_if``) counts as a pass. No call where a child alone decides, and no cap where
    no child can be 3 (a clause's status code is then already 0, 1 or 2)."""
    if not children:
        return "2" if how == "all" else "0"
    capped = any(may_skip for _, may_skip in children)
    names = [name for name, _ in children]
    if not capped:
        return kleene(how, names, names=True)
    if how == "all":
        return f"min({', '.join(names)}, 2)"
    parts = [f"min({name}, 2)" if may_skip else name for name, may_skip in children]
    return parts[0] if len(parts) == 1 else f"max({', '.join(parts)})"


def combine_statements(target: str, how: str, children: list[tuple[str, bool]]) -> list[str]:
    """`combine` as statements that set ``target``. Of more than two children none of which
    can be 3, the least (``all``) or greatest (``any``) code is kept by one comparison per
    child (``if s5 < s2: s2 = s5``), which costs about the same whatever the codes, where
    looking for the deciding code in their tuple costs up to three times as much when every
    child passes, as most do in a county."""
    names = [name for name, _ in children]
    if len(names) <= 2 or any(may_skip for _, may_skip in children):
        return [f"{target} = {combine(how, children)}"]
    less = "<" if how == "all" else ">"
    first, second = names[0], names[1]
    lines = [f"{target} = {first} if {first} {less} {second} else {second}"]
    for name in names[2:]:
        lines += [f"if {name} {less} {target}:", f"    {target} = {name}"]
    return lines


def kleene(how: str, parts: list[str], *, names: bool = False,
           bind: tuple[str, str] | None = None) -> str:
    """Kleene's ``and`` (``all``: the least code) or ``or`` (``any``: the greatest) of truth
    codes 0, 1, 2, without a call: two names by one comparison (two expressions too, each
    bound to a name of ``bind`` as it is evaluated, left first), more parts by looking for
    the deciding code in their tuple (``in`` on small ints is a C loop; ``min`` is a call
    that costs more). The tuple's name ``_m`` is bound after its parts are evaluated, so a
    part that is itself such an expression is done with its own before it is rebound."""
    if len(parts) == 1:
        return parts[0]
    less = "<" if how == "all" else ">"
    if names and len(parts) == 2:
        a, b = parts
        return f"({a} if {a} {less} {b} else {b})"
    if bind is not None and len(parts) == 2:
        a, b = bind
        return f"({a} if ({a} := {parts[0]}) {less} ({b} := {parts[1]}) else {b})"
    decide, last = ("0", "2") if how == "all" else ("2", "0")
    return f"({decide} if {decide} in (_m := ({', '.join(parts)},)) else 1 if 1 in _m else {last})"
