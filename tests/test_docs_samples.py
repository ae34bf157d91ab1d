"""The terminal samples in docs/cli.md are what the commands print today.

Policy staff compare their screen with these samples, so a stale one (an old criteria
digest, a clause that has since been added) misleads. Each sample is split at its ``…``
lines; every piece must appear, line for line, in the command's current output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qstrong.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "cli.md"

# The ```text blocks of docs/cli.md, in order, and the command each one shows.
SAMPLES = [
    ["evaluate", "examples/county-mixed.yaml", "--status", "fail,unknown",
     "--kind", "district,industry,county"],
    ["evaluate", "examples/county.yaml"],
    ["evaluate", "examples/county.yaml"],
    ["evaluate", "examples/county-mixed.yaml", "--entity", "E05", "--status", "fail",
     "--lang", "en"],
    ["explain", "examples/county-mixed.yaml", "D2"],
    ["explain", "examples/county-mixed.yaml", "county"],
]


def _blocks() -> list[str]:
    return re.findall(r"^```text\n(.*?)^```$", CLI_DOC.read_text(encoding="utf-8"),
                      flags=re.S | re.M)


def test_every_sample_has_its_command() -> None:
    assert len(_blocks()) == len(SAMPLES)


@pytest.mark.parametrize(("index", "argv"), list(enumerate(SAMPLES)),
                         ids=[" ".join(a[:3]) for a in SAMPLES])
def test_sample_matches_the_command_output(index: int, argv: list[str],
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")
    code = main(argv)
    out = capsys.readouterr().out
    assert code in (0, 1)
    block = _blocks()[index]
    pieces = [p.strip("\n") for p in re.split(r"^…$", block, flags=re.M)]
    for piece in pieces:
        if piece:
            assert piece in out, f"docs/cli.md sample {index + 1} is stale:\n{piece[:400]}"
