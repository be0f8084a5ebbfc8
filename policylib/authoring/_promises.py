"""What a rule promises a customer when it decides: the offers it makes and the facts
its words name. Two checks, each over every request lint finds where the rule decides
(the pack's worked examples that it decides, the requests lint itself had the engine
decide, and, when there are none, one the backend finds):

* ``offer-never-granted``: an offer with a ``change`` that is granted in none of them.
  The alternatives search re-decides the changed request and drops the offer unless the
  policy grants it, so such an offer is never shown. With z3, "proven" when no request
  the rule decides is granted once changed (``Prover.granted_after``); otherwise the
  solver is asked for one that is, and the engine checks that the offer is then made.
* ``unknown-placeholder``: a fact named in the rule's text, its why, or the text of an
  offer without a change (those are filled from the request it decides), that is
  unknown in all of them, so the customer reads "not known" there. With z3, "proven"
  when no request the rule decides has it known; otherwise the solver (or the search)
  is asked for one that has.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping

from policylib.authoring._looker import Looker
from policylib.authoring._report import SEVERITY, Finding
from policylib.authoring._targets import Observed, Target, told
from policylib.lang.nodes import Offer, Rule

__all__ = ["unkept_offers", "unknown_placeholders"]


def _live(looker: Looker, rule: Rule, dead: Mapping[str, frozenset[str]]) -> list[str]:
    """The kinds the rule may decide (those lint did not find it never decides)."""
    gone = dead.get(rule.id, frozenset())
    return [k for k in rule.kinds if k in looker.order and k not in gone]


def _seen(looker: Looker, rule: Rule, kinds: list[str]) -> list[Observed]:
    return [seen for kind in kinds for seen in looker.deciding(rule, kind)]


def _kind(seen: Observed) -> str:
    return str(seen.request.get("kind"))


def _change(offer: Offer) -> str:
    return json.dumps(dict(offer.change), default=str)


# --------------------------------------------------------------------------- offers


def unkept_offers(looker: Looker, dead: Mapping[str, frozenset[str]]) -> Iterator[Finding]:
    """Offers with a change that no request the rule decides is granted with."""
    observer = looker.observer
    for rule in looker.pack.rules:
        kinds = _live(looker, rule, dead)
        for offer in rule.offers:
            if not offer.change or (rule.id, offer.kind) in observer.offered:
                continue
            seen = _seen(looker, rule, kinds)
            if not seen or any(offer.kind in observer.offers(s) for s in seen):
                continue
            proven = looker.backend.proves
            made = False
            for kind in kinds:
                target = Target("offer", kind, rule, change=offer.change)
                if looker.backend.proves and looker.backend.prove(target) is not None:
                    continue
                proven = False
                if looker.show(target, also=_made(looker, offer.kind), plain=False) is not None:
                    made = True
                    break
            if not made:
                yield _unkept(looker, rule, offer, kinds, seen, proven)


def _made(looker: Looker, kind: str) -> Callable[[Observed], bool]:
    """Whether the decision of a request makes a verified offer of the kind."""

    def made(seen: Observed) -> bool:
        return kind in looker.observer.offers(seen)

    return made


def _unkept(
    looker: Looker,
    rule: Rule,
    offer: Offer,
    kinds: list[str],
    seen: list[Observed],
    proven: bool,
) -> Finding:
    def absent(s: Observed) -> bool:
        decision = looker.observer.decision(s)
        return decision is not None and all(a.kind != offer.kind for a in decision.alternatives)

    shown = next((s for s in seen if absent(s)), seen[0])
    shown = looker.plain(Target("decides", _kind(shown), rule), shown, absent)
    change = _change(offer)
    if proven:
        message = (
            f"its offer {offer.kind} (change {change}) can never be granted: with the change "
            f"made, no rule grants a request {rule.id} decides (proven), so the offer is never "
            "shown"
        )
    else:
        how = "" if looker.backend.proves else ": install z3 for one"
        message = (
            f"its offer {offer.kind} (change {change}) was granted in none of the "
            f"{len(seen)} requests lint saw {rule.id} decide, so it was never shown there "
            f"(not a proof{how})"
        )
    return Finding(
        "offer-never-granted",
        SEVERITY["offer-never-granted"],
        message,
        str(offer.loc if offer.loc.line else rule.loc),
        rule_id=rule.id,
        kinds=tuple(kinds),
        related=(offer.kind,),
        hint="an offer is shown only when the changed request is granted: add or widen a "
        "rule that grants it, or remove the offer",
        request=shown.request,
        facts=looker.facts(shown, [rule]),
        proven=proven,
        example=looker.example(shown, f"{rule.id} decides, {offer.kind} is not offered"),
    )


# --------------------------------------------------------------------------- placeholders


def unknown_placeholders(looker: Looker, dead: Mapping[str, frozenset[str]]) -> Iterator[Finding]:
    """Facts a rule's words name that are unknown wherever it decides."""
    observer = looker.observer
    for rule in looker.pack.rules:
        kinds = _live(looker, rule, dead)
        for name in told(rule):
            if (rule.id, name) in observer.known:
                continue
            seen = _seen(looker, rule, kinds)
            if not seen or any(s.facts.get(name) is not None for s in seen):
                continue
            proven = looker.backend.proves
            known = False
            for kind in kinds:
                target = Target("told", kind, rule, fact=name)
                if looker.backend.proves and looker.backend.prove(target) is not None:
                    continue
                proven = False
                if looker.show(target, plain=False) is not None:
                    known = True
                    break
            if not known:
                yield _unknown(looker, rule, name, kinds, seen, proven)


def _unknown(
    looker: Looker, rule: Rule, name: str, kinds: list[str], seen: list[Observed], proven: bool
) -> Finding:
    shown = looker.plain(
        Target("decides", _kind(seen[0]), rule), seen[0], lambda s: s.facts.get(name) is None
    )
    label = looker.pack.facts[name].label
    if proven:
        where = f"every request {rule.id} decides (proven)"
    else:
        where = f"each of the {len(seen)} requests lint saw {rule.id} decide"
    how = ""
    if not proven:
        how = " (not a proof" + ("" if looker.backend.proves else ": install z3 for one") + ")"
    return Finding(
        "unknown-placeholder",
        SEVERITY["unknown-placeholder"],
        f"its words name {{ ${name} }} ({label}), which is unknown in {where}, so the "
        f"customer reads that it is not known{how}",
        str(rule.loc),
        rule_id=rule.id,
        kinds=tuple(kinds),
        related=(name,),
        hint=f"name a fact that is known when {rule.id} decides, or test {name} in its conditions",
        request=shown.request,
        facts=looker.facts(shown, [rule]),
        proven=proven,
        example=looker.example(shown, f"{rule.id} decides with {name} unknown"),
        says=_says(looker, shown, rule, name),
    )


def _says(looker: Looker, seen: Observed, rule: Rule, name: str) -> str:
    """The customer's words that name the fact, as the decision has them."""
    decision = looker.observer.decision(seen)
    if decision is None:
        return ""
    for reason in decision.reasons:
        if reason.rule_id != rule.id:
            continue
        if name in rule.text.variables:
            return reason.text
        if rule.why is not None and name in rule.why.variables:
            return reason.why
    for offer in rule.offers:
        if not offer.change and name in offer.text.variables:
            found = next((a.text for a in decision.alternatives if a.kind == offer.kind), "")
            if found:
                return found
    return ""
