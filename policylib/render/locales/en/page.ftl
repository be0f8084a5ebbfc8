# The words of the published policy page, in English: policylib's defaults.
#
# A pack overrides any of these by defining a message with the same id in one of its
# *.ftl files. The page fills them with words that are already finished: the pack's own
# titles, labels and values (formatted for the locale), never raw data.

## The page around the sections

page-title = { $store_name }: customer service policy
page-intro =
    This page comes from the same rules we use to decide every request,
    so what you read here is what we do.
page-intro-contact = If your case doesn't fit, you can always ask for { $contact }.
page-contents = On this page
# After the last section: the store's own text for a request no rule covers.
page-closing = When none of the situations above fits your request: { $default }

## Each section's table of situations

# What screen readers announce for a section's table.
page-table-label = { $section }: situations and what we do
page-col-situation = Situation
page-col-outcome = What we do
page-col-offers = What we can offer instead
page-col-example = Example
# An empty cell.
page-cell-none = —

# What we do, by the rule's outcome.
page-outcome-granted = Yes, we can do this.
page-outcome-partial = We can do part of it.
page-outcome-denied = No, we can't do this.
page-outcome-needs_info = We ask you one question first.
page-outcome-escalate = We pass your request to { $contact }.

## Each rule in detail, folded away under the table

page-details = More about each situation
page-applies = This applies to { $kinds } when:
page-applies-always = This applies to all { $kinds }.
# What a rule answers, as a sentence of its own (a notebook's rule card lists the
# conditions under it).
page-applies-kinds = Applies to { $kinds }.
# What a request kind reads as when the pack has no kind-<kind> words for it.
page-kinds-any = requests
page-examples = Examples:

# One condition: what a fact is about, and the value it must have.
page-cond = { $label }: { $value }
# A group of conditions where one is enough, and one where all are needed.
page-cond-any = One of these:
page-cond-all = All of these:

# A value a condition compares with.
page-value-not = anything but { $value }
page-value-lt = less than { $value }
page-value-lte = at most { $value }
page-value-gt = more than { $value }
page-value-gte = at least { $value }
page-value-between = between { $low } and { $high }
# Two bounds that are not both inclusive ("more than $10 and less than $20").
page-value-range = { $low } and { $high }
# A day or a time a condition compares with.
page-day-not = any day but { $value }
page-day-lt = before { $value }
page-day-lte = on or before { $value }
page-day-gt = after { $value }
page-day-gte = on or after { $value }
# A time of day a condition compares with.
page-time-not = any time but { $value }
page-time-lt = before { $value }
page-time-lte = at or before { $value }
page-time-gt = after { $value }
page-time-gte = at or after { $value }

## Worked examples

page-example = { $name }: { $verdict }.
page-verdict-granted = accepted
page-verdict-partial = partly accepted
page-verdict-denied = declined
page-verdict-denied-offers = declined; we can offer { $offers } instead
page-verdict-needs_info = we ask you a question first
page-verdict-escalate = passed to { $contact }
