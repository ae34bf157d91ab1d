"""Whether standard output and standard error are terminals, and the rich consoles for them.

A console is made only for a stream that may be a terminal: a report written to a file or
a pipe is plain text, laid out without rich (`qstrong.report.blocks`), and rich's console
is not even imported for it.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["colour_on", "may_be_terminal", "plain_width", "stderr_console", "stdout_console"]


def may_be_terminal(stream: IO[str]) -> bool:
    """Whether rich could take ``stream`` for a terminal: it is one, or the environment
    says to treat every stream as one (``TTY_COMPATIBLE``, ``FORCE_COLOR``). When not, rich
    would not either, and no console need be made for it (nor rich loaded): output to a
    file or a pipe is plain text."""
    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # a closed stream
        return False


def stderr_console() -> Console | None:
    """A console for progress bars on standard error, or None when it cannot be a
    terminal (a bar is never drawn there)."""
    if not may_be_terminal(sys.stderr):
        return None
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def stdout_console(args: argparse.Namespace) -> Console | None:
    """A console for standard output, or None when it cannot be a terminal (a file or a
    pipe gets plain text, written without rich)."""
    if not may_be_terminal(sys.stdout):
        return None
    from rich.console import Console

    return Console(highlight=False, width=getattr(args, "width", None))


def colour_on(args: argparse.Namespace, console: Console | None) -> bool:
    """Colour only for a terminal on standard output, without --no-color or -o."""
    return (console is not None and console.is_terminal and not args.no_color
            and not args.output)


def plain_width(args: argparse.Namespace, console: Console | None) -> int:
    """--width, else the terminal's width on a terminal, else 80 (pipes and -o files)."""
    if args.width:
        return int(args.width)
    return console.width if console is not None and console.is_terminal \
        and not args.output else 80
