"""Mutation testing of the prover, the parser and the symbolic layer: how many planted bugs do the tests catch?

A full run (every mutant of boundcheck/prove, parse.py and symbolic.py against the whole suite) takes days on
two cores, so this script *samples*: it lists every mutation site of a few plain operators (comparison
flips, and/or swaps, dropped ``not``, boolean and small integer constants, a condition forced to False),
draws a seeded random subset, and runs the fast test files relevant to the mutated module against each
mutant in a scratch copy of the repository, with a timeout. It also plants the three *named* mutants of
issue 8 (integrality check of witnesses switched off, the parser accepting ``%``, stress's tolerance widened
from 1e-9 to 1e-2) and checks that the tests kill them. (cosmic-ray is installed and does the same with more
operators; its session setup is heavier than this sample needs.)

Usage:
    python benchmarks/mutation.py --sample 30 --seed 0 --timeout 120 [--named-only] [--json out.json]

Prints each mutant (file:line, operator, killed / survived / timeout) and the kill rate of the sample.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = sorted([p.relative_to(ROOT).as_posix() for p in (ROOT / "boundcheck" / "prove").glob("*.py")]
                 + ["boundcheck/parse.py", "boundcheck/symbolic.py"])

#: fast test files per module (the full suite per mutant would take minutes)
TESTS = {
    "boundcheck/parse.py": ["tests/test_parse.py", "tests/test_parse_rejections.py", "tests/test_spec.py"],
    "boundcheck/symbolic.py": ["tests/test_symbolic.py", "tests/test_ladder.py"],
}
PROVE_TESTS = ["tests/soundness/test_premises.py", "tests/test_ladder.py"]

NAMED = {
    "witness-integrality-off": ("boundcheck/prove/refute.py", "    return sym.contains(value)\n",
                                "    return sym.contains(sp.floor(value)) if sym.is_integer else sym.contains(value)\n",
                                ["tests/soundness/test_premises.py"]),
    "parser-accepts-modulo": ("boundcheck/parse.py", "        raise self.fail(f\"operator '{_describe(op)}' is not allowed\")\n\n    def _Call",
                              "        if isinstance(op, ast.Mod):\n            return sp.Mod(left, right)\n"
                              "        raise self.fail(f\"operator '{_describe(op)}' is not allowed\")\n\n    def _Call",
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


def sites(path: str) -> list[Mutant]:
    """Every mutation site of ``path``."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
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
    return out


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
        if self._here(node) and self.m.op.startswith("swap"):
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
    tree = ast.parse((ROOT / m.file).read_text(encoding="utf-8"))
    t = _Apply(m)
    tree = t.visit(tree)
    if not t.done:
        return None
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)


def run_tests(scratch: Path, tests: list[str], timeout: float) -> str:
    env = dict(os.environ, CI="true", PYTHONDONTWRITEBYTECODE="1")
    try:
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                           cwd=scratch, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if r.returncode == 0 else ("killed" if r.returncode == 1 else f"error {r.returncode}")


def scratch_copy() -> Path:
    d = Path(tempfile.mkdtemp(prefix="bc-mutation-"))
    for name in ("boundcheck", "tests", "benchmarks", "examples", "proofs"):
        shutil.copytree(ROOT / name, d / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml",):
        shutil.copy(ROOT / name, d / name)
    return d


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--named-only", action="store_true")
    ap.add_argument("--skip-named", action="store_true")
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    scratch = scratch_copy()
    results: dict = {"named": {}, "sample": []}
    try:
        for name, (path, old, new, tests) in ({} if a.skip_named else NAMED).items():
            original = (scratch / path).read_text(encoding="utf-8")
            if old not in original:
                results["named"][name] = "site not found"
                continue
            (scratch / path).write_text(original.replace(old, new, 1), encoding="utf-8")
            t0 = time.time()
            outcome = run_tests(scratch, tests, a.timeout * 3)
            (scratch / path).write_text(original, encoding="utf-8")
            results["named"][name] = outcome
            print(f"named {name:28s} {outcome:9s} ({time.time() - t0:.0f} s)", flush=True)
        if not a.named_only:
            everything = [m for f in TARGETS for m in sites(f)]
            rng = random.Random(a.seed)
            chosen = rng.sample(everything, min(a.sample, len(everything)))
            print(f"{len(everything)} mutation sites in {len(TARGETS)} files; sampling {len(chosen)}", flush=True)
            for m in chosen:
                text = mutate(m)
                if text is None:
                    m.outcome = "not applied"
                    continue
                original = (scratch / m.file).read_text(encoding="utf-8")
                (scratch / m.file).write_text(text, encoding="utf-8")
                t0 = time.time()
                m.outcome = run_tests(scratch, TESTS.get(m.file, PROVE_TESTS), a.timeout)
                m.seconds = time.time() - t0
                (scratch / m.file).write_text(original, encoding="utf-8")
                print(f"{m.file}:{m.line} {m.op:14s} {m.outcome} ({m.seconds:.0f} s)", flush=True)
                results["sample"].append(asdict(m))
            done = [m for m in chosen if m.outcome in ("killed", "survived", "timeout")]
            killed = sum(m.outcome in ("killed", "timeout") for m in done)
            results["sites"] = len(everything)
            results["kill_rate"] = killed / len(done) if done else None
            print(f"kill rate of the sample: {killed}/{len(done)}"
                  + (f" = {100 * killed / len(done):.0f} %" if done else "")
                  + " (a timeout counts as killed)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
