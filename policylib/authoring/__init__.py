"""The pack author's kit: run a pack's worked examples, measure what they cover, and
analyse its rules for dead ones, gaps and conflicts, each shown by a concrete request."""
