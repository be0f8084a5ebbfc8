"""A chatbot's use of policylib, in the shape you would copy into your own bot.

Load the policy once at start-up, then:

1. register ``policy.tool_spec("openai")`` (or ``"anthropic"``, ``"json"``) with your
   model: what the tool decides, for which store, and the request schema, a description
   on every field;
2. answer each tool call with ``policy.call_tool(arguments)``: a small result (the
   outcome, the reply, the offers, the one question to ask, the citation), or the
   problems by field when the call is malformed, for the model to fix. It never raises;
3. in a bot without a model (a form, a scripted flow), ``policy.conversation(request)``
   asks the decision's questions one at a time and decides again with each answer.

``examples/tool_calling_loop.py`` wires the tool into an SDK client's tool-calling loop.

Run it: ``python examples/chatbot.py``
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import policylib

POLICY = policylib.load_policy()  # once per process; evaluate is thread-safe
CLOCK = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))

# What you register with the model: here the provider-free form (name, description,
# parameters); tool_spec("openai") and tool_spec("anthropic") give each SDK's own shape.
TOOL = POLICY.tool_spec("json")

# What a model sends when a customer says "I'd like to return the shower head I got
# last week": it knows the order from your order system, not whether the box was opened.
ARGUMENTS: dict[str, Any] = {
    "kind": "return",
    "customer": {"name": "Priya"},
    "order": {
        "id": "O-2291",
        "placed_at": "2026-11-08T10:00:00-05:00",
        "status": "delivered",
        "delivered_at": "2026-11-12T13:00:00-05:00",
        "items": [
            {
                "sku": "SH-7",
                "name": "rain shower head",
                "category": "bath",
                "tags": ["hygiene"],
                "price": "64.00",
                "condition": None,  # strict tool calling sends null for "not said"
            }
        ],
    },
    "items": ["SH-7"],
    "reason": "changed_mind",
    "resolution": "refund",
}


def show(result: dict[str, Any]) -> None:
    print(json.dumps(result, indent=2, ensure_ascii=False))


def tool_calls() -> None:
    print(f"Tool {TOOL['name']!r}:")
    print(f"  {len(TOOL['description']):,} characters of description,")
    print(f"  {len(json.dumps(TOOL['parameters'])):,} characters of schema.\n")

    print("The model calls the tool; the result asks one question:")
    result = POLICY.call_tool(json.dumps(ARGUMENTS), now=CLOCK)  # JSON text, as models send it
    show(result)

    print("\nA malformed call gets the problems back, by field, for the model to fix:")
    show(POLICY.call_tool({"kind": "refund_please", "order": {"id": "O-2291"}}, now=CLOCK))


def scripted_conversation() -> None:
    print("\nThe same request in a bot without a model, one question at a time:")
    conversation = POLICY.conversation(ARGUMENTS, now=CLOCK)
    question = conversation.question
    assert question is not None
    print(f"Bot ({conversation.decision.outcome.value}): {question.text}")
    print(f"  (answers: {', '.join(question.answers)})")

    print("Customer: It's still sealed in the box.")
    try:
        conversation.answer("sealed")  # not one of the answers: refused, the question stays
    except policylib.RequestError as error:
        print(f"  (refused: {error.message})")
    conversation.answer("unopened")

    print(f"Bot ({conversation.decision.outcome.value}):")
    print(conversation.decision.render(audience="chat"))
    print(f"Answers taken: {conversation.answers}")


if __name__ == "__main__":
    tool_calls()
    scripted_conversation()
