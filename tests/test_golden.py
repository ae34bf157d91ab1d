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
- reports record their maker (issue 11): JSON has ``"qstrong": version`` and
  ``criteria.modified``; the text, Markdown and HTML headers name the qstrong version.
- missing data in the reader's words (issue 11): Markdown and HTML name each missing field
  by its label before its path (``药品评价性抽验合格率 `drug_evaluation_pass_rate```), as
  the text report did; only the mixed example has missing data, so only its two change.
"""

from __future__ import annotations

import hashlib

import pytest

from helpers import EXAMPLES
from qstrong.cli import main

GOLDEN = {
    ("county.yaml", "json"):
        "86a58f9e125317052038029da0928d3660cd5e63332668e2d7c3e1bc86993370",
    ("county.yaml", "md"):
        "bb98a1d460554c3e1a26c905e58c258129fbb2e9e169c1272679056789d476bc",
    ("county.yaml", "html"):
        "bd00513747d17936e48cd3ad853bd7cff0a61d4f957d1869e285b12a97899765",
    ("county-mixed.yaml", "json"):
        "57ab6c147e70f6413359cc1569b9112f84dd170a303d9f02609989827e12a2dd",
    ("county-mixed.yaml", "md"):
        "d0c062f41e0615271c71e97426ee49dc821bea931ef3a908807bc91994c5abf9",
    ("county-mixed.yaml", "html"):
        "d09a6ad4292280caf5e4c5bc26de936e26990d86e6e827f807cdbd881da8c6ed",
}


@pytest.mark.parametrize(("example", "fmt"), sorted(GOLDEN))
def test_output_is_byte_identical_to_the_flat_layout(example: str, fmt: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLES / example), "--format", fmt]) == 0
    out = capsys.readouterr().out.encode("utf-8")
    assert hashlib.sha256(out).hexdigest() == GOLDEN[(example, fmt)]
