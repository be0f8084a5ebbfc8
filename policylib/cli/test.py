"""``policylib test``: a pack's worked examples run as tests, with what they cover.

::

    policylib test [DIR] [-k EXPR] [--format text|json] [--coverage] [--fail-under PCT]

Text output is a test runner's: a block for each failing example (where it is, what did
not hold, the trace of the rules that matter), the coverage table when asked, and last
one line ``N passed, M failed`` (``, K deselected`` with ``-k``). Exit 0 when every
example passes, 1 when one fails, none ran, or rule coverage is under ``--fail-under``;
2 when the pack cannot be loaded or an option is wrong.
"""

from __future__ import annotations

import json
from typing import Any

import click

from policylib.authoring.coverage import CATEGORIES, Coverage, measure_coverage
from policylib.authoring.examples import ExampleResult, matches, run_examples
from policylib.cli.common import (
    EXIT_PROBLEMS,
    fail,
    load,
    pack_arguments,
    pack_name,
    plural,
    report_format_option,
)
from policylib.errors import PolicyError

__all__ = ["test"]


@click.command(
    "test",
    epilog="Examples:\n\n"
    "\b\n"
    "  policylib test my-store\n"
    "  policylib test my-store -k 'late and not kit'\n"
    "  policylib test my-store --coverage --fail-under 100",
)
@pack_arguments
@click.option(
    "-k",
    "select",
    metavar="EXPR",
    default=None,
    help="Run only examples whose name contains these words (and, or, not, parentheses).",
)
@report_format_option("a test runner's report")
@click.option("--coverage", is_flag=True, help="Show what the examples cover of the rules.")
@click.option(
    "--fail-under",
    "fail_under",
    metavar="PCT",
    type=click.FloatRange(0, 100),
    default=None,
    help="Fail when fewer than PCT percent of the rules decide an example.",
)
def test(
    directory: str | None,
    select: str | None,
    format_: str,
    coverage: bool,
    fail_under: float | None,
) -> None:
    """Run a pack's worked examples (default: the bundled pack) as tests.

    Each example is decided and held to what it states: its outcome, the rule that
    decides it, its offers, its question and what the reply says. Failures show where the
    example is and the trace of the rules that matter.
    """
    if select is not None:
        try:
            matches(select)
        except PolicyError as exc:
            fail(exc.message)
    policy = load(directory)
    name = pack_name(directory)
    results = run_examples(policy, select)
    deselected = len(policy.pack.examples) - len(results)
    failed = sum(1 for r in results if not r.passed)
    measured = measure_coverage(policy, results) if coverage or fail_under is not None else None
    under = ""
    if measured is not None and fail_under is not None:
        rules = measured.tallies["rules"]
        if rules.percent < fail_under:
            under = (
                f"rule coverage {rules.percent:.1f}% ({rules.covered}/{rules.total}) is under "
                f"--fail-under {fail_under:g}%"
            )
    empty = ""
    if not results:
        empty = (
            f"no example matches -k {select!r}"
            if select
            else f"{name} has no examples: add some under examples: in its area files"
        )
    if format_ == "json":
        data: dict[str, Any] = {
            "schema_version": 1,
            "pack": name,
            "passed": len(results) - failed,
            "failed": failed,
            "deselected": deselected,
            "results": [_result_dict(r) for r in results],
        }
        if measured is not None and coverage:
            data["coverage"] = measured.to_dict()
        if fail_under is not None and measured is not None:
            data["fail_under"] = {
                "percent": fail_under,
                "rules_percent": round(measured.tallies["rules"].percent, 1),
                "passed": not under,
            }
        click.echo(json.dumps(data, indent=2))
    else:
        for result in results:
            if not result.passed:
                click.echo(result.report() + "\n")
        if measured is not None and coverage:
            click.echo(_coverage_text(measured, name))
        for line in (empty, under):
            if line:
                click.echo(line)
        summary = f"{len(results) - failed} passed, {failed} failed"
        click.echo(summary + (f", {deselected} deselected" if select is not None else ""))
    if failed or under or empty:
        raise SystemExit(EXIT_PROBLEMS)


def _result_dict(result: ExampleResult) -> dict[str, Any]:
    example = result.example
    decision = result.decision
    return {
        "name": example.name,
        "file": example.loc.file,
        "line": example.loc.line,
        "passed": result.passed,
        "failures": list(result.failures),
        "error": result.error,
        "outcome": decision.outcome.value if decision is not None else None,
        "rule": result.rule or None,
    }


def _coverage_text(coverage: Coverage, name: str) -> str:
    lines = [f"coverage of {name} ({plural(coverage.examples, 'example')})"]
    width = max(len(f"{t.covered}/{t.total}") for t in coverage.tallies.values())
    for category in CATEGORIES:
        tally = coverage.tallies[category]
        shown = f"{tally.covered}/{tally.total}"
        lines.append(f"  {category:<11} {shown:>{width}}  {tally.percent:5.1f}%")
    gaps = coverage.uncovered()
    if gaps:
        lines.append("not covered:")
        lines.extend(f"  {gap}" for gap in gaps)
    return "\n".join(lines) + "\n"
