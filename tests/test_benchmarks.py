"""The benchmark's correctness gate runs in the test suite (no timings here).

benchmarks/bench.py times policylib beside the peer engines; before it times anything it
checks that policylib decides the peers' workload exactly like their reference. Running
that gate here keeps the benchmark working as the code changes. Timings are never
asserted in tests: the machines are shared and noisy.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import policylib

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT.parent / "shared" / "bench" / "peers.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "policylib_bench", ROOT / "benchmarks" / "bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not PEERS.is_file(), reason="../shared/bench/peers.py is not beside the repo")
def test_peer_workload_decides_like_the_reference(tmp_path: Path) -> None:
    bench = _bench()
    peers = bench.load_peers(PEERS, tmp_path)
    assert peers is not None
    for name, rules, requests in (
        ("main", peers.MAIN_RULES, peers.gen_requests(2_000, 12345)),
        ("synth", peers.synth_rules(300), peers.gen_synth_requests(500, 300, 7)),
    ):
        path, _form = bench.write_pack(tmp_path / name, rules, "B", name)
        policy = policylib.load_policy(path)
        assert bench.verify_engine(peers, policy.engine, rules, requests, "B") == len(requests)
