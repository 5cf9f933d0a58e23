"""`boundcheck stress SPEC`: check a spec's bound on random Lipschitz losses and latent samplings."""

from __future__ import annotations

import argparse

from ._common import add_common, check_json_path, clean, plain


def register(sub) -> None:
    p = sub.add_parser("stress", help="stress-test a bound numerically on random Lipschitz losses and samplings",
                       description="Draw latent spaces, samplers, generative maps and Lipschitz losses with "
                                   "Hypothesis and check the spec's bound (pointwise Lipschitz step and averaged "
                                   "form). A failure is shrunk and saved as replayable JSON. The spec needs a "
                                   "[stress] table (docs/stress.md). Exit 0: no failure, 1: failure found, 2: bad "
                                   "input.")
    p.add_argument("spec", help="spec file (TOML, format v1) with a [stress] table")
    p.add_argument("--examples", type=int, default=200, help="Hypothesis budget (default 200)")
    p.add_argument("--queries", type=int, default=200, help="test points per example (default 200)")
    p.add_argument("--artifacts", metavar="DIR", default="stress-failures",
                   help="where a failing example is saved (default ./stress-failures)")
    p.add_argument("--replay", metavar="FILE", help="re-run a saved example instead of searching")
    p.add_argument("--plot", metavar="PATH", help="write a plot of the margins of every example (png, pdf, svg)")
    add_common(p)
    p.set_defaults(handler=_run)


def _outcome_lines(out) -> list[str]:
    ex = out.example
    return [
        f"space {ex.space} (dim {ex.dim}), sampler {ex.sampler}, n = {out.n_points}, seed {ex.seed}",
        f"map {ex.map} -> R^{ex.map_out_dim} (scale {ex.map_scale:.4g}), loss {ex.loss} (scale {ex.loss_scale:.4g})",
        f"certified K = {out.lipschitz:.6g}, K_eff = d bound/d radius = {out.k_eff:.6g}",
        f"pointwise margin max[l(z) - l(z_i) - K_eff |z - z_i|] = {out.pointwise_margin:.6g}",
        f"averaged: true loss {out.true_loss:.6g} vs bound {out.bound:.6g} (training loss {out.training_loss:.6g}, "
        f"radius {out.radius:.6g})",
    ]


def _run(args: argparse.Namespace, console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..errors import UsageError
    from ..report.table import write_json
    from ..spec import load
    from ..stress import replay, run_stress

    problem = load(args.spec)
    if args.replay:
        out = replay(problem, args.replay)
        if out.skipped:
            console.print(plain(f"example skipped: {out.skipped}"), style="yellow")
        status = "[red]FAILS[/]" if out.failed else "[green]holds[/]"
        console.print(f"replay of {clean(args.replay)}: the bound {status}"
                      + (f" ({clean(', '.join(out.forms))})" if out.forms else ""), markup=True)
        for line in _outcome_lines(out):
            console.print(plain("  " + line))
        if args.json:
            write_json(args.json, out.to_dict())
        return 1 if out.failed else 0
    if args.examples < 1 or args.queries < 1:
        raise UsageError("--examples and --queries must be >= 1")
    prog = Progress(TextColumn("[bold]stress"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)
    with prog:
        task = prog.add_task("stress", total=args.examples)
        report = run_stress(problem, examples=args.examples, seed=args.seed, queries=args.queries,
                            artifact_dir=args.artifacts,
                            progress=lambda done, total: prog.update(task, completed=done))
    console.print(plain(f"bound: {report.bound}"))
    console.print(plain(f"K_eff = d bound / d {report.config.radius} = {report.k_eff}"))
    console.print(f"{report.examples} examples in {report.elapsed:.2f} s ({report.examples_per_second:.0f}/s), "
                  f"{report.skipped} skipped (outside the spec's domains)")
    if report.failure is None:
        console.print(f"[green]no counterexample[/] (largest pointwise margin {report.worst_pointwise:.3g}, "
                      f"largest averaged margin {report.worst_averaged:.3g}; <= 0 means the bound held)", markup=True)
    else:
        console.print(f"[red]counterexample[/] ({clean(', '.join(report.failure.forms))} form), shrunk:", markup=True)
        for line in _outcome_lines(report.failure):
            console.print(plain("  " + line))
        if report.artifact:
            console.print(plain(f"saved: {report.artifact}  (replay: boundcheck stress {args.spec} --replay "
                                f"{report.artifact})"))
    if args.plot:
        from ..report.plots import plot_stress

        console.print(f"plot: {plot_stress(report.to_dict(), args.plot)}")
    if args.json:
        write_json(args.json, report.to_dict())
    return 1 if report.failure is not None else 0
