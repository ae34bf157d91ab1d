"""The per-user cache: work that outlives a process (the analysed grammar, criteria files
already read), kept where only the user can write.

The directory is ``$QSTRONG_CACHE_DIR``, else ``$XDG_CACHE_HOME/qstrong``, else
``~/.cache/qstrong``; never a shared temporary path. It is used only when it is the user's
own and writable by nobody else, and so is each file read back: a cached object is a pickle,
so whoever can write the directory could run code. ``QSTRONG_NO_CACHE=1`` turns the cache
off. Every entry is named by a hash of everything it depends on, so a stale entry is never
found, and anything unreadable is ignored and rewritten: the cache can only save time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path

__all__ = ["cache_dir", "code_stamp", "read_entry", "write_entry"]

MAX_ENTRIES = 64
"""Most entries of one prefix kept; the oldest go when a new one is written."""


def _private(info: os.stat_result) -> bool:
    """Whether a file or directory is the user's own and writable by nobody else."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def cache_dir() -> Path | None:
    """The user's cache directory, made if need be, or None for no cache."""
    if os.environ.get("QSTRONG_NO_CACHE") == "1":
        return None
    configured = os.environ.get("QSTRONG_CACHE_DIR")
    if configured:
        base = Path(configured)
    else:
        root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = Path(root) / "qstrong"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = base.stat()
    except OSError:
        return None
    return base if _private(info) else None


def read_entry(name: str) -> object | None:
    """The object cached under ``name``, or None when there is none or it cannot be used."""
    base = cache_dir()
    if base is None:
        return None
    path = base / name
    try:
        with path.open("rb") as handle:
            if not _private(os.fstat(handle.fileno())):
                return None
            value: object = pickle.load(handle)  # the user's own file, checked above
    except Exception:  # missing, damaged, or written by another version: not used
        return None
    return value


def write_entry(name: str, value: object, prefix: str) -> None:
    """Cache ``value`` under ``name`` (atomically); keep the newest `MAX_ENTRIES` of
    ``prefix``. Failing to write is not an error: the next run does the work again."""
    base = cache_dir()
    if base is None:
        return
    import tempfile  # only when writing (most runs only read)

    temporary: str | None = None
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=base, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, base / name)
    except Exception:  # unpicklable, a full disk, a read-only directory: left uncached
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return
    with contextlib.suppress(OSError):
        entries = sorted(base.glob(f"{prefix}*"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink()


def code_stamp(*roots: Path) -> str:
    """A hash of the names, sizes and modification times of the code under ``roots``: part of
    the key of an entry made by that code, so that an edited checkout never reads an entry
    an older version of the code wrote."""
    digest = hashlib.sha256(sys.version.encode())
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".lark", ".toml"):
                info = path.stat()
                digest.update(f"{path.relative_to(root)}\0{info.st_size}\0"
                              f"{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()
