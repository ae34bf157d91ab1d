"""Writing the command line's output files safely: never over an input, never over an existing
file without ``--force``, and atomically (a temporary file in the same folder, renamed into
place), so an interrupted run leaves the previous file whole."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from qstrong.core import codes
from qstrong.core.errors import QStrongError
from qstrong.core.messages import msg, words

__all__ = ["check_target", "write_atomic", "write_text_atomic"]


def check_target(target: str | Path, *, inputs: Iterable[str | Path] = (),
                 force: bool = False) -> Path:
    """The output path, after refusing an input as output (always) and an existing file
    (unless ``force``).

    Raises:
        QStrongError: the path is an input, or exists and ``force`` is not given.
    """
    path = Path(target)
    for item in inputs:
        source = Path(item)
        with contextlib.suppress(OSError):
            if source.exists() and path.exists() and os.path.samefile(source, path):
                raise QStrongError(msg("output.is_input"), file=str(path),
                                   code=codes.OUTPUT_EXISTS)
    if path.exists() and not force:
        raise QStrongError(msg("output.exists"), file=str(path), code=codes.OUTPUT_EXISTS,
                           hint=words("output.exists_hint"))
    return path


def write_atomic(target: str | Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` make the file under a temporary name beside ``target``, then rename it
    into place (one step on every platform): the old file stays whole until then."""
    path = Path(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}",
                                     dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_text_atomic(target: str | Path, text: str) -> None:
    """`write_atomic` for UTF-8 text with ``\\n`` line ends."""

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8", newline="\n")

    write_atomic(target, write)
