"""Request validation: the pack's request model and the base ``policylib.Request``.

Hearth & Home's fields (tier, condition, reason, resolution, delivery, details ...) exist
only on the model the bundled pack builds (``policy.request_model``); the base request has
what any retailer's request has, with kinds as free text. Every malformed input gets a
``RequestError`` naming the field, the value and a stable code.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import policylib
from policylib import Request, RequestError, parse_request
from policylib.request.parse import MAX_REQUEST_BYTES
from tests import ROOT
from tests.requests import any_request, request

EXAMPLES = sorted((ROOT / "rules" / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def model(bundled_policy: policylib.Policy) -> type[Request]:
    """The bundled pack's request model."""
    return bundled_policy.request_model


def problems(data: object, model: type[Request]) -> list[tuple[str, str]]:
    """(code, field) of every problem ``parse_request`` finds; fails if there is none."""
    with pytest.raises(RequestError) as info:
        parse_request(data, model)
    assert isinstance(info.value, ValueError)
    return [(p.code, p.where) for p in info.value.problems]


SUBSCRIPTION: dict[str, Any] = {
    "kind": "cancel",
    "requested_at": "2026-11-20T15:00:00-05:00",
    "subscription": {
        "id": "S-1",
        "type": "session_plan",
        "plan": "10 sessions",
        "started_at": "2026-10-01T09:00:00-04:00",
        "price": "400",
        "sessions_total": 10,
        "sessions_remaining": 3,
    },
}

LAMP = {"sku": "LAMP-1", "name": "Desk lamp", "category": "decor", "price": 79}


def two_items(**changes: Any) -> dict[str, Any]:
    """The sample request with a second item in the order."""
    return request(**{"order.items": [request()["order"]["items"][0], LAMP], **changes})


# --------------------------------------------------------------------------- the pack's model


def test_canonical_request_parses_with_decimal_money_and_aware_datetimes(
    model: type[Request],
) -> None:
    req: Any = parse_request(request(), model)
    assert isinstance(req, Request) and type(req) is model
    item = req.order.items[0]
    assert item.price == Decimal("49.99")
    assert isinstance(req.requested_at, datetime)
    assert req.requested_at.utcoffset() is not None
    assert req.order.delivery.scheduled_date == date(2026, 11, 25)
    assert req.order.delivery.window.start == time(8, 0)
    assert (item.condition, item.final_sale, req.customer.tier) == ("opened", False, "standard")
    assert (req.reason, req.resolution) == ("changed_mind", "refund")


def test_the_packs_defaults_fill_what_the_request_leaves_out(model: type[Request]) -> None:
    data = request(**{"customer.tier": ..., "order.items.0.final_sale": ...})
    req: Any = parse_request(data, model)
    assert req.customer.tier == "standard" and req.order.items[0].final_sale is False
    assert req.order.items[0].price_adjusted is False


def test_json_text_and_model_instances_are_accepted(model: type[Request]) -> None:
    from_text = parse_request(json.dumps(request()), model)
    assert from_text == parse_request(request(), model)
    assert parse_request(from_text, model) is from_text
    assert parse_request(json.dumps(request()).encode(), model) == from_text


def test_money_as_decimal_string_and_float_agree(model: type[Request]) -> None:
    as_string = parse_request(request(**{"order.items.0.price": "49.99"}), model)
    assert as_string == parse_request(request(), model)


def test_bare_date_is_accepted_for_requested_at(model: type[Request]) -> None:
    req = parse_request(request(requested_at="2026-11-20"), model)
    assert req.requested_at == date(2026, 11, 20)


MALFORMED: list[tuple[str, Any, str, str, str]] = [
    # (case, request, field path named, code, text the message must contain)
    ("unknown kind", request(kind="refund_everything"), "kind", "unknown-enum-value", "refund_e"),
    (
        "negative price",
        request(**{"order.items.0.price": -5}),
        "order.items[0].price",
        "out-of-range",
        "negative",
    ),
    (
        "naive datetime",
        request(requested_at="2026-11-20T15:00:00"),
        "requested_at",
        "bad-format",
        "time zone",
    ),
    (
        "unparseable date",
        request(requested_at="next tuesday"),
        "requested_at",
        "bad-format",
        "next tuesday",
    ),
    (
        "impossible date",
        request(requested_at="2026-02-30"),
        "requested_at",
        "bad-format",
        "2026-02-30",
    ),
    (
        "NaN price",
        request(**{"order.items.0.price": float("nan")}),
        "order.items[0].price",
        "bad-format",
        "NaN",
    ),
    (
        "infinite price",
        request(**{"order.items.0.price": float("inf")}),
        "order.items[0].price",
        "bad-format",
        "inf",
    ),
    (
        "text for a number",
        request(**{"order.items.0.price": "cheap"}),
        "order.items[0].price",
        "bad-format",
        "cheap",
    ),
    (
        "text for quantity",
        request(**{"order.items.0.quantity": "2"}),
        "order.items[0].quantity",
        "wrong-type",
        "'2'",
    ),
    (
        "bool for money",
        request(**{"order.items.0.price": True}),
        "order.items[0].price",
        "wrong-type",
        "True",
    ),
    (
        "text for a boolean",
        request(**{"order.items.0.final_sale": "yes"}),
        "order.items[0].final_sale",
        "wrong-type",
        "yes",
    ),
    ("unknown key", request(surprise=1), "surprise", "unknown-key", "unknown field"),
    (
        "unknown nested key",
        request(**{"order.items.0.colour": "red"}),
        "order.items[0].colour",
        "unknown-key",
        "unknown",
    ),
    (
        "bad status",
        request(**{"order.status": "lost"}),
        "order.status",
        "unknown-enum-value",
        "lost",
    ),
    (
        "bad condition",
        request(**{"order.items.0.condition": "mint"}),
        "order.items[0].condition",
        "unknown-enum-value",
        "mint",
    ),
    (
        "bad tier",
        request(**{"customer.tier": "gold"}),
        "customer.tier",
        "unknown-enum-value",
        "gold",
    ),
    ("unknown sku", request(items=["NOPE"]), "items[0]", "unknown-item", "NOPE"),
    ("sku twice", request(items=["TS-100", "TS-100"]), "items[1]", "duplicate-id", "twice"),
    (
        "bad window",
        request(**{"details.new_window": {"start": "12:00", "end": "08:00"}}),
        "details.new_window.end",
        "failed-check",
        "end after",
    ),
    (
        "half a window",
        request(**{"details.new_window": {"start": "12:00"}}),
        "details.new_window.end",
        "missing-key",
        "required",
    ),
    (
        "bad clock",
        request(**{"details.exact_time": "25:99"}),
        "details.exact_time",
        "bad-format",
        "25:99",
    ),
    (
        "date-time for a day",
        request(**{"order.delivery.scheduled_date": "2026-11-25T10:00:00-05:00"}),
        "order.delivery.scheduled_date",
        "bad-format",
        "calendar date",
    ),
    (
        "transit beyond its bound",
        request(**{"order.delivery.transit_days": {"min": 3, "max": 99}}),
        "order.delivery.transit_days.max",
        "out-of-range",
        "at most 60",
    ),
    (
        "address too long",
        request(**{"details.new_address": "x" * 301}),
        "details.new_address",
        "too-long",
        "300",
    ),
    (
        "name with markup",
        request(**{"customer.name": "<b>Dana</b>"}),
        "customer.name",
        "bad-format",
        "angle",
    ),
    (
        "huge price",
        request(**{"order.items.0.price": 10**12}),
        "order.items[0].price",
        "out-of-range",
        "plausible",
    ),
]


@pytest.mark.parametrize(
    ("case", "data", "field", "code", "text"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_request_names_field_code_and_value(
    model: type[Request], case: str, data: Any, field: str, code: str, text: str
) -> None:
    with pytest.raises(RequestError) as info:
        parse_request(data, model)
    error = info.value
    assert isinstance(error, ValueError)
    assert (code, field) in [(p.code, p.where) for p in error.problems], str(error)
    assert text.lower() in str(error).lower(), str(error)
    assert "pydantic" not in str(error).lower() and "input should" not in str(error).lower()
    assert error.__cause__ is None or not isinstance(error.__cause__, pydantic.ValidationError)


def test_an_unknown_enum_value_suggests_the_nearest_one(model: type[Request]) -> None:
    with pytest.raises(RequestError) as info:
        parse_request(request(resolution="store_credt"), model)
    assert info.value.problems[0].hint == "did you mean 'store_credit'?"


@pytest.mark.parametrize("data", [[1, 2], "[1, 2]", 42, None, "null", '"text"'])
def test_non_object_is_refused(model: type[Request], data: Any) -> None:
    assert problems(data, model) == [("not-an-object", "(request)")]


def test_invalid_json_text_names_line_and_column(model: type[Request]) -> None:
    with pytest.raises(RequestError) as info:
        parse_request('{"kind": "return",\n "order": }', model)
    assert "line 2" in str(info.value)
    assert [p.code for p in info.value.problems] == ["invalid-json"]


def test_nan_in_json_text_is_refused(model: type[Request]) -> None:
    text = json.dumps(request()).replace("49.99", "NaN")
    with pytest.raises(RequestError, match="NaN"):
        parse_request(text, model)


def test_oversized_payload_is_refused_before_parsing(model: type[Request]) -> None:
    text = json.dumps(request(**{"details.note": "x" * 10})) + " " * MAX_REQUEST_BYTES
    assert problems(text, model) == [("too-large", "(request)")]


def test_deeply_nested_json_is_a_request_error(model: type[Request]) -> None:
    deep = '{"kind": ' + "[" * 10_000 + "]" * 10_000 + "}"
    assert [code for code, _ in problems(deep, model)] == ["nesting-too-deep"]
    assert problems("[" * 100_000 + "]" * 100_000, model) == [("too-large", "(request)")]


def test_subscription_request_cannot_carry_an_order(model: type[Request]) -> None:
    data = request(
        kind="cancel",
        subscription={"id": "S", "plan": "p", "started_at": "2026-01-01", "price": 5},
    )
    assert ("not-both", "subscription") in problems(data, model)


def test_every_problem_is_reported_together(model: type[Request]) -> None:
    data = request(kind="nope", **{"order.items.0.price": -1, "customer.tier": "gold"})
    wheres = {where for _, where in problems(data, model)}
    assert {"kind", "order.items[0].price", "customer.tier"} <= wheres


def test_requests_are_frozen(model: type[Request]) -> None:
    req = parse_request(request(), model)
    with pytest.raises(pydantic.ValidationError):
        req.kind = "cancel"


@given(any_request)
def test_generated_requests_validate(
    bundled_policy: policylib.Policy, data: dict[str, Any]
) -> None:
    req = parse_request(data, bundled_policy.request_model)
    assert isinstance(req, Request) and req.kind == data["kind"]


_ARBITRARY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(_ARBITRARY)
def test_arbitrary_json_never_leaks_a_foreign_exception(
    bundled_policy: policylib.Policy, data: Any
) -> None:
    for model in (bundled_policy.request_model, Request):
        with contextlib.suppress(RequestError):
            parse_request(data, model)


@pytest.mark.parametrize(
    ("case", "changes", "code", "field", "text"),
    [
        (
            "year 1",
            {"order.delivered_at": "0001-01-01T00:00:00+05:00"},
            "out-of-range",
            "order.delivered_at",
            "not plausible",
        ),
        (
            "year 9999",
            {"requested_at": "9999-12-31T23:00:00-05:00"},
            "out-of-range",
            "requested_at",
            "not plausible",
        ),
        (
            "delivered before placed",
            {"order.delivered_at": "2026-11-01T10:00:00-05:00"},
            "bad-timeline",
            "order.delivered_at",
            "delivered_at is before placed_at",
        ),
        (
            "delivered after the request",
            {"order.delivered_at": "2026-11-21T10:00:00-05:00"},
            "bad-timeline",
            "order.delivered_at",
            "after requested_at",
        ),
    ],
)
def test_impossible_timelines_are_request_errors(
    model: type[Request], case: str, changes: dict[str, Any], code: str, field: str, text: str
) -> None:
    with pytest.raises(RequestError, match=text) as info:
        parse_request(request(**changes), model)
    assert (code, field) in [(p.code, p.where) for p in info.value.problems]


# --------------------------------------------------------------------------- the pack's checks


@pytest.mark.parametrize(
    ("case", "data", "field"),
    [
        (
            "a wished-for window ending before it starts",
            request(**{"details.new_window": {"start": "12:00", "end": "08:00"}}),
            "details.new_window.end",
        ),
        (
            "a booked window ending as it starts",
            request(**{"order.delivery.window": {"start": "12:00", "end": "12:00"}}),
            "order.delivery.window.end",
        ),
        (
            "transit days fewest above most",
            request(**{"order.delivery.transit_days": {"min": 5, "max": 3}}),
            "order.delivery.transit_days.max",
        ),
        (
            "delivered_at on an order that has only shipped",
            request(**{"order.status": "shipped"}),
            "order.delivered_at",
        ),
        (
            "more sessions remaining than bought",
            {
                **SUBSCRIPTION,
                "subscription": {**SUBSCRIPTION["subscription"], "sessions_remaining": 11},
            },
            "subscription.sessions_remaining",
        ),
    ],
)
def test_a_failed_check_is_reported_at_the_field_it_names(
    model: type[Request], case: str, data: Any, field: str
) -> None:
    assert problems(data, model) == [("failed-check", field)]


def test_a_check_on_something_unknown_passes(model: type[Request]) -> None:
    # sessions_total left out: the check cannot say it fails, so it does not guess.
    plan = {k: v for k, v in SUBSCRIPTION["subscription"].items() if k != "sessions_total"}
    assert parse_request({**SUBSCRIPTION, "subscription": plan}, model) is not None
    window = {"start": "16:00", "end": "24:00"}  # the end of the day is after 16:00
    assert parse_request(request(**{"details.new_window": window}), model) is not None


def test_the_check_message_is_the_packs_own(model: type[Request]) -> None:
    bad = request(**{"order.status": "shipped"})
    with pytest.raises(RequestError, match="delivered_at is set but the status is not"):
        parse_request(bad, model)


# --------------------------------------------------------------------------- kinds


def test_a_kind_about_orders_and_subscriptions_accepts_a_subscription(
    model: type[Request],
) -> None:
    req: Any = parse_request(SUBSCRIPTION, model)
    assert req.kind == "cancel" and req.order is None
    assert req.subscription.sessions_remaining == 3
    assert model.kinds["cancel"].subjects == ("order", "subscription")


@pytest.mark.parametrize("kind", ["return", "exchange", "change_delivery", "price_adjustment"])
def test_a_kind_about_orders_only_refuses_a_subscription_naming_kind(
    model: type[Request], kind: str
) -> None:
    assert model.kinds[kind].subjects == ("order",)
    with pytest.raises(RequestError) as info:
        parse_request({**SUBSCRIPTION, "kind": kind}, model)
    assert [(p.code, p.where) for p in info.value.problems] == [("wrong-kind", "kind")]
    assert "for a subscription, ask: cancel" in str(info.value)


def test_a_kind_about_nothing_needs_neither_order_nor_subscription(model: type[Request]) -> None:
    bare = {"kind": "delivery_estimate", "requested_at": "2026-11-20T15:00:00-05:00"}
    assert parse_request(bare, model).kind == "delivery_estimate"
    assert problems({**bare, "kind": "return"}, model) == [("missing-key", "order")]
    assert problems({**bare, "kind": "cancel"}, model) == [("missing-key", "order")]


def test_a_one_item_kind_needs_exactly_one_item(model: type[Request]) -> None:
    adjust = {"kind": "price_adjustment", "details.current_price": "30"}
    assert model.kinds["price_adjustment"].one_item
    assert problems(two_items(items=["TS-100", "LAMP-1"], **adjust), model) == [
        ("one-item", "items")
    ]
    # The whole order is named when items is left out: two items there are two too many.
    assert problems(two_items(items=..., **adjust), model) == [("one-item", "items")]
    assert parse_request(two_items(items=["LAMP-1"], **adjust), model).items == ["LAMP-1"]
    assert parse_request(request(items=..., **adjust), model).items is None  # its one item


def test_other_kinds_take_several_items(model: type[Request]) -> None:
    req = parse_request(two_items(items=["TS-100", "LAMP-1"]), model)
    assert [item.sku for item in req.selected_items()] == ["TS-100", "LAMP-1"]


def test_an_empty_items_list_is_refused(model: type[Request]) -> None:
    assert problems(request(items=[]), model) == [("too-short", "items")]


# --------------------------------------------------------------------------- the JSON Schema


def _objects(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield schema.get("title", "Request"), schema
    yield from schema.get("$defs", {}).items()


def _described(schema: dict[str, Any], prop: dict[str, Any]) -> bool:
    """A property says what it means, itself or (a bare ``$ref``) through its object."""
    if prop.get("description"):
        return True
    ref = prop.get("$ref", "")
    target = schema["$defs"].get(ref.removeprefix("#/$defs/")) if ref else None
    return bool(target and target.get("description"))


def test_every_property_of_the_schema_has_a_description(
    bundled_policy: policylib.Policy,
) -> None:
    schema = bundled_policy.request_schema()
    assert {"Window", "DayRange", "Item", "Order", "Delivery"} <= set(schema["$defs"])
    missing = [
        f"{name}.{prop}"
        for name, obj in _objects(schema)
        for prop, spec in obj.get("properties", {}).items()
        if not _described(schema, spec)
    ]
    assert not missing
    for name, obj in _objects(schema):
        assert obj.get("description"), name


def _enums(spec: dict[str, Any]) -> list[str]:
    found = list(spec.get("enum", ()))
    for option in spec.get("anyOf", ()):
        found += option.get("enum", ())
    return found


def test_every_enum_value_appears_in_the_schema(bundled_policy: policylib.Policy) -> None:
    schema = bundled_policy.request_schema()
    vocabulary = bundled_policy.pack.vocabulary
    defs = {name.lower(): obj for name, obj in _objects(schema)}
    checked = 0
    for name, obj in vocabulary.objects.items():
        for field_name, field in obj.fields.items():
            if field.type.name != "enum":
                continue
            spec = defs[name.replace("_", "").lower()]["properties"][field_name]
            assert _enums(spec) == list(field.type.values), f"{name}.{field_name}"
            for value, meaning in field.value_descriptions.items():
                assert f"{value}: {meaning.rstrip('.')}" in spec["description"], (
                    f"{name}.{field_name}"
                )
            checked += 1
    assert checked >= 8  # reason, resolution, tier, status, condition, method, type, period
    kind = schema["properties"]["kind"]
    assert _enums(kind) == list(vocabulary.kinds)
    for name, spec in vocabulary.kinds.items():
        assert f"{name}: {spec.description.rstrip('.')}" in kind["description"]


def test_schema_descriptions_are_punctuated_once(bundled_policy: policylib.Policy) -> None:
    schema = bundled_policy.request_schema()
    texts = [
        spec.get("description", "")
        for _, obj in _objects(schema)
        for spec in obj.get("properties", {}).values()
    ]
    assert not [t for t in texts if ".." in t or ".;" in t]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_validated_request_survives_its_own_json(
    bundled_policy: policylib.Policy, path: Path
) -> None:
    model = bundled_policy.request_model
    req = parse_request(path.read_text(), model)
    schema = bundled_policy.request_schema()
    for dumped in (req.model_dump(mode="json"), req.model_dump(mode="json", exclude_none=True)):
        assert parse_request(dumped, model) == req
        assert parse_request(json.dumps(dumped), model) == req
        jsonschema.validate(dumped, schema)


# --------------------------------------------------------------------------- the base request

BASE: dict[str, Any] = {
    "kind": "rent_a_van",
    "requested_at": "2026-11-20T15:00:00-05:00",
    "order": {
        "id": "O-1",
        "placed_at": "2026-11-10T10:00:00-05:00",
        "status": "awaiting_pickup",
        "items": [{"sku": "A-1", "name": "Van hire", "category": "services", "price": "5"}],
    },
}


@pytest.mark.parametrize("kind", ["rent_a_van", "question", "return", "k2"])
def test_the_base_request_takes_any_kind_as_free_text(kind: str) -> None:
    req = parse_request({**BASE, "kind": kind})
    assert type(req) is Request and req.kind == kind
    assert Request.kinds == {}


@pytest.mark.parametrize("kind", ["Rent A Van", "2fast", "", "x" * 41])
def test_a_base_kind_is_still_a_lowercase_tag(kind: str) -> None:
    assert problems({**BASE, "kind": kind}, Request) == [("bad-format", "kind")]


def test_the_base_request_has_no_store_fields() -> None:
    found = problems(request(), Request)
    for where in ("customer.tier", "reason", "resolution", "order.items[0].condition"):
        assert ("unknown-key", where) in found
    assert ("unknown-key", "order.delivery.window") in found


def test_an_unknown_field_of_an_object_without_fields_gets_a_useful_hint() -> None:
    order = {**BASE["order"], "delivery": {"method": "standard"}}
    with pytest.raises(RequestError) as info:
        parse_request({**BASE, "order": order})
    (problem,) = info.value.problems
    assert (problem.code, problem.where) == ("unknown-key", "order.delivery.method")
    assert problem.hint and not problem.hint.endswith(": ")


def test_the_base_order_status_is_free_text() -> None:
    req: Any = parse_request(BASE)
    assert req.order.status == "awaiting_pickup"


def test_the_base_request_allows_any_subject() -> None:
    assert parse_request({"kind": "question"}).order is None
    plan = {"id": "S", "plan": "p", "started_at": "2026-01-01", "price": 5}
    assert parse_request({"kind": "question", "subscription": plan}).subscription is not None
    assert ("not-both", "subscription") in problems({**BASE, "subscription": plan}, Request)


def test_the_base_request_keeps_its_generic_checks() -> None:
    assert problems({**BASE, "items": ["NOPE"]}, Request) == [("unknown-item", "items[0]")]
    assert problems({**BASE, "items": []}, Request) == [("too-short", "items")]
    late = {**BASE["order"], "delivered_at": "2026-11-21T10:00:00-05:00"}
    assert problems({**BASE, "order": late}, Request) == [("bad-timeline", "order.delivered_at")]


def test_a_pack_request_is_a_base_request(model: type[Request]) -> None:
    req = parse_request(request(), model)
    assert isinstance(req, Request) and issubclass(model, Request)
    assert parse_request(req) is req  # already a (subclass of) Request: kept as it is
    assert [i.sku for i in req.selected_items()] == ["TS-100"]


def test_the_base_schema_describes_every_property() -> None:
    schema = Request.model_json_schema()
    for name, obj in _objects(schema):
        for prop, spec in obj.get("properties", {}).items():
            assert _described(schema, spec), f"{name}.{prop}"
