"""Command line: parse arguments, run the command, map input errors to exit status 2.

Exit status: 0 when the command ran (whatever the verdicts), 1 when ``check`` or
``test`` found problems, 2 for invalid input (data, criteria, arguments); `qstrong.cli.main`
(the package's) adds 130 for Ctrl-C and 70 for internal errors.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from qstrong.cli.args import UsageError, build_parser

__all__ = ["run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the command; input problems become exit status 2.

    The commands (and rich, pydantic, the engine) are imported only once the arguments are
    parsed, so ``--help``, ``--version`` and usage errors start in a few tens of ms."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from qstrong.cli.commands import EXIT_INPUT, HANDLERS, diagnostic_text
    from qstrong.core.errors import QStrongError

    try:
        return HANDLERS[args.command](args)
    except QStrongError as exc:
        from qstrong.report.diagnostics import diagnostic_lines

        for text in diagnostic_lines(exc.diagnostics, diagnostic_text):
            print(text, file=sys.stderr)
        return EXIT_INPUT
    except UsageError as exc:
        print(f"qstrong {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"qstrong {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
