"""Plain words for the policy page: a pack's rules, facts and texts as customer sentences.

``Words`` says each part of a rule the way a customer reads it: the outcome ("we can't do
what you ask"), the offers, the worked examples, the "Applies to ... when ..." line, and
Fluent texts with neutral words ("the item") in place of their ``{ $placeholders }``.
Conditions are phrased once their negations are pushed down onto the comparisons; the
helpers after the class shape each comparison from the fact's type, label, unit and
operator ("it has been more than 30 days since delivery", "your order has not shipped").

Nothing here lays out a page: ``page`` builds the page model with these words and
``page_formats`` writes it as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

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
    Value,
)
from policylib.render.texts import TextRenderer
from policylib.render.values import join_words

__all__ = ["Words", "join", "negated"]

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

_DETERMINERS = ("the ", "your ", "our ", "a ", "an ", "whether ", "what ", "how ", "which ")
_ARTICLE_BEFORE = re.compile(r"(?i)\b(a|an|the|your)\s+$")
_FILE_NAME = re.compile(r"(?i)^(?:request file\s+)?(?:[\w.-]+/)*([\w.-]+)\.json$")


# --------------------------------------------------------------------------- plain words


class Words:
    """Turns a pack's data into customer-facing sentences."""

    def __init__(self, pack: Pack, renderer: TextRenderer) -> None:
        self.pack = pack
        self.renderer = renderer
        self.units = pack.units

    # ---- outcomes

    def result(self, outcome: str, contact: str) -> str:
        """What a rule's outcome means for the customer; ``contact`` takes escalations."""
        return {
            "granted": "we can do what you ask",
            "partial": "we can do part of what you ask",
            "denied": "we can't do what you ask",
            "needs_info": "we'll ask you a question before we decide",
            "escalate": f"we pass your request to {contact}",
        }.get(outcome, outcome.replace("_", " "))

    def verdict(self, outcome: str, offers: Sequence[str], contact: str) -> str:
        """An example's outcome in a few words ("declined; we can offer ... instead")."""
        if outcome == "denied" and offers:
            return f"declined; we can offer {join(offers, 'or', self.renderer.locale)} instead"
        return {
            "granted": "accepted",
            "partial": "partly accepted",
            "denied": "declined",
            "needs_info": "we ask you a question first",
            "escalate": f"passed to {contact}",
        }.get(outcome, outcome.replace("_", " "))

    def offer(self, kind: str) -> str:
        found = self.pack.alternatives.kinds.get(kind)
        return found.words if found is not None and found.words else kind.replace("_", " ")

    def example(self, example: Example, offers: Sequence[str], contact: str) -> str:
        """``Store credit for a vase on day 45 (demo request)`` -> ``Store credit for a vase
        on day 45: accepted.``: author notes and code-like tokens are left out."""
        name = " ".join(example.name.split())
        # "request file late_refund_day_45.json" is for pack authors; show "late refund day 45"
        found = _FILE_NAME.match(name)
        if found is not None:
            name = found.group(1).replace("-", " ")
        name = _AUTHOR_NOTE.sub("", name).strip()
        name = _SNAKE.sub(lambda m: m.group(0).replace("_", " "), name)
        return f"{name[:1].upper()}{name[1:]}: {self.verdict(example.outcome, offers, contact)}."

    # ---- conditions

    def applies(self, rule: Rule) -> str:
        book = self.renderer.book
        kinds = join(
            [book.get(f"kind-{k}") or k.replace("_", " ") for k in rule.kinds],
            "and",
            self.renderer.locale,
        )
        when = self.condition(_pushed_down(rule.when), top=True)
        if not when:
            return f"Applies to {kinds or 'requests'}."
        return f"Applies to {kinds or 'requests'} when {when}."

    def condition(self, cond: Condition, *, top: bool = False) -> str:
        """A condition with negations already pushed down (see ``_pushed_down``) as words;
        "" when it says nothing to a customer (it only routes the request)."""
        if isinstance(cond, Compare):
            return self.compare(cond.fact, cond.op, cond.value)
        if isinstance(cond, Not):  # pragma: no cover - _pushed_down leaves none
            return self.condition(_pushed_down(cond), top=top)
        is_all = isinstance(cond, All)
        parts = [p for p in self._items(cond.items, merge=is_all) if p]
        if len(parts) <= 1:
            return "".join(parts)
        if is_all:
            text = ", and ".join(parts) if top else " and ".join(parts)
        else:
            locale = self.renderer.locale
            text = (
                f"either {join(parts, 'or', locale)}"
                if len(parts) == 2
                else join(parts, "or", locale)
            )
        return text if top else f"({text})"

    def _items(self, items: Sequence[Condition], *, merge: bool) -> list[str]:
        """Each item as words; within an "all", a lower and an upper bound on the same
        fact become one range ("between 31 and 60 days"), said where the first one was."""
        bounds: dict[str, dict[str, Compare]] = {}
        if merge:
            for item in items:
                if isinstance(item, Compare) and item.op in _LOWER | _UPPER:
                    side = "lower" if item.op in _LOWER else "upper"
                    bounds.setdefault(item.fact, {}).setdefault(side, item)
        out: list[str] = []
        said: set[str] = set()
        for item in items:
            pair = bounds.get(item.fact) if isinstance(item, Compare) else None
            if pair is not None and len(pair) == 2 and item in pair.values():
                assert isinstance(item, Compare)
                if item.fact not in said:
                    said.add(item.fact)
                    out.append(self.between(item.fact, pair["lower"], pair["upper"]))
                continue
            out.append(self.condition(item))
        return out

    def compare(self, fact: str, op: str, value: Value) -> str:
        definition = self.pack.facts.get(fact)
        label = " ".join((definition.label if definition else fact.replace("_", " ")).split())
        if isinstance(value, Ref):
            other = self.pack.facts.get(value.fact)
            words = " ".join((other.label if other else value.fact.replace("_", " ")).split())
            return f"{_subject(label)} is {_OP_WORDS.get(op, op)} {_subject(words)}".strip()
        if _only_routes(definition, value):
            return ""
        if isinstance(value, bool) and op in ("eq", "ne"):
            return _whether(label, value == (op == "eq"))
        if op in _LOWER | _UPPER or _is_amount(definition, value):
            return self.amount_statement(fact, label, self.amount(fact, op, value))
        return _statement(label, op, self.words(fact, value))

    def between(self, fact: str, lower: Compare, upper: Compare) -> str:
        definition = self.pack.facts.get(fact)
        label = " ".join((definition.label if definition else fact.replace("_", " ")).split())
        low, low_op = lower.value, lower.op
        high, high_op = upper.value, upper.op
        if definition is not None and definition.type.name == "integer":
            if low_op == "gt" and isinstance(low, int) and not isinstance(low, bool):
                low, low_op = low + 1, "gte"
            if high_op == "lt" and isinstance(high, int) and not isinstance(high, bool):
                high, high_op = high - 1, "lte"
        high_words = self.format(fact, high)
        low_words = self.without_unit(self.format(fact, low), definition)
        if low_op == "gte" and high_op == "lte":
            if low == high:
                return self.amount_statement(fact, label, high_words)
            amount = f"between {low_words} and {high_words}"
        else:
            amount = f"{_OP_WORDS[low_op]} {low_words} and {_OP_WORDS[high_op]} {high_words}"
        return self.amount_statement(fact, label, amount)

    def amount(self, fact: str, op: str, value: Value) -> str:
        """``more than 30 days``, ``at most $25.00``, ``on or before December 1, 2026``."""
        shown = self.format(fact, value)
        words = (_DATE_OP_WORDS if isinstance(value, date) else _OP_WORDS).get(op, op)
        return f"{words} {shown}" if words else shown

    def amount_statement(self, fact: str, label: str, amount: str) -> str:
        """A comparison on a number as a sentence, shaped by the fact's label and unit:
        "days since X" -> "it has been 5 days since X"; "days until X" -> "X is 2 days
        away"; a label naming its unit -> "the number of sessions ... is more than 0"."""
        definition = self.pack.facts.get(fact)
        unit_words = self.units.get(definition.unit) if definition is not None else None
        if unit_words is not None:
            many = unit_words[1]
            if label.lower().startswith(many + " since "):
                return f"it has been {amount} since {label[len(many) + len(' since ') :]}"
            if label.lower().startswith(many + " until "):
                return f"{label[len(many) + len(' until ') :]} is {amount} away"
            if label.lower().startswith(many + " "):
                return f"the number of {label} is {self.without_unit(amount, definition)}"
            if f" {many} " in f" {label.lower()} ":
                return f"{_subject(label)} is {self.without_unit(amount, definition)}"
        return f"{_subject(label)} is {amount}"

    def without_unit(self, amount: str, definition: FactDef | None) -> str:
        """``31 days`` -> ``31`` (the unit is said once, after the range or in the label)."""
        unit_words = self.units.get(definition.unit) if definition is not None else None
        for word in unit_words[::-1] if unit_words is not None else ():
            if amount.endswith(" " + word):
                return amount[: -len(word) - 1]
        return amount

    def words(self, fact: str, value: Value) -> str:
        """A value (or, for "one of", values) as words: ``store credit or an exchange``."""
        if isinstance(value, tuple):
            return join([self.words(fact, v) for v in value], "or", self.renderer.locale)
        definition = self.pack.facts.get(fact)
        if isinstance(value, str) and definition is not None and definition.type.name == "enum":
            # enum values that name something we can offer read with their article
            found = self.pack.alternatives.kinds.get(value)
            return found.words if found is not None and found.words else self.format(fact, value)
        return self.format(fact, value)

    def format(self, fact: str, value: Value) -> str:
        """One value as people read it (the store's currency, locale and the fact's unit)."""
        if isinstance(value, tuple):  # pragma: no cover - callers format items one by one
            return self.words(fact, value)
        return self.renderer.format_facts({fact: value}).get(fact, str(value))

    # ---- Fluent texts without a customer

    def message(self, message: Message) -> str:
        """A Fluent text with each placeholder replaced by neutral words ("the item").

        The loader only accepts texts that parse as one Fluent pattern whose placeables are
        all ``{ $fact }`` references, so nothing else can reach here.
        """
        parsed = FluentParser().parse("m = " + "\n    ".join(message.source.split("\n")) + "\n")
        entry = parsed.body[0] if parsed.body else None
        assert isinstance(entry, fl.Message) and entry.value is not None, message.source
        out = ""
        for element in entry.value.elements:
            if isinstance(element, fl.TextElement):
                out += element.value
                continue
            expression = element.expression
            assert isinstance(expression, fl.VariableReference), message.source
            out = _attach(out, self.neutral(expression.id.name))
        return " ".join(out.split())

    def neutral(self, name: str) -> str:
        """Words standing for a fact's value on a page read by every customer: the value
        itself when it is the same for everyone (a fee set in the pack), else its label."""
        definition = self.pack.facts.get(name)
        if definition is not None and definition.program.constant:
            value = definition.program.value
            if value is not None:
                return self.format(name, value)
        label = definition.label if definition is not None else name.replace("_", " ")
        return _subject(" ".join(label.split()))


# ---- condition phrasing helpers (driven by fact types, labels, units and operators)

_LOWER = frozenset({"gt", "gte"})
_UPPER = frozenset({"lt", "lte"})
_OP_WORDS: dict[str, str] = {
    "eq": "",
    "ne": "not",
    "lt": "less than",
    "lte": "at most",
    "gt": "more than",
    "gte": "at least",
}
_DATE_OP_WORDS: dict[str, str] = {
    "eq": "on",
    "ne": "not on",
    "lt": "before",
    "lte": "on or before",
    "gt": "after",
    "gte": "on or after",
}
_AUXILIARIES = frozenset(
    {"is", "are", "was", "were", "has", "have", "can", "could", "will", "would", "should"}
    | {"must", "does", "do", "did"}
)
_PRONOUNS = frozenset({"you", "it", "we", "they", "he", "she", "i"})
_IRREGULAR_PAST: dict[str, str] = {
    "had": "have",
    "made": "make",
    "bought": "buy",
    "paid": "pay",
    "sent": "send",
    "got": "get",
    "came": "come",
    "went": "go",
    "gave": "give",
    "took": "take",
}
_TRAILING_ADVERBS = frozenset({"instead", "now", "today", "yet", "already", "again"})
_AUTHOR_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
"""A trailing parenthetical in an example's name: "(demo request)" is for pack authors."""
_SNAKE = re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b")


def _pushed_down(cond: Condition, negate: bool = False) -> Condition:
    """The same condition with every ``not`` moved onto its comparisons (De Morgan), so
    "not (x in [a, b])" reads "x is not a or b" and a negated "all" is an "any"."""
    if isinstance(cond, Not):
        return _pushed_down(cond.item, not negate)
    if isinstance(cond, Compare):
        op = _NEGATED_OPS.get(cond.op, cond.op) if negate else cond.op
        if isinstance(cond.value, bool) and op == "ne":
            return Compare(cond.fact, "eq", not cond.value, cond.loc)
        return Compare(cond.fact, op, cond.value, cond.loc)
    items = tuple(_pushed_down(item, negate) for item in cond.items)
    return Any_(items, cond.loc) if isinstance(cond, All) == negate else All(items, cond.loc)


def _only_routes(definition: FactDef | None, value: Value) -> bool:
    """Facts that only pick which family of rules answers a request (an order or a plan?):
    the "Applies to cancellations" line already says what a customer needs; the page leaves
    comparisons on them out, as it does comparisons with an enum's ``none``."""
    if definition is None or definition.type.name != "enum":
        return False
    if definition.routing:
        return True
    values = value if isinstance(value, tuple) else (value,)
    return all(v == "none" for v in values)


def _is_amount(definition: FactDef | None, value: Value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | Decimal | date):
        return True
    return definition is not None and definition.type.name in (
        "integer",
        "decimal",
        "money",
        "date",
    )


def _subject(label: str) -> str:
    """A noun-phrase label as a sentence's subject: "price difference" -> "the price ..."."""
    first = label.split(" ", 1)[0].lower()
    if label.lower().startswith(_DETERMINERS) or first.endswith(("'s", "\u2019s")):
        return label
    return f"the {label}"


def negated(clause: str) -> str:
    """A statement's negation: "your order has shipped" -> "your order has not shipped",
    "your order includes X" -> "your order does not include X", "you asked for X" -> "you
    did not ask for X"; "" when no verb is recognised."""
    words = clause.split(" ")
    for i, word in enumerate(words):
        if word.lower() in _AUXILIARIES:
            return " ".join([*words[: i + 1], "not", *words[i + 1 :]])
    for i, word in enumerate(words[1:], start=1):
        lower = word.lower()
        after_subject = words[i - 1].lower() in _PRONOUNS or (
            i >= 2 and f"{words[i - 2].lower()} ".startswith(_DETERMINERS)
        )
        if not after_subject and lower not in _IRREGULAR_PAST:
            continue
        base = ""
        if lower in _IRREGULAR_PAST:
            base, aux = _IRREGULAR_PAST[lower], "did"
        elif lower.endswith("ied"):
            base, aux = lower[:-3] + "y", "did"
        elif lower.endswith("ed") and len(lower) > 3:
            base, aux = lower[:-2], "did"
            if base.endswith(("c", "v", "z", "at", "ag", "ur", "us", "iz", "as")):
                base += "e"
        elif lower.endswith(("ches", "shes", "sses", "xes", "oes")):
            base, aux = lower[:-2], "does"
        elif lower.endswith("s") and not lower.endswith(("ss", "'s")):
            base, aux = lower[:-1], "does"
        if base:
            # "the item already had X" -> "the item did not already have X"
            start = i - 1 if words[i - 1].lower() in _TRAILING_ADVERBS else i
            return " ".join([*words[:start], aux, "not", *words[start:i], base, *words[i + 1 :]])
    return ""


def _whether(label: str, truth: bool) -> str:
    """A yes/no fact as a statement: "whether your order has shipped" -> "your order has
    shipped" or "your order has not shipped"; other labels read "<label>: yes"."""
    if label.lower().startswith("whether "):
        clause = label[len("whether ") :]
        if truth:
            return clause
        negation = negated(clause)
        if negation:
            return negation
    return f"{label}: {'yes' if truth else 'no'}"


def _statement(label: str, op: str, shown: str) -> str:
    """An equality or membership as a statement. A "what/where/which ..." label holds the
    sentence with a gap for the value ("where your order is" -> "your order is in
    production", "what you asked for" -> "you asked for an exchange"); a noun label reads
    "the reason for the request is not defective or wrong item"."""
    positive = op in ("eq", "in")
    first, _, rest = label.partition(" ")
    if first.lower() in ("what", "where", "which") and rest:
        words = rest.split(" ")
        trailing: list[str] = []
        while len(words) > 1 and words[-1].lower() in _TRAILING_ADVERBS:
            trailing.insert(0, words.pop())
        clause = " ".join(words) if positive else negated(" ".join(words))
        if clause:
            return " ".join([clause, shown, *trailing])
        return f"{label}: not {shown}"
    if first.lower() in ("how", "whether", "who", "when", "why", "if"):
        return f"{label}: {shown}" if positive else f"{label}: not {shown}"
    return f"{_subject(label)} {'is' if positive else 'is not'} {shown}"


def _attach(before: str, phrase: str) -> str:
    """Insert a neutral phrase, merging it with an article just before it.

    ``"Once a " + "the item"`` reads "Once an item"; ``"Your " + "the item"`` "Your item".
    """
    found = _ARTICLE_BEFORE.search(before)
    if found is None or not phrase.lower().startswith("the "):
        return before + phrase
    noun = phrase[len("the ") :]
    article = found.group(1)
    if article.lower() in {"a", "an"}:
        fitting = "an" if noun[:1].lower() in "aeiou" else "a"
        article = fitting.capitalize() if article[:1].isupper() else fitting
    return before[: found.start()] + f"{article} {noun}"


def join(parts: Sequence[str], word: str, locale: str = "en_US") -> str:
    """``a``, ``a or b``, ``a, b, or c``: the parts that say something, as the locale
    lists them (Babel's ``format_list``); nothing for no parts."""
    items = [p for p in parts if p]
    return join_words(items, word, locale) if items else ""
