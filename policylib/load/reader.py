"""Reading one pack file: typed, located readers of its composed YAML nodes.

A ``Doc`` is one file. Its readers take a node and say what they expect of it ("a
mapping", "a whole number"); anything else is reported at the node's ``file:line:col``
with a hint and the reader returns None, so the caller goes on and every problem of the
file is found in one load. YAML 1.1's surprises are caught by type: a plain ``NO`` where
text is expected is an error telling the author to quote it, not a silent ``False``.

Expressions and Fluent texts inside a scalar are checked here too, and a problem inside
one is placed at its own line and column in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import TypeVar

from policylib.errors import shorten_text
from policylib.lang.expr import Program, Scope, compile_expression
from policylib.lang.nodes import Loc
from policylib.lang.types import Type
from policylib.load.problems import Problems, one_of, suggest
from policylib.load.strict_yaml import (
    BOOL,
    FLOAT,
    INT,
    MERGE,
    NULL,
    STR,
    TAG_WORDS,
    TIMESTAMP,
    MappingNode,
    Node,
    RefusedNode,
    ScalarNode,
    SequenceNode,
    describe,
    quote_hint,
)

__all__ = ["Doc", "Entries", "spot_in"]

_INTEGER = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

_T = TypeVar("_T")

Entries = dict[str, tuple[ScalarNode, Node]]
"""A mapping's entries: key -> (key node, value node)."""


class Doc:
    """One pack file: its name, the problems collector, and the rule being read."""

    def __init__(self, name: str, problems: Problems) -> None:
        self.name = name
        self.problems = problems
        self.rule_id = ""

    # ---------------------------------------------------------------- reporting

    def loc(self, node: Node) -> Loc:
        mark = node.start_mark
        return Loc(self.name, mark.line + 1, mark.column + 1)

    def problem(
        self,
        code: str,
        message: str,
        where: Loc | Node | None,
        hint: str = "",
        rule_id: str | None = None,
    ) -> None:
        if isinstance(where, Node):
            where = self.loc(where)
        self.problems.report(
            code, message, where, hint, self.rule_id if rule_id is None else rule_id
        )

    @contextmanager
    def owner(self, rule_id: str) -> Iterator[None]:
        """Problems reported inside name ``rule_id`` (the rule being read)."""
        before, self.rule_id = self.rule_id, rule_id
        try:
            yield
        finally:
            self.rule_id = before

    def optional(
        self,
        m: Entries,
        key: str,
        read: Callable[[Node, str], _T | None],
        default: _T,
        what: str = "",
    ) -> _T | None:
        """``read`` the value under ``key`` when it is there, else ``default``."""
        if key not in m:
            return default
        return read(m[key][1], what or key)

    def items(self, m: Entries, key: str, what: str = "") -> list[Node]:
        """The list under ``key``, or an empty one when it is not there."""
        if key not in m:
            return []
        return self.sequence(m[key][1], what or key) or []

    def entries(self, m: Entries, key: str, what: str = "") -> Entries:
        """The mapping under ``key`` (any keys), or an empty one when it is not there."""
        if key not in m:
            return {}
        return self.mapping(m[key][1], what or key, optional=None) or {}

    # ---------------------------------------------------------------- node shapes

    def mapping(
        self,
        node: Node | None,
        what: str,
        required: Sequence[str] = (),
        optional: Sequence[str] | None = (),
    ) -> Entries | None:
        """Keys -> (key node, value node). ``optional=None`` accepts any key."""
        if node is None or isinstance(node, RefusedNode):
            return None
        if not isinstance(node, MappingNode):
            self.problem(
                "wrong-type", f"{what} must be a mapping (key: value), not {describe(node)}", node
            )
            return None
        allowed = None if optional is None else (*required, *optional)
        out: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.tag == MERGE:
                self.problem(
                    "alias-not-allowed",
                    "merge keys (<<) are not allowed",
                    key,
                    hint="write every key out in full",
                )
                continue
            if isinstance(key, RefusedNode):
                continue
            if not isinstance(key, ScalarNode) or key.tag != STR:
                self.problem(
                    "wrong-type",
                    f"keys in {what} must be text, not {describe(key)}",
                    key,
                    hint=quote_hint(key) if isinstance(key, ScalarNode) else "",
                )
                continue
            name = key.value
            if name in out:
                self.problem(
                    "duplicate-key",
                    f"key '{name}' appears twice in {what} (first at {self.loc(out[name][0])})",
                    key,
                    hint="remove one of them; YAML would silently keep only the last",
                )
                continue
            if allowed is not None and name not in allowed:
                self.problem(
                    "unknown-key",
                    f"unknown key '{name}' in {what}",
                    key,
                    hint=suggest(name, allowed) or f"allowed keys: {one_of(allowed)}",
                )
                continue
            out[name] = (key, value)
        for name in required:
            if name not in out:
                self.problem("missing-key", f"{what} is missing the required key '{name}'", node)
        return out

    def sequence(
        self, node: Node, what: str, nonempty: bool = False, hint: str = ""
    ) -> list[Node] | None:
        if isinstance(node, RefusedNode):
            return None
        if not isinstance(node, SequenceNode):
            self.problem(
                "wrong-type", f"{what} must be a list, not {describe(node)}", node, hint=hint
            )
            return None
        if nonempty and not node.value:
            self.problem("wrong-type", f"{what} must not be empty", node, hint=hint)
            return None
        return list(node.value)

    # ---------------------------------------------------------------- scalars

    def scalar(self, node: Node, what: str) -> ScalarNode | None:
        if isinstance(node, RefusedNode):
            return None
        if not isinstance(node, ScalarNode):
            self.problem("wrong-type", f"{what} must be a single value, not {describe(node)}", node)
            return None
        return node

    def text(self, node: Node, what: str, allow_empty: bool = False) -> str | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if sc.tag != STR:
            if sc.tag == NULL and not sc.value:
                self.problem("wrong-type", f"{what} is empty", sc, hint="write a value")
                return None
            self.problem(
                "wrong-type",
                f"{what} must be text, but YAML reads `{sc.value}` as "
                f"{TAG_WORDS.get(sc.tag, sc.tag)}",
                sc,
                hint=quote_hint(sc),
            )
            return None
        if not allow_empty and not sc.value.strip():
            self.problem("wrong-type", f"{what} is empty", sc, hint="write a value")
            return None
        return str(sc.value)

    def boolean(self, node: Node, what: str) -> bool | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if not sc.style and sc.value in ("true", "false"):
            return bool(sc.value == "true")
        self.problem(
            "wrong-type",
            f"{what} must be true or false, not `{sc.value}`",
            sc,
            hint="write true or false (lowercase, unquoted)",
        )
        return None

    def integer(self, node: Node, what: str) -> int | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if not sc.style and _INTEGER.match(sc.value):
            return int(sc.value)
        hint = "write a whole number like 30"
        if not sc.style and re.fullmatch(r"[-+]?0[0-9_]+", sc.value):
            hint = "remove the leading zero (YAML 1.1 reads 012 as an octal number)"
        elif not sc.style and ":" in sc.value and sc.tag in (INT, FLOAT):
            hint = "YAML 1.1 reads 12:30 as a base-60 number; write a plain number"
        self.problem(
            "wrong-type", f"{what} must be a whole number, not `{sc.value}`", sc, hint=hint
        )
        return None

    def decimal(self, node: Node, what: str) -> Decimal | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        plain_number = not sc.style and sc.tag in (INT, FLOAT)
        if (plain_number or sc.tag == STR) and _DECIMAL.match(sc.value):
            return Decimal(sc.value)
        self.problem(
            "wrong-type",
            f"{what} must be a number like 49.99, not `{sc.value}`",
            sc,
            hint="write digits with an optional decimal point (no leading zeros, no exponent)",
        )
        return None

    def number(self, node: Node, what: str) -> int | Decimal | None:
        if isinstance(node, ScalarNode) and not node.style and _INTEGER.match(node.value):
            return int(node.value)
        return self.decimal(node, what)

    def date(self, node: Node, what: str) -> date | None:
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if sc.tag in (STR, TIMESTAMP) and _DATE.match(sc.value):
            try:
                return date.fromisoformat(sc.value)
            except ValueError:
                pass
        self.problem(
            "wrong-type",
            f"{what} must be a date YYYY-MM-DD, not `{sc.value}`",
            sc,
            hint="write a real calendar date like 2026-11-20",
        )
        return None

    def plain(self, node: Node, what: str, decimals: bool = False) -> tuple[bool, object]:
        """A JSON-like python value (for example requests and offer changes).

        Plain scalars are read strictly, as everywhere else: true/false, null (or nothing),
        whole numbers without leading zeros, decimals, dates and text. The YAML 1.1 readings
        (``NO``, ``012``, ``12:30``, ``.nan``) are refused with a hint to quote them. Decimal
        numbers are ``Decimal`` with ``decimals``, else floats (as JSON would give).
        """
        if isinstance(node, RefusedNode):
            return False, None
        if isinstance(node, MappingNode):
            m = self.mapping(node, what, optional=None)
            if m is None:
                return False, None
            out: dict[str, object] = {}
            ok = True
            for key, (_, value) in m.items():
                good, out[key] = self.plain(value, f"{what}.{key}", decimals)
                ok = ok and good
            return ok, out
        if isinstance(node, SequenceNode):
            items: list[object] = []
            ok = True
            for i, item in enumerate(node.value):
                good, val = self.plain(item, f"{what}[{i}]", decimals)
                items.append(val)
                ok = ok and good
            return ok, items
        assert isinstance(node, ScalarNode)
        tag, value = node.tag, node.value
        if tag in (STR, TIMESTAMP):
            return True, value
        if tag == NULL and value in ("", "null"):
            return True, None
        if tag == BOOL and value in ("true", "false"):
            return True, value == "true"
        if tag == INT and _INTEGER.match(value):
            return True, int(value)
        if tag in (INT, FLOAT) and _DECIMAL.match(value):
            return True, Decimal(value) if decimals else float(value)
        words = TAG_WORDS.get(tag, "a special value")
        if tag == INT and re.fullmatch(r"[-+]?0[0-9_]+", value):
            why = f"YAML 1.1 reads `{value}` as an octal number"
        elif tag in (INT, FLOAT) and ":" in value:
            why = f"YAML 1.1 reads `{value}` as a base-60 number"
        else:
            why = f"YAML reads `{shorten_text(value)}` as {words}"
        self.problem(
            "wrong-type",
            f"{what}: {why}, which is not allowed here",
            node,
            hint=f"{quote_hint(node)} (or write true/false, null, 30 or 49.99)",
        )
        return False, None

    # ---------------------------------------------------------------- expressions

    def expression(
        self, node: Node, what: str, scope: Scope, expected: Type | None = None
    ) -> Program | None:
        """An expression in a scalar, checked against ``scope`` and compiled; a problem
        inside it is reported at its own spot in the file."""
        sc = self.scalar(node, what)
        if sc is None:
            return None
        if sc.tag not in (STR, INT, FLOAT, BOOL):
            self.problem("wrong-type", f"{what} must be an expression", sc, hint=quote_hint(sc))
            return None
        source = str(sc.value)
        lead = len(source) - len(source.lstrip())

        def report(code: str, message: str, line: int, col: int, hint: str = "") -> None:
            text = source.strip().split("\n")
            at = lead + sum(len(x) + 1 for x in text[: line - 1]) + col
            where = spot_in(sc, source, at, self.name, self.problems.lines.get(self.name, []))
            self.problem(code, f"{what}: {message}", where or self.loc(sc), hint=hint)

        return compile_expression(source, scope, report, expected=expected)


def spot_in(
    node: ScalarNode, value: str, at: int, file: str, file_lines: Sequence[str]
) -> Loc | None:
    """Best effort: the position in ``file`` of offset ``at`` in the scalar's ``value``."""
    first, last = node.start_mark.line, node.end_mark.line
    if node.style in ("|", ">"):
        # block scalar: content starts on the line after the indicator
        # (its end mark is on the next key's line: the block's own lines are those indented
        # at least as far as its first non-empty one, as YAML reads them)
        lines = file_lines[first + 1 : last + 1]
        indents = [len(t) - len(t.lstrip(" ")) for t in lines if t.strip()]
        if not indents:
            return None
        indent = indents[0]
        content: list[str] = []
        for text in lines:
            if text.strip() and len(text) - len(text.lstrip(" ")) < indent:
                break
            content.append(text)
        pos = 0
        for n, text in enumerate(content):
            piece = text[indent:] if text.strip() else ""
            if piece and pos <= at <= pos + len(piece):
                return Loc(file, first + 2 + n, indent + at - pos + 1)
            pos += len(piece) + 1 if piece or node.style == "|" else 0
        return None
    if first != last or "\n" in value or first >= len(file_lines):
        return None
    raw = file_lines[first][node.start_mark.column : node.end_mark.column]
    skip = 1 if node.style in ("'", '"') else 0
    if raw[skip : skip + at] != value[:at]:
        return None  # escapes before the spot: the columns do not line up
    return Loc(file, first + 1, node.start_mark.column + skip + at + 1)
