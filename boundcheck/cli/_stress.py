"""`boundcheck stress SPEC`: check a spec's bound on random Lipschitz losses and latent samplings."""

from __future__ import annotations

import argparse

from ._common import add_common


def register(sub) -> None:
    p = sub.add_parser("stress", help="stress-test a bound numerically on random Lipschitz losses and samplings",
                       description="Draw latent spaces, samplers, generative maps and Lipschitz losses with "
                                   "Hypothesis and check each step of the spec's bound on its own (Lipschitz, "
                                   "covering, complexity) and the whole bound; the output names the failing step. "
                                   "A failure is shrunk and saved as replayable JSON. The spec needs a "
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


# the console prints no markup (text from files stays text); the lines here escape what they interpolate
# and ask for markup explicitly


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
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..errors import UsageError
    from ..report.table import write_json
    from ..spec import load
    from ..stress import replay, run_stress

    problem = load(args.spec)
    if args.replay:
        out = replay(problem, args.replay)
        if out.skipped:
            console.print(f"[yellow]example skipped: {escape(out.skipped)}[/]", markup=True)
        status = "[red]FAILS[/]" if out.failed else "[green]holds[/]"
        step = getattr(out, "step", None)
        if step is not None:  # a covering- or complexity-step example
            console.print(f"replay of {escape(str(args.replay))} ({step} step): {status}", markup=True)
            console.print("  " + escape(out.detail), markup=True)
        else:
            console.print(f"replay of {escape(str(args.replay))}: the bound {status}"
                          + (f" (step: {', '.join(out.steps)})" if out.forms else ""), markup=True)
            for line in _outcome_lines(out):
                console.print("  " + escape(line), markup=True)
        if args.json:
            write_json(args.json, out.to_dict())
        return 1 if out.failed else 0
    if args.examples < 1 or args.queries < 1:
        raise UsageError("--examples and --queries must be >= 1")
    from .._budget import check_fits

    # each example evaluates the loss at the queries in latent and data space (a few floats per coordinate)
    check_fits("one stress example", 8 * 64 * 16 * args.queries, option="--queries", value=args.queries)
    prog = Progress(TextColumn("[bold]stress"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)
    with prog:
        task = prog.add_task("stress", total=args.examples)
        report = run_stress(problem, examples=args.examples, seed=args.seed, queries=args.queries,
                            artifact_dir=args.artifacts,
                            progress=lambda done, total: prog.update(task, completed=done))
    console.print(f"bound: {escape(report.bound)}", markup=True)
    for name, how in report.measured:
        console.print(f"  {escape(name)} := {escape(how)}", markup=True)
    console.print(f"K_eff = d bound / d {escape(report.config.radius)} = {escape(report.k_eff)}", markup=True)
    console.print(f"{report.examples} examples in {report.elapsed:.2f} s ({report.examples_per_second:.0f}/s), "
                  f"{report.skipped} skipped (outside the spec's domains)", markup=True)
    colour = {"holds": "green", "fails": "red", "not tested": "yellow"}
    for st in report.steps:
        extra = (f", {st.examples} instances, largest margin {st.worst_margin:.3g}" if st.status != "not tested"
                 else f": {st.reason}")
        console.print(f"step {st.step}: [{colour[st.status]}]{st.status}[/]{escape(extra)}", markup=True)
        console.print(f"  {escape(st.claim)}", style="dim", markup=True)
        if st.status == "fails" and st.failure is not None and st.step in ("covering", "complexity"):
            console.print("  shrunk: " + escape(st.failure["detail"]), markup=True)
    beyond, compared, ratio = report.good_sample
    if compared:
        console.print(f"finding: on the stated sampling the distance to the nearest good sample exceeded the radius "
                      f"formula in {beyond} of {compared} instances (largest ratio {ratio:.3g}); the covering step "
                      "bounds the nearest sample, not the nearest good one (not counted as a failure)", markup=True)
    if not report.failed:
        console.print(f"[green]no counterexample[/] (largest pointwise margin {report.worst_pointwise:.3g}, "
                      f"largest averaged margin {report.worst_averaged:.3g}; <= 0 means the bound held)", markup=True)
    else:
        console.print(f"[red]counterexample[/]: failing step(s) {', '.join(report.failed_steps)}", markup=True)
        if report.failure is not None:
            console.print(f"shrunk ({', '.join(report.failure.steps)} step):", markup=True)
            for line in _outcome_lines(report.failure):
                console.print("  " + escape(line), markup=True)
        for path in [report.artifact] if report.failure is not None else []:
            console.print(f"saved: {escape(str(path))}  (replay: boundcheck stress {escape(args.spec)} --replay "
                          f"{escape(str(path))})", markup=True)
        for step, path in report.step_artifacts:
            console.print(f"saved ({step} step): {escape(path)}  (replay: boundcheck stress {escape(args.spec)} "
                          f"--replay {escape(path)})", markup=True)
    if args.plot:
        from ..report.plots import plot_stress

        console.print(f"plot: {plot_stress(report.to_dict(), args.plot)}", markup=True)
    if args.json:
        write_json(args.json, report.to_dict())
    return 1 if report.failed else 0
