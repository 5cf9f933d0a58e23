"""Cold-command speed of ``python -m boundcheck verify SPEC``: the median wall time of N fresh processes.

Usage (from the repository root)::

    python benchmarks/bench_cold_verify.py [SPEC] [--runs 5] [--importtime]

Each run is a new interpreter (imports included), as a user types the command, after one uncounted run
that writes the bytecode caches (as any user's first run does). The CPU time (the command plus its worker
processes) is printed too: on a loaded machine it is the steadier figure. ``--importtime`` also
prints the slowest imports of one run (``python -X importtime``), to see what a lazy import would save.
The target of issue 10 is a median under 2 s for examples/croissant.toml on an idle 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    """The user's environment: bytecode caches on (a sandbox that sets PYTHONDONTWRITEBYTECODE recompiles
    boundcheck's 46 modules on every command, about 0.3 s a user never pays after the first run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO)
    return env


def cold_run(spec: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers) of one fresh ``verify`` process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "boundcheck", "verify", spec], cwd=REPO, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False, env=_env())
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def slowest_imports(spec: str, top: int = 15) -> list[tuple[int, str]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "boundcheck", "verify", spec], cwd=REPO,
                          capture_output=True, text=True, check=False, env=_env())
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if len(name) - len(name.lstrip()) <= 2:  # top-level and first-level imports
                rows.append((int(parts[1]), name.strip()))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("spec", nargs="?", default="examples/croissant.toml")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--importtime", action="store_true")
    args = ap.parse_args(argv)
    cold_run(args.spec)  # writes the bytecode caches, as a user's first run does; not counted
    runs = [cold_run(args.spec) for _ in range(args.runs)]
    times = [w for w, _ in runs]
    cpu = [c for _, c in runs]
    print(f"{args.spec}: median {statistics.median(times):.2f} s wall over {args.runs} cold runs "
          f"(min {min(times):.2f}, max {max(times):.2f}); median CPU {statistics.median(cpu):.2f} s "
          f"(command and workers); load average {os.getloadavg()[0]:.1f}")
    if args.importtime:
        for us, name in slowest_imports(args.spec):
            print(f"  {us / 1e6:6.3f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
