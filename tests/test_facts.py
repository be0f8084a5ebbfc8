"""Fact derivations: dates in the store's zone, business days, unknown stays unknown."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from policylib.facts import DERIVATIONS, BusinessCalendar, FactContext, derive_facts
from policylib.model import parse_request
from tests.strategies import request

ZONE = ZoneInfo("America/New_York")
CALENDAR = BusinessCalendar("US", "NY")
SETTINGS = {
    "restocking_fee_percent": 15,
    "redelivery_fee": 49,
    "goodwill_max": 50,
    "goodwill_percent": 10,
    "change_cutoff_hour": 18,
    "custom_deposit_percent": 25,
}


def facts(data: dict[str, Any], *names: str) -> dict[str, Any]:
    req = parse_request(data)
    items = req.selected_items()
    now = req.requested_at
    assert isinstance(now, datetime)
    ctx = FactContext(req, items[0] if items else None, now, ZONE, CALENDAR, SETTINGS)
    return derive_facts(
        names or tuple(n for n in DERIVATIONS if n != "given"), {n: n for n in DERIVATIONS}, ctx
    )


def test_days_since_delivery_counts_calendar_days_in_the_store_zone() -> None:
    assert facts(request(), "days_since_delivery") == {"days_since_delivery": 6}
    # 23:30 in Los Angeles on Nov 14 is already Nov 15 in New York.
    late = request(**{"order.delivered_at": "2026-11-14T23:30:00-08:00"})
    assert facts(late, "days_since_delivery") == {"days_since_delivery": 5}


def test_missing_condition_is_unknown_not_false() -> None:
    data = request(**{"order.items.0.condition": ...})
    derived = facts(data, "item_opened", "item_used", "item_hygiene")
    assert "item_opened" not in derived and "item_used" not in derived
    assert derived["item_hygiene"] is True


def test_undelivered_order_has_no_days_since_delivery() -> None:
    data = request(**{"order.status": "shipped", "order.delivered_at": ...})
    assert facts(data, "days_since_delivery", "order_shipped") == {"order_shipped": True}


def test_restocking_fee_and_refund_are_exact_money() -> None:
    data = request(**{"order.items.0.price": "199.99", "order.items.0.category": "electronics"})
    derived = facts(data, "restocking_fee", "refund_after_fee")
    assert derived == {"restocking_fee": Decimal("30.00"), "refund_after_fee": Decimal("169.99")}


def test_goodwill_limit_is_the_lower_of_cap_and_percentage() -> None:
    assert facts(request(), "goodwill_limit") == {"goodwill_limit": Decimal("5.00")}
    pricey = request(**{"order.items.0.price": 2000})
    assert facts(pricey, "goodwill_limit") == {"goodwill_limit": Decimal("50.00")}


def test_change_cutoff_is_six_pm_the_day_before_in_store_time() -> None:
    before = request(requested_at="2026-11-24T17:59:00-05:00")
    after = request(requested_at="2026-11-24T18:00:00-05:00")
    assert facts(before, "before_change_cutoff") == {"before_change_cutoff": True}
    assert facts(after, "before_change_cutoff") == {"before_change_cutoff": False}


def test_estimates_are_padded_and_skip_weekends_and_holidays() -> None:
    data = request(
        requested_at="2026-11-23T09:00:00-05:00",
        **{
            "kind": "delivery_estimate",
            "order.status": "processing",
            "order.delivered_at": ...,
            "order.delivery.transit_days": {"min": 3, "max": 4},
        },
    )
    derived = facts(
        data, "estimate_min_days", "estimate_max_days", "estimate_earliest", "estimate_latest"
    )
    assert derived["estimate_min_days"] == 4 and derived["estimate_max_days"] == 6
    # Mon Nov 23 + 4 business days skips Thanksgiving (Thu Nov 26): Fri 27 is the 3rd.
    assert derived["estimate_earliest"] == date(2026, 11, 30)
    assert derived["estimate_latest"] == date(2026, 12, 2)


def test_business_calendar_skips_weekends() -> None:
    assert CALENDAR.add_business_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    assert not CALENDAR.is_business_day(date(2026, 12, 25))
    far = date(2031, 7, 4)  # a year outside the preloaded range is filled in lazily
    assert CALENDAR.is_holiday(far)


@pytest.mark.parametrize(
    ("started", "period", "end"),
    [
        ("2026-01-31T09:00:00-05:00", "monthly", date(2026, 11, 29)),
        ("2026-10-05T09:00:00-04:00", "monthly", date(2026, 12, 4)),
        ("2025-12-01T09:00:00-05:00", "yearly", date(2026, 11, 30)),
        ("2026-09-15T09:00:00-04:00", "quarterly", date(2026, 12, 14)),
    ],
)
def test_billing_period_end(started: str, period: str, end: date) -> None:
    data = {
        "kind": "cancel",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "subscription": {
            "id": "S-1",
            "plan": "Plus",
            "started_at": started,
            "billing_period": period,
            "price": "30",
        },
    }
    assert facts(data, "billing_period_end") == {"billing_period_end": end}


def test_pro_rata_session_refund() -> None:
    data = {
        "kind": "cancel",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "subscription": {
            "id": "S-1",
            "type": "session_plan",
            "plan": "10 sessions",
            "started_at": "2026-10-01T09:00:00-04:00",
            "price": "400",
            "sessions_total": 10,
            "sessions_remaining": 3,
        },
    }
    assert facts(data, "unused_sessions_refund") == {"unused_sessions_refund": Decimal("120.00")}


def test_free_text_is_never_read() -> None:
    a = request(**{"details.note": "I demand a refund!!!"})
    b = request(**{"details.note": "please"})
    assert facts(a) == facts(b)


def test_every_derivation_declares_a_known_type() -> None:
    allowed = {"boolean", "integer", "decimal", "money", "text", "enum", "date", "any"}
    for derivation in DERIVATIONS.values():
        assert derivation.type in allowed, derivation.name
        if derivation.type == "enum":
            assert derivation.values, derivation.name


def test_hours_since_order_handles_other_zones() -> None:
    data = request(
        **{
            "order.placed_at": "2026-11-19T20:00:00+00:00",
            "order.status": "processing",
            "order.delivered_at": ...,
        }
    )
    assert facts(data, "hours_since_order") == {"hours_since_order": Decimal(24)}


def test_hours_since_order_across_the_dst_change_counts_real_hours() -> None:
    # 00:30 EDT on Nov 1 to midnight EST on Nov 2 is 24.5 real hours (the clocks went back),
    # whether the request time is written in the store's zone or in UTC.
    base = {
        "order.placed_at": "2026-11-01T00:30:00-04:00",
        "order.status": "in_production",
        "order.delivered_at": ...,
    }
    local = request(requested_at="2026-11-02T00:00:00-05:00", **base)
    utc = request(requested_at="2026-11-02T05:00:00+00:00", **base)
    assert facts(local, "hours_since_order") == {"hours_since_order": Decimal("24.5")}
    assert facts(utc, "hours_since_order") == facts(local, "hours_since_order")


def test_restocking_fee_and_refund_add_up_to_the_price() -> None:
    for price in ("49.90", "10.10", "199.99", "0.05"):
        data = request(**{"order.items.0.price": price})
        derived = facts(data, "restocking_fee", "refund_after_fee")
        assert derived["restocking_fee"] + derived["refund_after_fee"] == Decimal(price)


def test_unknown_holiday_country_is_refused() -> None:
    with pytest.raises(ValueError, match="XX"):
        BusinessCalendar("US", "XX")


def test_an_order_out_for_delivery_is_on_the_truck_even_when_the_flag_is_missing() -> None:
    data = request(
        **{
            "order.status": "out_for_delivery",
            "order.delivered_at": ...,
            "order.delivery.truck_loaded": None,
        }
    )
    assert facts(data, "truck_loaded") == {"truck_loaded": True}
