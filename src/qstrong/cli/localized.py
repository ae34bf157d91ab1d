"""argparse speaking the chosen language: its usage line, the headings of ``--help`` and its
usage errors (the messages argparse writes itself) come from the message catalogue."""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from typing import Any, NoReturn

from qstrong.core.messages import Message, default_lang, msg
from qstrong.core.source import display_width

__all__ = ["Parser", "usage_words"]


_ARGPARSE_WORDS: list[tuple[str, str]] = [
    (r"^the following arguments are required: (?P<names>.*)$", "usage.required"),
    (r"^unrecognized arguments: (?P<names>.*)$", "usage.unrecognized"),
    (r"^argument (?P<arg>[^:]+): invalid choice: (?P<word>.*) \(choose from (?P<names>.*)\)$",
     "usage.invalid_choice"),
    (r"^argument (?P<arg>[^:]+): expected one argument$", "usage.expected_one"),
    (r"^argument (?P<arg>[^:]+): expected at least one argument$", "usage.expected_some"),
    (r"^argument (?P<arg>[^:]+): invalid \w+ value: (?P<word>.*)$", "usage.invalid_value"),
    (r"^argument (?P<arg>[^:]+): not allowed with argument (?P<other>.*)$",
     "usage.not_allowed_with"),
    (r"^one of the arguments (?P<names>.*) is required$", "usage.one_required"),
    (r"^ambiguous option: (?P<word>\S+) could match (?P<names>.*)$", "usage.ambiguous"),
    (r"^argument (?P<arg>[^:]+): (?P<rest>.*)$", "usage.argument"),
]
"""argparse's English messages as patterns, with the catalogue key of each."""


@cache
def _argparse_patterns() -> list[tuple[re.Pattern[str], str]]:
    """`_ARGPARSE_WORDS` compiled when a usage error is first put in words (not at every
    start: most runs have none)."""
    return [(re.compile(pattern), key) for pattern, key in _ARGPARSE_WORDS]


def usage_words(message: str) -> Message:
    """argparse's own English message as a catalogue message (in Chinese by default)."""
    for pattern, key in _argparse_patterns():
        found = pattern.match(message)
        if found:
            return msg(key, **found.groupdict())
    return message


class Parser(argparse.ArgumentParser):
    """argparse, with its own words (usage, the headings of --help, usage errors) in the
    chosen language (usage errors exit with status 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = default_lang()
        self._positionals.title = msg("usage.positionals").render(lang)
        self._optionals.title = msg("usage.options").render(lang)
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = msg("usage.help").render(lang)

    def format_usage(self) -> str:
        return _usage_word(super().format_usage())

    def format_help(self) -> str:
        return _usage_word(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = msg("usage.error_line", prog=self.prog, message=usage_words(message))
        self.exit(2, f"{said.render(default_lang())}\n")



def _usage_word(text: str) -> str:
    """argparse's ``usage:`` in the chosen language."""
    if not text.startswith("usage: "):
        return text
    said = msg("usage.usage").render(default_lang())
    usage, blank, rest = text[len("usage: "):].partition("\n\n")
    usage = usage.replace("\n" + " " * len("usage: "), "\n" + " " * display_width(said))
    return said + usage + blank + rest
