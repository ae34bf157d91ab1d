"""The exception hierarchy and the `Diagnostic` record; nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from qstrong.core import codes
from qstrong.core.locations import Cell, Loc, loc_text
from qstrong.core.messages import Message, default_lang, msg, render
from qstrong.core.source import Span

__all__ = [
    "CriteriaError",
    "CriteriaErrors",
    "CriteriaSyntaxError",
    "DataError",
    "DataErrors",
    "Diagnostic",
    "QStrongError",
]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a criteria or data file, kept apart from how it is printed.

    Its location is data, never text to be parsed back: a criteria position (``span``), a
    place in a dataset document (``loc``, with the candidate's ``entity`` id and ``related``
    places such as the first of two duplicate ids), a spreadsheet ``cell``, or a ``file``.

    Attributes:
        code: stable code such as ``E103`` (see `qstrong.core.codes`).
        message: plain-words description, a catalogue `Text` rendered in either language.
        span: where it is in a criteria or YAML file, or None.
        hint: a suggestion ("did you mean ...?"), or None.
        loc: the place in the dataset document: keys and indices from its root.
        entity: the id of the candidate ``loc`` falls in, for readers.
        related: other places the problem involves ("also at").
        cell: the spreadsheet cell the value was typed into.
        file: the file or folder the problem is about, when nothing finer is known.
    """

    code: str
    message: Message
    span: Span | None = None
    hint: Message | None = None
    loc: Loc | None = None
    entity: str | None = None
    related: tuple[Loc, ...] = ()
    cell: Cell | None = None
    file: str | None = None

    @property
    def path(self) -> str | None:
        """The data location as text: the cell (``强企!H12``), the field path
        (``districts[0] (D1).x``) or the file; None for criteria positions only."""
        if self.cell is not None:
            return self.cell.ref()
        if self.loc is not None:
            return loc_text(self.loc, self.entity)
        return self.file

    def detail(self, lang: str | None = None) -> str:
        """The message in `lang` (default: `default_lang`), with the related places."""
        lang = lang or default_lang()
        text = render(self.message, lang)
        if not self.related:
            return text
        also = [loc_text(r) for r in self.related]
        return render(msg("core.also_at", message=text, places=also), lang)

    def hint_text(self, lang: str | None = None) -> str | None:
        """The hint in `lang` (default: `default_lang`), or None."""
        return None if self.hint is None else render(self.hint, lang or default_lang())

    def headline(self, lang: str | None = None) -> str:
        """``file:line:col: error[CODE]: message`` (or the field path for data), in `lang`."""
        where = self.span.location() if self.span is not None else (self.path or "")
        prefix = f"{where}: " if where else ""
        return f"{prefix}error[{self.code}]: {self.detail(lang)}"


class QStrongError(Exception):
    """Root of every error qstrong raises on purpose; ``str()`` is the plain message in the
    default language (`qstrong.core.messages.default_lang`), ``text(lang)`` in either."""

    code = codes.INPUT

    def __init__(
        self,
        message: Message,
        *,
        span: Span | None = None,
        hint: Message | None = None,
        loc: Loc | None = None,
        cell: Cell | None = None,
        file: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.loc = loc
        self.cell = cell
        self.file = file
        if code is not None:
            self.code = code

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.span, self.hint, self.loc, self.cell,
                           self.file, self.code))

    @property
    def path(self) -> str | None:
        """The data location as text (see `Diagnostic.path`)."""
        return self.diagnostics[0].path

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The problems this error stands for (one, unless it is a collection)."""
        return [Diagnostic(self.code, self.message, self.span, self.hint, loc=self.loc,
                           cell=self.cell, file=self.file)]

    def text(self, lang: str | None = None) -> str:
        """Every problem's headline in `lang` (default: `default_lang`), one per line."""
        return "\n".join(d.headline(lang) for d in self.diagnostics)

    def __str__(self) -> str:
        return self.text()


def _rebuild(
    cls: type[QStrongError],
    message: Message,
    span: Span | None,
    hint: Message | None,
    loc: Loc | None,
    cell: Cell | None,
    file: str | None,
    code: str,
) -> QStrongError:
    return cls(message, span=span, hint=hint, loc=loc, cell=cell, file=file, code=code)


class CriteriaError(QStrongError):
    """A problem in criteria files, found before any data is read."""

    code = codes.CRITERIA_DIRECTORY


class CriteriaSyntaxError(CriteriaError):
    """A rule expression does not follow the grammar."""

    code = codes.RULE_SYNTAX


class _Collected(QStrongError):
    """Many problems raised as one error; ``str()`` lists the first of them."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self._diagnostics = list(diagnostics)
        super().__init__(_summary(self._diagnostics, "zh"))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._diagnostics,))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    def text(self, lang: str | None = None) -> str:
        return _summary(self._diagnostics, lang or default_lang())

    def __str__(self) -> str:
        return self.text()


class CriteriaErrors(_Collected, CriteriaError):
    """Every problem found in a set of criteria files, raised together."""

    code = codes.CRITERIA_DIRECTORY


class DataError(QStrongError):
    """A problem in the input dataset; names the field path."""

    code = codes.DATA_FILE


class DataErrors(_Collected, DataError):
    """Every problem found in a dataset, raised together."""

    code = codes.DATA_FILE


MAX_IN_MESSAGE = 20


def _summary(diagnostics: list[Diagnostic], lang: str) -> str:
    """The headlines of the first problems, and how many more there are."""
    shown = [d.headline(lang) for d in diagnostics[:MAX_IN_MESSAGE]]
    if len(diagnostics) > MAX_IN_MESSAGE:
        shown.append(render(msg("core.and_more", count=len(diagnostics) - MAX_IN_MESSAGE), lang))
    return "\n".join(shown)
