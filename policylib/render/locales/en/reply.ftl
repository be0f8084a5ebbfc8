# The connecting words of a reply, in English: policylib's defaults.
#
# A pack overrides any of these by defining a message with the same id in one of its
# *.ftl files, and adds per-kind variants (granted-return, offers-granted-cancel ...):
# headlines and lead-ins are looked up as <outcome>-<request kind> first, then
# <outcome>. The variables each message may use are listed in policylib/lang/phrases.py.

greeting = Hi { $customer_name },
greeting-anonymous = Hi there,

granted = Good news: we can do this for you.
good-news = Good news:

partial = We can do part of what you asked.
partial-mixed = We can do some of what you asked, but not all of it.
denied = We can't do this one.
escalate =
    I've passed your request to { $escalation_contact },
    who will look at it and get back to you.
apology = I'm sorry about this.
apology-granted = I'm sorry about this, and we'll put it right.
apology-partial = I'm sorry about this, and we'll put right what we can.

needs-info = before I can answer, I need to know one thing:
needs-info-chat = one quick question before I can answer:
needs-info-because = It matters because { $because }.
needs-info-depends = Your answer changes what we can offer you.
needs-info-next = Once I know, I can give you a full answer.

question-generic = Could you tell us the { $fact_label }?
question-generic-wh = Could you tell us { $fact_label }?

offers-denied = Here's what we can do instead:
offers-partial = Here's what else we can do:
offers-granted = If it helps, we can also offer:
offers-escalate = In the meantime, here's what we can do:
offers-needs_info = In the meantime, here's what we can do:

offer-for-item = For the { $item_name }: { $offer }
no-offers = If you think we've missed something, just reply and we'll take another look.

policy-link = You can read our full policy on { $policy_section } here:

## The agent's view

agent-may-approve =
    You may offer a review by { $escalation_contact }, who may approve up to { $limit }.
policy-link-general = You can read our full policy here:
