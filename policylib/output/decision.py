"""What the store answers: a ``Decision`` with its reasons, alternatives, question and trace.

These are the output types, and nothing else: the engine builds the trace entries, the
policy the rest. They import no request model and no renderer; a ``Decision`` renders
through the policy that made it (``policy.render(decision)``, or ``decision.render()``
while it is still held by that policy), so a decision carries its facts, not the
phrasebook. In a notebook a decision and an alternative show as html and Markdown
(``_repr_html_``, ``_repr_markdown_``, laid out by ``policylib.render.notebook``, which is
imported only when one is shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr

from policylib.errors import PolicyError
from policylib.lang.nodes import Outcome

__all__ = [
    "Alternative",
    "Audience",
    "Citation",
    "ConditionTrace",
    "Decision",
    "DecisionContext",
    "Format",
    "Question",
    "Reason",
    "RuleTrace",
    "built",
]

Audience = Literal["customer", "agent", "chat"]
Format = Literal["text", "markdown", "html"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_M = TypeVar("_M", bound=BaseModel)
_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}


def built(cls: type[_M], /, **fields: Any) -> _M:
    """An output model from the policy's own, already checked values, without validation:
    a decision holds dozens of these and validating them cost more than deciding."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {
            name: info.get_default(call_default_factory=True)
            for name, info in cls.model_fields.items()
            if not info.is_required()
        }
    values = {
        name: (value.copy() if type(value) is list or type(value) is dict else value)
        for name, value in defaults.items()
        if name not in fields
    }
    values.update(fields)
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(fields))
    object.__setattr__(model, "__pydantic_extra__", None)
    private = {name: attr.get_default() for name, attr in cls.__private_attributes__.items()}
    object.__setattr__(model, "__pydantic_private__", private or None)
    return model


class Citation(_Model):
    """Where the rule is published, for the customer to read."""

    section: str
    title: str
    url: str | None = None


class Reason(_Model):
    """A deciding rule and what it means for this customer."""

    rule_id: str
    title: str
    outcome: Outcome
    citation: Citation
    text: str
    """Customer-facing text of the rule, filled in for this request."""
    why: str = ""
    """Why the rule exists, in plain words."""
    apology: bool = False
    """True when the store erred and the explanation opens with an apology."""
    answers: bool = False
    """True when ``text`` itself states the outcome (no headline goes above it)."""


class Alternative(_Model):
    """Something the store can honestly offer instead of (or beside) the request."""

    kind: str
    text: str
    rule_id: str | None = None
    """The rule that grants it when re-checked; None for escalation paths."""
    verified: bool = False
    """True when the engine re-evaluated the changed request and it was granted."""
    change: dict[str, Any] = {}
    """The change to the request that this alternative stands for."""
    outcome: Outcome | None = None
    """For a verified offer: granted, or partial when the policy grants only part of it."""
    item: str | None = None
    """In a request about several items: the item this alternative is for."""

    # Notebook and console display. The output types import no renderer at import time
    # (the render package imports them); these import it when asked to show one.

    def __repr__(self) -> str:
        """One line: ``<Alternative credit: verified by R-4: 'We can ...'>``."""
        from policylib.render import notebook

        return notebook.alternative_repr(self)

    def _repr_html_(self) -> str:
        from policylib.render import notebook

        return notebook.alternative_html(self)

    def _repr_markdown_(self) -> str:
        from policylib.render import notebook

        return notebook.alternative_markdown(self)


class Question(_Model):
    """The one thing to ask the customer before a decision can be made."""

    fact: str
    text: str
    field: str = ""
    """The request field that answers it (``order.items[].condition``)."""
    item: str | None = None
    """For a field inside an order's items: the sku of the item it is asked about."""
    answers: list[str] = []
    """For a field with a fixed set of values: the values it takes."""


@dataclass(slots=True)
class ConditionTrace:
    """One comparison of a rule, as evaluated for this request.

    Trace entries are plain dataclasses, not models: a decision carries dozens of them and
    building models cost more than the rest of the decision. Treat them as read-only;
    pydantic validates and serialises them as part of ``Decision``. ``required`` is the
    other fact's value when a rule compares two facts (``$return_window``).
    """

    fact: str
    label: str
    op: str
    required: Any
    actual: Any
    status: Literal["held", "failed", "unknown"]


@dataclass(slots=True)
class RuleTrace:
    """One rule considered for this request: its verdict and every comparison in it.

    ``status`` is ``skipped`` (with no conditions) for rules ranked below the deciding rule.
    """

    rule_id: str
    title: str
    outcome: Outcome
    priority: int
    status: Literal["held", "failed", "unknown", "skipped"]
    decided: bool = False
    conditions: list[ConditionTrace] = field(default_factory=list)


class DecisionContext(_Model):
    """What the views need besides the reasons: who asked, in which language, what about."""

    customer_name: str | None = None
    names: list[str] = []
    """Other names the reply may quote as written (items, plans): isolated in html."""
    policy_url: str | None = None
    locale: str = "en_US"
    currency: str = ""
    request_kind: str
    escalation_contact: str = ""
    agent_may_approve: str = ""
    """The most the escalation contact may approve, formatted (from the pack's fact)."""
    facts: dict[str, str] = {}
    """The facts that mattered, formatted for people (label -> value)."""
    values: dict[str, Any] = {}
    """The facts the pack's own phrases name (a headline restating the new delivery day):
    fact name -> value, formatted by the view so its selectors choose by the value."""


class Renderer(Protocol):
    """How a decision is explained by the policy that made it (``Policy.render``)."""

    def __call__(
        self,
        decision: Decision,
        audience: Audience = "customer",
        format: Format = "text",
        *,
        locale: str | None = None,
    ) -> str: ...


class Decision(_Model):
    """What the store answers: outcome, explanation, reasons, alternatives, question, trace."""

    outcome: Outcome
    explanation: str
    reasons: list[Reason]
    alternatives: list[Alternative] = []
    questions: list[Question] = []
    trace: list[RuleTrace] = []
    context: DecisionContext
    decided_at: datetime
    schema_version: Literal[1] = 1
    """The version of this shape, in every dump: a client that stores decisions can tell
    which it holds (raised when a field changes meaning or goes away)."""

    _renderer: Renderer | None = PrivateAttr(default=None)
    _request: tuple[Any, datetime] | None = PrivateAttr(default=None)
    """The request and clock it was decided at, to decide again in another locale."""

    def render(
        self, audience: Audience = "customer", format: Format = "text", *, locale: str | None = None
    ) -> str:
        """The explanation for one audience in one format, by the policy that decided it,
        in ``locale`` (default: the locale it was decided in).

        A decision read back from JSON has no policy: use ``policy.render(decision)``.
        """
        if self._renderer is None:
            raise PolicyError(
                "this decision was not made by a policy in this process; render it with "
                "policy.render(decision, audience, format)"
            )
        return self._renderer(self, audience, format, locale=locale)

    # Notebook and console display, imported when asked for (see Alternative.__repr__).

    def __repr__(self) -> str:
        """One line: ``<Decision denied by R-3: 2 alternatives, 1 question>``."""
        from policylib.render import notebook

        return notebook.decision_repr(self)

    def _repr_html_(self) -> str:
        """Outcome badge, customer answer, alternatives, agent view and trace (collapsible).

        A decision read back from JSON has no policy: it is shown from its own fields.
        """
        from policylib.render import notebook

        return notebook.decision_html(self)

    def _repr_markdown_(self) -> str:
        from policylib.render import notebook

        return notebook.decision_markdown(self)

    def __eq__(self, other: object) -> bool:
        """Equal on content: two policies' decisions of one request compare equal, whichever
        policy (the private renderer) made them."""
        if not isinstance(other, Decision):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]
