"""The store's policy as a tool in an OpenAI Chat Completions tool-calling loop.

The loop is the one you would run against the API: send the conversation and the tool,
run each tool call the model makes with ``policy.call_tool``, send the results back, and
stop when the model answers in words. Here the API is a stub (``fake_api``), an HTTP
transport that plays a model's part from canned turns, so the script runs offline; to
talk to the real API, build the client without ``http_client`` and with your key.

The model sees only the tool's result (``schema_version`` 1): the outcome, the reply, the
offers, the one question to ask and the citation, a few hundred characters, never the
trace. ``"strict": true`` in the tool makes the model send every field of the request,
null for what it does not know; ``call_tool`` reads a null as "not said".

Run it: ``python examples/tool_calling_loop.py`` (needs ``pip install openai``)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx2  # the HTTP library the openai SDK uses
from openai import OpenAI

import policylib

POLICY = policylib.load_policy()
TOOL = POLICY.tool_spec("openai")
CLOCK = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))
SYSTEM = (
    f"You are {POLICY.pack.store.name}'s customer-care assistant. Decide every return, "
    "exchange, cancellation or delivery request with the check_store_policy tool, and tell "
    "the customer only what its result says. When it asks a question, ask the customer."
)

ORDER: dict[str, Any] = {  # what your order system knows about the customer's order
    "id": "HH-100231",
    "placed_at": "2026-11-08T09:00:00-05:00",
    "status": "delivered",
    "shipped_at": None,
    "delivered_at": "2026-11-15T11:20:00-05:00",
    "items": [
        {
            "sku": "BTH-SEAT-01",
            "name": "soft-close toilet seat",
            "category": "bath",
            "tags": ["hygiene"],
            "price": "89.00",
            "quantity": 1,
            "condition": None,
            "final_sale": False,
            "price_adjusted": None,
            "plural_name": None,
        }
    ],
    "delivery": None,
}


def decide(arguments: str) -> str:
    """The tool's implementation: a tool call's arguments in, the result as JSON text."""
    return json.dumps(POLICY.call_tool(arguments, now=CLOCK))


def run(client: OpenAI, messages: list[dict[str, Any]]) -> str:
    """One customer turn: call the model until it answers in words, running its tools."""
    while True:
        response = client.chat.completions.create(
            model="gpt-4.1-mini", messages=messages, tools=[TOOL]
        )
        message = response.choices[0].message
        messages.append(message.model_dump(exclude_none=True))
        if not message.tool_calls:
            return message.content or ""
        for call in message.tool_calls:
            result = decide(call.function.arguments)
            print(f"  [tool {call.function.name} -> {json.loads(result)['outcome']}]")
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result})


# --------------------------------------------------------------------------- the stub API


def _call(condition: str | None) -> dict[str, Any]:
    """A strict tool call, as a model writes it: every field, null when not said."""
    order = json.loads(json.dumps(ORDER))
    order["items"][0]["condition"] = condition
    arguments = {
        "kind": "return",
        "requested_at": None,
        "customer": {"name": "Linda Park", "language": None, "tier": None},
        "order": order,
        "subscription": None,
        "items": ["BTH-SEAT-01"],
        "reason": "changed_mind",
        "resolution": "refund",
        "details": None,
    }
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{condition or 'first'}",
                "type": "function",
                "function": {"name": TOOL["function"]["name"], "arguments": json.dumps(arguments)},
            }
        ],
    }


def _words(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The model's answer in words, from the last tool result (a real model writes its own)."""
    result = json.loads(messages[-1]["content"])
    question = result.get("question")
    return {"role": "assistant", "content": question["text"] if question else result["reply"]}


def fake_api() -> httpx2.MockTransport:
    """Chat Completions played from canned turns: call the tool, ask its question, call it
    again with the answer, give its reply."""
    turns: Iterator[Any] = iter([_call(None), _words, _call("unopened"), _words])

    def respond(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        assert body["tools"] == [TOOL], "the tool reaches the API as policylib wrote it"
        turn = next(turns)
        message = turn(body["messages"]) if callable(turn) else turn
        reason = "tool_calls" if message.get("tool_calls") else "stop"
        completion = {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": reason}],
        }
        return httpx2.Response(200, json=completion)

    return httpx2.MockTransport(respond)


def main() -> None:
    client = OpenAI(api_key="sk-offline", http_client=httpx2.Client(transport=fake_api()))
    messages: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM}]
    for said in ["I'd like to return the toilet seat from my last order.", "No, still sealed."]:
        print(f"Customer: {said}")
        messages.append({"role": "user", "content": said})
        print(f"Assistant: {run(client, messages)}\n")


if __name__ == "__main__":
    main()
