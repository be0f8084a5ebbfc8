"""The base request every store's request extends: who asks, about which order or
subscription, which items, and what else they said.

These models hold only what any retailer's request has. A pack's ``vocabulary.yaml`` adds
its own fields to each object (a membership tier on the customer, a condition on an item,
a delivery window), narrows open text fields to its own values (order statuses), declares
its request kinds, and the policy builds the validating model from both
(``policy.request_model``). ``policylib.Request`` is this base: every pack's request is an
instance of it.

The cross-field checks here are generic: an order or a subscription as the request kind
allows, the named items exist in the order, an order's events come in order, and none of
them after the moment the request is decided.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timezone, tzinfo
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from policylib.errors import Problem, shorten
from policylib.lang import types as t
from policylib.lang.nodes import Kind
from policylib.request.scalars import (
    CustomerName,
    Identifier,
    Moment,
    Money,
    ShortText,
    Tag,
)

__all__ = [
    "BASE_TYPES",
    "MAX_ITEMS",
    "BaseObject",
    "Customer",
    "Delivery",
    "Details",
    "Item",
    "Order",
    "Request",
    "Subscription",
    "events_after",
    "request_problems",
]

MAX_ITEMS = 100
"""Most items in an order, and most skus a request may name."""

_LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class BaseObject(BaseModel):
    """Frozen, strict about unknown fields, whitespace trimmed from text."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Customer(BaseObject):
    """Who is asking."""

    name: CustomerName | None = Field(
        None, description="The customer's name as they like to be addressed, e.g. Dana Reyes."
    )
    language: Annotated[str, Field(pattern=_LANGUAGE, max_length=35)] | None = Field(
        None,
        description="The language to answer in, as a BCP 47 tag like en or es-US; the "
        "store's default language when left out.",
    )


class Item(BaseObject):
    """One line of the order."""

    sku: Identifier = Field(description="The store's product code for this line, e.g. TS-100.")
    name: ShortText = Field(description="The product name as the store's catalogue writes it.")
    category: Tag = Field(description="The catalogue category, in lowercase_words, e.g. bath.")
    tags: Annotated[list[Tag], Field(max_length=20)] = Field(
        [], description="The catalogue's tags on the product, in lowercase_words."
    )
    price: Money = Field(description="What the customer paid for one unit, in store currency.")
    quantity: Annotated[int, Field(ge=1, le=1000, strict=True)] = Field(
        1, description="How many units of this product the order has."
    )


class Delivery(BaseObject):
    """How the order reaches the customer (a pack adds what it tracks)."""


class Order(BaseObject):
    """The order the request is about."""

    id: Identifier = Field(description="The order number, e.g. O-1001.")
    placed_at: Moment = Field(description="When the order was placed (date-time with zone).")
    status: Tag = Field(description="Where the order is now.")
    shipped_at: Moment | None = Field(None, description="When the order left the warehouse.")
    delivered_at: Moment | None = Field(None, description="When the order was delivered.")
    items: Annotated[list[Item], Field(min_length=1, max_length=MAX_ITEMS)] = Field(
        description="Every line of the order."
    )
    delivery: Delivery | None = Field(None, description="How the order is delivered.")

    @model_validator(mode="after")
    def _consistent(self) -> Order:
        problem = next(order_problems(self), None)
        if problem is not None:  # at the field it is about (order.delivered_at)
            field = problem.where.removeprefix("order.")
            raise PydanticCustomError(problem.code, problem.message, {"field": field})
        return self


class Subscription(BaseObject):
    """The membership or plan the request is about."""

    id: Identifier = Field(description="The subscription's number.")
    plan: ShortText = Field(description="The plan's name as the store writes it.")
    started_at: Moment = Field(description="When the subscription started.")
    price: Money = Field(description="The price of one billing period (or of the whole plan).")


class Details(BaseObject):
    """What else the customer asked for (a pack adds the wishes it handles)."""

    note: Annotated[str, Field(max_length=2000)] | None = Field(
        None,
        description="Free text the customer wrote; kept for people, never read by a rule "
        "and never shown in an explanation.",
    )


class Request(BaseObject):
    """A customer's request: what they ask for, about which order or subscription."""

    kinds: ClassVar[Mapping[str, Kind]] = {}
    """The store's request kinds (set on the model a policy builds; empty on the base)."""

    kind: Tag = Field(description="What the customer asks for.")
    requested_at: Moment | None = Field(
        None,
        description="When the customer asked (date-time with zone); decisions are made at "
        "this moment. A bare date is read in the store's time zone.",
    )
    customer: Customer = Field(
        default_factory=Customer, description="The customer making the request."
    )
    order: Order | None = Field(None, description="The order the request is about.")
    subscription: Subscription | None = Field(
        None, description="The membership or plan the request is about (instead of an order)."
    )
    items: (
        Annotated[list[Identifier], Field(max_length=MAX_ITEMS, json_schema_extra={"minItems": 1})]
        | None
    ) = Field(
        None,
        description="The skus of the order's items this request is about; leave it out "
        "to mean every item in the order.",
    )
    details: Details = Field(
        default_factory=Details, description="What else the customer asked for."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Request:
        if _plainly_consistent(self):
            return self
        problems = request_problems(self, type(self).kinds)
        if problems:
            first = problems[0]
            raise PydanticCustomError(first.code, first.message, {"field": first.where})
        return self

    def selected_items(self) -> list[Item]:
        """The order items this request is about (all of them when none are named)."""
        if self.order is None:
            return []
        if not self.items:
            return list(self.order.items)
        wanted = set(self.items)
        return [item for item in self.order.items if item.sku in wanted]


# --------------------------------------------------------------------------- cross-field checks
# Written over "dict or model" so parse_request can run them on the raw input even when
# some field is invalid (every problem in one error), and the models' own validators run
# them on themselves (Python callers building a request directly).


def _get(obj: object, name: str) -> Any:
    if type(obj) is dict:
        return obj.get(name)
    if isinstance(obj, BaseModel):
        return getattr(obj, name, None)
    return obj.get(name) if isinstance(obj, Mapping) else None


def _text(value: object) -> str | None:
    if isinstance(value, Enum):
        return str(value.value)
    return value if isinstance(value, str) else None


def _instant(moment: datetime | date) -> datetime:
    """A moment comparable with any other: a bare date counts as its first minute (UTC)."""
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(0), tzinfo=timezone.utc)


def order_problems(order: Order) -> Iterator[Problem]:
    """An order's own inconsistencies: a sku twice, events out of order."""
    skus = [item.sku for item in order.items]
    if len(set(skus)) != len(skus):
        yield Problem("duplicate-id", "each item in an order needs its own sku", "order.items")
    steps = [("placed_at", order.placed_at), ("shipped_at", order.shipped_at)]
    steps.append(("delivered_at", order.delivered_at))
    known = [(name, _instant(m)) for name, m in steps if m is not None]
    for (earlier, first), (later, second) in itertools.pairwise(known):
        if second < first:
            yield Problem(
                "bad-timeline",
                f"{later} is before {earlier}; check the order's dates",
                f"order.{later}",
            )


_DESCRIBED = {
    "order": "an order (id, placed_at, status and items)",
    "subscription": "a subscription (id, plan, started_at and price)",
}


def _plainly_consistent(req: Request) -> bool:
    """The common case, answered fast: an order (or a subscription, or neither, as the
    kind allows), items named once each from the order, one item when the kind says so.
    False means "look closer" (``request_problems`` says what is wrong, if anything)."""
    kind = type(req).kinds.get(req.kind)
    order, subscription = req.order, req.subscription
    subject = "order" if order is not None else "subscription" if subscription else "none"
    if (order is not None and subscription is not None) or subject not in _subjects(kind):
        return False
    items = req.items
    if items is not None:
        if order is None or not items or len(set(items)) != len(items):
            return False
        skus = {item.sku for item in order.items}
        if not skus.issuperset(items):
            return False
    if kind is not None and kind.one_item and order is not None:
        return len(items if items else order.items) == 1
    return True


def _subjects(kind: Kind | None) -> tuple[str, ...]:
    return kind.subjects if kind is not None else ("order", "subscription", "none")


def request_problems(req: object, kinds: Mapping[str, Kind]) -> list[Problem]:
    """What is wrong across fields of a request (a raw dict or a model), given the store's
    request kinds (empty: only the generic checks)."""
    out: list[Problem] = []
    kind_name = _text(_get(req, "kind"))
    kind = kinds.get(kind_name) if kind_name is not None else None
    order, subscription = _get(req, "order"), _get(req, "subscription")
    if order is not None and subscription is not None:
        out.append(
            Problem(
                "not-both",
                "a request is about an order or a subscription, not both",
                "subscription",
            )
        )
    subjects = _subjects(kind)
    if order is None and subscription is None and "none" not in subjects:
        wants = [s for s in ("order", "subscription") if s in subjects] or ["order"]
        out.append(
            Problem(
                "missing-key",
                "a request needs " + " or ".join(_DESCRIBED[w] for w in wants),
                wants[0],
            )
        )
    for subject, present in (("subscription", subscription), ("order", order)):
        if present is not None and kind is not None and subject not in subjects:
            allowed = [k for k, spec in kinds.items() if subject in spec.subjects]
            out.append(
                Problem(
                    "wrong-kind",
                    f"a {kind_name} request cannot be about a {subject}"
                    + (f"; for a {subject}, ask: {', '.join(allowed)}" if allowed else ""),
                    "kind",
                    value=shorten(kind_name),
                )
            )
    items = _get(req, "items")
    order_items = _get(order, "items") if order is not None else None
    known: set[str] | None = None
    if isinstance(order_items, list):
        known = {sku for sku in (_text(_get(i, "sku")) for i in order_items) if sku}
    if isinstance(items, list):
        out.extend(_item_problems(items, order, known))
    if kind is not None and kind.one_item and known is not None:
        named = len(items) if isinstance(items, list) and items else len(order_items or ())
        if named != 1:
            out.append(
                Problem(
                    "one-item",
                    f"a {kind_name} request is for one item at a time: name it in items",
                    "items",
                )
            )
    return out


def _item_problems(items: list[Any], order: object, known: set[str] | None) -> list[Problem]:
    out: list[Problem] = []
    if not items:
        out.append(
            Problem(
                "too-short",
                "items names no item: list the skus this request is about, or leave items "
                "out to mean the whole order",
                "items",
            )
        )
    elif order is None:
        out.append(
            Problem("no-order", "items are chosen from an order, but there is no order", "items")
        )
    seen: set[str] = set()
    for index, sku in enumerate(items):
        if not isinstance(sku, str):
            continue
        if sku in seen:
            out.append(Problem("duplicate-id", f"item {sku!r} is listed twice", f"items[{index}]"))
        seen.add(sku)
        if known is not None and sku not in known:
            order_id = _text(_get(order, "id")) or "the order"
            out.append(
                Problem(
                    "unknown-item",
                    f"item {sku!r} is not in order {order_id}",
                    f"items[{index}]",
                    value=shorten(sku),
                )
            )
    return out


_EVENTS = (
    ("order", "placed_at"),
    ("order", "shipped_at"),
    ("order", "delivered_at"),
    ("subscription", "started_at"),
)


def events_after(
    req: Request, clock: datetime | date, zone: tzinfo | None, *, what: str = "requested_at"
) -> list[Problem]:
    """The request's events (order placed, shipped, delivered, subscription started) that
    lie after ``clock``: a request cannot predate what it is about.

    A bare-date event counts as its whole day, and so does a bare-date ``clock``: only a
    later day is after it. Days are read in ``zone`` (the store's; None reads each
    date-time in its own offset).
    """
    out: list[Problem] = []
    model = isinstance(req, BaseModel)
    for parent, name in _EVENTS:
        if model:  # the validated request (the common case): plain attributes
            holder = getattr(req, parent)
            moment = getattr(holder, name) if holder is not None else None
        else:
            holder = _get(req, parent)
            moment = _get(holder, name) if holder is not None else None
        if moment is None:
            continue
        if isinstance(moment, datetime) and isinstance(clock, datetime):
            late = moment > clock
        else:
            late = _day_of(moment, zone) > _day_of(clock, zone)
        if late:
            out.append(
                Problem(
                    "bad-timeline",
                    f"{parent}.{name} is after {what}; a request can't predate it",
                    f"{parent}.{name}",
                    value=shorten(moment.isoformat()),
                )
            )
    return out


def _day_of(moment: datetime | date, zone: tzinfo | None) -> date:
    if isinstance(moment, datetime):
        return (moment.astimezone(zone) if zone is not None else moment).date()
    return moment


# --------------------------------------------------------------------------- types for expressions

_MOMENT = t.DATETIME  # a bare date reads as its first moment in the store's zone

BASE_TYPES: Mapping[str, Mapping[str, t.Type]] = {
    "Request": {
        "kind": t.TEXT,
        "requested_at": _MOMENT,
        "customer": t.object_of("Customer"),
        "order": t.object_of("Order"),
        "subscription": t.object_of("Subscription"),
        "items": t.list_of(t.TEXT),
        "details": t.object_of("Details"),
    },
    "Customer": {"name": t.TEXT, "language": t.TEXT},
    "Order": {
        "id": t.TEXT,
        "placed_at": _MOMENT,
        "status": t.TEXT,
        "shipped_at": _MOMENT,
        "delivered_at": _MOMENT,
        "items": t.list_of(t.object_of("Item")),
        "delivery": t.object_of("Delivery"),
    },
    "Item": {
        "sku": t.TEXT,
        "name": t.TEXT,
        "category": t.TEXT,
        "tags": t.list_of(t.TEXT),
        "price": t.MONEY,
        "quantity": t.INTEGER,
    },
    "Delivery": {},
    "Subscription": {"id": t.TEXT, "plan": t.TEXT, "started_at": _MOMENT, "price": t.MONEY},
    "Details": {},  # details.note is free text: no rule or fact may read it
}
"""What expressions see of the base request: each object's fields and their types."""
