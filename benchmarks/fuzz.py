"""A longer fuzz run than the test suite's: many generated rules, datasets and YAML texts
through qstrong, counting every outcome. The oracle: a verdict or a `QStrongError`;
anything else is a defect, printed with the seed that reproduces it.

    python benchmarks/fuzz.py                       # the default mix, about 200 000 inputs
    python benchmarks/fuzz.py --rules 1000 --datasets 100 --texts 100 --criteria 10 -j 2

Figures of the last recorded run are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402

import qstrong  # noqa: E402
from fuzzing import example_mapping, mutate, mutate_text, random_rule  # noqa: E402
from qstrong.io.yamldoc import load_yaml_text  # noqa: E402
from qstrong.lang.criteria_file import REQUIRED_TOP_IDS  # noqa: E402
from qstrong.lang.parser import parse_rule  # noqa: E402

Outcome = tuple[str, int, str]  # (generator, seed, outcome)


def _one(generator: str, seed: int, state: dict[str, Any]) -> str:
    rng = random.Random(seed)
    try:
        if generator == "rules":
            _, text = random_rule(rng)
            parse_rule(text)
        elif generator == "datasets":
            qstrong.evaluate(mutate(state["doc"], rng, rng.randint(1, 4)), state["criteria"])
        elif generator == "texts":
            text = mutate_text(state["text"], rng)
            qstrong.evaluate(load_yaml_text(text, "fuzz.yaml"), state["criteria"])
        else:
            kind, text = random_rule(rng)
            directory = Path(tempfile.mkdtemp(prefix="qstrong-fuzz-"))
            for k, ids in REQUIRED_TOP_IDS.items():
                items = [{"id": cid, "title": cid, "section": "s", "text": cid,
                          "rule": text if k == kind and cid == ids[0] else "present(name)"}
                         for cid in ids]
                (directory / f"{k}.yaml").write_text(yaml.safe_dump(
                    {"kind": k, "title": k, "version": "f", "clauses": items},
                    allow_unicode=True), encoding="utf-8")
            qstrong.evaluate(state["doc"], qstrong.load_criteria(directory))
        return "verdict"
    except qstrong.QStrongError as exc:
        return f"QStrongError {exc.code}"
    except Exception as exc:  # the defects this run looks for
        return f"DEFECT {type(exc).__name__}: {exc!s:.120} | " + traceback.format_exc(limit=-2)


def _worker(jobs: list[tuple[str, int]]) -> list[Outcome]:
    doc = example_mapping()
    state = {"doc": doc, "criteria": qstrong.load_criteria(),
             "text": yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)}
    return [(g, s, _one(g, s, state)) for g, s in jobs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=int, default=150_000)
    parser.add_argument("--datasets", type=int, default=25_000)
    parser.add_argument("--texts", type=int, default=25_000)
    parser.add_argument("--criteria", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    jobs = [(g, rng.getrandbits(32)) for g, n in (("rules", args.rules),
            ("datasets", args.datasets), ("texts", args.texts), ("criteria", args.criteria))
            for _ in range(n)]
    rng.shuffle(jobs)
    chunks = [jobs[i::args.jobs * 8] for i in range(args.jobs * 8)]
    start = time.perf_counter()
    with multiprocessing.Pool(args.jobs) as pool:
        results = [o for part in pool.map(_worker, chunks) for o in part]
    elapsed = time.perf_counter() - start
    counts: collections.Counter[tuple[str, str]] = collections.Counter(
        (g, o.split(" |")[0] if o.startswith("DEFECT") else o) for g, _, o in results)
    print(f"{len(results)} inputs in {elapsed:.0f} s ({args.jobs} processes)")
    for (generator, outcome), n in sorted(counts.items()):
        print(f"  {generator:9} {outcome:40.40} {n}")
    defects = [(g, s, o) for g, s, o in results if o.startswith("DEFECT")]
    for g, s, o in defects[:10]:
        print(f"\n{g} seed {s}:\n{o}")
    print(f"\n{len(defects)} defects")
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
