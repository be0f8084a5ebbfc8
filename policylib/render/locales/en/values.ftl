# How values read inside a sentence, in English: policylib's defaults.

# A moment on the store's clock, saying whose clock it is.
moment = { $time } { $zone } on { $day }
# The same moment on the customer's clock, when it reads differently.
moment-yours = { $moment } ({ $yours } your time)
moment-yours-day = { $time } on { $day }

# The units every pack counts in, one and several.
unit-days-one = day
unit-days-other = days
unit-business_days-one = business day
unit-business_days-other = business days
unit-hours-one = hour
unit-hours-other = hours

# A yes/no fact, and a fact the request does not tell.
value-yes = yes
value-no = no
value-unknown = not known

# A time of day in the store's house style (AP: 8 a.m., 4:30 p.m., noon), where it
# differs from CLDR's ("8:00 AM"); clock-style = cldr uses CLDR's.
clock-style = house
clock-hour = { $hour } { $period }
clock-hour-minutes = { $hour }:{ $minutes } { $period }
clock-am = a.m.
clock-pm = p.m.
clock-noon = noon
clock-midnight = midnight
