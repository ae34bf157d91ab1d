"""Every message a user reads, in Chinese and in English, from one catalogue.

A raise site never writes a sentence: it names a catalogue key and the values to put in it,
``msg("number.not_a_number", value="2.86.0")``, and the `Text` it gets renders in either
language when it is printed (``text.render("en")``). The catalogue is `messages.toml` beside
this module, read once, on the first message rendered, so the common path (no error) pays
nothing. Values put into a message are data: they are shown as typed, in both languages.

A test walks the catalogue: both languages for every key, the same placeholders in both, no
Chinese in the English templates, every key used by the code and every key the code uses in
the catalogue.
"""

from __future__ import annotations

import hashlib
import os
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from qstrong.core.cache import read_entry, write_entry

__all__ = ["LANGS", "Message", "Text", "catalogue", "default_lang", "language", "msg", "render",
           "words"]

LANGS = ("zh", "en")
_FILE = Path(__file__).with_name("messages.toml")


_CHOSEN: ContextVar[str | None] = ContextVar("qstrong_lang", default=None)


def default_lang() -> str:
    """The language of ``str(message)``: the one chosen with `language` (the command line
    chooses ``--lang``), else ``en`` when the environment says ``QSTRONG_LANG=en``, else zh."""
    chosen = _CHOSEN.get()
    if chosen is not None:
        return chosen
    return "en" if os.environ.get("QSTRONG_LANG", "").strip().lower() == "en" else "zh"


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Within the block, ``str()`` of every message is in `lang` (``zh`` or ``en``)."""
    token = _CHOSEN.set("en" if lang == "en" else "zh")
    try:
        yield
    finally:
        _CHOSEN.reset(token)


@lru_cache(maxsize=1)
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Key → {"zh": template, "en": template}, from `messages.toml` (dotted tables flattened:
    ``[number] not_a_number = {...}`` is ``number.not_a_number``)."""
    data = _FILE.read_bytes()
    # Parsing the TOML costs about 15 ms a process; its flattened form is kept in the
    # per-user cache under the hash of the file's bytes (and of this reading's shape).
    entry = f"messages-{hashlib.sha256(_SHAPE + data).hexdigest()[:40]}.pickle"
    cached = read_entry(entry)
    if isinstance(cached, dict):
        return cached
    import tomllib  # only when the cache has no copy

    raw = tomllib.loads(data.decode("utf-8"))
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: Mapping[str, object]) -> None:
        if "zh" in table and "en" in table:
            out[prefix] = {lang: str(table[lang]) for lang in LANGS}
            return
        for name, value in table.items():
            if isinstance(value, Mapping):
                walk(f"{prefix}.{name}" if prefix else name, value)

    walk("", raw)
    write_entry(entry, out, "messages-")
    return out


_SHAPE = b"qstrong messages 1\n"
"""Part of the catalogue's cache key: changed when `catalogue` flattens differently."""


class Text:
    """A message named by its catalogue key, with its values; rendered in either language.

    Equal when key and values are equal, so errors carrying it compare and pickle as data.
    ``str()`` gives the default language (`default_lang`)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: Mapping[str, object] | None = None) -> None:
        self.key = key
        self.params: tuple[tuple[str, object], ...] = tuple(sorted((params or {}).items()))

    def render(self, lang: str = "zh") -> str:
        """The message in `lang` (``zh`` or ``en``), its values filled in."""
        templates = catalogue().get(self.key)
        if templates is None:  # a key the test has not seen; never a crash while reporting
            return f"{self.key} {dict(self.params)}"
        values = {name: render(value, lang) for name, value in self.params}
        return templates["en" if lang == "en" else "zh"].format_map(values)

    def __str__(self) -> str:
        return self.render(default_lang())

    def __repr__(self) -> str:
        return f"msg({self.key!r}, {dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple((k, repr(v)) for k, v in self.params)))

    def __reduce__(self) -> tuple[object, ...]:
        return (Text, (self.key, dict(self.params)))

    def __contains__(self, part: str) -> bool:
        """``"word" in text``: in either language (tests and callers that look for a word)."""
        return any(part in self.render(lang) for lang in LANGS)


Message = str | Text
"""What errors and diagnostics carry: a catalogue `Text`, or a plain string that is data
(a value, a file's own message) and reads the same in both languages."""


def msg(key: str, /, **params: object) -> Text:
    """The catalogue message `key` with its values: ``msg("number.not_a_number", value=v)``."""
    return Text(key, params)


def words(key: str) -> Text:
    """A catalogue entry without values, used as a value inside another message."""
    return Text(key)


def render(value: object, lang: str = "zh") -> str:
    """Any message value as text in `lang`: a `Text` rendered, a list or tuple of values
    joined (``、`` in Chinese, ``, `` in English), anything else as ``str()``."""
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(render(v, lang) for v in value)
    return str(value)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template fills in (for the catalogue test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
