"""Lint (``policylib.authoring.lint``): dead rules, requests the default answers and
same-priority overlaps, proven by z3 or shown by the bounded search, each with a request
the pack's own engine decides as the finding says; its options, command and formulas.
The later checks (conflicts, offers, placeholders, unread facts) are in
``test_lint_findings``."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import policylib
from policylib.authoring import lint as lint_module
from policylib.authoring._search import Searcher
from policylib.authoring._seeds import choice_of
from policylib.authoring._targets import Observer
from policylib.authoring.lint import CODES, Finding, LintReport, lint
from policylib.cli.lint import lint as lint_command
from policylib.engine.core import evaluate_condition
from policylib.errors import BackendError
from tests import ROOT
from tests.lint_packs import CLEAN_RETURNS, flawed_files, write
from tests.packs import SMALL_PACK

HAS_Z3 = importlib.util.find_spec("z3") is not None
needs_z3 = pytest.mark.skipif(not HAS_Z3, reason="z3-solver is not installed")

NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> policylib.Policy:
    return policylib.load_policy(write(tmp_path_factory.mktemp("flawed"), flawed_files()))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> policylib.Policy:
    files = {**SMALL_PACK, "returns.yaml": CLEAN_RETURNS}
    return policylib.load_policy(write(tmp_path_factory.mktemp("clean"), files))


@pytest.fixture(scope="module")
def proven(flawed: policylib.Policy) -> LintReport:
    if not HAS_Z3:
        pytest.skip("z3-solver is not installed")
    return lint(flawed, solver="z3", now=NOW)


@pytest.fixture(scope="module")
def searched(flawed: policylib.Policy) -> LintReport:
    return lint(flawed, solver="search", now=NOW, probes=300)


def _one(report: LintReport, code: str, rule: str = "") -> Finding:
    found = [f for f in report.findings if f.code == code and f.rule_id == rule]
    assert len(found) == 1, [str(f) for f in report.findings]
    return found[0]


def _verdict(policy: policylib.Policy, request: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The engine's verdict for a finding's request (its first line) and its facts."""
    seen = Observer(policy, {k: policy.engine.rules_for(k) for k in policy.pack.vocabulary.kinds})
    observed = seen.observe(request)
    assert observed is not None, request
    return observed.verdict, dict(observed.facts)


# --------------------------------------------------------------------------- with z3


@needs_z3
def test_a_rule_whose_tests_clash_can_never_hold(proven: LintReport) -> None:
    finding = _one(proven, "never-holds", "CLASH-001")
    assert finding.severity == "error" and finding.proven
    assert "'days_since_delivery <= 5' (returns.yaml:" in finding.message
    assert "'days_since_delivery > 10' (returns.yaml:" in finding.message
    assert "item_used" not in finding.message  # not part of the clash
    assert finding.request is None  # no request can show it
    assert finding.where.startswith("returns.yaml:")


@needs_z3
def test_a_shadowed_rule_never_decides_and_names_the_rule_ahead(
    proven: LintReport, flawed: policylib.Policy
) -> None:
    finding = _one(proven, "never-decides", "SHADOW-001")
    assert finding.severity == "error"
    assert finding.related == ("RET-001",)
    assert finding.kinds == ("return", "exchange")
    assert finding.request is not None
    verdict, facts = _verdict(flawed, finding.request)
    shadowed = next(r for r in flawed.pack.rules if r.id == "SHADOW-001")
    assert evaluate_condition(shadowed.when, facts) is True  # it holds ...
    assert verdict.rule is not None and verdict.rule.id == "RET-001"  # ... and RET-001 decides


@needs_z3
def test_a_rule_dead_for_one_of_its_kinds_names_that_kind(proven: LintReport) -> None:
    finding = _one(proven, "never-decides", "HALF-001")
    assert finding.kinds == ("return",)
    assert "a return request" in finding.message
    assert finding.related == ("RET-002",)
    assert "remove return from its kinds" in finding.hint


@needs_z3
def test_requests_the_default_answers_are_described_by_the_facts_they_share(
    proven: LintReport, flawed: policylib.Policy
) -> None:
    found = [f for f in proven.findings if f.code == "default-reached" and f.kinds == ("return",)]
    described = {f.facts for f in found}
    assert (
        ("days since your order arrived", "at most 30 days"),
        ("whether the item has been used", "yes"),
    ) in described
    for finding in found:
        assert finding.severity == "warning"
        assert finding.request is not None
        verdict, _ = _verdict(flawed, finding.request)
        assert verdict.rule is None and verdict.outcome == flawed.pack.default_outcome


@needs_z3
def test_same_priority_rules_that_overlap_are_shown_by_a_request_both_hold_for(
    proven: LintReport, flawed: policylib.Policy
) -> None:
    finding = _one(proven, "overlap", "WIDE-001")
    assert finding.related == ("RET-001",)
    assert "more tests (2 to 1)" in finding.message
    assert finding.request is not None
    verdict, facts = _verdict(flawed, finding.request)
    wide = next(r for r in flawed.pack.rules if r.id == "WIDE-001")
    assert verdict.rule is not None and verdict.rule.id == "RET-001"
    assert evaluate_condition(wide.when, facts) is True


@needs_z3
def test_a_pack_without_gaps_or_dead_rules_is_clean(clean: policylib.Policy) -> None:
    report = lint(clean, solver="z3", now=NOW)
    assert report.findings == ()
    assert report.ok
    assert report.summary().startswith("Tess <&> Co: 0 errors, 0 warnings (z3:")


@needs_z3
def test_every_request_a_finding_carries_is_accepted_by_the_pack(
    proven: LintReport, flawed: policylib.Policy
) -> None:
    shown = [f for f in proven.findings if f.request is not None]
    assert shown
    for finding in shown:
        assert finding.request is not None
        decision = flawed.evaluate(json.dumps(finding.request))
        assert decision.outcome is not None


@needs_z3
def test_the_solver_gives_the_same_report_twice(flawed: policylib.Policy) -> None:
    first = lint(flawed, solver="z3", now=NOW)
    second = lint(flawed, solver="z3", now=NOW)
    assert [f.as_dict() for f in first.findings] == [f.as_dict() for f in second.findings]


@needs_z3
def test_a_rule_that_cannot_hold_for_one_of_its_kinds_says_so(proven: LintReport) -> None:
    finding = _one(proven, "never-decides", "KIND-001")
    assert finding.kinds == ("return",)
    assert finding.message == "can never hold for a return request"
    assert finding.request is None


# --------------------------------------------------------------------------- the search


def test_the_search_shows_gaps_and_overlaps_and_proves_nothing(
    searched: LintReport, flawed: policylib.Policy
) -> None:
    assert searched.solver == "search"
    assert searched.questions == 0
    overlap = _one(searched, "overlap", "WIDE-001")
    assert overlap.request is not None
    gaps = [f for f in searched.findings if f.code == "default-reached"]
    assert gaps
    for finding in gaps:
        assert finding.request is not None
        verdict, _ = _verdict(flawed, finding.request)
        assert verdict.rule is None
    dead = {f.rule_id: f for f in searched.findings if f.code == "never-decides"}
    assert {"CLASH-001", "SHADOW-001"} <= set(dead)
    for finding in dead.values():
        assert finding.severity == "warning" and not finding.proven
        assert "not a proof" in finding.message
    assert not any(f.code == "never-holds" for f in searched.findings)  # that needs a proof


def test_the_search_gives_the_same_report_for_the_same_seed(flawed: policylib.Policy) -> None:
    first = lint(flawed, solver="search", now=NOW, probes=60, seed=7)
    second = lint(flawed, solver="search", now=NOW, probes=60, seed=7)
    assert [str(f) for f in first.findings] == [str(f) for f in second.findings]


def test_the_search_starts_from_the_worked_examples(bundled_policy: policylib.Policy) -> None:
    """A rule a worked example shows deciding (at the clock lint decides at) is seen
    deciding, however small the search."""
    report = lint(bundled_policy, solver="search", probes=5)
    clock = "2026-11-20T15:00:00-05:00"
    shown = {
        e.rule
        for e in bundled_policy.pack.examples
        if e.rule and e.request.get("requested_at") == clock
    }
    unseen = {f.rule_id for f in report.findings if f.code == "never-decides"}
    assert shown
    assert not shown & unseen


# --------------------------------------------------------------------------- options


def test_asking_for_z3_without_it_installed_is_a_backend_error(
    monkeypatch: pytest.MonkeyPatch, flawed: policylib.Policy
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        lint_module.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "z3" else real(name, *a),
    )
    with pytest.raises(BackendError, match=r"pip install 'policylib\[lint\]'"):
        lint(flawed, solver="z3", now=NOW)
    assert lint(flawed, now=NOW, probes=20).solver == "search"  # auto falls back


def test_ignored_codes_are_left_out(flawed: policylib.Policy) -> None:
    report = lint(flawed, solver="search", now=NOW, probes=30, ignore=["default-reached"])
    assert report.findings
    assert all(f.code != "default-reached" for f in report.findings)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ignore": ["no-such-code"]}, "unknown finding code 'no-such-code'"),
        ({"solver": "cvc5"}, "unknown solver 'cvc5'"),
        ({"now": datetime(2026, 11, 20, 15)}, "now must be a datetime with a time zone"),
    ],
)
def test_a_wrong_option_is_a_value_error(
    flawed: policylib.Policy, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        lint(flawed, **options)


def test_the_clock_defaults_to_the_first_worked_examples(flawed: policylib.Policy) -> None:
    report = lint(flawed, solver="search", probes=20)
    shown = next(f for f in report.findings if f.request is not None)
    assert shown.request is not None
    assert shown.request["requested_at"] == "2026-11-20T15:00:00-05:00"
    other = lint(flawed, solver="search", probes=20, now=datetime(2027, 3, 1, tzinfo=timezone.utc))
    moved = next(f for f in other.findings if f.request is not None)
    assert moved.request is not None
    assert moved.request["requested_at"].startswith("2027-02-28T19:00:00")


# --------------------------------------------------------------------------- the command


def test_the_command_exits_1_on_errors_and_0_on_warnings_only(
    tmp_path: Path, flawed: policylib.Policy, clean: policylib.Policy
) -> None:
    solver = "z3" if HAS_Z3 else "search"
    flawed_dir = write(tmp_path / "flawed", flawed_files())
    result = CliRunner().invoke(lint_command, [str(flawed_dir), "--solver", solver])
    assert result.exit_code == (1 if HAS_Z3 else 0), result.output
    assert "(default-reached)" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("Tess <&> Co: ")
    gaps_only = CliRunner().invoke(
        lint_command,
        [
            str(flawed_dir),
            "--solver",
            solver,
            "--ignore",
            "never-holds",
            "--ignore",
            "never-decides",
        ],
    )
    assert gaps_only.exit_code == 0, gaps_only.output


def test_the_command_writes_json(tmp_path: Path) -> None:
    root = write(tmp_path / "flawed", flawed_files())
    result = CliRunner().invoke(lint_command, [str(root), "--solver", "search", "--format", "json"])
    data = json.loads(result.output)
    assert data["solver"] == "search"
    assert {f["code"] for f in data["findings"]} <= set(CODES)
    assert all(f["severity"] in ("error", "warning") for f in data["findings"])


def test_the_command_reports_a_broken_pack_in_one_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(lint_command, [str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- properties


_STRATEGIES: dict[int, tuple[Any, st.SearchStrategy[Any]]] = {}


def _space_strategy(policy: policylib.Policy, seed: int = 0) -> tuple[Any, st.SearchStrategy[Any]]:
    """A prover for the pack and a strategy of (kind, choice of slot values), made once."""
    if id(policy) in _STRATEGIES:
        return _STRATEGIES[id(policy)]
    order = {k: policy.engine.rules_for(k) for k in policy.pack.vocabulary.kinds}
    linter = lint_module._Linter(policy, NOW.astimezone(policy.zone), "z3", frozenset(), 1, seed)
    searcher = Searcher(linter.space, linter.observer, order, 1, seed)
    choices = st.fixed_dictionaries(
        {key: st.sampled_from(values) for key, values in searcher.candidates.items()}
    )
    made = (linter, linter.prover), st.tuples(st.sampled_from(sorted(order)), choices)
    _STRATEGIES[id(policy)] = made
    return made


@needs_z3
@pytest.mark.parametrize("pack", ["bundled", "voltaic"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_formulas_say_what_the_engine_derives(pack: str, data: st.DataObject) -> None:
    """For any modelled request the pack accepts, every fact the formulas pin down is the
    fact the engine derives, and the formulas take the request for a valid one."""
    path = None if pack == "bundled" else ROOT / "examples" / "packs" / "voltaic"
    policy = _policies(path)
    (linter, prover), strategy = _space_strategy(policy)
    kind, choice = data.draw(strategy)
    request = linter.space.build(kind, choice)
    seen = linter.observer.observe(request, full=False)
    if seen is None:
        return  # the pack refuses it (a check fails): nothing to compare
    assert prover.valid_for(kind, choice) is True
    said = prover.evaluate(kind, choice, list(policy.engine.facts_for(kind)))
    from policylib.authoring._solver import OPEN

    for name, value in said.items():
        if value is OPEN:
            continue
        assert value == seen.facts.get(name), (name, request)


_LOADED: dict[str, policylib.Policy] = {}


def _policies(path: Path | None) -> policylib.Policy:
    key = str(path)
    if key not in _LOADED:
        _LOADED[key] = policylib.load_policy(path)
    return _LOADED[key]


@settings(max_examples=25, deadline=None)
@given(example=st.integers(min_value=0, max_value=200))
def test_a_worked_example_rebuilt_from_slots_keeps_its_facts(example: int) -> None:
    """The search starts from the worked examples: a rebuilt one says what it said."""
    policy = _policies(None)
    examples = [e for e in policy.pack.examples if "requested_at" in e.request]
    chosen = examples[example % len(examples)]
    linter = lint_module._Linter(policy, NOW.astimezone(policy.zone), "search", frozenset(), 1, 0)
    choice = choice_of(linter.space, chosen.request)
    assert choice is not None
    rebuilt = linter.observer.observe(linter.space.build(str(chosen.request["kind"]), choice))
    original = linter.observer.observe(chosen.request)
    if original is None:
        return  # needs the store's systems (a fact only they can give): not comparable
    assert rebuilt is not None
    for name in ("days_since_delivery", "item_used", "reason", "order_shipped", "delivered"):
        if name in original.facts:
            assert rebuilt.facts.get(name) == original.facts[name], name


def test_a_rebuilt_example_of_two_lines_gives_each_line_its_own_sku() -> None:
    """Regression: skus the pack never tests all read back as one plain identifier, so a
    worked example about two order lines came back as an order the pack refuses (two
    lines, one sku), and the search lost the author's request."""
    policy = _policies(None)
    linter = lint_module._Linter(policy, NOW.astimezone(policy.zone), "search", frozenset(), 1, 0)
    lost = []
    for example in policy.pack.examples:
        choice = choice_of(linter.space, example.request)
        if choice is None or linter.observer.observe(example.request) is None:
            continue
        kind = str(example.request["kind"])
        if linter.observer.observe(linter.space.build(kind, choice)) is None:
            lost.append(example.name)
    assert lost == []
