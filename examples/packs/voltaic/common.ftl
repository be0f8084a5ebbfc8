# Voltaic Electronics: the connecting words of a reply. A message here replaces
# policylib's English default with the same id; headlines are looked up as
# <outcome>-<request kind> first, then <outcome>.

## The answer, first

granted = Good news: we can do this for you.
granted-return = Good news: we can take this return.
granted-cancel = Done: your order is cancelled.
granted-price_adjustment = Good news: we can adjust the price for you.

partial = We can do part of what you asked.
partial-return = We can take this return, but we can't refund the full price.
partial-mixed = Here's what we can do for each part of your request.
partial-mixed-return = Here's what we can do for each of these items.

denied = We can't do this one.
denied-return = We can't take this return.
denied-cancel = We can't cancel this order.
denied-price_adjustment = We can't adjust the price on this item.

escalate = I've passed your request to { $escalation_contact }, who will get back to you within one business day.
escalate-return = I've passed your return to { $escalation_contact }, who will get back to you within one business day.

## When we got something wrong

apology = I'm sorry about this.
apology-granted = I'm sorry about this, and we'll make it right.

## Asking before answering (exactly one question)

needs-info = before I can answer, I need to know one thing:
needs-info-next = As soon as I know, I can give you a full answer.

## What else we can do

offers-denied = Here's what we can do instead:
offers-partial = Here's what else we can do:
offers-escalate = In the meantime:

no-offers = If you think we've missed something, just reply and we'll take another look.

policy-link-general = You can read our full policy here:

## The request kinds, as the policy page names them

kind-return = returns
kind-cancel = cancellations
kind-price_adjustment = price adjustments
