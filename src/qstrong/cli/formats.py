"""Output formats of ``qstrong evaluate``: a plain table of functions, each importing its renderer
only when asked for, so the command line starts without loading HTML, Markdown or openpyxl."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the table is read by --help, which must not load the engine
    from qstrong.engine.results import Report

__all__ = ["BINARY_FORMATS", "FORMATS", "OUTPUT_FORMATS", "STREAMED_FORMATS", "Format"]


@dataclass(frozen=True)
class Format:
    """How one format is made: ``render(report, lang) -> str``, or ``write(report, path, lang)``
    for a binary format that needs ``-o FILE``."""

    render: Callable[[Report, str], str] | None = None
    write: Callable[..., None] | None = None
    needs: tuple[str, str] | None = None
    """An optional module the format needs, and the extra that installs it."""
    stream: Callable[[Report, TextIO, str], None] | None = None
    """``stream(report, out, lang)``: the text written a candidate at a time."""
    reports_progress: bool = False
    """``write`` takes a fourth argument, ``progress(done, total)`` (a slow writer)."""


def _html(report: Report, lang: str) -> str:
    from qstrong.report.html import render_html

    return render_html(report, lang)


def _html_stream(report: Report, out: TextIO, lang: str) -> None:
    from qstrong.report.html import write_html

    write_html(report, out, lang)


def _markdown(report: Report, lang: str) -> str:
    from qstrong.report.markdown import render_markdown

    return render_markdown(report, lang)


def _xlsx(report: Report, path: str, lang: str,
          progress: Callable[[int, int], None] | None = None) -> None:
    from qstrong.report.workbook import write_results_xlsx

    write_results_xlsx(report, path, lang, progress)


def _parquet(report: Report, path: str, lang: str) -> None:
    from qstrong.report.parquet import write_parquet

    write_parquet(report, path, lang)


OUTPUT_FORMATS: dict[str, Format] = {
    "html": Format(render=_html, stream=_html_stream),
    "md": Format(render=_markdown),
    "xlsx": Format(write=_xlsx, reports_progress=True),
    "parquet": Format(write=_parquet, needs=("pyarrow", "arrow")),
}
"""The formats drawn outside the command line (text, json and jsonl are drawn by the command
itself, json and jsonl streamed one candidate at a time)."""

STREAMED_FORMATS = ("json", "jsonl")
FORMATS = ("text", *STREAMED_FORMATS, *OUTPUT_FORMATS)
BINARY_FORMATS = tuple(name for name, f in OUTPUT_FORMATS.items() if f.write is not None)

