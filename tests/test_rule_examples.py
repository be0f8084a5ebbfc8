"""Every ``examples:`` entry in the bundled pack (rules/*.yaml) runs as a test.

An example names a request, the outcome the policy must reach and, usually, the rule that
must decide it. The examples are the pack's own specification: a change to a rule that
moves an example fails here, next to the example's name.
"""

from __future__ import annotations

from datetime import datetime

import pytest

import policylib
from policylib.language import Example
from policylib.loader import load_pack

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


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example(bundled_policy: policylib.Policy, example: Example) -> None:
    decision = _decide(bundled_policy, example)
    deciding = decision.reasons[0].rule_id if decision.reasons else None
    assert decision.outcome.value == example.outcome, (
        f"{example.loc}: expected {example.outcome}, got {decision.outcome.value} "
        f"(rule {deciding}); explanation:\n{decision.explanation}"
    )
    if example.rule:
        assert deciding == example.rule, (
            f"{example.loc}: expected rule {example.rule} to decide, got {deciding}"
        )
    if decision.outcome.value == "needs_info":
        assert len(decision.questions) == 1, "needs_info asks exactly one question"
    if decision.outcome.value == "denied":
        assert decision.alternatives, "every denial offers an alternative or a review"


def test_an_unknown_seal_on_a_hygiene_item_asks_whether_it_was_opened(
    bundled_policy: policylib.Policy,
) -> None:
    example = next(e for e in EXAMPLES if e.name.startswith("toilet seat return that"))
    decision = _decide(bundled_policy, example)
    assert decision.outcome.value == "needs_info"
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
