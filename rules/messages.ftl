# Shared messages for the Hearth & Home pack. Variables are declared facts only.

offer-supervisor-review = A customer-care supervisor can take a second look at your case and may offer up to { $goodwill_limit } as a goodwill gesture.
