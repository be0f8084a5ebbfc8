"""Area files: one policy area (section) each, its rules and its worked examples.

::

    section: returns
    rules:
      - id: RET-001
        title: Unused items can be returned for a refund within the return window
        kinds: [return, exchange]
        priority: 100
        when:
          all:
            - days_since_arrival: {lte: $return_window}   # another fact
            - item_worn: false
        outcome: granted
        text: The { $item_name } arrived { $days_since_arrival } ago ...
        citation: {section: returns, anchor: return-window}
    examples:
      - name: unused lamp returned on day 20
        rule: RET-001
        outcome: granted
        request: {...}                 # or request_file: examples/x.json

A comparison's value is a constant of the fact's type, or ``$fact`` (another fact's value
for this request), or ``$settings.name`` (a setting, read once at load).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, time
from pathlib import Path
from typing import Any

from policylib.lang import types as t
from policylib.lang.nodes import (
    COMPARISON_OPS,
    All,
    Any_,
    Citation,
    Compare,
    Condition,
    Escalation,
    Example,
    FactDef,
    Message,
    Not,
    Offer,
    Outcome,
    Ref,
    Rule,
    SettingDef,
)
from policylib.lang.types import Type
from policylib.load.files import MAX_FILE_BYTES
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc
from policylib.load.store import read_escalation, read_outcome
from policylib.load.strict_yaml import MappingNode, Node, RefusedNode, ScalarNode, SequenceNode

__all__ = ["AreaReader"]

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_RULE_REQUIRED = ("id", "title", "kinds", "when", "outcome", "text", "citation")
_RULE_OPTIONAL = ("priority", "why", "apology", "answers", "offers", "escalation")
_EXAMPLE_KEYS = ("name", "request", "request_file", "outcome", "rule", "now")
_ORDERED = ("lt", "lte", "gt", "gte")

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
        self.fact_types = fact_types
        self.settings = settings
        self.kinds = kinds
        self.offer_kinds = offer_kinds
        self.sections = sections
        self.pattern = pattern
        self.chosen = chosen
        self.value_check = value_check
        self.path_problem = path_problem
        self.rule_locs: dict[str, Any] = {}
        self.order = 0

    # ---------------------------------------------------------------- conditions

    def condition(self, doc: Doc, node: Node) -> Condition | None:
        m = doc.mapping(node, "a condition", optional=None)
        if m is None:
            return None
        if len(m) != 1:
            doc.problem(
                "wrong-type",
                "a condition holds exactly one test" if m else "a condition must not be empty",
                node,
                hint="combine several tests with all: [...] or any: [...]"
                if m
                else "write a test like a_fact: true, or all: [...] / any: [...]",
            )
            return None
        (key, (knode, value)) = next(iter(m.items()))
        loc = doc.loc(knode)
        if key in ("all", "any"):
            items = doc.sequence(
                value,
                f"'{key}'",
                nonempty=True,
                hint=f"list one or more tests: {key}: [a_fact: true, another_fact: 3]",
            )
            if items is None:
                return None
            conds = [self.condition(doc, item) for item in items]
            if any(c is None for c in conds):
                return None
            kept = tuple(c for c in conds if c is not None)
            return All(kept, loc) if key == "all" else Any_(kept, loc)
        if key == "not":
            inner = self.condition(doc, value)
            return None if inner is None else Not(inner, loc)
        return self.compare(doc, key, knode, value)

    def _fact_type(self, name: str) -> Type | None:
        fact = self.facts.get(name)
        if fact is not None:
            return fact.type
        declared = self.fact_types.get(name, "")
        return Type(declared) if declared else None

    def compare(self, doc: Doc, name: str, knode: ScalarNode, value: Node) -> Compare | None:
        loc = doc.loc(knode)
        if name not in self.fact_names:
            doc.problem(
                "unknown-fact",
                f"unknown fact '{name}'",
                knode,
                hint=suggest(name, [*self.fact_names, "all", "any", "not"])
                or "declare it in facts.yaml",
            )
            return None
        type_ = self._fact_type(name)
        if type_ is None:
            return None  # the fact itself is broken: reported where it is declared
        op, vnode = "eq", value
        if isinstance(value, MappingNode):
            m = doc.mapping(value, f"the test on '{name}'", optional=None)
            if m is None:
                return None
            if len(m) != 1:
                doc.problem(
                    "wrong-type",
                    f"the test on '{name}' takes exactly one operator"
                    if m
                    else f"the test on '{name}' is empty",
                    value,
                    hint="combine several tests with all: [...]"
                    if m
                    else f"write one operator and its value: {name}: {{eq: {_example(type_)}}}",
                )
                return None
            (op, (onode, vnode)) = next(iter(m.items()))
            if op not in COMPARISON_OPS:
                doc.problem(
                    "bad-operator",
                    f"unknown operator '{op}'",
                    onode,
                    hint=suggest(op, COMPARISON_OPS) or f"use one of {one_of(COMPARISON_OPS)}",
                )
                return None
            if op in _ORDERED and type_.name not in t.ORDERED:
                doc.problem(
                    "bad-operator",
                    f"'{op}' compares order, but '{name}' is a {type_.name} fact",
                    onode,
                    hint="ordered operators work on integer, decimal, money, date and time "
                    "facts; use eq, ne, in or not_in",
                )
                return None
        reference = self.reference(doc, name, type_, op, vnode)
        if reference is not None:
            return None if reference is False else Compare(name, op, reference, loc)
        if op in ("in", "not_in"):
            values = doc.sequence(
                vnode,
                f"'{op}' on '{name}'",
                nonempty=True,
                hint=f"list the values: {name}: {{{op}: [{_example(type_)}, ...]}}",
            )
            if values is None:
                return None
            got = [self.typed_value(doc, name, type_, item) for item in values]
            if any(g is None for g in got):
                return None
            return Compare(name, op, tuple(g for g in got if g is not None), loc)
        single = self.typed_value(doc, name, type_, vnode)
        return None if single is None else Compare(name, op, single, loc)

    def reference(self, doc: Doc, name: str, type_: Type, op: str, node: Node) -> Any:
        """A ``$fact`` (a Ref) or ``$settings.x`` (its value); None when ``node`` is neither,
        False when it is one that is wrong (reported)."""
        if not (isinstance(node, ScalarNode) and str(node.value).startswith("$")):
            return None
        target = str(node.value)[1:]
        if op in ("in", "not_in"):
            doc.problem("wrong-type", f"'{op}' takes a list of values, not {node.value}", node)
            return False
        if target.startswith("settings."):
            found = self.setting_value(doc, target[len("settings.") :], node)
            if found is None:
                return False
            setting_type, value = found
            if not _comparable(type_, setting_type):
                doc.problem(
                    "wrong-type",
                    f"'{name}' is {t.describe(type_)}, but {node.value} is "
                    f"{t.describe(setting_type)}",
                    node,
                )
                return False
            return value
        if target not in self.fact_names:
            doc.problem(
                "unknown-fact",
                f"unknown fact '{target}' in {node.value}",
                node,
                hint=suggest(target, self.fact_names) or "declare it in facts.yaml",
            )
            return False
        other = self._fact_type(target)
        if other is None:
            return False
        if not _comparable(type_, other):
            doc.problem(
                "wrong-type",
                f"cannot compare '{name}' ({t.describe(type_)}) with '{target}' "
                f"({t.describe(other)})",
                node,
            )
            return False
        return Ref(target)

    def setting_value(self, doc: Doc, path: str, node: Node) -> tuple[Type, Any] | None:
        name, _, key = path.partition(".")
        setting = self.settings.get(name)
        if setting is None:
            doc.problem(
                "unknown-setting",
                f"unknown setting '{name}'",
                node,
                hint=suggest(name, self.settings) or "declare it under settings: in policy.yaml",
            )
            return None
        if setting.type.name == "table":
            assert setting.type.of is not None
            if key not in setting.value:
                doc.problem(
                    "unknown-setting",
                    f"settings.{name} is a table: name an entry, like $settings.{name}."
                    f"{next(iter(setting.value))}",
                    node,
                    hint=f"entries: {one_of(setting.value)}",
                )
                return None
            return setting.type.of, setting.value[key]
        if key:
            doc.problem("unknown-setting", f"settings.{name} has no entry '{key}'", node)
            return None
        return setting.type, setting.value

    def typed_value(self, doc: Doc, name: str, type_: Type, node: Node) -> Any:
        what = f"the value for '{name}'"
        if isinstance(node, (MappingNode, SequenceNode)):
            shape = "a mapping" if isinstance(node, MappingNode) else "a list"
            doc.problem(
                "wrong-type",
                f"{what} must be a single value, not {shape}",
                node,
                hint="lists go with in/not_in: {in: [a, b]}",
            )
            return None
        kind = type_.name
        if kind == "boolean":
            return doc.boolean(node, what)
        if kind == "integer":
            return doc.integer(node, what)
        if kind in ("decimal", "money"):
            return doc.decimal(node, what)
        if kind == "date":
            return doc.date(node, what)
        if kind == "time":
            text = doc.text(node, what)
            match = _CLOCK.match(text or "")
            if text is not None and match is None:
                doc.problem("wrong-type", f"{what} must be a clock time like 18:00", node)
            return time(int(match[1]), int(match[2])) if match else None
        if kind == "datetime":
            doc.problem(
                "wrong-type",
                f"'{name}' is a date and time: compare it with another fact ($name)",
                node,
            )
            return None
        text = doc.text(node, what, allow_empty=kind == "text")
        if text is not None and kind == "enum" and text not in type_.values:
            doc.problem(
                "unknown-enum-value",
                f"'{text}' is not a value of '{name}'",
                node,
                hint=suggest(text, type_.values) or f"use one of {one_of(type_.values)}",
            )
            return None
        return text

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
            when = self.condition(doc, m["when"][1])
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
        if self.sections is None or section in self.sections:
            return True
        doc.problem(
            "unknown-section",
            f"section '{section}' is not declared in policy.yaml",
            node,
            hint=suggest(section, self.sections) or "declare it under sections: in policy.yaml",
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
        out: list[tuple[Example, Node]] = []
        for item in doc.sequence(node, "examples") or []:
            example = self.example(doc, item, base)
            if example is not None:
                out.append((example, item))
        return out

    def example(self, doc: Doc, node: Node, base: Path) -> Example | None:
        m = doc.mapping(
            node, "an example", required=("name", "outcome"), optional=_EXAMPLE_KEYS[1:]
        )
        if m is None:
            return None
        before = len(doc.problems)
        name = doc.text(m["name"][1], "example name") if "name" in m else None
        outcome = read_outcome(doc, m["outcome"][1], "example outcome") if "outcome" in m else None
        rule = doc.optional(m, "rule", doc.text, "", "example rule")
        now = ""
        if "now" in m:
            now_node = doc.scalar(m["now"][1], "example now")
            if now_node is not None:
                now = str(now_node.value)
                if not _aware_datetime(now):
                    doc.problem(
                        "wrong-type",
                        f"example now `{now}` is not a date-time with a time zone",
                        now_node,
                        hint='write it like "2026-11-20T15:00:00-05:00"',
                    )
        request: object = None
        if ("request" in m) == ("request_file" in m):
            doc.problem(
                "missing-key" if "request" not in m else "wrong-type",
                "an example needs exactly one of 'request' or 'request_file'",
                node,
            )
        elif "request" in m:
            if not isinstance(m["request"][1], MappingNode):
                doc.problem("wrong-type", "example request must be a mapping", m["request"][1])
            else:
                request = doc.plain(m["request"][1], "request")[1]
        else:
            request = self.request_file(doc, m["request_file"][1], base)
        if len(doc.problems) != before or name is None or outcome is None or rule is None:
            return None
        if not isinstance(request, dict):
            return None
        return Example(
            name=name,
            request=request,
            outcome=Outcome(outcome),
            rule=rule,
            now=now,
            loc=doc.loc(node),
        )

    def request_file(self, doc: Doc, node: Node, base: Path) -> object:
        rel = doc.text(node, "request_file")
        if rel is None:
            return None
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            doc.problem(
                "missing-file",
                f"request_file '{rel}' points outside the pack",
                node,
                hint="name a file inside the pack, like examples/late_refund.json",
            )
            return None
        try:
            resolved = (base / rel).resolve(strict=True)
            inside = resolved.is_relative_to(base.resolve()) and resolved.is_file()
        except (OSError, RuntimeError):
            inside = False
        if not inside:  # a symlink out of the pack, a folder, or nothing at all
            doc.problem(
                "missing-file",
                f"request_file '{rel}' is not a file inside the pack",
                node,
                hint="put example requests in the pack's examples/ folder",
            )
            return None
        if resolved.stat().st_size > MAX_FILE_BYTES:
            doc.problem("file-too-large", f"request_file '{rel}' is over 1 MiB", node)
            return None
        try:
            data = json.loads(resolved.read_text(encoding="utf-8"))
        except RecursionError:
            doc.problem(
                "nesting-too-deep",
                f"request_file '{rel}' nests lists and objects too deeply to read",
                node,
                hint="a request never needs more than a few levels",
            )
            return None
        except (ValueError, OSError) as exc:
            doc.problem("wrong-type", f"request_file '{rel}' is not valid JSON: {exc}", node)
            return None
        if not isinstance(data, dict):
            doc.problem("wrong-type", f"request_file '{rel}' must hold a JSON object", node)
            return None
        return data


def _comparable(a: Type, b: Type) -> bool:
    if a.name in t.NUMERIC and b.name in t.NUMERIC:
        return True
    return t.assignable(a, b) or t.assignable(b, a) or {a.name, b.name} <= {"enum", "text"}


_EXAMPLE_VALUES = {
    "boolean": "true",
    "integer": "30",
    "decimal": "1.5",
    "money": "49.99",
    "date": "2026-11-20",
    "time": "18:00",
    "text": "some text",
}


def _example(type_: Type) -> str:
    """A value of the type, for hints."""
    if type_.name == "enum" and type_.values:
        return type_.values[0]
    return _EXAMPLE_VALUES.get(type_.name, "a value")


def _has_refused(node: Node) -> bool:
    """Whether a node holds a stand-in for something the YAML reader refused (reported)."""
    if isinstance(node, RefusedNode):
        return True
    if isinstance(node, SequenceNode):
        return any(_has_refused(n) for n in node.value)
    if isinstance(node, MappingNode):
        return any(_has_refused(k) or _has_refused(v) for k, v in node.value)
    return False


def _aware_datetime(text: str) -> bool:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None
