"""Tests for policylib.load.facts: ``facts.yaml``, each fact an expression.

Every problem inside an expression is placed at its own line and column in facts.yaml,
with the code the expression compiler gives it (unknown-name, wrong-type, ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylib.errors import Problem
from policylib.load import load_pack
from tests.test_loader import FACTS, changed, only, problems_of, sole, where, write_pack

FILE = "facts.yaml"


def facts_problem(tmp_path: Path, old: str, new: str, code: str, needle: str) -> Problem:
    """Writes the mini pack with one change to its facts; its one problem, checked to have
    ``code`` and to sit at ``needle`` in facts.yaml."""
    root = write_pack(tmp_path / "pack", facts=changed(FACTS, old, new))
    problem = sole(root)
    assert (problem.code, problem.where) == (code, where(root, FILE, needle)), str(problem)
    assert problem.excerpt.endswith("^") and problem.rule_id == ""
    return problem


# --------------------------------------------------------------------------- expressions


def test_syntax_error_in_a_multi_line_expression_is_on_its_own_line(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "pack", facts=changed(FACTS, "item.price * settings", "item.price * * settings")
    )
    problem = only(problems_of(root), "expression-syntax")
    line = where(root, FILE, "* * settings").rsplit(":", 1)[0]
    assert problem.where.startswith(f"{line}:")
    assert problem.message == "fact 'goodwill_limit' expr: not a valid expression: invalid syntax"


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        ("item.price * settings", "item.price * * settings", "expression-syntax", "* settings"),
        (
            "restocking_fee_percent / 100)",
            "restocking_fee_prcent / 100)",
            "unknown-setting",
            "restocking_fee_prcent",
        ),
    ],
    ids=["expression-syntax", "unknown-setting"],
)
def test_problem_in_a_multi_line_expression_is_at_its_own_column(
    tmp_path: Path, old: str, new: str, code: str, needle: str
) -> None:
    root = write_pack(tmp_path / "pack", facts=changed(FACTS, old, new))
    problem = only(problems_of(root), code)
    assert problem.where == where(root, FILE, needle)  # on the expression's second line


@pytest.mark.parametrize(
    ("old", "new", "needle", "hint"),
    [
        ("expr: item.name}", "expr: item_nam}", "item_nam}", "did you mean 'item_name'?"),
        ("order.delivered_at, now)", "order.delivered_at, nw)", "nw)", "did you mean 'now'?"),
        ("expr: item.name}", "expr: itm.name}", "itm.name}", "did you mean 'item'?"),
        ("expr: item.name}", "expr: zzz}", "zzz}", "declare it as a fact in facts.yaml"),
    ],
)
def test_unknown_name_suggests_a_fact_or_a_request_root(
    tmp_path: Path, old: str, new: str, needle: str, hint: str
) -> None:
    problem = facts_problem(tmp_path, old, new, "unknown-name", needle)
    assert problem.hint == hint


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "item_name: {type: text,",
            "item_name: {type: integer,",
            "item.name}",
            "fact 'item_name' expr: this expression gives text, but a whole number is declared",
        ),
        (
            "new_date: {type: date,",
            "new_date: {type: boolean,",
            "details.new_date}",
            "fact 'new_date' expr: this expression gives a date, but true or false is declared",
        ),
        (
            "reason: {type: enum, label: the reason, expr: reason}",
            "reason: {type: enum, label: the reason, expr: reason}\n"
            "  item_kind: {type: enum, label: the kind of item, expr: item.sku}",
            "item.sku}",
            "fact 'item_kind' is an enum, but its expression gives text",
        ),
    ],
)
def test_declared_type_must_match_the_expression(
    tmp_path: Path, old: str, new: str, needle: str, message: str
) -> None:
    problem = facts_problem(tmp_path, old, new, "wrong-type", needle)
    assert problem.message == message


def test_money_fact_may_be_computed_from_plain_numbers(tmp_path: Path) -> None:
    facts = changed(FACTS, "expr: item.price * item.quantity}", "expr: item.quantity * 2}")
    pack = load_pack(write_pack(tmp_path / "pack", facts=facts))
    assert pack.facts["item_price"].type.name == "money"


def test_enum_literal_must_be_one_of_the_fields_values(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        'expr: order.status == "delivered"',
        'expr: order.status == "deliverd"',
        "unknown-enum-value",
        '"deliverd"',
    )
    assert problem.message == (
        "fact 'delivered' expr: 'deliverd' is not one of its values (placed, shipped, delivered)"
    )
    assert problem.hint == "did you mean 'delivered'?"


def test_enum_literals_in_a_list_are_checked_too(tmp_path: Path) -> None:
    facts_problem(
        tmp_path,
        'expr: order.status == "delivered"',
        'expr: order.status in ["shipped", "delivred"]',
        "unknown-enum-value",
        '["shipped"',  # the caret is on the list's side of the comparison
    )


def test_unknown_field_of_a_request_object_suggests_the_closest(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        'expr: item.condition != "unopened"',
        'expr: item.conditon != "unopened"',
        "unknown-field",
        "conditon",
    )
    assert problem.message == "fact 'item_opened' expr: Item has no field 'conditon'"
    assert problem.hint == "did you mean 'condition'?"


def test_unknown_setting_suggests_the_closest(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "settings.return_days[customer.tier]",
        "settings.return_day[customer.tier]",
        "unknown-setting",
        "return_day[",
    )
    assert problem.hint == "did you mean 'settings.return_days'?"


def test_table_setting_lookup_must_name_its_entries(tmp_path: Path) -> None:
    vocabulary_tier = "settings.return_days[customer.tier]"
    problem = facts_problem(
        tmp_path, vocabulary_tier, 'settings.return_days["gold"]', "unknown-enum-value", '"gold"'
    )
    assert problem.hint == "entries: standard, plus"


# --------------------------------------------------------------------------- cycles


def test_fact_derived_from_itself_is_a_cycle(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "expr: item.price * item.quantity}",
        "expr: item_price}",
        "fact-cycle",
        "item_price:",
    )
    assert problem.message == "fact 'item_price' is derived from itself: item_price -> item_price"
    assert problem.hint == "one of these facts must be derived from the request alone"


def test_cycle_through_several_facts_is_reported_once_at_its_first_fact(tmp_path: Path) -> None:
    facts = FACTS + (
        "  first_day:\n    type: date\n    label: first day\n    expr: last_day\n"
        "  last_day:\n    type: date\n    label: last day\n    expr: first_day\n"
    )
    root = write_pack(tmp_path / "pack", facts=facts)
    problem = sole(root)
    assert (problem.code, problem.where) == ("fact-cycle", where(root, FILE, "first_day:"))
    assert problem.message == (
        "fact 'first_day' is derived from itself: first_day -> last_day -> first_day"
    )


@pytest.mark.parametrize(
    ("broken", "use"),
    [
        ("expr: item.prise * item.quantity}", "item_price * 2"),
        ("expr: item.prise * item.quantity}", "item_price > 5"),
        ("expr: item.prise * item.quantity}", "coalesce(item_price, item.price)"),
        ("expr: item.prise * item.quantity}", "min(item_price, 5)"),
        ("expr: uses_it}", "item_price * 2"),  # a cycle
    ],
    ids=["arithmetic", "ordering", "coalesce", "min", "cycle"],
)
def test_broken_fact_is_reported_once_not_where_other_facts_use_it(
    tmp_path: Path, broken: str, use: str
) -> None:
    facts = changed(FACTS, "expr: item.price * item.quantity}", broken)
    type_ = "boolean" if ">" in use else "money"
    facts += f"  uses_it: {{type: {type_}, label: a use of it, expr: '{use}'}}\n"
    problems = problems_of(write_pack(tmp_path / "pack", facts=facts))
    assert len(problems) == 1, "\n".join(str(p) for p in problems)


# --------------------------------------------------------------------------- who knows it


def test_customer_fact_needs_a_question(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "expr: item.name}",
        "expr: item.name, known_by: customer}",
        "missing-key",
        "customer}",
    )
    assert problem.message == "fact 'item_name' is the customer's to answer, so it needs a question"
    assert problem.hint == "add question: ..., or say known_by: store"


def test_store_fact_is_never_asked(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "    known_by: store\n    field: order.status\n",
        '    known_by: store\n    field: order.status\n    question: "Was it delivered?"\n',
        "wrong-type",
        'question: "Was',
    )
    assert problem.message == (
        "fact 'delivered' is the store's to supply, so a customer is never asked it"
    )
    assert problem.hint == "remove the question, or say known_by: customer"


def test_customer_fact_takes_no_default(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "    field: order.delivered_at\n",
        "    field: order.delivered_at\n    default: 0\n",
        "wrong-type",
        "default: 0",
    )
    assert problem.message == (
        "fact 'days_since_delivery' is the customer's to answer, so it has no default"
    )


def test_store_fact_default_is_an_expression_of_the_facts_type(tmp_path: Path) -> None:
    facts = changed(
        FACTS, "    field: order.status\n", "    field: order.status\n    default: false\n"
    )
    pack = load_pack(write_pack(tmp_path / "pack", facts=facts))
    default = pack.facts["delivered"].default
    assert default is not None and default.constant and default.value is False
    problem = facts_problem(
        tmp_path,
        "    field: order.status\n",
        "    field: order.status\n    default: item.name\n",
        "wrong-type",
        "item.name\n",
    )
    assert problem.message.startswith("fact 'delivered' default: this expression gives text")


def test_known_by_is_customer_or_store(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path, "known_by: store", "known_by: system", "unknown-enum-value", "system"
    )
    assert problem.message == "fact 'delivered' known_by 'system' is neither customer nor store"


def test_question_may_name_only_declared_facts(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "{ $item_name } been opened",
        "{ $item_nme } been opened",
        "unknown-placeholder",
        "$item_nme",
    )
    assert problem.hint == "did you mean 'item_name'?"


# --------------------------------------------------------------------------- declarations


def test_unknown_unit_suggests_a_declared_one(tmp_path: Path) -> None:
    problem = facts_problem(tmp_path, "unit: hours", "unit: hourz", "wrong-type", "hourz")
    assert problem.message == "fact 'hours_since_order' has unknown unit 'hourz'"
    assert problem.hint == "did you mean 'hours'?"


def test_units_are_the_packs_own_plus_percent_and_currency(tmp_path: Path) -> None:
    problem = facts_problem(tmp_path, "unit: hours", "unit: weeks", "wrong-type", "weeks")
    assert problem.hint.startswith("declare it under units: in policy.yaml (")
    for unit in ("currency", "percent", "days", "hours"):
        assert unit in problem.hint


def test_unknown_fact_type_suggests_the_closest(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path, "item_name: {type: text,", "item_name: {type: txt,", "wrong-type", "txt"
    )
    assert problem.hint == "did you mean 'text'?"


def test_only_enum_facts_take_values(tmp_path: Path) -> None:
    facts_problem(
        tmp_path,
        "item_name: {type: text,",
        "item_name: {type: text, values: [a, b],",
        "wrong-type",
        "values",
    )


def test_fact_named_after_a_request_field_must_be_that_field(tmp_path: Path) -> None:
    problem = facts_problem(
        tmp_path,
        "label: the reason, expr: reason}",
        "label: the reason, expr: resolution}",
        "bad-id",
        "resolution}",
    )
    assert problem.message == (
        "fact 'reason' has the name of a request field, so it must be that field (expr: reason)"
    )
    assert problem.hint == "give the fact another name"


@pytest.mark.parametrize("name", ["each", "settings", "value", "Item_Name", "2nd"])
def test_fact_names_are_lowercase_words_and_not_reserved(tmp_path: Path, name: str) -> None:
    problem = facts_problem(tmp_path, "  new_date: {", f"  {name}: {{", "bad-id", f"{name}:")
    assert problem.message == (
        f"fact name '{name}' must be lowercase_words, and not a reserved word"
    )


@pytest.mark.parametrize("key", ["type", "label", "expr"])
def test_fact_needs_type_label_and_expr(tmp_path: Path, key: str) -> None:
    spec = {"type": "type: text", "label": "label: the item", "expr": "expr: item.name"}
    kept = ", ".join(v for k, v in spec.items() if k != key)
    problem = facts_problem(
        tmp_path,
        "item_name: {type: text, label: the item, expr: item.name}",
        f"item_name: {{{kept}}}",
        "missing-key",
        f"{{{kept}}}",
    )
    assert problem.message == f"fact 'item_name' is missing the required key '{key}'"
