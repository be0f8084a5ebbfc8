"""What a tool call returns to the model: a small, versioned summary of a decision.

A decision's full JSON (its trace above all) runs to thousands of characters; a model
needs the outcome, the reply, the offers it may make, the one question to ask and where
the policy is published. ``call_tool`` decides a tool call's arguments and returns that,
or, for arguments that are not a valid request, the problems by field, so the model can
fix its call. It never raises for anything a model can send: a dict, JSON text, null, a
list, huge or deeply nested input.

A ``null`` in the arguments means "not said", as if the key were left out: strict tool
calling (OpenAI's) makes a model give every property, null for the ones it does not know.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from policylib.errors import PolicyError, RequestError
from policylib.output.decision import Alternative, Audience, Decision, Question
from policylib.request.base import Request
from policylib.request.parse import MAX_DEPTH, MAX_REQUEST_BYTES, parse_request
from policylib.request.scalars import clock_text

__all__ = [
    "MAX_ERRORS",
    "RESULT_SCHEMA",
    "SCHEMA_VERSION",
    "Decider",
    "call_tool",
    "error_result",
    "tool_arguments",
    "tool_result",
    "without_nulls",
]

SCHEMA_VERSION = 1

_TEXT_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}

RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A decided request, as the model reads it (tool_result).",
    "properties": {
        "schema_version": {"type": "integer", "const": SCHEMA_VERSION},
        "outcome": {
            "type": "string",
            "enum": ["granted", "partial", "denied", "needs_info", "escalate"],
            "description": "granted, partial (some items or part of it), denied, needs_info "
            "(ask the question first) or escalate (a person decides).",
        },
        "reply": {"type": "string", "description": "The answer to send the customer as is."},
        "offers": {
            "type": "array",
            "description": "What the store can honestly offer instead; offer nothing else.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "Stable for the same request."},
                    "kind": {"type": "string"},
                    "text": {"type": "string"},
                    "changes": {
                        "type": "object",
                        "description": "The change to the request that taking it stands for.",
                    },
                    "item": {**_TEXT_OR_NULL, "description": "The sku it is for, if one."},
                },
                "required": ["id", "kind", "text", "changes", "item"],
            },
        },
        "question": {
            "description": "With needs_info: the one question to ask the customer, the request "
            "field its answer fills, the item it is about and the values it takes.",
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "field": {"type": "string"},
                        "item": _TEXT_OR_NULL,
                        "answers": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["text", "field", "item", "answers"],
                },
            ],
        },
        "citation": {
            "description": "Where the policy the decision rests on is published.",
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "url": _TEXT_OR_NULL},
                    "required": ["title", "url"],
                },
            ],
        },
    },
    "required": ["schema_version", "outcome", "reply", "offers", "question", "citation"],
}
"""The JSON Schema of ``tool_result`` (an MCP tool's output schema, say)."""

MAX_ERRORS = 20
"""Most problems an invalid-request result lists (a model fixes the first ones first)."""

_NODES = 25_000  # more values than any request within MAX_REQUEST_BYTES can hold


class Decider(Protocol):
    """What the tool needs of a policy (``policylib.Policy`` is one)."""

    @property
    def request_model(self) -> type[Request]: ...

    @property
    def zone(self) -> ZoneInfo: ...

    def evaluate(self, request: object, now: datetime | None = None) -> Decision: ...


def call_tool(
    policy: Decider, arguments: object, *, audience: Audience = "chat", now: datetime | None = None
) -> dict[str, Any]:
    """Decide a tool call and return the compact result for the model.

    Args:
        policy: the policy that decides.
        arguments: the tool call's arguments: a dict, or JSON text as models send it.
        audience: whose words the reply is in (``chat`` by default).
        now: the clock to decide at (timezone-aware); ``requested_at`` wins when given.

    Returns:
        ``tool_result`` of the decision, or ``error_result`` of why there is none.

    Raises:
        PolicyError: ``audience`` is not one policylib renders (a bug in the caller, not
            something a model can send).
    """
    if audience not in get_args(Audience):
        raise PolicyError(f"unknown audience {audience!r}; use customer, agent or chat")
    try:
        request = parse_request(tool_arguments(arguments), policy.request_model, zone=policy.zone)
        decision = policy.evaluate(request, now=now)
    except PolicyError as error:
        return error_result(error)
    return tool_result(decision, audience=audience, request=request)


def tool_result(
    decision: Decision, *, audience: Audience = "chat", request: Request | None = None
) -> dict[str, Any]:
    """A decision as the model reads it::

        {"schema_version": 1, "outcome": "denied", "reply": "Hi Dana, ...",
         "offers": [{"id": "credit/SKU-1", "kind": "credit", "text": "...",
                     "changes": {"details.wish": "credit"}, "item": "SKU-1"}],
         "question": null,
         "citation": {"title": "Returns", "url": "https://..."}}

    ``offers[].id`` is the offer's kind, then ``/`` and the item's sku for an offer about
    one item of several, then ``#2``, ``#3`` ... when that repeats: the same request gives
    the same ids. ``changes`` is the change to the request the offer stands for (dotted
    paths; empty for a way forward such as a supervisor's review). ``question`` is the one
    thing to ask (``field`` is where the answer goes; ``item`` the sku of the order line
    it is about; ``answers`` the values it takes, when they are fixed).

    Args:
        decision: a decision made in this process (its reply is rendered).
        audience: whose words the reply is in.
        request: the decided request, to name offers' items by sku (by name without it).
    """
    skus: dict[str, str] = {}
    if request is not None:
        for item in request.selected_items():
            skus.setdefault(item.name, item.sku)
    question = decision.questions[0] if decision.questions else None
    return {
        "schema_version": SCHEMA_VERSION,
        "outcome": decision.outcome.value,
        "reply": decision.render(audience),
        "offers": _offers(decision.alternatives, skus),
        "question": _question(question) if question is not None else None,
        "citation": _citation(decision),
    }


def error_result(error: PolicyError) -> dict[str, Any]:
    """Why a tool call has no decision: the request's problems by field, or what failed.

    A ``RequestError`` gives ``invalid_request`` with each problem's field, what is wrong
    (with the value received) and a hint; any other policylib error gives ``error``, which
    a model cannot fix by calling again (hand the case to a person).
    """
    if isinstance(error, RequestError):
        problems = error.problems or ()
        errors = [
            {
                "field": p.where or "(request)",
                "problem": f"{p.message} (received {p.value})" if p.value else p.message,
                "hint": p.hint,
            }
            for p in problems[:MAX_ERRORS]
        ]
        if not errors:
            errors = [{"field": "(request)", "problem": error.message, "hint": ""}]
        result: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "outcome": "invalid_request",
            "errors": errors,
        }
        if len(problems) > MAX_ERRORS:
            result["more_errors"] = len(problems) - MAX_ERRORS
        return result
    return {
        "schema_version": SCHEMA_VERSION,
        "outcome": "error",
        "errors": [
            {
                "field": "",
                "problem": error.message,
                "hint": "this cannot be fixed by calling again; hand the case to a person",
            }
        ],
    }


# --------------------------------------------------------------------------- arguments


def tool_arguments(arguments: object) -> object:
    """A tool call's arguments with their nulls dropped, read from JSON text when they
    are text.

    Text that is not JSON, or is too large or deep to read here, goes to ``parse_request``
    as it is, which refuses it with the right problem.
    """
    if isinstance(arguments, bytes | bytearray):
        try:
            arguments = bytes(arguments).decode("utf-8")
        except UnicodeDecodeError:
            return arguments
    if isinstance(arguments, str):
        if len(arguments) > MAX_REQUEST_BYTES:
            return arguments
        try:
            arguments = json.loads(arguments, parse_float=Decimal, parse_constant=_refuse)
        except (ValueError, RecursionError):
            return arguments
    return without_nulls(arguments)


def _refuse(token: str) -> object:
    raise ValueError(f"{token} is not a number")


def without_nulls(value: object) -> object:
    """A JSON value with every ``null`` member of an object dropped (``null`` is "not
    said"), down to the request's deepest allowed nesting. A value too big or too deep to
    be a request comes back unchanged, for ``parse_request`` to refuse."""
    budget = [_NODES]
    stripped = _strip(value, 0, budget)
    return value if budget[0] < 0 else stripped


def _strip(value: object, depth: int, budget: list[int]) -> object:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        budget[0] = -1
        return value
    if type(value) is dict:
        return {
            key: _strip(child, depth + 1, budget)
            for key, child in value.items()
            if child is not None
        }
    if type(value) is list:
        return [_strip(child, depth + 1, budget) for child in value]
    return value


# --------------------------------------------------------------------------- the result


def _offers(alternatives: Sequence[Alternative], skus: Mapping[str, str]) -> list[dict[str, Any]]:
    offers: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for alt in alternatives:
        item = skus.get(alt.item, alt.item) if alt.item is not None else None
        base = f"{alt.kind}/{item}" if item is not None else alt.kind
        seen[base] = seen.get(base, 0) + 1
        offers.append(
            {
                "id": base if seen[base] == 1 else f"{base}#{seen[base]}",
                "kind": alt.kind,
                "text": alt.text,
                "changes": _json(alt.change),
                "item": item,
            }
        )
    return offers


def _json(change: Mapping[str, Any]) -> dict[str, Any]:
    """A change as JSON values (dates, times and money as the request writes them)."""
    return {key: _plain(value) for key, value in change.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, BaseModel):
        return _plain(value.model_dump())
    if isinstance(value, time):
        return clock_text(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return value


def _question(question: Question) -> dict[str, Any]:
    return {
        "text": question.text,
        "field": question.field,
        "item": question.item,
        "answers": list(question.answers),
    }


def _citation(decision: Decision) -> dict[str, Any] | None:
    for reason in decision.reasons:
        citation = reason.citation
        if citation.title or citation.url:
            return {"title": citation.title, "url": citation.url}
    return None
