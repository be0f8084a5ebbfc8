"""A request decided again as the customer answers its questions, one at a time.

A decision that needs information asks one question, naming the request field its answer
goes in (``order.items[].condition`` on the order line ``Question.item`` names). A
``Conversation`` puts each answer there and decides again, until the decision no longer
asks::

    conversation = policy.conversation(request)
    while conversation.question is not None:
        conversation.answer(ask_the_customer(conversation.question.text))
    reply(conversation.decision.explanation)

Each answer is checked before it is taken: one outside the question's fixed answers, or
one the request refuses (a date that is not a date), raises ``RequestError`` and changes
nothing, so the same question can be asked again. A question is never asked twice: when
an answer would bring back a question already asked (a pack whose fact stays unknown
after its field is answered), ``answer`` raises ``PolicyError`` and changes nothing;
hand the case to a person then, with what was said (``conversation.answers``).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from policylib.errors import PolicyError, Problem, RequestError, shorten
from policylib.llm.result import Decider, tool_arguments
from policylib.output.decision import Decision, Question
from policylib.request.parse import parse_request

__all__ = ["Answer", "Conversation"]

Answer = tuple[str, str | None, Any]
"""One answer given: the field it went in, the item's sku (for an item's field), the value."""


class Conversation:
    """A request and its latest decision, taking the customer's answers one at a time.

    The whole conversation is decided at one moment: ``now``, else the moment it starts
    (a request's own ``requested_at`` wins, as always).

    Args:
        policy: the policy that decides.
        request: the request as a dict, JSON text or request model (a null in a dict or
            text means "not said", as in a tool call).
        now: the clock to decide at (timezone-aware).

    Raises:
        RequestError: the request is not valid.
    """

    def __init__(self, policy: Decider, request: object, *, now: datetime | None = None) -> None:
        self._policy = policy
        parsed = parse_request(tool_arguments(request), policy.request_model, zone=policy.zone)
        self._now = now if now is not None else datetime.now(policy.zone)
        self._request: dict[str, Any] = parsed.model_dump(mode="json", exclude_unset=True)
        self._decision = policy.evaluate(parsed, now=self._now)
        self._answers: list[Answer] = []
        self._asked: set[tuple[str, str, str | None]] = set()
        self._note(self._decision)

    def __repr__(self) -> str:
        return f"<Conversation {self._decision.outcome.value}, {len(self._answers)} answers>"

    @property
    def decision(self) -> Decision:
        """The latest decision."""
        return self._decision

    @property
    def question(self) -> Question | None:
        """What the latest decision asks, or None when it asks nothing."""
        questions = self._decision.questions
        return questions[0] if questions else None

    @property
    def answers(self) -> list[Answer]:
        """Every answer taken so far, in order: (field, item sku or None, value)."""
        return list(self._answers)

    @property
    def request(self) -> dict[str, Any]:
        """The request as it stands, with every answer in it (a copy, JSON values)."""
        return copy.deepcopy(self._request)

    def answer(self, value: object) -> Decision:
        """Put the answer to the question asked into the request and decide again.

        Args:
            value: the answer as a JSON value: one of ``question.answers`` when the
                question has fixed answers, else a value of the field's type (a date as
                ``"2026-11-14"``, a number, true or false).

        Returns:
            The new decision (also ``conversation.decision``).

        Raises:
            RequestError: the answer is not one the question takes, or the request
                refuses it; nothing changes, and the question stays.
            PolicyError: nothing is asked; or the new decision would ask a question
                already asked (nothing changes: hand the case to a person).
        """
        question = self.question
        if question is None:
            raise PolicyError(
                f"nothing is asked: the decision is {self._decision.outcome.value}; "
                "a conversation takes answers only while a question is open"
            )
        if not question.field:
            raise PolicyError(
                f"the question for {question.fact} names no request field to answer in; "
                "give the fact's field in the pack"
            )
        where = _where(self._request, question)
        if question.answers and not _one_of(value, question.answers):
            allowed = ", ".join(question.answers)
            raise RequestError(
                f"the answer must be one of: {allowed}",
                [
                    Problem(
                        "unknown-enum-value",
                        f"not one of the answers this question takes: {allowed}",
                        where,
                        hint="ask again, offering these answers",
                        value=shorten(value),
                    )
                ],
            )
        changed = copy.deepcopy(self._request)
        _put(changed, question, value)
        decision = self._policy.evaluate(changed, now=self._now)  # RequestError: nothing changes
        following = decision.questions[0] if decision.questions else None
        if following is not None and _key(following) in self._asked:
            raise PolicyError(
                f"the answer to {question.field} brings back a question already asked "
                f"({following.field}): stop asking, and hand the case to a person"
            )
        self._request = changed
        self._answers.append((question.field, question.item, copy.deepcopy(value)))
        self._decision = decision
        self._note(decision)
        return decision

    def _note(self, decision: Decision) -> None:
        for question in decision.questions[:1]:
            self._asked.add(_key(question))


def _key(question: Question) -> tuple[str, str, str | None]:
    """What makes two questions the same: the fact and field asked about, and the item."""
    return (question.fact, question.field, question.item)


def _one_of(value: object, answers: list[str]) -> bool:
    return isinstance(value, str) and value in answers


def _where(request: dict[str, Any], question: Question) -> str:
    """The question's field as a path into this request (``order.items[0].condition``)."""
    field = question.field
    if "[]" not in field or question.item is None:
        return field
    head, _, tail = field.partition("[]")
    items = _lines(request, head)
    index = next((i for i, line in enumerate(items) if line.get("sku") == question.item), 0)
    return f"{head}[{index}]{tail}"


def _lines(request: dict[str, Any], path: str) -> list[dict[str, Any]]:
    node: Any = request
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return [line for line in node if isinstance(line, dict)] if isinstance(node, list) else []


def _put(request: dict[str, Any], question: Question, value: object) -> None:
    """Set the question's field to ``value``: on the item it names for a field of an order
    line, else at the dotted path (making the objects on the way)."""
    field = question.field
    if "[]" in field:
        head, _, tail = field.partition("[]")
        selected = set(request.get("items") or ())
        lines = [line for line in _lines(request, head) if _asked_about(line, question, selected)]
        for line in lines:
            _set_path(line, tail.lstrip("."), value)
        return
    _set_path(request, field, value)


def _asked_about(line: dict[str, Any], question: Question, selected: set[str]) -> bool:
    """Whether an order line is the one the question is about (every selected line when
    the question names none)."""
    sku = line.get("sku")
    if question.item is not None:
        return sku == question.item
    return not selected or sku in selected


def _set_path(node: dict[str, Any], path: str, value: object) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = copy.deepcopy(value)
