"""A chatbot's use of policylib, in the shape you would copy into your own bot.

Load the policy once at start-up, then per customer message:

1. your bot (or the LLM, through a tool call) fills in a request;
2. ``policy.evaluate`` decides it;
3. you show ``decision.render(audience="chat")`` and, when the decision needs more
   information, ask ``decision.questions[0].text`` and evaluate again with the answer.

The tool definition handed to an LLM is generated from the request model, so the model
can only call the tool with fields policylib understands; a bad call comes back as a
clear error message the model can read and fix.

Run it: ``python examples/chatbot.py``
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import policylib

POLICY = policylib.load_policy()  # once per process; evaluate is thread-safe
CLOCK = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))

# What you register with an LLM as a tool ("function calling").
TOOL = {
    "name": "check_store_policy",
    "description": "Decide a customer request (return, exchange, cancel, delivery change, "
    "delivery estimate, price adjustment) under the store's policy and explain it.",
    "parameters": POLICY.request_schema(),
}


def check_store_policy(arguments: dict[str, Any]) -> dict[str, Any]:
    """The tool's implementation: never raises on bad input, the model gets the problem."""
    try:
        decision = POLICY.evaluate(arguments, now=CLOCK)
    except policylib.RequestError as error:
        return {"error": str(error)}
    return {
        "outcome": decision.outcome.value,
        "reply": decision.render(audience="chat"),
        "ask": decision.questions[0].text if decision.questions else None,
        "answers_field": decision.questions[0].field if decision.questions else None,
    }


def conversation() -> None:
    order = {
        "id": "O-2291",
        "placed_at": "2026-11-08T10:00:00-05:00",
        "status": "delivered",
        "delivered_at": "2026-11-12T13:00:00-05:00",
        "items": [
            {
                "sku": "SH-7",
                "name": "Rain shower head",
                "category": "bath",
                "tags": ["hygiene"],
                "price": 64.0,
            }
        ],
    }
    request: dict[str, Any] = {
        "kind": "return",
        "customer": {"name": "Priya"},
        "order": order,
        "items": ["SH-7"],
        "reason": "changed_mind",
        "resolution": "refund",
    }
    print("Customer: I'd like to return the shower head I got last week.")
    result = check_store_policy(request)
    print(f"Bot ({result['outcome']}):\n{result['reply']}\n")

    if result["ask"]:
        print("Customer: It's still sealed in the box.")
        order["items"][0]["condition"] = "unopened"  # the answer fills the asked field
        result = check_store_policy(request)
        print(f"Bot ({result['outcome']}):\n{result['reply']}\n")

    print("A malformed tool call gets a readable error back:")
    print(json.dumps(check_store_policy({"kind": "refund_please"}), indent=2))


if __name__ == "__main__":
    conversation()
