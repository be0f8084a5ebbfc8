"""``python -m policylib``: the same command as ``policylib``."""

from policylib.cli import main

main()
