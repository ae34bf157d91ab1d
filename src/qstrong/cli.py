"""Command line: parse arguments, call the library, map errors to exit codes and readable messages.

Exit status: 0 when the command ran (whatever the verdicts), 1 when ``check`` or
``test`` found problems, 2 for invalid input (data, criteria, arguments).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import re
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from qstrong import __version__
from qstrong.convert import add_convert_command, add_template_options
from qstrong.errors import Diagnostic, QStrongError
from qstrong.logic import Status
from qstrong.render import (
    ReportFilter,
    explain_text,
    render_diagnostic,
    render_explanation,
    render_report,
    report_text,
)
from qstrong.source import display_width

__all__ = ["EXIT_FOUND", "EXIT_INPUT", "EXIT_OK", "FORMATS", "DelayedProgress", "main"]

EXIT_OK, EXIT_FOUND, EXIT_INPUT = 0, 1, 2

# ---------------------------------------------------------------- output formats
# text and json are drawn here. The other formats live in their own modules and are
# imported only when asked for, so the command line works before (or without) them:
#   html -> qstrong.html.render_html(report, lang) -> str
#   md   -> qstrong.markdown.render_markdown(report, lang) -> str
#   xlsx -> qstrong.workbook.write_results_xlsx(report, path, lang) -> None  (needs -o)
EXTERNAL_FORMATS: dict[str, tuple[str, str]] = {
    "html": ("qstrong.html", "render_html"),
    "md": ("qstrong.markdown", "render_markdown"),
    "xlsx": ("qstrong.workbook", "write_results_xlsx"),
}
FORMATS = ("text", "json", *EXTERNAL_FORMATS)
BINARY_FORMATS = ("xlsx",)

STATUS_NAMES: dict[str, Status] = {
    "pass": Status.PASS, "fail": Status.FAIL, "unknown": Status.UNKNOWN,
    "not_applicable": Status.NOT_APPLICABLE, "na": Status.NOT_APPLICABLE,
    "达标": Status.PASS, "未达标": Status.FAIL, "无法判定": Status.UNKNOWN,
    "不适用": Status.NOT_APPLICABLE,
}
KIND_NAMES = ("district", "industry", "enterprise", "county")
PROGRESS_DELAY = 1.0
"""Seconds of work before the progress bar appears (on a terminal's stderr only)."""


class UsageError(Exception):
    """A command-line problem found by qstrong itself (exit status 2, message on stderr)."""


# ---------------------------------------------------------------- progress


class DelayedProgress:
    """An indeterminate progress bar on stderr that appears only if the work is slow.

    Nothing is drawn when ``console`` is None or not a terminal, so piped or redirected
    output never contains it; on a terminal it appears after ``delay`` seconds and is
    erased when the work ends.
    """

    def __init__(self, console: Console | None, delay: float | None = None) -> None:
        self._enabled = console is not None and console.is_terminal
        self._console = console
        self._delay = PROGRESS_DELAY if delay is None else delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._progress: Progress | None = None
        self._task: Any = None
        self._description = ""
        self._closed = False
        self._done = 0
        self._total: int | None = None

    def __enter__(self) -> DelayedProgress:
        if self._enabled:
            self._timer = threading.Timer(self._delay, self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(), console=self._console,
                transient=True,
            )
            self._task = self._progress.add_task(self._description, total=self._total,
                                                 completed=self._done)
            self._progress.start()

    def step(self, description: str) -> None:
        """Name the stage now running."""
        with self._lock:
            self._description = description
            if self._progress is not None:
                self._progress.update(self._task, description=description)

    def advance(self, done: int, total: int) -> None:
        """Show how many of ``total`` items are done (the bar becomes determinate)."""
        with self._lock:
            self._done, self._total = done, total
            if self._progress is not None:
                self._progress.update(self._task, completed=done, total=total)

    @property
    def shown(self) -> bool:
        """Whether the bar has been drawn."""
        return self._progress is not None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()


def _stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


# ---------------------------------------------------------------- argument types


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]


def _status_list(value: str) -> frozenset[Status]:
    out = set()
    for part in _split(value):
        status = STATUS_NAMES.get(part.lower())
        if status is None:
            raise argparse.ArgumentTypeError(
                f"unknown status '{part}' (use pass, fail, unknown, not_applicable)")
        out.add(status)
    if not out:
        raise argparse.ArgumentTypeError("give at least one status")
    return frozenset(out)


def _kind_list(value: str) -> frozenset[str]:
    parts = _split(value)
    for part in parts:
        if part not in KIND_NAMES:
            close = difflib.get_close_matches(part, KIND_NAMES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise argparse.ArgumentTypeError(
                f"unknown kind '{part}' (use {', '.join(KIND_NAMES)}){hint}")
    if not parts:
        raise argparse.ArgumentTypeError("give at least one kind")
    return frozenset(parts)


def _id_list(value: str) -> frozenset[str]:
    parts = _split(value)
    if not parts:
        raise argparse.ArgumentTypeError("give at least one id")
    return frozenset(parts)


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if width < 40:
        raise argparse.ArgumentTypeError("the width must be at least 40 columns")
    return width


# ---------------------------------------------------------------- parser


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap text to ``width`` terminal cells: Chinese may break between any two characters,
    other text at spaces (argparse counts characters, so Chinese help would overflow).

    Examples:
        >>> wrap_cells("只显示这些结论 / show only these", 16)
        ['只显示这些结论 /', 'show only these']
    """
    lines: list[str] = []
    words = re.findall(r"[\u2e80-\u9fff\uf900-\uffef]|[^\s\u2e80-\u9fff\uf900-\uffef]+|\s+",
                       text)
    line = ""
    for word in words:
        if word.isspace():
            word = " "
            if not line:
                continue
        if display_width(line + word) > width and line.strip():
            lines.append(line.rstrip())
            line = "" if word == " " else word
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; option help wrapped by display width."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_cells(" ".join(text.split()), width)


_EPILOG = """\
退出状态 (exit status):
  0  命令已运行（不论评定结论）/ the command ran, whatever the verdicts
  1  check、test 发现问题，或 docs --check 发现页面过期
     / check or test found problems, or docs --check found the page stale
  2  输入无效（数据、标准文件、参数）/ invalid input (data, criteria, arguments)

示例 (examples):
  qstrong template -o county.yaml            写出数据集模板
  qstrong evaluate county.yaml               评定并输出文本报告
  qstrong evaluate county.yaml --status fail,unknown --kind enterprise
  qstrong explain county.yaml D1             一个候选对象的完整说明和达标差距
  qstrong schema data -o qstrong-data.schema.json

文档 (docs): docs/cli.md
"""


def _add_common(p: argparse.ArgumentParser, *, criteria: bool = True, lang: bool = True,
                color: bool = True) -> None:
    if criteria:
        p.add_argument("--criteria", metavar="DIR", default=None,
                       help="标准文件目录（默认：qstrong 自带的标准）/ criteria directory "
                            "(default: the criteria shipped with qstrong)")
    if lang:
        p.add_argument("--lang", choices=("zh", "en"), default="zh",
                       help="标题和说明的语言（默认 zh）/ language of titles and "
                            "explanations (default: zh)")
    if color:
        p.add_argument("--no-color", action="store_true",
                       help="不使用颜色和其他终端控制码 / never use colour or other ANSI codes")
        p.add_argument("--width", type=_width, metavar="N", default=None,
                       help="文本输出宽度（默认：终端宽度；非终端时 80）/ text width "
                            "(default: the terminal's, or 80 when not a terminal)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qstrong",
        description="质量强县示范创建评定：按标准文件评定强区、强业、强企和县域目标，\n"
                    "并逐条说明依据和差距。\n"
                    "Evaluates quality-strong county candidates against criteria files\n"
                    "and explains every verdict.",
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qstrong {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = _HelpFormatter

    ev = sub.add_parser(
        "evaluate", formatter_class=raw,
        help="评定数据集，输出每个候选对象和县域目标的结论 / evaluate a dataset",
        description="评定数据集中的每个候选对象和县域目标。文本输出：每个候选对象\n"
                    "一棵条款树（✓ 达标  ✗ 未达标  ? 无法判定  – 不适用，每行给出\n"
                    "差距），各类汇总表，最后是县域结论。\n"
                    "Evaluate every candidate and the county target.",
        epilog="筛选只作用于文本输出 / filters apply to --format text only.\n"
               "examples:\n"
               "  qstrong evaluate county.yaml --status fail,unknown\n"
               "  qstrong evaluate county.yaml --kind district,industry --lang en\n"
               "  qstrong evaluate county.yaml --format json -o result.json",
    )
    ev.add_argument("dataset", help="数据集：.yaml、.yml、.json、.xlsx 文件或 CSV 文件夹"
                    " / dataset file (.yaml, .yml, .json, .xlsx) or CSV folder")
    ev.add_argument("--format", choices=FORMATS, default="text",
                    help="输出格式（默认 text；xlsx 需要 -o）/ output format "
                         "(default: text; xlsx needs -o)")
    _add_common(ev)
    ev.add_argument("-o", "--output", metavar="FILE", default=None,
                    help="写入文件而不是标准输出 / write to FILE instead of standard output")
    ev.add_argument("--status", type=_status_list, action="append", metavar="LIST",
                    help="只显示这些结论：pass,fail,unknown,not_applicable（逗号分隔）"
                         " / show only these verdicts")
    ev.add_argument("--kind", type=_kind_list, action="append", metavar="LIST",
                    help="只显示这些类型：district,industry,enterprise,county"
                         " / show only these kinds")
    ev.add_argument("--entity", type=_id_list, action="append", metavar="ID",
                    help="只显示这些候选对象（可重复或逗号分隔；county 表示县域目标）"
                         " / show only these candidates")
    ev.add_argument("--no-progress", action="store_true",
                    help="不显示进度条 / never show the progress bar")

    ex = sub.add_parser(
        "explain", formatter_class=raw,
        help="一个候选对象的完整说明，以及达标还差什么 / explain one candidate",
        description="给出一个候选对象（或县域目标，ID 写 county）的完整条款树：\n"
                    "方案原文、规则、读取的数据、逐项成员、参数；最后列出要达标\n"
                    "需要改变的最少条款及各差多少，和需要补充的数据。\n"
                    "One candidate's full tree, then the shortest statement of what it\n"
                    "would take to pass.",
        epilog="examples:\n"
               "  qstrong explain county.yaml D1\n"
               "  qstrong explain county.yaml E12 --lang en\n"
               "  qstrong explain county.yaml county\n"
               "  qstrong explain county.yaml I1 --format json",
    )
    ex.add_argument("dataset", help="数据集文件 / dataset file")
    ex.add_argument("id", help="候选对象编号，或 county / candidate id, or 'county'")
    ex.add_argument("--kind", choices=KIND_NAMES, default=None,
                    help="编号在多个类型中重复时指明类型 / the kind, when the id is used by "
                         "several kinds")
    ex.add_argument("--format", choices=("text", "json"), default="text",
                    help="输出格式（默认 text）/ output format (default: text)")
    _add_common(ex)
    ex.add_argument("-o", "--output", metavar="FILE", default=None,
                    help="写入文件而不是标准输出 / write to FILE instead of standard output")

    sc = sub.add_parser(
        "schema", formatter_class=raw,
        help="输出数据集或标准文件的 JSON Schema / print a JSON Schema",
        description="输出 JSON Schema（draft 2020-12），供编辑器校验和补全数据集\n"
                    "（data）或标准文件（criteria）。在 YAML 文件第一行写\n"
                    "  # yaml-language-server: $schema=./qstrong-data.schema.json\n"
                    "即可让 VS Code（YAML 插件）等编辑器使用它，详见 docs/cli.md。\n"
                    "Print a JSON Schema of dataset or criteria files for editors.",
        epilog="examples:\n"
               "  qstrong schema data -o qstrong-data.schema.json\n"
               "  qstrong schema criteria -o qstrong-criteria.schema.json",
    )
    sc.add_argument("which", choices=("data", "criteria"),
                    help="data：数据集；criteria：标准文件 / which schema")
    sc.add_argument("-o", "--output", metavar="FILE", default=None,
                    help="写入文件而不是标准输出 / write to FILE instead of standard output")

    tp = sub.add_parser(
        "template", formatter_class=raw,
        help="写出带中文注释的数据集模板 / write a starter dataset",
        description="写出一个数据集模板：每个字段一行中文注释（含义、单位、可接受的\n"
                    "写法）。指标都先填 null（缺失，评定为无法判定），按实际数据替换。\n"
                    "Write a starter dataset with a Chinese comment on every field.",
        epilog="examples:\n"
               "  qstrong template -o county.yaml\n"
               "  qstrong template --schema ./qstrong-data.schema.json -o county.yaml",
    )
    tp.add_argument("-o", "--output", metavar="FILE", default=None,
                    help="写入文件而不是标准输出 / write to FILE instead of standard output")
    tp.add_argument("--force", action="store_true",
                    help="覆盖已存在的文件 / overwrite FILE if it exists")
    tp.add_argument("--schema", metavar="URL", default=None,
                    help="在第一行加上 yaml-language-server 的 $schema 注释 / add a "
                         "yaml-language-server $schema line pointing at URL")
    add_template_options(tp)
    add_convert_command(sub)

    try:
        from qstrong import transcribe
    except ImportError:  # pragma: no cover - the page generator is optional
        pass
    else:
        dc = sub.add_parser(
            "docs", formatter_class=raw,
            help="生成方案原文与规则对照页 docs/criteria.md / write the reviewers' page",
            description="由标准文件生成评审用的方案原文与规则对照页（Markdown）。\n"
                        "--check 时页面过期则退出状态为 1。\n"
                        "Generate the reviewers' page: each clause's plan text beside its rule.",
            epilog="examples:\n"
                   "  qstrong docs -o docs/criteria.md\n"
                   "  qstrong docs --check docs/criteria.md",
        )
        transcribe.add_arguments(dc)

    ck = sub.add_parser(
        "check", formatter_class=raw, help="检查标准文件并报告全部问题 / check criteria files",
        description="检查标准文件：语法、字段名、类型、条款编号。发现问题时退出状态为 1。\n"
                    "Check criteria files: grammar, names, types, ids.")
    ck.add_argument("criteria", nargs="?", default=None,
                    help="标准文件目录（默认：qstrong 自带的标准）/ criteria directory "
                         "(default: the criteria shipped with qstrong)")

    ts = sub.add_parser(
        "test", formatter_class=raw, help="运行场景文件（每个条款的预期结论）/ run scenario files",
        description="运行 YAML 场景文件，报告每一处与预期不符的结论。\n有不符时退出状态为 1。\n"
                    "Run YAML scenario files and report every mismatch.")
    ts.add_argument("paths", nargs="*", default=["tests/cases"],
                    help="场景文件或目录（默认 tests/cases）/ scenario files or directories "
                         "(default: tests/cases)")
    ts.add_argument("--criteria", metavar="DIR", default=None,
                    help="标准文件目录（默认：qstrong 自带的标准）/ criteria directory "
                         "(default: the criteria shipped with qstrong)")
    return parser


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
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _stdout_console(args: argparse.Namespace) -> Console:
    return Console(highlight=False, width=getattr(args, "width", None))


def _colour(args: argparse.Namespace, console: Console) -> bool:
    """Colour only for a terminal on standard output, without --no-color or -o."""
    return console.is_terminal and not args.no_color and not args.output


def _plain_width(args: argparse.Namespace, console: Console) -> int:
    """--width, else the terminal's width on a terminal, else 80 (pipes and -o files)."""
    if args.width:
        return int(args.width)
    return console.width if console.is_terminal and not args.output else 80


def _load_format(name: str) -> Callable[..., Any]:
    module_name, attr = EXTERNAL_FORMATS[name]
    try:
        module = importlib.import_module(module_name)
        fn: Callable[..., Any] = getattr(module, attr)
    except ImportError as exc:
        raise UsageError(f"format {name} is not available ({exc})") from None
    except AttributeError:
        raise UsageError(
            f"format {name} is not available ({module_name} has no {attr})") from None
    return fn


def _run_evaluation(args: argparse.Namespace, progress_on: bool) -> Any:
    from qstrong.dataset import load_dataset
    from qstrong.evaluate import evaluate
    from qstrong.ruleset import load_criteria

    zh = getattr(args, "lang", "zh") == "zh"
    console = _stderr_console() if progress_on else None
    with DelayedProgress(console) as progress:
        progress.step("读取数据集" if zh else "reading the dataset")
        dataset = load_dataset(args.dataset)
        progress.step("加载评审标准" if zh else "loading the criteria")
        criteria = load_criteria(args.criteria)
        progress.step("评定候选对象" if zh else "evaluating the candidates")
        return evaluate(dataset, criteria, progress=progress.advance)


# ---------------------------------------------------------------- commands


def _evaluate(args: argparse.Namespace) -> int:
    filters = ReportFilter(statuses=_merge(args.status), kinds=_merge(args.kind),
                           entities=_merge(args.entity))
    if filters != ReportFilter() and args.format != "text":
        raise UsageError("--status, --kind and --entity apply to --format text only")
    writer: Callable[..., Any] | None = None
    if args.format in EXTERNAL_FORMATS:
        if args.format in BINARY_FORMATS and not args.output:
            raise UsageError(f"--format {args.format} writes a file; give it with -o FILE")
        writer = _load_format(args.format)
    report = _run_evaluation(args, progress_on=not args.no_progress)
    if filters.entities is not None:
        known = {e.id for e in report.entities} | {"county", report.county.code}
        unknown = sorted(filters.entities - known)
        if unknown:
            raise UsageError(_no_such_id(unknown[0], sorted(known)))
    if args.format == "json":
        _write_text(report.to_json(), args.output)
    elif writer is not None and args.format in BINARY_FORMATS:
        writer(report, args.output, args.lang)
    elif writer is not None:
        text = writer(report, args.lang)
        _write_text(text if text.endswith("\n") else text + "\n", args.output)
    else:
        console = _stdout_console(args)
        if _colour(args, console):
            render_report(report, console, args.lang, filters)
        else:
            _write_text(report_text(report, args.lang, width=_plain_width(args, console),
                                    filters=filters), args.output)
    return EXIT_OK


def _no_such_id(wanted: str, known: list[str]) -> str:
    message = f"no candidate with id '{wanted}'"
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.5)
    if close:
        message += f"; did you mean '{close[0]}'?"
    return message


def _explain(args: argparse.Namespace) -> int:
    from qstrong.advice import advise
    from qstrong.report import CountyResult, EntityResult

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
        raise UsageError(f"id '{args.id}' is used by several kinds ({kinds}); add --kind")
    else:
        known = sorted({e.id for e in report.entities} | {"county"})
        raise UsageError(_no_such_id(args.id, known))
    advice = advise(result)
    if args.format == "json":
        doc = {"result": result.to_dict(), "advice": advice.to_dict()}
        if isinstance(result, CountyResult):
            doc["result"] = {"kind": "county", **result.to_dict()}
        _write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", args.output)
        return EXIT_OK
    console = _stdout_console(args)
    if _colour(args, console):
        render_explanation(result, advice, console, args.lang)
    else:
        _write_text(explain_text(result, advice, args.lang, width=_plain_width(args, console)),
                    args.output)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from qstrong.schema import criteria_schema_json, dataset_schema_json

    text = dataset_schema_json() if args.which == "data" else criteria_schema_json()
    _write_text(text, args.output)
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    if args.xlsx or args.csv:
        from qstrong.convert import run_template

        return run_template(args)
    from qstrong.template import dataset_template

    if args.output and Path(args.output).exists() and not args.force:
        raise UsageError(f"{args.output} already exists; use --force to overwrite it")
    _write_text(dataset_template(schema_url=args.schema), args.output)
    if args.output:
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from qstrong.ruleset import check_criteria

    criteria, diagnostics = check_criteria(args.criteria)
    for d in diagnostics:
        print(render_diagnostic(d))
    if diagnostics:
        print(f"{len(diagnostics)} problem(s) found", file=sys.stderr)
        return EXIT_FOUND
    assert criteria is not None
    clauses = sum(len(list(c.defn.walk())) for cs in criteria.clauses.values() for c in cs)
    print(f"ok: {len(criteria.files)} criteria files, {clauses} clauses, "
          f"{len(criteria.params)} parameters (version {criteria.version})")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    from qstrong import transcribe

    return int(transcribe.run(args))


def _test(args: argparse.Namespace) -> int:
    try:
        scenarios = importlib.import_module("qstrong.scenarios")
    except ImportError as exc:
        raise UsageError(f"the scenario runner is not available ({exc})") from None
    return int(scenarios.run_cli(args.paths, args.criteria))


def _diagnostic_text(d: Diagnostic) -> str:
    """`render_diagnostic`, plus the data field path when the headline shows a file position."""
    text = render_diagnostic(d)
    if d.span is not None and d.path and d.path not in text:
        text += f"\n  = field: {d.path}"
    return text


def _convert(args: argparse.Namespace) -> int:
    from qstrong.convert import run_convert

    return run_convert(args)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "convert": _convert,
    "evaluate": _evaluate, "explain": _explain, "schema": _schema, "template": _template,
    "check": _check, "test": _test, "docs": _docs,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except QStrongError as exc:
        for d in exc.diagnostics:
            print(_diagnostic_text(d), file=sys.stderr)
        return EXIT_INPUT
    except UsageError as exc:
        print(f"qstrong {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"qstrong {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
