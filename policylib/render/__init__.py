"""Rendering: decisions as people read them, the phrasebook, values in the store's locale,
and the published policy page."""
