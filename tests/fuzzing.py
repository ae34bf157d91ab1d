"""Generators of careless and hostile input for the fuzz tests and ``benchmarks/fuzz.py``.

The oracle everywhere: qstrong gives a verdict, or a `QStrongError`; any other exception is
a defect. Rules come from a small grammar-based generator (valid and mutated expressions,
Unicode look-alikes, deep chains); datasets from mutations of the example county (types,
sizes, encodings, YAML tags and aliases, cell values).
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county.yaml"

FIELDS = {
    "district": ["drug_evaluation_pass_rate", "agri_standardization_rate", "export_demo_zone",
                 "food_spot_check_pass_rate.processing", "standard_adoption_rate.current",
                 "special_equipment.inspection_rate", "kind", "incidents", "standards",
                 "production_spot_check_pass_rate", "name", "nope"],
    "industry": ["total_output", "province_scale_rank", "members", "enterprises", "brands",
                 "has_regional_brand", "regional_brand.user_output", "spot_check_pass_rate"],
    "enterprise": ["quality_loss_rate", "advanced_qm", "brands", "incidents",
                   "standards_participation", "brand_market_share_rank"],
    "county": ["districts", "industries", "enterprises"],
}
ATOMS = ["1", "0", "93.5%", "5个百分点", "2 pp", "100%", "$stable_years", "$nope", "true",
         "false", '"national"', '"x"', "2014-11-01", "2014-02-30", "１", "٣%", "1e5", "",
         "99999999999999999999999999999999999999999999", "-1", "0.5"]
OPS = [">=", "<=", ">", "<", "=", "!=", "≥", "and", "or", "+", "-", "*", "/", "in", "以上", "且"]
FUNCS = ["share", "count", "sum", "any", "all", "none"]
HOSTILE_VALUES: list[Any] = [
    None, True, False, 0, -1, 10**30, "1e99999999999999999999", "1e999999999", "0.935",
    "93.5%", "187/200", "9/0", "abc", "", " ", "\ud800", "\x1b[2J", "=HYPERLINK(\"x\")",
    [], {}, [[[]]], {"passed": 1, "total": 0}, {"passed": 5, "total": 2}, "2014-02-30",
    "0000-00-00", "2041-01-01", 1.5, float("inf"), "yes", "０.５", "9" * 300,
]


def _expr(rng: random.Random, kind: str, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice(FIELDS[kind] + ATOMS)
    if roll < 0.55:
        return f"{_expr(rng, kind, depth - 1)} {rng.choice(OPS)} {_expr(rng, kind, depth - 1)}"
    if roll < 0.65:
        return f"not {_expr(rng, kind, depth - 1)}"
    if roll < 0.75:
        return f"({_expr(rng, kind, depth - 1)})"
    if roll < 0.8:
        items = ", ".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 3)))
        return f"{rng.choice(FIELDS[kind])} in {{{items}}}"
    coll = rng.choice(FIELDS[kind])
    window = rng.choice(["", f" within {rng.choice(['2', '30000', '$stable_years', '-1'])} "
                             f"{rng.choice(['years', 'months', 'days'])}"])
    where = rng.choice(["", f" where {_expr(rng, 'enterprise', depth - 1)}"])
    empty = rng.choice(["", "", ", empty = pass", ", empty >= fail"])
    return f"{rng.choice(FUNCS)}({coll}{window}{where}{empty})"


def random_rule(rng: random.Random) -> tuple[str, str]:
    """(kind, rule text): mostly plausible, sometimes broken, sometimes huge."""
    kind = rng.choice(list(FIELDS))
    text = _expr(rng, kind, rng.randint(0, 4))
    roll = rng.random()
    if roll < 0.05:
        text = "-" * rng.randint(100, 600) + text
    elif roll < 0.1:
        text = " + ".join([text] * rng.randint(50, 300))
    elif roll < 0.2 and text:
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(["（", "）", "”", "％", "\x00", "$", "[", "]", "{"]) + text[i:]
    return kind, text


def example_mapping() -> dict[str, Any]:
    """The example county as plain data (dates as ISO text), to mutate."""
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return json.loads(json.dumps(doc, default=str))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def mutate(doc: dict[str, Any], rng: random.Random, count: int = 3) -> dict[str, Any]:
    """A copy of ``doc`` with ``count`` random leaves replaced, removed or renamed."""
    out = copy.deepcopy(doc)
    for _ in range(count):
        paths = [p for p in _paths(out) if p]
        path = rng.choice(paths)
        parent: Any = out
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = rng.random()
        if action < 0.7:
            parent[last] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
        elif action < 0.85 and isinstance(parent, dict):
            del parent[last]
        elif isinstance(parent, dict):
            parent[f"{last}_typo"] = parent.pop(last)
    return out


YAML_SNIPPETS = ["0123", "0x1F", "10:30", "yes", "!!int ''", "!!int 'abc'", "!!timestamp 'x'",
                 "2014-02-30", "&a [1, 2]", "*a", "~", "'", '"', "{", "- - -", "\t", "@",
                 "!!python/object:os.system ls", "1_000", ".inf", "\x1b", "<<: *a"]


def mutate_text(text: str, rng: random.Random) -> str:
    """YAML text with a few snippets spliced in after random colons or at random places."""
    for _ in range(rng.randint(1, 3)):
        positions = [i for i, ch in enumerate(text) if ch == ":"] or [0]
        i = rng.choice(positions) + 1 if rng.random() < 0.8 else rng.randrange(len(text))
        text = text[:i] + " " + rng.choice(YAML_SNIPPETS) + text[i:]
    return text


seeds = st.integers(min_value=0, max_value=2**32 - 1)


# -- criteria whose rules are shuffled, recombined and given new bounds ----------------

_PERCENT = re.compile(r"\b\d+(?:\.\d+)?%")
_OP = re.compile(r"(?<![<>=!])(>=|<=|!=|>|<|=)(?!=)")


def _leaves(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for c in clauses:
        if "rule" in c:
            out.append(c)
        for key in ("all", "any"):
            out.extend(_leaves(c.get(key, [])))
    return out


def _shuffled_rule(rule: str, others: list[str], rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        rule = _PERCENT.sub(lambda m: f"{rng.choice([0, 50, 90, 93, 95, 100])}"
                            f"{rng.choice(['', '.5', '.25', '.125'])}%"
                            if rng.random() < 0.8 else m.group(0), rule)
        rule = rule.replace("100.5%", "100%").replace("100.25%", "99%").replace(
            "100.125%", "0.1%")
    elif roll < 0.5:
        rule = _OP.sub(lambda m: rng.choice([">=", "<=", ">", "<", "=", "!="]), rule, count=1)
    elif roll < 0.75 and others:
        other = rng.choice(others)
        rule = rng.choice([f"({rule}) and ({other})", f"({rule}) or not ({other})",
                           f"not (({rule}) or ({other}))"])
    elif roll < 0.85:
        rule = f"not ({rule})"
    return rule


def write_shuffled_criteria(directory: Path, rng: random.Random) -> None:
    """The packaged criteria with their leaves' rules shuffled (`_shuffled_rule`), written
    to ``directory``; they may not load (a recombined rule can be ill-typed)."""
    from qstrong.engine.ruleset import packaged_criteria_dir

    for path in sorted(packaged_criteria_dir().glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        leaves = _leaves(doc["clauses"])
        rules = [leaf["rule"] for leaf in leaves]
        for leaf in leaves:
            leaf["rule"] = _shuffled_rule(leaf["rule"], rules, rng)
        (directory / path.name).write_text(yaml.safe_dump(doc, allow_unicode=True),
                                           encoding="utf-8")


def load_shuffled_criteria(directory: Path, rng: random.Random) -> Any:
    """`write_shuffled_criteria`, loaded: a `Criteria`, or None (the folder removed) when
    the shuffled rules do not load."""
    import shutil

    import qstrong
    from qstrong.core.errors import QStrongError

    write_shuffled_criteria(directory, rng)
    try:
        return qstrong.load_criteria(directory)
    except QStrongError:
        shutil.rmtree(directory)
        return None
