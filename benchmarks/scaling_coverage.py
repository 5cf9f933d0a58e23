"""Coverage of the exponent CIs of `boundcheck scaling`: repeat a run many times and count how often the
printed 95 % CI contains the true exponent.

The truth is known exactly for the mean nearest-sample distance of iid uniform points on the unit torus
(Evans, Jones & Schmidt 2002: V_d^(-1/d) Gamma(1+1/d) Gamma(n+1)/Gamma(n+1+1/d)); the exponent a fit over
the run's n can recover is the least-squares slope of that exact curve (`effective_exponent`). Compared:

* ``t-seeds`` (what `scaling` prints): Student t-interval on the per-seed slopes, ``--seeds`` seeds (default 8);
* ``bootstrap-5`` (what it printed before): percentile bootstrap over 5 seeds.

    python benchmarks/scaling_coverage.py [--runs 200] [--dim 2] [--seeds 8] [--workers 2]

Prints the coverage of each with its binomial standard error; target 93-97 %.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from boundcheck.empirical import fit_power_law, get_sampler, get_space, run_scaling  # noqa: E402
from boundcheck.empirical._theory import effective_exponent, torus_mean_nearest  # noqa: E402


def one_run(args: tuple[int, int, int, tuple[int, ...], int]) -> tuple[float, float, float, float, float]:
    run, dim, seeds, ns, queries = args
    res = run_scaling(get_space("torus", dim), get_sampler("iid"), ns, seeds=seeds, seed=10_000 + run,
                      queries=queries, covering=False, workers=1)
    n_fit = res.n_actual.mean(axis=0)
    truth = effective_exponent(n_fit, [torus_mean_nearest(float(n), dim) for n in n_fit])
    lo, hi = res.nearest_fit.exponent_ci
    boot = fit_power_law(n_fit, res.nearest_mean[:5], rng=np.random.default_rng(run), n_boot=2000)
    return truth, lo, hi, boot.exponent_ci[0], boot.exponent_ci[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--dim", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--n", default="100,300,1000,3000,10000")
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    ns = tuple(int(t) for t in a.n.split(","))
    start = time.perf_counter()
    tasks = [(r, a.dim, a.seeds, ns, a.queries) for r in range(a.runs)]
    with ProcessPoolExecutor(a.workers) as pool:
        rows = list(pool.map(one_run, tasks, chunksize=4))
    arr = np.asarray(rows)
    truth = arr[:, 0]
    for name, lo, hi in (("t-seeds (%d seeds)" % a.seeds, arr[:, 1], arr[:, 2]),
                         ("bootstrap-5 (before)", arr[:, 3], arr[:, 4])):
        cov = float(np.mean((lo <= truth) & (truth <= hi)))
        se = math.sqrt(cov * (1 - cov) / len(truth))
        print(f"{name:22s} coverage {cov:6.1%} ± {se:.1%} over {len(truth)} runs; mean width "
              f"{np.mean(hi - lo):.4f}")
    print(f"torus d = {a.dim}, n = {ns}, queries {a.queries}; true exponent (effective slope of the exact curve) "
          f"{truth.mean():.5f}; {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
