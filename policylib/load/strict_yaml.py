"""Strict YAML reading: one document composed to located nodes, nothing constructed.

A rule pack is read by people deciding whether a policy is right, so its YAML must mean
what it shows. Files are composed to PyYAML nodes (never constructed to Python objects),
each keeping its position and its plain-vs-quoted style, and the YAML features that hide
or silently change what a file says are refused:

- anchors and aliases (``&name`` / ``*name``): a value would be written somewhere else
  than where it applies, so a reader of one rule would not see what it says;
- merge keys (``<<``): they copy keys in from elsewhere, for the same reason;
- duplicate keys: PyYAML would silently keep only the last one;
- several documents in one file (``---``): everything after the first would be ignored;
- explicit tags (``!!set``, ``!!python/object:...``, ``!custom``): they ask for a type the
  file does not show (the non-specific ``!`` is allowed); the value is read as if untagged;
- collections nested more than ``MAX_DEPTH`` deep: no policy needs them, and composing
  them recursively could exhaust the stack.

The reader refuses anchors, aliases, tags, deep nesting and extra documents itself,
recording each in ``refused`` and going on, so the rest of the file is still checked and
every problem is reported together. Merge and duplicate keys need to know what a mapping
is for, so they are reported by ``load.reader.Doc.mapping``; nothing is constructed here,
so a merge key
reaches it as an ordinary key tagged ``MERGE``, never applied.

libyaml's parser is used when PyYAML was built with it, else PyYAML's pure-Python one;
both feed the same composer. Nothing here knows about rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode as _YamlScalar
from yaml.parser import Parser as _PyParser
from yaml.reader import Reader as _PyReaderBase
from yaml.resolver import Resolver

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "MAX_DEPTH",
    "MERGE",
    "NULL",
    "STR",
    "TAG",
    "TAG_WORDS",
    "TIMESTAMP",
    "MappingNode",
    "Node",
    "PyReader",
    "Reader",
    "RefusedNode",
    "ScalarNode",
    "SequenceNode",
    "StrictComposer",
    "describe",
    "quote_hint",
    "too_deep_for_libyaml",
]
from yaml.scanner import Scanner as _PyScanner

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (
    f"{TAG}str",
    f"{TAG}int",
    f"{TAG}float",
    f"{TAG}bool",
    f"{TAG}null",
)
TIMESTAMP, MERGE = f"{TAG}timestamp", f"{TAG}merge"
SEQ, MAP = f"{TAG}seq", f"{TAG}map"
TAG_WORDS = {
    BOOL: "a true/false value",
    INT: "a number",
    FLOAT: "a number",
    NULL: "an empty value (null)",
    TIMESTAMP: "a date",
}


MAX_DEPTH = 64
"""Collections nested deeper than this are refused (``nesting-too-deep``), not composed."""


class Mark(NamedTuple):
    """A 0-based line and column in a file."""

    line: int
    column: int


_COLUMNS = 1 << 24


class Node:
    """A composed YAML node: its tag, value and where it starts and ends.

    PyYAML's nodes carry a ``__dict__`` and two mark objects each; a 10,000-rule pack is
    hundreds of thousands of nodes while it loads, and every garbage collection walks
    each of those objects. These keep their positions as two integers instead.
    """

    __slots__ = ("_end", "_start", "tag", "value")

    def __init__(self, tag: str, value: Any, start_mark: Any, end_mark: Any) -> None:
        self.tag = tag
        self.value = value
        self._start = start_mark.line * _COLUMNS + start_mark.column
        self._end = 0 if end_mark is None else end_mark.line * _COLUMNS + end_mark.column

    @property
    def start_mark(self) -> Mark:
        return Mark(*divmod(self._start, _COLUMNS))

    @property
    def end_mark(self) -> Mark:
        return Mark(*divmod(self._end, _COLUMNS))

    @end_mark.setter
    def end_mark(self, mark: Any) -> None:
        self._end = mark.line * _COLUMNS + mark.column

    def __repr__(self) -> str:
        return f"{type(self).__name__}(tag={self.tag!r}, value={self.value!r})"


class ScalarNode(Node):
    """Text as written, with its quoting style ('' for plain, '"', "'", '|' or '>')."""

    __slots__ = ("style",)

    def __init__(
        self, tag: str, value: str, start_mark: Any, end_mark: Any, style: str | None = None
    ) -> None:
        super().__init__(tag, value, start_mark, end_mark)
        self.style = style


class SequenceNode(Node):
    """A list: ``value`` is its nodes."""

    __slots__ = ("flow_style",)

    value: list[Node]

    def __init__(
        self, tag: str, value: list[Node], start_mark: Any, end_mark: Any, flow_style: Any = None
    ) -> None:
        super().__init__(tag, value, start_mark, end_mark)
        self.flow_style = flow_style


class MappingNode(Node):
    """A mapping: ``value`` is its (key, value) node pairs, in file order."""

    __slots__ = ("flow_style",)

    value: list[tuple[Node, Node]]

    def __init__(
        self,
        tag: str,
        value: list[tuple[Node, Node]],
        start_mark: Any,
        end_mark: Any,
        flow_style: Any = None,
    ) -> None:
        super().__init__(tag, value, start_mark, end_mark)
        self.flow_style = flow_style


class RefusedNode(ScalarNode):
    """Stands in for a refused alias or a collection nested too deeply; the converters skip
    it silently (already reported)."""


class StrictComposer:
    """Builds nodes from parser events, refusing anchors, aliases, explicit tags, deep
    nesting and extra documents.

    PyYAML's own composer follows aliases; this one records each refusal in ``self.refused``
    as (kind, mark, detail) -- kind one of alias, anchor, tag, depth, document -- and goes
    on, so the rest of the file still gets checked. It is
    also leaner than PyYAML's (no path resolvers), which matters for 10,000-rule packs.
    """

    refused: list[tuple[str, Any, str]]
    _memo: dict[tuple[str, Any], str]
    _depth: int
    # provided by the parser half of the reader class (libyaml's CParser or PyYAML's Parser)
    get_event: Callable[[], Any]
    resolve: Callable[[Any, Any, Any], str]
    dispose: Callable[[], None]

    def __init__(self, stream: str) -> None:  # pragma: no cover - each reader class has one
        raise NotImplementedError

    def get_single_node(self) -> Node | None:
        get = self.get_event
        get()  # stream start
        event = get()
        if isinstance(event, StreamEndEvent):
            return None
        document = self._node(get())  # after the document start
        get()  # document end
        event = get()
        if not isinstance(event, StreamEndEvent):
            self.refused.append(("document", event.start_mark, ""))
        return document

    def _scalar(self, event: Any) -> ScalarNode:
        """A scalar node; an explicit tag is refused and the value read as if untagged."""
        tag = event.tag
        implicit = event.implicit
        if tag is not None and tag != "!":
            self.refused.append(("tag", event.start_mark, str(tag)))
            implicit = (False, True) if event.style else (True, False)
        value = event.value
        key = (value, implicit)
        found = self._memo.get(key)
        if found is None:
            found = self.resolve(_YamlScalar, value, implicit)
            if len(value) < 40:
                self._memo[key] = found
        return ScalarNode(found, value, event.start_mark, event.end_mark, event.style)

    def _skip(self, event: Any) -> Node:
        """Consumes a collection nested too deeply, standing in a refused node for it."""
        self.refused.append(("depth", event.start_mark, str(MAX_DEPTH)))
        get = self.get_event
        open_ = 1
        while open_:
            cls = type(get())
            if cls is SequenceStartEvent or cls is MappingStartEvent:
                open_ += 1
            elif cls is SequenceEndEvent or cls is MappingEndEvent:
                open_ -= 1
        return RefusedNode(NULL, "", event.start_mark, event.end_mark)

    def _node(self, event: Any) -> Node:
        cls = type(event)
        if cls is AliasEvent:
            self.refused.append(("alias", event.start_mark, str(event.anchor)))
            return RefusedNode(NULL, "", event.start_mark, event.end_mark)
        if event.anchor is not None:
            self.refused.append(("anchor", event.start_mark, str(event.anchor)))
        if cls is ScalarEvent:
            return self._scalar(event)
        if self._depth >= MAX_DEPTH:
            return self._skip(event)
        self._depth += 1
        # Collections: scalar children (most of a pack) are built inline, as the recursive
        # call per scalar is a measurable share of loading a 10,000-rule pack.
        get = self.get_event
        scalar = self._scalar
        tag = event.tag
        if tag is not None and tag != "!":
            self.refused.append(("tag", event.start_mark, str(tag)))
        node: SequenceNode | MappingNode
        child: Node
        if cls is SequenceStartEvent:
            node = SequenceNode(SEQ, [], event.start_mark, None, event.flow_style)
            items: list[Node] = node.value
            while True:
                event = get()
                cls = type(event)
                if cls is SequenceEndEvent:
                    break
                if cls is ScalarEvent and event.anchor is None:
                    child = scalar(event)
                else:
                    child = self._node(event)
                items.append(child)
        else:
            node = MappingNode(MAP, [], event.start_mark, None, event.flow_style)
            pairs: list[tuple[Node, Node]] = node.value
            while True:
                event = get()
                cls = type(event)
                if cls is MappingEndEvent:
                    break
                if cls is ScalarEvent and event.anchor is None:
                    key: Node = scalar(event)
                else:
                    key = self._node(event)
                event = get()
                if type(event) is ScalarEvent and event.anchor is None:
                    child = scalar(event)
                else:
                    child = self._node(event)
                pairs.append((key, child))
        node.end_mark = event.end_mark
        self._depth -= 1
        return node


class PyReader(StrictComposer, _PyReaderBase, _PyScanner, _PyParser, Resolver):
    """The strict reader on PyYAML's pure-Python parser.

    Used when PyYAML was built without libyaml, and for a file libyaml refuses as nested
    too deeply (it has its own limit since PyYAML 6.0.3): this parser has none, so the
    composer's ``MAX_DEPTH`` refuses the spot and the rest of the file is still read.
    """

    def __init__(self, stream: str) -> None:
        _PyReaderBase.__init__(self, stream)
        _PyScanner.__init__(self)
        _PyParser.__init__(self)
        Resolver.__init__(self)
        self.refused = []
        self._memo = {}
        self._depth = 0


try:
    from yaml._yaml import CParser as _CParser

    class CReader(StrictComposer, _CParser, Resolver):  # type: ignore[misc]  # our nodes
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Resolver.__init__(self)
            self.refused = []
            self._memo = {}
            self._depth = 0

    Reader: type[StrictComposer] = CReader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    Reader = PyReader


def too_deep_for_libyaml(exc: Exception) -> bool:
    """Whether libyaml refused a file for its own nesting limit (not a syntax error)."""
    return "maximum nesting depth" in str(getattr(exc, "problem", "") or "")


def describe(node: Node) -> str:
    """The node in words, as YAML read it: a mapping, a list, the text 'x', a number `3`."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    # a scalar: the composer builds no other kind of node
    if node.tag == STR:
        return f"the text '{node.value}'"
    words = TAG_WORDS.get(node.tag, f"a value tagged {node.tag}")
    return f"{words} `{node.value}`" if node.value else words


def quote_hint(node: ScalarNode) -> str:
    return f'quote it: "{node.value}"'
