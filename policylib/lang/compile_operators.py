"""Compiling the operators: ``and``/``or``/``not``, arithmetic, comparisons, ``if``/``else``.

Each is checked against its operands' types (money times money means nothing; an enum
compared with a text literal must have that value) and compiled with the Kleene rules:
an unknown operand makes the result unknown, except where ``and``/``or`` are decided
without it. An operation on constants only is worked out once, when compiling.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from decimal import DecimalException
from typing import Any

from policylib.lang import types as t
from policylib.lang.closures import _membership
from policylib.lang.compile_base import _CompilerBase
from policylib.lang.program import Env, Run
from policylib.lang.typed import (
    _ARITHMETIC,
    _COMPARE,
    _arithmetic_type,
    _merge,
    _Refused,
    _said,
    _text_literals,
    _Typed,
)
from policylib.lang.types import Type


class _Operators(_CompilerBase):
    """The handlers of boolean, unary and binary operators, comparisons and ``x if c else y``."""

    def _BoolOp(self, node: ast.BoolOp, each: _Typed | None) -> _Typed:
        parts = [self._boolean(v, each) for v in node.values]
        runs = tuple(p.run for p in parts)
        merged = _merge(*parts)
        if isinstance(node.op, ast.And):

            def and_(env: Env) -> Any:
                unknown = False
                for run in runs:
                    value = run(env)
                    if value is False:
                        return False
                    if value is None:
                        unknown = True
                return None if unknown else True

            return self._fold(_Typed(t.BOOLEAN, and_, merged), parts)

        def or_(env: Env) -> Any:
            unknown = False
            for run in runs:
                value = run(env)
                if value is True:
                    return True
                if value is None:
                    unknown = True
            return None if unknown else False

        return self._fold(_Typed(t.BOOLEAN, or_, merged), parts)

    def _boolean(self, node: ast.expr, each: _Typed | None) -> _Typed:
        typed = self.node(node, each)
        if typed.type.name not in ("boolean", "null", "any"):
            raise _Refused(
                "wrong-type",
                f"expected true or false here, not {t.describe(typed.type)}",
                node,
                'compare it with something: x > 0, x == "value"',
            )
        return typed

    def _UnaryOp(self, node: ast.UnaryOp, each: _Typed | None) -> _Typed:
        if isinstance(node.op, ast.Not):
            inner = self._boolean(node.operand, each)
            run = inner.run

            def not_(env: Env) -> Any:
                value = run(env)
                return None if value is None else not value

            return self._fold(_Typed(t.BOOLEAN, not_, _merge(inner)), [inner])
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.node(node.operand, each)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            if inner.type.name not in t.NUMERIC | {"any"}:
                raise _Refused(
                    "wrong-type",
                    f"'{'-' if sign < 0 else '+'}' needs a number, not {t.describe(inner.type)}",
                    node,
                )
            if sign > 0:
                return inner  # +x is x
            run = inner.run

            def negate(env: Env) -> Any:
                value = run(env)
                # -x, not -1 * x: the product of a zero and -1 is Decimal("-0.00")
                return None if value is None else -value

            return self._fold(_Typed(inner.type, negate, _merge(inner)), [inner])
        raise _Refused("not-allowed", "this operator is not allowed", node)

    def _BinOp(self, node: ast.BinOp, each: _Typed | None) -> _Typed:
        found = _ARITHMETIC.get(type(node.op))
        if found is None:
            raise _Refused(
                "not-allowed", "only + - * / are allowed", node, "use round_money() to round"
            )
        symbol, fn = found
        left, right = self.node(node.left, each), self.node(node.right, each)
        result = _arithmetic_type(symbol, left.type, right.type)
        if result is None:
            kinds = {left.type.name, right.type.name}
            if kinds & {"date", "datetime"}:
                hint = "dates change with add_days() and add_months()"
            elif "money" in kinds and symbol in ("*", "/"):
                hint = "money times or divided by a number is money"
            elif left.literal or right.literal:
                hint = "text in quotes is text, not a number: write the number without quotes"
            else:
                hint = "arithmetic works on numbers and money"
            raise _Refused(
                "wrong-type",
                f"cannot use {symbol} on {_said(left)} and {_said(right)}",
                node,
                hint,
            )
        a, b = left.run, right.run
        if right.constant and right.value is not None and not left.constant:
            const = right.value  # item.price * settings.fee_percent / 100

            def arithmetic_constant(env: Env) -> Any:
                x = a(env)
                if x is None:
                    return None
                try:
                    return fn(x, const)
                except (ZeroDivisionError, DecimalException):
                    return None

            return _Typed(result, arithmetic_constant, _merge(left, right))

        def arithmetic(env: Env) -> Any:
            x = a(env)
            if x is None:
                return None
            y = b(env)
            if y is None:
                return None
            try:
                return fn(x, y)
            except (ZeroDivisionError, DecimalException):
                return None  # a division by zero has no value: unknown

        return self._fold(_Typed(result, arithmetic, _merge(left, right)), [left, right])

    def _Compare(self, node: ast.Compare, each: _Typed | None) -> _Typed:
        operands = [self.node(node.left, each)]
        operands += [self.node(c, each) for c in node.comparators]
        pairs: list[tuple[Run, Callable[[Any, Any], bool], Run]] = []
        for i, op in enumerate(node.ops):
            found = _COMPARE.get(type(op))
            if found is None:
                raise _Refused(
                    "not-allowed",
                    "'is' is not allowed",
                    node,
                    "write known(x) to test whether a value is known",
                )
            symbol, fn = found
            left, right = operands[i], operands[i + 1]
            spot = node.comparators[i]
            self._check_comparison(symbol, left, right, spot)
            if symbol in ("in", "not in") and right.constant and isinstance(right.value, list):
                fn = _membership(right.value, symbol == "in")
            pairs.append((left.run, fn, right.run))
        merged = _merge(*operands)
        if len(pairs) == 1:
            (a, fn, b) = pairs[0]
            if operands[1].constant and operands[1].value is not None:
                const = operands[1].value

                def compare_constant(env: Env) -> Any:
                    x = a(env)
                    return None if x is None else bool(fn(x, const))

                return self._fold(_Typed(t.BOOLEAN, compare_constant, merged), operands)
            if operands[0].constant and operands[0].value is not None:
                known_left = operands[0].value  # "fragile" in item.tags

                def constant_compare(env: Env) -> Any:
                    y = b(env)
                    return None if y is None else bool(fn(known_left, y))

                return self._fold(_Typed(t.BOOLEAN, constant_compare, merged), operands)

            def compare(env: Env) -> Any:
                x = a(env)
                if x is None:
                    return None
                y = b(env)
                if y is None:
                    return None
                return bool(fn(x, y))

            return self._fold(_Typed(t.BOOLEAN, compare, merged), operands)
        chain = tuple(pairs)

        def chained(env: Env) -> Any:
            unknown = False
            for a, fn, b in chain:
                x, y = a(env), b(env)
                if x is None or y is None:
                    unknown = True
                elif not fn(x, y):
                    return False
            return None if unknown else True

        return self._fold(_Typed(t.BOOLEAN, chained, merged), operands)

    def _check_comparison(self, symbol: str, left: _Typed, right: _Typed, spot: ast.AST) -> None:
        if t.NULL in (left.type, right.type) and symbol in ("==", "!="):
            raise _Refused(
                "not-allowed",
                "comparing with None is always unknown",
                spot,
                "write known(x) to test whether a value is known",
            )
        if symbol in ("in", "not in"):
            if right.type.name != "list" or right.type.of is None:
                raise _Refused(
                    "wrong-type", f"'{symbol}' needs a list on its right, like [a, b]", spot
                )
            self._same_kind(left, right.type.of, right, spot)
            return
        if symbol in ("<", "<=", ">", ">="):
            kinds = {left.type.name, right.type.name}
            if "any" in kinds:
                return  # a broken fact or setting, reported where it is
            ordered = kinds <= t.NUMERIC or (len(kinds) == 1 and kinds <= t.ORDERED)
            if not ordered:
                raise _Refused(
                    "wrong-type",
                    f"cannot order {t.describe(left.type)} against {t.describe(right.type)}",
                    spot,
                    "order compares numbers, money, dates and times with their own kind",
                )
            return
        self._same_kind(left, right.type, right, spot)

    def _same_kind(self, left: _Typed, right_type: Type, right: _Typed, spot: ast.AST) -> None:
        """Equality and membership: the two sides must be values of one kind; a text
        literal compared with an enum must be one of the enum's values."""
        if left.literal and right.literal:
            return  # two texts written in the formula
        if "any" in (left.type.name, right_type.name):
            return  # a broken fact or setting, reported where it is
        # A text literal has an enum type of its own one value: the values to check it
        # against are the other side's, whichever side it is on ("lamps" == item.category).
        sides = ((left, left.type, right, right_type), (right, right_type, left, left.type))
        for declared, declared_type, other, other_type in sides:
            if declared.literal or declared_type.name != "enum":
                continue
            if other_type.name not in ("text", "enum"):
                continue
            values = declared_type.values
            missing = [v for v in _text_literals(other) if v not in values]
            if missing:
                close = difflib.get_close_matches(missing[0], values, n=1)
                raise _Refused(
                    "unknown-enum-value",
                    f"'{missing[0]}' is not one of its values ({', '.join(values)})",
                    spot,
                    f"did you mean '{close[0]}'?" if close else "",
                )
            return
        if t.assignable(left.type, right_type) or t.assignable(right_type, left.type):
            return
        if left.type.name in t.NUMERIC and right_type.name in t.NUMERIC:
            return
        raise _Refused(
            "wrong-type",
            f"cannot compare {t.describe(left.type)} with {t.describe(right_type)}",
            spot,
        )

    def _IfExp(self, node: ast.IfExp, each: _Typed | None) -> _Typed:
        test = self._boolean(node.test, each)
        yes, no = self.node(node.body, each), self.node(node.orelse, each)
        result = t.unify(yes.type, no.type)
        if result is None:
            if yes.type.name in t.NUMERIC and no.type.name in t.NUMERIC:
                result = t.MONEY if "money" in (yes.type.name, no.type.name) else t.DECIMAL
            else:
                raise _Refused(
                    "wrong-type",
                    f"the two branches give {t.describe(yes.type)} and {t.describe(no.type)}",
                    node,
                    "both branches must give the same kind of value",
                )
        c, a, b = test.run, yes.run, no.run

        def choose(env: Env) -> Any:
            value = c(env)
            if value is None:
                return None
            return a(env) if value else b(env)

        return self._fold(_Typed(result, choose, _merge(test, yes, no)), [test, yes, no])
