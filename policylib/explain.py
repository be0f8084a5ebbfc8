"""Explanations: a ``Decision`` turned into words for a customer, an agent or a chat bubble.

Two halves, one per moment:

* ``TextRenderer`` is built once per pack. It compiles every rule, offer, question and
  default text (and the pack's shared ``*.ftl`` messages) into one Fluent bundle, formats
  facts for people (money ``$49.99``, dates ``Tuesday, December 1``, ``6 days``), and fills
  the texts the ``Policy`` puts into a ``Decision``. Values reach the templates as finished
  strings, so what a customer typed is inserted literally and is never read as syntax.
* ``render_decision`` needs only the ``Decision``: the filled reasons and offers, the
  question, the trace and the context. The connecting words ("Hi Dana,", the headlines,
  "Here's what we can do instead:") come from a phrasebook: the English defaults below,
  overridden by the pack's shared messages that the renderer hands to the Policy as
  ``TextRenderer.context_phrases()`` (carried in ``DecisionContext.phrases``).

Nothing here imports the engine: the trace is data, and the words are a view over it.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

import babel
import babel.dates
import babel.numbers
from fluent.runtime import FluentBundle, FluentResource, resolver
from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

from policylib.language import COMPARISON_OPS, FactDef, Message, Pack
from policylib.model import Decision, DecisionContext, Outcome, Reason, RequestKind, RuleTrace

__all__ = [
    "DEFAULT_PHRASES",
    "MAX_TEXT",
    "UNKNOWN",
    "Audience",
    "Format",
    "TextRenderer",
    "render_decision",
]

Audience = Literal["customer", "agent", "chat"]
Format = Literal["text", "markdown", "html"]

MAX_TEXT = 600
"""A filled text longer than this is cut at a word boundary and ends with an ellipsis."""

UNKNOWN = "not known"
"""What a placeholder shows when its fact is unknown for this request."""

_MAX_VALUE = 600  # fluent refuses placeables over 2,500 characters; values never get close

# --------------------------------------------------------------------------- phrasebook

# The store's voice in English. A pack overrides any of these by defining a message with
# the same id in one of its ``*.ftl`` files. Headlines are looked up as
# ``<outcome>-<request kind>`` first, then ``<outcome>``. Variables here are context
# values the renderer supplies (customer_name, escalation_contact, policy_section,
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
needs-info-next = Once I know, I can give you a full answer.

question-generic = Could you tell us the { $fact_label }?
question-generic-wh = Could you tell us { $fact_label }?

offers-denied = Here's what we can do instead:
offers-partial = Here's what else we can do:
offers-granted = If it helps, we can also offer:
offers-granted-cancel = There's nothing else you need to do. If it's ever useful, we also offer:
offers-escalate = In the meantime, here's what we can do:
offers-needs_info = In the meantime, here's what we can do:

no-offers = If you think we've missed something, just reply and we'll take another look.

policy-link = You can read our full policy on { $policy_section } here:
policy-link-general = You can read our full policy here:
"""


# --------------------------------------------------------------------------- compiling


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One compiled pattern: literal/variable parts for the fast path, else the pattern."""

    parts: tuple[tuple[bool, str], ...] | None
    """(is_variable, text-or-name) when the pattern is only text and ``{ $x }``."""
    pattern: Any
    variables: tuple[str, ...]


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
    if isinstance(node, resolver.StringLiteral):
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
    if isinstance(compiled, resolver.NeverIsolatingPlaceable | resolver.Placeable):
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


def _compile_all(bundle: FluentBundle, entries: Mapping[str, str]) -> dict[str, _Compiled]:
    """Parse and compile each entry on its own (one bad text cannot hide the next one).

    Every pattern is compiled here, once: afterwards the bundle is only read, so formatting
    from many threads at once is safe (fluent.runtime compiles lazily on first lookup and
    keeps all per-call state in a fresh ``ResolverEnvironment``).
    """
    out: dict[str, _Compiled] = {}
    for message_id, source in entries.items():
        if not source.strip():
            out[message_id] = _Compiled((), None, ())
            continue
        resource = FluentResource(_ftl_entry(message_id, source))
        body = [e for e in resource.body if isinstance(e, fl.Message | fl.Junk)]
        if len(body) != 1 or not isinstance(body[0], fl.Message) or body[0].value is None:
            # Not valid Fluent (the loader refuses these; a hand-built pack might not):
            # show the words, never the braces.
            words = re.sub(r"\{[^{}]*\}", UNKNOWN, source)
            out[message_id] = _Compiled(
                ((False, words.replace("{", "").replace("}", "")),), None, ()
            )
            continue
        bundle.add_resource(resource, allow_overrides=True)
        names: dict[str, None] = {}
        _variables(body[0].value, names)
        out[message_id] = _Compiled(None, None, tuple(names))
    for message_id, compiled in list(out.items()):
        if compiled.parts is not None:
            continue
        pattern = bundle.get_message(message_id).value
        out[message_id] = _Compiled(_simple_parts(pattern), pattern, compiled.variables)
    return out


def _format(bundle: FluentBundle, compiled: _Compiled, args: Mapping[str, str]) -> str:
    if compiled.parts is not None:
        return "".join(
            _value(args.get(text)) if is_var else text for is_var, text in compiled.parts
        )
    fluent_args = {name: _value(args.get(name)) for name in compiled.variables}
    result, _errors = bundle.format_pattern(compiled.pattern, fluent_args)
    return result if isinstance(result, str) else ""


def _value(value: str | None) -> str:
    if value is None or value == "":
        return UNKNOWN
    if len(value) > _MAX_VALUE:
        return _cap(value, _MAX_VALUE)
    return value


def _tidy(text: str, limit: int = MAX_TEXT) -> str:
    return _cap(" ".join(text.split()), limit)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


# --------------------------------------------------------------------------- fact formatting


@functools.cache
def _locale(name: str) -> babel.Locale:
    try:
        return babel.Locale.parse(name.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en_US")


@functools.lru_cache(maxsize=8192)
def _money(value: Decimal, currency: str, locale: str) -> str:
    return str(babel.numbers.format_currency(value, currency, locale=_locale(locale)))


@functools.lru_cache(maxsize=4096)
def _day(value: date, locale: str, with_year: bool) -> str:
    pattern = "EEEE, MMMM d, y" if with_year else "EEEE, MMMM d"
    return str(babel.dates.format_date(value, pattern, locale=_locale(locale)))


@functools.lru_cache(maxsize=4096)
def _number(value: Decimal | int, locale: str) -> str:
    return str(babel.numbers.format_decimal(value, locale=_locale(locale)))


@functools.lru_cache(maxsize=1024)
def _percent(value: Decimal | int, locale: str) -> str:
    return str(
        babel.numbers.format_percent(
            Decimal(value) / 100, format="#,##0.##%", locale=_locale(locale)
        )
    )


_UNIT_WORDS: dict[str, tuple[str, str]] = {
    "days": ("day", "days"),
    "business_days": ("business day", "business days"),
    "hours": ("hour", "hours"),
    "sessions": ("session", "sessions"),
}


def _words(value: object) -> str:
    """An enum value or any other value as plain words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, frozenset | set | tuple | list):
        items = sorted(_words(v) for v in value)
        return _join_words(items)
    return str(value)


def _join_words(items: Sequence[str], last: str = "and") -> str:
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


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
                return _words(v)
            return _day(v, locale, year is not None and v.year != year)

        return day
    if fact.type == "money" or unit == "currency":

        def money(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return _money(Decimal(v), currency, locale)
            return _words(v)

        return money
    if unit == "percent":

        def percent(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return _percent(v, locale)
            return _words(v)

        return percent
    if unit in _UNIT_WORDS:
        one, many = _UNIT_WORDS[unit]

        def counted(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return f"{_number(v, locale)} {one if v == 1 else many}"
            return _words(v)

        return counted
    if fact.type in ("integer", "decimal"):

        def number(v: Any, _y: int | None) -> str:
            if isinstance(v, int | Decimal) and not isinstance(v, bool):
                return _number(v, locale)
            return _words(v)

        return number
    if fact.type == "enum":
        return lambda v, _y: _words(v)
    return lambda v, _y: v if isinstance(v, str) else _words(v)


def _guess(value: Any, year: int | None, currency: str, locale: str) -> str:
    """Format a value with no declared fact (kept people-friendly all the same)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _day(value, locale, year is not None and value.year != year)
    if isinstance(value, Decimal):
        return _number(value, locale)
    return _words(value)


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
        _locale(self.locale)  # warm the cache (and fall back early for a bad locale)
        self._bundle = FluentBundle([self.locale.replace("_", "-")], use_isolating=False)
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
        self._phrase_sources: dict[str, str] = _phrase_sources(DEFAULT_PHRASES)
        self._pack_phrases = {name: m.source for name, m in pack.messages.items()}
        self._phrase_sources.update(self._pack_phrases)
        # Shared phrases live in the same bundle under "phrase-<id>", apart from the texts.
        entries.update({f"phrase-{k}": v for k, v in self._phrase_sources.items()})
        self._compiled = _compile_all(self._bundle, entries)
        self._formatters: dict[str, _Formatter] = {
            name: _formatter(fact, self.currency, self.locale) for name, fact in pack.facts.items()
        }
        self._late: dict[Message, _Compiled] = {}
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
            out[name] = text if len(text) <= _MAX_VALUE else _cap(text, _MAX_VALUE)
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
        return _tidy(_format(self._bundle, compiled, formatted))

    def question(self, fact: FactDef, formatted: Mapping[str, str]) -> str:
        """What to ask the customer when ``fact`` is unknown."""
        if fact.question is not None and fact.question.source.strip():
            return self.fill(fact.question, formatted)
        label = fact.label or fact.name.replace("_", " ")
        phrase = "question-generic-wh" if _starts_with_wh(label) else "question-generic"
        return self.shared(phrase, {"fact_label": label})

    def shared(self, message_id: str, args: Mapping[str, str]) -> str:
        """A shared message (the pack's ``*.ftl`` over the English defaults); "" if none."""
        compiled = self._compiled.get(f"phrase-{message_id}")
        if compiled is None:
            return ""
        return _tidy(_format(self._bundle, compiled, args))

    def context_phrases(self) -> dict[str, str]:
        """The pack's shared messages (id -> Fluent source) for ``DecisionContext.phrases``.

        The same dict object every call; treat it as read-only. ``render_decision`` lays it
        over ``DEFAULT_PHRASES`` (and compiles it once per distinct dict).
        """
        return self._pack_phrases

    def _compile_late(self, message: Message) -> _Compiled:
        """A text that was not in the pack at construction: compiled once, in its own bundle."""
        with self._late_lock:
            compiled = self._late.get(message)
            if compiled is None:
                bundle = FluentBundle([self.locale.replace("_", "-")], use_isolating=False)
                compiled = _compile_all(bundle, {"late": message.source})["late"]
                if compiled.parts is None:
                    compiled = _Compiled(((False, _tidy(message.source)),), None, ())
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


def _phrase_sources(ftl: str) -> dict[str, str]:
    """Message id -> pattern source, read the way the loader reads a pack's ``*.ftl``."""
    out: dict[str, str] = {}
    for entry in FluentParser().parse(ftl).body:
        if isinstance(entry, fl.Message) and entry.value is not None and entry.value.span:
            out[str(entry.id.name)] = ftl[entry.value.span.start : entry.value.span.end]
    return out


# --------------------------------------------------------------------------- phrasebooks


class _Phrasebook:
    """The connecting words for one set of pack phrases, compiled once and then only read."""

    def __init__(self, overrides: Mapping[str, str], locale: str) -> None:
        sources = _phrase_sources(DEFAULT_PHRASES)
        sources.update(overrides)
        self._bundle = FluentBundle([locale.replace("_", "-")], use_isolating=False)
        self._compiled = _compile_all(self._bundle, sources)
        # Phrases without variables are the same every time: format them once.
        self._fixed = {
            message_id: _tidy(_format(self._bundle, compiled, {}))
            for message_id, compiled in self._compiled.items()
            if not compiled.variables
        }

    def get(self, message_id: str, args: Mapping[str, str] | None = None) -> str:
        fixed = self._fixed.get(message_id)
        if fixed is not None:
            return fixed
        compiled = self._compiled.get(message_id)
        if compiled is None:
            return ""
        return _tidy(_format(self._bundle, compiled, args or {}))

    def first(self, ids: Iterable[str], args: Mapping[str, str] | None = None) -> str:
        for message_id in ids:
            if message_id in self._compiled:
                return self.get(message_id, args)
        return ""


_BOOKS_LOCK = threading.Lock()
_BOOKS_BY_ID: dict[int, tuple[Mapping[str, str], str, _Phrasebook]] = {}
_BOOKS_BY_CONTENT: dict[tuple[str, frozenset[tuple[str, str]]], _Phrasebook] = {}
_MAX_BOOKS = 64


@functools.lru_cache(maxsize=16)
def _default_book(locale: str) -> _Phrasebook:
    return _Phrasebook({}, locale)


def _phrasebook(phrases: Mapping[str, str], locale: str) -> _Phrasebook:
    """The compiled phrasebook for a context; the same dict object hits a cache fast."""
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
            book = _Phrasebook(phrases, locale)
            _BOOKS_BY_CONTENT[key] = book
        if len(_BOOKS_BY_ID) >= _MAX_BOOKS:
            _BOOKS_BY_ID.clear()
        # Holding the dict keeps its id from being reused while it is cached.
        _BOOKS_BY_ID[id(phrases)] = (phrases, locale, book)
    return book


# --------------------------------------------------------------------------- a tiny document


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    strong: bool = False
    url: str | None = None


_Item = tuple[tuple[_Run, ...], tuple[tuple[_Run, ...], ...]]
"""A list item: its words and its sub-items (one level deep is all a reply needs)."""


@dataclass(frozen=True, slots=True)
class _Block:
    kind: Literal["p", "ul", "h"]
    runs: tuple[_Run, ...] = ()
    items: tuple[_Item, ...] = ()
    tight: bool = False
    """Text format: no blank line before this block (a list under its lead-in)."""


def _p(*runs: _Run | str, tight: bool = False) -> _Block:
    return _Block("p", _runs(runs), tight=tight)


def _runs(parts: Sequence[_Run | str]) -> tuple[_Run, ...]:
    runs = (r if isinstance(r, _Run) else _Run(r) for r in parts)
    return tuple(r for r in runs if r.text)


def _ul(
    items: Iterable[Sequence[_Run | str]],
    children: Sequence[Sequence[Sequence[_Run | str]]] = (),
    tight: bool = True,
) -> _Block:
    """A list; ``children[i]`` are the sub-items of item ``i``."""
    out: list[_Item] = []
    for index, item in enumerate(items):
        subs = children[index] if index < len(children) else ()
        out.append((_runs(item), tuple(_runs(sub) for sub in subs)))
    return _Block("ul", items=tuple(out), tight=tight)


def _h(text: str) -> _Block:
    return _Block("h", (_Run(text),))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _runs_text(runs: Sequence[_Run]) -> str:
    return " ".join(r.text for r in runs if r.text)


def _runs_md(runs: Sequence[_Run]) -> str:
    out: list[str] = []
    for run in runs:
        if run.url is not None:
            label = _md(run.text)
            out.append(f"<{run.url}>" if run.text == run.url else f"[{label}]({run.url})")
        elif run.strong:
            out.append(f"**{_md(run.text)}**")
        else:
            out.append(_md(run.text))
    return " ".join(out)


def _runs_html(runs: Sequence[_Run]) -> str:
    out: list[str] = []
    for run in runs:
        text = html.escape(run.text, quote=True)
        if run.url is not None:
            out.append(f'<a href="{html.escape(run.url, quote=True)}">{text}</a>')
        elif run.strong:
            out.append(f"<strong>{text}</strong>")
        else:
            out.append(text)
    return " ".join(out)


def _list_html(items: Sequence[_Item]) -> str:
    out: list[str] = []
    for runs, subs in items:
        inner = "".join(f"<li>{_runs_html(sub)}</li>" for sub in subs)
        out.append(f"<li>{_runs_html(runs)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
    return "<ul>" + "".join(out) + "</ul>"


def _serialize(blocks: Sequence[_Block], format: Format) -> str:
    if format == "html":
        parts: list[str] = []
        for block in blocks:
            if block.kind == "p":
                parts.append(f"<p>{_runs_html(block.runs)}</p>")
            elif block.kind == "h":
                parts.append(f"<h3>{_runs_html(block.runs)}</h3>")
            else:
                parts.append(_list_html(block.items))
        return "\n".join(parts)
    text_parts: list[str] = []
    for block in blocks:
        if block.kind == "ul":
            render = _runs_md if format == "markdown" else _runs_text
            lines: list[str] = []
            for runs, subs in block.items:
                lines.append(f"- {render(runs)}")
                lines.extend(f"  - {render(sub)}" for sub in subs)
            body = "\n".join(lines)
        elif block.kind == "h":
            title = _runs_text(block.runs)
            body = f"### {_md(title)}" if format == "markdown" else title
        else:
            body = _runs_md(block.runs) if format == "markdown" else _runs_text(block.runs)
        if not body:
            continue
        if text_parts and block.tight and format == "text":
            text_parts[-1] += "\n" + body
        else:
            text_parts.append(body)
    return "\n\n".join(text_parts)


# --------------------------------------------------------------------------- helpers


_URL_REFUSED = re.compile(r"[\s\x00-\x1f\x7f\"<>\\`]")


@functools.lru_cache(maxsize=256)
def _safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a link, or None (anything else is dropped, not escaped)."""
    if not url:
        return None
    url = url.strip()
    if _URL_REFUSED.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'\u201c\u2018(])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


# When the rule's own first sentence already gives the answer, a headline on top of it
# says the same thing twice ("We can't take this return. We can't take it back."). Keys:
# "<outcome>-<kind>" first, then "<outcome>".
_ANSWERED: dict[str, re.Pattern[str]] = {
    "denied": re.compile(
        r"\b(can't|cannot|can not|won't|isn't possible|aren't able|not able|unable)\b",
        re.I,
    ),
    "escalate": re.compile(
        r"\b(will (look|review|check|contact|call|reply|write|get back)|passed|handed)\b", re.I
    ),
    "partial": re.compile(r"\b(we can|we'll)\b.*\bbut\b", re.I),
    "granted-cancel": re.compile(r"\b(is|are|has been|have been|now) (cancelled|canceled)\b", re.I),
    "granted-delivery_estimate": re.compile(r"\b(arrive|arrives|arriving|delivered)\b", re.I),
}
# A granted text that opens with what we'll do joins the headline: "Good news: we can ...".
_WE_CAN = re.compile(r"^(we can|we'll|we will)\b", re.I)
_SORRY = re.compile(r"^(i'm|i am|we're|we are)?\s*(so |very |really )?(sorry|apologi[sz]e)", re.I)
_I_WORDS = re.compile(r"^I(\b|')")


def _lower_first(text: str) -> str:
    """For a sentence that follows "Hi Dana,": lower the first letter of an ordinary word."""
    if not text or _I_WORDS.match(text.replace("\u2019", "'")):
        return text
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text  # an acronym or a name with capitals inside
    return text[0].lower() + text[1:]


def _section_words(title: str) -> str:
    words = title.strip()
    if words.lower().endswith(" policy"):
        words = words[: -len(" policy")]
    return _lower_first(words)


def _kind(ctx: DecisionContext) -> str:
    kind = ctx.request_kind
    return kind.value if isinstance(kind, RequestKind) else str(kind)


def _value_of(outcome: Outcome | str) -> str:
    return outcome.value if isinstance(outcome, Outcome) else str(outcome)


def _outcome(decision: Decision) -> str:
    return _value_of(decision.outcome)


def _unique(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


# --------------------------------------------------------------------------- the customer view


@dataclass(slots=True)
class _Story:
    """What the customer view says, before it is laid out for a format or a chat bubble."""

    greeting: str
    opening: str
    """The answer (headline, apology or the rule's own words when they are the answer)."""
    paragraphs: list[str]
    """One per reason: its text, then its why."""
    offers_lead: str
    offers: list[str]
    closing: str
    link_lead: str
    link: str | None


_MAX_REASONS = 3
_MAX_OFFERS = 5


_WORD_BUDGET = 95
"""Words for the reasons, so the reply stays under ~120 words before its list of options."""


def _paragraphs(reasons: Sequence[Reason]) -> list[str]:
    """One paragraph per reason: what applies, then why (each said once).

    Every reason's text is kept; when several items were decided differently, the whys
    of the later ones give way first, so the reply stays short.
    """
    seen: set[str] = set()
    chosen = [r for r in reasons[:_MAX_REASONS] if r.text.strip() or r.why.strip()]
    budget = _WORD_BUDGET - sum(len(r.text.split()) for r in chosen)
    out: list[str] = []
    for reason in chosen:
        text, why = reason.text.strip(), reason.why.strip()
        parts = [text] if text and text not in seen else []
        if why and why not in seen and (len(why.split()) <= budget or not parts):
            parts.append(why)
            budget -= len(why.split())
        seen.update(parts)
        if parts:
            out.append(" ".join(parts))
    return out


def _story(decision: Decision, book: _Phrasebook) -> _Story:
    ctx = decision.context
    outcome = _outcome(decision)
    kind = _kind(ctx)
    name = (ctx.customer_name or "").strip()
    greeting = (
        book.get("greeting", {"customer_name": name}) if name else book.get("greeting-anonymous")
    )
    paragraphs = _paragraphs(decision.reasons)
    # Curly apostrophes read the same as straight ones to the checks below.
    first = _sentences(paragraphs[0])[0].replace("\u2019", "'") if paragraphs else ""
    args = {"escalation_contact": ctx.escalation_contact or "a member of our team"}
    ids: tuple[str, ...] = (f"{outcome}-{kind}", outcome)
    if outcome == "partial" and len({_value_of(r.outcome) for r in decision.reasons}) > 1:
        ids = (f"partial-mixed-{kind}", "partial-mixed", *ids)  # items decided differently
    headline = book.first(ids, args)
    opening = headline
    answered = _ANSWERED.get(f"{outcome}-{kind}") or _ANSWERED.get(outcome)
    if any(r.apology for r in decision.reasons):
        sorry = book.first((f"apology-{outcome}", "apology"))
        if _SORRY.match(first):
            # The rule says sorry in its own words: those words open the reply.
            sorry = ""
        answer = "" if outcome in ("granted", "partial") else headline
        opening = " ".join(x for x in (sorry, answer) if x)
    elif answered is not None and answered.search(first):
        opening = ""
    elif outcome == "granted" and kind != "cancel" and _WE_CAN.match(first):
        opening = book.get("good-news")
        paragraphs[0] = _lower_first(paragraphs[0])
    offers = _unique(a.text for a in decision.alternatives)[:_MAX_OFFERS]
    offers_lead = ""
    if offers:
        offers_lead = book.first((f"offers-{outcome}-{kind}", f"offers-{outcome}", "offers-denied"))
    closing = ""
    if not offers and outcome in ("denied", "partial"):
        closing = book.get("no-offers")
    citation = next((r.citation for r in decision.reasons if _safe_url(r.citation.url)), None)
    link = _safe_url(citation.url) if citation else _safe_url(ctx.policy_url)
    link_lead = ""
    if link:
        section = _section_words(citation.title) if citation and citation.section else ""
        link_lead = (
            book.get("policy-link", {"policy_section": section})
            if section
            else book.get("policy-link-general")
        )
    return _Story(greeting, opening, paragraphs, offers_lead, offers, closing, link_lead, link)


def _needs_info_story(decision: Decision, book: _Phrasebook) -> tuple[str, str, list[str]]:
    """(greeting, ask + question, why-lines) for a needs_info decision."""
    ctx = decision.context
    name = (ctx.customer_name or "").strip()
    greeting = (
        book.get("greeting", {"customer_name": name}) if name else book.get("greeting-anonymous")
    )
    question = decision.questions[0].text.strip() if decision.questions else ""
    if not question:
        question = book.get("question-generic", {"fact_label": "details of your order"})
    why: list[str] = []
    reason = next(iter(decision.reasons), None)
    if reason is not None and reason.why:
        title = reason.title.strip().rstrip(".")
        because = reason.why.strip()
        if _plain_title(title) and not _overlaps(title, _sentences(because)[0]):
            # The rule's title says what is at stake; its why says why the rule exists.
            why.append(book.get("needs-info-because", {"because": _lower_first(title)}))
            why.append(because)
        else:
            why.append(
                book.get("needs-info-because", {"because": _lower_first(because.rstrip("."))})
            )
    why.append(book.get("needs-info-next"))
    return greeting, question, [w for w in why if w]


def _overlaps(title: str, sentence: str) -> bool:
    """Whether a sentence already says most of what the title says."""
    words = {w.strip(".,;:").lower() for w in title.split()}
    said = {w.strip(".,;:").lower() for w in sentence.split()}
    return bool(words) and len(words & said) / len(words) >= 0.6


def _plain_title(title: str) -> bool:
    """A rule title that reads as a clause ("opened hygiene items cannot be returned")."""
    return (
        len(title.split()) >= 3
        and not re.search(r"[:;(\[\u2014\u2013/]|\b[A-Z]{2,}-?\d", title)
        and not title.isupper()
    )


def _customer(decision: Decision, book: _Phrasebook, format: Format) -> list[_Block]:
    if _outcome(decision) == "needs_info":
        greeting, question, why = _needs_info_story(decision, book)
        ask = book.get("needs-info")
        first = f"{greeting} {ask}".strip()
        blocks = [_p(first, _Run(question, strong=format != "text"))]
        if why:
            blocks.append(_p(" ".join(why)))
        return blocks
    story = _story(decision, book)
    blocks = [_p(story.greeting)]
    rest = story.paragraphs[1:]
    lead = _p(_Run(story.opening, strong=format != "text"), *story.paragraphs[:1])
    if lead.runs:
        blocks.append(lead)
    blocks.extend(_p(paragraph) for paragraph in rest)
    if story.offers:
        blocks.append(_p(story.offers_lead))
        blocks.append(_ul([[o] for o in story.offers]))
    if story.closing:
        blocks.append(_p(story.closing))
    if story.link:
        blocks.append(_p(story.link_lead, _Run(story.link, url=story.link)))
    return blocks


def _chat(decision: Decision, book: _Phrasebook, format: Format) -> list[_Block]:
    if _outcome(decision) == "needs_info":
        greeting, question, _why = _needs_info_story(decision, book)
        ask = book.get("needs-info-chat")
        return [_p(f"{greeting} {ask}".strip(), _Run(question, strong=format != "text"))]
    story = _story(decision, book)
    sentences = [s for text in story.paragraphs for s in _sentences(text)]
    answer = story.opening or (sentences.pop(0) if sentences else "")
    first = f"{story.greeting} {_lower_first(answer)}".strip()
    second = sentences[0] if sentences else ""
    blocks = [_p(first if not second else f"{first} {second}")]
    if story.offers:
        blocks.append(_p(story.offers_lead))
        blocks.append(_ul([[o] for o in story.offers[:4]]))
    return blocks


# --------------------------------------------------------------------------- the agent view

_OP_WORDS = {op: words.removeprefix("is ") for op, words in COMPARISON_OPS.items()}
_OP_WORDS["eq"] = ""
_OP_WORDS["ne"] = "not"
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COUNTED = re.compile(r"^[\d.,]+ ([a-z ]+)$")


def _agent_value(raw: Any, like: str | None = None) -> str:
    """A trace value for an agent: plain words, with the unit of the actual value if known."""
    if raw is None:
        return UNKNOWN
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, list | tuple | set | frozenset):
        return _join_words([_agent_value(v) for v in raw], "or")
    if isinstance(raw, date):
        return _day(raw if not isinstance(raw, datetime) else raw.date(), "en_US", True)
    text = str(raw)
    match = _ISO_DAY.match(text)
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
        return _day(day, "en_US", True)
    if like and re.fullmatch(r"-?\d+(\.\d+)?", text):
        if like.startswith("$"):
            return _money(Decimal(text), "USD", "en_US")
        if like.endswith("%"):
            return f"{text}%"
        unit = _COUNTED.match(like)
        if unit:
            words = unit[1]
            singular = words[:-1] if words.endswith("s") else words
            return f"{text} {singular if Decimal(text) == 1 else singular + 's'}"
    return text.replace("_", " ")


def _same_value(raw: Any, formatted: str) -> bool:
    """Whether a formatted fact shows this raw trace value (items of one order can differ)."""
    if isinstance(raw, bool):
        return formatted == ("yes" if raw else "no")
    if isinstance(raw, int | float | Decimal) or re.fullmatch(r"-?\d+(\.\d+)?", str(raw)):
        number = str(raw).lstrip("-")
        shown = formatted.replace(",", "")
        return bool(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", shown))
    return _agent_value(raw) == formatted


def _condition_line(cond: Any, facts: Mapping[str, str]) -> str:
    """ "days since your order arrived: required at most 30 days, actual 6 days — held"."""
    shown = facts.get(cond.label)
    if cond.actual is None:
        actual = UNKNOWN
    elif shown is not None and _same_value(cond.actual, shown):
        actual = shown
    else:
        actual = _agent_value(cond.actual, shown)
    like = actual if cond.actual is not None else None
    needed = f"{_OP_WORDS.get(cond.op, cond.op)} {_agent_value(cond.required, like)}".strip()
    return f"{cond.label}: required {needed}, actual {actual} — {cond.status}"


def _shown_traces(decision: Decision) -> list[RuleTrace]:
    """The decided rules and the unknown ones; with no rule decided, the nearest misses."""
    decided = [t for t in decision.trace if t.decided]
    unknown = [t for t in decision.trace if t.status == "unknown" and not t.decided]
    if not decided:
        unknown += [t for t in decision.trace if t.status == "failed"][:3]
    out: list[RuleTrace] = []
    seen: set[tuple[str, str]] = set()
    for trace in decided + unknown:
        key = (trace.rule_id, trace.status)
        if key not in seen:
            seen.add(key)
            out.append(trace)
    return out


def _agent(decision: Decision) -> list[_Block]:
    ctx = decision.context
    outcome = _outcome(decision).replace("_", " ")
    kind = _kind(ctx).replace("_", " ")
    name = (ctx.customer_name or "").strip()
    who = f"from {name}" if name else "no customer name given"
    blocks = [_p(_Run("Outcome:", strong=True), f"{outcome} ({kind} request, {who})")]
    if decision.reasons:
        label = "Waiting on" if decision.outcome == "needs_info" else "Decided by"
        blocks.append(_h(label))
        blocks.append(
            _ul(
                [
                    f"{r.rule_id} — {r.title}"
                    + (" (the store erred: apologise)" if r.apology else "")
                ]
                for r in decision.reasons
            )
        )
    told = [
        " ".join(x for x in (r.text, f"Why: {r.why}" if r.why else "") if x)
        for r in decision.reasons
    ]
    if decision.questions:
        question = decision.questions[0]
        field = f" (request field {question.field})" if question.field else ""
        told = [f"Ask: {question.text}{field}", *told]
    told = [t for t in told if t]
    if told:
        blocks.append(_h("What the customer is told"))
        if len(told) == 1:
            blocks.append(_p(told[0], tight=True))
        else:
            blocks.append(_ul([t] for t in told))
    traces = _shown_traces(decision)
    if traces:
        blocks.append(_h("Conditions checked"))
        heads: list[list[_Run | str]] = []
        subs: list[list[list[_Run | str]]] = []
        for trace in traces:
            state = "decided" if trace.decided else trace.status
            heads.append([f"{trace.rule_id} ({state}, priority {trace.priority}): {trace.title}"])
            subs.append([[_condition_line(cond, ctx.facts)] for cond in trace.conditions])
        blocks.append(_ul(heads, subs))
    elif ctx.facts:
        blocks.append(_h("Facts that mattered"))
        blocks.append(_ul([f"{label}: {value}"] for label, value in ctx.facts.items()))
    if decision.alternatives:
        blocks.append(_h("Alternatives"))
        alts: list[list[_Run | str]] = []
        for alt in decision.alternatives:
            if alt.rule_id and alt.verified:
                tag = f"verified: granted by {alt.rule_id}"
            elif alt.rule_id:
                tag = f"not verified ({alt.rule_id}): check before offering"
            else:
                tag = "a path: nothing to re-check"
            alts.append([f"{alt.text} [{alt.kind.replace('_', ' ')}; {tag}]"])
        blocks.append(_ul(alts))
    limits: list[list[_Run | str]] = []
    if ctx.agent_may_approve:
        limits.append([f"You may approve a goodwill gesture of up to {ctx.agent_may_approve}."])
    if ctx.escalation_contact:
        limits.append([f"For anything more, escalate to {ctx.escalation_contact}."])
    if limits:
        blocks.append(_h("What you can do"))
        blocks.append(_ul(limits))
    cites: list[list[_Run | str]] = []
    for reason in decision.reasons:
        url = _safe_url(reason.citation.url)
        label = reason.citation.title or reason.citation.section or "Policy"
        cites.append([f"{label}:", _Run(url, url=url)] if url else [label])
    if cites:
        blocks.append(_h("Policy"))
        blocks.append(_ul(_unique_runs(cites)))
    return blocks


def _unique_runs(items: list[list[_Run | str]]) -> list[list[_Run | str]]:
    seen: set[str] = set()
    out: list[list[_Run | str]] = []
    for item in items:
        key = repr(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


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
    ctx = decision.context
    book = _phrasebook(ctx.phrases, ctx.locale or "en_US")
    if audience == "agent":
        blocks = _agent(decision)
    elif audience == "chat":
        blocks = _chat(decision, book, format)
    elif audience == "customer":
        blocks = _customer(decision, book, format)
    else:
        raise ValueError(f"unknown audience {audience!r}; use 'customer', 'agent' or 'chat'")
    if format not in ("text", "markdown", "html"):
        raise ValueError(f"unknown format {format!r}; use 'text', 'markdown' or 'html'")
    return _serialize(blocks, format)
