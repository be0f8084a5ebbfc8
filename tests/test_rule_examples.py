"""Every ``examples:`` entry in the bundled pack (rules/*.yaml) runs as a test.

An example names a request (inline, or a ``request_file`` under rules/examples/), the
outcome the policy must reach and, usually, the rule that must decide it, at a pinned
clock (its ``now``, or the request's ``requested_at``). The examples are the pack's own
specification: a change to a rule that moves an example fails here, next to the example's
name.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

import policylib
from policylib.lang.nodes import Example, Outcome
from policylib.load import load_pack
from tests import ROOT

PACK = load_pack()  # at import: the examples are the test parameters
EXAMPLES: tuple[Example, ...] = PACK.examples


def _now(example: Example) -> datetime | None:
    return datetime.fromisoformat(example.now) if example.now else None


def _decide(policy: policylib.Policy, example: Example) -> policylib.Decision:
    return policy.evaluate(example.request, now=_now(example))


def test_the_pack_has_examples() -> None:
    assert len(EXAMPLES) >= len(PACK.rules)


def test_every_rule_has_an_example_that_it_decides() -> None:
    decided = {example.rule for example in EXAMPLES if example.rule}
    missing = sorted(rule.id for rule in PACK.rules if rule.id not in decided)
    assert not missing, f"rules without a deciding example: {missing}"


def test_example_names_are_unique() -> None:
    names = [example.name for example in EXAMPLES]
    assert len(names) == len(set(names))


def test_every_example_pins_its_clock() -> None:
    """An example decided at the current time would pass today and fail next month."""
    loose = [e.name for e in EXAMPLES if not e.now and "requested_at" not in e.request]
    assert not loose


_DEMO_ONLY = {"exchange_lamp_day_40.json"}
"""Demo requests no worked example pins yet (only the goldens and ``policylib demo`` run
them): give each an example with its outcome and rule, then drop it from here."""


def test_the_demo_requests_are_worked_examples_too() -> None:
    """The demo requests (rules/examples/*.json) run here through ``request_file``."""
    files = sorted((ROOT / "rules" / "examples").glob("*.json"))
    requests = [example.request for example in EXAMPLES]
    used = [f.name for f in files if json.loads(f.read_text(encoding="utf-8")) in requests]
    assert len(used) > len(EXAMPLES) // 10, "request_file examples are loaded and run"
    assert {f.name for f in files} - set(used) == _DEMO_ONLY


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example(bundled_policy: policylib.Policy, example: Example) -> None:
    decision = _decide(bundled_policy, example)
    deciding = decision.reasons[0].rule_id if decision.reasons else None
    assert decision.outcome is example.outcome, (
        f"{example.loc}: expected {example.outcome}, got {decision.outcome} "
        f"(rule {deciding}); explanation:\n{decision.explanation}"
    )
    if example.rule:
        assert deciding == example.rule, (
            f"{example.loc}: expected rule {example.rule} to decide, got {deciding}"
        )
    if decision.outcome is Outcome.NEEDS_INFO:
        assert len(decision.questions) == 1, "needs_info asks exactly one question"
    if decision.outcome is Outcome.DENIED:
        assert decision.alternatives, "every denial offers an alternative or a review"


def test_an_unknown_seal_on_a_hygiene_item_asks_whether_it_was_opened(
    bundled_policy: policylib.Policy,
) -> None:
    example = next(e for e in EXAMPLES if e.name.startswith("toilet seat return that"))
    decision = _decide(bundled_policy, example)
    assert decision.outcome is Outcome.NEEDS_INFO
    assert decision.questions[0].fact == "item_opened"
    assert decision.questions[0].field == "order.items[].condition"


def test_customer_texts_never_show_rule_ids_or_placeholders(
    bundled_policy: policylib.Policy,
) -> None:
    rule_ids = {rule.id for rule in PACK.rules}
    for example in EXAMPLES:
        text = _decide(bundled_policy, example).explanation
        assert "{" not in text and "}" not in text, f"{example.name}: {text}"
        assert not any(rid in text for rid in rule_ids), f"{example.name}: {text}"
