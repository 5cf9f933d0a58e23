"""Time to verify the example specs (cold: a fresh process per run, and warm: repeated in one process).

    python benchmarks/bench_verify.py [--repeat 5]

Prints, per spec, the wall time of ``boundcheck verify`` as a user runs it (including start-up), and the
median in-process time of ``boundcheck.verify`` with the per-rung breakdown of the last run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ["examples/croissant.toml", "examples/occam.toml", "examples/pac_bayes.toml"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    import boundcheck

    for spec in SPECS:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "boundcheck", "verify", spec], cwd=ROOT, capture_output=True, check=False)
        cold = time.perf_counter() - start
        problem = boundcheck.load(ROOT / spec)
        times = []
        verdicts = ()
        for _ in range(args.repeat):
            t = time.perf_counter()
            verdicts = boundcheck.verify(problem)
            times.append(time.perf_counter() - t)
        methods = Counter(v.method for v in verdicts)
        status = Counter(v.status.value for v in verdicts)
        print(f"{spec}: {len(verdicts)} claims, cold CLI {cold:.2f} s, in-process median {statistics.median(times):.3f} s"
              f" (min {min(times):.3f}); verdicts {dict(status)}; methods {dict(methods)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
