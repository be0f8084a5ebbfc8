"""What every ``policylib`` command shares: failures as one message, the options named
alike on every command, reading a request, loading a pack."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, NoReturn, TypeVar

import click

from policylib.errors import PolicyError, Problem
from policylib.policy import Policy, load_policy
from policylib.request.parse import MAX_REQUEST_BYTES

__all__ = [
    "EXIT_ERROR",
    "EXIT_PROBLEMS",
    "Audience",
    "Failure",
    "audience_option",
    "count_files",
    "describe",
    "fail",
    "load",
    "moment_callback",
    "output_option",
    "pack_arguments",
    "pack_name",
    "plural",
    "read_request",
    "report_format_option",
    "reported",
    "rules_option",
    "write_output",
]

Audience = Literal["customer", "agent", "chat"]

EXIT_PROBLEMS = 1
EXIT_ERROR = 2


# --------------------------------------------------------------------------- errors


class Failure(click.ClickException):
    """A failure to report as ``policylib: error: ...`` with exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"policylib: error: {self.format_message()}", err=True, file=file)


def describe(exc: PolicyError | OSError, source: str = "") -> str:
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
def reported(source: str = "") -> Iterator[None]:
    """Turn the errors policylib raises on purpose (and OS errors) into one clear message."""
    try:
        yield
    except (PolicyError, OSError) as exc:
        raise Failure(describe(exc, source)) from None


def fail(message: str) -> NoReturn:
    raise Failure(message)


# --------------------------------------------------------------------------- inputs


def parse_moment(text: str) -> datetime:
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


def moment_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> datetime | None:
    return None if value is None else parse_moment(value)


rules_option = click.option(
    "--rules",
    "rules",
    metavar="DIR",
    type=click.Path(path_type=str),
    default=None,
    help="Rule pack directory (or single pack file). Default: the bundled pack.",
)
_Command = TypeVar("_Command", bound=Callable[..., None])


def pack_arguments(command: _Command) -> _Command:
    """The pack a command works on, as ``[DIR]`` or ``--rules DIR`` (the option every
    command has), passed to the command as ``directory`` (None: the bundled pack)."""

    @click.argument("directory", metavar="[DIR]", required=False, type=click.Path(path_type=str))
    @rules_option
    @functools.wraps(command)
    def with_pack(directory: str | None, rules: str | None, **options: Any) -> None:
        if directory is not None and rules is not None and directory != rules:
            raise click.UsageError(f"two packs given: {directory} and --rules {rules}")
        command(directory=directory if directory is not None else rules, **options)

    return with_pack  # type: ignore[return-value]


def report_format_option(text_help: str) -> Callable[[_Command], _Command]:
    """``--format text|json`` of a command that reports on a pack: ``text_help`` says what
    the text is; json is always one object, with a ``schema_version``."""
    return click.option(
        "--format",
        "format_",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=f"text: {text_help}; json: one object.",
    )


output_option = click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write to FILE instead of standard output.",
)


def write_output(text: str, output: str | None) -> None:
    """``text`` on stdout, or into the file ``-o`` names (saying so on stderr)."""
    if output is None:
        click.echo(text, nl=False)
        return
    with reported():
        Path(output).write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


audience_option = click.option(
    "--audience",
    type=click.Choice(["customer", "agent", "chat"]),
    default="customer",
    show_default=True,
    help="Who the explanation is for.",
)

locale_option = click.option(
    "--locale",
    metavar="LOCALE",
    default=None,
    help="Answer in this locale of the pack (es, es_US); default: the request's "
    "customer.language, else the pack's own.",
)


def read_request(source: str) -> bytes:
    """The request's bytes from a file or stdin (``-``); at most one byte over the limit."""
    if source == "-":
        stdin: IO[Any] = sys.stdin
        buffer: BinaryIO | None = getattr(stdin, "buffer", None)
        if buffer is not None:
            return buffer.read(MAX_REQUEST_BYTES + 1)
        return str(stdin.read(MAX_REQUEST_BYTES + 1)).encode("utf-8")
    with open(source, "rb") as handle:
        return handle.read(MAX_REQUEST_BYTES + 1)


def load(path: str | None) -> Policy:
    with reported():
        return load_policy(path)


def pack_name(path: str | None) -> str:
    if path is None:
        return "rules/"
    if os.path.isdir(path) and not path.endswith(("/", os.sep)):
        return path + "/"
    return path


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def count_files(source: str, given: str | None) -> int:
    """Files the loader read: the pack's YAML and Fluent files (1 for a single-file pack)."""
    root = Path(source) if source else Path(given) if given else None
    if root is None or not root.is_dir():
        return 1
    return sum(1 for p in root.iterdir() if p.is_file() and p.suffix in {".yaml", ".ftl"})
