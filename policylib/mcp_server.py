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
from policylib.llm.result import RESULT_SCHEMA
from policylib.policy import Policy

__all__ = [
    "KINDS_URI",
    "PAGE_URI",
    "SCHEMA_URI",
    "TOOL_NAME",
    "build_server",
    "serve",
    "tool_call_result",
]

TOOL_NAME = "check_store_policy"
PAGE_URI = "policy://page"
SCHEMA_URI = "policy://request-schema"
KINDS_URI = "policy://kinds"

# --------------------------------------------------------------------------- results


def tool_call_result(result: dict[str, Any]) -> types.CallToolResult:
    """``policy.call_tool``'s result as MCP's: the reply as the text, the compact decision
    as structured content (``RESULT_SCHEMA``); a refused call is a tool error whose text
    lists each problem by field, in policylib's words (not the SDK's validation text)."""
    if result["outcome"] not in ("invalid_request", "error"):
        return types.CallToolResult(
            content=[types.TextContent(text=result["reply"])], structured_content=result
        )
    if result["outcome"] == "invalid_request":
        lines = ["The request was not accepted:"]
    else:
        lines = ["The request cannot be decided now:"]
    for error in result["errors"]:
        where = f"{error['field']}: " if error["field"] else ""
        lines.append(f"- {where}{error['problem']}")
        if error["hint"]:
            lines.append(f"  hint: {error['hint']}")
    if result["outcome"] == "invalid_request":
        lines.append("Fix these fields and call the tool again.")
    return types.CallToolResult(
        content=[types.TextContent(text="\n".join(lines))],
        structured_content=result,
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
        output_schema=RESULT_SCHEMA,
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
        arguments = params.arguments if params.arguments is not None else {}
        result = await anyio.to_thread.run_sync(lambda: policy.call_tool(arguments, now=now))
        return tool_call_result(result)

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
