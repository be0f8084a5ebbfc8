"""Value types of the rule language: what a fact, a request field or a setting can hold.

A ``Type`` is plain data. The expression checker (``lang.expr``) uses it to refuse, at load
time, a comparison of a date with a number or an enum value that does not exist; the
request builder uses it to make the validating model; the renderer uses it to format a
value for people. Nothing here knows about any store.

Numbers form a small tower: an ``integer`` goes wherever a ``decimal`` does, and either
mixes with ``money`` in multiplication and division (a price times a percentage is still
money). ``enum`` is text restricted to declared values; it goes wherever ``text`` does.
``null`` (the literal ``None``) goes anywhere: it is the unknown value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ANY",
    "BOOLEAN",
    "DATE",
    "DATETIME",
    "DECIMAL",
    "INTEGER",
    "MONEY",
    "NULL",
    "NUMERIC",
    "ORDERED",
    "SCALAR_NAMES",
    "TEXT",
    "TIME",
    "Type",
    "assignable",
    "describe",
    "enum",
    "list_of",
    "object_of",
    "table_of",
    "unify",
]


@dataclass(frozen=True, slots=True)
class Type:
    """One value type.

    Attributes:
        name: boolean, integer, decimal, money, text, enum, date, datetime, time, list,
            object, table, null or any.
        values: an enum's allowed values, in declared order.
        of: a list's element type, or a table's value type.
        key: a table's key type.
        object: an object type's name (``Order``, ``Item``, a pack's ``window`` ...).
    """

    name: str
    values: tuple[str, ...] = ()
    of: Type | None = None
    key: Type | None = None
    object: str = ""

    def __str__(self) -> str:
        if self.name == "enum":
            return f"enum({', '.join(self.values)})"
        if self.name == "list" and self.of is not None:
            return f"list of {self.of}"
        if self.name == "table" and self.of is not None:
            return f"table of {self.of}"
        if self.name == "object":
            return self.object
        return self.name


BOOLEAN = Type("boolean")
INTEGER = Type("integer")
DECIMAL = Type("decimal")
MONEY = Type("money")
TEXT = Type("text")
DATE = Type("date")
DATETIME = Type("datetime")
TIME = Type("time")
NULL = Type("null")
ANY = Type("any")

SCALAR_NAMES = (
    "boolean",
    "integer",
    "decimal",
    "money",
    "text",
    "enum",
    "date",
    "datetime",
    "time",
)
"""The scalar types a pack may declare for a fact, a field or a setting."""

NUMERIC = frozenset({"integer", "decimal", "money"})
ORDERED = frozenset({"integer", "decimal", "money", "date", "datetime", "time"})
"""Types with an order: ``lt``, ``lte``, ``gt`` and ``gte`` apply to these."""


def enum(values: Iterable[str]) -> Type:
    return Type("enum", tuple(values))


def list_of(item: Type) -> Type:
    return Type("list", of=item)


def table_of(key: Type, value: Type) -> Type:
    return Type("table", of=value, key=key)


def object_of(name: str) -> Type:
    return Type("object", object=name)


def assignable(source: Type, target: Type) -> bool:
    """Whether a value of ``source`` may stand where ``target`` is expected."""
    if source == target or "any" in (source.name, target.name) or source.name == "null":
        return True
    if source.name == "integer" and target.name == "decimal":
        return True
    if source.name == "enum" and target.name == "text":
        return True
    if source.name == "enum" and target.name == "enum":
        return set(source.values) <= set(target.values)
    if source.name == "list" and target.name == "list" and source.of and target.of:
        return assignable(source.of, target.of)
    return False


def unify(a: Type, b: Type) -> Type | None:
    """The one type both values fit (for ``x if c else y`` and ``coalesce``), or None."""
    if a.name == "null":
        return b
    if b.name == "null":
        return a
    if a == b:
        return a
    if {a.name, b.name} == {"integer", "decimal"}:
        return DECIMAL
    if a.name == "enum" and b.name == "enum":
        return enum(dict.fromkeys((*a.values, *b.values)))
    if {a.name, b.name} <= {"enum", "text"}:
        return TEXT
    if a.name == "list" and b.name == "list" and a.of and b.of:
        inner = unify(a.of, b.of)
        return list_of(inner) if inner is not None else None
    return None


_WORDS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "decimal": "a number",
    "money": "an amount of money",
    "text": "text",
    "date": "a date",
    "datetime": "a date and time",
    "time": "a time of day",
    "null": "nothing (None)",
    "any": "any value",
}


def describe(t: Type) -> str:
    """The type in words, for error messages: "a whole number", "one of a, b or c"."""
    if t.name == "enum":
        shown = ", ".join(t.values[:8]) + (", ..." if len(t.values) > 8 else "")
        return f"one of {shown}"
    if t.name == "list":
        return f"a list of {describe(t.of)}" if t.of else "a list"
    if t.name == "table":
        return f"a table of {describe(t.of)}" if t.of else "a table"
    if t.name == "object":
        return f"a {t.object} (a group of fields)"
    return _WORDS.get(t.name, t.name)
