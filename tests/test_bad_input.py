"""Bad input of every kind is a located policylib error: never a crash, never a wrong answer.

Requests get a ``RequestError`` naming the field; packs get a ``RuleError`` whose problems
name ``file:line:col``. Each case below is one the fuzzers found (see issue 6), kept as a
regression test named after what went wrong.
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from pydantic import TypeAdapter

import policylib
from policylib import RequestError, RuleError, model, parse_request
from policylib.cli import cli
from policylib.loader import load_pack
from tests import ROOT
from tests.strategies import NOW, any_request, request

EXAMPLES = sorted((ROOT / "rules" / "examples").glob("*.json"))


@pytest.fixture(autouse=True)
def _policy(bundled_policy: policylib.Policy) -> None:
    global POLICY
    POLICY = bundled_policy


POLICY: policylib.Policy


def refused(data: object, **kwargs: Any) -> RequestError:
    with pytest.raises(RequestError) as info:
        POLICY.evaluate(data, **kwargs)
    assert isinstance(info.value, ValueError)
    return info.value


def wheres(error: RequestError) -> list[str]:
    return [p.where for p in error.problems]


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


# --------------------------------------------------------------------------- requests


def test_deeply_nested_json_text_is_a_request_error() -> None:
    error = refused('{"kind": ' + "[" * 1000 + "]" * 1000 + "}")
    assert [p.code for p in error.problems] == ["nesting-too-deep"]


def test_deeply_nested_value_in_a_dict_names_its_field() -> None:
    error = refused(request(**{"details.note": nested(1000)}))
    assert [p.code for p in error.problems] == ["nesting-too-deep"]
    assert error.problems[0].where.startswith("details.note")


def test_an_integer_of_5000_digits_is_named_not_a_crash() -> None:
    error = refused(request(**{"order.items.0.price": 10**5000}))
    assert wheres(error) == ["order.items[0].price"]
    assert "digits" in error.problems[0].value


@pytest.mark.parametrize(
    ("changes", "now"),
    [
        ({"requested_at": "2026-10-01"}, None),  # a bare date a month before delivery
        ({"requested_at": ...}, datetime(2026, 1, 1, tzinfo=timezone.utc)),  # the clock
        ({"requested_at": "2026-11-13T10:00:00-05:00"}, None),  # the date-time form
    ],
    ids=["bare-date", "now", "date-time"],
)
def test_a_request_dated_before_its_own_delivery_is_refused(
    changes: dict[str, Any], now: datetime | None
) -> None:
    error = refused(request(**changes), now=now)
    assert "order.delivered_at" in wheres(error)
    assert {p.code for p in error.problems} == {"bad-timeline"}


def test_a_bare_date_on_the_delivery_day_is_fine() -> None:
    decision = POLICY.evaluate(request(requested_at="2026-11-14"))
    assert decision.outcome == "denied"  # the opened toilet seat: decided, not refused


def test_an_empty_items_list_is_refused_not_read_as_the_whole_order() -> None:
    error = refused(request(items=[]))
    assert wheres(error) == ["items"]
    assert "leave items out" in str(error)


def test_every_knowable_problem_comes_in_one_error() -> None:
    assert set(wheres(refused({}))) == {"kind", "order"}
    error = refused({"kind": "return"})
    assert wheres(error) == ["order"] and "id, placed_at, status and items" in str(error)
    broken = request(kind="refund_everything", items=[], **{"order.items.0.price": "cheap"})
    assert {"kind", "items", "order.items[0].price"} <= set(wheres(refused(broken)))


def test_pattern_errors_are_said_in_policylibs_words() -> None:
    error = refused(request(**{"order.items.0.category": "Cameras"}))
    assert wheres(error) == ["order.items[0].category"]
    assert "lowercase letters" in str(error) and "should match" not in str(error)


def test_unknown_fields_suggest_the_nearest_one() -> None:
    error = refused(request(**{"order.items.0.conditon": "opened"}))
    assert error.problems[0].hint == "did you mean 'condition'?"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_validated_request_survives_its_own_json(path: Path) -> None:
    req = parse_request(path.read_text())
    dumped = req.model_dump(mode="json", exclude_none=True)
    assert parse_request(dumped) == req
    jsonschema.validate(dumped, policylib.Request.model_json_schema())


def test_the_end_of_the_day_round_trips_as_24_00() -> None:
    req = parse_request(request(**{"details.new_window": {"start": "16:00", "end": "24:00"}}))
    assert req.model_dump(mode="json")["details"]["new_window"] == {
        "start": "16:00",
        "end": "24:00",
    }


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("details.new_window", {"start": "08:00:00", "end": "12:00:00"}),
        ("details.current_price", "$49.99"),
        ("details.current_price", "49.99999"),
        ("requested_at", "2026-11-20T15:00-05:00"),  # no seconds: not RFC 3339
        ("requested_at", "0001-01-01T00:00:00Z"),
    ],
)
def test_schema_and_validator_refuse_the_same_values(path: str, value: object) -> None:
    data = request(**{path: value})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, policylib.Request.model_json_schema())
    with pytest.raises(RequestError):
        parse_request(data)


SCALARS = ["Money", "Moment", "Day", "Clock", "Identifier", "Tag", "ShortText", "CustomerName"]


@pytest.mark.parametrize("name", SCALARS)
def test_every_value_the_schema_allows_the_validator_accepts(name: str) -> None:
    adapter = TypeAdapter(getattr(model, name))

    @settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
    @given(from_schema(adapter.json_schema()))
    def accepted(value: object) -> None:
        adapter.validate_python(value)

    accepted()


def test_too_many_items_are_refused_before_any_is_validated() -> None:
    item = {"sku": "X", "name": "n" * 1_000_000, "category": "bath", "price": 1}
    data = request(**{"order.items": [item] * 1_000})
    error = refused(data)
    assert [(p.code, p.where) for p in error.problems] == [("too-many", "order.items")]


def test_a_dict_as_large_as_an_oversized_json_text_is_refused_unread() -> None:
    data = request(**{"details.note": "x" * (model.MAX_REQUEST_BYTES + 1)})
    assert [p.code for p in refused(data).problems] == ["too-large"]


@pytest.mark.parametrize("path", ["customer.name", "order.items.0.name"])
def test_bidi_and_zero_width_characters_are_dropped_from_names(path: str) -> None:
    req = parse_request(request(**{path: "Be\u200bth \u202eCarver\u2066"}))
    name = req.customer.name if path == "customer.name" else req.order.items[0].name  # type: ignore[union-attr]
    assert name == "Beth Carver"


@pytest.mark.parametrize("path", ["customer.name", "order.items.0.name"])
def test_names_share_one_rule_for_line_breaks_and_markup(path: str) -> None:
    assert parse_request(request(**{path: "Dana\nSmith"})) is not None  # neutralised to a space
    with pytest.raises(RequestError, match="braces or angle brackets"):
        parse_request(request(**{path: "<b>Dana</b>"}))


def test_names_are_isolated_in_html() -> None:
    decision = POLICY.evaluate(request(**{"customer.name": "\u05d3\u05e0\u05d4"}), now=NOW)
    assert "<bdi>\u05d3\u05e0\u05d4</bdi>" in decision.render(format="html")
    assert "<bdi>Comfort toilet seat</bdi>" in decision.render(format="html")


def test_the_cli_reports_a_deep_request_in_a_few_lines_and_exits_2(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"kind": ' + "[" * 1000 + "]" * 1000 + "}")
    result = CliRunner().invoke(cli, ["explain", str(deep)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.startswith("policylib: error:") and result.output.count("\n") <= 3


# --------------------------------------------------------------------------- mutated requests

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.extend(_paths(child, (*prefix, index)))
    return out


@st.composite
def mutated_requests(draw: st.DrawFn) -> Any:
    """A valid request with one field deleted, retyped, deepened or enlarged."""
    base = draw(any_request | st.sampled_from(EXAMPLES).map(lambda p: json.loads(p.read_text())))
    data = copy.deepcopy(base)
    paths = _paths(data)
    path = draw(st.sampled_from(paths))
    parent: Any = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    how = draw(st.sampled_from(["delete", "retype", "deepen", "enlarge"]))
    if how == "delete":
        del parent[last]
    elif how == "retype":
        parent[last] = draw(_JSON)
    elif how == "deepen":
        parent[last] = nested(draw(st.integers(2, 60))) if draw(st.booleans()) else [parent[last]]
    else:
        parent[last] = draw(
            st.sampled_from(
                [10**400, -(10**9), 1e308, "x" * 70_000, "é" * 5_000, [parent[last]] * 200]
            )
        )
    return data


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_requests())
def test_only_request_errors_escape_evaluate_for_mutated_requests(data: Any) -> None:
    try:
        decision = POLICY.evaluate(data, now=NOW)
    except RequestError as exc:
        assert exc.problems and all(p.where for p in exc.problems), exc
    else:
        assert decision.reasons


def test_the_cli_turns_a_mutated_request_into_an_error_line(tmp_path: Path) -> None:
    data = request(**{"order.items.0.price": {"nested": nested(40)}})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["explain", str(path)], catch_exceptions=False)
    assert result.exit_code == 2 and result.output.startswith("policylib: error:")


# --------------------------------------------------------------------------- packs


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    """A copy of the bundled pack to break, one file at a time."""
    target = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", target, symlinks=True)
    return target


def edit(pack: Path, file: str, old: str, new: str) -> None:
    path = pack / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(pack: Path) -> list[tuple[str, str]]:
    with pytest.raises(RuleError) as info:
        load_pack(pack)
    for problem in info.value.problems:
        assert problem.where.count(":") == 2, problem  # file:line:col
    return [(p.code, p.where) for p in info.value.problems]


def at(pack: Path, file: str, needle: str) -> str:
    text = (pack / file).read_text(encoding="utf-8")
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return f"{file}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


@pytest.mark.parametrize(
    ("old", "new", "spot"),
    [
        ("locale: en_US", "locale: xx_YY", "xx_YY"),
        ("locale: en_US", "locale: klingon", "klingon"),
        ("currency: USD", "currency: ABC", "ABC"),
        ("country: US", "country: ZZ", "ZZ"),
        ("subdivision: NY", "subdivision: ny", "ny"),
    ],
)
def test_a_bad_store_is_a_located_load_error(pack: Path, old: str, new: str, spot: str) -> None:
    edit(pack, "policy.yaml", old, new)
    assert problems(pack) == [("bad-store", at(pack, "policy.yaml", spot))]


def test_a_bad_locale_fails_check_with_a_located_line(pack: Path) -> None:
    edit(pack, "policy.yaml", "locale: en_US", "locale: xx_YY")
    result = CliRunner().invoke(cli, ["check", str(pack)], catch_exceptions=False)
    assert (
        result.exit_code == 1
        and "policy.yaml:" in result.output
        and "Traceback" not in result.output
    )


@pytest.mark.parametrize(
    ("old", "new", "code", "spot"),
    [
        (
            "restocking_fee_percent: 15",
            "restocking_fee_percnt: 20",
            "unknown-key",
            "restocking_fee_percnt",
        ),
        ("custom_deposit_percent: 25", "custom_deposit_percent: 101", "out-of-range", "101"),
        ("restocking_fee_percent: 15", "restocking_fee_percent: -15", "out-of-range", "-15"),
        ("change_cutoff_hour: 18", "change_cutoff_hour: 25", "out-of-range", "25"),
        ("change_cutoff_hour: 18", "change_cutoff_hour: 18.5", "wrong-type", "18.5"),
    ],
)
def test_settings_are_name_and_range_checked(
    pack: Path, old: str, new: str, code: str, spot: str
) -> None:
    edit(pack, "policy.yaml", old, new)
    assert problems(pack) == [(code, at(pack, "policy.yaml", spot))]


def test_a_misspelled_setting_suggests_the_real_one(pack: Path) -> None:
    edit(pack, "policy.yaml", "restocking_fee_percent: 15", "restocking_fee_percnt: 20")
    with pytest.raises(RuleError, match="did you mean 'restocking_fee_percent'"):
        load_pack(pack)


def _example_file(pack: Path, name: str) -> None:
    edit(
        pack,
        "returns.yaml",
        "examples:\n",
        f"examples:\n- name: broken file\n  request_file: examples/{name}\n  outcome: granted\n",
    )


def test_a_deeply_nested_request_file_is_a_located_error(pack: Path) -> None:
    (pack / "examples" / "deep.json").write_text('{"kind": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _example_file(pack, "deep.json")
    assert problems(pack) == [("nesting-too-deep", at(pack, "returns.yaml", "examples/deep.json"))]


def test_a_request_file_may_not_follow_a_symlink_out_of_the_pack(
    pack: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(request()))
    (pack / "examples" / "link.json").symlink_to(secret)
    _example_file(pack, "link.json")
    assert problems(pack) == [("missing-file", at(pack, "returns.yaml", "examples/link.json"))]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("{order.status: delivered}", "not-changeable"),
        ("{order.delivered_at: '2026-11-01'}", "not-changeable"),
        ("{customer.tier: plus}", "not-changeable"),
        ("{details.new_date: not a date}", "wrong-type"),
        ("{details.current_price: -5}", "wrong-type"),
    ],
)
def test_an_offer_that_can_never_be_applied_is_refused_at_load(
    pack: Path, change: str, code: str
) -> None:
    edit(pack, "returns.yaml", "change: {resolution: store_credit}", f"change: {change}")
    found = problems(pack)
    assert [c for c, _ in found] == [code]
    assert found[0][1].startswith(at(pack, "returns.yaml", change)[:-3].rsplit(":", 1)[0])
