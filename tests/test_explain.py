"""Explanations: the words a customer, an agent and a chat bubble get for a decision.

Decisions are built directly from the output types (not through the rules pack), so these
tests pin the views on their own; they are rendered in the bundled policy's voice
(``policy.texts``: its phrasebook, rules/common.ftl over policylib's en.ftl, and its value
formatting), the way ``policy.render(decision)`` renders a decision read back from JSON.
Golden files live in ``tests/golden/explain/``; pass ``--update-goldens`` to rewrite them,
then read the diff: those files are the product.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.resources
import re
import shutil
import threading
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
import textstat
from fluent.syntax import FluentParser
from fluent.syntax import ast as fl
from hypothesis import given
from hypothesis import strategies as st

import policylib
from policylib import Policy
from policylib.errors import PolicyError
from policylib.lang.nodes import Citation as RuleCitation
from policylib.lang.nodes import Compare, FactDef, Message, Offer, Outcome, Pack, Rule
from policylib.lang.phrases import phrase_ids
from policylib.output.decision import (
    Alternative,
    Citation,
    ConditionTrace,
    Decision,
    DecisionContext,
    Question,
    Reason,
    RuleTrace,
)
from policylib.render.phrasebook import Phrasebook
from policylib.render.texts import TextRenderer
from policylib.render.views import render_decision
from policylib.testing import engine_pack, fact
from tests import ROOT
from tests.conftest import Goldens
from tests.requests import NOW

POLICIES = "https://hearthandhome.example/policies"
DECIDED_AT = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)

pytestmark = pytest.mark.usefixtures("offline_syllables")

Audience = Literal["customer", "agent", "chat"]
Fmt = Literal["text", "markdown", "html"]


@pytest.fixture(scope="module")
def voice(bundled_policy: Policy) -> TextRenderer:
    """The bundled policy's voice: its connecting words and its facts' formatters."""
    return bundled_policy.texts


# --------------------------------------------------------------------------- building decisions


Status = Literal["held", "failed", "unknown"]


def _cond(
    fact: str, label: str, op: str, required: Any, actual: Any, status: Status = "held"
) -> ConditionTrace:
    return ConditionTrace(
        fact=fact, label=label, op=op, required=required, actual=actual, status=status
    )


def _context(
    kind: str,
    facts: dict[str, str],
    name: str | None = "Dana",
    limit: str = "$50.00",
    names: tuple[str, ...] = (),
) -> DecisionContext:
    return DecisionContext(
        customer_name=name,
        names=list(names),
        policy_url=POLICIES,
        locale="en_US",
        currency="USD",
        request_kind=kind,
        escalation_contact="a customer-care supervisor",
        agent_may_approve=limit,
        facts=facts,
    )


def hygiene_denial(name: str | None = "Dana", item: str = "toilet seat") -> Decision:
    reason = Reason(
        rule_id="HYG-001",
        title="Opened bath and personal-care items can't be returned",
        outcome=Outcome.DENIED,
        citation=Citation(
            section="hygiene",
            title="Bath and personal-care items",
            url=f"{POLICIES}#opened-hygiene-items",
        ),
        text=f"Because the {item} has been opened, we can't take it back.",
        answers=True,  # the text says the outcome itself
        why=(
            "Bath and personal-care items can't be sold again once opened. This keeps "
            "everything we sell clean and safe for the next customer, including you."
        ),
    )
    return Decision(
        outcome=Outcome.DENIED,
        explanation="",
        reasons=[reason],
        alternatives=[
            Alternative(
                kind="warranty",
                text=f"If the {item} is faulty, we'll repair or replace it under its warranty.",
                rule_id="DEF-010",
                verified=True,
                change={"reason": "defective"},
            ),
            Alternative(
                kind="supervisor_review",
                text=(
                    "If something unusual happened, a supervisor can review your case and may "
                    "approve a goodwill gesture of up to $4.90."
                ),
            ),
        ],
        trace=[
            RuleTrace(
                rule_id="HYG-001",
                title=reason.title,
                outcome=Outcome.DENIED,
                priority=150,
                status="held",
                decided=True,
                conditions=[
                    _cond(
                        "item_hygiene",
                        "whether it is a bath or personal-care item",
                        "eq",
                        True,
                        True,
                    ),
                    _cond("item_opened", "whether the item has been opened", "eq", True, True),
                    _cond(
                        "reason",
                        "reason for the request",
                        "not_in",
                        ["damaged_in_transit", "defective", "wrong_item"],
                        "changed_mind",
                    ),
                ],
            ),
            RuleTrace(
                rule_id="RET-001",
                title="Unused items within 30 days can be returned",
                outcome=Outcome.GRANTED,
                priority=100,
                status="skipped",
            ),
        ],
        context=_context(
            "return",
            {
                "whether it is a bath or personal-care item": "yes",
                "whether the item has been opened": "yes",
                "reason for the request": "changed mind",
            },
            name=name,
            limit="$4.90",
            names=(item,),
        ),
        decided_at=DECIDED_AT,
    )


def truck_loaded() -> Decision:
    reason = Reason(
        rule_id="DLV-023",
        title="No changes once the truck is loaded",
        outcome=Outcome.DENIED,
        citation=Citation(
            section="delivery", title="Delivery", url=f"{POLICIES}#changing-a-delivery"
        ),
        text="Your order is already on the delivery truck, so we can't change the day or time now.",
        answers=True,
        why=(
            "Each truck is packed in route order, so one change would delay every stop after yours."
        ),
    )
    return Decision(
        outcome=Outcome.DENIED,
        explanation="",
        reasons=[reason],
        alternatives=[
            Alternative(
                kind="someone_else", text="Someone else at the address can receive it for you."
            ),
            Alternative(
                kind="later_date_with_fee",
                text="We can bring it back on a later day for a $49.00 redelivery fee.",
                rule_id="DLV-030",
                verified=True,
                change={"details": {"new_date": "2026-12-03"}},
            ),
        ],
        trace=[
            RuleTrace(
                rule_id="DLV-023",
                title=reason.title,
                outcome=Outcome.DENIED,
                priority=120,
                status="held",
                decided=True,
                conditions=[
                    _cond(
                        "truck_loaded",
                        "whether the delivery truck has been loaded",
                        "eq",
                        True,
                        True,
                    ),
                ],
            ),
        ],
        context=_context(
            "change_delivery",
            {"whether the delivery truck has been loaded": "yes"},
            name="Marcus",
        ),
        decided_at=DECIDED_AT,
    )


def membership_cancel() -> Decision:
    reason = Reason(
        rule_id="MEM-001",
        title="Memberships can be cancelled any time",
        outcome=Outcome.GRANTED,
        citation=Citation(
            section="memberships",
            title="Memberships and session plans",
            url=f"{POLICIES}#cancelling-a-membership",
        ),
        text=(
            "Your Plus membership ends today. We'll refund $12.50 for the 15 days left in "
            "this month to your card, and you'll see it within 5 business days."
        ),
        why="",
    )
    return Decision(
        outcome=Outcome.GRANTED,
        explanation="",
        reasons=[reason],
        alternatives=[
            Alternative(
                kind="pause",
                text="A free pause of up to 3 months, if you'd ever rather keep your benefits.",
                rule_id="MEM-010",
                verified=True,
            ),
        ],
        trace=[
            RuleTrace(
                rule_id="MEM-001",
                title=reason.title,
                outcome=Outcome.GRANTED,
                priority=100,
                status="held",
                decided=True,
                conditions=[
                    _cond("subscription_type", "kind of plan", "eq", "membership", "membership"),
                ],
            ),
        ],
        context=_context(
            "cancel",
            {
                "kind of plan": "membership",
                "end of your current billing period": "Monday, November 30",
            },
            name="Priya",
        ),
        decided_at=DECIDED_AT,
    )


def damaged_apology(sorry_in_text: bool = True) -> Decision:
    text = (
        "I'm sorry your floor lamp arrived damaged. We'll send a new one at no cost, and "
        "you don't need to send the broken one back."
        if sorry_in_text
        else "We'll send a new floor lamp at no cost, and you don't need to send the "
        "broken one back."
    )
    reason = Reason(
        rule_id="DEF-001",
        title="Items damaged in shipping are replaced or refunded",
        outcome=Outcome.GRANTED,
        citation=Citation(
            section="defects",
            title="Faulty, damaged and wrong items",
            url=f"{POLICIES}#damaged-in-shipping",
        ),
        text=text,
        why="It's our job to get it to you in one piece.",
        apology=True,
        answers=sorry_in_text,  # the text says sorry and what we'll do in its own words
    )
    return Decision(
        outcome=Outcome.GRANTED,
        explanation="",
        reasons=[reason],
        alternatives=[
            Alternative(
                kind="refund",
                text="A full refund of $189.00 instead, if you'd rather not wait for a new one.",
                rule_id="DEF-001",
                verified=True,
                change={"resolution": "refund"},
            ),
        ],
        trace=[
            RuleTrace(
                rule_id="DEF-001",
                title=reason.title,
                outcome=Outcome.GRANTED,
                priority=200,
                status="held",
                decided=True,
                conditions=[
                    _cond(
                        "reason",
                        "reason for the request",
                        "eq",
                        "damaged_in_transit",
                        "damaged_in_transit",
                    ),
                    _cond("days_since_delivery", "days since your order arrived", "lte", 7, 2),
                ],
            ),
        ],
        context=_context(
            "return",
            {
                "reason for the request": "damaged in transit",
                "days since your order arrived": "2 days",
            },
            name="Sam",
            limit="$18.90",
        ),
        decided_at=DECIDED_AT,
    )


def needs_info() -> Decision:
    reason = Reason(
        rule_id="HYG-001",
        title="Opened bath and personal-care items can't be returned",
        outcome=Outcome.NEEDS_INFO,
        citation=Citation(
            section="hygiene",
            title="Bath and personal-care items",
            url=f"{POLICIES}#opened-hygiene-items",
        ),
        text="",
        why=(
            "Bath and personal-care items can't be sold again once opened. This keeps "
            "everything we sell clean and safe for the next customer."
        ),
    )
    return Decision(
        outcome=Outcome.NEEDS_INFO,
        explanation="",
        reasons=[reason],
        questions=[
            Question(
                fact="item_opened",
                text="Has the shower head been taken out of its sealed packaging?",
                field="order.items[].condition",
            )
        ],
        trace=[
            RuleTrace(
                rule_id="HYG-001",
                title=reason.title,
                outcome=Outcome.DENIED,
                priority=150,
                status="unknown",
                conditions=[
                    _cond(
                        "item_hygiene",
                        "whether it is a bath or personal-care item",
                        "eq",
                        True,
                        True,
                    ),
                    _cond(
                        "item_opened",
                        "whether the item has been opened",
                        "eq",
                        True,
                        None,
                        "unknown",
                    ),
                ],
            ),
        ],
        context=_context(
            "return",
            {
                "whether it is a bath or personal-care item": "yes",
                "whether the item has been opened": "not known",
            },
        ),
        decided_at=DECIDED_AT,
    )


def restocking_fee() -> Decision:
    reason = Reason(
        rule_id="RET-020",
        title="Opened electronics carry a restocking fee",
        outcome=Outcome.PARTIAL,
        citation=Citation(
            section="returns", title="Returns and refunds", url=f"{POLICIES}#restocking-fee"
        ),
        text=(
            "Because the headphones have been opened, a 15% restocking fee of $37.50 "
            "applies, so we'll refund $212.50."
        ),
        why="Opened electronics need to be tested and repacked before we can sell them again.",
    )
    return Decision(
        outcome=Outcome.PARTIAL,
        explanation="",
        reasons=[reason],
        alternatives=[
            Alternative(
                kind="exchange",
                text="An exchange for another pair, with no fee.",
                rule_id="RET-030",
                verified=True,
                change={"resolution": "exchange"},
            ),
            Alternative(
                kind="store_credit",
                text="Store credit for the full $250.00.",
                rule_id="RET-031",
                verified=True,
                change={"resolution": "store_credit"},
            ),
        ],
        trace=[
            RuleTrace(
                rule_id="RET-020",
                title=reason.title,
                outcome=Outcome.PARTIAL,
                priority=110,
                status="held",
                decided=True,
                conditions=[
                    _cond("item_category", "item category", "eq", "electronics", "electronics"),
                    _cond("item_opened", "whether the item has been opened", "eq", True, True),
                    _cond("days_since_delivery", "days since your order arrived", "lte", 30, 6),
                    _cond("restocking_fee", "restocking fee", "gt", Decimal("0"), Decimal("37.50")),
                ],
            ),
        ],
        context=_context(
            "return",
            {
                "item category": "electronics",
                "whether the item has been opened": "yes",
                "days since your order arrived": "6 days",
                "restocking fee": "$37.50",
            },
            name="Lee",
            limit="$25.00",
        ),
        decided_at=DECIDED_AT,
    )


def default_escalate() -> Decision:
    reason = Reason(
        rule_id="DEFAULT",
        title="No specific rule applies",
        outcome=Outcome.ESCALATE,
        citation=Citation(section="", title="Our customer service policy", url=POLICIES),
        text=(
            "Your request doesn't fit one of our standard answers, so a member of our care "
            "team will look at it personally and write back to you."
        ),
        answers=True,
    )
    return Decision(
        outcome=Outcome.ESCALATE,
        explanation="",
        reasons=[reason],
        trace=[
            RuleTrace(
                rule_id="PRC-001",
                title="Price drops within 14 days are refunded",
                outcome=Outcome.GRANTED,
                priority=100,
                status="failed",
                conditions=[
                    _cond(
                        "days_since_purchase", "days since you bought it", "lte", 14, 19, "failed"
                    ),
                ],
            ),
        ],
        context=_context("price_adjustment", {}, name=None),
        decided_at=DECIDED_AT,
    )


CASES = {
    "hygiene_denial": hygiene_denial,
    "truck_loaded": truck_loaded,
    "membership_cancel": membership_cancel,
    "damaged_apology": damaged_apology,
    "needs_info": needs_info,
    "restocking_fee": restocking_fee,
    "default_escalate": default_escalate,
}
AUDIENCES: tuple[Audience, ...] = ("customer", "agent", "chat")
FORMATS: tuple[Fmt, ...] = ("text", "markdown", "html")
EXTRA_FORMATS: tuple[tuple[str, Audience, Fmt], ...] = (
    ("restocking_fee", "customer", "markdown"),
    ("hygiene_denial", "agent", "markdown"),
    ("truck_loaded", "customer", "html"),
)
KINDS = ("cancel", "change_delivery", "delivery_estimate", "exchange", "price_adjustment", "return")
"""The bundled pack's request kinds (checked against the pack below)."""


# --------------------------------------------------------------------------- helpers


def _before_list(text: str) -> str:
    """The prose before the first list item (the part that must stay short)."""
    return text.split("\n- ", 1)[0]


def _prose(text: str) -> str:
    """Customer text without URLs and list markers, for the readability formula."""
    text = re.sub(r"https?://\S+", "", text)
    return re.sub(r"^- ", "", text, flags=re.M)


_RULE_ID = re.compile(r"[A-Z]{2,}-\d")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _assert_clean(text: str) -> None:
    assert "None" not in text
    assert not _ISO.search(text), text
    assert not _RULE_ID.search(text), text
    assert "{" not in text and "}" not in text, text
    assert "$" not in re.sub(r"\$\d", "", text), text  # only money, never { $x }
    assert "Decimal(" not in text


def _conditions(text: str) -> list[str]:
    """The condition lines of an agent view."""
    return [line.strip()[2:] for line in text.splitlines() if line.startswith("  - ")]


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_text_for_every_audience_matches_its_golden_file(
    golden: Goldens, voice: TextRenderer, case: str, audience: Audience
) -> None:
    text = render_decision(CASES[case](), voice, audience, "text")
    golden.check(f"explain/{case}.{audience}.txt", text + "\n")


@pytest.mark.parametrize(("case", "audience", "fmt"), EXTRA_FORMATS)
def test_markdown_and_html_match_their_golden_files(
    golden: Goldens, voice: TextRenderer, case: str, audience: Audience, fmt: Fmt
) -> None:
    text = render_decision(CASES[case](), voice, audience, fmt)
    ext = {"markdown": "md", "html": "html"}[fmt]
    golden.check(f"explain/{case}.{audience}.{ext}", text + "\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_policy_render_is_render_decision_in_the_policys_voice(
    bundled_policy: Policy, case: str
) -> None:
    decision = CASES[case]()
    for audience in AUDIENCES:
        for fmt in FORMATS:
            assert bundled_policy.render(decision, audience, fmt) == render_decision(
                decision, bundled_policy.texts, audience, fmt
            )


# --------------------------------------------------------------------------- the voice


@pytest.mark.parametrize("case", sorted(CASES))
def test_customer_text_reads_well(voice: TextRenderer, case: str) -> None:
    decision = CASES[case]()
    text = render_decision(decision, voice, "customer")
    name = decision.context.customer_name
    assert text.startswith(f"Hi {name}," if name else "Hi there,")
    assert len(_before_list(text).split()) < 120
    assert textstat.flesch_kincaid_grade(_prose(text)) <= 8, text
    _assert_clean(text)


@pytest.mark.parametrize("case", sorted(CASES))
def test_chat_is_short_and_clean(voice: TextRenderer, case: str) -> None:
    """The bubble is the greeting, the answer and each reason's own text, whole: never a
    why, never a sentence cut out of a text."""
    decision = CASES[case]()
    text = render_decision(decision, voice, "chat")
    assert text.startswith("Hi ")
    for reason in decision.reasons:
        assert not reason.why or reason.why not in text, text
        if decision.outcome != Outcome.NEEDS_INFO:
            assert reason.text in text
    assert len(text) < len(render_decision(decision, voice, "customer")) or not any(
        r.why for r in decision.reasons
    )
    _assert_clean(text)


def test_customer_text_opens_with_the_answer_and_ends_with_the_policy(voice: TextRenderer) -> None:
    text = render_decision(hygiene_denial(), voice)
    lines = text.splitlines()
    assert lines[0] == "Hi Dana,"
    # the rule's own words say no: no headline above them (never a bare no either)
    assert lines[2].startswith("Because the toilet seat has been opened, we can't take it back.")
    assert "We can't take this return." not in text
    assert "Here's what we can do instead:" in text
    assert lines[-1].endswith(f"{POLICIES}#opened-hygiene-items")


def test_denied_without_the_answer_in_the_rule_text_gets_a_headline(voice: TextRenderer) -> None:
    decision = truck_loaded()
    reason = decision.reasons[0].model_copy(
        update={
            "text": "Your delivery on Tuesday, December 1 is already planned into a route.",
            "answers": False,
        }
    )
    text = render_decision(decision.model_copy(update={"reasons": [reason]}), voice)
    assert text.splitlines()[2].startswith("We can't make this change to your delivery.")


def test_a_rule_that_answers_itself_gets_no_headline(voice: TextRenderer) -> None:
    decision = truck_loaded()
    reason = decision.reasons[0].model_copy(
        update={
            "text": "Your delivery on Tuesday, December 1 stays as booked.",
            "answers": True,
        }
    )
    text = render_decision(decision.model_copy(update={"reasons": [reason]}), voice)
    assert text.splitlines()[2].startswith("Your delivery on Tuesday, December 1 stays as booked.")
    assert "We can't make this change" not in text


def test_a_denial_is_never_a_bare_no(voice: TextRenderer) -> None:
    for make in (hygiene_denial, truck_loaded):
        decision = make().model_copy(update={"alternatives": []})
        text = render_decision(decision, voice)
        # with nothing to offer, the reply still says what to do next
        assert "If you think we've missed something, just reply" in text
        assert text.splitlines()[-1].startswith("You can read the “")


def test_cancellation_is_confirmed_before_any_offer(voice: TextRenderer) -> None:
    text = render_decision(membership_cancel(), voice)
    confirmed = text.index("it's cancelled")
    assert confirmed < text.index("pause")
    assert "nothing else you need to do" in text


def test_apology_opens_when_the_store_erred(voice: TextRenderer) -> None:
    text = render_decision(damaged_apology(), voice)
    assert text.splitlines()[2].startswith("I'm sorry your floor lamp arrived damaged.")
    assert "Good news" not in text
    assert text.count("sorry") == 1  # the rule's own apology, not a second one
    plain = render_decision(damaged_apology(sorry_in_text=False), voice)
    assert plain.splitlines()[2].startswith("I'm sorry about this, and we'll put it right.")


def test_the_agent_is_told_to_apologise(voice: TextRenderer) -> None:
    text = render_decision(damaged_apology(), voice, "agent")
    assert "DEF-001 — Items damaged in shipping are replaced or refunded (the store erred" in text


def test_needs_info_asks_exactly_one_question(voice: TextRenderer) -> None:
    text = render_decision(needs_info(), voice)
    assert text.startswith("Hi Dana, before I can answer, I need to know one thing:")
    assert text.count("?") == 1
    # the rule's why, as its author wrote it
    assert (
        "Here's why it matters: Bath and personal-care items can't be sold again once opened."
        in text
    )
    chat = render_decision(needs_info(), voice, "chat")
    assert chat.startswith("Hi Dana, one quick question before I can answer:")
    assert chat.count("?") == 1


def test_needs_info_names_what_is_at_stake_when_the_why_does_not(voice: TextRenderer) -> None:
    decision = needs_info()
    reason = decision.reasons[0].model_copy(
        update={"why": "This protects the health of the next customer."}
    )
    text = render_decision(decision.model_copy(update={"reasons": [reason]}), voice)
    # the title says what is at stake, as written (never lower-cased into a clause)
    assert (
        "Here's why it matters: Opened bath and personal-care items can't be returned. "
        "This protects the health of the next customer." in text
    )


def test_several_items_stay_short(voice: TextRenderer) -> None:
    base = restocking_fee()
    reasons = [
        base.reasons[0].model_copy(
            update={"rule_id": f"RET-02{i}", "text": f"{text} {base.reasons[0].text}"}
        )
        for i, text in enumerate(["For the first pair:", "For the second pair:", "For the third:"])
    ]
    text = render_decision(base.model_copy(update={"reasons": reasons}), voice)
    assert len(_before_list(text).split()) < 120
    assert text.count("restocking fee of $37.50") == 3


def test_offers_for_several_items_name_their_item(voice: TextRenderer) -> None:
    base = restocking_fee()
    alternatives = [
        base.alternatives[0].model_copy(update={"item": "headphones"}),
        Alternative(
            kind="supervisor_review",
            text="A supervisor can review your case.",
            item="speaker",
        ),
        Alternative(kind="supervisor_review", text="I can ask a supervisor.", item="speaker"),
    ]
    text = render_decision(base.model_copy(update={"alternatives": alternatives}), voice)
    # each item's options under it, as their authors wrote them (no letter changes case)
    assert "- For the headphones:\n  - An exchange for another pair, with no fee.\n" in text
    assert (
        "- For the speaker:\n  - A supervisor can review your case.\n"
        "  - I can ask a supervisor.\n" in text
    )
    assert text.count("For the speaker") == 1


def test_mixed_outcomes_across_items_get_the_mixed_headline(voice: TextRenderer) -> None:
    base = restocking_fee()
    opened = "The toilet seat has been opened, so it stays with you."
    denied = hygiene_denial().reasons[0].model_copy(update={"text": opened})
    text = render_decision(base.model_copy(update={"reasons": [denied, *base.reasons]}), voice)
    assert "We can take back some of these items, but not all of them." in text


def test_no_name_greets_without_one(voice: TextRenderer) -> None:
    assert render_decision(hygiene_denial(name=None), voice).startswith("Hi there,")
    assert render_decision(hygiene_denial(name=None), voice, "chat").startswith("Hi there,")


def test_headlines_come_from_the_request_kind_first(voice: TextRenderer) -> None:
    decision = truck_loaded()
    reason = decision.reasons[0].model_copy(
        update={"text": "Your order is on its way.", "answers": False}
    )
    plain = decision.model_copy(update={"reasons": [reason]})
    for kind, headline in [
        ("return", "We can't take this return."),
        ("exchange", "We can't exchange this item."),
        ("gift_wrap", "We can't do this one."),  # a kind without words: the outcome's own
    ]:
        ctx = plain.context.model_copy(update={"request_kind": kind})
        text = render_decision(plain.model_copy(update={"context": ctx}), voice)
        assert text.splitlines()[2].startswith(headline), (kind, text)


# --------------------------------------------------------------------------- the agent view


def test_agent_view_has_rule_ids_conditions_and_limits(voice: TextRenderer) -> None:
    text = render_decision(restocking_fee(), voice, "agent")
    assert text.startswith("Outcome: partial (return request, from Lee)")
    assert "RET-020" in text
    assert "days since your order arrived: required at most 30 days, actual 6 days — held" in text
    assert "restocking fee: required more than $0.00, actual $37.50 — held" in text
    assert "verified: granted by RET-031" in text
    assert "up to $25.00" in text
    assert "a customer-care supervisor" in text


def test_agent_view_shows_what_is_unknown(voice: TextRenderer) -> None:
    text = render_decision(needs_info(), voice, "agent")
    assert "Waiting on" in text
    assert "HYG-001 (unknown" in text
    assert "whether the item has been opened: required yes, actual not known — unknown" in text
    assert "(request field order.items[].condition)" in text


def test_agent_view_formats_values_with_the_facts_own_formatter(voice: TextRenderer) -> None:
    """Required and actual values go through the fact's formatter: its unit, its type."""
    decision = default_escalate()
    trace = decision.trace[0]
    conditions = [
        # an integer fact counted in days: the unit comes from the fact, on both sides
        _cond("days_since_purchase", "days since you bought it", "lte", 14, 19, "failed"),
        _cond("days_since_purchase", "days since you bought it", "lte", 1, 1, "held"),
        _cond("price_drop", "price difference", "gt", Decimal("0"), Decimal("12.5")),
        _cond("estimate_max_days", "most business days", "gte", 0, 6),
        _cond("scheduled_date", "your delivery day", "lt", date(2026, 12, 1), date(2026, 11, 24)),
        _cond("reason", "reason for the request", "in", ["defective", "wrong_item"], "other"),
        _cond("item_opened", "whether the item has been opened", "eq", False, None, "unknown"),
        _cond("not_a_fact", "something else", "eq", Decimal("2.50"), True),
    ]
    traced = dataclasses.replace(trace, conditions=conditions)
    text = render_decision(decision.model_copy(update={"trace": [traced]}), voice, "agent")
    assert _conditions(text) == [
        "days since you bought it: required at most 14 days, actual 19 days — failed",
        "days since you bought it: required at most 1 day, actual 1 day — held",
        "price difference: required more than $0.00, actual $12.50 — held",
        "most business days: required at least 0 business days, actual 6 business days — held",
        "your delivery day: required less than Tuesday, December 1, 2026, "
        "actual Tuesday, November 24, 2026 — held",
        "reason for the request: required one of defective or wrong item, actual other — held",
        "whether the item has been opened: required no, actual not known — unknown",
        "something else: required 2.5, actual yes — held",
    ]


def test_agent_view_lists_facts_when_no_rule_was_traced(voice: TextRenderer) -> None:
    decision = truck_loaded().model_copy(update={"trace": []})
    text = render_decision(decision, voice, "agent")
    assert "Facts that mattered\n- whether the delivery truck has been loaded: yes" in text


def test_agent_view_tags_each_alternative(voice: TextRenderer) -> None:
    decision = truck_loaded()
    unverified = Alternative(kind="another_date", text="Another day.", rule_id="DLV-030")
    decision = decision.model_copy(update={"alternatives": [*decision.alternatives, unverified]})
    text = render_decision(decision, voice, "agent")
    assert "Someone else at the address can receive it for you. [someone else; a path" in text
    assert "[later date with fee; verified: granted by DLV-030]" in text
    assert "Another day. [another date; not verified (DLV-030): check before offering]" in text


@pytest.fixture(scope="module")
def euro_policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    """The bundled pack, sold in euros from Germany (store.currency and store.locale)."""
    root = tmp_path_factory.mktemp("euro") / "rules"
    shutil.copytree(ROOT / "rules", root)
    policy_yaml = root / "policy.yaml"
    text = policy_yaml.read_text(encoding="utf-8")
    changed = text.replace("\n  currency: USD\n", "\n  currency: EUR\n").replace(
        "\n  locale: en_US\n", "\n  locale: de_DE\n"
    )
    assert changed.count("EUR") == 1 and changed.count("de_DE") == 1
    policy_yaml.write_text(changed, encoding="utf-8")
    return policylib.load_policy(root)


def test_a_euro_pack_renders_its_agent_view_in_euros(euro_policy: Policy) -> None:
    assert (euro_policy.pack.store.currency, euro_policy.pack.store.locale) == ("EUR", "de_DE")
    # a decision built by hand: every money value in the trace is formatted by its fact
    # (Babel puts a no-break space before the €; filled texts collapse it to a space)
    text = euro_policy.render(restocking_fee(), "agent").replace("\xa0", " ")
    assert "restocking fee: required more than 0,00 €, actual 37,50 € — held" in text
    assert "days since your order arrived: required at most 30 days, actual 6 days — held" in text
    # a decision the euro policy made: limits, texts and trace all in euros
    path = ROOT / "rules" / "examples" / "opened_electronics_restocking_fee.json"
    decision = euro_policy.evaluate(path.read_text(encoding="utf-8"), now=NOW)
    assert decision.context.currency == "EUR"
    agent = decision.render("agent").replace("\xa0", " ")
    assert "a goodwill gesture of up to 24,90 €." in agent
    assert "37,35 €" in agent and "211,65 €" in agent
    assert "$" not in agent


def test_a_euro_pack_formats_money_and_numbers_for_germany(euro_policy: Policy) -> None:
    texts = euro_policy.texts
    assert texts.format_value("restocking_fee", Decimal("1234.5")) == "1.234,50\xa0€"
    assert texts.format_value("restocking_fee", "1234.5") == "1.234,50\xa0€"
    assert texts.format_value("hours_since_order", Decimal("2.5")) == "2,5 hours"


def test_a_euro_pack_writes_dates_the_german_way(euro_policy: Policy) -> None:
    assert euro_policy.texts.format_value("scheduled_date", date(2026, 12, 1)) == (
        "Dienstag, 1. Dezember 2026"
    )


def test_a_pack_in_a_language_policylib_has_no_phrases_for_still_greets(
    euro_policy: Policy,
) -> None:
    text = euro_policy.render(hygiene_denial())
    assert text.startswith("Hi Dana,")
    assert "You can read the “Bath and personal-care items” section of our policy" in text


# --------------------------------------------------------------------------- decisions read back


def test_a_decision_read_back_from_json_cannot_render_itself() -> None:
    back = Decision.model_validate_json(restocking_fee().model_dump_json())
    with pytest.raises(PolicyError, match=r"policy\.render"):
        back.render()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hand_built_decision_renders_the_same_after_json(
    bundled_policy: Policy, case: str
) -> None:
    decision = CASES[case]()
    back = Decision.model_validate_json(decision.model_dump_json())
    for audience in AUDIENCES:
        for fmt in FORMATS:
            assert bundled_policy.render(back, audience, fmt) == bundled_policy.render(
                decision, audience, fmt
            )


EXAMPLES = sorted((ROOT / "rules" / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_decision_read_back_from_json_renders_identically(
    bundled_policy: Policy, path: Path
) -> None:
    decision = bundled_policy.evaluate(path.read_text(encoding="utf-8"), now=NOW)
    back = Decision.model_validate_json(decision.model_dump_json())
    for audience in AUDIENCES:
        for fmt in FORMATS:
            assert bundled_policy.render(back, audience, fmt) == decision.render(audience, fmt)
    assert bundled_policy.render(back) == decision.explanation


def _timed_pack() -> Pack:
    """A pack with a time, a datetime and a date fact (the bundled pack has no time fact)."""
    facts = {
        "cutoff": fact("cutoff", "time", "latest time for changes"),
        "placed_at": fact("placed_at", "datetime", "when you ordered"),
        "scheduled_date": fact("scheduled_date", "date", "your delivery day"),
    }
    return engine_pack(facts, ())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("scheduled_date", date(2026, 12, 1)),
        ("placed_at", datetime(2026, 11, 2, 8, 30, tzinfo=timezone.utc)),
        ("cutoff", time(18, 0)),
    ],
)
def test_trace_values_read_back_from_json_format_as_before(name: str, value: Any) -> None:
    renderer = TextRenderer(_timed_pack())
    cond = _cond(name, name, "lte", value, value)
    dumped = RuleTrace("R-1", "r", Outcome.DENIED, 0, "held", True, [cond])
    decision = default_escalate().model_copy(update={"trace": [dumped]})
    back = Decision.model_validate_json(decision.model_dump_json())
    assert back.trace[0].conditions[0].actual != value  # JSON keeps the text form
    assert render_decision(back, renderer, "agent") == render_decision(decision, renderer, "agent")


# --------------------------------------------------------------------------- formats and safety


def test_html_escapes_names_and_item_names(voice: TextRenderer) -> None:
    evil = "<script>alert(1)</script>"
    decision = hygiene_denial(name=f"{evil}Dana", item=f"{evil} seat")
    for audience in AUDIENCES:
        out = render_decision(decision, voice, audience, "html")
        assert "<script>" not in out
        assert "&lt;script&gt;" in out


def test_html_isolates_the_customers_name_and_item_names(voice: TextRenderer) -> None:
    decision = hygiene_denial(name="\u05d3\u05e0\u05d4", item="\u05de\u05d5\u05e9\u05d1")
    out = render_decision(decision, voice, "customer", "html")
    assert out.startswith("<p>Hi <bdi>\u05d3\u05e0\u05d4</bdi>,</p>")
    assert "Because the <bdi>\u05de\u05d5\u05e9\u05d1</bdi> has been opened" in out
    agent = render_decision(decision, voice, "agent", "html")
    assert "from <bdi>\u05d3\u05e0\u05d4</bdi>" in agent
    # text and markdown have no markup to isolate with
    assert "<bdi>" not in render_decision(decision, voice, "customer", "text")


def test_markdown_escapes_markup_in_names(voice: TextRenderer) -> None:
    out = render_decision(
        hygiene_denial(name="*Dana* [x](javascript:alert(1))"), voice, format="markdown"
    )
    assert "\\*Dana\\*" in out
    assert "](javascript:" not in out.replace("\\]", "")


def test_unsafe_policy_urls_are_dropped(voice: TextRenderer) -> None:
    decision = hygiene_denial()
    reason = decision.reasons[0]
    bad = reason.model_copy(
        update={"citation": reason.citation.model_copy(update={"url": "javascript:alert(1)"})}
    )
    ctx = decision.context.model_copy(update={"policy_url": "javascript:alert(2)"})
    decision = decision.model_copy(update={"reasons": [bad], "context": ctx})
    for fmt in FORMATS:
        out = render_decision(decision, voice, "customer", fmt)
        assert "javascript" not in out
        assert "policy here" not in out


def test_html_is_a_small_fragment(voice: TextRenderer) -> None:
    out = render_decision(truck_loaded(), voice, format="html")
    assert out.startswith("<p>Hi <bdi>Marcus</bdi>,</p>")
    assert "<ul><li>" in out
    assert f'<a href="{POLICIES}#changing-a-delivery">' in out


@pytest.mark.parametrize("case", sorted(CASES))
def test_html_has_no_empty_elements(voice: TextRenderer, case: str) -> None:
    for audience in AUDIENCES:
        out = render_decision(CASES[case](), voice, audience, "html")
        assert not re.search(r"<(\w+)[^>]*>\s*</\1>", out), out
        assert "<p> " not in out


@given(st.text(max_size=80))
def test_any_customer_name_renders_and_is_escaped(voice: TextRenderer, name: str) -> None:
    decision = hygiene_denial(name=name)
    for audience in AUDIENCES:
        out = render_decision(decision, voice, audience, "html")
        stripped = re.sub(r"</?(p|ul|li|strong|h3|bdi)>|<a href=\"[^\"<>]*\">|</a>", "", out)
        assert "<" not in stripped
        text = render_decision(decision, voice, audience, "text")
        assert text.startswith("Hi ") or audience == "agent"


@given(
    st.sampled_from(sorted(CASES)),
    st.sampled_from(AUDIENCES),
    st.sampled_from(["text", "markdown", "html"]),
)
def test_every_case_renders_in_every_audience_and_format(
    voice: TextRenderer, case: str, audience: Audience, fmt: Fmt
) -> None:
    assert render_decision(CASES[case](), voice, audience, fmt).strip()


def test_the_bundled_kinds_are_the_ones_tested(bundled_pack: Pack) -> None:
    assert tuple(sorted(bundled_pack.vocabulary.kinds)) == KINDS


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("kind", [*KINDS, "gift_wrap"])
def test_bare_decisions_still_read_cleanly(
    voice: TextRenderer, outcome: Outcome, kind: str
) -> None:
    decision = Decision(
        outcome=outcome,
        explanation="",
        reasons=[],
        context=DecisionContext(request_kind=kind),
        decided_at=DECIDED_AT,
    )
    for audience in AUDIENCES:
        for fmt in FORMATS:
            out = render_decision(decision, voice, audience, fmt)
            assert out.strip()
            if audience != "agent":
                assert out.startswith(("Hi there,", "<p>Hi there,"))
                _assert_clean(re.sub(r"<[^>]+>", "", out))


def test_unknown_audience_or_format_is_refused(voice: TextRenderer) -> None:
    with pytest.raises(PolicyError, match="audience"):
        render_decision(hygiene_denial(), voice, "robot")  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="format"):
        render_decision(hygiene_denial(), voice, "customer", "pdf")  # type: ignore[arg-type]


def test_pack_phrases_override_the_defaults(bundled_pack: Pack) -> None:
    messages = {**bundled_pack.messages, "offers-denied": Message("Here is what we can offer:")}
    voice = TextRenderer(dataclasses.replace(bundled_pack, messages=messages))
    text = render_decision(hygiene_denial(), voice)
    assert "Here is what we can offer:" in text
    assert "Here's what we can do instead:" not in text


def test_a_decision_carries_its_facts_not_the_phrasebook() -> None:
    fields = set(DecisionContext.model_fields)
    assert {"phrases", "store_name"}.isdisjoint(fields)
    assert {"currency", "request_kind", "names"} <= fields
    assert "answers" in Reason.model_fields


# --------------------------------------------------------------------------- TextRenderer


def _msg(source: str) -> Message:
    names = tuple(dict.fromkeys(re.findall(r"\{ *\$([a-z_]+) *\}", source)))
    return Message(source=source, variables=names)


def _pack() -> Pack:
    facts: dict[str, FactDef] = {
        "item_name": fact("item_name", "text", "item"),
        "item_price": fact("item_price", "money", "price you paid", "currency"),
        "days_since_delivery": fact(
            "days_since_delivery", "integer", "days since your order arrived", "days"
        ),
        "transit": fact("transit", "integer", "transit", "business_days"),
        "hours_since_order": fact("hours_since_order", "integer", "hours", "hours"),
        "restocking_fee_percent": fact("restocking_fee_percent", "decimal", "fee", "percent"),
        "item_opened": dataclasses.replace(
            fact("item_opened", "boolean", "whether the item has been opened"),
            question=_msg("Has the { $item_name } been taken out of its sealed packaging?"),
        ),
        "reason": fact(
            "reason", "enum", "reason for the request", values=("changed_mind", "defective")
        ),
        "scheduled_date": fact("scheduled_date", "date", "your delivery day"),
        "new_date": fact("new_date", "date", "the new delivery day you asked for"),
        "sessions_remaining": fact("sessions_remaining", "integer", "sessions", "sessions"),
    }
    rule = Rule(
        id="RET-001",
        title="t",
        kinds=("return",),
        when=Compare("days_since_delivery", "lte", 30),
        outcome=Outcome.GRANTED,
        text=_msg("We can refund { $item_price } for the { $item_name }.\nThanks for asking."),
        citation=RuleCitation("returns"),
        why=_msg("It arrived { $days_since_delivery } ago."),
        offers=(Offer("store_credit", _msg("Store credit for { $item_price }.")),),
    )
    return dataclasses.replace(
        engine_pack(facts, (rule,), "escalate"),
        store=dataclasses.replace(engine_pack({}, ()).store, name="Hearth & Home"),
        default_text=_msg("A person will look at this."),
        messages={"offers-denied": _msg("What we can offer:")},
        units={
            "days": ("day", "days"),
            "business_days": ("business day", "business days"),
            "hours": ("hour", "hours"),
            "sessions": ("session", "sessions"),
        },
    )


def test_format_facts_for_people() -> None:
    renderer = TextRenderer(_pack())
    out = renderer.format_facts(
        {
            "item_name": "Arco lamp",
            "item_price": Decimal("49.99"),
            "days_since_delivery": 6,
            "transit": 4,
            "hours_since_order": 1,
            "restocking_fee_percent": Decimal("15"),
            "item_opened": False,
            "reason": "changed_mind",
            "scheduled_date": date(2026, 12, 1),
            "sessions_remaining": 1,
            "unknown": None,
        }
    )
    assert out == {
        "item_name": "Arco lamp",
        "item_price": "$49.99",
        "days_since_delivery": "6 days",
        "transit": "4 business days",
        "hours_since_order": "1 hour",
        "restocking_fee_percent": "15%",
        "item_opened": "no",
        "reason": "changed mind",
        "scheduled_date": "Tuesday, December 1",
        "sessions_remaining": "1 session",
    }
    assert renderer.format_facts({"days_since_delivery": 1})["days_since_delivery"] == "1 day"
    with_year = renderer.format_facts({"scheduled_date": date(2027, 1, 4)}, year=2026)
    assert with_year["scheduled_date"] == "Monday, January 4, 2027"


def test_unit_words_come_from_the_pack() -> None:
    pack = _pack()
    nights = dataclasses.replace(pack, units={**pack.units, "days": ("night", "nights")})
    renderer = TextRenderer(nights)
    assert renderer.format_facts({"days_since_delivery": 2}) == {"days_since_delivery": "2 nights"}
    assert renderer.format_value("days_since_delivery", 1) == "1 night"


def test_format_value_uses_the_facts_formatter_and_reads_json_forms() -> None:
    renderer = TextRenderer(_pack())
    assert renderer.format_value("item_price", Decimal("49.9")) == "$49.90"
    assert renderer.format_value("item_price", "49.9") == "$49.90"
    assert renderer.format_value("days_since_delivery", "1") == "1 day"
    assert renderer.format_value("transit", 4) == "4 business days"
    assert renderer.format_value("restocking_fee_percent", "15") == "15%"
    assert renderer.format_value("reason", "changed_mind") == "changed mind"
    assert renderer.format_value("item_opened", True) == "yes"
    # dates always show their year in the agent view: the trace has no "this year"
    assert renderer.format_value("scheduled_date", date(2026, 12, 1)) == "Tuesday, December 1, 2026"
    assert renderer.format_value("scheduled_date", "2026-12-01") == "Tuesday, December 1, 2026"
    # a value that is not a fact's is still shown in plain words
    assert renderer.format_value("no_such_fact", False) == "no"
    assert renderer.format_value("no_such_fact", "made_to_order") == "made to order"
    assert renderer.format_value("scheduled_date", "not a date") == "not a date"


def test_fill_inserts_values_literally_and_marks_unknowns() -> None:
    pack = _pack()
    renderer = TextRenderer(pack)
    rule = pack.rules[0]
    text = renderer.fill(rule.text, {"item_price": "$49.99", "item_name": "{ $item_price } <b>"})
    assert text == "We can refund $49.99 for the { $item_price } <b>. Thanks for asking."
    # an unknown value reads as the catalog says ("not known")
    assert renderer.fill(rule.why, {}) == f"It arrived {renderer.unknown} ago."  # type: ignore[arg-type]
    assert renderer.fill(rule.offers[0].text, {"item_price": "$5.00"}) == "Store credit for $5.00."


def test_fill_caps_long_texts_at_a_word_boundary() -> None:
    renderer = TextRenderer(_pack())
    text = renderer.fill(_pack().rules[0].text, {"item_name": "very long name " * 80})
    assert len(text) <= 600
    assert text.endswith("…")
    assert not text.endswith(" …")


def test_fill_a_text_the_pack_did_not_have() -> None:
    renderer = TextRenderer(_pack())
    assert renderer.fill(_msg("Hello { $item_name }!"), {"item_name": "Dana"}) == "Hello Dana!"


def test_question_uses_the_fact_question_or_a_generic_one() -> None:
    pack = _pack()
    renderer = TextRenderer(pack)
    formatted = {"item_name": "shower head"}
    assert (
        renderer.question(pack.facts["item_opened"], formatted)
        == "Has the shower head been taken out of its sealed packaging?"
    )
    # a pack's customer facts all have a question (the loader sees to it); a hand-built
    # one without falls back to its label, as written, with no English article added
    assert (
        renderer.question(pack.facts["reason"], {})
        == "Could you tell us this: reason for the request?"
    )
    assert (
        renderer.question(pack.facts["new_date"], {})
        == "Could you tell us this: the new delivery day you asked for?"
    )


def test_shared_messages_come_from_the_pack_over_the_defaults() -> None:
    book = TextRenderer(_pack()).book
    assert book.get("offers-denied") == "What we can offer:"
    assert book.get("greeting", {"customer_name": "Dana"}) == "Hi Dana,"
    assert book.get("no-such-message") == ""
    assert book.first(("denied-return", "denied")) == "We can't do this one."
    assert book.first(("no-such-message",)) == ""


def test_pack_messages_cannot_shadow_rule_texts() -> None:
    pack = _pack()
    shadowing = dataclasses.replace(pack, messages={"text-0": _msg("Boo")})
    renderer = TextRenderer(shadowing)
    filled = renderer.fill(pack.rules[0].text, {"item_price": "$1.00", "item_name": "lamp"})
    assert filled == "We can refund $1.00 for the lamp. Thanks for asking."
    assert renderer.book.get("text-0") == "Boo"


def test_fill_is_thread_safe() -> None:
    pack = _pack()
    renderer = TextRenderer(pack)
    expected = "We can refund $1.00 for the lamp. Thanks for asking."
    results: list[str] = []

    def work() -> None:
        for _ in range(300):
            results.append(
                renderer.fill(pack.rules[0].text, {"item_price": "$1.00", "item_name": "lamp"})
            )

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {expected}


def _ftl_ids(source: str) -> list[str]:
    body = FluentParser().parse(source).body
    for entry in body:
        assert not isinstance(entry, fl.Junk), entry.content
    return [entry.id.name for entry in body if isinstance(entry, fl.Message)]


def test_default_phrases_are_valid_fluent_and_ids_the_renderer_knows() -> None:
    folder = importlib.resources.files("policylib.render") / "locales" / "en"
    ids = [i for f in folder.iterdir() for i in _ftl_ids(f.read_text(encoding="utf-8"))]
    assert ids and "greeting" in ids
    unknown = set(ids) - set(phrase_ids(()))
    assert not unknown, f"{sorted(unknown)} are not phrases the renderer uses"


def test_bundled_common_ftl_matches_ids_the_renderer_knows(bundled_pack: Pack) -> None:
    source = (ROOT / "rules" / "common.ftl").read_text(encoding="utf-8")
    known = phrase_ids(bundled_pack.vocabulary.kinds)
    for message_id in _ftl_ids(source):
        assert message_id in known, f"{message_id} is not a phrase the renderer uses"


# --------------------------------------------------------------------------- the bundled voice

_NOW = "2026-11-20T15:00:00-05:00"


def _bundled(policy: Policy, request: dict[str, Any]) -> Decision:
    return policy.evaluate({"requested_at": _NOW, **request})


def _delivered(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "return",
        "customer": {"name": "Ann Lee"},
        "order": {
            "id": "HH-1",
            "placed_at": "2026-11-02T08:30:00-05:00",
            "status": "delivered",
            "delivered_at": "2026-11-10T13:30:00-05:00",
            "items": [{"sku": "S-1", "price": "79.00", **item}],
        },
        **extra,
    }


def test_needs_info_does_not_explain_an_unrelated_rule(bundled_policy: Policy) -> None:
    lamp = {"name": "ceramic table lamp", "category": "lighting", "condition": "unopened"}
    decision = _bundled(bundled_policy, _delivered(lamp))
    assert decision.outcome is Outcome.NEEDS_INFO
    text = decision.render()
    assert "shipping" not in text.split("?", 1)[1]  # no late-delivery rule as the reason
    assert "changes what we can offer" in text


def test_needs_info_explains_the_rule_waiting_only_on_the_question(bundled_policy: Policy) -> None:
    seat = {"name": "toilet seat", "category": "bath", "tags": ["hygiene"]}
    text = _bundled(bundled_policy, _delivered(seat, reason="changed_mind")).render()
    assert "Here's why it matters:" in text


def test_an_option_ending_shared_by_several_is_said_once(bundled_policy: Policy) -> None:
    request = {
        "kind": "change_delivery",
        "customer": {"name": "Ann Lee"},
        "order": {
            "id": "HH-2",
            "placed_at": "2026-11-09T19:40:00-05:00",
            "status": "processing",
            "items": [{"sku": "D-1", "name": "dresser", "category": "furniture", "price": 899}],
            "delivery": {"scheduled_date": "2026-11-24"},
        },
        "details": {"new_date": "2026-11-29"},
    }
    decision = _bundled(bundled_policy, request)
    assert decision.outcome is Outcome.DENIED
    for audience in ("customer", "chat"):
        text = decision.render(audience)
        assert text.count("There's no charge for the change.") == 1
        assert "We can deliver on Monday, November 30 instead." in text


def test_chat_ends_with_the_policy_link(bundled_policy: Policy) -> None:
    lamp = {"name": "lamp", "category": "lighting", "condition": "unopened"}
    text = _bundled(bundled_policy, _delivered(lamp, reason="changed_mind")).render("chat")
    assert text.splitlines()[-1].startswith("You can read the “Returns and refunds” section")


def test_customer_goodwill_offer_names_no_amount_but_the_agent_sees_it(
    bundled_policy: Policy,
) -> None:
    rug = {"name": "rug", "category": "rugs", "final_sale": True, "condition": "opened"}
    decision = _bundled(bundled_policy, _delivered(rug, reason="changed_mind"))
    assert "$" not in decision.render().split("instead:", 1)[1]
    assert "$7.90" in decision.render("agent")


def test_a_partial_cancellation_is_not_announced_twice(bundled_policy: Policy) -> None:
    request = {
        "kind": "cancel",
        "customer": {"name": "Ann Lee"},
        "order": {
            "id": "HH-3",
            "placed_at": "2026-11-12T11:00:00-05:00",
            "status": "in_production",
            "items": [
                {
                    "sku": "SOFA",
                    "name": "custom sofa",
                    "category": "furniture",
                    "tags": ["custom_made"],
                    "price": "1899.00",
                }
            ],
        },
    }
    text = _bundled(bundled_policy, request).render()
    assert "can't refund all of it" not in text
    assert "Your order is cancelled, but" in text


# --------------------------------------------------------------------------- words from catalogs

RENDER = ROOT / "policylib" / "render"
SHAPING = ("views.py", "notebook.py", "document.py")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*[.,:;!?]?")


def _said_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """The string constants of a module that could reach a reader: docstrings, bare string
    statements (attribute docs) and the messages of raised exceptions left out; an
    f-string's literal parts are taken together, ``{}`` where a value goes."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skipped.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Raise):
            skipped.update(id(n) for n in ast.walk(node))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(n) for n in ast.walk(node))
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                for v in node.values
            )
            out.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
    return out


def _words_in(text: str) -> list[str]:
    """The words a string would show a reader: markup (``<...>``, CSS ``{...}``) and regex
    escapes aside, tokens made only of letters (a trailing stop or comma allowed)."""
    text = re.sub(r"<style>.*?</style>|<[^>]*>|\{[^{}]*\}|\\.", " ", text, flags=re.S)
    return [t for t in re.split(r"[\s|()*+?^$]+", text) if _WORD.fullmatch(t)]


_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "split", "findall", "finditer"}


def _patterns(tree: ast.AST) -> list[tuple[int, str]]:
    """The regular expressions a module writes out (the first argument of ``re.*``)."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append((node.lineno, node.args[0].value))
    return out


def _english_in(tree: ast.AST) -> list[tuple[int, str]]:
    """Strings of two words or more, and regexes that match any word at all."""
    found = [(line, t) for line, t in _said_strings(tree) if len(_words_in(t)) >= 2]
    for line, pattern in _patterns(tree):
        bare = re.sub(r"\\.|\[[^\]]*\]|\{[^}]*\}", " ", pattern)
        if re.search(r"[^\W\d_]{2,}", bare):
            found.append((line, pattern))
    return sorted(set(found))


def test_the_reply_shaping_code_holds_no_sentences_word_lists_or_english_regexes() -> None:
    """Every word a customer, an agent or a notebook reader sees comes from a catalog: a
    string of two words or more in the code would be English that no translation reaches
    (a headline, a label, a list of words), and a regex that matches words reads English
    to shape the reply."""
    found: list[str] = []
    for name in SHAPING:
        tree = ast.parse((RENDER / name).read_text(encoding="utf-8"))
        found += [f"{name}:{line}: {text!r}" for line, text in _english_in(tree)]
    assert not found, "\n".join(found)


def test_the_word_check_finds_sentences_and_english_regexes() -> None:
    """The check above is not vacuous: it finds a label, an f-string and regexes of words,
    and leaves markup, types, docstrings and error messages alone."""
    source = (
        'LABEL = "Decided by"\n'
        'line = f"To escalate, pass the case to {who}."\n'
        "ANSWERED = re.compile(r\"\\b(can't|cannot|won't|isn't possible)\\b\", re.I)\n"
        'SORRY = re.compile(r"^sorry", re.I)\n'
        'STYLE = "<style>.policylib th,.policylib td{text-align:left}</style>"\n'
        'Node: TypeAlias = "tuple[str, list[Node]]"\n'
        'CODE = re.compile(r"[:;(\\[/]|\\b[A-Z]{2,}-?\\d")\n'
        'def f():\n    """A docstring says why, in English."""\n'
        '    raise ValueError("an error message is for developers")\n'
    )
    assert [text for _, text in _english_in(ast.parse(source))] == [
        "Decided by",
        "To escalate, pass the case to {}.",
        "\\b(can't|cannot|won't|isn't possible)\\b",
        "^sorry",
    ]


def _catalog(language: str, name: str) -> dict[str, set[str]]:
    """Message id -> the variables it names, in one of policylib's catalogs."""
    source = (RENDER / "locales" / language / name).read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    for entry in FluentParser().parse(source).body:
        assert not isinstance(entry, fl.Junk), entry.content
        if isinstance(entry, fl.Message):
            out[entry.id.name] = set(
                re.findall(
                    r"\{\s*\$([A-Za-z_][\w-]*)",
                    str(source)[
                        entry.span.start : entry.span.end  # type: ignore[union-attr]
                    ],
                )
            )
    return out


@pytest.mark.parametrize("name", ["reply.ftl", "agent.ftl", "notebook.ftl"])
def test_the_spanish_catalogs_say_every_message_with_the_english_variables(name: str) -> None:
    english, spanish = _catalog("en", name), _catalog("es", name)
    assert set(spanish) == set(english)
    for message_id, variables in spanish.items():
        assert variables <= english[message_id], message_id


@dataclasses.dataclass
class _Voice:
    """A voice of policylib's own words in one locale (no pack), formatting values plainly."""

    book: Phrasebook

    def format_value(self, fact: str, value: Any) -> str:
        if isinstance(value, bool):
            return self.book.get("value-yes" if value else "value-no")
        return str(value)

    def shown(self, fact: str, value: Any) -> str:
        return self.format_value(fact, value)

    def pack_word(self, key: str, default: str) -> str:
        return default


def test_the_agent_view_speaks_spanish_when_the_book_does() -> None:
    voice = _Voice(Phrasebook({}, "es_US"))
    text = render_decision(restocking_fee(), voice, "agent")
    assert text.startswith("Resultado: parcial (solicitud return, de Lee)")
    for heading in ("Decidida por", "Lo que se le dice al cliente", "Condiciones revisadas"):
        assert f"\n{heading}\n" in text
    assert "Por qué: Opened electronics" in text  # the rule's words stay the pack's
    assert "RET-020 (decidió, prioridad 110): Opened electronics carry a restocking fee" in text
    assert "whether the item has been opened: se pide sí, es sí — se cumple" in text
    assert "days since your order arrived: se pide como máximo 30, es 6 — se cumple" in text
    assert "[store credit; verificada: la aprueba RET-031]" in text
    assert "Para escalar el caso, páselo a a customer-care supervisor." in text
    waiting = render_decision(needs_info(), voice, "agent")
    assert "\nEn espera de\n" in waiting
    assert "se pide sí, es no se sabe — no se sabe" in waiting
    english = render_decision(restocking_fee(), _Voice(Phrasebook({}, "en_US")), "agent")
    for word in ("Outcome:", "Decided by", "required", "What you can do"):
        assert word in english and word not in text


def test_the_customer_reply_and_chat_speak_spanish_when_the_book_does() -> None:
    voice = _Voice(Phrasebook({}, "es_US"))
    text = render_decision(hygiene_denial(), voice)
    assert text.startswith("Hola Dana:\n\n")
    assert "Esto es lo que sí podemos hacer:" in text
    assert "Puede leer la sección “Bath and personal-care items” de nuestra política aquí:" in text
    chat = render_decision(truck_loaded(), voice, "chat")
    assert chat.startswith("Hola Marcus:\n\nYour order is already on the delivery truck")
    asked = render_decision(needs_info(), voice)
    assert asked.startswith("Hola Dana: antes de responderle, necesito saber una cosa. Has")
    assert "En cuanto lo sepa, podré darle una respuesta completa." in asked


def test_a_chat_keeps_a_text_whole_whatever_its_punctuation() -> None:
    """A German date ("1. Dezember") or "6 p.m." inside a text is no sentence end: the
    bubble says the rule's text as written, not cut where an English splitter would."""
    decision = truck_loaded()
    text = "Änderungen sind bis 18 Uhr am 1. Dezember kostenlos. Danach geht es nicht mehr."
    reason = decision.reasons[0].model_copy(update={"text": text})
    chat = render_decision(
        decision.model_copy(update={"reasons": [reason]}), _Voice(Phrasebook({}, "de_DE")), "chat"
    )
    assert f"\n\n{text}\n\n" in chat


@pytest.mark.parametrize(
    ("offers", "shared"),
    [
        (["At 8 a.m. or noon instead. No charge.", "At 4 p.m. instead. No charge."], "No charge."),
        (
            ["Am 1. Dezember. Es kostet nichts.", "Am 3. Dezember. Es kostet nichts."],
            "Es kostet nichts.",
        ),
        (
            ["De 8:00 a.m. a 12:00 p.m. Sin costo.", "De 4:00 p.m. a 8:00 p.m. Sin costo."],
            "Sin costo.",
        ),
        (
            ["Mon. Free until 6 p.m. Eastern Time.", "Tue. Free until 6 p.m. Eastern Time."],
            "Free until 6 p.m. Eastern Time.",
        ),
        (["From 8 a.m. and 4 p.m. No fee.", "From 10 a.m. and 4 p.m. No fee."], ""),
        (["Lieferung am 1. Dezember.", "Lieferung am 2. Dezember."], ""),
        (["Just one.", "Another one."], ""),
    ],
)
def test_a_shared_last_sentence_is_found_where_its_author_ended_the_one_before(
    offers: list[str], shared: str
) -> None:
    from policylib.render.views import _shared_ending

    kept, found = _shared_ending(offers)
    assert found == shared
    assert [k + (" " + shared if shared else "") for k in kept] == offers


def test_the_option_the_customer_asked_for_comes_first(voice: TextRenderer) -> None:
    """An exchange request hears about the exchange first, whatever the policy ranks first."""
    decision = restocking_fee()
    ctx = decision.context.model_copy(update={"request_kind": "exchange"})
    alternatives = list(reversed(decision.alternatives))  # store credit ranked first
    text = render_decision(
        decision.model_copy(update={"context": ctx, "alternatives": alternatives}), voice
    )
    assert text.index("An exchange for another pair") < text.index("Store credit for the full")


def test_a_rule_that_answers_for_one_item_leaves_the_headline_to_the_whole_reply(
    voice: TextRenderer,
) -> None:
    """answers: true speaks for its own outcome: in a reply whose items were decided
    differently, the mixed headline still opens it."""
    base = restocking_fee()
    denied = hygiene_denial().reasons[0]
    assert denied.answers
    text = render_decision(base.model_copy(update={"reasons": [denied, *base.reasons]}), voice)
    assert text.splitlines()[2].startswith("We can take back some of these items")
