"""qstrong: the 质量强县 plan's standards as criteria files, checked exactly and explained.

Typical use::

    import qstrong
    report = qstrong.evaluate(qstrong.load_dataset("examples/county.yaml"))
    report.county.status          # Status.PASS / FAIL / UNKNOWN
    report.entity("D1").clause("district/1").summary_zh
"""

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
from qstrong.engine.evaluate import evaluate
from qstrong.engine.results import CountyResult, EntityResult, Report
from qstrong.engine.ruleset import Criteria, load_criteria
from qstrong.io.load import load_dataset

__version__ = "0.1.0"

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
    "EntityResult",
    "QStrongError",
    "Report",
    "Status",
    "Truth",
    "__version__",
    "evaluate",
    "load_criteria",
    "load_dataset",
]
