"""Instructions per evaluate, counted by callgrind (repeatable on a shared, noisy machine).

Run it twice under valgrind, once loading only and once loading and evaluating, and take
the difference per evaluation::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/instructions.py 0
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/instructions.py 20

``(collected(20) - collected(0)) / (20 * examples)`` is the instruction count of one
``policy.evaluate`` (JSON text in, customer explanation out) averaged over the bundled
pack's example requests; ``--pack DIR`` and ``--format dict`` vary the input. Uses only
the public API, so the same script measures any version of policylib.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

import policylib

NOW = datetime.fromisoformat("2026-11-20T15:00:00-05:00")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("evals", type=int, help="evaluations of each example request")
    parser.add_argument("--pack", default=None, help="pack directory (default: bundled)")
    parser.add_argument("--requests", default=None, help="folder of example requests")
    parser.add_argument("--format", choices=["text", "dict"], default="text")
    args = parser.parse_args(argv)
    policy = policylib.load_policy(args.pack)
    folder = Path(args.requests or Path(__file__).resolve().parent.parent / "rules" / "examples")
    texts = [p.read_text() for p in sorted(folder.glob("*.json"))]
    requests = texts if args.format == "text" else [json.loads(t) for t in texts]
    for request in requests:  # first-call work (lazy caches) in both runs: outside the count
        policy.evaluate(request, now=NOW)
    for _ in range(args.evals):
        for request in requests:
            policy.evaluate(request, now=NOW)
    print(f"{len(requests)} requests x {args.evals} evaluations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
