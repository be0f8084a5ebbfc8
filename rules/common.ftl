# Shared messages of the Hearth & Home pack: the words that connect a decision's parts.
#
# policylib ships English defaults for the generic ids; a message here replaces the one
# with the same id, so the store's voice (or a translation) is edited here, not in code.
# Headlines are looked up as <outcome>-<request kind> first, then <outcome>. Besides
# declared facts, a message may name the values its id carries (docs/rule-language.md).

## The answer, first

granted = Good news: we can do this for you.
granted-return = Good news: we can take this return.
granted-exchange = Good news: we can exchange this for you.
granted-cancel = You're all set: it's cancelled.
# A changed day or window is restated, so the customer can check it.
granted-change_delivery =
    { $address_change_requested ->
        [true] Good news: we can make that change to your delivery.
       *[false] { $new_window_known ->
            [true] Good news: your delivery now comes on { $new_delivery_day }, between { $new_window_start } and { $new_window_end }.
           *[false] Good news: your delivery now comes on { $new_delivery_day }.
        }
    }
granted-price_adjustment = Good news: we can adjust the price for you.
granted-delivery_estimate = Here's when you can expect your order.

partial = We can do part of what you asked.
partial-return = We can take this return, but we can't refund all of it.
partial-exchange = We can exchange this, but not for its full price.
partial-cancel = We can cancel this, but we can't refund all of it.
partial-change_delivery = We can make part of that change to your delivery.
partial-price_adjustment = We can adjust part of the price.
partial-mixed = We can do some of what you asked, but not all of it.
partial-mixed-return = We can take back some of these items, but not all of them.
partial-mixed-exchange = We can exchange some of these items, but not all of them.
partial-mixed-price_adjustment = We can adjust the price on some of these items, but not all of them.

denied = We can't do this one.
denied-return = We can't take this return.
denied-exchange = We can't exchange this item.
denied-cancel = We can't cancel this right now.
denied-change_delivery = We can't make this change to your delivery.
denied-price_adjustment = We can't adjust the price on this order.
denied-delivery_estimate = We can't give you a delivery date just yet.

escalate-return =
    I've passed your return to { $escalation_contact },
    who will look at it and get back to you.
escalate-cancel =
    I've passed your cancellation to { $escalation_contact },
    who will look at it and get back to you.
escalate-change_delivery =
    I've passed your delivery change to { $escalation_contact },
    who will look at it and get back to you.

## When the store got something wrong

apology = I'm sorry about this.
apology-granted = I'm sorry about this, and we'll put it right.
apology-partial = I'm sorry about this, and we'll put right what we can.

## Asking before answering (exactly one question)

needs-info = before I can answer, I need to know one thing:
needs-info-chat = one quick question before I can answer:
needs-info-next = Once I know, I can give you a full answer.

## What else we can do (a cancellation is confirmed before any offer)

offers-denied = Here's what we can do instead:
offers-partial = Here's what else we can do:
offers-granted = If it helps, we can also offer:
offers-granted-cancel = There's nothing else you need to do. If it's ever useful, we also offer:
offers-escalate = In the meantime, here's what we can do:
offers-needs_info = In the meantime, here's what we can do:

no-offers = If you think we've missed something, just reply and we'll take another look.

policy-link-general = You can read our full policy here:

## For our agents

agent-may-approve =
    You may offer a supervisor review; the supervisor may approve a goodwill gesture of
    up to { $limit }.

## The request kinds, as the policy page names them ("Applies to returns and exchanges")

kind-return = returns
kind-exchange = exchanges
kind-cancel = cancellations
kind-change_delivery = delivery changes
kind-delivery_estimate = delivery estimates
kind-price_adjustment = price adjustments
