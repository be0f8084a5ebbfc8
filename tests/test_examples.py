"""The scripts in examples/ run, and the request files there cover every situation."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

import policylib
from tests import ROOT

EXAMPLES = ROOT / "examples"


def _json_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def test_chatbot_example_runs_and_asks_one_question_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLES / "chatbot.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "Bot (needs_info)" in out and "Bot (granted)" in out
    assert out.count("?") >= 1
    assert "Traceback" not in out


def test_chatbot_tool_schema_is_json() -> None:
    namespace = runpy.run_path(str(EXAMPLES / "chatbot.py"))
    schema = namespace["TOOL"]["parameters"]
    assert json.loads(json.dumps(schema))["properties"]["kind"]


def test_example_requests_are_exactly_the_bundled_pack_examples() -> None:
    """The README points at examples/requests/; the goldens and `policylib demo` pin
    rules/examples/. In git one links to the other, but an sdist or a checkout without
    symlinks holds copies: they must not drift, or the README shows untested requests."""
    shown = _json_files(EXAMPLES / "requests")
    assert shown, "examples/requests/ holds the README's request files"
    assert shown == _json_files(ROOT / "rules" / "examples")


def test_chatbot_tool_schema_is_the_policys_request_schema() -> None:
    namespace = runpy.run_path(str(EXAMPLES / "chatbot.py"))
    assert namespace["TOOL"]["parameters"] == namespace["POLICY"].request_schema()


def test_example_requests_cover_every_request_kind(bundled_pack: policylib.Pack) -> None:
    kinds = {json.loads(p.read_text())["kind"] for p in (EXAMPLES / "requests").glob("*.json")}
    assert kinds == set(bundled_pack.vocabulary.kinds)
