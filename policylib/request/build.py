"""The validating request model of one pack, built from its vocabulary.

Each base object (``Customer``, ``Order``, ``Item``, ``Delivery``, ``Subscription``,
``Details``, ``Request``) gets a subclass with the pack's own fields and checks; the pack's
own object types (a delivery ``window``) become models of their own; ``Request.kind`` is
narrowed to the pack's kinds. The result is an ordinary pydantic model, so its JSON
Schema (with a description on every field and value) is what an LLM is given and what
the docs show, and a request validated by it is an instance of ``policylib.Request``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, create_model, model_validator
from pydantic_core import PydanticCustomError

from policylib.lang import types
from policylib.lang.expr import Env, Root
from policylib.lang.nodes import Check, FieldDef, ObjectDef, Vocabulary
from policylib.lang.types import Type
from policylib.request import base
from policylib.request.base import BASE_TYPES
from policylib.request.scalars import (
    Clock,
    Day,
    Moment,
    decimal_type,
    integer_type,
    money_type,
    text_type,
)

__all__ = [
    "BASE_OBJECTS",
    "build_models",
    "build_request_model",
    "expression_roots",
    "object_types",
]

BASE_OBJECTS: Mapping[str, type[base.BaseObject]] = {
    "Request": base.Request,
    "Customer": base.Customer,
    "Order": base.Order,
    "Item": base.Item,
    "Delivery": base.Delivery,
    "Subscription": base.Subscription,
    "Details": base.Details,
}
"""The base request's objects, by the name a vocabulary extends them under."""

# Where each base object sits in its parent: (parent, field, how it is held).
_NESTING: tuple[tuple[str, str, str, str], ...] = (
    ("Order", "items", "Item", "list"),
    ("Order", "delivery", "Delivery", "optional"),
    ("Request", "customer", "Customer", "default"),
    ("Request", "order", "Order", "optional"),
    ("Request", "subscription", "Subscription", "optional"),
    ("Request", "details", "Details", "default"),
)
_ORDER = ("Item", "Delivery", "Customer", "Subscription", "Details", "Order", "Request")


def build_request_model(vocabulary: Vocabulary) -> type[base.Request]:
    """The pack's request model: the base request with the vocabulary's fields and kinds."""
    model = build_models(vocabulary)["Request"]
    assert issubclass(model, base.Request)
    return model


def build_models(vocabulary: Vocabulary) -> dict[str, type[BaseModel]]:
    """Every model of the pack's request by object name: ``Request`` and the objects in it,
    and the pack's own types (``window``)."""
    builder = _Builder(vocabulary)
    builder.build()
    return builder.models


class _Builder:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.models: dict[str, type[BaseModel]] = {}

    def build(self) -> type[base.Request]:
        for name, spec in self.vocabulary.objects.items():
            if name not in BASE_OBJECTS:
                self.models[name] = self._own_type(spec)
        for name in _ORDER:
            self.models[name] = self._extended(name)
        model = self.models["Request"]
        assert issubclass(model, base.Request)
        model.kinds = dict(self.vocabulary.kinds)
        return model

    # ---------------------------------------------------------------- objects

    def _own_type(self, spec: ObjectDef) -> type[BaseModel]:
        """A pack-declared object type (a ``window`` of two clock times, say)."""
        fields = {name: self._field(f) for name, f in spec.fields.items()}
        return create_model(
            _model_name(spec.name),
            __base__=base.BaseObject,
            __doc__=spec.description or None,
            __validators__=_check_validators(spec.checks),
            **fields,
        )

    def _extended(self, name: str) -> type[BaseModel]:
        spec = self.vocabulary.objects.get(name)
        fields: dict[str, Any] = {}
        for parent, child_field, child, held in _NESTING:
            if parent == name:
                fields[child_field] = self._nested(parent, child_field, child, held)
        if spec is not None:
            for field_name, definition in spec.fields.items():
                fields[field_name] = self._field(definition)
        if name == "Request":
            fields["kind"] = self._kind_field()
        checks = spec.checks if spec is not None else ()
        return create_model(
            name,
            __base__=BASE_OBJECTS[name],
            __doc__=(spec.description if spec is not None else "") or BASE_OBJECTS[name].__doc__,
            __validators__=_check_validators(checks),
            **fields,
        )

    def _nested(self, parent: str, field_name: str, child: str, held: str) -> Any:
        model = self.models[child]
        info = BASE_OBJECTS[parent].model_fields[field_name]
        description = info.description
        if held == "list":
            annotation = Annotated[list[model], Field(min_length=1, max_length=base.MAX_ITEMS)]  # type: ignore[valid-type]
            return (annotation, Field(description=description))
        if held == "optional":
            return (model | None, Field(None, description=description))
        try:
            model()
        except ValueError:  # the pack made one of its fields required: so is the object
            return (model, Field(description=description))
        # a factory, not an instance: pydantic deep-copies a default model on every request
        return (model, Field(default_factory=model, description=description))

    def _kind_field(self) -> Any:
        kinds = self.vocabulary.kinds
        described = "; ".join(
            f"{name}: {_clause(kind.description)}" if kind.description else name
            for name, kind in kinds.items()
        )
        annotation = Literal[tuple(kinds)] if kinds else str
        return (
            annotation,
            Field(description=f"What the customer asks for. One of: {described}."),
        )

    # ---------------------------------------------------------------- fields

    def _field(self, f: FieldDef) -> Any:
        annotation = self._annotation(f)
        description = f.description
        if f.value_descriptions:
            values = "; ".join(
                f"{v}: {_clause(d)}" if d else v for v, d in f.value_descriptions.items()
            )
            description = f"{description} Values: {values}." if description else f"{values}."
        if f.required:
            return (annotation, Field(description=description or None))
        if f.default is not None:
            return (annotation, Field(f.default, description=description or None))
        return (annotation | None, Field(None, description=description or None))

    def _annotation(self, f: FieldDef) -> Any:
        kind = f.type.name
        if kind == "object":
            return self.models[f.type.object]
        if kind == "list":
            assert f.type.of is not None
            inner = self._annotation(FieldDef(f.name, f.type.of, max_length=f.max_length))
            return Annotated[list[inner], Field(max_length=50)]  # type: ignore[valid-type]
        return _scalar(f)


def _scalar(f: FieldDef) -> Any:
    kind = f.type.name
    if kind == "boolean":
        return Annotated[bool, Field(strict=True)]
    if kind == "integer":
        return integer_type(_int(f.minimum), _int(f.maximum))
    if kind == "decimal":
        return decimal_type(f.minimum, f.maximum)
    if kind == "money":
        return money_type(f.minimum, f.maximum)
    if kind == "enum":
        values = tuple(f.type.values)
        return Annotated[
            Literal[values],
            WithJsonSchema({"type": "string", "enum": list(values)}),
        ]
    if kind == "date":
        return Day
    if kind == "datetime":
        return Moment
    if kind == "time":
        return Clock
    return text_type(f.max_length)


def _int(value: int | Decimal | None) -> int | None:
    return None if value is None else int(value)


def _model_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) or name


def _check_validators(checks: tuple[Check, ...]) -> dict[str, Any]:
    if not checks:
        return {}

    def run_checks(self: BaseModel) -> BaseModel:
        env = Env.around(self)
        for check in checks:
            if check.program.run(env) is False:  # unknown passes: a check never guesses
                raise PydanticCustomError("failed-check", check.message, {"field": check.field})
        return self

    validator: Any = model_validator(mode="after")(run_checks)
    return {"_pack_checks": validator}


def object_types(vocabulary: Vocabulary) -> dict[str, dict[str, Type]]:
    """Every object's fields as expressions see them: the base request's, with the pack's
    own fields and types laid over them."""
    out: dict[str, dict[str, Type]] = {name: dict(fields) for name, fields in BASE_TYPES.items()}
    for name, spec in vocabulary.objects.items():
        fields = out.setdefault(name, {})
        for field_name, definition in spec.fields.items():
            fields[field_name] = definition.type
    out["Request"]["kind"] = types.enum(vocabulary.kinds) if vocabulary.kinds else types.TEXT
    return out


def expression_roots(vocabulary: Vocabulary) -> dict[str, Root]:
    """The names an expression starts from: the request's own fields (``order``,
    ``customer``, ``resolution`` ...; ``items`` is the skus the request is about, all of the
    order's when it names none), ``item`` (the item being decided), ``selected_items``
    (every item the request is about), ``now`` and ``today`` (the decision's clock, in the
    store's zone)."""
    fields = object_types(vocabulary)["Request"]
    roots = {
        name: Root(type_, _request_field(name), name, field=name) for name, type_ in fields.items()
    }
    # ``items`` as a rule reads it: the skus the request is about, every item of the order
    # when the request names none (so "each.sku in items" is never unknown)
    roots["items"] = Root(fields["items"], _selected_skus, "items")
    roots["item"] = Root(types.object_of("Item"), _item, "order.items[]", slot="item")
    roots["selected_items"] = Root(
        types.list_of(types.object_of("Item")), _selected, "order.items[]"
    )
    roots["now"] = Root(types.DATETIME, _now)
    roots["today"] = Root(types.DATE, _today)
    return roots


def _request_field(name: str) -> Callable[[Env], Any]:
    def get(env: Env) -> Any:
        return getattr(env.request, name)

    return get


def _item(env: Env) -> Any:
    return env.item


def _selected(env: Env) -> Any:
    return env.selected


def _selected_skus(env: Env) -> Any:
    return [item.sku for item in env.selected] if env.request.order is not None else None


def _now(env: Env) -> Any:
    return env.now


def _today(env: Env) -> Any:
    return env.today


def _clause(text: str) -> str:
    """A description as a clause of a list ("a: Faulty; b: Damaged."), its own full stop
    dropped so the list punctuates once."""
    return text.strip().rstrip(".")
