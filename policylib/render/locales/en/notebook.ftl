# Notebook display of decisions, alternatives, policies and rules, in English:
# policylib's defaults. $count is a number (plural forms select on it); the other values
# arrive as they are shown (ids, titles, formatted values).

## Counts

notebook-alternatives =
    { $count ->
        [one] { $count } alternative
       *[other] { $count } alternatives
    }
notebook-questions =
    { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }
notebook-rules =
    { $count ->
        [one] { $count } rule
       *[other] { $count } rules
    }
notebook-sections =
    { $count ->
        [one] { $count } section
       *[other] { $count } sections
    }
notebook-kinds =
    { $count ->
        [one] { $count } kind
       *[other] { $count } kinds
    }
# A list cut short: "R-1, R-2, R-3 +4 more".
notebook-more = { $shown } +{ $count } more

## A decision

notebook-by = by { $rules }
notebook-waiting-on = waiting on { $rules }
notebook-request = { $kind } request
notebook-question = Question:
notebook-request-field = (request field { $field })
notebook-alternatives-head = Alternatives ({ $count })
notebook-no-alternatives = No alternatives.
notebook-agent-view = Agent view
notebook-trace = Trace: { $rules }
notebook-no-policy =
    This decision was read back without the policy that made it: shown from its own
    fields. policy.render(decision, audience, format) gives the policy's full wording.
notebook-decided-by = Decided by:
notebook-facts = Facts that mattered:
notebook-policy = Policy:
notebook-actual = (actual { $value })

# The trace table's columns.
notebook-column-rule = rule
notebook-column-status = status
notebook-column-outcome = outcome
notebook-column-priority = priority
notebook-column-held = held
notebook-column-failed = failed
notebook-column-unknown = unknown
notebook-column-conditions = conditions

## An alternative

notebook-verified-by = verified by { $rule_id }
notebook-unverified-by = not verified by { $rule_id }
notebook-a-path = a path
notebook-unverified = not verified ({ $rule_id })
notebook-for-item = for { $item_name }
notebook-change = The change to the request:

## A pack and its rules

notebook-policy-page = policy page
notebook-rules-in = { $rules } in { $sections }
notebook-request-kinds = request kinds: { $kinds }
notebook-default = when no rule applies: { $outcome }
notebook-section = { $title } ({ $rules })
notebook-column-id = id
notebook-column-title = title
notebook-column-kinds = kinds
notebook-column-citation = citation
notebook-rule-kinds = kinds: { $kinds }
notebook-rule-priority = priority { $priority }
notebook-rule-cites = cites { $citation }
notebook-when = When all of these hold:
notebook-offers = Offers: { $offers }
notebook-all-of = all of
notebook-any-of = any of
notebook-not = not
