"""Requests: the base request every pack extends, the per-pack model built from a
vocabulary, and parsing with every problem located."""
