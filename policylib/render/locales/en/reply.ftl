# The connecting words of a reply, in English: policylib's defaults.
#
# A pack overrides any of these by defining a message with the same id in one of its
# *.ftl files, and adds per-kind variants (granted-return, offers-granted-cancel ...):
# headlines and lead-ins are looked up as <outcome>-<request kind> first, then
# <outcome>. The variables each message may use are the ones named here (and, for a
# headline, the pack's facts). Every message is written in full, as it is shown: the
# renderer never changes a letter's case or cuts a message into sentences.

greeting = Hi { $customer_name },
greeting-anonymous = Hi there,

## The answer, first. A rule whose text states its outcome (answers: true) gets none.

granted = Good news: we can do this for you.
# Not used by the replies any more; kept so packs that still define it load.

partial = We can do part of what you asked.
partial-mixed = We can do some of what you asked, but not all of it.
denied = We can't do this one.
escalate =
    I've passed your request to { $escalation_contact },
    who will look at it and get back to you.
# Who takes an escalated case when the pack names no one.
escalation-contact-default = a member of our team
apology = I'm sorry about this.
apology-granted = I'm sorry about this, and we'll put it right.
apology-partial = I'm sorry about this, and we'll put right what we can.

## Asking before answering. The lead-ins follow the greeting ("Hi Dana, before ...").

needs-info = before I can answer, I need to know one thing:
needs-info-chat = one quick question before I can answer:
# The asking rule's why, as its author wrote it.
needs-info-why = Here's why it matters: { $why }
# The asking rule's title, when its why does not say what is at stake.
needs-info-rule = Here's why it matters: { $rule_title }.
needs-info-depends = Your answer changes what we can offer you.
needs-info-next = Once I know, I can give you a full answer.

question-generic = Could you tell us this: { $fact_label }?
# The question when a decision carries none.
question-fallback = Could you tell us the details of your order?

## What else we can do

offers-denied = Here's what we can do instead:
offers-partial = Here's what else we can do:
offers-granted = If it helps, we can also offer:
offers-escalate = In the meantime, here's what we can do:
offers-needs_info = In the meantime, here's what we can do:

# In a reply about several items, each item's options are listed under this line.
offers-for-item = For the { $item_name }:
no-offers = If you think we've missed something, just reply and we'll take another look.

# The section's title, as the policy writes it.
policy-link = You can read the “{ $policy_section }” section of our policy here:
policy-link-general = You can read our full policy here:
