"""Request builders and hypothesis strategies shared by the tests."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
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

EST = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=EST)

BASE_REQUEST: dict[str, Any] = {
    "kind": "return",
    "requested_at": "2026-11-20T15:00:00-05:00",
    "customer": {"name": "Dana", "tier": "standard"},
    "order": {
        "id": "O-1001",
        "placed_at": "2026-11-10T10:00:00-05:00",
        "status": "delivered",
        "delivered_at": "2026-11-14T13:00:00-05:00",
        "items": [
            {
                "sku": "TS-100",
                "name": "Comfort toilet seat",
                "category": "bath",
                "tags": ["hygiene"],
                "price": 49.99,
                "quantity": 1,
                "condition": "opened",
                "final_sale": False,
            }
        ],
        "delivery": {
            "method": "white_glove",
            "scheduled_date": "2026-11-25",
            "window": {"start": "08:00", "end": "12:00"},
            "truck_loaded": False,
        },
    },
    "subscription": None,
    "items": ["TS-100"],
    "reason": "changed_mind",
    "resolution": "refund",
    "details": {},
}


def request(**changes: Any) -> dict[str, Any]:
    """The canonical sample request with dotted-path changes applied.

    ``request(**{"order.items.0.condition": None})`` sets a nested value; a value of
    ``...`` deletes the key.
    """
    data = copy.deepcopy(BASE_REQUEST)
    for path, value in changes.items():
        target: Any = data
        parts = path.split(".")
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is ...:
            target.pop(last, None)
        else:
            target[last] = value
    return data


def _iso(moment: datetime) -> str:
    return moment.isoformat()


CATEGORIES = ["bath", "electronics", "furniture", "kitchen", "bedding", "decor"]
TAGS = ["hygiene", "custom_made", "clearance"]


@st.composite
def order_requests(draw: st.DrawFn) -> dict[str, Any]:
    """Valid order requests of every kind, with facts varied around the policy's edges."""
    kind = draw(
        st.sampled_from(
            [
                "return",
                "exchange",
                "cancel",
                "change_delivery",
                "delivery_estimate",
                "price_adjustment",
            ]
        )
    )
    status = draw(
        st.sampled_from(
            ["placed", "processing", "in_production", "shipped", "out_for_delivery", "delivered"]
        )
    )
    placed = NOW - timedelta(days=draw(st.integers(0, 120)), hours=draw(st.integers(0, 23)))
    item: dict[str, Any] = {
        "sku": "SKU-1",
        "name": draw(st.sampled_from(["Comfort toilet seat", "Desk lamp", "Oak table", "Kettle"])),
        "category": draw(st.sampled_from(CATEGORIES)),
        "tags": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
        "price": draw(st.decimals("1", "3000", places=2).map(str)),
        "quantity": draw(st.integers(1, 3)),
        "final_sale": draw(st.booleans()),
    }
    condition = draw(st.sampled_from([None, "unopened", "opened", "used", "damaged"]))
    if condition is not None:
        item["condition"] = condition
    order: dict[str, Any] = {
        "id": "O-1",
        "placed_at": _iso(placed),
        "status": status,
        "items": [item],
        "delivery": {
            "method": draw(st.sampled_from(["standard", "white_glove"])),
            "scheduled_date": (NOW + timedelta(days=draw(st.integers(-3, 10)))).date().isoformat(),
            "window": {"start": "08:00", "end": "12:00"},
            "truck_loaded": draw(st.booleans()),
            "transit_days": {"min": 3, "max": 4},
            "shipping_fee": "19.99",
        },
    }
    shipped = min(NOW, placed + timedelta(days=1))
    if status in ("shipped", "out_for_delivery", "delivered"):
        order["shipped_at"] = _iso(shipped)
    if status == "delivered":
        delivered = max(shipped, min(NOW, placed + timedelta(days=draw(st.integers(1, 10)))))
        order["delivered_at"] = _iso(delivered)
        order["delivery"]["latest_quoted_date"] = (
            (placed + timedelta(days=draw(st.integers(1, 10)))).date().isoformat()
        )
    details: dict[str, Any] = {}
    if kind == "change_delivery":
        wish = draw(st.sampled_from(["window", "date", "address", "exact_time"]))
        if wish == "window":
            details["new_window"] = draw(
                st.sampled_from(
                    [
                        {"start": "12:00", "end": "16:00"},
                        {"start": "16:00", "end": "20:00"},
                        {"start": "09:00", "end": "10:00"},
                    ]
                )
            )
        elif wish == "date":
            details["new_date"] = (
                (NOW + timedelta(days=draw(st.integers(1, 14)))).date().isoformat()
            )
        elif wish == "address":
            details["new_address"] = "12 Elm Street"
        else:
            details["exact_time"] = "10:30"
    if kind == "price_adjustment":
        details["current_price"] = draw(st.decimals("1", "3000", places=2).map(str))
    data: dict[str, Any] = {
        "kind": kind,
        "requested_at": _iso(NOW),
        "customer": {
            "name": draw(st.sampled_from(["Dana", "Luis", "Mei", None])),
            "tier": draw(st.sampled_from(["standard", "plus"])),
        },
        "order": order,
        "details": details,
    }
    if kind in ("return", "exchange", "price_adjustment"):
        data["items"] = ["SKU-1"]
    if kind in ("return", "exchange"):
        data["reason"] = draw(
            st.sampled_from(
                [
                    None,
                    "changed_mind",
                    "defective",
                    "damaged_in_transit",
                    "wrong_item",
                    "arrived_late",
                    "other",
                ]
            )
        )
        data["resolution"] = draw(
            st.sampled_from([None, "refund", "store_credit", "exchange", "repair", "replacement"])
        )
    return data


@st.composite
def subscription_requests(draw: st.DrawFn) -> dict[str, Any]:
    total = draw(st.integers(1, 20))
    started = NOW - timedelta(days=draw(st.integers(0, 800)))
    return {
        "kind": "cancel",
        "requested_at": _iso(NOW),
        "customer": {"name": draw(st.sampled_from(["Sam", None])), "tier": "plus"},
        "subscription": {
            "id": "S-1",
            "type": draw(st.sampled_from(["membership", "session_plan"])),
            "plan": "Home Plus",
            "started_at": _iso(started),
            "billing_period": draw(st.sampled_from(["monthly", "quarterly", "yearly"])),
            "price": draw(st.decimals("5", "500", places=2).map(str)),
            "sessions_total": total,
            "sessions_remaining": draw(st.integers(0, total)),
        },
    }


any_request = st.one_of(order_requests(), subscription_requests())


# --------------------------------------------------------------------------- rule packs


def fact(
    name: str, type_: str, label: str = "", unit: str = "", values: tuple[str, ...] = ()
) -> FactDef:
    """A fact for engine-level tests: typed and labelled, derived from nothing (the tests
    hand the engine its facts directly)."""
    kind = Type(type_, tuple(values))
    program = Program(name, kind, lambda env: None, frozenset(), frozenset(), frozenset())
    return FactDef(name, kind, label or name.replace("_", " "), program, unit=unit)


def engine_pack(
    facts: Mapping[str, FactDef], rules: tuple[Rule, ...], default: str = "denied"
) -> Pack:
    """A pack holding only what the engine reads: facts, rules and the default outcome."""
    return Pack(
        store=Store("Test store"),
        vocabulary=Vocabulary({}, {}),
        facts=dict(facts),
        rules=rules,
        default_outcome=Outcome(default),
        default_text=Message("no rule applies"),
    )


ORDERED_TYPES = frozenset({"integer", "decimal", "money", "date"})
"""Fact types a rule may order (lt, lte, gt, gte); every fact has eq, ne, in and not_in."""

OUTCOMES = ("granted", "denied", "partial", "escalate")


@st.composite
def comparisons(
    draw: st.DrawFn, facts: Mapping[str, FactDef], constants: Mapping[str, st.SearchStrategy[Any]]
) -> Compare:
    """One comparison of a fact in ``constants`` with a constant drawn from its strategy."""
    fact = draw(st.sampled_from(sorted(constants)))
    ops = ["eq", "ne", "in", "not_in"]
    if facts[fact].type.name in ORDERED_TYPES:
        ops += ["lt", "lte", "gt", "gte"]
    op = draw(st.sampled_from(ops))
    if op in ("in", "not_in"):
        return Compare(fact, op, tuple(draw(st.lists(constants[fact], max_size=3))))
    return Compare(fact, op, draw(constants[fact]))


def conditions(
    facts: Mapping[str, FactDef],
    constants: Mapping[str, st.SearchStrategy[Any]],
    depth: int = 2,
) -> st.SearchStrategy[Condition]:
    """Conditions nested up to ``depth`` all/any/not deep, empty all/any included."""
    leaf = comparisons(facts, constants)
    if depth == 0:
        return leaf
    inner = conditions(facts, constants, depth - 1)
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
    constants: Mapping[str, st.SearchStrategy[Any]],
    *,
    max_rules: int = 12,
    kinds: tuple[tuple[str, ...], ...] = (("return",),),
    defaults: tuple[str, ...] = ("denied",),
) -> Pack:
    """Packs of 1 to ``max_rules`` random rules over ``facts``, in distinct priorities.

    ``constants`` maps each fact a rule may compare to the values it compares with;
    ``kinds`` are the request-kind sets a rule may apply to; ``defaults`` the outcomes
    the pack may fall back to.
    """
    n = draw(st.integers(1, max_rules))
    priorities = draw(st.permutations(range(n)))
    when = conditions(facts, constants)
    rules = tuple(
        Rule(
            id=f"R-{i}",
            title=f"R-{i}",
            kinds=draw(st.sampled_from(kinds)),
            when=draw(when),
            outcome=Outcome(draw(st.sampled_from(OUTCOMES))),
            text=Message(f"R-{i} text"),
            citation=Citation("returns"),
            priority=priorities[i],
            order=i,
        )
        for i in range(n)
    )
    return engine_pack(facts, rules, draw(st.sampled_from(defaults)))


# --------------------------------------------------------------------------- fact against fact


@st.composite
def references(
    draw: st.DrawFn, facts: Mapping[str, FactDef], pairs: tuple[tuple[str, str], ...]
) -> Compare:
    """A comparison of one fact with another (``Compare(a, op, Ref(b))``) for a pair of
    comparable facts: eq and ne always, the ordered operators when both are ordered."""
    name, other = draw(st.sampled_from(pairs))
    ops = ["eq", "ne"]
    if {facts[name].type.name, facts[other].type.name} <= ORDERED_TYPES:
        ops += ["lt", "lte", "gt", "gte"]
    return Compare(name, draw(st.sampled_from(ops)), Ref(other))


def conditions_with_references(
    facts: Mapping[str, FactDef],
    constants: Mapping[str, st.SearchStrategy[Any]],
    pairs: tuple[tuple[str, str], ...],
    depth: int = 2,
) -> st.SearchStrategy[Condition]:
    """Like ``conditions``, with comparisons of a fact with another fact among the leaves."""
    leaf = st.one_of(comparisons(facts, constants), references(facts, pairs))
    if depth == 0:
        return leaf
    inner = conditions_with_references(facts, constants, pairs, depth - 1)
    return st.one_of(
        leaf,
        st.lists(inner, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(inner, max_size=3).map(lambda xs: Any_(tuple(xs))),
        inner.map(Not),
    )


@st.composite
def packs_with_references(
    draw: st.DrawFn,
    facts: Mapping[str, FactDef],
    constants: Mapping[str, st.SearchStrategy[Any]],
    pairs: tuple[tuple[str, str], ...],
    *,
    max_rules: int = 12,
    kinds: tuple[tuple[str, ...], ...] = (("return",),),
    defaults: tuple[str, ...] = ("denied",),
) -> Pack:
    """Like ``packs``, with rules that compare a fact with another fact (``$window``);
    ``pairs`` are the (fact, other fact) pairs a rule may compare."""
    n = draw(st.integers(1, max_rules))
    priorities = draw(st.permutations(range(n)))
    when = conditions_with_references(facts, constants, pairs)
    rules = tuple(
        Rule(
            id=f"R-{i}",
            title=f"R-{i}",
            kinds=draw(st.sampled_from(kinds)),
            when=draw(when),
            outcome=Outcome(draw(st.sampled_from(OUTCOMES))),
            text=Message(f"R-{i} text"),
            citation=Citation("returns"),
            priority=priorities[i],
            order=i,
        )
        for i in range(n)
    )
    return engine_pack(facts, rules, draw(st.sampled_from(defaults)))
