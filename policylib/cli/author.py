"""Starting a pack: ``init`` writes a minimal one, ``schema`` shows what its requests say."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

import click

from policylib.cli.common import fail, load, pack_arguments, plural, reported
from policylib.load import load_pack
from policylib.load.files import bundled_pack
from policylib.load.translations import extend_catalog

__all__ = ["init", "schema", "translate"]

_TEMPLATE = "template"
"""The starter pack, shipped in ``policylib.authoring``: one rule, one fact, one example."""


@click.command(epilog="Example: policylib init my-store && policylib test my-store")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """Write a minimal, passing pack into DIR (new or empty) to start from.

    It has one rule, one fact and one worked example, each file commented. Run
    'policylib test DIR' on it, then make it your store's.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        fail(f"{directory} already exists and is not an empty folder; name a new one")
    template = importlib.resources.files("policylib.authoring") / _TEMPLATE
    files = sorted(
        (f for f in template.iterdir() if f.name.endswith((".yaml", ".ftl"))),
        key=lambda f: f.name,
    )
    with reported(str(directory)):
        directory.mkdir(parents=True, exist_ok=True)
        for file in files:
            (directory / file.name).write_text(file.read_text(encoding="utf-8"), "utf-8")
    click.echo(
        f"wrote {plural(len(files), 'file')} to {directory}/: {', '.join(f.name for f in files)}"
    )
    click.echo(f"next: policylib test {directory}")


@click.command(epilog="Example: policylib schema examples/packs/voltaic > request.schema.json")
@pack_arguments
def schema(directory: str | None) -> None:
    """Print the JSON Schema of the requests a pack (default: the bundled one) accepts.

    Every field and value carries the description the pack gives it: hand it to a form
    builder, a validator, or a language model's tool definition.
    """
    click.echo(json.dumps(load(directory).request_schema(), indent=2, ensure_ascii=False))


@click.command(epilog="Example: policylib translate rules --locale es")
@pack_arguments
@click.option(
    "--locale",
    "language",
    required=True,
    metavar="LANGUAGE",
    help="The folder to write: a language (es) or language and region (es_MX).",
)
def translate(directory: str | None, language: str) -> None:
    """Write locales/LANGUAGE/*.ftl for a pack: every message a translation gives.

    One file per pack file, each message in the pack's own words to translate in place.
    Messages already in the folder are kept as they are translated; only the missing ones
    are added. Then run 'policylib check DIR' to see what is left.
    """
    with reported(directory or "rules/"):
        pack = load_pack(directory, translations=False)
    root = Path(directory) if directory is not None else bundled_pack()
    folder = root / "locales" / language
    with reported(str(folder)):
        files, added = extend_catalog(pack, folder, language)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, "utf-8")
    click.echo(
        f"wrote {folder}/: {plural(added, 'message')} to translate added "
        f"({plural(len(files), 'file')})"
    )
