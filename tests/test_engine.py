"""The core engine: precedence, three-valued logic, indexing, tracing, thread safety."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylib.engine import Engine, evaluate_condition
from policylib.language import (
    All,
    Any_,
    Citation,
    Compare,
    Condition,
    FactDef,
    Message,
    Not,
    Pack,
    Rule,
    Store,
)
from tests.conftest import Goldens
from tests.strategies import packs

FACTS = {
    "days": FactDef("days", "integer", "days since delivery", "days_since_delivery", "days"),
    "opened": FactDef("opened", "boolean", "whether it was opened", "item_opened"),
    "hygiene": FactDef("hygiene", "boolean", "whether it is a hygiene item", "item_hygiene"),
    "category": FactDef("category", "text", "category", "item_category"),
    "tier": FactDef("tier", "enum", "tier", "customer_tier", values=("standard", "plus")),
    "price": FactDef("price", "money", "price", "item_price", "currency"),
}


def rule(
    rid: str,
    when: Condition,
    outcome: str = "granted",
    priority: int = 0,
    kinds: tuple[str, ...] = ("return",),
    order: int = 0,
) -> Rule:
    return Rule(
        id=rid,
        title=rid,
        kinds=kinds,
        when=when,
        outcome=outcome,
        text=Message("text"),
        citation=Citation("returns"),
        priority=priority,
        order=order,
    )


def pack(*rules: Rule, default: str = "denied") -> Pack:
    numbered = tuple(
        Rule(**{**{f: getattr(r, f) for f in r.__slots__}, "order": i})  # type: ignore[arg-type]
        for i, r in enumerate(rules)
    )
    return Pack(Store("Test"), FACTS, numbered, default, Message("default"))


def eq(fact: str, value: Any) -> Compare:
    return Compare(fact, "eq", value)


def lte(fact: str, value: Any) -> Compare:
    return Compare(fact, "lte", value)


RETURNS = pack(
    rule("HYG", All((eq("hygiene", True), eq("opened", True))), "denied", priority=50),
    rule("WIN", All((lte("days", 30),)), "granted", priority=10),
    rule("LATE", All((Compare("days", "gt", 30), lte("days", 60))), "partial", priority=10),
)


def test_first_holding_rule_by_priority_decides() -> None:
    engine = Engine(RETURNS)
    verdict = engine.decide("return", {"days": 5, "hygiene": True, "opened": True})
    assert (verdict.outcome, verdict.rule and verdict.rule.id) == ("denied", "HYG")
    verdict = engine.decide("return", {"days": 5, "hygiene": False, "opened": True})
    assert (verdict.outcome, verdict.rule and verdict.rule.id) == ("granted", "WIN")


def test_no_rule_holds_gives_the_default() -> None:
    verdict = Engine(RETURNS).decide("return", {"days": 90, "hygiene": False, "opened": False})
    assert verdict.outcome == "denied" and verdict.rule is None


def test_unknown_kind_gives_the_default() -> None:
    assert Engine(RETURNS).decide("cancel", {}).outcome == "denied"


def test_unknown_fact_that_could_change_the_outcome_asks_for_it() -> None:
    verdict = Engine(RETURNS).decide("return", {"days": 5, "hygiene": True})
    assert verdict.outcome == "needs_info"
    assert verdict.missing[0] == "opened"
    assert [r.id for r in verdict.blocking] == ["HYG"]
    assert verdict.would_be == "granted"


def test_unknown_fact_that_cannot_change_the_outcome_is_not_asked() -> None:
    # HYG fails on hygiene=False whatever "opened" is: no question needed.
    verdict = Engine(RETURNS).decide("return", {"days": 5, "hygiene": False})
    assert verdict.outcome == "granted"


def test_unknown_rule_with_the_same_outcome_does_not_block() -> None:
    same = pack(
        rule("A", All((eq("opened", False),)), "granted", priority=5),
        rule("B", All((lte("days", 30),)), "granted", priority=1),
    )
    assert Engine(same).decide("return", {"days": 3}).outcome == "granted"


def test_unknown_everywhere_blocks_the_default() -> None:
    verdict = Engine(RETURNS).decide("return", {})
    assert verdict.outcome == "needs_info"
    assert verdict.missing[0] == "days"  # HYG denies like the default: not blocking


def test_specificity_breaks_priority_ties() -> None:
    p = pack(
        rule("GENERAL", All((lte("days", 30),)), "granted"),
        rule("SPECIFIC", All((lte("days", 30), eq("category", "electronics"))), "partial"),
    )
    verdict = Engine(p).decide("return", {"days": 3, "category": "electronics"})
    assert verdict.rule is not None and verdict.rule.id == "SPECIFIC"


def test_any_and_not_are_kleene() -> None:
    facts: dict[str, Any] = {"days": 3}
    assert evaluate_condition(Any_((eq("opened", True), lte("days", 30))), facts) is True
    assert evaluate_condition(Any_((eq("opened", True), lte("days", 1))), facts) is None
    assert evaluate_condition(All((eq("opened", True), lte("days", 1))), facts) is False
    assert evaluate_condition(Not(eq("opened", True)), facts) is None
    assert evaluate_condition(Not(lte("days", 1)), facts) is True


def test_in_and_not_in() -> None:
    cond = Compare("tier", "in", ("plus",))
    assert evaluate_condition(cond, {"tier": "plus"}) is True
    assert evaluate_condition(Compare("tier", "not_in", ("plus",)), {"tier": "plus"}) is False


def test_index_narrows_candidates_but_not_the_answer() -> None:
    rules = [
        rule(f"C-{i}", All((eq("category", f"c{i}"), lte("days", 10 + i % 50))), "granted", 1)
        for i in range(500)
    ]
    rules.append(rule("ANY", All((lte("days", 5),)), "partial", 0))
    engine = Engine(pack(*rules))
    table = engine._tables["return"]
    assert table.index_fact == "category"
    assert len(table.candidates({"category": "c7"})) == 2
    verdict = engine.decide("return", {"category": "c7", "days": 12})
    assert verdict.rule is not None and verdict.rule.id == "C-7"
    verdict = engine.decide("return", {"category": "zzz", "days": 2})
    assert verdict.rule is not None and verdict.rule.id == "ANY"
    # Unknown index fact: every rule is a candidate, and the unknown blocks the partial.
    assert engine.decide("return", {"days": 2}).outcome == "needs_info"


def test_trace_records_every_condition_without_short_circuit() -> None:
    verdict = Engine(RETURNS).trace("return", {"days": 45, "hygiene": False, "opened": True})
    assert verdict.trace is not None
    by_id = {r.rule_id: r for r in verdict.trace}
    hyg = by_id["HYG"]
    assert hyg.status == "failed"
    assert [c.status for c in hyg.conditions] == ["failed", "held"]  # second still evaluated
    assert by_id["LATE"].decided and by_id["LATE"].status == "held"
    assert by_id["WIN"].status == "skipped" and not by_id["WIN"].conditions  # ranked below


def _trace_text(verdict: Any) -> str:
    lines = [f"outcome: {verdict.outcome}", f"rule: {verdict.rule.id if verdict.rule else '-'}"]
    lines.append(f"missing: {', '.join(verdict.missing) or '-'}")
    for result in verdict.trace:
        mark = " <- decided" if result.decided else ""
        lines.append(f"{result.rule_id} [{result.status}]{mark}")
        for c in result.conditions:
            lines.append(f"  {c.fact} {c.op} {c.required!r}: actual {c.actual!r} -> {c.status}")
    return "\n".join(lines) + "\n"


GOLDEN_CASES = {
    "hygiene_opened": {"days": 6, "hygiene": True, "opened": True},
    "hygiene_unknown": {"days": 6, "hygiene": True},
    "late_window": {"days": 45, "hygiene": False, "opened": False},
    "too_late": {"days": 90, "hygiene": False, "opened": False},
}


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_trace_reads_as_its_golden_file(golden: Goldens, case: str) -> None:
    text = _trace_text(Engine(RETURNS).trace("return", GOLDEN_CASES[case]))
    golden.check(f"engine/{case}.txt", text)


def test_one_engine_from_many_threads_matches_sequential() -> None:
    engine = Engine(RETURNS)
    cases = [
        {"days": d, "hygiene": h, "opened": o}
        for d in range(0, 90, 7)
        for h in (True, False)
        for o in (True, False, None)
    ]
    expected = [
        (v.outcome, v.rule and v.rule.id) for v in map(lambda f: engine.trace("return", f), cases)
    ]
    results: list[list[Any]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                got = [
                    (v.outcome, v.rule and v.rule.id)
                    for v in (engine.trace("return", f) for f in cases)
                ]
                results.append(got)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == expected for r in results)


# --------------------------------------------------------------------------- properties

# The values rules compare the facts with, and the facts a request carries.
FACT_VALUES = {
    "days": st.integers(0, 100),
    "opened": st.booleans(),
    "hygiene": st.booleans(),
    "category": st.sampled_from(["bath", "electronics", "decor"]),
    "tier": st.sampled_from(["standard", "plus"]),
    "price": st.decimals("0", "500", places=2),
}


random_packs = packs(FACTS, FACT_VALUES, defaults=("denied", "escalate"))

fact_maps = st.fixed_dictionaries({}, optional=FACT_VALUES)


def reference(p: Pack, facts: dict[str, Any]) -> tuple[str, str | None]:
    """The language's semantics, stated as plainly as possible."""
    ordered = sorted(p.rules, key=lambda r: (-r.priority, -r.specificity, r.order))
    unknown: list[Rule] = []
    for r in ordered:
        result = evaluate_condition(r.when, facts)
        if result is True:
            if any(u.outcome != r.outcome for u in unknown):
                return "needs_info", None
            return r.outcome, r.id
        if result is None:
            unknown.append(r)
    if any(u.outcome != p.default_outcome for u in unknown):
        return "needs_info", None
    return p.default_outcome, None


@given(random_packs, fact_maps)
def test_engine_matches_reference_semantics(p: Pack, facts: dict[str, Any]) -> None:
    engine = Engine(p)
    verdict = engine.decide("return", facts)
    assert (verdict.outcome, verdict.rule.id if verdict.rule else None) == reference(p, facts)


@given(random_packs, fact_maps)
def test_trace_never_disagrees_with_decide(p: Pack, facts: dict[str, Any]) -> None:
    engine = Engine(p)
    fast, traced = engine.decide("return", facts), engine.trace("return", facts)
    assert (fast.outcome, fast.rule, fast.missing) == (traced.outcome, traced.rule, traced.missing)
    assert traced.trace is not None
    assert sum(r.decided for r in traced.trace) == (1 if traced.rule else 0)
    statuses = [r.status for r in traced.trace]
    if traced.rule is not None:  # everything after the deciding rule is skipped
        cut = statuses.index("held") + 1
        assert statuses[cut:] == ["skipped"] * (len(statuses) - cut)
    three = {True: "held", False: "failed", None: "unknown"}
    rules = {r.id: r for r in p.rules}
    for result in traced.trace:
        if result.status != "skipped":
            assert result.status == three[evaluate_condition(rules[result.rule_id].when, facts)]


@given(random_packs, fact_maps)
def test_needs_info_names_a_missing_fact_of_a_blocking_rule(p: Pack, facts: dict[str, Any]) -> None:
    verdict = Engine(p).decide("return", facts)
    if verdict.outcome == "needs_info":
        assert verdict.missing and verdict.missing[0] not in facts
        first = verdict.blocking[0]
        assert any(c.fact == verdict.missing[0] for c in _compares(first.when))


def _compares(cond: Condition) -> list[Compare]:
    from policylib.language import comparisons

    return comparisons(cond)


@given(random_packs, fact_maps)
def test_same_input_same_output(p: Pack, facts: dict[str, Any]) -> None:
    a, b = Engine(p), Engine(p)
    assert a.decide("return", facts) == b.decide("return", dict(facts))


def test_decimal_and_int_compare_by_value() -> None:
    p = pack(rule("CHEAP", All((Compare("price", "lte", Decimal("50")),)), "granted"))
    assert Engine(p).decide("return", {"price": Decimal("49.99")}).outcome == "granted"
