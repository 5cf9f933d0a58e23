"""MetiTarski benchmark: how many of the corpus' true inequalities boundcheck proves, how many of the false
variants it refutes, and whether any answer is unsound.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/metitarski.py [--problems PATH] [--timeout 10] [--jobs 2] [--json out.json]

Each record of ``problems.jsonl`` (see its README) becomes a one-claim Problem: its variables become real
symbols with their bounds (``strict`` gives open bounds), the goal a ``le``/``lt`` claim (``>=``/``>`` are
normalised by swapping sides), its hypotheses the claim's ``assume``. The peer to beat is cvc5 alone at
10 s per problem: 21/80 true problems proved, 12/42 false ones refuted.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PROBLEMS = REPO / ".." / "shared" / "benchmarks" / "metitarski" / "problems.jsonl"
PEER = {"name": "cvc5 alone, 10 s", "proved": 21, "true": 80, "refuted": 12, "false": 42, "seconds": 1050}

_SWAP = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "lt", ast.GtE: "le"}


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """The records of a problems.jsonl file, in file order."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split_goal(goal: str) -> tuple[str, str, str]:
    """Split ``"lhs OP rhs"`` into (kind, lhs, rhs) with kind ``le`` or ``lt``; ``>=``/``>`` swap the sides.

    Only Python's parser is used to find the comparison (no evaluation).

    Raises:
        ValueError: the goal is not a single comparison with <, <=, > or >=.
    """
    tree = ast.parse(goal.strip(), mode="eval")
    node = tree.body
    if not isinstance(node, ast.Compare) or len(node.ops) != 1 or type(node.ops[0]) not in _SWAP:
        raise ValueError(f"goal is not a single <, <=, >, >= comparison: {goal!r}")
    text = goal.strip()
    left = ast.get_source_segment(text, node.left)
    right = ast.get_source_segment(text, node.comparators[0])
    op = type(node.ops[0])
    kind = _SWAP[op]
    if op in (ast.Gt, ast.GtE):
        left, right = right, left
    return kind, left, right


def spec_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The spec dictionary (spec format v1) of one benchmark record."""
    symbols: dict[str, dict[str, Any]] = {}
    for name, (lo, hi) in record["vars"].items():
        lo_strict, hi_strict = record.get("strict", {}).get(name, [False, False])
        sym: dict[str, Any] = {"kind": "real"}
        if lo is not None:
            sym["min_open" if lo_strict else "min"] = lo
        if hi is not None:
            sym["max_open" if hi_strict else "max"] = hi
        symbols[name] = sym
    kind, lhs, rhs = split_goal(record["goal"])
    claim: dict[str, Any] = {"id": record["name"], "kind": kind, "lhs": lhs, "rhs": rhs}
    if record.get("hyps"):
        claim["assume"] = list(record["hyps"])
    return {"name": record["name"], "symbols": symbols, "claims": [claim]}


def problem_from_record(record: Mapping[str, Any]):
    """The boundcheck Problem of one benchmark record (parsed by the safe parser)."""
    from boundcheck.spec import problem_from_dict

    return problem_from_dict(spec_from_record(record), file=record.get("name"))


def _classify(expected: str, status: str) -> str:
    if status == "proved":
        return "proved" if expected == "theorem" else "UNSOUND"
    if status == "refuted":
        return "refuted" if expected == "false" else "UNSOUND"
    return "unknown"


def run_record(record: Mapping[str, Any], timeout: float, check_witness: bool = True, seed: int = 0) -> dict[str, Any]:
    """Run the ladder on one record and return its JSON row (status, outcome, seconds, reason, witness)."""
    from boundcheck.prove.ladder import prove_claim
    from boundcheck.prove.verdict import Status

    row: dict[str, Any] = {"name": record["name"], "expected": record["expected"]}
    start = time.monotonic()
    try:
        problem = problem_from_record(record)
        claim = problem.claims[0]
        v = prove_claim(problem, claim, timeout=timeout, seed=seed)
    except Exception as err:  # noqa: BLE001 - a conversion or prover crash is a row, not an abort
        row.update(status="error", outcome="unknown", method="none", reason=f"{type(err).__name__}: {err}",
                   seconds=round(time.monotonic() - start, 3))
        return row
    row.update(status=v.status.value, method=v.method, seconds=round(time.monotonic() - start, 3),
               outcome=_classify(record["expected"], v.status.value))
    if v.status is Status.UNKNOWN:
        row["reason"] = v.reason
    if v.witness is not None:
        row["witness"] = dict(v.witness.point)
        if check_witness:
            row["witness_check"] = _independent_check(problem, claim, v.witness)
            if row["witness_check"] != "confirmed" and row["outcome"] == "refuted":
                row["outcome"] = "UNSOUND"
    if v.certificate is not None:
        row["certificate"] = v.certificate.detail
    return row


def _independent_check(problem, claim, witness) -> str:
    """Re-check a witness with the soundness suite's independent 50-digit oracle, when it is available."""
    here = REPO / "tests" / "soundness"
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    try:
        import oracle  # type: ignore[import-not-found]
    except ImportError:
        return "not checked (tests/soundness/oracle.py missing)"
    msg = oracle.check_witness(problem, claim, witness)
    return "confirmed" if msg is None else f"REJECTED: {msg}"


def _worker(record: Mapping[str, Any], timeout: float, seed: int, conn: Any) -> None:
    conn.send(run_record(record, timeout, seed=seed))
    conn.close()


def run(records: Sequence[Mapping[str, Any]], timeout: float = 10.0, jobs: int = 1,
        progress: Any = None, grace: float | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """Rows for all records (in order), each in its own process, ``jobs`` at a time.

    A problem still running ``grace`` seconds past its timeout (default: 2 * timeout + 20) is killed and
    counted as unknown ("hang"): the ladder's own timeout is what is measured, the kill only keeps the
    benchmark going. ``progress(done, total, row)`` is called as rows arrive.
    """
    import multiprocessing as mp

    # import the prover once in the parent: the forked workers inherit it, so a problem's seconds measure the
    # prover, not the interpreter loading sympy, z3 and flint again (as in one long `verify` of many claims)
    import boundcheck.prove.bnb  # noqa: F401
    import boundcheck.prove.ladder  # noqa: F401

    grace = 2 * timeout + 20 if grace is None else grace
    ctx = mp.get_context("fork")
    rows: list[dict[str, Any] | None] = [None] * len(records)
    pending = list(range(len(records)))
    running: dict[int, tuple[Any, Any, float]] = {}
    done = 0
    while pending or running:
        while pending and len(running) < max(1, jobs):
            i = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(records[i], timeout, seed, child), daemon=True)
            proc.start()
            child.close()
            running[i] = (proc, parent, time.monotonic())
        time.sleep(0.02)
        for i, (proc, conn, started) in list(running.items()):
            row = None
            if conn.poll():
                try:
                    row = conn.recv()
                except EOFError:
                    row = None
                proc.join(5)
            elif not proc.is_alive():
                row = {"name": records[i]["name"], "expected": records[i]["expected"], "status": "error",
                       "outcome": "unknown", "method": "none", "reason": f"worker died ({proc.exitcode})",
                       "seconds": round(time.monotonic() - started, 3)}
            elif time.monotonic() - started > timeout + grace:
                proc.kill()
                proc.join(5)
                row = {"name": records[i]["name"], "expected": records[i]["expected"], "status": "hang",
                       "outcome": "unknown", "method": "none",
                       "reason": f"killed after {timeout + grace:g} s (ladder ignored its {timeout:g} s timeout)",
                       "seconds": round(time.monotonic() - started, 3)}
            if row is None:
                continue
            conn.close()
            del running[i]
            rows[i] = row
            done += 1
            if progress:
                progress(done, len(records), row)
    return [r for r in rows if r is not None]


def summarize(rows: Iterable[Mapping[str, Any]], wall: float | None = None) -> dict[str, Any]:
    """Counts: proved of the true, refuted of the false, unsound, unknown, errors, time."""
    rows = list(rows)
    true_rows = [r for r in rows if r["expected"] == "theorem"]
    false_rows = [r for r in rows if r["expected"] == "false"]
    out = {
        "true": len(true_rows), "false": len(false_rows),
        "proved": sum(r["outcome"] == "proved" for r in true_rows),
        "refuted": sum(r["outcome"] == "refuted" for r in false_rows),
        "unsound": [r["name"] for r in rows if r["outcome"] == "UNSOUND"],
        "unknown": sum(r["outcome"] == "unknown" for r in rows),
        "errors": [r["name"] for r in rows if r.get("status") == "error"],
        "hangs": [r["name"] for r in rows if r.get("status") == "hang"],
        "cpu_seconds": round(sum(r["seconds"] for r in rows), 2),
        "peer": PEER,
    }
    if wall is not None:
        out["wall_seconds"] = round(wall, 2)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; prints the figures, writes per-problem JSON with --json."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--problems", default=str(DEFAULT_PROBLEMS), help="path of problems.jsonl")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per problem (default 10)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--json", default=None, help="write per-problem rows and the summary here")
    ap.add_argument("--only", default=None, help="only records whose name contains this text")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records")
    ap.add_argument("--seed", type=int, default=0, help="seed of the numeric refuter (default 0)")
    ap.add_argument("--verbose", action="store_true", help="print one line per problem as it finishes")
    args = ap.parse_args(argv)
    path = Path(args.problems)
    if not path.exists():
        print(f"error: no problems file at {path}", file=sys.stderr)
        return 2
    records = load_records(path)
    if args.only:
        records = [r for r in records if args.only in r["name"]]
    if args.limit:
        records = records[: args.limit]
    from rich.console import Console
    from rich.progress import Progress

    start = time.monotonic()
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("MetiTarski", total=len(records))
        def tick(done: int, total: int, row: Mapping[str, Any]) -> None:
            bar.update(task, completed=done)
            if args.verbose:
                bar.console.print(f"{row['outcome']:8} {row['status']:8} {row['seconds']:7.2f}s {row['name']}")

        rows = run(records, timeout=args.timeout, jobs=args.jobs, progress=tick, seed=args.seed)
    summary = summarize(rows, wall=time.monotonic() - start)
    for r in rows:
        if r["outcome"] == "UNSOUND":
            print(f"UNSOUND {r['name']}: expected {r['expected']}, got {r['status']} "
                  f"({r.get('witness_check', '')}) {r.get('witness', '')}")
        if r.get("status") == "error":
            print(f"error {r['name']}: {r.get('reason')}")
    print(f"MetiTarski benchmark, timeout {args.timeout:g} s per problem, {args.jobs} job(s)")
    print(f"  true problems proved : {summary['proved']}/{summary['true']}   (peer {PEER['name']}: "
          f"{PEER['proved']}/{PEER['true']})")
    print(f"  false problems refuted: {summary['refuted']}/{summary['false']}   "
          f"(peer: {PEER['refuted']}/{PEER['false']})")
    print(f"  unsound answers      : {len(summary['unsound'])} {summary['unsound'] or ''}")
    print(f"  unknown              : {summary['unknown']}   errors: {len(summary['errors'])}   "
          f"hangs (killed): {len(summary['hangs'])} {summary['hangs'] or ''}")
    print(f"  time                 : {summary.get('wall_seconds')} s wall, {summary['cpu_seconds']} s summed "
          f"(peer: about {PEER['seconds']} s summed on the shared set)")
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1), encoding="utf-8")
    return 1 if summary["unsound"] else 0


if __name__ == "__main__":
    sys.exit(main())
