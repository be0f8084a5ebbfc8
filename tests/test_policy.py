"""End to end on the bundled pack: the properties every decision must have."""

from __future__ import annotations

import copy
import json
import re
import threading
from typing import Any

import pytest
from hypothesis import given

import policylib
from policylib import Decision, Outcome, Policy, RequestError
from tests.strategies import NOW, any_request, request

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
RULE_ID = re.compile(r"\b[A-Z]{2,}(-[A-Z0-9]+)*-\d+\b")
PLACEHOLDER = re.compile(r"\{\s*\$|\{\s*[a-z_]+\s*\}")


def apply_change(data: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for path, value in change.items():
        target = changed
        parts = path.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return changed


def check_properties(policy: Policy, data: dict[str, Any], decision: Decision) -> None:
    assert decision.reasons, "every decision has a reason (or the default)"
    if decision.outcome is Outcome.NEEDS_INFO:
        assert len(decision.questions) == 1, "one question at a time"
        assert decision.questions[0].text.endswith("?")
    else:
        assert not decision.questions
    if decision.outcome in (Outcome.DENIED, Outcome.ESCALATE):
        assert decision.alternatives, "every denial has an alternative or a review path"
    for alt in decision.alternatives:
        if alt.verified:
            again = policy.evaluate(apply_change(data, alt.change), now=NOW)
            assert again.outcome in (Outcome.GRANTED, Outcome.PARTIAL), (alt, again.outcome)
    for audience in ("customer", "chat"):
        text = decision.render(audience=audience)
        assert "None" not in text
        assert not ISO.search(text), text
        assert not RULE_ID.search(text), text
        assert not PLACEHOLDER.search(text), text
    assert decision.explanation == decision.render("customer")
    name = data.get("customer", {}).get("name")
    if name:
        assert decision.explanation.split("\n", 1)[0].count(name) == 1


@given(any_request)
def test_every_generated_request_gets_a_well_formed_decision(
    bundled_policy: Policy, data: dict[str, Any]
) -> None:
    decision = bundled_policy.evaluate(data, now=NOW)
    check_properties(bundled_policy, data, decision)


@given(any_request)
def test_same_request_same_decision(bundled_policy: Policy, data: dict[str, Any]) -> None:
    first = bundled_policy.evaluate(data, now=NOW).model_dump(mode="json")
    second = bundled_policy.evaluate(json.dumps(data), now=NOW).model_dump(mode="json")
    assert first == second


@given(any_request)
def test_fast_decide_agrees_with_evaluate(bundled_policy: Policy, data: dict[str, Any]) -> None:
    assert bundled_policy.decide(data, now=NOW) == bundled_policy.evaluate(data, now=NOW).outcome


def test_decision_serialises_to_json(bundled_policy: Policy) -> None:
    payload = bundled_policy.evaluate(request(), now=NOW).model_dump(mode="json")
    text = json.dumps(payload)
    assert json.loads(text)["outcome"] in {o.value for o in Outcome}
    assert payload["trace"], "the trace is part of the JSON"


def test_requested_at_wins_over_now(bundled_policy: Policy) -> None:
    data = request()
    later = NOW.replace(year=2027)
    assert bundled_policy.evaluate(data, now=later) == bundled_policy.evaluate(data, now=NOW)


def test_naive_now_is_refused(bundled_policy: Policy) -> None:
    data = request(requested_at=...)
    with pytest.raises(ValueError, match="time zone"):
        bundled_policy.evaluate(data, now=NOW.replace(tzinfo=None))


def test_loading_the_pack_twice_works(bundled_policy: Policy) -> None:
    again = policylib.load_policy()
    assert again.evaluate(request(), now=NOW) == bundled_policy.evaluate(request(), now=NOW)


def test_names_with_markup_or_template_syntax_are_refused_alike(bundled_policy: Policy) -> None:
    for path in ("order.items.0.name", "customer.name"):
        with pytest.raises(RequestError, match="braces or angle brackets") as info:
            bundled_policy.evaluate(
                request(**{path: "{ $customer_name } <script>x</script>"}), now=NOW
            )
        assert [p.where for p in info.value.problems] == [path.replace(".0", "[0]")]


def test_customer_text_is_inserted_literally_and_escaped(bundled_policy: Policy) -> None:
    data = request(**{"order.items.0.name": 'Tom & Jerry\'s "best" seat'})
    decision = bundled_policy.evaluate(data, now=NOW)
    html = decision.render(audience="customer", format="html")
    assert "Tom &amp; Jerry&#x27;s &quot;best&quot; seat" in html
    assert 'Tom & Jerry\'s "best" seat' in decision.render(audience="customer")


def test_free_text_note_never_changes_a_decision(bundled_policy: Policy) -> None:
    a = bundled_policy.evaluate(
        request(**{"details.note": "I am a lawyer, refund me now"}), now=NOW
    )
    b = bundled_policy.evaluate(request(), now=NOW)
    assert a.outcome == b.outcome and a.explanation == b.explanation
    assert "lawyer" not in a.render("agent")


def test_multi_item_return_mixes_into_partial(bundled_policy: Policy) -> None:
    data = request(
        items=["TS-100", "LAMP-1"],
        **{
            "order.items": [
                request()["order"]["items"][0],
                {
                    "sku": "LAMP-1",
                    "name": "Desk lamp",
                    "category": "decor",
                    "price": 30,
                    "condition": "unopened",
                },
            ]
        },
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.outcome is Outcome.PARTIAL
    check_properties(bundled_policy, data, decision)


def test_one_policy_from_many_threads_matches_sequential(bundled_policy: Policy) -> None:
    cases = [
        request(),
        request(**{"order.items.0.condition": "unopened"}),
        request(**{"order.items.0.condition": ...}),
        request(kind="cancel", items=..., reason=None, resolution=None),
    ]
    expected = [bundled_policy.evaluate(c, now=NOW) for c in cases]
    errors: list[BaseException] = []
    mismatches: list[int] = []

    def work() -> None:
        try:
            for _ in range(25):
                for i, case in enumerate(cases):
                    if bundled_policy.evaluate(case, now=NOW) != expected[i]:
                        mismatches.append(i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and not mismatches


@given(any_request)
def test_pruned_alternatives_search_finds_what_the_full_search_finds(
    bundled_policy: Policy,
    data: dict[str, Any],
) -> None:
    """Probes are skipped only for changes that cannot alter the verdict (see
    alternatives._axes_that_matter); searching every axis must find nothing more."""
    from policylib import alternatives

    pruned = bundled_policy.evaluate(data, now=NOW).alternatives
    every_axis = frozenset(alternatives._AXIS_DERIVATIONS)
    original = alternatives._axes_that_matter
    alternatives._axes_that_matter = lambda *_: every_axis  # type: ignore[assignment]
    try:
        full = bundled_policy.evaluate(data, now=NOW).alternatives
    finally:
        alternatives._axes_that_matter = original
    assert pruned == full


def test_a_question_for_one_item_holds_back_the_other_items_offers(bundled_policy: Policy) -> None:
    lamp = {
        "sku": "LAMP-1",
        "name": "Desk lamp",
        "category": "decor",
        "price": 30,
        "condition": "used",
    }
    data = request(
        items=["TS-100", "LAMP-1"],
        **{"order.items": [request(**{"order.items.0.condition": ...})["order"]["items"][0], lamp]},
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.outcome is Outcome.NEEDS_INFO
    assert decision.alternatives == []


def test_offers_in_a_multi_item_decision_name_their_item(bundled_policy: Policy) -> None:
    data = request(
        items=["TS-100", "LAMP-1"],
        **{
            "order.placed_at": "2026-10-01T10:00:00-04:00",
            "order.delivered_at": "2026-10-10T13:00:00-04:00",
            "order.items": [
                request()["order"]["items"][0],
                {
                    "sku": "LAMP-1",
                    "name": "Desk lamp",
                    "category": "decor",
                    "price": 30,
                    "condition": "unopened",
                },
            ],
        },
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.alternatives
    assert all(alt.item for alt in decision.alternatives)


def test_partly_granted_offers_say_what_is_kept(bundled_policy: Policy) -> None:
    data = request(
        **{
            "order.status": "in_production",
            "order.delivered_at": ...,
            "order.items.0.tags": ["custom_made"],
            "order.items.0.category": "furniture",
            "order.items.0.price": 1899,
            "order.placed_at": "2026-11-10T10:00:00-05:00",
        }
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    for alt in decision.alternatives:
        if alt.outcome == "partial":
            assert "deposit" in alt.text, alt.text
