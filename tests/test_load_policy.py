"""Tests for policylib.load.store: ``policy.yaml``'s store, settings, escalation and
alternatives (offer kinds, the fallback and the alternatives search)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylib.errors import Problem
from policylib.load import load_pack
from tests.test_loader import POLICY, changed, only, problems_of, sole, where, write_pack

FILE = "policy.yaml"

SEARCH = (
    "    - path: resolution\n"
    "      values: [refund, store_credit]\n"
    '      lead: "You can choose { $value } instead."\n'
)
"""The mini pack's one search axis."""


def policy_problem(tmp_path: Path, old: str, new: str, code: str, needle: str) -> Problem:
    """Writes the mini pack with one change to policy.yaml; its one ``code`` problem in
    policy.yaml, checked to sit at ``needle``."""
    root = write_pack(tmp_path / "pack", policy=changed(POLICY, old, new))
    problem = only(problems_of(root), code, FILE)
    assert problem.where == where(root, FILE, needle), str(problem)
    assert problem.excerpt.endswith("^")
    return problem


def with_axis(axis: str) -> str:
    """The mini pack's policy.yaml with a second search axis."""
    return changed(POLICY, SEARCH, SEARCH + axis)


# --------------------------------------------------------------------------- settings


def test_unknown_setting_type_suggests_the_closest(tmp_path: Path) -> None:
    problem = policy_problem(
        tmp_path,
        "{value: 1.5, type: decimal}",
        "{value: 1.5, type: decimel}",
        "wrong-type",
        "decimel",
    )
    assert problem.message == "settings.estimate_pad has unknown type 'decimel'"
    assert problem.hint == "did you mean 'decimal'?"


def test_unknown_setting_type_lists_the_packs_object_types(tmp_path: Path) -> None:
    problem = policy_problem(
        tmp_path, "{value: 1.5, type: decimal}", "{value: 1.5, type: range}", "wrong-type", "range"
    )
    assert problem.hint == "use one of integer, decimal, money, text, boolean, date, time, window"


@pytest.mark.parametrize("value", ["120", "-1", "100.5"])
def test_a_percent_is_from_0_to_100(tmp_path: Path, value: str) -> None:
    problem = policy_problem(
        tmp_path,
        "{value: 15, unit: percent}",
        f"{{value: {value}, unit: percent}}",
        "out-of-range",
        value,
    )
    assert problem.message == f"settings.restocking_fee_percent is {value}, outside 0 to 100"
    assert problem.hint == "write a value inside the range"


def test_a_setting_keeps_within_its_own_min_and_max(tmp_path: Path) -> None:
    problem = policy_problem(
        tmp_path,
        "{value: 1.5, type: decimal}",
        "{value: 45, unit: days, min: 0, max: 30}",
        "out-of-range",
        "45",
    )
    assert problem.message == "settings.estimate_pad is 45, outside 0 to 30"


@pytest.mark.parametrize("value", ["-50", "-0.01"])
def test_money_is_never_negative(tmp_path: Path, value: str) -> None:
    problem = policy_problem(
        tmp_path,
        "{value: 50, type: money}",
        f"{{value: {value}, type: money}}",
        "out-of-range",
        value,
    )
    assert problem.message == "settings.goodwill_max is an amount of money and cannot be negative"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"25:00"', "settings.change_cutoff must be a clock time like 18:00, not `25:00`"),
        ('"6pm"', "settings.change_cutoff must be a clock time like 18:00, not `6pm`"),
        ('"18:0"', "settings.change_cutoff must be a clock time like 18:00, not `18:0`"),
        ("18:00", "settings.change_cutoff must be text, but YAML reads `18:00` as a number"),
    ],
)
def test_a_time_setting_is_a_clock_time(tmp_path: Path, value: str, message: str) -> None:
    problem = policy_problem(
        tmp_path,
        '{value: "18:00", type: time}',
        f"{{value: {value}, type: time}}",
        "wrong-type",
        value,
    )
    assert problem.message == message


def test_a_table_setting_checks_every_entry(tmp_path: Path) -> None:
    problem = policy_problem(
        tmp_path, "{standard: 30, plus: 60}", "{standard: 30, plus: lots}", "wrong-type", "lots"
    )
    assert problem.message == "settings.return_days.plus must be a whole number, not `lots`"


def test_a_setting_says_its_type_when_yaml_cannot_tell(tmp_path: Path) -> None:
    problem = policy_problem(
        tmp_path, "{value: 1.5, type: decimal}", "{value: ~}", "wrong-type", "~"
    )
    assert problem.hint == "types: integer, decimal, money, text, boolean, date, time"


@pytest.mark.parametrize(
    ("window", "code", "message"),
    [
        (
            '{start: "16:00", end: "12:00"}',
            "failed-check",
            "settings.windows.end: a window must end after it starts",
        ),
        ('{start: "12:00"}', "missing-key", "settings.windows.end: this field is required"),
        (
            '{start: "12:00", end: "16:00", size: 4}',
            "unknown-key",
            "settings.windows.size: unknown field",
        ),
        ('{start: "noon", end: "16:00"}', "bad-format", "settings.windows.start: expected a clock"),
    ],
)
def test_an_object_setting_must_be_a_valid_value_of_its_type(
    tmp_path: Path, window: str, code: str, message: str
) -> None:
    """Said in policylib's words, naming the field inside the object."""
    problem = policy_problem(tmp_path, '{start: "12:00", end: "16:00"}', window, code, window)
    assert problem.message.startswith(message)
    assert "Input should" not in problem.message and "Field required" not in problem.message


def test_a_setting_with_a_bad_value_is_reported_once(tmp_path: Path) -> None:
    policy = changed(POLICY, "{value: 15, unit: percent}", "{value: 150, unit: percent}")
    problem = sole(write_pack(tmp_path / "pack", policy=policy))
    assert problem.code == "out-of-range"


def test_a_setting_may_count_in_a_unit_the_pack_declares(tmp_path: Path) -> None:
    sessions = "  sessions: {one: session, other: sessions}\n"
    policy = changed(POLICY, "units:\n", f"units:\n{sessions}")
    policy = changed(policy, "{value: 1.5, type: decimal}", "{value: 2, unit: sessions}")
    pack = load_pack(write_pack(tmp_path / "pack", policy=policy))
    assert pack.settings["estimate_pad"].unit == "sessions"


def test_setting_names_are_lowercase_words(tmp_path: Path) -> None:
    policy_problem(tmp_path, "  estimate_pad:", "  Estimate-Pad:", "bad-id", "Estimate-Pad")


# --------------------------------------------------------------------------- the store


@pytest.mark.parametrize(
    ("calendar", "needle", "message"),
    [
        (
            "{country: XX}",
            "XX",
            "store.calendar: there is no public-holiday calendar for the country 'XX'",
        ),
        (
            "{country: US, subdivision: ZZ}",
            "ZZ",
            "store.calendar: 'ZZ' is not a subdivision of US with a holiday calendar",
        ),
    ],
)
def test_the_store_calendar_must_exist(
    tmp_path: Path, calendar: str, needle: str, message: str
) -> None:
    problem = policy_problem(
        tmp_path, "{country: US, subdivision: NY}", calendar, "bad-store", needle
    )
    assert problem.message == message


def test_closed_days_are_real_dates(tmp_path: Path) -> None:
    policy_problem(
        tmp_path,
        "{country: US, subdivision: NY}",
        "{country: US, closed: [2026-12-24, 2026-02-30]}",
        "wrong-type",
        "2026-02-30",
    )


# --------------------------------------------------------------------------- escalation


@pytest.mark.parametrize(
    ("old", "new", "message", "hint"),
    [
        (
            "may_approve: goodwill_limit",
            "may_approve: goodwill_limt",
            "escalation.may_approve names 'goodwill_limt', which is not a declared fact",
            "did you mean 'goodwill_limit'?",
        ),
        (
            "delivery: {title: Delivery}",
            "delivery: {title: Delivery, escalation: {contact: our team, may_approve: nothing}}",
            "sections.delivery.escalation.may_approve names 'nothing', which is not a declared "
            "fact",
            "declare it in facts.yaml",
        ),
    ],
    ids=["pack", "section"],
)
def test_escalation_may_approve_names_a_declared_fact(
    tmp_path: Path, old: str, new: str, message: str, hint: str
) -> None:
    problem = sole(write_pack(tmp_path / "pack", policy=changed(POLICY, old, new)))
    assert (problem.code, problem.message, problem.hint) == ("unknown-fact", message, hint)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("may_approve: goodwill_limit", "may_approve: goodwill_limt", "goodwill_limt"),
        (
            "delivery: {title: Delivery}",
            "delivery: {title: Delivery, escalation: {contact: us, may_approve: nothing}}",
            "nothing",
        ),
    ],
    ids=["pack", "section"],
)
def test_escalation_may_approve_unknown_fact_is_located(
    tmp_path: Path, old: str, new: str, needle: str
) -> None:
    root = write_pack(tmp_path / "pack", policy=changed(POLICY, old, new))
    assert sole(root).where == where(root, FILE, needle)


def test_section_escalation_is_read(tmp_path: Path) -> None:
    policy = changed(
        POLICY,
        "delivery: {title: Delivery}",
        "delivery: {title: Delivery, escalation: {contact: our drivers}}",
    )
    pack = load_pack(write_pack(tmp_path / "pack", policy=policy))
    escalation = pack.sections["delivery"].escalation
    assert escalation is not None and escalation.contact == "our drivers"


def test_missing_escalation_is_reported_once(tmp_path: Path) -> None:
    policy = changed(
        POLICY, "escalation:\n  contact: a supervisor\n  may_approve: goodwill_limit\n", ""
    )
    problem = sole(write_pack(tmp_path / "pack", policy=policy))
    assert problem.code == "missing-key"


# --------------------------------------------------------------------------- alternatives


def test_alternatives_need_a_fallback(tmp_path: Path) -> None:
    fallback = (
        "  fallback:\n    kind: supervisor_review\n"
        '    text: "A supervisor can review your case and approve up to { $goodwill_limit }."\n'
    )
    problem = policy_problem(tmp_path, fallback, "", "missing-key", "kinds:")
    assert problem.message == "alternatives is missing the required key 'fallback'"


def test_a_broken_alternatives_section_is_reported_once(tmp_path: Path) -> None:
    policy = changed(POLICY, "    kind: supervisor_review\n", "    kind: supervisor_reviw\n")
    problem = sole(write_pack(tmp_path / "pack", policy=policy))
    assert problem.code == "unknown-kind"


def test_fallback_kind_must_be_an_offer_kind(tmp_path: Path) -> None:
    problem = policy_problem(
        tmp_path,
        "    kind: supervisor_review\n",
        "    kind: supervisor_reviw\n",
        "unknown-kind",
        "supervisor_reviw",
    )
    assert problem.message == "'supervisor_reviw' is not an offer kind"
    assert problem.hint == "did you mean 'supervisor_review'?"


def test_fallback_text_may_name_the_escalation_contact(tmp_path: Path) -> None:
    policy = changed(
        POLICY, "A supervisor can review your case", "{ $escalation_contact } can review your case"
    )
    pack = load_pack(write_pack(tmp_path / "pack", policy=policy))
    assert pack.alternatives.fallback is not None
    assert pack.alternatives.fallback.text.variables == ("escalation_contact", "goodwill_limit")


def test_offer_kind_names_are_lowercase_words(tmp_path: Path) -> None:
    policy_problem(tmp_path, "    another_date: {", "    Another-Date: {", "bad-id", "Another-Date")


def test_partly_names_an_offer_kind(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack",
        policy=changed(
            POLICY, "{rank: 0, words: a refund}", "{rank: 0, words: a refund, partly: part}"
        ),
    )
    problem = only(problems_of(root), "unknown-kind", FILE)
    assert problem.message == (
        "offer kind 'refund' becomes 'part' when granted in part, which is not an offer kind"
    )


def test_partly_naming_an_unknown_kind_is_located(tmp_path: Path) -> None:
    policy = changed(
        POLICY, "{rank: 4, words: store credit}", "{rank: 4, words: store credit, partly: part}"
    )
    root = write_pack(tmp_path / "pack", policy=policy)
    assert only(problems_of(root), "unknown-kind", FILE).where == where(root, FILE, "part}")


def test_search_path_must_be_a_customer_choice(tmp_path: Path) -> None:
    axis = (
        "    - path: customer.tier\n      kind: store_credit\n      values: [plus]\n"
        '      lead: "Become { $value }."\n'
    )
    root = write_pack(tmp_path / "pack", policy=with_axis(axis))
    problem = sole(root)
    assert (problem.code, problem.where) == ("not-changeable", where(root, FILE, "customer.tier"))
    assert problem.message == "search path 'customer.tier' is not something the customer chooses"
    assert problem.hint == "list it under choices: in vocabulary.yaml, or search another path"


def test_search_clears_only_customer_choices(tmp_path: Path) -> None:
    axis = (
        "    - path: details.new_date\n      kind: another_date\n      values: [2026-12-01]\n"
        "      clears: [order.status]\n"
        '      lead: "On { $value }."\n'
    )
    root = write_pack(tmp_path / "pack", policy=with_axis(axis))
    problem = sole(root)
    assert (problem.code, problem.where) == ("not-changeable", where(root, FILE, "order.status"))


@pytest.mark.parametrize(
    ("values", "bad", "detail"),
    [
        ("[refund, store_credt]", "store_credt", "'refund', 'store_credit' or 'exchange'"),
        ("[refund, 3]", "3]", "'refund', 'store_credit' or 'exchange'"),
    ],
)
def test_search_values_must_be_valid_for_their_path(
    tmp_path: Path, values: str, bad: str, detail: str
) -> None:
    policy = changed(POLICY, "values: [refund, store_credit]", f"values: {values}")
    root = write_pack(tmp_path / "pack", policy=policy)
    problem = sole(root)
    assert (problem.code, problem.where) == ("wrong-type", where(root, FILE, bad))
    assert detail in problem.message
    assert problem.message.startswith(f"`{bad.rstrip(']')}` is not a value the request takes")


def test_search_date_values_are_checked_as_dates(tmp_path: Path) -> None:
    axis = (
        "    - path: details.new_date\n      kind: another_date\n      values: [2026-02-30]\n"
        '      lead: "On { $value }."\n'
    )
    root = write_pack(tmp_path / "pack", policy=with_axis(axis))
    assert only(problems_of(root), "wrong-type").where == where(root, FILE, "2026-02-30")


def test_search_values_without_an_axis_kind_are_offer_kinds(tmp_path: Path) -> None:
    policy = changed(POLICY, "values: [refund, store_credit]", "values: [refund, exchange]")
    root = write_pack(tmp_path / "pack", policy=policy)
    problem = sole(root)
    assert (problem.code, problem.where) == ("unknown-kind", where(root, FILE, "exchange"))
    assert problem.message == "'exchange' is not an offer kind, so the axis needs a kind"


def test_search_axis_kind_must_be_an_offer_kind(tmp_path: Path) -> None:
    policy = changed(POLICY, SEARCH, SEARCH.replace("values:", "kind: store_credt\n      values:"))
    root = write_pack(tmp_path / "pack", policy=policy)
    problem = sole(root)
    assert (problem.code, problem.where) == ("unknown-kind", where(root, FILE, "store_credt"))
    assert problem.hint == "did you mean 'store_credit'?"


def test_unknown_search_axis_kind_is_reported_once(tmp_path: Path) -> None:
    axis = (
        "    - path: details.new_date\n      kind: another_dat\n      values: [2026-12-01]\n"
        '      lead: "On { $value }."\n'
    )
    problem = sole(write_pack(tmp_path / "pack", policy=with_axis(axis)))
    assert problem.code == "unknown-kind"


def test_search_values_may_come_from_an_expression(tmp_path: Path) -> None:
    axis = (
        "    - path: details.new_window\n      kind: another_date\n"
        "      values: settings.windows\n      skip: value == details.new_window\n"
        '      lead: "Between { $start } and { $end }."\n'
    )
    pack = load_pack(write_pack(tmp_path / "pack", policy=with_axis(axis)))
    axis_read = pack.alternatives.axes[1]
    assert axis_read.generator is not None and axis_read.generator.type.name == "list"
    assert axis_read.skip is not None


@pytest.mark.parametrize(
    ("key", "expression", "code", "needle"),
    [
        ("values", "settings.windws", "unknown-setting", "windws"),
        ("values", "details.new_date", "wrong-type", "details.new_date\n"),
        ("when", "order.status", "wrong-type", "order.status"),
        ("when", "knwon(details.new_date)", "unknown-function", "knwon"),
    ],
)
def test_search_expressions_are_checked(
    tmp_path: Path, key: str, expression: str, code: str, needle: str
) -> None:
    axis = (
        "    - path: details.new_window\n      kind: another_date\n"
        + ("      values: settings.windows\n" if key != "values" else "")
        + f"      {key}: {expression}\n"
        + '      lead: "Between { $start } and { $end }."\n'
    )
    root = write_pack(tmp_path / "pack", policy=with_axis(axis))
    problem = sole(root)
    assert (problem.code, problem.where) == (code, where(root, FILE, needle)), str(problem)


def test_search_lead_may_name_the_value_but_rule_texts_may_not(tmp_path: Path) -> None:
    policy = changed(POLICY, "{ $value } instead", "{ $valu } instead")
    root = write_pack(tmp_path / "pack", policy=policy)
    problem = sole(root)
    assert (problem.code, problem.where) == ("unknown-placeholder", where(root, FILE, "$valu"))
    assert problem.hint == "did you mean 'value'?"
