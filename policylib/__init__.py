"""policylib: customer-service policies as declarative rules that explain themselves.

The canonical flow::

    import policylib
    policy = policylib.load_policy()          # the bundled pack, or load_policy("rules/")
    decision = policy.evaluate(request)       # dict, JSON text or a request model
    decision.outcome                          # granted | partial | denied | needs_info | escalate
    decision.explanation                      # plain words for the customer
    decision.alternatives                     # what the store can honestly offer instead
    decision.render(audience="agent")         # the agent's view: rule ids, facts, limits

Data flows one way: request -> validate (``request``) -> facts (``derive``) -> engine ->
decision + trace (``output``) -> explanation (``render``) and alternatives (``search``).
A pack (``rules/``) declares the store's whole vocabulary: its request kinds and fields,
its facts as expressions, its rules, texts, offers and alternatives.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_HOMES = {
    "policylib.errors": (
        "BackendError",
        "FunctionError",
        "PolicyError",
        "Problem",
        "RequestError",
        "RuleError",
    ),
    "policylib.lang.functions": ("Functions",),
    "policylib.lang.nodes": ("Outcome", "Pack"),
    "policylib.load": ("load_pack",),
    "policylib.output.decision": (
        "Alternative",
        "Citation",
        "ConditionTrace",
        "Decision",
        "DecisionContext",
        "Question",
        "Reason",
        "RuleTrace",
    ),
    "policylib.policy": ("Policy", "load_policy"),
    "policylib.request.base": ("Request",),
    "policylib.request.parse": ("parse_request",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Alternative",
    "BackendError",
    "Citation",
    "ConditionTrace",
    "Decision",
    "DecisionContext",
    "FunctionError",
    "Functions",
    "Outcome",
    "Pack",
    "Policy",
    "PolicyError",
    "Problem",
    "Question",
    "Reason",
    "Request",
    "RequestError",
    "RuleError",
    "RuleTrace",
    "__version__",
    "load_pack",
    "load_policy",
    "parse_request",
]


def __getattr__(name: str) -> Any:
    """The public names, imported when first used: ``import policylib`` itself is cheap,
    which matters to every pytest run where policylib's plugin is installed."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'policylib' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public API (what ``__all__`` lists), as ``dir()`` and completion show it."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from policylib.errors import (
        BackendError,
        FunctionError,
        PolicyError,
        Problem,
        RequestError,
        RuleError,
    )
    from policylib.lang.functions import Functions
    from policylib.lang.nodes import Outcome, Pack
    from policylib.load import load_pack
    from policylib.output.decision import (
        Alternative,
        Citation,
        ConditionTrace,
        Decision,
        DecisionContext,
        Question,
        Reason,
        RuleTrace,
    )
    from policylib.policy import Policy, load_policy
    from policylib.request.base import Request
    from policylib.request.parse import parse_request
