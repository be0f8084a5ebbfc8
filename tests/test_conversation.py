"""A conversation: each answer goes in the field its question names, decided again.

The bundled pack's toilet-seat return that says neither whether the seat was opened nor
when the order arrived asks both, one at a time, and reaches a final decision.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import policylib
from policylib import Policy, PolicyError, RequestError
from policylib.llm import Conversation
from tests import ROOT
from tests.packs import SMALL_PACK

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=-5)))
SEAT = "BTH-SEAT-01"


def _unknown_seat(policy: Policy) -> dict[str, Any]:
    """The bundled worked example of a toilet-seat return that doesn't say if it was opened."""
    example = next(
        e for e in policy.pack.examples if e.name.startswith("toilet seat return that doesn't")
    )
    return copy.deepcopy(example.request)  # type: ignore[no-any-return]


def test_answers_to_a_condition_and_a_delivery_date_reach_a_final_decision(
    bundled_policy: Policy,
) -> None:
    request = _unknown_seat(bundled_policy)
    del request["order"]["delivered_at"]
    conversation = bundled_policy.conversation(request)

    first = conversation.question
    assert first is not None and conversation.decision.outcome.value == "needs_info"
    assert (first.field, first.item) == ("order.items[].condition", SEAT)
    assert "unopened" in first.answers

    conversation.answer("unopened")
    second = conversation.question
    assert second is not None and (second.field, second.item) == ("order.delivered_at", None)

    decision = conversation.answer("2026-11-15")
    assert decision is conversation.decision and conversation.question is None
    assert decision.outcome.value == "granted"
    assert conversation.answers == [
        ("order.items[].condition", SEAT, "unopened"),
        ("order.delivered_at", None, "2026-11-15"),
    ]
    assert conversation.request["order"]["items"][0]["condition"] == "unopened"
    assert decision == bundled_policy.evaluate(conversation.request)


def test_an_answer_outside_the_questions_answers_is_refused_and_the_question_stays(
    bundled_policy: Policy,
) -> None:
    conversation = bundled_policy.conversation(_unknown_seat(bundled_policy))
    before = conversation.decision
    with pytest.raises(RequestError, match="one of: unopened, opened, used, damaged") as info:
        conversation.answer("still in its box")
    [problem] = info.value.problems
    assert problem.where == "order.items[0].condition" and problem.value == "'still in its box'"
    assert conversation.decision is before and conversation.answers == []
    assert conversation.question is not None and conversation.question.item == SEAT
    with pytest.raises(RequestError):
        conversation.answer(["unopened"])  # not a value of the field at all
    assert conversation.answer("opened").outcome.value == "denied"


def test_an_answer_the_request_refuses_changes_nothing(bundled_policy: Policy) -> None:
    request = _unknown_seat(bundled_policy)
    del request["order"]["delivered_at"]
    conversation = bundled_policy.conversation(request)
    conversation.answer("unopened")
    asked = conversation.question
    with pytest.raises(RequestError) as info:
        conversation.answer("last Tuesday")
    assert [p.where for p in info.value.problems] == ["order.delivered_at"]
    assert conversation.question == asked and len(conversation.answers) == 1
    with pytest.raises(RequestError, match="after"):
        conversation.answer("2026-12-01")  # after the request: a timeline problem
    assert conversation.answer("2026-11-15T11:20:00-05:00").outcome.value == "granted"


def test_a_request_about_several_items_asks_about_each_in_turn(bundled_policy: Policy) -> None:
    request = _unknown_seat(bundled_policy)
    seat = request["order"]["items"][0]
    towels = {**seat, "sku": "BTH-TWL-03", "name": "cotton towel set", "price": "40.00"}
    request["order"]["items"].append(towels)
    conversation = bundled_policy.conversation(request)

    asked = []
    for answer in ["unopened", "opened"]:
        question = conversation.question
        assert question is not None and question.field == "order.items[].condition"
        asked.append(question.item)
        conversation.answer(answer)
    assert sorted(asked) == sorted([SEAT, "BTH-TWL-03"])
    assert conversation.question is None
    assert conversation.decision.outcome.value == "partial"  # one sealed, one opened
    conditions = {i["sku"]: i["condition"] for i in conversation.request["order"]["items"]}
    assert conditions == {asked[0]: "unopened", asked[1]: "opened"}


def test_nothing_to_answer_is_a_policy_error(bundled_policy: Policy) -> None:
    path = ROOT / "rules" / "examples" / "hygiene_opened_return.json"
    conversation = bundled_policy.conversation(path.read_text())
    assert conversation.question is None
    with pytest.raises(PolicyError, match="nothing is asked"):
        conversation.answer("unopened")


def test_a_bad_request_is_refused_at_the_start(bundled_policy: Policy) -> None:
    with pytest.raises(RequestError):
        bundled_policy.conversation({"kind": "refund_please"})


def test_a_conversation_is_decided_at_one_moment(bundled_policy: Policy) -> None:
    request = _unknown_seat(bundled_policy)
    del request["requested_at"]
    conversation = bundled_policy.conversation(request, now=NOW)
    conversation.answer("unopened")
    assert conversation.decision.decided_at == NOW
    later = bundled_policy.conversation(request)  # no clock: the moment it starts
    started = later.decision.decided_at
    later.answer("unopened")
    assert later.decision.decided_at == started


def test_nulls_in_the_request_mean_not_said(bundled_policy: Policy) -> None:
    request = _unknown_seat(bundled_policy)
    request["order"]["items"][0]["condition"] = None
    request["customer"]["tier"] = None  # a field with a default: null is the default
    conversation = bundled_policy.conversation(json.dumps(request))
    assert conversation.question is not None and conversation.question.item == SEAT


@pytest.mark.parametrize("pack", [None, ROOT / "examples" / "packs" / "voltaic"])
def test_every_worked_question_can_be_answered_without_asking_twice(pack: Path | None) -> None:
    policy = policylib.load_policy(pack)
    answered = 0
    for example in policy.pack.examples:
        if example.outcome.value != "needs_info":
            continue
        now = datetime.fromisoformat(example.now) if example.now else None
        for pick in (0, -1):  # the first and the last of the answers offered
            conversation = policy.conversation(example.request, now=now)
            asked = []
            while (question := conversation.question) is not None and question.answers:
                asked.append((question.fact, question.field, question.item))
                conversation.answer(question.answers[pick])
                answered += 1
            assert len(set(asked)) == len(asked), example.name
            again = policy.evaluate(conversation.request, now=now)
            assert again == conversation.decision, example.name
    assert answered >= 10


def _stuck_pack(tmp_path: Path) -> Path:
    """The small test pack with a fact its question's answer cannot settle: whether the item
    is used also depends on a date the question never asks for."""
    files = dict(SMALL_PACK)
    files["facts.yaml"] = files["facts.yaml"].replace(
        'expr: item.condition == "used"',
        'expr: item.condition == "used" or days_between(order.shipped_at, now) > 1000',
    )
    assert files["facts.yaml"] != SMALL_PACK["facts.yaml"]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_question_that_would_come_back_stops_the_conversation(tmp_path: Path) -> None:
    policy = policylib.load_policy(_stuck_pack(tmp_path))
    request = json.loads((tmp_path / "examples" / "fresh.json").read_text())
    del request["order"]["items"][0]["condition"]
    conversation = Conversation(policy, request)
    question = conversation.question
    assert question is not None and question.field == "order.items[].condition"
    before = conversation.decision
    with pytest.raises(PolicyError, match="already asked") as info:
        conversation.answer("unopened")
    assert not isinstance(info.value, RequestError)
    assert conversation.decision is before and conversation.answers == []
    assert conversation.answer("used").outcome.value != "needs_info"  # this answer settles it
