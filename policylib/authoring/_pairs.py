"""Pairs of rules that answer one request differently: ``overlap`` (the same priority)
and ``conflict`` (a grant ranked below a denial that is not an exception to it).

Both are shown by a request the engine decides by the first rule while the second holds
too. A conflict is reported only when it is *probably unintended*: the higher rule
denies, the lower grants (granted or partial), and the lower rule tests every fact the
higher one tests. A denial ranked above a grant is an exception by design when it tests
something the grant does not look at (items of one kind refused, above anything within a
window granted: the kind of item is the denial's own condition), so such pairs are
left alone. When the grant looks at everything the denial looks at, and more, the grant
is the narrower rule: it was written for a special case of the denial's, and a special
case ranked below the general one never decides where they meet. Rules already found
never to decide a kind are not reported again for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policylib.authoring._looker import Looker
from policylib.authoring._report import SEVERITY, Finding
from policylib.authoring._targets import Observed, Target
from policylib.authoring._words import facts_tested
from policylib.engine.core import evaluate_condition
from policylib.lang.nodes import GRANTING, All, Compare, Condition, Outcome, Ref, Rule

__all__ = ["conflicts", "overlaps"]

_Found = dict[tuple[str, str], tuple[list[str], Observed]]


def _pairs(looker: Looker, wanted: str, dead: Mapping[str, frozenset[str]] | None = None) -> _Found:
    """(first, second) -> the kinds and a request where the first decides while the
    second holds, for the pairs of each kind that ``wanted`` selects."""
    found: _Found = {}
    for kind, ranked in looker.order.items():
        for i, first in enumerate(ranked):
            for second in ranked[i + 1 :]:
                if wanted == "overlap" and not _overlapping(first, second):
                    continue
                if wanted == "conflict" and not _conflicting(first, second):
                    continue
                if dead is not None and kind in dead.get(second.id, frozenset()):
                    continue
                if _apart(first.when, second.when):
                    continue
                key = (first.id, second.id)
                if key in found:
                    found[key][0].append(kind)
                    continue
                target = Target("overlap", kind, first, second)
                if looker.backend.proves and looker.backend.prove(target) is not None:
                    continue
                shown = looker.show(target)
                if shown is not None:
                    found[key] = ([kind], shown)
    return found


def _apart(first: Condition, second: Condition) -> bool:
    """Whether two conditions test one fact in ways no value passes both (true and false,
    "at most 30" and "more than 30"): a quick and sound no, looking
    only at the comparisons every request they hold for passes."""
    return any(x.fact == y.fact and not _meet(x, y) for x in _musts(first) for y in _musts(second))


def _musts(cond: Condition) -> list[Compare]:
    if isinstance(cond, Compare):
        return [] if isinstance(cond.value, Ref) else [cond]
    if isinstance(cond, All):
        return [c for item in cond.items for c in _musts(item)]
    return []


def _meet(x: Compare, y: Compare) -> bool:
    """Whether some value passes both comparisons of one fact (True when unsure)."""
    for one, other in ((x, y), (y, x)):
        if one.op in ("eq", "in"):
            values = one.value if isinstance(one.value, tuple) else (one.value,)
            return any(evaluate_condition(other, {other.fact: v}) is not False for v in values)
    low: tuple[Any, bool] | None = None
    high: tuple[Any, bool] | None = None
    try:
        for cmp in (x, y):
            shut = cmp.op in ("lte", "gte")
            if cmp.op in ("gt", "gte") and (low is None or _beyond(cmp.value, shut, low, 1)):
                low = (cmp.value, shut)
            elif cmp.op in ("lt", "lte") and (high is None or _beyond(cmp.value, shut, high, -1)):
                high = (cmp.value, shut)
        if low is None or high is None:
            return True
        return bool(low[0] < high[0] or (low[0] == high[0] and low[1] and high[1]))
    except TypeError:
        return True


def _beyond(value: Any, shut: bool, bound: tuple[Any, bool], way: int) -> bool:
    """Whether a bound at ``value`` is tighter than ``bound`` (a lower one when ``way``
    is 1, an upper one when -1)."""
    if value == bound[0]:
        return bound[1] and not shut
    return bool(value > bound[0]) if way > 0 else bool(value < bound[0])


def _overlapping(first: Rule, second: Rule) -> bool:
    return second.priority == first.priority and second.outcome != first.outcome


def _conflicting(first: Rule, second: Rule) -> bool:
    """The criterion of the module docstring: a denial above a grant that tests every
    fact the denial tests."""
    if first.priority == second.priority:  # that is an overlap
        return False
    if first.outcome is not Outcome.DENIED or second.outcome not in GRANTING:
        return False
    return set(facts_tested(first.when)) <= set(facts_tested(second.when))


def overlaps(looker: Looker) -> Iterator[Finding]:
    """Rules of one kind and one priority, with different outcomes, that both hold for
    one request."""
    rules = {r.id: r for r in looker.pack.rules}
    for (a, b), (kinds, shown) in _pairs(looker, "overlap").items():
        first, second = rules[a], rules[b]
        yield Finding(
            "overlap",
            SEVERITY["overlap"],
            f"{a} ({first.outcome}) and {b} ({second.outcome}) have the same priority "
            f"({first.priority}) and both hold for the request below; {a} decides only "
            f"because it has more tests ({first.specificity} to {second.specificity})",
            str(second.loc),
            rule_id=b,
            kinds=tuple(kinds),
            related=(a,),
            hint="give the rule that should win a higher priority, so the order is written down",
            request=shown.request,
            facts=looker.facts(shown, [first, second]),
            example=looker.example(shown, f"{b} holds, {a} decides"),
        )


def conflicts(looker: Looker, dead: Mapping[str, frozenset[str]]) -> Iterator[Finding]:
    """A grant ranked below a denial that takes requests the grant was written for."""
    rules = {r.id: r for r in looker.pack.rules}
    for (a, b), (kinds, shown) in _pairs(looker, "conflict", dead).items():
        first, second = rules[a], rules[b]
        own = sorted(set(facts_tested(second.when)) - set(facts_tested(first.when)))
        narrower = (
            f"it also tests {', '.join(own)}, so it looks like an exception to {a}"
            if own
            else f"it tests the same facts as {a}"
        )
        yield Finding(
            "conflict",
            SEVERITY["conflict"],
            f"{b} would grant ({second.outcome}) the request below, but {a} (priority "
            f"{first.priority}) is tried first and denies it; {b} (priority "
            f"{second.priority}) tests every fact {a} tests, and {narrower}",
            str(second.loc),
            rule_id=b,
            kinds=tuple(kinds),
            related=(a,),
            hint=f"if {b} should win where both hold, give it a priority above {first.priority}"
            f"; if not, narrow it so it no longer holds where {a} denies",
            request=shown.request,
            facts=looker.facts(shown, [first, second]),
            example=looker.example(shown, f"{b} would grant, {a} denies"),
        )
