"""Load a directory of criteria files into one checked, compiled `Criteria` set."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import CriteriaErrors, Diagnostic
from qstrong.core.messages import msg
from qstrong.core.vocab import ALL_KINDS, CRITERIA_KINDS, PROVINCE
from qstrong.data.models import (
    Assessment,
    County,
    District,
    Enterprise,
    Industry,
    ProvinceBenchmarks,
)
from qstrong.data.province import ProvinceView
from qstrong.engine.codegen import Program, generate
from qstrong.engine.compiler import RuleCompiler
from qstrong.engine.context import CondFn, ValueFn
from qstrong.engine.reuse import KeyFn, reuse_key
from qstrong.lang import nodes as n
from qstrong.lang.criteria_file import (
    PROVINCE_TOP_IDS,
    REQUIRED_TOP_IDS,
    ClauseDef,
    CriteriaFile,
    ParamDef,
    raise_if_any,
    read_criteria_file,
)
from qstrong.lang.rule_types import FieldSpec, Record, Ty, record_of_model
from qstrong.lang.scopes import Frame, Scope

__all__ = ["CompiledClause", "Criteria", "check_criteria", "load_criteria", "packaged_criteria_dir",
           "scopes_of"]

MAX_CRITERIA_FILES = 32


def packaged_criteria_dir() -> Path:
    """Where the criteria shipped with qstrong live (inside the package once installed)."""
    package = Path(__file__).resolve().parents[1]
    inside = package / "criteria"
    if inside.is_dir():
        return inside
    return package.parents[1] / "criteria"


@dataclass
class CompiledClause:
    """A clause ready to run: its definition, compiled rule and condition, compiled children."""

    defn: ClauseDef
    rule: CondFn | None
    applies: CondFn | None
    children: list[CompiledClause] = field(default_factory=list)
    requires: tuple[str, bool] | None = None
    """For a yes/no rule on one field: the field and the value the rule requires."""
    context: list[ValueFn] = field(default_factory=list)
    """Readers of the clause's context fields (shown with its values, never judged)."""
    reuse: KeyFn | None = None
    """The values its explanation depends on (`qstrong.engine.reuse`), for sharing it."""


@dataclass
class Criteria:
    """A checked and compiled set of criteria files, one per candidate kind."""

    directory: str
    files: dict[str, CriteriaFile]
    params: dict[str, ParamDef]
    clauses: dict[str, list[CompiledClause]]
    version: str
    sha256: str
    _program: Any = field(default=None, repr=False, compare=False)

    def program(self) -> Program:
        """The verdict path's generated program (`qstrong.engine.codegen`), written and
        compiled on first use and kept with the criteria."""
        if self._program is None:
            self._program = _generate(self)
        program: Program = self._program
        return program

    def __reduce__(self) -> tuple[Any, ...]:
        """Criteria pickle as their folder and each file's sha256: compiled rules are code, so
        the receiving process (a worker of ``qstrong province -j``) compiles them again, and
        refuses files that changed in between."""
        return (_reload, (self.directory, {k: f.sha256 for k, f in self.files.items()}))

    def show_code(self, clause_id: str | None = None) -> str:
        """The generated Python source a reviewer can read: of one clause (KeyError for an
        unknown id), or of the whole program."""
        return self.program().show(clause_id)

    @property
    def modified(self) -> bool:
        """Whether these files claim the packaged criteria's version without being them (an
        edited copy that still says 2024.1): reports then say so beside the version."""
        packaged_version, packaged_sha = _packaged_identity()
        return self.version == packaged_version and self.sha256 != packaged_sha

    def clause_defs(self, kind: str) -> list[ClauseDef]:
        """The top-level clause definitions of one kind, in file order."""
        return [c.defn for c in self.clauses.get(kind, [])]


def _generate(criteria: Criteria) -> Program:
    closures: dict[str, CompiledClause] = {}
    for top in criteria.clauses.values():
        stack = list(top)
        while stack:
            clause = stack.pop()
            closures[clause.defn.id] = clause
            stack.extend(clause.children)

    def fallback(defn: ClauseDef, which: str) -> Any:
        compiled = closures[defn.id]
        return compiled.rule if which == "rule" else compiled.applies

    return generate(criteria.params, {k: [c.defn for c in v] for k, v in criteria.clauses.items()},
                    _scopes(), fallback)


def _roots() -> dict[str, FieldSpec]:
    def root(name: str) -> Any:
        return lambda obj, ctx: ctx.roots.get(name)

    return {
        "province_benchmarks": FieldSpec(
            "province_benchmarks", Ty("record", record=record_of_model(ProvinceBenchmarks)),
            "全省基准", "province benchmarks", root("province_benchmarks"), access="root"),
        "assessment": FieldSpec(
            "assessment", Ty("record", record=record_of_model(Assessment)),
            "评审", "assessment", root("assessment"), access="root"),
        "county": FieldSpec(
            "county", Ty("record", record=record_of_model(County)),
            "县", "county", root("county"), access="root"),
    }


def _virtual(name: str) -> Any:
    return lambda obj, ctx: ctx.virtual[name](obj)


def _with_fields(base: Record, name: str, extra: dict[str, FieldSpec]) -> Record:
    return Record(name, {**base.fields, **extra}, base.model)


def scopes_of() -> dict[str, Scope]:
    """Each kind's names as rules see them (the scopes the checker and the generator use)."""
    return _scopes()


def _scopes() -> dict[str, Scope]:
    roots = _roots()
    enterprise = record_of_model(Enterprise)
    enterprise_list = Ty("list", item=Ty("record", record=enterprise))
    industry = _with_fields(record_of_model(Industry), "Industry", {
        "members": FieldSpec("members", enterprise_list, "规上企业",
                             "above-size member enterprises", _virtual("members"),
                             access="virtual:members"),
        "enterprises": FieldSpec("enterprises", enterprise_list, "产业内企业",
                                 "enterprises of the industry",
                                 _virtual("industry_enterprises"),
                                 access="virtual:industry_enterprises"),
    })
    strong = FieldSpec("strong", Ty("bool"), "评定为强", "rated strong", _virtual("strong"),
                       access="virtual:strong")

    def strong_list(model: type[Any], label: str, label_en: str, attr: str) -> FieldSpec:
        rec = _with_fields(record_of_model(model), model.__name__, {"strong": strong})
        return FieldSpec(attr, Ty("list", item=Ty("record", record=rec)), label, label_en,
                         _virtual(attr), access=f"virtual:{attr}")

    county = _with_fields(record_of_model(County), "County", {
        "districts": strong_list(District, "强区候选", "district candidates", "districts"),
        "industries": strong_list(Industry, "强业候选", "industry candidates", "industries"),
        "enterprises": strong_list(Enterprise, "强企候选", "enterprise candidates", "enterprises"),
    })
    return {
        "district": Scope((Frame(record_of_model(District)),), roots),
        "industry": Scope((Frame(industry),), roots),
        "enterprise": Scope((Frame(enterprise),), roots),
        "county": Scope((Frame(county),), roots),
        PROVINCE: Scope((Frame(record_of_model(ProvinceView)),), {}),
    }


def _compile_clause(c: RuleCompiler, clause: ClauseDef, scope: Scope) -> CompiledClause:
    rule = c.condition(clause.rule, scope) if clause.rule is not None else None
    applies = c.condition(clause.applies_if, scope) if clause.applies_if is not None else None
    children = [_compile_clause(c, child, scope) for child in clause.children]
    context = [c.value(node, scope)[0] for node in clause.context]
    return CompiledClause(clause, rule, applies, children, _requirement(clause.rule), context,
                          reuse_key(clause, scope, [child.reuse for child in children]))


def _requirement(rule: n.Node | None) -> tuple[str, bool] | None:
    """The field and required value of a yes/no rule on one field (``x`` or ``not x``)."""
    if isinstance(rule, n.Path):
        return n.unparse(rule), True
    if isinstance(rule, n.Not) and isinstance(rule.operand, n.Path):
        return n.unparse(rule.operand), False
    return None


def _read_all(directory: Path) -> tuple[list[CriteriaFile], list[Diagnostic], int]:
    diagnostics: list[Diagnostic] = []
    if not directory.is_dir():
        raise CriteriaErrors([Diagnostic(codes.CRITERIA_DIRECTORY, msg("ruleset.no_directory"),
                                         file=str(directory))])
    paths = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    if not paths:
        raise CriteriaErrors([Diagnostic(codes.CRITERIA_DIRECTORY, msg("ruleset.no_files"),
                                         file=str(directory))])
    if len(paths) > MAX_CRITERIA_FILES:
        raise CriteriaErrors([Diagnostic(
            codes.CRITERIA_DIRECTORY, msg("ruleset.too_many_files", most=MAX_CRITERIA_FILES),
            file=str(directory))])
    files = []
    unreadable = 0
    for path in paths:
        parsed, problems = read_criteria_file(path)
        diagnostics.extend(problems)
        if parsed is not None:
            files.append(parsed)
        else:
            unreadable += 1
    return files, diagnostics, unreadable


def check_criteria(path: str | Path | None = None) -> tuple[Criteria | None, list[Diagnostic]]:
    """Read, check and compile a criteria directory.

    Returns:
        The compiled criteria (None when there are problems) and every problem found.
    """
    directory = Path(path) if path is not None else packaged_criteria_dir()
    files, diagnostics, unreadable = _read_all(directory)
    by_kind: dict[str, CriteriaFile] = {}
    params: dict[str, ParamDef] = {}
    for f in files:
        if f.kind not in CRITERIA_KINDS:
            continue  # already reported by the reader
        if f.kind in by_kind:
            diagnostics.append(Diagnostic(
                codes.CRITERIA_FILE, msg("ruleset.second_file", kind=f.kind,
                                         first=by_kind[f.kind].path), None, file=f.path))
        elif f.kind:
            by_kind[f.kind] = f
        for name, pdef in f.params.items():
            if name in params:
                diagnostics.append(Diagnostic(
                    codes.CRITERIA_FILE, msg("ruleset.param_twice", name=name,
                                             other=params[name].span.location()), pdef.span))
            else:
                params[name] = pdef
    seen_ids: dict[str, str] = {}
    for f in by_kind.values():
        top_ids = [c.id for c in f.clauses]
        for required in REQUIRED_TOP_IDS.get(
                f.kind, PROVINCE_TOP_IDS if f.kind == PROVINCE else ()):
            if required not in top_ids:
                diagnostics.append(Diagnostic(
                    codes.CRITERIA_INCOMPLETE,
                    msg("ruleset.lacks_clause", kind=f.kind, id=required), None, file=f.path))
        for clause in f.clauses:
            for node in clause.walk():
                if node.id in seen_ids and seen_ids[node.id] != f.path:
                    diagnostics.append(Diagnostic(
                        codes.CRITERIA_FILE,
                        msg("ruleset.id_elsewhere", id=node.id, other=seen_ids[node.id]),
                        node.span))
                seen_ids.setdefault(node.id, f.path)
    compiler = RuleCompiler(params)
    scopes = _scopes()
    compiled = {
        kind: [_compile_clause(compiler, c, scopes[kind]) for c in f.clauses]
        for kind, f in by_kind.items()
    }
    diagnostics.extend(compiler.diagnostics)
    for kind in ALL_KINDS:
        if kind not in by_kind and files and not unreadable:
            diagnostics.append(Diagnostic(
                codes.CRITERIA_INCOMPLETE,
                msg("ruleset.no_kind_file", kind=kind), None, file=str(directory)))
    if diagnostics:
        return None, sorted(diagnostics, key=_position)
    versions = sorted({f.version for f in by_kind.values()})
    version = versions[0] if len(versions) == 1 else ",".join(
        f"{k}={f.version}" for k, f in sorted(by_kind.items()))
    digest = hashlib.sha256()
    for kind in sorted(by_kind):
        if kind in ALL_KINDS:  # a county's criteria: the province file is not among them
            digest.update(kind.encode() + b"\0" + by_kind[kind].sha256.encode() + b"\0")
    return Criteria(str(directory), by_kind, params, compiled, version, digest.hexdigest()), []


@functools.cache
def _packaged_identity() -> tuple[str, str]:
    """(version, sha256) of the packaged criteria, by the same digest `load_criteria` takes
    (each file's kind is its name there), without compiling them."""
    directory = packaged_criteria_dir()
    digest = hashlib.sha256()
    version = ""
    for path in sorted(directory.glob("*.yaml")):
        if path.stem not in ALL_KINDS:
            continue
        data = path.read_bytes()
        digest.update(path.stem.encode() + b"\0" + hashlib.sha256(data).hexdigest().encode()
                      + b"\0")
        found = re.search(rb'^version:\s*"?([^"\n]+)"?\s*$', data, re.M)
        version = version or (found.group(1).decode("utf-8") if found else "")
    return version, digest.hexdigest()


def _position(d: Diagnostic) -> tuple[str, int, int]:
    """File order: by file, line and column; problems without a position last in their file."""
    if d.span is not None:
        return (d.span.file, d.span.line, d.span.col)
    return (d.path or "", 1 << 30, 0)


def _reload(directory: str, digests: dict[str, str]) -> Criteria:
    """The criteria a pickle names, provided their files are still the ones pickled."""
    criteria = load_criteria(directory)
    if {k: f.sha256 for k, f in criteria.files.items()} != digests:
        raise CriteriaErrors([Diagnostic(codes.CRITERIA_DIRECTORY, msg("ruleset.changed"),
                                         file=directory)])
    return criteria


def load_criteria(path: str | Path | None = None) -> Criteria:
    """Load the criteria in ``path`` (None: the criteria shipped with qstrong).

    Raises:
        CriteriaErrors: every problem found in the files, with file:line:col.
    """
    criteria, diagnostics = check_criteria(path)
    raise_if_any(diagnostics)
    assert criteria is not None
    return criteria
