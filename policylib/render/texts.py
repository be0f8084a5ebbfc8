"""A pack's own texts: every rule, offer, question and default text compiled once, and
facts formatted for people to fill them with.

``TextRenderer`` is built once per policy. It compiles the pack's texts into one Fluent
bundle, formats facts for people (money ``$49.99``, dates ``Tuesday, December 1``, ``6
days`` in the pack's own unit words), and fills the texts the ``Policy`` puts into a
``Decision``. Values reach the templates as finished strings, so what a customer typed is
inserted literally and is never read as syntax. Each formatted fact is a ``Shown`` string
that remembers its value: a selector chooses by the value (a number by its plural category
in the pack's locale), and ``NUMBER()`` / ``DATETIME()`` format the value with Fluent's
options, while ``{ $x }`` shows the words above.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from policylib.errors import PolicyError
from policylib.lang.nodes import FactDef, Message, Pack
from policylib.render.phrasebook import (
    MAX_VALUE,
    Compiled,
    Phrasebook,
    Shown,
    cap,
    compile_all,
    fill_compiled,
    new_bundle,
)
from policylib.render.values import (
    END_OF_DAY,
    as_words,
    babel_locale,
    clock_words,
    format_day,
    format_money,
    format_number,
    format_percent,
    zone_words,
)

__all__ = ["TextRenderer"]

# --------------------------------------------------------------------------- fact formatting

_Formatter = Callable[[Any, int | None], str]


def _formatter(
    fact: FactDef,
    currency: str,
    locale: str,
    units: Mapping[str, tuple[str, str]],
    yes_no: tuple[str, str],
    words: Callable[[str, str], str],
    clock: Callable[[time], str],
) -> _Formatter:
    """A formatter for one fact, chosen once per pack (format_facts is on the hot path)."""
    unit = fact.unit
    kind = fact.type.name
    if kind == "boolean":
        yes, no = yes_no
        return lambda v, _y: yes if v else no
    if kind == "time":
        return lambda v, _y: clock(v) if isinstance(v, time) else as_words(v)
    if kind in ("date", "datetime"):

        def day(v: Any, year: int | None) -> str:
            if isinstance(v, datetime):
                v = v.date()
            if not isinstance(v, date):
                return as_words(v)
            return format_day(v, locale, year is not None and v.year != year)

        return day
    if kind == "money" or unit == "currency":

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
    if unit in units:
        one, many = units[unit]

        def counted(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return f"{format_number(v, locale)} {one if v == 1 else many}"
            return as_words(v)

        return counted
    if kind in ("integer", "decimal"):

        def number(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return format_number(v, locale)
            return as_words(v)

        return number
    if kind == "enum":
        return lambda v, _y: words(f"value-{v}", as_words(v)) if isinstance(v, str) else as_words(v)
    return lambda v, _y: v if isinstance(v, str) else as_words(v)


def _typed(value: Any, kind: str) -> Any:
    """A value as its fact's type holds it, from the JSON form a decision dumps."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "datetime":
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        if kind in ("money", "decimal"):
            return Decimal(value)
        if kind == "integer":
            return int(value)
        if kind == "time":
            return time.fromisoformat(value)
    except (ValueError, ArithmeticError):
        return value
    return value


def _guess(
    value: Any, year: int | None, currency: str, locale: str, yes_no: tuple[str, str]
) -> str:
    """Format a value with no declared fact (kept people-friendly all the same)."""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
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

    def __init__(self, pack: Pack, locale: str | None = None) -> None:
        self.pack = pack
        self.locale = locale or pack.store.locale
        self.currency = pack.store.currency
        babel_locale(self.locale)  # warm the cache
        translation = pack.translations.get(self.locale) if locale is not None else None
        if locale is not None and translation is None and locale != pack.store.locale:
            raise PolicyError(
                f"the pack has no words in {locale}; its locales are "
                + ", ".join([pack.store.locale, *pack.translations])
            )
        self._translation: Mapping[Message, Message] = translation.texts if translation else {}
        self._words: Mapping[str, str] = translation.words if translation else {}
        phrases: Mapping[str, Message] = (
            {**(pack.messages if translation.fallback else {}), **translation.phrases}
            if translation is not None
            else pack.messages
        )
        self._bundle = new_bundle(self.locale)
        self._ids: dict[Message, str] = {}
        # the pack's terms (-brand = ...) first: its texts may reference them
        self._terms = {name: m.source for name, m in phrases.items() if name[:1] == "-"}
        entries: dict[str, str] = dict(self._terms)

        def add(message: Message | None) -> None:
            if message is None or message in self._ids:
                return
            message_id = f"text-{len(self._ids)}"
            self._ids[message] = message_id
            entries[message_id] = self.translated(message).source

        for rule in pack.rules:
            add(rule.text)
            add(rule.why)
            for offer in rule.offers:
                add(offer.text)
        for fact in pack.facts.values():
            add(fact.question)
        add(pack.default_text)
        fallback = pack.alternatives.fallback
        if fallback is not None:
            add(fallback.text)
        for axis in pack.alternatives.axes:
            add(axis.lead)
            add(axis.lead_unasked)
        self._compiled = compile_all(self._bundle, entries)
        self.book = Phrasebook({n: m.source for n, m in phrases.items()}, self.locale)
        """The connecting words of this pack's replies."""
        self.units: Mapping[str, tuple[str, str]] = {
            name: (
                self.pack_word(f"unit-{name}.one", one) or self.book.get(f"unit-{name}-one"),
                self.pack_word(f"unit-{name}.other", other) or self.book.get(f"unit-{name}-other"),
            )
            for name, (one, other) in pack.units.items()
        }
        """Words for the units facts count in, in this locale: unit -> (one, other)."""
        self._yes_no = (self.book.get("value-yes"), self.book.get("value-no"))
        self._house_clock = self.book.get("clock-style") == "house"
        self.unknown = self.book.get("value-unknown")
        """What a fact the request does not tell reads as."""
        self._formatters: dict[str, _Formatter] = {
            name: _formatter(
                fact,
                self.currency,
                self.locale,
                self.units,
                self._yes_no,
                self.pack_word,
                self.clock,
            )
            for name, fact in pack.facts.items()
        }
        self._late: dict[Message, Compiled] = {}
        self._late_lock = threading.Lock()
        self._zone = ZoneInfo(pack.store.timezone)
        self._zone_words = zone_words(pack.store.timezone, self.locale)
        self._moments = frozenset(
            name for name, fact in pack.facts.items() if fact.type.name == "datetime"
        )

    def __repr__(self) -> str:
        return f"<TextRenderer {self.pack.store.name!r} {self.locale}: {len(self._ids)} texts>"

    def translated(self, message: Message) -> Message:
        """``message`` (one of the pack's texts, as the pack's YAML writes it) in this
        renderer's locale: the translation's text, or the message itself."""
        return self._translation.get(message, message)

    def pack_word(self, key: str, default: str) -> str:
        """One of the pack's own words in this renderer's locale, by its translation id
        (``section-<id>``, ``section-<id>.summary``, ``rule-<id>.title``,
        ``alternative-<kind>``, ``fact-<name>``); ``default`` (the YAML's words)
        when the locale is the pack's own or the translation leaves it out."""
        return self._words.get(key, default)

    def format_facts(
        self,
        facts: Mapping[str, Any],
        *,
        year: int | None = None,
        viewer: tzinfo | None = None,
    ) -> dict[str, str]:
        """Every fact as people read it, in the store's locale and currency.

        Args:
            facts: fact name -> typed value (unknown facts are absent or None).
            year: the decision's year; a date in another year shows its year. None: never.
            viewer: the customer's clock (the request's UTC offset): a moment (a datetime
                fact) names the store's zone, and adds the customer's own time when
                their clock reads differently then.
        """
        out: dict[str, str] = {}
        formatters = self._formatters
        for name, value in facts.items():
            if value is None:
                continue
            if isinstance(value, datetime) and name in self._moments:
                text = self.moment(value, year, viewer)
            else:
                fmt = formatters.get(name)
                text = (
                    fmt(value, year)
                    if fmt is not None
                    else _guess(value, year, self.currency, self.locale, self._yes_no)
                )
            out[name] = Shown(text if len(text) <= MAX_VALUE else cap(text, MAX_VALUE), value)
        return out

    def clock(self, moment: time) -> str:
        """A time of day: in the catalog's house style when it says so (``clock-style =
        house``, then ``clock-hour``: "8 a.m.", "4:30 p.m.", "noon"), else as CLDR writes
        it in the locale."""
        book = self.book
        if not self._house_clock:
            return clock_words(moment, self.locale)
        if moment >= END_OF_DAY or moment == time(0):
            return book.get("clock-midnight")
        if moment == time(12):
            return book.get("clock-noon")
        hour = str(moment.hour % 12 or 12)
        period = book.get("clock-am" if moment.hour < 12 else "clock-pm")
        if moment.minute:
            minutes = f"{moment.minute:02d}"
            return book.get(
                "clock-hour-minutes", {"hour": hour, "minutes": minutes, "period": period}
            )
        return book.get("clock-hour", {"hour": hour, "period": period})

    def moment(self, value: datetime, year: int | None, viewer: tzinfo | None = None) -> str:
        """A moment as the store's clock reads it, saying whose clock ("6 p.m. Eastern
        Time on Monday, December 7"), and the customer's time beside it when their UTC
        offset differs then ("(3 p.m. your time)")."""
        local = value.astimezone(self._zone)
        args = {
            "time": self.clock(local.time().replace(tzinfo=None)),
            "zone": self._zone_words,
            "day": format_day(local.date(), self.locale, year is not None and local.year != year),
        }
        shown = self.book.get("moment", args)
        if viewer is None or value.astimezone(viewer).utcoffset() == local.utcoffset():
            return shown
        theirs = value.astimezone(viewer)
        yours = self.clock(theirs.time().replace(tzinfo=None))
        if theirs.date() != local.date():
            yours = self.book.get(
                "moment-yours-day",
                {"time": yours, "day": format_day(theirs.date(), self.locale, False)},
            )
        return self.book.get("moment-yours", {"moment": shown, "yours": yours})

    def fill(self, message: Message, formatted: Mapping[str, str]) -> str:
        """A rule, offer or default text filled with formatted facts.

        An unknown fact reads "not known"; whitespace is collapsed; the result is capped
        at ``MAX_TEXT`` characters. Values are inserted as they are, never parsed.
        """
        message_id = self._ids.get(message)
        compiled = (
            self._compiled[message_id] if message_id is not None else self._compile_late(message)
        )
        return fill_compiled(self._bundle, compiled, formatted, self.unknown)

    def question(self, fact: FactDef, formatted: Mapping[str, str]) -> str:
        """What to ask the customer when ``fact`` is unknown."""
        if fact.question is not None and fact.question.source.strip():
            return self.fill(fact.question, formatted)
        label = self.pack_word(f"fact-{fact.name}", fact.label or fact.name.replace("_", " "))
        return self.book.get("question-generic", {"fact_label": label})

    def shown(self, fact: str, value: Any, year: int | None = None) -> Shown:
        """A fact's value as people read it, remembering the value, so a text's selector
        chooses by it; the JSON forms a decision read back holds work too."""
        definition = self.pack.facts.get(fact)
        if definition is not None:
            value = _typed(value, definition.type.name)
        found = self.format_facts({fact: value}, year=year).get(fact)
        return found if isinstance(found, Shown) else Shown(self.unknown, None)

    def format_value(self, fact: str, value: Any) -> str:
        """One value of a fact as people read it, with the year always shown for dates;
        the JSON forms a decision read back holds (ISO dates, decimal strings) work too."""
        definition = self.pack.facts.get(fact)
        if definition is not None:
            value = _typed(value, definition.type.name)
        formatter = self._formatters.get(fact)
        if formatter is None:
            return _guess(value, 0, self.currency, self.locale, self._yes_no)
        return formatter(value, 0)

    def value(self, value: Any, year: int | None = None) -> str:
        """One value with no fact of its own (a search's candidate), as people read it:
        an offer kind's name in its words (``"<kind>"``: the kind's ``words``)."""
        if isinstance(value, time):
            return self.clock(value)
        if isinstance(value, str):
            kind = self.pack.alternatives.kinds.get(value)
            if kind is not None and kind.words:
                return self.pack_word(f"alternative-{value}", kind.words)
        return _guess(value, year, self.currency, self.locale, self._yes_no)

    def _compile_late(self, message: Message) -> Compiled:
        """A text that was not in the pack at construction: compiled once, in its own bundle."""
        with self._late_lock:
            compiled = self._late.get(message)
            if compiled is None:
                bundle = new_bundle(self.locale)
                compiled = compile_all(bundle, {**self._terms, "late": message.source})["late"]
                if len(self._late) < 1024:
                    self._late[message] = compiled
            return compiled
