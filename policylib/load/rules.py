"""Area files: one policy area (section) each, its rules and its worked examples.

::

    section: returns
    rules:
      - id: RET-001
        title: Unused items can be returned for a refund within the return window
        kinds: [return, exchange]
        priority: 100
        when:                          # policylib.load.conditions
          all:
            - days_since_arrival: {lte: $return_window}
            - item_worn: false
        outcome: granted
        text: The { $item_name } arrived { $days_since_arrival } ago ...
        citation: {section: returns, anchor: return-window}
        offers: [{kind: voucher, change: {refund_to: voucher}, text: ...}]
    examples: ...                      # policylib.load.examples

``AreaReader`` reads every area file of a pack: the rules with their ids (unique across
the pack), request kinds, citations, escalations and offers here; their conditions and the
examples in their own modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from policylib.lang.nodes import (
    Citation,
    Escalation,
    Example,
    FactDef,
    Message,
    Offer,
    Rule,
    SettingDef,
)
from policylib.load.conditions import ConditionReader
from policylib.load.examples import read_examples
from policylib.load.problems import one_of, suggest, undeclared
from policylib.load.reader import Doc
from policylib.load.store import read_escalation, read_outcome
from policylib.load.strict_yaml import MappingNode, Node, RefusedNode, ScalarNode, SequenceNode

__all__ = ["AreaReader"]

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_RULE_REQUIRED = ("id", "title", "kinds", "when", "outcome", "text", "citation")
_RULE_OPTIONAL = ("priority", "why", "apology", "answers", "offers", "escalation")

PatternReader = Callable[[Node, str, frozenset[str]], "Message | None"]
ValueCheck = Callable[[str, Any, Node], Any]
"""Validates an offer's change value for a request path (reported); None when invalid."""


class AreaReader:
    """Reads the area files of one pack, sharing what the rules of all files need."""

    def __init__(
        self,
        *,
        facts: Mapping[str, FactDef],
        fact_names: frozenset[str],
        fact_types: Mapping[str, str],
        settings: Mapping[str, SettingDef],
        kinds: frozenset[str] | None,
        offer_kinds: frozenset[str] | None,
        sections: frozenset[str] | None,
        pattern: Callable[[Doc], PatternReader],
        chosen: Callable[[str], bool],
        value_check: Callable[[Doc], ValueCheck],
        path_problem: Callable[[str], str] | None,
    ) -> None:
        """``kinds``, ``offer_kinds``, ``sections`` and ``path_problem`` are None when the
        file declaring them could not be read: the names are then not checked again (the
        one mistake is already reported where it is)."""
        self.facts = facts
        self.fact_names = fact_names
        self.kinds = kinds
        self.offer_kinds = offer_kinds
        self.sections = sections
        self.pattern = pattern
        self.chosen = chosen
        self.value_check = value_check
        self.path_problem = path_problem
        self.rule_locs: dict[str, Any] = {}
        self.unknown_sections: set[str] = set()
        """Undeclared sections already reported: one missing declaration, one problem."""
        self.order = 0
        self.conditions = ConditionReader(
            facts=facts, fact_names=fact_names, fact_types=fact_types, settings=settings
        )

    # ---------------------------------------------------------------- rules

    def rules(self, doc: Doc, node: Node, section: str) -> list[Rule]:
        out: list[Rule] = []
        for item in doc.sequence(node, "rules") or []:
            rule = self.rule(doc, item, section, self.order)
            self.order += 1
            if rule is not None:
                out.append(rule)
        return out

    def rule(self, doc: Doc, node: Node, section: str, order: int) -> Rule | None:
        rule_id = ""
        if isinstance(node, MappingNode):
            for k, v in node.value:  # learn the id first so every problem names it
                if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode):
                    rule_id = str(v.value)
            if rule_id and doc.problems.has_unowned():
                doc.problems.claim(doc.name, node.start_mark.line, node.end_mark.line, rule_id)
        with doc.owner(rule_id):
            return self._rule(doc, node, section, order)

    def _rule(self, doc: Doc, node: Node, section: str, order: int) -> Rule | None:
        m = doc.mapping(node, "a rule", required=_RULE_REQUIRED, optional=_RULE_OPTIONAL)
        if m is None:
            return None
        before = len(doc.problems)
        rid = doc.text(m["id"][1], "rule id") if "id" in m else None
        if rid is not None:
            if not _RULE_ID.match(rid):
                doc.problem(
                    "bad-id",
                    f"rule id '{rid}' is not of the form AREA-TOPIC-NNN",
                    m["id"][1],
                    hint="use capital letters and digits joined by dashes, like RET-HYG-001",
                )
            elif rid in self.rule_locs:
                doc.problem(
                    "duplicate-id",
                    f"rule id '{rid}' is already used at {self.rule_locs[rid]}",
                    m["id"][1],
                    hint="give each rule its own id; never reuse a retired id",
                )
            else:
                self.rule_locs[rid] = doc.loc(m["id"][1])
        title = doc.text(m["title"][1], "title") if "title" in m else None
        kinds: list[str] = []
        for item in doc.items(m, "kinds") if "kinds" in m else []:
            kind = doc.text(item, "kind")
            if kind is None:
                continue
            if self.kinds is not None and kind not in self.kinds:
                doc.problem(
                    "unknown-kind",
                    f"'{kind}' is not a request kind",
                    item,
                    hint=suggest(kind, self.kinds) or f"use one of {one_of(sorted(self.kinds))}",
                )
            elif kind not in kinds:
                kinds.append(kind)
        if "kinds" in m and isinstance(m["kinds"][1], SequenceNode) and not m["kinds"][1].value:
            doc.problem(
                "wrong-type",
                "kinds must not be empty",
                m["kinds"][1],
                hint="list request kinds, like [return]",
            )
        when = None
        if "when" in m:
            seen = len(doc.problems)
            when = self.conditions.condition(doc, m["when"][1])
            dropped = when is None and len(doc.problems) == seen and self.facts
            if dropped and not _has_refused(m["when"][1]):
                # every path that drops a condition must say why; never lose a rule quietly
                doc.problem(
                    "internal-error",
                    "this rule's condition could not be read, and no reason was found",
                    m["when"][1],
                    hint="please report this to the policylib maintainers with the rule",
                )
        outcome = read_outcome(doc, m["outcome"][1], "outcome") if "outcome" in m else None
        read_pattern = self.pattern(doc)
        text = read_pattern(m["text"][1], "text", frozenset()) if "text" in m else None
        citation = self.citation(doc, m["citation"][1]) if "citation" in m else None
        priority = doc.optional(m, "priority", doc.integer, 0)
        why = read_pattern(m["why"][1], "why", frozenset()) if "why" in m else None
        apology = doc.optional(m, "apology", doc.boolean, False)
        answers = doc.optional(m, "answers", doc.boolean, False)
        escalation: Escalation | None = None
        if "escalation" in m:
            escalation = read_escalation(doc, m["escalation"][1], "escalation")
            if (
                escalation is not None
                and escalation.may_approve
                and self.fact_names
                and escalation.may_approve not in self.fact_names
            ):
                doc.problem(
                    "unknown-fact",
                    f"escalation.may_approve names '{escalation.may_approve}', which is not a "
                    "declared fact",
                    escalation.loc,
                    hint=suggest(escalation.may_approve, self.fact_names)
                    or "declare it in facts.yaml",
                )
        offers = [
            offer for item in doc.items(m, "offers") if (offer := self.offer(doc, item)) is not None
        ]
        if (
            len(doc.problems) != before
            or rid is None
            or title is None
            or when is None
            or outcome is None
            or text is None
            or citation is None
            or priority is None
            or apology is None
            or answers is None
            or not kinds
        ):
            return None
        return Rule(
            id=rid,
            title=title,
            kinds=tuple(kinds),
            when=when,
            outcome=outcome,
            text=text,
            citation=citation,
            priority=priority,
            why=why,
            offers=tuple(offers),
            apology=apology,
            answers=answers,
            section=section,
            escalation=escalation,
            order=order,
            loc=doc.loc(node),
        )

    def citation(self, doc: Doc, node: Node) -> Citation | None:
        m = doc.mapping(node, "citation", required=("section",), optional=("anchor",))
        if m is None or "section" not in m:
            return None
        section = doc.text(m["section"][1], "citation.section")
        anchor = doc.optional(m, "anchor", doc.text, "", "citation.anchor")
        if (
            section is None
            or anchor is None
            or not self.check_section(doc, section, m["section"][1])
        ):
            return None
        return Citation(section=section, anchor=anchor)

    def check_section(self, doc: Doc, section: str, node: Node) -> bool:
        """Whether ``section`` is declared; the first use of an undeclared one is reported
        (its other uses are the same mistake)."""
        if self.sections is None or section in self.sections:
            return True
        if section in self.unknown_sections:
            return False
        self.unknown_sections.add(section)
        doc.problem(
            "unknown-section",
            f"section '{section}' is not declared in policy.yaml",
            node,
            hint=undeclared(
                section,
                sorted(self.sections),
                f"declare it in policy.yaml: sections: {{{section}: {{title: ...}}}}",
            ),
        )
        return False

    def offer(self, doc: Doc, node: Node) -> Offer | None:
        m = doc.mapping(node, "an offer", required=("kind", "text"), optional=("change",))
        if m is None or "kind" not in m or "text" not in m:
            return None
        kind = doc.text(m["kind"][1], "offer kind")
        if kind is not None and self.offer_kinds is not None and kind not in self.offer_kinds:
            doc.problem(
                "unknown-kind",
                f"'{kind}' is not an offer kind",
                m["kind"][1],
                hint=suggest(kind, self.offer_kinds) or "declare it under alternatives.kinds",
            )
            kind = None
        text = self.pattern(doc)(m["text"][1], "offer text", frozenset())
        change: list[tuple[str, object]] = []
        ok = True
        check = self.value_check(doc)
        for key, (knode, value) in doc.entries(m, "change", "offer change").items():
            missing = self.path_problem(key) if self.path_problem is not None else ""
            if missing:
                doc.problem("unknown-key", f"offer change: {missing}", knode)
                ok = False
                continue
            if not self.chosen(key):
                doc.problem(
                    "not-changeable",
                    f"offer change '{key}' is something that has happened, not a choice the "
                    "customer makes, so no offer can change it",
                    knode,
                    hint="change what the customer chooses (the vocabulary's choices:)",
                )
                ok = False
                continue
            good, raw = doc.plain(value, f"change.{key}", decimals=True)
            if good and check(key, raw, value) is None and raw is not None:
                good = False
            ok = ok and good
            change.append((key, raw))
        if kind is None or text is None or not ok:
            return None
        return Offer(kind=kind, text=text, change=tuple(change), loc=doc.loc(node))

    # ---------------------------------------------------------------- examples

    def examples(self, doc: Doc, node: Node, base: Path) -> list[tuple[Example, Node]]:
        """The file's worked examples (``policylib.load.examples``), each with its node."""
        return read_examples(doc, node, base)


def _has_refused(node: Node) -> bool:
    """Whether a node holds a stand-in for something the YAML reader refused (reported)."""
    if isinstance(node, RefusedNode):
        return True
    if isinstance(node, SequenceNode):
        return any(_has_refused(n) for n in node.value)
    if isinstance(node, MappingNode):
        return any(_has_refused(k) or _has_refused(v) for k, v in node.value)
    return False
