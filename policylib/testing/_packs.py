"""Small random packs for testing an engine: facts, conditions, rules, whole packs.

An engine author states properties over many packs at once ("the fast engine and the
durable backend agree"; "every cited condition really holds"): ``packs`` draws packs of
random rules over facts the test declares, ``conditions`` the ``when:`` trees in them, and
``packs_with_references`` adds comparisons of one fact with another (``{lte: $window}``).
The facts (``fact``) derive nothing: the test hands the engine their values directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from policylib.lang.expr import Program
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
    Store,
    Vocabulary,
)
from policylib.lang.types import Type

__all__ = [
    "ORDERED_TYPES",
    "RULE_OUTCOMES",
    "conditions",
    "engine_pack",
    "fact",
    "packs",
    "packs_with_references",
]

Constants = Mapping[str, st.SearchStrategy[Any]]
"""Fact name -> the constants a rule may compare it with."""

Pairs = tuple[tuple[str, str], ...]
"""(fact, other fact) pairs a rule may compare (``{lte: $other}``)."""


# --------------------------------------------------------------------------- rule packs


def fact(
    name: str, type_: str, label: str = "", unit: str = "", values: tuple[str, ...] = ()
) -> FactDef:
    """A fact for engine-level tests: typed and labelled, derived from nothing (the test
    hands the engine its value directly).

    Args:
        name: the fact's name, as rules name it.
        type_: one of ``boolean integer decimal money text enum date datetime time``.
        label: the words naming it in explanations (default: the name, spaced).
        unit: the unit numbers read in (``days``, ``currency``).
        values: an enum's values.
    """
    kind = Type(type_, tuple(values))
    program = Program(name, kind, _unknown, frozenset(), frozenset(), frozenset())
    return FactDef(name, kind, label or name.replace("_", " "), program, unit=unit)


def _unknown(env: object) -> None:
    return None


def engine_pack(
    facts: Mapping[str, FactDef], rules: tuple[Rule, ...], default: str = "denied"
) -> Pack:
    """A pack holding only what an engine reads: facts, rules and the default outcome.

    Args:
        facts: the facts the rules compare, by name.
        rules: the rules, in load order.
        default: the outcome when no rule holds.
    """
    return Pack(
        store=Store("Test store"),
        vocabulary=Vocabulary({}, {}),
        facts=dict(facts),
        rules=rules,
        default_outcome=Outcome(default),
        default_text=Message("no rule applies"),
    )


ORDERED_TYPES = frozenset({"integer", "decimal", "money", "date"})
"""Fact types a drawn rule may order (lt, lte, gt, gte); every fact has eq, ne, in and
not_in."""

RULE_OUTCOMES = ("granted", "denied", "partial", "escalate")
"""The outcomes a drawn rule may have (``needs_info`` is the engine's, never a rule's)."""


@st.composite
def _comparisons(draw: st.DrawFn, facts: Mapping[str, FactDef], constants: Constants) -> Compare:
    """One comparison of a fact in ``constants`` with a constant drawn from its strategy."""
    name = draw(st.sampled_from(sorted(constants)))
    ops = ["eq", "ne", "in", "not_in"]
    if facts[name].type.name in ORDERED_TYPES:
        ops += ["lt", "lte", "gt", "gte"]
    op = draw(st.sampled_from(ops))
    if op in ("in", "not_in"):
        return Compare(name, op, tuple(draw(st.lists(constants[name], max_size=3))))
    return Compare(name, op, draw(constants[name]))


@st.composite
def _references(draw: st.DrawFn, facts: Mapping[str, FactDef], pairs: Pairs) -> Compare:
    """A comparison of one fact with another (``Compare(a, op, Ref(b))``) for a pair of
    comparable facts: eq and ne always, the ordered operators when both are ordered."""
    name, other = draw(st.sampled_from(pairs))
    ops = ["eq", "ne"]
    if {facts[name].type.name, facts[other].type.name} <= ORDERED_TYPES:
        ops += ["lt", "lte", "gt", "gte"]
    return Compare(name, draw(st.sampled_from(ops)), Ref(other))


def conditions(
    facts: Mapping[str, FactDef], constants: Constants, depth: int = 2, pairs: Pairs = ()
) -> st.SearchStrategy[Condition]:
    """Rule conditions (``when:`` trees) over ``facts``.

    Args:
        facts: the facts a condition may compare, by name.
        constants: fact name -> the constants it may be compared with; only these facts
            are compared with constants.
        depth: how deep ``all``/``any``/``not`` may nest (empty ``all``/``any`` included).
        pairs: (fact, other fact) pairs a comparison may compare (``{lte: $other}``);
            none by default.
    """
    leaf: st.SearchStrategy[Condition] = _comparisons(facts, constants)
    if pairs:
        leaf = st.one_of(leaf, _references(facts, pairs))
    if depth == 0:
        return leaf
    inner = conditions(facts, constants, depth - 1, pairs)
    return st.one_of(
        leaf,
        st.lists(inner, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(inner, max_size=3).map(lambda xs: Any_(tuple(xs))),
        inner.map(Not),
    )


@st.composite
def packs(
    draw: st.DrawFn,
    facts: Mapping[str, FactDef],
    constants: Constants,
    *,
    max_rules: int = 12,
    kinds: tuple[tuple[str, ...], ...] = (("request",),),
    defaults: tuple[str, ...] = ("denied",),
    pairs: Pairs = (),
) -> Pack:
    """Packs of 1 to ``max_rules`` random rules over ``facts``, in distinct priorities.

    Args:
        facts: the facts the rules may compare, by name.
        constants: fact name -> the constants it may be compared with.
        max_rules: the most rules a pack has.
        kinds: the request-kind sets a rule may apply to (one kind, ``request``, by
            default).
        defaults: the outcomes the pack may fall back to.
        pairs: (fact, other fact) pairs a rule may compare; see ``packs_with_references``.
    """
    n = draw(st.integers(1, max_rules))
    priorities = draw(st.permutations(range(n)))
    when = conditions(facts, constants, pairs=pairs)
    rules = tuple(
        Rule(
            id=f"R-{i}",
            title=f"R-{i}",
            kinds=draw(st.sampled_from(kinds)),
            when=draw(when),
            outcome=Outcome(draw(st.sampled_from(RULE_OUTCOMES))),
            text=Message(f"R-{i} text"),
            citation=Citation("rules"),
            priority=priorities[i],
            order=i,
        )
        for i in range(n)
    )
    return engine_pack(facts, rules, draw(st.sampled_from(defaults)))


def packs_with_references(
    facts: Mapping[str, FactDef],
    constants: Constants,
    pairs: Pairs,
    *,
    max_rules: int = 12,
    kinds: tuple[tuple[str, ...], ...] = (("request",),),
    defaults: tuple[str, ...] = ("denied",),
) -> st.SearchStrategy[Pack]:
    """Like ``packs``, with rules that also compare a fact with another fact
    (``{lte: $window}``); ``pairs`` are the (fact, other fact) pairs they may compare."""
    return packs(facts, constants, max_rules=max_rules, kinds=kinds, defaults=defaults, pairs=pairs)
