"""Project gates: the public surface is honest and CI runs the README's test command."""

from __future__ import annotations

import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylib
from policylib.cli import cli
from policylib.lang.nodes import Pack
from tests import ROOT


def test_all_lists_exactly_the_public_names() -> None:
    # "@py_builtins": pytest rewrites the asserts of a plugin's distribution, policylib's
    # own since it ships one (policylib.testing.plugin).
    public = {name for name in dir(policylib) if not name.startswith(("_", "@"))}
    modules = {
        "authoring",
        "calendar",
        "cli",
        "derive",
        "engine",
        "errors",
        "lang",
        "llm",
        "load",
        "mcp_server",
        "output",
        "policy",
        "render",
        "request",
        "search",
        "testing",
        "rules",  # the bundled pack's data package, imported when the pack is loaded
    }
    assert set(policylib.__all__) - {"__version__"} == public - modules
    for name in policylib.__all__:
        assert hasattr(policylib, name)


def test_the_wheel_lists_every_package_of_the_library() -> None:
    """An editable install finds any package; a wheel ships only those pyproject.toml
    lists (read here without a TOML parser: Python 3.10 has none)."""
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^packages = \[(.*?)\]", text, flags=re.S | re.M)
    assert block is not None
    listed = set(re.findall(r'"([\w.]+)"', block.group(1)))
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "policylib").rglob("__init__.py")
        if "rules" not in init.relative_to(ROOT / "policylib").parts
    }
    assert found <= listed, sorted(found - listed)
    for folder in (ROOT / "policylib").iterdir():
        if folder.is_dir() and folder.name not in ("rules", "__pycache__"):
            assert (folder / "__init__.py").exists(), f"{folder.name} is not a package"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    test_command = next(b for b in blocks if "pytest" in b and "venv" in b)
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command.strip() in ci.splitlines()


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "policylib demo" in first_screen
    assert "pytest" in first_screen


def test_version_is_single_sourced() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", policylib.__version__)


def test_readme_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python snippet of the README, run as a reader with a wheel would: in a folder
    of their own, after ``policylib examples --copy requests``."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)\n```", readme, flags=re.S)
    assert len(blocks) >= 4  # the first screen, an app, a notebook, a chatbot
    assert len(blocks[0].splitlines()) <= 11
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["examples", "--copy", "requests"]).exit_code == 0
    namespace: dict[str, object] = {}
    for number, code in enumerate(blocks):
        exec(compile(code, f"README.md python block {number + 1}", "exec"), namespace)


def _minimums(requirements: list[str]) -> dict[str, str]:
    """``{normalized name: declared minimum}`` of requirements that declare one."""
    found = {}
    for requirement in requirements:
        spec = requirement.split(";")[0]
        name = re.match(r"[A-Za-z0-9._-]+", spec)
        low = re.search(r"(?:>=|==)\s*([0-9][0-9.]*)", spec)
        if name and low:
            found[re.sub(r"[-_.]+", "-", name.group(0)).lower()] = low.group(1)
    return found


def _release(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def test_lower_bounds_file_pins_every_declared_minimum() -> None:
    # .ci/run tests the suite on .ci/lower-bounds.txt; a bound missing there, or pinned at
    # another version than pyproject.toml declares, would be a lower bound nobody tested.
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest itself depends on tomli there
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = _minimums(
        project["build-system"]["requires"]
        + project["project"]["dependencies"]
        + project["project"]["optional-dependencies"]["test"]
    )
    lines = (ROOT / ".ci" / "lower-bounds.txt").read_text().splitlines()
    pinned = _minimums([line for line in lines if line.strip() and not line.startswith("#")])
    assert set(pinned) == set(declared)
    for name, minimum in declared.items():
        assert _release(pinned[name]) == _release(minimum), name


# --------------------------------------------------------------------------- the store in the pack

_GENERIC = frozenset(
    {"order", "subscription", "none", "kind", "items", "item", "details", "customer"}
    | {"request_kind", "item_name", "other"}
)
"""Words of the base request every store shares: the library may name these (the kind of
a request and an item's name are base concepts a store's facts also use)."""


def _store_words(pack: Pack) -> set[str]:
    """What only the bundled store says: its facts, kinds, settings, offer kinds, enum
    values, tags and categories (from its worked examples)."""
    words = {*pack.facts, *pack.vocabulary.kinds, *pack.settings, *pack.alternatives.kinds}
    for spec in pack.vocabulary.objects.values():
        for field in spec.fields.values():
            words.update(field.type.values)  # tiers, statuses, reasons, resolutions ...
    for example in pack.examples:
        order = example.request.get("order")
        for item in order.get("items", []) if isinstance(order, dict) else []:
            words.add(str(item.get("category", "")))
            words.update(str(tag) for tag in item.get("tags", []))
    return {w for w in words if w} - _GENERIC


def _code_tokens(path: Path) -> Iterator[tuple[int, str]]:
    """Names and the words inside string literals (docstrings included) of a module."""
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.NAME:
                yield token.start[0], token.string
            elif token.type == tokenize.STRING:
                for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", token.string):
                    yield token.start[0], word


def test_the_library_names_nothing_of_the_bundled_store(bundled_pack: Pack) -> None:
    """The pack knows the store; policylib/ names none of its facts, kinds, tiers, tags,
    categories, settings or offer kinds (a store word in the library is a design bug)."""
    store = _store_words(bundled_pack)
    # The bundled store's words that are also plain English or Python: found only as code.
    english = {w for w in store if "_" not in w}
    found: list[str] = []
    for path in sorted((ROOT / "policylib").rglob("*.py")):
        if "rules" in path.relative_to(ROOT / "policylib").parts:
            continue
        for line, word in _code_tokens(path):
            if word in store and ("_" in word or word not in english or _quoted(path, line, word)):
                found.append(f"{path.relative_to(ROOT)}:{line}: {word}")
    assert not found, "\n".join(found)


def _quoted(path: Path, line: int, word: str) -> bool:
    """Whether ``word`` stands quoted on that line (a string literal naming a value)."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    return f'"{word}"' in text or f"'{word}'" in text
