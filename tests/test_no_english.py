"""No English in the library's code: every word a customer, an agent or the policy page
reads comes from a Fluent catalog (the library's ``render/locales/<language>/*.ftl`` or the
pack's), so a store can answer in any language.

The check reads the modules that write replies, views and pages, and looks at every string
constant in them, outside docstrings, the messages of errors raised for developers, and
the descriptions a tool schema gives a model. A string with two or more words is a
sentence someone reads; it must not be there. The few allowed ones are listed below with
why.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import ROOT

PACKAGE = ROOT / "policylib"
READERS = sorted(
    [
        *(PACKAGE / "render").glob("*.py"),
        *(PACKAGE / "search").glob("*.py"),
        *(PACKAGE / "output").glob("*.py"),
        *(PACKAGE / "llm").glob("*.py"),
        PACKAGE / "policy.py",
    ]
)
"""The modules whose strings reach customers, agents, analysts or the policy page.

Left out, for what they are: ``load``, ``lang``, ``request``, ``engine``, ``cli``,
``authoring`` and ``testing`` write for pack authors and developers (errors, reports, help);
``llm/spec.py`` and ``mcp_server.py`` write the tool contract a language model reads, in
English whatever language the customer speaks (the reply inside it is the customer's)."""
MODEL_FACING = frozenset({"spec.py"})

_WORDS = re.compile(r"[A-Za-z]{2,}[ \u00a0]+[A-Za-z]{2,}")
_STYLE = re.compile(r"<style>.*?</style>|[^{}<>]*\{[^{}]*:[^{}]*\}", re.S)
"""Style sheets (``body{margin:0 auto}``): properties and values, not words."""
_MARKUP = re.compile(r"<[^<>]*(?:>|$)|^[^<>]*>")
"""Tags (and the ends of tags a string opens or closes): names and attributes, not words."""
_DEVELOPER_CALLS = frozenset(
    {"PolicyError", "RequestError", "RuleError", "BackendError", "ValueError", "TypeError"}
    | {"Problem", "KeyError", "RuntimeError", "problem", "report", "warn", "fail"}
)
"""Calls whose strings are errors for developers (they name fields and files)."""
_DEVELOPER_KEYWORDS = frozenset({"description", "hint", "message", "help", "doc", "title", "what"})
"""Keyword arguments whose strings describe a schema or an error, for developers and
models, never for a customer."""

ALLOWED: dict[str, str] = {
    # markup and styles: CSS and HTML attribute values, no words anyone reads
}


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        # an attribute's docstring: a bare string right after an assignment
        for field in ("body", "orelse"):
            items = getattr(node, field, None)
            if isinstance(items, list):
                for before, after in itertools.pairwise(items):
                    if (
                        isinstance(before, ast.Assign | ast.AnnAssign)
                        and isinstance(after, ast.Expr)
                        and isinstance(after.value, ast.Constant)
                    ):
                        found.add(id(after.value))
    return found


def _exempt(tree: ast.AST) -> set[int]:
    """String nodes inside developer errors, raises, asserts and schema descriptions."""
    found: set[int] = set()

    def mark(node: ast.AST) -> None:
        for inner in ast.walk(node):
            found.add(id(inner))

    for node in ast.walk(tree):
        if isinstance(node, ast.Raise | ast.Assert):
            mark(node)
        elif isinstance(node, ast.Call):
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name in _DEVELOPER_CALLS:
                mark(node)
            for keyword in node.keywords:
                if keyword.arg in _DEVELOPER_KEYWORDS:
                    mark(keyword.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=False):
                if isinstance(key, ast.Constant) and key.value in _DEVELOPER_KEYWORDS:
                    mark(value)
    return found


def english(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _exempt(tree)
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.Constant):
            continue
        if isinstance(node.value, str) and node.value not in ALLOWED:
            visible = _MARKUP.sub("", _STYLE.sub("", node.value))
            if _WORDS.search(visible):
                yield node.lineno, node.value


@pytest.mark.parametrize(
    "path",
    [p for p in READERS if p.name not in MODEL_FACING],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_english_sentence_in_what_readers_see(path: Path) -> None:
    found = [f"{path.name}:{line}: {text!r}" for line, text in english(path)]
    assert not found, "words belong in render/locales/<language>/*.ftl:\n" + "\n".join(found)


def test_the_check_finds_an_english_sentence(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""A docstring is fine."""\n'
        'X = "Here is what we can do"\n'
        'def f() -> None:\n    raise ValueError("an error for developers is fine")\n',
        encoding="utf-8",
    )
    assert [line for line, _ in english(module)] == [2]
