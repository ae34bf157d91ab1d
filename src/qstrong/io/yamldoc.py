"""Safe YAML loading with exact numbers, duplicate-key errors, size limits and source positions.

Both criteria files and datasets are read here. Numbers with a fraction become
``Decimal`` from their text (never a binary float); mappings remember where each
key and value stood so that errors can name ``file:line:col`` and expressions
inside a scalar can be mapped back to the file.
"""

from __future__ import annotations

import datetime as _dt
import re
import stat
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qstrong.core import codes
from qstrong.core.errors import QStrongError
from qstrong.core.limits import DEFAULT_MAX_DATASET_BYTES, MAX_NESTING
from qstrong.core.messages import Text, msg, words
from qstrong.core.positions import PosDict, PosList, ScalarInfo, SpanList, SpanMap
from qstrong.core.source import Source

__all__ = [
    "MAX_DATASET_BYTES",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "YamlError",
    "load_yaml_file",
    "load_yaml_text",
]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest criteria or scenario file."""
MAX_DATASET_BYTES = DEFAULT_MAX_DATASET_BYTES
"""Largest dataset file by default: a province lists 100 000 enterprises (about 1 KiB each);
`qstrong.io.load.load_dataset` takes ``max_bytes``, the command line ``--max-size``."""


class YamlError(QStrongError):
    """A YAML document could not be read (syntax, duplicate key, too large, too deep)."""

    code = codes.DOCUMENT_SYNTAX


_FLOAT_RE = re.compile(
    r"""^[-+]?(?:[0-9]+)\.[0-9]*(?:[eE][-+]?[0-9]+)?$
    |^[-+]?(?:[0-9]+)(?:[eE][-+]?[0-9]+)$
    |^[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?$""",
    re.X,
)
"""YAML 1.2 core floats (no ``1_000.5``): read as exact `Decimal`."""

_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
"""YAML 1.2 core decimal integers; a leading zero is refused below, not read as octal."""

_SUSPECT = "tag:qstrong,2024:yaml11"
"""Plain scalars that YAML 1.1 (PyYAML's default) reads as something else than they look:
``yes``/``no``/``on``/``off`` as booleans, ``0123`` as octal 83, ``0x1F`` as 31, ``10:30`` as
630, ``1_000`` as 1000. YAML 1.2 reads them as text; qstrong refuses them either way."""

_SUSPECT_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"), "yaml.suspect_bool"),
    (re.compile(r"^[-+]?0[0-9_]+$"), "yaml.suspect_octal"),
    (re.compile(r"^[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)$"), "yaml.suspect_base"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"), "yaml.suspect_sixty"),
    (re.compile(r"^[-+]?[0-9.][0-9_.]*_[0-9_.]*$"), "yaml.suspect_underscore"),
)
MAX_NUMBER_CHARS = 60
"""Longest number qstrong reads from YAML (digits, sign, point and exponent): far beyond any
rate, amount or count, and short enough that no conversion of it can take long."""
MAX_YAML_NODES = 200_000
"""Most values one document may expand to when aliases are allowed (scenario files)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps positions, rejects duplicate keys and reads floats as Decimal."""

    qs_source: Source
    qs_keep_dates: bool

    qs_aliases: bool
    qs_merges: bool

    def construct_document(self, node: Node) -> Any:
        _check_depth(node, self.qs_source, self.qs_aliases)
        return super().construct_document(node)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        return _construct_guarded(self, node, deep)


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}
"""The spellings YAML 1.2 reads as booleans, as the constructor would make them."""


def _construct_guarded(loader: Any, node: Node, deep: bool) -> Any:
    """Build one value; a value an explicit tag cannot make (``!!int 'abc'``,
    ``!!bool 'abc'``, ``!!timestamp 'x'``) is a `YamlError` at its position, never a
    traceback. Text, most of a document's values, is its scalar as written, and a boolean
    written ``true`` or ``false`` is that boolean: what the constructor's round of
    bookkeeping for them would return."""
    tag = node.tag
    if node.__class__ is ScalarNode:
        if tag == _STR_TAG:
            return node.value
        if tag == _BOOL_TAG and node.value in _BOOLS:  # the flags, a third of a dataset
            return _BOOLS[node.value]
    try:
        return yaml.constructor.SafeConstructor.construct_object(loader, node, deep)
    except (YamlError, yaml.YAMLError):
        raise
    except (ValueError, TypeError, LookupError, AttributeError, OverflowError,
            ArithmeticError) as exc:
        what = node.tag.rsplit(":", 1)[-1]
        raise YamlError(
            msg("yaml.bad_tag_value", value=repr(node.value), what=what)
            if isinstance(node, ScalarNode) else msg("yaml.bad_value", why=str(exc)),
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        ) from None


def _check_depth(root: Node, source: Source, aliases: bool = False) -> None:
    """Refuse documents nested deeper than `MAX_NESTING`, aliases (``*name``: one repeated
    node, which could expand a small file without bound) unless ``aliases``, and, with
    aliases, more than `MAX_YAML_NODES` values (without them a document has no more values
    than its text has room for, which the size limit bounds).

    The document is walked a level at a time, its nodes gathered and their identities
    counted by C loops (a province's dataset is millions of nodes); a document with a
    problem is walked again node by node, by `_refuse`, to name the node."""
    level: list[Node] = [root]
    depth = visited = 0
    # An alias is written ``*name``: a text without a star shares no node (ids of every
    # node, made into ints and hashed, were most of the walk's time).
    shared = not aliases and "*" in source.text
    seen: set[int] = set()
    while level:
        depth += 1
        visited += len(level)
        if depth > MAX_NESTING or (aliases and visited > MAX_YAML_NODES):
            break
        if shared:
            before = len(seen)
            seen.update(map(id, level))
            if len(seen) - before < len(level):  # a node reached twice: an alias
                break
        room = MAX_YAML_NODES - visited
        below: list[Node] = []
        gather = below.extend
        for node in level:
            kind = node.__class__
            if kind is ScalarNode:
                continue
            gather(chain.from_iterable(node.value) if kind is MappingNode else node.value)
            if aliases and len(below) > room:  # expanding aliases: enough gathered
                break
        level = below
    else:
        return
    _refuse(root, source, aliases)


def _refuse(root: Node, source: Source, aliases: bool) -> None:
    """The problem `_check_depth` found, as a `YamlError` at the node it is about (the
    first one met walking the document depth first from its end)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    seen: set[int] = set()
    visited = 0
    while stack:
        node, depth = stack.pop()
        visited += 1
        if id(node) in seen and not aliases:  # the composer shares a node only for *alias
            raise YamlError(
                msg("yaml.alias"),
                span=source.span(node.start_mark.index, node.end_mark.index),
                hint=msg("yaml.alias_hint"))
        seen.add(id(node))
        if aliases and visited > MAX_YAML_NODES:
            raise YamlError(msg("yaml.too_many_nodes", most=MAX_YAML_NODES),
                            span=source.span(node.start_mark.index, node.end_mark.index))
        if depth > MAX_NESTING:
            raise YamlError(
                msg("yaml.too_deep", most=MAX_NESTING),
                span=source.span(node.start_mark.index, node.end_mark.index),
            )
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((v, depth + 1) for v in node.value)
    raise AssertionError("_check_depth found a problem that _refuse did not")  # pragma: no cover


def _construct_float(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    if len(text) > MAX_NUMBER_CHARS:
        raise YamlError(
            msg("yaml.number_too_long", most=MAX_NUMBER_CHARS),
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        )
    lowered = text.lower()
    if lowered in (".nan", ".inf", "+.inf", "-.inf"):
        raise YamlError(
            msg("usage.not_finite", text=text),
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the resolver only sends numbers
        raise YamlError(
            msg("usage.not_number", text=text),
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        ) from exc


def _construct_timestamp(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    if not loader.qs_keep_dates:
        return text
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise YamlError(
            msg("yaml.not_a_date", text=text),
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
            hint=msg("yaml.date_hint"),
        ) from None


def _construct_int(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).strip()
    span = loader.qs_source.span(node.start_mark.index, node.end_mark.index)
    if len(text) > MAX_NUMBER_CHARS:
        raise YamlError(msg("yaml.number_too_long", most=MAX_NUMBER_CHARS), span=span)
    if not _INT_RE.match(text):
        raise YamlError(msg("usage.not_whole", text=text), span=span)
    return int(text)


def _construct_suspect(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    plain = text.replace("_", "").lstrip("+")
    if plain.isdigit():
        plain = plain.lstrip("0") or "0"
    hint = next(h for rx, h in _SUSPECT_RES if rx.match(text))
    raise YamlError(
        msg("yaml.two_ways", text=text),
        span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        hint=msg(hint, text=text, plain=plain),
    )


def _construct_mapping(loader: _Loader, node: MappingNode) -> PosDict:
    source = loader.qs_source
    result = PosDict()
    result.source = source
    result.at = (node.start_mark.index, node.end_mark.index)
    result.key_spans = SpanMap(source)
    result.value_info = {}
    result.value_spans = SpanMap(source)
    key_offsets = result.key_spans._offsets
    value_offsets = result.value_spans._offsets
    value_info = result.value_info
    if loader.qs_merges:
        loader.flatten_mapping(node)
    construct = loader.construct_object
    for key_node, value_node in node.value:
        # text, most keys and values, is its scalar as written (`_construct_guarded`)
        if key_node.__class__ is ScalarNode and key_node.tag == _STR_TAG:
            key = key_node.value
        else:
            key = construct(key_node, deep=True)
        key_offsets_here = (key_node.start_mark.index, key_node.end_mark.index)
        try:
            hash(key)
        except TypeError as exc:
            raise YamlError(msg("yaml.key_not_plain"),
                            span=source.span(*key_offsets_here)) from exc
        if key in result:
            first = result.key_spans[key]
            raise YamlError(
                msg("yaml.duplicate_key", key=key, line=first.line),
                span=source.span(*key_offsets_here),
                code=codes.DUPLICATE_KEY,
            )
        if value_node.__class__ is ScalarNode:
            value = value_node.value if value_node.tag == _STR_TAG else construct(value_node,
                                                                                  deep=True)
            if isinstance(value, str):
                # Only text can hold a rule whose inner positions are needed.
                value_info[key] = ScalarInfo(source, value_node)
        else:
            value = construct(value_node, deep=True)
        result[key] = value
        key_offsets[key] = key_offsets_here
        value_offsets[key] = (value_node.start_mark.index, value_node.end_mark.index)
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> PosList:
    source = loader.qs_source
    result = PosList(loader.construct_object(child, deep=True) for child in node.value)
    result.source = source
    result.at = (node.start_mark.index, node.end_mark.index)
    result.item_spans = SpanList(
        source, [(child.start_mark.index, child.end_mark.index) for child in node.value]
    )
    result.item_info = [
        ScalarInfo(source, child) if isinstance(child, ScalarNode) and isinstance(item, str)
        else None
        for child, item in zip(node.value, result, strict=True)
    ]
    return result


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor(_SUSPECT, _construct_suspect)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# The YAML 1.2 core schema, resolved by our own patterns (PyYAML's are YAML 1.1): null,
# true/false, decimal integers, floats as exact Decimal, ISO dates; and the YAML 1.1 forms
# that would read differently, refused (see _SUSPECT).
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
for _rx, _hint in _SUSPECT_RES:
    _Loader.add_implicit_resolver(_SUSPECT, _rx, list("yYnNoO-+0123456789."))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT_RE, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_RE, list("-+.0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp", re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"),
    list("0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+."),
)


_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _FastLoader(_CParser, yaml.constructor.SafeConstructor,  # type: ignore[misc]
                      yaml.resolver.Resolver):
        """The same loader on libyaml's C parser (its marks count characters, as ours do)."""

        qs_source: Source
        qs_keep_dates: bool
        qs_aliases: bool
        qs_merges: bool

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def construct_document(self, node: Node) -> Any:
            _check_depth(node, self.qs_source, self.qs_aliases)
            return super().construct_document(node)

        def construct_object(self, node: Node, deep: bool = False) -> Any:
            return _construct_guarded(self, node, deep)

        def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
            """`Resolver.resolve` for this loader's resolvers (implicit ones keyed by first
            character, no path resolvers), without building a list of candidates for each
            of a document's values: the C parser asks for every node."""
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                        if pattern.match(value):
                            return str(tag)
                return _STR_TAG
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            """No path resolvers: nothing to track on the way down (called for every node)."""

        def ascend_resolver(self) -> None:
            """No path resolvers: nothing to track on the way up."""

    _WILDCARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
        _Loader.yaml_implicit_resolvers.get(None, ()))
    _IMPLICIT = {first: (*resolvers, *_WILDCARD)
                 for first, resolvers in _Loader.yaml_implicit_resolvers.items()
                 if first is not None}
    assert not _Loader.yaml_path_resolvers, "path resolvers need Resolver.resolve"
    _FastLoader.yaml_constructors = _Loader.yaml_constructors
    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _LOADER: Any = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _Loader


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "yaml.hint_colon_in_value"),
    ("could not find expected ':'", "yaml.hint_missing_colon"),
    ("did not find expected key", "yaml.hint_indent"),
    ("found a tab character", "yaml.hint_tab"),
)


def _syntax_hint(problem: str, line: str = "") -> Text | None:
    """What usually causes a YAML syntax error people make, in plain words."""
    if line.startswith("\t") or "\t" in line[: len(line) - len(line.lstrip())]:
        return words(_SYNTAX_HINTS[-1][1])  # a tab in the indentation, whatever the parser says
    key = next((key for start, key in _SYNTAX_HINTS if problem.startswith(start)), None)
    return words(key) if key is not None else None


def load_yaml_text(text: str, filename: str = "<string>", *, keep_dates: bool = True,
                   max_bytes: int = MAX_FILE_BYTES, aliases: bool = False) -> Any:
    """Parse one YAML document safely.

    Args:
        text: the document.
        filename: shown in error positions.
        keep_dates: turn ISO dates into ``datetime.date`` (datasets) or keep them as text
            (criteria files, where a date belongs to a rule expression).
        max_bytes: the largest document accepted (UTF-8 bytes).
        aliases: accept anchors and aliases (scenario files share data with them); the
            document may then expand to at most `MAX_YAML_NODES` values.

    Raises:
        YamlError: syntax errors, duplicate keys, documents larger or deeper than the limits.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise YamlError(msg("file.too_large", most=f"{max_bytes // 1024} KiB"), file=filename)
    source = Source(text, filename)
    loader = _LOADER(text)
    loader.qs_source = source
    loader.qs_keep_dates = keep_dates
    loader.qs_aliases = aliases
    # A merge key is written ``<<``, or tagged (every tag is written with a ``!``): a text
    # with neither has no mapping to flatten (a loop over every key of every mapping).
    loader.qs_merges = "<<" in text or "!" in text
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = source.span(mark.index, mark.index + 1) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        line = source.line_text(mark.line + 1) if mark is not None else ""
        raise YamlError(msg("yaml.syntax", problem=problem), span=span,
                        hint=_syntax_hint(problem, line)) from None
    except yaml.YAMLError as exc:
        raise YamlError(msg("yaml.error", why=str(exc)), file=filename) from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path, *, keep_dates: bool = True, aliases: bool = False) -> Any:
    """Read and parse a UTF-8 YAML file (see `load_yaml_text`)."""
    p = Path(path)
    try:
        info = p.stat()
        size = info.st_size
    except OSError as exc:
        raise YamlError(msg("file.unreadable", why=exc.strerror), file=str(p)) from None
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(msg("file.not_regular"), file=str(p))
    if size > MAX_FILE_BYTES:
        raise YamlError(msg("file.too_large", most=f"{MAX_FILE_BYTES // 1024} KiB"),
                        file=str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise YamlError(msg("file.not_utf8"), file=str(p)) from None
    except OSError as exc:
        raise YamlError(msg("file.unreadable", why=exc.strerror), file=str(p)) from None
    return load_yaml_text(text, str(p), keep_dates=keep_dates, aliases=aliases)
