"""Run a compiled `Criteria` set over a dataset: every candidate, then the county target."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.collector import collector_paused
from qstrong.core.errors import DataErrors, Diagnostic
from qstrong.core.exact import format_number, to_fraction
from qstrong.core.logic import Status, Truth, all_of, any_of
from qstrong.core.messages import msg
from qstrong.core.vocab import COLLECTIONS, PARAM_UNITS, PARAM_UNITS_EN, PROVINCE, suggest
from qstrong.data.models import Dataset, Enterprise
from qstrong.engine.clause import ClauseResult
from qstrong.engine.context import EvalContext
from qstrong.engine.explanation import ParamUse
from qstrong.engine.results import Report
from qstrong.engine.ruleset import CompiledClause, Criteria, load_criteria
from qstrong.engine.runtime import Missing, UncertainMembers
from qstrong.engine.trace import Recorder
from qstrong.engine.verdict import CODE_OF_STATUS, KindRun, run_kind, tree_of
from qstrong.engine.verdict_runtime import Runtime
from qstrong.io.load import load_dataset
from qstrong.lang.criteria_file import ParamDef, parse_param_value
from qstrong.lang.rule_types import record_of_model

__all__ = ["ENTITY_KINDS", "evaluate", "industry_views", "param_values", "reevaluate_kind"]

ENTITY_KINDS = tuple(COLLECTIONS.items())


def _params(criteria: Criteria, dataset: Dataset,
            explicit: Mapping[str, Any] | None = None
            ) -> tuple[dict[str, Fraction], dict[str, ParamUse]]:
    """Each parameter's value: the criteria's default, the dataset's override
    (``assessment.criteria_params``), then an explicit one (``params=``, ``--set``)."""
    province = criteria.files.get(PROVINCE)
    defined = {name: pdef for name, pdef in criteria.params.items()
               if province is None or name not in province.params}  # a county's own
    return param_values(criteria, defined, [
        (("assessment", "criteria_params"), dataset.assessment.criteria_params or {}),
        (("params",), explicit or {}),
    ])


def param_values(criteria: Criteria, defined: Mapping[str, ParamDef],
                 sources: Sequence[tuple[tuple[str, ...], Mapping[str, Any]]]
                 ) -> tuple[dict[str, Fraction], dict[str, ParamUse]]:
    """The values of the parameters ``defined`` (a county's, or the province's): each one's
    default, overridden by ``sources`` in order (where in the document, overrides), the last
    source (``params=``, ``--set``) being a what-if; the criteria's other parameters at their
    defaults, unused. An unknown name or a bad value is a `DataErrors` naming its place."""
    problems: list[Diagnostic] = []
    chosen: dict[str, tuple[Any, tuple[str, ...]]] = {}
    for where, overrides in sources:
        for name, raw in overrides.items():
            if name not in defined:
                problems.append(Diagnostic(
                    codes.PARAM_OVERRIDE, msg("param.unknown", name=name),
                    loc=(*where, name), hint=suggest(name, defined)))
            else:
                chosen[name] = (raw, where)
    values: dict[str, Fraction] = {}
    uses: dict[str, ParamUse] = {}
    for name, pdef in defined.items():
        value = pdef.default
        overridden = name in chosen
        if overridden:
            raw, where = chosen[name]
            try:
                value = parse_param_value(pdef.type, raw)
            except ValueError as exc:
                problems.append(Diagnostic(
                    codes.PARAM_OVERRIDE, msg("param.bad_value", problem=exc.args[0], name=name,
                                              type=pdef.type),
                    loc=(*where, name)))
        unit = PARAM_UNITS.get(pdef.type, "")
        unit_en = PARAM_UNITS_EN.get(pdef.type, "")
        values[name] = to_fraction(value)
        uses[name] = ParamUse(
            name=name, title_zh=pdef.title_zh, title_en=pdef.title_en,
            value=f"{format_number(value)}{unit}", default=f"{format_number(pdef.default)}{unit}",
            overridden=overridden, note=pdef.note,
            what_if=overridden and chosen[name][1] == sources[-1][0],
            value_en=f"{format_number(value)}{unit_en}",
            default_en=f"{format_number(pdef.default)}{unit_en}",
        )
    if problems:
        raise DataErrors(problems)
    for name, pdef in criteria.params.items():  # the province's, at their defaults, unused
        values.setdefault(name, to_fraction(pdef.default))
    return values, uses


def industry_views(dataset: Dataset) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each industry's enterprises, and its above-size members (an `UncertainMembers` when
    some enterprise's size is not known)."""
    enterprises: dict[str, list[Enterprise]] = {}
    for e in dataset.enterprises:
        if e.industry is not None:
            enterprises.setdefault(e.industry, []).append(e)
    members: dict[str, Any] = {}
    size = record_of_model(Enterprise).fields["above_designated_size"]
    for industry_id, group in enterprises.items():
        sure = [e for e in group if e.above_designated_size]
        unknown = [e for e in group if e.above_designated_size is None]
        members[industry_id] = UncertainMembers(
            tuple(sure), tuple(unknown),
            tuple(f"enterprises[{e.id}].above_designated_size" for e in unknown),
            tuple((f"产业内企业 {e.id} · {size.label_zh}",
                   f"enterprise {e.id} of the industry · {size.label_en}") for e in unknown),
        ) if unknown else sure
    return enterprises, members


def _add_missing_of(children: list[ClauseResult], missing: list[str],
                    labels: dict[str, tuple[str, str]]) -> None:
    """Add the missing data of the children that are unknown to ``missing`` (each path
    once, in order) and their readers' names to ``labels``."""
    seen = set(missing)
    for child in children:
        if child.status is Status.UNKNOWN:
            for m in child.missing:
                if m not in seen:
                    seen.add(m)
                    missing.append(m)
            for path, label in child.missing_labels.items():
                labels.setdefault(path, label)


def _run_children(clause: CompiledClause, ctx: EvalContext, env: tuple[Any, ...]
                  ) -> tuple[list[ClauseResult], Status]:
    """A parent's children run, and their verdicts combined as the parent says."""
    children = [_run(child, ctx, env) for child in clause.children]
    return children, _combined(clause, children)


def _combined(clause: CompiledClause, children: list[ClauseResult]) -> Status:
    """The children's verdicts combined as their parent says (all, any)."""
    combine = all_of if clause.defn.combine == "all" else any_of
    return Status.of(combine([c.status.as_truth() for c in children]))


def _run_group(clause: CompiledClause, ctx: EvalContext, env: tuple[Any, ...]) -> ClauseResult:
    """A clause made of clauses, with no condition: its children's verdicts combined, and
    their missing data when it is unknown (nothing of its own is recorded)."""
    return _group_node(clause, *_run_children(clause, ctx, env))


def _group_node(clause: CompiledClause, children: list[ClauseResult], status: Status
                ) -> ClauseResult:
    """The node of a clause made of clauses, over its children's nodes."""
    d = clause.defn
    missing: list[str] = []
    labels: dict[str, tuple[str, str]] = {}
    if status is Status.UNKNOWN:
        _add_missing_of(children, missing, labels)
    return ClauseResult(
        d.id, d.title_zh, d.title_en, d.text, d.section, status, d.rule_text, d.combine,
        d.applies_text, None, [], [], [], [], missing, [], children,
        missing_labels={p: labels[p] for p in missing if p in labels} if missing else {},
        requires=clause.requires,
    )


def _run_rule(clause: CompiledClause, ctx: EvalContext, env: tuple[Any, ...]) -> ClauseResult:
    """A clause with a rule and no condition, the most common node: `_run` without the
    branches it does not take."""
    d, rule = clause.defn, clause.rule
    assert rule is not None
    rec = ctx.recorder = Recorder()
    status = Status.of(rule(ctx, env))
    for read in clause.context:
        read(ctx, env)
    missing = rec.missing
    if missing and (status is Status.UNKNOWN or status is Status.FAIL):
        labels = rec.labels
        missing_labels = {p: labels[p] for p in missing if p in labels}
    else:
        missing, missing_labels = [], {}
    params = rec.params
    return ClauseResult(
        d.id, d.title_zh, d.title_en, d.text, d.section, status, d.rule_text, d.combine,
        d.applies_text, None, rec.checks, list(rec.values.values()), rec.aggregates,
        [params[k] for k in sorted(params)] if params else [], missing, rec.notes, [],
        missing_labels=missing_labels, requires=clause.requires,
    )


def _run(clause: CompiledClause, ctx: EvalContext, env: tuple[Any, ...]) -> ClauseResult:
    if clause.applies is None:
        return (_run_group if clause.rule is None else _run_rule)(clause, ctx, env)
    d = clause.defn
    rec = Recorder()
    applicability: Status | None = None
    children: list[ClauseResult] = []
    status: Status | None = None
    if clause.applies is not None:
        ctx.recorder = rec
        applies = clause.applies(ctx, env)
        applicability = Status.of(applies)
        if applies is Truth.FAIL:
            status = Status.NOT_APPLICABLE
        elif applies is Truth.UNKNOWN:
            status = Status.UNKNOWN
        else:
            rec.checks.clear()
    if status is None:
        if clause.rule is not None:
            ctx.recorder = rec
            status = Status.of(clause.rule(ctx, env))
            for read in clause.context:
                read(ctx, env)
        else:
            children, status = _run_children(clause, ctx, env)
    missing: list[str] = []
    labels = rec.labels
    if status is Status.UNKNOWN or (status is Status.FAIL and rec.missing):
        missing = rec.missing
    if status is Status.UNKNOWN and children:
        _add_missing_of(children, missing, labels)
    params = [rec.params[k] for k in sorted(rec.params)] if rec.params else []
    return ClauseResult(
        d.id, d.title_zh, d.title_en, d.text, d.section, status, d.rule_text, d.combine,
        d.applies_text, applicability, rec.checks, list(rec.values.values()), rec.aggregates,
        params, missing, rec.notes, children,
        missing_labels={p: labels[p] for p in missing if p in labels} if missing else {},
        requires=clause.requires,
    )


def evaluate(dataset: Dataset | Mapping[str, Any] | str | Path,
             criteria: Criteria | str | Path | None = None, *,
             progress: Callable[[int, int], None] | None = None,
             explain: bool = True, params: Mapping[str, Any] | None = None) -> Report:
    """Evaluate every candidate and the county target.

    Args:
        dataset: a `Dataset`, a mapping, or a path to a YAML/JSON dataset.
        criteria: a loaded `Criteria`, a criteria directory, or None for the packaged criteria.
        progress: called as ``progress(done, total)`` after each candidate (for progress bars).
        explain: True (the default) builds every clause's explanation (values read, checks
            with margins, aggregates with their members, missing data); False runs the
            verdict path, generated Python that keeps statuses only (every candidate, every
            clause at every level, the county), many times faster.
        params: parameter values by name (``{"scale_rank_top": 5}``, ``"95%"``), over the
            criteria's defaults and the dataset's ``assessment.criteria_params`` (what
            ``--set NAME=VALUE`` gives on the command line); read and checked the same way.

    Returns:
        The `Report`: one result per candidate, the county verdict, and the criteria used.

    Raises:
        DataErrors: the dataset or its parameter overrides are invalid.
        CriteriaErrors: the criteria files are invalid.
    """
    if not isinstance(dataset, Dataset):
        dataset = load_dataset(dataset)
    if not isinstance(criteria, Criteria):
        criteria = load_criteria(criteria)
    values, uses = _params(criteria, dataset, params)
    verdicts: dict[int, int] = {}
    views = _views(dataset, verdicts)
    ctx = _context(dataset, values, uses, views)
    runs: list[Any] = []
    with collector_paused():
        county_clauses: list[Any] = _verdicts_all(
            criteria, dataset, ctx, views, verdicts, runs, progress,
            Explainer(criteria, ctx) if explain else None)
    county_status = Status.of(all_of(c.status.as_truth() for c in county_clauses))

    def explain_county() -> list[Any]:
        # The county's target explained when first read, as each candidate's is: by the
        # explaining closures over the verdicts the verdict path recorded.
        with collector_paused():
            return [_run(c, ctx, (dataset.county,)) for c in criteria.clauses.get("county", [])]

    return Report(
        dataset=dataset, criteria=criteria, **_report_results(runs),
        county_status=county_status, county_clauses=county_clauses,
        params=[uses[k] for k in sorted(uses)], explained=explain,
        explain_county=explain_county if explain else None,
    )


def _context(dataset: Dataset, values: dict[str, Fraction], uses: dict[str, ParamUse],
             views: dict[str, Callable[[Any], Any]]) -> EvalContext:
    """What a rule may reach: the assessment date, the dataset-wide roots, the parameters."""
    return EvalContext(
        date=dataset.assessment.date,
        roots={"province_benchmarks": dataset.province_benchmarks,
               "assessment": dataset.assessment, "county": dataset.county},
        params=values, param_uses=uses, virtual=views)


def _views(dataset: Dataset, verdicts: dict[int, int],
           industry: tuple[dict[str, Any], dict[str, Any]] | None = None
           ) -> dict[str, Callable[[Any], Any]]:
    """The evaluator's views of the dataset that rules read as fields (``members`` …).

    ``verdicts`` holds each rated candidate's verdict as a truth code (0 fail, 1 unknown,
    2 pass) by the identity (``id``) of its model object, which the dataset keeps alive as
    long as the report that reads it; generated code reads it directly (``R.vc``)."""
    enterprises_of, members_of = industry if industry is not None else industry_views(dataset)
    candidates = [e for e in dataset.enterprises if e.candidate]
    districts, industries = list(dataset.districts), list(dataset.industries)
    names = {"District": "districts", "Industry": "industries"}

    def strong_known(obj: Any) -> bool | None:
        # The verdict recorded for a candidate: None while unknown.
        code = verdicts.get(id(obj))
        return None if code is None or code == 1 else code == 2

    def strong(obj: Any) -> Any:
        value = strong_known(obj)
        if value is None:
            attr = names.get(type(obj).__name__, "enterprises")
            return Missing((f"{attr}[{obj.id}].strong",))
        return value

    return {
        "members": lambda ind: members_of.get(ind.id, []),
        "industry_enterprises": lambda ind: enterprises_of.get(ind.id, []),
        "enterprises": lambda c: candidates,
        "strong": strong,
        "strong_known": strong_known,
        "districts": lambda c: districts,
        "industries": lambda c: industries,
    }


SHARED_PER_CLAUSE = 1024
"""How many explanations of one clause a report keeps for candidates with the same values
(`Explainer.shared_trees`; a bounded memory: each is one node and its JSON object)."""


class _Made:
    """A clause's node as the writers share it, and its JSON object, made when first asked
    for (from its children's, for a clause made of clauses: ``parts``)."""

    __slots__ = ("node", "obj", "parts")

    def __init__(self, node: ClauseResult, parts: list[_Made] | None = None) -> None:
        self.node, self.parts = node, parts
        self.obj: dict[str, Any] | None = None

    def json(self) -> dict[str, Any]:
        obj = self.obj
        if obj is None:
            parts = self.parts
            obj = self.obj = (self.node.to_dict() if parts is None
                              else self.node.to_dict([p.json() for p in parts]))
        return obj


class Explainer:
    """What explains one candidate when its explanation is first read: the explaining
    closures of its kind, run over its data (the verdicts that ``strong`` reads are known).

    A writer that reads each candidate once asks for shared trees or JSON objects instead
    (`shared_trees`, `json_clauses`): a clause whose explanation depends on a few of the
    candidate's own values (`qstrong.engine.reuse`) is explained once for each set of
    values, and its node and JSON object are shared by every candidate who gave them."""

    __slots__ = ("criteria", "ctx", "shared")

    def __init__(self, criteria: Criteria, ctx: EvalContext) -> None:
        self.criteria, self.ctx = criteria, ctx
        self.shared: dict[str, dict[tuple[Any, ...], _Made]] = {}

    def __call__(self, kind: str, entity: Any) -> list[Any]:
        with collector_paused():
            return [_run(c, self.ctx, (entity,)) for c in self.criteria.clauses.get(kind, [])]

    def shared_trees(self, kind: str, entity: Any) -> list[ClauseResult]:
        """The candidate's clause trees, some of their nodes shared with other candidates:
        for reading once (a writer), never to be changed."""
        env = (entity,)
        with collector_paused():
            return [self._node(c, env).node for c in self.criteria.clauses.get(kind, [])]

    def json_clauses(self, kind: str, entity: Any) -> list[dict[str, Any]]:
        """The JSON objects of the candidate's clause trees (`ClauseResult.to_dict`'s), some
        of them shared with other candidates: for writing, never to be changed."""
        env = (entity,)
        with collector_paused():
            return [self._node(c, env).json() for c in self.criteria.clauses.get(kind, [])]

    def _node(self, clause: CompiledClause, env: tuple[Any, ...]) -> _Made:
        reuse = clause.reuse
        if reuse is None:
            return self._made(clause, env, None)
        key = reuse(env[0], self.ctx)
        if clause.children:  # its children's keys: its own, and theirs below
            assert key is not None
            return self._shared(clause, env, None if None in key else key, key)
        return self._shared(clause, env, key, None)

    def _shared(self, clause: CompiledClause, env: tuple[Any, ...], key: Any,
                keys: tuple[Any, ...] | None) -> _Made:
        """The clause's node kept under ``key`` (None: not shared), or made."""
        if key is None:
            return self._made(clause, env, keys)
        table = self.shared.get(clause.defn.id)
        if table is None:
            table = self.shared[clause.defn.id] = {}
        made = table.get(key)
        if made is None:
            made = self._made(clause, env, keys)
            if len(table) < SHARED_PER_CLAUSE:
                table[key] = made
        return made

    def _made(self, clause: CompiledClause, env: tuple[Any, ...],
              keys: tuple[Any, ...] | None) -> _Made:
        """The clause's node, made (``keys``: its children's, when read)."""
        if clause.children and clause.rule is None and clause.applies is None:
            parts = ([self._node(child, env) for child in clause.children] if keys is None
                     else [self._shared(child, env, key, None)
                           for child, key in zip(clause.children, keys, strict=True)])
            nodes = [p.node for p in parts]
            return _Made(_group_node(clause, nodes, _combined(clause, nodes)), parts)
        return _Made(_run(clause, self.ctx, env))


def _verdicts_all(criteria: Criteria, dataset: Dataset, ctx: EvalContext,
                  views: dict[str, Callable[[Any], Any]],
                  verdicts: dict[int, int], runs: list[Any],
                  progress: Callable[[int, int], None] | None,
                  explainer: Callable[[str, Any], list[Any]] | None = None,
                  reuse: tuple[Report, str] | None = None) -> list[Any]:
    """Run the verdict program over every kind's candidates, appending each kind's results
    to ``runs`` (a `KindRun`, or the list of a kind's results kept from ``reuse``), and
    return the county's clause trees."""
    program = criteria.program()
    # Generated code reads ``strong`` as its verdict's truth code (``R.vc``), or, where it
    # is compared, as a plain value: None where it is unknown.
    runtime = Runtime(ctx, program.param_order, {**views, "strong": views["strong_known"]},
                      program.windows, verdicts)
    total = sum(len(_rated(dataset, attr)) for _, attr in ENTITY_KINDS)
    tick = None
    if progress is not None:
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            progress(done, total)
    for kind, attr in ENTITY_KINDS:
        if reuse is not None and kind != reuse[1]:
            # Another kind's candidates do not read this kind's rules: keep their results.
            # The report's results of a kind are in the order of its rated candidates.
            kept = _kept(reuse[0], kind, _rated(dataset, attr), verdicts)
            if kept:  # (an empty list: the kind had no criteria, no results)
                runs.append(kept)
            continue
        kp = program.kinds.get(kind)
        if kp is not None:
            runs.append(run_kind(kp, _rated(dataset, attr), runtime, verdicts, tick, explainer))
    county = program.kinds.get("county")
    if county is None:
        return []
    return list(tree_of(county, county.function(dataset.county, runtime)))


def _kept(report: Report, kind: str, models: list[Any], verdicts: dict[int, int]) -> Any:
    """``report``'s results of ``kind`` (its `KindRun`, or its results), their verdicts
    recorded for ``strong`` to read."""
    for run in report._runs or ():
        if run.kind == kind:
            run.record(verdicts)
            return run
    kept = [entity for entity in report.entities if entity.kind == kind]
    for entity, model in zip(kept, models, strict=True):
        verdicts[id(model)] = CODE_OF_STATUS[entity.status]
    return kept


def _report_results(runs: list[Any]) -> dict[str, Any]:
    """`Report`'s arguments for the results: the runs, or, where a kind's results were kept
    as a list, every result."""
    if all(isinstance(run, KindRun) for run in runs):
        return {"runs": runs}
    return {"entities": [e for run in runs
                         for e in (run.entities() if isinstance(run, KindRun) else run)]}


def reevaluate_kind(report: Report, criteria: Criteria, kind: str,
                    params: Mapping[str, Any] | None = None, *,
                    industry: tuple[dict[str, Any], dict[str, Any]] | None = None) -> Report:
    """A verdict-path report of the same dataset in which only ``kind``'s candidates (and
    the county) are evaluated again, under ``criteria``; the other kinds' results are
    ``report``'s. For sweeps: a bound of one kind's rule moves nothing else, so a point
    costs that kind's candidates, not the province's.

    ``criteria`` must differ from the report's only in ``kind``'s rules, and ``params``
    must be those the report was made with. ``industry`` is `industry_views` of the
    dataset, made once for many calls.
    """
    dataset = report.dataset
    values, uses = _params(criteria, dataset, params)
    verdicts: dict[int, int] = {}
    views = _views(dataset, verdicts, industry)
    ctx = _context(dataset, values, uses, views)
    runs: list[Any] = []
    with collector_paused():
        county_clauses = _verdicts_all(criteria, dataset, ctx, views, verdicts, runs, None,
                                       None, (report, kind))
    county_status = Status.of(all_of(c.status.as_truth() for c in county_clauses))
    return Report(dataset=dataset, criteria=criteria, **_report_results(runs),
                  county_status=county_status, county_clauses=county_clauses,
                  params=[uses[k] for k in sorted(uses)], explained=False,
                  warnings=report.warnings)


def _rated(dataset: Dataset, attr: str) -> list[Any]:
    """The candidates of one list that are rated: every district and industry, and the
    enterprises that take part in 质量强企建设 (``candidate``; the others are members only)."""
    items: list[Any] = list(getattr(dataset, attr))
    return [e for e in items if e.candidate] if attr == "enterprises" else items
