"""Read criteria YAML files into clause and parameter definitions, collecting every problem.

A criteria file holds one candidate kind's standards: metadata, named parameters,
and a tree of clauses. Rule expressions are parsed here (with their file spans);
names and types are checked by `compiler`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.cache import code_stamp, read_entry, write_entry
from qstrong.core.errors import CriteriaErrors, Diagnostic, QStrongError
from qstrong.core.messages import Message, msg
from qstrong.core.positions import PosDict, PosList, ScalarInfo
from qstrong.core.source import Span
from qstrong.core.vocab import CRITERIA_KINDS, PARAM_TYPES, suggest, unfold_cjk
from qstrong.io.yamldoc import load_yaml_file
from qstrong.lang import nodes as n


def parse_rule(text: str, locate: Any) -> n.Node:
    """`lang.parser.parse_rule`, imported on first use: a criteria file read back from the
    cache needs neither Lark nor the grammar."""
    from qstrong.lang.parser import parse_rule as parse

    return parse(text, locate)

__all__ = [
    "PROVINCE_TOP_IDS",
    "REQUIRED_TOP_IDS",
    "ClauseDef",
    "CriteriaFile",
    "ParamDef",
    "parse_param_value",
    "raise_if_any",
    "read_criteria_file",
]

MAX_CLAUSE_DEPTH = 8
REQUIRED_TOP_IDS: dict[str, tuple[str, ...]] = {
    "district": ("district/eligibility", "district/1", "district/2", "district/3"),
    "industry": ("industry/1", "industry/2", "industry/3", "industry/4", "industry/scale"),
    "enterprise": (
        "enterprise/1", "enterprise/2", "enterprise/3", "enterprise/4", "enterprise/leading"
    ),
    "county": ("county",),
}
"""The top-level clause ids each kind a county's evaluation needs must have."""

PROVINCE_TOP_IDS: tuple[str, ...] = ("province",)
"""The top-level clause id of the (optional) province criteria file."""

_FILE_KEYS = ("kind", "title", "title_en", "section", "version", "params", "clauses")
_PARAM_KEYS = ("type", "default", "title", "title_en", "note")
_CLAUSE_KEYS = (
    "id", "title", "title_en", "section", "text", "rule", "applies_if", "all", "any", "note",
    "correction", "context",
)


@dataclass
class ParamDef:
    """A named criteria parameter: where the plan gives no number, the value we chose and why."""

    name: str
    type: str
    default: Decimal
    title_zh: str
    title_en: str
    note: str
    span: Span


@dataclass
class ClauseDef:
    """One clause: a rule, or children combined with all/any; optionally conditional."""

    id: str
    title_zh: str
    title_en: str
    section: str
    text: str
    span: Span
    rule: n.Node | None = None
    rule_text: str | None = None
    applies_if: n.Node | None = None
    applies_text: str | None = None
    combine: str | None = None
    note: str = ""
    correction: str = ""
    """An editorial correction of the plan's scraped text (``采際率`` → ``采标率``), said
    beside the text on the reviewers' page."""
    context: list[n.Node] = field(default_factory=list)
    """Fields shown with the clause's values, not part of its rule (a ranking's source)."""
    context_text: list[str] = field(default_factory=list)
    children: list[ClauseDef] = field(default_factory=list)

    def walk(self) -> Iterable[ClauseDef]:
        """This clause and all below it, in file order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class CriteriaFile:
    """One criteria file, read and parsed (names and types not yet checked)."""

    path: str
    kind: str
    title_zh: str
    title_en: str
    section: str
    version: str
    params: dict[str, ParamDef]
    clauses: list[ClauseDef]
    sha256: str


MAX_PARAM_CHARS = 40
PARAM_MAXIMA: dict[str, int] = {
    "years": 100, "points": 100, "rank": 10_000, "count": 1_000_000,
    "number": 10**12, "amount": 10**15,
}
"""Largest value of each parameter type: a window of 2015 years, or a rank of 10**20, is a
typing slip, refused with its name rather than run (see docs/limits.md)."""


def parse_param_value(kind: str, raw: Any) -> Decimal:
    """Turn a parameter value from YAML (a number, or text like ``"93.5%"``) into a Decimal.

    Raises:
        ValueError: the value is not a number of that kind.

    Examples:
        >>> parse_param_value("percent", "93.5%")
        Decimal('93.5')
    """
    if isinstance(raw, bool) or raw is None:
        raise ValueError(msg("param.expected_number", value=repr(raw)))
    if isinstance(raw, float):
        raw = Decimal(repr(raw))
    text = str(raw).strip()
    if kind == "percent":
        text = text.rstrip("%％").strip()
    elif kind == "points":
        text = text.removesuffix("个百分点").removesuffix("pp").strip()
    if len(text) > MAX_PARAM_CHARS:
        raise ValueError(msg("param.too_long", text=text[:20]))
    try:
        value = Decimal(text)
    except (InvalidOperation, ArithmeticError):
        raise ValueError(msg("usage.not_number", text=raw)) from None
    if not value.is_finite():
        raise ValueError(msg("usage.not_finite", text=raw))
    if value < 0:
        raise ValueError(msg("rate.below_zero", value=raw))
    if kind in ("years", "count", "rank") and value != value.to_integral_value():
        raise ValueError(msg("param.not_whole", value=raw))
    if kind == "rank" and value < 1:
        raise ValueError(msg("number.rank_one_top"))
    if kind == "percent" and value > 100:
        raise ValueError(msg("param.above_100", value=raw))
    top = PARAM_MAXIMA.get(kind)
    if top is not None and value > top:
        raise ValueError(msg("param.above_top", value=raw, top=top, kind=kind))
    return value


class _Reader:
    """Walks one file's YAML, collecting diagnostics instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.seen_ids: dict[str, Span] = {}

    def error(self, message: Message, span: Span | None, hint: Message | None = None,
              code: str = codes.CRITERIA_FILE) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint))

    def check_keys(self, mapping: PosDict, allowed: tuple[str, ...], what: Message) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(
                    msg("criteria.unknown_key", key=key, what=what),
                    mapping.key_spans.get(key, mapping.span),
                    suggest(str(key), allowed),
                )

    def text(self, mapping: PosDict, key: str, what: Message, *, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(msg("criteria.needs_key", what=what, key=key), mapping.span)
            return ""
        if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
            self.error(msg("criteria.must_be_text", key=key),
                       mapping.value_spans.get(key, mapping.span))
            return ""
        return unfold_cjk(str(value).strip())

    def read_context(self, item: PosDict, clause: ClauseDef, where: Message) -> None:
        """``context:``, a list of field paths shown beside the clause's values."""
        if "context" not in item:
            return
        raw = item["context"]
        if not isinstance(raw, PosList) or not all(isinstance(p, str) for p in raw):
            self.error(msg("criteria.context_list", where=where),
                       item.value_spans.get("context", item.span))
            return
        for i, text in enumerate(raw):
            span = raw.item_spans[i]

            def locate(start: int, end: int, span: Span = span) -> Span:
                return span

            try:
                node = parse_rule(text, locate)
            except QStrongError as exc:
                self.diagnostics.extend(exc.diagnostics)
                continue
            if not isinstance(node, n.Path):
                self.error(msg("criteria.context_not_field", where=where, text=text), span)
                continue
            clause.context.append(node)
            clause.context_text.append(text.strip())

    def expression(self, mapping: PosDict, key: str) -> tuple[n.Node | None, str | None]:
        raw = mapping.get(key)
        span = mapping.value_spans.get(key, mapping.span)
        if raw is None:
            if key in mapping:
                self.error(msg("criteria.empty_rule", key=key), span, code=codes.RULE_SYNTAX)
            return None, None
        if not isinstance(raw, str) or not raw.strip():
            if isinstance(raw, str):
                self.error(msg("criteria.empty_rule", key=key), span, code=codes.RULE_SYNTAX)
                return None, None
            self.error(msg("criteria.rule_not_text", key=key), span, code=codes.RULE_SYNTAX)
            return None, None
        info: ScalarInfo | None = mapping.value_info.get(key)

        def locate(start: int, end: int) -> Span:
            if info is None:
                return span
            return info.span_of(start, end)

        try:
            return parse_rule(raw, locate), raw.strip()
        except QStrongError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None, raw.strip()

    def read(self, data: Any) -> CriteriaFile | None:
        if not isinstance(data, PosDict):
            self.error(msg("criteria.not_mapping"), None)
            return None
        a_file = msg("criteria.what_file")
        self.check_keys(data, _FILE_KEYS, a_file)
        kind = self.text(data, "kind", a_file)
        if kind and kind not in CRITERIA_KINDS:
            self.error(
                msg("criteria.bad_kind", kinds=", ".join(CRITERIA_KINDS), kind=kind),
                data.value_spans.get("kind"),
                suggest(kind, CRITERIA_KINDS),
            )
        params = self.read_params(data.get("params"), data)
        clauses_raw = data.get("clauses")
        clauses: list[ClauseDef] = []
        section = self.text(data, "section", a_file, required=False)
        if not isinstance(clauses_raw, PosList) or not clauses_raw:
            self.error(msg("criteria.no_clauses"),
                       data.value_spans.get("clauses", data.span))
        else:
            clauses = self.read_clauses(clauses_raw, section, 1)
        version = data.get("version")
        if isinstance(version, PosDict | PosList | bool):
            self.error(msg("criteria.version_text"), data.value_spans.get("version"))
            version = None
        return CriteriaFile(
            path=self.path,
            kind=kind,
            title_zh=self.text(data, "title", a_file),
            title_en=self.text(data, "title_en", a_file, required=False),
            section=section,
            version="" if version is None else str(version),
            params=params,
            clauses=clauses,
            sha256="",
        )

    def read_params(self, raw: Any, parent: PosDict) -> dict[str, ParamDef]:
        out: dict[str, ParamDef] = {}
        if raw is None:
            return out
        if not isinstance(raw, PosDict):
            self.error(msg("criteria.params_mapping"),
                       parent.value_spans.get("params"))
            return out
        for name, spec in raw.items():
            span = raw.key_spans[name]
            if not isinstance(name, str) or not name.isidentifier():
                self.error(msg("criteria.param_name", name=name), span)
                continue
            if not isinstance(spec, PosDict):
                self.error(msg("criteria.param_needs", name=name), span)
                continue
            a_param = msg("criteria.what_param", name=name)
            self.check_keys(spec, _PARAM_KEYS, a_param)
            ptype = self.text(spec, "type", a_param)
            if ptype and ptype not in PARAM_TYPES:
                self.error(msg("criteria.param_type", types=", ".join(PARAM_TYPES)),
                           spec.value_spans.get("type"), suggest(ptype, PARAM_TYPES))
                ptype = ""
            default = Decimal(0)
            if "default" not in spec:
                self.error(msg("criteria.param_default_missing", name=name), spec.span)
            elif ptype:
                try:
                    default = parse_param_value(ptype, spec["default"])
                except ValueError as exc:
                    self.error(msg("criteria.param_default", name=name, problem=exc.args[0]),
                               spec.value_spans.get("default"))
            out[name] = ParamDef(
                name=name,
                type=ptype or "number",
                default=default,
                title_zh=self.text(spec, "title", a_param),
                title_en=self.text(spec, "title_en", a_param, required=False),
                note=self.text(spec, "note", a_param),
                span=span,
            )
        return out

    def read_clauses(self, raw: PosList, section: str, depth: int) -> list[ClauseDef]:
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, PosDict):
                self.error(msg("criteria.clause_mapping"),
                           raw.item_spans[i])
                continue
            clause = self.read_clause(item, section, depth)
            if clause is not None:
                out.append(clause)
        return out

    def read_clause(self, item: PosDict, section: str, depth: int) -> ClauseDef | None:
        a_clause = msg("criteria.what_clause")
        self.check_keys(item, _CLAUSE_KEYS, a_clause)
        cid = self.text(item, "id", a_clause)
        where = msg("criteria.what_clause_id", id=cid) if cid else a_clause
        if cid:
            first = self.seen_ids.get(cid)
            id_span = item.value_spans.get("id", item.span)
            if first is not None:
                self.error(msg("criteria.duplicate_id", id=cid, line=first.line),
                           id_span)
            else:
                self.seen_ids[cid] = id_span
        clause = ClauseDef(
            id=cid,
            title_zh=self.text(item, "title", where),
            title_en=self.text(item, "title_en", where, required=False),
            section=self.text(item, "section", where, required=False) or section,
            text=self.text(item, "text", where),
            span=item.value_spans.get("id", item.span),
            note=self.text(item, "note", where, required=False),
            correction=self.text(item, "correction", where, required=False),
        )
        self.read_context(item, clause, where)
        if not clause.section:
            self.error(msg("criteria.needs_section", where=where), item.span)
        clause.applies_if, clause.applies_text = self.expression(item, "applies_if")
        forms = [k for k in ("rule", "all", "any") if k in item]
        if len(forms) != 1:
            self.error(msg("criteria.one_form_has", where=where, forms=", ".join(forms)) if forms
                       else msg("criteria.one_form", where=where), item.span)
            return clause
        form = forms[0]
        if form == "rule":
            clause.rule, clause.rule_text = self.expression(item, "rule")
            return clause
        children = item[form]
        if not isinstance(children, PosList) or not children:
            self.error(msg("criteria.form_list", form=form, where=where),
                       item.value_spans.get(form))
            return clause
        if depth >= MAX_CLAUSE_DEPTH:
            self.error(msg("criteria.too_deep", most=MAX_CLAUSE_DEPTH), item.span)
            return clause
        clause.combine = form
        clause.children = self.read_clauses(children, clause.section, depth + 1)
        return clause


def read_criteria_file(path: str | Path) -> tuple[CriteriaFile | None, list[Diagnostic]]:
    """Read one criteria file; returns the parsed file (None if unreadable) and its problems.

    A file read without a problem is kept in the user's cache (`core.cache`), named by a hash
    of its path, its bytes and the reading code, and read back from there while all three are
    unchanged: the YAML and the rules are parsed once, not on every run.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raw = None  # load_yaml_file says what is wrong, in the user's words
    entry = digest = None
    if raw is not None:
        digest = hashlib.sha256(raw).hexdigest()
        key = hashlib.sha256(b"\0".join([_reader_stamp().encode(), str(path).encode(), raw]))
        entry = f"criteria-{key.hexdigest()[:40]}.pickle"
        cached = read_entry(entry)
        if isinstance(cached, CriteriaFile) and cached.sha256 == digest:
            return cached, []
    reader = _Reader(str(path))
    try:
        data = load_yaml_file(path, keep_dates=False)
    except QStrongError as exc:
        return None, exc.diagnostics
    result = reader.read(data)
    if result is not None:
        result.sha256 = digest or hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if entry is not None and not reader.diagnostics:
            write_entry(entry, result, "criteria-")
    return result, reader.diagnostics


@lru_cache(maxsize=1)
def _reader_stamp() -> str:
    """What a cached criteria file depends on besides its own bytes: the code that read it
    (the `lang` and `core` packages, the grammar among them)."""
    package = Path(__file__).resolve().parent.parent
    return code_stamp(package / "lang", package / "core")


def raise_if_any(diagnostics: list[Diagnostic]) -> None:
    """Raise one `CriteriaErrors` holding every diagnostic, if there are any."""
    if diagnostics:
        raise CriteriaErrors(diagnostics)
