"""The ``policylib`` command: output, exit codes and one clear message for every failure."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import policylib
from policylib import Pack
from policylib.cli import DEMO_NOW, cli
from tests import ROOT
from tests.packs import SMALL_PACK

CLI_PACK = {
    **SMALL_PACK,
    # a request without requested_at: decided at the demo's clock
    "examples/late.json": """\
{"kind": "return", "reason": "changed_mind",
 "order": {"id": "A2", "placed_at": "2026-09-01T10:00:00-05:00", "status": "delivered",
   "delivered_at": "2026-09-05T10:00:00-05:00",
   "items": [{"sku": "S1", "name": "Lamp", "category": "lighting", "price": 40,
              "condition": "unopened"}]}}
""",
}
"""A tiny pack of two rules: the CLI's output, exit codes and messages are tested on it."""


def write_pack(root: Path, files: dict[str, str] = CLI_PACK) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def assert_clean_failure(result: Result, *needles: str) -> None:
    """Exit 2, one ``policylib: error:`` message on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("policylib: error: ")
    assert result.stderr.count("policylib: error:") == 1
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.stderr


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("pack"))


@pytest.fixture
def fresh(pack_dir: Path) -> str:
    return str(pack_dir / "examples" / "fresh.json")


# --------------------------------------------------------------------------- explain


def test_explain_prints_the_customer_explanation(pack_dir: Path, fresh: str) -> None:
    result = run("explain", fresh, "--rules", str(pack_dir))
    assert result.exit_code == 0, result.output
    assert "Ana" in result.stdout
    assert "Lamp" in result.stdout
    assert "RET-001" not in result.stdout  # customers never see rule ids
    assert result.stderr == ""


def test_explain_json_is_the_whole_decision(pack_dir: Path, fresh: str) -> None:
    result = run("explain", fresh, "--rules", str(pack_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert decision["outcome"] == "granted"
    assert decision["reasons"][0]["rule_id"] == "RET-001"
    assert decision["decided_at"].startswith("2026-11-20T15:00:00")


def test_explain_agent_view(pack_dir: Path, fresh: str) -> None:
    policy = policylib.load_policy(pack_dir)
    expected = policy.evaluate(Path(fresh).read_text()).render(audience="agent")
    result = run("explain", fresh, "--rules", str(pack_dir), "--audience", "agent")
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"


def test_explain_reads_stdin(pack_dir: Path, fresh: str) -> None:
    from_file = run("explain", fresh, "--rules", str(pack_dir))
    from_stdin = run("explain", "-", "--rules", str(pack_dir), stdin=Path(fresh).read_text())
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.stdout == from_file.stdout


def test_explain_now_decides_requests_without_requested_at(pack_dir: Path) -> None:
    late = str(pack_dir / "examples" / "late.json")
    result = run(
        "explain", late, "--rules", str(pack_dir), "--format", "json", "--now", DEMO_NOW.isoformat()
    )
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert decision["outcome"] == "denied"
    assert decision["decided_at"] == DEMO_NOW.isoformat()


def test_explain_names_the_field_only_the_store_can_fill(tmp_path: Path) -> None:
    """The bundled pack: whether the truck is loaded comes from the order system."""
    request = json.loads(
        (ROOT / "rules" / "examples" / "loaded_truck_window_change.json").read_text()
    )
    request["requested_at"] = "2026-11-20T15:00:00-05:00"  # before the change cutoff
    request["order"]["status"] = "shipped"
    del request["order"]["delivery"]["truck_loaded"]
    source = tmp_path / "no_truck.json"
    source.write_text(json.dumps(request), encoding="utf-8")
    result = run("explain", str(source))
    assert_clean_failure(
        result, "no_truck.json", "order.delivery.truck_loaded", "store-fact-missing"
    )


def test_bad_json_is_one_clear_line(pack_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "return",', encoding="utf-8")
    result = run("explain", str(bad), "--rules", str(pack_dir))
    assert_clean_failure(result, "bad.json", "not valid JSON", "line 1")
    assert result.stderr.count("\n") == 1


def test_bad_json_on_stdin(pack_dir: Path) -> None:
    result = run("explain", "-", "--rules", str(pack_dir), stdin="not json at all")
    assert_clean_failure(result, "<stdin>", "not valid JSON")


def test_invalid_field_names_the_field_and_value(pack_dir: Path, fresh: str) -> None:
    data = json.loads(Path(fresh).read_text())
    data["order"]["items"][0]["price"] = "cheap"
    result = run("explain", "-", "--rules", str(pack_dir), stdin=json.dumps(data))
    assert_clean_failure(result, "order.items[0].price", "cheap")


def test_missing_request_file(pack_dir: Path, tmp_path: Path) -> None:
    result = run("explain", str(tmp_path / "nope.json"), "--rules", str(pack_dir))
    assert_clean_failure(result, "nope.json", "No such file")


def test_missing_rule_pack(fresh: str, tmp_path: Path) -> None:
    result = run("explain", fresh, "--rules", str(tmp_path / "no-pack"))
    assert_clean_failure(result, "no-pack", "missing-file")


def test_now_without_zone_is_a_usage_error(pack_dir: Path, fresh: str) -> None:
    result = run("explain", fresh, "--rules", str(pack_dir), "--now", "2026-11-20T15:00:00")
    assert result.exit_code == 2
    assert "time zone" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- check


def test_check_small_pack_summarises(pack_dir: Path) -> None:
    result = run("check", str(pack_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{pack_dir}/: 2 rules in 5 files, 1 example, no problems\n"


def test_check_bundled_pack_is_clean(bundled_policy: policylib.Policy) -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"rules/: \d+ rules? in \d+ files?, \d+ examples?, no problems\n", result.stdout
    )
    assert f" {len(bundled_policy.rules)} rule" in result.stdout


def test_check_broken_pack_lists_every_problem(tmp_path: Path) -> None:
    files = dict(CLI_PACK)
    files["returns.yaml"] = (
        files["returns.yaml"]
        .replace("days_since_delivery: {lte: 30}", "days_since_delivry: {lte: 30}")
        .replace("outcome: denied", "outcome: refused")
    )
    root = write_pack(tmp_path / "broken", files)
    result = run("check", str(root))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    out = result.stdout
    assert out.startswith(f"{root}/: 2 problems\n")
    assert re.search(r"returns\.yaml:\d+:\d+: \[RET-001\] unknown fact 'days_since_delivry'", out)
    assert "did you mean 'days_since_delivery'?" in out
    assert re.search(r"returns\.yaml:\d+:\d+: \[RET-002\] .*'refused'", out)
    assert "^" in out  # the caret excerpt under the spot


# --------------------------------------------------------------------------- demo


def test_demo_runs_every_example_of_a_pack(pack_dir: Path) -> None:
    result = run("demo", "--rules", str(pack_dir))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert DEMO_NOW.isoformat() in out.splitlines()[0]
    assert "=== fresh.json" in out and "=== late.json" in out
    assert out.index("=== fresh.json") < out.index("outcome: granted") < out.index("=== late.json")
    assert "outcome: denied" in out.split("=== late.json")[1]  # the fixed clock: 76 days late
    assert "\n    Hi Ana," in out  # the explanation, indented


def test_demo_is_deterministic(pack_dir: Path) -> None:
    assert (
        run("demo", "--rules", str(pack_dir)).stdout == run("demo", "--rules", str(pack_dir)).stdout
    )


def test_demo_reports_a_broken_example_and_goes_on(pack_dir: Path, tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", {**CLI_PACK, "examples/zz-broken.json": "{"})
    result = run("demo", "--rules", str(root))
    assert result.exit_code == 2
    assert "outcome: granted" in result.stdout
    assert "=== zz-broken.json" in result.stdout and "not valid JSON" in result.stdout
    assert result.stderr.count("policylib: error:") == 1
    assert "Traceback" not in result.output


def test_demo_decides_every_bundled_example_request() -> None:
    names = sorted(p.name for p in (ROOT / "rules" / "examples").glob("*.json"))
    assert names, "the bundled pack has example requests"
    result = run("demo")
    assert result.exit_code == 0, result.output
    for name in names:
        assert f"=== {name} " in result.stdout
    assert result.stdout.count("\noutcome: ") == len(names)
    assert "outcome: error" not in result.stdout


# --------------------------------------------------------------------------- publish


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_publish_pages(bundled_pack: Pack, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"policy.{fmt}"
    result = run("publish", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page == run("publish", "--format", fmt).stdout
    visible = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)
    shown = html.unescape(visible) if fmt == "html" else re.sub(r"\\(.)", r"\1", visible)
    for section in bundled_pack.sections.values():
        assert section.title in shown, section.title
    assert "{ $" not in page
    for rule in bundled_pack.rules:
        assert rule.id not in visible
    assert not re.search(r"\b[A-Z]{2,}-\d{3}\b", visible)


def test_publish_small_pack_markdown(pack_dir: Path) -> None:
    result = run("publish", str(pack_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Tess")
    assert "## Returns and refunds" in result.stdout


def test_publish_unwritable_output(pack_dir: Path, tmp_path: Path) -> None:
    result = run("publish", str(pack_dir), "-o", str(tmp_path / "no-dir" / "page.md"))
    assert_clean_failure(result, "page.md")


# --------------------------------------------------------------------------- the program


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert policylib.__version__ in result.stdout


def test_python_dash_m(pack_dir: Path, fresh: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run(
        [sys.executable, "-m", "policylib", "explain", fresh, "--rules", str(pack_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Ana" in ok.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("[1,", encoding="utf-8")
    failed = subprocess.run(
        [sys.executable, "-m", "policylib", "explain", str(bad), "--rules", str(pack_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith("policylib: error: ")
    assert "Traceback" not in failed.stderr


def test_bad_option_is_one_line_with_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policylib", "explain", "--format", "xml", "x.json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("policylib: error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Usage:" not in result.stderr and "Traceback" not in result.stderr


def test_empty_stdin_says_so() -> None:
    result = CliRunner().invoke(cli, ["explain", "-"], input="")
    assert result.exit_code == 2
    assert "empty" in result.output


def test_check_of_a_missing_path_is_an_error_not_a_problem_list() -> None:
    result = CliRunner().invoke(cli, ["check", "/no/such/pack"])
    assert result.exit_code == 2
