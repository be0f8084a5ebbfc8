"""An MCP server over one policy, on the official ``mcp`` SDK (2.x, its low-level ``Server``).

What a model connected over stdio sees::

    tool      check_store_policy      decide a request; input schema = the pack's request schema
    resource  policy://page           the policy page (markdown), from the same rules
    resource  policy://request-schema the request's JSON Schema
    resource  policy://kinds          the request kinds the store answers, each with its meaning

The model sends the request itself as the tool's arguments. The SDK checks nothing against
the input schema; policylib validates, so a bad call comes back as a tool result with
``isError`` set and policylib's own problems (the field, what is wrong, the value received,
a hint), which a model can act on, never a schema validator's text.

``mcp`` is an optional dependency (``policylib[mcp]``); only ``policylib mcp`` imports this
module.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import anyio
import anyio.to_thread
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError

from policylib import __version__
from policylib.errors import PolicyError, RequestError
from policylib.lang.nodes import Outcome
from policylib.output.decision import Decision
from policylib.policy import Policy

__all__ = [
    "KINDS_URI",
    "PAGE_URI",
    "SCHEMA_URI",
    "TOOL_NAME",
    "build_server",
    "decision_result",
    "error_result",
    "serve",
]

TOOL_NAME = "check_store_policy"
PAGE_URI = "policy://page"
SCHEMA_URI = "policy://request-schema"
KINDS_URI = "policy://kinds"

_NULLABLE_TEXT = {"type": ["string", "null"]}
OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "outcome": {
            "type": "string",
            "enum": [o.value for o in Outcome],
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
                    "kind": {"type": "string"},
                    "text": {"type": "string"},
                    "item": {**_NULLABLE_TEXT, "description": "The item it is for, if one."},
                },
                "required": ["kind", "text", "item"],
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
                        "item": _NULLABLE_TEXT,
                        "answers": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["text", "field", "item", "answers"],
                },
            ],
        },
        "citation": {
            "description": "The published policy section the decision rests on.",
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "section": {"type": "string"},
                        "title": {"type": "string"},
                        "url": _NULLABLE_TEXT,
                    },
                    "required": ["section", "title", "url"],
                },
            ],
        },
    },
    "required": ["outcome", "reply", "offers", "question", "citation"],
}


# --------------------------------------------------------------------------- results


def decision_result(decision: Decision) -> types.CallToolResult:
    """A decision as a tool result: the chat reply, and the compact decision as data."""
    reply = decision.render(audience="chat")
    question = decision.questions[0] if decision.questions else None
    citation = decision.reasons[0].citation if decision.reasons else None
    content: dict[str, Any] = {
        "outcome": decision.outcome.value,
        "reply": reply,
        "offers": [
            {"kind": alt.kind, "text": alt.text, "item": alt.item} for alt in decision.alternatives
        ],
        "question": None
        if question is None
        else {
            "text": question.text,
            "field": question.field,
            "item": question.item,
            "answers": list(question.answers),
        },
        "citation": None if citation is None else citation.model_dump(mode="json"),
    }
    return types.CallToolResult(content=[types.TextContent(text=reply)], structured_content=content)


def error_result(error: PolicyError) -> types.CallToolResult:
    """A refused request as a tool error: every problem with its field, in policylib's words."""
    problems = [
        {
            "field": p.where,
            "code": p.code,
            "problem": p.message,
            "received": p.value,
            "hint": p.hint,
        }
        for p in error.problems
    ]
    lines = [f"The request was not accepted: {error.message}."]
    for p in error.problems:
        where = f"{p.where}: " if p.where else ""
        received = f"; received {p.value}" if p.value else ""
        lines.append(f"- {where}{p.message} ({p.code}){received}")
        if p.hint:
            lines.append(f"  hint: {p.hint}")
    if isinstance(error, RequestError):
        lines.append("Fix these fields and call the tool again.")
    else:  # a function the store registered failed: no change to the request helps
        lines.append("The request cannot be decided now; hand the customer to a person.")
    return types.CallToolResult(
        content=[types.TextContent(text="\n".join(lines))],
        structured_content={
            "error": {"code": error.code, "message": error.message, "problems": problems}
        },
        is_error=True,
    )


# --------------------------------------------------------------------------- the server


def _kinds(policy: Policy) -> list[dict[str, Any]]:
    return [
        {"name": kind.name, "description": kind.description, "subjects": list(kind.subjects)}
        for kind in policy.pack.vocabulary.kinds.values()
    ]


def _tool(policy: Policy) -> types.Tool:
    store = policy.pack.store.name
    kinds = "; ".join(
        f"{k['name']} ({k['description'].rstrip('.')})" if k["description"] else k["name"]
        for k in _kinds(policy)
    )
    description = (
        f"Decide a customer's request under the customer-service policy of {store}, before "
        f"you answer the customer. Kinds of request: {kinds}. Send the request itself as the "
        "arguments (its kind, the customer, the order or subscription with its items, the "
        "items it is about, and the kind's own fields), with only what the customer and the "
        "store's systems told you: never guess a value. The result gives the outcome (granted, "
        "partial, denied, needs_info or escalate), a reply to send the customer, what the "
        "store can offer instead (offer nothing else), the one question to ask when an answer "
        "is missing, and the policy section it rests on. A refused call lists each field to "
        "fix, with a hint."
    )
    return types.Tool(
        name=TOOL_NAME,
        title=f"{store} policy check",
        description=description,
        input_schema=policy.request_schema(),
        output_schema=OUTPUT_SCHEMA,
        annotations=types.ToolAnnotations(
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        ),
    )


def build_server(policy: Policy, now: datetime | None = None) -> Server[Any]:
    """The server for one policy; ``now`` pins the clock of requests without ``requested_at``.

    Args:
        policy: the loaded policy to decide with and publish.
        now: the moment to decide at (timezone-aware) when a request has no
            ``requested_at``; default: the current time in the store's zone.
    """
    store = policy.pack.store.name
    tool = _tool(policy)
    texts: dict[str, tuple[str, str]] = {
        PAGE_URI: ("text/markdown", policy.publish("markdown")),
        SCHEMA_URI: ("application/json", json.dumps(policy.request_schema(), indent=2)),
        KINDS_URI: (
            "application/json",
            json.dumps({"store": store, "kinds": _kinds(policy)}, indent=2),
        ),
    }
    about = {
        PAGE_URI: (
            "policy-page",
            f"{store} customer-service policy",
            "The published policy page, generated from the rules that decide.",
        ),
        SCHEMA_URI: (
            "request-schema",
            "Request schema",
            f"The JSON Schema of a request to {TOOL_NAME}, every field described.",
        ),
        KINDS_URI: (
            "request-kinds",
            "Request kinds",
            "The kinds of request the store answers, each with what it means.",
        ),
    }
    resources = [
        types.Resource(
            uri=uri,
            name=name,
            title=title,
            description=description,
            mime_type=texts[uri][0],
            size=len(texts[uri][1].encode("utf-8")),
        )
        for uri, (name, title, description) in about.items()
    ]

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[tool])

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        if params.name != TOOL_NAME:
            raise MCPError(
                types.INVALID_PARAMS,
                f"unknown tool {params.name!r}; this server has one tool, {TOOL_NAME!r}",
            )
        request = params.arguments if params.arguments is not None else {}
        try:
            decision = await anyio.to_thread.run_sync(policy.evaluate, request, now)
        except PolicyError as exc:  # a bad request, or a store function that failed
            return error_result(exc)
        return decision_result(decision)

    async def list_resources(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=resources)

    async def read_resource(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        if uri not in texts:
            known = ", ".join(texts)
            raise MCPError(types.INVALID_PARAMS, f"unknown resource {uri!r}; there are {known}")
        mime, text = texts[uri]
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=uri, mime_type=mime, text=text)]
        )

    kinds = ", ".join(policy.pack.vocabulary.kinds)
    return Server(
        "policylib",
        version=__version__,
        title=f"{store} customer-service policy",
        instructions=(
            f"Before you answer a customer of {store} about a request ({kinds}), call "
            f"{TOOL_NAME} with the request. Send its reply, offer only its offers, and when "
            f"the outcome is needs_info ask its question. The policy page is {PAGE_URI}."
        ),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


def serve(policy: Policy, now: datetime | None = None) -> None:
    """Serve the policy over stdio until the client closes stdin (writes only the protocol)."""
    server = build_server(policy, now)

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(run)
