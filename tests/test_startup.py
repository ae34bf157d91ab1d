"""Fixed costs: what ``--help`` loads, and the grammar cache (per user, checked, self-healing).

Times are not asserted here (benchmarks do that); what is loaded and what is read is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qstrong.lang.parser import grammar_cache_path

PARSE = ("from qstrong.lang.parser import parse_rule; "
         "print(type(parse_rule('a >= 93.5%')).__name__)")


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=False)


def test_help_and_version_load_neither_pydantic_rich_nor_openpyxl() -> None:
    code = ("import sys\nfrom qstrong.cli import main\n"
            "for argv in (['--help'], ['--version'], ['evaluate', '--help']):\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            "heavy = [m for m in ('pydantic', 'rich', 'openpyxl', 'lark', 'yaml')"
            " if m in sys.modules]\n"
            "print('LOADED', heavy, file=sys.stderr)")
    result = _python(code)
    assert "LOADED []" in result.stderr, result.stderr


def test_the_grammar_is_cached_once_per_user_and_read_back(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _python(PARSE, QSTRONG_CACHE_DIR=str(cache))
    assert first.returncode == 0 and first.stdout.strip() == "Compare", first.stderr
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].name.startswith("rules-")
    stamp = files[0].stat().st_mtime_ns
    second = _python(PARSE, QSTRONG_CACHE_DIR=str(cache))
    assert second.stdout.strip() == "Compare" and second.stderr == ""
    assert files[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_a_damaged_cache_is_rebuilt_silently(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _python(PARSE, QSTRONG_CACHE_DIR=str(cache))
    (target,) = cache.iterdir()
    target.write_bytes(b"not a cache\n\x80\x04garbage")
    result = _python(PARSE, QSTRONG_CACHE_DIR=str(cache))
    assert result.returncode == 0 and result.stdout.strip() == "Compare"
    assert result.stderr == ""


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_directory_others_can_write_is_not_used(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(shared))
    assert grammar_cache_path("g") is None
    shared.chmod(0o700)
    path = grammar_cache_path("g")
    assert path is not None and path.parent == shared
    assert grammar_cache_path("other grammar") != path
    monkeypatch.setenv("QSTRONG_NO_CACHE", "1")
    assert grammar_cache_path("g") is None
