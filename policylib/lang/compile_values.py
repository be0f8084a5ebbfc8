"""Compiling the values an expression starts from: literals, lists, names and paths.

A name is a root of the request (``order``, ``item``), a fact, ``each`` inside a
collection form, or ``true``/``false``/``null``; ``settings.x`` is a constant, and
``settings.table[key]`` a lookup checked entry by entry. A path through an object's fields
is type-checked field by field and compiled into one closure for the whole path.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, DecimalException
from typing import Any

from policylib.lang import types as t
from policylib.lang.closures import _path_reader, _slot_reader, _unknown
from policylib.lang.compile_base import _CompilerBase
from policylib.lang.program import COLLECTION_FORMS, Env, Run
from policylib.lang.typed import _NOTHING, _const, _merge, _name_of, _Reads, _Refused, _Typed
from policylib.lang.types import Type


class _Values(_CompilerBase):
    """The handlers of literals, lists, names, settings, fields and table lookups."""

    # ---------------------------------------------------------------- leaves

    def _Constant(self, node: ast.Constant, each: _Typed | None) -> _Typed:
        value = node.value
        if isinstance(value, bool):
            return _const(t.BOOLEAN, value)
        if isinstance(value, int):
            return _const(t.INTEGER, value)
        if isinstance(value, float):
            text = self._segment(node).replace("_", "")
            try:
                number = Decimal(text)
            except DecimalException:
                number = Decimal(repr(value))
            if not number.is_finite() or "e" in text.lower():
                raise _Refused(
                    "not-allowed", "write numbers with digits, like 49.99", node, "no exponents"
                )
            return _const(t.DECIMAL, number)
        if isinstance(value, str):
            # A text literal is the one value it spells: it fits a text, or an enum that has
            # that value ("order" if ... else "none" is an enum of two values).
            return _const(t.enum((value,)), value, literal=True)
        if value is None:
            return _const(t.NULL, None)
        raise _Refused("not-allowed", f"{type(value).__name__} literals are not allowed", node)

    def _Name(self, node: ast.Name, each: _Typed | None) -> _Typed:
        name = node.id
        if name in ("true", "false"):
            return _const(t.BOOLEAN, name == "true")
        if name == "null":
            return _const(t.NULL, None)
        if name == "each":
            if each is None:
                raise _Refused(
                    "unknown-name",
                    "'each' names one element inside any(), all(), count() or sum()",
                    node,
                    'write any(order.items, each.category == "lamps")',
                )
            return each
        if name == "settings":
            raise _Refused(
                "unknown-name", "name one setting: settings.<name>", node, self._setting_hint("")
            )
        root = self.scope.roots.get(name)
        if root is not None:
            reads = _Reads(paths=frozenset([root.path])) if root.path else _NOTHING
            chain: tuple[Run | None, tuple[str, ...]] = (
                (None, (root.field,))
                if root.field
                else (_slot_reader(root.slot), ())
                if root.slot
                else (root.get, ())
            )
            return _Typed(root.type, root.get, reads, path=root.path, chain=chain)
        fact_type = self.scope.facts.get(name)
        if fact_type is not None:

            def fact(env: Env, _name: str = name) -> Any:
                values = env.values  # derived already (the common case): no second call
                return values[_name] if _name in values else env.fact(_name)

            return _Typed(fact_type, fact, _Reads(facts=frozenset([name])))
        if name in self.scope.functions or name in COLLECTION_FORMS:
            raise _Refused("not-allowed", f"{name} is a function: call it, {name}(...)", node)
        choices = [*self.scope.roots, *self.scope.facts, "settings"]
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        raise _Refused(
            "unknown-name",
            f"unknown name '{name}'",
            node,
            f"did you mean '{close[0]}'?" if close else "declare it as a fact in facts.yaml",
        )

    def _setting_hint(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.scope.settings), n=1, cutoff=0.6)
        if close:
            return f"did you mean 'settings.{close[0]}'?"
        known = ", ".join(sorted(self.scope.settings)[:10])
        return f"settings: {known}" if known else "declare it under settings: in policy.yaml"

    def _List(self, node: ast.List | ast.Tuple, each: _Typed | None) -> _Typed:
        items = [self.node(e, each) for e in node.elts]
        element: Type | None = t.NULL
        for item in items:
            element = t.unify(element, item.type) if element is not None else None
        if element is None:
            raise _Refused("wrong-type", "a list's values must all be of one kind", node)
        runs = tuple(i.run for i in items)
        merged = _merge(*items)
        if all(i.constant for i in items):
            values = [i.value for i in items]
            typed = _const(t.list_of(element), values)
            literal_values = [i.value for i in items if i.literal]
            return _Typed(typed.type, typed.run, merged, True, values, literal=bool(literal_values))

        def listed(env: Env) -> Any:
            return [run(env) for run in runs]

        return _Typed(t.list_of(element), listed, merged)

    _Tuple = _List

    # ---------------------------------------------------------------- paths

    def _Attribute(self, node: ast.Attribute, each: _Typed | None) -> _Typed:
        name = node.attr
        spot = _name_of(node)
        if name.startswith("_"):
            raise _Refused("not-allowed", f"names starting with '_' ({name}) are not allowed", spot)
        if isinstance(node.value, ast.Name) and node.value.id == "settings":
            setting = self.scope.settings.get(name)
            if setting is None:
                raise _Refused(
                    "unknown-setting", f"unknown setting '{name}'", spot, self._setting_hint(name)
                )
            typed = _const(setting.type, setting.value)
            reads = _Reads(settings=frozenset([name]))
            return _Typed(setting.type, typed.run, reads, constant=True, value=setting.value)
        base = self.node(node.value, each)
        if base.type.name == "any":  # a broken fact or setting, reported where it is
            return _Typed(t.ANY, _unknown, _merge(base))
        if base.type.name == "table":
            if base.constant and isinstance(base.value, Mapping) and name in base.value:
                assert base.type.of is not None
                value = base.value[name]
                return _Typed(base.type.of, lambda env: value, base.reads, True, value)
            raise _Refused(
                "unknown-setting",
                f"the table has no entry '{name}'",
                spot,
                f"entries: {', '.join(map(str, base.value))}"
                if isinstance(base.value, Mapping)
                else "",
            )
        if base.type.name == "list":
            raise _Refused(
                "wrong-type",
                f"'{self._segment(node.value)}' is a list, so it has no field '{name}'",
                spot,
                f"look inside it with any({self._segment(node.value)}, each.{name} ...)",
            )
        if base.type.name != "object":
            raise _Refused(
                "wrong-type",
                f"{t.describe(base.type)} has no fields, so '.{name}' means nothing here",
                spot,
            )
        fields = self.scope.objects.get(base.type.object, {})
        field_type = fields.get(name)
        if field_type is None:
            close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
            raise _Refused(
                "unknown-field",
                f"{base.type.object} has no field '{name}'",
                spot,
                f"did you mean '{close[0]}'?" if close else f"fields: {', '.join(sorted(fields))}",
            )
        inner = base.run
        path = f"{base.path}.{name}" if base.path else ""
        chain = None
        if base.chain is not None:
            chain = (base.chain[0], (*base.chain[1], name))
            get = _path_reader(*chain)
        else:

            def get(env: Env) -> Any:
                value = inner(env)
                return None if value is None else getattr(value, name, None)

        if field_type.name == "datetime":  # a bare date stands for its first moment
            read = get
            chain = None

            def get_moment(env: Env) -> Any:
                found = read(env)
                if isinstance(found, date) and not isinstance(found, datetime):
                    return datetime.combine(found, time(0), tzinfo=env.zone)
                return found

            get = get_moment

        return _Typed(
            field_type,
            get,
            _merge(base, paths=[path] if path else []),
            path=path,
            chain=chain,
        )

    def _Subscript(self, node: ast.Subscript, each: _Typed | None) -> _Typed:
        base = self.node(node.value, each)
        if base.type.name == "any":  # a broken setting, reported where it is declared
            return _Typed(t.ANY, _unknown, _merge(base, self.node(node.slice, each)))
        if base.type.name != "table" or base.type.of is None or base.type.key is None:
            raise _Refused(
                "not-allowed",
                "[...] looks up an entry of a settings table",
                node,
                "write settings.<table>[<key>], like settings.return_days[customer.tier]",
            )
        key = self.node(node.slice, each)
        # An enum key (a text literal is one) is checked entry by entry below, where a
        # missing entry gets its own error.
        if not t.assignable(key.type, base.type.key) and not (
            key.type.name == "enum" and base.type.key.name in ("text", "enum")
        ):
            raise _Refused(
                "wrong-type",
                f"this table's keys are {t.describe(base.type.key)}, not {t.describe(key.type)}",
                node.slice,
            )
        table: Mapping[Any, Any] = base.value if isinstance(base.value, Mapping) else {}
        missing = self._missing_keys(key, table)
        if missing:
            raise _Refused(
                "unknown-enum-value",
                f"the table has no entry for {', '.join(map(repr, missing))}",
                node.slice,
                f"entries: {', '.join(map(str, table))}",
            )
        merged = _merge(base, key)
        if key.constant:
            value = table.get(key.value)
            return _Typed(base.type.of, lambda env: value, merged, constant=True, value=value)
        get_key = key.run

        def lookup(env: Env) -> Any:
            found = get_key(env)
            return None if found is None else table.get(found)

        return _Typed(base.type.of, lookup, merged)

    @staticmethod
    def _missing_keys(key: _Typed, table: Mapping[Any, Any]) -> list[Any]:
        if key.constant:
            return [] if key.value in table else [key.value]
        if key.type.name == "enum":
            return [v for v in key.type.values if v not in table]
        return []
