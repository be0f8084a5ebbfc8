"""Facts derived from a request: the only values rules can see.

Each derivation is a small named function of a ``FactContext`` (the request, the item being
decided, the clock, the store's calendar and the pack's settings). It returns a typed value
or ``None`` when the request does not say: ``None`` is *unknown*, never false.

The vocabulary in a pack (``facts.yaml``) names a derivation for every fact; the loader
checks the name and that the declared type equals the derivation's type. Derivations read
only structured fields: free text typed by a customer (``details.note``) is never read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays as _holidays

from policylib.model import Delivery, Item, Request

__all__ = [
    "DERIVATIONS",
    "SETTINGS",
    "STANDARD_WINDOWS",
    "BusinessCalendar",
    "Derivation",
    "FactContext",
    "derive_facts",
]

CENT = Decimal("0.01")
STANDARD_WINDOWS: tuple[tuple[time, time], ...] = (
    (time(8), time(12)),
    (time(12), time(16)),
    (time(16), time(20)),
)
SHIPPED_STATUSES = frozenset({"shipped", "out_for_delivery", "delivered"})


@dataclass(frozen=True)
class Setting:
    """A pack setting the derivations read: its default, whole-number or not, and range."""

    default: int
    integer: bool
    low: int
    high: int
    doc: str


_MONEY_CAP = 1_000_000
SETTINGS: dict[str, Setting] = {
    "restocking_fee_percent": Setting(15, False, 0, 100, "a percentage of the item price"),
    "custom_deposit_percent": Setting(25, False, 0, 100, "a percentage of the made-to-order items"),
    "goodwill_percent": Setting(10, False, 0, 100, "a percentage of the item price"),
    "goodwill_max": Setting(50, False, 0, _MONEY_CAP, "an amount of money"),
    "redelivery_fee": Setting(49, False, 0, _MONEY_CAP, "an amount of money"),
    "change_cutoff_hour": Setting(18, True, 0, 23, "an hour of the day, 0 to 23"),
    "estimate_pad_min_days": Setting(1, True, 0, 30, "business days added to the carrier's"),
    "estimate_pad_max_days": Setting(2, True, 0, 30, "business days added to the carrier's"),
}
"""Every setting a pack may give, read by the derivations below (defaults when left out)."""


class BusinessCalendar:
    """Business days in the store's country: weekends and public holidays are skipped.

    Holiday years are filled in ahead for the years around today and under a lock for
    others, so one calendar can be shared by many threads.
    """

    def __init__(self, country: str, subdivision: str = "") -> None:
        self._lock = threading.Lock()
        this_year = date.today().year
        try:
            self._days = _holidays.country_holidays(
                country, subdiv=subdivision or None, years=range(this_year - 2, this_year + 3)
            )
        except NotImplementedError:
            where = f"{country}-{subdivision}" if subdivision else country
            raise ValueError(
                f"no public-holiday calendar for {where!r}; check store.country and "
                "store.subdivision (ISO 3166 codes, e.g. US and NY)"
            ) from None
        self._years = set(range(this_year - 2, this_year + 3))

    def is_holiday(self, day: date) -> bool:
        if day.year not in self._years:
            with self._lock:  # the library fills a year in on first lookup: do that once
                if day.year not in self._years:
                    _ = day in self._days
                    self._years.add(day.year)
        return day in self._days

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add_business_days(self, start: date, days: int) -> date:
        """The date ``days`` business days after ``start`` (start itself not counted)."""
        current = start
        left = days
        while left > 0:
            current += timedelta(days=1)
            if self.is_business_day(current):
                left -= 1
        return current


@dataclass
class FactContext:
    """What derivations read: one request, the item in question, the clock and the store."""

    request: Request
    item: Item | None
    now: datetime
    zone: ZoneInfo
    calendar: BusinessCalendar
    settings: dict[str, Any] = field(default_factory=dict)

    def local_day(self, moment: datetime | date) -> date:
        if isinstance(moment, datetime):
            return moment.astimezone(self.zone).date()
        return moment

    def local_moment(self, moment: datetime | date) -> datetime:
        if isinstance(moment, datetime):
            return moment.astimezone(self.zone)
        return datetime.combine(moment, time(0), tzinfo=self.zone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def setting(self, name: str) -> Decimal:
        value = self.settings.get(name)
        if value is None:
            return Decimal(SETTINGS[name].default)
        return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Derivation:
    name: str
    type: str
    fn: Callable[[FactContext], Any]
    values: tuple[str, ...] = ()
    doc: str = ""


DERIVATIONS: dict[str, Derivation] = {}


def _register(
    name: str, type_: str, values: Iterable[str] = ()
) -> Callable[[Callable[[FactContext], Any]], Callable[[FactContext], Any]]:
    def wrap(fn: Callable[[FactContext], Any]) -> Callable[[FactContext], Any]:
        DERIVATIONS[name] = Derivation(name, type_, fn, tuple(values), (fn.__doc__ or "").strip())
        return fn

    return wrap


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- given

DERIVATIONS["given"] = Derivation(
    "given",
    "any",
    lambda ctx: None,
    (),
    "Supplied by the caller in the facts mapping (Engine.decide); never derived from a "
    "request, so it is unknown in Policy.evaluate. Matches any declared type.",
)


# --------------------------------------------------------------------------- request


@_register(
    "request_kind",
    "enum",
    ["return", "exchange", "cancel", "change_delivery", "delivery_estimate", "price_adjustment"],
)
def _request_kind(ctx: FactContext) -> Any:
    """The kind of request."""
    return ctx.request.kind.value


@_register("request_subject", "enum", ["order", "subscription", "none"])
def _request_subject(ctx: FactContext) -> Any:
    """What the request is about: an order, a subscription, or neither. Always known, so
    rules for subscriptions never wait on order facts and the other way round."""
    if ctx.request.subscription is not None:
        return "subscription"
    return "order" if ctx.request.order is not None else "none"


@_register(
    "reason",
    "enum",
    ["changed_mind", "defective", "damaged_in_transit", "wrong_item", "arrived_late", "other"],
)
def _reason(ctx: FactContext) -> Any:
    """Why the customer is asking (for returns and exchanges)."""
    return ctx.request.reason


@_register("resolution", "enum", ["refund", "store_credit", "exchange", "repair", "replacement"])
def _resolution(ctx: FactContext) -> Any:
    """What the customer would like: refund, store credit, exchange, repair or replacement."""
    return ctx.request.resolution


@_register("customer_tier", "enum", ["standard", "plus"])
def _tier(ctx: FactContext) -> Any:
    """The customer's membership tier."""
    return ctx.request.customer.tier


@_register("customer_name", "text")
def _customer_name(ctx: FactContext) -> Any:
    """The customer's name as given (display only)."""
    return ctx.request.customer.name


# --------------------------------------------------------------------------- order


@_register("order_id", "text")
def _order_id(ctx: FactContext) -> Any:
    """The order number."""
    return ctx.request.order.id if ctx.request.order else None


@_register(
    "order_status",
    "enum",
    [
        "placed",
        "processing",
        "in_production",
        "shipped",
        "out_for_delivery",
        "delivered",
        "cancelled",
    ],
)
def _order_status(ctx: FactContext) -> Any:
    """Where the order is: placed, processing, in production, shipped, out for delivery ..."""
    return ctx.request.order.status if ctx.request.order else None


@_register("order_shipped", "boolean")
def _order_shipped(ctx: FactContext) -> Any:
    """True once the order has left the warehouse."""
    order = ctx.request.order
    return None if order is None else order.status in SHIPPED_STATUSES


@_register("order_total", "money")
def _order_total(ctx: FactContext) -> Any:
    """Sum of item prices times quantities."""
    order = ctx.request.order
    if order is None:
        return None
    return _money(sum((i.price * i.quantity for i in order.items), Decimal(0)))


@_register("order_has_custom_item", "boolean")
def _order_custom(ctx: FactContext) -> Any:
    """True when any item in the order is made to order."""
    order = ctx.request.order
    return None if order is None else any("custom_made" in i.tags for i in order.items)


@_register("custom_deposit", "money")
def _custom_deposit(ctx: FactContext) -> Any:
    """The deposit kept when a made-to-order item is cancelled after production starts."""
    order = ctx.request.order
    if order is None:
        return None
    custom = sum((i.price * i.quantity for i in order.items if "custom_made" in i.tags), Decimal(0))
    return _money(custom * ctx.setting("custom_deposit_percent") / 100)


@_register("custom_refund", "money")
def _custom_refund(ctx: FactContext) -> Any:
    """What comes back when a made-to-order order is cancelled after production starts:
    the order total less the deposit (the two always add up to the total)."""
    total, deposit = _order_total(ctx), _custom_deposit(ctx)
    if total is None or deposit is None:
        return None
    return total - deposit


@_register("hours_since_order", "decimal")
def _hours_since_order(ctx: FactContext) -> Any:
    """Hours between placing the order and the request."""
    order = ctx.request.order
    if order is None:
        return None
    placed = ctx.local_moment(order.placed_at).astimezone(timezone.utc)
    seconds = (ctx.now.astimezone(timezone.utc) - placed).total_seconds()
    return Decimal(int(seconds // 60)) / 60


@_register("days_since_purchase", "integer")
def _days_since_purchase(ctx: FactContext) -> Any:
    """Calendar days from the order date to the request, in the store's time zone."""
    order = ctx.request.order
    if order is None:
        return None
    return (ctx.today - ctx.local_day(order.placed_at)).days


@_register("days_since_delivery", "integer")
def _days_since_delivery(ctx: FactContext) -> Any:
    """Calendar days from delivery to the request; unknown until delivered."""
    order = ctx.request.order
    if order is None or order.delivered_at is None:
        return None
    return (ctx.today - ctx.local_day(order.delivered_at)).days


@_register("delivered", "boolean")
def _delivered(ctx: FactContext) -> Any:
    """True once the order has been delivered."""
    order = ctx.request.order
    return None if order is None else order.status == "delivered"


# --------------------------------------------------------------------------- item


@_register("item_name", "text")
def _item_name(ctx: FactContext) -> Any:
    """The item's name from the order (display only)."""
    return ctx.item.name if ctx.item else None


@_register("item_category", "text")
def _item_category(ctx: FactContext) -> Any:
    """The item's catalogue category (bath, electronics, furniture ...)."""
    return ctx.item.category if ctx.item else None


@_register("item_price", "money")
def _item_price(ctx: FactContext) -> Any:
    """What the customer paid for the item (times quantity)."""
    return _money(ctx.item.price * ctx.item.quantity) if ctx.item else None


@_register("item_condition", "enum", ["unopened", "opened", "used", "damaged"])
def _item_condition(ctx: FactContext) -> Any:
    """The item's condition as the customer reports it; unknown when not said."""
    return ctx.item.condition if ctx.item else None


@_register("item_opened", "boolean")
def _item_opened(ctx: FactContext) -> Any:
    """True when the item is out of its sealed packaging; unknown when not said."""
    if ctx.item is None or ctx.item.condition is None:
        return None
    return ctx.item.condition != "unopened"


@_register("item_used", "boolean")
def _item_used(ctx: FactContext) -> Any:
    """True when the item has been used; unknown when not said."""
    if ctx.item is None or ctx.item.condition is None:
        return None
    return ctx.item.condition == "used"


def _tagged(tag: str) -> Callable[[FactContext], Any]:
    def derive(ctx: FactContext) -> Any:
        return None if ctx.item is None else tag in ctx.item.tags

    return derive


_register("item_hygiene", "boolean")(_tagged("hygiene"))
_register("item_custom_made", "boolean")(_tagged("custom_made"))
_register("item_clearance", "boolean")(_tagged("clearance"))


@_register("item_final_sale", "boolean")
def _item_final_sale(ctx: FactContext) -> Any:
    """True for final-sale and clearance items."""
    if ctx.item is None:
        return None
    return ctx.item.final_sale or "clearance" in ctx.item.tags


@_register("item_price_adjusted", "boolean")
def _item_price_adjusted(ctx: FactContext) -> Any:
    """True when this item already had a price adjustment."""
    return None if ctx.item is None else ctx.item.price_adjusted


@_register("restocking_fee_percent", "decimal")
def _restocking_percent(ctx: FactContext) -> Any:
    """The restocking fee for opened electronics, in percent."""
    return ctx.setting("restocking_fee_percent")


@_register("restocking_fee", "money")
def _restocking_fee(ctx: FactContext) -> Any:
    """The restocking fee on this item."""
    if ctx.item is None:
        return None
    return _money(ctx.item.price * ctx.item.quantity * ctx.setting("restocking_fee_percent") / 100)


@_register("refund_after_fee", "money")
def _refund_after_fee(ctx: FactContext) -> Any:
    """The refund on this item once the restocking fee is taken off."""
    if ctx.item is None:
        return None
    # The fee rounded once, the refund is what is left: the two always add up to the price.
    return _money(ctx.item.price * ctx.item.quantity) - _restocking_fee(ctx)


@_register("goodwill_limit", "money")
def _goodwill_limit(ctx: FactContext) -> Any:
    """The most a supervisor may approve as a goodwill gesture: the lower of the cap and
    the percentage of the item price (never more than the store can keep)."""
    cap = ctx.setting("goodwill_max")
    if ctx.item is None:
        return _money(cap)
    share = ctx.item.price * ctx.item.quantity * ctx.setting("goodwill_percent") / 100
    return _money(min(cap, share))


# --------------------------------------------------------------------------- price adjustment


@_register("current_price", "money")
def _current_price(ctx: FactContext) -> Any:
    """Today's price of the item, as the request reports it."""
    return ctx.request.details.current_price


@_register("price_drop", "money")
def _price_drop(ctx: FactContext) -> Any:
    """How much lower today's price is than the price paid (times quantity); 0 if not lower."""
    current = ctx.request.details.current_price
    if ctx.item is None or current is None:
        return None
    return _money(max(Decimal(0), ctx.item.price - current) * ctx.item.quantity)


# --------------------------------------------------------------------------- delivery


def _delivery(ctx: FactContext) -> Delivery | None:
    return ctx.request.order.delivery if ctx.request.order else None


@_register("delivery_method", "enum", ["standard", "express", "white_glove", "pickup"])
def _delivery_method(ctx: FactContext) -> Any:
    """How the order is delivered."""
    delivery = _delivery(ctx)
    return delivery.method if delivery else None


@_register("scheduled_date", "date")
def _scheduled_date(ctx: FactContext) -> Any:
    """The day the delivery is booked for."""
    delivery = _delivery(ctx)
    return delivery.scheduled_date if delivery else None


@_register("truck_loaded", "boolean")
def _truck_loaded(ctx: FactContext) -> Any:
    """True once the delivery truck has been loaded (an order out for delivery or delivered
    is on or off the truck already); unknown when the order system does not say."""
    order = ctx.request.order
    if order is not None and order.status in ("out_for_delivery", "delivered"):
        return True
    delivery = _delivery(ctx)
    return delivery.truck_loaded if delivery else None


@_register("change_cutoff_date", "date")
def _change_cutoff_date(ctx: FactContext) -> Any:
    """The day (before delivery) until whose evening changes are free."""
    delivery = _delivery(ctx)
    if delivery is None or delivery.scheduled_date is None:
        return None
    return delivery.scheduled_date - timedelta(days=1)


@_register("before_change_cutoff", "boolean")
def _before_change_cutoff(ctx: FactContext) -> Any:
    """True until the cutoff hour (18:00 by default) on the day before delivery."""
    delivery = _delivery(ctx)
    if delivery is None or delivery.scheduled_date is None:
        return None
    hour = int(ctx.setting("change_cutoff_hour"))
    cutoff = datetime.combine(
        delivery.scheduled_date - timedelta(days=1), time(hour), tzinfo=ctx.zone
    )
    return ctx.now.astimezone(timezone.utc) < cutoff.astimezone(timezone.utc)


@_register("days_until_delivery", "integer")
def _days_until_delivery(ctx: FactContext) -> Any:
    """Calendar days from today to the booked delivery day."""
    delivery = _delivery(ctx)
    if delivery is None or delivery.scheduled_date is None:
        return None
    return (delivery.scheduled_date - ctx.today).days


@_register("exact_time_requested", "boolean")
def _exact_time_requested(ctx: FactContext) -> Any:
    """True when the customer asks for an exact arrival time."""
    return ctx.request.details.exact_time is not None


@_register("new_window_requested", "boolean")
def _new_window_requested(ctx: FactContext) -> Any:
    """True when the customer asks for another delivery window."""
    return ctx.request.details.new_window is not None


@_register("new_window_standard", "boolean")
def _new_window_standard(ctx: FactContext) -> Any:
    """True when the requested window is one of the store's 4-hour windows."""
    window = ctx.request.details.new_window
    if window is None:
        return None
    return (window.start, window.end) in STANDARD_WINDOWS


@_register("new_date_requested", "boolean")
def _new_date_requested(ctx: FactContext) -> Any:
    """True when the customer asks for another delivery day."""
    return ctx.request.details.new_date is not None


@_register("new_date", "date")
def _new_date(ctx: FactContext) -> Any:
    """The delivery day the customer asks for."""
    return ctx.request.details.new_date


@_register("new_delivery_day", "date")
def _new_delivery_day(ctx: FactContext) -> Any:
    """The day the delivery will come after the requested change (the new day, or the
    booked day when only the window changes)."""
    new = ctx.request.details.new_date
    if new is not None:
        return new
    return _scheduled_date(ctx)


@_register("new_date_business_day", "boolean")
def _new_date_business_day(ctx: FactContext) -> Any:
    """True when the requested day is a business day (no weekend, no public holiday)."""
    new = ctx.request.details.new_date
    return None if new is None else ctx.calendar.is_business_day(new)


@_register("days_until_new_date", "integer")
def _days_until_new_date(ctx: FactContext) -> Any:
    """Calendar days from today to the requested delivery day."""
    new = ctx.request.details.new_date
    return None if new is None else (new - ctx.today).days


@_register("address_change_requested", "boolean")
def _address_change_requested(ctx: FactContext) -> Any:
    """True when the customer asks to deliver somewhere else (the address is never read)."""
    return ctx.request.details.new_address is not None


@_register("redelivery_fee", "money")
def _redelivery_fee(ctx: FactContext) -> Any:
    """The fee for booking a later delivery once the truck is loaded."""
    return _money(ctx.setting("redelivery_fee"))


@_register("shipping_fee", "money")
def _shipping_fee(ctx: FactContext) -> Any:
    """What the customer paid for shipping."""
    delivery = _delivery(ctx)
    return delivery.shipping_fee if delivery else None


@_register("latest_quoted_date", "date")
def _latest_quoted_date(ctx: FactContext) -> Any:
    """The last day of the delivery estimate the customer was given."""
    delivery = _delivery(ctx)
    return delivery.latest_quoted_date if delivery else None


@_register("days_late", "integer")
def _days_late(ctx: FactContext) -> Any:
    """Days between the latest quoted date and the actual delivery (0 if on time)."""
    order = ctx.request.order
    delivery = _delivery(ctx)
    if order is None or delivery is None or delivery.latest_quoted_date is None:
        return None
    if order.delivered_at is None:
        return None
    return max(0, (ctx.local_day(order.delivered_at) - delivery.latest_quoted_date).days)


def _estimate_start(ctx: FactContext) -> date:
    order = ctx.request.order
    if order is not None and order.shipped_at is not None:
        return ctx.local_day(order.shipped_at)
    return ctx.today


def _padded(ctx: FactContext, which: str) -> int | None:
    delivery = _delivery(ctx)
    if delivery is None or delivery.transit_days is None:
        return None
    if which == "min":
        return delivery.transit_days.min + int(ctx.setting("estimate_pad_min_days"))
    return delivery.transit_days.max + int(ctx.setting("estimate_pad_max_days"))


@_register("estimate_min_days", "integer")
def _estimate_min_days(ctx: FactContext) -> Any:
    """The fewest business days quoted (carrier minimum plus padding)."""
    return _padded(ctx, "min")


@_register("estimate_max_days", "integer")
def _estimate_max_days(ctx: FactContext) -> Any:
    """The most business days quoted (carrier maximum plus padding)."""
    return _padded(ctx, "max")


@_register("estimate_earliest", "date")
def _estimate_earliest(ctx: FactContext) -> Any:
    """The earliest quoted delivery day (weekends and public holidays skipped)."""
    days = _padded(ctx, "min")
    return None if days is None else ctx.calendar.add_business_days(_estimate_start(ctx), days)


@_register("estimate_latest", "date")
def _estimate_latest(ctx: FactContext) -> Any:
    """The latest quoted delivery day (weekends and public holidays skipped)."""
    days = _padded(ctx, "max")
    return None if days is None else ctx.calendar.add_business_days(_estimate_start(ctx), days)


# --------------------------------------------------------------------------- subscriptions


@_register("subscription_type", "enum", ["membership", "session_plan", "none"])
def _subscription_type(ctx: FactContext) -> Any:
    """Membership or prepaid session plan; ``none`` when the request is about an order
    (the store knows that, so it is never a question for the customer)."""
    sub = ctx.request.subscription
    return sub.type if sub else "none"


@_register("subscription_plan", "text")
def _subscription_plan(ctx: FactContext) -> Any:
    """The plan's name (display only)."""
    sub = ctx.request.subscription
    return sub.plan if sub else None


_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@_register("billing_period_end", "date")
def _billing_period_end(ctx: FactContext) -> Any:
    """The last day of the billing period that is running today."""
    sub = ctx.request.subscription
    if sub is None:
        return None
    start = ctx.local_day(sub.started_at)
    months = _PERIOD_MONTHS[sub.billing_period]
    today = max(ctx.today, start)  # not started yet: the first period
    elapsed = (today.year - start.year) * 12 + today.month - start.month
    periods = max(0, elapsed // months - 1)
    while _add_months(start, months * (periods + 1)) <= today:  # at most two steps
        periods += 1
    return _add_months(start, months * (periods + 1)) - timedelta(days=1)


@_register("sessions_remaining", "integer")
def _sessions_remaining(ctx: FactContext) -> Any:
    """Prepaid sessions not used yet."""
    sub = ctx.request.subscription
    return sub.sessions_remaining if sub else None


@_register("unused_sessions_refund", "money")
def _unused_sessions_refund(ctx: FactContext) -> Any:
    """Pro-rata refund for prepaid sessions not used."""
    sub = ctx.request.subscription
    if sub is None or sub.sessions_remaining is None or not sub.sessions_total:
        return None
    return _money(sub.price * sub.sessions_remaining / sub.sessions_total)


# --------------------------------------------------------------------------- deriving


def derive_facts(
    names: Iterable[str], derivations: dict[str, str], ctx: FactContext
) -> dict[str, Any]:
    """Derive the named facts; ``derivations`` maps fact name -> derivation name.

    Unknown facts are left out of the result (absent means unknown). Money is never
    negative: an amount that comes out below zero has nothing true to tell a customer, so
    it is unknown too (the loader's setting ranges keep the bundled formulas from it).
    """
    out: dict[str, Any] = {}
    for name in names:
        derivation = DERIVATIONS[derivations[name]]
        value = derivation.fn(ctx)
        if value is not None and not (derivation.type == "money" and value < 0):
            out[name] = value
    return out
