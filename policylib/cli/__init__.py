"""The ``policylib`` command: a thin layer over the public API.

::

    policylib explain REQUEST.json [--rules DIR] [--format text|markdown|html|json]
                                   [--audience customer|agent|chat] [--locale LOCALE]
                                   [--now ISO] [-o FILE]
    policylib examples [--copy DIR]
    policylib demo [--rules DIR] [--audience customer|agent|chat] [--now ISO]
    policylib check [DIR] [--format text|json]
    policylib test [DIR] [-k EXPR] [--coverage] [--fail-under PCT] [--format text|json]
    policylib lint [DIR] [--solver auto|z3|search] [--format text|json]
    policylib publish [DIR] [--format markdown|html] [--locale LOCALE] [-o FILE]
    policylib init DIR
    policylib schema [DIR]
    policylib translate [DIR] --locale LANGUAGE
    policylib mcp [--rules DIR] [--now ISO]
    policylib --version

Exit codes: 0 success; 1 ``check``, ``test`` or ``lint`` found problems in the pack (a
problem, a failing example, an error finding); 2 the input could not be used (a bad
request, a broken pack, an unreadable file, bad options); 130 interrupted (Ctrl-C). Every
failure is one message on stderr (``policylib: error: ...`` followed by the problems),
never a traceback; an unexpected exception is a bug and is left to propagate.

Each command family has its module; this one makes the group and the entry point.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from policylib import __version__

# The command modules, not their commands: ``policylib.cli.mcp`` stays the module.
from policylib.cli import author, decide, lint, mcp, pack, test
from policylib.cli.common import EXIT_ERROR
from policylib.cli.decide import DEMO_NOW

__all__ = ["DEMO_NOW", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="policylib")
def cli() -> None:
    """Customer-service policies as declarative rules that explain themselves.

    Start with 'policylib demo' (the bundled pack's example requests), or
    'policylib init my-store' to write your own pack.
    """


EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, what a shell reports for an interrupted command."""

for command in (
    decide.explain,
    decide.demo,
    decide.examples,
    pack.check,
    test.test,
    lint.lint,
    pack.publish,
    author.init,
    author.schema,
    author.translate,
    mcp.mcp,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``policylib`` command (and ``python -m policylib``)."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="policylib",
            standalone_mode=False,
        )
    except click.UsageError as exc:  # a bad option or argument: one line, like every error
        hint = f" (see 'policylib {exc.ctx.command_path.split()[-1]} --help')" if exc.ctx else ""
        if exc.ctx and exc.ctx.command_path == "policylib":
            hint = " (see 'policylib --help')"
        click.echo(f"policylib: error: {exc.format_message()}{hint}", err=True)
        raise SystemExit(EXIT_ERROR) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except click.Abort as exc:
        # Ctrl-C (click turns it into Abort) exits 128 + SIGINT, as shells expect.
        interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
        click.echo("policylib: interrupted" if interrupted else "policylib: aborted", err=True)
        raise SystemExit(EXIT_INTERRUPTED if interrupted else EXIT_ERROR) from None
    except KeyboardInterrupt:
        click.echo("policylib: interrupted", err=True)
        raise SystemExit(EXIT_INTERRUPTED) from None


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
