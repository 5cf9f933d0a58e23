"""Mutation testing of the prover, the parser and the symbolic layer: how many planted bugs do the tests catch?

Every mutant of boundcheck/prove, parse.py and symbolic.py against the whole suite would take days on two
cores, so this script *samples*, and runs against each mutant only the tests that execute the mutated line:

1. **Coverage map** (once, cached in ``--map``; about 5-10 minutes): the suite runs under ``coverage`` with
   one context per test, including the claim workers forked by ``prove/_worker.py``; the map records, for
   every line of the target files, the tests that execute it, and each test's duration. Tests that fail or
   are skipped in that run are left out of the map. Rebuild it (``--rebuild-map``) after changing the code
   or the tests: the map is keyed by line numbers.
2. **Sites**: every place of a few plain operators (comparison flips, and/or swaps, dropped ``not``,
   boolean and small integer constants, a condition forced to False).
3. **Sample**: ``--sample N`` sites stratified over the files (each file gets a share proportional to its
   number of sites, largest remainder), drawn with ``--seed``; the same code, seed and N give the same sample.
4. **Run**: each mutant is written into a scratch copy of the repository and pytest runs there
   (``-x -q -p no:cacheprovider``, ``CI=true``) on the tests that execute the mutated line, fastest first, at
   most ``--budget`` seconds of them by the map's durations. A line that no test executes is *not covered*
   (reported, not run). A line executed only at import time (module constants, default arguments,
   decorators) gets the tests that execute any line of its file.
5. **Timeouts**: each mutant gets ``max(60, 4 x the map's time of its tests + 30)`` seconds (the map's times
   were measured under coverage, so they overstate an unmutated run). A mutant that times out is then
   checked: the same tests run on the *unmutated* code, and the timeout counts as killed only if that run
   finished in under half the timeout; otherwise it is *timeout-inconclusive* (reported, not in the rate).

It also plants the three *named* mutants of issue 8 (integrality check of witnesses switched off, the
parser accepting ``%``, stress's tolerance widened from 1e-9 to 1e-2) and checks that the tests kill them.

Usage:
    python benchmarks/mutation.py --named-only
    python benchmarks/mutation.py --rev 50eb2da --sample 100 --seed 8 --budget 25 --skip-named --json out.json
    python benchmarks/mutation.py --mutant boundcheck/parse.py:120:11:flip_Lt   # one mutant (repeatable)
    python benchmarks/mutation.py --rerun out.json --full      # the survivors of a run, all covering tests
    python benchmarks/mutation.py --rerun out.json --from-rev 50eb2da --tests tests/test_bnb.py  # vs new tests

(The figures in docs/prover.md, "Mutation testing", come from the second command, with the map built on
2fcfeb0, whose boundcheck/ and tests/ are those of 50eb2da.)

Prints each mutant (file:line:col, operator, outcome, seconds, tests run) and a summary per file: killed,
survived, timeout (counted as killed), not covered; kill rate = (killed + timeout) / (killed + survived +
timeout). Survivors judged equivalent are listed, with the argument, in docs/prover.md ("Mutation testing").
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = sorted([p.relative_to(ROOT).as_posix() for p in (ROOT / "boundcheck" / "prove").glob("*.py")]
                 + ["boundcheck/parse.py", "boundcheck/symbolic.py"])
DEFAULT_MAP = ROOT / ".mutation-map.json"
#: where the mutated sources are read from: the scratch copy, a snapshot taken when the run starts (the
#: checkout may change under a long run)
SOURCE = ROOT

#: test files left out of the coverage map: notebooks and dask start kernels and clusters (minutes, and
#: their code runs in other processes the map cannot see); the MetiTarski benchmark test runs a benchmark.
MAP_EXCLUDE = ["tests/test_notebook.py", "tests/test_verify_dask.py"]

_REJECT = "        raise self.fail(f\"operator '{_describe(op)}' is not allowed\")\n\n    def _Call"
NAMED = {
    "witness-integrality-off": ("boundcheck/prove/refute.py", "    return sym.contains(value)\n",
                                "    return sym.contains(sp.floor(value)) if sym.is_integer"
                                " else sym.contains(value)\n",
                                ["tests/soundness/test_premises.py"]),
    "parser-accepts-modulo": ("boundcheck/parse.py", _REJECT,
                              "        if isinstance(op, ast.Mod):\n            return sp.Mod(left, right)\n" + _REJECT,
                              ["tests/test_parse_rejections.py"]),
    "stress-tolerance-1e-2": ("boundcheck/stress.py", "_RTOL = 1e-9\n", "_RTOL = 1e-2\n", ["tests/test_stress.py"]),
}

_FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
         ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}


@dataclass
class Mutant:
    file: str
    line: int
    col: int
    op: str
    outcome: str = ""
    seconds: float = 0.0
    tests_run: int = 0
    tests_covering: int = 0
    import_time: bool = False
    timeout: float = 0.0
    baseline_seconds: float | None = None
    first_failure: str = ""
    notes: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.file}:{self.line}:{self.col}:{self.op.replace(' ', '_')}"


def sites(path: str) -> list[Mutant]:
    """Every mutation site of ``path``, in a stable order."""
    tree = ast.parse((SOURCE / path).read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) in _FLIP:
                    out.append(Mutant(path, node.lineno, node.col_offset, f"flip {type(op).__name__}"))
        elif isinstance(node, ast.BoolOp):
            out.append(Mutant(path, node.lineno, node.col_offset, f"swap {type(node.op).__name__}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            out.append(Mutant(path, node.lineno, node.col_offset, "drop not"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            out.append(Mutant(path, node.lineno, node.col_offset, "negate bool"))
        elif isinstance(node, ast.Constant) and type(node.value) is int and 0 <= node.value <= 10:
            out.append(Mutant(path, node.lineno, node.col_offset, "int + 1"))
        elif isinstance(node, ast.If):
            out.append(Mutant(path, node.lineno, node.col_offset, "if False"))
    # a comparison chain gives one site per operator: keep them apart by position in the chain
    seen: Counter = Counter()
    unique = []
    for m in sorted(out, key=lambda m: (m.line, m.col, m.op)):
        k = (m.line, m.col, m.op)
        seen[k] += 1
        if seen[k] == 1:
            unique.append(m)
    return unique


class _Apply(ast.NodeTransformer):
    def __init__(self, m: Mutant) -> None:
        self.m = m
        self.done = False

    def _here(self, node: ast.AST) -> bool:
        return not self.done and node.lineno == self.m.line and node.col_offset == self.m.col

    def visit_Compare(self, node):
        self.generic_visit(node)
        if self._here(node) and self.m.op.startswith("flip"):
            for i, op in enumerate(node.ops):
                if type(op).__name__ == self.m.op.split()[1] and type(op) in _FLIP:
                    node.ops[i] = _FLIP[type(op)]()
                    self.done = True
                    break
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        # (an and-chain inside an or-chain starts at the same place: the operator names which one)
        if self._here(node) and self.m.op == f"swap {type(node.op).__name__}":
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            self.done = True
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if self._here(node) and self.m.op == "drop not":
            self.done = True
            return node.operand
        return node

    def visit_Constant(self, node):
        if self._here(node) and self.m.op == "negate bool" and isinstance(node.value, bool):
            self.done = True
            return ast.copy_location(ast.Constant(not node.value), node)
        if self._here(node) and self.m.op == "int + 1" and type(node.value) is int:
            self.done = True
            return ast.copy_location(ast.Constant(node.value + 1), node)
        return node

    def visit_If(self, node):
        self.generic_visit(node)
        if self._here(node) and self.m.op == "if False":
            node.test = ast.copy_location(ast.Constant(False), node.test)
            self.done = True
        return node


def mutate(m: Mutant) -> str | None:
    """The source of ``m.file`` with the mutation applied (None when the site is not there)."""
    tree = ast.parse((SOURCE / m.file).read_text(encoding="utf-8"))
    t = _Apply(m)
    tree = t.visit(tree)
    if not t.done:
        return None
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)


def translate(mutants: list[Mutant], rev: str) -> list[Mutant]:
    """Mutants named by their line in the files at git revision ``rev``, moved to the same lines today.

    (A JSON result names lines of the code it ran on; after a merge the line of a site may have moved.)
    A mutant whose line changed since is dropped, with a message.
    """
    import difflib

    out = []
    for m in mutants:
        old = subprocess.run(["git", "show", f"{rev}:{m.file}"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
        new = (SOURCE / m.file).read_text(encoding="utf-8").splitlines()
        moved = None
        for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag == "equal" and i1 < m.line <= i2:
                moved = m.line - i1 + j1
        if moved is None:
            print(f"{m.key}: its line changed since {rev}; not run", flush=True)
            continue
        m.line = moved
        out.append(m)
    return out


def parse_key(key: str) -> Mutant:
    """``file:line:col:op`` (op with ``_`` for spaces, e.g. ``flip_Lt``, ``int_+_1``) to a mutant."""
    f, line, col, op = key.split(":", 3)
    return Mutant(f, int(line), int(col), op.replace("_", " "))


# ---------------------------------------------------------------------------------------------- coverage map

class _CollectTimer:
    """Seconds pytest spends collecting (importing) each test file: a cost every run of its tests pays."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._t0: dict[str, float] = {}

    def pytest_collectstart(self, collector):
        if collector.nodeid.endswith(".py"):
            self._t0[collector.nodeid] = time.perf_counter()

    def pytest_collectreport(self, report):
        if report.nodeid in self._t0:
            self.seconds[report.nodeid] = time.perf_counter() - self._t0.pop(report.nodeid)


def _collect_times(out: str, tests: list[str]) -> int:
    """(Runs in a child process.) Adds each test file's collection time to the map in ``out``."""
    import pytest

    sys.path.insert(0, str(ROOT))
    timer = _CollectTimer()
    os.environ["CI"] = "true"
    pytest.main(["-q", "--collect-only", "-p", "no:cacheprovider", *[f"--ignore={e}" for e in MAP_EXCLUDE], *tests],
                plugins=[timer])
    raw = json.loads(Path(out).read_text(encoding="utf-8"))
    raw["collect"] = timer.seconds
    Path(out).write_text(json.dumps(raw), encoding="utf-8")
    return 0


def _collect(out: str, tests: list[str]) -> int:
    """(Runs in a child process.) The suite under coverage, one context per test; writes the map to ``out``."""
    import coverage
    import pytest

    sys.path.insert(0, str(ROOT))  # this checkout's boundcheck, not an installed one
    tmp = Path(tempfile.mkdtemp(prefix="bc-mutation-cov-"))
    include = [str(ROOT / t) for t in TARGETS]
    cov = coverage.Coverage(data_file=str(tmp / ".coverage"), data_suffix=True, include=include, branch=False)

    # claims forked by prove/_worker.py keep tracing (fork copies the tracer and the current context);
    # save what they saw when their worker loop returns
    import multiprocessing.process as mpp

    original_bootstrap = mpp.BaseProcess._bootstrap

    def bootstrap(self, *args, **kwargs):
        try:
            return original_bootstrap(self, *args, **kwargs)
        finally:
            try:
                cov.stop()
                cov.save()
            except Exception:  # noqa: BLE001 - a lost child record only makes the map smaller
                pass

    mpp.BaseProcess._bootstrap = bootstrap

    class Contexts:
        def __init__(self) -> None:
            self.durations: dict[str, float] = {}
            self.bad: set[str] = set()

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item, nextitem):  # noqa: ARG002
            cov.switch_context(item.nodeid)
            t0 = time.perf_counter()
            yield
            self.durations[item.nodeid] = time.perf_counter() - t0
            cov.switch_context("")

        def pytest_runtest_logreport(self, report):
            if report.failed or report.skipped:
                self.bad.add(report.nodeid)

    plugin = Contexts()
    os.environ["CI"] = "true"
    cov.start()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *[f"--ignore={e}" for e in MAP_EXCLUDE], *tests],
                       plugins=[plugin])
    cov.stop()
    cov.save()
    mpp.BaseProcess._bootstrap = original_bootstrap
    combined = coverage.Coverage(data_file=str(tmp / ".coverage"))
    combined.combine([str(tmp)])
    data = combined.get_data()
    lines: dict[str, dict[str, list[str]]] = {}
    for t in TARGETS:
        by_line = data.contexts_by_lineno(str(ROOT / t))
        lines[t] = {str(n): sorted(c for c in ctxs if c not in plugin.bad) for n, ctxs in by_line.items()}
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    Path(out).write_text(json.dumps({"exit": int(code), "code": head, "durations": plugin.durations,
                                     "bad": sorted(plugin.bad), "lines": lines}), encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def build_map(path: Path, tests: list[str]) -> dict:
    print(f"building the coverage map into {path} (the suite under coverage; several minutes)", flush=True)
    t0 = time.time()
    env = dict(os.environ, CI="true", PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_collect", str(path), *tests],
                       cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    if r.returncode != 0 or not path.exists():
        raise SystemExit(f"coverage run failed (exit {r.returncode})")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_collect-times", str(path), *tests],
                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
    m = json.loads(path.read_text(encoding="utf-8"))
    print(f"coverage map: {len(m['durations'])} tests ({len(m['bad'])} failed or skipped, left out), "
          f"{time.time() - t0:.0f} s", flush=True)
    return m


class CoverageMap:
    def __init__(self, raw: dict) -> None:
        self.durations: dict[str, float] = raw["durations"]
        self.order = {t: i for i, t in enumerate(self.durations)}  # the order the suite ran them in
        # a module whose tests share one cached computation (the soundness catalogue's verdicts, an
        # lru_cache) shows it as one slow test among many fast ones; any of its tests pays for it
        # (the slow test comes among the first of its file, the one that fills the cache)
        by_file: dict[str, list[float]] = defaultdict(list)
        for t, d in self.durations.items():
            by_file[t.split("::")[0]].append(d)
        self.shared = {f: max(ds) for f, ds in by_file.items()
                       if len(ds) >= 20 and max(ds) > 10 * sorted(ds)[len(ds) // 2] and max(ds) > 2
                       and max(ds) in ds[:3]}
        self.lines = {f: {int(n): c for n, c in d.items()} for f, d in raw["lines"].items()}

    def tests_for(self, m: Mutant) -> tuple[list[str], bool]:
        """The tests that execute ``m``'s line, and whether it is executed only at import time."""
        here = self.lines.get(m.file, {}).get(m.line)
        if here is None:
            return [], False
        tests = [c for c in here if c]
        if tests:
            return tests, False
        # only the import ran it: every test that executes any line of the file
        return sorted({c for cs in self.lines.get(m.file, {}).values() for c in cs if c}), True

    def choose(self, tests: list[str], budget: float | None) -> list[str]:
        """The fastest of ``tests``, as many as fit in ``budget`` seconds (at least one), in the suite's order.

        (The suite's order keeps each module's tests together: interleaving modules would set up their
        module-scoped fixtures again at every switch.)
        """
        chosen = tests
        if budget is not None:
            chosen, total, files = [], 0.0, set()
            for t in sorted(tests, key=lambda t: (self.durations.get(t, 0.0), t)):
                f = t.split("::")[0]
                d = self.durations.get(t, 0.0) + (0.0 if f in files else self.shared.get(f, 0.0))
                if chosen and total + d > budget:
                    continue
                chosen.append(t)
                files.add(f)
                total += d
        return sorted(chosen, key=lambda t: self.order.get(t, len(self.order)))

    def cost(self, tests: list[str]) -> float:
        return sum(self.durations.get(t, 0.0) for t in tests) + sum(self.shared.get(f, 0.0)
                                                                    for f in {t.split("::")[0] for t in tests})



# ------------------------------------------------------------------------------------------------ running

def run_tests(scratch: Path, tests: list[str], timeout: float) -> tuple[str, float, str]:
    """(outcome, seconds, first failing test) of pytest on ``tests`` in ``scratch``."""
    env = dict(os.environ, CI="true", PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    args_file = scratch / ".mutation-tests.txt"
    args_file.write_text("\n".join(tests) + "\n", encoding="utf-8")
    t0 = time.time()
    p = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-o", "addopts=",
                          f"@{args_file.name}"], cwd=scratch, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return "timeout", time.time() - t0, ""
    except BaseException:  # stopped: take the test run (and the claim workers it forked) down too
        os.killpg(p.pid, signal.SIGKILL)
        raise
    seconds = time.time() - t0
    text = out.decode("utf-8", "replace")
    first = next((ln.split(" ", 1)[1].split(" - ")[0] for ln in text.splitlines() if ln.startswith("FAILED ")
                  or ln.startswith("ERROR ")), "")
    if p.returncode == 0:
        return "survived", seconds, ""
    if p.returncode == 1:
        return "killed", seconds, first
    return f"error {p.returncode}", seconds, text[-400:]


_COPY = ("boundcheck", "tests", "benchmarks", "examples", "proofs", "docs", "pyproject.toml", "README.md")


def scratch_copy(rev: str | None = None) -> Path:
    """A copy of the checkout (or of git revision ``rev``) to mutate and test in."""
    d = Path(tempfile.mkdtemp(prefix="bc-mutation-"))
    if rev is not None:
        names = [n for n in _COPY if subprocess.run(["git", "cat-file", "-e", f"{rev}:{n}"], cwd=ROOT,
                                                    capture_output=True).returncode == 0]
        archive = subprocess.run(["git", "archive", rev, *names], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(d)], input=archive, check=True)
        return d
    for name in _COPY:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, d / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif (ROOT / name).exists():
            shutil.copy(ROOT / name, d / name)
    return d


def stratified(everything: dict[str, list[Mutant]], n: int, seed: int) -> list[Mutant]:
    """``n`` sites, each file's share proportional to its number of sites (largest remainder), seeded."""
    total = sum(len(v) for v in everything.values())
    n = min(n, total)
    quota = {f: n * len(v) / total for f, v in everything.items()}
    take = {f: int(q) for f, q in quota.items()}
    for f in sorted(quota, key=lambda f: (-(quota[f] - take[f]), f))[: n - sum(take.values())]:
        take[f] += 1
    chosen = []
    for f in sorted(everything):
        rng = random.Random(f"{seed}:{f}")
        chosen.extend(sorted(rng.sample(everything[f], take[f]), key=lambda m: (m.line, m.col, m.op)))
    return chosen


def run_mutant(m: Mutant, scratch: Path, cmap: CoverageMap, budget: float | None,
               tests: list[str] | None = None) -> None:
    tests_given = tests
    covering, m.import_time = (tests, False) if tests else cmap.tests_for(m)
    m.tests_covering = len(covering)
    if not covering:
        m.outcome = "not covered"
        return
    text = mutate(m)
    if text is None:
        m.outcome = "not applied"
        return
    tests = tests or cmap.choose(covering, budget)
    m.tests_run = len(tests)
    m.timeout = max(60.0 if tests_given is None else 300.0, 4 * cmap.cost(tests) + 30)
    original = (scratch / m.file).read_text(encoding="utf-8")
    (scratch / m.file).write_text(text, encoding="utf-8")
    try:
        m.outcome, m.seconds, m.first_failure = run_tests(scratch, tests, m.timeout)
    finally:
        (scratch / m.file).write_text(original, encoding="utf-8")
    if m.outcome == "timeout":
        outcome, m.baseline_seconds, _ = run_tests(scratch, tests, m.timeout)
        if outcome != "survived" or m.baseline_seconds > m.timeout / 2:
            m.outcome = "timeout-inconclusive"


def summary(mutants: list[Mutant]) -> dict:
    per: dict[str, Counter] = defaultdict(Counter)
    for m in mutants:
        per[m.file][m.outcome] += 1
    cols = ["killed", "timeout", "survived", "not covered", "timeout-inconclusive"]
    print(f"\n{'file':34s} " + " ".join(f"{c[:12]:>12s}" for c in cols) + "  other")
    total: Counter = Counter()
    for f in sorted(per):
        other = sum(v for k, v in per[f].items() if k not in cols)
        print(f"{f:34s} " + " ".join(f"{per[f][c]:12d}" for c in cols) + f"  {other}")
        total.update(per[f])
    other = sum(v for k, v in total.items() if k not in cols)
    print(f"{'total':34s} " + " ".join(f"{total[c]:12d}" for c in cols) + f"  {other}")
    dead = total["killed"] + total["timeout"]
    ran = dead + total["survived"]
    rate = dead / ran if ran else None
    if ran:
        print(f"kill rate (killed + timeout) / (killed + timeout + survived) = {dead}/{ran} = {100 * rate:.1f} %"
              f"; not covered: {total['not covered']} (not in the rate)")
    return {"per_file": {f: dict(c) for f, c in per.items()}, "total": dict(total), "kill_rate": rate}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=100, help="number of mutants (stratified over the files)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget", type=float, default=40.0,
                    help="seconds of (map-measured) test time per mutant, fastest covering tests first")
    ap.add_argument("--full", action="store_true", help="run every covering test (no budget)")
    ap.add_argument("--map", type=Path, default=DEFAULT_MAP, help="coverage map (built when missing)")
    ap.add_argument("--rebuild-map", action="store_true")
    ap.add_argument("--map-tests", nargs="*", default=["tests"], help="what the coverage run runs")
    ap.add_argument("--mutant", action="append", default=[], help="file:line:col:op, e.g. from a JSON result")
    ap.add_argument("--tests", nargs="+", default=None,
                    help="run these tests against every mutant instead of the map's (e.g. to check a new test)")
    ap.add_argument("--rerun", type=Path, default=None, help="re-run the survivors of this JSON result")
    ap.add_argument("--rev", default=None,
                    help="mutate and test the code and tests of this git revision (default: the checkout as it is)")
    ap.add_argument("--from-rev", default=None,
                    help="the --mutant/--rerun line numbers are those of this git revision (moved to today's lines)")
    ap.add_argument("--list", action="store_true", help="print the sample and exit")
    ap.add_argument("--named-only", action="store_true")
    ap.add_argument("--skip-named", action="store_true")
    ap.add_argument("--timeout", type=float, default=300.0, help="timeout of each named mutant's run")
    ap.add_argument("--json", default=None)
    ap.add_argument("--_collect", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_collect-times", default=None, help=argparse.SUPPRESS)
    a, rest = ap.parse_known_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the scratch copy when stopped
    if a._collect:
        return _collect(a._collect, rest or ["tests"])
    if a._collect_times:
        return _collect_times(a._collect_times, rest or ["tests"])

    global SOURCE
    results: dict = {"argv": sys.argv[1:], "named": {}, "mutants": []}
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "boundcheck", "tests"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    results["code"] = a.rev or (head + (" (with uncommitted changes)" if dirty else ""))
    scratch = scratch_copy(a.rev)
    SOURCE = scratch
    try:
        for t in TARGETS:  # ast.unparse must give back the same program (comments aside)
            tree = ast.parse((SOURCE / t).read_text(encoding="utf-8"))
            assert ast.dump(ast.parse(ast.unparse(tree))) == ast.dump(tree), t
        where = subprocess.run([sys.executable, "-c", "import boundcheck; print(boundcheck.__file__)"], cwd=scratch,
                               capture_output=True, text=True).stdout.strip()
        assert where.startswith(str(scratch)), f"the scratch copy imports boundcheck from {where}"
        for name, (path, old, new, tests) in ({} if (a.skip_named or a.mutant or a.rerun) else NAMED).items():
            original = (scratch / path).read_text(encoding="utf-8")
            if old not in original:
                results["named"][name] = "site not found"
                print(f"named {name:28s} site not found", flush=True)
                continue
            (scratch / path).write_text(original.replace(old, new, 1), encoding="utf-8")
            try:
                outcome, seconds, first = run_tests(scratch, tests, a.timeout)
            finally:
                (scratch / path).write_text(original, encoding="utf-8")
            results["named"][name] = outcome
            print(f"named {name:28s} {outcome:9s} ({seconds:.0f} s) {first}", flush=True)
        if a.named_only:
            return 0 if all(v in ("killed", "timeout") for v in results["named"].values()) else 1

        if a.mutant:
            chosen = [parse_key(k) for k in a.mutant]
        elif a.rerun:
            old = json.loads(a.rerun.read_text(encoding="utf-8"))
            chosen = [Mutant(d["file"], d["line"], d["col"], d["op"]) for d in old["mutants"]
                      if d["outcome"] in ("survived", "timeout-inconclusive")]
        else:
            everything = {f: sites(f) for f in TARGETS}
            everything = {f: v for f, v in everything.items() if v}
            chosen = stratified(everything, a.sample, a.seed)
            results["sites"] = {f: len(v) for f, v in everything.items()}
            print(f"{sum(results['sites'].values())} mutation sites in {len(everything)} files; "
                  f"sampling {len(chosen)} (seed {a.seed})", flush=True)
        if a.from_rev:
            chosen = translate(chosen, a.from_rev)
        if a.list:
            for m in chosen:
                print(m.key)
            return 0
        if a.rebuild_map or not a.map.exists():
            build_map(a.map, a.map_tests)
        raw = json.loads(a.map.read_text(encoding="utf-8"))
        cmap = CoverageMap(raw)
        results["map_code"] = raw.get("code")
        print(f"coverage map of code {raw.get('code', '?')[:12]} (its line numbers must be those of the code mutated: "
              "rebuild it with --rebuild-map after changing boundcheck/)", flush=True)
        t_start = time.time()
        for i, m in enumerate(chosen, 1):
            run_mutant(m, scratch, cmap, None if a.full else a.budget, a.tests)
            print(f"[{i}/{len(chosen)}] {m.key:60s} {m.outcome:12s} {m.seconds:5.0f} s "
                  f"{m.tests_run}/{m.tests_covering} tests{' (import-time line)' if m.import_time else ''}"
                  f"{' ' + m.first_failure if m.first_failure else ''}", flush=True)
            results["mutants"].append(asdict(m) | {"key": m.key})
            if a.json:  # keep partial results of a long run
                Path(a.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
        results["summary"] = summary(chosen)
        results["seconds"] = time.time() - t_start
        print(f"{time.time() - t_start:.0f} s for {len(chosen)} mutants")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if a.json:
            Path(a.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
