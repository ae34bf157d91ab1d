"""Fixed costs: what ``--help`` loads, and the grammar cache (per user, checked, self-healing).

Times are not asserted here (benchmarks do that); what is loaded and what is read is."""

from __future__ import annotations

import os
import shutil
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


# ------------------------------------------------------------------ criteria files read back

LOAD = ("import sys, qstrong\n"
        "c = qstrong.load_criteria(sys.argv[1])\n"
        "print(c.sha256, len(c.clause_defs('district')), 'lark' in sys.modules)")


def _load(folder: Path, cache: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-c", LOAD, str(folder)], capture_output=True,
                            text=True, env={**os.environ, "QSTRONG_CACHE_DIR": str(cache)},
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def _criteria_copy(tmp_path: Path) -> Path:
    from qstrong.engine.ruleset import packaged_criteria_dir

    folder = tmp_path / "criteria"
    shutil.copytree(packaged_criteria_dir(), folder)
    return folder


def test_criteria_files_are_read_once_then_from_the_cache_without_lark(tmp_path: Path) -> None:
    folder, cache = _criteria_copy(tmp_path), tmp_path / "cache"
    first = _load(folder, cache)
    entries = sorted(p.name for p in cache.glob("criteria-*"))
    assert len(entries) == len(list(folder.glob("*.yaml")))
    second = _load(folder, cache)
    assert second[:2] == first[:2]
    assert (first[2], second[2]) == ("True", "False")  # the second run never parsed a rule
    assert sorted(p.name for p in cache.glob("criteria-*")) == entries


def test_an_edited_criteria_file_is_read_again(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from qstrong.engine.ruleset import load_criteria

    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(tmp_path / "cache"))
    folder = _criteria_copy(tmp_path)
    before = load_criteria(folder)
    district = folder / "district.yaml"
    text = district.read_text("utf-8")
    district.write_text(text.replace("value >= 93.5%", "value >= 94.5%"), "utf-8")
    after = load_criteria(folder)
    assert after.sha256 != before.sha256
    assert "94.5%" in after.clause_defs("district")[1].children[0].rule_text


def test_damaged_or_foreign_entries_are_not_used(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from qstrong.core.cache import read_entry, write_entry
    from qstrong.engine.ruleset import load_criteria

    cache = tmp_path / "cache"
    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(cache))
    folder = _criteria_copy(tmp_path)
    reference = load_criteria(folder).sha256
    for entry in cache.glob("criteria-*"):
        entry.write_bytes(b"\x80\x04not a pickle")
    assert load_criteria(folder).sha256 == reference
    write_entry("criteria-x", {"a": 1}, "criteria-")
    assert read_entry("criteria-x") == {"a": 1}
    if hasattr(os, "getuid"):
        (cache / "criteria-x").chmod(0o666)   # writable by others: never unpickled
        assert read_entry("criteria-x") is None


def test_a_criteria_file_with_problems_is_not_cached(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from qstrong.lang.criteria_file import read_criteria_file

    cache = tmp_path / "cache"
    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(cache))
    broken = tmp_path / "district.yaml"
    broken.write_text("kind: district\nversion: '1'\nclauses:\n  - id: a\n    title: t\n"
                      "    rule: 'x >= '\n", "utf-8")
    for _ in range(2):
        _parsed, problems = read_criteria_file(broken)
        assert problems
    assert not list(cache.glob("criteria-*"))


def test_the_cache_keeps_only_the_newest_entries(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from qstrong.core.cache import MAX_ENTRIES, write_entry

    cache = tmp_path / "cache"
    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(cache))
    for number in range(MAX_ENTRIES + 5):
        write_entry(f"criteria-{number:03}", number, "criteria-")
    kept = sorted(p.name for p in cache.glob("criteria-*"))
    assert len(kept) == MAX_ENTRIES and "criteria-068" in kept and "criteria-000" not in kept
    assert not list(cache.glob(".tmp-*"))


MESSAGES = ("from qstrong.core import messages; import sys; c = messages.catalogue(); "
            "print(len(c), 'tomllib' in sys.modules, c['usage.prog']['zh'] if 'usage.prog' "
            "in c else sorted(c)[0])")


def test_the_message_catalogue_is_parsed_once_then_read_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _python(MESSAGES, QSTRONG_CACHE_DIR=str(cache))
    entries = [p.name for p in cache.glob("messages-*")]
    assert len(entries) == 1, first.stderr
    second = _python(MESSAGES, QSTRONG_CACHE_DIR=str(cache))
    count, parsed, sample = first.stdout.split(maxsplit=2)
    assert parsed == "True" and int(count) > 100
    assert second.stdout == f"{count} False {sample}"  # the same catalogue, no TOML parsed
    (cache / entries[0]).write_bytes(b"\x80\x04damaged")
    third = _python(MESSAGES, QSTRONG_CACHE_DIR=str(cache))
    assert third.stdout == first.stdout  # a damaged entry is parsed again, silently


def test_the_cached_catalogue_is_the_parsed_one(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from qstrong.core import messages

    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(tmp_path / "cache"))
    messages.catalogue.cache_clear()
    try:
        parsed = messages.catalogue()
        messages.catalogue.cache_clear()
        assert messages.catalogue() == parsed
    finally:
        messages.catalogue.cache_clear()


# ------------------------------------------------------------------ the verdict program


def test_the_compiled_verdict_program_is_cached_and_read_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`codegen.compiled` keeps the program's code in the per-user cache; a second
    compilation of the same source reads it back instead of calling ``compile``, and a
    damaged entry is compiled again, silently."""
    import builtins

    from qstrong.engine import codegen
    from qstrong.engine.ruleset import load_criteria

    monkeypatch.setenv("QSTRONG_CACHE_DIR", str(tmp_path / "cache"))
    source = load_criteria().program().source
    first = codegen.compiled(source)
    (entry,) = (tmp_path / "cache").glob("program-*")
    calls: list[str] = []
    real = builtins.compile

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(str(args[1]) if len(args) > 1 else "")
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "compile", counting)
    second = codegen.compiled(source)
    assert second == first and calls == []
    other = codegen.compiled(source + "\n_another = 1\n")  # another source, another key
    assert other != first and calls == ["<qstrong verdict program>"]
    entry.write_bytes(b"not a cache\n\x80\x04garbage")
    again = codegen.compiled(source)
    assert again == first and calls.count("<qstrong verdict program>") == 2
    namespace: dict[str, object] = {}
    exec(codegen.compiled("x = 1 + 1\n"), namespace)
    assert namespace["x"] == 2


# ------------------------------------------------------------------ the command's exit

EXIT = ("import gc, sys\nfrom qstrong.cli import console_main, main\n"
        "frozen = gc.get_freeze_count()\n"
        "main(['evaluate', 'examples/county.yaml', '--format', 'json', '-o', sys.argv[1]])\n"
        "print('main', gc.get_freeze_count() - frozen)\n"
        "sys.argv = ['qstrong', 'evaluate', 'examples/county.yaml', '--format', 'json',"
        " '-o', sys.argv[2]]\n"
        "status = console_main()\n"
        "print('console_main', status, gc.get_freeze_count() > frozen)\n")


def test_only_the_command_freezes_what_is_left_for_a_quick_exit(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    out, again = tmp_path / "report.json", tmp_path / "again.json"
    result = subprocess.run([sys.executable, "-c", EXIT, str(out), str(again)],
                            capture_output=True,
                            text=True, cwd=root, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["main 0", "console_main 0 True"]
    assert again.read_bytes() == out.read_bytes()


class _ClosedPipe:
    """A stdout whose reader went away after the last write: flushing it fails."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_pipe_closed_before_the_last_flush_is_exit_141(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from qstrong.cli import console_main

    pipe = _ClosedPipe()
    monkeypatch.setattr(sys, "stdout", pipe)
    monkeypatch.setattr(sys, "argv", ["qstrong", "--lang", "en", "show", "--help"])
    monkeypatch.setattr("qstrong.cli.main", lambda: print("written") or 0)
    try:
        assert console_main() == 141
    finally:
        gc.unfreeze()  # this test's process goes on
    assert pipe.written[0] == "written"
    assert sys.stdout is not pipe  # what is left goes nowhere, not to a closed pipe


def test_a_report_to_a_file_or_a_pipe_is_written_without_richs_console(
        tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    code = ("import sys\nfrom qstrong.cli import main\n"
            "main(['evaluate', 'examples/county.yaml', '-o', sys.argv[1]])\n"
            "main(['evaluate', 'examples/county.yaml', '--lang', 'en'])\n"
            "print('LOADED', sorted(m for m in ('rich.console', 'rich.text', 'rich.table')"
            " if m in sys.modules), file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "report.txt")],
                            capture_output=True, text=True, cwd=root, env=env, timeout=120,
                            check=False)
    assert "LOADED []" in result.stderr, result.stderr
    assert "quality-strong county assessment" in result.stdout
    assert "质量强县评定" in (tmp_path / "report.txt").read_text("utf-8")


def test_only_a_stream_that_may_be_a_terminal_gets_a_console(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from qstrong.cli.terminal import may_be_terminal

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    closed = io.StringIO()
    closed.close()
    assert (may_be_terminal(io.StringIO()), may_be_terminal(Terminal())) == (False, True)
    assert may_be_terminal(closed) is False
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich decides then, as for a terminal
    assert may_be_terminal(io.StringIO()) is True


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """``qstrong evaluate … | head -1``: exit status 141 (128 + SIGPIPE), and neither an
    error message about the pipe nor a traceback. (The JSON report, over a megabyte, is
    far more than a pipe holds.)"""
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "qstrong", "evaluate", "examples/county.yaml",
               "--format", "json"]
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        error = proc.stderr.read().decode("utf-8")
        status = proc.wait(timeout=120)
    assert first.startswith(b"{")
    assert status == 141, error
    assert error == ""
