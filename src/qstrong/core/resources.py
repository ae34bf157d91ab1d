"""Files shipped with qstrong: the examples and the scenario cases, inside the installed
package (``qstrong/_data``), or beside the sources in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["packaged"]

_PACKAGE = Path(__file__).resolve().parents[1]


def packaged(relative: str) -> Path:
    """Where a shipped file or folder is: ``packaged("examples/county.yaml")``,
    ``packaged("tests/cases")``. The layout is the checkout's in both places, so the
    scenario files' relative ``base:`` paths hold wherever they are copied."""
    inside = _PACKAGE / "_data" / relative
    if inside.exists():
        return inside
    return _PACKAGE.parents[1] / relative
