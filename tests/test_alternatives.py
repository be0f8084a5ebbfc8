"""Alternatives: offered only when the policy really grants them; every denial has a way on.

The tests build a small pack in code and decide with ``Engine`` + ``derive_facts`` directly,
so they do not depend on the loader or the bundled pack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylib import Policy
from policylib.alternatives import MAX_PROBES, apply_change, find_alternatives
from policylib.engine import Engine, Verdict
from policylib.facts import BusinessCalendar, FactContext, derive_facts
from policylib.language import (
    All,
    Citation,
    Compare,
    Condition,
    FactDef,
    Message,
    Offer,
    Pack,
    Rule,
    Store,
)
from policylib.model import Alternative, Request

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 16, 15, 0, tzinfo=ZONE)  # a Monday afternoon
CALENDAR = BusinessCalendar("US", "NY")

# --------------------------------------------------------------------------- a small pack

_FACTS: dict[str, tuple[str, str]] = {
    # name: (type, derivation) -- the fact is named like its derivation
    "item_name": ("text", "item_name"),
    "item_price": ("money", "item_price"),
    "item_category": ("text", "item_category"),
    "item_opened": ("boolean", "item_opened"),
    "item_hygiene": ("boolean", "item_hygiene"),
    "item_final_sale": ("boolean", "item_final_sale"),
    "days_since_delivery": ("integer", "days_since_delivery"),
    "resolution": ("enum", "resolution"),
    "refund_after_fee": ("money", "refund_after_fee"),
    "goodwill_limit": ("money", "goodwill_limit"),
    "truck_loaded": ("boolean", "truck_loaded"),
    "before_change_cutoff": ("boolean", "before_change_cutoff"),
    "exact_time_requested": ("boolean", "exact_time_requested"),
    "new_window_requested": ("boolean", "new_window_requested"),
    "new_window_standard": ("boolean", "new_window_standard"),
    "new_date_requested": ("boolean", "new_date_requested"),
    "new_date": ("date", "new_date"),
    "new_date_business_day": ("boolean", "new_date_business_day"),
    "subscription_type": ("enum", "subscription_type"),
    "order_status": ("enum", "order_status"),
}


def _msg(source: str) -> Message:
    return Message(source, tuple(re.findall(r"\{\s*\$(\w+)\s*\}", source)))


def _all(**facts: object) -> Condition:
    return All(tuple(Compare(name, "eq", value) for name, value in facts.items()))  # type: ignore[arg-type]


def _rule(
    rule_id: str,
    kinds: tuple[str, ...],
    when: Condition,
    outcome: str,
    text: str,
    priority: int = 0,
    offers: tuple[Offer, ...] = (),
) -> Rule:
    return Rule(
        id=rule_id,
        title=rule_id,
        kinds=kinds,
        when=when,
        outcome=outcome,
        text=_msg(text),
        citation=Citation("returns"),
        priority=priority,
        offers=offers,
    )


def _offer(kind: str, text: str, *change: tuple[str, object]) -> Offer:
    return Offer(kind=kind, text=_msg(text), change=tuple(change))


STORE_CREDIT = _offer(
    "store_credit", "Store credit for { $item_price }.", ("resolution", "store_credit")
)

RETURN = ("return",)
DELIVERY = ("change_delivery",)

RULES: tuple[Rule, ...] = (
    # Opened hygiene items: no return at all. The store-credit offer is a pack bug: its
    # re-check is still denied by this rule, so it must never be offered.
    _rule(
        "RET-HYG",
        RETURN,
        _all(item_hygiene=True, item_opened=True),
        "denied",
        "Once a { $item_name } has been opened we can't take it back.",
        priority=50,
        offers=(STORE_CREDIT, _offer("supervisor_review", "A supervisor can review your case.")),
    ),
    # Final sale: store credit only.
    _rule(
        "RET-FINAL-CREDIT",
        RETURN,
        _all(item_final_sale=True, resolution="store_credit"),
        "granted",
        "We'll give you store credit for { $item_price }.",
        priority=40,
    ),
    _rule(
        "RET-FINAL",
        RETURN,
        _all(item_final_sale=True),
        "denied",
        "Final-sale items can't be refunded.",
        priority=30,
        offers=(STORE_CREDIT,),
    ),
    # Opened electronics: a refund less the fee, or full store credit.
    _rule(
        "RET-ELEC-CREDIT",
        RETURN,
        _all(item_category="electronics", item_opened=True, resolution="store_credit"),
        "granted",
        "We'll give you store credit for the full { $item_price }.",
        priority=20,
    ),
    _rule(
        "RET-ELEC-FEE",
        RETURN,
        _all(item_category="electronics", item_opened=True),
        "partial",
        "We can refund { $refund_after_fee } after the restocking fee.",
        priority=10,
    ),
    _rule(
        "RET-LATE",
        RETURN,
        Compare("days_since_delivery", "gt", 30),
        "denied",
        "Returns are accepted within 30 days of delivery.",
        priority=5,
    ),
    _rule(
        "RET-OK",
        RETURN,
        Compare("days_since_delivery", "lte", 30),
        "granted",
        "We'll refund { $item_price }.",
    ),
    # Delivery changes.
    _rule(
        "DEL-LOADED",
        DELIVERY,
        _all(truck_loaded=True),
        "denied",
        "Your delivery is already on the truck.",
        priority=50,
        offers=(
            _offer("refuse_delivery", "You can refuse the delivery at the door."),
            _offer("another_receiver", "Someone else can receive it for you."),
            # Pack bugs: these change facts the customer cannot change.
            _offer("reschedule", "Unload it.", ("order.delivery.truck_loaded", False)),
            _offer("reschedule", "Rebook.", ("order.delivery.scheduled_date", "2026-12-01")),
        ),
    ),
    _rule(
        "DEL-CUTOFF",
        DELIVERY,
        _all(before_change_cutoff=False),
        "denied",
        "Changes close at 6 PM the day before delivery.",
        priority=45,
    ),
    _rule(
        "DEL-EXACT",
        DELIVERY,
        _all(exact_time_requested=True),
        "denied",
        "We can't promise an exact time.",
        priority=40,
    ),
    _rule(
        "DEL-WINDOW-ODD",
        DELIVERY,
        _all(new_window_requested=True, new_window_standard=False),
        "denied",
        "We deliver in fixed 4-hour windows.",
        priority=30,
    ),
    _rule(
        "DEL-WEEKEND",
        DELIVERY,
        _all(new_date_requested=True, new_date_business_day=False),
        "denied",
        "We don't deliver on weekends or public holidays.",
        priority=30,
    ),
    _rule(
        "DEL-WINDOW",
        DELIVERY,
        _all(new_window_requested=True, new_window_standard=True, before_change_cutoff=True),
        "granted",
        "Changing to another 4-hour window is free.",
        priority=10,
    ),
    _rule(
        "DEL-DATE",
        DELIVERY,
        _all(new_date_requested=True, new_date_business_day=True, before_change_cutoff=True),
        "granted",
        "We can deliver on { $new_date }.",
        priority=10,
    ),
    # Cancellations: memberships are granted with a retention path.
    _rule(
        "CAN-MEMBER",
        ("cancel",),
        _all(subscription_type="membership"),
        "granted",
        "Your membership is cancelled.",
        offers=(_offer("retention_offer", "Stay on and get a month free."),),
    ),
)


def make_pack(rules: tuple[Rule, ...] = RULES, messages: dict[str, Message] | None = None) -> Pack:
    facts = {
        name: FactDef(name=name, type=type_, label=name.replace("_", " "), derive=derive)  # type: ignore[arg-type]
        for name, (type_, derive) in _FACTS.items()
    }
    return Pack(
        store=Store(
            name="Hearth & Home",
            country="US",
            subdivision="NY",
            escalation_contact="a customer-care supervisor",
        ),
        facts=facts,
        rules=rules,
        default_outcome="denied",
        default_text=_msg("We can't do that under our policy."),
        messages=messages or {},
        settings={"goodwill_max": 50, "goodwill_percent": 10, "restocking_fee_percent": 15},
    )


PACK = make_pack()


def _format(facts: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in facts.items():
        if isinstance(value, bool):
            out[name] = "yes" if value else "no"
        elif isinstance(value, Decimal):
            out[name] = f"${value:,.2f}"
        elif isinstance(value, date):
            out[name] = f"{value:%A, %B} {value.day}"
        else:
            out[name] = str(value)
    return out


def fill(message: Message, formatted: Mapping[str, str]) -> str:
    return re.sub(
        r"\{\s*\$(\w+)\s*\}", lambda m: formatted.get(m.group(1), "not known"), message.source
    )


class Decider:
    """What ``Policy`` does for one item: derive facts, decide, format; records probes."""

    def __init__(self, pack: Pack = PACK) -> None:
        self.pack = pack
        self.engine = Engine(pack)
        self.derive = {name: fact.derive for name, fact in pack.facts.items()}
        self.probed: list[Request] = []

    def decide(self, request: Request) -> tuple[Verdict, dict[str, str]]:
        items = request.selected_items() if request.kind.value in ("return", "exchange") else []
        ctx = FactContext(
            request=request,
            item=items[0] if items else None,
            now=NOW,
            zone=ZONE,
            calendar=CALENDAR,
            settings=self.pack.settings,
        )
        facts = derive_facts(self.derive, self.derive, ctx)
        return self.engine.decide(request.kind.value, facts), _format(facts)

    def probe(self, request: Request) -> tuple[Verdict, dict[str, str]]:
        self.probed.append(request)
        return self.decide(request)

    def alternatives(self, request: Request) -> tuple[Verdict, list[Alternative]]:
        verdict, formatted = self.decide(request)
        found = find_alternatives(
            request=request,
            verdict=verdict,
            formatted=formatted,
            probe=self.probe,
            fill=fill,
            pack=self.pack,
        )
        return verdict, found


# --------------------------------------------------------------------------- requests


def return_request(
    *,
    category: str = "bath",
    tags: tuple[str, ...] = (),
    condition: str | None = "opened",
    final_sale: bool = False,
    resolution: str | None = "refund",
    days_ago: int = 5,
    price: str = "80.00",
    reason: str = "changed_mind",
) -> Request:
    delivered = NOW - timedelta(days=days_ago)
    return Request.model_validate(
        {
            "kind": "return",
            "order": {
                "id": "A-1",
                "placed_at": (delivered - timedelta(days=3)).isoformat(),
                "status": "delivered",
                "delivered_at": delivered.isoformat(),
                "items": [
                    {
                        "sku": "SKU-1",
                        "name": "Toaster",
                        "category": category,
                        "tags": list(tags),
                        "price": price,
                        "condition": condition,
                        "final_sale": final_sale,
                    }
                ],
            },
            "reason": reason,
            "resolution": resolution,
        }
    )


def delivery_request(
    *,
    scheduled: date = date(2026, 11, 20),  # Friday
    truck_loaded: bool | None = False,
    exact_time: str | None = None,
    new_window: tuple[str, str] | None = None,
    new_date: date | None = None,
    booked: tuple[str, str] | None = ("08:00", "12:00"),
) -> Request:
    details: dict[str, Any] = {}
    if exact_time is not None:
        details["exact_time"] = exact_time
    if new_window is not None:
        details["new_window"] = {"start": new_window[0], "end": new_window[1]}
    if new_date is not None:
        details["new_date"] = new_date.isoformat()
    delivery: dict[str, Any] = {"scheduled_date": scheduled.isoformat()}
    if truck_loaded is not None:
        delivery["truck_loaded"] = truck_loaded
    if booked is not None:
        delivery["window"] = {"start": booked[0], "end": booked[1]}
    return Request.model_validate(
        {
            "kind": "change_delivery",
            "order": {
                "id": "D-1",
                "placed_at": "2026-11-01T10:00:00-05:00",
                "status": "processing",
                "items": [{"sku": "SOFA", "name": "Sofa", "category": "furniture", "price": 900}],
                "delivery": delivery,
            },
            "details": details,
        }
    )


def _kinds(found: list[Alternative]) -> list[str]:
    return [a.kind for a in found]


def _assert_honest(decider: Decider, found: list[Alternative], request: Request) -> None:
    """Every verified alternative re-decides as granted/partial and names its rule."""
    for alt in found:
        if alt.verified:
            changed = apply_change(request, tuple(alt.change.items()))
            assert changed is not None, alt
            verdict, _ = decider.decide(changed)
            assert verdict.outcome in ("granted", "partial"), alt
            assert alt.rule_id == (verdict.rule.id if verdict.rule else None)
        else:
            assert alt.change == {} and alt.rule_id is None
        assert "{" not in alt.text and "$item" not in alt.text
        assert not re.search(r"\b[A-Z]{3}-[A-Z]", alt.text), "no rule ids in customer text"


_IMMUTABLE = ("order", "customer", "subscription", "reason", "requested_at", "items")


def _assert_immutables_kept(decider: Decider, request: Request) -> None:
    for changed in decider.probed:
        for name in _IMMUTABLE:
            assert getattr(changed, name) == getattr(request, name), name


# --------------------------------------------------------------------------- declared offers


def test_declared_store_credit_kept_when_recheck_grants() -> None:
    decider = Decider()
    request = return_request(final_sale=True)
    verdict, found = decider.alternatives(request)
    assert verdict.outcome == "denied" and verdict.rule is not None
    assert verdict.rule.id == "RET-FINAL"
    credit = found[0]
    assert credit.kind == "store_credit"
    assert credit.verified is True
    assert credit.rule_id == "RET-FINAL-CREDIT"
    assert credit.change == {"resolution": "store_credit"}
    assert credit.text == "Store credit for $80.00."
    # the counterfactual search does not repeat the declared offer
    assert _kinds(found).count("store_credit") == 1
    _assert_honest(decider, found, request)


def test_declared_offer_dropped_when_recheck_denied() -> None:
    decider = Decider()
    request = return_request(tags=("hygiene",))
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "RET-HYG"
    assert "store_credit" not in _kinds(found)  # the pack offers it, the policy does not grant it
    assert all(a.verified is False for a in found)
    assert _kinds(found) == ["supervisor_review"]
    assert found[0].text == "A supervisor can review your case."


def test_offer_text_filled_with_changed_request_facts() -> None:
    rules = (
        _rule(
            "A",
            RETURN,
            _all(resolution="refund"),
            "denied",
            "No refunds.",
            priority=5,
            offers=(_offer("exchange", "Exchange: { $resolution }.", ("resolution", "exchange")),),
        ),
        _rule("B", RETURN, _all(resolution="exchange"), "granted", "Exchange it."),
    )
    decider = Decider(make_pack(rules))
    _, found = decider.alternatives(return_request())
    assert found[0].text == "Exchange: exchange."
    assert found[0].rule_id == "B"


def test_no_op_offer_is_not_offered() -> None:
    """Never offer what was asked for: a store-credit request is not offered store credit."""
    decider = Decider()
    request = return_request(tags=("hygiene",), resolution="store_credit")
    _, found = decider.alternatives(request)
    assert "store_credit" not in _kinds(found)
    assert all(changed.resolution != "store_credit" for changed in decider.probed)


def test_granted_returns_nothing_unless_declared() -> None:
    decider = Decider()
    verdict, found = decider.alternatives(return_request(days_ago=3, condition="unopened"))
    assert verdict.outcome == "granted"
    assert found == []
    assert decider.probed == []


def test_granted_keeps_declared_path() -> None:
    decider = Decider()
    request = Request.model_validate(
        {
            "kind": "cancel",
            "subscription": {
                "id": "M-1",
                "plan": "Plus",
                "started_at": "2026-01-01T00:00:00-05:00",
                "price": 9,
            },
        }
    )
    verdict, found = decider.alternatives(request)
    assert verdict.outcome == "granted"
    assert [(a.kind, a.verified) for a in found] == [("retention_offer", False)]


def test_invalid_changes_skipped_never_raised() -> None:
    offers = (
        _offer("exchange", "x", ("resolution", "teleport")),
        _offer("another_date", "x", ("details.new_date", "not-a-date")),
        _offer("another_date", "x", ("details.new_date", "2026-02-30")),
        _offer("another_window", "x", ("details.new_window", {"start": "12:00", "end": "08:00"})),
        _offer("x", "x", ("details.nonexistent", 1)),
        _offer("x", "x", ("details", 5)),
        _offer("x", "x", ("details.new_date.year", 2027)),
        _offer("x", "x", ("", 1)),
        _offer("x", "x", ("kind", "change_delivery")),  # valid model, no rule grants it
        _offer("x", "x", ("details.new_date", "2026-11-20"), ("details.new_date.day", 3)),
    )
    rules = (_rule("NO", RETURN, _all(resolution="refund"), "denied", "No.", offers=offers),)
    decider = Decider(make_pack(rules))
    verdict, found = decider.alternatives(return_request())
    assert verdict.outcome == "denied"
    assert _kinds(found) == ["supervisor_review"]


def test_probe_budget_is_bounded() -> None:
    offers = tuple(
        _offer("another_date", "x", ("details.new_date", (date(2026, 12, 1) + timedelta(i))))
        for i in range(30)
    )
    rules = (_rule("NO", RETURN, _all(resolution="refund"), "denied", "No.", offers=offers),)
    decider = Decider(make_pack(rules))
    decider.alternatives(return_request())
    assert 0 < len(decider.probed) <= MAX_PROBES


def test_same_change_two_kinds_share_one_probe() -> None:
    offers = (
        _offer("store_credit", "Credit.", ("resolution", "store_credit")),
        _offer("gift_card", "A gift card.", ("resolution", "store_credit")),
    )
    rules = (
        _rule("NO", RETURN, _all(resolution="refund"), "denied", "No.", priority=5, offers=offers),
        _rule("OK", RETURN, _all(resolution="store_credit"), "granted", "Credit it is."),
    )
    decider = Decider(make_pack(rules))
    _, found = decider.alternatives(return_request())
    assert sorted(_kinds(found)) == ["gift_card", "store_credit"]
    assert [c.resolution for c in decider.probed].count("store_credit") == 1


def test_failing_probe_means_not_offered() -> None:
    decider = Decider()
    request = return_request(final_sale=True)
    verdict, formatted = decider.decide(request)

    def broken(changed: Request) -> tuple[Verdict, dict[str, str]]:
        raise ValueError("a derivation choked")

    found = find_alternatives(
        request=request,
        verdict=verdict,
        formatted=formatted,
        probe=broken,
        fill=fill,
        pack=decider.pack,
    )
    assert _kinds(found) == ["supervisor_review"]


# --------------------------------------------------------------------------- counterfactuals


def test_counterfactual_resolution_for_partial_is_strictly_better() -> None:
    decider = Decider()
    request = return_request(category="electronics")
    verdict, found = decider.alternatives(request)
    assert verdict.outcome == "partial"
    assert [(a.kind, a.change, a.rule_id) for a in found] == [
        ("store_credit", {"resolution": "store_credit"}, "RET-ELEC-CREDIT")
    ]
    assert found[0].text == (
        "You can choose store credit instead. We'll give you store credit for the full $80.00."
    )
    _assert_honest(decider, found, request)


def test_counterfactual_window_found_when_allowed() -> None:
    decider = Decider()
    request = delivery_request(exact_time="10:30")
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "DEL-EXACT"
    windows = [a for a in found if a.kind == "another_window"]
    # the booked 8-12 window is not "another" window
    assert [a.change["details.new_window"] for a in windows] == [
        {"start": "12:00", "end": "16:00"},
        {"start": "16:00", "end": "20:00"},
    ]
    assert all(a.change["details.exact_time"] is None for a in windows)
    assert windows[0].text == (
        "We can deliver between noon and 4 p.m. instead. Changing to another 4-hour window is free."
    )
    assert all(a.rule_id == "DEL-WINDOW" and a.verified for a in windows)
    _assert_honest(decider, found, request)
    _assert_immutables_kept(decider, request)


def test_counterfactual_window_for_odd_window() -> None:
    decider = Decider()
    request = delivery_request(new_window=("09:00", "11:00"), booked=None)
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "DEL-WINDOW-ODD"
    assert len([a for a in found if a.kind == "another_window"]) == 3
    assert "details.exact_time" not in found[0].change


def test_no_window_when_truck_loaded() -> None:
    decider = Decider()
    request = delivery_request(exact_time="10:30", truck_loaded=True)
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "DEL-LOADED"
    assert _kinds(found) == ["another_receiver", "refuse_delivery"]
    # the truck is never "unloaded" and the booked date never moved to find an alternative
    _assert_immutables_kept(decider, request)
    assert all(changed.order is request.order for changed in decider.probed)


def test_no_window_after_cutoff() -> None:
    decider = Decider()
    request = delivery_request(scheduled=NOW.date(), exact_time="10:30")  # cutoff passed
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "DEL-CUTOFF"
    assert _kinds(found) == ["supervisor_review"]


def test_counterfactual_dates_skip_weekends_and_holidays() -> None:
    decider = Decider()
    # asked for Saturday Nov 21; booked Wednesday Nov 25; Thanksgiving is Thursday Nov 26
    request = delivery_request(scheduled=date(2026, 11, 25), new_date=date(2026, 11, 21))
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "DEL-WEEKEND"
    dates = [a.change["details.new_date"] for a in found if a.kind == "another_date"]
    assert dates == ["2026-11-27", "2026-11-30", "2026-12-01"]
    assert found[0].text == (
        "We can deliver on Friday, November 27 instead. We can deliver on Friday, November 27."
    )
    _assert_honest(decider, found, request)
    _assert_immutables_kept(decider, request)


def test_delivery_without_window_or_date_wish_is_not_searched() -> None:
    decider = Decider()
    request = delivery_request()
    verdict, found = decider.alternatives(request)
    assert verdict.outcome == "denied" and verdict.rule is None  # pack default
    assert decider.probed == []
    assert _kinds(found) == ["supervisor_review"]


def test_resolution_not_varied_when_no_rule_reads_it() -> None:
    rules = (_rule("NO", RETURN, Compare("days_since_delivery", "gt", 1), "denied", "Too late."),)
    decider = Decider(make_pack(rules))
    _, found = decider.alternatives(return_request())
    assert decider.probed == []
    assert _kinds(found) == ["supervisor_review"]


# --------------------------------------------------------------------------- ways forward


def test_supervisor_fallback_sentence_names_limit_and_contact() -> None:
    decider = Decider()
    request = return_request(days_ago=40, condition="unopened", price="120.00")
    verdict, found = decider.alternatives(request)
    assert verdict.rule is not None and verdict.rule.id == "RET-LATE"
    assert len(decider.probed) == 4  # each other resolution, all still too late
    assert found == [
        Alternative(
            kind="supervisor_review",
            text="You can ask a customer-care supervisor to review your case; "
            "they can approve a goodwill gesture of up to $12.00.",
        )
    ]


def test_supervisor_uses_pack_message() -> None:
    message = _msg("Our team can approve up to { $goodwill_limit } as a goodwill gesture.")
    decider = Decider(make_pack(messages={"offer-supervisor-review": message}))
    _, found = decider.alternatives(return_request(days_ago=40, condition="unopened"))
    assert found[0].text == "Our team can approve up to $8.00 as a goodwill gesture."


def test_supervisor_message_left_unfilled_falls_back() -> None:
    message = _msg("Up to { $goodwill_limit }.")
    decider = Decider(make_pack(messages={"offer-supervisor-review": message}))
    verdict, formatted = decider.decide(return_request(days_ago=40, condition="unopened"))
    found = find_alternatives(
        request=return_request(days_ago=40, condition="unopened"),
        verdict=verdict,
        formatted=formatted,
        probe=decider.probe,
        fill=lambda m, f: m.source,  # a renderer that does not know the message
        pack=decider.pack,
    )
    assert found[0].text.startswith("You can ask a customer-care supervisor")


def test_needs_info_has_no_alternatives() -> None:
    decider = Decider()
    request = delivery_request(truck_loaded=None, new_window=("12:00", "16:00"))
    verdict, found = decider.alternatives(request)
    assert verdict.outcome == "needs_info"
    assert verdict.missing == ("truck_loaded",)
    assert found == []
    assert decider.probed == []


def test_ranking_is_by_value_to_customer() -> None:
    offers = (
        _offer("supervisor_review", "A supervisor can look."),
        _offer("refuse_delivery", "Refuse it."),
        _offer("retention_offer", "Something else."),
        _offer("store_credit", "Credit.", ("resolution", "store_credit")),
        _offer("refund", "Refund.", ("resolution", "refund")),
    )
    rules = (
        _rule(
            "NO", RETURN, _all(resolution="exchange"), "denied", "No.", priority=5, offers=offers
        ),
        _rule("YES", RETURN, Compare("days_since_delivery", "gte", 0), "granted", "Yes."),
    )
    decider = Decider(make_pack(rules))
    _, found = decider.alternatives(return_request(resolution="exchange"))
    assert _kinds(found) == [
        "refund",
        "replacement",
        "repair",
        "store_credit",
        "retention_offer",
        "refuse_delivery",
        "supervisor_review",
    ]


# --------------------------------------------------------------------------- property


@st.composite
def requests(draw: st.DrawFn) -> Request:
    if draw(st.booleans()):
        return return_request(
            category=draw(st.sampled_from(["bath", "electronics", "furniture"])),
            tags=tuple(draw(st.lists(st.sampled_from(["hygiene", "clearance"]), unique=True))),
            condition=draw(st.sampled_from([None, "unopened", "opened", "used", "damaged"])),
            final_sale=draw(st.booleans()),
            resolution=draw(
                st.sampled_from([None, "refund", "store_credit", "exchange", "repair"])
            ),
            days_ago=draw(st.integers(0, 400)),
            reason=draw(
                st.sampled_from(["changed_mind", "defective", "damaged_in_transit", "wrong_item"])
            ),
        )
    clocks = st.sampled_from(["08:00", "09:00", "12:00", "16:00", "20:00"])
    window = draw(st.none() | st.tuples(clocks, clocks).filter(lambda w: w[0] < w[1]))
    return delivery_request(
        scheduled=NOW.date() + timedelta(days=draw(st.integers(0, 20))),
        truck_loaded=draw(st.sampled_from([None, False, True])),
        exact_time=draw(st.none() | st.sampled_from(["07:15", "10:30"])),
        new_window=window,
        new_date=draw(st.none() | st.dates(date(2026, 11, 10), date(2027, 1, 10))),
        booked=draw(st.sampled_from([None, ("08:00", "12:00"), ("16:00", "20:00")])),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_property_alternatives_are_honest(request: Request) -> None:
    decider = Decider()
    verdict, found = decider.alternatives(request)
    _assert_honest(decider, found, request)
    _assert_immutables_kept(decider, request)
    assert len(decider.probed) <= MAX_PROBES
    keys = [(a.kind, tuple(sorted(map(repr, a.change.items())))) for a in found]
    assert len(keys) == len(set(keys))
    if verdict.outcome == "needs_info":
        assert found == []
    if verdict.outcome in ("denied", "escalate"):
        assert found, "every denial carries at least one alternative"
    if verdict.outcome == "granted":
        assert all(not a.verified for a in found)


# --------------------------------------------------------------------------- cost


@pytest.mark.parametrize(
    "request_",
    [
        return_request(days_ago=40, condition="unopened"),
        delivery_request(
            scheduled=date(2026, 11, 25), new_date=date(2026, 11, 21), exact_time="10:30"
        ),
    ],
    ids=["late_return", "delivery_date_and_exact_time"],
)
def test_search_cost_is_a_few_distinct_re_decisions_the_same_each_time(
    request_: Request,
) -> None:
    """The search's cost is its re-decisions (speed itself is for benchmarks/bench.py)."""
    decider = Decider()
    decider.alternatives(request_)
    first = [changed.model_dump_json() for changed in decider.probed]
    assert 0 < len(first) <= MAX_PROBES
    assert len(set(first)) == len(first), "no changed request is decided twice"
    decider.probed.clear()
    decider.alternatives(request_)
    assert [changed.model_dump_json() for changed in decider.probed] == first


# --------------------------------------------------------------------------- the bundled pack


def _bundled_alternatives(
    policy: Policy, request: Request, probed: list[Request] | None = None
) -> tuple[Verdict, list[Alternative]]:
    verdict, formatted = policy.probe(request, NOW)

    def probe(changed: Request) -> tuple[Verdict, dict[str, str]]:
        if probed is not None:
            probed.append(changed)
        result: tuple[Verdict, dict[str, str]] = policy.probe(changed, NOW)
        return result

    found = find_alternatives(
        request=request,
        verdict=verdict,
        formatted=formatted,
        probe=probe,
        fill=policy.renderer.fill,
        pack=policy.pack,
    )
    return verdict, found


def test_bundled_exact_time_gets_standard_windows(bundled_policy: Policy) -> None:
    verdict, found = _bundled_alternatives(bundled_policy, delivery_request(exact_time="10:30"))
    assert verdict.outcome == "denied"
    windows = [a for a in found if a.kind == "another_window"]
    assert windows and all(a.verified for a in windows)
    assert found[0].kind == "another_window"


def test_bundled_no_window_once_truck_loaded(bundled_policy: Policy) -> None:
    probed: list[Request] = []
    request = delivery_request(
        scheduled=NOW.date(), truck_loaded=True, new_window=("12:00", "16:00"), booked=None
    )
    verdict, found = _bundled_alternatives(bundled_policy, request, probed)
    assert verdict.outcome == "denied"
    assert not [a for a in found if a.verified]
    assert found  # a way forward all the same
    assert all(changed.order == request.order for changed in probed)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_bundled_property_alternatives_are_honest(bundled_policy: Policy, request: Request) -> None:
    probed: list[Request] = []
    verdict, found = _bundled_alternatives(bundled_policy, request, probed)
    assert len(probed) <= MAX_PROBES
    for changed in probed:
        for name in _IMMUTABLE:
            assert getattr(changed, name) == getattr(request, name), name
    for alt in found:
        if alt.verified:
            taken = apply_change(request, tuple(alt.change.items()))
            assert taken is not None
            again, _ = bundled_policy.probe(taken, NOW)
            assert again.outcome in ("granted", "partial"), alt
            assert alt.rule_id == (again.rule.id if again.rule else None)
        assert "{" not in alt.text
    if verdict.outcome == "needs_info":
        assert found == []
    if verdict.outcome in ("denied", "escalate"):
        assert found, "every denial carries at least one alternative"


def test_bundled_evaluate_offers_windows_end_to_end(bundled_policy: Policy) -> None:
    request = delivery_request(exact_time="10:30")
    decision = bundled_policy.evaluate(request, now=NOW)
    assert decision.outcome == "denied"
    assert decision.alternatives[0].kind == "another_window"
    assert decision.alternatives[0].verified
