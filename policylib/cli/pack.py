"""Working on a pack from the command line: ``check`` it (its files and its worked
examples), ``publish`` its policy page."""

from __future__ import annotations

import json
import os

import click

from policylib.authoring.examples import ExampleResult, run_examples
from policylib.cli.common import (
    EXIT_PROBLEMS,
    Failure,
    count_files,
    describe,
    fail,
    load,
    output_option,
    pack_arguments,
    pack_name,
    plural,
    report_format_option,
    reported,
    write_output,
)
from policylib.errors import PolicyError, Problem, RuleError
from policylib.lang.nodes import Pack
from policylib.policy import load_policy

__all__ = ["check", "publish"]


@click.command(
    epilog="Examples:\n\n\b\n  policylib check\n  policylib check my-store --format json"
)
@pack_arguments
@report_format_option("a summary or one line per problem")
def check(directory: str | None, format_: str) -> None:
    """Load a rule pack (default: the bundled one), run its worked examples and report
    every problem in it.

    Exits 0 with a one-line summary, or 1 listing every problem with file:line:col,
    the rule id, a hint and the source line, and every failing example.
    """
    name = pack_name(directory)
    if directory is not None and not os.path.exists(directory):
        fail(f"{directory}: no such file or directory")
    try:
        policy = load_policy(directory)
    except PolicyError as exc:
        if not isinstance(exc, RuleError) or not exc.problems:
            raise Failure(describe(exc)) from None
        files = count_files("", directory) if directory is not None else None
        _report(name, format_, list(exc.problems), None, files)
        return
    except OSError as exc:
        raise Failure(describe(exc)) from None
    pack = policy.pack
    files = count_files(pack.source, directory)
    problems = [
        _example_problem(result, failure)
        for result in run_examples(policy)
        for failure in result.failures
    ]
    _report(name, format_, problems, pack, files)


_HINT = "`policylib test` shows the example's trace"


def _example_problem(result: ExampleResult, failure: str) -> Problem:
    loc = result.example.loc
    example = result.example
    return Problem(
        "example-failed", f"{example.name}: {failure}", str(loc), hint=_HINT, rule_id=example.rule
    )


def _report(
    name: str, format_: str, problems: list[Problem], pack: Pack | None, files: int | None
) -> None:
    """Print the check's result; exit 1 when there are problems."""
    if format_ == "json":
        data = {
            "schema_version": 1,
            "pack": name,
            "rules": len(pack.rules) if pack is not None else None,
            "files": files,
            "examples": len(pack.examples) if pack is not None else None,
            "problems": [_problem_dict(p) for p in problems],
        }
        click.echo(json.dumps(data, indent=2))
    elif problems:
        click.echo(f"{name}: {plural(len(problems), 'problem')}")
        for problem in problems:
            click.echo(_problem_text(problem))
    elif pack is not None:
        click.echo(
            f"{name}: {plural(len(pack.rules), 'rule')} in {plural(files or 0, 'file')}, "
            f"{plural(len(pack.examples), 'example')}, no problems"
        )
    if problems:
        raise SystemExit(EXIT_PROBLEMS)


def _problem_text(problem: Problem) -> str:
    if problem.code != "example-failed":
        return str(problem)
    return f"{problem.where}: {problem.code}: {problem.message}\n    hint: {problem.hint}"


def _problem_dict(problem: Problem) -> dict[str, object]:
    parts = problem.where.rsplit(":", 2)
    located = len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit()
    return {
        "code": problem.code,
        "message": problem.message,
        "file": parts[0] if located else None,
        "line": int(parts[1]) if located else None,
        "col": int(parts[2]) if located else None,
        "hint": problem.hint,
        "rule": problem.rule_id or None,
    }


@click.command(
    epilog="Examples:\n\n"
    "\b\n"
    "  policylib publish > policy.md\n"
    "  policylib publish examples/packs/voltaic --format html -o policy.html\n"
    "  policylib publish --locale es --format html -o politica.html"
)
@pack_arguments
@click.option(
    "--format",
    "format_",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="Page format.",
)
@click.option(
    "--locale",
    metavar="LOCALE",
    default=None,
    help="The page's language, one the pack speaks (es, es_US); default: the pack's own.",
)
@output_option
def publish(directory: str | None, format_: str, locale: str | None, output: str | None) -> None:
    """Generate the customer-facing policy page from a rule pack (default: bundled)."""
    policy = load(directory)
    with reported(pack_name(directory)):
        page = policy.publish(format="html" if format_ == "html" else "markdown", locale=locale)
    write_output(page, output)
