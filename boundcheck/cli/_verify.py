"""`boundcheck verify SPEC`: prove or refute the claims of a spec."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import JOBS_HELP, add_common, claim_progress, clean, jobs_option, plain


def register(sub) -> None:
    p = sub.add_parser("verify", help="prove or refute every claim of a spec",
                       description="Prove or refute every claim of a spec. Exit 0 when every verdict matches its "
                                   "'expect', 1 when one differs, 2 on bad input.")
    p.add_argument("spec", help="spec file (TOML, format v1)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds per claim (default 10); also caps a claim's own 'timeout'")
    p.add_argument("--jobs", type=jobs_option, default="auto", metavar="N", help=JOBS_HELP)
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="prove the claims on the dask.distributed scheduler at ADDRESS (tcp://host:port), one task "
                        "per claim, instead of local worker processes")
    p.add_argument("--certificates", metavar="DIR", help="write the SMT-LIB2 obligations of z3 proofs to DIR")
    p.add_argument("--only", metavar="ID", action="append", default=[],
                   help="verify only this claim (or derivation step, 'derivation:<id>'); repeatable")
    p.add_argument("--explain", metavar="ID", action="append", default=[],
                   help="print the proof of this claim step by step (or its witness, or why it is unknown); "
                        "repeatable")
    add_common(p)
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace, console) -> int:
    from .. import api
    from ..report.table import expectation_failures, summary_line, verdict_table, verdicts_json, write_json

    from ..errors import UsageError

    if args.certificates and Path(args.certificates).exists() and not Path(args.certificates).is_dir():
        raise UsageError(f"--certificates {args.certificates}: exists and is not a folder")
    problem = api.load(args.spec)
    full = problem

    def check_stress() -> None:
        # validated here too, so that a bad [stress] table is not a surprise later; it imports the numeric
        # stack (about 0.3 s), so it runs while the workers prove the first claims
        if full.stress is not None:
            from ..stress import stress_config

            stress_config(full)

    if args.only:
        problem = problem.select(args.only)
    with claim_progress(console) as progress:
        verdicts = api.verify(problem, timeout=args.timeout, certificates_dir=args.certificates, seed=args.seed,
                              progress=progress, jobs=args.jobs, meanwhile=check_stress, dask=args.dask)
    console.print(verdict_table(problem, verdicts))
    console.print(summary_line(problem, verdicts))
    if args.explain:
        from ..report.proof_text import explain_verdict

        by_id = {v.claim_id: v for v in verdicts}
        for cid in args.explain:
            if cid not in by_id:
                from ..errors import UsageError

                raise UsageError(f"--explain {cid}: no such claim (claims: {', '.join(by_id)})")
            v = by_id[cid]
            console.print(f"\n[bold]{clean(cid)}[/]: {v.status}" + (f" by {clean(v.method)}" if v.method != "none"
                                                                     else ""), markup=True, highlight=False)
            for k, line in enumerate(explain_verdict(v), 1):
                console.print(plain(f"  {k}. {line}"), markup=False, highlight=False)
    if args.json:
        write_json(args.json, verdicts_json(problem, verdicts))
    failures = expectation_failures(problem, verdicts)
    for cid, exp, got in failures:
        console.print(plain(f"claim {cid}: expected {exp}, got {got}"), style="red", markup=False)
    return 1 if failures else 0
