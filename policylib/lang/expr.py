"""Expressions: derived facts and checks written as data, compiled once into closures.

An expression is a small Python-like formula::

    item.price * item.quantity * settings.fee_percent / 100
    days_between(order.delivered_at, today) <= settings.window_days[customer.level]
    item.final_sale or "outlet" in item.tags
    any(order.items, each.category == "camera_bodies")

It is parsed with Python's own ``ast`` module and only a whitelist of node types is
accepted: literals, names, attribute paths, table lookups, calls of registered functions,
arithmetic (``+ - * /``), comparisons (``== != < <= > >= in``, chained), ``and``/``or``/
``not`` and ``x if c else y``. Anything else (attribute access to ``_`` names, method
calls, comprehensions, lambdas, f-strings, ``is``, imports ...) is refused with its
position. Nothing is ever evaluated as text at request time.

Stages, as in cel-python: a ``Scope`` (the vocabulary: roots, object fields, facts,
settings, functions) is passed in; ``compile_expression`` type-checks the formula against
it and builds a ``Program``; the program runs per request on an ``Env``. Nothing is
registered globally.

Semantics are three-valued (Kleene), like the engine's: a path through a missing value is
*unknown* (``None``), an operation on an unknown operand is unknown, ``False and unknown``
is ``False`` and ``True or unknown`` is ``True``; ``known(x)`` and ``coalesce(x, y)`` are the
only ways to look at an unknown value directly. Numbers are exact: integer literals are
``int``, decimal literals are ``Decimal`` read from their source text, and money stays
``Decimal`` (the caller rounds a money fact to its currency). A division by zero is
unknown, never an exception.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence

from policylib.lang import types as t
from policylib.lang.compile_calls import _Calls
from policylib.lang.compile_operators import _Operators
from policylib.lang.compile_values import _Values
from policylib.lang.program import (
    COLLECTION_FORMS,
    Env,
    ExprReport,
    Function,
    Program,
    Root,
    Scope,
    Setting,
)
from policylib.lang.program import Run as Run
from policylib.lang.program import Typer as Typer
from policylib.lang.program import _Pure as _Pure
from policylib.lang.reference import evaluate_reference
from policylib.lang.reference import is_value as is_value
from policylib.lang.typed import _Refused
from policylib.lang.types import Type

__all__ = [
    "COLLECTION_FORMS",
    "Env",
    "ExprReport",
    "Function",
    "Program",
    "Root",
    "Scope",
    "Setting",
    "compile_expression",
    "evaluate_reference",
]

# Also importable from here, as before the language was split into modules (``X as X``
# above): ``Run`` and ``_Pure`` (other modules import them), ``Typer`` and ``is_value``.


class _Compiler(_Values, _Operators, _Calls):
    """The expression compiler: one handler per node type, by family (see ``compile_base``)."""


# --------------------------------------------------------------------------- entry point


def compile_expression(
    source: str, scope: Scope, report: ExprReport, *, expected: Type | None = None
) -> Program | None:
    """Type-check ``source`` against ``scope`` and compile it; None when refused.

    Args:
        source: the expression text (several lines are fine).
        scope: the names, fields, facts, settings and functions it may use.
        report: called once for the first problem found, with its position.
        expected: the type the result must have (a fact's declared type), if any.
    """
    text = source.strip()
    if not text:
        report("expression-syntax", "the expression is empty", 1, 0, "write a formula")
        return None
    lines = text.split("\n")
    try:
        # The parentheses let a formula run over several lines; they are not the author's,
        # so a problem found on them is located again in the text as written.
        tree = ast.parse(f"(\n{text}\n)", mode="eval")
    except SyntaxError as exc:
        message, line, col = _syntax_error(exc, lines)
        report("expression-syntax", f"not a valid expression: {message}", line, col, _SYNTAX_HINT)
        return None
    except (ValueError, MemoryError, RecursionError):
        report("expression-syntax", "not a valid expression", 1, 0)
        return None
    stray = _brackets(text)
    if stray is not None:  # "1) + (2" closes our parenthesis and opens one of its own
        message, line, col = stray
        report("expression-syntax", f"not a valid expression: {message}", line, col, _SYNTAX_HINT)
        return None
    compiler = _Compiler(scope, text)
    try:
        typed = compiler.node(tree.body, None)
        number_as_money = expected is not None and (
            expected.name == "money" and typed.type.name in ("integer", "decimal")
        )
        if expected is not None and not t.assignable(typed.type, expected) and not number_as_money:
            raise _Refused(
                "wrong-type",
                f"this expression gives {t.describe(typed.type)}, but "
                f"{t.describe(expected)} is declared",
                tree.body,
                hint=f"declare type: {typed.type.name}, or change the formula",
            )
    except _Refused as exc:
        line, col = _position(exc.node, lines)
        report(exc.code, exc.message, line, col, exc.hint)
        return None
    except RecursionError:
        report("expression-syntax", "the expression is nested too deeply", 1, 0)
        return None
    return Program(
        source=text,
        type=typed.type,
        run=typed.run,
        facts=typed.reads.facts,
        paths=typed.reads.paths,
        settings=typed.reads.settings,
        constant=typed.constant,
        value=typed.value,
    )


_SYNTAX_HINT = "expressions look like: item.price * settings.fee_percent / 100"


def _position(node: ast.AST | None, lines: Sequence[str]) -> tuple[int, int]:
    """The node's line (1-based) and column (0-based, in characters) in the text as written."""
    line, col = getattr(node, "lineno", None), getattr(node, "col_offset", None)
    if not isinstance(line, int) or not isinstance(col, int):
        return 1, 0
    row = min(max(line - 1, 1), len(lines))
    # ast counts columns in UTF-8 bytes; a caret is placed in characters.
    return row, len(lines[row - 1].encode()[: max(col, 0)].decode(errors="ignore"))


def _syntax_error(exc: SyntaxError, lines: Sequence[str]) -> tuple[str, int, int]:
    """What Python's parser said, at its spot in the text as written (not in the wrapper)."""
    message = re.sub(
        r"\(detected at line (\d+)\)",
        lambda m: f"(detected at line {min(max(int(m.group(1)) - 1, 1), len(lines))})",
        exc.msg,
    )
    line = (exc.lineno or 2) - 1
    if line < 1 or line > len(lines):  # on the wrapper's parentheses
        stray = _brackets("\n".join(lines))
        if stray is not None:
            return (message if "never closed" in message else stray[0]), stray[1], stray[2]
        if line < 1:
            return message, 1, 0
        return message, len(lines), len(lines[-1])  # it ends too early
    return message, line, max((exc.offset or 1) - 1, 0)


def _brackets(text: str) -> tuple[str, int, int] | None:
    """The first bracket closed without being opened, or the last one never closed."""
    opened: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.OP:
                continue
            if token.string in ("(", "[", "{"):
                opened.append(token)
            elif token.string in (")", "]", "}"):
                if not opened:
                    return f"unmatched '{token.string}'", token.start[0], token.start[1]
                opened.pop()
    except (tokenize.TokenError, SyntaxError):
        pass  # the end of the text inside a bracket: the stack says which
    if opened:
        last = opened[-1]
        return f"'{last.string}' was never closed", last.start[0], last.start[1]
    return None
