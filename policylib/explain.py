"""Explanations: a ``Decision`` turned into words for a customer, an agent or a chat bubble.

Two halves, one per moment:

* ``TextRenderer`` is built once per pack. It compiles every rule, offer, question and
  default text into one Fluent bundle, formats facts for people (money ``$49.99``, dates
  ``Tuesday, December 1``, ``6 days``), and fills the texts the ``Policy`` puts into a
  ``Decision``. Values reach the templates as finished strings, so what a customer typed
  is inserted literally and is never read as syntax.
* ``render_decision`` needs only the ``Decision``: the filled reasons and offers, the
  question, the trace and the context. The connecting words ("Hi Dana,", the headlines,
  "Here's what we can do instead:") come from a phrasebook: the English defaults
  (``DEFAULT_PHRASES``), overridden by the pack's shared ``*.ftl`` messages that the
  renderer hands to the Policy as ``TextRenderer.context_phrases()`` (carried in
  ``DecisionContext.phrases``).

The parts live in private modules: ``_phrases`` (the phrasebook, Fluent compilation and
values as words) and ``_views`` (the customer, agent and chat layouts and the text,
markdown and html writers). Nothing here imports the engine: the trace is data, and the
words are a view over it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from policylib._phrases import (
    DEFAULT_PHRASES,
    MAX_TEXT,
    MAX_VALUE,
    UNIT_WORDS,
    UNKNOWN,
    Compiled,
    as_words,
    babel_locale,
    cap,
    compile_all,
    fill_compiled,
    format_day,
    format_money,
    format_number,
    format_percent,
    new_bundle,
    phrasebook,
    tidy,
)
from policylib._views import VIEWS, Audience, Format, serialize
from policylib.language import FactDef, Message, Pack
from policylib.model import Decision

__all__ = [
    "DEFAULT_PHRASES",
    "MAX_TEXT",
    "UNKNOWN",
    "Audience",
    "Format",
    "TextRenderer",
    "render_decision",
]

# --------------------------------------------------------------------------- fact formatting

_Formatter = Callable[[Any, int | None], str]


def _formatter(fact: FactDef, currency: str, locale: str) -> _Formatter:
    """A formatter for one fact, chosen once per pack (format_facts is on the hot path)."""
    unit = fact.unit
    if fact.type == "boolean":
        return lambda v, _y: "yes" if v else "no"
    if fact.type == "date":

        def day(v: Any, year: int | None) -> str:
            if isinstance(v, datetime):
                v = v.date()
            if not isinstance(v, date):
                return as_words(v)
            return format_day(v, locale, year is not None and v.year != year)

        return day
    if fact.type == "money" or unit == "currency":

        def money(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return format_money(Decimal(v), currency, locale)
            return as_words(v)

        return money
    if unit == "percent":

        def percent(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return format_percent(v, locale)
            return as_words(v)

        return percent
    if unit in UNIT_WORDS:
        one, many = UNIT_WORDS[unit]

        def counted(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return f"{format_number(v, locale)} {one if v == 1 else many}"
            return as_words(v)

        return counted
    if fact.type in ("integer", "decimal"):

        def number(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return format_number(v, locale)
            return as_words(v)

        return number
    if fact.type == "enum":
        return lambda v, _y: as_words(v)
    return lambda v, _y: v if isinstance(v, str) else as_words(v)


def _guess(value: Any, year: int | None, currency: str, locale: str) -> str:
    """Format a value with no declared fact (kept people-friendly all the same)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_day(value, locale, year is not None and value.year != year)
    if isinstance(value, Decimal):
        return format_number(value, locale)
    return as_words(value)


# --------------------------------------------------------------------------- TextRenderer


class TextRenderer:
    """Formats facts and fills a pack's texts. Built once per pack; thread-safe.

    Args:
        pack: the loaded pack; every rule, offer, question and default text, and the
            shared messages, are compiled here once.
    """

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.locale = pack.store.locale or "en_US"
        self.currency = pack.store.currency or "USD"
        babel_locale(self.locale)  # warm the cache (and fall back early for a bad locale)
        self._bundle = new_bundle(self.locale)
        self._ids: dict[Message, str] = {}
        entries: dict[str, str] = {}

        def add(message: Message | None) -> None:
            if message is None or message in self._ids:
                return
            message_id = f"text-{len(self._ids)}"
            self._ids[message] = message_id
            entries[message_id] = message.source

        for rule in pack.rules:
            add(rule.text)
            add(rule.why)
            for offer in rule.offers:
                add(offer.text)
        for fact in pack.facts.values():
            add(fact.question)
        add(pack.default_text)
        self._compiled = compile_all(self._bundle, entries)
        self._pack_phrases = {name: m.source for name, m in pack.messages.items()}
        # The phrasebook render_decision looks up for this pack's decisions: built now, once.
        self._book = phrasebook(self._pack_phrases, self.locale)
        self._formatters: dict[str, _Formatter] = {
            name: _formatter(fact, self.currency, self.locale) for name, fact in pack.facts.items()
        }
        self._late: dict[Message, Compiled] = {}
        self._late_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<TextRenderer {self.pack.store.name!r} {self.locale}: {len(self._ids)} texts>"

    def format_facts(self, facts: Mapping[str, Any], *, year: int | None = None) -> dict[str, str]:
        """Every fact as people read it, in the store's locale and currency.

        Args:
            facts: fact name -> typed value (unknown facts are absent or None).
            year: the decision's year; a date in another year shows its year. None: never.
        """
        out: dict[str, str] = {}
        formatters = self._formatters
        for name, value in facts.items():
            if value is None:
                continue
            fmt = formatters.get(name)
            text = (
                fmt(value, year)
                if fmt is not None
                else _guess(value, year, self.currency, self.locale)
            )
            out[name] = text if len(text) <= MAX_VALUE else cap(text, MAX_VALUE)
        return out

    def fill(self, message: Message, formatted: Mapping[str, str]) -> str:
        """A rule, offer or default text filled with formatted facts.

        An unknown fact reads "not known"; whitespace is collapsed; the result is capped
        at ``MAX_TEXT`` characters. Values are inserted as they are, never parsed.
        """
        message_id = self._ids.get(message)
        compiled = (
            self._compiled[message_id] if message_id is not None else self._compile_late(message)
        )
        return fill_compiled(self._bundle, compiled, formatted)

    def question(self, fact: FactDef, formatted: Mapping[str, str]) -> str:
        """What to ask the customer when ``fact`` is unknown."""
        if fact.question is not None and fact.question.source.strip():
            return self.fill(fact.question, formatted)
        label = fact.label or fact.name.replace("_", " ")
        phrase = "question-generic-wh" if _starts_with_wh(label) else "question-generic"
        return self.shared(phrase, {"fact_label": label})

    def shared(self, message_id: str, args: Mapping[str, str]) -> str:
        """A shared message (the pack's ``*.ftl`` over the English defaults); "" if none."""
        return self._book.get(message_id, args)

    def context_phrases(self) -> dict[str, str]:
        """The pack's shared messages (id -> Fluent source) for ``DecisionContext.phrases``.

        The same dict object every call; treat it as read-only. ``render_decision`` lays it
        over ``DEFAULT_PHRASES`` (and compiles it once per distinct dict).
        """
        return self._pack_phrases

    def _compile_late(self, message: Message) -> Compiled:
        """A text that was not in the pack at construction: compiled once, in its own bundle."""
        with self._late_lock:
            compiled = self._late.get(message)
            if compiled is None:
                bundle = new_bundle(self.locale)
                compiled = compile_all(bundle, {"late": message.source})["late"]
                if compiled.parts is None:
                    compiled = Compiled(((False, tidy(message.source)),), None, ())
                if len(self._late) < 1024:
                    self._late[message] = compiled
            return compiled


_NO_ARTICLE = frozenset(
    {"whether", "if", "when", "what", "which", "who", "how", "where", "why"}
    | {"the", "a", "an", "your", "our", "their", "this", "that", "these", "those"}
)


def _starts_with_wh(label: str) -> bool:
    """True when a label reads without "the" in front ("whether ...", "your ...")."""
    first = label.split(" ", 1)[0].lower()
    return first in _NO_ARTICLE or first.endswith(("'s", "\u2019s"))


# --------------------------------------------------------------------------- entry point


def render_decision(
    decision: Decision,
    audience: Audience = "customer",
    format: Format = "text",
) -> str:
    """The explanation of a decision for one audience in one format.

    Args:
        decision: the decision; everything needed is in it (reasons' filled texts,
            alternatives, question, trace and context, including the pack's phrases).
        audience: ``customer`` (the reply), ``agent`` (rule ids, conditions, limits) or
            ``chat`` (two sentences and the options).
        format: ``text``, ``markdown`` or ``html`` (a fragment; every value escaped,
            links only http/https).
    """
    view = VIEWS.get(audience)
    if view is None:
        raise ValueError(f"unknown audience {audience!r}; use 'customer', 'agent' or 'chat'")
    if format not in ("text", "markdown", "html"):
        raise ValueError(f"unknown format {format!r}; use 'text', 'markdown' or 'html'")
    ctx = decision.context
    blocks = view(decision, phrasebook(ctx.phrases, ctx.locale or "en_US"))
    return serialize(blocks, format, isolate=[ctx.customer_name or "", *ctx.names])
