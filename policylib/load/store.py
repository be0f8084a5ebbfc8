"""``policy.yaml``: the store, its settings, sections, escalations and alternatives.

::

    store:
      name: Example Store
      timezone: Europe/Dublin
      currency: EUR
      locale: en_IE
      policy_url: https://store.example/policies
      calendar: {country: IE, closed: [2026-12-24]}
    default: {outcome: escalate, text: ...}
    settings:
      fee_percent: {value: 10, unit: percent}
      window_days: {value: {basic: 14, member: 30}, unit: days}
      cutoff: {value: "17:00", type: time}
    escalation: {contact: our care team, may_approve: courtesy_limit}
    sections:
      returns: {title: Returns, summary: ...}
      repairs: {title: Repairs, escalation: {contact: our repair desk}}
    alternatives:
      kinds: {refund: {rank: 0, words: a refund, partly: part_refund}, ...}
      partial_rank: 5
      fallback: {kind: human_review, text: ...}
      search: [{path: resolution, values: [refund, credit], lead: ...}, ...]

Everything here is checked at load: the zone, currency, locale and holiday calendar exist;
every setting has a type and its value fits it (a percentage from 0 to 100, money never
negative, a clock time); the texts name only declared facts; the search's expressions
type-check and its values are ones the request model accepts.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping
from datetime import time
from decimal import Decimal
from typing import Any

import babel
import babel.numbers

from policylib.calendar import calendar_problem
from policylib.lang import types as t
from policylib.lang.expr import Scope, compile_expression
from policylib.lang.nodes import (
    Alternatives,
    Axis,
    CalendarDef,
    Escalation,
    Message,
    Offer,
    OfferKind,
    Outcome,
    Section,
    SettingDef,
    Store,
)
from policylib.lang.types import Type
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.strict_yaml import (
    BOOL,
    FLOAT,
    INT,
    STR,
    TIMESTAMP,
    MappingNode,
    Node,
    ScalarNode,
)

__all__ = ["DEFAULT_UNITS", "OUTCOMES", "PolicyFile", "read_escalation", "read_outcome"]

OUTCOMES = tuple(o.value for o in Outcome)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_STORE_KEYS = ("name", "timezone", "currency", "locale", "policy_url", "calendar")
_SETTING_TYPES = ("integer", "decimal", "money", "text", "boolean", "date", "time")
DEFAULT_UNITS: Mapping[str, tuple[str, str]] = {
    "days": ("day", "days"),
    "business_days": ("business day", "business days"),
    "hours": ("hour", "hours"),
}
"""Units every pack has, in English; ``units:`` in ``policy.yaml`` may reword them."""
_AXIS_KEYS = (
    "path",
    "kind",
    "kinds",
    "values",
    "limit",
    "when",
    "skip",
    "clears",
    "lead",
    "lead_unasked",
)

PatternReader = Callable[[Node, str, frozenset[str]], "Message | None"]
"""Reads a Fluent text whose placeholders may be declared facts or the given extra names."""


class PolicyFile:
    """The parts of ``policy.yaml``, read in the order the rest of the pack needs them."""

    def __init__(self, doc: Doc, entries: Entries) -> None:
        self.doc = doc
        self.entries = entries
        self._objects: Mapping[str, Callable[[Any, Node, str], Any]] | None = {}
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
            if key == "calendar":
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
        ok = len(values) == len(m) - ("calendar" in m)
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
        return Store(calendar=calendar, **values)

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

    # ---------------------------------------------------------------- settings

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

    def settings(
        self, objects: Mapping[str, Callable[[Any, Node, str], Any]] | None
    ) -> dict[str, SettingDef]:
        """The settings; ``objects`` validates a value of each of the pack's object types
        (None: the vocabulary could not be read, so settings of its types are not checked)."""
        doc = self.doc
        self._objects = objects
        out: dict[str, SettingDef] = {}
        for name, (knode, value) in doc.entries(self.entries, "settings").items():
            if not _NAME.match(name):
                doc.problem("bad-id", f"setting name '{name}' must be lowercase_words", knode)
                continue
            setting = self.setting(name, value)
            if setting is not None:
                out[name] = setting
            else:
                self.broken_settings.add(name)
        return out

    def setting(self, name: str, node: Node) -> SettingDef | None:
        doc = self.doc
        what = f"settings.{name}"
        if not isinstance(node, MappingNode):
            kind = _inferred(node)
            if kind is None:
                doc.problem(
                    "wrong-type",
                    f"{what} needs a type: write it as {{value: ..., type: ...}}",
                    node,
                    hint=f"types: {one_of(_SETTING_TYPES)}",
                )
                return None
            value = _read_value(doc, node, kind, what, None, None)
            return None if value is None else SettingDef(name, Type(kind), value, loc=doc.loc(node))
        m = doc.mapping(
            node, what, required=("value",), optional=("type", "unit", "min", "max", "description")
        )
        if m is None or "value" not in m:
            return None
        unit = doc.optional(m, "unit", doc.text, "", f"{what} unit")
        units = ("percent", "currency", "", *self.units())
        if unit is not None and unit not in units:
            doc.problem(
                "wrong-type",
                f"{what} has unknown unit '{unit}'",
                m["unit"][1],
                hint=suggest(unit, units) or f"declare it under units: ({one_of(sorted(units))})",
            )
            return None
        declared = doc.optional(m, "type", doc.text, "", f"{what} type")
        if declared and self._objects is not None and declared in self._objects:
            return self.object_setting(name, m, self._objects[declared], declared)
        if declared and declared not in _SETTING_TYPES:
            if self._objects is None:
                return None  # the vocabulary's types could not be read (reported there)
            choices = [*_SETTING_TYPES, *self._objects]
            doc.problem(
                "wrong-type",
                f"{what} has unknown type '{declared}'",
                m["type"][1],
                hint=suggest(declared, choices) or f"use one of {one_of(choices)}",
            )
            return None
        raw = m["value"][1]
        sample = raw
        if isinstance(raw, MappingNode) and raw.value:
            sample = raw.value[0][1]
        kind = declared or ("money" if unit == "currency" else None) or _inferred(sample)
        if kind is None:
            doc.problem(
                "wrong-type",
                f"{what} needs a type: add type:",
                raw,
                hint=f"types: {one_of(_SETTING_TYPES)}",
            )
            return None
        low = doc.optional(m, "min", doc.number, None, f"{what} min")
        high = doc.optional(m, "max", doc.number, None, f"{what} max")
        if unit == "percent":
            low = 0 if low is None else low
            high = 100 if high is None else high
        description = doc.optional(m, "description", doc.text, "")
        if isinstance(raw, MappingNode):
            table: dict[str, Any] = {}
            for key, (_, item) in (doc.mapping(raw, what, optional=None) or {}).items():
                value = _read_value(doc, item, kind, f"{what}.{key}", low, high)
                if value is None:
                    return None
                table[key] = value
            if not table:
                doc.problem("wrong-type", f"{what} is an empty table", raw)
                return None
            type_ = t.table_of(t.TEXT, Type(kind))
            return SettingDef(
                name, type_, table, unit or "", " ".join((description or "").split()), doc.loc(raw)
            )
        value = _read_value(doc, raw, kind, what, low, high)
        if value is None:
            return None
        return SettingDef(
            name, Type(kind), value, unit or "", " ".join((description or "").split()), doc.loc(raw)
        )

    def object_setting(
        self, name: str, m: Entries, check: Callable[[Any, Node, str], Any], type_name: str
    ) -> SettingDef | None:
        """A setting holding one of the pack's objects (``check`` validates one), or a list
        of them."""
        doc = self.doc
        what = f"settings.{name}"
        raw = m["value"][1]
        description = doc.optional(m, "description", doc.text, "") or ""
        items = doc.sequence(raw, what) if not isinstance(raw, MappingNode) else [raw]
        values = []
        for item in items or []:
            ok, plain = doc.plain(item, what, decimals=True)
            value = check(plain, item, what) if ok else None
            if value is None:
                return None
            values.append(value)
        if not values:
            return None
        type_ = t.object_of(type_name)
        words = " ".join(description.split())
        if isinstance(raw, MappingNode):
            return SettingDef(name, type_, values[0], "", words, doc.loc(raw))
        return SettingDef(name, t.list_of(type_), values, "", words, doc.loc(raw))

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
        value_check: Callable[[str, Any, Node], Any],
        chosen: Callable[[str], bool],
        request_kinds: frozenset[str] | None,
    ) -> Alternatives | None:
        """The offer kinds, the fallback and the search axes (after facts are known);
        ``request_kinds`` None when the vocabulary could not be read (not checked then)."""
        doc = self.doc
        if "alternatives" not in self.entries:
            doc.problem(
                "missing-key",
                "policy.yaml has no alternatives: section",
                None,
                hint="declare the offer kinds (alternatives: {kinds: ...}) and the way "
                "forward when nothing is granted (fallback:)",
            )
            return None
        m = doc.mapping(
            self.entries["alternatives"][1],
            "alternatives",
            required=("kinds", "fallback"),
            optional=("partial_rank", "search"),
        )
        if m is None or "kinds" not in m or "fallback" not in m:
            return None
        kinds: dict[str, OfferKind] = {}
        partly_nodes: dict[str, Node] = {}
        for name, (knode, value) in doc.entries(m, "kinds").items():
            if not _NAME.match(name):
                doc.problem("bad-id", f"offer kind '{name}' must be lowercase_words", knode)
                continue
            k = doc.mapping(
                value, f"offer kind '{name}'", required=("rank",), optional=("words", "partly")
            )
            if k is None or "rank" not in k:
                continue
            rank = doc.integer(k["rank"][1], f"{name} rank")
            words = doc.optional(k, "words", doc.text, "", f"{name} words")
            partly = doc.optional(k, "partly", doc.text, "", f"{name} partly")
            if rank is not None and words is not None and partly is not None:
                kinds[name] = OfferKind(name, rank, " ".join(words.split()), partly)
                if partly:
                    partly_nodes[name] = k["partly"][1]
        for name, kind in kinds.items():
            if kind.partly and kind.partly not in kinds:
                doc.problem(
                    "unknown-kind",
                    f"offer kind '{name}' becomes '{kind.partly}' when granted in part, "
                    "which is not an offer kind",
                    partly_nodes[name],
                    hint=suggest(kind.partly, kinds) or "declare it under kinds:",
                )
        self.offer_kinds = frozenset(kinds)
        partial_rank = doc.optional(m, "partial_rank", doc.integer, 0)
        fallback = self.fallback(m["fallback"][1], pattern, kinds)
        axes = tuple(
            axis
            for item in doc.items(m, "search")
            if (
                axis := self.axis(
                    item, pattern, axis_scope, value_check, chosen, kinds, request_kinds
                )
            )
            is not None
        )
        if partial_rank is None or fallback is None:
            return None
        return Alternatives(kinds=kinds, partial_rank=partial_rank, fallback=fallback, axes=axes)

    def fallback(
        self, node: Node, pattern: PatternReader, kinds: Mapping[str, OfferKind]
    ) -> Offer | None:
        doc = self.doc
        m = doc.mapping(node, "alternatives.fallback", required=("kind", "text"))
        if m is None or "kind" not in m or "text" not in m:
            return None
        kind = self.kind_name(m["kind"][1], kinds)
        text = pattern(m["text"][1], "fallback text", frozenset({"escalation_contact"}))
        if kind is None or text is None:
            return None
        return Offer(kind=kind, text=text, loc=doc.loc(node))

    def kind_name(self, node: Node, kinds: Mapping[str, OfferKind]) -> str | None:
        doc = self.doc
        name = doc.text(node, "offer kind")
        if name is not None and name not in kinds:
            doc.problem(
                "unknown-kind",
                f"'{name}' is not an offer kind",
                node,
                hint=suggest(name, kinds) or "declare it under alternatives.kinds",
            )
            return None
        return name

    def axis(
        self,
        node: Node,
        pattern: PatternReader,
        axis_scope: Callable[[Type | None], Scope],
        value_check: Callable[[str, Any, Node], Any],
        chosen: Callable[[str], bool],
        kinds: Mapping[str, OfferKind],
        request_kinds: frozenset[str] | None,
    ) -> Axis | None:
        doc = self.doc
        m = doc.mapping(
            node, "a search axis", required=("path", "values", "lead"), optional=_AXIS_KEYS
        )
        if m is None or not {"path", "values", "lead"} <= set(m):
            return None
        before = len(doc.problems)
        path = doc.text(m["path"][1], "search path")
        if path is not None and not chosen(path):
            doc.problem(
                "not-changeable",
                f"search path '{path}' is not something the customer chooses",
                m["path"][1],
                hint="list it under choices: in vocabulary.yaml, or search another path",
            )
        kind = self.kind_name(m["kind"][1], kinds) if "kind" in m else ""
        applies = [doc.text(n, "a request kind") for n in doc.items(m, "kinds")]
        for name, knode in zip(applies, doc.items(m, "kinds"), strict=True):
            if name is not None and request_kinds is not None and name not in request_kinds:
                doc.problem(
                    "unknown-kind",
                    f"'{name}' is not a request kind",
                    knode,
                    hint=suggest(name, request_kinds)
                    or f"request kinds: {one_of(sorted(request_kinds))}",
                )
        values: list[Any] = []
        generator = None
        field_type: Type | None = None
        raw_values = m["values"][1]
        if isinstance(raw_values, ScalarNode):
            generator = doc.expression(raw_values, "search values", axis_scope(None))
            if generator is not None and generator.type.name != "list":
                doc.problem("wrong-type", "search values must give a list", raw_values)
            elif generator is not None and generator.type.of is not None:
                field_type = generator.type.of
        else:
            for item in doc.sequence(raw_values, "search values", nonempty=True) or []:
                ok, raw = doc.plain(item, "a search value", decimals=True)
                if ok and path is not None:
                    checked = value_check(path, raw, item)
                    if checked is not None:
                        values.append(checked)
                        if "kind" not in m and (not isinstance(raw, str) or raw not in kinds):
                            doc.problem(
                                "unknown-kind",
                                f"'{raw}' is not an offer kind, so the axis needs a kind",
                                item,
                                hint="each value is offered as the kind of its own name; "
                                "give the axis one with kind: (an offer kind)",
                            )
        if field_type is None and path is not None and "[" not in path:
            typed = compile_expression(path, axis_scope(None), _quiet)
            field_type = typed.type if typed is not None else None
        # a lead names the value, or the fields of an object value ({ $start }, { $end })
        objects = axis_scope(None).objects
        fields = objects.get(field_type.object, {}) if field_type is not None else {}
        extra = frozenset({"value", *fields})
        lead = pattern(m["lead"][1], "search lead", extra)
        unasked = (
            pattern(m["lead_unasked"][1], "search lead_unasked", extra)
            if "lead_unasked" in m
            else None
        )
        when = (
            doc.expression(m["when"][1], "search when", axis_scope(None), t.BOOLEAN)
            if "when" in m
            else None
        )
        skip = (
            doc.expression(m["skip"][1], "search skip", axis_scope(field_type), t.BOOLEAN)
            if "skip" in m
            else None
        )
        clears = [doc.text(n, "a cleared path") for n in doc.items(m, "clears")]
        for cleared, cnode in zip(clears, doc.items(m, "clears"), strict=False):
            if cleared is not None and not chosen(cleared):
                doc.problem(
                    "not-changeable", f"'{cleared}' is not something the customer chooses", cnode
                )
        limit = doc.optional(m, "limit", doc.integer, 0)
        if len(doc.problems) != before or path is None or kind is None or lead is None:
            return None
        return Axis(
            path=path,
            kind=kind,
            lead=lead,
            lead_unasked=unasked,
            kinds=tuple(k for k in applies if k),
            values=tuple(values),
            generator=generator,
            when=when,
            skip=skip,
            clears=tuple(c for c in clears if c),
            limit=limit or 0,
            loc=doc.loc(node),
        )


def _quiet(code: str, message: str, line: int, col: int, hint: str = "") -> None:
    """Reports nothing: the path is checked (and reported) elsewhere."""


# --------------------------------------------------------------------------- values


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


def _inferred(node: Node) -> str | None:
    """A setting's type from how YAML reads its value, when it does not say."""
    if not isinstance(node, ScalarNode) or node.style:
        return "text" if isinstance(node, ScalarNode) and node.tag == STR else None
    return {INT: "integer", FLOAT: "decimal", BOOL: "boolean", TIMESTAMP: "date", STR: "text"}.get(
        node.tag
    )


def _read_value(
    doc: Doc,
    node: Node,
    kind: str,
    what: str,
    low: int | Decimal | None,
    high: int | Decimal | None,
) -> Any:
    value: Any
    if kind == "integer":
        value = doc.integer(node, what)
    elif kind in ("decimal", "money"):
        value = doc.number(node, what)
        if value is not None and kind == "money":
            value = Decimal(value)
            if value < 0:
                doc.problem(
                    "out-of-range", f"{what} is an amount of money and cannot be negative", node
                )
                return None
    elif kind == "boolean":
        value = doc.boolean(node, what)
    elif kind == "date":
        value = doc.date(node, what)
    elif kind == "time":
        text = doc.text(node, what)
        match = _CLOCK.match(text or "")
        if text is not None and match is None:
            doc.problem("wrong-type", f"{what} must be a clock time like 18:00, not `{text}`", node)
            return None
        value = time(int(match[1]), int(match[2])) if match else None
    else:
        value = doc.text(node, what)
    if value is None:
        return None
    number = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if number and ((low is not None and value < low) or (high is not None and value > high)):
        doc.problem(
            "out-of-range",
            f"{what} is {value}, outside {low if low is not None else '...'} to "
            f"{high if high is not None else '...'}",
            node,
            hint="write a value inside the range",
        )
        return None
    return value


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
