"""``policylib mcp``: serve a pack to a model over MCP (stdio), on the optional ``mcp`` SDK."""

from __future__ import annotations

import importlib.metadata
import re
from datetime import datetime

import click

from policylib.cli.common import fail, load, moment_callback, rules_option

__all__ = ["MIN_SDK", "mcp", "sdk_version"]

MIN_SDK = (2, 0)
"""The first ``mcp`` release with the API the server is written for (the 2.x ``Server``)."""

INSTALL_HINT = "pip install 'policylib[mcp]'"


def sdk_version() -> tuple[int, int] | None:
    """The installed ``mcp`` SDK's (major, minor), or None when it is not installed."""
    try:
        text = importlib.metadata.version("mcp")
    except importlib.metadata.PackageNotFoundError:
        return None
    match = re.match(r"(\d+)\.(\d+)", text)
    return (int(match[1]), int(match[2])) if match else (0, 0)


@click.command(
    epilog="Examples:\n\n"
    "\b\n"
    "  policylib mcp\n"
    "  policylib mcp --rules examples/packs/voltaic\n\n"
    "A client's configuration runs it as the command 'policylib' with the arguments\n"
    "'mcp' (and '--rules DIR'). Serves the tool check_store_policy and the resources\n"
    "policy://page, policy://request-schema and policy://kinds."
)
@rules_option
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    callback=moment_callback,
    help="Decide at this time (ISO 8601 with zone) when a request has no requested_at.",
)
def mcp(rules: str | None, now: datetime | None) -> None:
    """Serve the pack over MCP on stdio: a tool that decides requests, and the policy page,
    the request schema and the request kinds as resources."""
    version = sdk_version()
    if version is None or version < MIN_SDK:
        found = "" if version is None else f" (found {'.'.join(map(str, version))})"
        fail(
            f"the MCP server needs the mcp package, version "
            f"{'.'.join(map(str, MIN_SDK))} or later{found}; install it with: {INSTALL_HINT}"
        )
    policy = load(rules)  # a broken pack fails here, before anything reaches stdout
    # Imported here, not at the top: `mcp` is an optional dependency, and every other
    # command must work without it.
    from policylib.mcp_server import serve

    serve(policy, now)
