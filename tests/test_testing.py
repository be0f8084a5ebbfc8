"""policylib.testing: requests and facts drawn from a pack's vocabulary, random packs for
engine tests, and the pytest plugin that runs a pack's worked examples as tests."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st

import policylib
import policylib.testing
from policylib import Outcome, RequestError
from policylib.engine.core import CoreEngine
from policylib.lang.nodes import Ref, comparisons
from policylib.request.parse import parse_request
from policylib.testing import DEFAULT_NOW, engine_pack, fact, facts, packs, requests
from policylib.testing._plan import plan_for, read_paths
from policylib.testing._requests import draw_request
from tests import ROOT
from tests.packs import SMALL_PACK

pytest_plugins = ["pytester"]

VOLTAIC = ROOT / "examples" / "packs" / "voltaic"
POLICIES = {"hearth": policylib.load_policy(), "voltaic": policylib.load_policy(VOLTAIC)}

_MANY = settings(
    max_examples=2000,
    database=None,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def write_pack(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize("name", POLICIES)
def test_thousands_of_requests_are_all_decided_reaching_every_kind_and_outcome(
    name: str,
) -> None:
    """Valid means decided: ``evaluate`` never refuses a drawn request, not even for a
    fact only the store's systems know (they are always filled)."""
    policy = POLICIES[name]
    kinds: collections.Counter[str] = collections.Counter()
    outcomes: collections.Counter[Outcome] = collections.Counter()

    @_MANY
    @given(requests(policy))
    def decide(data: dict[str, Any]) -> None:
        decision = policy.evaluate(data)
        kinds[data["kind"]] += 1
        outcomes[decision.outcome] += 1

    decide()
    assert set(kinds) == set(policy.pack.vocabulary.kinds)
    wanted = {Outcome.GRANTED, Outcome.DENIED, Outcome.NEEDS_INFO, Outcome.ESCALATE}
    assert wanted <= set(outcomes), outcomes


@pytest.mark.parametrize("name", POLICIES)
def test_requests_are_in_the_canonical_json_shape(name: str) -> None:
    """What is drawn is what the model would write back: JSON types, exact decimals as
    text, RFC 3339 moments, HH:MM clock times."""
    policy = POLICIES[name]

    @settings(max_examples=200, database=None, deadline=None)
    @given(requests(policy))
    def shaped(data: dict[str, Any]) -> None:
        assert json.loads(json.dumps(data)) == data
        dumped = parse_request(data, policy.request_model).model_dump(mode="json")
        assert list(_mismatches(data, dumped)) == []

    shaped()


def _mismatches(given: Any, dumped: Any, where: str = "") -> Iterator[str]:
    """Where ``given`` differs from ``dumped`` (which may hold more: defaults)."""
    if isinstance(given, dict):
        for key, value in given.items():
            yield from _mismatches(value, dumped.get(key), f"{where}.{key}")
    elif isinstance(given, list):
        if len(given) != len(dumped):
            yield where
        for index, (a, b) in enumerate(zip(given, dumped, strict=False)):
            yield from _mismatches(a, b, f"{where}[{index}]")
    elif given != dumped:
        yield f"{where}: {given!r} != {dumped!r}"


KINDS = [(name, kind) for name, p in POLICIES.items() for kind in p.pack.vocabulary.kinds]


@pytest.mark.parametrize(("name", "kind_name"), KINDS, ids=[f"{n}-{k}" for n, k in KINDS])
def test_requests_of_one_kind_keep_to_what_the_kind_allows(name: str, kind_name: str) -> None:
    policy = POLICIES[name]
    kind = policy.pack.vocabulary.kinds[kind_name]

    @settings(max_examples=40, database=None, deadline=None)
    @given(requests(policy, kind_name))
    def kept(data: dict[str, Any]) -> None:
        assert data["kind"] == kind_name
        subject = next((s for s in ("order", "subscription") if s in data), "none")
        assert subject in kind.subjects
        if "order" in data:
            skus = [item["sku"] for item in data["order"]["items"]]
            assert len(set(skus)) == len(skus)
            named = data.get("items", skus)
            assert named and set(named) <= set(skus)
            if kind.one_item:
                assert len(named) == 1
        else:
            assert "items" not in data

    kept()


@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(timezone.utc)),
    st.data(),
)
def test_requests_are_made_at_now_and_nothing_they_tell_comes_after_it(
    now: datetime, data: st.DataObject
) -> None:
    policy = POLICIES["hearth"]
    drawn = data.draw(requests(policy, now=now))
    assert datetime.fromisoformat(drawn["requested_at"]) == now
    order, subscription = drawn.get("order", {}), drawn.get("subscription", {})
    events = [order.get(k) for k in ("placed_at", "shipped_at", "delivered_at")]
    moments = [datetime.fromisoformat(e) for e in events if e]
    assert moments == sorted(moments) and all(m <= now for m in moments)
    if subscription:
        assert datetime.fromisoformat(subscription["started_at"]) <= now
    policy.evaluate(drawn)


def test_the_default_clock_is_fixed_and_aware() -> None:
    assert DEFAULT_NOW.utcoffset() is not None

    @settings(max_examples=20, database=None, deadline=None)
    @given(requests(POLICIES["voltaic"]))
    def pinned(data: dict[str, Any]) -> None:
        assert data["requested_at"] == DEFAULT_NOW.isoformat()

    pinned()


@pytest.mark.parametrize("name", POLICIES)
def test_what_the_store_supplies_is_always_there(name: str) -> None:
    """Every field a store fact without a default reads is filled when its parent is."""
    policy = POLICIES[name]
    plan = plan_for(policy)
    # a check that asks whether a value is known lets it be left out (delivered_at, when
    # the order is not delivered yet)
    optional = {path for reads in plan.reads.values() for path in reads.known}
    supplied = sorted(plan.supplied - optional)
    assert supplied

    @settings(max_examples=100, database=None, deadline=None)
    @given(requests(policy))
    def filled(data: dict[str, Any]) -> None:
        req = parse_request(data, policy.request_model)
        for path in supplied:
            assert _everywhere(req, path.split(".")), path

    filled()


def _everywhere(value: Any, parts: list[str], top: bool = True) -> bool:
    """Whether the path holds a value everywhere below the request's order or
    subscription (when it has one): each object on the way is there, and the value."""
    head, rest = parts[0], parts[1:]
    child = getattr(value, head.removesuffix("[]"), None)
    if child is None:
        return top
    if head.endswith("[]"):
        return all(_everywhere(element, rest, False) for element in child) if rest else True
    return _everywhere(child, rest, False) if rest else True


def test_the_same_seed_draws_the_same_requests() -> None:
    def draw_all() -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []

        @seed(20261120)
        @settings(max_examples=30, database=None, deadline=None, phases=[Phase.generate])
        @given(requests(POLICIES["hearth"]))
        def collect(data: dict[str, Any]) -> None:
            seen.append(data)

        collect()
        return seen

    assert draw_all() == draw_all()


def test_an_unknown_kind_is_refused_with_a_suggestion() -> None:
    with pytest.raises(RequestError) as info:
        requests(POLICIES["hearth"], "cancle")
    (problem,) = info.value.problems
    assert problem.where == "kind" and problem.hint == "did you mean 'cancel'?"


def test_a_clock_without_a_zone_is_refused() -> None:
    with pytest.raises(RequestError, match="time zone"):
        requests(POLICIES["hearth"], now=datetime(2026, 11, 20, 15, 0))


# --------------------------------------------------------------------------- checks

CHECKED_PACK = {
    **SMALL_PACK,
    "vocabulary.yaml": SMALL_PACK["vocabulary.yaml"]
    .replace(
        "fields:\n",
        """types:
  window:
    description: A delivery window.
    fields:
      start: {type: time, required: true, description: When it opens.}
      end: {type: time, required: true, description: When it closes.}
    checks:
      - require: end > start
        message: a window must end after it starts
        field: end
fields:
  delivery:
    window: {type: window, description: The booked window.}
""",
    )
    .replace(
        "      values: [unopened, opened, used]\n",
        """      values: [unopened, opened, used]
    gift_wrapped: {type: boolean, description: Wrapped as a gift.}
checks:
  - require: not known(order.delivered_at) or order.status == "delivered"
    message: delivered_at is set but the status is not 'delivered'
    field: order.delivered_at
  - require: all(order.items, not known(each.gift_wrapped) or each.condition == "unopened")
    message: only an unopened item can still be gift wrapped
    field: order.items[].gift_wrapped
""",
    ),
}
CHECKED_PACK["facts.yaml"] = SMALL_PACK["facts.yaml"].replace(
    "    expr: days_between(order.delivered_at, now)\n",
    "    expr: days_between(order.delivered_at, now)\n"
    '    question: "When did your order arrive?"\n'
    "    field: order.delivered_at\n",
)
"""SMALL_PACK with a check on an object type, one across fields and one over the items (and
the delivery day asked of the customer: an order not delivered yet leaves it out)."""


def test_read_paths_names_what_a_check_reads() -> None:
    assert read_paths("end > start") == {"end", "start"}
    assert read_paths('not known(order.delivered_at) or order.status == "delivered"') == {
        "order.delivered_at",
        "order.status",
    }
    assert read_paths('all(order.items, not known(each.x) or each.y in ["a"])') == {
        "order.items",
        "order.items[].x",
        "order.items[].y",
    }
    assert read_paths("settings.limit >= now") == set()


def test_checks_hold_by_construction_and_are_exercised(tmp_path: Path) -> None:
    """Each check holds on every request, and its values are not simply left out: both
    sides of each check are seen. Rejected requests (no edit repaired a check): none."""
    policy = policylib.load_policy(write_pack(tmp_path, CHECKED_PACK))
    plan = plan_for(policy)
    seen: collections.Counter[str] = collections.Counter()

    @st.composite
    def raw(draw: st.DrawFn) -> Any:
        return draw_request(draw, plan, None, DEFAULT_NOW)

    @settings(max_examples=500, database=None, derandomize=True, deadline=None)
    @given(raw())
    def drawn(data: Any) -> None:
        if data is None:
            seen["rejected"] += 1
            return
        policy.evaluate(data)
        order = data["order"]
        window = (order.get("delivery") or {}).get("window")
        if window is not None:
            seen["window"] += 1
            assert window["end"] > window["start"] or window["end"] == "24:00"
        seen["delivered"] += order["status"] == "delivered"
        seen["delivered_at"] += "delivered_at" in order
        for item in order["items"]:
            if "gift_wrapped" in item:
                seen["wrapped"] += 1
                assert item.get("condition", "unopened") == "unopened"  # unknown passes
            elif item.get("condition", "unopened") != "unopened":
                seen["open, not wrapped"] += 1

    drawn()
    assert seen["rejected"] == 0
    assert seen["window"] > 50 and seen["wrapped"] > 50 and seen["open, not wrapped"] > 50
    assert 50 < seen["delivered_at"] <= seen["delivered"] < 450, seen


@pytest.mark.parametrize("name", POLICIES)
def test_no_bundled_request_is_rejected(name: str) -> None:
    plan = plan_for(POLICIES[name])

    @settings(max_examples=300, database=None, derandomize=True, deadline=None)
    @given(st.data())
    def drawn(data: st.DataObject) -> None:
        assert data.draw(st.composite(lambda d: draw_request(d, plan, None, DEFAULT_NOW))())

    drawn()


# --------------------------------------------------------------------------- facts


_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    "boolean": bool,
    "integer": int,
    "decimal": Decimal,
    "money": Decimal,
    "text": str,
    "enum": str,
    "date": date,
    "datetime": datetime,
    "time": time,
}


@pytest.mark.parametrize(("name", "kind"), KINDS, ids=[f"{n}-{k}" for n, k in KINDS])
def test_fact_values_have_their_facts_types_and_the_engine_decides_them(
    name: str, kind: str
) -> None:
    policy = POLICIES[name]
    engine = CoreEngine(policy.pack)

    @settings(max_examples=30, database=None, deadline=None)
    @given(facts(policy, kind))
    def typed(values: dict[str, Any]) -> None:
        assert set(values) == set(engine.facts_for(kind))
        for fact_name, value in values.items():
            definition = policy.pack.facts[fact_name]
            if value is not None:
                assert isinstance(value, _PYTHON_TYPES[definition.type.name])
                if definition.type.name == "enum":
                    assert value in definition.type.values
                if definition.type.name == "money":
                    assert value >= 0
        assert engine.decide(kind, values).outcome in set(Outcome)

    typed()


def test_fact_values_reach_both_sides_of_each_compared_number() -> None:
    """29, 30 and 31 are drawn for a fact a rule compares with 30, and unknown too."""
    policy = POLICIES["hearth"]
    target = next(
        c
        for rule in policy.rules
        for c in comparisons(rule.when)
        if type(c.value) is int and c.op == "lte"
    )
    assert isinstance(target.value, int)
    search = settings(max_examples=2000, database=None, phases=[Phase.generate])
    for wanted in (target.value - 1, target.value, target.value + 1, None):
        found = find(facts(policy), lambda v, w=wanted: v[target.fact] == w, settings=search)
        assert found[target.fact] == wanted


def test_facts_of_a_pack_for_engine_tests() -> None:
    pack = engine_pack({"days": fact("days", "integer"), "gift": fact("gift", "boolean")}, ())

    @settings(max_examples=20, database=None, deadline=None)
    @given(facts(pack))
    def typed(values: dict[str, Any]) -> None:
        assert set(values) == {"days", "gift"}

    typed()


# --------------------------------------------------------------------------- packs


FACTS = {
    "days": fact("days", "integer", "days since delivery", "days"),
    "window": fact("window", "integer", "days in the window", "days"),
    "opened": fact("opened", "boolean"),
}
CONSTANTS = {"days": st.integers(0, 60), "opened": st.booleans()}


@given(packs(FACTS, CONSTANTS, max_rules=5))
def test_packs_have_rules_in_distinct_priorities_over_the_facts_given(pack: Any) -> None:
    assert 1 <= len(pack.rules) <= 5
    assert len({r.priority for r in pack.rules}) == len(pack.rules)
    assert all(r.kinds == ("request",) for r in pack.rules)
    for rule in pack.rules:
        for c in comparisons(rule.when):
            assert c.fact in CONSTANTS and not isinstance(c.value, Ref)
    assert CoreEngine(pack).decide("request", {"days": 3}).outcome in set(Outcome)


def test_packs_with_references_compare_facts_with_facts() -> None:
    from policylib.testing import packs_with_references

    found: list[bool] = []

    @settings(max_examples=100, database=None, derandomize=True, deadline=None)
    @given(packs_with_references(FACTS, CONSTANTS, (("days", "window"),)))
    def collect(pack: Any) -> None:
        values = [c.value for r in pack.rules for c in comparisons(r.when)]
        found.append(any(isinstance(v, Ref) and v.fact == "window" for v in values))

    collect()
    assert any(found)


# --------------------------------------------------------------------------- the package


def test_importing_the_package_and_the_plugin_imports_no_hypothesis() -> None:
    code = (
        "import sys, policylib.testing, policylib.testing.plugin; "
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_plugin_costs_an_unconfigured_project_no_import_of_the_library() -> None:
    """pytest imports every installed plugin in every project that runs it."""
    code = (
        "import sys, policylib.testing.plugin; "
        "loaded = sorted(m for m in sys.modules if m.startswith('policylib.')); "
        "assert loaded == ['policylib.testing', 'policylib.testing.plugin'], loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_all_names_what_the_package_offers() -> None:
    for name in policylib.testing.__all__:
        assert getattr(policylib.testing, name) is not None
    assert set(policylib.testing.__all__) <= set(dir(policylib.testing))
    with pytest.raises(AttributeError):
        policylib.testing.nothing_here  # noqa: B018


# --------------------------------------------------------------------------- the plugin

PLUGIN_PACK = {
    **SMALL_PACK,
    "returns.yaml": SMALL_PACK["returns.yaml"]
    + """  - name: late lamp
    rule: RET-002
    outcome: denied
    request_file: examples/late.json
""",
}
"""SMALL_PACK with two worked examples, one granted and one denied."""

_TEST_POLICY = """
def test_the_policy_fixture_is_the_first_pack(policy):
    assert policy.pack.store.name == "{store}"
"""


def test_a_configured_pack_runs_its_examples_as_tests(pytester: pytest.Pytester) -> None:
    write_pack(pytester.path / "pack", PLUGIN_PACK)
    pytester.makeini("[pytest]\npolicylib_packs = pack\n")
    pytester.makepyfile(test_fixture=_TEST_POLICY.format(store="Tess <&> Co"))
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["pack::unused lamp PASSED*", "pack::late lamp PASSED*"])


def test_an_example_that_contradicts_its_rule_fails_at_its_line(
    pytester: pytest.Pytester,
) -> None:
    files = dict(PLUGIN_PACK)
    files["returns.yaml"] = files["returns.yaml"].replace(
        "    rule: RET-002\n    outcome: denied", "    rule: RET-002\n    outcome: granted"
    )
    write_pack(pytester.path / "pack", files)
    line = files["returns.yaml"].splitlines().index("  - name: late lamp") + 1
    pytester.makeini("[pytest]\npolicylib_packs = pack\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"returns.yaml:{line}: late lamp", "*expected granted*"])
    result.stdout.no_fnmatch_line("*Traceback*")


def test_a_broken_pack_is_one_collection_error_naming_file_and_line(
    pytester: pytest.Pytester,
) -> None:
    files = dict(PLUGIN_PACK)
    files["returns.yaml"] = files["returns.yaml"].replace("item_used: false", "item_usd: false")
    write_pack(pytester.path / "pack", files)
    pytester.makeini("[pytest]\npolicylib_packs = pack\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*returns.yaml:*unknown fact 'item_usd'*(unknown-fact)*"])
    result.stdout.no_fnmatch_line("*Traceback*")


def test_an_unconfigured_project_collects_nothing_extra(pytester: pytest.Pytester) -> None:
    write_pack(pytester.path / "pack", PLUGIN_PACK)
    pytester.makepyfile(test_fixture=_TEST_POLICY.format(store="Hearth & Home"))
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)  # the bundled pack is the fixture's
    result.stdout.no_fnmatch_line("*lamp*")
    assert "policylib_example" not in pytester.runpytest("--markers").stdout.str()


def test_a_pack_named_on_the_command_line_runs_besides_the_tests_given(
    pytester: pytest.Pytester,
) -> None:
    write_pack(pytester.path / "pack", PLUGIN_PACK)
    pytester.makepyfile(test_fixture=_TEST_POLICY.format(store="Tess <&> Co"))
    result = pytester.runpytest("--policylib-pack", "pack", "test_fixture.py")
    result.assert_outcomes(passed=3)


def test_explicit_paths_collect_only_what_they_name(pytester: pytest.Pytester) -> None:
    write_pack(pytester.path / "pack", PLUGIN_PACK)
    pytester.makeini("[pytest]\npolicylib_packs = pack\n")
    pytester.makepyfile(test_fixture=_TEST_POLICY.format(store="Tess <&> Co"))
    pytester.runpytest("test_fixture.py").assert_outcomes(passed=1)
    pytester.runpytest("pack").assert_outcomes(passed=2)
    pytester.runpytest("pack/returns.yaml").assert_outcomes(passed=2)
    pytester.runpytest("-m", "not policylib_example").assert_outcomes(passed=1, deselected=2)
    pytester.runpytest("-k", "late").assert_outcomes(passed=1, deselected=2)


def test_an_example_reports_its_file_and_line(pytester: pytest.Pytester) -> None:
    write_pack(pytester.path / "pack", PLUGIN_PACK)
    pytester.makeini("[pytest]\npolicylib_packs = pack\n")
    items, _ = pytester.inline_genitems()
    lines = PLUGIN_PACK["returns.yaml"].splitlines()
    assert [(item.nodeid, item.location[:2]) for item in items] == [
        ("pack::unused lamp", ("pack/returns.yaml", lines.index("  - name: unused lamp"))),
        ("pack::late lamp", ("pack/returns.yaml", lines.index("  - name: late lamp"))),
    ]


def test_a_missing_pack_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\npolicylib_packs = nowhere\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*policylib_packs*no policy pack at 'nowhere'*"])


def test_this_project_runs_both_packs_examples() -> None:
    """pyproject.toml names both packs: a plain ``pytest`` runs their examples besides its
    test paths (here ``docs``, which has no tests, to collect quickly)."""
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--co",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "testpaths=docs",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    total = sum(len(p.pack.examples) for p in POLICIES.values())
    assert len([line for line in found if "::" in line]) == total
    assert any(line.startswith("rules::") for line in found)
    assert any(line.startswith("examples/packs/voltaic::") for line in found)
