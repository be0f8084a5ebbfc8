# How values read inside a sentence, in English: policylib's defaults.

# A moment on the store's clock, saying whose clock it is.
moment = { $time } { $zone } on { $day }
# The same moment on the customer's clock, when it reads differently.
moment-yours = { $moment } ({ $yours } your time)
moment-yours-day = { $time } on { $day }
