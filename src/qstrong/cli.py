"""Command line: parse arguments, call the library, map errors to exit codes and readable messages.

Exit status: 0 when the command ran (whatever the verdicts), 1 when ``check`` or
``test`` found problems, 2 for invalid input (data, criteria, arguments).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from qstrong import __version__
from qstrong.errors import QStrongError
from qstrong.render import render_diagnostic, render_report

__all__ = ["main"]

EXIT_OK, EXIT_FOUND, EXIT_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qstrong",
        description="质量强县示范创建评定：按标准文件评定强区、强业、强企和县域目标。",
    )
    parser.add_argument("--version", action="version", version=f"qstrong {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ev = sub.add_parser("evaluate", help="evaluate a dataset (YAML or JSON) and print verdicts",
                        description="Evaluate every candidate and the county target.")
    ev.add_argument("dataset", help="dataset file (.yaml, .yml or .json)")
    ev.add_argument("--criteria", metavar="DIR", default=None,
                    help="criteria directory (default: the criteria shipped with qstrong)")
    ev.add_argument("--format", choices=("text", "json"), default="text",
                    help="output format (default: text)")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh",
                    help="language of titles and explanations (default: zh)")
    ev.add_argument("--no-color", action="store_true", help="never use colour")
    ev.add_argument("-o", "--output", metavar="FILE", default=None,
                    help="write to FILE instead of standard output")

    ck = sub.add_parser("check", help="check criteria files and report every problem",
                        description="Check criteria files: grammar, names, types, ids.")
    ck.add_argument("criteria", nargs="?", default=None,
                    help="criteria directory (default: the criteria shipped with qstrong)")

    ts = sub.add_parser("test", help="run scenario files (expected status per clause)",
                        description="Run YAML scenario files and report every mismatch.")
    ts.add_argument("paths", nargs="*", default=["tests/cases"],
                    help="scenario files or directories (default: tests/cases)")
    ts.add_argument("--criteria", metavar="DIR", default=None,
                    help="criteria directory (default: the criteria shipped with qstrong)")
    return parser


def _evaluate(args: argparse.Namespace, out: Console) -> int:
    from qstrong.evaluate import evaluate

    report = evaluate(args.dataset, args.criteria)
    if args.format == "json":
        text = report.to_json()
        if args.output:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            render_report(report, Console(file=fh, no_color=True, width=100), args.lang)
        return EXIT_OK
    console = Console(no_color=args.no_color, highlight=False) if not args.no_color else Console(
        no_color=True, highlight=False)
    render_report(report, console, args.lang)
    return EXIT_OK


def _check(args: argparse.Namespace, out: Console) -> int:
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


def _test(args: argparse.Namespace, out: Console) -> int:
    from qstrong.scenarios import run_cli

    return int(run_cli(args.paths, args.criteria))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    out = Console(highlight=False)
    handlers = {"evaluate": _evaluate, "check": _check, "test": _test}
    try:
        return handlers[args.command](args, out)
    except QStrongError as exc:
        for d in exc.diagnostics:
            print(render_diagnostic(d), file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
