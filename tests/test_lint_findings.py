"""Lint's findings as an author meets them: each planted flaw reported with a request
that, decided by ``policy.evaluate``, shows it (a shadowed rule, a kind no rule lists, a
conflict across priorities, an offer never granted, a text naming an unknown fact), facts
and settings nothing reads, the request as a worked example that pastes into a pack and
passes, and what the bundled packs report."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import policylib
from policylib.authoring._report import example_yaml
from policylib.authoring._targets import Observer
from policylib.authoring.examples import deciding_rule, run_examples
from policylib.authoring.lint import Finding, LintReport, lint
from policylib.cli.lint import lint as lint_command
from policylib.engine.core import evaluate_condition
from policylib.errors import RuleError
from policylib.output.decision import Decision
from tests import ROOT
from tests.lint_packs import flawed_files, write
from tests.packs import SMALL_PACK

HAS_Z3 = importlib.util.find_spec("z3") is not None
needs_z3 = pytest.mark.skipif(not HAS_Z3, reason="z3-solver is not installed")
SOLVERS = [pytest.param("z3", marks=needs_z3), "search"]

NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> policylib.Policy:
    return policylib.load_policy(write(tmp_path_factory.mktemp("flawed"), flawed_files()))


_REPORTS: dict[str, LintReport] = {}


@pytest.fixture(params=SOLVERS)
def report(request: pytest.FixtureRequest, flawed: policylib.Policy) -> LintReport:
    """The flawed pack's report, by each solver (made once per solver)."""
    solver = str(request.param)
    if solver not in _REPORTS:
        _REPORTS[solver] = lint(flawed, solver="z3" if solver == "z3" else "search", now=NOW)
    return _REPORTS[solver]


def _one(report: LintReport, code: str, rule: str = "", related: str = "") -> Finding:
    found = [
        f
        for f in report.findings
        if f.code == code and f.rule_id == rule and (not related or related in f.related)
    ]
    assert len(found) == 1, [str(f) for f in report.findings]
    return found[0]


def _decide(policy: policylib.Policy, finding: Finding) -> Decision:
    """The finding's request decided as an application would, at the clock it names."""
    assert finding.request is not None
    return policy.evaluate(finding.request, now=NOW)


def _facts(policy: policylib.Policy, request: Mapping[str, Any]) -> dict[str, Any]:
    order = {k: policy.engine.rules_for(k) for k in policy.pack.vocabulary.kinds}
    seen = Observer(policy, order).observe(request)
    assert seen is not None
    return dict(seen.facts)


def _rule(policy: policylib.Policy, rule_id: str) -> Any:
    return next(r for r in policy.pack.rules if r.id == rule_id)


# --------------------------------------------------------------------------- the flaws


def test_a_shadowed_rule_is_shown_by_a_request_the_rule_ahead_decides(
    report: LintReport, flawed: policylib.Policy
) -> None:
    finding = _one(report, "never-decides", "SHADOW-001")
    decision = _decide(flawed, finding)
    assert deciding_rule(decision) == "RET-001"
    # the trace holds what SHADOW-001 tests, as RET-001 saw it: every test of it holds
    traced = {c.fact: c.actual for t in decision.trace for c in t.conditions}
    assert evaluate_condition(_rule(flawed, "SHADOW-001").when, traced) is True


def test_a_kind_no_rule_lists_is_a_gap_with_a_request_of_that_kind(
    report: LintReport, flawed: policylib.Policy
) -> None:
    found = [f for f in report.findings if f.code == "default-reached" and f.kinds == ("repair",)]
    assert len(found) == 1, [str(f) for f in report.findings]
    finding = found[0]
    assert finding.message.startswith("no rule lists the kind repair")
    decision = _decide(flawed, finding)
    assert finding.request is not None and finding.request["kind"] == "repair"
    assert not any(t.decided for t in decision.trace)
    assert decision.outcome == flawed.pack.default_outcome


def test_an_offer_whose_change_is_never_granted_is_reported_with_a_request(
    report: LintReport, flawed: policylib.Policy
) -> None:
    finding = _one(report, "offer-never-granted", "RET-002")
    assert finding.related == ("store_credit",)
    assert finding.proven is (report.solver == "z3")
    assert ("can never be granted" if finding.proven else "not a proof") in finding.message
    decision = _decide(flawed, finding)
    assert deciding_rule(decision) == "RET-002"
    assert "store_credit" not in [a.kind for a in decision.alternatives]


def test_a_grant_ranked_below_a_denial_it_is_an_exception_to_is_a_conflict(
    report: LintReport, flawed: policylib.Policy
) -> None:
    finding = _one(report, "conflict", "DEFX-001")
    assert finding.related == ("HALF-001",) and finding.kinds == ("exchange",)
    assert finding.severity == "warning"
    decision = _decide(flawed, finding)
    assert deciding_rule(decision) == "HALF-001" and decision.outcome.value == "denied"
    assert finding.request is not None
    facts = _facts(flawed, finding.request)
    assert evaluate_condition(_rule(flawed, "DEFX-001").when, facts) is True


def test_a_denial_testing_a_fact_of_its_own_is_an_exception_not_a_conflict(
    report: LintReport, flawed: policylib.Policy
) -> None:
    """EXC-001 denies a change of mind above RET-001's grant: both hold for the request
    below, yet EXC-001 tests what RET-001 does not look at, so it is no conflict."""
    request = {
        "kind": "exchange",
        "requested_at": NOW.isoformat(),
        "reason": "changed_mind",
        "order": {
            "id": "A1",
            "placed_at": "2026-11-01T10:00:00-05:00",
            "status": "delivered",
            "delivered_at": "2026-11-10T10:00:00-05:00",
            "items": [
                {"sku": "S1", "name": "Lamp", "category": "lighting", "price": 40,
                 "condition": "unopened"}
            ],
        },
    }  # fmt: skip
    assert deciding_rule(flawed.evaluate(request, now=NOW)) == "EXC-001"
    assert evaluate_condition(_rule(flawed, "RET-001").when, _facts(flawed, request)) is True
    assert not [f for f in report.findings if f.code == "conflict" and f.rule_id == "RET-001"]


def test_a_text_naming_a_fact_unknown_wherever_its_rule_decides_is_reported(
    report: LintReport, flawed: policylib.Policy
) -> None:
    finding = _one(report, "unknown-placeholder", "NOTYET-001")
    assert finding.related == ("days_since_delivery",)
    assert finding.proven is (report.solver == "z3")
    assert finding.says == "Your order arrived not known ago, so it cannot go back yet."
    decision = _decide(flawed, finding)
    assert deciding_rule(decision) == "NOTYET-001"
    assert decision.reasons[0].text == finding.says


def test_facts_and_settings_nothing_reads_are_reported(report: LintReport) -> None:
    fact = _one(report, "unread-fact")
    assert fact.related == ("unused_count",) and fact.where.startswith("facts.yaml:")
    setting = _one(report, "unread-setting")
    assert setting.related == ("spare_days",) and setting.where.startswith("policy.yaml:")
    # defect_days is read only as $settings.defect_days in a condition: not reported


def test_a_store_fact_with_a_question_is_refused_at_load_so_lint_has_no_code_for_it(
    tmp_path: Path,
) -> None:
    facts = SMALL_PACK["facts.yaml"] + (
        "  truck_loaded:\n"
        "    type: boolean\n"
        "    label: whether the truck is loaded\n"
        "    expr: item.condition == 'used'\n"
        "    known_by: store\n"
        '    question: "Is the truck loaded?"\n'
    )
    with pytest.raises(RuleError, match="is the store's to supply, so a customer is never asked"):
        policylib.load_policy(write(tmp_path, {**SMALL_PACK, "facts.yaml": facts}))


# --------------------------------------------------------------------------- output


def test_each_request_is_a_worked_example_that_pastes_into_the_pack_and_passes(
    report: LintReport, tmp_path: Path
) -> None:
    shown = [f for f in report.findings if f.request is not None]
    assert shown and all(f.example is not None for f in shown)
    lines = [line for f in shown if f.example for line in example_yaml(f.example)]
    files = flawed_files()
    files["returns.yaml"] += "\n".join("  " + line for line in lines) + "\n"
    pasted = policylib.load_policy(write(tmp_path, files))
    names = {str(f.example["name"]) for f in shown if f.example}
    results = [r for r in run_examples(pasted) if r.example.name in names]
    assert len(results) == len(names) == len(shown)
    assert [r.failures for r in results if not r.passed] == []


def test_text_output_puts_the_example_under_the_finding(report: LintReport) -> None:
    finding = _one(report, "offer-never-granted", "RET-002")
    text = str(finding).splitlines()
    assert text[0].endswith("(offer-never-granted)")
    start = text.index("    example, for an area file's examples:")
    assert text[start + 1] == '    - name: "RET-002 decides, store_credit is not offered"'
    assert text[start + 2 :] == ["    " + line for line in example_yaml(finding.example or {})[1:]]
    assert json.loads(text[-1].split("request: ", 1)[1]) == finding.request


def test_json_output_carries_the_example(tmp_path: Path) -> None:
    root = write(tmp_path / "flawed", flawed_files())
    result = CliRunner().invoke(lint_command, [str(root), "--solver", "search", "--format", "json"])
    data = json.loads(result.output)
    placeholder = next(f for f in data["findings"] if f["code"] == "unknown-placeholder")
    assert placeholder["example"]["rule"] == "NOTYET-001"
    assert placeholder["example"]["outcome"] == "denied"
    assert placeholder["example"]["request"] == placeholder["request"]
    assert placeholder["says"].startswith("Your order arrived not known ago")
    unread = next(f for f in data["findings"] if f["code"] == "unread-fact")
    assert unread["example"] is None and unread["request"] is None


def test_the_search_report_is_the_same_twice(flawed: policylib.Policy) -> None:
    first = lint(flawed, solver="search", now=NOW, probes=60, seed=3)
    second = lint(flawed, solver="search", now=NOW, probes=60, seed=3)
    assert [f.as_dict() for f in first.findings] == [f.as_dict() for f in second.findings]


# --------------------------------------------------------------------------- the bundled packs

_VOLTAIC_UNREAD = {
    "request_kind",
    "customer_tier",
    "activation_fee_percent",
    "item_category",
    "item_damaged",
}
"""Facts Voltaic declares and nothing reads (each checked by hand: no rule, text, other
fact, check, search or escalation names it)."""


def _codes(report: LintReport) -> set[tuple[str, str]]:
    return {(f.code, f.rule_id or ",".join(f.related)) for f in report.findings}


@needs_z3
def test_the_bundled_pack_reports_its_gaps_and_reads_every_fact(
    bundled_policy: policylib.Policy,
) -> None:
    report = lint(bundled_policy, solver="z3")
    assert report.errors == ()
    assert _codes(report) == {("default-reached", "")}
    assert {f.kinds for f in report.findings if f.code == "default-reached"} == {
        ("change_delivery",)
    }


@pytest.mark.parametrize("solver", SOLVERS)
def test_the_voltaic_pack_reports_only_its_unread_facts(solver: str) -> None:
    report = lint(
        ROOT / "examples" / "packs" / "voltaic", solver="z3" if solver == "z3" else "search"
    )
    assert report.errors == ()
    assert _codes(report) == {("unread-fact", name) for name in _VOLTAIC_UNREAD}
