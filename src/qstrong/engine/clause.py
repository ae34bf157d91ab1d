"""`ClauseResult`: one node of the explanation tree, a clause's verdict and everything that led
to it. Its one-line summaries are written on first read by `qstrong.engine.summary`.

Results never render themselves: the notebook and terminal conveniences go through the one
seam `qstrong.report.display`, imported when first used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qstrong.core.logic import Status
from qstrong.engine.explanation import AggregateTrace, Check, ParamUse, ValueRead
from qstrong.engine.summary import summarize

if TYPE_CHECKING:
    from rich.tree import Tree

__all__ = ["ClauseResult"]


@dataclass(slots=True)
class ClauseResult:
    """One node of the explanation tree: a clause's verdict and everything that led to it
    (slots: a province's report makes some thirty per candidate it writes)."""

    id: str
    title_zh: str
    title_en: str
    text: str
    section: str
    status: Status
    rule: str | None = None
    combine: str | None = None
    applies_if: str | None = None
    applicability: Status | None = None
    checks: list[Check] = field(default_factory=list)
    values: list[ValueRead] = field(default_factory=list)
    aggregates: list[AggregateTrace] = field(default_factory=list)
    params: list[ParamUse] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    children: list[ClauseResult] = field(default_factory=list)
    missing_labels: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    """Each missing path's readers' name (Chinese, English), as the compiler knew it."""
    requires: tuple[str, bool] | None = field(default=None, compare=False)
    """For a yes/no rule on one field (``export_demo_zone``, ``not x``): the field and the
    value the rule requires; read off the rule's syntax tree when it was compiled."""
    _summary: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    def missing_label(self, path: str, lang: str = "zh") -> str:
        """The readers' name of a missing path (the path itself when none is known)."""
        label = self.missing_labels.get(path)
        if label is None:
            return path
        return label[0] if lang == "zh" else label[1]

    @property
    def summary_zh(self) -> str:
        """One line in Chinese: the values against their bounds, margins, missing data."""
        return self._summaries()[0]

    @property
    def summary_en(self) -> str:
        """The same line in English."""
        return self._summaries()[1]

    def _summaries(self) -> tuple[str, str]:
        # Written on first use: most nodes of a large run are never read as text.
        if self._summary is None:
            self._summary = summarize(self)
        return self._summary

    def _repr_html_(self) -> str:
        import qstrong.report.display as display

        return display.node_html(self)

    def __rich__(self) -> Tree:
        import qstrong.report.display as display

        return display.node_rich(self)

    def walk(self) -> list[ClauseResult]:
        """This node and every node below it, depth first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def to_dict(self, children_dicts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The node as the JSON contract has it (id, status, title, text, children, ...);
        ``children_dicts``, when given, are its children's, already made."""
        zh, en = self._summaries()
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status._value_,  # the member's value, without Enum's descriptor
            "title": self.title_zh,
            "title_en": self.title_en,
            "text": self.text,
            "section": self.section,
            "summary": zh,
            "summary_en": en,
        }
        if self.rule is not None:
            out["rule"] = self.rule
        if self.combine is not None:
            out["combine"] = self.combine
        if self.applies_if is not None:
            out["applies_if"] = self.applies_if
            out["applicability"] = None if self.applicability is None else self.applicability.value
        # Most of a node's lists are empty: an empty one is not walked.
        checks, values, aggregates, params = self.checks, self.values, self.aggregates, self.params
        out["checks"] = [c.to_dict() for c in checks] if checks else []
        out["values"] = [v.to_dict() for v in values] if values else []
        out["aggregates"] = [a.to_dict() for a in aggregates] if aggregates else []
        out["params"] = [p.to_dict() for p in params] if params else []
        out["missing"] = list(self.missing)
        if self.notes:
            out["notes"] = list(self.notes)
        children = self.children
        out["children"] = (children_dicts if children_dicts is not None
                           else [c.to_dict() for c in children] if children else [])
        return out


_NOTHING: tuple[Any, ...] = ()


class ClauseStatus:
    """A clause node of the verdict path (``explain=False``): its status and its place in
    the tree, no explanation. It answers the same questions as `ClauseResult` (id, title,
    status, children …); the explanation fields are empty, and `to_dict` leaves them out."""

    __slots__ = ("applicability", "children", "defn", "status")

    checks = values = aggregates = params = missing = notes = _NOTHING
    summary_zh = summary_en = ""
    requires = None
    missing_labels: dict[str, tuple[str, str]] = {}  # noqa: RUF012 - shared, never written

    def __init__(self, defn: Any, status: Status, applicability: Status | None,
                 children: list[ClauseStatus]) -> None:
        self.defn = defn
        self.status = status
        self.applicability = applicability
        self.children = children

    id = property(lambda self: self.defn.id)
    title_zh = property(lambda self: self.defn.title_zh)
    title_en = property(lambda self: self.defn.title_en)
    text = property(lambda self: self.defn.text)
    section = property(lambda self: self.defn.section)
    rule = property(lambda self: self.defn.rule_text)
    combine = property(lambda self: self.defn.combine)
    applies_if = property(lambda self: self.defn.applies_text)

    def __repr__(self) -> str:
        return f"ClauseStatus({self.id!r}, {self.status})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClauseStatus):
            return NotImplemented
        return (self.defn is other.defn and self.status is other.status
                and self.applicability is other.applicability
                and self.children == other.children)

    __hash__ = None  # type: ignore[assignment]

    def missing_label(self, path: str, lang: str = "zh") -> str:
        return path

    def walk(self) -> list[ClauseStatus]:
        """This node and every node below it, depth first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's node without its explanation fields (summary, checks, values,
        aggregates, params, missing, notes)."""
        d = self.defn
        out: dict[str, Any] = {"id": d.id, "status": self.status.value, "title": d.title_zh,
                               "title_en": d.title_en, "text": d.text, "section": d.section}
        if d.rule_text is not None:
            out["rule"] = d.rule_text
        if d.combine is not None:
            out["combine"] = d.combine
        if d.applies_text is not None:
            out["applies_if"] = d.applies_text
            out["applicability"] = (None if self.applicability is None
                                    else self.applicability.value)
        out["children"] = [c.to_dict() for c in self.children]
        return out
