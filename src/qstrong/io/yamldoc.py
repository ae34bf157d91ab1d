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
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qstrong.core import codes
from qstrong.core.errors import QStrongError
from qstrong.core.limits import DEFAULT_MAX_DATASET_BYTES, MAX_NESTING
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
    (re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"),
     "写 true 或 false（是/否）；若本来就是文字，请加引号，如 \"{text}\" / "
     "write true or false; quote it if it is text"),
    (re.compile(r"^[-+]?0[0-9_]+$"),
     "以 0 开头的数会被旧版 YAML 当作八进制：数字写成 {plain}，编号等文字请加引号 \"{text}\" / "
     "a leading zero reads as octal in YAML 1.1: write {plain}, or quote it"),
    (re.compile(r"^[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)$"),
     "不接受十六进制、八进制、二进制写法：请写成十进制数，或加引号作为文字 / "
     "write a decimal number, or quote it as text"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"),
     "带冒号的数会被旧版 YAML 当作六十进制（10:30 → 630）：时间或比值请加引号 \"{text}\" / "
     "YAML 1.1 reads it as base 60: quote it"),
    (re.compile(r"^[-+]?[0-9.][0-9_.]*_[0-9_.]*$"),
     "数字中不要用下划线分隔：写成 {plain} / write the number without underscores"),
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

    def construct_document(self, node: Node) -> Any:
        _check_depth(node, self.qs_source, self.qs_aliases)
        return super().construct_document(node)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        return _construct_guarded(self, node, deep)


def _construct_guarded(loader: Any, node: Node, deep: bool) -> Any:
    """Build one value; a value an explicit tag cannot make (``!!int 'abc'``,
    ``!!timestamp 'x'``) is a `YamlError` at its position, never a traceback."""
    try:
        return yaml.constructor.SafeConstructor.construct_object(loader, node, deep)
    except (YamlError, yaml.YAMLError):
        raise
    except (ValueError, TypeError, IndexError, AttributeError, OverflowError,
            ArithmeticError) as exc:
        what = node.tag.rsplit(":", 1)[-1]
        raise YamlError(
            f"cannot read the value {node.value!r} as {what}"
            if isinstance(node, ScalarNode) else f"cannot read this value ({exc})",
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        ) from None


def _check_depth(root: Node, source: Source, aliases: bool = False) -> None:
    """Refuse documents nested deeper than `MAX_NESTING`, aliases (``*name``: one repeated
    node, which could expand a small file without bound) unless ``aliases``, and, with
    aliases, more than `MAX_YAML_NODES` values."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    seen: set[int] = set()
    visited = 0
    while stack:
        node, depth = stack.pop()
        visited += 1
        if id(node) in seen and not aliases:  # the composer shares a node only for *alias
            raise YamlError(
                "YAML aliases (*name) are not accepted here: write the values out",
                span=source.span(node.start_mark.index, node.end_mark.index),
                hint="anchors and aliases can make a small file expand without bound")
        seen.add(id(node))
        if visited > MAX_YAML_NODES:
            raise YamlError(f"the document expands to more than {MAX_YAML_NODES} values",
                            span=source.span(node.start_mark.index, node.end_mark.index))
        if depth > MAX_NESTING:
            raise YamlError(
                f"nesting deeper than {MAX_NESTING} levels",
                span=source.span(node.start_mark.index, node.end_mark.index),
            )
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((v, depth + 1) for v in node.value)


def _construct_float(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    if len(text) > MAX_NUMBER_CHARS:
        raise YamlError(
            f"number is longer than {MAX_NUMBER_CHARS} characters",
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        )
    lowered = text.lower()
    if lowered in (".nan", ".inf", "+.inf", "-.inf"):
        raise YamlError(
            f"'{text}' is not a finite number",
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the resolver only sends numbers
        raise YamlError(
            f"'{text}' is not a number",
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
            f"'{text}' is not a calendar date",
            span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
            hint="日期写成 2014-06-30，且须是日历上有的日子 / write a real date as 2014-06-30",
        ) from None


def _construct_int(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).strip()
    span = loader.qs_source.span(node.start_mark.index, node.end_mark.index)
    if len(text) > MAX_NUMBER_CHARS:
        raise YamlError(f"number is longer than {MAX_NUMBER_CHARS} characters", span=span)
    if not _INT_RE.match(text):
        raise YamlError(f"'{text}' is not a whole number", span=span)
    return int(text)


def _construct_suspect(loader: _Loader, node: ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    plain = text.replace("_", "").lstrip("+")
    if plain.isdigit():
        plain = plain.lstrip("0") or "0"
    hint = next(h for rx, h in _SUSPECT_RES if rx.match(text))
    raise YamlError(
        f"'{text}' can be read two ways (YAML 1.1 and 1.2 disagree); qstrong reads neither",
        span=loader.qs_source.span(node.start_mark.index, node.end_mark.index),
        hint=hint.format(text=text, plain=plain),
    )


def _construct_mapping(loader: _Loader, node: MappingNode) -> PosDict:
    source = loader.qs_source
    result = PosDict()
    result.source = source
    result.span = source.span(node.start_mark.index, node.end_mark.index)
    result.key_spans = SpanMap(source)
    result.value_info = {}
    result.value_spans = SpanMap(source)
    key_offsets = result.key_spans._offsets
    value_offsets = result.value_spans._offsets
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_offsets_here = (key_node.start_mark.index, key_node.end_mark.index)
        try:
            hash(key)
        except TypeError as exc:
            raise YamlError("a mapping key must be a plain value",
                            span=source.span(*key_offsets_here)) from exc
        if key in result:
            first = result.key_spans[key]
            raise YamlError(
                f"duplicate key '{key}' (first given at line {first.line})",
                span=source.span(*key_offsets_here),
                code=codes.DUPLICATE_KEY,
            )
        value = loader.construct_object(value_node, deep=True)
        result[key] = value
        key_offsets[key] = key_offsets_here
        value_offsets[key] = (value_node.start_mark.index, value_node.end_mark.index)
        if isinstance(value_node, ScalarNode) and isinstance(value, str):
            # Only text can hold a rule whose inner positions are needed.
            result.value_info[key] = ScalarInfo(source, value_node)
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> PosList:
    source = loader.qs_source
    result = PosList(loader.construct_object(child, deep=True) for child in node.value)
    result.source = source
    result.span = source.span(node.start_mark.index, node.end_mark.index)
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

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def construct_document(self, node: Node) -> Any:
            _check_depth(node, self.qs_source, self.qs_aliases)
            return super().construct_document(node)

        def construct_object(self, node: Node, deep: bool = False) -> Any:
            return _construct_guarded(self, node, deep)

    _FastLoader.yaml_constructors = _Loader.yaml_constructors
    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _LOADER: Any = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _Loader


_SYNTAX_HINTS = (
    ("mapping values are not allowed",
     "缩进不齐或值中有冒号：同一层的键要从同一列开始；值里有“: ”时给值加引号 / the "
     "keys of one mapping start in the same column; quote a value that holds ': '"),
    ("could not find expected ':'",
     "键和值之间要有冒号和空格，如 date: 2014-11-01 / a key and its value are separated by "
     "a colon and a space: date: 2014-11-01"),
    ("did not find expected key",
     "这一行的缩进与上面同一层的键不一致 / this line is indented differently from the keys "
     "of the same level above it"),
    ("found a tab character",
     "YAML 不能用 Tab 缩进，请改用空格 / YAML is indented with spaces, not tabs"),
)


def _syntax_hint(problem: str, line: str = "") -> str | None:
    """What usually causes a YAML syntax error people make, in plain words."""
    if line.startswith("\t") or "\t" in line[: len(line) - len(line.lstrip())]:
        return _SYNTAX_HINTS[-1][1]  # a tab in the indentation, whatever the parser says
    return next((hint for start, hint in _SYNTAX_HINTS if problem.startswith(start)), None)


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
        raise YamlError(f"{filename}: file is larger than {max_bytes // 1024} KiB")
    source = Source(text, filename)
    loader = _LOADER(text)
    loader.qs_source = source
    loader.qs_keep_dates = keep_dates
    loader.qs_aliases = aliases
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = source.span(mark.index, mark.index + 1) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        line = source.line_text(mark.line + 1) if mark is not None else ""
        raise YamlError(f"YAML syntax error: {problem}", span=span,
                        hint=_syntax_hint(problem, line)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{filename}: YAML error: {exc}") from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path, *, keep_dates: bool = True, aliases: bool = False) -> Any:
    """Read and parse a UTF-8 YAML file (see `load_yaml_text`)."""
    p = Path(path)
    try:
        info = p.stat()
        size = info.st_size
    except OSError as exc:
        raise YamlError(f"{p}: cannot read file ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(f"{p}: not a regular file")
    if size > MAX_FILE_BYTES:
        raise YamlError(f"{p}: file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise YamlError(f"{p}: not UTF-8 text (save the file as UTF-8)") from None
    except OSError as exc:
        raise YamlError(f"{p}: cannot read file ({exc.strerror})") from None
    return load_yaml_text(text, str(p), keep_dates=keep_dates, aliases=aliases)
