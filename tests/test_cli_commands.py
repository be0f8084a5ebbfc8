"""The command line as a user meets it: formats and files for explain, the bundled example
requests, plain help with an example, and Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import policylib
from policylib.cli import cli
from tests import ROOT
from tests.test_cli import run

BUNDLED = sorted(p.name for p in (ROOT / "rules" / "examples").glob("*.json"))
MEMBERSHIP = str(ROOT / "rules" / "examples" / "membership_cancel.json")


@pytest.mark.parametrize(("fmt", "needle"), [("markdown", "Hi Diane"), ("html", "<p>Hi <bdi>")])
def test_explain_renders_markdown_and_html(fmt: str, needle: str) -> None:
    result = run("explain", MEMBERSHIP, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert needle in result.stdout
    decision = policylib.load_policy().evaluate(Path(MEMBERSHIP).read_text())
    assert result.stdout == decision.render(format=fmt) + "\n"  # type: ignore[arg-type]


def test_explain_writes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "reply.html"
    result = run("explain", MEMBERSHIP, "--format", "html", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<p>Hi <bdi>Diane Fletcher</bdi>")


def test_examples_lists_the_bundled_requests() -> None:
    result = run("examples")
    assert result.exit_code == 0
    assert result.stdout.split() == BUNDLED


def test_examples_copies_them_for_the_readme_snippet(tmp_path: Path) -> None:
    target = tmp_path / "requests"
    result = run("examples", "--copy", str(target))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == BUNDLED
    (target / "membership_cancel.json").write_text("{}")  # the user's own edit is kept
    (target / "session_plan_cancel.json").unlink()
    again = run("examples", "--copy", str(target))
    assert "copied 1 example request to" in again.stdout, again.stdout
    assert "(26 files already there, kept)" in again.stdout
    assert (target / "membership_cancel.json").read_text() == "{}"
    hygiene = target / "hygiene_opened_return.json"
    assert run("explain", str(hygiene)).exit_code == 0


@pytest.mark.parametrize("name", sorted(cli.list_commands(None)))  # type: ignore[arg-type]
def test_every_command_has_plain_help_with_an_example(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "``" not in result.stdout, "help is shown as typed: no reStructuredText"
    assert "Example" in result.stdout, f"policylib {name} --help shows an example"


def test_every_pack_command_takes_the_pack_as_rules_too() -> None:
    for name in sorted(cli.list_commands(None)):  # type: ignore[arg-type]
        if name in ("examples", "init"):
            continue
        assert "--rules DIR" in run(name, "--help").stdout, name


def test_ctrl_c_exits_130_with_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "policylib", "explain", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # let it start and block on stdin (not a timing assert: any wait works)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err


def test_json_output_carries_its_schema_version() -> None:
    decision = json.loads(run("explain", MEMBERSHIP, "--format", "json").stdout)
    assert decision["schema_version"] == 1
    assert policylib.Decision.model_validate(decision).outcome.value == decision["outcome"]
    for args in (["check"], ["test"]):
        assert json.loads(run(*args, "--format", "json").stdout)["schema_version"] == 1
