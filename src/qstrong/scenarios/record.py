"""A disputed verdict as a regression test: one candidate's data and its current statuses
written as a scenario file (``qstrong explain DATASET ID --as-scenario``).

The case holds a whole dataset (``dataset:``) cut down to what the candidate's rules read:
the assessment, county and province benchmarks, the candidate, and for an industry every
enterprise of it (its members), for an enterprise its industry's record; the county's
case keeps everything. Its expectations are the status of every clause node the candidate
has now. What-if parameters of the run become the case's ``params``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from qstrong.core.version import VERSION
from qstrong.engine.results import Report
from qstrong.io.convert import exact_yaml

__all__ = ["scenario_of"]


def _dataset(report: Report, kind: str, entity_id: str) -> dict[str, Any]:
    data: dict[str, Any] = report.dataset.model_dump(mode="python", exclude_none=True)
    if kind == "county":
        return data
    keep = {"assessment", "county", "province_benchmarks"}
    out = {k: v for k, v in data.items() if k in keep}
    if kind == "district":
        out["districts"] = [d for d in data.get("districts", []) if d["id"] == entity_id]
    elif kind == "industry":
        out["industries"] = [i for i in data.get("industries", []) if i["id"] == entity_id]
        out["enterprises"] = [e for e in data.get("enterprises", [])
                              if e.get("industry") == entity_id]
    else:
        chosen = [e for e in data.get("enterprises", []) if e["id"] == entity_id]
        out["enterprises"] = chosen
        industries = {e.get("industry") for e in chosen} - {None}
        if industries:
            out["industries"] = [i for i in data.get("industries", []) if i["id"] in industries]
    return out


def scenario_of(report: Report, kind: str, entity_id: str,
                today: _dt.date | None = None) -> str:
    """The scenario file (YAML text) of one candidate (``kind="county"``: the county).

    Raises:
        KeyError: no such candidate in the report.
    """
    if kind == "county":
        clauses, name, key = report.county.clauses, report.county.name, "county"
    else:
        entity = report.entity(entity_id, kind)
        clauses, name, key = entity.clauses, entity.name, entity.id
    expect = {node.id: node.status.value for top in clauses for node in top.walk()}
    case: dict[str, Any] = {"name": f"{key} {name} 当前结论（qstrong {VERSION}，标准 "
                                    f"{report.criteria.version}）",
                            "dataset": _dataset(report, kind, entity_id)}
    what_if = {p.name: p.value.split(" ")[0] for p in report.params if p.what_if}
    if what_if:
        case["params"] = what_if
    case["expect"] = {key: expect}
    day = (today or _dt.date.today()).isoformat()
    head = (f"# 由 qstrong explain --as-scenario 于 {day} 写出：{key} {name} 的数据和当时的结论。\n"
            f"# 标准 {report.criteria.version}（sha256 {report.criteria.sha256[:12]}）。运行："
            "qstrong test 本文件\n")
    return head + exact_yaml({"cases": [case]})
