"""Instruction counts of qstrong's hot steps, under valgrind's callgrind.

Timings on a shared 2-core machine move by a third from one run to the next; the number
of instructions a run executes does not (the same count for the same run, whatever the
other core does). Each step is run twice under callgrind: once stopped just before it and
once through it; its cost is the difference. Each run is made once natively first, so
that the per-user caches (messages, grammar, criteria) are warm, and with
``PYTHONHASHSEED=0``.

    python benchmarks/instructions.py                    # the landed code
    python benchmarks/instructions.py --src ../old/src   # another checkout, to compare

Steps: ``verdicts`` (the peer workload: ``evaluate(explain=False)`` and every candidate's
``statuses()``, per record), ``table`` (the same with the statuses read as the kind's
status table, `Report.status_table`), ``handwritten`` (the peer workload's float loop, per record),
``jsonl`` and ``json`` (a generated province file of ``--n`` candidates: explaining and
writing every candidate, in all).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPEATS = 5
"""How many times the peer workload's steps run inside one measured process."""


def _child(step: str, stop: bool, path: str) -> None:
    """Run one step in this process (``stop``: everything before it, not the step)."""
    sys.path.insert(0, str(HERE))
    import qstrong

    if step in ("verdicts", "table", "handwritten"):
        import peers

        records = peers.generate(int(path), 20141101)
        dataset = peers.as_dataset(records)
        rows = peers.as_floats(records)
        criteria = qstrong.load_criteria(HERE / "peer_criteria")
        criteria.program()
        if stop:
            return
        for _ in range(REPEATS):
            if step == "handwritten":
                peers.handwritten(rows)
            elif step == "table":
                report = qstrong.evaluate(dataset, criteria, explain=False)
                table = report.status_table("district")
                list(zip(table.verdicts, table.rows, strict=True))
            else:
                report = qstrong.evaluate(dataset, criteria, explain=False)
                [(e.status, e.statuses()) for e in report.entities]
        return
    criteria = qstrong.load_criteria()
    criteria.program()
    report = qstrong.evaluate(qstrong.load_dataset(path), criteria)
    if stop:
        return
    with open(os.devnull, "wb") as sink:
        (report.write_jsonl if step == "jsonl" else report.write_json)(sink)


def _instructions(step: str, stop: bool, path: str, src: str | None) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src:
        env["PYTHONPATH"] = src
    command = [sys.executable, __file__, "--child", step, "1" if stop else "0", path]
    subprocess.run(command, env=env, check=True)  # warm the per-user caches
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(["valgrind", "--tool=callgrind",
                               f"--callgrind-out-file={out}/cg.out", *command],
                              env=env, check=True, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", help="a checkout's src folder to measure instead")
    parser.add_argument("--n", type=int, default=300, help="province candidates (jsonl, json)")
    parser.add_argument("--records", type=int, default=2000, help="peer workload records")
    parser.add_argument("--steps", default="verdicts,table,handwritten,jsonl,json")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, stop, path = args.child
        _child(step, stop == "1", path)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as work:
        province = Path(work) / "province.json"
        sys.path.insert(0, str(HERE))
        from province import _write_dataset

        _write_dataset(args.n, province, 20141101)
        for step in args.steps.split(","):
            path = (str(args.records) if step in ("verdicts", "table", "handwritten")
                    else str(province))
            before = _instructions(step, True, path, args.src)
            through = _instructions(step, False, path, args.src)
            cost = through - before
            if step in ("verdicts", "table", "handwritten"):
                print(f"{step:12} {cost / (REPEATS * args.records) / 1000:10.1f} k per record")
            else:
                print(f"{step:12} {cost / 1e6:10.1f} M for {args.n} candidates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
