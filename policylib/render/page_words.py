"""Plain words for the policy page: a pack's rules, facts and texts as customer phrases.

``Words`` says each part of a rule the way a customer reads it, in the renderer's locale:
what we do (``page-outcome-<outcome>``), what we can offer instead, the worked examples
(``page-verdict-<outcome>``), the conditions as bullets, and Fluent texts with neutral
words (the fact's label, or a setting's value) in place of their ``{ $placeholders }``.

Every word comes from a Fluent catalog: the page's fixed words from the ``page-*``
messages (``render/locales/<language>/page.ftl``, which a pack may override), the store's
words through the renderer (``pack_word``, ``translated``), so a translation of the pack
replaces them. No grammar lives here: a condition is its fact's label and the value it
must have (``page-cond``), which reads the same way in every language, and the structure
is what the code adds: a negation pushed down onto the comparisons (De Morgan), an "any"
group as "One of these:" with sub-bullets, two bounds on one fact as one range.

Nothing here lays out a page: ``page`` builds the page model with these words and
``page_formats`` writes it as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

from policylib.lang.nodes import (
    All,
    Any_,
    Compare,
    Condition,
    Example,
    FactDef,
    Message,
    Not,
    Pack,
    Ref,
    Rule,
    Section,
    Value,
)
from policylib.lang.phrases import example_keys
from policylib.render.page_model import Clause
from policylib.render.texts import TextRenderer
from policylib.render.values import format_number, join_words

__all__ = ["Words", "join"]

_NEGATED_OPS: dict[str, str] = {
    "eq": "ne",
    "ne": "eq",
    "lt": "gte",
    "gte": "lt",
    "gt": "lte",
    "lte": "gt",
    "in": "not_in",
    "not_in": "in",
}
_LOWER = frozenset({"gt", "gte"})
_UPPER = frozenset({"lt", "lte"})
_FILE_NAME = re.compile(r"(?i)^(?:[\w.-]+/)*([\w.-]+)\.json$")
_AUTHOR_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
"""A trailing parenthetical in an example's name: "(demo request)" is for pack authors."""
_SNAKE = re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b")


class Words:
    """Turns a pack's data into customer-facing phrases in the renderer's locale."""

    def __init__(self, pack: Pack, renderer: TextRenderer) -> None:
        self.pack = pack
        self.renderer = renderer
        # an example's name -> its translation id (names of one pack's examples repeat
        # only when they are the same words, which translate alike)
        self._example_keys = {e.name: key for key, e in reversed(example_keys(pack).items())}
        self.locale = renderer.locale

    def phrase(self, message_id: str, **args: str) -> str:
        """One of the page's messages (``page-*``) filled with finished words."""
        return self.renderer.book.get(message_id, args)

    # ---- the store's own words, in the page's locale

    def section_title(self, section: Section) -> str:
        return self.renderer.pack_word(f"section-{section.id}", section.title)

    def section_summary(self, section: Section) -> str:
        summary = " ".join(section.summary.split())
        return " ".join(self.renderer.pack_word(f"section-{section.id}.summary", summary).split())

    def rule_title(self, rule: Rule) -> str:
        return self.renderer.pack_word(f"rule-{rule.id}.title", rule.title)

    def offer(self, kind: str) -> str:
        """An offer kind's words ("store credit"); its name when the pack gives none."""
        found = self.pack.alternatives.kinds.get(kind)
        default = found.words if found is not None and found.words else kind.replace("_", " ")
        return self.renderer.pack_word(f"alternative-{kind}", default)

    def offers(self, rule: Rule) -> tuple[str, ...]:
        """The rule's offers, each kind once, in the rule's order."""
        return tuple(dict.fromkeys(self.offer(o.kind) for o in rule.offers))

    def offer_list(self, offers: Sequence[str]) -> str:
        """Offers as one phrase, as the locale lists alternatives ("Store credit or an
        exchange"); "" for none."""
        return _capitalized(join(offers, "or", self.locale))

    def contact(self, rule: Rule | None) -> str:
        """Who takes a case the rule (or, for None, the default) leaves open, under the
        translation id of whichever of the rule, its section or the store names them."""
        escalation = self.pack.escalation_for(rule)
        key = "store-escalation"
        if rule is not None and rule.escalation is not None:
            key = f"rule-{rule.id}.contact"
        elif rule is not None:
            section = self.pack.sections.get(rule.section)
            if section is not None and section.escalation is not None:
                key = f"section-{section.id}.contact"
        return self.renderer.pack_word(key, escalation.contact)

    def label(self, fact: str) -> str:
        """A fact's label ("days since your order arrived"), its name when undeclared."""
        definition = self.pack.facts.get(fact)
        label = definition.label if definition is not None else fact.replace("_", " ")
        return " ".join(self.renderer.pack_word(f"fact-{fact}", " ".join(label.split())).split())

    def kinds(self, rule: Rule) -> str:
        """The request kinds a rule answers, as the pack names them ("returns and
        exchanges", from its ``kind-<kind>`` messages)."""
        book = self.renderer.book
        names = [book.get(f"kind-{k}") or k.replace("_", " ") for k in rule.kinds]
        return join(names, "and", self.locale) or self.phrase("page-kinds-any")

    # ---- outcomes and examples

    def outcome(self, rule: Rule, contact: str) -> str:
        """What we do when the rule decides ("No, we can't do this.")."""
        outcome = str(rule.outcome.value)
        return self.phrase(f"page-outcome-{outcome}", contact=contact) or outcome

    def verdict(self, example: Example, offers: Sequence[str], contact: str, *, full: bool) -> str:
        """An example's answer in a few words; ``full`` adds what we offer instead."""
        outcome = str(example.outcome.value)
        if full and outcome == "denied" and offers:
            return self.phrase("page-verdict-denied-offers", offers=join(offers, "or", self.locale))
        return self.phrase(f"page-verdict-{outcome}", contact=contact) or outcome

    def example(
        self, example: Example, offers: Sequence[str], contact: str, *, full: bool = True
    ) -> str:
        """``Store credit for a vase on day 45 (demo request)`` -> ``Store credit for a vase
        on day 45: accepted.``: author notes and code-like tokens are left out."""
        verdict = self.verdict(example, offers, contact, full=full)
        key = self._example_keys.get(example.name, "")
        name = self.renderer.pack_word(key, example.name) if key else example.name
        return self.phrase("page-example", name=example_name(name), verdict=verdict)

    # ---- conditions

    def lead(self, rule: Rule) -> str:
        """The line above a rule's conditions ("This applies to returns when:"), or the
        whole of them when it has none that a customer needs to know."""
        kinds = self.kinds(rule)
        if not self.conditions(rule):
            return self.phrase("page-applies-always", kinds=kinds)
        return self.phrase("page-applies", kinds=kinds)

    def applies(self, rule: Rule) -> str:
        """What a rule answers, as one sentence of its own ("Applies to returns."), for a
        view that lists the conditions itself (a notebook's rule card)."""
        return self.phrase("page-applies-kinds", kinds=self.kinds(rule))

    def conditions(self, rule: Rule) -> tuple[Clause, ...]:
        """The rule's conditions as bullets: its outer "all" is the list itself."""
        when = _flattened(_pushed_down(rule.when))
        if isinstance(when, All):
            return self._items(when.items, merge=True)
        clause = self.clause(when)
        return (clause,) if clause is not None else ()

    def clause(self, cond: Condition) -> Clause | None:
        """A condition (negations pushed down, groups flattened) as a bullet; None when it
        says nothing to a customer (it only routes the request)."""
        if isinstance(cond, Compare):
            text = self.compare(cond.fact, cond.op, cond.value)
            return Clause(text) if text else None
        if isinstance(cond, Not):  # pragma: no cover - _pushed_down leaves none
            return self.clause(_pushed_down(cond))
        is_all = isinstance(cond, All)
        items = self._items(cond.items, merge=is_all)
        if len(items) <= 1:
            return items[0] if items else None
        return Clause(self.phrase("page-cond-all" if is_all else "page-cond-any"), items)

    def _items(self, items: Sequence[Condition], *, merge: bool) -> tuple[Clause, ...]:
        """Each item as a bullet; within an "all", a lower and an upper bound on the same
        fact become one range ("between 31 and 60 days"), said where the first one was."""
        bounds: dict[str, dict[str, Compare]] = {}
        if merge:
            for item in items:
                if isinstance(item, Compare) and item.op in _LOWER | _UPPER:
                    side = "lower" if item.op in _LOWER else "upper"
                    bounds.setdefault(item.fact, {}).setdefault(side, item)
        out: list[Clause] = []
        said: set[str] = set()
        for item in items:
            pair = bounds.get(item.fact) if isinstance(item, Compare) else None
            if isinstance(item, Compare) and pair and len(pair) == 2 and item in pair.values():
                if item.fact not in said:  # the range, said where its first bound was
                    said.add(item.fact)
                    out.append(Clause(self.between(item.fact, pair["lower"], pair["upper"])))
                continue
            clause = self.clause(item)
            if clause is not None:
                out.append(clause)
        return tuple(out)

    def compare(self, fact: str, op: str, value: Value) -> str:
        """One comparison as "<label>: <value>"; "" for one that only routes."""
        definition = self.pack.facts.get(fact)
        if _only_routes(definition, value):
            return ""
        return self._condition(fact, self.value_words(fact, op, value))

    def value_words(self, fact: str, op: str, value: Value) -> str:
        """The value a comparison asks for ("at most 30 days", "anything but defective")."""
        if isinstance(value, bool) and op in ("eq", "ne"):
            return self.phrase("value-yes" if value == (op == "eq") else "value-no")
        shown = self.words(fact, value)
        if op in ("eq", "in"):
            return shown
        family = _family(self.pack.facts.get(fact), value)
        suffix = "not" if op in ("ne", "not_in") else op
        return self.phrase(f"page-{family}-{suffix}", value=shown) or shown

    def between(self, fact: str, lower: Compare, upper: Compare) -> str:
        """Two bounds on one fact as one range: "between 31 and 60 days"."""
        definition = self.pack.facts.get(fact)
        low, low_op = lower.value, lower.op
        high, high_op = upper.value, upper.op
        if definition is not None and definition.type.name == "integer":
            if low_op == "gt" and isinstance(low, int) and not isinstance(low, bool):
                low, low_op = low + 1, "gte"
            if high_op == "lt" and isinstance(high, int) and not isinstance(high, bool):
                high, high_op = high - 1, "lte"
        if low_op == "gte" and high_op == "lte":
            if low == high:
                return self._condition(fact, self.words(fact, high))
            shown = self.phrase(
                "page-value-between", low=self.bare(fact, low), high=self.words(fact, high)
            )
            return self._condition(fact, shown)
        shown = self.phrase(
            "page-value-range",
            low=self.value_words(fact, low_op, low),
            high=self.value_words(fact, high_op, high),
        )
        return self._condition(fact, shown)

    def _condition(self, fact: str, value: str) -> str:
        return _capitalized(self.phrase("page-cond", label=self.label(fact), value=value))

    def bare(self, fact: str, value: Value) -> str:
        """A range's lower end: a count without its unit ("31", the unit said once after
        the upper end), anything else as it always reads ("$10.00")."""
        definition = self.pack.facts.get(fact)
        counted = definition is not None and definition.unit in self.renderer.units
        if counted and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_number(value, self.locale)
        return self.words(fact, value)

    def words(self, fact: str, value: Value) -> str:
        """A value (or, for "one of", values) as words: ``store credit or an exchange``; a
        value read from another fact is that fact's value when fixed, else its label."""
        if isinstance(value, tuple):
            return join([self.words(fact, v) for v in value], "or", self.locale)
        if isinstance(value, Ref):
            return self.neutral(value.fact)
        definition = self.pack.facts.get(fact)
        is_enum = definition is not None and definition.type.name == "enum"
        if is_enum and isinstance(value, str) and value in self.pack.alternatives.kinds:
            return self.offer(value)  # an enum value naming an offer reads as its words
        return self.renderer.format_value(fact, value)

    # ---- Fluent texts without a customer

    def text(self, message: Message | None) -> str:
        """A pack's Fluent text (translated) with every placeholder filled with neutral
        words; a selector picks its default variant (or the one a setting's value picks)."""
        if message is None:
            return ""
        shown = self.renderer.translated(message)
        names = dict.fromkeys((*message.variables, *shown.variables))
        return self.renderer.fill(shown, {name: self.neutral(name) for name in names})

    def neutral(self, name: str) -> str:
        """Words standing for a fact's value on a page read by every customer: the value
        itself when it is the same for everyone (a fee set in the pack), else its label."""
        definition = self.pack.facts.get(name)
        if definition is not None and definition.program.constant:
            value = definition.program.value
            if value is not None:
                shown = self.renderer.format_facts({name: value}).get(name)
                if shown is not None:
                    return shown
        return self.label(name)


def example_name(name: str) -> str:
    """An example's name as a customer reads it: a request file's name as words, without
    the notes for authors ("(demo request)") or code-like tokens (``late_exchange``)."""
    name = " ".join(name.split())
    found = _FILE_NAME.match(name)
    if found is not None:  # "examples/late_refund_day_45.json": "late refund day 45"
        name = found.group(1).replace("-", " ")
    name = _AUTHOR_NOTE.sub("", name).strip()
    name = _SNAKE.sub(lambda m: m.group(0).replace("_", " "), name)
    return _capitalized(name)


def join(parts: Sequence[str], word: str, locale: str = "en_US") -> str:
    """``a``, ``a or b``, ``a, b, or c``: the parts that say something, as the locale
    lists them (Babel's ``format_list``); nothing for no parts."""
    items = [p for p in parts if p]
    return join_words(items, word, locale) if items else ""


def _capitalized(text: str) -> str:
    """The first letter upper-cased, as a bullet or a cell starts (the rest untouched, so
    names keep their case)."""
    return text[:1].upper() + text[1:]


def _family(definition: FactDef | None, value: Value) -> str:
    """Which words compare a value: ``day`` ("before ..."), ``time`` or ``value``."""
    kind = definition.type.name if definition is not None else ""
    if kind in ("date", "datetime") or isinstance(value, date | datetime):
        return "day"
    if kind == "time" or isinstance(value, time):
        return "time"
    return "value"


def _pushed_down(cond: Condition, negate: bool = False) -> Condition:
    """The same condition with every ``not`` moved onto its comparisons (De Morgan), so
    "not (x in [a, b])" reads "anything but a or b" and a negated "all" is an "any"."""
    if isinstance(cond, Not):
        return _pushed_down(cond.item, not negate)
    if isinstance(cond, Compare):
        op = _NEGATED_OPS.get(cond.op, cond.op) if negate else cond.op
        if isinstance(cond.value, bool) and op == "ne":
            return Compare(cond.fact, "eq", not cond.value, cond.loc)
        return Compare(cond.fact, op, cond.value, cond.loc)
    items = tuple(_pushed_down(item, negate) for item in cond.items)
    return Any_(items, cond.loc) if isinstance(cond, All) == negate else All(items, cond.loc)


def _flattened(cond: Condition) -> Condition:
    """An "all" inside an "all" (an "any" inside an "any") merged into it: one list."""
    if isinstance(cond, Compare | Not):
        return cond
    kind = type(cond)
    items: list[Condition] = []
    for item in (_flattened(i) for i in cond.items):
        items.extend(item.items if isinstance(item, kind) else (item,))
    return kind(tuple(items), cond.loc)


def _only_routes(definition: FactDef | None, value: Value) -> bool:
    """Facts that only pick which family of rules answers a request (an order or a plan?):
    the kinds above the conditions already say what a customer needs; the page leaves
    comparisons on them out, as it does comparisons with an enum's ``none``."""
    if definition is None or definition.type.name != "enum":
        return False
    if definition.routing:
        return True
    values = value if isinstance(value, tuple) else (value,)
    return all(v == "none" for v in values)
