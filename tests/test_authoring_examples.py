"""Worked examples as tests: what an example may state (loaded and checked against the
pack), how it is run and reported, and what the examples cover."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policylib
from policylib.authoring.coverage import Coverage, measure_coverage
from policylib.authoring.examples import (
    ExampleResult,
    deciding_rule,
    matches,
    run_example,
    run_examples,
)
from policylib.errors import PolicyError, Problem, RuleError
from policylib.lang.nodes import Example, Outcome, comparisons
from policylib.load import load_pack
from policylib.output.decision import Decision
from tests import ROOT
from tests.packs import SMALL_PACK

_REQUEST = """\
{{"kind": "{kind}", {reason}"requested_at": "2026-11-20T15:00:00-05:00",
 "customer": {{"name": "Ana"}},
 "order": {{"id": "A1", "placed_at": "2026-08-01T10:00:00-05:00", "status": "delivered",
   "delivered_at": "{delivered}T10:00:00-05:00",
   "items": [{{"sku": "S1", "name": "Lamp", "category": "lighting", "price": 40{condition}}}]}}}}
"""


def request_text(
    kind: str = "return",
    reason: str = "",
    delivered: str = "2026-11-05",
    condition: str = "unopened",
) -> str:
    return _REQUEST.format(
        kind=kind,
        reason=f'"reason": "{reason}", ' if reason else "",
        delivered=delivered,
        condition=f', "condition": "{condition}"' if condition else "",
    )


EXAMPLES = """\
examples:
  - name: unused lamp
    rule: RET-001
    outcome: granted
    offers: []
    says: [return the LAMP]
    request_file: examples/fresh.json
  - name: late lamp
    rule: RET-002
    outcome: denied
    offers: [supervisor_review]
    request_file: examples/late.json
  - name: lamp in unknown condition
    outcome: needs_info
    question: item_used
    request_file: examples/unknown.json
  - name: late defective lamp
    outcome: denied
    request_file: examples/late_defective.json
"""

_AREA = SMALL_PACK["returns.yaml"][: SMALL_PACK["returns.yaml"].index("examples:")]

EXAMPLE_PACK = {
    **SMALL_PACK,
    "policy.yaml": SMALL_PACK["policy.yaml"].replace(
        """  outcome: escalate
  text: "A member of our team will look at your { $item_name } request personally."
""",
        """  outcome: denied
  text: "We can't take the { $item_name } back."
""",
    ),
    "returns.yaml": _AREA + EXAMPLES,
    "examples/unknown.json": request_text(condition=""),
    "examples/late_defective.json": request_text(reason="defective", delivered="2026-09-05"),
}
"""SMALL_PACK, its default a denial, with four examples: granted by RET-001 (day 15),
denied by RET-002 (day 76), needs_info (no condition), and denied by the default (day 76,
defective: neither rule holds)."""


def write_pack(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def with_examples(examples: str) -> dict[str, str]:
    return {**EXAMPLE_PACK, "returns.yaml": _AREA + examples}


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[Problem]:
    with pytest.raises(RuleError) as info:
        load_pack(write_pack(tmp_path / "pack", files))
    return list(info.value.problems)


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> policylib.Policy:
    return policylib.load_policy(write_pack(tmp_path_factory.mktemp("pack"), EXAMPLE_PACK))


def example(policy: policylib.Policy, name: str, **changes: object) -> Example:
    found = next(e for e in policy.pack.examples if e.name == name)
    return replace(found, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- loading


def test_expectations_are_read(policy: policylib.Policy) -> None:
    unused, late, unknown, default = policy.pack.examples
    assert unused.offers == () and unused.says == ("return the LAMP",)
    assert late.offers == ("supervisor_review",) and late.question == ""
    assert unknown.question == "item_used" and unknown.offers is None
    assert default.says == () and default.never_says == ()


def test_a_single_phrase_is_a_list_of_one(tmp_path: Path) -> None:
    files = with_examples(EXAMPLES.replace("says: [return the LAMP]", "says: return the lamp"))
    pack = load_pack(write_pack(tmp_path / "pack", files))
    assert pack.examples[0].says == ("return the lamp",)


def test_the_bundled_examples_state_offers_questions_and_phrases(
    bundled_pack: policylib.Pack,
) -> None:
    stated = [e for e in bundled_pack.examples if e.offers is not None or e.question or e.says]
    assert len(stated) >= 5
    seat = next(e for e in bundled_pack.examples if e.name.startswith("toilet seat return"))
    assert seat.question == "item_opened"


def test_an_unknown_offer_kind_is_a_problem_at_the_item(tmp_path: Path) -> None:
    files = with_examples(EXAMPLES.replace("offers: [supervisor_review]", "offers: [store_credt]"))
    (problem,) = problems_of(tmp_path, files)
    assert problem.code == "unknown-kind"
    assert problem.where == "returns.yaml:44:14"
    assert "'store_credt'" in problem.message
    assert problem.hint == "did you mean 'store_credit'?"


def test_an_unknown_question_fact_is_a_problem_with_a_suggestion(tmp_path: Path) -> None:
    files = with_examples(EXAMPLES.replace("question: item_used", "question: item_usd"))
    (problem,) = problems_of(tmp_path, files)
    assert problem.code == "unknown-fact"
    assert problem.where == "returns.yaml:48:15"
    assert problem.hint == "did you mean 'item_used'?"


def test_a_question_about_a_fact_nobody_is_asked_is_a_problem(tmp_path: Path) -> None:
    files = with_examples(EXAMPLES.replace("question: item_used", "question: reason"))
    (problem,) = problems_of(tmp_path, files)
    assert problem.code == "unknown-fact"
    assert "no question" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "outcome: granted\n    offers: []",
            "outcome: granted\n    question: item_used\n    offers: []",
            "must have outcome needs_info, not granted",
        ),
        ("offers: [supervisor_review]", "offers: []", "denied example always offers"),
        (
            "question: item_used",
            "question: item_used\n    offers: [exchange]",
            "needs_info offers nothing",
        ),
        (
            "says: [return the LAMP]",
            "says: [return the LAMP]\n    never_says: [Return the lamp]",
            "both says and never says",
        ),
    ],
    ids=[
        "question-without-needs-info",
        "denial-offering-nothing",
        "offers-with-a-question",
        "says-and-never",
    ],
)
def test_expectations_that_contradict_the_outcome_are_problems(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    files = with_examples(EXAMPLES.replace(old, new, 1))
    (problem,) = problems_of(tmp_path, files)
    assert problem.code == "not-allowed"
    assert said in problem.message
    assert problem.where.startswith("returns.yaml:")


def test_a_misspelled_expectation_key_is_a_problem(tmp_path: Path) -> None:
    files = with_examples(EXAMPLES.replace("says:", "sayz:"))
    (problem,) = problems_of(tmp_path, files)
    assert problem.code == "unknown-key"
    assert problem.hint == "did you mean 'says'?"


# --------------------------------------------------------------------------- running


def test_the_examples_of_the_small_pack_pass(policy: policylib.Policy) -> None:
    results = run_examples(policy)
    assert [r.passed for r in results] == [True] * 4
    assert [r.rule for r in results] == ["RET-001", "RET-002", "RET-001", ""]


def test_a_contradicted_outcome_and_rule_fail_with_expected_and_actual(
    policy: policylib.Policy,
) -> None:
    result = run_example(
        policy, example(policy, "unused lamp", outcome=Outcome.DENIED, rule="RET-002")
    )
    assert not result.passed
    assert result.failures == (
        "outcome: expected denied, got granted",
        "rule: expected RET-002 to decide, got RET-001",
    )
    report = result.report().splitlines()
    assert report[0] == "returns.yaml:35: unused lamp"
    assert "  RET-001 (deciding rule): held -> granted" in report
    assert (
        "    days since your order arrived [days_since_delivery] lte 30: actual 15, held" in report
    )
    assert "  RET-002 (expected rule): failed -> denied" in report


def test_the_default_outcome_is_decided_by_no_rule(policy: policylib.Policy) -> None:
    result = run_example(policy, example(policy, "late defective lamp", rule="RET-001"))
    assert result.failures == (
        "rule: expected RET-001 to decide, got no rule (the pack's default)",
    )
    assert "decided by the pack's default: no rule held" in result.report()
    assert result.decision is not None and deciding_rule(result.decision) == ""


@pytest.mark.parametrize(
    ("request_patch", "field"),
    [
        ({"kind": "teleport"}, "kind"),
        ({"colour": "red"}, "colour"),
        ({"customer": {"name": "Ana", "tier": "gold"}}, "customer.tier"),
    ],
    ids=["unknown-kind", "unknown-key", "unknown-tier"],
)
def test_an_invalid_request_fails_naming_the_field(
    policy: policylib.Policy, request_patch: dict[str, object], field: str
) -> None:
    base = example(policy, "unused lamp")
    result = run_example(policy, replace(base, request={**base.request, **request_patch}))
    assert result.decision is None and not result.passed
    assert any(f.startswith(f"request: {field}: ") for f in result.failures), result.failures
    assert result.error.startswith("the request has")
    assert field in result.report()
    assert result.rule == ""


def test_the_pinned_clock_wins_over_the_requests_own(policy: policylib.Policy) -> None:
    late = replace(example(policy, "unused lamp"), now="2026-12-20T15:00:00-05:00")
    request = {**late.request, "reason": "changed_mind"}
    result = run_example(policy, replace(late, request=request, rule="", offers=None))
    assert result.decision is not None
    assert result.decision.outcome is Outcome.DENIED  # day 45, not day 15


def test_an_example_built_in_code_with_a_bad_clock_fails_without_a_traceback(
    policy: policylib.Policy,
) -> None:
    result = run_example(policy, example(policy, "unused lamp", now="yesterday"))
    assert result.failures == (
        "now: now `yesterday` is not a date-time like 2026-11-20T15:00:00-05:00",
    )
    assert result.report().splitlines()[1] == f"  {result.failures[0]}"


@pytest.mark.parametrize(
    ("name", "changes", "failure"),
    [
        (
            "late lamp",
            {"offers": ("store_credit",)},
            "offers: expected store_credit among the offers, got supervisor_review",
        ),
        ("late defective lamp", {"offers": ()}, "offers: expected none, got supervisor_review"),
        (
            "lamp in unknown condition",
            {"question": "reason"},
            "question: expected a question about reason, got item_used",
        ),
        (
            "late lamp",
            {"question": "item_used"},
            "question: expected a question about item_used, got none",
        ),
        ("unused lamp", {"says": ("sorry",)}, "says: expected the explanation to say 'sorry'"),
        ("unused lamp", {"never_says": ("$40.00",)}, "never_says: the explanation says '$40.00'"),
    ],
    ids=[
        "missing-offer",
        "unexpected-offer",
        "other-question",
        "no-question",
        "says",
        "never-says",
    ],
)
def test_stated_offers_questions_and_phrases_fail_when_they_do_not_hold(
    policy: policylib.Policy, name: str, changes: dict[str, object], failure: str
) -> None:
    passing = run_example(policy, example(policy, name))
    assert passing.passed, passing.failures
    result = run_example(policy, example(policy, name, **changes))
    assert result.failures == (failure,)


def test_phrases_match_in_any_case(policy: policylib.Policy) -> None:
    result = run_example(policy, example(policy, "unused lamp", says=("RETURN THE lamp",)))
    assert result.passed


class _Stripped(policylib.Policy):
    """A policy whose decisions lose their alternatives and questions: what the built-in
    checks of every example are there to catch."""

    def evaluate(self, request: object, now: datetime | None = None) -> Decision:
        decision = super().evaluate(request, now)
        return decision.model_copy(update={"alternatives": [], "questions": []})


@pytest.mark.parametrize(
    ("name", "failure"),
    [
        ("late lamp", "offers: a denial must offer an alternative or a review, got none"),
        ("lamp in unknown condition", "question: needs_info asks exactly one question, got 0"),
    ],
)
def test_every_denial_offers_and_every_question_is_asked(
    policy: policylib.Policy, name: str, failure: str
) -> None:
    stripped = _Stripped(policy.pack)
    one = example(policy, name, offers=None, question="")
    assert run_example(stripped, one).failures == (failure,)


def test_an_order_of_several_items_is_decided_by_the_first_items_rule(
    policy: policylib.Policy,
) -> None:
    base = example(policy, "unused lamp")
    order = dict(base.request["order"])  # type: ignore[arg-type]
    used = {"sku": "S2", "name": "Vase", "category": "decor", "price": 20, "condition": "used"}
    order["items"] = [*order["items"], used]
    several = replace(
        base, request={**base.request, "order": order}, outcome=Outcome.PARTIAL, offers=None
    )
    result = run_example(policy, several)
    assert result.decision is not None  # the lamp by RET-001, the used vase by the default
    assert [t.rule_id for t in result.decision.trace if t.decided] == ["RET-001"]
    assert result.rule == "RET-001" and result.passed, result.failures
    other = run_example(policy, replace(several, rule="RET-002"))
    assert other.failures == ("rule: expected RET-002 to decide, got RET-001",)


def test_every_example_of_both_packs_passes(
    bundled_policy: policylib.Policy, voltaic_policy: policylib.Policy
) -> None:
    for policy in (bundled_policy, voltaic_policy):
        failed = [r.report() for r in run_examples(policy) if not r.passed]
        assert not failed, "\n\n".join(failed)


# --------------------------------------------------------------------------- selecting


def test_select_is_a_case_insensitive_phrase_with_and_or_not(policy: policylib.Policy) -> None:
    def names(select: str) -> list[str]:
        return [r.example.name for r in run_examples(policy, select)]

    assert names("LATE lamp") == ["late lamp"]
    assert names("late and not defective") == ["late lamp"]
    assert names("unused or unknown") == ["unused lamp", "lamp in unknown condition"]
    assert names("not (late or unused)") == ["lamp in unknown condition"]


@pytest.mark.parametrize("bad", ["", "late and", "(late", "late )", "not"])
def test_a_malformed_select_is_a_policy_error(bad: str) -> None:
    with pytest.raises(PolicyError, match="-k"):
        matches(bad)


_WORD = st.text(alphabet="abcdefgh", min_size=1, max_size=4).filter(
    lambda w: w not in ("and", "or", "not")
)


@given(name=st.lists(_WORD, min_size=1, max_size=5).map(" ".join), a=_WORD, b=_WORD)
def test_select_combines_like_boolean_logic(name: str, a: str, b: str) -> None:
    has_a, has_b = a in name, b in name
    assert matches(a)(name) is has_a
    assert matches(f"not {a}")(name) is not has_a
    assert matches(f"{a} and {b}")(name) is (has_a and has_b)
    assert matches(f"{a} or {b}")(name) is (has_a or has_b)
    assert matches(f"not ({a} or {b})")(name) is not (has_a or has_b)
    assert matches(name.upper())(name)  # the whole name, any case, always matches


# --------------------------------------------------------------------------- coverage


def test_coverage_of_the_small_pack_is_exact(policy: policylib.Policy) -> None:
    """By hand: RET-001 decides "unused lamp", RET-002 "late lamp". Of the five
    comparisons, RET-001's item_used never fails and RET-002's item_used never holds.
    RET-002's store credit is never granted on re-check (the rule denies it too); its
    review path and the pack's fallback (the default's escalation) are offered. The one
    fact with a question is asked once."""
    coverage = measure_coverage(policy, run_examples(policy))
    tallies = {name: (t.covered, t.total) for name, t in coverage.tallies.items()}
    assert tallies == {"rules": (2, 2), "conditions": (3, 5), "offers": (2, 3), "questions": (1, 1)}
    assert coverage.tallies["conditions"].percent == 60.0
    assert coverage.uncovered() == [
        "returns.yaml:9:11: rule RET-001 condition 2 (item_used eq false) never failed "
        "(seen held, unknown)",
        "returns.yaml:22:15: rule RET-002 condition 2 (item_used eq true) never held "
        "(seen failed, unknown)",
        "returns.yaml:29:9: rule RET-002 offer store_credit is never offered",
    ]
    reason = next(c for c in coverage.conditions if c.fact == "reason")
    assert (reason.held, reason.failed, reason.unknown) == (True, True, True)


def test_coverage_counts_only_the_examples_given(policy: policylib.Policy) -> None:
    coverage = measure_coverage(policy, run_examples(policy, "unused"))
    assert coverage.examples == 1
    assert [r.rule_id for r in coverage.rules if r.covered] == ["RET-001"]
    assert coverage.tallies["questions"].covered == 0
    assert coverage.tallies["offers"].covered == 0


def test_coverage_as_json(policy: policylib.Policy) -> None:
    data = json.loads(json.dumps(measure_coverage(policy, run_examples(policy)).to_dict()))
    assert data["examples"] == 4
    assert data["conditions"]["percent"] == 60.0
    first = data["conditions"]["items"][0]
    assert first == {
        "file": "returns.yaml",
        "line": 8,
        "col": 11,
        "rule": "RET-001",
        "index": 0,
        "fact": "days_since_delivery",
        "op": "lte",
        "value": "30",
        "held": True,
        "failed": True,
        "unknown": False,
        "covered": True,
    }
    fallback = data["offers"]["items"][-1]
    assert fallback["rule"] is None and fallback["offered"] == 1


def test_refused_requests_count_but_cover_nothing(policy: policylib.Policy) -> None:
    base = example(policy, "unused lamp")
    refused = run_example(policy, replace(base, request={**base.request, "kind": "teleport"}))
    coverage = measure_coverage(policy, [refused])
    assert coverage.examples == 1
    assert all(t.covered == 0 for t in coverage.tallies.values())


INDEXED = {
    **EXAMPLE_PACK,
    "exchanges.yaml": """\
section: returns
rules:
  - id: EXC-001
    title: Defective exchanges
    kinds: [exchange]
    when: {reason: defective}
    outcome: granted
    text: "We'll swap the { $item_name }."
    citation: {section: returns}
  - id: EXC-002
    title: Wrong items
    kinds: [exchange]
    when: {reason: wrong_item}
    outcome: granted
    text: "We'll swap the { $item_name } for the right one."
    citation: {section: returns}
examples:
  - name: defective lamp exchanged late
    rule: EXC-001
    outcome: granted
    request_file: examples/defective.json
  - name: wrong lamp exchanged late
    rule: EXC-002
    outcome: granted
    request_file: examples/wrong.json
""",
    "examples/defective.json": request_text("exchange", "defective", "2026-09-05"),
    "examples/wrong.json": request_text("exchange", "wrong_item", "2026-09-05"),
}
"""Two exchange rules the engine indexes on ``reason``: a request never traces the other."""


def test_a_rule_the_index_left_out_counts_its_equality_as_failed(tmp_path: Path) -> None:
    policy = policylib.load_policy(write_pack(tmp_path / "pack", INDEXED))
    results = run_examples(policy, "exchanged")
    traced = {t.rule_id for r in results if r.decision for t in r.decision.trace}
    assert traced == {"RET-001", "EXC-001", "EXC-002"}
    for result in results:  # each request traces only the rule of its own reason
        assert result.decision is not None
        assert {t.rule_id for t in result.decision.trace} == {"RET-001", result.rule}
    coverage = measure_coverage(policy, results)
    seen = {c.rule_id: (c.held, c.failed) for c in coverage.conditions if c.fact == "reason"}
    assert seen == {"RET-002": (False, False), "EXC-001": (True, True), "EXC-002": (True, True)}


def test_trace_conditions_line_up_with_comparisons(bundled_policy: policylib.Policy) -> None:
    """What coverage relies on: a traced rule lists one entry per comparison, in order."""
    rules = {rule.id: rule for rule in bundled_policy.rules}
    checked = 0
    for result in run_examples(bundled_policy):
        assert result.decision is not None
        for entry in result.decision.trace:
            if entry.status == "skipped":
                continue
            expected = [c.fact for c in comparisons(rules[entry.rule_id].when)]
            assert [c.fact for c in entry.conditions] == expected, entry.rule_id
            checked += 1
    assert checked > 100


@pytest.fixture(scope="module")
def bundled_results(bundled_policy: policylib.Policy) -> list[ExampleResult]:
    return run_examples(bundled_policy)


@given(data=st.data())
def test_coverage_of_fewer_examples_is_never_more(
    bundled_policy: policylib.Policy, bundled_results: list[ExampleResult], data: st.DataObject
) -> None:
    subset = data.draw(st.lists(st.sampled_from(bundled_results), max_size=20, unique_by=id))
    part: Coverage = measure_coverage(bundled_policy, subset)
    whole = measure_coverage(bundled_policy, bundled_results)
    for name, tally in part.tallies.items():
        assert 0 <= tally.covered <= whole.tallies[name].covered <= tally.total
        assert 0.0 <= tally.percent <= 100.0
        items = zip(getattr(part, name), getattr(whole, name), strict=True)  # pack order
        assert all(item.covered <= of_all.covered for item, of_all in items)


@pytest.fixture(scope="module")
def voltaic_policy() -> policylib.Policy:
    return policylib.load_policy(ROOT / "examples" / "packs" / "voltaic")
