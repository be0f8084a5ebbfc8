"""A rule's ``when:``: conditions, the comparisons they are built of, and their values.

::

    when:
      all:
        - days_since_arrival: {lte: $return_window}              # another fact
        - price: {gte: $settings.fee_floor}                      # a setting
        - days_since_order: {lte: $settings.window_days.member}  # a table setting's entry
        - not: {item_worn: true}
        - any: [{colour: {in: [red, blue]}}, {gift: true}]

A test compares a declared fact with an operator (``eq`` when none is given) against a
constant of the fact's type, ``$fact`` (another fact's value for this request), or
``$settings.name`` (a setting, read once at load). Ordered operators take only ordered
types, ``in``/``not_in`` a list of constants, and the two sides of a reference must be
comparable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from typing import Any

from policylib.lang import types as t
from policylib.lang.nodes import (
    COMPARISON_OPS,
    All,
    Any_,
    Compare,
    Condition,
    FactDef,
    Not,
    Ref,
    SettingDef,
)
from policylib.lang.types import Type
from policylib.load.problems import one_of, suggest, undeclared
from policylib.load.reader import Doc
from policylib.load.strict_yaml import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["ConditionReader"]

_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_ORDERED = ("lt", "lte", "gt", "gte")


class ConditionReader:
    """Reads conditions against one pack's facts and settings."""

    def __init__(
        self,
        *,
        facts: Mapping[str, FactDef],
        fact_names: frozenset[str],
        fact_types: Mapping[str, str],
        settings: Mapping[str, SettingDef],
    ) -> None:
        """``facts`` are those read; ``fact_names`` every fact declared, and
        ``fact_types`` the type each declares (a broken fact still has a name)."""
        self.facts = facts
        self.fact_names = fact_names
        self.fact_types = fact_types
        self.settings = settings

    def condition(self, doc: Doc, node: Node) -> Condition | None:
        m = doc.mapping(node, "a condition", optional=None)
        if m is None:
            return None
        if len(m) != 1:
            doc.problem(
                "wrong-type",
                "a condition holds exactly one test" if m else "a condition must not be empty",
                node,
                hint="combine several tests with all: [...] or any: [...]"
                if m
                else "write a test like a_fact: true, or all: [...] / any: [...]",
            )
            return None
        (key, (knode, value)) = next(iter(m.items()))
        loc = doc.loc(knode)
        if key in ("all", "any"):
            items = doc.sequence(
                value,
                f"'{key}'",
                nonempty=True,
                hint=f"list one or more tests: {key}: [a_fact: true, another_fact: 3]",
            )
            if items is None:
                return None
            conds = [self.condition(doc, item) for item in items]
            if any(c is None for c in conds):
                return None
            kept = tuple(c for c in conds if c is not None)
            return All(kept, loc) if key == "all" else Any_(kept, loc)
        if key == "not":
            inner = self.condition(doc, value)
            return None if inner is None else Not(inner, loc)
        return self.compare(doc, key, knode, value)

    def _fact_type(self, name: str) -> Type | None:
        fact = self.facts.get(name)
        if fact is not None:
            return fact.type
        declared = self.fact_types.get(name, "")
        return Type(declared) if declared else None

    def compare(self, doc: Doc, name: str, knode: ScalarNode, value: Node) -> Compare | None:
        loc = doc.loc(knode)
        if name not in self.fact_names:
            doc.problem(
                "unknown-fact",
                f"unknown fact '{name}'",
                knode,
                hint=undeclared(
                    name, [*self.fact_names, "all", "any", "not"], f"declare {name} in facts.yaml"
                ),
            )
            return None
        type_ = self._fact_type(name)
        if type_ is None:
            return None  # the fact itself is broken: reported where it is declared
        op, vnode = "eq", value
        if isinstance(value, MappingNode):
            m = doc.mapping(value, f"the test on '{name}'", optional=None)
            if m is None:
                return None
            if len(m) != 1:
                doc.problem(
                    "wrong-type",
                    f"the test on '{name}' takes exactly one operator"
                    if m
                    else f"the test on '{name}' is empty",
                    value,
                    hint="combine several tests with all: [...]"
                    if m
                    else f"write one operator and its value: {name}: {{eq: {_example(type_)}}}",
                )
                return None
            (op, (onode, vnode)) = next(iter(m.items()))
            if op not in COMPARISON_OPS:
                doc.problem(
                    "bad-operator",
                    f"unknown operator '{op}'",
                    onode,
                    hint=suggest(op, COMPARISON_OPS) or f"use one of {one_of(COMPARISON_OPS)}",
                )
                return None
            if op in _ORDERED and type_.name not in t.ORDERED:
                doc.problem(
                    "bad-operator",
                    f"'{op}' compares order, but '{name}' is a {type_.name} fact",
                    onode,
                    hint="ordered operators work on integer, decimal, money, date and time "
                    "facts; use eq, ne, in or not_in",
                )
                return None
        reference = self.reference(doc, name, type_, op, vnode)
        if reference is not None:
            return None if reference is False else Compare(name, op, reference, loc)
        if op in ("in", "not_in"):
            values = doc.sequence(
                vnode,
                f"'{op}' on '{name}'",
                nonempty=True,
                hint=f"list the values: {name}: {{{op}: [{_example(type_)}, ...]}}",
            )
            if values is None:
                return None
            got = [self.typed_value(doc, name, type_, item) for item in values]
            if any(g is None for g in got):
                return None
            return Compare(name, op, tuple(g for g in got if g is not None), loc)
        single = self.typed_value(doc, name, type_, vnode)
        return None if single is None else Compare(name, op, single, loc)

    def reference(self, doc: Doc, name: str, type_: Type, op: str, node: Node) -> Any:
        """A ``$fact`` (a Ref) or ``$settings.x`` (its value); None when ``node`` is neither,
        False when it is one that is wrong (reported)."""
        if not (isinstance(node, ScalarNode) and str(node.value).startswith("$")):
            return None
        target = str(node.value)[1:]
        if op in ("in", "not_in"):
            doc.problem("wrong-type", f"'{op}' takes a list of values, not {node.value}", node)
            return False
        if target.startswith("settings."):
            found = self.setting_value(doc, target[len("settings.") :], node)
            if found is None:
                return False
            setting_type, value = found
            if not _comparable(type_, setting_type):
                doc.problem(
                    "wrong-type",
                    f"'{name}' is {t.describe(type_)}, but {node.value} is "
                    f"{t.describe(setting_type)}",
                    node,
                )
                return False
            return value
        if target not in self.fact_names:
            doc.problem(
                "unknown-fact",
                f"unknown fact '{target}' in {node.value}",
                node,
                hint=undeclared(target, self.fact_names, f"declare {target} in facts.yaml"),
            )
            return False
        other = self._fact_type(target)
        if other is None:
            return False
        if not _comparable(type_, other):
            doc.problem(
                "wrong-type",
                f"cannot compare '{name}' ({t.describe(type_)}) with '{target}' "
                f"({t.describe(other)})",
                node,
            )
            return False
        return Ref(target)

    def setting_value(self, doc: Doc, path: str, node: Node) -> tuple[Type, Any] | None:
        name, _, key = path.partition(".")
        setting = self.settings.get(name)
        if setting is None:
            doc.problem(
                "unknown-setting",
                f"unknown setting '{name}'",
                node,
                hint=suggest(name, self.settings) or "declare it under settings: in policy.yaml",
            )
            return None
        if setting.type.name == "table":
            assert setting.type.of is not None
            if key not in setting.value:
                doc.problem(
                    "unknown-setting",
                    f"settings.{name} is a table: name an entry, like $settings.{name}."
                    f"{next(iter(setting.value))}",
                    node,
                    hint=f"entries: {one_of(setting.value)}",
                )
                return None
            return setting.type.of, setting.value[key]
        if key:
            doc.problem("unknown-setting", f"settings.{name} has no entry '{key}'", node)
            return None
        return setting.type, setting.value

    def typed_value(self, doc: Doc, name: str, type_: Type, node: Node) -> Any:
        what = f"the value for '{name}'"
        if isinstance(node, (MappingNode, SequenceNode)):
            shape = "a mapping" if isinstance(node, MappingNode) else "a list"
            doc.problem(
                "wrong-type",
                f"{what} must be a single value, not {shape}",
                node,
                hint="lists go with in/not_in: {in: [a, b]}",
            )
            return None
        kind = type_.name
        if kind == "boolean":
            return doc.boolean(node, what)
        if kind == "integer":
            return doc.integer(node, what)
        if kind in ("decimal", "money"):
            return doc.decimal(node, what)
        if kind == "date":
            return doc.date(node, what)
        if kind == "time":
            text = doc.text(node, what)
            match = _CLOCK.match(text or "")
            if text is not None and match is None:
                doc.problem("wrong-type", f"{what} must be a clock time like 18:00", node)
            return time(int(match[1]), int(match[2])) if match else None
        if kind == "datetime":
            doc.problem(
                "wrong-type",
                f"'{name}' is a date and time: compare it with another fact ($name)",
                node,
            )
            return None
        text = doc.text(node, what, allow_empty=kind == "text")
        if text is not None and kind == "enum" and text not in type_.values:
            doc.problem(
                "unknown-enum-value",
                f"'{text}' is not a value of '{name}'",
                node,
                hint=suggest(text, type_.values) or f"use one of {one_of(type_.values)}",
            )
            return None
        return text


def _comparable(a: Type, b: Type) -> bool:
    if a.name in t.NUMERIC and b.name in t.NUMERIC:
        return True
    return t.assignable(a, b) or t.assignable(b, a) or {a.name, b.name} <= {"enum", "text"}


_EXAMPLE_VALUES = {
    "boolean": "true",
    "integer": "30",
    "decimal": "1.5",
    "money": "49.99",
    "date": "2026-11-20",
    "time": "18:00",
    "text": "some text",
}


def _example(type_: Type) -> str:
    """A value of the type, for hints."""
    if type_.name == "enum" and type_.values:
        return type_.values[0]
    return _EXAMPLE_VALUES.get(type_.name, "a value")
