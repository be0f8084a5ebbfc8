"""The compiler's core: its state, the dispatch from a node to its handler, and folding.

``_CompilerBase.node`` calls the handler named after the node's type (``_Name``,
``_BinOp`` ...); a node with no handler is refused, with a reason for the common ones
(``_NOT_ALLOWED``). The handlers are mixins by node family, each over this base:
``compile_values`` (literals, names, settings, fields, table lookups),
``compile_operators`` (``and``/``or``/``not``, arithmetic, comparisons, ``x if c else y``)
and ``compile_calls`` (function calls and the collection forms). ``lang.expr`` composes
them into one ``_Compiler``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from policylib.lang.program import Scope
from policylib.lang.typed import _Refused, _Typed

_NOT_ALLOWED: dict[type[ast.AST], tuple[str, str]] = {
    ast.Lambda: ("lambdas are not allowed", "name a fact or call a function instead"),
    ast.ListComp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.SetComp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.DictComp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.GeneratorExp: ("comprehensions are not allowed", "use any(), all(), count() or sum()"),
    ast.JoinedStr: ("f-strings are not allowed", "texts belong in the rule's Fluent text"),
    ast.NamedExpr: ("assignments are not allowed", "declare another fact instead"),
    ast.Dict: ("mappings are not allowed here", "declare a table under settings"),
    ast.Set: ("sets are not allowed", "write a list: [a, b]"),
    ast.Starred: ("* is not allowed", ""),
    ast.Slice: ("slices are not allowed", ""),
    ast.Await: ("await is not allowed", ""),
    ast.Yield: ("yield is not allowed", ""),
    ast.YieldFrom: ("yield is not allowed", ""),
}


class _CompilerBase:
    """One expression's compilation: the scope it is checked against and its source."""

    def __init__(self, scope: Scope, source: str) -> None:
        self.scope = scope
        self.source = source
        self.lines = source.split("\n")

    # ---------------------------------------------------------------- dispatch

    def node(self, node: ast.expr, each: _Typed | None) -> _Typed:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            message, hint = _NOT_ALLOWED.get(
                type(node), (f"{type(node).__name__} is not allowed in an expression", "")
            )
            raise _Refused("not-allowed", message, node, hint)
        result: _Typed = method(node, each)
        return result

    def _segment(self, node: ast.AST) -> str:
        """The source text of a node (for decimal literals)."""
        found = ast.get_source_segment(f"(\n{self.source}\n)", node)
        return found if found is not None else ""

    # ---------------------------------------------------------------- folding

    @staticmethod
    def _fold(typed: _Typed, parts: Iterable[_Typed]) -> _Typed:
        """A subexpression of constants only is worked out once, here."""
        if not all(p.constant for p in parts):
            return typed
        value = typed.run(None)  # type: ignore[arg-type]  # constants never read the env
        return _Typed(typed.type, lambda env: value, typed.reads, constant=True, value=value)
