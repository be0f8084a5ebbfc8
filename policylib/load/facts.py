"""``facts.yaml``: the vocabulary rules and texts speak, each fact derived by an expression.

::

    facts:
      days_since_arrival:
        type: integer
        unit: days
        label: days since your order arrived
        expr: days_between(order.delivered_at, now)
        question: What day did your order arrive?
        field: order.delivered_at
      parcel_scanned:
        type: boolean
        label: whether the carrier has scanned the parcel
        expr: order.status == "shipped" or order.delivery.scanned
        known_by: store
        field: order.delivery.scanned

Facts may name each other; they are compiled in the order they need each other, and a
fact that needs itself (directly or not) is an error. An enum fact may leave out its
values when its expression gives them (``reason: {type: enum, expr: reason}``).

Who knows a fact: a fact with a ``question`` is one the customer can answer
(``known_by: customer``); any other is the store's (``known_by: store``), supplied by its
systems in ``field``, taking its ``default`` (an expression) when the request does not
say, and never asked of a customer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Literal

from policylib.lang import types as t
from policylib.lang.expr import Program, Scope
from policylib.lang.nodes import FactDef, Message
from policylib.lang.types import Type
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.strict_yaml import MappingNode, Node, ScalarNode

__all__ = ["BUILT_IN_UNITS", "FACT_TYPES", "RESERVED", "FactsFile"]

FACT_TYPES = ("boolean", "integer", "decimal", "money", "text", "enum", "date", "datetime", "time")
BUILT_IN_UNITS = frozenset({"percent", "currency", ""})
RESERVED = frozenset({"all", "any", "not", "each", "settings", "true", "false", "null", "value"})
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = (
    "type",
    "label",
    "expr",
    "unit",
    "values",
    "question",
    "field",
    "known_by",
    "default",
    "description",
    "routing",
)

ScopeFor = Callable[[Mapping[str, Type]], Scope]
"""The expression scope, given the fact types known so far (resolved on demand)."""
PatternReader = Callable[[Node, str, frozenset[str]], "Message | None"]
PathCheck = Callable[[str], str]
"""What is wrong with a request path (``order.items[].condition``), or ""."""


class FactsFile:
    """The facts of ``facts.yaml``: names first (texts anywhere may name them), then each
    fact compiled once every fact it names is."""

    def __init__(self, doc: Doc, entries: Entries, roots: frozenset[str]) -> None:
        self.doc = doc
        self.nodes: dict[str, tuple[ScalarNode, Node]] = {}
        m = doc.mapping(entries["facts"][1], "facts", optional=None) if "facts" in entries else None
        self.readable = m is not None
        self.aliases: set[str] = set()
        for name, (knode, value) in (m or {}).items():
            if name in roots:
                self.aliases.add(name)  # allowed only as that very field (checked below)
            elif not _NAME.match(name) or name in RESERVED:
                doc.problem(
                    "bad-id",
                    f"fact name '{name}' must be lowercase_words, and not a reserved word",
                    knode,
                    hint="use letters, digits and underscores, starting with a letter; "
                    f"not {one_of(sorted(RESERVED))}",
                )
                continue
            self.nodes[name] = (knode, value)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.nodes)

    def declared_type(self, name: str) -> str:
        """The ``type:`` a fact declares (before it is read), for error messages and hints."""
        _, node = self.nodes[name]
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.value == "type" and isinstance(v, ScalarNode):
                    return str(v.value)
        return ""

    def read(
        self,
        scope_for: ScopeFor,
        pattern: PatternReader,
        path_problem: PathCheck,
        units: frozenset[str],
    ) -> dict[str, FactDef]:
        """Every fact, compiled; ``units`` are the pack's own (percent and currency are
        built in)."""
        reading = _Reading(self, scope_for, pattern, path_problem, units | BUILT_IN_UNITS)
        for name in self.nodes:
            reading.resolve(name)
        return {name: fact for name, fact in reading.done.items() if fact is not None}


class _Types(Mapping[str, Type]):
    """Fact name -> type, each fact compiled on first look (facts name facts)."""

    def __init__(self, reading: _Reading) -> None:
        self.reading = reading

    def __getitem__(self, name: str) -> Type:
        found = self.reading.resolve(name)
        if found is None:
            return t.ANY  # its own problem is reported; do not report every use of it
        return found.type

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.reading.file.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self.reading.file.nodes)

    def __len__(self) -> int:
        return len(self.reading.file.nodes)


class _Reading:
    def __init__(
        self,
        file: FactsFile,
        scope_for: ScopeFor,
        pattern: PatternReader,
        path_problem: PathCheck,
        units: frozenset[str],
    ) -> None:
        self.file = file
        self.units = units
        self.doc = file.doc
        self.pattern = pattern
        self.path_problem = path_problem
        self.done: dict[str, FactDef | None] = {}
        self.active: list[str] = []
        self.scope = scope_for(_Types(self))

    def resolve(self, name: str) -> FactDef | None:
        if name in self.done:
            return self.done[name]
        if name in self.active:
            cycle = [*self.active[self.active.index(name) :], name]
            knode, _ = self.file.nodes[name]
            self.doc.problem(
                "fact-cycle",
                f"fact '{name}' is derived from itself: {' -> '.join(cycle)}",
                knode,
                hint="one of these facts must be derived from the request alone",
                rule_id="",
            )
            self.done[name] = None
            return None
        self.active.append(name)
        try:
            fact = self.fact(name, self.file.nodes[name][1])
        finally:
            self.active.pop()
        self.done.setdefault(name, fact)
        return self.done[name]

    def fact(self, name: str, node: Node) -> FactDef | None:
        doc = self.doc
        what = f"fact '{name}'"
        m = doc.mapping(node, what, required=("type", "label", "expr"), optional=_KEYS[3:])
        if m is None or not {"type", "label", "expr"} <= set(m):
            return None
        before = len(doc.problems)
        with doc.owner(""):
            declared = self.type(m, what)
            label = doc.text(m["label"][1], f"{what} label")
            unit = doc.optional(m, "unit", doc.text, "", f"{what} unit")
            if unit is not None and unit not in self.units:
                doc.problem(
                    "wrong-type",
                    f"{what} has unknown unit '{unit}'",
                    m["unit"][1],
                    hint=suggest(unit, self.units)
                    or f"declare it under units: in policy.yaml ({one_of(sorted(self.units))})",
                )
            open_enum = declared is not None and declared.name == "enum" and not declared.values
            expected = None if open_enum else declared
            program = doc.expression(m["expr"][1], f"{what} expr", self.scope, expected)
            if program is not None and name in self.file.aliases and program.source != name:
                doc.problem(
                    "bad-id",
                    f"fact '{name}' has the name of a request field, so it must be that field "
                    f"(expr: {name})",
                    m["expr"][1],
                    hint="give the fact another name",
                )
            type_ = _settled(declared, program)
            if (
                program is not None
                and declared is not None
                and declared.name == "enum"
                and type_ is None
            ):
                doc.problem(
                    "wrong-type",
                    f"{what} is an enum, but its expression gives {t.describe(program.type)}",
                    m["expr"][1],
                    hint="list its values, or derive it from an enum field",
                )
            question = None
            if "question" in m:
                question = self.pattern(m["question"][1], f"{what} question", frozenset())
            known_by = self.known_by(m, what, question is not None)
            field = doc.optional(m, "field", doc.text, "", f"{what} field")
            if field:
                problem = self.path_problem(field)
                if problem:
                    doc.problem("unknown-key", f"{what} field: {problem}", m["field"][1])
            default: Program | None = None
            if "default" in m:
                if known_by == "customer":
                    doc.problem(
                        "wrong-type",
                        f"{what} is the customer's to answer, so it has no default",
                        m["default"][0],
                        hint="a default is for facts the store's systems supply (known_by: store)",
                    )
                elif type_ is not None:
                    default = doc.expression(m["default"][1], f"{what} default", self.scope, type_)
            description = doc.optional(m, "description", doc.text, "", f"{what} description")
            routing = doc.optional(m, "routing", doc.boolean, False, f"{what} routing")
        if len(doc.problems) != before or type_ is None or program is None or label is None:
            return None
        if routing is None:
            return None
        return FactDef(
            name=name,
            type=type_,
            label=" ".join(label.split()),
            program=program,
            unit=unit or "",
            question=question,
            field=field or "",
            known_by=known_by or "store",
            default=default,
            description=" ".join((description or "").split()),
            routing=routing,
            loc=doc.loc(node),
        )

    def type(self, m: Entries, what: str) -> Type | None:
        doc = self.doc
        name = doc.text(m["type"][1], f"{what} type")
        if name is None:
            return None
        if name not in FACT_TYPES:
            doc.problem(
                "wrong-type",
                f"{what} has unknown type '{name}'",
                m["type"][1],
                hint=suggest(name, FACT_TYPES) or f"use one of {one_of(FACT_TYPES)}",
            )
            return None
        if "values" not in m:
            return Type(name)
        if name != "enum":
            doc.problem("wrong-type", f"{what}: only enum facts take values", m["values"][0])
            return None
        values: list[str] = []
        for item in doc.sequence(m["values"][1], f"{what} values", nonempty=True) or []:
            value = doc.text(item, f"{what} value")
            if value is not None:
                if value in values:
                    doc.problem("duplicate-key", f"{what} lists '{value}' twice", item)
                values.append(value)
        return t.enum(values)

    def known_by(self, m: Entries, what: str, asks: bool) -> Literal["customer", "store"] | None:
        doc = self.doc
        said = doc.optional(m, "known_by", doc.text, "customer" if asks else "store")
        if said not in ("customer", "store"):
            if said is not None:
                doc.problem(
                    "unknown-enum-value",
                    f"{what} known_by '{said}' is neither customer nor store",
                    m["known_by"][1],
                )
            return None
        if said == "customer" and not asks:
            doc.problem(
                "missing-key",
                f"{what} is the customer's to answer, so it needs a question",
                m["known_by"][1],
                hint="add question: ..., or say known_by: store",
            )
        if said == "store" and asks:
            doc.problem(
                "wrong-type",
                f"{what} is the store's to supply, so a customer is never asked it",
                m["question"][0],
                hint="remove the question, or say known_by: customer",
            )
        return "customer" if said == "customer" else "store"


def _settled(declared: Type | None, program: Program | None) -> Type | None:
    """The fact's type: as declared, an enum taking its values from the expression."""
    if declared is None or program is None:
        return None
    if declared.name == "enum" and not declared.values:
        return program.type if program.type.name == "enum" else None
    return declared
