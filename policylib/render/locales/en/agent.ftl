# The agent's view of a decision, in English: policylib's defaults.
#
# What decided, what the customer is told, every condition checked, the alternatives and
# what the agent may do. A pack overrides any of these with a message of the same id.
# Values arrive formatted (money, days, dates) in the decision's locale.

## The head line: "Outcome: partial (return request, from Lee)"

agent-outcome-label = Outcome:
# $kind is the pack's own name for the request kind (change delivery, return ...).
agent-summary = { $outcome } ({ $kind } request, from { $customer_name })
agent-summary-anonymous = { $outcome } ({ $kind } request, no customer name given)
agent-outcome-granted = granted
agent-outcome-partial = partial
agent-outcome-denied = denied
agent-outcome-needs_info = needs info
agent-outcome-escalate = escalate

## The rules that decided (or that wait on an answer)

agent-decided-by = Decided by
agent-waiting-on = Waiting on
agent-reason = { $rule_id } — { $title }
agent-reason-apology = { $rule_id } — { $title } (the store erred: apologise)

## What the customer is told

agent-told = What the customer is told
agent-why = Why: { $why }
agent-ask = Ask: { $question }
agent-ask-field = Ask: { $question } (request field { $field })

## Conditions checked: "HYG-001 (decided, priority 150): title", then one line each

agent-conditions = Conditions checked
agent-trace = { $rule_id } ({ $state }, priority { $priority }): { $title }
agent-state-decided = decided
agent-state-held = held
agent-state-failed = failed
agent-state-unknown = unknown
agent-state-skipped = skipped
agent-condition = { $label }: required { $required }, actual { $actual } — { $status }
# What a condition requires, by its comparison; $value is formatted (a list is "a or b").
agent-op-eq = { $value }
agent-op-ne = not { $value }
agent-op-lt = less than { $value }
agent-op-lte = at most { $value }
agent-op-gt = more than { $value }
agent-op-gte = at least { $value }
agent-op-in = one of { $value }
agent-op-not_in = none of { $value }

# With no trace: the facts that mattered.
agent-facts = Facts that mattered
agent-fact = { $label }: { $value }

## Alternatives: "text [kind; tag]"

agent-alternatives = Alternatives
agent-alternative = { $text } [{ $kind }; { $tag }]
agent-verified = verified: granted by { $rule_id }
agent-verified-partial = verified: partly granted by { $rule_id }
agent-unverified = not verified ({ $rule_id }): check before offering
agent-path = a path: nothing to re-check

## What the agent may do

agent-limits = What you can do
agent-may-approve =
    You may offer a review by { $escalation_contact }, who may approve up to { $limit }.
agent-escalate = To escalate, pass the case to { $escalation_contact }.

## Where the policy says so

agent-policy = Policy
agent-citation = { $title }:
