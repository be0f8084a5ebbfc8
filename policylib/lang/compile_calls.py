"""Compiling calls: of the scope's functions, and of the collection forms.

A function call is checked against the function's arity and typer and compiled into the
closure for its shape (one or two arguments, strict or not, with or without the
evaluation); a call of a pure built-in on constants is worked out when compiling.
``any``, ``all``, ``count`` and ``sum`` evaluate their second argument for each element
of a list, which it names ``each``.
"""

from __future__ import annotations

import ast
import difflib
from decimal import Decimal
from typing import Any

from policylib.lang import types as t
from policylib.lang.closures import _each, _quantifier, _unknown
from policylib.lang.compile_base import _CompilerBase
from policylib.lang.program import COLLECTION_FORMS, Env, _Pure
from policylib.lang.typed import _NOTHING, _merge, _Reads, _Refused, _Typed


class _Calls(_CompilerBase):
    """The handlers of function calls and of ``any``, ``all``, ``count`` and ``sum``."""

    def _Call(self, node: ast.Call, each: _Typed | None) -> _Typed:
        if not isinstance(node.func, ast.Name):
            raise _Refused(
                "not-allowed",
                "only functions may be called, not methods",
                node,
                "write days_between(a, b), not a.method()",
            )
        if node.keywords:
            raise _Refused("not-allowed", "arguments are given by position, not by name", node)
        for arg in node.args:  # before counting them: f(*x) has one argument, or many
            if isinstance(arg, ast.Starred):
                raise _Refused("not-allowed", "* is not allowed", arg, "write each argument")
        name = node.func.id
        if name in COLLECTION_FORMS:
            return self._collection(name, node, each)
        function = self.scope.functions.get(name)
        if function is None:
            close = difflib.get_close_matches(name, [*self.scope.functions, *COLLECTION_FORMS], n=1)
            raise _Refused(
                "unknown-function",
                f"unknown function '{name}'",
                node.func,
                f"did you mean '{close[0]}'?"
                if close
                else "the functions are listed in docs/rule-language.md (Functions)",
            )
        low, high = function.arity
        if len(node.args) < low or (high is not None and len(node.args) > high):
            wanted = f"{low}" if low == high else f"{low} to {high}" if high else f"at least {low}"
            noun = "argument" if wanted == "1" else "arguments"
            raise _Refused(
                "wrong-type", f"{name}() takes {wanted} {noun}, not {len(node.args)}", node
            )
        args = [self.node(a, each) for a in node.args]
        result = function.typer([a.type for a in args])
        if isinstance(result, str):
            raise _Refused("wrong-type", f"{name}(): {result}", node)
        runs = tuple(a.run for a in args)
        fn, context, strict = function.fn, function.context, function.strict
        merged = _merge(*args)
        if len(runs) == 1 and strict and not context:
            only = runs[0]

            def call1(env: Env) -> Any:
                value = only(env)
                return None if value is None else fn(value)

            typed = _Typed(result, call1, merged)
        elif len(runs) == 1 and strict:
            only = runs[0]

            def call1_env(env: Env) -> Any:
                value = only(env)
                return None if value is None else fn(env, value)

            typed = _Typed(result, call1_env, merged)
        elif len(runs) == 2 and strict:
            first, second = runs

            def call2(env: Env) -> Any:
                x = first(env)
                if x is None:
                    return None
                y = second(env)
                if y is None:
                    return None
                return fn(env, x, y) if context else fn(x, y)

            typed = _Typed(result, call2, merged)
        elif len(runs) == 1 and not context:  # known(x): it looks at the unknown itself
            only = runs[0]
            typed = _Typed(result, lambda env: fn(only(env)), merged)
        elif len(runs) == 2 and not context:  # coalesce(x, y)
            first, second = runs
            typed = _Typed(result, lambda env: fn(first(env), second(env)), merged)
        else:

            def call(env: Env) -> Any:
                values = [run(env) for run in runs]
                if strict and None in values:
                    return None
                return fn(env, *values) if context else fn(*values)

            typed = _Typed(result, call, merged)
        if isinstance(function, _Pure):
            return self._fold(typed, args)
        return typed  # compiling never runs a store's function: it may have effects

    def _collection(self, name: str, node: ast.Call, each: _Typed | None) -> _Typed:
        if not 1 <= len(node.args) <= 2 or (len(node.args) == 1 and name != "count"):
            raise _Refused(
                "wrong-type",
                f"{name}() takes a list and what to {('test' if name != 'sum' else 'add up')} "
                "for each element",
                node,
                f"write {name}(order.items, each.price)"
                if name == "sum"
                else f'write {name}(order.items, each.category == "lamps")',
            )
        items = self.node(node.args[0], each)
        if items.type.name == "any":  # a broken fact, reported where it is
            result = (
                t.BOOLEAN if name in ("any", "all") else t.INTEGER if name == "count" else t.ANY
            )
            return _Typed(result, _unknown, _merge(items))
        if items.type.name != "list" or items.type.of is None:
            raise _Refused(
                "wrong-type",
                f"{name}() needs a list first, not {t.describe(items.type)}",
                node.args[0],
            )
        get_items = items.run
        if len(node.args) == 1:

            def length(env: Env) -> Any:
                found = get_items(env)
                return None if found is None else len(found)

            return _Typed(t.INTEGER, length, _merge(items))
        element_path = f"{items.path}[]" if items.path else ""
        element = _Typed(
            items.type.of,
            _each,
            _Reads(paths=frozenset([element_path])) if element_path else _NOTHING,
            path=element_path,
            chain=(_each, ()),
        )
        body = self.node(node.args[1], element)
        merged = _merge(items, body, element)
        test = body.run
        if name == "sum":
            if body.type.name not in t.NUMERIC:
                raise _Refused(
                    "wrong-type", f"sum() adds numbers, not {t.describe(body.type)}", node.args[1]
                )
            zero = 0 if body.type.name == "integer" else Decimal(0)

            def total(env: Env) -> Any:
                found = get_items(env)
                if found is None:
                    return None
                saved, amount = env.each, zero
                try:
                    for element_value in found:
                        env.each = element_value
                        value = test(env)
                        if value is None:
                            return None
                        amount += value
                finally:
                    env.each = saved
                return amount

            return _Typed(body.type, total, merged)
        if body.type.name not in ("boolean", "null", "any"):
            raise _Refused(
                "wrong-type", f"{name}() tests true or false for each element", node.args[1]
            )
        return _Typed(
            t.INTEGER if name == "count" else t.BOOLEAN, _quantifier(name, get_items, test), merged
        )
