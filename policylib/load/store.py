"""``policy.yaml``: the store, its units, sections, escalations and the default answer.

::

    store:
      name: Example Store
      timezone: Europe/Dublin
      currency: EUR
      locale: en_IE
      policy_url: https://store.example/policies
      calendar: {country: IE, closed: [2026-12-24]}
    default: {outcome: escalate, text: ...}
    units: {sessions: {one: session, other: sessions}}
    settings: ...                  # policylib.load.settings
    escalation: {contact: our care team, may_approve: courtesy_limit}
    sections:
      returns: {title: Returns, summary: ...}
      repairs: {title: Repairs, escalation: {contact: our repair desk}}
    alternatives: ...              # policylib.load.alternatives

``PolicyFile`` reads the file's parts in the order the rest of the pack needs them; the
settings and the alternatives are read by their own modules. Everything here is checked at
load: the zone, currency, locale and holiday calendar exist, and the default's text names
only declared facts. ``read_escalation`` and ``read_outcome`` read what rules share with
the pack (an escalation; an outcome).
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping

import babel
import babel.numbers

from policylib.calendar import calendar_problem
from policylib.lang.expr import Scope
from policylib.lang.nodes import (
    Alternatives,
    CalendarDef,
    Escalation,
    Message,
    Outcome,
    Section,
    SettingDef,
    Store,
)
from policylib.lang.types import Type
from policylib.load.alternatives import AlternativesReader, PatternReader, ValueCheck
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.settings import ObjectCheck, read_settings
from policylib.load.strict_yaml import Node

__all__ = ["DEFAULT_UNITS", "OUTCOMES", "PolicyFile", "read_escalation", "read_outcome"]

OUTCOMES = tuple(o.value for o in Outcome)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_STORE_KEYS = (
    "name",
    "timezone",
    "currency",
    "locale",
    "policy_url",
    "calendar",
    "translations",
)
DEFAULT_UNITS: Mapping[str, tuple[str, str]] = {
    "days": ("", ""),
    "business_days": ("", ""),
    "hours": ("", ""),
}
"""Units every pack has; their words are the library's, in each locale (``unit-days-one``
in ``render/locales/<language>/values.ftl``) unless ``units:`` in ``policy.yaml``
rewords them."""


class PolicyFile:
    """The parts of ``policy.yaml``, read in the order the rest of the pack needs them."""

    def __init__(self, doc: Doc, entries: Entries) -> None:
        self.doc = doc
        self.entries = entries
        self._units: dict[str, tuple[str, str]] | None = None
        self.broken_settings: set[str] = set()
        """Settings declared but not read (reported): expressions may still name them."""
        self.offer_kinds: frozenset[str] | None = None
        """The offer kinds, once ``alternatives()`` has read them (None: it could not)."""

    # ---------------------------------------------------------------- the store

    def store(self) -> Store | None:
        doc = self.doc
        if "store" not in self.entries:
            return None
        m = doc.mapping(
            self.entries["store"][1], "store", required=("name",), optional=_STORE_KEYS[1:]
        )
        if m is None:
            return None
        values: dict[str, str] = {}
        for key, (_, value) in m.items():
            if key in ("calendar", "translations"):
                continue
            got = doc.text(value, f"store.{key}")
            if got is not None:
                values[key] = got.strip()
        checks: tuple[tuple[str, Callable[[str], bool], str], ...] = (
            ("currency", _valid_currency, "a three-letter ISO 4217 currency code like USD"),
            ("timezone", _valid_timezone, "a time zone name like America/New_York"),
            ("locale", _valid_locale, "a locale like en_US"),
            ("policy_url", lambda v: bool(_WEB_ADDRESS.match(v)), "an http:// or https:// address"),
        )
        ok = len(values) == len(m) - ("calendar" in m) - ("translations" in m)
        fallbacks = self.translations(m["translations"][1]) if "translations" in m else ()
        if fallbacks is None:
            ok = False
        for key, check, expected in checks:
            if key in values and not check(values[key]):
                doc.problem(
                    "bad-store",
                    f"store.{key} '{values[key]}' is not {expected}",
                    m[key][1],
                    hint=f"write {expected}",
                )
                ok = False
        calendar = self.calendar(m["calendar"][1]) if "calendar" in m else CalendarDef()
        if not ok or calendar is None or "name" not in values:
            return None
        return Store(calendar=calendar, fallbacks=fallbacks or (), **values)

    def translations(self, node: Node) -> tuple[str, ...] | None:
        """``store.translations``: language -> ``complete`` (every message translated, the
        default) or ``fallback`` (a missing one reads in the default locale); the
        languages that fall back, or None (reported)."""
        doc = self.doc
        m = doc.mapping(node, "store.translations", required=(), optional=None)
        if m is None:
            return None
        out: list[str] = []
        for language, (_, value) in m.items():
            got = doc.text(value, f"store.translations.{language}")
            if got not in ("complete", "fallback"):
                doc.problem(
                    "bad-store",
                    f"store.translations.{language} must be complete or fallback",
                    value,
                    hint="complete: every message translated; fallback: missing ones read "
                    "in the store's own locale",
                )
                return None
            if got == "fallback":
                out.append(language)
        return tuple(out)

    def calendar(self, node: Node) -> CalendarDef | None:
        doc = self.doc
        m = doc.mapping(
            node,
            "store.calendar",
            required=("country",),
            optional=("subdivision", "categories", "closed"),
        )
        if m is None or "country" not in m:
            return None
        country = doc.text(m["country"][1], "calendar.country")
        subdivision = doc.optional(m, "subdivision", doc.text, "", "calendar.subdivision")
        categories = [doc.text(n, "a holiday category") for n in doc.items(m, "categories")]
        closed = [doc.date(n, "a closed day") for n in doc.items(m, "closed")]
        if country is None or subdivision is None or None in categories or None in closed:
            return None
        problem = calendar_problem(country, subdivision, [c for c in categories if c])
        if problem:
            spot = (
                "categories"
                if "category" in problem
                else "subdivision"
                if subdivision and "subdivision" in problem
                else "country"
            )
            doc.problem(
                "bad-store",
                f"store.calendar: {problem}",
                m[spot][1] if spot in m else node,
                hint="use an ISO 3166 code with a calendar in the holidays library, like US and NY",
            )
            return None
        return CalendarDef(
            country=country,
            subdivision=subdivision,
            categories=tuple(c for c in categories if c),
            closed=tuple(d for d in closed if d is not None),
        )

    # ---------------------------------------------------------------- units and settings

    def units(self) -> dict[str, tuple[str, str]]:
        """Words for the units facts count in: unit -> (one, other); the built-in units
        (days, business days, hours) unless the pack rewords them."""
        if self._units is not None:
            return self._units
        doc = self.doc
        out: dict[str, tuple[str, str]] = dict(DEFAULT_UNITS)
        for name, (knode, value) in doc.entries(self.entries, "units").items():
            if not _NAME.match(name) or name in ("percent", "currency"):
                doc.problem(
                    "bad-id",
                    f"unit name '{name}' must be lowercase_words (percent and currency are "
                    "built in)",
                    knode,
                )
                continue
            m = doc.mapping(value, f"unit '{name}'", required=("one", "other"))
            if m is None or "one" not in m or "other" not in m:
                continue
            one, other = doc.text(m["one"][1], "one"), doc.text(m["other"][1], "other")
            if one is not None and other is not None:
                out[name] = (one, other)
        self._units = out
        return out

    def settings(self, objects: Mapping[str, ObjectCheck] | None) -> dict[str, SettingDef]:
        """The settings (``policylib.load.settings``); ``objects`` validates a value of each
        of the pack's object types (None: the vocabulary could not be read, so settings of
        its types are not checked)."""
        found, broken = read_settings(self.doc, self.entries, self.units(), objects)
        self.broken_settings |= broken
        return found

    # ---------------------------------------------------------------- sections and escalation

    def pack_escalation(self) -> Escalation | None:
        """The pack's escalation (its absence is reported with the file's other keys)."""
        if "escalation" not in self.entries:
            return None
        return read_escalation(self.doc, self.entries["escalation"][1], "escalation")

    def sections(self) -> dict[str, Section]:
        doc = self.doc
        out: dict[str, Section] = {}
        for key, (_, value) in doc.entries(self.entries, "sections").items():
            s = doc.mapping(
                value, f"section '{key}'", required=("title",), optional=("summary", "escalation")
            )
            if s is None or "title" not in s:
                continue
            title = doc.text(s["title"][1], f"sections.{key}.title")
            summary = doc.optional(s, "summary", doc.text, "", f"sections.{key}.summary")
            escalation = None
            if "escalation" in s:
                escalation = read_escalation(doc, s["escalation"][1], f"sections.{key}.escalation")
                if escalation is None:
                    continue
            if title is not None and summary is not None:
                out[key] = Section(
                    id=key, title=title, summary=" ".join(summary.split()), escalation=escalation
                )
        return out

    # ---------------------------------------------------------------- the default

    def default(self, pattern: PatternReader) -> tuple[Outcome, Message] | None:
        doc = self.doc
        if "default" not in self.entries:
            return None
        m = doc.mapping(self.entries["default"][1], "default", required=("outcome", "text"))
        if m is None or "outcome" not in m or "text" not in m:
            return None
        outcome = read_outcome(doc, m["outcome"][1], "default.outcome")
        text = pattern(m["text"][1], "default.text", frozenset())
        if outcome is None or text is None:
            return None
        return outcome, text

    # ---------------------------------------------------------------- alternatives

    def alternatives(
        self,
        pattern: PatternReader,
        axis_scope: Callable[[Type | None], Scope],
        value_check: ValueCheck,
        chosen: Callable[[str], bool],
        request_kinds: frozenset[str] | None,
    ) -> Alternatives | None:
        """The offer kinds, the fallback and the search axes (after facts are known), read
        by ``policylib.load.alternatives``; ``request_kinds`` None when the vocabulary could
        not be read (not checked then)."""
        reader = AlternativesReader(
            self.doc,
            pattern=pattern,
            axis_scope=axis_scope,
            value_check=value_check,
            chosen=chosen,
            request_kinds=request_kinds,
        )
        found = reader.read(self.entries)
        self.offer_kinds = reader.offer_kinds
        return found


# --------------------------------------------------------------------------- shared with rules


def read_escalation(doc: Doc, node: Node, what: str) -> Escalation | None:
    """``{contact: ..., may_approve: a_fact}`` (a pack's, a section's or a rule's)."""
    m = doc.mapping(node, what, required=("contact",), optional=("may_approve",))
    if m is None or "contact" not in m:
        return None
    contact = doc.text(m["contact"][1], f"{what}.contact")
    may_approve = doc.optional(m, "may_approve", doc.text, "", f"{what}.may_approve")
    if contact is None or may_approve is None:
        return None
    where = doc.loc(m["may_approve"][1]) if "may_approve" in m else doc.loc(node)
    return Escalation(" ".join(contact.split()), may_approve, where)


def read_outcome(doc: Doc, node: Node, what: str) -> Outcome | None:
    value = doc.text(node, what)
    if value is None:
        return None
    if value not in OUTCOMES:
        doc.problem(
            "unknown-outcome",
            f"{what} '{value}' is not a known outcome",
            node,
            hint=suggest(value, OUTCOMES) or f"use one of {one_of(OUTCOMES)}",
        )
        return None
    return Outcome(value)


# --------------------------------------------------------------------------- the store's checks


def _valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _valid_locale(name: str) -> bool:
    try:
        babel.Locale.parse(name)
    except (ValueError, TypeError, LookupError, babel.UnknownLocaleError):
        return False
    return True


def _valid_currency(code: str) -> bool:
    return code in _CURRENCIES


_CURRENCIES = frozenset(babel.numbers.list_currencies())
