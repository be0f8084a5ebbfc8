"""Deciding requests from the command line: ``explain`` one request, ``demo`` a pack's
example requests."""

from __future__ import annotations

import importlib.resources
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from policylib.cli.common import (
    Audience,
    audience_option,
    describe,
    fail,
    load,
    moment_callback,
    pack_name,
    plural,
    read_request,
    reported,
    rules_option,
)
from policylib.errors import PolicyError
from policylib.policy import Policy

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["DEMO_NOW", "demo", "explain"]

DEMO_NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")
"""The fixed clock ``demo`` decides at, so its output is the same on every run."""


@click.command()
@click.argument("request", metavar="REQUEST.json", type=click.Path(path_type=str))
@rules_option
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the explanation; json: the whole decision.",
)
@audience_option
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    callback=moment_callback,
    help="Decide at this time (ISO 8601 with zone) when the request has no requested_at.",
)
def explain(
    request: str, rules: str | None, format_: str, audience: str, now: datetime | None
) -> None:
    """Decide REQUEST.json and explain the decision (``-`` reads stdin)."""
    source = "<stdin>" if request == "-" else request
    with reported(source):
        data = read_request(request)
    if not data.strip():
        fail(f"{source} is empty: expected a request as a JSON object")
    policy = load(rules)
    with reported(source):
        decision = policy.evaluate(data, now=now)
    if format_ == "json":
        click.echo(json.dumps(decision.model_dump(mode="json"), indent=2))
    else:
        click.echo(decision.render(audience=cast(Audience, audience), format="text"))


@click.command()
@rules_option
@audience_option
@click.option(
    "--now",
    metavar="ISO",
    default=DEMO_NOW.isoformat(),
    callback=moment_callback,
    show_default=True,
    help="The clock for example requests that carry no requested_at.",
)
def demo(rules: str | None, audience: str, now: datetime) -> None:
    """Decide every example request of a pack and show the explanations."""
    policy = load(rules)
    with reported():
        folder = _examples_folder(policy, rules)
        files = sorted(
            (f for f in folder.iterdir() if f.is_file() and f.name.endswith(".json")),
            key=lambda f: f.name,
        )
    where = "the bundled pack" if rules is None else pack_name(rules)
    if not files:
        fail(f"no example requests (*.json) in {_shown(folder)}")
    click.echo(
        f"policylib demo: {plural(len(files), 'example request')} from {where}, decided at "
        f"{now.isoformat()} (a fixed demo clock; requests with requested_at use their own)"
    )
    failed = 0
    for file in files:
        click.echo("")
        click.echo(f"=== {file.name} " + "=" * max(3, 66 - len(file.name)))
        try:
            data = file.read_bytes()
            own_clock = _example_clock(policy, data)
            decision = policy.evaluate(data, now=own_clock or now)
        except (PolicyError, OSError) as exc:
            failed += 1
            click.echo("outcome: error (this example could not be decided)")
            for line in describe(exc).splitlines():
                click.echo(f"    {line}")
            continue
        click.echo(f"outcome: {decision.outcome}")
        if own_clock is not None:
            click.echo(f"decided at: {own_clock.isoformat()} (the pack's worked example's clock)")
        text = decision.render(audience=cast(Audience, audience), format="text")
        for line in text.splitlines():
            click.echo(f"    {line}" if line.strip() else "")
    if failed:
        fail(f"{plural(failed, 'example request')} could not be decided (see above)")


def _examples_folder(policy: Policy, rules: str | None) -> Traversable:
    """The pack's ``examples/`` folder: shipped in the wheel for the bundled pack."""
    if rules is not None:
        root = Path(rules)
        return (root if root.is_dir() else root.parent) / "examples"
    try:
        bundled = importlib.resources.files("policylib.rules") / "examples"
        if bundled.is_dir():
            return bundled
    except (ModuleNotFoundError, TypeError, OSError):
        pass  # a source checkout: policylib.rules is the repository's rules/ folder
    if policy.pack.source:
        candidate = Path(policy.pack.source) / "examples"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parent.parent.parent / "rules" / "examples"


def _shown(folder: Traversable) -> str:
    return str(folder) if isinstance(folder, Path) else getattr(folder, "name", "examples")


def _example_clock(policy: Policy, data: bytes) -> datetime | None:
    """The ``now`` the pack's own worked example gives for this request, if any."""
    try:
        request = json.loads(data)
    except ValueError:
        return None  # evaluate reports it properly
    for example in policy.pack.examples:
        if example.now and example.request == request:
            try:
                return datetime.fromisoformat(example.now.replace("Z", "+00:00"))
            except ValueError:
                return None
    return None
