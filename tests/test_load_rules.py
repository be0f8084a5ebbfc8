"""Tests for policylib.load.rules: what the new pack format lets a rule say (comparisons
with ``$other_fact`` and ``$settings.name``, offers of the pack's own kinds that change a
customer's choices, ``answers:`` and a rule's own escalation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylib.errors import Problem
from policylib.load import load_pack
from tests.test_loader import area, rule, sole, where, write_pack

FILE = "more.yaml"


def rule_problem(tmp_path: Path, code: str, needle: str, **changes: str) -> Problem:
    """The one problem of the mini pack plus a rule MOR-A-001 (``rule(**changes)``) in
    more.yaml, checked to have ``code``, to sit at ``needle`` and to name the rule."""
    root = write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", **changes)))
    problem = sole(root)
    assert (problem.code, problem.where) == (code, where(root, FILE, needle)), str(problem)
    assert problem.rule_id == "MOR-A-001"
    return problem


def offer(kind: str = "refund", change: str = "") -> str:
    lines = f"offers:\n  - kind: {kind}\n"
    if change:
        lines += f"    change: {change}\n"
    return lines + "    text: Y\n"


# --------------------------------------------------------------------------- $fact, $settings


def test_comparison_with_an_unknown_fact_suggests_the_closest(tmp_path: Path) -> None:
    problem = rule_problem(
        tmp_path,
        "unknown-fact",
        "$return_windw",
        when="{days_since_delivery: {lte: $return_windw}}",
    )
    assert problem.message == "unknown fact 'return_windw' in $return_windw"
    assert problem.hint == "did you mean 'return_window'?"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (
            "{days_since_delivery: {lte: $item_name}}",
            "cannot compare 'days_since_delivery' (a whole number) with 'item_name' (text)",
        ),
        (
            "{item_opened: $delivered}",
            None,  # two booleans compare fine: no problem
        ),
        (
            "{new_date: {lt: $item_price}}",
            "cannot compare 'new_date' (a date) with 'item_price' (an amount of money)",
        ),
    ],
)
def test_comparison_with_another_fact_needs_compatible_types(
    tmp_path: Path, when: str, message: str | None
) -> None:
    if message is None:
        load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when))))
        return
    needle = "$" + when.split("$")[1].rstrip("}")
    problem = rule_problem(tmp_path, "wrong-type", needle, when=when)
    assert problem.message == message


def test_comparison_with_a_number_fact_accepts_any_number_fact(tmp_path: Path) -> None:
    when = "{item_price: {gte: $hours_since_order}}"  # money and a decimal: both numbers
    load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", when=when))))


def test_comparison_with_an_unknown_setting_suggests_the_closest(tmp_path: Path) -> None:
    problem = rule_problem(
        tmp_path,
        "unknown-setting",
        "$settings.goodwill_mx",
        when="{item_price: {gte: $settings.goodwill_mx}}",
    )
    assert problem.message == "unknown setting 'goodwill_mx'"
    assert problem.hint == "did you mean 'goodwill_max'?"


def test_comparison_with_a_setting_needs_compatible_types(tmp_path: Path) -> None:
    problem = rule_problem(
        tmp_path,
        "wrong-type",
        "$settings.change_cutoff",
        when="{item_price: {gte: $settings.change_cutoff}}",
    )
    assert problem.message == (
        "'item_price' is an amount of money, but $settings.change_cutoff is a time of day"
    )


@pytest.mark.parametrize(
    ("reference", "message", "hint"),
    [
        (
            "$settings.return_days",
            "settings.return_days is a table: name an entry, like $settings.return_days.standard",
            "entries: standard, plus",
        ),
        ("$settings.return_days.gold", None, "entries: standard, plus"),
        ("$settings.goodwill_max.plus", "settings.goodwill_max has no entry 'plus'", ""),
    ],
)
def test_comparison_with_a_table_setting_names_one_entry(
    tmp_path: Path, reference: str, message: str | None, hint: str
) -> None:
    problem = rule_problem(
        tmp_path,
        "unknown-setting",
        reference,
        when=f"{{days_since_delivery: {{lte: {reference}}}}}",
    )
    if message is not None:
        assert problem.message == message
    assert problem.hint == hint


@pytest.mark.parametrize("op", ["in", "not_in"])
def test_a_reference_is_not_a_list_of_values(tmp_path: Path, op: str) -> None:
    problem = rule_problem(
        tmp_path,
        "wrong-type",
        "$return_window",
        when=f"{{days_since_delivery: {{{op}: $return_window}}}}",
    )
    assert problem.message == f"'{op}' takes a list of values, not $return_window"


# --------------------------------------------------------------------------- offers


def test_offer_kind_must_be_declared_under_alternatives(tmp_path: Path) -> None:
    problem = rule_problem(tmp_path, "unknown-kind", "store_credt", extra=offer("store_credt"))
    assert problem.message == "'store_credt' is not an offer kind"
    assert problem.hint == "did you mean 'store_credit'?"


def test_offer_kind_without_a_close_name_says_where_to_declare_it(tmp_path: Path) -> None:
    problem = rule_problem(tmp_path, "unknown-kind", "repair", extra=offer("repair"))
    assert problem.hint == "declare it under alternatives.kinds"


@pytest.mark.parametrize("path", ["order.status", "customer.tier", "reason"])
def test_offer_change_must_be_a_customer_choice(tmp_path: Path, path: str) -> None:
    problem = rule_problem(tmp_path, "not-changeable", path, extra=offer(change=f"{{{path}: x}}"))
    assert problem.message.startswith(f"offer change '{path}' is something that has happened")
    assert problem.hint == "change what the customer chooses (the vocabulary's choices:)"


def test_offer_change_under_a_choice_is_allowed(tmp_path: Path) -> None:
    extra = offer(change="{details.new_date: 2026-12-01, resolution: refund}")
    pack = load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra))))
    (offer_read,) = next(r for r in pack.rules if r.id == "MOR-A-001").offers
    assert offer_read.change == (("details.new_date", "2026-12-01"), ("resolution", "refund"))


def test_offer_change_value_the_request_model_refuses_is_reported(tmp_path: Path) -> None:
    problem = rule_problem(
        tmp_path, "wrong-type", "refnd", extra=offer(change="{resolution: refnd}")
    )
    assert problem.message == (
        "`refnd` is not a value the request takes at resolution (not one of the allowed "
        "values: 'refund', 'store_credit' or 'exchange'; did you mean 'refund'?)"
    )


@pytest.mark.parametrize(
    ("change", "key", "hint"),
    [
        ("{resolutoin: refund}", "resolutoin", "did you mean 'resolution'?"),
        ("{details.new_dat: 2026-01-01}", "details.new_dat", "did you mean 'new_date'?"),
    ],
    ids=["resolution", "details.new_date"],
)
def test_offer_change_to_a_misspelled_path_suggests_the_closest(
    tmp_path: Path, change: str, key: str, hint: str
) -> None:
    problem = rule_problem(tmp_path, "unknown-key", key, extra=offer(change=change))
    assert hint in problem.message + problem.hint


# --------------------------------------------------------------------------- answers, escalation


def test_rule_may_answer_the_request_and_name_its_own_escalation(tmp_path: Path) -> None:
    extra = "answers: true\nescalation: {contact: our returns desk, may_approve: goodwill_limit}\n"
    pack = load_pack(write_pack(tmp_path / "pack", more=area(rule("MOR-A-001", extra=extra))))
    read = next(r for r in pack.rules if r.id == "MOR-A-001")
    assert read.answers is True
    assert read.escalation is not None
    assert (read.escalation.contact, read.escalation.may_approve) == (
        "our returns desk",
        "goodwill_limit",
    )
    assert pack.escalation_for(read) is read.escalation


def test_answers_is_true_or_false(tmp_path: Path) -> None:
    rule_problem(tmp_path, "wrong-type", "yes", extra="answers: yes\n")


def test_rule_escalation_needs_a_contact(tmp_path: Path) -> None:
    problem = rule_problem(
        tmp_path, "missing-key", "{may_approve", extra="escalation: {may_approve: goodwill_limit}\n"
    )
    assert problem.message == "escalation is missing the required key 'contact'"


def test_rule_escalation_may_approve_names_a_declared_fact(tmp_path: Path) -> None:
    extra = "escalation: {contact: our returns desk, may_approve: goodwill_limt}\n"
    problem = rule_problem(tmp_path, "unknown-fact", "goodwill_limt", extra=extra)
    assert problem.hint == "did you mean 'goodwill_limit'?"
