"""Explanations: the words a customer, an agent and a chat bubble get for a decision.

Decisions are built directly from the model (not through the rules pack), so these tests
pin the renderer's voice on its own. Golden files live in ``tests/golden/explain/``; pass
``--update-goldens`` to rewrite them, then read the diff: those files are the product.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Literal

import pytest
import textstat
from hypothesis import given
from hypothesis import strategies as st

from policylib import Policy
from policylib.explain import DEFAULT_PHRASES, UNKNOWN, TextRenderer, render_decision
from policylib.language import (
    Citation as RuleCitation,
)
from policylib.language import (
    Compare,
    FactDef,
    Message,
    Offer,
    Pack,
    Rule,
    Store,
)
from policylib.model import (
    Alternative,
    Citation,
    ConditionTrace,
    Decision,
    DecisionContext,
    Outcome,
    Question,
    Reason,
    RequestKind,
    RuleTrace,
)
from tests import ROOT
from tests.conftest import Goldens

POLICIES = "https://hearthandhome.example/policies"
DECIDED_AT = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)

pytestmark = pytest.mark.usefixtures("offline_syllables")

Audience = Literal["customer", "agent", "chat"]
Fmt = Literal["text", "markdown", "html"]


# --------------------------------------------------------------------------- building decisions


def _cond(
    fact: str, label: str, op: str, required: Any, actual: Any, status: str = "held"
) -> ConditionTrace:
    return ConditionTrace(
        fact=fact, label=label, op=op, required=required, actual=actual, status=status
    )


def _context(
    kind: RequestKind,
    facts: dict[str, str],
    name: str | None = "Dana",
    limit: str = "$50.00",
) -> DecisionContext:
    return DecisionContext(
        customer_name=name,
        store_name="Hearth & Home",
        policy_url=POLICIES,
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
            RequestKind.RETURN,
            {
                "whether it is a bath or personal-care item": "yes",
                "whether the item has been opened": "yes",
                "reason for the request": "changed mind",
            },
            name=name,
            limit="$4.90",
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
            RequestKind.CHANGE_DELIVERY,
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
            RequestKind.CANCEL,
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
            RequestKind.RETURN,
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
            RequestKind.RETURN,
            {
                "whether it is a bath or personal-care item": "yes",
                "whether the item has been opened": UNKNOWN,
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
                    _cond("restocking_fee", "restocking fee", "gt", "0", "37.50"),
                ],
            ),
        ],
        context=_context(
            RequestKind.RETURN,
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
        context=_context(RequestKind.PRICE_ADJUSTMENT, {}, name=None),
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


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_text_for_every_audience_matches_its_golden_file(
    golden: Goldens, case: str, audience: Audience
) -> None:
    text = render_decision(CASES[case](), audience=audience, format="text")
    golden.check(f"explain/{case}.{audience}.txt", text + "\n")


@pytest.mark.parametrize(("case", "audience", "fmt"), EXTRA_FORMATS)
def test_markdown_and_html_match_their_golden_files(
    golden: Goldens, case: str, audience: Audience, fmt: Fmt
) -> None:
    text = render_decision(CASES[case](), audience=audience, format=fmt)
    ext = {"markdown": "md", "html": "html"}[fmt]
    golden.check(f"explain/{case}.{audience}.{ext}", text + "\n")


# --------------------------------------------------------------------------- the voice


@pytest.mark.parametrize("case", sorted(CASES))
def test_customer_text_reads_well(case: str) -> None:
    decision = CASES[case]()
    text = render_decision(decision, "customer")
    name = decision.context.customer_name
    assert text.startswith(f"Hi {name}," if name else "Hi there,")
    assert len(_before_list(text).split()) < 120
    assert textstat.flesch_kincaid_grade(_prose(text)) <= 8, text
    _assert_clean(text)


@pytest.mark.parametrize("case", sorted(CASES))
def test_chat_is_short_and_clean(case: str) -> None:
    decision = CASES[case]()
    text = render_decision(decision, "chat")
    first = text.split("\n\n", 1)[0]
    assert len(re.findall(r"[.!?](\s|$)", first)) <= 2, first
    assert text.startswith("Hi ")
    _assert_clean(text)


def test_customer_text_opens_with_the_answer_and_ends_with_the_policy() -> None:
    text = render_decision(hygiene_denial())
    lines = text.splitlines()
    assert lines[0] == "Hi Dana,"
    assert lines[2].startswith("Because the toilet seat has been opened, we can't take it back.")
    assert "Here's what we can do instead:" in text
    assert lines[-1].endswith(f"{POLICIES}#opened-hygiene-items")


def test_denied_without_the_answer_in_the_rule_text_gets_a_headline() -> None:
    decision = truck_loaded()
    reason = decision.reasons[0].model_copy(
        update={"text": "Your delivery on Tuesday, December 1 is already planned into a route."}
    )
    text = render_decision(decision.model_copy(update={"reasons": [reason]}))
    assert text.splitlines()[2].startswith("We can't make this change to your delivery.")


def test_cancellation_is_confirmed_before_any_offer() -> None:
    text = render_decision(membership_cancel())
    confirmed = text.index("it's cancelled")
    assert confirmed < text.index("pause")
    assert "nothing else you need to do" in text


def test_apology_opens_when_the_store_erred() -> None:
    text = render_decision(damaged_apology())
    assert text.splitlines()[2].startswith("I'm sorry your floor lamp arrived damaged.")
    assert "Good news" not in text
    plain = render_decision(damaged_apology(sorry_in_text=False))
    assert plain.splitlines()[2].startswith("I'm sorry about this, and we'll put it right.")


def test_needs_info_asks_exactly_one_question() -> None:
    text = render_decision(needs_info())
    assert text.startswith("Hi Dana, before I can answer, I need to know one thing:")
    assert text.count("?") == 1
    assert (
        "It matters because bath and personal-care items can't be sold again once opened." in text
    )


def test_needs_info_names_what_is_at_stake_when_the_why_does_not() -> None:
    decision = needs_info()
    reason = decision.reasons[0].model_copy(
        update={"why": "This protects the health of the next customer."}
    )
    text = render_decision(decision.model_copy(update={"reasons": [reason]}))
    assert (
        "It matters because opened bath and personal-care items can't be returned. "
        "This protects the health of the next customer." in text
    )


def test_several_items_stay_short() -> None:
    base = restocking_fee()
    reasons = [
        base.reasons[0].model_copy(
            update={"rule_id": f"RET-02{i}", "text": f"{text} {base.reasons[0].text}"}
        )
        for i, text in enumerate(["For the first pair:", "For the second pair:", "For the third:"])
    ]
    text = render_decision(base.model_copy(update={"reasons": reasons}))
    assert len(_before_list(text).split()) < 120
    assert text.count("restocking fee of $37.50") == 3


def test_no_name_greets_without_one() -> None:
    assert render_decision(hygiene_denial(name=None)).startswith("Hi there,")
    assert render_decision(hygiene_denial(name=None), "chat").startswith("Hi there,")


def test_agent_view_has_rule_ids_conditions_and_limits() -> None:
    text = render_decision(restocking_fee(), "agent")
    assert "RET-020" in text
    assert "days since your order arrived: required at most 30 days, actual 6 days — held" in text
    assert "restocking fee: required more than $0.00, actual $37.50 — held" in text
    assert "verified: granted by RET-031" in text
    assert "up to $25.00" in text
    assert "a customer-care supervisor" in text


def test_agent_view_shows_what_is_unknown() -> None:
    text = render_decision(needs_info(), "agent")
    assert "HYG-001 (unknown" in text
    assert "whether the item has been opened: required yes, actual not known — unknown" in text
    assert "(request field order.items[].condition)" in text


# --------------------------------------------------------------------------- formats and safety


def test_html_escapes_names_and_item_names() -> None:
    evil = "<script>alert(1)</script>"
    decision = hygiene_denial(name=f"{evil}Dana", item=f"{evil} seat")
    for audience in AUDIENCES:
        out = render_decision(decision, audience, "html")
        assert "<script>" not in out
        assert "&lt;script&gt;" in out


def test_markdown_escapes_markup_in_names() -> None:
    out = render_decision(hygiene_denial(name="*Dana* [x](javascript:alert(1))"), format="markdown")
    assert "\\*Dana\\*" in out
    assert "](javascript:" not in out.replace("\\]", "")


def test_unsafe_policy_urls_are_dropped() -> None:
    decision = hygiene_denial()
    reason = decision.reasons[0]
    bad = reason.model_copy(
        update={"citation": reason.citation.model_copy(update={"url": "javascript:alert(1)"})}
    )
    ctx = decision.context.model_copy(update={"policy_url": "javascript:alert(2)"})
    decision = decision.model_copy(update={"reasons": [bad], "context": ctx})
    for fmt in FORMATS:
        out = render_decision(decision, "customer", fmt)
        assert "javascript" not in out
        assert "policy here" not in out


def test_html_is_a_small_fragment() -> None:
    out = render_decision(truck_loaded(), format="html")
    assert out.startswith("<p>Hi <bdi>Marcus</bdi>,</p>")
    assert "<ul><li>" in out
    assert f'<a href="{POLICIES}#changing-a-delivery">' in out


@pytest.mark.parametrize("case", sorted(CASES))
def test_html_has_no_empty_elements(case: str) -> None:
    for audience in AUDIENCES:
        out = render_decision(CASES[case](), audience, "html")
        assert not re.search(r"<(\w+)[^>]*>\s*</\1>", out), out
        assert "<p> " not in out


@given(st.text(max_size=80))
def test_any_customer_name_renders_and_is_escaped(name: str) -> None:
    decision = hygiene_denial(name=name)
    for audience in AUDIENCES:
        out = render_decision(decision, audience, "html")
        stripped = re.sub(r"</?(p|ul|li|strong|h3|bdi)>|<a href=\"[^\"<>]*\">|</a>", "", out)
        assert "<" not in stripped
        text = render_decision(decision, audience, "text")
        assert text.startswith("Hi ") or audience == "agent"


@given(
    st.sampled_from(sorted(CASES)),
    st.sampled_from(AUDIENCES),
    st.sampled_from(["text", "markdown", "html"]),
)
def test_every_case_renders_in_every_audience_and_format(
    case: str, audience: Audience, fmt: Fmt
) -> None:
    assert render_decision(CASES[case](), audience, fmt).strip()


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("kind", list(RequestKind))
def test_bare_decisions_still_read_cleanly(outcome: Outcome, kind: RequestKind) -> None:
    decision = Decision(
        outcome=outcome,
        explanation="",
        reasons=[],
        context=DecisionContext(request_kind=kind),
        decided_at=DECIDED_AT,
    )
    for audience in AUDIENCES:
        for fmt in FORMATS:
            out = render_decision(decision, audience, fmt)
            assert out.strip()
            if audience != "agent":
                assert out.startswith(("Hi there,", "<p>Hi there,"))
                _assert_clean(re.sub(r"<[^>]+>", "", out))


def test_unknown_audience_or_format_is_refused() -> None:
    with pytest.raises(ValueError, match="audience"):
        render_decision(hygiene_denial(), "robot")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format"):
        render_decision(hygiene_denial(), "customer", "pdf")  # type: ignore[arg-type]


def test_pack_phrases_override_the_defaults() -> None:
    ctx = hygiene_denial().context.model_copy(
        update={"phrases": {"offers-denied": "Here is what we can offer:"}}
    )
    decision = hygiene_denial().model_copy(update={"context": ctx})
    assert "Here is what we can offer:" in render_decision(decision)


# --------------------------------------------------------------------------- TextRenderer


def _msg(source: str) -> Message:
    names = tuple(dict.fromkeys(re.findall(r"\{ *\$([a-z_]+) *\}", source)))
    return Message(source=source, variables=names)


def _pack() -> Pack:
    facts = {
        "item_name": FactDef("item_name", "text", "item", "item_name"),
        "item_price": FactDef("item_price", "money", "price you paid", "item_price", "currency"),
        "days_since_delivery": FactDef(
            "days_since_delivery",
            "integer",
            "days since your order arrived",
            "days_since_delivery",
            "days",
        ),
        "transit": FactDef("transit", "integer", "transit", "x", "business_days"),
        "hours_since_order": FactDef("hours_since_order", "integer", "hours", "x", "hours"),
        "restocking_fee_percent": FactDef(
            "restocking_fee_percent", "decimal", "fee", "x", "percent"
        ),
        "item_opened": FactDef(
            "item_opened",
            "boolean",
            "whether the item has been opened",
            "item_opened",
            question=_msg("Has the { $item_name } been taken out of its sealed packaging?"),
        ),
        "reason": FactDef(
            "reason",
            "enum",
            "reason for the request",
            "reason",
            values=("changed_mind", "defective"),
        ),
        "scheduled_date": FactDef("scheduled_date", "date", "your delivery day", "scheduled_date"),
        "new_date": FactDef("new_date", "date", "the new delivery day you asked for", "new_date"),
        "sessions_remaining": FactDef("sessions_remaining", "integer", "sessions", "x", "sessions"),
    }
    rule = Rule(
        id="RET-001",
        title="t",
        kinds=("return",),
        when=Compare("days_since_delivery", "lte", 30),
        outcome="granted",
        text=_msg("We can refund { $item_price } for the { $item_name }.\nThanks for asking."),
        citation=RuleCitation("returns"),
        why=_msg("It arrived { $days_since_delivery } ago."),
        offers=(Offer("store_credit", _msg("Store credit for { $item_price }.")),),
    )
    return Pack(
        store=Store(name="Hearth & Home"),
        facts=facts,
        rules=(rule,),
        default_outcome="escalate",
        default_text=_msg("A person will look at this."),
        messages={"offers-denied": _msg("What we can offer:")},
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


def test_fill_inserts_values_literally_and_marks_unknowns() -> None:
    pack = _pack()
    renderer = TextRenderer(pack)
    rule = pack.rules[0]
    text = renderer.fill(rule.text, {"item_price": "$49.99", "item_name": "{ $item_price } <b>"})
    assert text == "We can refund $49.99 for the { $item_price } <b>. Thanks for asking."
    assert renderer.fill(rule.why, {}) == f"It arrived {UNKNOWN} ago."  # type: ignore[arg-type]
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
    assert (
        renderer.question(pack.facts["reason"], {})
        == "Could you tell us the reason for the request?"
    )
    assert (
        renderer.question(pack.facts["new_date"], {})
        == "Could you tell us the new delivery day you asked for?"
    )


def test_shared_messages_come_from_the_pack_over_the_defaults() -> None:
    renderer = TextRenderer(_pack())
    assert renderer.shared("offers-denied", {}) == "What we can offer:"
    assert renderer.shared("greeting", {"customer_name": "Dana"}) == "Hi Dana,"
    assert renderer.shared("no-such-message", {}) == ""
    assert renderer.context_phrases() == {"offers-denied": "What we can offer:"}
    assert renderer.context_phrases() is renderer.context_phrases()


def test_pack_messages_cannot_shadow_rule_texts() -> None:
    pack = _pack()
    shadowing = Pack(
        store=pack.store,
        facts=pack.facts,
        rules=pack.rules,
        default_outcome=pack.default_outcome,
        default_text=pack.default_text,
        messages={"text-0": _msg("Boo")},
    )
    renderer = TextRenderer(shadowing)
    filled = renderer.fill(pack.rules[0].text, {"item_price": "$1.00", "item_name": "lamp"})
    assert filled == "We can refund $1.00 for the lamp. Thanks for asking."
    assert renderer.shared("text-0", {}) == "Boo"


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


def test_default_phrases_are_valid_fluent() -> None:
    from fluent.syntax import FluentParser
    from fluent.syntax import ast as fl

    body = FluentParser().parse(DEFAULT_PHRASES).body
    assert body and all(isinstance(entry, fl.Message) for entry in body)


def test_bundled_common_ftl_matches_ids_the_renderer_knows() -> None:
    source = (ROOT / "rules" / "common.ftl").read_text(encoding="utf-8")
    from fluent.syntax import FluentParser
    from fluent.syntax import ast as fl

    known = {
        entry.id.name
        for entry in FluentParser().parse(DEFAULT_PHRASES).body
        if isinstance(entry, fl.Message)
    }
    for entry in FluentParser().parse(source).body:
        assert not isinstance(entry, fl.Junk), entry.content
        if isinstance(entry, fl.Message):
            assert entry.id.name in known, f"{entry.id.name} is not a phrase the renderer uses"


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
    assert decision.outcome.value == "needs_info"
    text = decision.render()
    assert "shipping" not in text.split("?", 1)[1]  # no late-delivery rule as the reason
    assert "changes what we can offer" in text


def test_needs_info_explains_the_rule_waiting_only_on_the_question(bundled_policy: Policy) -> None:
    seat = {"name": "toilet seat", "category": "bath", "tags": ["hygiene"]}
    text = _bundled(bundled_policy, _delivered(seat, reason="changed_mind")).render()
    assert "It matters because" in text


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
    assert decision.outcome.value == "denied"
    for audience in ("customer", "chat"):
        text = decision.render(audience)
        assert text.count("There's no charge for the change.") == 1
        assert "We can deliver on Monday, November 30 instead." in text


def test_chat_ends_with_the_policy_link(bundled_policy: Policy) -> None:
    lamp = {"name": "lamp", "category": "lighting", "condition": "unopened"}
    text = _bundled(bundled_policy, _delivered(lamp, reason="changed_mind")).render("chat")
    assert text.splitlines()[-1].startswith("You can read our full policy")


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
