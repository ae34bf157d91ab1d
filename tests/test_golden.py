"""Output changes only on purpose: the JSON, Markdown and HTML of both examples hash to known
digests, byte for byte.

The layout change (issue 8) moved every module and kept the digests of qstrong 0.1's flat
layout. A deliberate change of output replaces a digest here in the same commit, with the
reason:

- transcription review (issue 14): the district eligibility clause (二(三)) and the two
  baseline-year clauses are new nodes of every district (no status of any clause changed),
  industries carry their 二(二) focus, the examples report baseline years, the ranking's
  source, ``has_regional_brand`` and a corrected led standard, and English labels of the
  regional brand lost "(absent or null: has none)".
"""

from __future__ import annotations

import hashlib

import pytest

from helpers import EXAMPLES
from qstrong.cli import main

GOLDEN = {
    ("county.yaml", "json"): "b83f0158a1289cdc5c6c55e891b1d80bbfa3a6946530b1bd387ebd22a64b2baa",
    ("county.yaml", "md"): "da28cf1de06b8113e0d227423dfb909434269f0b7fd8772dd862114907b40dfe",
    ("county.yaml", "html"): "2602b0790a5d941e47cc5f324e672de71293625aad2ecf19782b16e02fde3d91",
    ("county-mixed.yaml", "json"):
        "42ab4d38918639e3dafd74dad64d3cc7af0a101834cbf441b18478e715ba3cea",
    ("county-mixed.yaml", "md"):
        "2defc185db050cdf763b17482ec66d3b214772a769a2da119b89cf5e4d019555",
    ("county-mixed.yaml", "html"):
        "f491c33c93ba7c5f73d61cef27758c94705f5d320054ff806a64ca6eeed89239",
}


@pytest.mark.parametrize(("example", "fmt"), sorted(GOLDEN))
def test_output_is_byte_identical_to_the_flat_layout(example: str, fmt: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLES / example), "--format", fmt]) == 0
    out = capsys.readouterr().out.encode("utf-8")
    assert hashlib.sha256(out).hexdigest() == GOLDEN[(example, fmt)]
