"""Tests for policylib.load.vocabulary: ``vocabulary.yaml``, what a request can say.

A mistake here is located in vocabulary.yaml; the problems it sets off elsewhere (rules
whose kinds are no longer known) are a loader bug, tested last.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylib.errors import Problem
from policylib.load import load_pack
from tests.test_loader import VOCABULARY, changed, only, problems_of, where, write_pack

FILE = "vocabulary.yaml"


def vocabulary_problem(tmp_path: Path, old: str, new: str, code: str, needle: str) -> Problem:
    """Writes the mini pack with one change to its vocabulary; the one ``code`` problem in
    vocabulary.yaml, checked to sit at ``needle``."""
    root = write_pack(tmp_path / "pack", vocabulary=changed(VOCABULARY, old, new))
    problem = only(problems_of(root), code, FILE)
    assert problem.where == where(root, FILE, needle), str(problem)
    assert problem.excerpt.endswith("^")
    return problem


def test_unknown_object_under_fields_suggests_the_closest(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "  customer:\n", "  custmer:\n", "unknown-key", "custmer"
    )
    assert problem.message == "'custmer' is not an object of the request"
    assert problem.hint == "did you mean 'customer'?"


def test_unknown_object_without_a_close_name_lists_the_objects(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "  customer:\n", "  shopper:\n", "unknown-key", "shopper"
    )
    assert problem.hint == (
        "objects: request, customer, order, item, delivery, subscription, details"
    )


def test_kind_subjects_are_order_subscription_or_none(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path,
        "subjects: [order, subscription]",
        "subjects: [order, subscriptions]",
        "unknown-enum-value",
        "subscriptions",
    )
    assert problem.message == "'subscriptions' is not a subject a request can have"
    assert problem.hint == "did you mean 'subscription'?"


def test_kind_subjects_must_not_be_empty(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "subjects: [order, subscription]", "subjects: []", "wrong-type", "[]"
    )
    assert problem.message == "subjects must not be empty"


def test_kind_names_are_lowercase_words(tmp_path: Path) -> None:
    vocabulary_problem(
        tmp_path, "  exchange: {per_item", "  Exchange: {per_item", "bad-id", "Exchange"
    )


def test_the_request_kind_is_declared_under_kinds_not_as_a_field(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "  request:\n", "  request:\n    kind: {type: text}\n", "unknown-key", "kind: {"
    )
    assert problem.message == "the request's kind is declared under kinds:, not as a field"


@pytest.mark.parametrize(
    ("object_", "field", "spec"),
    [
        ("item", "name", "{type: enum, values: [lamp, chair]}"),
        ("order", "id", "{type: enum, values: [a, b]}"),
        ("item", "category", "{type: text}"),  # narrowable, but only to an enum
        ("order", "status", "{type: integer}"),
    ],
)
def test_only_order_status_and_item_category_narrow_a_base_field(
    tmp_path: Path, object_: str, field: str, spec: str
) -> None:
    vocabulary = changed(VOCABULARY, f"  {object_}:\n", f"  {object_}:\n    {field}: {spec}\n")
    if (object_, field) == ("order", "status"):  # replace the mini pack's own narrowing
        vocabulary = changed(
            vocabulary, "    status: {type: enum, values: [placed, shipped, delivered]}\n", ""
        )
    root = write_pack(tmp_path / "pack", vocabulary=vocabulary)
    problem = only(problems_of(root), "duplicate-id", FILE)
    assert problem.where == where(root, FILE, f"{field}: {spec}")
    assert problem.message == f"'{field}' is already a field of the base request's {object_}"
    assert "only order.status and item.category can be narrowed" in problem.hint


def test_item_category_may_be_narrowed_to_the_stores_values(tmp_path: Path) -> None:
    vocabulary = changed(
        VOCABULARY, "  item:\n", "  item:\n    category: {type: enum, values: [bath, lamps]}\n"
    )
    pack = load_pack(write_pack(tmp_path / "pack", vocabulary=vocabulary))
    category = pack.vocabulary.objects["Item"].fields["category"]
    assert category.type.values == ("bath", "lamps")
    assert category.required


def test_an_enum_field_needs_its_values(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path,
        "tier: {type: enum, values: [standard, plus], default: standard}",
        "tier: {type: enum}",
        "missing-key",
        "{type: enum}",
    )
    assert problem.message == "fields.customer.tier is an enum and needs its values"
    assert problem.hint.startswith("list them: values: [a, b, c]")


def test_only_enum_fields_take_values(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path,
        "current_price: {type: money}",
        "current_price: {type: money, values: [low, high]}",
        "wrong-type",
        "values: [low",
    )
    assert problem.message == "fields.details.current_price: only enum fields take values"


def test_an_enum_value_listed_twice_is_refused(tmp_path: Path) -> None:
    vocabulary_problem(
        tmp_path,
        "values: [unopened, opened, used]",
        "values: [unopened, opened, used, opened]",
        "duplicate-key",
        "opened]",
    )


def test_an_enum_default_must_be_one_of_its_values(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "default: standard}", "default: standrd}", "unknown-enum-value", "standrd"
    )
    assert problem.hint == "did you mean 'standard'?"


def test_unknown_field_type_suggests_the_closest(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "new_date: {type: date,", "new_date: {type: dat,", "wrong-type", "dat,"
    )
    assert problem.message == "fields.details.new_date has unknown type 'dat'"
    assert problem.hint == "did you mean 'date'?"


def test_a_field_may_have_one_of_the_packs_own_types(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack"))
    assert pack.vocabulary.objects["Details"].fields["new_window"].type.object == "window"


def test_unknown_field_type_may_suggest_the_packs_own_types(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "new_window: {type: window}", "new_window: {type: windw}", "wrong-type", "windw"
    )
    assert problem.hint == "did you mean 'window'?"


def test_a_list_field_says_what_it_holds(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path,
        "current_price: {type: money}",
        "current_price: {type: money}\n    photos: {type: list}",
        "missing-key",
        "list}",
    )
    assert problem.message == "fields.details.photos is a list: say of what (of: text)"


@pytest.mark.parametrize(
    ("old", "new", "code", "needle", "hint"),
    [
        ("require: end > start", "require: end > strat", "unknown-name", "strat", "'start'"),
        (
            'order.status == "delivered"',
            'order.status == "deliverd"',
            "unknown-enum-value",
            '"deliverd"',
            "'delivered'",
        ),
        (
            "not known(order.delivered_at)",
            "not known(order.delivred_at)",
            "unknown-field",
            "delivred_at",
            "'delivered_at'",
        ),
        ("require: end > start", "require: end >> start", "not-allowed", "end >>", ""),
    ],
)
def test_a_bad_check_expression_is_located_inside_it(
    tmp_path: Path, old: str, new: str, code: str, needle: str, hint: str
) -> None:
    problem = vocabulary_problem(tmp_path, old, new, code, needle)
    assert problem.message.startswith("check: ")
    if hint:
        assert problem.hint == f"did you mean {hint}?"


def test_a_check_must_be_true_or_false(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path, "require: end > start", "require: end", "wrong-type", "end\n"
    )
    assert "true or false" in problem.message


def test_unknown_choice_path_suggests_the_closest(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path,
        "choices: [kind, resolution, details]",
        "choices: [kind, resoluton, details]",
        "unknown-key",
        "resoluton",
    )
    assert problem.message == (
        "choice 'resoluton': 'resoluton' is not a field here (did you mean 'resolution'?)"
    )


def test_a_choice_path_cannot_go_inside_a_single_value(tmp_path: Path) -> None:
    problem = vocabulary_problem(
        tmp_path,
        "choices: [kind, resolution, details]",
        "choices: [kind, resolution.code, details]",
        "unknown-key",
        "resolution.code",
    )
    assert problem.message == "choice 'resolution.code': 'resolution' has no fields"


def test_a_vocabulary_mistake_is_reported_once(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", vocabulary=changed(VOCABULARY, "customer:", "custmer:"))
    assert [(p.code, p.where) for p in problems_of(root)] == [
        ("unknown-key", where(root, FILE, "custmer"))
    ]
