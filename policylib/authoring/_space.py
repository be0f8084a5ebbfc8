"""The requests lint reasons about: a pack's request shape as slots, and requests built
from a choice of slot values.

A *slot* is one thing a request may say, at one place in it:

* ``value``: a field's value (``order.items[0].condition``, ``order.delivery.window.start``);
* ``present``: whether an optional object is there (``order``, ``order.delivery``,
  ``details.new_window``, ``order.items[1]`` for a second order line);
* ``member``: whether a list of words holds a word the pack tests
  (``order.items[0].tags#fragile``);
* ``selected``: whether the second order line is among the items the request is about.

The modelled request is about an order of one or two lines (line 0 is the one decided
for a per-item kind) or a subscription, decided at one clock. Both the solver and the
bounded search choose a value for each slot; ``Space.build`` turns a choice into a
request dict that ``Policy.evaluate`` takes, so every finding is shown by a request the
pack's own engine decides.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any, Literal

from policylib.calendar import StoreCalendar
from policylib.lang import types as t
from policylib.lang.nodes import Compare, FieldDef, Pack, Rule, comparisons, facts_read
from policylib.lang.types import Type
from policylib.request.scalars import clock_text

__all__ = [
    "EVENTS",
    "ITEMS",
    "MISSING",
    "Choice",
    "FieldSpec",
    "Slot",
    "Space",
]

ITEMS = 2
"""Order lines modelled: the one decided and one more (enough for "another line of the
order" rules; the solver over-approximates any further lines)."""

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)
"""The dates a request may say (the request model refuses others as implausible)."""
NEAR_DAYS = 3660
"""Calendar arithmetic (``month``, ``year``, ``date(...)``) is exact this many days either
side of the clock; further away its results are left free."""

EVENTS = (
    ("order", "placed_at"),
    ("order", "shipped_at"),
    ("order", "delivered_at"),
    ("subscription", "started_at"),
)
"""Moments a request cannot postdate (and, for an order, that come in this order)."""

_TAG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NAMES = {
    ("Item", "name"): "sample item",
    ("Subscription", "plan"): "sample plan",
    ("Customer", "name"): "Sam Rivera",
    ("Order", "id"): "ORDER-1",
    ("Item", "sku"): "SKU-1",
    ("Subscription", "id"): "SUB-1",
    ("Customer", "language"): "en",
}
"""What a text says when no rule depends on it (a product's name, an order number)."""
_SHAPES = {
    ("Order", "id"): re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$"),
    ("Subscription", "id"): re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$"),
    ("Item", "sku"): re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$"),
    ("Customer", "language"): re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
}
"""Texts the request model takes only in one shape (identifiers, language tags)."""
_LINE = re.compile(r"\[\d+\]")
_EPOCH = date(1970, 1, 1).toordinal()


class _Missing:
    """A slot left out of the request (its field is then unknown, or takes its default)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

Choice = Mapping[str, Any]
"""Slot key -> its value (a Python value of the slot's type, a bool, or ``MISSING``)."""

Mode = Literal["required", "optional", "default", "fixed"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a modelled object: its type and whether a request must say it."""

    name: str
    type: Type
    mode: Mode
    default: Any = None
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    tag: bool = False
    """Written in lowercase_words (a category, a status, a tag)."""
    owner: str = ""
    """The object it belongs to (``Item``)."""


@dataclass(frozen=True, slots=True)
class Slot:
    """One thing a request may say at one place (see the module docstring)."""

    key: str
    kind: Literal["value", "present", "member", "selected"]
    type: Type = t.BOOLEAN
    optional: bool = False
    """A value slot that may be left out (its field is then unknown)."""
    domain: tuple[Any, ...] = ()
    """For enum and text slots: every value a choice may give."""
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None


# Where the base request's objects hold what (their own fields; a pack adds to them).
_BASE: dict[str, tuple[tuple[str, Type, Mode, Any], ...]] = {
    "Request": (
        ("customer", t.object_of("Customer"), "default", None),
        ("order", t.object_of("Order"), "optional", None),
        ("subscription", t.object_of("Subscription"), "optional", None),
        ("details", t.object_of("Details"), "default", None),
    ),
    "Customer": (
        ("name", t.TEXT, "optional", None),
        ("language", t.TEXT, "optional", None),
    ),
    "Order": (
        ("id", t.TEXT, "required", None),
        ("placed_at", t.DATETIME, "required", None),
        ("status", t.TEXT, "required", None),
        ("shipped_at", t.DATETIME, "optional", None),
        ("delivered_at", t.DATETIME, "optional", None),
        ("delivery", t.object_of("Delivery"), "optional", None),
    ),
    "Item": (
        ("sku", t.TEXT, "required", None),
        ("name", t.TEXT, "required", None),
        ("category", t.TEXT, "required", None),
        ("tags", t.list_of(t.TEXT), "default", ()),
        ("price", t.MONEY, "required", None),
        ("quantity", t.INTEGER, "default", 1),
    ),
    "Delivery": (),
    "Subscription": (
        ("id", t.TEXT, "required", None),
        ("plan", t.TEXT, "required", None),
        ("started_at", t.DATETIME, "required", None),
        ("price", t.MONEY, "required", None),
    ),
    "Details": (),
}
_TAGGED = frozenset({("Order", "status"), ("Item", "category"), ("Item", "tags")})
_BOUNDS: dict[tuple[str, str], tuple[int | Decimal, int | Decimal]] = {
    ("Item", "quantity"): (1, 1000),
    ("Item", "price"): (0, Decimal("9999999")),
    ("Subscription", "price"): (0, Decimal("9999999")),
}


class Space:
    """The modelled requests of one pack at one clock.

    Args:
        pack: the loaded pack.
        clock: the moment every modelled request is decided at (aware).
        zone: the store's time zone.
        calendar: the store's working days.
    """

    def __init__(self, pack: Pack, clock: datetime, zone: tzinfo, calendar: StoreCalendar) -> None:
        self.pack = pack
        self.zone = zone
        self.calendar = calendar
        self.clock = clock.astimezone(zone)
        self.today = self.clock.date()
        self.objects = _object_specs(pack)
        self.words = _words(pack)
        """Every text the pack compares with (a tag, a category, a status ...)."""
        self.slots: dict[str, Slot] = {}
        self._defaults: dict[str, Any] = {}
        self._offsets: list[tuple[int, int]] | None = None
        self._exceptions: tuple[frozenset[int], frozenset[int]] | None = None
        for key, spec, _ in self._walk("Request", ""):
            self._add(key, spec)
        self._add_items()

    # ---------------------------------------------------------------- clock arithmetic

    def day_number(self, day: date) -> int:
        """A date as whole days since 1970-01-01 (how the solver counts days)."""
        return day.toordinal() - _EPOCH

    def minute_number(self, moment: datetime) -> int:
        """A moment as minutes since 1970-01-01 on the store's wall clock."""
        local = moment.astimezone(self.zone)
        return self.day_number(local.date()) * 1440 + local.hour * 60 + local.minute

    def day_of(self, number: int) -> date:
        return date.fromordinal(number + _EPOCH)

    def moment_of(self, number: int) -> datetime:
        day, minute = divmod(number, 1440)
        wall = datetime.combine(self.day_of(day), time(minute // 60, minute % 60))
        return wall.replace(tzinfo=self.zone)

    def offsets(self) -> list[tuple[int, int]]:
        """The store's UTC offset over the near days: (wall-clock minute it starts at,
        minutes east of UTC), in order; the first holds from ``near_first``."""
        if self._offsets is None:
            found: list[tuple[int, int]] = []
            day, last = self.near_first, self.near_last
            while day <= last:
                offset = _offset(day, 12, self.zone)
                if not found or found[-1][1] != offset:
                    hour = next((h for h in range(24) if _offset(day, h, self.zone) == offset), 0)
                    start = self.day_number(day) * 1440 + hour * 60 if found else 0
                    found.append((start, offset))
                day += timedelta(days=1)
            self._offsets = found
        return self._offsets

    def exceptions(self) -> tuple[frozenset[int], frozenset[int]]:
        """Over the near days: the day numbers the store works although the weekend rule
        says not, and those it does not work although the rule says it does (holidays,
        closures)."""
        if self._exceptions is None:
            working: set[int] = set()
            closed: set[int] = set()
            weekend = self.calendar.weekend
            day = self.near_first
            while day <= self.near_last:
                works = self.calendar.is_business_day(day)
                if works != (day.weekday() not in weekend):
                    (working if works else closed).add(self.day_number(day))
                day += timedelta(days=1)
            self._exceptions = (frozenset(working), frozenset(closed))
        return self._exceptions

    @property
    def near_first(self) -> date:
        """The first day calendar arithmetic is exact on."""
        return self.today - timedelta(days=NEAR_DAYS)

    @property
    def near_last(self) -> date:
        """The last day calendar arithmetic is exact on."""
        return self.today + timedelta(days=NEAR_DAYS)

    # ---------------------------------------------------------------- slots

    def field_slots(self, location: str) -> Iterator[Slot]:
        """The slots at or under a location (``order.delivery``)."""
        for key, slot in self.slots.items():
            if key == location or key.startswith((location + ".", location + "#")):
                yield slot

    def default_of(self, key: str) -> Any:
        """The default of the field a value slot holds (None: it has none)."""
        return self._defaults.get(key)

    def item_location(self, index: int) -> str:
        return f"order.items[{index}]"

    def relevant(self, rules: Iterable[Rule]) -> list[str]:
        """The slots the facts these rules test read (through the facts they name)."""
        facts = self.pack.facts
        paths: set[str] = set()
        seen: set[str] = set()
        todo = [name for rule in rules for name in facts_read(rule.when)]
        while todo:
            name = todo.pop()
            fact = facts.get(name)
            if fact is None or name in seen:
                continue
            seen.add(name)
            for program in (fact.program, fact.default):
                if program is not None:
                    paths |= program.paths
                    todo.extend(program.facts)
        return self.slots_for(paths)

    def slots_for(self, paths: Iterable[str]) -> list[str]:
        """The slots a change to any of these request paths (``order.items[].condition``,
        ``order.delivery``) can touch, in slot order."""
        wanted = tuple(paths)
        out = []
        for key in self.slots:
            general = _LINE.sub("[]", key.partition("#")[0])
            if general.startswith("items["):
                general = "items"
            if any(_under(general, p) or _under(p, general) for p in wanted):
                out.append(key)
        return out

    def _walk(self, name: str, prefix: str, depth: int = 0) -> Iterator[tuple[str, FieldSpec, str]]:
        """(key, field, owner object) for every field at or under the object ``name``."""
        if depth > 6:  # an object type that holds itself: stop where no request goes
            return
        for spec in self.objects.get(name, {}).values():
            key = f"{prefix}{spec.name}"
            yield key, spec, name
            if spec.type.name == "object":
                yield from self._walk(spec.type.object, key + ".", depth + 1)

    def _add_items(self) -> None:
        for index in range(ITEMS):
            location = self.item_location(index)
            if index > 0:
                self.slots[location] = Slot(location, "present")
                self.slots[f"items[{index}]"] = Slot(f"items[{index}]", "selected")
            for key, spec, _ in self._walk("Item", location + "."):
                self._add(key, spec)

    def _add(self, key: str, spec: FieldSpec) -> None:
        kind = spec.type.name
        if spec.mode == "fixed":
            return
        if kind == "object":
            if spec.mode == "optional":
                self.slots[key] = Slot(key, "present")
            return
        if kind == "list":
            if spec.type.of is not None and spec.type.of.name in ("text", "enum"):
                allowed = spec.type.of.values or self._texts(spec.tag)
                for word in allowed:
                    if word in self.words or spec.type.of.values:
                        self.slots[f"{key}#{word}"] = Slot(f"{key}#{word}", "member")
            return
        if spec.mode == "default" and spec.default is not None:
            self._defaults[key] = spec.default
        domain: tuple[Any, ...] = ()
        if kind == "enum":
            domain = spec.type.values
        elif kind == "text":
            where = (spec.owner, spec.name)
            domain = self._texts(spec.tag, _NAMES.get(where, ""), _SHAPES.get(where))
        elif kind == "boolean":
            domain = (True, False)
        self.slots[key] = Slot(
            key,
            "value",
            spec.type,
            optional=spec.mode == "optional",
            domain=domain,
            minimum=spec.minimum,
            maximum=spec.maximum,
        )

    def _texts(
        self, tag: bool, name: str = "", shape: re.Pattern[str] | None = None
    ) -> tuple[str, ...]:
        """The texts a text slot may say: the words the pack tests (in the shape the
        field takes), then two it does not (two lines may differ in a text no rule
        names), the plainer last."""
        words = [
            w
            for w in self.words
            if (not tag or _TAG.match(w)) and (shape is None or shape.match(w))
        ]
        first = name if name and name not in words else self.filler(words)
        second = self.filler([*words, first])
        if name.endswith("-1") and shape is not None:  # an identifier: a second one like it
            second = next(f"{name[:-1]}{n}" for n in range(2, 99) if f"{name[:-1]}{n}" not in words)
        elif shape is not None and not shape.match(second):
            second = next(w for w in ("fr", "de", "es", "it") if w not in words and w != first)
        return (*words, second, first)

    @staticmethod
    def filler(words: list[str] | tuple[str, ...]) -> str:
        """A word the pack never tests: what a text says when nothing depends on it."""
        taken = set(words)
        return next(
            w
            for w in ("other", "other_text", "misc", "misc_text", "else", "else_text")
            if w not in taken
        )

    # ---------------------------------------------------------------- building requests

    def build(self, kind: str, choice: Choice) -> dict[str, Any]:
        """The request a choice of slot values stands for, as JSON-ready data."""
        request: dict[str, Any] = {"kind": kind, "requested_at": self.clock.isoformat()}
        self._fill(request, "Request", "", choice)
        order = request.get("order")
        if isinstance(order, dict):
            lines = [self._line(0, choice)]
            for index in range(1, ITEMS):
                if choice.get(self.item_location(index)) is True:
                    lines.append(self._line(index, choice))
            order["items"] = lines
            chosen = [lines[0]["sku"]] + [
                lines[i]["sku"] for i in range(1, len(lines)) if choice.get(f"items[{i}]") is True
            ]
            if len(chosen) < len(lines):
                request["items"] = chosen
        return request

    def _line(self, index: int, choice: Choice) -> dict[str, Any]:
        line: dict[str, Any] = {}
        self._fill(line, "Item", self.item_location(index) + ".", choice)
        return line

    def _fill(self, out: dict[str, Any], name: str, prefix: str, choice: Choice) -> None:
        for spec in self.objects.get(name, {}).values():
            key = f"{prefix}{spec.name}"
            kind = spec.type.name
            if spec.mode == "fixed":
                if spec.default is not None:
                    out[spec.name] = spec.default
                continue
            if kind == "object":
                if spec.mode == "optional" and choice.get(key) is not True:
                    continue
                inner: dict[str, Any] = {}
                self._fill(inner, spec.type.object, key + ".", choice)
                if inner or spec.mode == "optional":
                    out[spec.name] = inner
                continue
            if kind == "list":
                words = [
                    s.key.partition("#")[2]
                    for s in self.field_slots(key)
                    if s.kind == "member" and choice.get(s.key) is True
                ]
                if words:
                    out[spec.name] = words
                continue
            value = choice.get(key, MISSING)
            if value is MISSING:
                if spec.mode != "required":
                    continue
                value = self._filler_value(key, spec)
            if spec.mode == "default" and value == spec.default:
                continue  # said by leaving it out
            out[spec.name] = self._json(value, spec.type)

    def _filler_value(self, key: str, spec: FieldSpec) -> Any:
        """A value for a required field the choice left open."""
        slot = self.slots.get(key)
        kind = spec.type.name
        if slot is not None and slot.domain:
            return slot.domain[-1] if kind == "text" else slot.domain[0]
        if kind in ("integer", "decimal", "money"):
            low = spec.minimum if spec.minimum is not None else 0
            return max(low, 1) if kind == "integer" else Decimal(low) + 10
        if kind == "datetime":
            return self.clock - timedelta(days=30)
        if kind == "date":
            return self.today
        if kind == "time":
            return time(12, 0)
        if kind == "boolean":
            return False
        return "other"

    def _json(self, value: Any, type_: Type) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, time):
            return clock_text(value)
        if isinstance(value, Decimal):
            return str(value)
        return value


# --------------------------------------------------------------------------- the shape


def _offset(day: date, hour: int, zone: tzinfo) -> int:
    found = datetime.combine(day, time(hour), tzinfo=zone).utcoffset()
    return int(found.total_seconds() // 60) if found is not None else 0


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def _object_specs(pack: Pack) -> dict[str, dict[str, FieldSpec]]:
    """Every modelled object's fields: the base request's, with the pack's laid over them."""
    out: dict[str, dict[str, FieldSpec]] = {}
    for name, fields in _BASE.items():
        specs = out.setdefault(name, {})
        for field_name, type_, mode, default in fields:
            low, high = _BOUNDS.get((name, field_name), (None, None))
            specs[field_name] = FieldSpec(
                field_name, type_, mode, default, low, high, (name, field_name) in _TAGGED, name
            )
    for name, spec in pack.vocabulary.objects.items():
        specs = out.setdefault(name, {})
        for field_name, definition in spec.fields.items():
            specs[field_name] = _declared(definition, specs.get(field_name), name)
    return out


def _declared(definition: FieldDef, base: FieldSpec | None, owner: str) -> FieldSpec:
    mode: Mode = "optional"
    if definition.required or (base is not None and base.mode == "required"):
        mode = "required"
    elif definition.default is not None:
        mode = "default"
    return FieldSpec(
        definition.name,
        definition.type,
        mode,
        definition.default,
        _either(definition.minimum, base.minimum if base is not None else None),
        _either(definition.maximum, base.maximum if base is not None else None),
        base.tag if base is not None else False,
        owner,
    )


def _either(value: int | Decimal | None, other: int | Decimal | None) -> int | Decimal | None:
    return value if value is not None else other


def _words(pack: Pack) -> tuple[str, ...]:
    """Every text the pack's facts, checks and rules compare with, in a stable order."""
    found: dict[str, None] = {}
    sources: list[str] = []
    for fact in pack.facts.values():
        sources.append(fact.program.source)
        if fact.default is not None:
            sources.append(fact.default.source)
    for obj in pack.vocabulary.objects.values():
        sources.extend(check.program.source for check in obj.checks)
    for source in sources:
        for text in _text_constants(source):
            found.setdefault(text, None)
    for rule in pack.rules:
        for cmp in comparisons(rule.when):
            for value in _compared(cmp):
                found.setdefault(value, None)
    for setting in pack.settings.values():
        for value in _setting_texts(setting.value):
            found.setdefault(value, None)
    return tuple(w for w in found if w and len(w) <= 60)


def _compared(cmp: Compare) -> list[str]:
    value = cmp.value
    values = value if isinstance(value, tuple) else (value,)
    return [v for v in values if isinstance(v, str) and not isinstance(v, bool)]


def _text_constants(source: str) -> list[str]:
    try:
        tree = ast.parse(f"(\n{source}\n)", mode="eval")
    except SyntaxError:  # pragma: no cover - the loader compiled it
        return []
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _setting_texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []
