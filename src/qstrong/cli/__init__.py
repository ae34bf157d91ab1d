"""The ``qstrong`` command line: argument parsing, commands, exit statuses.

`main` imports the rest of qstrong only inside its guard, so that every way a run can end is
an exit status, never a traceback: 0 done, 1 findings of ``check``/``test``, 2 invalid input,
130 interrupted (Ctrl-C, also while qstrong is still loading), 70 an internal error, said in
one line (``QSTRONG_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "console_main", "main"]

EXIT_INTERNAL = 70
"""An error qstrong did not expect: a bug, never a finding (EX_SOFTWARE of sysexits.h)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT)."""
_EXIT_BROKEN_PIPE = 141


def _reader_gone() -> int:
    """The reader of standard output went away: what is left of the output goes nowhere
    (no error at the interpreter's last flush), and the exit status says so."""
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    return _EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        from qstrong.cli.dispatch import run

        return run(argv)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (``| head``)
        return _reader_gone()
    except Exception as exc:
        if os.environ.get("QSTRONG_DEBUG") == "1":
            raise
        where = type(exc).__name__
        print(f"qstrong: internal error ({where}: {exc}); this is a bug in qstrong, "
              "please report it with the command you ran (set QSTRONG_DEBUG=1 to see "
              "the traceback) / qstrong 内部错误，请连同所运行的命令一起报告",
              file=sys.stderr)
        return EXIT_INTERNAL


def console_main() -> int:
    """The ``qstrong`` command (and ``python -m qstrong``): `main`, then every object left
    is frozen (`gc.freeze`) so that the interpreter's exit does not walk them all in one
    last full collection: about 30 ms of the 300 of ``qstrong evaluate`` on the example
    county went on that walk, for memory the process is about to give back anyway.

    Only the command does this; `main`, for callers in a process that goes on (tests,
    notebooks), leaves the collector as it found it. Output is flushed first: a file
    object left in a frozen cycle is never finalized.
    """
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away after the last write
        status = _reader_gone()
    except (OSError, ValueError):  # a closed stream: nothing more to write to it
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    gc.freeze()
    return status
