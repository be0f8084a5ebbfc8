"""The domain model: what a customer asks (``Request``) and what the store answers (``Decision``).

Models are pydantic v2, frozen, ``extra="forbid"``. Money is ``Decimal`` (a JSON number or a
decimal string; floats from chatbots are read through ``str`` so 49.99 stays 49.99).
Datetimes must carry a time zone; a bare date (``"2026-11-25"``) is allowed where a day is
enough and is read in the store's zone by the fact layer.

``parse_request`` is the single entry point that turns a dict, JSON text or a ``Request``
into a validated ``Request``, translating every pydantic error into a ``RequestError`` that
names the field path and the value received.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from policylib.errors import Problem, RequestError, shorten

__all__ = [
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
    "parse_request",
]

MAX_REQUEST_BYTES = 64 * 1024
"""JSON requests larger than this are refused before parsing."""

MAX_ITEMS = 100
_MAX_MONEY = Decimal("1000000")


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


def _parse_money(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected an amount of money, not true/false")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("expected a finite amount of money, not NaN or infinity")
        value = str(value)
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d{1,9}(\.\d{1,4})?", text):
            raise ValueError("expected an amount like 49.99 (digits, optional decimals)")
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex already guards this
            raise ValueError("expected an amount like 49.99") from None
    if not isinstance(value, Decimal):
        raise ValueError("expected an amount of money (a number or a decimal string)")
    if not value.is_finite():
        raise ValueError("expected a finite amount of money, not NaN or infinity")
    if value < 0:
        raise ValueError("an amount of money cannot be negative")
    if value > _MAX_MONEY:
        raise ValueError(f"an amount above {_MAX_MONEY} is not plausible here")
    return value


Money = Annotated[Decimal, BeforeValidator(_parse_money)]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_FIRST_YEAR, _LAST_YEAR = 1900, 2200
"""Dates outside these years are data errors here, refused like an implausible amount."""


def _plausible(day: date) -> None:
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise ValueError(f"a date in the year {day.year} is not plausible here")


def _parse_moment(value: object) -> object:
    """A timezone-aware datetime, or a bare date (read later in the store's zone)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        _plausible(value)
        return value
    elif isinstance(value, str):
        text = value.strip()
        if _DATE_ONLY.match(text):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise ValueError("expected a real calendar date like 2026-11-20") from None
            _plausible(day)
            return day
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                "expected a date-time with a time zone, like 2026-11-20T15:00:00-05:00"
            ) from None
    else:
        raise ValueError("expected a date-time text like 2026-11-20T15:00:00-05:00")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError("this date-time has no time zone; add one, like 2026-11-20T15:00:00-05:00")
    _plausible(parsed)
    return parsed


Moment = Annotated[datetime | date, BeforeValidator(_parse_moment)]


def _parse_day(value: object) -> object:
    if isinstance(value, datetime):
        raise ValueError("expected a calendar date like 2026-11-25, not a date-time")
    day: date | None = value if isinstance(value, date) else None
    if isinstance(value, str) and _DATE_ONLY.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValueError("expected a calendar date like 2026-11-25")
    _plausible(day)
    return day


def _instant(moment: datetime | date) -> datetime:
    """A moment comparable with any other: a bare date counts as its first minute (UTC)."""
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(0), tzinfo=timezone.utc)


Day = Annotated[date, BeforeValidator(_parse_day)]


def _parse_clock(value: object) -> object:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{2}:\d{2}", value.strip()):
        hour, minute = (int(x) for x in value.strip().split(":"))
        if hour < 24 and minute < 60:
            return time(hour, minute)
        if hour == 24 and minute == 0:
            return time(23, 59, 59)
    raise ValueError("expected a clock time like 08:00")


Clock = Annotated[time, BeforeValidator(_parse_clock)]

ShortText = Annotated[str, Field(min_length=1, max_length=120)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Tag = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------- the request


class Customer(_Model):
    name: Annotated[str, Field(max_length=80)] | None = None
    tier: Tier = "standard"

    @field_validator("name")
    @classmethod
    def _printable_name(cls, value: str | None) -> str | None:
        if value is not None and any(ch in value for ch in "\r\n\t\x00{}<>"):
            raise ValueError("a name cannot contain line breaks, braces or angle brackets")
        return value or None


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
            raise ValueError("a window must end after it starts")
        return self


class TransitDays(_Model):
    min: Annotated[int, Field(ge=0, le=60, strict=True)]
    max: Annotated[int, Field(ge=0, le=60, strict=True)]

    @model_validator(mode="after")
    def _ordered(self) -> TransitDays:
        if self.max < self.min:
            raise ValueError("max transit days cannot be below min")
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
        skus = [item.sku for item in self.items]
        if len(set(skus)) != len(skus):
            raise ValueError("each item in an order needs its own sku")
        if self.delivered_at is not None and self.status != "delivered":
            raise ValueError("delivered_at is set but the status is not 'delivered'")
        steps = [("placed_at", self.placed_at), ("shipped_at", self.shipped_at)]
        steps.append(("delivered_at", self.delivered_at))
        known = [(name, _instant(m)) for name, m in steps if m is not None]
        for (earlier, first), (later, second) in itertools.pairwise(known):
            if second < first:
                raise ValueError(f"{later} is before {earlier}; check the order's dates")
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
            raise ValueError("sessions_remaining cannot exceed sessions_total")
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
    items: Annotated[list[Identifier], Field(max_length=MAX_ITEMS)] = []
    reason: ReturnReason | None = None
    resolution: Resolution | None = None
    details: Details = Details()

    @model_validator(mode="after")
    def _consistent(self) -> Request:
        if self.order is not None and self.subscription is not None:
            raise ValueError("a request is about an order or a subscription, not both")
        if self.order is None and self.subscription is None and self.kind != "delivery_estimate":
            raise ValueError("a request needs an order or a subscription")
        if self.subscription is not None and self.kind != "cancel":
            raise ValueError("only a cancellation can be requested for a subscription")
        if self.items:
            if self.order is None:
                raise ValueError("items are chosen from an order, but there is no order")
            known = {item.sku for item in self.order.items}
            for sku in self.items:
                if sku not in known:
                    raise ValueError(f"item {sku!r} is not in order {self.order.id}")
            if len(set(self.items)) != len(self.items):
                raise ValueError("an item is listed twice")
        if self.kind == "price_adjustment" and len(self.selected_items()) != 1:
            raise ValueError(
                "a price adjustment is for one item at a time (current_price is that item's "
                "price today): name it in items"
            )
        if isinstance(self.requested_at, datetime):  # a bare date is too coarse to compare
            asked = self.requested_at
            events: list[tuple[str, datetime | date | None]] = []
            if self.order is not None:
                events = [
                    ("order.placed_at", self.order.placed_at),
                    ("order.shipped_at", self.order.shipped_at),
                    ("order.delivered_at", self.order.delivered_at),
                ]
            if self.subscription is not None:
                events.append(("subscription.started_at", self.subscription.started_at))
            for name, moment in events:
                if moment is not None and isinstance(moment, datetime) and moment > asked:
                    raise ValueError(f"{name} is after requested_at; a request can't predate it")
        return self

    def selected_items(self) -> list[Item]:
        """The order items this request is about (all of them when none are named)."""
        if self.order is None:
            return []
        if not self.items:
            return list(self.order.items)
        wanted = set(self.items)
        return [item for item in self.order.items if item.sku in wanted]


# --------------------------------------------------------------------------- parsing


def _reject_constants(token: str) -> object:
    raise ValueError(f"{token} is not a number")


def _loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in part and "(" in part:  # pydantic's validator steps, e.g. function-before[...]
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "(request)"


def _clean_message(error: Any) -> str:
    message = str(error.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if error.get("type") == "extra_forbidden":
        message = "unknown field; check the spelling against the request schema"
    if error.get("type") == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"not one of the allowed values: {expected}"
    if error.get("type") == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"not one of the allowed values: {expected}"
    return message


def parse_request(data: object) -> Request:
    """Validate a request given as a ``Request``, a dict or JSON text.

    Raises:
        RequestError: naming each bad field path and the value received.
    """
    if isinstance(data, Request):
        return data
    if isinstance(data, bytes | bytearray):
        if len(data) > MAX_REQUEST_BYTES:
            raise RequestError(
                f"the request is {len(data):,} bytes; the limit is {MAX_REQUEST_BYTES:,}",
                [Problem("too-large", "request too large", "(request)")],
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError("the request is not UTF-8 text") from None
    if isinstance(data, str):
        if len(data.encode("utf-8")) > MAX_REQUEST_BYTES:
            raise RequestError(
                f"the request is larger than the {MAX_REQUEST_BYTES:,}-byte limit",
                [Problem("too-large", "request too large", "(request)")],
            )
        try:
            data = json.loads(data, parse_constant=_reject_constants, parse_float=Decimal)
        except ValueError as exc:
            where = ""
            if isinstance(exc, json.JSONDecodeError):
                where = f"line {exc.lineno} column {exc.colno}"
                reason = exc.msg
            else:
                reason = str(exc)
            raise RequestError(
                "the request is not valid JSON",
                [Problem("invalid-json", reason, where)],
            ) from None
    if not isinstance(data, dict):
        raise RequestError(
            "a request must be a JSON object (a dict)",
            [Problem("not-an-object", "expected an object", "(request)", value=shorten(data))],
        )
    try:
        return Request.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                code=str(err.get("type", "invalid")).replace("_", "-"),
                message=_clean_message(err),
                where=_loc(tuple(err.get("loc", ()))),
                value=shorten(err.get("input")) if err.get("type") != "missing" else "",
            )
            for err in exc.errors()
        ]
        count = len(problems)
        raise RequestError(
            f"the request has {count} invalid field{'s' if count != 1 else ''}", problems
        ) from None
    except RecursionError:
        raise RequestError("the request is nested too deeply") from None


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
