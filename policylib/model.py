"""The domain model: what a customer asks (``Request``) and what the store answers (``Decision``).

Models are pydantic v2, frozen, ``extra="forbid"``. Money is ``Decimal`` (a JSON number or a
decimal string; floats from chatbots are read through ``str`` so 49.99 stays 49.99).
Datetimes must carry a time zone (RFC 3339); a bare date (``"2026-11-25"``) is allowed where
a day is enough and is read in the store's zone by the fact layer.

The JSON Schema of every scalar says exactly what its validator accepts (money as a number
or a decimal string with at most four decimals, clock times as ``HH:MM``), and a validated
request dumps to JSON that validates again, so a chatbot can store and resubmit it.

``parse_request`` is the single entry point that turns a dict, JSON text or a ``Request``
into a validated ``Request``. Sizes and nesting are checked before anything is validated;
then every problem that can be known is reported together in one ``RequestError``, each
naming the field path and the value received, in policylib's own words.
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from policylib.errors import Problem, RequestError, shorten

__all__ = [
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_REQUEST_BYTES",
    "Alternative",
    "Citation",
    "ConditionTrace",
    "Customer",
    "Decision",
    "DecisionContext",
    "Delivery",
    "Details",
    "Item",
    "Order",
    "Outcome",
    "Question",
    "Reason",
    "Request",
    "RequestKind",
    "RuleTrace",
    "Subscription",
    "TimeWindow",
    "customer_chooses",
    "events_after",
    "parse_request",
]

MAX_REQUEST_BYTES = 64 * 1024
"""Requests larger than this (JSON text, or a dict of about that size) are refused unread."""

MAX_ITEMS = 100
"""Most items in an order, and most skus a request may name."""

MAX_DEPTH = 16
"""Deepest nesting of objects and lists a request may have (the model itself needs 4)."""

MAX_MONEY = Decimal("9999999.9999")
"""The largest amount of money a request may carry (seven digits, four decimals)."""


CHOSEN_ROOTS = frozenset({"kind", "resolution", "details"})
CHOSEN_PATHS = frozenset({"order.delivery.method"})
"""What the customer chooses in a request (an offer may change these), as opposed to what
has happened (dates, status, the item's condition, the truck): roots and single paths."""


def customer_chooses(path: str) -> bool:
    """Whether a dotted request path is the customer's choice, so an offer may change it."""
    return path.split(".", 1)[0] in CHOSEN_ROOTS or path in CHOSEN_PATHS


class _Str(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class RequestKind(_Str):
    RETURN = "return"
    EXCHANGE = "exchange"
    CANCEL = "cancel"
    CHANGE_DELIVERY = "change_delivery"
    DELIVERY_ESTIMATE = "delivery_estimate"
    PRICE_ADJUSTMENT = "price_adjustment"


class Outcome(_Str):
    GRANTED = "granted"
    PARTIAL = "partial"
    DENIED = "denied"
    NEEDS_INFO = "needs_info"
    ESCALATE = "escalate"


OrderStatus = Literal[
    "placed", "processing", "in_production", "shipped", "out_for_delivery", "delivered", "cancelled"
]
ItemCondition = Literal["unopened", "opened", "used", "damaged"]
ReturnReason = Literal[
    "changed_mind", "defective", "damaged_in_transit", "wrong_item", "arrived_late", "other"
]
Resolution = Literal["refund", "store_credit", "exchange", "repair", "replacement"]
Tier = Literal["standard", "plus"]
DeliveryMethod = Literal["standard", "express", "white_glove", "pickup"]
BillingPeriod = Literal["monthly", "quarterly", "yearly"]
SubscriptionType = Literal["membership", "session_plan"]


# --------------------------------------------------------------------------- scalar types
# Each scalar is a plain Python type, a validator that raises our own error codes, a JSON
# serializer where the default would not read back, and the JSON Schema of exactly what
# the validator accepts.


def _refuse(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


_MONEY_TEXT = re.compile(r"\d{1,7}(\.\d{1,4})?")
_TEN_THOUSANDTH = Decimal("0.0001")


def _parse_money(value: object) -> Decimal:
    if isinstance(value, bool):
        raise _refuse("wrong-type", "expected an amount of money, not true/false")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse("bad-format", "expected a finite amount of money, not NaN or infinity")
        value = Decimal(repr(value))  # 49.99 stays 49.99
        near = value.quantize(_TEN_THOUSANDTH) if abs(value) < MAX_MONEY * 2 else value
        if near != value and abs(float(near) - float(value)) <= 1e-9 * max(1.0, abs(float(value))):
            value = near  # 2.3200000000000003 is how a float writes 2.32
    elif isinstance(value, int):
        if value < 0:
            raise _refuse("out-of-range", "an amount of money cannot be negative")
        if value > MAX_MONEY:
            raise _refuse("out-of-range", f"an amount above {MAX_MONEY} is not plausible here")
        value = Decimal(value)
    elif isinstance(value, str):
        if value.startswith("-") and _MONEY_TEXT.fullmatch(value[1:]):
            raise _refuse("out-of-range", "an amount of money cannot be negative")
        if not _MONEY_TEXT.fullmatch(value):
            raise _refuse(
                "bad-format",
                "expected an amount like 49.99 (digits, at most four decimals, no currency sign)",
            )
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise _refuse("wrong-type", "expected an amount of money (a number or a decimal string)")
    if not value.is_finite():
        raise _refuse("bad-format", "expected a finite amount of money, not NaN or infinity")
    if value < 0:
        raise _refuse("out-of-range", "an amount of money cannot be negative")
    if value > MAX_MONEY:
        raise _refuse("out-of-range", f"an amount above {MAX_MONEY} is not plausible here")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise _refuse("bad-format", "an amount of money has at most four decimals")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MAX_MONEY), "multipleOf": 0.0001},
                {"type": "string", "pattern": r"^\d{1,7}(\.\d{1,4})?$"},
            ]
        }
    ),
]

_FIRST_YEAR, _LAST_YEAR = 1900, 2200
"""Dates outside these years are data errors here, refused like an implausible amount."""

_DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_TEXT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})"
)
"""RFC 3339 (JSON Schema's ``date-time``): seconds and a zone are required."""


def _plausible(day: date) -> None:
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise _refuse("out-of-range", f"a date in the year {day.year} is not plausible here")


def _calendar_date(year: str, month: str, day: str) -> date:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        raise _refuse("bad-format", "expected a real calendar date like 2026-11-20") from None
    _plausible(found)
    return found


def _date_time(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    found = _calendar_date(year, month, day)
    if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
        raise _refuse("bad-format", "expected a real time of day like 15:00:00")
    offset = timezone.utc
    if zone not in ("Z", "z"):
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise _refuse("bad-format", f"the time zone offset {zone} is not a real offset")
        delta = timedelta(hours=hours, minutes=minutes)
        offset = timezone(-delta if zone[0] == "-" else delta)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return datetime.combine(found, time(int(hour), int(minute), int(second), micro), offset)


def _parse_moment(value: object) -> datetime | date:
    """A timezone-aware datetime, or a bare date (read later in the store's zone)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _refuse("bad-format", "this date-time has no time zone; add one")
        _plausible(value)
        return value
    if isinstance(value, date):
        _plausible(value)
        return value
    if not isinstance(value, str):
        raise _refuse("wrong-type", "expected a date-time text like 2026-11-20T15:00:00-05:00")
    day = _DATE_TEXT.fullmatch(value)
    if day is not None:
        return _calendar_date(*day.groups())
    moment = _DATETIME_TEXT.fullmatch(value)
    if moment is not None:
        return _date_time(moment)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", value):
        raise _refuse(
            "bad-format",
            "this date-time has no time zone; add one, like 2026-11-20T15:00:00-05:00",
        )
    raise _refuse(
        "bad-format",
        "expected a date-time with seconds and a time zone, like 2026-11-20T15:00:00-05:00, "
        "or a date like 2026-11-20",
    )


_YEARS = r"(19\d\d|2[01]\d\d|2200)"
_DATE_SCHEMA = {"type": "string", "format": "date", "pattern": rf"^{_YEARS}-\d\d-\d\d$"}
_DATETIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": rf"^{_YEARS}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{{1,9}})?([Zz]|[+-]\d\d:\d\d)$",
}

Moment = Annotated[
    datetime | date,
    BeforeValidator(_parse_moment),
    WithJsonSchema({"anyOf": [_DATETIME_SCHEMA, _DATE_SCHEMA]}),
]


def _parse_day(value: object) -> date:
    if isinstance(value, datetime):
        raise _refuse("bad-format", "expected a calendar date like 2026-11-25, not a date-time")
    if isinstance(value, date):
        _plausible(value)
        return value
    if isinstance(value, str):
        day = _DATE_TEXT.fullmatch(value)
        if day is not None:
            return _calendar_date(*day.groups())
    raise _refuse("bad-format", "expected a calendar date like 2026-11-25")


Day = Annotated[date, BeforeValidator(_parse_day), WithJsonSchema(_DATE_SCHEMA)]

END_OF_DAY = time(23, 59, 59)
"""How the clock time ``24:00`` (the end of the day) is held: it dumps back as ``24:00``."""

_CLOCK_TEXT = re.compile(r"([01]\d|2[0-3]):([0-5]\d)|24:00")


def _parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = _CLOCK_TEXT.fullmatch(value)
        if match is not None:
            if value == "24:00":
                return END_OF_DAY
            return time(int(match[1]), int(match[2]))
    raise _refuse("bad-format", "expected a clock time like 08:00 (24-hour, HH:MM)")


def clock_text(moment: time) -> str:
    """A clock time as the request writes it: ``08:00``, ``24:00`` for the end of the day."""
    if moment >= END_OF_DAY:
        return "24:00"
    return f"{moment.hour:02d}:{moment.minute:02d}"


Clock = Annotated[
    time,
    BeforeValidator(_parse_clock),
    PlainSerializer(clock_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"}),
]


_NEUTRAL = {"Cc": " ", "Zl": " ", "Zp": " ", "Cf": "", "Cs": ""}


def _plain_name(value: str) -> str:
    """A name shown to people, as plain words.

    Control characters and line breaks become spaces, and invisible format characters
    (bidi overrides, zero-width spaces) are dropped, so a name cannot break a line or
    reorder and hide what is rendered around it; braces and angle brackets are refused.
    """
    if not value.isprintable():
        value = "".join(_NEUTRAL.get(unicodedata.category(ch), ch) for ch in value)
        value = " ".join(value.split())
    if any(ch in value for ch in "{}<>"):
        raise _refuse("bad-format", "a name cannot contain braces or angle brackets")
    if not value:
        raise _refuse("too-short", "a name needs at least one visible letter or digit")
    return value


def _name_schema(max_length: int) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        # at least one character that is not a space, a control or a format character
        "pattern": r"^[^{}<>]*[^{}<>\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e"
        r"\u2060-\u206f\ufeff\u00ad\u061c\u180e\ufff9-\ufffb][^{}<>]*$",
    }


CustomerName = Annotated[
    str,
    Field(max_length=80),
    AfterValidator(_plain_name),
    WithJsonSchema(_name_schema(80)),
]
ShortText = Annotated[
    str,
    Field(max_length=120),
    AfterValidator(_plain_name),
    WithJsonSchema(_name_schema(120)),
]

_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
_TAG = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _identifier(value: str) -> str:
    if not _IDENTIFIER.fullmatch(value):
        raise _refuse(
            "bad-format",
            "an id uses letters, digits and . _ : - only, at most 64 of them (like O-1001)",
        )
    return value


def _tag(value: str) -> str:
    if not _TAG.fullmatch(value):
        raise _refuse(
            "bad-format",
            "use lowercase letters, digits and underscores, starting with a letter "
            "(like bath or custom_made)",
        )
    return value


Identifier = Annotated[
    str,
    AfterValidator(_identifier),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9_.:\-]{1,64}$"}),
]
Tag = Annotated[
    str,
    AfterValidator(_tag),
    WithJsonSchema({"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,39}$"}),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------- the request


class Customer(_Model):
    name: CustomerName | None = None
    tier: Tier = "standard"


class Item(_Model):
    sku: Identifier
    name: ShortText
    category: Tag
    tags: Annotated[list[Tag], Field(max_length=20)] = []
    price: Money
    quantity: Annotated[int, Field(ge=1, le=1000, strict=True)] = 1
    condition: ItemCondition | None = None
    final_sale: Annotated[bool, Field(strict=True)] = False
    price_adjusted: Annotated[bool, Field(strict=True)] = False
    """True once a price adjustment has already been paid for this item."""


class TimeWindow(_Model):
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.end <= self.start:
            raise _refuse("bad-window", "a window must end after it starts")
        return self


class TransitDays(_Model):
    min: Annotated[int, Field(ge=0, le=60, strict=True)]
    max: Annotated[int, Field(ge=0, le=60, strict=True)]

    @model_validator(mode="after")
    def _ordered(self) -> TransitDays:
        if self.max < self.min:
            raise _refuse("out-of-range", "max transit days cannot be below min")
        return self


class Delivery(_Model):
    method: DeliveryMethod = "standard"
    scheduled_date: Day | None = None
    window: TimeWindow | None = None
    truck_loaded: Annotated[bool, Field(strict=True)] | None = None
    transit_days: TransitDays | None = None
    """Carrier transit time in business days; estimates are quoted padded."""
    latest_quoted_date: Day | None = None
    """The last day of the delivery estimate the customer was given."""
    shipping_fee: Money | None = None


class Order(_Model):
    id: Identifier
    placed_at: Moment
    status: OrderStatus
    shipped_at: Moment | None = None
    delivered_at: Moment | None = None
    items: Annotated[list[Item], Field(min_length=1, max_length=MAX_ITEMS)]
    delivery: Delivery | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Order:
        problem = next(_order_problems(self), None)
        if problem is not None:
            raise _refuse(problem.code, problem.message)
        return self


class Subscription(_Model):
    id: Identifier
    type: SubscriptionType = "membership"
    plan: ShortText
    started_at: Moment
    billing_period: BillingPeriod = "monthly"
    price: Money
    """Price of one billing period (for a session plan: the price paid for all sessions)."""
    sessions_total: Annotated[int, Field(ge=0, le=10000, strict=True)] | None = None
    sessions_remaining: Annotated[int, Field(ge=0, le=10000, strict=True)] | None = None

    @model_validator(mode="after")
    def _sessions(self) -> Subscription:
        if (
            self.sessions_total is not None
            and self.sessions_remaining is not None
            and self.sessions_remaining > self.sessions_total
        ):
            raise _refuse("out-of-range", "sessions_remaining cannot exceed sessions_total")
        return self


class Details(_Model):
    """Kind-specific wishes. ``note`` is free text: kept for humans, never used to decide."""

    exact_time: Clock | None = None
    new_window: TimeWindow | None = None
    new_date: Day | None = None
    new_address: Annotated[str, Field(max_length=300)] | None = None
    current_price: Money | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class Request(_Model):
    kind: RequestKind
    requested_at: Moment | None = None
    customer: Customer = Customer()
    order: Order | None = None
    subscription: Subscription | None = None
    items: (
        Annotated[list[Identifier], Field(max_length=MAX_ITEMS, json_schema_extra={"minItems": 1})]
        | None
    ) = None
    """The skus this request is about; left out, it is about every item in the order."""
    reason: ReturnReason | None = None
    resolution: Resolution | None = None
    details: Details = Details()

    @model_validator(mode="after")
    def _consistent(self) -> Request:
        problems = _request_problems(self)
        problem = problems[0] if problems else None
        if problem is not None:
            raise _refuse(problem.code, problem.message)
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
# some field is invalid (every problem in one error), and the models' own validators can
# run them on themselves (Python callers building a Request directly).


def _get(obj: object, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _text(value: object) -> str | None:
    if isinstance(value, Enum):
        return str(value.value)
    return value if isinstance(value, str) else None


def _instant(moment: datetime | date) -> datetime:
    """A moment comparable with any other: a bare date counts as its first minute (UTC)."""
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(0), tzinfo=timezone.utc)


def _order_problems(order: Order) -> Iterator[Problem]:
    skus = [item.sku for item in order.items]
    if len(set(skus)) != len(skus):
        yield Problem("duplicate-id", "each item in an order needs its own sku", "order.items")
    if order.delivered_at is not None and order.status != "delivered":
        yield Problem(
            "bad-timeline",
            "delivered_at is set but the status is not 'delivered'",
            "order.delivered_at",
        )
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


def _request_problems(req: object) -> list[Problem]:
    """What is wrong across fields of a request (given as a raw dict or a Request)."""
    out: list[Problem] = []
    kind = _text(_get(req, "kind"))
    order, subscription = _get(req, "order"), _get(req, "subscription")
    if order is not None and subscription is not None:
        out.append(
            Problem(
                "not-both",
                "a request is about an order or a subscription, not both",
                "subscription",
            )
        )
    if order is None and subscription is None and kind != RequestKind.DELIVERY_ESTIMATE.value:
        out.append(
            Problem(
                "missing-key",
                "a request needs an order (id, placed_at, status and items) or a "
                "subscription (id, plan, started_at and price)",
                "order",
            )
        )
    if subscription is not None and kind is not None and kind != RequestKind.CANCEL.value:
        out.append(
            Problem(
                "wrong-kind",
                "only a cancellation can be requested for a subscription",
                "kind",
                value=shorten(kind),
            )
        )
    items = _get(req, "items")
    order_items = _get(order, "items") if order is not None else None
    known: set[str] | None = None
    if isinstance(order_items, list):
        known = {sku for sku in (_text(_get(i, "sku")) for i in order_items) if sku}
    if isinstance(items, list):
        if not items:
            out.append(
                Problem(
                    "too-short",
                    "items names no item: list the skus this request is about, or leave "
                    "items out to mean the whole order",
                    "items",
                )
            )
        elif order is None:
            out.append(
                Problem(
                    "no-order", "items are chosen from an order, but there is no order", "items"
                )
            )
        seen: set[str] = set()
        for index, sku in enumerate(items):
            if not isinstance(sku, str):
                continue
            if sku in seen:
                out.append(
                    Problem("duplicate-id", f"item {sku!r} is listed twice", f"items[{index}]")
                )
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
    if kind == RequestKind.PRICE_ADJUSTMENT.value and known is not None:
        named = len(items) if isinstance(items, list) and items else len(order_items or ())
        if named != 1:
            out.append(
                Problem(
                    "one-item",
                    "a price adjustment is for one item at a time (current_price is that "
                    "item's price today): name it in items",
                    "items",
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
    for parent, name in _EVENTS:
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


# --------------------------------------------------------------------------- parsing


def _reject_constants(token: str) -> object:
    raise ValueError(f"{token} is not a number")


def _too_large(detail: str) -> RequestError:
    return RequestError(
        f"the request is larger than the {MAX_REQUEST_BYTES:,}-byte limit",
        [Problem("too-large", detail, "(request)")],
    )


def _path(parts: tuple[int | str, ...]) -> str:
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in part and "(" in part:  # pydantic's validator steps, e.g. function-after[...]
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "(request)"


def _measure(data: Mapping[Any, Any]) -> list[Problem]:
    """Size and shape checks on a raw request, before any field is validated.

    Walks the input once, without recursion: nesting deeper than ``MAX_DEPTH``, more than
    ``MAX_ITEMS`` items, or about ``MAX_REQUEST_BYTES`` of content (the size its JSON would
    have) are refused here, so a huge or hostile dict costs no more than a JSON text.
    """
    for key in ("items",):
        value = data.get(key)
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            return [_count_problem(key, len(value))]
    order = data.get("order")
    if isinstance(order, Mapping):
        value = order.get("items")
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            return [_count_problem("order.items", len(value))]
    budget = MAX_REQUEST_BYTES
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            budget -= len(value) + 3
        elif isinstance(value, Mapping):
            if depth > MAX_DEPTH:
                return [_deep_problem(where)]
            budget -= 2
            for key, child in value.items():
                budget -= len(key) + 4 if isinstance(key, str) else 8
                if isinstance(child, (Mapping, list, tuple, str)):
                    stack.append((child, depth + 1, f"{where}.{key}" if where else str(key)))
                else:
                    budget -= 8
        elif isinstance(value, (list, tuple)):
            if depth > MAX_DEPTH:
                return [_deep_problem(where)]
            budget -= 2 + len(value)
            for index, child in enumerate(value):
                if isinstance(child, (Mapping, list, tuple, str)):
                    stack.append((child, depth + 1, f"{where}[{index}]"))
                else:
                    budget -= 8
        if budget < 0:
            return [Problem("too-large", "request too large", "(request)")]
    return []


def _count_problem(where: str, count: int) -> Problem:
    return Problem("too-many", f"{count:,} items; a request may have at most {MAX_ITEMS}", where)


def _deep_problem(where: str) -> Problem:
    return Problem(
        "nesting-too-deep",
        f"nested more than {MAX_DEPTH} levels deep; no field of a request needs that",
        where or "(request)",
    )


_TYPE_WORDS = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
    "list_type": "expected a list",
    "none_required": "expected nothing here",
    "is_instance_of": "expected an object",
}


def _fields_at(model: type[BaseModel], parts: tuple[int | str, ...]) -> list[str]:
    """The field names of the object at a pydantic error location (for did-you-mean)."""
    current: Any = model
    for part in parts[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None) or {}
        found = fields.get(part)
        if found is None:
            return []
        current = _model_in(found.annotation)
    return sorted(getattr(current, "model_fields", None) or {})


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``X | None``, ``list[X]`` or ``Annotated[...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _model_in(origin)
    return None


def _translate(error: Mapping[str, Any], model: type[BaseModel]) -> Problem:
    """A pydantic error in policylib's words, with a stable code."""
    kind = str(error.get("type", ""))
    parts = tuple(error.get("loc", ()))
    where = _path(parts)
    ctx = error.get("ctx") or {}
    received = "" if kind == "missing" else shorten(error.get("input"))
    hint = ""
    if "-" in kind:  # raised by policylib's own validators, already in its words
        return Problem(kind, str(error.get("msg", "not a valid value")), where, value=received)
    if kind == "missing":
        code, message = "missing-key", "this field is required"
    elif kind == "extra_forbidden":
        code, message = "unknown-key", "unknown field; check its spelling"
        names = _fields_at(model, parts)
        last = str(parts[-1])[:64] if parts else ""
        close = difflib.get_close_matches(last, names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"fields here: {', '.join(names)}"
    elif kind in ("literal_error", "enum"):
        code = "unknown-enum-value"
        expected = str(ctx.get("expected", ""))
        message = f"not one of the allowed values: {expected}"
        allowed = [w.strip(" '") for w in re.split(r",| or ", expected) if w.strip(" '")]
        got = error.get("input")
        if isinstance(got, str) and len(got) <= 64:
            close = difflib.get_close_matches(got, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else ""
    elif kind in _TYPE_WORDS:
        code, message = "wrong-type", _TYPE_WORDS[kind]
    elif kind == "string_too_long":
        code, message = "too-long", f"at most {ctx.get('max_length')} characters"
    elif kind == "string_too_short":
        code, message = "too-short", "must not be empty"
    elif kind == "too_long":
        code, message = "too-many", f"at most {ctx.get('max_length')} entries"
    elif kind == "too_short":
        code, message = "too-short", f"at least {ctx.get('min_length')} entry needed"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        code, message = "out-of-range", f"must be {words} {bound}"
    elif kind == "frozen_instance":
        code, message = "frozen", "a request cannot be changed once validated"
    elif kind == "value_error":
        code = "invalid-value"
        message = str(error.get("msg", "")).removeprefix("Value error, ") or "not a valid value"
    else:
        code, message = "invalid-value", "not a valid value here"
    return Problem(code, message, where, hint=hint, value=received)


def parse_request(data: object, *, zone: tzinfo | None = None) -> Request:
    """Validate a request given as a ``Request``, a dict or JSON text.

    Args:
        data: the request.
        zone: the store's time zone, to read bare dates and compare them with date-times
            (``Policy`` passes its own; without it each date-time is read in its offset).

    Raises:
        RequestError: every problem that can be known at once, each naming the field path
            and the value received.
    """
    if isinstance(data, Request):
        return data
    if isinstance(data, bytes | bytearray):
        if len(data) > MAX_REQUEST_BYTES:
            raise _too_large(f"{len(data):,} bytes")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError(
                "the request is not UTF-8 text",
                [Problem("invalid-json", "not UTF-8 text", "(request)")],
            ) from None
    if isinstance(data, str):
        # Every character is at least one byte: only a text near the limit is encoded.
        if len(data) > MAX_REQUEST_BYTES or (
            len(data) * 4 > MAX_REQUEST_BYTES and len(data.encode("utf-8")) > MAX_REQUEST_BYTES
        ):
            raise _too_large("request too large")
        data = _loads(data)
    if not isinstance(data, dict):
        raise RequestError(
            "a request must be a JSON object (a dict)",
            [Problem("not-an-object", "expected an object", "(request)", value=shorten(data))],
        )
    measured = _measure(data)
    if measured:
        raise RequestError(measured[0].message, measured)
    try:
        request = Request.model_validate(data)
    except ValidationError as exc:
        crossed = _request_problems(data)  # said with their own fields, whatever else fails
        said = {p.message for p in crossed}
        problems = [_translate(err, Request) for err in exc.errors(include_url=False)]
        problems = [p for p in problems if not (p.where == "(request)" and p.message in said)]
        raise _invalid([*problems, *crossed]) from None
    except RecursionError:  # pragma: no cover - _measure caps nesting far below the stack
        raise RequestError("the request is nested too deeply") from None
    if request.requested_at is not None:
        late = events_after(request, request.requested_at, zone)
        if late:
            raise _invalid(late)
    return request


def _loads(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constants, parse_float=Decimal)
    except RecursionError:
        raise RequestError(
            "the request is nested too deeply",
            [_deep_problem("(request)")],
        ) from None
    except ValueError as exc:
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f"line {exc.lineno} column {exc.colno}"
            reason = exc.msg
        else:
            reason = str(exc)
        raise RequestError(
            "the request is not valid JSON", [Problem("invalid-json", reason, where)]
        ) from None


def _invalid(problems: list[Problem]) -> RequestError:
    unique = list(dict.fromkeys(problems))
    count = len(unique)
    return RequestError(f"the request has {count} invalid field{'s' if count != 1 else ''}", unique)


# --------------------------------------------------------------------------- the decision


class Citation(_Model):
    """Where the rule is published, for the customer to read."""

    section: str
    title: str
    url: str | None = None


class Reason(_Model):
    """A deciding rule and what it means for this customer."""

    rule_id: str
    title: str
    outcome: Outcome
    citation: Citation
    text: str
    """Customer-facing text of the rule, filled in for this request."""
    why: str = ""
    """Why the rule exists, in plain words."""
    apology: bool = False
    """True when the store erred and the explanation opens with an apology."""


class Alternative(_Model):
    """Something the store can honestly offer instead of (or beside) the request."""

    kind: str
    text: str
    rule_id: str | None = None
    """The rule that grants it when re-checked; None for escalation paths."""
    verified: bool = False
    """True when the engine re-evaluated the changed request and it was granted."""
    change: dict[str, Any] = {}
    """The change to the request that this alternative stands for."""
    outcome: Outcome | None = None
    """For a verified offer: granted, or partial when the policy grants only part of it."""
    item: str | None = None
    """In a request about several items: the item this alternative is for."""


class Question(_Model):
    """The one thing to ask the customer before a decision can be made."""

    fact: str
    text: str
    field: str = ""
    """The request field that answers it, for chatbot tool calls."""


@dataclass(slots=True)
class ConditionTrace:
    """One comparison of a rule, as evaluated for this request.

    Trace entries are plain dataclasses, not models: a decision carries dozens of them and
    building models cost more than the rest of the decision. Treat them as read-only;
    pydantic validates and serialises them as part of ``Decision``.
    """

    fact: str
    label: str
    op: str
    required: Any
    actual: Any
    status: Literal["held", "failed", "unknown"]


@dataclass(slots=True)
class RuleTrace:
    """One rule considered for this request: its verdict and every comparison in it.

    ``status`` is ``skipped`` (with no conditions) for rules ranked below the deciding rule.
    """

    rule_id: str
    title: str
    outcome: Outcome
    priority: int
    status: Literal["held", "failed", "unknown", "skipped"]
    decided: bool = False
    conditions: list[ConditionTrace] = field(default_factory=list)


class DecisionContext(_Model):
    """Everything the renderer needs besides the reasons: who, which store, where published."""

    customer_name: str | None = None
    names: list[str] = []
    """Other names the reply may quote as written (items, plans): isolated in html."""
    store_name: str = ""
    policy_url: str | None = None
    locale: str = "en_US"
    request_kind: RequestKind
    escalation_contact: str = ""
    agent_may_approve: str = ""
    facts: dict[str, str] = {}
    """The facts that mattered, formatted for people (label -> value)."""
    phrases: dict[str, str] = {}
    """The pack's shared messages (id -> Fluent source) from ``TextRenderer.context_phrases``:
    the connecting words of the explanation, laid over the English defaults."""


class Decision(_Model):
    """What the store answers: outcome, explanation, reasons, alternatives, question, trace."""

    outcome: Outcome
    explanation: str
    reasons: list[Reason]
    alternatives: list[Alternative] = []
    questions: list[Question] = []
    trace: list[RuleTrace] = []
    context: DecisionContext
    decided_at: datetime

    def render(
        self,
        audience: Literal["customer", "agent", "chat"] = "customer",
        format: Literal["text", "markdown", "html"] = "text",
    ) -> str:
        """The explanation for one audience in one format."""
        from policylib.explain import render_decision

        return render_decision(self, audience=audience, format=format)
