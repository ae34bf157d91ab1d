"""The ``qstrong`` command line: argument parsing, commands, exit statuses."""

from qstrong.cli.main import main

__all__ = ["main"]
