"""`boundcheck check SPEC`: verify, analyse, stress-test and write the report folder."""

from __future__ import annotations

import argparse

from ._common import JOBS_HELP, jobs_option


def register(sub) -> None:
    p = sub.add_parser("check", help="everything for one spec: verify, stress, report folder (LaTeX/PDF)",
                       description="Verify every claim, compute the asymptotic case split, stress-test the bound "
                                   "(when the spec has a [stress] table) and write a report folder: check.json, "
                                   "certificates/, figures/, report.tex and report.pdf (where pdflatex exists). "
                                   "Exit 0 when every verdict matches its 'expect' and stress found no failure, "
                                   "1 otherwise, 2 on bad input.")
    p.add_argument("spec", help="spec file (TOML, format v1)")
    p.add_argument("-o", "--out", metavar="DIR", help="report folder (default boundcheck-report/<name>)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per claim (default 10)")
    p.add_argument("--jobs", type=jobs_option, default="auto", metavar="N", help=JOBS_HELP)
    p.add_argument("--stress-examples", type=int, default=60, help="stress-test budget (default 60; 0 skips)")
    p.add_argument("--no-pdf", action="store_true", help="write report.tex only")
    p.add_argument("--conjecture", metavar="FILE", action="append", default=[],
                   help="also search this conjecture for counterexamples (boundcheck falsify) and put them in the "
                        "report; repeatable")
    p.add_argument("--falsify-budget", type=float, default=60.0, help="seconds per conjecture (default 60)")
    p.add_argument("--counterexamples", metavar="PATH", action="append", default=[],
                   help="include falsify artifacts (a JSON file or a folder of them); repeatable")
    p.add_argument("--json", metavar="PATH", help="also write the result (as check.json) to PATH")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace, console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..errors import UsageError
    from ..pipeline import check
    from ._common import check_json_path, check_out_dir, clean, plain
    from ..report.table import summary_line, verdict_table, write_json
    from ..spec import load

    if args.stress_examples < 0:
        raise UsageError("--stress-examples must be >= 0")
    if not args.falsify_budget > 0 or args.falsify_budget == float("inf"):
        raise UsageError("--falsify-budget must be a finite number > 0")
    check_out_dir(args.out)
    check_json_path(args.json)
    problem = load(args.spec)
    prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)
    tasks: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        key = stage.split(" ")[0]
        if key not in tasks:
            tasks[key] = prog.add_task(key, total=max(total, 1))
        prog.update(tasks[key], completed=done, total=max(total, 1), description=clean(stage[:60]))

    with prog:
        result = check(problem, args.out, timeout=args.timeout, seed=args.seed,
                       stress_examples=args.stress_examples, pdf=False if args.no_pdf else None, progress=progress,
                       conjectures=tuple(args.conjecture), falsify_budget=args.falsify_budget,
                       counterexamples=tuple(args.counterexamples), jobs=args.jobs)
    console.print(verdict_table(problem, result.verdicts))
    console.print(summary_line(problem, result.verdicts))
    shown: dict[str, str] = {}
    for cid, (var, cases) in result.exponents.items():
        key = repr([(str(c.condition), str(c.exponent)) for c in cases]) + str(problem.all_claims and
                                                                                next(c.expr for c in problem.all_claims
                                                                                     if c.id == cid))
        if key in shown:
            console.print(f"[bold]exponent of {clean(cid)}[/]: as for {clean(shown[key])}", markup=True)
            continue
        shown[key] = cid
        console.print(f"[bold]exponent of {clean(cid)}[/] as {clean(var)} -> oo:", markup=True)
        claim = next(c for c in problem.all_claims if c.id == cid)
        assumed = ", ".join(str(a) for a in claim.assume)
        for c in cases:
            cond = str(c.condition)
            if c.condition is True or cond == "True":
                cond = f"under {assumed}" if assumed else "for every value of the parameters"
            elif assumed:
                cond += f" (and {assumed})"
            console.print(plain(f"  {cond}:  {var}^({c.exponent})") + (f" log({var})^({c.log_power})" if c.log_power != 0
                                                                       else ""), markup=False)
    if result.stress is not None:
        s = result.stress
        verdict = "[red]FAILED[/]" if s.failure is not None else "[green]no failure[/]"
        console.print(f"[bold]stress[/]: {s.examples} examples ({s.skipped} skipped) in {s.elapsed:.1f}s: {verdict}",
                      markup=True)
        if s.artifact:
            console.print(plain(f"  failing example saved to {s.artifact}"), markup=False)
    for search in result.searches:
        console.print(f"[bold]falsify[/] {clean(search['conjecture']['name'])}: {search['evaluated']} scenarios, "
                      f"{len(search.get('artifacts') or [])} counterexample artifact(s)", markup=True)
    for art in result.counterexamples:
        text = art.get("summary", "")
        text = text.split("). ", 1)[1] if "). " in text[:200] else text
        console.print(plain(f"  counterexample ({art.get('file', '')}): {text[:200]}"), markup=False)
    for note in result.notes:
        console.print(plain(f"note: {note}"), style="yellow", markup=False)
    rep = result.report
    console.print(plain(f"report: {rep.tex}" + (f" and {rep.pdf}" if rep.pdf else "")), markup=False)
    console.print(plain(f"results: {result.out_dir / 'check.json'}"), markup=False)
    if args.json:
        write_json(args.json, result.to_dict())
    for cid, exp, got in result.expectation_failures:
        console.print(plain(f"claim {cid}: expected {exp}, got {got}"), style="red", markup=False)
    return 0 if result.ok else 1
