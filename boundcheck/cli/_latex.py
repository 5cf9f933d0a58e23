"""`boundcheck latex SPEC`: the LaTeX (and PDF) report of a spec's derivation and verdicts."""

from __future__ import annotations

import argparse

from ._common import (JOBS_HELP, add_common, check_json_path, check_out_dir, claim_progress, jobs_option,
                      plain)


def register(sub) -> None:
    p = sub.add_parser("latex", help="write the LaTeX report (and PDF) of a spec",
                       description="Verify every claim of a spec and write DIR/report.tex, a self-contained "
                                   "appendix: setting, definitions, derivation, each claim as a proposition with "
                                   "its verdict, the asymptotic case split. With --pdf, also DIR/report.pdf "
                                   "(pdflatex or latexmk). Exit 0 when every verdict matches its 'expect', 1 when "
                                   "one differs, 2 on bad input or a failed TeX run.")
    p.add_argument("spec", help="spec file (TOML, format v1)")
    p.add_argument("-o", "--out", metavar="DIR", default=None,
                   help="report folder (default: boundcheck-report/<spec name>)")
    p.add_argument("--pdf", action="store_true", help="also compile report.pdf (needs pdflatex or latexmk)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per claim (default 10)")
    p.add_argument("--jobs", type=jobs_option, default="auto", metavar="N", help=JOBS_HELP)
    p.add_argument("--stress", metavar="JSON", help="include a stress result (the --json of `boundcheck stress`)")
    p.add_argument("--scaling", metavar="JSON", action="append", default=[],
                   help="include a scaling result (the --json of `boundcheck scaling`); repeatable")
    p.add_argument("--counterexample", metavar="JSON", action="append", default=[],
                   help="include a counterexample artifact of `boundcheck falsify` (with its plot); repeatable")
    p.add_argument("--figure", metavar="PATH", action="append", default=[],
                   help="include a figure (PDF, PNG or JPEG); repeatable")
    add_common(p)
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace, console) -> int:
    from pathlib import Path

    from .. import api
    from ..report.latex import write_report
    from ..report.table import expectation_failures, verdicts_json, write_json

    from ..errors import UsageError

    check_out_dir(args.out)
    check_json_path(args.json)
    problem = api.load(args.spec)
    for option, paths in (("--stress", [args.stress] if args.stress else []), ("--scaling", args.scaling),
                          ("--counterexample", args.counterexample), ("--figure", args.figure)):
        for path in paths:
            if not Path(path).is_file():
                raise UsageError(f"{option}: no such file: {path}")
    from ..pipeline import default_out_dir

    out = Path(args.out) if args.out else default_out_dir(problem)
    with claim_progress(console) as progress:
        verdicts = api.verify(problem, timeout=args.timeout, certificates_dir=out / "certificates", seed=args.seed,
                              progress=progress, jobs=args.jobs)
    files = write_report(out, problem, verdicts, pdf=args.pdf, stress=args.stress, scaling=args.scaling or None,
                         counterexamples=args.counterexample, figures=args.figure)
    console.print(plain(f"wrote {files.tex}"), markup=False)
    if files.pdf is not None:
        console.print(plain(f"wrote {files.pdf} ({files.log})"), markup=False)
    elif args.pdf:
        console.print(plain(files.log), style="yellow", markup=False)
    if args.json:
        data = verdicts_json(problem, verdicts)
        data["report"] = {"tex": str(files.tex), "pdf": str(files.pdf) if files.pdf else None, "log": files.log}
        write_json(args.json, data)
    failures = expectation_failures(problem, verdicts)
    for cid, exp, got in failures:
        console.print(plain(f"claim {cid}: expected {exp}, got {got}"), style="red", markup=False)
    return 1 if failures else 0
