"""Tests of the durable_rules backend, run in a subprocess by ``tests/test_durable.py``.

durable_rules' C core can crash the interpreter, so these tests never run inside the main
pytest process: the file name lacks the ``test_`` prefix (pytest does not collect it) and
``test_durable.py`` runs ``python -m pytest tests/durable_differential.py`` in a child
process, asserting it exits cleanly. Run it directly the same way when debugging.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import policylib
from policylib.engine import durable as durable_backend
from policylib.engine.core import CoreEngine
from policylib.engine.durable import MAX_DURABLE_RULES, DurableEngine
from policylib.engine.protocol import Verdict
from policylib.errors import BackendError
from policylib.lang.nodes import (
    All,
    Any_,
    Citation,
    Compare,
    Condition,
    FactDef,
    Message,
    Not,
    Outcome,
    Pack,
    Ref,
    Rule,
    comparisons,
)
from policylib.testing import engine_pack, fact, packs, packs_with_references
from tests.requests import NOW, any_request

pytest.importorskip("durable_rules_engine", reason="durable_rules is not installed")

FACTS: dict[str, FactDef] = {
    "opened": fact("opened", "boolean", "the item was opened"),
    "defective": fact("defective", "boolean", "the item is defective"),
    "days": fact("days", "integer", "days since delivery", "days"),
    "window": fact("window", "integer", "days in the return window", "days"),
    "count": fact("count", "integer", "items in the order"),
    "category": fact("category", "enum", "item category", values=("apparel", "books", "tech")),
    "usual": fact("usual", "enum", "usual category", values=("apparel", "books", "tech")),
    "price": fact("price", "money", "item price", "currency"),
    "limit": fact("limit", "money", "most we refund", "currency"),
    "ordered": fact("ordered", "date", "order date"),
    "due": fact("due", "date", "last day to return"),
}
KINDS = ("return", "refund")
OUTCOMES = ("granted", "denied", "partial", "escalate")
DAY0 = date(2024, 1, 1)


def rule(
    rid: str,
    when: Condition,
    outcome: str,
    priority: int = 0,
    kinds: tuple[str, ...] = ("return",),
    order: int = 0,
) -> Rule:
    return Rule(
        id=rid,
        title=rid,
        kinds=kinds,
        when=when,
        outcome=Outcome(outcome),
        text=Message(f"{rid} text"),
        citation=Citation("returns"),
        priority=priority,
        order=order,
    )


def pack_of(*rules: Rule, facts: Mapping[str, FactDef] = FACTS) -> Pack:
    return engine_pack(facts, tuple(rules), "denied")


def key(v: Verdict) -> tuple[Any, ...]:
    """A verdict in plain values: outcome, deciding rule, missing facts, would-be outcome."""
    would_be = str(v.would_be) if v.would_be is not None else None
    return (str(v.outcome), v.rule.id if v.rule else None, v.missing, would_be)


# A small pack in the shape of the real return policy.
SIMPLE = pack_of(
    rule("not-delivered", Compare("days", "lt", 0), "denied", 100, ("return", "refund"), 0),
    rule(
        "defective",
        All((Compare("defective", "eq", True), Compare("days", "lte", 365))),
        "granted",
        50,
        ("return", "refund"),
        1,
    ),
    rule(
        "hygiene-opened",
        All((Compare("category", "eq", "apparel"), Compare("opened", "eq", True))),
        "denied",
        40,
        order=2,
    ),
    rule(
        "tech-window",
        All(
            (
                Compare("category", "in", ("tech",)),
                Not(Any_((Compare("days", "gt", 15), Compare("price", "gte", Decimal("999.99"))))),
            )
        ),
        "partial",
        30,
        order=3,
    ),
    rule("window", Compare("days", "lte", 30), "granted", 10, order=4),
    rule("old-order", Compare("ordered", "lt", date(2020, 1, 1)), "escalate", 5, order=5),
    rule("books", Compare("category", "not_in", ("apparel", "tech")), "granted", 1, order=6),
)


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"days": -1}, ("denied", "not-delivered", (), None)),
        (
            {"days": 400, "defective": True},
            ("needs_info", None, ("ordered", "category"), "denied"),
        ),
        (
            {"days": 10, "defective": False, "category": "apparel", "opened": True},
            ("denied", "hygiene-opened", (), None),
        ),
        (
            {"days": 10, "defective": False, "category": "tech", "price": Decimal("999.98")},
            ("partial", "tech-window", (), None),
        ),
        (
            {"days": 10, "defective": False, "category": "tech", "price": Decimal("999.99")},
            ("granted", "window", (), None),
        ),
        (
            {"days": 10, "defective": False, "category": "tech"},
            ("needs_info", None, ("price",), "granted"),
        ),
        (
            {"days": 90, "defective": False, "category": "books", "ordered": date(2019, 5, 1)},
            ("escalate", "old-order", (), None),
        ),
        (
            {"days": 90, "defective": False, "category": "books", "ordered": date(2024, 5, 1)},
            ("granted", "books", (), None),
        ),
        (
            {"days": 90, "defective": False, "category": "tech", "ordered": date(2024, 5, 1)},
            ("denied", None, (), None),
        ),
        (
            {},
            ("needs_info", None, ("days", "defective", "category", "price", "ordered"), "denied"),
        ),
    ],
)
def test_examples(facts: dict[str, Any], expected: tuple[Any, ...]) -> None:
    durable = DurableEngine(SIMPLE)
    assert key(durable.decide("return", facts)) == expected
    assert durable.decide("return", facts) == CoreEngine(SIMPLE).decide("return", facts)


def test_surface_matches_core() -> None:
    durable, core = DurableEngine(SIMPLE), CoreEngine(SIMPLE)
    assert durable.default_outcome == core.default_outcome == "denied"
    for kind in (*KINDS, "exchange"):
        assert durable.rules_for(kind) == core.rules_for(kind)
        assert durable.facts_for(kind) == core.facts_for(kind)
    assert durable.decide("exchange", {"days": 3}) == Verdict(Outcome.DENIED, None)


def test_trace_reports_durable_decision() -> None:
    durable, core = DurableEngine(SIMPLE), CoreEngine(SIMPLE)
    for facts in ({"days": 3, "defective": False, "category": "books"}, {"days": 3}, {}):
        traced = durable.trace("return", facts)
        assert traced == core.trace("return", facts)
        assert key(traced) == key(durable.decide("return", facts))
        assert traced.trace is not None and len(traced.trace) == len(core.rules_for("return"))


def test_no_background_threads() -> None:
    before = set(threading.enumerate())
    durable = DurableEngine(SIMPLE)
    for days in range(50):
        durable.decide("return", {"days": days, "defective": False})
    assert set(threading.enumerate()) == before


def test_money_beyond_constant_scale_and_range() -> None:
    core = CoreEngine(SIMPLE)
    durable = DurableEngine(SIMPLE)
    base = {"days": 10, "defective": False, "category": "tech"}
    for price in (
        Decimal("999.985"),
        Decimal("999.995"),
        Decimal("999.99"),
        Decimal("999.990000001"),
        Decimal("-1e30"),
        Decimal("1e30"),
        Decimal("Infinity"),
        0,
        10**40,
        999.99,
        999.985,
    ):
        facts = {**base, "price": price}
        assert durable.decide("return", facts) == core.decide("return", facts), price
    for days in (-(10**30), -1, 0, 15, 16, 30, 31, 10**30):
        facts = {"days": days, "defective": False, "category": "books"}
        assert durable.decide("return", facts) == core.decide("return", facts), days


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "lte", "gt", "gte"])
@pytest.mark.parametrize("scale_setter", [None, Decimal("0.01"), Decimal("0.001")])
def test_numbers_compare_exactly_at_every_boundary(op: str, scale_setter: Decimal | None) -> None:
    constants = [Decimal("9.99"), Decimal("10"), 0, Decimal("-0.5"), Decimal("123456.789")]
    deltas = [Decimal(x) for x in ("-1", "-0.5", "-0.005", "-0.001", "-0.0001", "0")]
    deltas += [-d for d in deltas if d]
    for i, c in enumerate(constants):
        rules = [rule(f"c{i}", Compare("price", op, c), OUTCOMES[i % 4], -i, order=i)]
        if scale_setter is not None:
            rules.append(
                rule("scale", Compare("price", "eq", scale_setter), "escalate", -99, order=9)
            )
        pack = pack_of(*rules)
        core, durable = CoreEngine(pack), DurableEngine(pack)
        for d in deltas:
            for v in (c + d, float(c + d), int(c + d) if (c + d) % 1 == 0 else c + d):
                facts = {"price": v}
                assert durable.decide("return", facts) == core.decide("return", facts), (c, v)
        durable.close()
    for c in (-3, 0, 7):
        when: Condition = Compare("days", op, c)
        pack = pack_of(rule("d", when, "granted", 1), rule("n", Not(when), "partial", order=1))
        core, durable = CoreEngine(pack), DurableEngine(pack)
        for v in (c - 1, c - 0.5, c, c + 0.5, c + 1, Decimal(c) + Decimal("0.001")):
            assert durable.decide("return", {"days": v}) == core.decide("return", {"days": v})
        durable.close()
    day = date(2024, 2, 29)
    pack = pack_of(rule("o", Compare("ordered", op, day), "granted"))
    core, durable = CoreEngine(pack), DurableEngine(pack)
    for v in (day - timedelta(days=1), day, day + timedelta(days=1)):
        assert durable.decide("return", {"ordered": v}) == core.decide("return", {"ordered": v})


# --------------------------------------------------------------------------- fact against fact

AGAINST = pack_of(
    rule("same", Compare("category", "eq", Ref("usual")), "partial", 30, order=0),
    rule(
        "in-window",
        All((Compare("days", "lte", Ref("window")), Compare("price", "lte", Ref("limit")))),
        "granted",
        20,
        order=1,
    ),
    rule("late", Not(Compare("ordered", "lte", Ref("due"))), "escalate", 10, order=2),
    rule(
        "either",
        Any_((Compare("days", "lt", Ref("count")), Compare("window", "gte", Ref("days")))),
        "granted",
        5,
        order=3,
    ),
)


@pytest.mark.parametrize(
    "facts",
    [
        {"category": "books", "usual": "books"},
        {"category": "books", "usual": "tech", "days": 3, "window": 30, "price": 5, "limit": 9},
        {"category": "books", "usual": "tech", "days": 31, "window": 30},
        {"category": "books", "usual": "tech", "days": 3, "window": 30, "price": Decimal("9.01")},
        {"category": "books", "usual": "tech", "days": 3, "window": 2, "count": 4},
        {"category": "books", "usual": "tech", "days": 3, "window": 2, "count": 3},
        {"category": "books", "usual": "tech", "ordered": date(2024, 1, 2), "due": DAY0},
        {"category": "books", "usual": "tech", "ordered": DAY0, "due": DAY0, "days": 40},
        {"category": "books", "days": 3, "window": 30},
        {"usual": "books"},
        {"days": 3},
        {},
    ],
)
def test_comparisons_with_another_fact_decide_as_in_the_core(facts: dict[str, Any]) -> None:
    core, durable = CoreEngine(AGAINST), DurableEngine(AGAINST)
    try:
        assert durable.decide("return", facts) == core.decide("return", facts)
        assert durable.trace("return", facts) == core.trace("return", facts)
    finally:
        durable.close()


def test_a_comparison_with_another_fact_is_posted_as_its_result() -> None:
    durable = DurableEngine(AGAINST)
    try:
        # One precomputed attribute per comparison of two facts, whatever its polarity.
        assert len(durable._between) == 6
        facts = {"category": "books", "usual": "books"}
        assert durable.holding("return", facts) == frozenset({0})
        assert durable.holding("return", {"category": "books"}) == frozenset()  # unknown
        late = {"ordered": date(2024, 1, 2), "due": DAY0}
        assert durable.holding("return", late) == frozenset({2})  # the negated comparison
    finally:
        durable.close()


def test_a_datetime_compared_with_another_datetime_is_decided() -> None:
    facts = {
        "at": fact("at", "datetime", "when you asked"),
        "deadline": fact("deadline", "datetime", "the deadline"),
    }
    pack = pack_of(rule("on-time", Compare("at", "lt", Ref("deadline")), "granted"), facts=facts)
    durable = DurableEngine(pack)
    moments = {
        "at": datetime(2026, 1, 1, 9, tzinfo=timezone.utc),
        "deadline": datetime(2026, 1, 2, tzinfo=timezone.utc),
    }
    try:
        assert durable.decide("return", moments) == CoreEngine(pack).decide("return", moments)
    finally:
        durable.close()


# --------------------------------------------------------------------------- refusals


def test_refuses_512_durable_rules_before_durable_sees_them() -> None:
    # 511 rules + the catch-all make 512 durable rules: refused.
    many = [rule(f"r{i}", Compare("days", "eq", i), "granted", order=i) for i in range(511)]
    with pytest.raises(BackendError, match="512 durable rules"):
        DurableEngine(pack_of(*many))
    # Counted across kinds: 2 x (256 + 1) = 514.
    split = [rule(f"r{i}", Compare("days", "eq", i), "granted", 0, KINDS, i) for i in range(256)]
    with pytest.raises(BackendError, match="514 durable rules"):
        DurableEngine(pack_of(*split))
    assert key(DurableEngine(pack_of(*many[:100])).decide("return", {"days": 99}))[1] == "r99"


@pytest.mark.parametrize(
    ("when", "why"),
    [
        (Compare("nope", "eq", 1), "not in the vocabulary"),
        (Not(Compare("category", "lt", "books")), "orders 'category'"),
        (Compare("days", "gt", "5"), "compares integer fact 'days' with str"),
        (Compare("days", "eq", True), "with bool"),
        (Compare("price", "lt", 9.99), "with float"),
        (Compare("opened", "eq", 1), "compares boolean fact 'opened' with int"),
        (Compare("ordered", "lt", "2024-01-01"), "date fact"),
        (Compare("category", "in", "tech"), "needs a list"),
        (Compare("price", "lt", Decimal("NaN")), "with Decimal"),
    ],
)
def test_refuses_inexpressible_rules_naming_them(when: Condition, why: str) -> None:
    with pytest.raises(BackendError, match=why) as info:
        DurableEngine(
            pack_of(rule("ok", Compare("days", "lte", 3), "granted"), rule("bad", when, "escalate"))
        )
    assert "'bad'" in str(info.value)


@pytest.mark.parametrize(
    "facts",
    [{"days": "5"}, {"days": True}, {"opened": 1}, {"category": 3}, {"price": Decimal("NaN")}],
)
def test_refuses_values_of_the_wrong_type(facts: dict[str, Any]) -> None:
    durable = DurableEngine(SIMPLE)
    with pytest.raises(BackendError, match="received"):
        durable.decide("return", {"defective": False, "category": "tech", "days": 3, **facts})
    assert key(durable.decide("return", {"days": -5})) == ("denied", "not-delivered", (), None)


def test_durable_exceptions_become_backend_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    durable = DurableEngine(SIMPLE)
    host = durable._host
    real_get_state = host.get_state

    def broken(name: str, message: dict[str, Any]) -> None:
        real_get_state(name, "no-such-session")  # a genuine durable_rules_engine.error

    monkeypatch.setattr(host, "assert_fact", broken)
    with pytest.raises(BackendError, match=r"durable_rules failed: error: .*309"):
        durable.decide("return", {"days": 3})
    durable_engine, _ = durable_backend._backend()

    def unhandled(name: str, message: dict[str, Any]) -> None:
        raise durable_engine.MessageNotHandledException(message)

    monkeypatch.setattr(host, "assert_fact", unhandled)
    with pytest.raises(BackendError, match="MessageNotHandledException: Could not handle"):
        durable.decide("return", {"days": 3})
    monkeypatch.undo()
    assert key(durable.decide("return", {"days": -5}))[1] == "not-delivered"  # lock released


def test_closed_engine_refuses() -> None:
    durable = DurableEngine(SIMPLE)
    durable.close()
    with pytest.raises(BackendError, match="closed"):
        durable.decide("return", {"days": 3})


# --------------------------------------------------------------------------- robustness

FACT_SETS: list[dict[str, Any]] = [
    {
        "days": d,
        "defective": d % 7 == 0,
        "category": ("apparel", "books", "tech", "toys")[d % 4],
        "opened": d % 3 == 0,
        "price": Decimal(d * 37) / 10,
    }
    for d in range(-2, 60)
]


def test_eight_threads_agree_with_sequential() -> None:
    durable = DurableEngine(SIMPLE)
    plan = [FACT_SETS[i % len(FACT_SETS)] for i in range(200)]
    expected = [durable.decide("return", f) for f in plan]
    assert expected == [CoreEngine(SIMPLE).decide("return", f) for f in plan]
    results: dict[int, list[Verdict]] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            results[n] = [durable.decide("return", f) for f in plan]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert all(results[n] == expected for n in range(8))


def test_two_thousand_evaluations_delete_their_sessions() -> None:
    durable = DurableEngine(SIMPLE)
    core = CoreEngine(SIMPLE)
    for i in range(2000):
        facts = FACT_SETS[i % len(FACT_SETS)]
        assert durable.decide("return", facts) == core.decide("return", facts)
    name = durable._kinds["return"].name
    durable_rules_engine = durable_backend._backend()[1]
    for sid in ("1", "1000", "2000"):
        with pytest.raises(durable_rules_engine.error, match="309"):
            durable._host.get_state(name, sid)  # no such session: it was deleted


def test_same_pack_twice_in_one_process() -> None:
    first, second = DurableEngine(SIMPLE), DurableEngine(SIMPLE)
    facts = {"days": 3, "defective": False, "category": "books"}
    assert first.decide("return", facts) == second.decide("return", facts)
    first.close()
    assert key(second.decide("return", facts))[1] == "window"
    del second
    third = DurableEngine(SIMPLE)  # after the collected engine's rulesets were queued
    assert key(third.decide("return", facts))[1] == "window"


# --------------------------------------------------------------------------- differential

FACT_NAMES = tuple(FACTS)


def constant(fact: str) -> st.SearchStrategy[Any]:
    kind = FACTS[fact].type.name
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(-3, 12)
    if kind == "enum":
        return st.sampled_from(FACTS[fact].values)
    if kind == "money":
        return st.one_of(
            st.integers(0, 20).map(Decimal),
            st.integers(0, 2000).map(lambda c: Decimal(c).scaleb(-2)),
        )
    return st.integers(0, 10).map(lambda d: DAY0 + timedelta(days=d))


CONSTANTS = {name: constant(name) for name in FACT_NAMES}
"""The values rules compare each fact with."""

REFERENCES = (
    ("days", "window"),
    ("window", "days"),
    ("days", "count"),
    ("category", "usual"),
    ("price", "limit"),
    ("ordered", "due"),
)
"""The pairs of facts a rule may compare with each other (``days: {lte: $window}``)."""

PACK_KINDS = (("return",), ("refund",), KINDS)
random_packs = st.one_of(
    packs(FACTS, CONSTANTS, max_rules=30, kinds=PACK_KINDS),
    packs_with_references(FACTS, CONSTANTS, REFERENCES, max_rules=30, kinds=PACK_KINDS),
)


def value(fact: str) -> st.SearchStrategy[Any]:
    kind = FACTS[fact].type.name
    if kind == "integer":
        return st.integers(-6, 16)
    if kind == "enum":
        return st.sampled_from((*FACTS[fact].values, "other"))
    if kind == "money":
        return st.one_of(
            st.integers(-100, 25000).map(lambda c: Decimal(c).scaleb(-3)),
            st.integers(-2, 25),
            constant(fact),
        )
    return constant(fact)


def near(fact: str, constants: list[Any]) -> st.SearchStrategy[Any]:
    """A pack constant, or just beside it: where a wrong translation shows."""
    base = st.sampled_from(constants)
    kind = FACTS[fact].type.name
    if kind == "integer":
        return st.tuples(base, st.sampled_from((-1, 0, 1))).map(sum)
    if kind == "money":
        steps = tuple(Decimal(x) for x in ("0", "0.001", "-0.001", "0.005", "-0.005", "0.5"))
        return st.tuples(base, st.sampled_from(steps)).map(sum)
    if kind == "date":
        return st.tuples(base, st.sampled_from((-1, 0, 1))).map(
            lambda t: t[0] + timedelta(days=t[1])
        )
    return base


def fact_maps(pack: Pack) -> st.SearchStrategy[dict[str, Any]]:
    constants: dict[str, list[Any]] = {}
    for r in pack.rules:
        for c in comparisons(r.when):
            if isinstance(c.value, Ref):
                continue  # the other fact's own values are drawn for it
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            constants.setdefault(c.fact, []).extend(values)
    options: dict[str, st.SearchStrategy[Any]] = {}
    for name in FACT_NAMES:
        choices = [st.none(), value(name)]
        if constants.get(name):
            choices += [near(name, constants[name])] * 2
        options[name] = st.one_of(*choices)
    return st.fixed_dictionaries({}, optional=options)


SHRINK = os.environ.get("POLICYLIB_DURABLE_SHRINK") == "1"
"""Shrinking a failure can take minutes: off in the subprocess run, on when debugging."""


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    phases=tuple(p for p in Phase if SHRINK or p not in (Phase.shrink, Phase.explain)),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pack=random_packs, data=st.data())
def test_differential_against_core_engine(pack: Pack, data: st.DataObject) -> None:
    requests = data.draw(st.lists(fact_maps(pack), min_size=1, max_size=8), label="requests")
    core = CoreEngine(pack)
    durable = DurableEngine(pack)
    try:
        for facts in requests:
            for kind in (*KINDS, "exchange"):
                want, got = core.decide(kind, facts), durable.decide(kind, facts)
                assert key(got) == key(want), (kind, facts)
                assert got == want
            assert durable.trace("return", facts) == core.trace("return", facts)
    finally:
        durable.close()


def test_max_rules_constant() -> None:
    assert MAX_DURABLE_RULES == 512


@pytest.fixture(scope="module")
def bundled_durable() -> policylib.Policy:
    return policylib.load_policy(engine="durable")


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    phases=tuple(p for p in Phase if SHRINK or p not in (Phase.shrink, Phase.explain)),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_bundled_pack_decides_the_same_on_both_engines(
    bundled_policy: policylib.Policy, bundled_durable: policylib.Policy, data: st.DataObject
) -> None:
    request = data.draw(any_request, label="request")
    core = bundled_policy.evaluate(request, now=NOW)
    durable = bundled_durable.evaluate(request, now=NOW)
    assert durable.model_dump(mode="json") == core.model_dump(mode="json")
