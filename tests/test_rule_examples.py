"""The worked examples of the bundled pack (rules/*.yaml) and of the second pack
(examples/packs/voltaic, an electronics store written without Python) as a whole.

Each example runs as its own test item through policylib's pytest plugin
(``policylib_packs`` in pyproject.toml: plain ``pytest`` runs them, ``pytest rules/`` one
pack's); this module checks what the examples say together.

An example names a request (inline, or a ``request_file`` under the pack's examples/), the
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
from policylib.lang.nodes import Example, Outcome, Pack
from policylib.load import load_pack
from tests import ROOT

PACK = load_pack()
EXAMPLES: tuple[Example, ...] = PACK.examples
VOLTAIC_DIR = ROOT / "examples" / "packs" / "voltaic"
VOLTAIC = load_pack(VOLTAIC_DIR)
PACKS = {"hearth": PACK, "voltaic": VOLTAIC}
POLICIES = {name: policylib.Policy(pack) for name, pack in PACKS.items()}


def _now(example: Example) -> datetime | None:
    return datetime.fromisoformat(example.now) if example.now else None


def _decide(policy: policylib.Policy, example: Example) -> policylib.Decision:
    return policy.evaluate(example.request, now=_now(example))


@pytest.mark.parametrize("pack", PACKS.values(), ids=PACKS)
def test_the_pack_has_examples(pack: Pack) -> None:
    assert len(pack.examples) >= len(pack.rules)


@pytest.mark.parametrize("pack", PACKS.values(), ids=PACKS)
def test_every_rule_has_an_example_that_it_decides(pack: Pack) -> None:
    decided = {example.rule for example in pack.examples if example.rule}
    missing = sorted(rule.id for rule in pack.rules if rule.id not in decided)
    assert not missing, f"rules without a deciding example: {missing}"


@pytest.mark.parametrize("pack", PACKS.values(), ids=PACKS)
def test_example_names_are_unique(pack: Pack) -> None:
    names = [example.name for example in pack.examples]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("pack", PACKS.values(), ids=PACKS)
def test_every_example_pins_its_clock(pack: Pack) -> None:
    """An example decided at the current time would pass today and fail next month."""
    loose = [e.name for e in pack.examples if not e.now and "requested_at" not in e.request]
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


def test_every_request_of_the_second_pack_is_a_worked_example() -> None:
    files = sorted((VOLTAIC_DIR / "examples").glob("*.json"))
    requests = [example.request for example in VOLTAIC.examples]
    unused = [f.name for f in files if json.loads(f.read_text(encoding="utf-8")) not in requests]
    assert len(files) >= 8 and not unused


def test_the_second_pack_is_written_without_python() -> None:
    assert not [p for p in VOLTAIC_DIR.rglob("*") if p.suffix in (".py", ".pyc")]
    assert VOLTAIC.functions.keys() == load_pack().functions.keys()  # built-ins only


def test_an_unknown_seal_on_a_hygiene_item_asks_whether_it_was_opened(
    bundled_policy: policylib.Policy,
) -> None:
    example = next(e for e in EXAMPLES if e.name.startswith("toilet seat return that"))
    decision = _decide(bundled_policy, example)
    assert decision.outcome is Outcome.NEEDS_INFO
    assert decision.questions[0].fact == "item_opened"
    assert decision.questions[0].field == "order.items[].condition"


@pytest.mark.parametrize("pack_name", PACKS)
def test_customer_texts_never_show_rule_ids_or_placeholders(pack_name: str) -> None:
    rule_ids = {rule.id for rule in PACKS[pack_name].rules}
    for example in PACKS[pack_name].examples:
        text = _decide(POLICIES[pack_name], example).explanation
        assert "{" not in text and "}" not in text, f"{example.name}: {text}"
        assert not any(rid in text for rid in rule_ids), f"{example.name}: {text}"


# --------------------------------------------------------------------------- the second pack


def _voltaic(name: str) -> policylib.Decision:
    example = next(e for e in VOLTAIC.examples if e.name == name)
    return _decide(POLICIES["voltaic"], example)


def test_the_whole_kit_offer_says_what_each_item_keeps() -> None:
    """A change that selects more items is re-decided item by item: the offer names the
    fee on each, not the first item's only."""
    decision = _voltaic("kit lens sent back without its camera body")
    assert decision.outcome is Outcome.DENIED
    (kit,) = [a for a in decision.alternatives if a.kind == "return_kit"]
    assert kit.verified and kit.outcome is Outcome.PARTIAL and kit.change == {"items": None}
    assert "$165.00" in kit.text and "$60.00" in kit.text, kit.text


def test_a_kit_returned_whole_is_not_refused_for_the_lens() -> None:
    decision = _voltaic("kit lens and body named together keep the restocking fee")
    assert {t.rule_id for t in decision.trace if t.decided} == {"RET-002"}


def test_each_team_takes_its_own_escalations_on_the_policy_page() -> None:
    page = POLICIES["voltaic"].publish("markdown")
    repairs = page[page.index("## Warranty and repairs") :]
    repairs = repairs[: repairs.index("\n## ", 1)]
    assert "We pass your request to our repair desk." in repairs
    assert "customer-care lead" not in repairs
