"""`boundcheck falsify`: search a conjecture's scenario space for counterexamples; replay one."""

from __future__ import annotations

import argparse

from ..errors import BoundcheckError
from ._common import add_common, check_out_dir, clean, plain


def register(sub) -> None:
    p = sub.add_parser("falsify", help="search for counterexamples to a scaling conjecture",
                       description="Search the scenario space of a conjecture file for scenarios whose fitted "
                                   "exponent contradicts the predicted one (beyond the tolerance, and persisting "
                                   "as n grows); write a replayable artifact with a plot for each kind. "
                                   "Exit 0: no counterexample (or a replay reproduced bit for bit); 1: "
                                   "counterexamples found (or a replay differs); 2: bad input.")
    p.add_argument("conjecture", nargs="?", help="conjecture file (TOML, see docs/falsify.md)")
    p.add_argument("--replay", metavar="FILE", help="re-run the scenario of an artifact and compare bit for bit")
    p.add_argument("--budget", type=float, default=None, help="seconds of search (default: the file's budget)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: CPU count)")
    p.add_argument("--dask", metavar="ADDRESS", help="run scenario evaluations on this dask.distributed scheduler")
    p.add_argument("--strategy", default="hypothesis", choices=("hypothesis", "evolve", "random"),
                   help="search strategy (default hypothesis)")
    p.add_argument("--out", metavar="DIR", default="falsify-out", help="artifact directory (default falsify-out)")
    p.add_argument("--max-artifacts", type=int, default=12, help="at most this many artifacts (default 12)")
    p.add_argument("--top", type=int, default=15, help="rows of the counterexample table (default 15)")
    add_common(p)
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace, console) -> int:
    from ..errors import UsageError

    if args.replay:
        if args.conjecture:
            raise UsageError("give a conjecture file or --replay FILE, not both")
        return _replay(args, console)
    if not args.conjecture:
        raise UsageError("falsify needs a conjecture file (or --replay FILE)")
    return _search(args, console)


def _replay(args: argparse.Namespace, console) -> int:
    from ..falsify import replay
    from ..falsify._artifact import evaluation_dict, json_safe
    from ..report.table import write_json

    _check_artifact(args.replay)
    res = replay(args.replay)
    ev = res.evaluation
    if res.identical:
        console.print(f"[green]replayed bit-identically[/]: {clean(ev.scenario.describe())}", markup=True)
    else:
        console.print(f"[red]replay differs[/] (max |difference| {res.max_abs_diff:.3g}): "
                      f"{clean(ev.scenario.describe())}", markup=True)
    if ev.fit is not None:
        console.print(f"verdict {ev.verdict}; exponent {ev.fit.exponent:.4f} [{ev.fit.lo:.4f}, {ev.fit.hi:.4f}], "
                      f"predicted {ev.predicted:.4g}")
    if args.json:
        write_json(args.json, json_safe({"identical": res.identical, "max_abs_diff": res.max_abs_diff,
                                         "same_verdict": res.same_verdict, "evaluation": evaluation_dict(ev)}))
    return 0 if res.identical else 1


def _check_artifact(path: str) -> None:
    """A replayed artifact's numbers, checked before anything is measured (it may come from anyone)."""
    import math

    from .._budget import check_dim
    from ..errors import SpecError
    from ..falsify import load_artifact

    data = load_artifact(path)
    values, ns = data["values"], data["ns"]
    if not isinstance(ns, list) or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 10**9
                                           for n in ns):
        raise SpecError("'ns' must be a list of integers between 1 and 10^9", file=str(path), key="ns")
    if not isinstance(values, list) or not all(
            isinstance(row, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                          and math.isfinite(v) for v in row) for row in values):
        raise SpecError("'values' must be a list of rows of finite numbers", file=str(path), key="values")
    scen = data["scenario"]
    space = scen.get("space") if isinstance(scen, dict) else None
    if isinstance(space, dict):
        for key in ("dim", "ambient", "ambient_dim"):
            v = space.get(key)
            if v is not None:
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    raise SpecError(f"the space's {key} must be a number", file=str(path), key=f"scenario.space.{key}")
                try:
                    check_dim(v, key)
                except BoundcheckError as err:
                    raise SpecError(str(err), file=str(path), key=f"scenario.space.{key}") from None


def _search(args: argparse.Namespace, console) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..falsify import load_conjecture, search, write_artifacts
    from ..falsify._artifact import result_dict
    from ..report.table import write_json

    check_out_dir(args.out, "--out")
    conj = load_conjecture(args.conjecture)
    budget = conj.search.budget if args.budget is None else args.budget
    err = Console(stderr=True)
    prog = Progress(TextColumn("[bold]falsify"), BarColumn(), TextColumn("{task.fields[info]}"),
                    TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)
    with prog:
        task = prog.add_task("falsify", total=budget, info="")

        def update(p) -> None:
            prog.update(task, completed=min(p.elapsed, p.budget),
                        info=f"{p.evaluated} scenarios, {p.refuted} refuting")

        result = search(conj, budget=budget, seed=args.seed, workers=args.workers, dask=args.dask,
                        strategy=args.strategy, progress=update)
    if result.evaluations and all(ev.verdict == "invalid" for ev in result.evaluations):
        from ..errors import UsageError

        first = next((ev.note for ev in result.evaluations if getattr(ev, "note", "")), "")
        if args.json:
            write_json(args.json, result_dict(result, []))
        raise UsageError(f"every one of the {len(result.evaluations)} scenarios failed to evaluate, so the search "
                         f"says nothing (first reason: {first[:200] or 'not given'})")
    artifacts = write_artifacts(result, args.out, max_artifacts=args.max_artifacts) if result.counterexamples else []
    console.print(f"[bold]{clean(conj.title)}[/]  (predicted exponent {clean(conj.exponent_text)}, tolerance "
                  f"{conj.tolerance:g})", markup=True)
    console.print(f"{len(result.evaluations)} scenarios in {result.elapsed:.1f} s "
                  f"({result.scenarios_per_second:.2f}/s, {result.workers} worker(s), {result.backend}, "
                  f"strategy {result.strategy}); {result.invalid} invalid, "
                  f"{len(result.pre_asymptotic)} pre-asymptotic deviations, {len(result.unsettled)} unsettled "
                  "(deviation only at the largest n: try a larger n range)")
    if result.counterexamples:
        table = Table(title=f"{len(result.counterexamples)} counterexample(s), ranked")
        for col in ("#", "scenario", "predicted", "measured (upper half)", "extrapolated", "follows"):
            table.add_column(col, overflow="fold")
        for k, ev in enumerate(result.counterexamples[: args.top], start=1):
            up = ev.upper
            table.add_row(str(k), ev.scenario.describe(), f"{ev.predicted:.3g}",
                          f"{up.exponent:.3f} [{up.lo:.3f}, {up.hi:.3f}]", f"{ev.asymptotic:.3f}",
                          f"-1/{ev.explained_by}" if ev.explained_by else "")
        console.print(table)
        for art in artifacts:
            console.print(plain(f"artifact {art['file']}" + (f" (plot {art['plot']})" if art.get("plot") else "")))
    else:
        console.print("no counterexample found", style="green")
    if args.json:
        write_json(args.json, result_dict(result, artifacts))
    return 1 if result.counterexamples else 0
