"""The chat view and the escalate reply, over every worked example of both packs.

A chat bubble is shorter than the customer reply, never emptier: every amount, percentage,
date and item name the customer reply states, the chat states too (it drops the whys).
An escalated case says once who has it and what happens next: no reply both passes the
case to someone and offers a review by that same person.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

import policylib
from policylib.lang.nodes import Example, Outcome, Pack
from policylib.load import load_pack
from tests import ROOT
from tests.requests import NOW

PACK_DIRS = {"hearth": ROOT / "rules", "voltaic": ROOT / "examples" / "packs" / "voltaic"}
AUDIENCES = ("customer", "agent", "chat")

_MONEY = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP)\b")
_PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s?%")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}\b(?:, \d{{4}})?")


@pytest.fixture(scope="module")
def decided() -> dict[str, list[tuple[Example, policylib.Decision]]]:
    """Every worked example of both packs, decided at its pinned clock."""
    out: dict[str, list[tuple[Example, policylib.Decision]]] = {}
    for name, folder in PACK_DIRS.items():
        pack = load_pack(folder)
        policy = policylib.Policy(pack)
        out[name] = [(e, policy.evaluate(e.request, now=_now(e))) for e in pack.examples]
    return out


def _now(example: Example) -> datetime | None:
    return datetime.fromisoformat(example.now) if example.now else None


def _item_names(example: Example, decision: policylib.Decision) -> set[str]:
    """The names a reply may quote: the decision's, and the request's items' own."""
    names = {n for n in decision.context.names if n}
    order = example.request.get("order")
    items: Any = order.get("items", []) if isinstance(order, dict) else []
    names.update(i["name"] for i in items if isinstance(i, dict) and i.get("name"))
    return names


def _decisive_facts(text: str, names: set[str]) -> set[str]:
    """The amounts, percentages, dates and item names a reply states."""
    found = {n for n in names if n in text}
    for pattern in (_MONEY, _PERCENT, _DATE):
        found.update(m.group(0) for m in pattern.finditer(text))
    return found


@pytest.mark.parametrize("pack", PACK_DIRS)
def test_the_chat_view_states_every_fact_the_customer_view_states(
    decided: dict[str, list[tuple[Example, policylib.Decision]]], pack: str
) -> None:
    missing: list[str] = []
    for example, decision in decided[pack]:
        customer = decision.render(audience="customer")
        chat = decision.render(audience="chat")
        names = _item_names(example, decision)
        lost = sorted(_decisive_facts(customer, names) - _decisive_facts(chat, names))
        if lost:
            missing.append(f"{example.name}: {lost}\n{chat}")
    assert not missing, "\n\n".join(missing)


def test_the_chat_view_stays_shorter_than_the_customer_view(
    decided: dict[str, list[tuple[Example, policylib.Decision]]],
) -> None:
    """Printed with -s: the mean length of both views over every worked example."""
    pairs = [
        (len(d.render(audience="customer")), len(d.render(audience="chat")))
        for examples in decided.values()
        for _, d in examples
    ]
    customer = statistics.mean(c for c, _ in pairs)
    chat = statistics.mean(c for _, c in pairs)
    print(f"\n{len(pairs)} examples: mean characters customer {customer:.0f}, chat {chat:.0f}")
    assert all(c <= full for full, c in pairs)
    assert chat < 0.9 * customer


def _passed_to(text: str, contact: str) -> bool:
    return bool(re.search(rf"\b(passed|pass|handed)\b[^.]*\bto {re.escape(contact)}", text, re.I))


def _review_offers(text: str, contact: str) -> list[str]:
    """The sentences that offer a review (a second look) by the contact."""
    head = contact.split()[-1]  # "a customer-care supervisor" -> "supervisor"
    offers = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if _passed_to(sentence, contact):
            continue
        if re.search(r"\breview|second look|take a look", sentence, re.I) and re.search(
            rf"\b{re.escape(head)}\b", sentence, re.I
        ):
            offers.append(sentence.strip())
    return offers


def _contradictions(decision: policylib.Decision) -> Iterator[str]:
    contact = decision.context.escalation_contact
    if not contact:
        return
    for audience in AUDIENCES:
        text = decision.render(audience=audience)  # type: ignore[arg-type]
        if _passed_to(text, contact):
            for offer in _review_offers(text, contact):
                yield f"{audience}: passed to {contact}, then {offer!r}"


@pytest.mark.parametrize("pack", PACK_DIRS)
def test_no_escalate_reply_offers_a_review_by_the_contact_who_has_the_case(
    decided: dict[str, list[tuple[Example, policylib.Decision]]], pack: str
) -> None:
    escalated = [(e, d) for e, d in decided[pack] if d.outcome is Outcome.ESCALATE]
    assert escalated, "the pack has escalation examples"
    found = [f"{e.name}: {c}" for e, d in escalated for c in _contradictions(d)]
    assert not found, "\n".join(found)


def test_escalate_passes_the_case_on_once_even_with_nothing_else_to_offer(
    bundled_pack: Pack,
) -> None:
    """The issue's case: an escalation whose rule offers nothing got the fallback review
    ("I've passed your return to a store manager ..." then "You can ask a store manager to
    review your case"); the escalation is the way forward, so nothing is added to it."""
    rules = tuple(
        dataclasses.replace(rule, offers=()) if rule.outcome is Outcome.ESCALATE else rule
        for rule in bundled_pack.rules
    )
    policy = policylib.Policy(dataclasses.replace(bundled_pack, rules=rules))
    request = {
        "kind": "return",
        "requested_at": NOW.isoformat(),
        "customer": {"name": "Ann Lee"},
        "order": {
            "id": "HH-1",
            "placed_at": "2026-11-02T08:30:00-05:00",
            "status": "delivered",
            "delivered_at": "2026-11-10T13:30:00-05:00",
            "items": [
                {
                    "sku": "S-1",
                    "name": "round wall mirror",
                    "category": "decor",
                    "price": "129.00",
                    "condition": "damaged",
                }
            ],
        },
        "reason": "changed_mind",
        "resolution": "refund",
    }
    decision = policy.evaluate(request, now=NOW)
    assert decision.outcome is Outcome.ESCALATE
    assert decision.alternatives == []
    assert not list(_contradictions(decision))
    chat = decision.render(audience="chat")
    assert chat.count("passed your return to") == 1, chat


@pytest.mark.parametrize("pack", PACK_DIRS)
def test_the_chat_says_each_reasons_text_whole_and_no_why(
    decided: dict[str, list[tuple[Example, policylib.Decision]]], pack: str
) -> None:
    """The bubble is built from the reasons' own fields, not from cutting sentences out of
    them: each text the customer reply says is in it as written; no why is."""
    wrong: list[str] = []
    for example, decision in decided[pack]:
        if decision.outcome is Outcome.NEEDS_INFO:
            continue
        chat = decision.render(audience="chat")
        customer = decision.render(audience="customer")
        for reason in decision.reasons:
            if reason.text and reason.text in customer and reason.text not in chat:
                wrong.append(f"{example.name}: lost {reason.text!r}")
            if reason.why and reason.why not in (reason.text, "") and reason.why in chat:
                wrong.append(f"{example.name}: says the why {reason.why!r}")
    assert not wrong, "\n".join(wrong)
