"""The ids of the connecting phrases a reply is made of, and the values each may use.

The renderer looks these up (its defaults ship with the library, a pack's ``*.ftl`` files
override any of them); the loader checks a pack's messages against this list, so a
misspelled id is a load error, not a phrase that is silently never shown. Headlines and
lead-ins are looked up per request kind first (``granted-return``), then per outcome.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping

from fluent.syntax import FluentParser
from fluent.syntax import ast as fl

from policylib.lang.nodes import Example, Outcome, Pack

__all__ = ["example_keys", "library_ids", "phrase_ids"]


def _variables(node: object, out: dict[str, None]) -> None:
    if isinstance(node, fl.VariableReference):
        out[str(node.id.name)] = None
    elif isinstance(node, fl.BaseNode):
        for value in vars(node).values():
            for item in value if isinstance(value, list) else (value,):
                _variables(item, out)


@functools.cache
def library_ids() -> Mapping[str, tuple[str, ...]]:
    """Phrase id -> the values (beside declared facts) its text may name: every message of
    the library's English catalog (``render/locales/en/*.ftl``), which is the list of
    phrases the renderer looks up."""
    folder = importlib.resources.files("policylib.render") / "locales" / "en"
    out: dict[str, tuple[str, ...]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".ftl"):
            continue
        for message in FluentParser().parse(entry.read_text(encoding="utf-8")).body:
            if isinstance(message, fl.Message):
                names: dict[str, None] = {}
                _variables(message, names)
                out[str(message.id.name)] = tuple(names)
    return out


_PER_OUTCOME = ("{outcome}", "apology-{outcome}", "offers-{outcome}")
_PER_KIND = ("{outcome}-{kind}", "offers-{outcome}-{kind}", "partial-mixed-{kind}")
_KIND_WORDS = "kind-{kind}"
"""The kind as the policy page names it, in the plural ("returns")."""


def phrase_ids(kinds: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every phrase id the renderer may look up for a pack with these request kinds."""
    out = dict(library_ids())
    kinds = tuple(kinds)
    for kind in kinds:
        out[_KIND_WORDS.format(kind=kind)] = ()
    for outcome in (o.value for o in Outcome):
        extra = ("escalation_contact",) if outcome == "escalate" else ()
        for pattern in _PER_OUTCOME:
            out[pattern.format(outcome=outcome)] = extra
        for kind in kinds:
            for pattern in _PER_KIND:
                out[pattern.format(outcome=outcome, kind=kind)] = extra
    return out


_NOT_ID = re.compile(r"[^a-z0-9]+")


def example_keys(pack: Pack) -> dict[str, Example]:
    """The translation id of each worked example's name: ``example-<its name as an id>``
    (``example-opened-toilet-seat-changed-mind``), so moving an example to another rule
    keeps its translation and renaming it asks for a new one; a second example of the
    same name gets ``-2``."""
    out: dict[str, Example] = {}
    for example in pack.examples:
        plain = unicodedata.normalize("NFKD", example.name).encode("ascii", "ignore").decode()
        words = _NOT_ID.sub("-", plain.lower()).strip("-")[:60].rstrip("-") or "unnamed"
        key, number = f"example-{words}", 1
        while key in out:
            number += 1
            key = f"example-{words}-{number}"
        out[key] = example
    return out
