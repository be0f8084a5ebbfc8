"""The alternatives search: what the store can honestly offer, each change decided again
by the same rules before it is offered."""
