"""The province's view: many counties and years in one run (二(一), 四(三)).

A county-year is the unit of work: each dataset is evaluated on its own (in a process pool when
asked), and only its summary — verdict, counts, the candidates and their statuses — comes back,
so a province of counties costs what its counties cost, one at a time. The summaries are then
checked as a bundle (one dataset per county and year; one set of province benchmarks per year),
gathered into the province view the province criteria (``criteria/province.yaml``) read, and
compared year with year.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import json
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from qstrong.core import codes
from qstrong.core.errors import DataError, DataErrors, Diagnostic
from qstrong.core.logic import Status, all_of
from qstrong.core.messages import msg, words
from qstrong.core.vocab import KINDS, PROVINCE
from qstrong.data.models import Dataset
from qstrong.data.province import CountyYear, ProvinceCounty, ProvinceView
from qstrong.data.validate import dataset_to_dict
from qstrong.engine.clause import ClauseResult
from qstrong.engine.context import EvalContext
from qstrong.engine.evaluate import _run, evaluate, param_values
from qstrong.engine.explanation import ParamUse
from qstrong.engine.results import Report
from qstrong.engine.ruleset import Criteria, load_criteria
from qstrong.io.review import LEVELS, Decision, read_review

__all__ = ["COUNTY_TARGET", "CountyYearResult", "ProvinceReport", "RosterEntry", "assemble",
           "bundle_sources", "evaluate_county_file", "evaluate_province", "review_sources",
           "summarize"]

COUNTY_TARGET = {"district": 2, "industry": 2, "enterprise": 30}
"""二(一): each county's target, shown as how far a county is from it."""

_STATUSES = ("pass", "fail", "unknown", "not_applicable")


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A candidate of one county-year: kind, id, name, status."""

    kind: str
    id: str
    name: str
    status: Status


@dataclass(frozen=True)
class CountyYearResult:
    """What the province keeps of one county's evaluation: plain data, so it pickles and
    crosses a process boundary cheaply."""

    source: str
    code: str
    name: str
    city: str | None
    date: _dt.date
    status: Status
    counts: dict[str, dict[str, int]]
    candidates: tuple[RosterEntry, ...]
    benchmarks: str
    """The province benchmarks as canonical JSON: counties of one year must agree."""

    @property
    def year(self) -> int:
        """The assessment year: the year of the assessment date."""
        return self.date.year

    def short(self) -> dict[str, int]:
        """How many more strong candidates of each kind the county target needs (0 when met)."""
        return {k: max(0, n - self.counts[k]["pass"]) for k, n in COUNTY_TARGET.items()}


def summarize(report: Report, source: str) -> CountyYearResult:
    """The province's summary of one county report."""
    dataset = report.dataset
    counts = {k: {s: 0 for s in _STATUSES} for k in KINDS}
    for kind, by_status in report.county.counts.items():
        counts[kind].update(by_status)
    candidates = tuple(RosterEntry(e.kind, e.id, e.name, e.status) for e in report.entities)
    benchmarks = json.dumps(dataset_to_dict(dataset)["province_benchmarks"], sort_keys=True,
                            ensure_ascii=False, separators=(",", ":"))
    return CountyYearResult(source, dataset.county.code, dataset.county.name,
                            dataset.county.city, dataset.assessment.date, report.status, counts,
                            candidates, benchmarks)


# ---------------------------------------------------------------------------- the bundle


_DOCUMENTS = (".yaml", ".yml", ".json", ".xlsx", ".xlsm")


def review_sources(paths: Iterable[str | Path]) -> list[Path]:
    """The review records in the bundle's folders: ``review*.yaml``/``.yml``/``.csv``, sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*")) if p.is_file()
                       and p.name.lower().startswith("review")
                       and p.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx"))
    return out


def bundle_sources(paths: Iterable[str | Path]) -> list[Path]:
    """The datasets a list of paths names: files as given; a folder holding ``.csv`` files is
    one dataset (a CSV folder); any other folder is searched (sorted, recursively) for dataset
    files and CSV folders. Files whose name starts with ``review`` are review records, not
    datasets."""
    out: list[Path] = []

    def visit(path: Path, top: bool) -> None:
        if path.is_dir():
            if any(p.suffix.lower() == ".csv" for p in path.iterdir() if p.is_file()):
                out.append(path)
                return
            for child in sorted(path.iterdir()):
                if child.is_dir() or (child.suffix.lower() in _DOCUMENTS
                                      and not child.name.lower().startswith("review")):
                    visit(child, False)
        elif top or path.suffix.lower() in _DOCUMENTS:
            out.append(path)

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise DataError(msg("file.no_such"), file=str(path), code=codes.DATA_FILE)
        visit(path, True)
    if not out:
        raise DataError(msg("province.empty"), file=", ".join(str(p) for p in paths),
                        code=codes.PROVINCE_BUNDLE)
    return out


@functools.cache
def _criteria_at(directory: str | None) -> Criteria:
    return load_criteria(directory)


def evaluate_county_file(path: str | Path, criteria: Criteria | str | None = None,
                         max_bytes: int | None = None) -> CountyYearResult:
    """One county-year, the unit of work: read the dataset, evaluate it, keep its summary.

    Any process can run it — a worker of ``-j``, or a Dask worker (docs/scale.md): give it the
    criteria folder (or `Criteria`, which pickle as their folder) and it loads what it needs,
    once per process."""
    loaded = criteria if isinstance(criteria, Criteria) else _criteria_at(criteria)
    report = evaluate(_load(str(path), max_bytes), loaded, explain=False)
    return summarize(report, str(path))


def _one(task: tuple[str, str | None, int | None]) -> CountyYearResult:
    source, criteria_dir, max_bytes = task
    return evaluate_county_file(source, criteria_dir, max_bytes)


def _usable_cores() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ProgressChange:
    """A candidate whose status changed between two assessed years of its county."""

    county: str
    kind: str
    id: str
    from_year: int
    to_year: int
    before: Status | None
    after: Status | None

    def to_dict(self) -> dict[str, Any]:
        return {"county": self.county, "kind": self.kind, "id": self.id,
                "from_year": self.from_year, "to_year": self.to_year,
                "from": self.before.value if self.before is not None else None,
                "to": self.after.value if self.after is not None else None}


@dataclass
class ProvinceReport:
    """Everything one province run found; `to_dict` gives the province JSON contract."""

    criteria: Criteria
    counties: list[CountyYearResult]
    status: Status
    clauses: list[dict[str, Any]]
    """The province criteria's clause trees, explained, as the JSON contract writes them
    (plain data, so the report pickles)."""
    target_year: int
    needed: int
    county_status: dict[str, Status]
    """Each county (by code): a demonstration county by the target year, or not, or unknown."""
    params: list[ParamUse] = field(default_factory=list)
    reviews: dict[tuple[int, str, str, str], dict[str, Decision]] = field(default_factory=dict)
    """(year, county, kind, id) → level → its decision, from the review records."""

    @property
    def years(self) -> list[int]:
        """Every assessment year in the bundle, in order."""
        return sorted({c.year for c in self.counties})

    def demonstration_by(self, year: int) -> dict[str, int]:
        """Counties that reached the county target in some year up to ``year`` (three-valued:
        a county that never passed but was unknown once counts as unknown)."""
        out = {"pass": 0, "fail": 0, "unknown": 0}
        for statuses in _statuses_by_county(self.counties, year).values():
            out[_best(statuses).value] += 1
        return out

    def roster(self) -> list[tuple[CountyYearResult, RosterEntry]]:
        """Every candidate rated strong, or unknown (it may be), across counties and years,
        and every candidate a review record decided on."""
        return [(c, e) for c in self.counties for e in c.candidates
                if e.status in (Status.PASS, Status.UNKNOWN)
                or (c.year, c.code, e.kind, e.id) in self.reviews]

    def flags(self, county: CountyYearResult, entry: RosterEntry) -> list[str]:
        """What a reviewer should look at: ``not_strong`` (put forward while not rated strong
        that year), ``no_reason`` (and no reason written), ``level_skipped`` (a level decided
        without the level below)."""
        review = self.reviews.get((county.year, county.code, entry.kind, entry.id), {})
        out = []
        if review and entry.status is not Status.PASS:
            out.append("not_strong")
            if not any(d.reason for d in review.values()):
                out.append("no_reason")
        if ("city" in review and "county" not in review) or (
                "province" in review and "city" not in review):
            out.append("level_skipped")
        return out

    def awarded(self) -> list[tuple[CountyYearResult, RosterEntry]]:
        """The 示范单位 the province awarded, by year."""
        return [(c, e) for c, e in self.roster()
                if (d := self.reviews.get((c.year, c.code, e.kind, e.id), {}).get("province"))
                is not None and d.decision == "award"]

    def progress(self) -> list[ProgressChange]:
        """Candidates that became strong, lost it, or became unknown since the county's
        previous assessed year (matched by kind and id within the county)."""
        by_county: dict[str, list[CountyYearResult]] = {}
        for c in self.counties:
            by_county.setdefault(c.code, []).append(c)
        out: list[ProgressChange] = []
        keen = (Status.PASS, Status.UNKNOWN)
        for code in sorted(by_county):
            years = sorted(by_county[code], key=lambda c: c.year)
            for before, after in itertools.pairwise(years):
                old = {(e.kind, e.id): e.status for e in before.candidates}
                new = {(e.kind, e.id): e.status for e in after.candidates}
                for key in sorted(old.keys() | new.keys(),
                                  key=lambda k: (KINDS.index(k[0]), k[1])):
                    a, b = old.get(key), new.get(key)
                    if a is not b and (a in keen or b in keen):
                        out.append(ProgressChange(code, key[0], key[1], before.year,
                                                  after.year, a, b))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The province JSON contract (see docs/province.md)."""
        counted = {"pass": 0, "fail": 0, "unknown": 0}
        for status in self.county_status.values():
            counted[status.value] += 1
        return {
            "criteria": {"version": self.criteria.version, "sha256": self.criteria.sha256},
            "target": {"status": self.status.value, "year": self.target_year,
                       "needed": self.needed, "counties": counted},
            "years": [{"year": y, "demonstration_counties": self.demonstration_by(y)}
                      for y in self.years],
            "counties": [{"code": c.code, "name": c.name, "city": c.city, "year": c.year,
                          "status": c.status.value, "counts": c.counts, "short": c.short(),
                          "source": c.source} for c in self.counties],
            "roster": [{"year": c.year, "city": c.city, "county": c.code, "kind": e.kind,
                        "id": e.id, "name": e.name, "status": e.status.value,
                        "review": self._review_dict(c, e), "flags": self.flags(c, e)}
                       for c, e in self.roster()],
            "awarded": [{"year": c.year, "county": c.code, "kind": e.kind, "id": e.id,
                         "name": e.name} for c, e in self.awarded()],
            "progress": [p.to_dict() for p in self.progress()],
            "clauses": self.clauses,
        }

    def _review_dict(self, c: CountyYearResult, e: RosterEntry) -> dict[str, Any]:
        review = self.reviews.get((c.year, c.code, e.kind, e.id), {})
        return {level: {"decision": d.decision, "date": d.date.isoformat() if d.date else None,
                        "by": d.by, "reason": d.reason}
                for level, d in sorted(review.items(), key=lambda kv: LEVELS.index(kv[0]))}

    def to_json(self) -> str:
        """`to_dict` as JSON text: the same inputs give the same bytes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _statuses_by_county(counties: Sequence[CountyYearResult],
                        up_to: int | None = None) -> dict[str, list[Status]]:
    out: dict[str, list[Status]] = {}
    for c in counties:
        if up_to is None or c.year <= up_to:
            out.setdefault(c.code, []).append(c.status)
    return out


def _best(statuses: Sequence[Status]) -> Status:
    """A county's standing over years: it passed once, or it may have, or it did not."""
    if Status.PASS in statuses:
        return Status.PASS
    return Status.UNKNOWN if Status.UNKNOWN in statuses else Status.FAIL


def _check_bundle(counties: Sequence[CountyYearResult]) -> None:
    """One dataset per county and year; one set of province benchmarks per year."""
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, int], CountyYearResult] = {}
    benchmarks: dict[int, CountyYearResult] = {}
    for c in counties:
        first = seen.setdefault((c.code, c.year), c)
        if first is not c:
            problems.append(Diagnostic(codes.PROVINCE_BUNDLE, msg(
                "province.twice", county=f"{c.name} ({c.code})", year=c.year,
                first=first.source), hint=words("province.twice_hint"), file=c.source))
        base = benchmarks.setdefault(c.year, c)
        if base.benchmarks != c.benchmarks:
            problems.append(Diagnostic(codes.PROVINCE_BUNDLE, msg(
                "province.benchmarks", year=c.year, first=base.source), file=c.source))
    if problems:
        raise DataErrors(problems)


def _check_reviews(counties: Sequence[CountyYearResult], decisions: Sequence[Decision]
                   ) -> dict[tuple[int, str, str, str], dict[str, Decision]]:
    """Each decision matched to its candidate; a decision for a candidate the bundle does not
    hold (that county, year, kind and id) is an error naming the record's line."""
    known = {(c.year, c.code, e.kind, e.id) for c in counties for e in c.candidates}
    out: dict[tuple[int, str, str, str], dict[str, Decision]] = {}
    problems: list[Diagnostic] = []
    for d in decisions:
        key = (d.year, d.county, d.kind, d.id)
        if key not in known:
            problems.append(Diagnostic(codes.REVIEW_RECORD, msg(
                "review_record.unknown_candidate", year=d.year, county=d.county,
                kind=words(f"kind.{d.kind}"), id=d.id), d.span,
                file=None if d.span else d.where()))
            continue
        out.setdefault(key, {})[d.level] = d
    if problems:
        raise DataErrors(problems)
    return out


def _province_params(criteria: Criteria, explicit: Mapping[str, Any] | None
                     ) -> tuple[dict[str, Fraction], dict[str, ParamUse]]:
    """The province criteria's parameters, with the what-if values of ``params=``/``--set``."""
    return param_values(criteria, criteria.files[PROVINCE].params, [(("params",), explicit or {})])


def evaluate_province(paths_or_datasets: Iterable[str | Path | Dataset],
                      criteria: Criteria | str | Path | None = None, *,
                      jobs: int | None = None, params: Mapping[str, Any] | None = None,
                      max_bytes: int | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      reviews: Iterable[str | Path] = ()) -> ProvinceReport:
    """Evaluate every county-year of a province bundle and the province target.

    Args:
        paths_or_datasets: dataset files, CSV folders, folders of them (searched), or
            `Dataset` objects.
        criteria: a loaded `Criteria`, a criteria directory, or None for the packaged
            criteria; it needs a ``province`` file.
        jobs: processes to evaluate the counties in (None: the usable cores; 1: this
            process). The result is the same whatever the number.
        params: what-if values of the province criteria's parameters.
        max_bytes: the largest YAML/JSON dataset file read.
        progress: called with (done, total) as counties finish.
        reviews: review record files (YAML or CSV), besides the ``review*`` files found in
            the bundle's folders.

    Raises:
        DataError: a dataset cannot be read or is invalid (naming its file), two datasets
            for one county and year, or counties of one year with different benchmarks.
        CriteriaError: the criteria are invalid or have no province file.
    """
    loaded = _province_criteria(criteria)
    directory = None if criteria is None else loaded.directory  # what a worker loads
    _province_params(loaded, params)  # bad what-if values are refused before any county runs
    items = list(paths_or_datasets)
    datasets = [(f"<dataset {i + 1}>", d) for i, d in enumerate(items)
                if isinstance(d, Dataset)]
    paths = [str(p) for p in bundle_sources([i for i in items if not isinstance(i, Dataset)])
             ] if any(not isinstance(i, Dataset) for i in items) else []
    total = len(datasets) + len(paths)
    results: list[CountyYearResult] = []
    for source, dataset in datasets:
        results.append(summarize(evaluate(dataset, loaded, explain=False), source))
        if progress is not None:
            progress(len(results), total)
    tasks = [(p, directory, max_bytes) for p in paths]
    workers = min(jobs or _usable_cores(), len(tasks))
    if workers > 1:
        # Spawned, not forked: the caller may hold threads (a progress bar's) and their locks.
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            for result in pool.map(_one, tasks, chunksize=1):
                results.append(result)
                if progress is not None:
                    progress(len(results), total)
    else:
        for path in paths:
            results.append(evaluate_county_file(path, loaded, max_bytes))
            if progress is not None:
                progress(len(results), total)
    folders = [i for i in items if not isinstance(i, Dataset)]
    return assemble(results, loaded, params=params,
                    reviews=[*review_sources(folders), *map(Path, reviews)])


def assemble(results: Iterable[CountyYearResult],
             criteria: Criteria | str | Path | None = None, *,
             params: Mapping[str, Any] | None = None,
             reviews: Iterable[str | Path] = ()) -> ProvinceReport:
    """The province report of county-year summaries however they were computed (here, in a
    process pool, or on a Dask cluster): the bundle checked, the target, the reviews. The
    same summaries give the same report, in any order."""
    loaded = _province_criteria(criteria)
    values, uses = _province_params(loaded, params)
    ordered = sorted(results, key=lambda c: (c.year, c.city or "", c.code, c.source))
    _check_bundle(ordered)
    decisions = [d for path in dict.fromkeys(map(Path, reviews)) for d in read_review(path)]
    province = _province(loaded, ordered, values, uses)
    province.reviews = _check_reviews(ordered, decisions)
    return province


def _province_criteria(criteria: Criteria | str | Path | None) -> Criteria:
    """The criteria loaded (once per process), refused without a province file."""
    loaded = criteria if isinstance(criteria, Criteria) else _criteria_at(
        None if criteria is None else str(criteria))
    if PROVINCE not in loaded.clauses:
        from qstrong.core.errors import CriteriaErrors

        raise CriteriaErrors([Diagnostic(codes.CRITERIA_INCOMPLETE,
                                         msg("ruleset.no_kind_file", kind=PROVINCE),
                                         file=loaded.directory)])
    return loaded


def _load(path: str, max_bytes: int | None) -> Dataset:
    from qstrong.io.load import load_dataset

    return load_dataset(path, max_bytes=max_bytes)


def _province(criteria: Criteria, counties: list[CountyYearResult],
              values: dict[str, Fraction], uses: dict[str, ParamUse]) -> ProvinceReport:
    by_code: dict[str, list[CountyYearResult]] = {}
    for c in counties:
        by_code.setdefault(c.code, []).append(c)
    view = ProvinceView(counties=[
        ProvinceCounty(code=code, name=rows[-1].name, city=rows[-1].city, years=[
            CountyYear(year=r.year, demonstration=None if r.status is Status.UNKNOWN
                       else r.status is Status.PASS) for r in rows])
        for code, rows in sorted(by_code.items())])
    target_year = int(values.get("province_target_year", Fraction(2015)))
    needed = int(values.get("province_target_counties", Fraction(20)))
    day = max((c.date for c in counties), default=_dt.date(target_year, 12, 31))
    ctx = EvalContext(date=day, roots={}, params=values, param_uses=uses)
    clauses: list[ClauseResult] = [_run(c, ctx, (view,)) for c in criteria.clauses[PROVINCE]]
    status = Status.of(all_of(c.status.as_truth() for c in clauses))
    standing = {code: _best(statuses) for code, statuses
                in sorted(_statuses_by_county(counties, target_year).items())}
    return ProvinceReport(criteria, counties, status, [c.to_dict() for c in clauses],
                          target_year, needed, standing, [uses[k] for k in sorted(uses)])
