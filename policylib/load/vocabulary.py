"""``vocabulary.yaml``: what a request to the store can say.

::

    kinds:                      # the requests the store answers
      return: {per_item: true, description: Send items back for a refund or credit.}
      cancel: {subjects: [order, subscription]}
    types:                      # the pack's own object types
      window:
        fields:
          start: {type: time, required: true}
          end: {type: time, required: true}
        checks:
          - require: end > start
            message: a window must end after it starts
            field: end
    fields:                     # the store's fields on the base request's objects
      customer:
        level: {type: enum, values: {basic: No membership, member: A member}, default: basic}
      item:
        condition: {type: enum, values: [unopened, opened, used, damaged]}
    checks:                     # across fields of the whole request
      - require: not known(order.delivered_at) or order.status == "delivered"
        message: delivered_at is set but the status is not 'delivered'
        field: order.delivered_at
    choices: [kind, resolution, details]   # what the customer chooses (offers may change)

The objects are ``request`` (top-level fields), ``customer``, ``order``, ``item`` (each of
``order.items``), ``delivery`` (``order.delivery``), ``subscription`` and ``details``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from policylib.lang import types as t
from policylib.lang.expr import Env, Function, Root, Scope
from policylib.lang.nodes import Check, FieldDef, Kind, ObjectDef, Vocabulary
from policylib.lang.types import Type
from policylib.load.problems import one_of, suggest
from policylib.load.reader import Doc, Entries
from policylib.load.strict_yaml import MappingNode, Node, ScalarNode
from policylib.request.base import BASE_TYPES
from policylib.request.build import object_types

__all__ = ["OBJECT_KEYS", "read_vocabulary"]

OBJECT_KEYS: Mapping[str, str] = {
    "request": "Request",
    "customer": "Customer",
    "order": "Order",
    "item": "Item",
    "delivery": "Delivery",
    "subscription": "Subscription",
    "details": "Details",
}
"""The keys under ``fields:`` and the base objects they extend."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = ("kinds", "types", "fields", "checks", "choices")
_KIND_KEYS = ("per_item", "one_item", "subjects", "description")
_FIELD_KEYS = (
    "type",
    "of",
    "description",
    "required",
    "default",
    "values",
    "min",
    "max",
    "max_length",
)
_SUBJECTS = ("order", "subscription", "none")
_NARROWABLE = {("Order", "status"), ("Item", "category")}
"""Base text fields a pack may narrow to its own values."""


def read_vocabulary(
    doc: Doc, entries: Entries, functions: Mapping[str, Function]
) -> Vocabulary | None:
    """The vocabulary of ``vocabulary.yaml`` (its top-level ``entries``), or None."""
    return _Reader(doc, functions).read(entries)


class _Reader:
    def __init__(self, doc: Doc, functions: Mapping[str, Function]) -> None:
        self.doc = doc
        self.functions = functions
        self.type_names: dict[str, Node] = {}

    def read(self, entries: Entries) -> Vocabulary | None:
        doc = self.doc
        before = len(doc.problems)
        kinds = self.kinds(entries["kinds"][1]) if "kinds" in entries else {}
        if "kinds" not in entries:
            doc.problem(
                "missing-key",
                f"{doc.name} declares no request kinds",
                None,
                hint="list them under kinds:, like kinds: {return: {per_item: true}}",
            )
        type_nodes = doc.entries(entries, "types")
        for name, (knode, _) in type_nodes.items():
            if not _NAME.match(name) or name in t.SCALAR_NAMES or name in OBJECT_KEYS:
                doc.problem(
                    "bad-id",
                    f"type name '{name}' must be lowercase_words and not a built-in type",
                    knode,
                )
                continue
            self.type_names[name] = knode
        objects: dict[str, ObjectDef] = {}
        for name, (_, node) in type_nodes.items():
            if name in self.type_names:
                spec = self.object(name, node, base=None)
                if spec is not None:
                    objects[name] = spec
        for key, (knode, node) in doc.entries(entries, "fields").items():
            base = OBJECT_KEYS.get(key)
            if base is None:
                doc.problem(
                    "unknown-key",
                    f"'{key}' is not an object of the request",
                    knode,
                    hint=suggest(key, OBJECT_KEYS) or f"objects: {one_of(OBJECT_KEYS)}",
                )
                continue
            fields = self.fields(node, base, f"fields.{key}")
            if fields is not None:
                objects[base] = ObjectDef(base, fields, base=True, loc=doc.loc(knode))
        vocabulary = Vocabulary(kinds=kinds, objects=objects)
        if "checks" in entries:
            checks = self.checks(entries["checks"][1], "Request", vocabulary)
            request = objects.get("Request", ObjectDef("Request", {}, base=True))
            objects["Request"] = ObjectDef(
                "Request", request.fields, checks, request.description, True, request.loc
            )
        for name, (_, node) in type_nodes.items():
            if name in objects and isinstance(node, MappingNode):
                m = doc.mapping(node, f"type '{name}'", optional=None) or {}
                if "checks" in m:
                    spec = objects[name]
                    objects[name] = ObjectDef(
                        name,
                        spec.fields,
                        self.checks(m["checks"][1], name, vocabulary),
                        spec.description,
                        False,
                        spec.loc,
                    )
        choices: tuple[str, ...] = ()
        vocabulary = Vocabulary(kinds=kinds, objects=objects)
        if "choices" in entries:
            choices = self.choices(entries["choices"][1], vocabulary)
        if len(doc.problems) != before:
            return None
        return Vocabulary(kinds=kinds, objects=objects, choices=choices)

    # ---------------------------------------------------------------- kinds

    def kinds(self, node: Node) -> dict[str, Kind]:
        doc = self.doc
        out: dict[str, Kind] = {}
        for name, (knode, value) in (doc.mapping(node, "kinds", optional=None) or {}).items():
            if not _NAME.match(name):
                doc.problem("bad-id", f"kind '{name}' must be lowercase_words", knode)
                continue
            m = doc.mapping(value, f"kind '{name}'", optional=_KIND_KEYS)
            if m is None:
                continue
            per_item = doc.boolean(m["per_item"][1], "per_item") if "per_item" in m else False
            one_item = doc.boolean(m["one_item"][1], "one_item") if "one_item" in m else False
            subjects: list[str] = []
            listed = (
                doc.sequence(m["subjects"][1], "subjects", nonempty=True) if "subjects" in m else []
            )
            for item in listed or []:
                subject = doc.text(item, "subject")
                if subject is not None and subject not in _SUBJECTS:
                    doc.problem(
                        "unknown-enum-value",
                        f"'{subject}' is not a subject a request can have",
                        item,
                        hint=suggest(subject, _SUBJECTS) or f"use one of {one_of(_SUBJECTS)}",
                    )
                elif subject is not None:
                    subjects.append(subject)
            description = doc.optional(m, "description", doc.text, "")
            if per_item is None or one_item is None or description is None:
                continue
            out[name] = Kind(
                name,
                per_item=per_item,
                one_item=one_item,
                subjects=tuple(subjects) or ("order",),
                description=" ".join(description.split()),
                loc=doc.loc(knode),
            )
        return out

    # ---------------------------------------------------------------- objects and fields

    def object(self, name: str, node: Node, base: str | None) -> ObjectDef | None:
        doc = self.doc
        m = doc.mapping(
            node, f"type '{name}'", required=("fields",), optional=("description", "checks")
        )
        if m is None or "fields" not in m:
            return None
        fields = self.fields(m["fields"][1], None, f"type '{name}' fields")
        description = doc.optional(m, "description", doc.text, "")
        if fields is None or description is None:
            return None
        return ObjectDef(name, fields, (), " ".join(description.split()), False, doc.loc(node))

    def fields(self, node: Node, base: str | None, what: str) -> dict[str, FieldDef] | None:
        doc = self.doc
        m = doc.mapping(node, what, optional=None)
        if m is None:
            return None
        out: dict[str, FieldDef] = {}
        known = BASE_TYPES.get(base, {}) if base is not None else {}
        for name, (knode, value) in m.items():
            if not _NAME.match(name):
                doc.problem("bad-id", f"field name '{name}' must be lowercase_words", knode)
                continue
            if base == "Request" and name == "kind":
                doc.problem(
                    "unknown-key",
                    "the request's kind is declared under kinds:, not as a field",
                    knode,
                )
                continue
            found = self.field(name, value, f"{what}.{name}")
            if found is None:
                continue
            if name in known and base is not None:
                narrowing = (base, name) in _NARROWABLE and found.type.name == "enum"
                if not narrowing:
                    doc.problem(
                        "duplicate-id",
                        f"'{name}' is already a field of the base request's {base.lower()}",
                        knode,
                        hint="pick another name; only order.status and item.category can be "
                        "narrowed to the store's own values",
                    )
                    continue
                if (base, name) == ("Order", "status"):
                    found = _required(found)
                if (base, name) == ("Item", "category"):
                    found = _required(found)
            out[name] = found
        return out

    def field(self, name: str, node: Node, what: str) -> FieldDef | None:
        doc = self.doc
        m = doc.mapping(node, what, required=("type",), optional=_FIELD_KEYS[1:])
        if m is None or "type" not in m:
            return None
        before = len(doc.problems)
        type_ = self.type(m, what)
        description = doc.optional(m, "description", doc.text, "")
        required = doc.optional(m, "required", doc.boolean, False)
        values: dict[str, str] = {}
        if "values" in m:
            values = self.values(m["values"][1], what)
            if type_ is not None and type_.name != "enum":
                doc.problem("wrong-type", f"{what}: only enum fields take values", m["values"][0])
            elif type_ is not None:
                type_ = t.enum(values)
        elif type_ is not None and type_.name == "enum":
            doc.problem(
                "missing-key",
                f"{what} is an enum and needs its values",
                node,
                hint="list them: values: [a, b, c] (or a mapping value: what it means)",
            )
        minimum = doc.number(m["min"][1], f"{what} min") if "min" in m else None
        maximum = doc.number(m["max"][1], f"{what} max") if "max" in m else None
        max_length = (
            doc.integer(m["max_length"][1], f"{what} max_length") if "max_length" in m else None
        )
        default: Any = None
        if "default" in m and type_ is not None:
            default = self.default(m["default"][1], type_, what)
        if len(doc.problems) != before or type_ is None or description is None or required is None:
            return None
        return FieldDef(
            name,
            type_,
            description=" ".join(description.split()),
            required=required,
            default=default,
            minimum=minimum,
            maximum=maximum,
            max_length=max_length,
            value_descriptions={v: d for v, d in values.items() if d},
            loc=doc.loc(node),
        )

    def type(self, m: Entries, what: str) -> Type | None:
        doc = self.doc
        name = doc.text(m["type"][1], f"{what} type")
        if name is None:
            return None
        if name in t.SCALAR_NAMES:
            return Type(name)
        if name == "list":
            if "of" not in m:
                doc.problem(
                    "missing-key", f"{what} is a list: say of what (of: text)", m["type"][1]
                )
                return None
            inner = doc.text(m["of"][1], f"{what} of")
            if inner in ("text", "date", "integer"):
                return t.list_of(Type(inner))
            doc.problem(
                "wrong-type", f"{what}: lists hold text, dates or whole numbers", m["of"][1]
            )
            return None
        if name in self.type_names:
            return t.object_of(name)
        choices = [*t.SCALAR_NAMES, "list", *self.type_names]
        doc.problem(
            "wrong-type",
            f"{what} has unknown type '{name}'",
            m["type"][1],
            hint=suggest(name, choices) or f"use one of {one_of(choices)}",
        )
        return None

    def values(self, node: Node, what: str) -> dict[str, str]:
        """An enum's values: a list, or a mapping of value -> what it means."""
        doc = self.doc
        out: dict[str, str] = {}
        if isinstance(node, MappingNode):
            for value, (knode, meaning) in (
                doc.mapping(node, f"{what} values", optional=None) or {}
            ).items():
                words = doc.text(meaning, f"what '{value}' means")
                self._value(value, knode, out, " ".join((words or "").split()))
            return out
        for item in doc.sequence(node, f"{what} values", nonempty=True) or []:
            listed_value = doc.text(item, f"{what} value")
            if listed_value is not None and isinstance(item, ScalarNode):
                self._value(listed_value, item, out, "")
        return out

    def _value(self, value: str, node: Node, out: dict[str, str], meaning: str) -> None:
        if not _NAME.match(value):
            self.doc.problem(
                "bad-id", f"value '{value}' must be lowercase_words, like gift_card", node
            )
        elif value in out:
            self.doc.problem("duplicate-key", f"'{value}' is listed twice", node)
        else:
            out[value] = meaning

    def default(self, node: Node, type_: Type, what: str) -> Any:
        doc = self.doc
        if type_.name == "boolean":
            return doc.boolean(node, f"{what} default")
        if type_.name == "integer":
            return doc.integer(node, f"{what} default")
        if type_.name in ("decimal", "money"):
            return doc.decimal(node, f"{what} default")
        if type_.name in ("enum", "text"):
            value = doc.text(node, f"{what} default")
            if value is not None and type_.name == "enum" and value not in type_.values:
                doc.problem(
                    "unknown-enum-value",
                    f"the default '{value}' is not one of the values",
                    node,
                    hint=suggest(value, type_.values) or f"use one of {one_of(type_.values)}",
                )
                return None
            return value
        doc.problem("wrong-type", f"{what}: only booleans, numbers and text take a default", node)
        return None

    # ---------------------------------------------------------------- checks and choices

    def checks(self, node: Node, owner: str, vocabulary: Vocabulary) -> tuple[Check, ...]:
        doc = self.doc
        objects = object_types(vocabulary)
        fields = objects.get(owner, {})
        scope = Scope(
            roots={name: Root(type_, _field_of(name)) for name, type_ in fields.items()},
            objects=objects,
            functions=self.functions,
        )
        out: list[Check] = []
        for item in doc.sequence(node, "checks") or []:
            m = doc.mapping(item, "a check", required=("require", "message"), optional=("field",))
            if m is None or "require" not in m or "message" not in m:
                continue
            program = doc.expression(m["require"][1], "check", scope, t.BOOLEAN)
            message = doc.text(m["message"][1], "check message")
            where = doc.optional(m, "field", doc.text, "", "check field")
            if program is not None and message is not None and where is not None:
                out.append(Check(program, " ".join(message.split()), where, doc.loc(item)))
        return tuple(out)

    def choices(self, node: Node, vocabulary: Vocabulary) -> tuple[str, ...]:
        doc = self.doc
        objects = object_types(vocabulary)
        out: list[str] = []
        for item in doc.sequence(node, "choices") or []:
            path = doc.text(item, "a choice")
            if path is None:
                continue
            problem = _path_problem(path, objects)
            if problem:
                doc.problem("unknown-key", f"choice '{path}': {problem}", item)
            else:
                out.append(path)
        return tuple(out)


def _required(found: FieldDef) -> FieldDef:
    return FieldDef(
        found.name,
        found.type,
        found.description,
        True,
        found.default,
        found.minimum,
        found.maximum,
        found.max_length,
        found.value_descriptions,
        found.loc,
    )


def _field_of(name: str) -> Any:
    def get(env: Env) -> Any:
        return getattr(env.each, name, None)

    return get


def _path_problem(path: str, objects: Mapping[str, Mapping[str, Type]]) -> str:
    """What is wrong with a dotted request path (list steps excluded), or ""."""
    current = "Request"
    parts = path.split(".")
    for index, part in enumerate(parts):
        fields = objects.get(current, {})
        if part not in fields:
            return f"'{part}' is not a field here" + (
                f" ({suggest(part, fields)})" if suggest(part, fields) else ""
            )
        found = fields[part]
        if found.name == "object":
            current = found.object
        elif index < len(parts) - 1:
            return f"'{part}' has no fields"
    return ""
