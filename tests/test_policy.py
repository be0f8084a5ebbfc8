"""End to end on the bundled pack: the properties every decision must have."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policylib
from policylib import Decision, Outcome, Pack, Policy, PolicyError, Problem, RequestError
from policylib.output.decision import Alternative, Audience, Format
from tests.requests import NOW, any_request, request

AUDIENCES: tuple[Audience, ...] = ("customer", "agent", "chat")
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
RULE_ID = re.compile(r"\b[A-Z]{2,}(-[A-Z0-9]+)*-\d+\b")
PLACEHOLDER = re.compile(r"\{\s*\$|\{\s*[a-z_]+\s*\}")


def apply_change(data: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for path, value in change.items():
        target = changed
        parts = path.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return changed


def _taken(data: dict[str, Any], alt: Alternative) -> list[dict[str, Any]]:
    """The request as it would be with the offer taken. An offer about one item of several
    (``alt.item``, by name) is re-decided for that item alone: the others may still wait on
    an answer. Items can share a name, so each item of that name is a candidate."""
    changed = apply_change(data, alt.change)
    items = (data.get("order") or {}).get("items") or ()
    skus = [i["sku"] for i in items if alt.item is not None and i.get("name") == alt.item]
    if not skus or "items" in alt.change:
        return [changed]
    return [{**changed, "items": [sku]} for sku in skus]


def _without_names(text: str, data: dict[str, Any]) -> str:
    order = data.get("order") or {}
    names = [
        (data.get("customer") or {}).get("name"),
        (data.get("subscription") or {}).get("plan"),
        *(item.get("name") for item in order.get("items") or ()),
    ]
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, "")
    return text


def check_properties(policy: Policy, data: dict[str, Any], decision: Decision) -> None:
    assert decision.reasons, "every decision has a reason (or the default)"
    if decision.outcome is Outcome.NEEDS_INFO:
        assert len(decision.questions) == 1, "one question at a time"
        assert decision.questions[0].text.endswith("?")
    else:
        assert not decision.questions
    if decision.outcome is Outcome.DENIED:
        assert decision.alternatives, "every denial has an alternative or a review path"
    if decision.outcome is Outcome.ESCALATE:  # the escalation is the way forward itself
        assert decision.context.escalation_contact, "an escalation says who takes it"
    for alt in decision.alternatives:
        if alt.verified:
            assert any(
                policy.evaluate(changed, now=NOW).outcome in (Outcome.GRANTED, Outcome.PARTIAL)
                for changed in _taken(data, alt)
            ), alt
    for audience in ("customer", "chat"):
        # the request's own names are quoted as written: an item may be called "None"
        text = _without_names(decision.render(audience=audience), data)
        assert "None" not in text
        assert not ISO.search(text), text
        assert not RULE_ID.search(text), text
        assert not PLACEHOLDER.search(text), text
    assert decision.explanation == decision.render("customer")
    assert decision.render("agent", "html") == policy.render(decision, "agent", "html")
    name = data.get("customer", {}).get("name")
    if name:
        assert decision.explanation.split("\n", 1)[0].count(name) == 1


@given(any_request)
def test_every_generated_request_gets_a_well_formed_decision(
    bundled_policy: Policy, data: dict[str, Any]
) -> None:
    decision = bundled_policy.evaluate(data, now=NOW)
    check_properties(bundled_policy, data, decision)


@given(any_request)
def test_same_request_same_decision(bundled_policy: Policy, data: dict[str, Any]) -> None:
    first = bundled_policy.evaluate(data, now=NOW).model_dump(mode="json")
    second = bundled_policy.evaluate(json.dumps(data), now=NOW).model_dump(mode="json")
    assert first == second


@given(any_request)
def test_fast_decide_agrees_with_evaluate(bundled_policy: Policy, data: dict[str, Any]) -> None:
    assert bundled_policy.decide(data, now=NOW) == bundled_policy.evaluate(data, now=NOW).outcome


def test_decision_serialises_to_json(bundled_policy: Policy) -> None:
    payload = bundled_policy.evaluate(request(), now=NOW).model_dump(mode="json")
    text = json.dumps(payload)
    assert json.loads(text)["outcome"] in {o.value for o in Outcome}
    assert payload["trace"], "the trace is part of the JSON"


def test_requested_at_wins_over_now(bundled_policy: Policy) -> None:
    data = request()
    later = NOW.replace(year=2027)
    assert bundled_policy.evaluate(data, now=later) == bundled_policy.evaluate(data, now=NOW)


def test_naive_now_is_refused(bundled_policy: Policy) -> None:
    data = request(requested_at=...)
    with pytest.raises(ValueError, match="time zone"):
        bundled_policy.evaluate(data, now=NOW.replace(tzinfo=None))


def test_loading_the_pack_twice_decides_alike(bundled_policy: Policy) -> None:
    again = policylib.load_policy()
    first = again.evaluate(request(), now=NOW).model_dump(mode="json")
    assert first == bundled_policy.evaluate(request(), now=NOW).model_dump(mode="json")


def test_equal_decisions_from_two_policies_compare_equal(bundled_policy: Policy) -> None:
    again = policylib.load_policy()
    assert again.evaluate(request(), now=NOW) == bundled_policy.evaluate(request(), now=NOW)


def test_names_with_markup_or_template_syntax_are_refused_alike(bundled_policy: Policy) -> None:
    for path in ("order.items.0.name", "customer.name"):
        with pytest.raises(RequestError, match="braces or angle brackets") as info:
            bundled_policy.evaluate(
                request(**{path: "{ $customer_name } <script>x</script>"}), now=NOW
            )
        assert [p.where for p in info.value.problems] == [path.replace(".0", "[0]")]


def test_customer_text_is_inserted_literally_and_escaped(bundled_policy: Policy) -> None:
    data = request(**{"order.items.0.name": 'Tom & Jerry\'s "best" seat'})
    decision = bundled_policy.evaluate(data, now=NOW)
    html = decision.render(audience="customer", format="html")
    assert "Tom &amp; Jerry&#x27;s &quot;best&quot; seat" in html
    assert 'Tom & Jerry\'s "best" seat' in decision.render(audience="customer")


def test_free_text_note_never_changes_a_decision(bundled_policy: Policy) -> None:
    a = bundled_policy.evaluate(
        request(**{"details.note": "I am a lawyer, refund me now"}), now=NOW
    )
    b = bundled_policy.evaluate(request(), now=NOW)
    assert a.outcome == b.outcome and a.explanation == b.explanation
    assert "lawyer" not in a.render("agent")


def test_multi_item_return_mixes_into_partial(bundled_policy: Policy) -> None:
    data = request(
        items=["TS-100", "LAMP-1"],
        **{
            "order.items": [
                request()["order"]["items"][0],
                {
                    "sku": "LAMP-1",
                    "name": "Desk lamp",
                    "category": "decor",
                    "price": 30,
                    "condition": "unopened",
                },
            ]
        },
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.outcome is Outcome.PARTIAL
    check_properties(bundled_policy, data, decision)


def test_one_policy_from_many_threads_matches_sequential(bundled_policy: Policy) -> None:
    cases = [
        request(),
        request(**{"order.items.0.condition": "unopened"}),
        request(**{"order.items.0.condition": ...}),
        request(kind="cancel", items=..., reason=None, resolution=None),
    ]
    expected = [bundled_policy.evaluate(c, now=NOW) for c in cases]
    errors: list[BaseException] = []
    mismatches: list[int] = []

    def work() -> None:
        try:
            for _ in range(25):
                for i, case in enumerate(cases):
                    if bundled_policy.evaluate(case, now=NOW) != expected[i]:
                        mismatches.append(i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and not mismatches


@pytest.fixture(scope="module")
def searching_every_axis(bundled_pack: Pack) -> Policy:
    """A policy whose search tries every axis it declares, whatever the verdict."""
    policy = Policy(bundled_pack)
    every_axis = frozenset(range(len(bundled_pack.alternatives.axes)))
    policy.search._matter = lambda *_: every_axis  # type: ignore[method-assign]
    return policy


@given(any_request)
def test_pruned_alternatives_search_finds_what_the_full_search_finds(
    bundled_policy: Policy, searching_every_axis: Policy, data: dict[str, Any]
) -> None:
    """Probes are skipped only for changes that cannot alter the verdict (see
    ``Search._matter``); searching every axis must find nothing more."""
    pruned = bundled_policy.evaluate(data, now=NOW).alternatives
    assert searching_every_axis.evaluate(data, now=NOW).alternatives == pruned


def test_a_question_for_one_item_holds_back_the_other_items_offers(bundled_policy: Policy) -> None:
    lamp = {
        "sku": "LAMP-1",
        "name": "Desk lamp",
        "category": "decor",
        "price": 30,
        "condition": "used",
    }
    data = request(
        items=["TS-100", "LAMP-1"],
        **{"order.items": [request(**{"order.items.0.condition": ...})["order"]["items"][0], lamp]},
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.outcome is Outcome.NEEDS_INFO
    assert decision.alternatives == []


def test_offers_in_a_multi_item_decision_name_their_item(bundled_policy: Policy) -> None:
    data = request(
        items=["TS-100", "LAMP-1"],
        **{
            "order.placed_at": "2026-10-01T10:00:00-04:00",
            "order.delivered_at": "2026-10-10T13:00:00-04:00",
            "order.items": [
                request()["order"]["items"][0],
                {
                    "sku": "LAMP-1",
                    "name": "Desk lamp",
                    "category": "decor",
                    "price": 30,
                    "condition": "unopened",
                },
            ],
        },
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.alternatives
    assert all(alt.item for alt in decision.alternatives)


def test_partly_granted_offers_say_what_is_kept(bundled_policy: Policy) -> None:
    data = request(
        **{
            "order.status": "in_production",
            "order.delivered_at": ...,
            "order.items.0.tags": ["custom_made"],
            "order.items.0.category": "furniture",
            "order.items.0.price": 1899,
            "order.placed_at": "2026-11-10T10:00:00-05:00",
        }
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    partly = [alt for alt in decision.alternatives if alt.outcome is Outcome.PARTIAL]
    assert partly, decision.alternatives
    for alt in partly:
        assert "deposit" in alt.text, alt.text


# --------------------------------------------------------------------------- who knows what


def _shipped_delivery_change(**delivery: Any) -> dict[str, Any]:
    """A window change for a shipped order: only the truck decides whether it can move."""
    return {
        "kind": "change_delivery",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "customer": {"name": "Ann"},
        "order": {
            "id": "HH-204118",
            "placed_at": "2026-11-09T19:40:00-05:00",
            "status": "shipped",
            "shipped_at": "2026-11-19T08:00:00-05:00",
            "items": [
                {"sku": "FRN-DRS-06", "name": "dresser", "category": "furniture", "price": "899"}
            ],
            "delivery": {
                "method": "white_glove",
                "scheduled_date": "2026-11-24",
                "window": {"start": "12:00", "end": "16:00"},
                **delivery,
            },
        },
        "details": {"new_window": {"start": "08:00", "end": "12:00"}},
    }


def test_a_decision_waiting_on_a_store_fact_names_the_field_to_fill(
    bundled_policy: Policy,
) -> None:
    """The customer can't know whether the truck is loaded: the integration must say."""
    data = _shipped_delivery_change()
    with pytest.raises(RequestError) as info:
        bundled_policy.evaluate(data)
    assert isinstance(info.value, ValueError)
    assert [(p.code, p.where) for p in info.value.problems] == [
        ("store-fact-missing", "order.delivery.truck_loaded")
    ]
    assert "truck" in info.value.problems[0].message
    assert _is_request_field(bundled_policy.request_model, info.value.problems[0].where)
    with pytest.raises(RequestError):
        bundled_policy.decide(data)  # the fast path refuses alike
    filled = bundled_policy.evaluate(_shipped_delivery_change(truck_loaded=False))
    assert filled.outcome is Outcome.GRANTED


def _is_request_field(model: type[Any], path: str) -> bool:
    """Whether a dotted path (``order.items[].condition``) is a field of the request model."""
    for part in path.replace("[]", "").split("."):
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return False
        model = field.annotation
        for inner in getattr(model, "__args__", ()) or ():
            if hasattr(inner, "model_fields"):
                model = inner
    return True


def test_is_request_field_knows_the_request_models_fields(bundled_policy: Policy) -> None:
    model = bundled_policy.request_model
    assert _is_request_field(model, "order.items[].condition")
    assert _is_request_field(model, "order.delivery.transit_days")
    assert not _is_request_field(model, "days_until_delivery")
    assert not _is_request_field(model, "order.delivery.days_until_delivery")


def test_every_store_fact_missing_names_a_request_field(bundled_policy: Policy) -> None:
    data = {
        "kind": "delivery_estimate",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "order": {
            "id": "HH-410020",
            "placed_at": "2026-11-20T09:12:00-05:00",
            "status": "processing",
            "items": [{"sku": "LMP-1", "name": "lamp", "category": "lighting", "price": "79"}],
        },
    }
    with pytest.raises(RequestError) as info:
        bundled_policy.evaluate(data)
    wheres = [p.where for p in info.value.problems]
    assert all(p.code == "store-fact-missing" for p in info.value.problems)
    assert all(_is_request_field(bundled_policy.request_model, w) for w in wheres), wheres


def test_a_customer_fact_is_asked_with_the_item_and_its_answers(
    bundled_policy: Policy, bundled_pack: Pack
) -> None:
    decision = bundled_policy.evaluate(request(**{"order.items.0.condition": ...}), now=NOW)
    assert decision.outcome is Outcome.NEEDS_INFO
    (question,) = decision.questions
    conditions = bundled_pack.vocabulary.objects["Item"].fields["condition"].type.values
    assert question.model_dump() == {
        "fact": "item_opened",
        "text": "Have you taken the Comfort toilet seat out of its sealed packaging?",
        "field": "order.items[].condition",
        "item": "TS-100",
        "answers": list(conditions),
    }


def test_a_question_about_the_request_names_no_item(bundled_policy: Policy) -> None:
    decision = bundled_policy.evaluate(request(reason=...), now=NOW)
    (question,) = decision.questions
    assert (question.fact, question.field, question.item) == ("reason", "reason", None)
    assert "changed_mind" in question.answers and "arrived_late" in question.answers


def test_the_question_in_a_multi_item_request_names_the_item_asked_about(
    bundled_policy: Policy,
) -> None:
    lamp = {"sku": "LAMP-1", "name": "Desk lamp", "category": "decor", "price": 30}
    seat = request()["order"]["items"][0]
    data = request(items=["TS-100", "LAMP-1"], **{"order.items": [seat, lamp]})
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.outcome is Outcome.NEEDS_INFO
    assert [(q.item, q.field) for q in decision.questions] == [
        ("LAMP-1", "order.items[].condition")
    ]


def test_a_store_fact_is_never_asked(bundled_policy: Policy) -> None:
    store = {n for n, f in bundled_policy.pack.facts.items() if f.known_by == "store"}
    assert {"truck_loaded", "scheduled_date", "shipping_fee", "days_late"} <= store
    for data in (request(**{"order.items.0.condition": ...}), request(reason=...)):
        decision = bundled_policy.evaluate(data, now=NOW)
        assert all(q.fact not in store for q in decision.questions)


# --------------------------------------------------------------------------- the request model


def test_request_model_is_the_base_request_with_the_packs_fields(bundled_policy: Policy) -> None:
    model = bundled_policy.request_model
    assert issubclass(model, policylib.Request)
    assert {"reason", "resolution"} <= set(model.model_fields)
    assert "reason" not in policylib.Request.model_fields  # the store's words stay in the pack
    parsed = policylib.parse_request(request(), model)
    assert isinstance(parsed, model) and isinstance(parsed, policylib.Request)


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of every object in a JSON Schema, as (object.property, schema)."""
    objects = [("Request", schema), *schema.get("$defs", {}).items()]
    for name, node in objects:
        for prop, spec in node.get("properties", {}).items():
            yield f"{name}.{prop}", spec


def _described(spec: dict[str, Any], defs: dict[str, Any]) -> bool:
    if spec.get("description"):
        return True
    ref = spec.get("$ref", "")
    return bool(ref) and bool(defs[ref.rsplit("/", 1)[-1]].get("description"))


def test_request_schema_describes_every_property_itself_or_by_its_type(
    bundled_policy: Policy,
) -> None:
    schema = bundled_policy.request_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert set(schema["properties"]["kind"]["enum"]) == set(bundled_policy.pack.vocabulary.kinds)
    defs = schema.get("$defs", {})
    bare = [name for name, spec in _properties(schema) if not _described(spec, defs)]
    assert not bare


def test_request_schema_has_a_description_on_every_property(bundled_policy: Policy) -> None:
    schema = bundled_policy.request_schema()
    bare = [name for name, spec in _properties(schema) if not spec.get("description")]
    assert not bare


# --------------------------------------------------------------------------- the vocabulary decides


def _two_item_delivery_change() -> dict[str, Any]:
    lamp = {"sku": "LAMP-1", "name": "Desk lamp", "category": "decor", "price": 30}
    return request(
        kind="change_delivery",
        items=...,
        reason=...,
        resolution=...,
        **{
            "order.status": "processing",
            "order.delivered_at": ...,
            "order.items": [request()["order"]["items"][0], lamp],
            "details": {"new_window": {"start": "12:00", "end": "16:00"}},
        },
    )


def test_per_item_kinds_come_from_the_vocabulary(bundled_pack: Pack) -> None:
    """A kind the vocabulary decides per item is decided once per item, and only then."""
    kinds = bundled_pack.vocabulary.kinds
    assert not kinds["change_delivery"].per_item
    data = _two_item_delivery_change()
    once = Policy(bundled_pack).evaluate(data, now=NOW)
    per_item = dict(
        kinds, change_delivery=dataclasses.replace(kinds["change_delivery"], per_item=True)
    )
    vocabulary = dataclasses.replace(bundled_pack.vocabulary, kinds=per_item)
    twice = Policy(dataclasses.replace(bundled_pack, vocabulary=vocabulary)).evaluate(data, now=NOW)
    assert once.outcome is twice.outcome is Outcome.GRANTED
    assert [t.rule_id for t in once.trace].count("DLV-027") == 1
    assert [t.rule_id for t in twice.trace].count("DLV-027") == 2


def test_a_per_item_kind_decides_each_item(bundled_policy: Policy) -> None:
    per_item = {n for n, k in bundled_policy.pack.vocabulary.kinds.items() if k.per_item}
    assert per_item == {"return", "exchange", "price_adjustment"}
    lamp = {"sku": "LAMP-1", "name": "Desk lamp", "category": "decor", "price": 30}
    lamp_used = {**lamp, "condition": "used"}
    seat = request(**{"order.items.0.condition": "unopened"})["order"]["items"][0]
    data = request(
        kind="exchange", items=["TS-100", "LAMP-1"], **{"order.items": [seat, lamp_used]}
    )
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.outcome is Outcome.PARTIAL
    assert [r.rule_id for r in decision.reasons] == ["RET-001", "RET-007"]


# --------------------------------------------------------------------------- estimates


def _estimate(**delivery: Any) -> dict[str, Any]:
    return {
        "kind": "delivery_estimate",
        "requested_at": "2026-11-20T15:00:00-05:00",
        "customer": {"name": "Paul"},
        "order": {
            "id": "HH-410020",
            "placed_at": "2026-11-20T09:12:00-05:00",
            "status": "processing",
            "items": [{"sku": "LMP-1", "name": "lamp", "category": "lighting", "price": "79"}],
            "delivery": delivery,
        },
    }


@pytest.mark.parametrize("method", ["standard", "express", "white_glove", "pickup"])
def test_an_estimate_without_transit_days_uses_the_methods_default(
    bundled_policy: Policy, method: str
) -> None:
    settings = bundled_policy.pack.settings
    defaults = {
        "min": settings["carrier_days_min"].value[method],
        "max": settings["carrier_days_max"].value[method],
    }
    guessed = bundled_policy.evaluate(_estimate(method=method))
    told = bundled_policy.evaluate(_estimate(method=method, transit_days=defaults))
    assert guessed.outcome is Outcome.GRANTED and not guessed.questions
    assert guessed.reasons[0].rule_id == "DLV-032"
    assert guessed.explanation == told.explanation


def test_an_estimate_uses_the_carriers_transit_days_when_given(bundled_policy: Policy) -> None:
    default = bundled_policy.evaluate(_estimate(method="standard")).explanation
    slow = bundled_policy.evaluate(_estimate(method="standard", transit_days={"min": 9, "max": 12}))
    assert slow.explanation != default
    assert "December 7" in slow.explanation


# --------------------------------------------------------------------------- rendering


def test_decision_render_is_the_policys_render(bundled_policy: Policy) -> None:
    decision = bundled_policy.evaluate(request(), now=NOW)
    for audience in AUDIENCES:
        for fmt in FORMATS:
            assert decision.render(audience, fmt) == bundled_policy.render(decision, audience, fmt)
    assert decision.explanation == bundled_policy.render(decision)


def test_a_decision_read_back_from_json_renders_through_the_policy(
    bundled_policy: Policy,
) -> None:
    decision = bundled_policy.evaluate(request(), now=NOW)
    back = Decision.model_validate_json(decision.model_dump_json())
    with pytest.raises(PolicyError, match=r"policy\.render"):
        back.render()
    assert bundled_policy.render(back, "agent") == decision.render("agent")


# --------------------------------------------------------------------------- properties


@given(any_request)
def test_every_decision_has_a_reason_and_every_denial_a_way_on(
    bundled_policy: Policy, data: dict[str, Any]
) -> None:
    decision = bundled_policy.evaluate(data, now=NOW)
    assert decision.reasons
    assert all(reason.rule_id for reason in decision.reasons)
    if decision.outcome is Outcome.DENIED:
        assert decision.alternatives
    if decision.outcome is Outcome.ESCALATE:
        assert decision.alternatives or decision.context.escalation_contact


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


@st.composite
def damaged_requests(draw: st.DrawFn) -> Any:
    """A valid request with one part replaced by any JSON value (or removed)."""
    data = draw(any_request)
    path = draw(st.sampled_from(list(_paths(data))))
    if not path:
        return draw(_JSON)
    target = data
    for part in path[:-1]:
        target = target[part]
    if isinstance(target, dict) and draw(st.booleans()):
        del target[path[-1]]
    else:
        target[path[-1]] = draw(_JSON)
    return data


@given(damaged_requests())
def test_only_request_errors_escape(bundled_policy: Policy, data: Any) -> None:
    try:
        decision = bundled_policy.evaluate(data, now=NOW)
    except RequestError as error:
        assert error.problems and all(isinstance(p, Problem) and p.code for p in error.problems)
        return
    assert decision.reasons
