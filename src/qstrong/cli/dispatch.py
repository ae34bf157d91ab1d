"""Command line: parse arguments, run the command, map input errors to exit status 2.

Exit status: 0 when the command ran (whatever the verdicts), 1 when ``check`` or
``test`` found problems, 2 for invalid input (data, criteria, arguments); `qstrong.cli.main`
(the package's) adds 130 for Ctrl-C and 70 for internal errors.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from qstrong.cli.args import UsageError, build_parser
from qstrong.core.messages import default_lang, language, msg

__all__ = ["run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the command; input problems become exit status 2.

    The commands (and rich, pydantic, the engine) are imported only once the arguments are
    parsed, so ``--help``, ``--version`` and usage errors start in a few tens of ms."""
    words = list(sys.argv[1:] if argv is None else argv)
    with language(_asked_lang(words)):
        parser = build_parser()
        args = parser.parse_args(words)
        return _run(args)


def _asked_lang(words: list[str]) -> str:
    """The ``--lang`` on the command line (read before parsing, so that usage errors are
    in it too), else the default (`QSTRONG_LANG`)."""
    for i, word in enumerate(words):
        if word == "--lang" and i + 1 < len(words):
            return "en" if words[i + 1] == "en" else "zh"
        if word.startswith("--lang="):
            return "en" if word.removeprefix("--lang=") == "en" else "zh"
    return default_lang()


def _run(args: object) -> int:
    from qstrong.cli.commands import EXIT_INPUT, HANDLERS, diagnostic_text
    from qstrong.core.errors import QStrongError

    command = getattr(args, "command", "")
    lang = default_lang()
    try:
        return HANDLERS[command](args)  # type: ignore[arg-type]
    except QStrongError as exc:
        from qstrong.report.diagnostics import diagnostic_lines

        for text in diagnostic_lines(exc.diagnostics, diagnostic_text, lang):
            print(text, file=sys.stderr)
        return EXIT_INPUT
    except UsageError as exc:
        print(msg("usage.error_line", prog=f"qstrong {command}", message=exc.message),
              file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # the reader went away (``| head``): not bad input
        raise
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(msg("usage.error_line", prog=f"qstrong {command}",
                  message=f"{where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_INPUT
