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

__version__ = "0.1.0"

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
