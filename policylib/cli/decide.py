"""Deciding requests from the command line: ``explain`` one request, ``demo`` a pack's
example requests."""

from __future__ import annotations

import importlib.resources
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from policylib.authoring.examples import pinned
from policylib.cli.common import (
    Audience,
    audience_option,
    describe,
    fail,
    load,
    locale_option,
    moment_callback,
    output_option,
    pack_name,
    plural,
    read_request,
    reported,
    rules_option,
    write_output,
)
from policylib.errors import PolicyError
from policylib.lang.nodes import Example
from policylib.output.decision import Format
from policylib.policy import Policy

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["DEMO_NOW", "demo", "examples", "explain"]

DEMO_NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")
"""The fixed clock ``demo`` decides at, so its output is the same on every run."""


@click.command(
    epilog="Examples:\n\n"
    "\b\n"
    "  policylib explain return.json --audience agent\n"
    "  policylib examples --copy requests && policylib explain requests/membership_cancel.json\n"
    "  cat return.json | policylib explain - --format html -o reply.html"
)
@click.argument("request", metavar="REQUEST.json", type=click.Path(path_type=str))
@rules_option
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "markdown", "html", "json"]),
    default="text",
    show_default=True,
    help="The explanation as text, markdown or html; json: the whole decision.",
)
@audience_option
@locale_option
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    callback=moment_callback,
    help="Decide at this time (ISO 8601 with zone) when the request has no requested_at.",
)
@output_option
def explain(
    request: str,
    rules: str | None,
    format_: str,
    audience: str,
    locale: str | None,
    now: datetime | None,
    output: str | None,
) -> None:
    """Decide REQUEST.json and explain the decision ('-' reads the request from stdin)."""
    source = "<stdin>" if request == "-" else request
    with reported(source):
        data = read_request(request)
    if not data.strip():
        fail(f"{source} is empty: expected a request as a JSON object")
    policy = load(rules)
    with reported(source):
        decision = policy.evaluate(data, now=now, locale=locale)
    if format_ == "json":
        text = json.dumps(decision.model_dump(mode="json"), indent=2, ensure_ascii=False)
    else:
        text = decision.render(audience=cast(Audience, audience), format=cast(Format, format_))
    write_output(text + "\n", output)


@click.command(epilog="Examples:\n\n\b\n  policylib examples\n  policylib examples --copy requests")
@click.option(
    "--copy",
    "target",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Copy the requests into DIR (created if needed; existing files are kept).",
)
def examples(target: Path | None) -> None:
    """List the bundled pack's example requests, or copy them to try with explain."""
    with reported():
        folder = _examples_folder(None)
        files = sorted(
            (f for f in folder.iterdir() if f.is_file() and f.name.endswith(".json")),
            key=lambda f: f.name,
        )
    if target is None:
        for file in files:
            click.echo(file.name)
        return
    copied = kept = 0
    with reported(str(target)):
        target.mkdir(parents=True, exist_ok=True)
        for file in files:
            destination = target / file.name
            if destination.exists():
                kept += 1
                continue
            destination.write_bytes(file.read_bytes())
            copied += 1
    note = f" ({plural(kept, 'file')} already there, kept)" if kept else ""
    click.echo(f"copied {plural(copied, 'example request')} to {target}/{note}")


@click.command(
    epilog="Examples:\n\n"
    "\b\n"
    "  policylib demo\n"
    "  policylib demo --rules examples/packs/voltaic --audience chat"
)
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
    """Decide every example request of a pack and show the explanations.

    The requests are the *.json files in the pack's examples/ folder; a pack without
    them shows its worked examples (the examples: of its area files) instead.
    """
    policy = load(rules)
    where = "the bundled pack" if rules is None else pack_name(rules)
    with reported():
        folder = _examples_folder(rules)
        files = (
            sorted(
                (f for f in folder.iterdir() if f.is_file() and f.name.endswith(".json")),
                key=lambda f: f.name,
            )
            if folder.is_dir()
            else []
        )
    cases: list[tuple[str, Callable[[], bytes | dict[str, object]], datetime | None]]
    if files:
        cases = [(f.name, f.read_bytes, None) for f in files]
        source = f"{plural(len(files), 'example request')} from {_shown(folder)}"
    else:
        examples = policy.pack.examples
        if not examples:
            fail(
                f"no example requests in {where}: looked for *.json in {_shown(folder)} "
                "and for worked examples (examples:) in its area files"
            )
        cases = [(e.name, *_worked(e)) for e in examples]
        source = (
            f"{plural(len(examples), 'worked example')} of {where} (no *.json requests in "
            f"{_shown(folder)})"
        )
    click.echo(
        f"policylib demo: {source}, decided at {now.isoformat()} "
        "(a fixed demo clock; requests with requested_at use their own)"
    )
    failed = 0
    for title, read, clock in cases:
        click.echo("")
        click.echo(f"=== {title} " + "=" * max(3, 66 - len(title)))
        try:
            data = read()
            own_clock = clock or _example_clock(policy, data)
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


def _worked(example: Example) -> tuple[Callable[[], dict[str, object]], datetime | None]:
    """A worked example's request and clock, as ``policylib test`` decides it."""
    request, now = pinned(example)  # the loader has checked the clock's form
    return lambda: request, now


def _clock(now: str) -> datetime | None:
    return datetime.fromisoformat(now.replace("Z", "+00:00")) if now else None


def _examples_folder(rules: str | None) -> Traversable:
    """The pack's ``examples/`` folder: shipped in the wheel for the bundled pack."""
    if rules is not None:
        root = Path(rules)
        return (root if root.is_dir() else root.parent) / "examples"
    return importlib.resources.files("policylib.rules") / "examples"


def _shown(folder: Traversable) -> str:
    return str(folder) if isinstance(folder, Path) else getattr(folder, "name", "examples")


def _example_clock(policy: Policy, data: bytes | dict[str, object]) -> datetime | None:
    """The ``now`` the pack's own worked example gives for this request, if any."""
    try:
        request = json.loads(data) if isinstance(data, bytes) else data
    except ValueError:
        return None  # evaluate reports it properly
    for example in policy.pack.examples:
        if example.now and example.request == request:
            return _clock(example.now)  # the loader has checked the form
    return None
