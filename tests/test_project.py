"""Project gates: the public surface is honest and CI runs the README's test command."""

from __future__ import annotations

import re

import pytest

import policylib
from tests import ROOT


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in dir(policylib) if not name.startswith("_")}
    modules = {
        "alternatives",
        "engine",
        "errors",
        "explain",
        "facts",
        "language",
        "loader",
        "model",
        "policy",
        "publish",
        "cli",
        "rules",  # the bundled pack's data package, imported when the pack is loaded
    }
    assert set(policylib.__all__) - {"__version__"} == public - modules
    for name in policylib.__all__:
        assert hasattr(policylib, name)


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


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)\n```", readme, flags=re.S)
    assert code is not None
    assert len(code.group(1).splitlines()) <= 11
    monkeypatch.chdir(ROOT)
    exec(compile(code.group(1), "README.md", "exec"), {})


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
