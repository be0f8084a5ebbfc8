"""``policylib lint``: rules that never decide, requests no rule decides, rules that answer
one request differently, offers never made, words that say "not known", and facts and
settings nothing reads, each proven (with z3) or shown by a request the engine decides.

::

    policylib lint [DIR] [--solver auto|z3|search] [--format text|json] [--ignore CODE]
                   [--now ISO]

Text output is one block per finding (``file:line:col: error|warning: [RULE] what
(code)``, a hint, the facts that matter, the customer's words it is about, and the request
that shows it as a worked example to paste into an area file's ``examples:``), then one
summary line; JSON has the same, the example as a mapping. Exit 0 when there is no error
(warnings may remain), 1 when there is one, 2 when the pack cannot be loaded or an option
is wrong (``--solver z3`` without z3 installed).
"""

from __future__ import annotations

import json
from datetime import datetime

import click

from policylib.authoring.lint import CODES, LintReport
from policylib.authoring.lint import lint as lint_pack
from policylib.cli.common import (
    EXIT_PROBLEMS,
    load,
    moment_callback,
    pack_arguments,
    report_format_option,
    reported,
)

__all__ = ["lint"]


@click.command(
    "lint",
    epilog="Examples:\n\n"
    "\b\n"
    "  policylib lint my-store\n"
    "  policylib lint my-store --solver search --ignore default-reached\n"
    "  policylib lint my-store --format json",
)
@pack_arguments
@click.option(
    "--solver",
    type=click.Choice(["auto", "z3", "search"]),
    default="auto",
    show_default=True,
    help="z3 proves what it reports (pip install 'policylib[lint]'); search tries requests "
    "and proves nothing; auto: z3 when installed.",
)
@report_format_option("one block per finding and a summary")
@click.option(
    "--ignore",
    "ignore",
    metavar="CODE",
    multiple=True,
    type=click.Choice(CODES),
    help="Leave out findings with this code (repeat for more).",
)
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    callback=moment_callback,
    help="Decide the requests at this time (ISO 8601 with zone). Default: the first worked "
    "example's requested_at.",
)
def lint(
    directory: str | None,
    solver: str,
    format_: str,
    ignore: tuple[str, ...],
    now: datetime | None,
) -> None:
    """Look for rules that never decide, requests no rule decides (the default answers
    them), rules that answer one request differently, offers never made, texts naming
    unknown facts, and facts and settings nothing reads, each shown by a concrete request.

    Exits 0 when there are no errors, 1 when there is one.
    """
    policy = load(directory)
    with reported():
        report = lint_pack(
            policy,
            solver="z3" if solver == "z3" else "search" if solver == "search" else "auto",
            now=now,
            ignore=ignore,
        )
    _print(report, format_)
    if report.errors:
        raise SystemExit(EXIT_PROBLEMS)


def _print(report: LintReport, format_: str) -> None:
    if format_ == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    for finding in report.findings:
        click.echo(str(finding))
    for asked in report.unshown:
        click.echo(f"note: z3 found {asked}, but no request it proposed was confirmed")
    click.echo(report.summary())
