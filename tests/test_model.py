"""Request validation: every malformed input gets a RequestError naming the field and value."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylib import Request, RequestError, parse_request
from policylib.model import MAX_REQUEST_BYTES
from tests.strategies import any_request, request


def test_canonical_request_parses_with_decimal_money_and_aware_datetimes() -> None:
    req = parse_request(request())
    item = req.order.items[0] if req.order else None
    assert item is not None
    assert item.price == Decimal("49.99")
    assert isinstance(req.requested_at, datetime)
    assert req.requested_at.utcoffset() is not None
    assert req.order is not None and req.order.delivery is not None
    assert req.order.delivery.scheduled_date == date(2026, 11, 25)


def test_json_text_and_model_instances_are_accepted() -> None:
    from_text = parse_request(json.dumps(request()))
    assert from_text == parse_request(request())
    assert parse_request(from_text) is from_text


def test_money_as_decimal_string_and_float_agree() -> None:
    as_string = parse_request(request(**{"order.items.0.price": "49.99"}))
    as_float = parse_request(request())
    assert as_string == as_float


def test_bare_date_is_accepted_for_requested_at() -> None:
    req = parse_request(request(requested_at="2026-11-20"))
    assert req.requested_at == date(2026, 11, 20)


MALFORMED: list[tuple[str, Any, str, str]] = [
    # (case, request, field path named, text the message must contain)
    ("unknown kind", request(kind="refund_everything"), "kind", "refund_everything"),
    ("negative price", request(**{"order.items.0.price": -5}), "order.items[0].price", "negative"),
    (
        "naive datetime",
        request(requested_at="2026-11-20T15:00:00"),
        "requested_at",
        "time zone",
    ),
    ("unparseable date", request(requested_at="next tuesday"), "requested_at", "next tuesday"),
    ("impossible date", request(requested_at="2026-02-30"), "requested_at", "2026-02-30"),
    ("NaN price", request(**{"order.items.0.price": float("nan")}), "order.items[0].price", "NaN"),
    (
        "infinite price",
        request(**{"order.items.0.price": float("inf")}),
        "order.items[0].price",
        "inf",
    ),
    (
        "text for a number",
        request(**{"order.items.0.price": "cheap"}),
        "order.items[0].price",
        "cheap",
    ),
    (
        "text for quantity",
        request(**{"order.items.0.quantity": "2"}),
        "order.items[0].quantity",
        "'2'",
    ),
    ("bool for money", request(**{"order.items.0.price": True}), "order.items[0].price", "True"),
    ("unknown key", request(surprise=1), "surprise", "unknown field"),
    (
        "unknown nested key",
        request(**{"order.items.0.colour": "red"}),
        "order.items[0].colour",
        "unknown",
    ),
    ("bad status", request(**{"order.status": "lost"}), "order.status", "lost"),
    (
        "bad condition",
        request(**{"order.items.0.condition": "mint"}),
        "order.items[0].condition",
        "mint",
    ),
    ("unknown sku", request(items=["NOPE"]), "items[0]", "NOPE"),
    (
        "bad window",
        request(**{"details.new_window": {"start": "12:00", "end": "08:00"}}),
        "details.new_window",
        "end after",
    ),
    ("bad clock", request(**{"details.exact_time": "25:99"}), "details.exact_time", "25:99"),
    ("name with markup", request(**{"customer.name": "<b>Dana</b>"}), "customer.name", "angle"),
    ("huge price", request(**{"order.items.0.price": 10**12}), "order.items[0].price", "plausible"),
]


@pytest.mark.parametrize(
    ("case", "data", "field", "text"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_request_names_field_and_value(
    case: str, data: Any, field: str, text: str
) -> None:
    with pytest.raises(RequestError) as info:
        parse_request(data)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.problems, case
    wheres = [p.where for p in error.problems]
    assert field in wheres, f"{case}: {wheres}"
    assert text.lower() in str(error).lower(), str(error)
    assert "pydantic" not in str(error).lower()
    assert error.__cause__ is None or not isinstance(error.__cause__, pydantic.ValidationError)


@pytest.mark.parametrize("data", [[1, 2], "[1, 2]", 42, None, "null", '"text"'])
def test_non_object_is_refused(data: Any) -> None:
    with pytest.raises(RequestError, match="object"):
        parse_request(data)


def test_invalid_json_text_names_line_and_column() -> None:
    with pytest.raises(RequestError) as info:
        parse_request('{"kind": "return",\n "order": }')
    assert "line 2" in str(info.value)


def test_nan_in_json_text_is_refused() -> None:
    text = json.dumps(request()).replace("49.99", "NaN")
    with pytest.raises(RequestError, match="NaN"):
        parse_request(text)


def test_oversized_payload_is_refused_before_parsing() -> None:
    text = json.dumps(request(**{"details.note": "x" * 10})) + " " * MAX_REQUEST_BYTES
    with pytest.raises(RequestError, match="limit"):
        parse_request(text)


def test_deeply_nested_json_is_a_request_error() -> None:
    with pytest.raises(RequestError):
        parse_request("[" * 100_000 + "]" * 100_000)


def test_subscription_request_cannot_carry_an_order() -> None:
    data = request(subscription={"id": "S", "plan": "p", "started_at": "2026-01-01", "price": 5})
    with pytest.raises(RequestError, match="not both"):
        parse_request(data)


def test_every_problem_is_reported_together() -> None:
    data = request(kind="nope", **{"order.items.0.price": -1, "customer.tier": "gold"})
    with pytest.raises(RequestError) as info:
        parse_request(data)
    wheres = {p.where for p in info.value.problems}
    assert {"kind", "order.items[0].price", "customer.tier"} <= wheres


def test_requests_are_frozen() -> None:
    req = parse_request(request())
    with pytest.raises(pydantic.ValidationError):
        req.kind = "cancel"  # type: ignore[misc]


@given(any_request)
def test_generated_requests_validate(data: dict[str, Any]) -> None:
    assert isinstance(parse_request(data), Request)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_arbitrary_json_never_leaks_a_foreign_exception(data: Any) -> None:
    with contextlib.suppress(RequestError):
        parse_request(data)


@pytest.mark.parametrize(
    ("case", "changes", "text"),
    [
        ("year 1", {"order.delivered_at": "0001-01-01T00:00:00+05:00"}, "not plausible"),
        ("year 9999", {"requested_at": "9999-12-31T23:00:00-05:00"}, "not plausible"),
        (
            "delivered before placed",
            {"order.delivered_at": "2026-11-01T10:00:00-05:00"},
            "before placed_at",
        ),
        (
            "delivered after the request",
            {"order.delivered_at": "2026-11-21T10:00:00-05:00"},
            "after requested_at",
        ),
    ],
)
def test_impossible_timelines_are_request_errors(
    case: str, changes: dict[str, Any], text: str
) -> None:
    with pytest.raises(RequestError, match=text):
        parse_request(request(**changes))


def test_price_adjustment_is_for_one_item_at_a_time() -> None:
    two = request(
        kind="price_adjustment",
        items=["TS-100", "LAMP-1"],
        **{
            "details.current_price": "30",
            "order.items": [
                request()["order"]["items"][0],
                {"sku": "LAMP-1", "name": "Desk lamp", "category": "decor", "price": 79},
            ],
        },
    )
    with pytest.raises(RequestError, match="one item at a time"):
        parse_request(two)
