"""``policylib test`` (worked examples as tests, with coverage) and ``policylib check``
running the examples: output, JSON and exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import policylib
from policylib.cli.pack import check as check_command
from policylib.cli.test import test as examples_command
from tests import ROOT
from tests.test_authoring_examples import EXAMPLE_PACK, write_pack

VOLTAIC = ROOT / "examples" / "packs" / "voltaic"


def run_test(*args: str) -> Result:
    return CliRunner().invoke(examples_command, list(args))


def run_check(*args: str) -> Result:
    return CliRunner().invoke(check_command, list(args))


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("pack"), EXAMPLE_PACK)


def bundled_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """The bundled pack copied to ``tmp_path`` with one text replaced in one file."""
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root)
    text = (root / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (root / file).write_text(text.replace(old, new), encoding="utf-8")
    return root


_SEAT = "- name: opened toilet seat, changed mind\n  rule: HYG-001\n  outcome: denied\n"


@pytest.fixture
def contradicted(tmp_path: Path) -> Path:
    """The bundled pack with one example whose outcome its rule contradicts."""
    return bundled_copy(tmp_path, "hygiene.yaml", _SEAT, _SEAT.replace("denied", "granted"))


# --------------------------------------------------------------------------- test


@pytest.mark.parametrize("pack", [None, VOLTAIC], ids=["bundled", "voltaic"])
def test_both_packs_pass_with_every_rule_covered(pack: Path | None) -> None:
    args = [] if pack is None else [str(pack)]
    policy = policylib.load_policy(pack)
    result = run_test(*args, "--coverage", "--fail-under", "100")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"\n{len(policy.pack.examples)} passed, 0 failed\n")
    rules = len(policy.rules)
    assert re.search(rf"^  rules +{rules}/{rules} +100\.0%$", result.stdout, flags=re.M)
    data = json.loads(run_test(*args, "--coverage", "--format", "json").stdout)
    assert data["coverage"]["rules"]["covered"] == data["coverage"]["rules"]["total"] == rules
    assert data["coverage"]["rules"]["percent"] == 100.0


def test_a_contradicted_example_fails_naming_where_and_what(contradicted: Path) -> None:
    result = run_test(str(contradicted))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("hygiene.yaml:33: opened toilet seat, changed mind\n")
    assert "  outcome: expected granted, got denied\n" in out
    assert "  HYG-001 (deciding rule): held -> denied\n" in out
    assert re.search(r"\n\d+ passed, 1 failed\n$", out)
    assert "Traceback" not in result.output


def test_an_invalid_example_request_fails_naming_the_field(tmp_path: Path) -> None:
    seat = (
        "    kind: return\n    requested_at: '2026-11-20T15:00:00-05:00'\n    customer: {name: Beth"
    )
    root = bundled_copy(tmp_path, "hygiene.yaml", seat, seat.replace("return", "teleport"))
    result = run_test(str(root), "-k", "opened toilet seat, changed")
    assert result.exit_code == 1, result.output
    assert "the request is refused: the request has 1 invalid field" in result.stdout
    assert "    kind: not one of the allowed values" in result.stdout
    assert "received 'teleport'" in result.stdout


def test_k_selects_and_counts_the_rest_deselected(pack_dir: Path) -> None:
    result = run_test(str(pack_dir), "-k", "late and not defective")
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 passed, 0 failed, 3 deselected\n"


def test_k_that_selects_nothing_fails(pack_dir: Path) -> None:
    result = run_test(str(pack_dir), "-k", "sofa")
    assert result.exit_code == 1
    assert result.stdout == "no example matches -k 'sofa'\n0 passed, 0 failed, 4 deselected\n"


def test_a_malformed_k_is_an_error(pack_dir: Path) -> None:
    result = run_test(str(pack_dir), "-k", "late and")
    assert result.exit_code == 2
    assert result.stderr == "policylib: error: -k 'late and': expected words at the end\n"


def test_a_pack_without_examples_fails(tmp_path: Path) -> None:
    area = EXAMPLE_PACK["returns.yaml"]
    files = {**EXAMPLE_PACK, "returns.yaml": area[: area.index("examples:")]}
    result = run_test(str(write_pack(tmp_path / "pack", files)))
    assert result.exit_code == 1
    assert "has no examples" in result.stdout


def test_coverage_prints_the_table_and_what_is_not_covered(pack_dir: Path) -> None:
    result = run_test(str(pack_dir), "--coverage")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"coverage of {pack_dir}/ (4 examples)\n"
        "  rules       2/2  100.0%\n"
        "  conditions  3/5   60.0%\n"
        "  offers      2/3   66.7%\n"
        "  questions   1/1  100.0%\n"
        "not covered:\n"
        "  returns.yaml:9:11: rule RET-001 condition 2 (item_used eq false) never failed"
        " (seen held, unknown)\n"
        "  returns.yaml:22:15: rule RET-002 condition 2 (item_used eq true) never held"
        " (seen failed, unknown)\n"
        "  returns.yaml:29:9: rule RET-002 offer store_credit is never offered\n"
        "\n"
        "4 passed, 0 failed\n"
    )


def test_fail_under_fails_when_rule_coverage_is_lower(pack_dir: Path) -> None:
    # "unused" alone: RET-001 decides, RET-002 decides nothing: 50% of the rules
    result = run_test(str(pack_dir), "-k", "unused", "--fail-under", "60")
    assert result.exit_code == 1
    assert "rule coverage 50.0% (1/2) is under --fail-under 60%\n" in result.stdout
    assert "coverage of" not in result.stdout  # the table only with --coverage
    assert run_test(str(pack_dir), "-k", "unused", "--fail-under", "50").exit_code == 0


def test_fail_under_takes_a_percentage(pack_dir: Path) -> None:
    result = run_test(str(pack_dir), "--fail-under", "101")
    assert result.exit_code == 2


def test_json_has_every_result_and_the_coverage(contradicted: Path) -> None:
    result = run_test(str(contradicted), "-k", "toilet", "--format", "json", "--coverage")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["pack"] == f"{contradicted}/"
    assert (data["passed"], data["failed"]) == (len(data["results"]) - 1, 1)
    assert data["deselected"] == len(policylib.load_policy(contradicted).pack.examples) - len(
        data["results"]
    )
    (failed,) = [r for r in data["results"] if not r["passed"]]
    assert failed == {
        "name": "opened toilet seat, changed mind",
        "file": "hygiene.yaml",
        "line": 33,
        "passed": False,
        "failures": ["outcome: expected granted, got denied"],
        "error": "",
        "outcome": "denied",
        "rule": "HYG-001",
    }
    assert set(data["coverage"]) == {"examples", "rules", "conditions", "offers", "questions"}


def test_an_unloadable_pack_is_an_error(tmp_path: Path) -> None:
    files = {
        **EXAMPLE_PACK,
        "returns.yaml": EXAMPLE_PACK["returns.yaml"].replace("RET-001", "RET-01", 1),
    }
    result = run_test(str(write_pack(tmp_path / "pack", files)))
    assert result.exit_code == 2
    assert result.stderr.startswith("policylib: error: ")
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- check


def test_check_runs_the_examples(contradicted: Path) -> None:
    result = run_check(str(contradicted))
    assert result.exit_code == 1, result.output
    assert result.stdout == (
        f"{contradicted}/: 1 problem\n"
        "hygiene.yaml:33:3: example-failed: opened toilet seat, changed mind: outcome: "
        "expected granted, got denied\n"
        "    hint: `policylib test` shows the example's trace\n"
    )


def test_check_counts_each_failure_of_an_example(tmp_path: Path) -> None:
    root = bundled_copy(
        tmp_path,
        "hygiene.yaml",
        _SEAT,
        _SEAT.replace("HYG-001", "RET-001").replace("denied", "granted"),
    )
    result = run_check(str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{root}/: 2 problems\n")
    assert "rule: expected RET-001 to decide, got HYG-001" in result.stdout


def test_check_json_lists_failing_examples_as_problems(contradicted: Path) -> None:
    result = run_check(str(contradicted), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["pack"] == f"{contradicted}/"
    assert data["rules"] == 55 and data["files"] == 12 and data["examples"] > 100
    assert data["problems"] == [
        {
            "code": "example-failed",
            "message": "opened toilet seat, changed mind: outcome: expected granted, got denied",
            "file": "hygiene.yaml",
            "line": 33,
            "col": 3,
            "hint": "`policylib test` shows the example's trace",
            "rule": "HYG-001",
        }
    ]


def test_check_json_lists_load_problems(tmp_path: Path) -> None:
    area = EXAMPLE_PACK["returns.yaml"].replace("question: item_used", "question: item_usd")
    root = write_pack(tmp_path / "pack", {**EXAMPLE_PACK, "returns.yaml": area})
    result = run_check(str(root), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["rules"] is None and data["examples"] is None
    (problem,) = data["problems"]
    assert problem["code"] == "unknown-fact"
    assert (problem["file"], problem["line"], problem["col"]) == ("returns.yaml", 48, 15)
    assert problem["hint"] == "did you mean 'item_used'?"


def test_check_of_a_passing_pack_keeps_its_summary(pack_dir: Path) -> None:
    result = run_check(str(pack_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{pack_dir}/: 2 rules in 5 files, 4 examples, no problems\n"
    data = json.loads(run_check(str(pack_dir), "--format", "json").stdout)
    assert (data["rules"], data["files"], data["examples"], data["problems"]) == (2, 5, 4, [])


@pytest.mark.parametrize("command", ["test", "check"])
def test_the_pack_may_be_given_as_rules_too(pack_dir: Path, command: str) -> None:
    run = run_test if command == "test" else run_check
    as_option = run("--rules", str(pack_dir))
    assert as_option.exit_code == 0, as_option.output
    assert as_option.stdout == run(str(pack_dir)).stdout
    assert "Example" in run("--help").stdout
