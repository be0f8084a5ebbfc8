"""Bad input of every kind is a located policylib error: never a crash, never a wrong answer.

Requests get a ``RequestError`` naming the field; packs get a ``RuleError`` whose problems
name ``file:line:col``. Each case below is one the fuzzers found (see issue 6), kept as a
regression test named after what went wrong.
"""

from __future__ import annotations

import copy
import json
import re
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
from policylib import RequestError, RuleError, parse_request
from policylib.cli import cli
from policylib.load import load_pack
from policylib.request import scalars
from policylib.request.parse import MAX_REQUEST_BYTES
from tests import ROOT
from tests.requests import NOW, any_request, request

EXAMPLES = sorted((ROOT / "rules" / "examples").glob("*.json"))


@pytest.fixture(autouse=True)
def _policy(bundled_policy: policylib.Policy) -> None:
    global POLICY
    POLICY = bundled_policy


POLICY: policylib.Policy


def parse(data: object) -> policylib.Request:
    """Validate a request with the bundled pack's model."""
    return parse_request(data, POLICY.request_model)


def refused(data: object, **kwargs: Any) -> RequestError:
    with pytest.raises(RequestError) as info:
        POLICY.evaluate(data, **kwargs)
    assert isinstance(info.value, ValueError)
    return info.value


def wheres(error: RequestError) -> list[str]:
    return [p.where for p in error.problems]


def located(error: RequestError) -> list[tuple[str, str]]:
    """(code, field) of each problem."""
    return [(p.code, p.where) for p in error.problems]


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
    assert located(error) == [("out-of-range", "order.items[0].price")]
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
    assert located(error) == [("too-short", "items")]
    assert "leave items out" in str(error)


def test_every_knowable_problem_comes_in_one_error() -> None:
    # Without a kind, whether an order is needed is not knowable (an estimate needs none).
    assert located(refused({})) == [("missing-key", "kind")]
    error = refused({"kind": "return"})
    assert located(error) == [("missing-key", "order")]
    assert "id, placed_at, status and items" in str(error)
    broken = request(kind="refund_everything", items=[], **{"order.items.0.price": "cheap"})
    assert set(located(refused(broken))) == {
        ("unknown-enum-value", "kind"),
        ("bad-format", "order.items[0].price"),
        ("too-short", "items"),
    }


def test_pattern_errors_are_said_in_policylibs_words() -> None:
    error = refused(request(**{"order.items.0.category": "Cameras"}))
    assert located(error) == [("bad-format", "order.items[0].category")]
    assert "lowercase letters" in str(error) and "should match" not in str(error)


def test_unknown_fields_suggest_the_nearest_one() -> None:
    error = refused(request(**{"order.items.0.conditon": "opened"}))
    assert located(error) == [("unknown-key", "order.items[0].conditon")]
    assert error.problems[0].hint == "did you mean 'condition'?"


def test_the_end_of_the_day_round_trips_as_24_00() -> None:
    req = parse(request(**{"details.new_window": {"start": "16:00", "end": "24:00"}}))
    assert req.model_dump(mode="json")["details"]["new_window"] == {
        "start": "16:00",
        "end": "24:00",
    }


@pytest.mark.parametrize(
    ("path", "value", "code", "where"),
    [
        (
            "details.new_window",
            {"start": "08:00:00", "end": "12:00:00"},
            "bad-format",
            "details.new_window.start",
        ),
        ("details.current_price", "$49.99", "bad-format", "details.current_price"),
        ("details.current_price", "49.99999", "bad-format", "details.current_price"),
        # no seconds: not RFC 3339
        ("requested_at", "2026-11-20T15:00-05:00", "bad-format", "requested_at"),
        ("requested_at", "0001-01-01T00:00:00Z", "out-of-range", "requested_at"),
    ],
)
def test_schema_and_validator_refuse_the_same_values(
    path: str, value: object, code: str, where: str
) -> None:
    data = request(**{path: value})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, POLICY.request_schema())
    with pytest.raises(RequestError) as info:
        parse(data)
    assert (code, where) in located(info.value)


SCALARS = ["Money", "Moment", "Day", "Clock", "Identifier", "Tag", "ShortText", "CustomerName"]


@pytest.mark.parametrize("name", SCALARS)
def test_every_value_the_schema_allows_the_validator_accepts(name: str) -> None:
    adapter = TypeAdapter(getattr(scalars, name))

    @settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
    @given(from_schema(adapter.json_schema()))
    def accepted(value: object) -> None:
        adapter.validate_python(value)

    accepted()


def test_too_many_items_are_refused_before_any_is_validated() -> None:
    item = {"sku": "X", "name": "n" * 1_000_000, "category": "bath", "price": 1}
    data = request(**{"order.items": [item] * 1_000})
    error = refused(data)
    assert located(error) == [("too-many", "order.items")]


def test_a_dict_as_large_as_an_oversized_json_text_is_refused_unread() -> None:
    data = request(**{"details.note": "x" * (MAX_REQUEST_BYTES + 1)})
    assert located(refused(data)) == [("too-large", "(request)")]


@pytest.mark.parametrize("path", ["customer.name", "order.items.0.name"])
def test_bidi_and_zero_width_characters_are_dropped_from_names(path: str) -> None:
    req: Any = parse(request(**{path: "Be\u200bth \u202eCarver\u2066"}))
    name = req.customer.name if path == "customer.name" else req.order.items[0].name
    assert name == "Beth Carver"


@pytest.mark.parametrize("path", ["customer.name", "order.items.0.name"])
def test_names_share_one_rule_for_line_breaks_and_markup(path: str) -> None:
    assert parse(request(**{path: "Dana\nSmith"})) is not None  # neutralised to a space
    with pytest.raises(RequestError, match="braces or angle brackets") as info:
        parse(request(**{path: "<b>Dana</b>"}))
    assert located(info.value) == [("bad-format", path.replace(".0.", "[0]."))]


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


def at(pack: Path, file: str, needle: str, after: str = "") -> str:
    """``file:line:col`` of the first ``needle`` in a pack file (after ``after``)."""
    text = (pack / file).read_text(encoding="utf-8")
    offset = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, offset) + 1
    return f"{file}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


CALENDAR = "calendar: {country: US, subdivision: NY}"


@pytest.mark.parametrize(
    ("old", "new", "spot"),
    [
        ("locale: en_US", "locale: xx_YY", "xx_YY"),
        ("locale: en_US", "locale: klingon", "klingon"),
        ("currency: USD", "currency: ABC", "ABC"),
        ("timezone: America/New_York", "timezone: America/Gotham", "America/Gotham"),
        ("policy_url: https://", "policy_url: ftp://", "ftp://"),
        (CALENDAR, "calendar: {country: ZZ}", "ZZ"),
        (CALENDAR, "calendar: {country: US, subdivision: ny}", "ny"),
        (CALENDAR, "calendar: {country: US, subdivision: NY, categories: [bogus]}", "[bogus]"),
    ],
)
def test_a_bad_store_is_a_located_load_error(pack: Path, old: str, new: str, spot: str) -> None:
    edit(pack, "policy.yaml", old, new)
    assert problems(pack) == [("bad-store", at(pack, "policy.yaml", spot))]


@pytest.mark.parametrize(
    ("new", "code", "spot"),
    [
        ("calendar: {country: US, subdivison: NY}", "unknown-key", "subdivison"),
        ("calendar: {country: US, closed: [2026-02-30]}", "wrong-type", "2026-02-30"),
        ("calendar: {country: US, closed: [tomorrow]}", "wrong-type", "tomorrow"),
    ],
)
def test_a_bad_calendar_is_a_located_load_error(pack: Path, new: str, code: str, spot: str) -> None:
    edit(pack, "policy.yaml", CALENDAR, new)
    assert problems(pack) == [(code, at(pack, "policy.yaml", spot))]


def test_a_bad_locale_fails_check_with_a_located_line(pack: Path) -> None:
    edit(pack, "policy.yaml", "locale: en_US", "locale: xx_YY")
    result = CliRunner().invoke(cli, ["check", str(pack)], catch_exceptions=False)
    assert (
        result.exit_code == 1
        and "policy.yaml:" in result.output
        and "Traceback" not in result.output
    )


def set_setting(pack: Path, name: str, body: str) -> None:
    """Rewrite one setting of policy.yaml: ``body`` replaces everything under its name."""
    path = pack / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"^  {name}:\n((?:    .*\n)+)", text, re.MULTILINE)
    assert found is not None, f"no setting {name} in policy.yaml"
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    path.write_text(text[: found.start(1)] + lines + text[found.end(1) :], encoding="utf-8")


BAD_SETTINGS = [
    # (setting, its new body, code, the text the problem points at)
    ("restocking_fee_percent", "value: 101\nunit: percent", "out-of-range", "101"),
    ("restocking_fee_percent", "value: -15\nunit: percent", "out-of-range", "-15"),
    ("custom_deposit_percent", "value: 101\nunit: percent", "out-of-range", "101"),
    ("estimate_pad_min_days", "value: 31\nunit: business_days\nmax: 30", "out-of-range", "31"),
    ("goodwill_max", "value: -50\ntype: money", "out-of-range", "-50"),
    ("change_cutoff", 'value: "25:00"\ntype: time', "wrong-type", '"25:00"'),
    ("change_cutoff", "value: 18.5\ntype: time", "wrong-type", "18.5"),
    ("restocking_fee_percent", "value: 15\nunit: percnt", "wrong-type", "percnt"),
    ("goodwill_max", "value: 50\ntype: mony", "wrong-type", "mony"),
]
BAD_SETTING_IDS = [f"{name}-{code}-{spot}" for name, _, code, spot in BAD_SETTINGS]


@pytest.mark.parametrize(("name", "body", "code", "spot"), BAD_SETTINGS, ids=BAD_SETTING_IDS)
def test_settings_are_typed_and_range_checked(
    pack: Path, name: str, body: str, code: str, spot: str
) -> None:
    set_setting(pack, name, body)
    spot_at = at(pack, "policy.yaml", spot, after=f"  {name}:\n")
    assert (code, spot_at) in problems(pack)


@pytest.mark.parametrize(("name", "body", "code", "spot"), BAD_SETTINGS, ids=BAD_SETTING_IDS)
def test_a_bad_setting_is_not_also_reported_as_unknown_where_it_is_used(
    pack: Path, name: str, body: str, code: str, spot: str
) -> None:
    set_setting(pack, name, body)
    assert "unknown-setting" not in [code for code, _ in problems(pack)]


def test_a_misspelled_setting_suggests_the_declared_one(pack: Path) -> None:
    edit(pack, "policy.yaml", "  restocking_fee_percent:\n", "  restocking_fee_percnt:\n")
    with pytest.raises(RuleError) as info:
        load_pack(pack)
    first = info.value.problems[0]
    where = at(pack, "facts.yaml", "restocking_fee_percent")
    assert (first.code, first.where) == ("unknown-setting", where)
    assert first.hint == "did you mean 'settings.restocking_fee_percnt'?"


def test_a_broken_fact_is_reported_once_not_again_where_a_fact_uses_it(pack: Path) -> None:
    edit(
        pack,
        "facts.yaml",
        "expr: item.price * item.quantity * settings",
        "expr: item.prize * 1 * settings",
    )
    assert problems(pack) == [("unknown-field", at(pack, "facts.yaml", "prize"))]


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
    ("change", "code", "spot"),
    [
        ("{order.status: delivered}", "not-changeable", "order.status"),
        ("{order.delivered_at: '2026-11-01'}", "not-changeable", "order.delivered_at"),
        ("{customer.tier: plus}", "not-changeable", "customer.tier"),
        ("{details.new_date: not a date}", "wrong-type", "not a date"),
        ("{details.current_price: -5}", "wrong-type", "-5"),
    ],
)
def test_an_offer_that_can_never_be_applied_is_refused_at_load(
    pack: Path, change: str, code: str, spot: str
) -> None:
    edit(pack, "returns.yaml", "change: {resolution: store_credit}", f"change: {change}")
    assert problems(pack) == [(code, at(pack, "returns.yaml", spot, after=f"change: {change}"))]


def test_an_offer_value_the_field_does_not_take_is_said_in_policylibs_words(pack: Path) -> None:
    edit(pack, "returns.yaml", "change: {resolution: store_credit}", "change: {resolution: bogus}")
    with pytest.raises(RuleError) as info:
        load_pack(pack)
    assert [(p.code, p.where) for p in info.value.problems] == [
        ("wrong-type", at(pack, "returns.yaml", "bogus"))
    ]
    assert "input should" not in str(info.value).lower()
