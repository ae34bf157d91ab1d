"""The exception hierarchy and the `Diagnostic` record; nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from qstrong.source import Span

__all__ = [
    "CriteriaError",
    "CriteriaErrors",
    "CriteriaFileError",
    "CriteriaSyntaxError",
    "CriteriaTypeError",
    "DataError",
    "DataErrors",
    "Diagnostic",
    "EvaluationError",
    "NameResolutionError",
    "QStrongError",
]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a criteria or data file, kept apart from how it is printed.

    Attributes:
        code: stable code such as ``E103``.
        message: plain-words description.
        span: where it is (criteria), or None.
        hint: a suggestion ("did you mean ...?"), or None.
        path: the data field path (data errors), or None.
    """

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    path: str | None = None

    def headline(self) -> str:
        """``file:line:col: error[CODE]: message`` (or the field path for data)."""
        where = self.span.location() if self.span is not None else (self.path or "")
        prefix = f"{where}: " if where else ""
        return f"{prefix}error[{self.code}]: {self.message}"


class QStrongError(Exception):
    """Root of every error qstrong raises on purpose; ``str()`` is the plain message."""

    code = "E000"

    def __init__(
        self,
        message: str,
        *,
        span: Span | None = None,
        hint: str | None = None,
        path: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.path = path
        if code is not None:
            self.code = code

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.span, self.hint, self.path, self.code))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The problems this error stands for (one, unless it is a collection)."""
        return [Diagnostic(self.code, self.message, self.span, self.hint, self.path)]

    def __str__(self) -> str:
        return "\n".join(d.headline() for d in self.diagnostics)


def _rebuild(
    cls: type[QStrongError],
    message: str,
    span: Span | None,
    hint: str | None,
    path: str | None,
    code: str,
) -> QStrongError:
    return cls(message, span=span, hint=hint, path=path, code=code)


class CriteriaError(QStrongError):
    """A problem in criteria files, found before any data is read."""

    code = "E100"


class CriteriaFileError(CriteriaError):
    """The YAML shape of a criteria file is wrong (unknown or duplicate keys, bad values)."""

    code = "E101"


class CriteriaSyntaxError(CriteriaError):
    """A rule expression does not follow the grammar."""

    code = "E102"


class NameResolutionError(CriteriaError):
    """A rule names a field or parameter that does not exist."""

    code = "E103"


class CriteriaTypeError(CriteriaError):
    """A rule mixes kinds of values that cannot be compared or combined."""

    code = "E104"


class CriteriaErrors(CriteriaError):
    """Every problem found in a set of criteria files, raised together."""

    code = "E100"
    MAX_IN_MESSAGE = 20

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self._diagnostics = list(diagnostics)
        shown = [d.headline() for d in self._diagnostics[: self.MAX_IN_MESSAGE]]
        rest = len(self._diagnostics) - len(shown)
        if rest > 0:
            shown.append(f"... and {rest} more")
        super().__init__("\n".join(shown))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._diagnostics,))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    def __str__(self) -> str:
        return self.message


class DataError(QStrongError):
    """A problem in the input dataset; names the field path."""

    code = "E200"


class DataErrors(DataError):
    """Every problem found in a dataset, raised together."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self._diagnostics = list(diagnostics)
        shown = [d.headline() for d in self._diagnostics[:20]]
        if len(self._diagnostics) > 20:
            shown.append(f"... and {len(self._diagnostics) - 20} more")
        super().__init__("\n".join(shown))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._diagnostics,))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    def __str__(self) -> str:
        return self.message


class EvaluationError(QStrongError):
    """A broken internal invariant during evaluation (never missing data)."""

    code = "E300"
