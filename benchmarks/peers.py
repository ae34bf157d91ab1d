"""qstrong against hand-written float Python and peer rule engines, side by side in one run.

Usage::

    pip install -e ".[bench]"        # zen-engine, rule-engine, json-logic-qubit (optional)
    python benchmarks/peers.py [--n 5000] [--repeat 7] [--seed 1] [--json]

The workload (issue 9): one district per record, 16 leaf clauses: 13 rates written as decimal
text near their bounds (about 12% exactly on them), a count of major incidents, and two
yes/no: production spot-check >= 93.5; food planting >= 96, processing >= 94, circulation
>= 91, catering >= 91; drug >= 96; licensed products >= 95; CCC products >= 94;
agricultural standardisation > 60; the four special-equipment rates = 100; no major
incident; an implemented alliance standard; an export demonstration zone. The criteria
folder `benchmarks/peer_criteria/` holds exactly these 16 leaves (the other kinds' files
hold only the clause ids the data dictionary requires; the dataset has no such candidates).

Every engine gets the same records, already loaded (floats for the float engines, a
validated `Dataset` for qstrong), and must give every clause's result and the verdict.
Each engine's timing is paired with a run of the hand-written float function taken just
before it; the figure is the median over ``--repeat`` pairs of engine time / hand-written
time. Agreement: every engine's 16 results per record are compared with exact arithmetic
(`fractions.Fraction` from the decimal text), and the mismatches are counted.

qstrong is measured three ways, each giving every candidate's verdict and every clause
status (20 nodes: the 16 leaves and the groups above them): ``explain=False`` read as the
kind's status table (`Report.status_table`: a row of statuses per candidate, as the
hand-written loop returns a tuple; no result object is made), ``explain=False`` read
through each candidate's result and its ``statuses()`` dict, and ``explain=True`` read the
same way (explanations are made only when read, and none is read here).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import qstrong

HERE = Path(__file__).resolve().parent
CRITERIA_DIR = HERE / "peer_criteria"
DATE = _dt.date(2014, 11, 1)

RATES: list[tuple[str, str, str]] = [
    # (record key, operator, bound)
    ("production", ">=", "93.5"),
    ("food_planting", ">=", "96"),
    ("food_processing", ">=", "94"),
    ("food_circulation", ">=", "91"),
    ("food_catering", ">=", "91"),
    ("drug", ">=", "96"),
    ("licensed", ">=", "95"),
    ("ccc", ">=", "94"),
    ("agri", ">", "60"),
    ("se_registration", "==", "100"),
    ("se_inspection", "==", "100"),
    ("se_hazard", "==", "100"),
    ("se_operator", "==", "100"),
]
FLAGS = ("no_major_incident", "alliance_standard", "export_demo_zone")
CLAUSES = [key for key, _, _ in RATES] + list(FLAGS)
QSTRONG_IDS = {
    "production": "district/1/production", "food_planting": "district/1/food_planting",
    "food_processing": "district/1/food_processing",
    "food_circulation": "district/1/food_circulation",
    "food_catering": "district/1/food_catering", "drug": "district/1/drug",
    "licensed": "district/1/licensed", "ccc": "district/1/ccc",
    "agri": "district/2/agri_standardization",
    "se_registration": "district/3/registration", "se_inspection": "district/3/inspection",
    "se_hazard": "district/3/hazard", "se_operator": "district/3/operator",
    "no_major_incident": "district/3/no_major_incident",
    "alliance_standard": "district/2/alliance_standard",
    "export_demo_zone": "district/eligibility/export_demo_zone",
}


def _rate_text(rng: random.Random, bound: str) -> str:
    b = Fraction(bound)
    if b == 100:
        return "100" if rng.random() < 0.7 else f"{rng.choice(['99.9', '99.5', '98'])}"
    if rng.random() < 0.12:
        return bound
    step = Fraction(rng.randint(-25, 25), 10)
    value = min(Fraction(100), max(Fraction(0), b + step))
    return f"{float(value):.1f}"


def generate(n: int, seed: int) -> list[dict[str, Any]]:
    """N records of the workload: rates as decimal text, a count, two yes/no."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        r: dict[str, Any] = {"id": f"D{i + 1}"}
        for key, _, bound in RATES:
            r[key] = _rate_text(rng, bound)
        r["major_incidents"] = 0 if rng.random() < 0.9 else rng.randint(1, 2)
        r["alliance_standard"] = rng.random() < 0.9
        r["export_demo_zone"] = rng.random() < 0.9
        records.append(r)
    return records


def as_floats(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        f = {key: float(r[key]) for key, _, _ in RATES}
        f["major_incidents"] = r["major_incidents"]
        f["alliance_standard"] = r["alliance_standard"]
        f["export_demo_zone"] = r["export_demo_zone"]
        out.append(f)
    return out


def as_dataset(records: list[dict[str, Any]]) -> qstrong.Dataset:
    """The records as a qstrong dataset: the same values, in the data contract's shape."""
    districts = []
    for r in records:
        districts.append({
            "id": r["id"], "name": r["id"], "kind": "development_zone",
            "production_spot_check_pass_rate": {2014: r["production"] + "%"},
            "food_spot_check_pass_rate": {
                "planting_breeding": r["food_planting"] + "%",
                "processing": r["food_processing"] + "%",
                "circulation": r["food_circulation"] + "%",
                "catering": r["food_catering"] + "%"},
            "drug_evaluation_pass_rate": r["drug"] + "%",
            "licensed_product_pass_rate": r["licensed"] + "%",
            "ccc_product_pass_rate": r["ccc"] + "%",
            "agri_standardization_rate": r["agri"] + "%",
            "special_equipment": {
                "registration_rate": r["se_registration"] + "%",
                "inspection_rate": r["se_inspection"] + "%",
                "hazard_rectification_rate": r["se_hazard"] + "%",
                "certified_operator_rate": r["se_operator"] + "%"},
            "incidents": [{"date": "2014-03-01", "type": "major_quality_safety"}
                          for _ in range(r["major_incidents"])],
            "standards": [{"name": "联盟标准", "kind": "alliance",
                           "implemented": r["alliance_standard"]}],
            "export_demo_zone": r["export_demo_zone"],
        })
    return qstrong.load_dataset({
        "assessment": {"date": DATE.isoformat()},
        "county": {"code": "330681", "name": "基准县"},
        "province_benchmarks": {},
        "districts": districts,
    })


def exact_results(records: list[dict[str, Any]]) -> list[tuple[bool, ...]]:
    """The 16 results of every record with exact arithmetic (the reference)."""
    ops: dict[str, Callable[[Fraction, Fraction], bool]] = {
        ">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "==": lambda a, b: a == b}
    out = []
    for r in records:
        row = [ops[op](Fraction(r[key]), Fraction(bound)) for key, op, bound in RATES]
        row += [r["major_incidents"] == 0, r["alliance_standard"], r["export_demo_zone"]]
        out.append(tuple(row))
    return out


# ----------------------------------------------------------------- the engines


def handwritten(rows: list[dict[str, Any]]) -> list[tuple[bool, tuple[bool, ...]]]:
    """What an analyst would write: float comparisons, every clause, then the verdict."""
    out = []
    for r in rows:
        c = (r["production"] >= 93.5, r["food_planting"] >= 96, r["food_processing"] >= 94,
             r["food_circulation"] >= 91, r["food_catering"] >= 91, r["drug"] >= 96,
             r["licensed"] >= 95, r["ccc"] >= 94, r["agri"] > 60,
             r["se_registration"] == 100, r["se_inspection"] == 100, r["se_hazard"] == 100,
             r["se_operator"] == 100, r["major_incidents"] == 0, r["alliance_standard"],
             r["export_demo_zone"])
        out.append((all(c), c))
    return out


def _qstrong(dataset: qstrong.Dataset, criteria: Any, explain: bool) -> Callable[[], Any]:
    ids = [QSTRONG_IDS[k] for k in CLAUSES]

    def run() -> list[tuple[Any, dict[str, Any]]]:
        # Timed: the evaluation and reading every candidate's every clause status.
        report = qstrong.evaluate(dataset, criteria, explain=explain)
        return [(e.status, e.statuses()) for e in report.entities]

    def results(raw: list[tuple[Any, dict[str, Any]]]) -> list[tuple[bool, tuple[bool, ...]]]:
        passed = qstrong.Status.PASS
        return [(status is passed, tuple(statuses[i] is passed for i in ids))
                for status, statuses in raw]

    run.results = results  # type: ignore[attr-defined]
    return run


def _qstrong_table(dataset: qstrong.Dataset, criteria: Any) -> Callable[[], Any]:
    def run() -> tuple[list[tuple[Any, tuple[Any, ...]]], tuple[str, ...]]:
        # Timed: the evaluation and every candidate's verdict and every clause status, as
        # the kind's status table (a row per candidate, as the hand-written loop's tuple).
        report = qstrong.evaluate(dataset, criteria, explain=False)
        table = report.status_table("district")
        return list(zip(table.verdicts, table.rows, strict=True)), table.clause_ids

    def results(raw: tuple[list[tuple[Any, tuple[Any, ...]]], tuple[str, ...]]
                ) -> list[tuple[bool, tuple[bool, ...]]]:
        pairs, clause_ids = raw
        passed = qstrong.Status.PASS
        index = [clause_ids.index(QSTRONG_IDS[k]) for k in CLAUSES]
        return [(status is passed, tuple(row[i] is passed for i in index))
                for status, row in pairs]

    run.results = results  # type: ignore[attr-defined]
    return run


def _expressions() -> list[str]:
    exprs = [f"{key} {op} {bound}" for key, op, bound in RATES]
    return [*exprs, "major_incidents == 0", "alliance_standard == true",
            "export_demo_zone == true"]


def _zen(rows: list[dict[str, Any]]) -> Callable[[], Any] | None:
    try:
        import zen
    except ImportError:
        return None
    compiled = [zen.compile_expression(e) for e in _expressions()]

    def run() -> list[tuple[bool, tuple[bool, ...]]]:
        out = []
        for r in rows:
            c = tuple(bool(x.evaluate(r)) for x in compiled)
            out.append((all(c), c))
        return out

    return run


def _rule_engine(rows: list[dict[str, Any]]) -> Callable[[], Any] | None:
    try:
        import rule_engine
    except ImportError:
        return None
    rules = [rule_engine.Rule(e) for e in _expressions()]

    def run() -> list[tuple[bool, tuple[bool, ...]]]:
        out = []
        for r in rows:
            c = tuple(bool(rule.matches(r)) for rule in rules)
            out.append((all(c), c))
        return out

    return run


def _json_logic(rows: list[dict[str, Any]]) -> Callable[[], Any] | None:
    try:
        from json_logic import jsonLogic
    except ImportError:
        return None
    logic: list[dict[str, Any]] = [{op: [{"var": key}, float(bound)]}
                                   for key, op, bound in RATES]
    logic += [{"==": [{"var": "major_incidents"}, 0]},
              {"==": [{"var": "alliance_standard"}, True]},
              {"==": [{"var": "export_demo_zone"}, True]}]

    def run() -> list[tuple[bool, tuple[bool, ...]]]:
        out = []
        for r in rows:
            c = tuple(bool(jsonLogic(rule, r)) for rule in logic)
            out.append((all(c), c))
        return out

    return run


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(n: int, repeat: int, seed: int) -> dict[str, Any]:
    records = generate(n, seed)
    rows = as_floats(records)
    dataset = as_dataset(records)
    criteria = qstrong.load_criteria(CRITERIA_DIR)
    criteria.program()  # compiled once, as a loaded criteria set is
    reference = exact_results(records)
    engines: dict[str, Callable[[], Any] | None] = {
        "qstrong explain=False, status table": _qstrong_table(dataset, criteria),
        "qstrong explain=False, statuses()": _qstrong(dataset, criteria, False),
        "qstrong explain=True, statuses()": _qstrong(dataset, criteria, True),
        "zen-engine (compiled expressions)": _zen(rows),
        "rule-engine": _rule_engine(rows),
        "json-logic": _json_logic(rows),
    }
    hand = lambda: handwritten(rows)  # noqa: E731
    _, hand_result = _timed(hand)
    figures: dict[str, Any] = {}
    hand_times: list[float] = []
    for name, fn in engines.items():
        if fn is None:
            figures[name] = None
            continue
        ratios, times = [], []
        result: Any = None
        for _ in range(repeat):
            t_hand, _ = _timed(hand)
            t_engine, result = _timed(fn)
            result = getattr(fn, "results", lambda raw: raw)(result)  # untimed
            hand_times.append(t_hand)
            times.append(t_engine)
            ratios.append(t_engine / t_hand)
        mismatches = sum(1 for (_, got), want in zip(result, reference, strict=True)
                         if got != want)
        verdicts = sum(1 for (v, got), want in zip(result, reference, strict=True)
                       if v != all(want))
        figures[name] = {"ratio": statistics.median(ratios),
                         "ratio_min": min(ratios), "ratio_max": max(ratios),
                         "us_per_record": statistics.median(times) / n * 1e6,
                         "mismatched_records": mismatches, "mismatched_verdicts": verdicts}
    hand_mismatch = sum(1 for (_, got), want in zip(hand_result, reference, strict=True)
                        if got != want)
    return {
        "n": n, "repeat": repeat, "seed": seed,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.machine()},
        "handwritten": {"us_per_record": statistics.median(hand_times) / n * 1e6,
                        "mismatched_records": hand_mismatch},
        "engines": figures,
    }


def _print(r: dict[str, Any]) -> None:
    print(f"peer workload: {r['n']} districts x 16 clauses, median of {r['repeat']} pairs "
          f"({r['machine']['python']}, {r['machine']['processor']})")
    h = r["handwritten"]
    print(f"  {'hand-written float Python':36} {h['us_per_record']:8.2f} µs/record   1.00x"
          f"   mismatches vs exact: {h['mismatched_records']}")
    for name, f in r["engines"].items():
        if f is None:
            print(f"  {name:36} (not installed: pip install -e '.[bench]')")
            continue
        print(f"  {name:36} {f['us_per_record']:8.2f} µs/record {f['ratio']:6.2f}x "
              f"({f['ratio_min']:.2f}-{f['ratio_max']:.2f})   mismatches vs exact: "
              f"{f['mismatched_records']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = run(args.n, args.repeat, args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)
    mismatched = [f for name, f in result["engines"].items() if name.startswith("qstrong")
                  and (f["mismatched_records"] or f["mismatched_verdicts"])]
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
