"""policylib's tests. ``ROOT`` is the repository, for tests that read files beside the code."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
