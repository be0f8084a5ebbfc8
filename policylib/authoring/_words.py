"""Lint's words: tests, values, kinds and lists as an author reads them in a finding.

Kept apart from the looking (``lint``, ``_looker``) so each check writes its messages
with the same few helpers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from policylib.authoring._targets import Target
from policylib.lang.nodes import All, Compare, Condition, Not, Ref

__all__ = ["a", "asked", "either", "facts_tested", "place", "value_text", "written"]


def facts_tested(cond: Condition) -> list[str]:
    """Every fact a condition compares, with repeats (a ``$fact`` it compares with too)."""
    if isinstance(cond, Compare):
        names = [cond.fact]
        if isinstance(cond.value, Ref):
            names.append(cond.value.fact)
        return names
    if isinstance(cond, Not):
        return facts_tested(cond.item)
    return [n for item in cond.items for n in facts_tested(item)]


_SYMBOLS = {
    "eq": "=",
    "ne": "!=",
    "lt": "<",
    "lte": "<=",
    "gt": ">",
    "gte": ">=",
    "in": "in",
    "not_in": "not in",
}


def written(cond: Condition) -> str:
    """A test as the author wrote it, briefly, with where it is."""
    if isinstance(cond, Compare):
        return f"'{cond.fact} {_SYMBOLS[cond.op]} {value_text(cond.value)}' ({cond.loc})"
    if isinstance(cond, Not):
        return f"'not ...' ({cond.loc})"
    word = "all" if isinstance(cond, All) else "any"
    return f"'{word}: [...]' ({cond.loc})"


def value_text(value: Any) -> str:
    """A rule's constant as it is written in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def a(word: str) -> str:
    """The word with its article: "a return", "an exchange"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def either(names: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def asked(target: Target) -> str:
    """What a target asks for, in words (for the questions no request answered)."""
    rule = target.rule.id if target.rule is not None else ""
    other = target.other.id if target.other is not None else ""
    words = {
        "holds": f"{a(target.kind)} request {rule} holds for",
        "decides": f"{a(target.kind)} request {rule} decides",
        "default": f"{a(target.kind)} request the default answers",
        "overlap": f"{a(target.kind)} request {rule} decides while {other} holds",
        "offer": f"{a(target.kind)} request {rule} decides and its offer's change grants",
        "told": f"{a(target.kind)} request {rule} decides with {target.fact} known",
    }
    return words[target.what]


def place(where: str) -> tuple[str, int, int]:
    """``file:line:col`` as a key to sort by."""
    file, _, rest = where.partition(":")
    line, _, col = rest.partition(":")
    return (file, int(line) if line.isdigit() else 0, int(col) if col.isdigit() else 0)
