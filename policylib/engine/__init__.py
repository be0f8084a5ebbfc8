"""Engines: a compiled pack deciding sets of facts (the core engine, or durable_rules)."""

from policylib.engine.core import CoreEngine
from policylib.engine.protocol import Engine, Verdict, settle

__all__ = ["CoreEngine", "Engine", "Verdict", "settle"]
