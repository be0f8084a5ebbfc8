"""Working on a pack from the command line: ``check`` it, ``publish`` its policy page."""

from __future__ import annotations

import os
from pathlib import Path

import click

from policylib.cli.common import (
    EXIT_PROBLEMS,
    Failure,
    count_files,
    describe,
    fail,
    load,
    pack_name,
    plural,
    reported,
)
from policylib.errors import PolicyError, RuleError
from policylib.policy import load_policy

__all__ = ["check", "publish"]


@click.command()
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path(path_type=str))
def check(directory: str | None) -> None:
    """Load a rule pack (default: the bundled one) and report every problem in it.

    Exits 0 with a one-line summary, or 1 listing every problem with file:line:col,
    the rule id, a hint and the source line.
    """
    name = pack_name(directory)
    if directory is not None and not os.path.exists(directory):
        fail(f"{directory}: no such file or directory")
    try:
        policy = load_policy(directory)
    except PolicyError as exc:
        if not isinstance(exc, RuleError) or not exc.problems:
            raise Failure(describe(exc)) from None
        count = len(exc.problems)
        click.echo(f"{name}: {count} problem{'s' if count != 1 else ''}")
        for problem in exc.problems:
            click.echo(str(problem))
        raise SystemExit(EXIT_PROBLEMS) from None
    except OSError as exc:
        raise Failure(describe(exc)) from None
    pack = policy.pack
    files = count_files(pack.source, directory)
    click.echo(
        f"{name}: {plural(len(pack.rules), 'rule')} in {plural(files, 'file')}, "
        f"{plural(len(pack.examples), 'example')}, no problems"
    )


@click.command()
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path(path_type=str))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="Page format.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write the page to FILE instead of stdout.",
)
def publish(directory: str | None, format_: str, output: str | None) -> None:
    """Generate the customer-facing policy page from a rule pack (default: bundled)."""
    policy = load(directory)
    page = policy.publish(format="html" if format_ == "html" else "markdown")
    if output is None:
        click.echo(page, nl=False)
        return
    with reported():
        Path(output).write_text(page, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)
