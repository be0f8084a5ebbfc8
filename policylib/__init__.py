"""policylib: customer-service policies as declarative rules that explain themselves.

The canonical flow::

    import policylib
    policy = policylib.load_policy()          # the bundled pack, or load_policy("rules/")
    decision = policy.evaluate(request)       # dict, JSON text or policylib.Request
    decision.outcome                          # granted | partial | denied | needs_info | escalate
    decision.explanation                      # plain words for the customer
    decision.alternatives                     # what the store can honestly offer instead
    decision.render(audience="agent")         # the agent's view: rule ids, facts, limits

Data flows one way: request -> validate (model) -> facts -> engine -> decision + trace ->
explanation (explain) and alternatives (alternatives).
"""

from policylib.errors import BackendError, PolicyError, Problem, RequestError, RuleError
from policylib.model import (
    Alternative,
    Citation,
    ConditionTrace,
    Decision,
    Outcome,
    Question,
    Reason,
    Request,
    RequestKind,
    RuleTrace,
    parse_request,
)
from policylib.policy import Policy, load_policy

__version__ = "0.1.0"

__all__ = [
    "Alternative",
    "BackendError",
    "Citation",
    "ConditionTrace",
    "Decision",
    "Outcome",
    "Policy",
    "PolicyError",
    "Problem",
    "Question",
    "Reason",
    "Request",
    "RequestError",
    "RequestKind",
    "RuleError",
    "RuleTrace",
    "__version__",
    "load_policy",
    "parse_request",
]
