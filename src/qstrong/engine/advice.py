"""What it would take to pass: failing clauses by how much, unknown ones with the data to supply.

`advise` walks one candidate's explanation tree (or the county's) and keeps the
smallest set of leaf clauses that must change for the verdict to become a pass:
every failing or unknown part of an ``all``, and of an ``any`` only the option
that needs the fewest changes. Each step says by how much the clause is missed
(差 0.4个百分点, 还需 2 家) or which fields are missing.

Example::

    from qstrong import evaluate
    from qstrong.engine.advice import advise
    print(advise(evaluate("examples/county-mixed.yaml").entity("D1")).text())
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from qstrong.core.exact import format_number
from qstrong.core.logic import Status
from qstrong.core.vocab import KIND_OR_COUNTY_WORDS
from qstrong.engine.blocking import blocking_leaves, needed_leaves
from qstrong.engine.clause import ClauseResult
from qstrong.engine.gaps import check_gap
from qstrong.engine.results import CountyResult, EntityResult

__all__ = ["Advice", "Step", "advise", "blocking_leaves", "check_gap", "needed_leaves"]



@dataclass(frozen=True)
class Step:
    """One leaf clause that has to change for the candidate to pass.

    Attributes:
        clause_id: the clause id (``district/1/drug_evaluation``).
        section: the plan's section (``三(一)1``).
        title_zh: Chinese title.
        title_en: English title (may be empty).
        status: FAIL (a value misses its bound) or UNKNOWN (data missing).
        gap_zh: by how much, in the clause's own terms (``95.6%（要求 ≥ 96%），差 0.4个百分点``).
        gap_en: the same in English.
        amount: the numeric shortfall of the first failing comparison, when there is one.
        unit: the unit of ``amount`` (``个百分点``, ``家`` ...), or "".
        missing: field paths to supply.
        missing_labels: the Chinese names of ``missing`` as the explanation tree gives them
            (same order; the path when none is known).
    """

    clause_id: str
    section: str
    title_zh: str
    title_en: str
    status: Status
    gap_zh: str
    gap_en: str
    amount: Fraction | None = None
    unit: str = ""
    missing: tuple[str, ...] = ()
    missing_labels: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "clause": self.clause_id,
            "section": self.section,
            "title": self.title_zh,
            "title_en": self.title_en,
            "status": self.status.value,
            "gap": self.gap_zh,
            "gap_en": self.gap_en,
            "amount": None if self.amount is None else format_number(self.amount),
            "unit": self.unit,
            "missing": list(self.missing),
            "missing_labels": list(self.missing_labels),
        }


@dataclass(frozen=True)
class Advice:
    """The shortest statement of what a candidate needs to pass.

    Attributes:
        kind: ``district``, ``industry``, ``enterprise`` or ``county``.
        id: the candidate's id (the county code for the county).
        name: its name.
        status: its current verdict.
        steps: the leaf clauses to change, in the order of the criteria.
        choices: ids of ``any`` clauses where one option among several was picked.
    """

    kind: str
    id: str
    name: str
    status: Status
    steps: tuple[Step, ...] = ()
    choices: tuple[str, ...] = ()

    @property
    def failing(self) -> list[Step]:
        """Steps whose clause fails on the data given."""
        return [s for s in self.steps if s.status is Status.FAIL]

    @property
    def unknown(self) -> list[Step]:
        """Steps whose clause cannot be decided until data are supplied."""
        return [s for s in self.steps if s.status is Status.UNKNOWN]

    def lines(self, lang: str = "zh") -> list[str]:
        """The advice as plain text lines (no marks of colour), Chinese or English."""
        zh = lang == "zh"
        kind = KIND_OR_COUNTY_WORDS["zh" if zh else "en"].get(self.kind, self.kind)
        head = f"{kind} {self.id} {self.name}"
        if self.status in (Status.PASS, Status.NOT_APPLICABLE):
            return [f"{head}：已达标，无需改动。" if zh else f"{head}: already passes."]
        fails, unknowns = len(self.failing), len(self.unknown)
        if zh:
            parts = []
            if fails:
                parts.append(f"{fails} 项未达标条款需达到要求")
            if unknowns:
                parts.append(f"{unknowns} 项条款需补充数据后判定")
            out = [f"{head} 要达标，需要：" + "，".join(parts) + "。"]
        else:
            parts = []
            if fails:
                parts.append(f"meet {fails} failing clause(s)")
            if unknowns:
                parts.append(f"supply data for {unknowns} undecided clause(s)")
            out = [f"For {head} to pass: " + " and ".join(parts) + "."]
        for number, step in enumerate(self.steps, 1):
            title = step.title_zh if zh or not step.title_en else step.title_en
            word = ("未达标" if step.status is Status.FAIL else "无法判定") if zh else (
                "fails" if step.status is Status.FAIL else "unknown")
            out.append(f"{number}. [{word}] {step.section} {title}（{step.clause_id}）" if zh
                       else f"{number}. [{word}] {step.section} {title} ({step.clause_id})")
            out.append("   " + (step.gap_zh if zh else step.gap_en))
        if self.choices:
            ids = "、".join(self.choices) if zh else ", ".join(self.choices)
            out.append(f"（{ids} 满足任一子项即可，以上列出的是需改动最少的一项。）" if zh else
                       f"({ids}: any one option suffices; the one needing fewest changes "
                       "is listed.)")
        return out

    def text(self, lang: str = "zh") -> str:
        """`lines` joined with newlines."""
        return "\n".join(self.lines(lang))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            "steps": [s.to_dict() for s in self.steps],
            "choices": list(self.choices),
        }


# ------------------------------------------------------------------ steps


def _bool_gap(node: ClauseResult) -> tuple[str, str] | None:
    """``需为“是”`` for a failing yes/no rule on one field, from what the compiler recorded."""
    if node.requires is None:
        return None
    path, required = node.requires
    read = next((v for v in node.values if v.path == path), None)
    if read is None or read.missing or read.value is not (not required):
        return None
    if required:
        return (f"{read.label_zh}：现为“否”，需为“是”", f"{read.label_en}: is no, must be yes")
    return (f"{read.label_zh}：现为“是”，需为“否”", f"{read.label_en}: is yes, must be no")


def _step(node: ClauseResult) -> Step:
    labels = tuple(node.missing_label(p) for p in node.missing)
    supply_zh = supply_en = ""
    if node.missing:
        # A failing clause's missing data cannot change its verdict on their own (or the
        # clause would be unknown): say so rather than offer them as the way to pass.
        settled = node.status is Status.FAIL
        head_zh = "另缺数据（补齐也不能单独改变本条结论）：" if settled else "补充数据："
        supply_zh = head_zh + "、".join(
            f"{label}（{path}）" if label != path else path
            for label, path in zip(labels, node.missing, strict=True))
        supply_en = ("also missing (cannot change this verdict on its own): " if settled
                     else "supply: ") + ", ".join(
            f"{node.missing_label(p, 'en')} ({p})" if node.missing_label(p, "en") != p else p
            for p in node.missing)
    amount: Fraction | None = None
    unit = ""
    if node.status is Status.FAIL:
        failing = [c for c in node.checks
                   if c.status.value == "fail" and c.margin is not None]
        bool_gap = _bool_gap(node)
        if failing:
            gap_zh = "；".join(check_gap(c, "zh") for c in failing)
            gap_en = "; ".join(check_gap(c, "en") for c in failing)
            first = failing[0].margin
            if first is not None and first.amount is not None:
                amount, unit = abs(first.amount), first.unit
        elif bool_gap is not None:
            gap_zh, gap_en = bool_gap
        else:
            gap_zh, gap_en = node.summary_zh, node.summary_en
        if supply_zh and supply_zh not in gap_zh:
            gap_zh += "；" + supply_zh
            gap_en += "; " + supply_en
    elif node.applicability is Status.UNKNOWN:
        gap_zh = f"适用条件（{node.applies_if}）无法判断；" + (supply_zh or node.summary_zh)
        gap_en = f"condition ({node.applies_if}) undecided; " + (supply_en or node.summary_en)
    elif supply_zh:
        gap_zh, gap_en = supply_zh, supply_en
    else:
        gap_zh, gap_en = node.summary_zh, node.summary_en
    return Step(
        clause_id=node.id, section=node.section, title_zh=node.title_zh,
        title_en=node.title_en, status=node.status, gap_zh=gap_zh, gap_en=gap_en,
        amount=amount, unit=unit, missing=tuple(node.missing), missing_labels=labels,
    )


def advise(result: EntityResult | CountyResult) -> Advice:
    """What it would take for a candidate (or the county target) to pass.

    Args:
        result: one `EntityResult` from a `Report`, or the report's `CountyResult`.

    Returns:
        The `Advice`: empty steps when the verdict already passes.
    """
    if isinstance(result, CountyResult):
        kind, entity_id = "county", result.code
    else:
        kind, entity_id = result.kind, result.id
    leaves = blocking_leaves(result.clauses)
    choices = [c for clause in result.clauses for c in needed_leaves(clause)[1]]
    return Advice(
        kind=kind, id=entity_id, name=result.name, status=result.status,
        steps=tuple(_step(leaf) for leaf in leaves), choices=tuple(choices),
    )
