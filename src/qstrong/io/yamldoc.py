"""Safe YAML loading with exact numbers, duplicate-key errors, size limits and source positions.

Both criteria files and datasets are read here. Numbers with a fraction become
``Decimal`` from their text (never a binary float); mappings remember where each
key and value stood so that errors can name ``file:line:col`` and expressions
inside a scalar can be mapped back to the file.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qstrong.core import codes
from qstrong.core.errors import QStrongError
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
MAX_DATASET_BYTES = 64 * 1024 * 1024
"""Largest dataset file: a county may list thousands of enterprises (about 1 KiB each)."""
MAX_NESTING = 64


class YamlError(QStrongError):
    """A YAML document could not be read (syntax, duplicate key, too large, too deep)."""

    code = codes.DOCUMENT_SYNTAX


_FLOAT_RE = re.compile(
    r"""^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?$
    |^[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)$
    |^[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$""",
    re.X,
)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps positions, rejects duplicate keys and reads floats as Decimal."""

    qs_source: Source
    qs_keep_dates: bool

    def construct_document(self, node: Node) -> Any:
        _check_depth(node, self.qs_source)
        return super().construct_document(node)


def _check_depth(root: Node, source: Source) -> None:
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
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
    text = str(loader.construct_scalar(node)).replace("_", "")
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
    if not loader.qs_keep_dates:
        return str(loader.construct_scalar(node))
    value = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    if isinstance(value, _dt.datetime):
        return str(loader.construct_scalar(node))
    return value


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
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# Floats are resolved by our own pattern so that "1e3" and "12.7" both become Decimal.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:float"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "-+.0123456789":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:float", _FLOAT_RE)
    )
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

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def construct_document(self, node: Node) -> Any:
            _check_depth(node, self.qs_source)
            return super().construct_document(node)

    _FastLoader.yaml_constructors = _Loader.yaml_constructors
    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _LOADER: Any = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _Loader


def load_yaml_text(text: str, filename: str = "<string>", *, keep_dates: bool = True,
                   max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Parse one YAML document safely.

    Args:
        text: the document.
        filename: shown in error positions.
        keep_dates: turn ISO dates into ``datetime.date`` (datasets) or keep them as text
            (criteria files, where a date belongs to a rule expression).
        max_bytes: the largest document accepted (UTF-8 bytes).

    Raises:
        YamlError: syntax errors, duplicate keys, documents larger or deeper than the limits.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise YamlError(f"{filename}: file is larger than {max_bytes // 1024} KiB")
    source = Source(text, filename)
    loader = _LOADER(text)
    loader.qs_source = source
    loader.qs_keep_dates = keep_dates
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = source.span(mark.index, mark.index + 1) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"YAML syntax error: {problem}", span=span) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{filename}: YAML error: {exc}") from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path, *, keep_dates: bool = True) -> Any:
    """Read and parse a UTF-8 YAML file (see `load_yaml_text`)."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise YamlError(f"{p}: cannot read file ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise YamlError(f"{p}: file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise YamlError(f"{p}: not UTF-8 text (save the file as UTF-8)") from None
    except OSError as exc:
        raise YamlError(f"{p}: cannot read file ({exc.strerror})") from None
    return load_yaml_text(text, str(p), keep_dates=keep_dates)
