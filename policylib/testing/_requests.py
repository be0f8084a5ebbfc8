"""Drawing valid requests for one pack from its vocabulary (behind ``requests()``).

A request is built top-down, the way the base request nests (request, customer, order and
its items, delivery, subscription, details), each object with the base shape's fields and
the pack's own, each value drawn by its declared type and bounds. What the vocabulary
implies across fields is built in, not filtered for:

* the subject (an order, a subscription, or neither) is one the kind allows, and ``items``
  names skus of the order (exactly one for a ``one_item`` kind);
* the order's events come in order (placed, shipped, delivered) and no event lies after
  ``requested_at``, which is the clock the caller gave;
* the fields only the store's systems can supply (what a store fact without a ``default``
  reads, and its ``field``) are always filled, so a decision does not wait on them;
* a pack's ``checks`` are made to hold by editing the values they read, not by drawing
  again until they hold: an enum set to another of its values, a number, date or time
  moved a step, two values swapped (``end > start``), a value left out where the check
  asks whether it is known (``not known(order.delivered_at) or ...``); a check over a
  list's elements is kept element by element. Whether a check holds is judged by the
  pack's own model, the one ``evaluate`` uses. A request no edit repairs is rejected
  (``hypothesis.reject``); the tests measure that none of the bundled packs' are.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import string
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from policylib.errors import RequestError
from policylib.lang.nodes import Check, FieldDef, Kind
from policylib.request.base import MAX_ITEMS
from policylib.request.parse import parse_request
from policylib.testing._edits import (
    Edit,
    Invalid,
    Spot,
    Step,
    base_fields,
    clock,
    expand,
    failing_check,
    get_at,
    may_be_left_out,
    neighbours,
    restore,
    set_at,
    setter,
    settles,
    swap,
)
from policylib.testing._plan import Json, Plan, Reads

__all__ = ["draw_request"]

_TAG = re.compile(r"[a-z][a-z0-9_]{0,39}")
_NAMES = st.text(string.ascii_lowercase, min_size=2, max_size=12).map(str.capitalize)
"""Names of things (a product, a plan): a made-up word."""
_PEOPLE = st.sampled_from(["Dana Reyes", "Luis Ortega", "Mei Chen", "Zoë Ngata", "Ana María Ruiz"])
"""Customers' names: people's names, never a word of a reply (or of a product's name)."""
_PHRASES = st.text(string.ascii_lowercase + " ", min_size=1, max_size=40).map(
    lambda text: " ".join(text.split()) or "x"
)
_IDS = st.tuples(st.text(string.ascii_uppercase, min_size=1, max_size=3), st.integers(0, 99999))
_SKUS = _IDS.map(lambda pair: f"{pair[0]}-{pair[1]}")
_DENSITY = (3, 2, 1)
"""How many times in four a request gives each optional field: a request is drawn mostly
complete, half complete or sparse (the first when shrunk: a complete request is the
simplest to read)."""
_DAYS_BACK = st.integers(0, 45) | st.integers(0, 400)
"""How long ago an order was placed: mostly weeks (inside most windows), up to a year."""
_MAX_ROUNDS = 12


# --------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=64)
def _tags(words: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Catalogue labels: those the pack's rules mention, or any."""
    tags = [w for w in words if _TAG.fullmatch(w)]
    free = st.text(string.ascii_lowercase, min_size=1, max_size=12)
    return st.sampled_from(tags) | free if tags else free


class _Rejected(Exception):
    """No edit repairs a check: the request is rejected (rarely)."""


def draw_request(draw: st.DrawFn, plan: Plan, kind: str | None, now: datetime) -> Json | None:
    """One valid request of the plan's pack (of ``kind``, or any), decided at ``now``;
    None when a pack check could not be made to hold (the caller rejects it)."""
    try:
        return _Drawer(draw, plan, now).request(kind)
    except _Rejected:
        return None


class _Drawer:
    def __init__(self, draw: st.DrawFn, plan: Plan, now: datetime) -> None:
        self.draw = draw
        self.plan = plan
        self.now = now
        self.local = now.astimezone(plan.policy.zone)
        self.tag = _tags(plan.words)
        self.names = _NAMES
        self.density = _DENSITY[draw(st.integers(0, len(_DENSITY) - 1))]

    # ------------------------------------------------------------ the request

    def request(self, kind_name: str | None) -> Json:
        draw, plan = self.draw, self.plan
        name = kind_name if kind_name is not None else draw(st.sampled_from(sorted(plan.kinds)))
        kind = plan.kinds[name]
        subject = draw(st.sampled_from(kind.subjects))
        data: dict[str, Json] = {"kind": name, "requested_at": self.now.isoformat()}
        data["customer"] = self.customer()
        if subject == "order":
            data["order"] = self.order()
            items = self.selection(data["order"], kind)
            if items is not None:
                data["items"] = items
        elif subject == "subscription":
            data["subscription"] = self.subscription()
        self.fields(data, "Request", "")
        data["details"] = self.details()
        return self.checked(data)

    def customer(self) -> Json:
        out: dict[str, Json] = {}
        if self.draw(st.booleans()):
            out["name"] = self.draw(_PEOPLE)
        if self.draw(st.integers(0, 3)) == 0:
            out["language"] = self.draw(st.sampled_from(["en", "en-US", "es", "fr-CA"]))
        return self.fields(out, "Customer", "customer")

    def order(self) -> Json:
        draw = self.draw
        count = draw(st.integers(1, 3))
        skus = draw(st.lists(_SKUS, min_size=count, max_size=count, unique=True))
        placed = self.local - timedelta(days=draw(_DAYS_BACK), minutes=draw(st.integers(0, 1439)))
        out: dict[str, Json] = {
            "id": draw(_SKUS),
            "placed_at": placed.isoformat(),
            "status": draw(self.tag),
            "items": [self.item(sku) for sku in skus[:MAX_ITEMS]],
        }
        last = placed
        for event in ("shipped_at", "delivered_at"):
            if self.wanted(f"order.{event}"):
                last = self.after(last)
                out[event] = last.isoformat()
        if self.wanted("order.delivery"):
            out["delivery"] = self.fields({}, "Delivery", "order.delivery")
        return self.fields(out, "Order", "order")

    def after(self, moment: datetime) -> datetime:
        """A moment from ``moment`` to the clock, mostly within days of it."""
        room = int((self.local - moment).total_seconds() // 60)
        step = self.draw(st.integers(0, min(room, 14 * 1440)))
        return moment + timedelta(minutes=step)

    def item(self, sku: str) -> Json:
        draw = self.draw
        out: dict[str, Json] = {
            "sku": sku,
            "name": draw(self.names),
            "category": draw(self.tag),
            "tags": draw(st.lists(self.tag, max_size=3, unique=True)),
            "price": self.money(None, None),
            "quantity": draw(st.integers(1, 4)),
        }
        return self.fields(out, "Item", "order.items[]")

    def selection(self, order: Json, kind: Kind) -> list[str] | None:
        """The skus a request names: one for a one-item kind, else some or (None) all."""
        skus = [item["sku"] for item in order["items"]]
        draw = self.draw
        if kind.one_item:
            if len(skus) == 1 and draw(st.booleans()):
                return None
            return [draw(st.sampled_from(skus))]
        if draw(st.booleans()):
            return None
        chosen = draw(st.lists(st.sampled_from(skus), min_size=1, unique=True))
        return [sku for sku in skus if sku in chosen]

    def subscription(self) -> Json:
        draw = self.draw
        started = self.local - timedelta(
            days=draw(st.integers(0, 800)), minutes=draw(st.integers(0, 1439))
        )
        out: dict[str, Json] = {
            "id": draw(_SKUS),
            "plan": draw(self.names),
            "started_at": started.isoformat(),
            "price": self.money(None, None),
        }
        return self.fields(out, "Subscription", "subscription")

    def details(self) -> Json:
        out: dict[str, Json] = {}
        if self.draw(st.integers(0, 4)) == 0:
            out["note"] = self.draw(_PHRASES)
        return self.fields(out, "Details", "details")

    # ------------------------------------------------------------ the pack's fields

    def wanted(self, path: str) -> bool:
        """Whether an optional value at ``path`` is given: always for what the store
        supplies (and the objects holding it), else as drawn."""
        if path in self.plan.needed:
            return True
        return self.draw(st.integers(0, 3)) < self.density

    def fields(self, out: dict[str, Json], owner: str, path: str) -> dict[str, Json]:
        """``out`` with the pack's fields of object ``owner`` drawn into it. A pack field
        that narrows a base one to a closed list (an order status) redraws its value."""
        spec = self.plan.objects.get(owner)
        if spec is None:
            return out
        base = base_fields(owner)
        for name, definition in spec.fields.items():
            where = f"{path}.{name}" if path else name
            if name in base:
                if definition.type.name == "enum" and (name in out or definition.required):
                    out[name] = self.value(definition, where)
            elif definition.required or self.wanted(where):
                out[name] = self.value(definition, where)
        return out

    def value(self, definition: FieldDef, path: str) -> Json:
        kind = definition.type
        draw = self.draw
        name = kind.name
        if name == "boolean":
            return draw(st.booleans())
        if name == "enum":
            return draw(st.sampled_from(kind.values))
        if name == "integer":
            return draw(self.integers(definition.minimum, definition.maximum))
        if name == "money":
            return self.money(definition.minimum, definition.maximum)
        if name == "decimal":
            return self.decimal(definition.minimum, definition.maximum)
        if name == "date":
            return (self.local.date() + timedelta(days=draw(st.integers(-60, 60)))).isoformat()
        if name == "datetime":
            minutes = draw(st.integers(-60 * 1440, 60 * 1440))
            return (self.local + timedelta(minutes=minutes)).isoformat()
        if name == "time":
            return clock(draw(st.integers(0, 96)))
        if name == "object":
            return self.own(kind.object, path)
        if name == "list" and kind.of is not None:
            element = FieldDef(definition.name, kind.of, max_length=definition.max_length)
            size = draw(st.integers(0, 3))
            return [self.value(element, f"{path}[]") for _ in range(size)]
        return self.text(definition.max_length)

    def integers(
        self, low: int | Decimal | None, high: int | Decimal | None
    ) -> st.SearchStrategy[int]:
        lo = int(low) if low is not None else min(0, int(high) if high is not None else 0) - 100
        hi = int(high) if high is not None else max(lo, 0) + 1000
        return st.integers(lo, hi)

    def money(self, low: int | Decimal | None, high: int | Decimal | None) -> str:
        lo = Decimal(low) if low is not None else Decimal(0)
        return self.hundredths(
            lo, Decimal(high) if high is not None else max(lo, Decimal(0)) + 3000
        )

    def decimal(self, low: int | Decimal | None, high: int | Decimal | None) -> str:
        lo = Decimal(low) if low is not None else Decimal(-1000)
        return self.hundredths(
            lo, Decimal(high) if high is not None else max(lo, Decimal(0)) + 1000
        )

    def hundredths(self, low: Decimal, high: Decimal) -> str:
        """A number from ``low`` to ``high`` in hundredths, as exact decimal text."""
        cents = self.draw(st.integers(math.ceil(low * 100), math.floor(high * 100)))
        return format(Decimal(cents).scaleb(-2), "f")

    def text(self, limit: int | None) -> str:
        words = [w for w in self.plan.words if w.strip() == w and w and len(w) <= (limit or 300)]
        free = _PHRASES.map(lambda s: s[: limit or 300].strip() or "x")
        return self.draw(st.sampled_from(words) | free if words else free)

    def own(self, name: str, path: str) -> Json:
        """A value of a pack's own object type, its checks made to hold."""
        samples = self.plan.samples.get(name, ())
        if len(samples) > 0 and self.draw(st.booleans()):
            return dict(self.draw(st.sampled_from(samples)))
        out = self.fields({}, name, path)
        model = self.plan.models[name]
        checks = self.plan.objects[name].checks
        return self.repaired(out, lambda: failing_check(model, out, checks), name)

    # ------------------------------------------------------------ checks

    def checked(self, data: dict[str, Json]) -> Json:
        """The request with the pack's request-level checks made to hold, validated as
        ``evaluate`` validates it (a refusal here is a bug in the drawing, and says so)."""
        spec = self.plan.objects.get("Request")
        checks = spec.checks if spec is not None else ()
        model = self.plan.policy.request_model
        self.repaired(data, lambda: failing_check(model, data, checks, whole=True), "Request")
        try:
            parse_request(data, model, zone=self.plan.policy.zone)
        except RequestError as error:
            raise Invalid(str(error)) from None
        return data

    def repaired(
        self, out: dict[str, Json], failing: Callable[[], Check | None], owner: str
    ) -> dict[str, Json]:
        """``out`` edited until ``failing()`` finds no failing check.

        A check over a list's elements (``all(order.items, ...)``) is first made to hold
        for each element alone. Then the edits of the values the check reads are tried
        (``edits``, best first, in a drawn rotation within each rank): each edit alone,
        undone when it does not help; then one after another."""
        for _ in range(_MAX_ROUNDS):
            check = failing()
            if check is None:
                return out
            reads = self.plan.reads.get(id(check))
            if reads is None:  # pragma: no cover - every check of the pack has its reads
                raise _Rejected(check.message)
            if owner == "Request" and self.each_element(out, check, reads):
                continue

            def fixed(check: Check = check) -> bool:
                return failing() is not check

            if not self.one_edit(out, owner, reads, fixed):
                for edit in self.ordered(out, owner, reads):
                    before = copy.deepcopy(out)
                    edit.apply(out)
                    if settles(fixed) is None:  # the edit broke something else: undone
                        restore(out, before)
                    elif fixed():
                        break
        raise _Rejected("no edit makes the checks hold")

    def ordered(self, data: Json, owner: str, reads: Reads) -> list[Edit]:
        edits = list(self.edits(data, owner, reads))
        if not edits:
            raise _Rejected("nothing a check reads can be changed")
        ordered: list[Edit] = []
        for rank in range(3):
            ranked = [e for e in edits if e.rank == rank]
            if ranked:  # a drawn rotation: one choice, however many edits
                start = self.draw(st.integers(0, len(ranked) - 1))
                ordered += ranked[start:] + ranked[:start]
        return ordered

    def one_edit(
        self, out: dict[str, Json], owner: str, reads: Reads, fixed: Callable[[], bool]
    ) -> bool:
        """Whether one edit alone makes ``fixed()`` true (then ``out`` keeps it)."""
        before = copy.deepcopy(out)
        for edit in self.ordered(out, owner, reads):
            edit.apply(out)
            if settles(fixed):
                return True
            restore(out, before)
        return False

    def each_element(self, data: dict[str, Json], check: Check, reads: Reads) -> bool:
        """For a check over the elements of one list: each element that fails it alone
        (in a copy of the request holding only that element) edited until it holds.
        Whether any element changed."""
        lists = {p.split("[]", 1)[0] for p in reads.paths if "[]" in p}
        if len(lists) != 1:
            return False
        steps = tuple(lists.pop().split("."))
        elements = get_at(data, steps)
        if not isinstance(elements, list) or len(elements) < 2:
            return False
        model = self.plan.policy.request_model
        changed = False
        for index, element in enumerate(elements):
            trial = copy.deepcopy({k: v for k, v in data.items() if k != "items"})
            set_at(trial, steps, [element])

            def holds(trial: Json = trial) -> bool:
                try:
                    return failing_check(model, trial, (check,), whole=False) is not check
                except Invalid:  # the element alone is no request: judge the whole
                    return True

            if not holds() and self.one_edit(trial, "Request", reads, holds):
                elements[index] = get_at(trial, steps)[0]
                changed = True
        return changed

    def edits(self, data: Json, owner: str, reads: Reads) -> Iterator[Edit]:
        """Every single edit of a value a check reads, by rank (tried in that order):

        0. a value changed: an enum or flag set to another value, a number, date or time
           moved one step either way, two values of a type swapped (``end > start``), a
           value drawn again; or a value left out where the check says it may be unknown
           (``not known(order.delivered_at) or ...``);
        1. an optional value the customer gives left out (a check passes on unknown);
        2. a value the store's systems supply left out (a decision may then wait on it).
        """
        spots: list[tuple[tuple[Step, ...], Spot]] = []
        for path in reads.paths:
            spot = self.spot(owner, path)
            if spot is not None:
                spots.extend((steps, spot) for steps in expand(data, path))
        for steps, spot in spots:
            value = get_at(data, steps)
            if value is None:
                continue
            if spot.optional:
                rank = 0 if spot.path in reads.known else 2 if spot.supplied else 1
                yield Edit(rank, setter(steps, None))
            options: tuple[Json, ...] = ()
            if spot.type.name == "enum":
                options = spot.type.values
            elif spot.type.name == "boolean":
                options = (True, False)
            options += neighbours(spot, value)
            for option in options:
                if option != value:
                    yield Edit(0, setter(steps, option))
            if spot.definition is not None and spot.type.name not in ("enum", "boolean"):
                yield Edit(0, self.redraw(steps, spot.definition, spot.path))
        for i, (steps, spot) in enumerate(spots):
            for other, partner in spots[i + 1 :]:
                if partner.type == spot.type:
                    yield Edit(0, swap(steps, other))

    def redraw(
        self, steps: tuple[Step, ...], definition: FieldDef, path: str
    ) -> Callable[[Json], None]:
        def apply(data: Json) -> None:
            set_at(data, steps, self.value(definition, path))

        return apply

    def spot(self, owner: str, path: str) -> Spot | None:
        """What the field at ``path`` (from object ``owner``) is: its type, whether it may
        be left out, its pack definition (to draw it again), whether the store supplies it."""
        current, found, optional, definition = owner, None, False, None
        for part in path.replace("[]", "").split("."):
            found = self.plan.types.get(current, {}).get(part)
            if found is None:
                return None
            spec = self.plan.objects.get(current)
            definition = spec.fields.get(part) if spec is not None else None
            optional = may_be_left_out(definition, current, part)
            if found.name == "list" and found.of is not None:
                found = found.of
            current = found.object
        if found is None:
            return None
        full = path if owner == "Request" else ""
        return Spot(found, optional, definition, path, full in self.plan.supplied)
