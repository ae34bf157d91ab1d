"""The example notebook runs top to bottom without errors in a fresh Python kernel."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import EXAMPLES
from qstrong.engine.results import Report

nbclient = pytest.importorskip(
    "nbclient", reason="nbclient is not installed (pip install nbclient nbformat ipykernel; "
                       "the test extra has them)")
nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")

NOTEBOOK = EXAMPLES / "notebook.ipynb"
KERNEL = "qstrong-test"


@pytest.fixture()
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec running this interpreter, so the kernel imports the qstrong under test.

    (A user-wide "python3" spec could point at another Python; JUPYTER_PATH comes first.)
    """
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "qstrong test", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return KERNEL


def _outputs(nb: Any) -> list[Any]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def test_notebook_is_stored_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_runs_without_errors(kernel: str) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name=kernel,
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "县域目标" in printed and "行；列： kind, entity_id" in printed
    html = [o["data"]["text/html"] for o in outputs
            if o.output_type in ("execute_result", "display_data") and "text/html" in o["data"]]
    # The English node, always; the report, candidate and node too once they render as HTML.
    assert any('<div class="qs">' in h and "Plan text" in h for h in html)
    if hasattr(Report, "_repr_html_"):
        assert sum('<div class="qs">' in h for h in html) >= 4
    # The what-if diff and the sweep display themselves (the sweep with its chart).
    assert any("评定结果比较" in h and "qs-badge" in h for h in html)
    assert any("<svg" in h and "district/1/food_processing" in h for h in html)
    assert "县域目标： fail → fail ；结论改变的候选对象" in printed
