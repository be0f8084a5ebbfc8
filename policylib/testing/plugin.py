"""The pytest plugin (entry point ``pytest11``): a pack's worked examples run as tests.

Inert until a project names its packs, so an installed policylib changes no other
project's test run. Name them in the pytest configuration (paths relative to the rootdir)::

    [tool.pytest.ini_options]
    policylib_packs = ["rules", "examples/packs/voltaic"]

or on the command line, relative to where pytest runs (repeatable, added to the above)::

    pytest --policylib-pack my-pack/

Then every worked example of each pack is a test item named ``<pack>::<example name>``
(``rules::opened toilet seat``), collected whenever pytest collects its usual test paths
(``testpaths``, or the directory it runs in), or when it is given the pack, or one of its
area files, as an argument (``pytest rules/returns.yaml``). A failing example reports
what it stated that did not hold, at its ``file:line``, with the trace of the rules that
matter; a pack that does not load is one collection error listing every problem. Every
item carries the ``policylib_example`` mark (``-m "not policylib_example"`` leaves them out).

The ``policy`` fixture is the first named pack's ``Policy``, loaded once per session
(the bundled pack when none is named); a test module's own ``policy`` fixture wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# pytest imports every installed plugin in every project: the library itself is imported
# only once a project names a pack, so an unconfigured run pays nothing for it.
if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle

    from policylib.authoring.examples import ExampleResult
    from policylib.errors import PolicyError
    from policylib.lang.nodes import Example
    from policylib.policy import Policy

__all__ = ["ExampleFailed", "ExampleItem", "PackDirectory", "PackFile"]

INI = "policylib_packs"
MARK = "policylib_example"

_PACKS = pytest.StashKey[tuple[Path, ...]]()
"""The packs named (absolute, CLI ones first), each once; empty when the plugin is inert."""
_LOADED = pytest.StashKey[dict[Path, "Policy | PolicyError"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("policylib", "policylib (worked examples of policy packs)")
    group.addoption(
        "--policylib-pack",
        action="append",
        default=[],
        metavar="DIR",
        dest="policylib_pack",
        help="run this policy pack's worked examples as tests (repeatable; added to the "
        f"{INI} ini option); the first pack is the `policy` fixture's",
    )
    parser.addini(
        INI,
        type="linelist",
        default=[],
        help="policy pack directories (relative to the rootdir) whose worked examples run "
        "as tests; the first is the `policy` fixture's pack",
    )


def pytest_configure(config: pytest.Config) -> None:
    here = config.invocation_params.dir
    cli = [_pack(here, name, "--policylib-pack") for name in config.option.policylib_pack]
    ini = [_pack(config.rootpath, name, f"{INI} (ini option)") for name in config.getini(INI)]
    packs = tuple(dict.fromkeys([*cli, *ini]))
    config.stash[_PACKS] = packs
    config.stash[_LOADED] = {}
    if not packs:
        return
    config.addinivalue_line("markers", f"{MARK}: a worked example of a policy pack")
    # Packs are collected with the usual test paths, and the packs named on the command
    # line always; a pack inside a path already being collected is found there.
    usual = config.args_source is not pytest.Config.ArgsSource.ARGS
    given = [_normal(here / arg.split("::", 1)[0]) for arg in config.args]
    for path in packs:
        if (usual or path in cli) and not any(path.is_relative_to(g) for g in given):
            config.args.append(str(path))


def _pack(base: Path, name: str, origin: str) -> Path:
    path = _normal(base / name)
    if not path.exists():
        raise pytest.UsageError(
            f"{origin}: there is no policy pack at {name!r} ({path}); name a pack's "
            "directory, or its single YAML file"
        )
    return path


def _normal(path: Path) -> Path:
    """An absolute path with ``..`` resolved but symlinks kept, as pytest names paths."""
    return Path(os.path.normpath(path))


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _normal(path) in parent.config.stash.get(_PACKS, ()):
        return PackDirectory.from_parent(parent, path=path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _normal(file_path) in parent.config.stash.get(_PACKS, ()):
        return PackFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def policy(pytestconfig: pytest.Config) -> Policy:
    """The first configured pack's policy (``policylib_packs``, ``--policylib-pack``), or the
    bundled pack when none is configured; loaded once per test session."""
    from policylib.errors import PolicyError
    from policylib.policy import load_policy

    packs = pytestconfig.stash.get(_PACKS, ())
    if not packs:
        return load_policy()
    found = _load(pytestconfig, packs[0])
    if isinstance(found, PolicyError):
        pytest.fail(str(found), pytrace=False)
    return found


def _load(config: pytest.Config, pack: Path) -> Policy | PolicyError:
    """A pack's policy, loaded once per session, or why it does not load."""
    from policylib.errors import PolicyError
    from policylib.policy import load_policy

    loaded = config.stash[_LOADED]
    if pack not in loaded:
        try:
            loaded[pack] = load_policy(pack)
        except PolicyError as error:
            loaded[pack] = error
    return loaded[pack]


# --------------------------------------------------------------------------- collection


class _PackCollector(pytest.Collector):
    """Collects a pack's worked examples: one item each, in the pack's order."""

    def collect(self) -> Iterator[ExampleItem]:
        from policylib.errors import PolicyError

        found = _load(self.config, _normal(self.path))
        if isinstance(found, PolicyError):
            raise found
        base = self.path if self.path.is_dir() else self.path.parent
        seen: dict[str, int] = {}
        for example in found.pack.examples:
            count = seen[example.name] = seen.get(example.name, 0) + 1
            name = example.name if count == 1 else f"{example.name} ({count})"
            item = ExampleItem.from_parent(
                self,
                name=name.replace("::", ": :"),
                path=base / example.loc.file,
                policy=found,
                example=example,
            )
            item.add_marker(MARK)
            yield item

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | TerminalRepr:
        """A pack that does not load: every problem, each at its file:line:col."""
        from policylib.errors import PolicyError

        if isinstance(excinfo.value, PolicyError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class PackDirectory(_PackCollector, pytest.Directory):
    """A pack directory named in the configuration: its worked examples."""


class PackFile(_PackCollector, pytest.File):
    """A single-file pack named in the configuration: its worked examples."""


class ExampleFailed(Exception):
    """A worked example whose decision differs from what it states."""

    def __init__(self, result: ExampleResult) -> None:
        super().__init__(result.report())
        self.result = result


class ExampleItem(pytest.Item):
    """One worked example: decided at its pinned clock, held to what it states."""

    def __init__(self, *, policy: Policy, example: Example, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.policy = policy
        self.example = example

    def runtest(self) -> None:
        from policylib.authoring.examples import run_example

        result = run_example(self.policy, self.example)
        if not result.passed:
            raise ExampleFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: TracebackStyle | None = None,
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, ExampleFailed):
            return excinfo.value.result.report()
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, max(self.example.loc.line - 1, 0), f"example: {self.example.name}"
