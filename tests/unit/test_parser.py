"""The rule parser: text to node trees for every form, syntax errors with positions and hints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path as FilePath

import pytest

from qstrong.core.errors import CriteriaSyntaxError
from qstrong.core.source import Span
from qstrong.lang.criteria_file import read_criteria_file
from qstrong.lang.nodes import (
    Aggregate,
    Arith,
    BoolLit,
    BoolOp,
    Compare,
    DateLit,
    InSet,
    Neg,
    Node,
    Not,
    Number,
    Param,
    Path,
    Percent,
    Points,
    Present,
    String,
    Window,
    unparse,
)
from qstrong.lang.parser import MAX_RULE_CHARS, MAX_RULE_DEPTH, parse_rule

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

FIXTURES = FilePath(__file__).resolve().parents[1] / "fixtures"
CRITERIA = FilePath(__file__).resolve().parents[2] / "criteria"


# -- small constructors so the table below reads like the rules ------------------------


def p(*parts: str | Node) -> Path:
    return Path(tuple(parts))


def num(text: str) -> Number:
    return Number(Decimal(text))


def pct(text: str) -> Percent:
    return Percent(Decimal(text))


def pts(text: str) -> Points:
    return Points(Decimal(text))


def s(text: str) -> String:
    return String(text)


def cmp(left: Node, op: str, right: Node) -> Compare:
    return Compare(left, op, right)


def and_(*operands: Node) -> BoolOp:
    return BoolOp("and", tuple(operands))


def or_(*operands: Node) -> BoolOp:
    return BoolOp("or", tuple(operands))


def ar(left: Node, op: str, right: Node) -> Arith:
    return Arith(left, op, right)


a, b, c = p("a"), p("b"), p("c")

PARSE_TABLE: list[tuple[str, Node]] = [
    # numbers
    ("4", num("4")),
    ("0.52", num("0.52")),
    ("12.70", num("12.7")),
    # percents, half- and full-width, with or without a space
    ("93.5%", pct("93.5")),
    ("93.5 %", pct("93.5")),
    ("93.5％", pct("93.5")),
    ("100%", pct("100")),
    # percentage points
    ("5pp", pts("5")),
    ("5 pp", pts("5")),
    ("0.5pp", pts("0.5")),
    ("5个百分点", pts("5")),
    ("5 个百分点", pts("5")),
    # dates
    ("2014-06-30", DateLit(dt.date(2014, 6, 30))),
    ("2016-02-29", DateLit(dt.date(2016, 2, 29))),
    # strings, both quote styles, escapes, Chinese
    ('"provincial"', s("provincial")),
    ("'provincial'", s("provincial")),
    ('"袜子"', s("袜子")),
    (r'"a \"b\" c"', s('a "b" c')),
    (r"'it\'s'", s("it's")),
    # booleans
    ("true", BoolLit(True)),
    ("false", BoolLit(False)),
    ("trueish", p("trueish")),  # a keyword only as a whole word
    # parameters
    ("$stable_years", Param("stable_years")),
    # paths: dotted, indexed by a name, a string or a number
    ("advanced_qm", p("advanced_qm")),
    ("food_spot_check_pass_rate.processing", p("food_spot_check_pass_rate", "processing")),
    (
        "province_benchmarks.spot_check_pass_rate[year]",
        p("province_benchmarks", "spot_check_pass_rate", p("year")),
    ),
    (
        'province_benchmarks.unit_energy_consumption["袜子"]',
        p("province_benchmarks", "unit_energy_consumption", s("袜子")),
    ),
    ("a[2014].b", p("a", num("2014"), "b")),
    ("a[b[c]]", p("a", p("b", p("c")))),
    ("a.b . c", p("a", "b", "c")),
    # present()
    ("present(regional_brand)", Present(p("regional_brand"))),
    ("present( a.b )", Present(p("a", "b"))),
    # comparisons with every operator and its spellings
    ("a >= 93.5%", cmp(a, ">=", pct("93.5"))),
    ("a ≥ 93.5%", cmp(a, ">=", pct("93.5"))),
    ("a<=1", cmp(a, "<=", num("1"))),
    ("a ≤ 1", cmp(a, "<=", num("1"))),
    ("a > 1", cmp(a, ">", num("1"))),
    ("a < 1", cmp(a, "<", num("1"))),
    ("a = 1", cmp(a, "=", num("1"))),
    ("a == 1", cmp(a, "=", num("1"))),
    ("a != 1", cmp(a, "!=", num("1"))),
    ("a ≠ 1", cmp(a, "!=", num("1"))),
    ('type = "x"', cmp(p("type"), "=", s("x"))),
    ("d >= 2014-06-30", cmp(p("d"), ">=", DateLit(dt.date(2014, 6, 30)))),
    ("x - y >= 5个百分点", cmp(ar(p("x"), "-", p("y")), ">=", pts("5"))),
    ("a >= 1 # a comment", cmp(a, ">=", num("1"))),
    # sets
    ('level in {"provincial", "national"}', InSet(p("level"), (s("provincial"), s("national")))),
    ('level in {"provincial",}', InSet(p("level"), (s("provincial"),))),
    ("level in {}", InSet(p("level"), ())),
    ("n in {1, 2}", InSet(p("n"), (num("1"), num("2")))),
    ('level not in {"municipal"}', InSet(p("level"), (s("municipal"),), negated=True)),
    ('not level in {"x"}', Not(InSet(p("level"), (s("x"),)))),
    # and / or / not precedence
    ("a and b", and_(a, b)),
    ("a and b and c", and_(a, b, c)),
    ("a or b or c", or_(a, b, c)),
    ("a or b and c", or_(a, and_(b, c))),
    ("a and b or c", or_(and_(a, b), c)),
    ("(a or b) and c", and_(or_(a, b), c)),
    ("a and (b and c)", and_(a, and_(b, c))),
    ("not a", Not(a)),
    ("not not a", Not(Not(a))),
    ("not a and b", and_(Not(a), b)),
    ("not (a and b)", Not(and_(a, b))),
    ("not a or b", or_(Not(a), b)),
    ("not a >= 1", Not(cmp(a, ">=", num("1")))),
    ("a >= 1 and b < 2", and_(cmp(a, ">=", num("1")), cmp(b, "<", num("2")))),
    ("(a >= 1) = true", cmp(cmp(a, ">=", num("1")), "=", BoolLit(True))),
    # arithmetic precedence and associativity
    ("a + b * c", ar(a, "+", ar(b, "*", c))),
    ("a * b + c", ar(ar(a, "*", b), "+", c)),
    ("(a + b) * c", ar(ar(a, "+", b), "*", c)),
    ("a - b - c", ar(ar(a, "-", b), "-", c)),
    ("a - (b - c)", ar(a, "-", ar(b, "-", c))),
    ("a / b / c", ar(ar(a, "/", b), "/", c)),
    ("a / b * c", ar(ar(a, "/", b), "*", c)),
    ("a + b >= c * 2", cmp(ar(a, "+", b), ">=", ar(c, "*", num("2")))),
    # unary minus
    ("-a", Neg(a)),
    ("-5", Neg(num("5"))),
    ("--a", Neg(Neg(a))),
    ("- -a", Neg(Neg(a))),
    ("a - -b", ar(a, "-", Neg(b))),
    ("a * -b", ar(a, "*", Neg(b))),
    ("-a * b", ar(Neg(a), "*", b)),
    ("-(a + b)", Neg(ar(a, "+", b))),
    # aggregates
    ("count(members)", Aggregate("count", p("members"))),
    ("share(members where x)", Aggregate("share", p("members"), where=p("x"))),
    (
        "share(members where advanced_qm) >= 50%",
        cmp(Aggregate("share", p("members"), where=p("advanced_qm")), ">=", pct("50")),
    ),
    (
        'sum(sales of brands where level in {"provincial", "national"})',
        Aggregate(
            "sum",
            p("brands"),
            value=p("sales"),
            where=InSet(p("level"), (s("provincial"), s("national"))),
        ),
    ),
    (
        'none(incidents within $w years where type = "x")',
        Aggregate(
            "none",
            p("incidents"),
            window=Window(Param("w"), "years"),
            where=cmp(p("type"), "=", s("x")),
        ),
    ),
    (
        "all(r within 2 years where value > b.r[year])",
        Aggregate(
            "all",
            p("r"),
            window=Window(num("2"), "years"),
            where=cmp(p("value"), ">", p("b", "r", p("year"))),
        ),
    ),
    ("any(x within 6 months)", Aggregate("any", p("x"), window=Window(num("6"), "months"))),
    ("count(x within 1 day)", Aggregate("count", p("x"), window=Window(num("1"), "day"))),
    (
        "count(x within $n + 1 years)",
        Aggregate("count", p("x"), window=Window(ar(Param("n"), "+", num("1")), "years")),
    ),
    (
        "count(districts where strong) >= 2",
        cmp(Aggregate("count", p("districts"), where=p("strong")), ">=", num("2")),
    ),
    ("count (members)", Aggregate("count", p("members"))),
    ("count", p("count")),  # a function name is a field name when no bracket follows
    ("not any(x where y)", Not(Aggregate("any", p("x"), where=p("y")))),
    (
        "sum(sales of brands) / total_output >= 30%",
        cmp(
            ar(Aggregate("sum", p("brands"), value=p("sales")), "/", p("total_output")),
            ">=",
            pct("30"),
        ),
    ),
    # whitespace and line breaks do not matter
    ("  a\n  >=\n  1  ", cmp(a, ">=", num("1"))),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_TABLE, ids=[t for t, _ in PARSE_TABLE])
def test_parse(text: str, expected: Node) -> None:
    assert parse_rule(text) == expected


@pytest.mark.parametrize(("text", "expected"), PARSE_TABLE, ids=[t for t, _ in PARSE_TABLE])
def test_unparse_parses_back_to_the_same_tree(text: str, expected: Node) -> None:
    assert parse_rule(unparse(expected)) == expected


def test_equality_ignores_spans() -> None:
    here = Span("x.yaml", 3, 4, 3, 9)
    assert Number(Decimal("1"), here) == Number(Decimal("1"))
    assert Number(Decimal("1.0")) == Number(Decimal("1"))
    assert Number(Decimal("1")) != Percent(Decimal("1"))
    assert Number(Decimal("1")) != Number(Decimal("2"))


# -- spans -----------------------------------------------------------------------------


def test_spans_of_nodes() -> None:
    node = parse_rule("a.b >= 93.5%")
    assert isinstance(node, Compare)
    assert node.span == Span("<rule>", 1, 1, 1, 13)
    assert node.left.span == Span("<rule>", 1, 1, 1, 4)
    assert node.right.span == Span("<rule>", 1, 8, 1, 13)


def test_span_of_arithmetic_chain_covers_all_operands() -> None:
    node = parse_rule("a - bb - c")
    assert isinstance(node, Arith)
    assert node.span == Span("<rule>", 1, 1, 1, 11)
    assert isinstance(node.left, Arith)
    assert node.left.span == Span("<rule>", 1, 1, 1, 7)


def test_spans_on_later_lines() -> None:
    node = parse_rule("a >= 1\n  and bb")
    assert isinstance(node, BoolOp)
    assert node.operands[1].span == Span("<rule>", 2, 7, 2, 9)


def test_locate_maps_offsets_to_the_file() -> None:
    seen: list[tuple[int, int]] = []

    def locate(start: int, end: int) -> Span:
        seen.append((start, end))
        return Span("f.yaml", 10, start + 11, 10, end + 11)

    node = parse_rule("a >= 1", locate)
    assert node.span == Span("f.yaml", 10, 11, 10, 17)
    assert (0, 6) in seen


def test_locate_is_used_for_errors() -> None:
    def locate(start: int, end: int) -> Span:
        return Span("f.yaml", 7, start + 3, 7, end + 3)

    with pytest.raises(CriteriaSyntaxError) as info:
        parse_rule("a >= 1 且 b", locate)
    assert info.value.span == Span("f.yaml", 7, 10, 7, 11)


# -- syntax errors ---------------------------------------------------------------------

# (text, (line, col) of the error, words in the message, words in the hint or None)
SYNTAX_ERRORS: list[tuple[str, tuple[int, int], list[str], str | None]] = [
    ("a >= 1 且 b", (1, 8), ["unexpected", "且"], "'and'"),
    ("a 并且 b", (1, 3), ["unexpected", "并"], "'and'"),
    ("a 或 b", (1, 3), ["unexpected", "或"], "'or'"),
    ("a && b", (1, 3), ["unexpected", "&"], "'and'"),
    ("a & b", (1, 3), ["unexpected", "&"], "'and'"),
    ("a || b", (1, 3), ["unexpected", "|"], "'or'"),
    ("!a", (1, 1), ["unexpected", "!"], "'not'"),
    ("x = “a”", (1, 5), ["unexpected", "“"], "straight quotes"),
    ('k in {"a"，"b"}', (1, 10), ["unexpected", "，"], "half-width comma"),
    ("（a）", (1, 1), ["unexpected", "（"], "half-width brackets"),
    ("a ＞ 1", (1, 3), ["unexpected", "＞"], "half-width >"),
    ("合格率 >= 93.5%", (1, 1), ["unexpected", "合"], "English names"),
    ("a >= 1 and 合格率 >= 2", (1, 12), ["unexpected", "合"], "English names"),
    ("a >= 1\n且 b", (2, 1), ["unexpected", "且"], "'and'"),
    # the plan's bound words, translated (以上 includes the bound; 超过/低于 exclude it)
    ("rate 以上 96%", (1, 6), ["以上", "方案用语"], "`>=`"),
    ("rate 及以上 96%", (1, 6), ["及以上"], "`>=`"),
    ("rate 不低于 96%", (1, 6), ["不低于"], "`>=`"),
    ("rate >= 96%以上", (1, 12), ["以上"], "放在数值前面"),
    ("rate 超过 60%", (1, 6), ["超过"], "`>`"),
    ("rate 高于 $avg", (1, 6), ["高于"], "`>`"),
    ("rate 低于 20%", (1, 6), ["低于"], "`<`"),
    ("rate 不超过 20%", (1, 6), ["不超过"], "`<=`"),
    ("none(incidents within 两年)", (1, 23), ["两年"], "`within 2 years`"),
    ("none(incidents 近两年内)", (1, 16), ["近两年内"], "`within 2 years`"),
    ("none(incidents within 2年)", (1, 24), ["2年"], "`2 years`"),
    ("a >= 1 b", (1, 8), ["unexpected", "'b'"], None),
    ("a)", (1, 2), ["unexpected", "')'"], None),
    ("a = b = c", (1, 7), ["unexpected", "'='"], None),
    ("a not b", (1, 7), ["unexpected", "'b'", "in"], None),
    ("sum(x of)", (1, 9), ["unexpected", "')'"], None),
    ("a >= 0.5.1", (1, 9), ["unexpected", "'.'"], None),
    ("count(x within 2 weeks)", (1, 18), ["weeks", "years"], None),
    ('a = "abc', (1, 5), ["unexpected", '"'], None),
    ("$1a", (1, 2), ["unexpected"], None),
    ("a >= 2014-02-30", (1, 6), ["2014-02-30", "calendar date"], None),
    # the end of the input: the error points just after the last character
    ("a >=", (1, 5), ["ends too early"], None),
    ("a >=   ", (1, 5), ["ends too early"], None),
    ("(a", (1, 3), ["ends too early", ")"], None),
    ("a.", (1, 3), ["ends too early", "field name"], None),
    ("share(members where", (1, 20), ["ends too early"], None),
    ('a in {"x",', (1, 11), ["ends too early"], None),
    ("a >= 1\n  and", (2, 6), ["ends too early"], None),
    ("a >= 1\n  and  \n", (2, 6), ["ends too early"], None),
    ("", (1, 1), ["ends too early"], None),
    ("   ", (1, 1), ["ends too early"], None),
]


@pytest.mark.parametrize(
    ("text", "where", "words", "hint"), SYNTAX_ERRORS, ids=[t for t, *_ in SYNTAX_ERRORS]
)
def test_syntax_error(
    text: str, where: tuple[int, int], words: list[str], hint: str | None
) -> None:
    with pytest.raises(CriteriaSyntaxError) as info:
        parse_rule(text)
    err = info.value
    assert err.code == "E102"
    assert err.span is not None
    assert (err.span.line, err.span.col) == where
    assert err.span.col >= 1 and err.span.end_col >= 1
    if "方案用语" in err.message:   # the caret covers the whole plan word
        shown = err.message.render("zh").split("“")[1].split("”")[0]
        assert err.span.end_col - err.span.col == (1 if shown.endswith("年") and shown[0]
                                                   .isdigit() else len(shown))
    for word in words:
        assert word in err.message
    if hint is None:
        assert err.hint is None
    else:
        assert err.hint is not None and hint in err.hint


@pytest.mark.parametrize(
    "text", ["a >=", "a >= (", "share(members where", "a >= 1\n  and", "", "x in {"]
)
def test_end_of_input_error_points_at_the_end_of_the_text(text: str) -> None:
    with pytest.raises(CriteriaSyntaxError) as info:
        parse_rule(text)
    span = info.value.span
    assert span is not None
    lines = text.rstrip().split("\n")
    assert (span.line, span.col) == (len(lines), len(lines[-1]) + 1)


def test_rule_length_limit() -> None:
    parse_rule("a" * MAX_RULE_CHARS)
    with pytest.raises(CriteriaSyntaxError, match="longer than"):
        parse_rule("a" * (MAX_RULE_CHARS + 1))


def test_rule_nesting_limit() -> None:
    deep = "(" * MAX_RULE_DEPTH + "a" + ")" * MAX_RULE_DEPTH
    assert parse_rule(deep) == p("a")
    too_deep = "(" * (MAX_RULE_DEPTH + 1) + "a" + ")" * (MAX_RULE_DEPTH + 1)
    with pytest.raises(CriteriaSyntaxError, match="deeper than"):
        parse_rule(too_deep)


@pytest.mark.parametrize(
    "text",
    [
        'a = "' + "(" * (MAX_RULE_DEPTH + 1) + '"',
        "a = '" + "[" * (MAX_RULE_DEPTH + 1) + "'",
        "a = 1 # " + "{" * (MAX_RULE_DEPTH + 1),
    ],
    ids=["in-double-quotes", "in-single-quotes", "in-comment"],
)
def test_brackets_inside_strings_and_comments_do_not_count_as_nesting(text: str) -> None:
    parse_rule(text)


# -- syntax errors inside criteria files -----------------------------------------------

HEADER = "kind: district\ntitle: 测试\nsection: 三(一)\nclauses:\n"
CLAUSE = "  - id: d/1\n    title: 标题\n    text: 原文\n"

# (clause YAML, marker, "at" or "after"): the error is at the marker's first character,
# or just after its last character (end-of-input errors).
YAML_ERRORS: list[tuple[str, str, str, str]] = [
    (
        "flow-mapping-chinese-before",
        "  - {id: d/1, title: 质量水平高, text: 中文,"
        " rule: drug_evaluation_pass_rate >= 93.5% 且 x}\n",
        "且 x}",
        "at",
    ),
    (
        "plain-chinese-string-before",
        CLAUSE + '    rule: kind = "开发区" 且 export_demo_zone\n',
        "且 export",
        "at",
    ),
    (
        "double-quoted",
        CLAUSE + "    rule: \"kind = '开发区' 且 export_demo_zone\"\n",
        "且 export",
        "at",
    ),
    (
        "single-quoted-with-escape",
        CLAUSE + "    rule: 'kind = ''开发区'' 且 export_demo_zone'\n",
        "且 export",
        "at",
    ),
    (
        "chinese-field-name",
        CLAUSE + "    rule: 药品合格率 >= 96%\n",
        "药品合格率 >=",
        "at",
    ),
    (
        "folded-second-line",
        CLAUSE + "    rule: >-\n      share(members where advanced_qm\n"
        "      and quality_loss_rate < ) >= 50%\n",
        ") >= 50%",
        "at",
    ),
    (
        "folded-third-line-chinese-before",
        CLAUSE + '    rule: >-\n      kind = "开发区"\n      and kind != "产业"\n'
        '      and 且 x\n',
        "且 x",
        "at",
    ),
    (
        "literal-second-line",
        CLAUSE + "    rule: |\n      a >= 1\n      and b >= 2 cc\n",
        "cc\n",
        "at",
    ),
    ("end-plain", CLAUSE + "    rule: a >=\n", "rule: a >=", "after"),
    ("end-plain-trailing-comment", CLAUSE + "    rule: a >=   # 注释\n", "rule: a >=", "after"),
    ("end-double-quoted", CLAUSE + '    rule: "a >= "\n', 'rule: "a >=', "after"),
    (
        "end-folded",
        CLAUSE + "    rule: >-\n      share(members where advanced_qm) >= 50%\n      and\n",
        "      and",
        "after",
    ),
    (
        "end-literal",
        CLAUSE + "    rule: |\n      a >= 1\n      and b >=\n",
        "and b >=",
        "after",
    ),
    ("end-flow", "  - {id: d/1, title: 标题, text: 原文, rule: a and}\n", "a and", "after"),
]


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


@pytest.mark.parametrize(
    ("clause", "marker", "mode"), [c[1:] for c in YAML_ERRORS], ids=[c[0] for c in YAML_ERRORS]
)
def test_syntax_error_position_in_criteria_file(
    tmp_path: FilePath, clause: str, marker: str, mode: str
) -> None:
    text = HEADER + clause
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    _, diagnostics = read_criteria_file(path)
    errors = [d for d in diagnostics if d.code == "E102"]
    assert len(errors) == 1, diagnostics
    assert len(diagnostics) == 1, diagnostics
    span = errors[0].span
    assert span is not None
    assert span.file == str(path)
    index = text.index(marker)
    if mode == "after":
        index += len(marker)
    assert (span.line, span.col) == _position(text, index)


def test_chinese_hint_in_criteria_file(tmp_path: FilePath) -> None:
    path = tmp_path / "district.yaml"
    path.write_text(HEADER + CLAUSE + "    rule: a >= 1 且 b\n", encoding="utf-8")
    _, diagnostics = read_criteria_file(path)
    assert [d.code for d in diagnostics] == ["E102"]
    assert diagnostics[0].hint is not None and "'and'" in diagnostics[0].hint


# -- canonical texts round-trip ---------------------------------------------------------


def _identity_lines() -> list[str]:
    text = (FIXTURES / "expressions" / "identity.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_identity_fixture_is_not_empty() -> None:
    assert len(_identity_lines()) >= 50


@pytest.mark.parametrize("text", _identity_lines())
def test_identity_round_trip(text: str) -> None:
    node = parse_rule(text)
    assert unparse(node) == text
    assert parse_rule(unparse(node)) == node


def _criteria_rules() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted(CRITERIA.glob("*.yaml")):
        parsed, _ = read_criteria_file(path)
        if parsed is None:  # broken files are test_check's business
            continue
        for clause in parsed.clauses:
            for node in clause.walk():
                for text in (node.rule_text, node.applies_text):
                    if text is not None:
                        out.append((node.id, text))
    return out


@pytest.mark.parametrize(("clause_id", "text"), _criteria_rules())
def test_every_shipped_rule_round_trips(clause_id: str, text: str) -> None:
    node = parse_rule(text)
    again = unparse(node)
    assert parse_rule(again) == node
    assert unparse(parse_rule(again)) == again


@pytest.mark.parametrize("text", [
    "all(enterprises where licensed, empty = pass)",
    "all(standards within 2 years where implemented, empty = unknown)",
])
def test_empty_option_round_trips(text: str) -> None:
    node = parse_rule(text)
    assert isinstance(node, Aggregate) and node.empty == text.rsplit("= ", 1)[1].rstrip(")")
    assert unparse(node) == text


def test_empty_option_needs_an_equals_sign() -> None:
    with pytest.raises(CriteriaSyntaxError, match="write 'empty = pass'"):
        parse_rule("all(enterprises where licensed, empty >= pass)")
