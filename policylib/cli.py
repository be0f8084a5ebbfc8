"""The ``policylib`` command: a thin layer over the public API.

::

    policylib explain REQUEST.json [--rules DIR] [--format text|json]
                                   [--audience customer|agent|chat] [--now ISO]
    policylib check [DIR]
    policylib demo [--rules DIR] [--audience customer|agent|chat] [--now ISO]
    policylib publish [DIR] [--format markdown|html] [-o FILE]
    policylib --version

Exit codes: 0 success; 1 ``check`` found problems in the rule pack; 2 the input could not
be used (a bad request, a broken pack, an unreadable file, bad options). Every failure is
one message on stderr (``policylib: error: ...`` followed by the problems), never a
traceback; an unexpected exception is a bug and is left to propagate.

Nothing imports this module.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Literal, NoReturn, cast

import click

from policylib import __version__
from policylib.errors import PolicyError, Problem, RuleError
from policylib.policy import Policy, load_policy
from policylib.request.parse import MAX_REQUEST_BYTES

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["DEMO_NOW", "cli", "main"]

DEMO_NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")
"""The fixed clock ``demo`` decides at, so its output is the same on every run."""

Audience = Literal["customer", "agent", "chat"]

EXIT_PROBLEMS = 1
EXIT_ERROR = 2


# --------------------------------------------------------------------------- errors


class Failure(click.ClickException):
    """A failure to report as ``policylib: error: ...`` with exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"policylib: error: {self.format_message()}", err=True, file=file)


def _describe(exc: PolicyError | OSError, source: str = "") -> str:
    """One readable message: the error, then each problem (one line if there is one)."""
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc)
        name = exc.filename if exc.filename is not None else source
        return f"{name}: {what}" if name else what
    head = f"{source}: {exc.message}" if source else exc.message
    problems: Sequence[Problem] = exc.problems
    if len(problems) == 1 and "\n" not in str(problems[0]):
        return f"{head}: {problems[0]}"
    lines = [head]
    for problem in problems:
        lines.append("  - " + str(problem).replace("\n", "\n    "))
    return "\n".join(lines)


@contextmanager
def _reported(source: str = "") -> Iterator[None]:
    """Turn the errors policylib raises on purpose (and OS errors) into one clear message."""
    try:
        yield
    except (PolicyError, OSError) as exc:
        raise Failure(_describe(exc, source)) from None


def _fail(message: str) -> NoReturn:
    raise Failure(message)


# --------------------------------------------------------------------------- inputs


def _parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time with a time zone (``2026-11-20T15:00:00-05:00``)."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date-time like 2026-11-20T15:00:00-05:00"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise click.BadParameter(
            f"{text!r} has no time zone; add one, like 2026-11-20T15:00:00-05:00"
        )
    return moment


def _moment_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> datetime | None:
    return None if value is None else _parse_moment(value)


_rules_option = click.option(
    "--rules",
    "rules",
    metavar="DIR",
    type=click.Path(path_type=str),
    default=None,
    help="Rule pack directory (or single pack file). Default: the bundled pack.",
)
_audience_option = click.option(
    "--audience",
    type=click.Choice(["customer", "agent", "chat"]),
    default="customer",
    show_default=True,
    help="Who the explanation is for.",
)


def _read_request(source: str) -> bytes:
    """The request's bytes from a file or stdin (``-``); at most one byte over the limit."""
    if source == "-":
        stdin: IO[Any] = sys.stdin
        buffer: BinaryIO | None = getattr(stdin, "buffer", None)
        if buffer is not None:
            return buffer.read(MAX_REQUEST_BYTES + 1)
        return str(stdin.read(MAX_REQUEST_BYTES + 1)).encode("utf-8")
    with open(source, "rb") as handle:
        return handle.read(MAX_REQUEST_BYTES + 1)


def _load(path: str | None) -> Policy:
    with _reported():
        return load_policy(path)


def _pack_name(path: str | None) -> str:
    if path is None:
        return "rules/"
    if os.path.isdir(path) and not path.endswith(("/", os.sep)):
        return path + "/"
    return path


# --------------------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="policylib")
def cli() -> None:
    """Customer-service policies as declarative rules that explain themselves."""


@cli.command()
@click.argument("request", metavar="REQUEST.json", type=click.Path(path_type=str))
@_rules_option
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the explanation; json: the whole decision.",
)
@_audience_option
@click.option(
    "--now",
    metavar="ISO",
    default=None,
    callback=_moment_callback,
    help="Decide at this time (ISO 8601 with zone) when the request has no requested_at.",
)
def explain(
    request: str, rules: str | None, format_: str, audience: str, now: datetime | None
) -> None:
    """Decide REQUEST.json and explain the decision (``-`` reads stdin)."""
    source = "<stdin>" if request == "-" else request
    with _reported(source):
        data = _read_request(request)
    if not data.strip():
        _fail(f"{source} is empty: expected a request as a JSON object")
    policy = _load(rules)
    with _reported(source):
        decision = policy.evaluate(data, now=now)
    if format_ == "json":
        click.echo(json.dumps(decision.model_dump(mode="json"), indent=2))
    else:
        click.echo(decision.render(audience=cast(Audience, audience), format="text"))


@cli.command()
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path(path_type=str))
def check(directory: str | None) -> None:
    """Load a rule pack (default: the bundled one) and report every problem in it.

    Exits 0 with a one-line summary, or 1 listing every problem with file:line:col,
    the rule id, a hint and the source line.
    """
    name = _pack_name(directory)
    if directory is not None and not os.path.exists(directory):
        _fail(f"{directory}: no such file or directory")
    try:
        policy = load_policy(directory)
    except PolicyError as exc:
        if not isinstance(exc, RuleError) or not exc.problems:
            raise Failure(_describe(exc)) from None
        count = len(exc.problems)
        click.echo(f"{name}: {count} problem{'s' if count != 1 else ''}")
        for problem in exc.problems:
            click.echo(str(problem))
        raise SystemExit(EXIT_PROBLEMS) from None
    except OSError as exc:
        raise Failure(_describe(exc)) from None
    pack = policy.pack
    files = _count_files(pack.source, directory)
    click.echo(
        f"{name}: {_plural(len(pack.rules), 'rule')} in {_plural(files, 'file')}, "
        f"{_plural(len(pack.examples), 'example')}, no problems"
    )


@cli.command()
@_rules_option
@_audience_option
@click.option(
    "--now",
    metavar="ISO",
    default=DEMO_NOW.isoformat(),
    callback=_moment_callback,
    show_default=True,
    help="The clock for example requests that carry no requested_at.",
)
def demo(rules: str | None, audience: str, now: datetime) -> None:
    """Decide every example request of a pack and show the explanations."""
    policy = _load(rules)
    with _reported():
        folder = _examples_folder(policy, rules)
        files = sorted(
            (f for f in folder.iterdir() if f.is_file() and f.name.endswith(".json")),
            key=lambda f: f.name,
        )
    where = "the bundled pack" if rules is None else _pack_name(rules)
    if not files:
        _fail(f"no example requests (*.json) in {_shown(folder)}")
    click.echo(
        f"policylib demo: {_plural(len(files), 'example request')} from {where}, decided at "
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
            for line in _describe(exc).splitlines():
                click.echo(f"    {line}")
            continue
        click.echo(f"outcome: {decision.outcome}")
        if own_clock is not None:
            click.echo(f"decided at: {own_clock.isoformat()} (the pack's worked example's clock)")
        text = decision.render(audience=cast(Audience, audience), format="text")
        for line in text.splitlines():
            click.echo(f"    {line}" if line.strip() else "")
    if failed:
        _fail(f"{_plural(failed, 'example request')} could not be decided (see above)")


@cli.command()
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
    policy = _load(directory)
    page = policy.publish(format="html" if format_ == "html" else "markdown")
    if output is None:
        click.echo(page, nl=False)
        return
    with _reported():
        Path(output).write_text(page, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


# --------------------------------------------------------------------------- helpers


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _count_files(source: str, given: str | None) -> int:
    """Files the loader read: the pack's YAML and Fluent files (1 for a single-file pack)."""
    root = Path(source) if source else Path(given) if given else None
    if root is None or not root.is_dir():
        return 1
    return sum(1 for p in root.iterdir() if p.is_file() and p.suffix in {".yaml", ".ftl"})


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
    return Path(__file__).resolve().parent.parent / "rules" / "examples"


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
    except click.Abort:
        click.echo("policylib: aborted", err=True)
        raise SystemExit(EXIT_ERROR) from None


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
