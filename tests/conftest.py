"""Shared test configuration: hypothesis profiles, golden files and the bundled pack.

Hypothesis runs the "dev" profile; the "ci" profile (more examples, derandomized) when
``CI`` is set (CI exports ``CI=1``); ``HYPOTHESIS_PROFILE=<name>`` wins over both.

Golden files: a test compares its text with ``golden.check(name, text)``. A difference or a
missing file fails, everywhere; ``pytest --update-goldens`` rewrites the files that differ
(or are missing) and lists them at the end of the run, for review before committing.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import policylib
from policylib.lang.nodes import Pack
from policylib.load import load_pack
from tests import ROOT

# --------------------------------------------------------------------------- hypothesis

# Both start from Hypothesis's own defaults: under CI, Hypothesis makes its "ci" settings
# the default, and a profile built on that would not be the one HYPOTHESIS_PROFILE named.
_BASE = settings.get_profile("default")
settings.register_profile(
    "dev",
    parent=_BASE,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    parent=_BASE,
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def hypothesis_profile(environ: Mapping[str, str]) -> str:
    """The profile to load: ``HYPOTHESIS_PROFILE`` if set, else "ci" under CI, else "dev"."""
    return environ.get("HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") else "dev")


settings.load_profile(hypothesis_profile(os.environ))


# --------------------------------------------------------------------------- golden files

GOLDEN = Path(__file__).resolve().parent / "golden"
"""Where golden files live; ``golden.check`` takes names relative to it."""


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class Goldens:
    """Compares texts with golden files, or rewrites the files (``--update-goldens``)."""

    def __init__(self, root: Path, *, update: bool) -> None:
        self.root = root
        self.update = update
        self.rewritten: list[Path] = []

    def check(self, name: str | os.PathLike[str], text: str) -> None:
        """Fail unless ``text`` is exactly the golden file's content.

        Args:
            name: a path relative to ``tests/golden/`` (``"pack/x.customer.txt"``), or an
                absolute path for goldens kept elsewhere (``tests/data/bad_rules/*.expected``).
            text: the whole file content: plain UTF-8, ending with a newline, sorted where
                order carries no meaning, and free of timestamps and machine paths.
        """
        path = self.root / name  # an absolute name replaces the root
        shown = _shown(path)
        if not text.endswith("\n"):
            raise ValueError(f"the text for {shown} must end with a newline (the file does)")
        expected = path.read_bytes().decode("utf-8") if path.is_file() else None
        if text == expected:
            return
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            self.rewritten.append(path)
            return
        if expected is None:
            pytest.fail(
                f"missing golden file {shown}: create it with `pytest --update-goldens`, "
                "read it, and commit it",
                pytrace=False,
            )
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"{shown} (golden)",
            f"{shown} (this run)",
        )
        pytest.fail(
            f"{shown} differs from this run; if the change is intended, rewrite it with "
            f"`pytest --update-goldens` and review the diff\n{''.join(diff)}",
            pytrace=False,
        )


_GOLDENS = pytest.StashKey[Goldens]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files (explanations, traces, error messages) instead of comparing",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_GOLDENS] = Goldens(GOLDEN, update=config.getoption("--update-goldens"))


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    goldens = config.stash.get(_GOLDENS, None)
    if goldens is None or not goldens.update:
        return
    terminalreporter.section("--update-goldens")
    if not goldens.rewritten:
        terminalreporter.write_line("no golden file changed")
    for path in sorted(goldens.rewritten):
        terminalreporter.write_line(f"rewrote {_shown(path)}")


@pytest.fixture
def golden(pytestconfig: pytest.Config) -> Goldens:
    """The one way to compare with a golden file: ``golden.check(name, text)``."""
    return pytestconfig.stash[_GOLDENS]


# --------------------------------------------------------------------------- shared fixtures


@pytest.fixture(scope="session")
def bundled_pack() -> Pack:
    """The bundled pack (rules/), loaded once; a load error fails every test that uses it."""
    return load_pack()


@pytest.fixture(scope="session")
def bundled_policy() -> policylib.Policy:
    """The bundled pack as a Policy, loaded once; a load error fails every test using it."""
    return policylib.load_policy()


@pytest.fixture
def offline_syllables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count syllables with pyphen only: deterministic, and no NLTK download at test time."""
    monkeypatch.setattr("textstat.backend.counts._count_syllables.get_cmudict", lambda lang: None)
