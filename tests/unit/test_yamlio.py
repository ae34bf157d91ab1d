"""Safe YAML: exact Decimals, duplicate keys, non-finite numbers, limits, dates, positions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qstrong.core.source import Span
from qstrong.io.yamldoc import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    PosDict,
    PosList,
    YamlError,
    load_yaml_file,
    load_yaml_text,
)

# These tests check the English wording of messages (the catalogue's Chinese is checked
# in tests/unit/test_messages.py).
pytestmark = pytest.mark.usefixtures("english")

# -- exact numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.7", Decimal("12.7")),
        ("0.1", Decimal("0.1")),
        ("93.50", Decimal("93.50")),
        ("-2.5", Decimal("-2.5")),
        ("+1.5", Decimal("1.5")),
        (".5", Decimal("0.5")),
        ("1.", Decimal("1")),
        ("1e3", Decimal("1000")),
        ("1E+3", Decimal("1000")),
        ("1e-2", Decimal("0.01")),
    ],
)
def test_fractions_are_exact_decimals(text: str, expected: Decimal) -> None:
    value = load_yaml_text(f"x: {text}")["x"]
    assert type(value) is Decimal
    assert value == expected


def test_decimal_keeps_its_digits() -> None:
    value = load_yaml_text("x: 12.70")["x"]
    assert str(value) == "12.70"
    assert load_yaml_text("x: 12.7")["x"] == Decimal("12.7")  # not 12.699999999999999


def test_decimal_sum_is_exact() -> None:
    data = load_yaml_text("a: 0.1\nb: 0.2")
    assert data["a"] + data["b"] == Decimal("0.3")


@pytest.mark.parametrize(("text", "expected"), [("7", 7), ("-3", -3), ("0", 0)])
def test_integers_stay_integers(text: str, expected: int) -> None:
    value = load_yaml_text(f"x: {text}")["x"]
    assert type(value) is int
    assert value == expected


@pytest.mark.parametrize("text", ['"12.7"', "'12.7'"])
def test_quoted_numbers_stay_text(text: str) -> None:
    assert load_yaml_text(f"x: {text}")["x"] == "12.7"


# -- non-finite numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [".nan", ".NaN", ".NAN", ".inf", ".Inf", "+.inf", "-.inf", "-.INF"]
)
def test_non_finite_numbers_rejected(text: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text(f"x: {text}")
    err = info.value
    assert err.code == "E001"
    assert "finite" in err.message
    assert err.span is not None
    assert (err.span.line, err.span.col) == (1, 4)


def test_non_finite_number_inside_a_list_has_its_position() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text("a: 1\nx: [1, 2, .nan]\n")
    assert info.value.span is not None
    assert (info.value.span.line, info.value.span.col) == (2, 11)


# -- duplicate keys --------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    err = info.value
    assert err.code == "E002"
    assert "'a'" in err.message
    assert "line 1" in err.message
    assert err.span == Span("f.yaml", 3, 1, 3, 2)


def test_nested_duplicate_key() -> None:
    text = "outer:\n  inner:\n    k: 1\n    j: 2\n    k: 3\n"
    with pytest.raises(YamlError) as info:
        load_yaml_text(text)
    assert info.value.code == "E002"
    assert info.value.span is not None
    assert (info.value.span.line, info.value.span.col) == (5, 5)
    assert "line 3" in info.value.message


def test_duplicate_key_in_flow_mapping() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text("x: {a: 1, a: 2}")
    assert info.value.code == "E002"
    assert info.value.span is not None
    assert (info.value.span.line, info.value.span.col) == (1, 11)


def test_same_key_in_sibling_mappings_is_fine() -> None:
    data = load_yaml_text("- {a: 1}\n- {a: 2}\n")
    assert [item["a"] for item in data] == [1, 2]


# -- syntax and safety -----------------------------------------------------------------


def test_syntax_error_has_position() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text("a: [1\nb: 2", "f.yaml")
    err = info.value
    assert err.code == "E001"
    assert "syntax" in str(err.message).lower()
    assert err.span is not None and err.span.file == "f.yaml"
    assert err.span.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['true']",
        "x: !!python/name:os.system",
    ],
)
def test_unsafe_tags_rejected(text: str) -> None:
    with pytest.raises(YamlError):
        load_yaml_text(text)


def test_unhashable_key_rejected() -> None:
    with pytest.raises(YamlError, match="plain value"):
        load_yaml_text("? [1]\n: 2\n")


# -- limits ----------------------------------------------------------------------------


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_at_the_limit_is_read() -> None:
    value: Any = load_yaml_text(_nested(MAX_NESTING))
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == MAX_NESTING


def test_nesting_beyond_the_limit_is_refused() -> None:
    with pytest.raises(YamlError, match="nesting"):
        load_yaml_text(_nested(MAX_NESTING + 1))


def test_deeply_nested_mappings_refused() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_NESTING + 5)) + "  " * (
        MAX_NESTING + 5
    ) + "1\n"
    with pytest.raises(YamlError, match="nesting"):
        load_yaml_text(text)


def test_size_limit_on_text() -> None:
    big = "x: '" + "a" * MAX_FILE_BYTES + "'\n"
    with pytest.raises(YamlError, match="larger"):
        load_yaml_text(big)


def test_size_limit_counts_bytes_not_characters() -> None:
    # Three UTF-8 bytes per character: under the limit in characters, over it in bytes.
    big = "x: '" + "质" * (MAX_FILE_BYTES // 3 + 10) + "'\n"
    assert len(big) < MAX_FILE_BYTES
    with pytest.raises(YamlError, match="larger"):
        load_yaml_text(big)


def test_size_limit_on_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("x: '" + "a" * MAX_FILE_BYTES + "'\n", encoding="utf-8")
    with pytest.raises(YamlError, match="larger"):
        load_yaml_file(path)


def test_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    body = "a" * (MAX_FILE_BYTES - 16)
    path.write_text(f"x: '{body}'\n", encoding="utf-8")
    assert load_yaml_file(path)["x"] == body


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(YamlError, match="cannot read"):
        load_yaml_file(tmp_path / "nope.yaml")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("x: 质量\n".encode("gbk"))
    with pytest.raises(YamlError, match="UTF-8"):
        load_yaml_file(path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("x: 质量\n".encode("utf-8-sig"))
    assert load_yaml_file(path) == {"x": "质量"}


# -- dates -----------------------------------------------------------------------------


def test_dates_kept_as_dates_by_default() -> None:
    assert load_yaml_text("d: 2014-06-30")["d"] == dt.date(2014, 6, 30)


def test_dates_kept_as_text_when_asked() -> None:
    data = load_yaml_text("d: 2014-06-30\nr: x >= 2014-06-30", keep_dates=False)
    assert data["d"] == "2014-06-30"
    assert type(data["d"]) is str
    assert data["r"] == "x >= 2014-06-30"


@pytest.mark.parametrize("keep_dates", [True, False])
def test_date_times_are_text(keep_dates: bool) -> None:
    value = load_yaml_text("d: 2014-06-30 10:00:00", keep_dates=keep_dates)["d"]
    assert value == "2014-06-30 10:00:00"


# -- positions -------------------------------------------------------------------------


def test_mapping_positions() -> None:
    data = load_yaml_text("a: 1\nbb:\n  - x\n  - 质量\n", "f.yaml")
    assert isinstance(data, PosDict)
    assert data.key_spans["bb"] == Span("f.yaml", 2, 1, 2, 3)
    assert data.value_spans["a"] == Span("f.yaml", 1, 4, 1, 5)
    items = data["bb"]
    assert isinstance(items, PosList)
    assert items.item_spans[1] == Span("f.yaml", 4, 5, 4, 7)
    assert items.item_info[1] is not None
    assert "bb" not in data.value_info  # a list is not a scalar


def _locate(text: str, marker: str, scalar_value: str, token: str, key: str) -> None:
    """Check span_of(token in the value) == where token (found via marker) is in the file."""
    data = load_yaml_text(text, "f.yaml")
    value = data[key]
    assert value == scalar_value
    info = data.value_info[key]
    start = value.index(token)
    span = info.span_of(start, start + len(token))
    index = text.index(marker)
    before = text[:index]
    line = before.count("\n") + 1
    col = index - (before.rfind("\n") + 1) + 1
    assert (span.line, span.col) == (line, col)
    assert (span.end_line, span.end_col) == (line, col + len(token))


SCALARS = [
    ("plain", "r: a >= 1 且 b\n", "且 b", "a >= 1 且 b", "且"),
    ("plain-after-chinese", "r: 中文 >= 1 zz\n", "zz", "中文 >= 1 zz", "zz"),
    ("plain-multiline", "r: a >= 1\n  and zz\n", "zz", "a >= 1 and zz", "zz"),
    ("double-quoted", 'r: "质量 \\"x\\" 且 zz"\n', "zz", '质量 "x" 且 zz', "zz"),
    ("double-quoted-quote", 'r: "质量 \\"xq\\" 且"\n', "xq", '质量 "xq" 且', "xq"),
    ("single-quoted", "r: '质量 ''x'' 且 zz'\n", "zz", "质量 'x' 且 zz", "zz"),
    (
        "folded",
        "r: >-\n  share(members where 质量\n  and zz < 1) >= 50%\n",
        "zz",
        "share(members where 质量 and zz < 1) >= 50%",
        "zz",
    ),
    (
        "folded-first-line",
        "r: >-\n  share(members where 质量\n  and zz < 1) >= 50%\n",
        "members",
        "share(members where 质量 and zz < 1) >= 50%",
        "members",
    ),
    (
        "folded-third-line",
        "r: >-\n  a >= 1\n  and 质量\n  and yy\n",
        "yy",
        "a >= 1 and 质量 and yy",
        "yy",
    ),
    ("folded-keep", "r: >\n  a >=\n  yy\n", "yy", "a >= yy\n", "yy"),
    ("literal", "r: |\n  a >= 1\n  and 质量 yy\n", "yy", "a >= 1\nand 质量 yy\n", "yy"),
    ("literal-strip", "r: |-\n  a >= 1\n  and yy\n", "yy", "a >= 1\nand yy", "yy"),
    ("literal-and", "r: |\n  a >= 1\n  and 质量 yy\n", "and", "a >= 1\nand 质量 yy\n", "and"),
]


@pytest.mark.parametrize(
    ("text", "marker", "value", "token"),
    [c[1:] for c in SCALARS],
    ids=[c[0] for c in SCALARS],
)
def test_span_of(text: str, marker: str, value: str, token: str) -> None:
    _locate(text, marker, value, token, "r")


def test_span_of_in_a_flow_mapping() -> None:
    text = "m: {k: 中文, r: 质 vv}\n"
    data = load_yaml_text(text, "f.yaml")
    inner = data["m"]
    info = inner.value_info["r"]
    span = info.span_of(2, 4)
    assert (span.line, span.col, span.end_col) == (1, text.index("vv") + 1, text.index("vv") + 3)


def test_span_of_past_the_end_points_just_after_the_value() -> None:
    text = "r: a >=\nn: 1\n"
    data = load_yaml_text(text, "f.yaml")
    info = data.value_info["r"]
    span = info.span_of(4, 5)
    assert (span.line, span.col) == (1, 8)


def test_whole_scalar_span() -> None:
    data = load_yaml_text("x: 1\nr: 'a >= 1'\n", "f.yaml")
    assert data.value_info["r"].span() == Span("f.yaml", 2, 4, 2, 12)


# -- YAML 1.2 core: what YAML 1.1 would misread is refused with its position ------------


def test_a_document_without_aliases_is_not_limited_by_its_number_of_values(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit on values is on alias expansion (scenario files); a dataset's values are
    bounded by its size (a province's YAML dataset has millions)."""
    from qstrong.io import yamldoc

    monkeypatch.setattr(yamldoc, "MAX_YAML_NODES", 50)
    text = "a:\n" + "".join(f"  - {{k: {i}}}\n" for i in range(100))
    assert len(load_yaml_text(text)["a"]) == 100
    with pytest.raises(YamlError, match="expands to more than 50"):
        load_yaml_text(text, aliases=True)


def test_a_star_in_a_value_is_no_alias() -> None:
    assert load_yaml_text("a: '2 * 3'\nb: [x*, '*y']\n") == {"a": "2 * 3", "b": ["x*", "*y"]}


@st.composite
def _shared_trees(draw: st.DrawFn) -> Any:
    """Nested lists and mappings, some parts used twice (written as anchor and alias)."""
    parts: list[Any] = [1, "x"]
    for _ in range(draw(st.integers(1, 12))):
        children = draw(st.lists(st.sampled_from(range(len(parts))), max_size=4))
        if draw(st.booleans()):
            parts.append([parts[c] for c in children])
        else:
            parts.append({f"k{n}": parts[c] for n, c in enumerate(children)})
    return parts[-1]


@settings(max_examples=200, deadline=None)
@given(_shared_trees(), st.booleans(), st.integers(2, 6), st.integers(5, 60))
def test_the_level_walk_refuses_what_the_node_walk_refuses(
        tree: Any, aliases: bool, nesting: int, most: int) -> None:
    """`_check_depth`'s walk a level at a time finds a problem exactly when the walk node by
    node (`_refuse`, which names the node) does, at any limits."""
    import yaml as pyyaml

    from qstrong.core.source import Source
    from qstrong.io import yamldoc

    text = pyyaml.safe_dump({"root": tree})
    root = yamldoc._LOADER(text).get_single_node()
    source = Source(text, "<t>")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamldoc, "MAX_NESTING", nesting)
        patch.setattr(yamldoc, "MAX_YAML_NODES", most)
        try:
            yamldoc._refuse(root, source, aliases)
        except YamlError as exc:
            expected: str | None = str(exc)
        except AssertionError:
            expected = None
        try:
            yamldoc._check_depth(root, source, aliases)
        except YamlError as exc:
            assert str(exc) == expected
        else:
            assert expected is None


@pytest.mark.parametrize(("text", "hint"), [
    ("x: 0123", "octal"),
    ("x: 0x1F", "decimal"),
    ("x: 0o17", "decimal"),
    ("x: 10:30", "base 60"),
    ("x: yes", "true or false"),
    ("x: On", "true or false"),
    ("x: NO", "true or false"),
    ("x: 1_000.5", "underscores"),
])
def test_values_yaml_versions_read_differently_are_refused(text: str, hint: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text(text, "f.yaml")
    assert info.value.span is not None and info.value.span.col == 4
    assert hint in (info.value.hint or "")


@pytest.mark.parametrize(("text", "expected"), [
    ("x: '0123'", "0123"), ('x: "yes"', "yes"), ("x: y", "y"), ("x: n", "n"),
    ("x: 10", 10), ("x: -3", -3), ("x: true", True), ("x: False", False), ("x: ~", None),
])
def test_yaml_12_core_values(text: str, expected: object) -> None:
    assert load_yaml_text(text)["x"] == expected


@pytest.mark.parametrize("text", [
    "d: 2014-02-30", "d: 0000-00-00", "d: !!timestamp 'x'", "d: !!int ''", "d: !!int 'abc'",
    "d: !!bool abc", "d: !!bool ''", "d: " + "9" * 5000, "d: 1e" + "9" * 100,
])
def test_unreadable_values_are_errors_with_a_position(text: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml_text(text, "f.yaml")
    assert info.value.span is not None and info.value.span.line == 1


def test_text_is_read_as_written_whatever_its_tag_or_quotes() -> None:
    doc = load_yaml_text("a: x\nb: '0123'\nc: !!str 12\nd: \"两\\n行\"\ne: |\n  一\n  二\n"
                         "f: [y, 'z', !!str true]\n")
    assert doc == {"a": "x", "b": "0123", "c": "12", "d": "两\n行", "e": "一\n二\n",
                   "f": ["y", "z", "true"]}
    assert doc.value_info["c"] is not None and doc["f"].item_info[2] is not None
    with pytest.raises(YamlError):  # a mapping cannot be text
        load_yaml_text("a: !!str {k: 1}\n")


def test_aliases_are_refused_unless_allowed() -> None:
    text = "a: &x {k: 1}\nb: *x\n"
    with pytest.raises(YamlError, match="aliases"):
        load_yaml_text(text)
    assert load_yaml_text(text, aliases=True)["b"] == {"k": 1}


def test_alias_expansion_is_bounded() -> None:
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 7):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(YamlError, match="expands to more than"):
        load_yaml_text("\n".join(lines), aliases=True)


@pytest.mark.parametrize(("text", "hint"), [
    ("a:\n  b: 1\n   c: 2\n", "同一列"),
    ("a: 1\nb\nc: 2\n", "冒号和空格"),
    ("a:\n\t- 1\n", "Tab"),
])
def test_common_syntax_errors_get_a_hint(text: str, hint: str) -> None:
    from qstrong.io.yamldoc import YamlError, load_yaml_text

    with pytest.raises(YamlError) as caught:
        load_yaml_text(text, "x.yaml")
    assert caught.value.diagnostics[0].hint is not None
    assert hint in caught.value.diagnostics[0].hint


def test_a_missing_colon_after_a_field_name_is_named() -> None:
    import qstrong

    with pytest.raises(qstrong.DataErrors) as caught:
        qstrong.load_dataset({"assessment": "date 2014-11-01",
                              "county": {"code": "330681", "name": "县"}})
    (problem,) = caught.value.diagnostics
    assert problem.hint is not None and "date: 2014-11-01" in problem.hint


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789+-._:eExXoObB tTfFnNyY~<<质")),
               max_size=12),
       st.booleans(), st.booleans())
def test_the_fast_loader_resolves_tags_as_pyyaml_resolves_them(
        value: str, plain: bool, quoted: bool) -> None:
    """The C-parser loader's own `resolve` (no candidate list built per value) gives the tag
    PyYAML's `Resolver.resolve` gives with the same resolvers, for every kind of node."""
    import yaml as pyyaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from qstrong.io import yamldoc

    loader = yamldoc._LOADER("a: 1")
    for kind in (ScalarNode, SequenceNode, MappingNode):
        expected = pyyaml.resolver.Resolver.resolve(loader, kind, value, (plain, quoted))
        assert loader.resolve(kind, value, (plain, quoted)) == expected
    loader.dispose()


def test_merge_keys_are_flattened_however_written() -> None:
    """Mappings are flattened only when the text could hold a merge key (``<<`` or a tag),
    and then as PyYAML flattens them."""
    assert load_yaml_text("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n", aliases=True)["b"] == \
        {"k": 1, "j": 2}
    assert load_yaml_text("b: {!!merge x: {k: 1}, j: 2}\n")["b"] == {"k": 1, "j": 2}
    assert load_yaml_text("b: {x: {k: 1}, j: 2}\n")["b"] == {"x": {"k": 1}, "j": 2}
