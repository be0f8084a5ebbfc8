"""The rule language: the syntax tree the loader builds and the engine compiles.

A *pack* is a directory of YAML files (see ``docs/rule-language.md`` for the file format):

* ``policy.yaml``  -- the store (name, country, time zone, currency, locale, policy URL),
  the default outcome when no rule decides, and the escalation limits;
* ``facts.yaml``   -- the vocabulary: every fact a rule may name, its type, unit, a
  plain-words label, the question to ask when it is missing, and how it is derived;
* any other ``*.yaml`` -- one policy area (section) each: its rules and examples;
* ``*.ftl``        -- shared Fluent messages (greetings, outcome headlines, closings).

Every node carries a ``Loc`` (file, line, column) so the engine and the tools can point
back to the source. Nothing here evaluates anything: it is plain data.

Precedence (documented in the pack guide): a rule with a higher ``priority`` goes first;
at equal priority the more specific rule (more comparisons in ``when``) goes first; then
file order. Two rules of equal priority and specificity that could both hold for the same
request with different outcomes are a load error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias

__all__ = [
    "COMPARISON_OPS",
    "ORDERED_TYPES",
    "All",
    "Any_",
    "Citation",
    "Compare",
    "Condition",
    "Example",
    "FactDef",
    "FactType",
    "Loc",
    "Message",
    "Not",
    "Offer",
    "Pack",
    "Rule",
    "Section",
    "Store",
    "Value",
    "comparisons",
]

FactType = Literal["boolean", "integer", "decimal", "money", "text", "enum", "date"]
ORDERED_TYPES: frozenset[str] = frozenset({"integer", "decimal", "money", "date"})

COMPARISON_OPS: dict[str, str] = {
    "eq": "is",
    "ne": "is not",
    "lt": "is less than",
    "lte": "is at most",
    "gt": "is more than",
    "gte": "is at least",
    "in": "is one of",
    "not_in": "is none of",
}
"""Operator name -> plain words (used by the agent view and the trace)."""

Value: TypeAlias = (
    "bool | int | Decimal | str | date | tuple[bool | int | Decimal | str | date, ...]"
)


@dataclass(frozen=True, slots=True)
class Loc:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


NOWHERE = Loc("<memory>", 0, 0)


@dataclass(frozen=True, slots=True)
class Message:
    """A Fluent pattern (customer text) with the variables it uses, checked at load time."""

    source: str
    variables: tuple[str, ...] = ()
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class FactDef:
    """One entry of the vocabulary."""

    name: str
    type: FactType
    label: str
    """Plain words naming the fact in explanations: "days since delivery"."""
    derive: str
    """Name of a derivation in ``policylib.facts.DERIVATIONS``."""
    unit: str = ""
    """days, business_days, hours, currency, percent, sessions or empty."""
    values: tuple[str, ...] = ()
    """Allowed values of an enum fact."""
    question: Message | None = None
    """What to ask the customer when the fact is unknown."""
    field: str = ""
    """The request field that answers the question (for chatbots filling a form)."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Compare:
    fact: str
    op: str
    value: Value
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Condition, ...]
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Any_:
    items: tuple[Condition, ...]
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition
    loc: Loc = NOWHERE


Condition: TypeAlias = "Compare | All | Any_ | Not"


def comparisons(cond: Condition) -> list[Compare]:
    """Every comparison in a condition tree, in source order."""
    if isinstance(cond, Compare):
        return [cond]
    if isinstance(cond, Not):
        return comparisons(cond.item)
    out: list[Compare] = []
    for item in cond.items:
        out.extend(comparisons(item))
    return out


@dataclass(frozen=True, slots=True)
class Citation:
    section: str
    """Section id of the published policy, e.g. ``returns``; resolves to a Section title."""
    anchor: str = ""
    """Fragment on the policy page, e.g. ``return-window``."""


@dataclass(frozen=True, slots=True)
class Offer:
    """An alternative a rule allows.

    ``change`` is the request patch that stands for taking the offer (``{"resolution":
    "store_credit"}``); the alternatives search re-evaluates the patched request and offers
    it only if the policy grants it. An offer without a change is a *path* (supervisor
    review, refusing the delivery) that needs no re-check.
    """

    kind: str
    text: Message
    change: tuple[tuple[str, object], ...] = ()
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    kinds: tuple[str, ...]
    when: Condition
    outcome: str
    text: Message
    citation: Citation
    priority: int = 0
    why: Message | None = None
    offers: tuple[Offer, ...] = ()
    apology: bool = False
    section: str = ""
    order: int = 0
    """Position in load order, the last tie-breaker of precedence."""
    loc: Loc = NOWHERE

    @property
    def specificity(self) -> int:
        return len(comparisons(self.when))


@dataclass(frozen=True, slots=True)
class Example:
    """A worked example from a rule file; each runs as a test."""

    name: str
    request: dict[str, object]
    outcome: str
    rule: str = ""
    now: str = ""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    summary: str = ""
    file: str = ""


@dataclass(frozen=True, slots=True)
class Store:
    name: str
    country: str = "US"
    subdivision: str = ""
    timezone: str = "America/New_York"
    currency: str = "USD"
    locale: str = "en_US"
    policy_url: str = ""
    escalation_contact: str = "a supervisor"


@dataclass(frozen=True, slots=True)
class Pack:
    """A whole loaded policy pack, validated and ready to compile."""

    store: Store
    facts: dict[str, FactDef]
    rules: tuple[Rule, ...]
    default_outcome: str
    default_text: Message
    sections: dict[str, Section] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    """Shared Fluent messages by id (from ``*.ftl`` files)."""
    examples: tuple[Example, ...] = ()
    settings: dict[str, object] = field(default_factory=dict)
    """Pack-wide numbers (restocking fee percent, estimate padding, goodwill limits ...)."""
    source: str = ""
