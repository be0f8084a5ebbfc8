"""The core engine: precedence, three-valued logic, indexing, tracing, thread safety."""

from __future__ import annotations

import dataclasses
import threading
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylib.engine.core import CoreEngine, evaluate_condition
from policylib.engine.protocol import Verdict
from policylib.lang.nodes import (
    All,
    Any_,
    Citation,
    Compare,
    Condition,
    Message,
    Not,
    Outcome,
    Pack,
    Ref,
    Rule,
    comparisons,
    facts_read,
    precedence,
)
from policylib.testing import engine_pack, fact, packs, packs_with_references
from tests.conftest import Goldens

FACTS = {
    "days": fact("days", "integer", "days since delivery", "days"),
    "window": fact("window", "integer", "days in your return window", "days"),
    "opened": fact("opened", "boolean", "whether it was opened"),
    "hygiene": fact("hygiene", "boolean", "whether it is a hygiene item"),
    "category": fact("category", "text", "category"),
    "usual_category": fact("usual_category", "text", "the category you usually buy"),
    "last_category": fact("last_category", "text", "the category you bought last"),
    "tier": fact("tier", "enum", "tier", values=("standard", "plus")),
    "price": fact("price", "money", "price", "currency"),
    "paid": fact("paid", "money", "what you paid", "currency"),
}


def rule(
    rid: str,
    when: Condition,
    outcome: str = "granted",
    priority: int = 0,
    kinds: tuple[str, ...] = ("return",),
) -> Rule:
    return Rule(
        id=rid,
        title=rid,
        kinds=kinds,
        when=when,
        outcome=Outcome(outcome),
        text=Message("text"),
        citation=Citation("returns"),
        priority=priority,
    )


def pack(*rules: Rule, default: str = "denied") -> Pack:
    """The rules in load order (the last tie-breaker of precedence)."""
    numbered = tuple(dataclasses.replace(r, order=i) for i, r in enumerate(rules))
    return engine_pack(FACTS, numbered, default)


def eq(name: str, value: Any) -> Compare:
    return Compare(name, "eq", value)


def lte(name: str, value: Any) -> Compare:
    return Compare(name, "lte", value)


def decided(verdict: Verdict) -> tuple[Outcome, str | None]:
    return verdict.outcome, verdict.rule.id if verdict.rule else None


RETURNS = pack(
    rule("HYG", All((eq("hygiene", True), eq("opened", True))), "denied", priority=50),
    rule("WIN", All((lte("days", 30),)), "granted", priority=10),
    rule("LATE", All((Compare("days", "gt", 30), lte("days", 60))), "partial", priority=10),
)


def test_first_holding_rule_by_priority_decides() -> None:
    engine = CoreEngine(RETURNS)
    verdict = engine.decide("return", {"days": 5, "hygiene": True, "opened": True})
    assert decided(verdict) == (Outcome.DENIED, "HYG")
    verdict = engine.decide("return", {"days": 5, "hygiene": False, "opened": True})
    assert decided(verdict) == (Outcome.GRANTED, "WIN")


def test_outcomes_are_the_outcome_enum() -> None:
    verdict = CoreEngine(RETURNS).decide("return", {"days": 5, "hygiene": False})
    assert verdict.outcome is Outcome.GRANTED
    assert str(verdict.outcome) == "granted"  # what traces and goldens print


def test_no_rule_holds_gives_the_default() -> None:
    verdict = CoreEngine(RETURNS).decide("return", {"days": 90, "hygiene": False, "opened": False})
    assert decided(verdict) == (Outcome.DENIED, None)


def test_unknown_kind_gives_the_default() -> None:
    assert CoreEngine(RETURNS).decide("cancel", {}).outcome is Outcome.DENIED
    assert CoreEngine(RETURNS).trace("cancel", {}).trace == ()


def test_unknown_fact_that_could_change_the_outcome_asks_for_it() -> None:
    verdict = CoreEngine(RETURNS).decide("return", {"days": 5, "hygiene": True})
    assert verdict.outcome is Outcome.NEEDS_INFO
    assert verdict.missing[0] == "opened"
    assert [r.id for r in verdict.blocking] == ["HYG"]
    assert verdict.would_be is Outcome.GRANTED


def test_unknown_fact_that_cannot_change_the_outcome_is_not_asked() -> None:
    # HYG fails on hygiene=False whatever "opened" is: no question needed.
    verdict = CoreEngine(RETURNS).decide("return", {"days": 5, "hygiene": False})
    assert verdict.outcome is Outcome.GRANTED


def test_none_is_unknown_like_a_missing_fact() -> None:
    engine = CoreEngine(RETURNS)
    with_none = engine.decide("return", {"days": 5, "hygiene": True, "opened": None})
    assert with_none == engine.decide("return", {"days": 5, "hygiene": True})


def test_unknown_rule_with_the_same_outcome_does_not_block() -> None:
    same = pack(
        rule("A", All((eq("opened", False),)), "granted", priority=5),
        rule("B", All((lte("days", 30),)), "granted", priority=1),
    )
    assert CoreEngine(same).decide("return", {"days": 3}).outcome is Outcome.GRANTED


def test_unknown_everywhere_blocks_the_default() -> None:
    verdict = CoreEngine(RETURNS).decide("return", {})
    assert verdict.outcome is Outcome.NEEDS_INFO
    assert verdict.missing[0] == "days"  # HYG denies like the default: not blocking


def test_specificity_breaks_priority_ties() -> None:
    p = pack(
        rule("GENERAL", All((lte("days", 30),)), "granted"),
        rule("SPECIFIC", All((lte("days", 30), eq("category", "electronics"))), "partial"),
    )
    verdict = CoreEngine(p).decide("return", {"days": 3, "category": "electronics"})
    assert decided(verdict) == (Outcome.PARTIAL, "SPECIFIC")
    assert [r.id for r in CoreEngine(p).rules_for("return")] == ["SPECIFIC", "GENERAL"]


def test_rules_of_several_kinds_are_compiled_for_each() -> None:
    p = pack(
        rule("BOTH", lte("days", 30), "granted", kinds=("return", "exchange")),
        rule("TIER", eq("tier", "plus"), "partial", priority=5, kinds=("exchange",)),
    )
    engine = CoreEngine(p)
    assert [r.id for r in engine.rules_for("exchange")] == ["TIER", "BOTH"]
    assert engine.facts_for("exchange") == ("tier", "days")
    assert engine.facts_for("cancel") == () and engine.rules_for("cancel") == ()
    assert decided(engine.decide("return", {"days": 3})) == (Outcome.GRANTED, "BOTH")


def test_any_and_not_are_kleene() -> None:
    facts: dict[str, Any] = {"days": 3}
    assert evaluate_condition(Any_((eq("opened", True), lte("days", 30))), facts) is True
    assert evaluate_condition(Any_((eq("opened", True), lte("days", 1))), facts) is None
    assert evaluate_condition(All((eq("opened", True), lte("days", 1))), facts) is False
    assert evaluate_condition(Not(eq("opened", True)), facts) is None
    assert evaluate_condition(Not(lte("days", 1)), facts) is True
    assert evaluate_condition(All(()), facts) is True
    assert evaluate_condition(Any_(()), facts) is False


def test_in_and_not_in() -> None:
    cond = Compare("tier", "in", ("plus",))
    assert evaluate_condition(cond, {"tier": "plus"}) is True
    assert evaluate_condition(Compare("tier", "not_in", ("plus",)), {"tier": "plus"}) is False
    assert evaluate_condition(Compare("tier", "not_in", ()), {"tier": "plus"}) is True
    assert evaluate_condition(Compare("tier", "in", ("plus",)), {}) is None


def test_index_narrows_candidates_but_not_the_answer() -> None:
    rules = [
        rule(f"C-{i}", All((eq("category", f"c{i}"), lte("days", 10 + i % 50))), "granted", 1)
        for i in range(500)
    ]
    rules.append(rule("ANY", All((lte("days", 5),)), "partial", 0))
    engine = CoreEngine(pack(*rules))
    table = engine._tables["return"]
    assert table.index_fact == "category"
    assert len(table.candidates({"category": "c7"})) == 2
    verdict = engine.decide("return", {"category": "c7", "days": 12})
    assert decided(verdict) == (Outcome.GRANTED, "C-7")
    verdict = engine.decide("return", {"category": "zzz", "days": 2})
    assert decided(verdict) == (Outcome.PARTIAL, "ANY")
    # Unknown index fact: every rule is a candidate, and the unknown blocks the partial.
    assert engine.decide("return", {"days": 2}).outcome is Outcome.NEEDS_INFO


def test_trace_records_every_condition_without_short_circuit() -> None:
    verdict = CoreEngine(RETURNS).trace("return", {"days": 45, "hygiene": False, "opened": True})
    assert verdict.trace is not None
    by_id = {r.rule_id: r for r in verdict.trace}
    hyg = by_id["HYG"]
    assert hyg.status == "failed"
    assert [c.status for c in hyg.conditions] == ["failed", "held"]  # second still evaluated
    assert by_id["LATE"].decided and by_id["LATE"].status == "held"
    assert by_id["WIN"].status == "skipped" and not by_id["WIN"].conditions  # ranked below
    assert hyg.conditions[0].label == "whether it is a hygiene item"
    assert by_id["LATE"].outcome is Outcome.PARTIAL


def _trace_text(verdict: Verdict, p: Pack = RETURNS) -> str:
    """A trace as plain text; a comparison with another fact shows its name and value."""
    rules = {r.id: r for r in p.rules}
    lines = [f"outcome: {verdict.outcome}", f"rule: {verdict.rule.id if verdict.rule else '-'}"]
    lines.append(f"missing: {', '.join(verdict.missing) or '-'}")
    for result in verdict.trace or ():
        mark = " <- decided" if result.decided else ""
        lines.append(f"{result.rule_id} [{result.status}]{mark}")
        compares = comparisons(rules[result.rule_id].when) if result.conditions else []
        for cond, c in zip(compares, result.conditions, strict=True):
            required = f"{cond.value} = {c.required!r}" if isinstance(cond.value, Ref) else ""
            lines.append(
                f"  {c.fact} {c.op} {required or repr(c.required)}: actual {c.actual!r} -> "
                f"{c.status}"
            )
    return "\n".join(lines) + "\n"


GOLDEN_CASES = {
    "hygiene_opened": {"days": 6, "hygiene": True, "opened": True},
    "hygiene_unknown": {"days": 6, "hygiene": True},
    "late_window": {"days": 45, "hygiene": False, "opened": False},
    "too_late": {"days": 90, "hygiene": False, "opened": False},
}


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_trace_reads_as_its_golden_file(golden: Goldens, case: str) -> None:
    text = _trace_text(CoreEngine(RETURNS).trace("return", GOLDEN_CASES[case]))
    golden.check(f"engine/{case}.txt", text)


def test_one_engine_from_many_threads_matches_sequential() -> None:
    engine = CoreEngine(RETURNS)
    cases = [
        {"days": d, "hygiene": h, "opened": o}
        for d in range(0, 90, 7)
        for h in (True, False)
        for o in (True, False, None)
    ]
    expected = [decided(engine.trace("return", f)) for f in cases]
    results: list[list[Any]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                results.append([decided(engine.trace("return", f)) for f in cases])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 8 * 50 and all(r == expected for r in results)


def test_decimal_and_int_compare_by_value() -> None:
    p = pack(rule("CHEAP", All((Compare("price", "lte", Decimal("50")),)), "granted"))
    assert CoreEngine(p).decide("return", {"price": Decimal("49.99")}).outcome is Outcome.GRANTED
    assert CoreEngine(p).decide("return", {"price": 50}).outcome is Outcome.GRANTED


# --------------------------------------------------------------------------- fact against fact

IN_WINDOW = Compare("days", "lte", Ref("window"))

AGAINST = pack(
    rule("SAME", eq("category", Ref("usual_category")), "partial", priority=20),
    rule("IN", All((IN_WINDOW, eq("opened", False))), "granted", priority=10),
    rule("OUT", Compare("days", "gt", Ref("window")), "denied", priority=10),
)


@pytest.mark.parametrize(
    ("op", "days", "window", "held"),
    [
        ("eq", 30, 30, True),
        ("eq", 31, 30, False),
        ("ne", 31, 30, True),
        ("lt", 29, 30, True),
        ("lt", 30, 30, False),
        ("lte", 30, 30, True),
        ("lte", 31, 30, False),
        ("gt", 31, 30, True),
        ("gt", 30, 30, False),
        ("gte", 30, 30, True),
        ("gte", 29, 30, False),
    ],
)
def test_a_fact_compares_with_another_facts_value(
    op: str, days: int, window: int, held: bool
) -> None:
    cond = Compare("days", op, Ref("window"))
    assert evaluate_condition(cond, {"days": days, "window": window}) is held
    engine = CoreEngine(pack(rule("R", cond, "granted"), default="denied"))
    outcome = engine.decide("return", {"days": days, "window": window}).outcome
    assert outcome is (Outcome.GRANTED if held else Outcome.DENIED)


@pytest.mark.parametrize(
    "facts", [{"days": 3}, {"window": 30}, {}, {"days": 3, "window": None}, {"days": None}]
)
def test_a_comparison_with_another_fact_is_unknown_when_either_side_is(
    facts: dict[str, Any],
) -> None:
    assert evaluate_condition(IN_WINDOW, facts) is None
    assert evaluate_condition(Not(IN_WINDOW), facts) is None
    engine = CoreEngine(pack(rule("R", IN_WINDOW, "granted")))
    verdict = engine.decide("return", facts)
    assert verdict.outcome is Outcome.NEEDS_INFO
    assert set(verdict.missing) == {n for n in ("days", "window") if facts.get(n) is None}
    assert verdict.would_be is Outcome.DENIED


def test_the_other_fact_is_read_and_asked_for_like_any_fact() -> None:
    engine = CoreEngine(AGAINST)
    read = {"category", "usual_category", "days", "window", "opened"}
    assert set(engine.facts_for("return")) == read
    verdict = engine.decide("return", {"category": "bath", "usual_category": "decor", "days": 5})
    assert verdict.outcome is Outcome.NEEDS_INFO
    assert verdict.missing == ("window", "opened")
    assert [r.id for r in verdict.blocking] == ["IN"]  # OUT denies like the default


def test_a_comparison_with_another_fact_decides_in_precedence_order() -> None:
    engine = CoreEngine(AGAINST)
    known = {"category": "bath", "usual_category": "decor", "opened": False}
    assert decided(engine.decide("return", {**known, "days": 5, "window": 30})) == (
        Outcome.GRANTED,
        "IN",
    )
    assert decided(engine.decide("return", {**known, "days": 31, "window": 30})) == (
        Outcome.DENIED,
        "OUT",
    )
    same = {**known, "usual_category": "bath", "days": 31, "window": 30}
    assert decided(engine.decide("return", same)) == (Outcome.PARTIAL, "SAME")


def test_a_comparison_with_another_fact_is_traced_with_its_value_as_required() -> None:
    facts = {"category": "bath", "usual_category": "decor", "days": 31, "window": 30}
    verdict = CoreEngine(AGAINST).trace("return", {**facts, "opened": False})
    assert verdict.trace is not None
    by_id = {r.rule_id: r for r in verdict.trace}
    same = by_id["SAME"].conditions[0]
    assert (same.fact, same.op, same.required, same.actual, same.status) == (
        "category",
        "eq",
        "decor",
        "bath",
        "failed",
    )
    window = by_id["IN"].conditions[0]
    assert (window.label, window.required, window.actual, window.status) == (
        "days since delivery",
        30,
        31,
        "failed",
    )
    assert by_id["IN"].conditions[1].status == "held"  # no short-circuit here either
    assert by_id["OUT"].decided and by_id["OUT"].conditions[0].status == "held"


@pytest.mark.parametrize(
    ("facts", "required", "actual"),
    [({"days": 31}, None, 31), ({"window": 30}, 30, None), ({}, None, None)],
)
def test_an_unknown_side_is_traced_as_unknown(
    facts: dict[str, Any], required: Any, actual: Any
) -> None:
    verdict = CoreEngine(pack(rule("R", IN_WINDOW, "granted"))).trace("return", facts)
    assert verdict.trace is not None
    (condition,) = verdict.trace[0].conditions
    assert (condition.required, condition.actual, condition.status) == (required, actual, "unknown")
    assert verdict.trace[0].status == "unknown"


def test_trace_of_a_comparison_with_another_fact_reads_as_its_golden_file(
    golden: Goldens,
) -> None:
    facts = {"category": "bath", "usual_category": "decor", "days": 31, "window": 30}
    verdict = CoreEngine(AGAINST).trace("return", facts)
    golden.check("engine/against_window.txt", _trace_text(verdict, AGAINST))


def test_a_comparison_with_another_fact_is_never_an_index_key() -> None:
    # Every rule tests category by eq, but against other facts: no value to index on.
    others = ("usual_category", "last_category")
    refs = pack(
        *(
            rule(f"R-{i}", All((eq("category", Ref(others[i % 2])), lte("days", i))), "granted")
            for i in range(6)
        )
    )
    engine = CoreEngine(refs)
    assert engine._tables["return"].index_fact is None
    facts = {"category": "bath", "usual_category": "decor", "last_category": "bath", "days": 5}
    assert decided(engine.decide("return", facts)) == (Outcome.GRANTED, "R-5")
    # With constants too, the index is built from the constants only, and the rule that
    # compares with another fact is a candidate whatever the category.
    mixed = pack(
        rule("BATH", All((eq("category", "bath"), lte("days", 30))), "granted", 2),
        rule("DECOR", All((eq("category", "decor"), lte("days", 30))), "granted", 2),
        rule("USUAL", All((eq("category", Ref("usual_category")), lte("days", 60))), "partial", 1),
    )
    engine = CoreEngine(mixed)
    table = engine._tables["return"]
    assert table.index_fact == "category"
    assert set(table.by_value) == {"bath", "decor"}
    for category in ("bath", "decor", "kitchen"):
        assert "USUAL" in [c.rule.id for c in table.candidates({"category": category})]
    facts = {"category": "kitchen", "usual_category": "kitchen", "days": 45}
    assert decided(engine.decide("return", facts)) == (Outcome.PARTIAL, "USUAL")


def test_comparing_money_with_money_and_mixed_numbers() -> None:
    p = pack(rule("PAID", Compare("price", "lte", Ref("paid")), "granted"))
    engine = CoreEngine(p)
    assert engine.decide("return", {"price": Decimal("49.99"), "paid": 50}).outcome is (
        Outcome.GRANTED
    )
    assert engine.decide("return", {"price": Decimal("50.01"), "paid": 50}).outcome is (
        Outcome.DENIED
    )


# --------------------------------------------------------------------------- properties

# The values rules compare the facts with, and the facts a request carries.
FACT_VALUES = {
    "days": st.integers(0, 100),
    "window": st.integers(0, 100),
    "opened": st.booleans(),
    "hygiene": st.booleans(),
    "category": st.sampled_from(["bath", "electronics", "decor"]),
    "usual_category": st.sampled_from(["bath", "electronics", "decor"]),
    "last_category": st.sampled_from(["bath", "electronics", "decor"]),
    "tier": st.sampled_from(["standard", "plus"]),
    "price": st.decimals("0", "500", places=2),
    "paid": st.decimals("0", "500", places=2),
}

REFERENCES = (
    ("days", "window"),
    ("window", "days"),
    ("category", "usual_category"),
    ("category", "last_category"),
    ("price", "paid"),
    ("paid", "price"),
)
"""The pairs of facts a rule may compare with each other."""

random_packs = st.one_of(
    packs(FACTS, FACT_VALUES, kinds=(("return",),), defaults=("denied", "escalate")),
    packs_with_references(
        FACTS, FACT_VALUES, REFERENCES, kinds=(("return",),), defaults=("denied", "escalate")
    ),
)

fact_maps = st.fixed_dictionaries({}, optional=FACT_VALUES)


def reference(p: Pack, facts: dict[str, Any]) -> tuple[Outcome, str | None]:
    """The language's semantics, stated as plainly as possible."""
    unknown: list[Rule] = []
    for r in sorted(p.rules, key=precedence):
        result = evaluate_condition(r.when, facts)
        if result is True:
            if any(u.outcome != r.outcome for u in unknown):
                return Outcome.NEEDS_INFO, None
            return r.outcome, r.id
        if result is None:
            unknown.append(r)
    if any(u.outcome != p.default_outcome for u in unknown):
        return Outcome.NEEDS_INFO, None
    return p.default_outcome, None


@given(random_packs, fact_maps)
def test_engine_matches_reference_semantics(p: Pack, facts: dict[str, Any]) -> None:
    assert decided(CoreEngine(p).decide("return", facts)) == reference(p, facts)


@given(random_packs, fact_maps)
def test_trace_never_disagrees_with_decide(p: Pack, facts: dict[str, Any]) -> None:
    engine = CoreEngine(p)
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
        if result.status == "skipped":
            continue
        when = rules[result.rule_id].when
        assert result.status == three[evaluate_condition(when, facts)]
        # One entry per comparison, each with the value it was held against.
        assert len(result.conditions) == len(comparisons(when))
        for cond, entry in zip(comparisons(when), result.conditions, strict=True):
            assert entry.status == three[evaluate_condition(cond, facts)]
            if isinstance(cond.value, Ref):
                assert entry.required == facts.get(cond.value.fact)
            else:
                assert entry.required == cond.value


@given(random_packs, fact_maps)
def test_needs_info_names_a_missing_fact_of_a_blocking_rule(p: Pack, facts: dict[str, Any]) -> None:
    verdict = CoreEngine(p).decide("return", facts)
    if verdict.outcome is Outcome.NEEDS_INFO:
        assert verdict.missing and verdict.missing[0] not in facts
        assert verdict.missing[0] in facts_read(verdict.blocking[0].when)


@given(random_packs, fact_maps)
def test_same_input_same_output(p: Pack, facts: dict[str, Any]) -> None:
    a, b = CoreEngine(p), CoreEngine(p)
    assert a.decide("return", facts) == b.decide("return", dict(facts))
    assert a.trace("return", facts) == b.trace("return", dict(facts))
