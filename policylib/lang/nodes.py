"""The rule language's syntax tree: what the loader builds and the engine compiles.

A *pack* is a directory of files (``docs/rule-language.md`` is the reference):

* ``policy.yaml``  -- the store (zone, currency, locale, calendar, policy page), the default
  outcome, settings (typed constants and tables), sections, who takes escalations, the
  offer kinds and their ranking, and what the alternatives search may vary;
* ``vocabulary.yaml`` -- what a request can say: the request kinds, and the fields the
  store adds to the base request (customer, order, items, delivery, subscription, details);
* ``facts.yaml``   -- every fact a rule may name: its type, a plain-words label, the
  expression that derives it, who knows it, and the question to ask when it is missing;
* any other ``*.yaml`` -- one policy area (section) each: its rules and worked examples;
* ``*.ftl``        -- shared Fluent messages (greetings, headlines, connecting words).

Every node carries a ``Loc`` so the tools can point back to the source. Nothing here
evaluates anything; derived facts hold compiled ``Program``s, but the tree is plain data.

Precedence: a rule with a higher ``priority`` goes first; at equal priority the more
specific rule (more comparisons in ``when``) goes first; then file order. Two rules of
equal priority and specificity that could both hold with different outcomes are a load
error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, TypeAlias

from policylib.lang.expr import Function, Program
from policylib.lang.types import Type

__all__ = [
    "COMPARISON_OPS",
    "GRANTING",
    "NOWHERE",
    "All",
    "Alternatives",
    "Any_",
    "Axis",
    "CalendarDef",
    "Check",
    "Citation",
    "Compare",
    "Condition",
    "Escalation",
    "Example",
    "FactDef",
    "FieldDef",
    "Kind",
    "Loc",
    "Message",
    "Not",
    "ObjectDef",
    "Offer",
    "OfferKind",
    "Outcome",
    "Pack",
    "Ref",
    "Rule",
    "Section",
    "SettingDef",
    "Store",
    "Translation",
    "Value",
    "Vocabulary",
    "comparisons",
    "facts_read",
    "precedence",
]


class Outcome(str, Enum):
    """What a decision says: the request is granted, partly granted, denied, needs one
    more answer, or goes to a person."""

    GRANTED = "granted"
    PARTIAL = "partial"
    DENIED = "denied"
    NEEDS_INFO = "needs_info"
    ESCALATE = "escalate"

    def __str__(self) -> str:
        return str(self.value)


GRANTING = frozenset({Outcome.GRANTED, Outcome.PARTIAL})
"""Outcomes that give the customer what they asked for, in full or in part."""

COMPARISON_OPS: tuple[str, ...] = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in")
"""The operators a rule's comparison may use."""


@dataclass(frozen=True, slots=True)
class Loc:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        if self.line <= 0:  # a whole file or folder
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


NOWHERE = Loc("<memory>", 0, 0)


@dataclass(frozen=True, slots=True)
class Message:
    """A Fluent pattern (customer text) with the variables it uses, checked at load time."""

    source: str
    variables: tuple[str, ...] = ()
    loc: Loc = NOWHERE


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class Kind:
    """A request kind the store answers (``return``, ``cancel`` ...).

    Attributes:
        per_item: decided item by item (a return of three things gives three decisions,
            combined); otherwise decided once for the whole request.
        one_item: a request of this kind names exactly one item.
        subjects: what a request of this kind may be about: ``order``, ``subscription``,
            and ``none`` (neither, e.g. a question before anything was bought).
    """

    name: str
    per_item: bool = False
    one_item: bool = False
    subjects: tuple[str, ...] = ("order",)
    description: str = ""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A field a pack adds to (or narrows on) an object of the request."""

    name: str
    type: Type
    description: str = ""
    required: bool = False
    default: Any = None
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    max_length: int | None = None
    value_descriptions: Mapping[str, str] = field(default_factory=dict)
    """For an enum: what each value means (shown to LLMs and in the docs)."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Check:
    """A rule a valid request obeys across fields (``end > start``), as an expression."""

    program: Program
    message: str
    field: str = ""
    """The field the problem is reported on, relative to the checked object."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class ObjectDef:
    """One object of the request: a base object the pack extends (``Order``, ``Item``),
    or a type the pack declares for its own fields (a ``window``)."""

    name: str
    fields: Mapping[str, FieldDef]
    checks: tuple[Check, ...] = ()
    description: str = ""
    base: bool = False
    """True for the base request's objects (their own fields are policylib's)."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What a request to this store can say."""

    kinds: Mapping[str, Kind]
    objects: Mapping[str, ObjectDef]
    choices: tuple[str, ...] = ()
    """Request paths the customer chooses (``resolution``, ``details``): the only ones an
    offer or the alternatives search may change. A path covers everything under it."""

    def chosen(self, path: str) -> bool:
        """Whether a dotted request path is (under) something the customer chooses."""
        return any(path == c or path.startswith(c + ".") for c in self.choices)


# --------------------------------------------------------------------------- facts and settings


@dataclass(frozen=True, slots=True)
class FactDef:
    """One fact rules and texts may name.

    Attributes:
        type: what it holds (an enum's values are in ``type.values``).
        label: plain words naming it in explanations ("days since your order arrived").
        program: the expression that derives it from the request.
        known_by: ``customer`` (the customer can answer ``question``) or ``store`` (the
            store's systems supply ``field``; a customer is never asked).
        default: for a store fact, the value when the request does not say.
        field: the request field that answers the question (customer) or that the
            integration must fill (store).
    """

    name: str
    type: Type
    label: str
    program: Program
    unit: str = ""
    question: Message | None = None
    field: str = ""
    known_by: Literal["customer", "store"] = "store"
    default: Program | None = None
    description: str = ""
    routing: bool = False
    """The fact only picks which family of rules answers (an order or a plan?): the
    policy page leaves comparisons on it out."""
    loc: Loc = NOWHERE

    @property
    def values(self) -> tuple[str, ...]:
        return self.type.values


@dataclass(frozen=True, slots=True)
class SettingDef:
    """A named constant or table of the pack (``settings.return_days[customer.tier]``)."""

    name: str
    type: Type
    value: Any
    unit: str = ""
    description: str = ""
    loc: Loc = NOWHERE


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Ref:
    """A comparison value read from another fact at evaluation time (``$return_window``)."""

    fact: str

    def __str__(self) -> str:
        return f"${self.fact}"


Constant: TypeAlias = (
    "bool | int | Decimal | str | date | tuple[bool | int | Decimal | str | date, ...]"
)
Value: TypeAlias = "Constant | Ref"


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


def facts_read(cond: Condition) -> tuple[str, ...]:
    """The facts a condition reads, once each: every comparison's fact, and the fact it is
    compared with (``$return_window``)."""
    names: list[str] = []
    for c in comparisons(cond):
        names.append(c.fact)
        if isinstance(c.value, Ref):
            names.append(c.value.fact)
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class Citation:
    section: str
    """Section id of the published policy, e.g. ``returns``; resolves to a Section title."""
    anchor: str = ""
    """Fragment on the policy page, e.g. ``return-window``."""


@dataclass(frozen=True, slots=True)
class Escalation:
    """Who takes a case a rule or section cannot settle, and what they may approve."""

    contact: str
    may_approve: str = ""
    """A fact: the most that person may approve (a courtesy credit's limit), for agents."""
    loc: Loc = field(default=NOWHERE, compare=False)
    """Where ``may_approve`` is written (for problems)."""


@dataclass(frozen=True, slots=True)
class Offer:
    """An alternative a rule allows.

    ``change`` is the request patch that stands for taking the offer (``{"resolution":
    "credit"}``); the alternatives search re-evaluates the patched request and offers
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
    outcome: Outcome
    text: Message
    citation: Citation
    priority: int = 0
    why: Message | None = None
    offers: tuple[Offer, ...] = ()
    apology: bool = False
    answers: bool = False
    """The rule's text states its outcome itself ("Your order is cancelled ..."), so no
    headline goes above it."""
    section: str = ""
    escalation: Escalation | None = None
    order: int = 0
    """Position in load order, the last tie-breaker of precedence."""
    loc: Loc = NOWHERE

    @property
    def specificity(self) -> int:
        return len(comparisons(self.when))

    # Shown in notebooks and consoles. The rule language imports no renderer (the renderer
    # imports it), so these import it only when asked to show a rule.
    def __repr__(self) -> str:
        from policylib.render import notebook

        return notebook.rule_repr(self)

    def _repr_html_(self) -> str:
        from policylib.render import notebook

        return notebook.rule_html(self)

    def _repr_markdown_(self) -> str:
        from policylib.render import notebook

        return notebook.rule_markdown(self)


def precedence(rule: Rule) -> tuple[int, int, int]:
    """The order rules are tried in: higher priority, then more specific, then load order."""
    return (-rule.priority, -rule.specificity, rule.order)


@dataclass(frozen=True, slots=True)
class Example:
    """A worked example from a rule file; each runs as a test (``policylib test``).

    Attributes:
        name: what the case is, as the policy page lists it.
        request: the request, in the canonical shape.
        outcome: the outcome the policy must reach.
        rule: the rule that must decide ("" when any may).
        now: the clock it is decided at (ISO 8601 with a zone); "" for the request's own.
        offers: offer kinds that must be among the alternatives; ``()`` when it must offer
            nothing at all, None when it is not said.
        question: the fact the decision must ask about ("" when not said).
        says: phrases the customer's explanation must contain (any case).
        never_says: phrases it must not contain (any case).
    """

    name: str
    request: dict[str, object]
    outcome: Outcome
    rule: str = ""
    now: str = ""
    loc: Loc = NOWHERE
    offers: tuple[str, ...] | None = None
    question: str = ""
    says: tuple[str, ...] = ()
    never_says: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    summary: str = ""
    file: str = ""
    escalation: Escalation | None = None


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True, slots=True)
class CalendarDef:
    """The store's working days: a country's calendar (``holidays``) and its closures."""

    country: str = "US"
    subdivision: str = ""
    categories: tuple[str, ...] = ()
    closed: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class Store:
    name: str
    timezone: str = "UTC"
    currency: str = "USD"
    locale: str = "en_US"
    policy_url: str = ""
    calendar: CalendarDef = CalendarDef()
    fallbacks: tuple[str, ...] = ()
    """The languages whose translation may leave messages out, using the default
    locale's words for them (``store.translations: {es: fallback}``)."""


@dataclass(frozen=True, slots=True)
class OfferKind:
    """A kind of alternative: its rank (lower is offered first) and plain words for it.

    ``partly`` is the kind an offer of this kind becomes when the policy grants it only in
    part (a refund becomes a partial refund).
    """

    name: str
    rank: int
    words: str = ""
    partly: str = ""


@dataclass(frozen=True, slots=True)
class Axis:
    """One thing the alternatives search may vary for a customer: a request path and the
    values to try, best for the customer first.

    Attributes:
        path: the request path changed (a customer's choice).
        kind: the offer kind of what is found; "" when each value is an offer kind itself.
        kinds: the request kinds it is tried for (all when empty).
        values: the values tried (validated for the path), best for the customer first.
        generator: or an expression giving them (``next_business_days(...)``).
        when: tried only when this holds for the request.
        skip: a value for which this holds is not tried (``value`` names it).
        clears: paths set to nothing with each change (an exact time, when offering a
            window instead).
        lead: the words naming the change, filled with ``{ $value }`` (or the value's own
            fields, ``{ $start }``, for an object); ``lead_unasked`` when the request had
            nothing at the path yet.
    """

    path: str
    kind: str
    lead: Message
    lead_unasked: Message | None = None
    kinds: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()
    generator: Program | None = None
    when: Program | None = None
    skip: Program | None = None
    clears: tuple[str, ...] = ()
    limit: int = 0
    """Most alternatives this axis offers (0: no limit beyond the search's own)."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Alternatives:
    """What the store can offer instead: the kinds of offer and how they rank, the way
    forward when nothing else is granted, and what the counterfactual search may vary."""

    kinds: Mapping[str, OfferKind] = field(default_factory=dict)
    partial_rank: int = 0
    """An offer the policy grants only in part ranks no better than this."""
    fallback: Offer | None = None
    """Offered when a denial found nothing else (a supervisor review, say)."""
    axes: tuple[Axis, ...] = ()

    def rank(self, kind: str) -> int:
        found = self.kinds.get(kind)
        return (
            found.rank
            if found is not None
            else max((k.rank for k in self.kinds.values()), default=0)
        )


@dataclass(frozen=True, slots=True)
class Translation:
    """A pack's words in one more locale.

    Attributes:
        locale: the locale (``es_US``).
        texts: each of the pack's texts (as the YAML writes it) -> its translation.
        words: translation id -> plain words (``section-returns``, ``rule-RET-010.title``).
        phrases: the pack's shared messages in this locale (id -> text).
        fallback: whether a missing piece falls back to the default locale's words.
    """

    locale: str
    texts: Mapping[Message, Message] = field(default_factory=dict)
    words: Mapping[str, str] = field(default_factory=dict)
    phrases: Mapping[str, Message] = field(default_factory=dict)
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class Pack:
    """A whole loaded policy pack, validated and ready to compile."""

    store: Store
    vocabulary: Vocabulary
    facts: Mapping[str, FactDef]
    rules: tuple[Rule, ...]
    default_outcome: Outcome
    default_text: Message
    sections: Mapping[str, Section] = field(default_factory=dict)
    messages: Mapping[str, Message] = field(default_factory=dict)
    """Shared Fluent messages by id (from ``*.ftl`` files)."""
    examples: tuple[Example, ...] = ()
    settings: Mapping[str, SettingDef] = field(default_factory=dict)
    escalation: Escalation = Escalation("")
    alternatives: Alternatives = field(default_factory=lambda: Alternatives())
    functions: Mapping[str, Function] = field(default_factory=dict)
    units: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Words for the units facts count in: unit -> (one, other), "day" and "days"."""
    request_model: Any = None
    """The pydantic model requests to this pack validate with (built from the vocabulary)."""
    source: str = ""
    translations: Mapping[str, Translation] = field(default_factory=dict)
    """The pack's words in its other locales (``locales/<language>/*.ftl``), by locale."""

    def escalation_for(self, rule: Rule | None) -> Escalation:
        """Who takes a case this rule (or the default) leaves open: the rule's own
        contact, else its section's, else the pack's."""
        if rule is not None:
            if rule.escalation is not None:
                return rule.escalation
            section = self.sections.get(rule.section)
            if section is not None and section.escalation is not None:
                return section.escalation
        return self.escalation
