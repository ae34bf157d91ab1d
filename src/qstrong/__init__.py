"""qstrong: the 质量强县 plan's standards as criteria files, checked exactly and explained.

Typical use::

    import qstrong
    report = qstrong.evaluate(qstrong.load_dataset("examples/county.yaml"))
    report.county.status          # Status.PASS / FAIL / UNKNOWN
    report.entity("D1").clause("district/1").summary_zh
    fast = qstrong.evaluate("examples/county.yaml", explain=False)     # statuses only
    changes = qstrong.diff(report, qstrong.evaluate("examples/county.yaml",
                                                    params={"scale_rank_top": 1}))
    province = qstrong.evaluate_province(["examples/province"])   # many counties and years

The public names are looked up on first use, so ``import qstrong`` (and the command line's
``--help``) does not load pydantic, the rule grammar or the renderers until they are needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qstrong.core.errors import (
        CriteriaError,
        CriteriaErrors,
        DataError,
        DataErrors,
        Diagnostic,
        QStrongError,
    )
    from qstrong.core.logic import Status, Truth
    from qstrong.data.models import Dataset
    from qstrong.engine.clause import ClauseResult
    from qstrong.engine.diff import Diff, diff
    from qstrong.engine.evaluate import evaluate
    from qstrong.engine.province import ProvinceReport, evaluate_province
    from qstrong.engine.results import CountyResult, EntityResult, Report, StatusTable
    from qstrong.engine.ruleset import Criteria, load_criteria
    from qstrong.engine.sweep import Sweep, sweep, sweep_values
    from qstrong.io.load import load_dataset

from qstrong.core.version import VERSION as __version__

_WHERE: dict[str, str] = {
    "ClauseResult": "qstrong.engine.clause",
    "CountyResult": "qstrong.engine.results",
    "Criteria": "qstrong.engine.ruleset",
    "CriteriaError": "qstrong.core.errors",
    "CriteriaErrors": "qstrong.core.errors",
    "DataError": "qstrong.core.errors",
    "DataErrors": "qstrong.core.errors",
    "Dataset": "qstrong.data.models",
    "Diagnostic": "qstrong.core.errors",
    "Diff": "qstrong.engine.diff",
    "Sweep": "qstrong.engine.sweep",
    "diff": "qstrong.engine.diff",
    "sweep": "qstrong.engine.sweep",
    "sweep_values": "qstrong.engine.sweep",
    "EntityResult": "qstrong.engine.results",
    "QStrongError": "qstrong.core.errors",
    "Report": "qstrong.engine.results",
    "Status": "qstrong.core.logic",
    "StatusTable": "qstrong.engine.results",
    "Truth": "qstrong.core.logic",
    "evaluate": "qstrong.engine.evaluate",
    "evaluate_province": "qstrong.engine.province",
    "ProvinceReport": "qstrong.engine.province",
    "load_criteria": "qstrong.engine.ruleset",
    "load_dataset": "qstrong.io.load",
}

__all__ = [
    "ClauseResult",
    "CountyResult",
    "Criteria",
    "CriteriaError",
    "CriteriaErrors",
    "DataError",
    "DataErrors",
    "Dataset",
    "Diagnostic",
    "Diff",
    "EntityResult",
    "ProvinceReport",
    "QStrongError",
    "Report",
    "Status",
    "StatusTable",
    "Sweep",
    "Truth",
    "__version__",
    "diff",
    "evaluate",
    "evaluate_province",
    "load_criteria",
    "load_dataset",
    "sweep",
    "sweep_values",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'qstrong' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
