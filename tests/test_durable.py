"""The durable_rules backend (``policylib.engine.durable``).

durable_rules' C core can crash or hang the interpreter, so it is never loaded in this
process: the tests that drive it live in ``tests/durable_differential.py`` (no ``test_``
prefix, so pytest does not collect it here) and run in a child interpreter with a time
limit. A crash there is a failure here, with the child's output attached.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from policylib import BackendError, Pack, Policy
from policylib.engine import durable
from policylib.lang.nodes import Citation, Compare, Message, Outcome, Rule
from policylib.testing import engine_pack, fact
from tests import ROOT

INNER = Path(__file__).resolve().parent / "durable_differential.py"
TIMEOUT = 240


def _durable_importable() -> tuple[bool, str]:
    probe = subprocess.run(
        [sys.executable, "-c", "import durable_rules_engine, durable.engine"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = probe.stderr.strip().splitlines()
    return probe.returncode == 0, lines[-1] if lines else f"exit code {probe.returncode}"


_OK, _WHY = _durable_importable()
needs_durable = pytest.mark.skipif(
    not _OK,
    reason=f"durable_rules cannot be imported here ({_WHY}); it is the optional "
    "policylib[durable] extra, installed on Python < 3.13 only",
)
"""Only the test that drives durable_rules needs it; the others run without it."""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


@needs_durable
def test_durable_backend_in_a_subprocess() -> None:
    cmd = [sys.executable, "-X", "faulthandler", "-m", "pytest", str(INNER)]
    cmd += ["-p", "no:cacheprovider", "-q", "-rfE", "--no-header"]
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=_child_env(), capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        pytest.fail(f"durable tests did not finish in {TIMEOUT} s (hang?):\n{out[-6000:]}")
    if done.returncode != 0:
        how = f"signal {-done.returncode}" if done.returncode < 0 else f"exit {done.returncode}"
        pytest.fail(f"durable tests failed ({how}):\n{done.stdout[-8000:]}\n{done.stderr[-4000:]}")


def test_import_does_not_load_durable() -> None:
    code = (
        "import sys, policylib.engine.durable\n"
        "loaded = [m for m in sys.modules if m.startswith('durable')]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_child_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_missing_durable_is_a_backend_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated in this process without loading durable: a None entry makes import fail.
    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)
    monkeypatch.setattr(durable, "_BACKEND", None)
    rule = Rule(
        "r",
        "r",
        ("return",),
        Compare("days", "lte", 3),
        Outcome.GRANTED,
        Message("t"),
        Citation("s"),
    )
    pack = engine_pack({"days": fact("days", "integer")}, (rule,))
    with pytest.raises(BackendError, match=r"pip install 'policylib\[durable\]'"):
        durable.DurableEngine(pack)


def test_an_unknown_engine_name_is_a_backend_error(bundled_pack: Pack) -> None:
    with pytest.raises(BackendError, match="unknown engine 'rete'"):
        Policy(bundled_pack, engine="rete")  # type: ignore[arg-type]
