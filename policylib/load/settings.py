"""``policy.yaml``'s ``settings:``: named values the pack's rules and expressions read.

::

    settings:
      fee_percent: {value: 10, unit: percent}
      window_days: {value: {basic: 14, member: 30}, unit: days}     # a table
      cutoff: {value: "17:00", type: time}
      slots: {value: [{start: "08:00", end: "12:00"}], type: slot}  # vocabulary objects
      courtesy_limit: 25                                            # typed as YAML reads it

Every setting has a type (declared, or read from how YAML reads a plain value) and its
value fits it: a percentage from 0 to 100, money never negative, a clock time, a number
inside its ``min``/``max``. A mapping value is a table of such values keyed by text; a
setting of one of the vocabulary's object types holds one object, or a list of them,
validated as the request model would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import time
from decimal import Decimal
from typing import Any

from policylib.lang import types as t
from policylib.lang.nodes import SettingDef
from policylib.lang.types import Type
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.strict_yaml import (
    BOOL,
    FLOAT,
    INT,
    STR,
    TIMESTAMP,
    MappingNode,
    Node,
    ScalarNode,
)

__all__ = ["ObjectCheck", "read_setting", "read_settings"]

_SETTING_TYPES = ("integer", "decimal", "money", "text", "boolean", "date", "time")
"""The types a setting may declare besides the pack's own object types."""
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")

ObjectCheck = Callable[[Any, Node, str], Any]
"""Validates a plain value as one of the pack's objects (reported); None when invalid."""


def read_settings(
    doc: Doc,
    entries: Entries,
    units: Iterable[str],
    objects: Mapping[str, ObjectCheck] | None,
) -> tuple[dict[str, SettingDef], set[str]]:
    """The settings read, and the names of those declared but not read (reported).

    ``units`` are the pack's units besides percent and currency; ``objects`` validates a
    value of each of the pack's object types (None: the vocabulary could not be read, so
    settings of its types are not checked)."""
    known_units = ("percent", "currency", "", *units)
    out: dict[str, SettingDef] = {}
    broken: set[str] = set()
    for name, (knode, value) in doc.entries(entries, "settings").items():
        if not _NAME.match(name):
            doc.problem("bad-id", f"setting name '{name}' must be lowercase_words", knode)
            continue
        setting = read_setting(doc, name, value, known_units, objects)
        if setting is not None:
            out[name] = setting
        else:
            broken.add(name)
    return out, broken


def read_setting(
    doc: Doc,
    name: str,
    node: Node,
    units: tuple[str, ...],
    objects: Mapping[str, ObjectCheck] | None,
) -> SettingDef | None:
    """One setting: a plain value, or ``{value: ..., type: ..., unit: ..., min: ...}``;
    ``units`` lists every unit a setting may name (with percent, currency and none)."""
    what = f"settings.{name}"
    if not isinstance(node, MappingNode):
        kind = _inferred(node)
        if kind is None:
            doc.problem(
                "wrong-type",
                f"{what} needs a type: write it as {{value: ..., type: ...}}",
                node,
                hint=f"types: {one_of(_SETTING_TYPES)}",
            )
            return None
        value = _read_value(doc, node, kind, what, None, None)
        return None if value is None else SettingDef(name, Type(kind), value, loc=doc.loc(node))
    m = doc.mapping(
        node, what, required=("value",), optional=("type", "unit", "min", "max", "description")
    )
    if m is None or "value" not in m:
        return None
    unit = doc.optional(m, "unit", doc.text, "", f"{what} unit")
    if unit is not None and unit not in units:
        doc.problem(
            "wrong-type",
            f"{what} has unknown unit '{unit}'",
            m["unit"][1],
            hint=suggest(unit, units) or f"declare it under units: ({one_of(sorted(units))})",
        )
        return None
    declared = doc.optional(m, "type", doc.text, "", f"{what} type")
    if declared and objects is not None and declared in objects:
        return _object_setting(doc, name, m, objects[declared], declared)
    if declared and declared not in _SETTING_TYPES:
        if objects is None:
            return None  # the vocabulary's types could not be read (reported there)
        choices = [*_SETTING_TYPES, *objects]
        doc.problem(
            "wrong-type",
            f"{what} has unknown type '{declared}'",
            m["type"][1],
            hint=suggest(declared, choices) or f"use one of {one_of(choices)}",
        )
        return None
    raw = m["value"][1]
    sample = raw
    if isinstance(raw, MappingNode) and raw.value:
        sample = raw.value[0][1]
    kind = declared or ("money" if unit == "currency" else None) or _inferred(sample)
    if kind is None:
        doc.problem(
            "wrong-type",
            f"{what} needs a type: add type:",
            raw,
            hint=f"types: {one_of(_SETTING_TYPES)}",
        )
        return None
    low = doc.optional(m, "min", doc.number, None, f"{what} min")
    high = doc.optional(m, "max", doc.number, None, f"{what} max")
    if unit == "percent":
        low = 0 if low is None else low
        high = 100 if high is None else high
    description = doc.optional(m, "description", doc.text, "")
    if isinstance(raw, MappingNode):
        table: dict[str, Any] = {}
        for key, (_, item) in (doc.mapping(raw, what, optional=None) or {}).items():
            value = _read_value(doc, item, kind, f"{what}.{key}", low, high)
            if value is None:
                return None
            table[key] = value
        if not table:
            doc.problem("wrong-type", f"{what} is an empty table", raw)
            return None
        type_ = t.table_of(t.TEXT, Type(kind))
        return SettingDef(
            name, type_, table, unit or "", " ".join((description or "").split()), doc.loc(raw)
        )
    value = _read_value(doc, raw, kind, what, low, high)
    if value is None:
        return None
    return SettingDef(
        name, Type(kind), value, unit or "", " ".join((description or "").split()), doc.loc(raw)
    )


def _object_setting(
    doc: Doc, name: str, m: Entries, check: ObjectCheck, type_name: str
) -> SettingDef | None:
    """A setting holding one of the pack's objects (``check`` validates one), or a list
    of them."""
    what = f"settings.{name}"
    raw = m["value"][1]
    description = doc.optional(m, "description", doc.text, "") or ""
    items = doc.sequence(raw, what) if not isinstance(raw, MappingNode) else [raw]
    values = []
    for item in items or []:
        ok, plain = doc.plain(item, what, decimals=True)
        value = check(plain, item, what) if ok else None
        if value is None:
            return None
        values.append(value)
    if not values:
        return None
    type_ = t.object_of(type_name)
    words = " ".join(description.split())
    if isinstance(raw, MappingNode):
        return SettingDef(name, type_, values[0], "", words, doc.loc(raw))
    return SettingDef(name, t.list_of(type_), values, "", words, doc.loc(raw))


def _inferred(node: Node) -> str | None:
    """A setting's type from how YAML reads its value, when it does not say."""
    if not isinstance(node, ScalarNode) or node.style:
        return "text" if isinstance(node, ScalarNode) and node.tag == STR else None
    return {INT: "integer", FLOAT: "decimal", BOOL: "boolean", TIMESTAMP: "date", STR: "text"}.get(
        node.tag
    )


def _read_value(
    doc: Doc,
    node: Node,
    kind: str,
    what: str,
    low: int | Decimal | None,
    high: int | Decimal | None,
) -> Any:
    """One value of a setting's type, inside ``low`` to ``high`` when it is a number."""
    value: Any
    if kind == "integer":
        value = doc.integer(node, what)
    elif kind in ("decimal", "money"):
        value = doc.number(node, what)
        if value is not None and kind == "money":
            value = Decimal(value)
            if value < 0:
                doc.problem(
                    "out-of-range", f"{what} is an amount of money and cannot be negative", node
                )
                return None
    elif kind == "boolean":
        value = doc.boolean(node, what)
    elif kind == "date":
        value = doc.date(node, what)
    elif kind == "time":
        text = doc.text(node, what)
        match = _CLOCK.match(text or "")
        if text is not None and match is None:
            doc.problem("wrong-type", f"{what} must be a clock time like 18:00, not `{text}`", node)
            return None
        value = time(int(match[1]), int(match[2])) if match else None
    else:
        value = doc.text(node, what)
    if value is None:
        return None
    number = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if number and ((low is not None and value < low) or (high is not None and value > high)):
        doc.problem(
            "out-of-range",
            f"{what} is {value}, outside {low if low is not None else '...'} to "
            f"{high if high is not None else '...'}",
            node,
            hint="write a value inside the range",
        )
        return None
    return value
