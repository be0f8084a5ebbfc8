"""The reference semantics: a slow, direct interpreter of the expression language.

``evaluate_reference`` walks the syntax tree for every evaluation, with the Kleene rules
spelled out; the tests check the compiled closures against it. ``is_value`` says whether
a Python value is one the language has. Nothing here is used when serving a request.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, DecimalException
from typing import Any

from policylib.lang.program import COLLECTION_FORMS
from policylib.lang.typed import _ARITHMETIC, _COMPARE


def evaluate_reference(
    source: str, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
) -> Any:
    """A slow, direct interpreter of the same language, for tests: walks the tree for every
    evaluation with the Kleene rules spelled out. ``names`` maps root and fact names (and
    ``settings``, a dict) to values; objects are read with ``getattr``."""
    wrapped = f"(\n{source.strip()}\n)"
    tree = ast.parse(wrapped, mode="eval")
    return _ref(tree.body, names, functions, None, wrapped)


def _ref(
    node: ast.expr,
    names: Mapping[str, Any],
    functions: Mapping[str, Callable[..., Any]],
    each: Any,
    source: str,
) -> Any:
    def sub(child: ast.expr, element: Any = each) -> Any:
        return _ref(child, names, functions, element, source)

    if isinstance(node, ast.Constant):
        if isinstance(node.value, float):  # as written: 0.10 is Decimal("0.10")
            return Decimal((ast.get_source_segment(source, node) or "").replace("_", ""))
        return node.value
    if isinstance(node, ast.Name):
        if node.id == "each":
            return each
        if node.id in ("true", "false"):
            return node.id == "true"
        if node.id == "null":
            return None
        return names[node.id]
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise ValueError(f"not in the language: .{node.attr}")
        base = sub(node.value)
        if base is None:
            return None
        if isinstance(base, Mapping):
            return base.get(node.attr)
        return getattr(base, node.attr, None)
    if isinstance(node, ast.Subscript):
        base = sub(node.value)
        key = sub(node.slice)
        return None if base is None or key is None else base.get(key)
    if isinstance(node, ast.BoolOp):
        values = [sub(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in values else None if None in values else True
        return True if True in values else None if None in values else False
    if isinstance(node, ast.UnaryOp):
        value = sub(node.operand)
        if value is None:
            return None
        if isinstance(node.op, ast.Not):
            return not value
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        x, y = sub(node.left), sub(node.right)
        if x is None or y is None:
            return None
        try:
            return _ARITHMETIC[type(node.op)][1](x, y)
        except (ZeroDivisionError, DecimalException):
            return None
    if isinstance(node, ast.Compare):
        values = [sub(node.left)]
        values += [sub(c) for c in node.comparators]
        results = []
        for i, op in enumerate(node.ops):
            x, y = values[i], values[i + 1]
            results.append(None if x is None or y is None else bool(_COMPARE[type(op)][1](x, y)))
        return False if False in results else None if None in results else True
    if isinstance(node, ast.IfExp):
        test = sub(node.test)
        if test is None:
            return None
        return sub(node.body if test else node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [sub(e) for e in node.elts]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in COLLECTION_FORMS:
            items = sub(node.args[0])
            if items is None:
                return None
            if len(node.args) == 1:
                return len(items)
            results = [sub(node.args[1], x) for x in items]
            if name == "sum":
                return None if None in results else sum(results)
            if name == "count":
                return None if None in results else sum(bool(r) for r in results)
            if name == "any":
                return True if True in results else None if None in results else False
            return False if False in results else None if None in results else True
        args = [sub(a) for a in node.args]
        return functions[name](*args)
    raise ValueError(f"not in the language: {ast.dump(node)}")


def is_value(value: object) -> bool:
    """Whether a Python value is one the language has (for tests and function results)."""
    return value is None or isinstance(value, (bool, int, Decimal, str, date, datetime, time, list))
