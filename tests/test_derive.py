"""The bundled pack's facts, derived through the real path: dates in the store's zone,
business days from its calendar, money rounded half-up and never negative, unknown stays
unknown, a store fact's default only when the request does not say.

Every fact is an expression in ``rules/facts.yaml``; these tests derive them the way a
policy does (``policy.deriver.env(...)`` then ``policy.deriver.derive(env, names)``), or
check them through the decisions they lead to.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policylib
from policylib import RequestError, parse_request
from policylib.calendar import StoreCalendar, calendar_problem
from policylib.lang.types import SCALAR_NAMES
from tests import ROOT
from tests.requests import NOW, any_request, request

CALENDAR = StoreCalendar("US", "NY")


def derived(
    policy: policylib.Policy, data: object, *names: str, now: datetime | None = None
) -> dict[str, Any]:
    """The named facts of a request, derived as ``policy.evaluate`` derives them: the item
    decided is the first selected one for a per-item kind, none otherwise."""
    req = parse_request(data, policy.request_model, zone=policy.zone)
    kind = policy.pack.vocabulary.kinds[req.kind]
    selected = req.selected_items()
    item = selected[0] if kind.per_item and selected else None
    clock = now or req.requested_at
    assert isinstance(clock, datetime)
    env = policy.deriver.env(req, item, selected, clock)
    values = policy.deriver.derive(env, names)
    return {name: values[name] for name in names}


@pytest.fixture(scope="module")
def hh(bundled_policy: policylib.Policy) -> policylib.Policy:
    return bundled_policy


def subscription(**changes: Any) -> dict[str, Any]:
    plan = {
        "id": "S-1",
        "type": "session_plan",
        "plan": "10 sessions",
        "started_at": "2026-10-01T09:00:00-04:00",
        "price": "400",
        "sessions_total": 10,
        "sessions_remaining": 3,
    }
    return {
        "kind": "cancel",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "subscription": {**plan, **changes},
    }


def estimate(**changes: Any) -> dict[str, Any]:
    """A delivery-estimate request on Monday, November 23 2026 (Thanksgiving week)."""
    return request(
        requested_at="2026-11-23T09:00:00-05:00",
        kind="delivery_estimate",
        items=...,
        reason=...,
        resolution=...,
        **{"order.status": "processing", "order.delivered_at": ..., **changes},
    )


ESTIMATES = ("estimate_min_days", "estimate_max_days", "estimate_earliest", "estimate_latest")


def copy_pack(tmp_path: Path) -> Path:
    """The bundled pack in English only: these tests add facts, not their translations."""
    target = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", target, symlinks=True, ignore=shutil.ignore_patterns("locales"))
    return target


# --------------------------------------------------------------------------- days and hours


def test_days_since_delivery_counts_calendar_days_in_the_store_zone(hh: policylib.Policy) -> None:
    assert derived(hh, request(), "days_since_delivery") == {"days_since_delivery": 6}
    # 23:30 in Los Angeles on Nov 14 is already Nov 15 in New York.
    late = request(**{"order.delivered_at": "2026-11-14T23:30:00-08:00"})
    assert derived(hh, late, "days_since_delivery") == {"days_since_delivery": 5}


def test_missing_condition_is_unknown_not_false(hh: policylib.Policy) -> None:
    data = request(**{"order.items.0.condition": ...})
    assert derived(hh, data, "item_condition", "item_opened", "item_used", "item_hygiene") == {
        "item_condition": None,
        "item_opened": None,
        "item_used": None,
        "item_hygiene": True,
    }


def test_undelivered_order_has_no_days_since_delivery(hh: policylib.Policy) -> None:
    data = request(**{"order.status": "shipped", "order.delivered_at": ...})
    assert derived(hh, data, "days_since_delivery", "order_shipped", "delivered") == {
        "days_since_delivery": None,
        "order_shipped": True,
        "delivered": False,
    }


def test_hours_since_order_handles_other_zones(hh: policylib.Policy) -> None:
    data = request(
        **{
            "order.placed_at": "2026-11-19T20:00:00+00:00",
            "order.status": "processing",
            "order.delivered_at": ...,
        }
    )
    assert derived(hh, data, "hours_since_order") == {"hours_since_order": Decimal(24)}


DST = {
    "order.placed_at": "2026-11-01T00:30:00-04:00",
    "order.status": "in_production",
    "order.delivered_at": ...,
}


def test_hours_since_order_reads_the_request_time_in_any_zone(hh: policylib.Policy) -> None:
    local = request(requested_at="2026-11-02T00:00:00-05:00", **DST)
    utc = request(requested_at="2026-11-02T05:00:00+00:00", **DST)
    assert derived(hh, utc, "hours_since_order") == derived(hh, local, "hours_since_order")


def test_hours_since_order_across_the_dst_change_counts_real_hours(hh: policylib.Policy) -> None:
    # The clocks went back an hour at 02:00 on Nov 1: 24.5 real hours passed.
    data = request(requested_at="2026-11-02T00:00:00-05:00", **DST)
    assert derived(hh, data, "hours_since_order") == {"hours_since_order": Decimal("24.5")}


@pytest.mark.parametrize(
    ("requested_at", "before"),
    [
        ("2026-11-24T17:59:00-05:00", True),
        ("2026-11-24T18:00:00-05:00", False),
        ("2026-11-24T22:59:00+00:00", True),  # 17:59 in New York
        ("2026-11-24T23:00:00+00:00", False),  # 18:00 in New York
        ("2026-11-24T15:00:00-08:00", False),  # 18:00 in New York, written in Los Angeles
        ("2026-11-23T20:00:00-05:00", True),  # two days before: any time of day
        ("2026-11-25T08:00:00-05:00", False),  # the delivery day itself
    ],
)
def test_change_cutoff_is_six_pm_the_day_before_in_store_time(
    hh: policylib.Policy, requested_at: str, before: bool
) -> None:
    data = request(requested_at=requested_at)  # delivery scheduled for Nov 25
    assert derived(hh, data, "before_change_cutoff", "change_cutoff_moment") == {
        "before_change_cutoff": before,
        "change_cutoff_moment": datetime(2026, 11, 24, 18, tzinfo=ZoneInfo("America/New_York")),
    }


def test_the_cutoff_is_a_store_fact_the_request_must_carry(hh: policylib.Policy) -> None:
    data = request(
        kind="change_delivery",
        items=...,
        reason=...,
        resolution=...,
        requested_at="2026-11-24T12:00:00-05:00",
        **{
            "order.status": "processing",
            "order.delivered_at": ...,
            "order.delivery.scheduled_date": ...,
            "order.delivery.truck_loaded": ...,
            "details.new_window": {"start": "12:00", "end": "16:00"},
        },
    )
    with pytest.raises(RequestError) as info:
        hh.evaluate(data)
    found = {(p.code, p.where) for p in info.value.problems}
    assert ("store-fact-missing", "order.delivery.scheduled_date") in found


def test_an_order_out_for_delivery_is_on_the_truck_even_when_the_flag_is_missing(
    hh: policylib.Policy,
) -> None:
    moving = {"order.status": "out_for_delivery", "order.delivered_at": ...}
    data = request(**moving, **{"order.delivery.truck_loaded": ...})
    assert derived(hh, data, "truck_loaded") == {"truck_loaded": True}
    waiting = request(
        **{"order.status": "processing", "order.delivered_at": ...},
        **{"order.delivery.truck_loaded": ...},
    )
    assert derived(hh, waiting, "truck_loaded") == {"truck_loaded": None}  # nobody said


# --------------------------------------------------------------------------- business days


def test_estimates_are_padded_and_skip_weekends_and_thanksgiving(hh: policylib.Policy) -> None:
    data = estimate(**{"order.delivery.transit_days": {"min": 3, "max": 4}})
    found = derived(hh, data, *ESTIMATES)
    assert (found["estimate_min_days"], found["estimate_max_days"]) == (4, 6)
    # Mon Nov 23 + 4 business days skips Thanksgiving (Thu Nov 26): Fri 27 is the 3rd.
    assert found["estimate_earliest"] == date(2026, 11, 30)
    assert found["estimate_latest"] == date(2026, 12, 2)


def test_an_estimate_counts_from_the_day_the_order_shipped(hh: policylib.Policy) -> None:
    data = estimate(
        **{
            "order.status": "shipped",
            "order.shipped_at": "2026-11-20T16:00:00-05:00",  # a Friday
            "order.delivery.transit_days": {"min": 1, "max": 1},
        }
    )
    found = derived(hh, data, "estimate_earliest", "estimate_latest")
    # Fri 20 + 2 business days = Tue 24; + 3 = Wed 25 (Thanksgiving comes after).
    assert found == {"estimate_earliest": date(2026, 11, 24), "estimate_latest": date(2026, 11, 25)}


@pytest.mark.parametrize(
    ("method", "fewest", "most"),
    [("standard", 3 + 1, 5 + 2), ("express", 1 + 1, 2 + 2), ("white_glove", 4 + 1, 8 + 2)],
)
def test_a_store_facts_default_applies_only_when_the_request_does_not_say(
    hh: policylib.Policy, method: str, fewest: int, most: int
) -> None:
    unsaid = derived(hh, estimate(**{"order.delivery.method": method}), *ESTIMATES[:2])
    assert unsaid == {"estimate_min_days": fewest, "estimate_max_days": most}
    said = estimate(
        **{"order.delivery.method": method, "order.delivery.transit_days": {"min": 0, "max": 9}}
    )
    # The carrier said: its days (even 0) win over the per-method default, padded all the same.
    assert derived(hh, said, *ESTIMATES[:2]) == {"estimate_min_days": 1, "estimate_max_days": 11}


def test_business_calendar_of_new_york_skips_weekends_and_holidays() -> None:
    assert CALENDAR.add_business_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    assert CALENDAR.add_business_days(date(2026, 12, 7), -1) == date(2026, 12, 4)
    assert CALENDAR.add_business_days(date(2026, 12, 7), 0) == date(2026, 12, 7)
    assert not CALENDAR.is_business_day(date(2026, 11, 26))  # Thanksgiving
    assert not CALENDAR.is_business_day(date(2026, 12, 25))
    assert not CALENDAR.is_business_day(date(2026, 12, 5))  # a Saturday
    assert CALENDAR.business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 4
    assert CALENDAR.business_days_between(date(2026, 11, 30), date(2026, 11, 23)) == -4
    far = date(2031, 7, 4)  # a year outside any preloaded range is filled in on first use
    assert CALENDAR.is_holiday(far) and not CALENDAR.is_business_day(far)
    assert CALENDAR.weekend == frozenset({5, 6})


def test_a_store_in_israel_works_sunday_to_thursday() -> None:
    israel = StoreCalendar("IL")
    week = [date(2026, 12, 6) + (date(2026, 12, 7) - date(2026, 12, 6)) * n for n in range(7)]
    working = [israel.is_business_day(day) for day in week]  # Sunday Dec 6 onwards
    assert working == [True, True, True, True, True, False, False]
    assert israel.weekend == frozenset({4, 5})
    assert israel.add_business_days(date(2026, 12, 10), 1) == date(2026, 12, 13)  # Thu -> Sun


def test_a_packs_closed_days_are_not_business_days() -> None:
    closed = StoreCalendar("US", "NY", closed=[date(2026, 12, 7)])
    assert not closed.is_business_day(date(2026, 12, 7)) and closed.is_holiday(date(2026, 12, 7))
    assert closed.add_business_days(date(2026, 12, 4), 1) == date(2026, 12, 8)
    assert closed.business_days_between(date(2026, 12, 4), date(2026, 12, 9)) == 2
    assert CALENDAR.is_business_day(date(2026, 12, 7))  # only the store that closes


def test_a_closed_day_in_policy_yaml_moves_the_estimate(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    policy_file = pack / "policy.yaml"
    text = policy_file.read_text(encoding="utf-8")
    calendar = "calendar: {country: US, subdivision: NY}"
    assert calendar in text
    policy_file.write_text(
        text.replace(calendar, "calendar: {country: US, subdivision: NY, closed: [2026-11-27]}"),
        encoding="utf-8",
    )
    closed = policylib.load_policy(pack)
    data = estimate(**{"order.delivery.transit_days": {"min": 3, "max": 4}})
    # Thanksgiving and the Friday after are both closed: the earliest day moves to Dec 1.
    assert derived(closed, data, "estimate_earliest") == {"estimate_earliest": date(2026, 12, 1)}
    wish = request(kind="change_delivery", items=..., **{"details.new_date": "2026-11-27"})
    assert derived(closed, wish, "new_date_business_day") == {"new_date_business_day": False}


@pytest.mark.parametrize(
    ("country", "subdivision", "categories", "named"),
    [
        ("ZZ", "", (), "'ZZ'"),
        ("US", "XX", (), "'XX'"),
        ("US", "ny", (), "'ny'"),
        ("US", "", ("bogus",), "'bogus'"),
    ],
)
def test_calendar_problem_names_what_is_wrong(
    country: str, subdivision: str, categories: tuple[str, ...], named: str
) -> None:
    problem = calendar_problem(country, subdivision, categories)
    assert named in problem
    with pytest.raises(ValueError, match=named):
        StoreCalendar(country, subdivision, categories)


def test_a_good_calendar_has_no_problem() -> None:
    assert calendar_problem("US", "NY") == ""
    assert calendar_problem("IL") == ""
    assert calendar_problem("US", "", ("public",)) == ""


# --------------------------------------------------------------------------- money


def test_restocking_fee_and_refund_are_exact_money(hh: policylib.Policy) -> None:
    data = request(**{"order.items.0.price": "199.99", "order.items.0.category": "electronics"})
    assert derived(hh, data, "restocking_fee", "refund_after_fee") == {
        "restocking_fee": Decimal("30.00"),
        "refund_after_fee": Decimal("169.99"),
    }


@pytest.mark.parametrize(
    ("price", "fee"),
    [("49.90", "7.49"), ("10.10", "1.52"), ("0.10", "0.02"), ("0.05", "0.01"), ("199.99", "30.00")],
)
def test_the_restocking_fee_rounds_half_up_to_the_cent(
    hh: policylib.Policy, price: str, fee: str
) -> None:
    found = derived(hh, request(**{"order.items.0.price": price}), "restocking_fee")
    assert found == {"restocking_fee": Decimal(fee)}


@given(
    price=st.decimals("0.01", "9999", places=2),
    quantity=st.integers(1, 5),
)
def test_restocking_fee_and_refund_add_up_to_the_price(
    bundled_policy: policylib.Policy, price: Decimal, quantity: int
) -> None:
    data = request(**{"order.items.0.price": str(price), "order.items.0.quantity": quantity})
    found = derived(bundled_policy, data, "restocking_fee", "refund_after_fee", "item_price")
    paid = price * quantity
    assert found["item_price"] == paid
    assert found["restocking_fee"] + found["refund_after_fee"] == paid
    assert found["restocking_fee"] == (paid * 15 / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert found["restocking_fee"].as_tuple().exponent == -2  # always to the cent


def test_goodwill_limit_is_the_lower_of_cap_and_percentage(hh: policylib.Policy) -> None:
    assert derived(hh, request(), "goodwill_limit") == {"goodwill_limit": Decimal("5.00")}
    pricey = request(**{"order.items.0.price": 2000})
    assert derived(hh, pricey, "goodwill_limit") == {"goodwill_limit": Decimal("50.00")}


def test_the_custom_deposit_is_a_share_of_made_to_order_items_only(hh: policylib.Policy) -> None:
    sofa = {"sku": "SOFA-1", "name": "Custom sofa", "category": "furniture", "price": "1999.99"}
    lamp = {"sku": "LAMP-1", "name": "Desk lamp", "category": "decor", "price": 79}
    data = request(
        kind="cancel",
        items=...,
        reason=...,
        resolution=...,
        **{
            "order.status": "in_production",
            "order.delivered_at": ...,
            "order.items": [{**sofa, "tags": ["custom_made"]}, lamp],
        },
    )
    # 25% of 1999.99 is 499.9975: half-up to the cent is 500.00.
    assert derived(hh, data, "order_has_custom_item", "custom_deposit", "custom_refund") == {
        "order_has_custom_item": True,
        "custom_deposit": Decimal("500.00"),
        "custom_refund": Decimal("1578.99"),
    }


@pytest.mark.parametrize(
    ("price", "total", "remaining", "refund"),
    [
        ("400", 10, 3, Decimal("120.00")),
        ("100", 7, 3, Decimal("42.86")),  # 42.857... half-up
        ("100", 3, 1, Decimal("33.33")),
        ("100", 4, 0, Decimal("0.00")),
        ("100", 0, 0, None),  # no sessions bought: no share to work out
    ],
)
def test_pro_rata_session_refund(
    hh: policylib.Policy, price: str, total: int, remaining: int, refund: Decimal | None
) -> None:
    data = subscription(price=price, sessions_total=total, sessions_remaining=remaining)
    assert derived(hh, data, "unused_sessions_refund") == {"unused_sessions_refund": refund}


def test_a_price_drop_is_never_negative(hh: policylib.Policy) -> None:
    kind = {"kind": "price_adjustment", "reason": ..., "resolution": ...}
    higher = request(**kind, **{"details.current_price": "60"})
    lower = request(**kind, **{"details.current_price": "40"})
    assert derived(hh, higher, "price_drop") == {"price_drop": Decimal("0.00")}
    assert derived(hh, lower, "price_drop") == {"price_drop": Decimal("9.99")}


def test_a_money_formula_below_zero_is_unknown(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    with (pack / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write(
            "  price_rise:\n"
            "    type: money\n"
            "    unit: currency\n"
            "    label: how much the price went up\n"
            "    expr: details.current_price - item.price\n"
        )
    policy = policylib.load_policy(pack)
    kind = {"kind": "price_adjustment", "reason": ..., "resolution": ...}
    for current, rise in [("60", Decimal("10.01")), ("49.99", Decimal("0.00")), ("40", None)]:
        data = request(**kind, **{"details.current_price": current})
        assert derived(policy, data, "price_rise") == {"price_rise": rise}, current


@given(any_request)
def test_money_facts_are_never_negative(
    bundled_policy: policylib.Policy, data: dict[str, Any]
) -> None:
    money = [n for n, f in bundled_policy.pack.facts.items() if f.type.name == "money"]
    for value in derived(bundled_policy, data, *money, now=NOW).values():
        assert value is None or (value >= 0 and value.as_tuple().exponent == -2)


# --------------------------------------------------------------------------- subscriptions


@pytest.mark.parametrize(
    ("started", "period", "end"),
    [
        ("2026-01-31T09:00:00-05:00", "monthly", date(2026, 11, 29)),
        ("2026-10-05T09:00:00-04:00", "monthly", date(2026, 12, 4)),
        ("2025-12-01T09:00:00-05:00", "yearly", date(2026, 11, 30)),
        ("2026-09-15T09:00:00-04:00", "quarterly", date(2026, 12, 14)),
    ],
)
def test_billing_period_end(hh: policylib.Policy, started: str, period: str, end: date) -> None:
    data = subscription(type="membership", started_at=started, billing_period=period, price="30")
    assert derived(hh, data, "billing_period_end") == {"billing_period_end": end}


def test_no_item_is_decided_for_a_subscription(hh: policylib.Policy) -> None:
    found = derived(hh, subscription(), "item_price", "subscription_type", "request_subject")
    assert found == {
        "item_price": None,
        "subscription_type": "session_plan",
        "request_subject": "subscription",
    }


# --------------------------------------------------------------------------- the facts file


def test_free_text_is_never_read(hh: policylib.Policy) -> None:
    names = tuple(hh.pack.facts)
    a = request(**{"details.note": "I demand a refund!!!"})
    b = request(**{"details.note": "please"})
    assert derived(hh, a, *names) == derived(hh, b, *names)


def test_every_fact_declares_a_known_type(bundled_pack: policylib.Pack) -> None:
    for name, found in bundled_pack.facts.items():
        assert found.type.name in SCALAR_NAMES, name
        if found.type.name == "enum":
            assert found.values, name
        assert found.label, name
        if found.known_by == "customer":  # asked, and answered in a field of the request
            assert found.question is not None and found.field, name
        else:  # supplied by the store's systems: never asked
            assert found.question is None, name


def test_a_fact_read_by_another_is_derived_once(hh: policylib.Policy) -> None:
    req = parse_request(request(), hh.request_model, zone=hh.zone)
    item = req.selected_items()[0]
    env = hh.deriver.env(req, item, [item], NOW)
    values = hh.deriver.derive(env, ["refund_after_fee"])
    # refund_after_fee = item_price - restocking_fee: both memoised in the same Env.
    assert {"refund_after_fee", "item_price", "restocking_fee"} <= set(values)
    again = hh.deriver.derive(env, ["item_price"])
    assert again is values and again["item_price"] == Decimal("49.99")


def test_the_derived_fees_reach_the_customers_explanation(hh: policylib.Policy) -> None:
    data = request(
        **{
            "order.items.0.price": "199.99",
            "order.items.0.category": "electronics",
            "order.items.0.tags": [],
        }
    )
    decision = hh.evaluate(data)
    assert decision.outcome == "partial"
    assert "$30.00" in decision.explanation and "$169.99" in decision.explanation
