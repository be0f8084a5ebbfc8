"""The scripts in examples/ run, and the request files there cover every situation."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

import policylib
from tests.strategies import NOW

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


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


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "requests").glob("*.json")), ids=lambda p: p.stem
)
def test_every_example_request_gets_a_decision(path: Path) -> None:
    decision = policylib.load_policy().evaluate(path.read_text(), now=NOW)
    assert decision.reasons and decision.explanation


def test_example_requests_cover_every_request_kind() -> None:
    kinds = {json.loads(p.read_text())["kind"] for p in (EXAMPLES / "requests").glob("*.json")}
    assert kinds == {k.value for k in policylib.RequestKind}
