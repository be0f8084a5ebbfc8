"""The compiler's bookkeeping, shared by the node handlers.

A handler turns a node into a ``_Typed``: its type, its closure and what it reads
(``_Reads``), and, for a constant, its value; a node the language refuses raises
``_Refused`` with the spot to show. The type rules of arithmetic and the meaning of the
operators (``_ARITHMETIC``, ``_COMPARE``, shared with the reference interpreter) are here
too. This is compile-time bookkeeping; the closures that run per request are built by the
handlers and by ``lang.closures``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from policylib.lang import types as t
from policylib.lang.program import Run
from policylib.lang.types import Type


class _Refused(Exception):
    def __init__(self, code: str, message: str, node: ast.AST | None, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.node, self.hint = code, message, node, hint


@dataclass(frozen=True, slots=True)
class _Reads:
    """What a subexpression reads: facts, request paths and settings."""

    facts: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    settings: frozenset[str] = frozenset()


_NOTHING = _Reads()


@dataclass(frozen=True, slots=True)
class _Typed:
    """A compiled subexpression: its type and closure, and what it reads."""

    type: Type
    run: Run
    reads: _Reads = _NOTHING
    constant: bool = False
    value: Any = None
    path: str = ""
    """For a path expression (``order.delivery``): the request path it reaches."""
    literal: bool = False
    """A text literal written in the expression (enum values are checked against these)."""
    chain: tuple[Run | None, tuple[str, ...]] | None = None
    """For a path: where it starts (None: the request itself) and the attributes read
    from there, so ``order.delivery.method`` runs as one closure, not three."""


def _said(typed: _Typed) -> str:
    """An operand in words: 'the text "1"' for a quoted literal, else its type."""
    if typed.literal and isinstance(typed.value, str):
        return f'the text "{typed.value}"'
    return t.describe(typed.type)


def _const(type_: Type, value: Any, *, literal: bool = False) -> _Typed:
    return _Typed(type_, lambda env: value, constant=True, value=value, literal=literal)


def _merge(*parts: _Typed, paths: Iterable[str] = ()) -> _Reads:
    return _Reads(
        facts=frozenset().union(*(p.reads.facts for p in parts)),
        paths=frozenset().union(*(p.reads.paths for p in parts), paths),
        settings=frozenset().union(*(p.reads.settings for p in parts)),
    )


def _name_of(node: ast.Attribute) -> ast.AST:
    """Where ``.name`` is written in ``a.b.name``: the spot to show for a bad field."""
    end_line, end_col = node.end_lineno, node.end_col_offset
    if end_line is None or end_col is None:
        return node
    return ast.Name(id=node.attr, lineno=end_line, col_offset=end_col - len(node.attr.encode()))


def _text_literals(typed: _Typed) -> list[str]:
    """The texts a constant holds (a literal, a list of them, a text setting)."""
    if not typed.constant:
        return []
    values = typed.value if isinstance(typed.value, list) else [typed.value]
    return [v for v in values if isinstance(v, str)]


def _arithmetic_type(symbol: str, a: Type, b: Type) -> Type | None:
    names = {a.name, b.name}
    if "any" in names:
        return t.ANY  # a broken fact or setting, reported where it is
    if not names <= t.NUMERIC | {"null"}:
        return None
    if "null" in names:
        return a if b.name == "null" else b
    if symbol in ("+", "-"):
        if "money" in names:
            return t.MONEY
        return t.INTEGER if names == {"integer"} else t.DECIMAL
    if symbol == "*":
        if names == {"money"}:
            return None  # money times money means nothing
        if "money" in names:
            return t.MONEY
        return t.INTEGER if names == {"integer"} else t.DECIMAL
    # division
    if a.name == "money" and b.name == "money":
        return t.DECIMAL  # a ratio
    if a.name == "money":
        return t.MONEY
    if b.name == "money":
        return None
    return t.DECIMAL


# --------------------------------------------------------------------------- operators

_ARITHMETIC: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", lambda a, b: Decimal(a) / b),
}

_COMPARE: dict[type[ast.cmpop], tuple[str, Callable[[Any, Any], bool]]] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
}
