"""The commands: each takes the parsed arguments, calls the library and returns an exit status."""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qstrong.cli.args import UsageError
from qstrong.cli.formats import BINARY_FORMATS, OUTPUT_FORMATS, STREAMED_FORMATS
from qstrong.cli.output import check_target, write_atomic, write_text_atomic
from qstrong.cli.progress import DelayedProgress
from qstrong.cli.terminal import colour_on, plain_width, stderr_console, stdout_console
from qstrong.core.errors import Diagnostic
from qstrong.core.logic import Status
from qstrong.core.messages import Text, msg, words
from qstrong.core.vocab import ID_CUTOFF, suggest
from qstrong.report.diagnostics import render_diagnostic
from qstrong.report.text import (
    ReportFilter,
    explain_text,
    render_explanation,
    render_report,
    write_report_text,
)

__all__ = ["EXIT_FOUND", "EXIT_INPUT", "EXIT_OK", "HANDLERS", "diagnostic_text"]

EXIT_OK, EXIT_FOUND, EXIT_INPUT = 0, 1, 2

# ---------------------------------------------------------------- helpers


def _merge(values: list[frozenset[Any]] | None) -> frozenset[Any] | None:
    if not values:
        return None
    out: frozenset[Any] = frozenset()
    for value in values:
        out |= value
    return out


def _write_text(text: str, output: str | None) -> None:
    if output:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _writing(args: argparse.Namespace) -> DelayedProgress:
    """A progress bar for writing a large report (on a terminal, after about a second)."""
    # Not while the report itself goes to the same terminal.
    on = not getattr(args, "no_progress", False) and (
        bool(getattr(args, "output", None)) or not sys.stdout.isatty())
    progress = DelayedProgress(stderr_console() if on else None)
    progress.step("写出报告" if getattr(args, "lang", "zh") == "zh" else "writing the report")
    return progress


def _write_stream(write: Any, output: str | None, *, binary: bool = False) -> None:
    """Write a streamed format to ``-o FILE`` (atomically) or standard output; a ``binary``
    writer (JSON, JSON Lines) gets the file opened ``"wb"``, its UTF-8 bytes going to it as
    they are made, a text writer (HTML) UTF-8 text with ``\n`` line ends."""
    if output:
        def into(temp: Path) -> None:
            if binary:
                with temp.open("wb") as raw:
                    write(raw)
            else:
                with temp.open("w", encoding="utf-8", newline="\n") as handle:
                    write(handle)

        write_atomic(output, into)
    else:
        write(sys.stdout)
        sys.stdout.flush()


def _target(args: argparse.Namespace, *inputs: str | None) -> None:
    """Refuse an ``-o`` that is an input, or exists without ``--force``; before any work."""
    if getattr(args, "output", None):
        check_target(args.output, inputs=[i for i in inputs if i],
                     force=bool(getattr(args, "force", False)))


def _set_params(args: argparse.Namespace) -> dict[str, str] | None:
    """The ``--set NAME=VALUE`` values (the last one given for a name wins)."""
    given = getattr(args, "set_params", None)
    return dict(given) if given else None


def _run_evaluation(args: argparse.Namespace, progress_on: bool) -> Any:
    from qstrong.engine.evaluate import evaluate
    from qstrong.engine.ruleset import load_criteria
    from qstrong.io.where import load_dataset_cells

    zh = getattr(args, "lang", "zh") == "zh"
    console = stderr_console() if progress_on else None
    with DelayedProgress(console) as progress:
        progress.step("读取数据集" if zh else "reading the dataset")
        dataset, cells = load_dataset_cells(args.dataset,
                                            max_bytes=getattr(args, "max_size", None))
        progress.step("加载评审标准" if zh else "loading the criteria")
        criteria = load_criteria(args.criteria)
        progress.step("评定候选对象" if zh else "evaluating the candidates")
        report = evaluate(dataset, criteria, progress=progress.advance,
                          explain=not getattr(args, "verdicts_only", False),
                          params=_set_params(args))
        report.source_cells = cells  # the cells to fill in, for 待补数据
        return report


# ---------------------------------------------------------------- commands


def _evaluate(args: argparse.Namespace) -> int:
    filters = ReportFilter(statuses=_merge(args.status), kinds=_merge(args.kind),
                           entities=_merge(args.entity))
    fmt = OUTPUT_FORMATS.get(args.format)
    if args.format in BINARY_FORMATS and not args.output:
        raise UsageError(msg("cli.needs_output", format=args.format))
    if fmt is not None and fmt.needs is not None:
        import importlib.util

        module, extra = fmt.needs
        if importlib.util.find_spec(module) is None:
            raise UsageError(msg("cli.format_unavailable", format=args.format, module=module,
                                 extra=extra))
    _target(args, args.dataset, args.criteria)
    report = _run_evaluation(args, progress_on=not args.no_progress)
    if filters.entities is not None:
        known = {e.id for e in report.entities} | {"county", report.county.code}
        unknown = sorted(filters.entities - known)
        if unknown:
            raise UsageError(_no_such_id(unknown[0], sorted(known)))
    if filters != ReportFilter() and args.format != "text":
        report = _selected(report, filters)
    if args.format in STREAMED_FORMATS:
        write_stream = report.write_json if args.format == "json" else report.write_jsonl
        with _writing(args) as progress:
            _write_stream(lambda out: write_stream(out, progress.advance), args.output,
                          binary=True)
    elif fmt is not None and fmt.write is not None:
        write = fmt.write
        if fmt.reports_progress:  # a slow writer at scale: show its progress
            with _writing(args) as progress:
                write_atomic(args.output, lambda temp: write(
                    report, str(temp), args.lang, progress.advance))
        else:
            write_atomic(args.output, lambda temp: write(report, str(temp), args.lang))
    elif fmt is not None and fmt.stream is not None:
        stream = fmt.stream
        _write_stream(lambda out: stream(report, out, args.lang), args.output)
    elif fmt is not None and fmt.render is not None:
        text = fmt.render(report, args.lang)
        _write_text(text if text.endswith("\n") else text + "\n", args.output)
    else:
        console = stdout_console(args)
        if console is not None and colour_on(args, console):
            render_report(report, console, args.lang, filters)
        else:
            width = plain_width(args, console)
            _write_stream(lambda out: write_report_text(report, out, args.lang, width=width,
                                                        filters=filters), args.output)
    return EXIT_OK


def _selected(report: Any, filters: ReportFilter) -> Any:
    """The report with only the candidates the filters select, for the formats that are
    documents (JSON, HTML, Markdown, workbook): the county part, its counts and the
    clause trees stay whole, so the JSON contract keeps every key."""
    chosen = copy.copy(report)
    chosen.entities = [e for e in report.entities if filters.shows_entity(e)]
    return chosen


def _no_such_id(wanted: str, known: list[str]) -> Text:
    hint = suggest(wanted, known, ID_CUTOFF)
    return (msg("cli.no_candidate_close", id=wanted, hint=hint) if hint
            else msg("cli.no_candidate", id=wanted))


def _explain(args: argparse.Namespace) -> int:
    from qstrong.engine.advice import advise
    from qstrong.engine.results import CountyResult, EntityResult

    _target(args, args.dataset, args.criteria)
    report = _run_evaluation(args, progress_on=True)
    result: EntityResult | CountyResult
    county_ids = {"county", report.county.code}
    matches = [e for e in report.entities
               if e.id == args.id and args.kind in (None, e.kind)]
    if args.id in county_ids and args.kind in (None, "county") and not matches:
        result = report.county
    elif len(matches) == 1:
        result = matches[0]
    elif matches:
        kinds = ", ".join(e.kind for e in matches)
        raise UsageError(msg("cli.id_several_kinds", id=args.id, kinds=kinds))
    else:
        known = sorted({e.id for e in report.entities} | {"county"})
        raise UsageError(_no_such_id(args.id, known))
    if args.as_scenario:
        from qstrong.scenarios.record import scenario_of

        kind = "county" if isinstance(result, CountyResult) else result.kind
        _write_text(scenario_of(report, kind, args.id), args.output)
        return EXIT_OK
    advice = advise(result)
    leads = ""
    if isinstance(result, CountyResult) and result.status is Status.UNKNOWN:
        from qstrong.report.todo import county_leads_text, todo_list

        todo = todo_list(report)
        leads = county_leads_text(todo, args.lang)
    if args.format == "json":
        doc: dict[str, Any] = {"result": result.to_dict(), "advice": advice.to_dict()}
        if isinstance(result, CountyResult):
            doc["result"] = {"kind": "county", **result.to_dict()}
            if leads:
                doc["todo"] = [g.to_dict() for g in todo.todo if "county" in g.settles]
        _write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", args.output)
        return EXIT_OK
    console = stdout_console(args)
    from qstrong.report.missing_words import cells_for

    with cells_for(report, getattr(result, "kind", "county"), getattr(result, "id", "")):
        if console is not None and colour_on(args, console):
            render_explanation(result, advice, console, args.lang)
            if leads:
                console.print("\n" + leads, end="", highlight=False, markup=False)
        else:
            text = explain_text(result, advice, args.lang, width=plain_width(args, console))
            _write_text(text + ("\n" + leads if leads else ""), args.output)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from qstrong.data.schema import dataset_schema_json
    from qstrong.lang.schema import criteria_schema_json

    _target(args)
    text = dataset_schema_json() if args.which == "data" else criteria_schema_json()
    _write_text(text, args.output)
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    if args.review:
        import datetime

        from qstrong.io.review import review_template, review_template_csv

        _refuse_overwrite(args.review, args.force)
        year = args.years[-1] if args.years else datetime.date.today().year
        write = review_template_csv if args.review.lower().endswith(".csv") else review_template
        write_text_atomic(args.review, write(year))
        print(msg("cli.wrote", path=args.review), file=sys.stderr)
        if not (args.xlsx or args.csv or args.output):
            return EXIT_OK
    if args.xlsx or args.csv:
        return _template_tables(args)
    from qstrong.io.template import dataset_template

    _target(args)
    _write_text(dataset_template(schema_url=args.schema), args.output)
    if args.output:
        print(msg("cli.wrote", path=args.output), file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from qstrong.engine.ruleset import check_criteria

    criteria, diagnostics = check_criteria(args.criteria)
    for d in diagnostics:
        print(render_diagnostic(d, args.lang))
    if diagnostics:
        print(msg("cli.problems_found", count=len(diagnostics)), file=sys.stderr)
        return EXIT_FOUND
    assert criteria is not None
    from qstrong.lang.review import review_files

    warnings = review_files(criteria.files.values())
    for w in warnings:
        print(render_diagnostic(w, args.lang).replace("error[", "warning[", 1))
    if warnings and args.strict:
        print(msg("cli.warnings_strict", count=len(warnings)), file=sys.stderr)
        return EXIT_FOUND
    if args.show_code is not None:
        return _show_code(criteria, args.show_code)
    clauses = sum(len(list(c.defn.walk())) for cs in criteria.clauses.values() for c in cs)
    print(msg("cli.check_ok_warnings" if warnings else "cli.check_ok",
              files=len(criteria.files), clauses=clauses, params=len(criteria.params),
              version=criteria.version, warnings=len(warnings)))
    return EXIT_OK


def _show_code(criteria: Any, clause_id: str) -> int:
    """Print the generated verdict code of the criteria (or of one clause)."""
    from qstrong.core.vocab import suggest

    try:
        source = criteria.show_code(clause_id or None)
    except KeyError:
        ids = sorted(node.id for cs in criteria.clauses.values() for c in cs
                     for node in c.defn.walk())
        hint = suggest(clause_id, ids)
        raise UsageError(msg("sweep.no_clause_close", id=clause_id, hint=hint) if hint
                         else msg("sweep.no_clause", id=clause_id)) from None
    sys.stdout.write(source if source.endswith("\n") else source + "\n")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    """Render the reviewers' page and write or check it (exit 1 when ``--check`` finds it stale)."""
    from qstrong.engine.ruleset import load_criteria
    from qstrong.report.reviewers import REGENERATE, render_criteria_page, short_diff

    page = render_criteria_page(load_criteria(args.criteria))
    if args.check is not None:
        target = Path(args.check)
        try:
            current = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            print(msg("cli.docs_missing", path=target, command=REGENERATE))
            return EXIT_FOUND
        if current == page:
            print(msg("cli.docs_ok", path=target))
            return EXIT_OK
        for line in short_diff(current, page, str(target)):
            print(line)
        print(msg("cli.docs_stale", path=target, command=REGENERATE))
        return EXIT_FOUND
    if args.output is not None:
        check_target(args.output, inputs=[args.criteria] if args.criteria else [], force=True)
        write_text_atomic(args.output, page)
        return EXIT_OK
    _write_stdout_utf8(page)
    return EXIT_OK


def _write_stdout_utf8(text: str) -> None:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    buffer = getattr(sys.stdout, "buffer", None)
    if encoding != "utf8" and buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)


def _test(args: argparse.Namespace) -> int:
    from qstrong.core.resources import packaged
    from qstrong.scenarios.run import run_cli

    paths, criteria = list(args.paths), args.criteria
    if not paths:  # a working folder's cases (qstrong init), else the shipped ones
        paths = ["tests/cases"] if Path("tests/cases").is_dir() else [
            str(packaged("tests/cases"))]
        if criteria is None and any(Path("criteria").glob("*.yaml")):
            criteria = "criteria"
        print(msg("cli.test_paths", cases=paths[0], criteria=criteria or words("cli.packaged")),
              file=sys.stderr)
    if args.output:
        _target(args, *paths)
    return int(run_cli(paths, criteria, fmt=args.format, coverage=args.coverage,
                       write=(lambda text: _write_text(text, args.output))
                       if args.output else None, lang=args.lang))


def _init(args: argparse.Namespace) -> int:
    from qstrong.cli.workdir import init_folder

    root = init_folder(args.folder, args.force)
    print(msg("cli.init_wrote", root=root), file=sys.stderr)
    return EXIT_OK


def diagnostic_text(d: Diagnostic, lang: str = "zh") -> str:
    """`render_diagnostic`, plus the data field path when the headline shows a file position."""
    text = render_diagnostic(d, lang)
    if d.span is not None and d.path and d.path not in text:
        text += f"\n  = {msg('core.field_label').render(lang)}: {d.path}"
    return text


def _refuse_overwrite(path: str, force: bool, *inputs: str) -> None:
    if Path(path).is_dir():
        return  # a CSV folder: its files are written one by one
    check_target(path, inputs=inputs, force=force)


def _template_tables(args: argparse.Namespace) -> int:
    """``qstrong template --xlsx FILE`` and/or ``--csv FOLDER`` (with ``--years``)."""
    from qstrong.io.csv_folder import write_dataset_csv
    from qstrong.io.workbook import default_years, write_template_xlsx

    years = args.years or default_years()
    if args.xlsx:
        _refuse_overwrite(args.xlsx, args.force)
        write_template_xlsx(args.xlsx, years)
        print(msg("cli.wrote", path=args.xlsx), file=sys.stderr)
    if args.csv:
        write_dataset_csv(None, args.csv, years)
        print(msg("cli.wrote", path=args.csv), file=sys.stderr)
    return EXIT_OK


def _convert(args: argparse.Namespace) -> int:
    """``qstrong convert IN OUT [--force]``."""
    from qstrong.io.convert import convert

    _refuse_overwrite(args.output, args.force, args.input)
    if Path(args.output).suffix.lower() in (".yaml", ".yml", ".json", ".xlsx", ".xlsm"):
        from qstrong.io.convert import write_any
        from qstrong.io.load import load_any

        dataset = load_any(args.input)
        write_atomic(args.output, lambda temp: write_any(dataset, temp))
    else:  # a folder of CSV files, written file by file
        convert(args.input, args.output)
    print(msg("cli.wrote", path=args.output), file=sys.stderr)
    return EXIT_OK


def _write_change(result: Any, args: argparse.Namespace, text: Callable[[Any, str], str],
                  what: str) -> None:
    """Write a diff or a sweep in the format asked for."""
    if args.format == "xlsx":
        from qstrong.report import change_files

        write = change_files.write_diff_xlsx if what == "diff" else change_files.write_sweep_xlsx
        write_atomic(args.output, lambda temp: write(result, str(temp), args.lang))
        return
    if args.format == "json":
        out = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        from qstrong.report import change_html

        page = change_html.diff_page if what == "diff" else change_html.sweep_page
        out = page(result, args.lang)
    elif args.format == "md":
        from qstrong.report.change_files import diff_markdown

        out = diff_markdown(result, args.lang)
    else:
        out = text(result, args.lang)
    _write_text(out, args.output)


def _sweep(args: argparse.Namespace) -> int:
    from qstrong.engine.ruleset import load_criteria
    from qstrong.engine.sweep import SweepError, sweep, sweep_values
    from qstrong.io.load import load_dataset
    from qstrong.report.sweep import render_sweep_text

    if args.clause is None and args.param is None:
        raise UsageError(words("cli.sweep_what"))
    if args.format == "xlsx" and not args.output:
        raise UsageError(msg("cli.needs_output", format="xlsx"))
    _target(args, args.dataset, args.criteria)
    dataset = load_dataset(args.dataset, max_bytes=args.max_size)
    criteria = load_criteria(args.criteria)
    try:
        values = sweep_values(args.start, args.stop, args.step)
        result = sweep(dataset, criteria, args.clause, values, param=args.param,
                       params=_set_params(args))
    except SweepError as exc:
        raise UsageError(exc.args[0]) from None
    _write_change(result, args, render_sweep_text, "sweep")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from qstrong.engine.diff import diff
    from qstrong.engine.evaluate import evaluate
    from qstrong.engine.ruleset import load_criteria
    from qstrong.io.load import load_dataset
    from qstrong.report.diff_text import render_diff_text

    if args.format == "xlsx" and not args.output:
        raise UsageError(msg("cli.needs_output", format="xlsx"))
    if args.after is None and args.to_criteria is None and not args.set_params:
        raise UsageError(words("cli.diff_same"))
    _target(args, args.before, args.after, args.criteria, args.to_criteria)
    first = load_dataset(args.before, max_bytes=args.max_size)
    second = first if args.after is None else load_dataset(args.after, max_bytes=args.max_size)
    criteria = load_criteria(args.criteria)
    to_criteria = criteria if args.to_criteria is None else load_criteria(args.to_criteria)
    result = diff(evaluate(first, criteria),
                  evaluate(second, to_criteria, params=_set_params(args)))
    _write_change(result, args, render_diff_text, "diff")
    return EXIT_OK


def _todo(args: argparse.Namespace) -> int:
    from qstrong.engine.evaluate import evaluate
    from qstrong.engine.ruleset import load_criteria
    from qstrong.io.where import load_dataset_cells
    from qstrong.report.todo import render_todo_text, todo_list

    _target(args, args.dataset, args.criteria)
    if args.workbook:
        check_target(args.workbook, inputs=[args.dataset], force=args.force)
    dataset, cells = load_dataset_cells(args.dataset, max_bytes=args.max_size)
    report = evaluate(dataset, load_criteria(args.criteria), params=_set_params(args))
    todo = todo_list(report, cells)
    if args.workbook:
        from qstrong.report.todo import write_todo_workbook

        marked: list[int] = []
        write_atomic(args.workbook,
                     lambda temp: marked.append(write_todo_workbook(report, todo, str(temp))))
        print(msg("cli.wrote_todo", path=args.workbook, count=marked[0]), file=sys.stderr)
    if args.format == "json":
        _write_text(json.dumps(todo.to_dict(), ensure_ascii=False, indent=2) + "\n",
                    args.output)
    else:
        _write_text(render_todo_text(todo, args.lang), args.output)
    return EXIT_OK


def _province(args: argparse.Namespace) -> int:
    """``qstrong province PATH... [-j N] [--format text|json] [-o FILE]``."""
    from qstrong.engine.province import evaluate_province

    if args.format in ("xlsx", "parquet") and not args.output:
        raise UsageError(msg("cli.needs_output", format=args.format))
    _target(args, *args.paths, args.criteria)
    with DelayedProgress(None if args.no_progress else stderr_console()) as progress:
        progress.step("评定各县（市、区）" if args.lang == "zh" else "evaluating the counties")
        report = evaluate_province(args.paths, args.criteria, jobs=args.jobs,
                                   params=_set_params(args), max_bytes=args.max_size,
                                   progress=progress.advance, reviews=args.review)
    if args.format == "xlsx":
        from qstrong.report.province_workbook import write_province_xlsx

        write_atomic(args.output, lambda temp: write_province_xlsx(report, temp, args.lang))
    elif args.format == "parquet":
        from qstrong.report.province_parquet import write_province_parquet

        write_atomic(args.output, lambda temp: write_province_parquet(report, temp))
    else:
        _write_text(_province_text(report, args.format, args.lang), args.output)
    return EXIT_OK


def _province_text(report: Any, fmt: str, lang: str) -> str:
    if fmt == "json":
        return str(report.to_json())
    if fmt == "md":
        from qstrong.report.province_markdown import render_province_markdown

        return render_province_markdown(report, lang)
    if fmt == "html":
        from qstrong.report.province_html import render_province_html

        return render_province_html(report, lang)
    from qstrong.report.province_text import render_province_text

    return render_province_text(report, lang)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "convert": _convert, "sweep": _sweep, "diff": _diff, "todo": _todo,
    "evaluate": _evaluate, "explain": _explain, "schema": _schema, "template": _template,
    "check": _check, "test": _test, "docs": _docs, "init": _init, "province": _province,
}
