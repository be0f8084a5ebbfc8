"""The ids of the connecting phrases a reply is made of, and the values each may use.

The renderer looks these up (its defaults ship with the library, a pack's ``*.ftl`` files
override any of them); the loader checks a pack's messages against this list, so a
misspelled id is a load error, not a phrase that is silently never shown. Headlines and
lead-ins are looked up per request kind first (``granted-return``), then per outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from policylib.lang.nodes import Outcome

__all__ = ["PHRASES", "phrase_ids"]

PHRASES: Mapping[str, tuple[str, ...]] = {
    "greeting": ("customer_name",),
    "greeting-anonymous": (),
    "good-news": (),
    "apology": (),
    "needs-info": (),
    "needs-info-chat": (),
    "needs-info-because": ("because",),
    "needs-info-depends": (),
    "needs-info-next": (),
    "question-generic": ("fact_label",),
    "question-generic-wh": ("fact_label",),
    "offer-for-item": ("item_name", "offer"),
    "no-offers": (),
    "policy-link": ("policy_section",),
    "policy-link-general": (),
    "agent-may-approve": ("escalation_contact", "limit"),
    "partial-mixed": (),
}
"""Phrase id -> the values (beside declared facts) its text may name."""

_PER_OUTCOME = ("{outcome}", "apology-{outcome}", "offers-{outcome}")
_PER_KIND = ("{outcome}-{kind}", "offers-{outcome}-{kind}", "partial-mixed-{kind}")
_KIND_WORDS = "kind-{kind}"
"""The kind as the policy page names it, in the plural ("returns")."""


def phrase_ids(kinds: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every phrase id the renderer may look up for a pack with these request kinds."""
    out = dict(PHRASES)
    kinds = tuple(kinds)
    for kind in kinds:
        out[_KIND_WORDS.format(kind=kind)] = ()
    for outcome in (o.value for o in Outcome):
        extra = ("escalation_contact",) if outcome == "escalate" else ()
        for pattern in _PER_OUTCOME:
            out[pattern.format(outcome=outcome)] = extra
        for kind in kinds:
            for pattern in _PER_KIND:
                out[pattern.format(outcome=outcome, kind=kind)] = extra
    return out
