"""The catalogue of classical bounds at the default timeout: decided share, expectations met, time.

    python benchmarks/bench_catalogue.py [--timeout 10]

Prints, per spec of ``examples/catalogue/``, the claims proved / refuted / unknown, how many meet their
``expect``, the methods that decided them (``routine``, ``threshold``, ``optimum``, ...) and the wall and
process (CPU) time; then the totals. The CPU time is the figure to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (claims may run in subprocesses)."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    import boundcheck

    total = Counter()
    met = claims = 0
    wall = cpu = 0.0
    for spec in sorted((ROOT / "examples" / "catalogue").glob("*.toml")):
        problem = boundcheck.load(spec)
        t, c = time.perf_counter(), _cpu()
        verdicts = boundcheck.verify(problem, timeout=args.timeout)
        dt, dc = time.perf_counter() - t, _cpu() - c
        wall, cpu = wall + dt, cpu + dc
        counts = Counter(v.status.value for v in verdicts)
        ok = sum(v.status.value == cl.expect for v, cl in zip(verdicts, problem.all_claims))
        methods = Counter(v.method for v in verdicts if v.status.value != "unknown")
        total.update(counts)
        met += ok
        claims += len(verdicts)
        print(f"{spec.stem:20s} {counts['proved']:2d} proved {counts['refuted']:2d} refuted {counts['unknown']:2d} "
              f"unknown; expect met {ok}/{len(verdicts)}; {dt:6.1f} s wall {dc:6.1f} s cpu; "
              + ", ".join(f"{m} {k}" for m, k in methods.most_common()))
    decided = total["proved"] + total["refuted"]
    print(f"total: {claims} claims, decided {decided} ({100 * decided / claims:.0f}%), expectations met {met}/{claims}, "
          f"{wall:.1f} s wall, {cpu:.1f} s cpu (timeout {args.timeout:g} s per claim)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
