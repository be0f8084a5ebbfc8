"""Starting a pack from the command line: ``init``, ``schema``, ``demo`` without an
examples folder, and load hints that point the right way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

import policylib
from policylib.load import load_pack
from tests import ROOT
from tests.test_cli import assert_clean_failure, run
from tests.test_loader import area, problems_of, rule, write_pack

# --------------------------------------------------------------------------- init


def test_init_writes_a_pack_that_loads_and_passes_its_example(tmp_path: Path) -> None:
    target = tmp_path / "store"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert "next: policylib test" in result.stdout
    pack = load_pack(target)
    assert len(pack.rules) == 1 and len(pack.facts) == 1 and len(pack.examples) == 1
    (example,) = pack.examples
    decision = policylib.Policy(pack).evaluate(example.request)
    assert decision.outcome is example.outcome
    assert decision.reasons[0].rule_id == example.rule
    for name in ("policy.yaml", "vocabulary.yaml", "facts.yaml", "returns.yaml"):
        assert (target / name).read_text().startswith("#"), f"{name} explains itself"
    checked = run("check", str(target))
    assert checked.exit_code == 0 and "1 example, no problems" in checked.stdout


def test_init_never_writes_over_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "notes.txt").write_text("mine")
    assert_clean_failure(run("init", str(tmp_path / "store")), "not an empty folder")
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["notes.txt"]


def test_init_fills_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    assert run("init", str(tmp_path / "store")).exit_code == 0
    load_pack(tmp_path / "store")


# --------------------------------------------------------------------------- schema


def test_schema_prints_the_packs_request_schema() -> None:
    result = run("schema", str(ROOT / "examples" / "packs" / "voltaic"))
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    voltaic = policylib.load_policy(ROOT / "examples" / "packs" / "voltaic")
    assert schema == voltaic.request_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert json.loads(run("schema").stdout) == policylib.load_policy().request_schema()


def test_schema_of_a_broken_pack_is_one_clean_error(tmp_path: Path) -> None:
    assert_clean_failure(run("schema", str(tmp_path / "nowhere")), "nowhere")


# --------------------------------------------------------------------------- demo


def test_demo_without_an_examples_folder_runs_the_worked_examples(tmp_path: Path) -> None:
    run("init", str(tmp_path / "store"))
    result = run("demo", "--rules", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert "1 worked example" in first and "no *.json requests in" in first
    assert str(tmp_path / "store" / "examples") in first  # where it looked
    assert "=== a lamp returned ten days after it arrived" in result.stdout
    assert "outcome: granted" in result.stdout and "    Hi Ana," in result.stdout


def test_demo_of_a_pack_without_any_example_says_where_it_looked(tmp_path: Path) -> None:
    root = tmp_path / "store"
    run("init", str(root))
    text = (root / "returns.yaml").read_text()
    (root / "returns.yaml").write_text(text[: text.index("\nexamples:")] + "\n")
    result = run("demo", "--rules", str(root))
    assert_clean_failure(result, "no example requests", "examples:", str(root / "examples"))


def test_demo_prefers_the_example_requests_folder(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    result = run("demo", "--rules", str(tmp_path / "rules"))
    assert "example requests from" in result.stdout.splitlines()[0]


# --------------------------------------------------------------------------- hints


def test_an_undeclared_section_is_reported_once_with_how_to_declare_it(tmp_path: Path) -> None:
    rules = rule("ORD-001", extra="citation: {section: orders}\n").replace(
        "  citation: {section: returns}\n", ""
    ) + rule("ORD-002", when="{item_opened: false}", extra="citation: {section: orders}\n").replace(
        "  citation: {section: returns}\n", ""
    )
    root = write_pack(tmp_path / "pack", orders=area(rules, section="orders"))
    found = [p for p in problems_of(root) if p.code == "unknown-section"]
    assert len(found) == 1, found  # three uses, one missing declaration
    assert found[0].hint.startswith("declare it in policy.yaml: sections: {orders:")
    # "orders" looks a little like "returns": a looser match may follow the fix, never lead


def test_a_text_naming_an_undeclared_fact_is_told_to_declare_it(tmp_path: Path) -> None:
    text = '"Thank you, { $customer_name }."'
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", text=text)))
    (problem,) = [p for p in problems_of(root) if p.code == "unknown-placeholder"]
    assert problem.hint.startswith("declare customer_name in facts.yaml")


def test_a_misspelt_fact_still_gets_its_did_you_mean(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when="{item_opend: true}")))
    (problem,) = [p for p in problems_of(root) if p.code == "unknown-fact"]
    assert problem.hint == "did you mean 'item_opened'?"
