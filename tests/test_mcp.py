"""``policylib mcp``: the server started as a subprocess and driven by the MCP SDK's own stdio
client, over the bundled pack and the second pack (Voltaic)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

# The server is the optional extra policylib[mcp]; the README's test command installs it.
pytest.importorskip("mcp", reason="the MCP server's tests need policylib[mcp]")

import anyio
from click.testing import CliRunner
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

import policylib
import policylib.cli.mcp as cli_mcp
from policylib.mcp_server import KINDS_URI, PAGE_URI, SCHEMA_URI, TOOL_NAME
from tests import ROOT

COMMAND = [sys.executable, "-m", "policylib", "mcp"]
VOLTAIC = ROOT / "examples" / "packs" / "voltaic"
NOW = "2026-11-20T15:00:00-06:00"


def talk(
    tmp_path: Path, args: list[str], conversation: Callable[[ClientSession], Awaitable[None]]
) -> None:
    """Start the server with ``args``, initialize a session, run ``conversation`` on it.

    The server's stderr goes to a file that must stay empty: the server writes nothing but
    the protocol, and the protocol goes to stdout.
    """
    errlog = tmp_path / "server-stderr.txt"
    params = StdioServerParameters(command=COMMAND[0], args=[*COMMAND[1:], *args], cwd=ROOT)

    async def run() -> None:
        with anyio.fail_after(120), errlog.open("w", encoding="utf-8") as err:
            async with stdio_client(params, errlog=err) as (read, write):  # noqa: SIM117
                async with ClientSession(read, write) as session:
                    init = await session.initialize()
                    assert init.server_info.name == "policylib"
                    assert TOOL_NAME in (init.instructions or "")
                    await conversation(session)

    anyio.run(run)
    assert errlog.read_text(encoding="utf-8") == ""


async def check_listing_and_resources(session: ClientSession, policy: policylib.Policy) -> None:
    tools = (await session.list_tools()).tools
    assert [t.name for t in tools] == [TOOL_NAME]
    tool = tools[0]
    assert tool.input_schema == policy.request_schema()  # the request itself, not wrapped
    assert policy.pack.store.name in (tool.description or "")
    for kind in policy.pack.vocabulary.kinds:
        assert kind in (tool.description or "")
    assert tool.annotations is not None and tool.annotations.read_only_hint

    listed = {r.uri: r for r in (await session.list_resources()).resources}
    assert set(listed) == {PAGE_URI, SCHEMA_URI, KINDS_URI}
    assert listed[PAGE_URI].mime_type == "text/markdown"

    async def read(uri: str) -> str:
        result = await session.read_resource(uri)
        (contents,) = result.contents
        text = getattr(contents, "text", None)
        assert isinstance(text, str)
        assert listed[uri].size == len(text.encode("utf-8"))
        return text

    assert await read(PAGE_URI) == policy.publish("markdown")
    assert json.loads(await read(SCHEMA_URI)) == policy.request_schema()
    kinds = json.loads(await read(KINDS_URI))
    assert kinds["store"] == policy.pack.store.name
    assert {k["name"]: k["description"] for k in kinds["kinds"]} == {
        name: kind.description for name, kind in policy.pack.vocabulary.kinds.items()
    }
    with pytest.raises(MCPError, match="unknown resource 'policy://nope'"):
        await session.read_resource("policy://nope")


async def call(session: ClientSession, arguments: dict[str, Any]) -> tuple[bool, Any, str]:
    result = await session.call_tool(TOOL_NAME, arguments)
    (block,) = result.content
    text = getattr(block, "text", None)
    assert isinstance(text, str)
    return result.is_error, result.structured_content, text


def load_example(pack: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((pack / "examples" / name).read_text(encoding="utf-8"))
    return data


def test_the_bundled_pack_is_decided_and_published_over_stdio(tmp_path: Path) -> None:
    policy = policylib.load_policy()

    async def conversation(session: ClientSession) -> None:
        await check_listing_and_resources(session, policy)

        request = load_example(ROOT / "rules", "multi_item_return_mixed.json")
        decision = policy.evaluate(request)
        is_error, data, text = await call(session, request)
        assert not is_error
        assert data["outcome"] == "partial" == decision.outcome.value
        assert text == data["reply"] == decision.render(audience="chat")
        assert data == policy.call_tool(request)  # the same compact result, RESULT_SCHEMA
        assert [o["kind"] for o in data["offers"]] == [a.kind for a in decision.alternatives]
        assert data["question"] is None
        assert data["citation"]["url"] == decision.reasons[0].citation.url

        asking = load_example(ROOT / "rules", "hygiene_unknown_condition.json")
        is_error, data, text = await call(session, asking)
        assert not is_error and data["outcome"] == "needs_info"
        question = data["question"]
        assert question["field"] == "order.items[].condition"
        assert "opened" in question["answers"]
        assert question["text"] in text

        # A bad call: policylib's problems, field by field, not the SDK's validation text.
        bad = {**request, "kind": "refund", "order": {**request["order"], "placed_at": 3}}
        is_error, data, text = await call(session, bad)
        assert is_error
        problems = {p["field"]: p for p in data["errors"]}
        assert data["outcome"] == "invalid_request"
        assert "received 'refund'" in problems["kind"]["problem"]
        assert problems["kind"]["hint"] == "did you mean 'return'?"
        assert "order.placed_at" in problems
        assert "- kind: not one of the allowed values" in text
        assert "hint: did you mean 'return'?" in text
        assert "validation error" not in text.lower()

        is_error, data, text = await call(session, {})
        assert is_error and [p["field"] for p in data["errors"]] == ["kind"]

        with pytest.raises(MCPError, match="unknown tool 'decide'"):
            await session.call_tool("decide", request)

    talk(tmp_path, [], conversation)


def test_another_pack_is_served_with_a_pinned_clock(tmp_path: Path) -> None:
    policy = policylib.load_policy(VOLTAIC)
    request = load_example(VOLTAIC, "opened_ink_return.json")
    del request["requested_at"]  # decided at --now instead
    decision = policy.evaluate(request, now=datetime.fromisoformat(NOW))

    async def conversation(session: ClientSession) -> None:
        await check_listing_and_resources(session, policy)
        is_error, data, text = await call(session, request)
        assert not is_error
        assert data["outcome"] == decision.outcome.value
        assert text == data["reply"] == decision.render(audience="chat")

        is_error, data, _ = await call(session, {"kind": "return", "order": {"id": 7}})
        assert is_error
        fields = [p["field"] for p in data["errors"]]
        assert "order.id" in fields and "order.items" in fields

    talk(tmp_path, ["--rules", str(VOLTAIC), "--now", NOW], conversation)


def test_a_broken_pack_exits_2_with_one_message_and_nothing_on_stdout(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text("store: [unclosed\n", encoding="utf-8")
    result = subprocess.run(
        [*COMMAND, "--rules", str(tmp_path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("policylib: error: ")
    assert "Traceback" not in result.stderr


def test_without_the_sdk_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_mcp, "sdk_version", lambda: None)
    result = CliRunner().invoke(cli_mcp.mcp, [])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("policylib: error: the MCP server needs the mcp package")
    assert "pip install 'policylib[mcp]'" in line

    monkeypatch.setattr(cli_mcp, "sdk_version", lambda: (1, 27))
    result = CliRunner().invoke(cli_mcp.mcp, [])
    assert result.exit_code == 2
    assert "(found 1.27)" in result.stderr
