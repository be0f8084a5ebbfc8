"""Hypothesis strategies for testing a pack, or the engine itself.

From a loaded policy's vocabulary (``requests``, ``facts``)::

    from hypothesis import given
    import policylib
    from policylib.testing import requests

    policy = policylib.load_policy("my-pack/")

    @given(requests(policy))
    def test_every_request_gets_an_answer(data):
        assert policy.evaluate(data).reasons

and small random packs for engine authors (``packs``, ``packs_with_references``,
``conditions``, built from ``fact`` and ``engine_pack``). Everything is drawn by
hypothesis alone (no global random state), so a failing example shrinks and replays.

This module imports hypothesis, a test dependency; ``import policylib`` never imports it.
"""

from __future__ import annotations

import difflib
import weakref
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from policylib.errors import Problem, RequestError, shorten
from policylib.lang.nodes import Compare, FactDef, Pack, comparisons, facts_read
from policylib.policy import Policy
from policylib.testing._packs import (
    conditions,
    engine_pack,
    fact,
    packs,
    packs_with_references,
)
from policylib.testing._plan import Plan, plan_for
from policylib.testing._requests import draw_request

__all__ = [
    "DEFAULT_NOW",
    "conditions",
    "engine_pack",
    "fact",
    "facts",
    "packs",
    "packs_with_references",
    "requests",
]

DEFAULT_NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))
"""The clock requests are drawn at when no ``now`` is given (a fixed, aware moment)."""

_PLANS: weakref.WeakKeyDictionary[Policy, Plan] = weakref.WeakKeyDictionary()


def requests(
    policy: Policy, kind: str | None = None, *, now: datetime | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid requests to ``policy``, in the canonical JSON shape (what ``evaluate`` takes,
    and what the request model writes back: exact decimals as text, RFC 3339 moments).

    Every value comes from the pack's vocabulary: its kinds (their subjects, ``per_item``
    and ``one_item``), each field's type, values, bounds and whether it is required, the
    values of the pack's own types its settings hold (delivery windows), and the text its
    rules mention (tags, categories). A drawn request names skus of its own order, its
    order's events come in order and none lies after ``requested_at`` (which is ``now``),
    the fields only the store's systems supply are filled, and the pack's ``checks`` hold.
    So ``policy.evaluate(request)`` decides every one, never raising ``RequestError``, with
    one exception that is the pack's own gap: a rule that needs a store-only fact the
    vocabulary lets a request leave out (``store-fact-missing``).

    Args:
        policy: the loaded policy whose requests to draw.
        kind: only requests of this kind (one of the vocabulary's ``kinds``); any by default.
        now: the moment the requests are made (timezone-aware): their ``requested_at``.
            Default ``DEFAULT_NOW``, so decisions do not depend on when the tests run.

    Raises:
        RequestError: ``kind`` is not one of the pack's kinds, or ``now`` has no time zone.
    """
    plan = _PLANS.get(policy)
    if plan is None:
        plan = _PLANS[policy] = plan_for(policy)
    if kind is not None and kind not in plan.kinds:
        close = difflib.get_close_matches(kind, list(plan.kinds), n=1)
        raise RequestError(
            f"{kind!r} is not a kind of request this pack answers",
            [
                Problem(
                    "unknown-enum-value",
                    f"not one of the pack's kinds: {', '.join(plan.kinds)}",
                    "kind",
                    hint=f"did you mean '{close[0]}'?" if close else "",
                    value=shorten(kind),
                )
            ],
        )
    clock = DEFAULT_NOW if now is None else now
    if not isinstance(clock, datetime) or clock.utcoffset() is None:
        raise RequestError(
            "now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))",
            [Problem("wrong-type", "expected an aware datetime", "now", value=shorten(now))],
        )
    return _requests(plan, kind, clock)


@st.composite
def _requests(draw: st.DrawFn, plan: Plan, kind: str | None, now: datetime) -> dict[str, Any]:
    data = draw_request(draw, plan, kind, now)
    if data is None:  # no edit made a pack check hold: rare, see the tests
        reject()
    return dict(data)


# --------------------------------------------------------------------------- facts


def facts(policy: Policy | Pack, kind: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Values for a pack's facts, as an engine takes them (``engine.decide(kind, facts)``):
    each a value of its fact's type, or None (unknown). Numbers and dates are drawn around
    the constants the rules compare them with (29, 30 and 31 for ``{lte: 30}``), enums and
    text among the values the rules name.

    Args:
        policy: a loaded policy, or a pack (``engine_pack`` builds one for tests).
        kind: only the facts the rules of this request kind read; every fact by default.
    """
    pack = policy.pack if isinstance(policy, Policy) else policy
    rules = [r for r in pack.rules if kind is None or kind in r.kinds]
    edges: dict[str, set[Any]] = {}
    read: dict[str, None] = {}
    for rule in rules:
        read.update(dict.fromkeys(facts_read(rule.when)))
        for compare in comparisons(rule.when):
            edges.setdefault(compare.fact, set()).update(_edges(compare))
    names = list(pack.facts) if kind is None else list(read)
    return st.fixed_dictionaries(
        {
            name: st.none() | _fact_values(pack.facts[name], edges.get(name, set()))
            for name in names
            if name in pack.facts
        }
    )


def _edges(compare: Compare) -> set[Any]:
    """The constants a comparison names, and their neighbours (one unit either side)."""
    value = compare.value
    values = value if isinstance(value, tuple) else (value,)
    out: set[Any] = set()
    for v in values:
        if isinstance(v, bool | str):
            out.add(v)
        elif isinstance(v, int):
            out |= {v - 1, v, v + 1}
        elif isinstance(v, Decimal):
            out |= {v - Decimal("0.01"), v, v + Decimal("0.01")}
        elif isinstance(v, date):
            out |= {v - timedelta(days=1), v, v + timedelta(days=1)}
    return out


def _fact_values(definition: FactDef, edges: set[Any]) -> st.SearchStrategy[Any]:
    kind = definition.type.name
    base: st.SearchStrategy[Any]
    typed: list[Any]
    if kind == "boolean":
        return st.booleans()
    if kind == "enum":
        return st.sampled_from(definition.type.values)
    if kind == "integer":
        base = st.integers(-30, 400)
        typed = [e for e in edges if isinstance(e, int) and not isinstance(e, bool)]
    elif kind in ("decimal", "money"):
        low = Decimal(0) if kind == "money" else Decimal(-1000)
        base = st.decimals(low, Decimal(3000), places=2, allow_nan=False, allow_infinity=False)
        typed = [Decimal(e) for e in edges if isinstance(e, int | Decimal)]
        if kind == "money":
            typed = [e for e in typed if e >= 0]
    elif kind == "date":
        base = st.dates(date(2020, 1, 1), date(2030, 12, 31))
        typed = [e for e in edges if isinstance(e, date)]
    elif kind == "datetime":
        return st.datetimes(
            datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(timezone.utc)
        )
    elif kind == "time":
        return st.times().map(lambda t: time(t.hour, t.minute))
    else:
        words = sorted(e for e in edges if isinstance(e, str))
        base = st.text(max_size=12)
        typed = words
    if not typed:
        return base
    return st.sampled_from(sorted(typed)) | base
