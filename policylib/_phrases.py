"""The words explanations are made of: the phrasebook, and values as people read them.

* ``DEFAULT_PHRASES``, the store's voice in English: the connecting words of every reply.
  A pack's shared ``*.ftl`` messages override them by id.
* Fluent compilation, shared by the phrasebook and ``explain.TextRenderer``: every pattern
  is compiled once, and the simple ones (text and ``{ $x }`` only) are filled by a join.
* ``Phrasebook``: the defaults under one pack's overrides, compiled once per distinct set
  of phrases (``phrasebook`` caches them).
* Values as words (Babel): money, dates, numbers, percentages, enums and lists.

Imported by ``explain`` and ``_views``; imports neither, and never the engine.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import babel
import babel.dates
import babel.numbers
from fluent.runtime import FluentBundle, FluentResource, resolver
from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

__all__ = [
    "DEFAULT_PHRASES",
    "MAX_TEXT",
    "MAX_VALUE",
    "UNIT_WORDS",
    "UNKNOWN",
    "Compiled",
    "Phrasebook",
    "as_words",
    "babel_locale",
    "cap",
    "compile_all",
    "fill_compiled",
    "format_day",
    "format_money",
    "format_number",
    "format_percent",
    "join_words",
    "new_bundle",
    "phrasebook",
    "tidy",
]

MAX_TEXT = 600
"""A filled text longer than this is cut at a word boundary and ends with an ellipsis."""

UNKNOWN = "not known"
"""What a placeholder shows when its fact is unknown for this request."""

MAX_VALUE = 600  # fluent refuses placeables over 2,500 characters; values never get close

# --------------------------------------------------------------------------- the English defaults

# The store's voice in English. A pack overrides any of these by defining a message with
# the same id in one of its ``*.ftl`` files. Headlines are looked up as
# ``<outcome>-<request kind>`` first, then ``<outcome>``. Variables here are context
# values the views supply (customer_name, escalation_contact, policy_section, because,
# rule_title, fact_label); pack messages may use declared facts only.
DEFAULT_PHRASES = """
greeting = Hi { $customer_name },
greeting-anonymous = Hi there,

granted = Good news: we can do this for you.
granted-return = Good news: we can take this return.
granted-exchange = Good news: we can exchange this for you.
granted-cancel = You're all set: it's cancelled.
granted-change_delivery = Good news: we can make that change to your delivery.
granted-price_adjustment = Good news: we can adjust the price for you.
granted-delivery_estimate = Here's when you can expect your order.
good-news = Good news:

partial = We can do part of what you asked.
partial-return = We can take this return, but we can't refund all of it.
partial-exchange = We can exchange part of this order.
partial-cancel = We can cancel this, but we can't refund all of it.
partial-change_delivery = We can make part of that change to your delivery.
partial-price_adjustment = We can adjust part of the price.
partial-mixed = We can do some of what you asked, but not all of it.
partial-mixed-return = We can take back some of these items, but not all of them.
partial-mixed-exchange = We can exchange some of these items, but not all of them.
partial-mixed-price_adjustment =
    We can adjust the price on some of these items, but not all of them.

denied = We can't do this one.
denied-return = We can't take this return.
denied-exchange = We can't exchange this item.
denied-cancel = We can't cancel this right now.
denied-change_delivery = We can't make this change to your delivery.
denied-price_adjustment = We can't adjust the price on this order.
denied-delivery_estimate = We can't give you a delivery date just yet.

escalate =
    I've passed your request to { $escalation_contact },
    who will look at it and get back to you.
escalate-return =
    I've passed your return to { $escalation_contact },
    who will look at it and get back to you.
escalate-cancel =
    I've passed your cancellation to { $escalation_contact },
    who will look at it and get back to you.
escalate-change_delivery =
    I've passed your delivery change to { $escalation_contact },
    who will look at it and get back to you.

apology = I'm sorry about this.
apology-granted = I'm sorry about this, and we'll put it right.
apology-partial = I'm sorry about this, and we'll put right what we can.

needs-info = before I can answer, I need to know one thing:
needs-info-chat = one quick question before I can answer:
needs-info-because = It matters because { $because }.
needs-info-depends = Your answer changes what we can offer you.
needs-info-next = Once I know, I can give you a full answer.

question-generic = Could you tell us the { $fact_label }?
question-generic-wh = Could you tell us { $fact_label }?

offers-denied = Here's what we can do instead:
offers-partial = Here's what else we can do:
offers-granted = If it helps, we can also offer:
offers-granted-cancel = There's nothing else you need to do. If it's ever useful, we also offer:
offers-escalate = In the meantime, here's what we can do:
offers-needs_info = In the meantime, here's what we can do:

offer-for-item = For the { $item_name }: { $offer }
no-offers = If you think we've missed something, just reply and we'll take another look.

policy-link = You can read our full policy on { $policy_section } here:
policy-link-general = You can read our full policy here:
"""


@functools.cache
def _default_sources() -> dict[str, str]:
    return _phrase_sources(DEFAULT_PHRASES)


def _phrase_sources(ftl: str) -> dict[str, str]:
    """Message id -> pattern source, read the way the loader reads a pack's ``*.ftl``."""
    out: dict[str, str] = {}
    for entry in FluentParser().parse(ftl).body:
        if isinstance(entry, fl.Message) and entry.value is not None and entry.value.span:
            out[str(entry.id.name)] = ftl[entry.value.span.start : entry.value.span.end]
    return out


# --------------------------------------------------------------------------- compiling


@dataclass(frozen=True, slots=True)
class Compiled:
    """One compiled pattern: literal/variable parts for the fast path, else the pattern."""

    parts: tuple[tuple[bool, str], ...] | None
    """(is_variable, text-or-name) when the pattern is only text and ``{ $x }``."""
    pattern: Any
    variables: tuple[str, ...]


def new_bundle(locale: str) -> FluentBundle:
    return FluentBundle([locale.replace("_", "-")], use_isolating=False)


def _ftl_entry(message_id: str, source: str) -> str:
    """``id = source`` with continuation lines indented, the way the loader checks texts."""
    return f"{message_id} = " + "\n    ".join(source.split("\n")) + "\n"


def _variables(node: Any, out: dict[str, None]) -> None:
    if isinstance(node, fl.VariableReference):
        out[str(node.id.name)] = None
        return
    if isinstance(node, fl.BaseNode):
        for value in vars(node).values():
            if isinstance(value, list):
                for item in value:
                    _variables(item, out)
            else:
                _variables(value, out)


def _literal(node: Any) -> str | None:
    if isinstance(node, resolver.TextElement):
        return str(node.value)
    if isinstance(node, resolver.StringLiteral):  # ``{ "x" }`` compiles to a bare literal
        return str(node.parse()["value"])
    return None


def _simple_parts(compiled: Any) -> tuple[tuple[bool, str], ...] | None:
    """Text-and-``{ $x }`` patterns as parts, read straight off fluent.runtime's compiled tree.

    Filling these is a join (no resolver environment per call); anything richer keeps the
    compiled pattern and goes through ``FluentBundle.format_pattern``.
    """
    text = _literal(compiled)
    if text is not None:  # the compiler folds plain text into one literal
        return ((False, text),)
    if isinstance(compiled, resolver.NeverIsolatingPlaceable):  # the compiler's lone { }
        if isinstance(compiled.expression, resolver.VariableReference):
            return ((True, str(compiled.expression.id.name)),)
        return None
    if not isinstance(compiled, resolver.Pattern):
        return None
    parts: list[tuple[bool, str]] = []
    for element in compiled.elements:
        text = _literal(element)
        if text is not None:
            parts.append((False, text))
        elif isinstance(element, resolver.Placeable) and isinstance(
            element.expression, resolver.VariableReference
        ):
            parts.append((True, str(element.expression.id.name)))
        else:
            return None
    return tuple(parts)


_SIMPLE = re.compile(r"[^{}]*(?:\{\s*\$[A-Za-z][A-Za-z0-9_-]*\s*\}[^{}]*)*\Z")
_VARIABLE = re.compile(r"\{\s*\$([A-Za-z][A-Za-z0-9_-]*)\s*\}")


def _split_simple(source: str) -> Compiled | None:
    """A pattern of plain text and ``{ $x }`` placeables, split without Fluent.

    Equivalent to compiling it: the filled text is whitespace-collapsed either way, and
    the loader has already checked that such a pattern is valid Fluent.
    """
    if not _SIMPLE.match(source):
        return None
    parts: list[tuple[bool, str]] = []
    names: dict[str, None] = {}
    position = 0
    for match in _VARIABLE.finditer(source):
        if match.start() > position:
            parts.append((False, source[position : match.start()]))
        parts.append((True, match.group(1)))
        names[match.group(1)] = None
        position = match.end()
    if position < len(source):
        parts.append((False, source[position:]))
    return Compiled(tuple(parts), None, tuple(names))


def compile_all(bundle: FluentBundle, entries: Mapping[str, str]) -> dict[str, Compiled]:
    """Parse and compile each entry on its own (one bad text cannot hide the next one).

    Every pattern is compiled here, once: afterwards the bundle is only read, so formatting
    from many threads at once is safe (fluent.runtime compiles lazily on first lookup and
    keeps all per-call state in a fresh ``ResolverEnvironment``).
    """
    out: dict[str, Compiled] = {}
    for message_id, source in entries.items():
        if not source.strip():
            out[message_id] = Compiled((), None, ())
            continue
        simple = _split_simple(source)
        if simple is not None:  # text and { $x } only: no Fluent parse needed (fast loads)
            out[message_id] = simple
            continue
        resource = FluentResource(_ftl_entry(message_id, source))
        body = [e for e in resource.body if isinstance(e, fl.Message | fl.Junk)]
        if len(body) != 1 or not isinstance(body[0], fl.Message) or body[0].value is None:
            # Not valid Fluent (the loader refuses these; a hand-built pack might not):
            # show the words, never the braces.
            words = re.sub(r"\{[^{}]*\}", UNKNOWN, source)
            out[message_id] = Compiled(
                ((False, words.replace("{", "").replace("}", "")),), None, ()
            )
            continue
        bundle.add_resource(resource, allow_overrides=True)
        names: dict[str, None] = {}
        _variables(body[0].value, names)
        pattern = bundle.get_message(message_id).value
        out[message_id] = Compiled(_simple_parts(pattern), pattern, tuple(names))
    return out


def fill_compiled(bundle: FluentBundle, compiled: Compiled, args: Mapping[str, str]) -> str:
    """A compiled pattern filled with finished strings, whitespace collapsed and capped."""
    if compiled.parts is not None:
        text = "".join(
            _value(args.get(name)) if is_var else name for is_var, name in compiled.parts
        )
    else:
        fluent_args = {name: _value(args.get(name)) for name in compiled.variables}
        result, _errors = bundle.format_pattern(compiled.pattern, fluent_args)
        text = result if isinstance(result, str) else ""  # a FluentNone or a number
    return tidy(text)


def _value(value: str | None) -> str:
    if value is None or value == "":
        return UNKNOWN
    if len(value) > MAX_VALUE:
        return cap(value, MAX_VALUE)
    return value


def tidy(text: str, limit: int = MAX_TEXT) -> str:
    return cap(" ".join(text.split()), limit)


def cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


# --------------------------------------------------------------------------- phrasebooks


class Phrasebook:
    """The connecting words for one set of pack phrases, compiled once and then only read."""

    def __init__(self, overrides: Mapping[str, str], locale: str) -> None:
        sources = {**_default_sources(), **overrides}
        self._bundle = new_bundle(locale)
        self._compiled = compile_all(self._bundle, sources)
        # Phrases without variables are the same every time: fill them once.
        self._fixed = {
            message_id: fill_compiled(self._bundle, compiled, {})
            for message_id, compiled in self._compiled.items()
            if not compiled.variables
        }

    def get(self, message_id: str, args: Mapping[str, str] | None = None) -> str:
        """The phrase filled with ``args``; "" when there is no such phrase."""
        fixed = self._fixed.get(message_id)
        if fixed is not None:
            return fixed
        compiled = self._compiled.get(message_id)
        if compiled is None:
            return ""
        return fill_compiled(self._bundle, compiled, args or {})

    def first(self, ids: Iterable[str], args: Mapping[str, str] | None = None) -> str:
        """The first of ``ids`` that is a phrase, filled; "" when none is."""
        for message_id in ids:
            if message_id in self._compiled:
                return self.get(message_id, args)
        return ""


_BOOKS_LOCK = threading.Lock()
_BOOKS_BY_ID: dict[int, tuple[Mapping[str, str], str, Phrasebook]] = {}
_BOOKS_BY_CONTENT: dict[tuple[str, frozenset[tuple[str, str]]], Phrasebook] = {}
_MAX_BOOKS = 64


@functools.lru_cache(maxsize=16)
def _default_book(locale: str) -> Phrasebook:
    return Phrasebook({}, locale)


def phrasebook(phrases: Mapping[str, str], locale: str) -> Phrasebook:
    """The compiled phrasebook for a set of pack phrases; the same dict object hits fast."""
    if not phrases:
        return _default_book(locale)
    hit = _BOOKS_BY_ID.get(id(phrases))
    if hit is not None and hit[0] is phrases and hit[1] == locale:
        return hit[2]
    key = (locale, frozenset(phrases.items()))
    with _BOOKS_LOCK:
        book = _BOOKS_BY_CONTENT.get(key)
        if book is None:
            if len(_BOOKS_BY_CONTENT) >= _MAX_BOOKS:
                _BOOKS_BY_CONTENT.clear()
            book = Phrasebook(phrases, locale)
            _BOOKS_BY_CONTENT[key] = book
        if len(_BOOKS_BY_ID) >= _MAX_BOOKS:
            _BOOKS_BY_ID.clear()
        # Holding the dict keeps its id from being reused while it is cached.
        _BOOKS_BY_ID[id(phrases)] = (phrases, locale, book)
    return book


# --------------------------------------------------------------------------- values as words


@functools.cache
def babel_locale(name: str) -> babel.Locale:
    """The Babel locale for ``en_US`` or ``en-US``; ``en_US`` when Babel does not know it."""
    try:
        return babel.Locale.parse(name.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en_US")


@functools.lru_cache(maxsize=8192)
def format_money(value: Decimal, currency: str, locale: str) -> str:
    return str(babel.numbers.format_currency(value, currency, locale=babel_locale(locale)))


@functools.lru_cache(maxsize=4096)
def format_day(value: date, locale: str, with_year: bool) -> str:
    pattern = "EEEE, MMMM d, y" if with_year else "EEEE, MMMM d"
    return str(babel.dates.format_date(value, pattern, locale=babel_locale(locale)))


@functools.lru_cache(maxsize=4096)
def format_number(value: Decimal | int, locale: str) -> str:
    return str(babel.numbers.format_decimal(value, locale=babel_locale(locale)))


@functools.lru_cache(maxsize=1024)
def format_percent(value: Decimal | int, locale: str) -> str:
    return str(
        babel.numbers.format_percent(
            Decimal(value) / 100, format="#,##0.##%", locale=babel_locale(locale)
        )
    )


UNIT_WORDS: dict[str, tuple[str, str]] = {
    "days": ("day", "days"),
    "business_days": ("business day", "business days"),
    "hours": ("hour", "hours"),
    "sessions": ("session", "sessions"),
}


def as_words(value: object) -> str:
    """An enum value or any other value as plain words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, frozenset | set | tuple | list):
        return join_words(sorted(as_words(v) for v in value))
    return str(value)


def join_words(items: Sequence[str], last: str = "and") -> str:
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
