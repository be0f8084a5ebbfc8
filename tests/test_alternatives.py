"""Alternatives: offered only when the policy really grants them; every denial has a way on.

Most tests decide with the bundled pack through ``Policy.evaluate``, as users do, and
record the search's re-decisions (``Policy.probe``). Behaviour the bundled rules do not
reach (a pack bug in an offer, many offers, a pack without a fallback) is tested on a copy
of the bundled pack with a few rules added or changed in code.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given

from policylib import Alternative, Decision, Outcome, Policy, Request, RequestError
from policylib.engine.protocol import Verdict
from policylib.lang.nodes import (
    GRANTING,
    All,
    Citation,
    Compare,
    Condition,
    Message,
    Offer,
    Pack,
    Rule,
)
from policylib.request.parse import parse_request
from policylib.search.alternatives import MAX_PROBES, apply_change, rank_alternatives
from tests.requests import NOW, any_request

RULE_ID = re.compile(r"\b[A-Z]{2,}-\d{3}\b")

# --------------------------------------------------------------------------- requests


def return_request(
    *,
    days_ago: int = 5,
    category: str = "decor",
    tags: Iterable[str] = (),
    condition: str | None = "unopened",
    price: str = "129.00",
    status: str = "delivered",
    reason: str | None = "changed_mind",
    resolution: str | None = "refund",
    tier: str = "standard",
) -> dict[str, Any]:
    """A one-item return decided at ``NOW``, delivered ``days_ago`` days before."""
    delivered = NOW - timedelta(days=days_ago)
    order: dict[str, Any] = {
        "id": "HH-1",
        "placed_at": (delivered - timedelta(days=4)).isoformat(),
        "status": status,
        "items": [
            {
                "sku": "MIR-1",
                "name": "round wall mirror",
                "category": category,
                "tags": list(tags),
                "price": price,
            }
        ],
    }
    if condition is not None:
        order["items"][0]["condition"] = condition
    if status == "delivered":
        order["shipped_at"] = (delivered - timedelta(days=2)).isoformat()
        order["delivered_at"] = delivered.isoformat()
    data: dict[str, Any] = {
        "kind": "return",
        "requested_at": NOW.isoformat(),
        "customer": {"name": "Dana", "tier": tier},
        "order": order,
    }
    if reason is not None:
        data["reason"] = reason
    if resolution is not None:
        data["resolution"] = resolution
    return data


def delivery_request(
    *,
    scheduled: date = date(2026, 11, 25),  # a Wednesday; Thanksgiving is the day after
    status: str = "processing",
    truck_loaded: bool | None = False,
    booked: tuple[str, str] | None = ("08:00", "12:00"),
    exact_time: str | None = None,
    new_window: tuple[str, str] | None = None,
    new_date: date | None = None,
) -> dict[str, Any]:
    """A change to a white-glove delivery, asked at ``NOW`` (Friday, November 20)."""
    delivery: dict[str, Any] = {"method": "white_glove", "scheduled_date": scheduled.isoformat()}
    if truck_loaded is not None:
        delivery["truck_loaded"] = truck_loaded
    if booked is not None:
        delivery["window"] = {"start": booked[0], "end": booked[1]}
    details: dict[str, Any] = {}
    if exact_time is not None:
        details["exact_time"] = exact_time
    if new_window is not None:
        details["new_window"] = {"start": new_window[0], "end": new_window[1]}
    if new_date is not None:
        details["new_date"] = new_date.isoformat()
    order: dict[str, Any] = {
        "id": "HH-2",
        "placed_at": "2026-11-09T19:40:00-05:00",
        "status": status,
        "items": [{"sku": "SOFA", "name": "sofa", "category": "furniture", "price": "900.00"}],
        "delivery": delivery,
    }
    if status in ("shipped", "out_for_delivery"):
        order["shipped_at"] = "2026-11-19T08:00:00-05:00"
    return {
        "kind": "change_delivery",
        "requested_at": NOW.isoformat(),
        "customer": {"name": "Rosa"},
        "order": order,
        "details": details,
    }


# --------------------------------------------------------------------------- a recording policy


class Recorded:
    """A policy whose re-decisions (the search's probes) are recorded, request by request."""

    def __init__(self, pack: Pack) -> None:
        self.policy = Policy(pack)
        self.pack = pack
        self.probed: list[Request] = []
        self.failure: Exception | None = None
        decide = self.policy.probe

        def probe(
            request: Request, clock: datetime, sku: str | None = None, voice: Any = None
        ) -> list[tuple[Verdict, dict[str, str]]]:
            self.probed.append(request)
            if self.failure is not None:
                raise self.failure
            return decide(request, clock, sku, voice)

        self.policy.probe = probe  # type: ignore[method-assign]

    def evaluate(self, data: Mapping[str, Any]) -> Decision:
        self.probed.clear()
        return self.policy.evaluate(data, now=NOW)


@pytest.fixture(scope="module")
def recorded(bundled_pack: Pack) -> Recorded:
    return Recorded(bundled_pack)


# --------------------------------------------------------------------------- pack variants


def _msg(source: str) -> Message:
    return Message(source, tuple(dict.fromkeys(re.findall(r"\{\s*\$(\w+)\s*\}", source))))


def _offer(kind: str, text: str, /, **change: object) -> Offer:
    return Offer(kind=kind, text=_msg(text), change=tuple(change.items()))


def _when(**facts: object) -> Condition:
    return All(tuple(Compare(name, "eq", value) for name, value in facts.items()))  # type: ignore[arg-type]


def _rule(
    rule_id: str,
    when: Condition,
    outcome: Outcome,
    text: str,
    *,
    priority: int,
    kinds: tuple[str, ...] = ("return",),
    offers: tuple[Offer, ...] = (),
    order: int = 1000,
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
        section="returns",
        order=order,
    )


def variant(
    pack: Pack,
    *,
    offers: Mapping[str, tuple[Offer, ...]] | None = None,
    extra: Iterable[Rule] = (),
    **changes: Any,
) -> Pack:
    """The pack with some rules' offers replaced, rules added, and fields replaced."""
    replaced = offers or {}
    rules = tuple(
        dataclasses.replace(rule, offers=replaced[rule.id]) if rule.id in replaced else rule
        for rule in pack.rules
    )
    unknown = set(replaced) - {rule.id for rule in pack.rules}
    assert not unknown, f"no such rules: {unknown}"
    return dataclasses.replace(pack, rules=rules + tuple(extra), **changes)


def _rule_of(pack: Pack, rule_id: str) -> Rule:
    return next(rule for rule in pack.rules if rule.id == rule_id)


# --------------------------------------------------------------------------- checks


def _kinds(found: Iterable[Alternative]) -> list[str]:
    return [alt.kind for alt in found]


def _resolutions(requests: Iterable[Request]) -> list[str | None]:
    """The resolution each request asks for: a field of the pack's model, not the base's."""
    return [getattr(request, "resolution", None) for request in requests]


def _without(data: Any, paths: Iterable[str]) -> Any:
    """A request's JSON form with the given dotted paths (and all under them) removed."""
    data = copy.deepcopy(data)
    for path in paths:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    return data


def assert_only_choices_changed(pack: Pack, original: Request, probed: Iterable[Request]) -> None:
    """Every re-decided request differs from the original only in what the customer
    chooses (the vocabulary's ``choices``): what has happened is never varied."""
    choices = pack.vocabulary.choices
    kept = _without(original.model_dump(mode="json"), choices)
    for changed in probed:
        assert _without(changed.model_dump(mode="json"), choices) == kept


def assert_honest(policy: Policy, data: Mapping[str, Any], decision: Decision) -> None:
    """Every verified alternative re-decides (by the engine, at the same clock) to what it
    says, granted or partial, by the rule it names; every other one is a path."""
    request = parse_request(data, policy.request_model)
    for alt in decision.alternatives:
        if alt.verified:
            changed = apply_change(request, tuple(alt.change.items()))
            assert changed is not None, alt
            item = next((i.sku for i in request.selected_items() if i.name == alt.item), None)
            parts = policy.probe(changed, NOW, item)
            assert all(verdict.outcome in GRANTING for verdict, _ in parts), alt
            outcomes = {verdict.outcome for verdict, _ in parts}
            assert alt.outcome is (
                Outcome.GRANTED if outcomes == {Outcome.GRANTED} else Outcome.PARTIAL
            ), alt
            first = parts[0][0].rule
            assert alt.rule_id == (first.id if first else None), alt
        else:
            assert alt.change == {} and alt.rule_id is None and alt.outcome is None, alt
        assert "{" not in alt.text and "None" not in alt.text, alt.text
        assert not RULE_ID.search(alt.text), "no rule ids in customer text"


# --------------------------------------------------------------------------- declared offers


def test_declared_store_credit_kept_when_recheck_grants(
    bundled_policy: Policy, recorded: Recorded
) -> None:
    data = return_request(days_ago=45, price="42.00")
    decision = recorded.evaluate(data)
    assert decision.outcome is Outcome.DENIED
    assert decision.reasons[0].rule_id == "RET-005"
    exchange, credit = decision.alternatives  # the pack ranks an exchange first
    assert credit.model_dump() == {
        "kind": "store_credit",
        "text": "Store credit for the full $42.00, to spend on anything in our store.",
        "rule_id": "RET-003",
        "verified": True,
        "change": {"resolution": "store_credit"},
        "outcome": Outcome.GRANTED,
        "item": None,
    }
    assert (exchange.kind, exchange.rule_id, exchange.change) == (
        "exchange",
        "RET-003",
        {"resolution": "exchange"},
    )
    # the counterfactual search re-decides neither declared change a second time
    assert _resolutions(recorded.probed).count("store_credit") == 1
    assert_honest(bundled_policy, data, decision)


def test_declared_offer_dropped_when_recheck_denied(bundled_pack: Pack) -> None:
    """A pack bug: store credit offered on a rule the change does not get past."""
    credit = _offer("store_credit", "Store credit for { $item_price }.", resolution="store_credit")
    review = _rule_of(bundled_pack, "HYG-001").offers
    policy = Recorded(variant(bundled_pack, offers={"HYG-001": (credit, *review)}))
    decision = policy.evaluate(return_request(tags=["hygiene"], condition="opened"))
    assert decision.reasons[0].rule_id == "HYG-001"
    assert "store_credit" in _resolutions(policy.probed)
    assert _kinds(decision.alternatives) == ["supervisor_review"]
    assert not decision.alternatives[0].verified


def test_offer_text_is_filled_with_the_changed_requests_facts(bundled_pack: Pack) -> None:
    offer = _offer("cancel_order", "Instead: { $request_kind }.", kind="cancel")
    policy = Recorded(variant(bundled_pack, offers={"RET-010": (offer,)}))
    decision = policy.evaluate(return_request(status="processing"))
    assert decision.reasons[0].rule_id == "RET-010"
    assert [(a.text, a.rule_id) for a in decision.alternatives] == [("Instead: cancel.", "CAN-001")]


def test_no_op_offer_is_not_offered(bundled_pack: Pack) -> None:
    """Never offer what was asked for: a store-credit request is not offered store credit."""
    credit = _offer("store_credit", "Store credit.", resolution="store_credit")
    policy = Recorded(variant(bundled_pack, offers={"HYG-001": (credit,)}))
    data = return_request(tags=["hygiene"], condition="opened", resolution="store_credit")
    decision = policy.evaluate(data)
    assert decision.reasons[0].rule_id == "HYG-001"
    assert "store_credit" not in _kinds(decision.alternatives)
    assert "store_credit" not in _resolutions(policy.probed)


def test_granted_returns_nothing_unless_declared(recorded: Recorded) -> None:
    decision = recorded.evaluate(return_request())
    assert decision.outcome is Outcome.GRANTED
    assert decision.alternatives == []
    assert recorded.probed == []


def test_granted_keeps_its_rules_declared_path(recorded: Recorded) -> None:
    data = {
        "kind": "delivery_estimate",
        "requested_at": NOW.isoformat(),
        "order": return_request()["order"],
    }
    decision = recorded.evaluate(data)
    assert decision.outcome is Outcome.GRANTED
    assert decision.reasons[0].rule_id == "DLV-030"
    assert [(a.kind, a.verified) for a in decision.alternatives] == [("report_missing", False)]
    assert recorded.probed == []


def test_invalid_changes_are_skipped_never_raised(bundled_pack: Pack) -> None:
    offers = (
        _offer("exchange", "a", resolution="teleport"),
        _offer("another_date", "b", **{"details.new_date": "not-a-date"}),
        _offer("another_date", "c", **{"details.new_date": "2026-02-30"}),
        _offer("another_window", "d", **{"details.new_window": {"start": "12:00", "end": "08:00"}}),
        _offer("x", "e", **{"details.nonexistent": 1}),
        _offer("x", "f", details=5),
        _offer("x", "g", **{"details.new_date.year": 2027}),
        _offer("x", "h", **{"": 1}),
        _offer("x", "i", kind="teleport"),
        _offer("x", "j", kind="change_delivery"),  # a valid request no rule grants
    )
    policy = Recorded(variant(bundled_pack, offers={"RET-007": offers}))
    decision = policy.evaluate(return_request(condition="used"))
    assert decision.reasons[0].rule_id == "RET-007"
    assert _kinds(decision.alternatives) == ["supervisor_review"]
    assert [r.kind for r in policy.probed] == ["change_delivery"]


def test_changes_to_what_the_customer_cannot_change_are_never_tried(
    bundled_policy: Policy, bundled_pack: Pack
) -> None:
    """Pack bugs the loader refuses, built in code: the search refuses them too."""
    offers = (
        _offer("reschedule", "Unload it.", **{"order.delivery.truck_loaded": False}),
        _offer("reschedule", "Rebook.", **{"order.delivery.scheduled_date": "2026-12-01"}),
        _offer("reschedule", "Not shipped.", **{"order.status": "processing"}),
        _offer("refund", "Be a member.", **{"customer.tier": "plus"}),
        _offer("reschedule", "Mixed.", **{"details.new_date": "2026-12-01", "order.id": "X"}),
        *_rule_of(bundled_pack, "DLV-023").offers,
    )
    policy = Recorded(variant(bundled_pack, offers={"DLV-023": offers}))
    data = delivery_request(status="shipped", truck_loaded=True, new_window=("12:00", "16:00"))
    decision = policy.evaluate(data)
    assert decision.reasons[0].rule_id == "DLV-023"
    assert_only_choices_changed(
        bundled_pack, parse_request(data, bundled_policy.request_model), policy.probed
    )
    assert _kinds(decision.alternatives) == ["later_date_with_fee", "another_receiver"]
    assert not any(alt.verified for alt in decision.alternatives)


def test_probe_budget_is_bounded(bundled_pack: Pack) -> None:
    offers = tuple(
        _offer(
            "another_date", f"Day {i}.", **{"details.new_date": date(2026, 12, 1) + timedelta(i)}
        )
        for i in range(30)
    )
    policy = Recorded(variant(bundled_pack, offers={"RET-006": offers}))
    decision = policy.evaluate(return_request(days_ago=90))
    assert decision.reasons[0].rule_id == "RET-006"
    assert len(policy.probed) == MAX_PROBES
    assert _kinds(decision.alternatives) == ["supervisor_review"]


def test_same_change_two_kinds_share_one_probe(bundled_pack: Pack) -> None:
    offers = (
        _offer("store_credit", "Store credit.", resolution="store_credit"),
        _offer("gift_card", "A gift card.", resolution="store_credit"),
    )
    policy = Recorded(variant(bundled_pack, offers={"RET-005": offers}))
    decision = policy.evaluate(return_request(days_ago=45))
    # the counterfactual exchange ranks first; both declared kinds are offered
    assert _kinds(decision.alternatives) == ["exchange", "store_credit", "gift_card"]
    assert all(alt.verified and alt.rule_id == "RET-003" for alt in decision.alternatives)
    assert _resolutions(policy.probed).count("store_credit") == 1


def test_a_probe_the_policy_refuses_means_not_offered(bundled_pack: Pack) -> None:
    policy = Recorded(bundled_pack)
    policy.failure = RequestError("the store's systems must say this")
    decision = policy.evaluate(return_request(days_ago=45))
    assert decision.reasons[0].rule_id == "RET-005"
    assert policy.probed, "the declared offers were tried"
    assert _kinds(decision.alternatives) == ["supervisor_review"]  # the fallback


def test_a_bug_in_a_probe_is_not_swallowed(bundled_pack: Pack) -> None:
    policy = Recorded(bundled_pack)
    policy.failure = ZeroDivisionError("a bug")
    with pytest.raises(ZeroDivisionError):
        policy.evaluate(return_request(days_ago=45))


# --------------------------------------------------------------------------- counterfactuals


def test_standard_windows_offered_for_an_exact_time(
    bundled_policy: Policy, recorded: Recorded
) -> None:
    data = delivery_request(exact_time="10:30")
    decision = recorded.evaluate(data)
    assert decision.reasons[0].rule_id == "DLV-001"
    assert [(a.kind, a.change) for a in decision.alternatives] == [
        (
            "another_window",
            {"details.new_window": {"start": "12:00", "end": "16:00"}, "details.exact_time": None},
        ),
        (
            "another_window",
            {"details.new_window": {"start": "16:00", "end": "20:00"}, "details.exact_time": None},
        ),
        ("driver_text", {}),
    ]  # the booked 8-to-noon window is not "another" window
    assert decision.alternatives[0].text == (
        "We can deliver between noon and 4 p.m. instead. There's no charge for the change."
    )
    assert all(a.rule_id == "DLV-027" for a in decision.alternatives[:2])
    assert set(_resolutions(recorded.probed)) == {None}
    assert_honest(bundled_policy, data, decision)
    assert_only_choices_changed(
        recorded.pack, parse_request(data, bundled_policy.request_model), recorded.probed
    )


def test_every_standard_window_offered_for_an_odd_one(recorded: Recorded) -> None:
    decision = recorded.evaluate(delivery_request(new_window=("09:00", "11:00"), booked=None))
    assert decision.reasons[0].rule_id == "DLV-025"
    windows = [a.change["details.new_window"] for a in decision.alternatives if a.verified]
    assert windows == [
        {"start": "08:00", "end": "12:00"},
        {"start": "12:00", "end": "16:00"},
        {"start": "16:00", "end": "20:00"},
    ]
    assert _kinds(decision.alternatives)[-1] == "reschedule"  # the rule's own path, after


def test_counterfactual_dates_skip_weekends_and_holidays(
    bundled_policy: Policy, recorded: Recorded
) -> None:
    # asked for Saturday, November 21; booked Wednesday 25; Thanksgiving is Thursday 26
    data = delivery_request(new_date=date(2026, 11, 21))
    decision = recorded.evaluate(data)
    assert decision.reasons[0].rule_id == "DLV-028"
    dates = [a.change["details.new_date"] for a in decision.alternatives if a.verified]
    assert dates == ["2026-11-27", "2026-11-30", "2026-12-01"]  # the axis's limit: three
    day = bundled_policy.texts.value(date(2026, 11, 27))  # as the store writes a day
    assert decision.alternatives[0].text == (
        f"We can deliver on {day} instead. There's no charge for the change."
    )
    assert_honest(bundled_policy, data, decision)
    assert_only_choices_changed(
        recorded.pack, parse_request(data, bundled_policy.request_model), recorded.probed
    )


def test_no_window_is_offered_once_the_truck_is_loaded(
    bundled_policy: Policy, recorded: Recorded
) -> None:
    data = delivery_request(status="shipped", truck_loaded=True, new_window=("12:00", "16:00"))
    decision = recorded.evaluate(data)
    assert decision.reasons[0].rule_id == "DLV-023"
    assert _kinds(decision.alternatives) == ["later_date_with_fee", "another_receiver"]
    assert not any(alt.verified for alt in decision.alternatives)
    # the other window was tried (the loaded-truck rule reads the wish), the truck never
    # "unloaded" and the booked day never moved
    assert recorded.probed
    assert_only_choices_changed(
        recorded.pack, parse_request(data, bundled_policy.request_model), recorded.probed
    )


def test_no_window_is_offered_after_the_cutoff(recorded: Recorded) -> None:
    data = delivery_request(scheduled=NOW.date(), new_window=("12:00", "16:00"))
    decision = recorded.evaluate(data)
    assert decision.reasons[0].rule_id == "DLV-024"
    assert _kinds(decision.alternatives) == ["later_date_with_fee", "another_receiver"]
    assert not any(alt.verified for alt in decision.alternatives)


def test_delivery_without_a_wish_is_not_searched(recorded: Recorded) -> None:
    decision = recorded.evaluate(delivery_request())
    assert decision.outcome is Outcome.ESCALATE and decision.reasons[0].rule_id == "DEFAULT"
    assert recorded.probed == []
    assert decision.alternatives == []  # escalated: already with a person, no review on top


def test_partial_grant_gets_only_strictly_better_offers(bundled_pack: Pack) -> None:
    credit = _rule(
        "ELC-100",
        _when(item_category="electronics", item_opened=True, resolution="store_credit"),
        Outcome.GRANTED,
        "We'll give you store credit for the full { $item_price }.",
        priority=135,
    )
    policy = Recorded(variant(bundled_pack, extra=[credit]))
    data = return_request(category="electronics", condition="opened")
    decision = policy.evaluate(data)
    assert decision.outcome is Outcome.PARTIAL and decision.reasons[0].rule_id == "RET-008"
    assert len(policy.probed) == 4  # every other resolution; only one is granted in full
    assert [(a.kind, a.change, a.rule_id, a.outcome) for a in decision.alternatives] == [
        ("store_credit", {"resolution": "store_credit"}, "ELC-100", Outcome.GRANTED)
    ]
    assert decision.alternatives[0].text == (
        "You can choose store credit instead. We'll give you store credit for the full $129.00."
    )
    assert_honest(policy.policy, data, decision)


def test_partial_offers_take_their_partly_kind_and_rank_no_better_than_partial_rank(
    bundled_pack: Pack,
) -> None:
    no_exchange = _rule(
        "ELC-101",
        _when(item_category="electronics", resolution="exchange"),
        Outcome.DENIED,
        "Electronics can't be exchanged.",
        priority=135,
    )
    policy = Recorded(variant(bundled_pack, extra=[no_exchange]))
    data = return_request(category="electronics", condition="opened", resolution="exchange")
    decision = policy.evaluate(data)
    assert decision.reasons[0].rule_id == "ELC-101"
    found = decision.alternatives
    assert found and all(a.outcome is Outcome.PARTIAL for a in found)
    ranks = bundled_pack.alternatives
    assert ranks.kinds["refund"].partly == "partial_refund"
    assert ranks.rank("replacement") < ranks.rank("store_credit") < ranks.partial_rank
    # a refund granted in part is a partial refund; every partial offer ranks as one, so
    # they stay in the axis's order: a replacement (rank 1) does not jump ahead
    assert _kinds(found) == ["partial_refund", "replacement", "repair", "store_credit"]
    assert found[0].text.startswith(
        "You can choose a refund instead. Since you've opened the round wall mirror"
    )
    assert_honest(policy.policy, data, decision)


# --------------------------------------------------------------------------- what the search tries


def test_an_axis_is_tried_only_when_a_rule_not_skipped_reads_its_path(bundled_pack: Pack) -> None:
    """Before shipping, RET-010 decides a return; every rule reading the resolution ranks
    below it, so only its declared offer (cancelling instead) is re-decided. A rule ranked
    above it that reads the resolution brings the resolution axis in."""
    data = return_request(status="processing")
    plain = Recorded(bundled_pack)
    decision = plain.evaluate(data)
    assert decision.reasons[0].rule_id == "RET-010"
    assert [r.kind for r in plain.probed] == ["cancel"]
    assert _resolutions(plain.probed) == ["refund"]

    reader = _rule(
        "RES-999",
        _when(item_category="lighting", resolution="repair"),
        Outcome.DENIED,
        "No repairs for lamps.",
        priority=500,
    )
    reading = Recorded(variant(bundled_pack, extra=[reader]))
    assert reading.evaluate(data).reasons[0].rule_id == "RET-010"
    tried = sorted({getattr(r, "resolution", "") for r in reading.probed if r.kind == "return"})
    assert tried == ["exchange", "repair", "replacement", "store_credit"]


def test_thousands_of_rules_that_read_no_axis_add_no_probes(bundled_pack: Pack) -> None:
    """Which axes can reach which rule is worked out once per pack: rules that read
    nothing the search varies (ranked above the decision, so never skipped) change
    neither what is tried nor what is found."""
    extra = [
        _rule(
            f"XTR-{i:04d}",
            Compare("days_since_delivery", "gt", 400 + i),
            Outcome.DENIED,
            "Not this one.",
            priority=900,
            order=1000 + i,
        )
        for i in range(3000)
    ]
    data = return_request(days_ago=90)
    plain = Recorded(bundled_pack)
    expected = plain.evaluate(data)
    many = Recorded(variant(bundled_pack, extra=extra))
    decision = many.evaluate(data)
    assert decision.reasons[0].rule_id == expected.reasons[0].rule_id == "RET-006"
    failed = [t.rule_id for t in decision.trace if t.status == "failed"]
    assert sum(rule_id.startswith("XTR-") for rule_id in failed) == 3000  # none skipped
    assert len(plain.probed) == 4  # every other resolution
    assert [r.model_dump_json() for r in many.probed] == [r.model_dump_json() for r in plain.probed]
    assert decision.alternatives == expected.alternatives


# --------------------------------------------------------------------------- ways forward


def test_a_denial_with_nothing_else_gets_the_fallback(bundled_pack: Pack) -> None:
    policy = Recorded(variant(bundled_pack, offers={"RET-006": ()}))
    decision = policy.evaluate(return_request(days_ago=90))
    assert decision.reasons[0].rule_id == "RET-006"
    assert len(policy.probed) == 4  # each other resolution, every one still too late
    assert decision.alternatives == [
        Alternative(
            kind="supervisor_review",
            text="A customer-care supervisor can take a second look at your case and may "
            "offer up to $12.90 as a goodwill gesture.",
        )
    ]


def test_the_fallback_is_the_packs(bundled_pack: Pack) -> None:
    fallback = _offer("call_us", "Write to { $escalation_contact } about the { $item_name }.")
    alternatives = dataclasses.replace(bundled_pack.alternatives, fallback=fallback)
    policy = Recorded(variant(bundled_pack, offers={"RET-006": ()}, alternatives=alternatives))
    decision = policy.evaluate(return_request(days_ago=90))
    assert [(a.kind, a.text) for a in decision.alternatives] == [
        ("call_us", "Write to a customer-care supervisor about the round wall mirror.")
    ]


def test_without_a_fallback_nothing_is_made_up(bundled_pack: Pack) -> None:
    alternatives = dataclasses.replace(bundled_pack.alternatives, fallback=None)
    policy = Recorded(variant(bundled_pack, offers={"RET-006": ()}, alternatives=alternatives))
    decision = policy.evaluate(return_request(days_ago=90))
    assert decision.outcome is Outcome.DENIED
    assert decision.alternatives == []


def test_needs_info_has_no_alternatives(recorded: Recorded) -> None:
    decision = recorded.evaluate(return_request(tags=["hygiene"], condition=None))
    assert decision.outcome is Outcome.NEEDS_INFO
    assert decision.alternatives == []
    assert recorded.probed == []


def test_alternatives_are_ranked_by_value_to_the_customer(bundled_pack: Pack) -> None:
    offers = (
        _offer("supervisor_review", "A supervisor can look."),
        _offer("refuse_delivery", "Refuse it."),
        _offer("retention_offer", "Something else."),  # not a kind the pack ranks: last
        _offer("store_credit", "Credit.", resolution="store_credit"),
        _offer("exchange", "Swap it.", resolution="exchange"),
    )
    policy = Recorded(variant(bundled_pack, offers={"RET-005": offers}))
    decision = policy.evaluate(return_request(days_ago=45))
    assert _kinds(decision.alternatives) == [
        "exchange",
        "store_credit",
        "refuse_delivery",
        "supervisor_review",
        "retention_offer",
    ]


# --------------------------------------------------------------------------- ranking


def _alt(kind: str, outcome: Outcome | None = None, **change: object) -> Alternative:
    verified = outcome is not None
    return Alternative(
        kind=kind, text=f"{kind} {change}", verified=verified, outcome=outcome, change=change
    )


def test_rank_alternatives_follows_the_packs_ranks_stably(bundled_pack: Pack) -> None:
    found = [
        _alt("supervisor_review"),
        _alt("another_window", Outcome.GRANTED, w=1),
        _alt("store_credit", Outcome.GRANTED, r="c"),
        _alt("another_date", Outcome.GRANTED, d=1),
        _alt("refund", Outcome.GRANTED, r="r"),
    ]
    ranked = rank_alternatives(found, bundled_pack)
    assert _kinds(ranked) == [
        "refund",
        "store_credit",
        "another_window",
        "another_date",  # the same rank as a window: kept in the order found
        "supervisor_review",
    ]


def test_rank_alternatives_partial_ranks_no_better_than_partial_rank(bundled_pack: Pack) -> None:
    ranks = bundled_pack.alternatives
    assert ranks.rank("refund") < ranks.rank("exchange") < ranks.partial_rank
    found = [_alt("refund", Outcome.PARTIAL, r="r"), _alt("exchange", Outcome.GRANTED, r="e")]
    assert _kinds(rank_alternatives(found, bundled_pack)) == ["exchange", "refund"]


def test_rank_alternatives_puts_verified_before_paths_of_the_same_rank(
    bundled_pack: Pack,
) -> None:
    found = [_alt("reschedule"), _alt("another_date", Outcome.GRANTED, d=1)]
    assert _kinds(rank_alternatives(found, bundled_pack)) == ["another_date", "reschedule"]


def test_rank_alternatives_keeps_each_offer_and_each_text_once(bundled_pack: Pack) -> None:
    same = _alt("store_credit", Outcome.GRANTED, r="c")
    twice_said = Alternative(kind="exchange", text=same.text)
    other_item = same.model_copy(update={"item": "Lamp"})
    ranked = rank_alternatives([same, same, twice_said, other_item], bundled_pack)
    assert ranked == [same]  # the other item's offer says the same words
    lamp = other_item.model_copy(update={"text": "For the lamp: credit."})
    assert rank_alternatives([same, lamp], bundled_pack) == [same, lamp]


def test_rank_alternatives_of_nothing_is_nothing(bundled_pack: Pack) -> None:
    assert rank_alternatives([], bundled_pack) == []


# --------------------------------------------------------------------------- apply_change


@pytest.fixture(scope="module")
def delivery(bundled_policy: Policy) -> Request:
    return parse_request(delivery_request(exact_time="10:30"), bundled_policy.request_model)


def test_apply_change_sets_nested_paths_and_validates(delivery: Request) -> None:
    changed = apply_change(
        delivery,
        [("details.new_window", {"start": "12:00", "end": "16:00"}), ("details.exact_time", None)],
    )
    assert changed is not None and type(changed) is type(delivery)
    details = changed.details.model_dump(mode="json", exclude_none=True)
    assert details == {"new_window": {"start": "12:00", "end": "16:00"}}
    assert delivery.details.model_dump(mode="json", exclude_none=True) == {"exact_time": "10:30"}
    assert changed.order is delivery.order  # untouched parts are shared, not rebuilt


def test_apply_change_reads_the_requests_json_shape(delivery: Request) -> None:
    changed = apply_change(delivery, [("details.new_date", "2026-11-27"), ("kind", "cancel")])
    assert changed is not None
    assert getattr(changed.details, "new_date", None) == date(2026, 11, 27)
    assert changed.kind == "cancel"


@pytest.mark.parametrize(
    "pairs",
    [
        [("resolution", "teleport")],
        [("details.new_date", "not-a-date")],
        [("details.new_date", "2026-02-30")],
        [("details.new_window", {"start": "12:00", "end": "08:00"})],  # a pack check fails
        [("details.nonexistent", 1)],
        [("details", 5)],
        [("details.new_date.year", 2027)],
        [("", 1)],
        [("details..new_date", "2026-11-27")],
        [("subscription.plan", "Plus")],  # nothing there to change inside
        [("details.new_date", "2026-11-20"), ("details.new_date.day", 3)],
        [("details.new_date.day", 3), ("details.new_date", "2026-11-20")],
        [("kind", "teleport")],
    ],
    ids=lambda pairs: ",".join(path or "''" for path, _ in pairs),
)
def test_apply_change_returns_none_for_an_invalid_change(
    delivery: Request, pairs: list[tuple[str, object]]
) -> None:
    assert apply_change(delivery, pairs) is None


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize(
    "data",
    [
        return_request(days_ago=90),
        return_request(days_ago=45, price="42.00"),
        delivery_request(new_date=date(2026, 11, 21), exact_time="10:30"),
        delivery_request(new_window=("09:00", "11:00"), booked=None),
    ],
    ids=["late_return", "day_45_refund", "weekend_day_and_exact_time", "odd_window"],
)
def test_the_search_is_a_few_distinct_re_decisions_the_same_each_time(
    recorded: Recorded, data: dict[str, Any]
) -> None:
    """The search's cost is its re-decisions (speed itself is for the benchmarks)."""
    first = recorded.evaluate(data)
    probes = [changed.model_dump_json() for changed in recorded.probed]
    assert 0 < len(probes) <= MAX_PROBES
    assert len(set(probes)) == len(probes), "no changed request is decided twice"
    again = recorded.evaluate(data)
    assert [changed.model_dump_json() for changed in recorded.probed] == probes
    assert again.alternatives == first.alternatives


# --------------------------------------------------------------------------- property


def _declared_kinds(pack: Pack, decision: Decision) -> set[str]:
    """The offer kinds the deciding rules declare."""
    deciding = {reason.rule_id for reason in decision.reasons}
    return {offer.kind for rule in pack.rules if rule.id in deciding for offer in rule.offers}


@given(any_request)
def test_property_alternatives_are_honest(recorded: Recorded, data: dict[str, Any]) -> None:
    try:
        decision = recorded.evaluate(data)
    except RequestError:
        return  # a request the store's systems must complete first: no search
    policy = recorded.policy
    assert_honest(policy, data, decision)
    assert_only_choices_changed(
        recorded.pack, parse_request(data, policy.request_model), recorded.probed
    )
    # the search's budget is per part decided: each selected item of a per-item request
    req = parse_request(data, policy.request_model)
    per_item = recorded.pack.vocabulary.kinds[req.kind].per_item and req.order is not None
    parts = max(1, len(req.selected_items())) if per_item else 1
    assert len(recorded.probed) <= MAX_PROBES * parts
    keys = [
        (a.item, a.kind, tuple(sorted(map(repr, a.change.items())))) for a in decision.alternatives
    ]
    assert len(keys) == len(set(keys))
    if decision.outcome is Outcome.NEEDS_INFO:
        assert decision.alternatives == []
    if decision.outcome is Outcome.DENIED:
        assert decision.alternatives, "every denial carries at least one alternative"
    if decision.outcome is Outcome.ESCALATE:  # already with a person: that is the way forward
        assert decision.alternatives or decision.context.escalation_contact
    if decision.outcome is Outcome.GRANTED:
        # only what the granting rule declares; never the thing already granted
        assert set(_kinds(decision.alternatives)) <= _declared_kinds(recorded.pack, decision)
