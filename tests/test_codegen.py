"""The generated verdict program: what its source holds, what it may reach, and how the
command line shows it and writes verdict-only reports."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import qstrong
from qstrong.cli import main
from qstrong.core.logic import Status, all_of
from qstrong.engine.clause import ClauseStatus
from qstrong.engine.results import EntityResult
from qstrong.lang.criteria_file import REQUIRED_TOP_IDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county.yaml"
CRITERIA = qstrong.load_criteria()


def _criteria(directory: Path, rules: dict[str, str]) -> qstrong.Criteria:
    for kind, ids in REQUIRED_TOP_IDS.items():
        items = [{"id": cid, "title": cid, "section": "s", "text": cid,
                  "rule": rules.get(cid, "present(name)")} for cid in ids]
        (directory / f"{kind}.yaml").write_text(yaml.safe_dump(
            {"kind": kind, "title": kind, "version": "t", "clauses": items},
            allow_unicode=True), encoding="utf-8")
    return qstrong.load_criteria(directory)


def test_a_threshold_is_an_integer_cross_multiplication() -> None:
    code = CRITERIA.show_code("district/1/drug_evaluation")
    assert "._numerator >= 96 * " in code
    code = CRITERIA.show_code("district/1/production_spot_check")
    assert "* 2 >= 187 *" in code  # 93.5% is 187/2, fixed when the source is written
    assert "float" not in CRITERIA.show_code()


def test_user_text_never_reaches_the_source(tmp_path: Path) -> None:
    hostile = "x'); import os; os.system('echo')  #"
    criteria = _criteria(tmp_path, {"district/1": f'name = "{hostile}"'})
    source = criteria.show_code()
    assert hostile not in criteria.program().source
    assert "import" not in criteria.program().source
    assert repr(hostile) in source  # shown to the reviewer in the constants table only
    shown = criteria.show_code("district/1")
    assert "constants (placed in the namespace, not in the source)" in shown


def test_generated_code_has_no_builtins_beyond_its_own() -> None:
    namespace_builtins = CRITERIA.program().kinds["district"].function.__globals__[
        "__builtins__"]
    assert "open" not in namespace_builtins and "__import__" not in namespace_builtins


def test_show_code_of_an_unknown_clause() -> None:
    with pytest.raises(KeyError):
        CRITERIA.show_code("district/nope")


def test_every_packaged_clause_is_generated() -> None:
    program = CRITERIA.program()
    assert all(not kp.fallbacks for kp in program.kinds.values())
    ids = {d.id for kp in program.kinds.values() for d in kp.nodes}
    assert ids == {node.id for cs in CRITERIA.clauses.values() for c in cs
                   for node in c.defn.walk()}


def test_verdict_only_json_keeps_the_contract_minus_explanations() -> None:
    fast = json.loads(qstrong.evaluate(EXAMPLE, CRITERIA, explain=False).to_json())
    full = json.loads(qstrong.evaluate(EXAMPLE, CRITERIA).to_json())
    assert fast.keys() == full.keys()
    explanation = {"summary", "summary_en", "checks", "values", "aggregates", "params",
                   "missing", "notes"}

    def nodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        stack = [c for e in doc["entities"] for c in e["clauses"]] + doc["county"]["clauses"]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node["children"])
        return out

    for a, b in zip(nodes(fast), nodes(full), strict=True):
        assert a["id"] == b["id"] and a["status"] == b["status"]
        assert set(a) == set(b) - explanation


def test_verdict_nodes_answer_like_explained_ones() -> None:
    report = qstrong.evaluate(EXAMPLE, CRITERIA, explain=False)
    node = report.entities[0].clauses[1]
    assert isinstance(node, ClauseStatus)
    assert node.title_zh and node.id == "district/1" and node.children
    assert node.checks == () and node.missing == () and node.summary_zh == ""
    explained = qstrong.evaluate(EXAMPLE, CRITERIA).entities[0]
    assert report.entities[0].statuses() == {n.id: n.status for n in explained.nodes()}


def test_streamed_json_is_the_same_text(tmp_path: Path) -> None:
    for path in (EXAMPLE, ROOT / "examples" / "county-mixed.yaml"):
        for explain in (True, False):
            report = qstrong.evaluate(path, CRITERIA, explain=explain)
            assert report.to_json() == json.dumps(report.to_dict(), ensure_ascii=False,
                                                  indent=2) + "\n"
    empty = qstrong.evaluate({"assessment": {"date": "2014-11-01"},
                              "county": {"code": "330681", "name": "县"},
                              "province_benchmarks": {}}, CRITERIA)
    assert empty.to_json() == json.dumps(empty.to_dict(), ensure_ascii=False, indent=2) + "\n"


def test_jsonl_is_one_line_per_candidate_then_the_county(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert main(["evaluate", str(EXAMPLE), "--format", "jsonl", "--no-progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    report = qstrong.evaluate(EXAMPLE, CRITERIA)
    assert len(lines) == len(report.entities) + 1
    assert [json.loads(line) for line in lines[:-1]] == [e.to_dict() for e in report.entities]
    assert json.loads(lines[-1]) == {"county": report.county.to_dict()}


def test_cli_verdicts_only_and_show_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE), "--format", "json", "--verdicts-only",
                 "--no-progress"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "checks" not in doc["entities"][0]["clauses"][0]
    assert main(["check", "--show-code", "industry/2/quality_loss"]) == 0
    out = capsys.readouterr().out
    # The aggregate written in the clause's own lines: its member loop, then the clause.
    assert "_uncertain(" in out and "def " not in out
    assert out.index("for f1 in ") < out.index("s10 = _cmp(")
    assert main(["check", "--show-code", "industry/2/quality_los"]) == 2
    assert "industry/2/quality_loss" in capsys.readouterr().err


def test_streamed_writers_report_progress() -> None:
    import io

    report = qstrong.evaluate(EXAMPLE, CRITERIA)
    for write in (report.write_json, report.write_jsonl):
        seen: list[tuple[int, int]] = []
        write(io.StringIO(), lambda done, total, seen=seen: seen.append((done, total)))
        n = len(report.entities)
        assert seen == [(i, n) for i in range(1, n + 1)]


@pytest.mark.parametrize("how", ["all", "any"])
def test_a_parent_combines_its_children_as_kleene_with_not_applicable_a_pass(how: str
                                                                            ) -> None:
    """Every combination of up to three children's codes (3 only for a child with an
    ``applies_if``): the generated expression gives Kleene's and/or with 3 counted as 2."""
    import itertools

    from qstrong.engine.codegen_kleene import combine as _combine

    for size in range(0, 4):
        for skips in itertools.product([False, True], repeat=size):
            names = [f"s{i}" for i in range(size)]
            source = _combine(how, list(zip(names, skips, strict=True)))
            if not any(skips):
                assert ", 2)" not in source  # no cap where no child can be 3
            if size == 1 and not skips[0]:
                assert source == "s0"  # a child alone decides: no call
            ranges = [range(4) if skip else range(3) for skip in skips]
            for codes in itertools.product(*ranges):
                capped = [min(c, 2) for c in codes]
                want = (min(capped, default=2) if how == "all"
                        else max(capped, default=0))
                got = eval(source, {"min": min, "max": max},  # the generator's own text
                           dict(zip(names, codes, strict=True)))
                assert got == want, (source, codes)


@pytest.mark.parametrize("how", ["all", "any"])
def test_a_parent_combined_in_statements_is_the_expression(how: str) -> None:
    """`combine_statements` sets its target to what `combine` gives, for every combination
    of up to five children's codes (3 only for a child with an ``applies_if``); more than
    two children that cannot be 3 are combined by one comparison each, no tuple."""
    import itertools

    from qstrong.engine.codegen_kleene import combine, combine_statements

    for size in range(0, 6):
        for skips in itertools.product([False, True], repeat=size):
            children = list(zip([f"s{i}" for i in range(size)], skips, strict=True))
            lines = combine_statements("t", how, children)
            if size > 2 and not any(skips):
                assert len(lines) == 1 + 2 * (size - 2) and "_m" not in "".join(lines)
            code = compile("\n".join(lines), "<combine>", "exec")  # the generator's own text
            expression = combine(how, children)
            ranges = [range(4) if skip else range(3) for skip in skips]
            for codes in itertools.product(*ranges):
                env = dict(zip([name for name, _ in children], codes, strict=True))
                want = eval(expression, {"min": min, "max": max}, dict(env))
                exec(code, {"min": min, "max": max}, env)
                assert env["t"] == want, (lines, codes)


def test_statuses_are_a_new_dict_each_call() -> None:
    report = qstrong.evaluate(EXAMPLE, CRITERIA, explain=False)
    first, second = report.entities[0].statuses(), report.entities[0].statuses()
    assert first == second and first is not second
    first.clear()
    assert report.entities[0].statuses() == second


def test_status_table_reads_the_codes_without_making_results(tmp_path: Path) -> None:
    """`Report.status_table` gives each candidate's statuses in the kind's clause order, None
    for a node under a clause that did not apply, read off the codes: no result is made
    for it, and one made afterwards (or a report whose results were set) gives the same."""
    conditional = _with_a_conditional_parent(tmp_path)
    districts = [{"id": f"D{i}", "name": f"D{i}", "kind": "development_zone",
                  "drug_evaluation_pass_rate": "97%", "ccc_product_pass_rate": "95%", **zone}
                 for i, zone in enumerate([{"export_demo_zone": True},
                                           {"export_demo_zone": False}, {}])]
    data = {"assessment": {"date": "2014-11-01"}, "county": {"code": "330681", "name": "县"},
            "province_benchmarks": {}, "districts": districts}
    report = qstrong.evaluate(data, conditional, explain=False)
    table = report.status_table("district")
    assert report._entities is None  # nothing made for the table
    ids = table.clause_ids
    assert ids == conditional.program().kinds["district"].ids
    assert ids.index("district/1") < ids.index("district/1/a") < ids.index("district/1/b")
    assert table.ids == ["D0", "D1", "D2"]
    rows = dict(zip(table.ids, table.rows, strict=True))
    a, b = ids.index("district/1/a"), ids.index("district/1/b")
    assert rows["D0"][a] is Status.PASS and rows["D0"][b] is Status.PASS
    assert rows["D1"][ids.index("district/1")] is Status.NOT_APPLICABLE
    assert rows["D1"][a] is None and rows["D1"][b] is None  # not run: no status
    assert rows["D2"][a] is None
    explained = qstrong.evaluate(data, conditional)
    want = [tuple(map({n.id: n.status for n in e.nodes()}.get, ids)) for e in explained.entities]
    assert table.rows == want and table.verdicts == [e.status for e in explained.entities]
    assert explained.status_table("district") == table
    # Results made (once: the same list each time), then results set (as ``--id`` selects
    # them): the same table.
    assert report.entities is report.entities
    assert [e.status for e in report.entities] == table.verdicts
    assert report.status_table("district") == table
    chosen = copy.copy(report)
    chosen.entities = [e for e in report.entities if e.id != "D1"]
    picked = chosen.status_table("district")
    assert picked.ids == ["D0", "D2"] and picked.rows == [rows["D0"], rows["D2"]]
    # A kind without candidates, and one that is not a kind.
    empty = report.status_table("enterprise")
    assert (empty.ids, empty.rows) == ([], []) and empty.clause_ids
    with pytest.raises(ValueError, match="county"):
        report.status_table("county")


def test_verdicts_are_recorded_after_the_loop_where_no_rule_reads_them() -> None:
    """A kind whose rules do not read ``strong`` has its verdicts recorded after its loop,
    at once; the county's count over them (which does read them) is the explained one."""
    from qstrong.engine.codegen_wrappers import run_function

    program = CRITERIA.program()
    for kind in ("district", "industry", "enterprise"):
        assert not program.kinds[kind].reads_verdicts
    assert "verdicts[id(f0)] = _code" not in program.source
    fast = qstrong.evaluate(ROOT / "examples" / "county-mixed.yaml", CRITERIA, explain=False)
    slow = qstrong.evaluate(ROOT / "examples" / "county-mixed.yaml", CRITERIA)
    assert fast.county.strong == slow.county.strong and any(fast.county.strong.values())
    assert ([(n.id, n.status) for c in fast.county.clauses for n in c.walk()]
            == [(n.id, n.status) for c in slow.county.clauses for n in c.walk()])
    # Where a kind's rules read verdicts, each is recorded in the loop, as it is taken.
    inline = run_function("district", [], ["    s0 = 2"], ["s0"], ["_code = s0"], True)
    assert "        verdicts[id(f0)] = _code" in inline
    assert inline.index("        verdicts[id(f0)] = _code") < inline.index(
        "        codes_append(_codes)")
    after = run_function("district", [], ["    s0 = 2"], ["s0"], ["_code = s0"], False)
    assert not any("verdicts[" in line for line in after)


def test_status_table_of_results_made_elsewhere() -> None:
    """Results that are not the verdict program's (a caller's own `EntityResult`) give their
    statuses by id."""
    report = qstrong.evaluate(EXAMPLE, CRITERIA, explain=False)
    made = [EntityResult(e.kind, e.id, e.name, e.status, list(e.clauses), e.focus)
            for e in report.entities]
    chosen = copy.copy(report)
    chosen.entities = made
    for kind in ("district", "industry", "enterprise"):
        assert chosen.status_table(kind) == report.status_table(kind)


def _with_a_conditional_parent(directory: Path) -> qstrong.Criteria:
    """Criteria whose ``district/1`` applies only to an export demonstration zone and has
    two children of its own, the second with an ``applies_if`` too."""
    _criteria(directory, {})
    path = directory / "district.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["clauses"][1] = {
        "id": "district/1", "title": "t", "section": "s", "text": "t",
        "applies_if": "export_demo_zone", "all": [
            {"id": "district/1/a", "title": "a", "text": "a",
             "rule": "drug_evaluation_pass_rate >= 96%"},
            {"id": "district/1/b", "title": "b", "text": "b", "applies_if": "present(name)",
             "rule": "ccc_product_pass_rate >= 94%"}]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return qstrong.load_criteria(directory)


def test_statuses_are_the_explained_statuses_in_pre_order(tmp_path: Path) -> None:
    """``statuses_<kind>`` (generated) gives the explaining path's statuses, in the same
    order: nodes under a clause that did not apply left out, applicability not among them."""
    conditional = _with_a_conditional_parent(tmp_path)
    districts = [{"id": f"D{i}", "name": f"D{i}", "kind": "development_zone",
                  "drug_evaluation_pass_rate": "97%", **zone}
                 for i, zone in enumerate([{"export_demo_zone": True},
                                           {"export_demo_zone": False}, {}])]
    conditional_data = {"assessment": {"date": "2014-11-01"},
                        "county": {"code": "330681", "name": "县"},
                        "province_benchmarks": {}, "districts": districts}
    counted = skipped = 0
    for data, criteria in ((EXAMPLE, CRITERIA), (ROOT / "examples" / "county-mixed.yaml",
                                                 CRITERIA), (conditional_data, conditional)):
        fast = qstrong.evaluate(data, criteria, explain=False)
        slow = qstrong.evaluate(data, criteria)
        for a, b in zip(fast.entities, slow.entities, strict=True):
            # The explained trees' own statuses (``b.statuses()`` would read the same codes).
            got, want = a.statuses(), {n.id: n.status for n in b.nodes()}
            assert list(got.items()) == list(want.items()), a.id
            counted += 1
            skipped += len(got) < len(a._program.nodes)
    assert counted > 40 and skipped == 2  # the two districts district/1 does not apply to
    source = conditional.program().source
    assert "def statuses_district(codes, S=_STATUS_OF_CODE, T=_K" in source
    assert "'district/1/a'" not in source  # clause ids are constants, not source text


def test_the_county_is_explained_when_first_read() -> None:
    report = qstrong.evaluate(EXAMPLE, CRITERIA)
    assert report.county.__dict__["_explain"] is not None  # nothing made yet
    clauses = report.county.clauses
    assert clauses and all(hasattr(c, "checks") for c in clauses)
    assert report.county.clauses is clauses  # made once, kept
    assert Status.of(all_of(c.status.as_truth() for c in clauses)) is report.county.status
    report.county.clauses = []
    assert report.county.clauses == []  # what is set stands


def test_a_county_explained_on_read_can_be_replaced_and_copied() -> None:
    import copy
    import dataclasses

    report = qstrong.evaluate(EXAMPLE, CRITERIA)
    copied = copy.copy(report.county)
    replaced = dataclasses.replace(report.county, name="别名")
    assert replaced.name == "别名" and replaced.clauses == report.county.clauses
    assert copied.clauses == report.county.clauses
    assert dataclasses.asdict(report.county)["status"] is report.county.status


@pytest.mark.parametrize("explain", [False, True])
def test_the_countys_strong_ids_are_read_when_first_asked_for(explain: bool) -> None:
    """A report of the verdict program's runs reads the county's ``strong`` ids off the
    candidates' models only when they are first asked for: the ids, in report order, of
    the results that pass (as the results themselves give them), the counts at once; a
    copy, a replacement and what is set stand."""
    import copy
    import dataclasses

    report = qstrong.evaluate(ROOT / "examples" / "county-mixed.yaml", CRITERIA,
                              explain=explain)
    county = report.county
    assert county.__dict__["_strong_of"] is not None  # nothing read yet
    assert county.counts["district"]["pass"] == sum(
        1 for e in report.entities if e.kind == "district" and e.status is Status.PASS)
    copied = copy.copy(county)
    want = {kind: [e.id for e in report.entities if e.kind == kind and e.status is Status.PASS]
            for kind in ("district", "industry", "enterprise")}
    assert county.strong == want and any(want.values())
    assert county.strong is county.strong  # read once, kept
    assert copied.strong == want  # the copy reads its own
    assert dataclasses.replace(county, name="别名").strong == want
    assert dataclasses.replace(county, strong={"district": []}).strong == {"district": []}
    county.strong = {}
    assert county.strong == {}  # what is set stands
    fresh = qstrong.evaluate(ROOT / "examples" / "county-mixed.yaml", CRITERIA,
                             explain=explain)
    assert fresh.to_dict()["county"]["strong"] == want
    import pickle

    unread = qstrong.evaluate(ROOT / "examples" / "county-mixed.yaml", CRITERIA,
                              explain=explain).county
    assert copy.copy(unread).strong == want
    if not explain:  # (an explained county's trees hold closures: it never pickled)
        again = pickle.loads(pickle.dumps(unread))  # the ids read first
        assert again.strong == want and again.to_dict() == fresh.county.to_dict()


def _agree_with_kleene(func: str, criteria: qstrong.Criteria, districts: list[dict[str, Any]],
                       lists: list[tuple[int, ...]]) -> None:
    """Each district's ``district/1`` on both paths is Kleene's ``func`` of its members'
    codes (``lists``, in order): an empty ``all`` is unknown unless told."""
    word = {0: Status.FAIL, 1: Status.UNKNOWN, 2: Status.PASS}
    for codes, fast, slow in zip(lists, *_both_paths(criteria, districts), strict=True):
        if func == "any":
            want = max(codes, default=0)
        elif func == "none":
            want = 2 - max(codes, default=0)
        else:
            want = min(codes) if codes else 1
        assert fast is slow is word[want], (codes, fast, slow)


def _both_paths(criteria: qstrong.Criteria, districts: list[dict[str, Any]]
                ) -> tuple[list[Status], list[Status]]:
    """The districts' ``district/1`` status on the verdict path and explained."""
    dataset = qstrong.load_dataset({"assessment": {"date": "2014-11-01"},
                                    "county": {"code": "330681", "name": "县"},
                                    "province_benchmarks": {}, "districts": districts})
    fast = [e.statuses()["district/1"] for e in
            qstrong.evaluate(dataset, criteria, explain=False).entities]
    slow = [e.clause("district/1").status for e in qstrong.evaluate(dataset, criteria).entities]
    return fast, slow


@pytest.mark.parametrize("func", ["any", "all", "none"])
def test_a_yes_no_aggregate_ends_at_the_member_that_decides_it(tmp_path: Path,
                                                                func: str) -> None:
    """``any``/``all``/``none`` return at the first member that decides them: on every list
    of up to three members (each passing, failing or unknown, and the empty list) the
    verdict path gives Kleene's answer, as the explaining evaluator does."""
    import itertools

    rule = f'{func}(standards where kind = "alliance" and implemented)'
    criteria = _criteria(tmp_path, {"district/1": rule})
    member = {2: True, 0: False, 1: None}  # a member's code and its ``implemented``
    lists = [codes for size in range(4) for codes in itertools.product((0, 1, 2), repeat=size)]
    districts = [{"id": f"D{i}", "name": f"D{i}", "kind": "development_zone",
                  "standards": [{"name": f"S{j}", "kind": "alliance", "implemented": member[c]}
                                for j, c in enumerate(codes)]}
                 for i, codes in enumerate(lists)]
    _agree_with_kleene(func, criteria, districts, lists)


def test_nested_kleene_expressions_keep_their_own_tuples() -> None:
    """``and``/``or`` of more than two parts look for the deciding code in a tuple bound to
    ``_m``; one nested inside another is done with its tuple before the outer binds it."""
    import itertools

    from qstrong.engine.codegen_kleene import kleene as _kleene

    inner = _kleene("any", ["a", "b", "c"])
    source = _kleene("all", [inner, "d", _kleene("all", ["e", "f", "a"])])
    for a, b, c, d, e, f in itertools.product(range(3), repeat=6):
        want = min(max(a, b, c), d, min(e, f, a))
        got = eval(source, {}, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f})
        assert got == want, (source, (a, b, c, d, e, f))


def test_kleene_of_two_expressions_binds_each_once() -> None:
    """``and``/``or`` of two expressions binds each to its own name as it is evaluated, left
    first, and compares them once: Kleene's ``min``/``max``, nested as well."""
    import itertools

    from qstrong.engine.codegen_kleene import kleene

    calls: list[str] = []

    def code(name: str, value: int) -> int:
        calls.append(name)
        return value

    inner = kleene("any", ["code('b', b)", "code('c', c)"], bind=("k1", "k2"))
    source = kleene("all", ["code('a', a)", inner], bind=("k3", "k4"))
    assert "_m" not in source and source.count("<") == 1 and source.count(">") == 1
    for a, b, c in itertools.product(range(3), repeat=3):
        calls.clear()
        got = eval(source, {"code": code}, {"a": a, "b": b, "c": c})
        assert got == min(a, max(b, c)), (source, (a, b, c))
        assert calls == ["a", "b", "c"]  # each part once, in order


def test_fields_are_read_from_the_model_dict_and_sub_records_once(tmp_path: Path) -> None:
    """A candidate's fields are read from its ``__dict__`` (pydantic's ``__getattr__``
    makes attribute reads dear); a sub-record read by several clauses is looked up once, a
    missing one (None) or a missing field of it makes those clauses unknown, as when
    explained, and an aggregate, written in the same function, reads the candidate's dict
    local."""
    rules = {"district/1": "food_spot_check_pass_rate.processing >= 94% and "
                           "food_spot_check_pass_rate.catering >= 91% and "
                           "any(standards where kind = \"alliance\" and implemented)"}
    criteria = _criteria(tmp_path, rules)
    source = criteria.program().source
    # The kind's function and its loop (`KindProgram.run`), which holds the same body.
    function = source[source.index("def kind_district"):source.index("def run_district")]
    loop = source[source.index("def run_district"):]
    loop = loop[:loop.find("\n\n\ndef ")] if "\n\n\ndef " in loop else loop
    for body in (function, loop):
        assert body.count("['food_spot_check_pass_rate']") == 1
        assert body.count("d0 = f0.__dict__") == 1 and "= d0['standards']" in body
        assert "f0.standards" not in body and "for f1 in " in body
    assert "f0.food_spot_check_pass_rate" not in source and "def _agg" not in source
    stages = [None, {}, {"processing": "95%"}, {"processing": "93%", "catering": "92%"},
              {"processing": "95%", "catering": "92%"}]
    districts = [{"id": f"D{i}", "name": f"D{i}", "kind": "development_zone",
                  "standards": [{"name": "S", "kind": "alliance", "implemented": True}],
                  **({"food_spot_check_pass_rate": food} if food is not None else {})}
                 for i, food in enumerate(stages)]
    fast, slow = _both_paths(criteria, districts)
    assert fast == slow == [Status.UNKNOWN, Status.UNKNOWN, Status.UNKNOWN, Status.FAIL,
                            Status.PASS]


def test_a_clause_snippet_makes_the_locals_it_reads() -> None:
    """``--show-code CLAUSE`` shows where the dict locals a clause reads come from: run in
    the program's namespace on a candidate, the snippet gives the clause's own code."""
    from qstrong.engine.verdict import STATUS_OF_CODE

    kp = CRITERIA.program().kinds["district"]
    report = qstrong.evaluate(EXAMPLE, CRITERIA, explain=False)
    districts = report.dataset.districts
    for index, clause in enumerate(kp.nodes):
        snippet = CRITERIA.show_code(clause.id)
        if "food_spot_check_pass_rate" not in snippet or clause.rule is None:
            continue
        assert "d0 = f0.__dict__" in snippet
        for district, result in zip(districts, report.entities[:len(districts)], strict=True):
            local: dict[str, Any] = {"f0": district}
            exec(snippet, kp.function.__globals__, local)  # the program's own text
            assert STATUS_OF_CODE[local[f"s{index}"]] is result.statuses()[clause.id]
        break
    else:
        pytest.fail("no district clause reads the food spot-check rates")


def test_a_kinds_loop_gives_what_its_function_gives() -> None:
    """`KindProgram.run` holds the kind function's body inside the loop over the kind's
    candidates: each candidate's codes are the function's, its status Kleene's "and" of the
    top-level codes (one not applying a pass), its focus and its verdict record kept."""
    from qstrong.engine import evaluate as ev
    from qstrong.engine.verdict import STATUS_OF_CODE
    from qstrong.engine.verdict_runtime import Runtime

    # The mixed county: candidates that pass, fail and are unknown, industries with a focus.
    report = qstrong.evaluate(ROOT / "examples" / "county-mixed.yaml", CRITERIA,
                              explain=False)
    dataset, program = report.dataset, CRITERIA.program()
    assert {e.status for e in report.entities} == {Status.PASS, Status.FAIL, Status.UNKNOWN}
    values, uses = ev._params(CRITERIA, dataset, None)
    verdicts: dict[int, int] = {}
    views = ev._views(dataset, verdicts)
    runtime = Runtime(ev._context(dataset, values, uses, views), program.param_order,
                      {**views, "strong": views["strong_known"]}, program.windows, verdicts)
    results = iter(report.entities)
    focused = 0
    for kind, attr in ev.ENTITY_KINDS:
        kp = program.kinds[kind]
        assert kp.run is not None
        for model in ev._rated(dataset, attr):
            result = next(results)
            codes = kp.function(model, runtime)
            tops = [min(codes[i], 2) for i, parent in enumerate(kp.parents) if parent < 0]
            code = min(tops, default=2)
            verdicts[id(model)] = code  # as the loop records it, for `strong` to read
            assert (result.kind, result.id, result._codes) == (kind, model.id, codes)
            assert result.status is STATUS_OF_CODE[code]
            assert result.focus == tuple(getattr(model, "focus", None) or ())
            focused += bool(result.focus)
    assert next(results, None) is None and focused > 0
    assert program.kinds["county"].run is None


@pytest.mark.parametrize("func", ["any", "all", "none"])
def test_a_windowed_yes_no_aggregate_reads_only_the_members_inside(tmp_path: Path,
                                                                   func: str) -> None:
    """Over a list with a window, ``any``/``all``/``none`` look only at the members dated
    inside it: on every list of up to three members inside (each passing, failing or
    unknown) with one outside that would decide it, the verdict path gives Kleene's answer
    over those inside, as the explaining evaluator does; an ``all`` with none inside is
    unknown."""
    import itertools

    rule = (f'{func}(incidents within 2 years where type = "major_quality_safety" '
            f'and description = "重大")')
    criteria = _criteria(tmp_path, {"district/1": rule})
    member = {  # a member's code → what it holds (unknown: no description)
        2: {"type": "major_quality_safety", "description": "重大"},
        0: {"type": "regional_quality_safety", "description": "重大"},
        1: {"type": "major_quality_safety"}}
    lists = [codes for size in range(4) for codes in itertools.product((0, 1, 2), repeat=size)]
    # Dated before the window: it would decide the aggregate, were it read.
    outside = {"date": "2010-05-01", **member[0 if func == "all" else 2]}
    districts = [{"id": f"D{i}", "name": f"D{i}", "kind": "development_zone",
                  "incidents": [outside, *({"date": "2014-03-01", **member[c]} for c in codes)]}
                 for i, codes in enumerate(lists)]
    _agree_with_kleene(func, criteria, districts, lists)


def test_a_fixed_window_is_read_once_per_run_and_shown_with_its_clause() -> None:
    """A window fixed for the run (a literal or parameter length) is read from ``R`` before
    the loop over the kind's candidates, not for each; a clause's snippet still shows where
    its window's locals come from."""
    source = CRITERIA.program().source
    loop = source[source.index("def run_enterprise"):]
    loop = loop[:loop.find("\n\n\ndef ")] if "\n\n\ndef " in loop else loop
    head, body = loop.split("    for f0 in items:\n", 1)
    assert "= R.win[" in head and "R.win[" not in body
    snippet = next(CRITERIA.show_code(node.id) for node in
                   CRITERIA.program().kinds["enterprise"].nodes
                   if node.rule_text is not None and " within " in node.rule_text)
    window = next(line for line in snippet.splitlines() if "= R.win[" in line)
    name = window.split(" = ", 1)[0]
    assert f"{name} or (None, None, None)" in snippet and f"if {name} is None:" in snippet


def test_a_yes_no_field_and_a_missing_sub_record_read_without_a_test_of_their_own(
        tmp_path: Path) -> None:
    """A model's yes/no field (True, False or None) is read as its truth code in one
    lookup, and a sub-record that is missing reads as a constant dict of its fields, each
    None: statuses as the explaining evaluator gives them."""
    rules = {"district/1": "export_demo_zone and food_spot_check_pass_rate.processing >= 94%"}
    criteria = _criteria(tmp_path, rules)
    program = criteria.program()
    code = program.show("district/1")
    assert "_YES_NO[d0['export_demo_zone']]" in code and "None if r" not in code
    assert "#   _YES_NO = {None: 1, True: 2, False: 0}" in code  # shown with the code
    missing = next(line for line in code.splitlines() if "(a record that is missing)" in line)
    from qstrong.data.indicators import FoodSpotCheckRates

    assert all(f"{name!r}: None" in missing for name in FoodSpotCheckRates.model_fields)
    cases = [(yes, food) for yes in (True, False, None)
             for food in (None, {}, {"processing": "95%"}, {"processing": "93%"})]
    districts = [{"id": f"D{i}", "name": f"D{i}", "kind": "development_zone",
                  **({"export_demo_zone": yes} if yes is not None else {}),
                  **({"food_spot_check_pass_rate": food} if food is not None else {})}
                 for i, (yes, food) in enumerate(cases)]
    fast, slow = _both_paths(criteria, districts)
    rate = {None: 1, "95%": 2, "93%": 0}  # the processing rate's code (None: not given)
    want = [min({True: 2, False: 0, None: 1}[yes], rate[(food or {}).get("processing")])
            for yes, food in cases]
    word = {0: Status.FAIL, 1: Status.UNKNOWN, 2: Status.PASS}
    assert fast == slow == [word[w] for w in want]
