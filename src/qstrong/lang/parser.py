"""Parse rule text into `nodes` with one LALR Lark parser; turn Lark's errors into ours.

Only this module sees ``lark.Tree``. Positions are offsets into the rule text; a
``locate`` callback maps them to the file (a rule usually sits inside a YAML scalar).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import lark
from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from qstrong.core.cache import cache_dir
from qstrong.core.errors import CriteriaSyntaxError
from qstrong.core.messages import Text, msg, words
from qstrong.core.source import Source, Span
from qstrong.core.vocab import is_cjk
from qstrong.lang import nodes as n

__all__ = ["MAX_RULE_CHARS", "MAX_RULE_DEPTH", "parse_rule"]

MAX_RULE_CHARS = 4000
MAX_RULE_DEPTH = 40
MAX_RULE_OPERATORS = 200
"""Most operators (+ - * / and or not, comparisons) one rule may hold: a plan sentence needs
a handful; hundreds chained would only exhaust the parser's recursion."""
MAX_NUMBER_DIGITS = 40

Locate = Callable[[int, int], Span]

_TERMINAL_WORDS: dict[str, str | Text] = {
    "COMP_OP": words("rule.word_comparison"),
    "ADD_OP": "+ -",
    "MUL_OP": "* /",
    "NAME": words("rule.word_name"),
    "NUMBER": words("rule.word_number"),
    "PERCENT": words("rule.word_percent"),
    "POINTS": words("rule.word_points"),
    "DATE": words("rule.word_date"),
    "STRING": words("rule.word_string"),
    "AGG_FUNC": "share/count/sum/any/all/none(...)",
    "TIME_UNIT": "years/months/days",
    "_OR": "or",
    "_AND": "and",
    "_NOT": "not",
    "_IN": "in",
    "_OF": "of",
    "_WHERE": "where",
    "_WITHIN": "within",
    "_TRUE": "true",
    "_FALSE": "false",
    "_PRESENT": "present(...)",
    "LPAR": "(",
    "RPAR": ")",
    "LSQB": "[",
    "RSQB": "]",
    "LBRACE": "{",
    "RBRACE": "}",
    "COMMA": ",",
    "DOT": ".",
    "DOLLAR": "$",
    "MINUS": "-",
    "$END": words("rule.word_end"),
}


def grammar_cache_path(grammar: str) -> Path | None:
    """Where the analysed grammar is cached for this user (`core.cache.cache_dir`), or None
    for no cache. The file name carries the hash of the grammar, Lark's version and
    Python's, so an upgrade never reads a stale table (Lark checks the hash inside too, and
    rebuilds from a damaged file).
    """
    base = cache_dir()
    if base is None:
        return None
    key = hashlib.sha256("\0".join([grammar, lark.__version__, sys.version]).encode())
    return base / f"rules-{key.hexdigest()[:32]}.lark-cache"


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = (Path(__file__).parent / "grammar" / "rules.lark").read_text("utf-8")
    options: dict[str, Any] = {"parser": "lalr", "propagate_positions": True,
                               "maybe_placeholders": True}
    path = grammar_cache_path(grammar)
    if path is None:
        return Lark(grammar, **options)
    # Lark hashes its options, the cache path among them, into the file: it must be written
    # under its own name. A file another process is still writing fails Lark's checks and
    # is rebuilt, as a damaged one is.
    return Lark(grammar, cache=str(path), **options)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.]", "", text))


class _ToNodes(Transformer[Token, n.Node]):
    """Build our dataclasses from the parse tree, with file spans."""

    def __init__(self, locate: Locate) -> None:
        super().__init__(visit_tokens=False)
        self._locate = locate

    def _span(self, meta: Any) -> Span:
        if getattr(meta, "empty", True):
            return self._locate(0, 0)
        return self._locate(meta.start_pos, meta.end_pos)

    def _tok_span(self, tok: Token) -> Span:
        return self._locate(tok.start_pos or 0, tok.end_pos or 0)

    @v_args(meta=True)
    def number(self, meta: Any, children: list[Token]) -> n.Node:
        return n.Number(_number(children[0]), self._span(meta))

    @v_args(meta=True)
    def percent(self, meta: Any, children: list[Token]) -> n.Node:
        return n.Percent(_number(children[0]), self._span(meta))

    @v_args(meta=True)
    def points(self, meta: Any, children: list[Token]) -> n.Node:
        text = str(children[0])
        digits = re.match(r"\d+(\.\d+)?", text)
        assert digits is not None
        return n.Points(Decimal(digits.group(0)), self._span(meta))

    @v_args(meta=True)
    def date(self, meta: Any, children: list[Token]) -> n.Node:
        text = str(children[0])
        try:
            value = _dt.date.fromisoformat(text)
        except ValueError:
            raise CriteriaSyntaxError(msg("yaml.not_a_date", text=text),
                                      span=self._span(meta)) from None
        return n.DateLit(value, self._span(meta))

    @v_args(meta=True)
    def string(self, meta: Any, children: list[Token]) -> n.Node:
        return n.String(_unquote(str(children[0])), self._span(meta))

    @v_args(meta=True)
    def true(self, meta: Any, children: list[Any]) -> n.Node:
        return n.BoolLit(True, self._span(meta))

    @v_args(meta=True)
    def false(self, meta: Any, children: list[Any]) -> n.Node:
        return n.BoolLit(False, self._span(meta))

    @v_args(meta=True)
    def param(self, meta: Any, children: list[Token]) -> n.Node:
        return n.Param(str(children[0]), self._span(meta))

    @v_args(meta=True)
    def path(self, meta: Any, children: list[Any]) -> n.Node:
        parts: list[str | n.Node] = [
            str(c) if isinstance(c, Token) else c for c in children
        ]
        return n.Path(tuple(parts), self._span(meta))

    @v_args(meta=True)
    def present(self, meta: Any, children: list[Any]) -> n.Node:
        return n.Present(children[0], self._span(meta))

    @v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> n.Node:
        left, op, right = children
        op = {"≥": ">=", "≤": "<=", "≠": "!=", "==": "="}.get(str(op), str(op))
        return n.Compare(left, op, right, self._span(meta))

    @v_args(meta=True)
    def in_set(self, meta: Any, children: list[Any]) -> n.Node:
        return n.InSet(children[0], tuple(children[1]), False, self._span(meta))

    @v_args(meta=True)
    def not_in_set(self, meta: Any, children: list[Any]) -> n.Node:
        return n.InSet(children[0], tuple(children[1]), True, self._span(meta))

    def set_lit(self, children: list[Any]) -> list[n.Node]:
        return [c for c in children if c is not None]

    @v_args(meta=True)
    def or_expr(self, meta: Any, children: list[Any]) -> n.Node:
        return n.BoolOp("or", tuple(children), self._span(meta))

    @v_args(meta=True)
    def and_expr(self, meta: Any, children: list[Any]) -> n.Node:
        return n.BoolOp("and", tuple(children), self._span(meta))

    @v_args(meta=True)
    def not_op(self, meta: Any, children: list[Any]) -> n.Node:
        return n.Not(children[0], self._span(meta))

    def _chain(self, children: list[Any]) -> n.Node:
        node: n.Node = children[0]
        for i in range(1, len(children), 2):
            op, right = children[i], children[i + 1]
            start = node.span
            span = Span(start.file, start.line, start.col, right.span.end_line, right.span.end_col)
            node = n.Arith(node, str(op), right, span)
        return node

    def sum(self, children: list[Any]) -> n.Node:
        return self._chain(children)

    def product(self, children: list[Any]) -> n.Node:
        return self._chain(children)

    @v_args(meta=True)
    def neg(self, meta: Any, children: list[Any]) -> n.Node:
        return n.Neg(children[0], self._span(meta))

    @v_args(meta=True)
    def window(self, meta: Any, children: list[Any]) -> n.Window:
        return n.Window(children[0], str(children[1]), self._span(meta))

    @v_args(meta=True)
    def aggregate(self, meta: Any, children: list[Any]) -> n.Node:
        func, first, second, window, where, empty = children
        if second is None:
            collection, value = first, None
        else:
            collection, value = second, first
        return n.Aggregate(str(func), collection, value, window, where, self._span(meta),
                           empty)

    @v_args(meta=True)
    def empty(self, meta: Any, children: list[Any]) -> str:
        op, status = children
        if str(op) not in ("=", "=="):
            raise CriteriaSyntaxError(msg("rule.empty_op", status=status, op=op),
                                      span=self._span(meta))
        return str(status)


_VALUE_STARTS = {"NAME", "NUMBER", "PERCENT", "POINTS", "DATE", "STRING", "DOLLAR", "LPAR",
                 "MINUS", "AGG_FUNC", "_TRUE", "_FALSE", "_PRESENT", "_NOT"}


def _expected_words(expected: Iterable[str]) -> list[str | Text]:
    names = set(expected)
    value = {"NAME", "NUMBER", "PERCENT"} <= names
    if value:
        names -= _VALUE_STARTS
    shown = sorted({_TERMINAL_WORDS.get(name, name) for name in names}, key=str)
    if len(shown) > 8:
        shown = [*shown[:8], "..."]
    return [words("rule.word_value"), *shown] if value else shown


def _token_text(token: Token) -> str | Text:
    if token.type == "$END":
        return words("rule.word_end")
    return f"'{token}'"


_OPERATOR_RE = re.compile(r"[-+*/]|[<>=≥≤≠]+|\b(?:and|or|not)\b")
_LONG_NUMBER_RE = re.compile(f"[0-9]{{{MAX_NUMBER_DIGITS + 1},}}")


def _depth(text: str) -> int:
    """Deepest bracket nesting, ignoring brackets inside strings and comments."""
    depth = best = 0
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif ch in "([{":
            depth += 1
            best = max(best, depth)
        elif ch in ")]}":
            depth -= 1
        i += 1
    return best


def parse_rule(text: str, locate: Locate | None = None) -> n.Node:
    """Parse one rule expression.

    Args:
        text: the rule.
        locate: maps (start, end) offsets in ``text`` to a file span; by default the
            rule text itself, named ``<rule>``.

    Raises:
        CriteriaSyntaxError: the rule does not follow the grammar or exceeds the size limits.

    Examples:
        >>> parse_rule("a >= 93.5%")
        Compare(left=Path(parts=('a',)), op='>=', right=Percent(value=Decimal('93.5')))
    """
    if locate is None:
        source = Source(text, "<rule>")

        def locate(start: int, end: int) -> Span:
            return source.span(start, end)

    if len(text) > MAX_RULE_CHARS:
        raise CriteriaSyntaxError(msg("rule.too_long", most=MAX_RULE_CHARS), span=locate(0, 1))
    if _depth(text) > MAX_RULE_DEPTH:
        raise CriteriaSyntaxError(msg("rule.too_deep", most=MAX_RULE_DEPTH), span=locate(0, 1))
    operators = len(_OPERATOR_RE.findall(text))
    if operators > MAX_RULE_OPERATORS:
        raise CriteriaSyntaxError(msg("rule.too_many_operators", count=operators,
                                      most=MAX_RULE_OPERATORS), span=locate(0, 1))
    long_number = _LONG_NUMBER_RE.search(text)
    if long_number is not None:
        raise CriteriaSyntaxError(
            msg("rule.long_number", most=MAX_NUMBER_DIGITS),
            span=locate(long_number.start(), long_number.end()))
    try:
        tree: Tree[Token] = _lark().parse(text)
        return _ToNodes(locate).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, CriteriaSyntaxError):
            raise exc.orig_exc from None
        raise
    except UnexpectedEOF as exc:
        end = len(text.rstrip())
        raise CriteriaSyntaxError(
            msg("rule.ends_early", expected=_expected_words(exc.expected)),
            span=locate(end, end + 1),
        ) from None
    except UnexpectedToken as exc:
        start = exc.token.start_pos if exc.token.start_pos is not None else len(text)
        end = exc.token.end_pos if exc.token.end_pos is not None else start + 1
        if exc.token.type == "$END":
            start = end = len(text.rstrip())
            raise CriteriaSyntaxError(
                msg("rule.ends_early", expected=_expected_words(exc.accepts or exc.expected)),
                span=locate(start, start + 1),
            ) from None
        hint = _hint_for(text, start)
        raise CriteriaSyntaxError(
            msg("rule.unexpected", token=_token_text(exc.token),
                expected=_expected_words(exc.accepts or exc.expected)),
            span=locate(start, max(end, start + 1)),
            hint=hint,
        ) from None
    except UnexpectedCharacters as exc:
        pos = exc.pos_in_stream or 0
        ch = text[pos] if pos < len(text) else ""
        word = _bound_word_at(text, pos)
        if word is not None:
            shown, length, hint = word
            raise CriteriaSyntaxError(
                msg("rule.plan_word", word=shown),
                span=locate(pos, pos + length), hint=hint,
            ) from None
        raise CriteriaSyntaxError(
            msg("rule.unexpected_char", ch=ch), span=locate(pos, pos + 1),
            hint=_hint_for(text, pos),
        ) from None
    except UnexpectedInput as exc:  # pragma: no cover - the three above cover LALR
        raise CriteriaSyntaxError(msg("rule.unreadable", why=str(exc)),
                                  span=locate(0, 1)) from None


_SLIPS: dict[str, Text] = {
    "且": msg("rule.slip_word", word="and", slip="且"),
    "并且": msg("rule.slip_word", word="and", slip="并且"),
    "或": msg("rule.slip_word", word="or", slip="或"),
    "&&": msg("rule.slip_word", word="and", slip="&&"),
    "||": msg("rule.slip_word", word="or", slip="||"),
    "&": msg("rule.slip_word", word="and", slip="&"),
    "|": msg("rule.slip_word", word="or", slip="|"),
    "!": msg("rule.slip_word", word="not", slip="!"),
    "“": words("rule.slip_quotes"),
    "”": words("rule.slip_quotes"),
    "（": words("rule.slip_brackets"),
    "）": words("rule.slip_brackets"),
    "，": words("rule.slip_comma"),
    "＞": msg("rule.slip_half_width", sign=">"),
    "＜": msg("rule.slip_half_width", sign="<"),
    "＝": msg("rule.slip_half_width", sign="="),
}


# The plan's bound words and their operators (data dictionary: 以上 includes the bound;
# 超过/高于/低于 exclude it). Longest words first, so 不低于 is not read as 低于.
_BOUND_WORDS = (
    ("及以上", ">="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("达到", ">="),
    ("以上", ">="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="), ("以下", "<="),
    ("超过", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"),
    ("低于", "<"), ("小于", "<"), ("少于", "<"), ("等于", "="),
)
_YEAR_WORDS = re.compile(r"近?(两|二|三|[0-9]+)年(内|以来)?")
_YEAR_COUNTS = {"两": "2", "二": "2", "三": "3"}


def _bound_word_at(text: str, pos: int) -> tuple[str, int, Text] | None:
    """A plan bound word (以上, 超过, 两年…) at ``pos``: as shown, its length in the rule,
    and the hint that translates it."""
    for word, op in _BOUND_WORDS:
        if text.startswith(word, pos):
            before = text[:pos].rstrip()
            after_number = bool(before) and (before[-1].isdigit() or before[-1] == "%")
            key = "rule.bound_word_before" if after_number else "rule.bound_word"
            return word, len(word), msg(key, word=word, op=op)
    digits = re.search(r"[0-9]+$", text[:pos])
    if digits and text.startswith("年", pos):   # "within 2年": the lexer stops at 年
        years = digits.group(0)
        return years + "年", 1, msg("rule.years_word", years=years)
    match = _YEAR_WORDS.match(text, pos)
    if match:
        count = _YEAR_COUNTS.get(match.group(1), match.group(1))
        said = match.group(0)
        return said, len(said), msg("rule.within_word", said=said, count=count)
    return None


def _hint_for(text: str, pos: int) -> Text | None:
    for slip, hint in _SLIPS.items():
        if text.startswith(slip, pos):
            return hint
    if pos < len(text) and text[pos].isdigit() and not text[pos].isascii():
        return msg("rule.slip_digits", ch=text[pos])
    if pos < len(text) and is_cjk(text[pos]):
        return words("rule.chinese_name")
    return None
