"""`boundcheck scaling`: nearest-sample distance and covering radius against n, fitted exponents."""

from __future__ import annotations

import argparse

from ._common import add_common, plain


def register(sub) -> None:
    p = sub.add_parser("scaling", help="measure how nearest-sample distance and covering radius shrink with n",
                       description="Measure the mean nearest-sample distance and the covering radius of n samples "
                                   "of a latent space against n, fit power laws (Student t-intervals on the per-seed "
                                   "slopes) and "
                                   "compare with theory. Exit 2 on bad input.")
    p.add_argument("--space", default="torus", help="latent space (cube, torus, sphere, ball, cantor, cantor_dust, "
                                                    "sierpinski, countable, union, embedded); default torus")
    p.add_argument("--dim", type=int, default=None, help="dimension parameter of the space")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="space parameter, e.g. p=2 (countable), pieces=cube:2,cube:1 (union), ambient=5")
    p.add_argument("--sampler", default="iid", help="iid, grid, hex, sobol, halton, clustered (default iid)")
    p.add_argument("--sampler-param", action="append", default=[], metavar="KEY=VALUE",
                   help="sampler parameter, e.g. density=beta, a=2, clusters=10")
    p.add_argument("--n", default="100:100000", help="LO:HI (geometric, --points values) or a comma list")
    p.add_argument("--points", type=int, default=8, help="number of n values for LO:HI (default 8)")
    p.add_argument("--seeds", type=int, default=8, help="independent repetitions (default 8; the exponent CI is a "
                                                        "t-interval over them)")
    p.add_argument("--workers", type=int, default=None, help="processes for the (seed, n) cells (default: one "
                                                             "per CPU)")
    p.add_argument("--queries", type=int, default=20000, help="query points for the mean distance (default 20000)")
    p.add_argument("--no-covering", action="store_true", help="skip the covering radius")
    p.add_argument("--rtol", type=float, default=1e-2, help="covering-radius bound tolerance (default 0.01)")
    p.add_argument("--plot", metavar="PATH", help="write a log-log plot (png, pdf, svg)")
    add_common(p)
    p.set_defaults(handler=_run)


def _kv(items: list[str], what: str) -> dict:
    from ..errors import UsageError

    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what} must be KEY=VALUE, got {item!r}")
        value = value.strip()
        try:
            out[key.strip()] = int(value)
        except ValueError:
            try:
                out[key.strip()] = float(value)
            except ValueError:
                out[key.strip()] = value
    return out


def _run(args: argparse.Namespace, console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..empirical import get_sampler, get_space
    from ..errors import UsageError
    from ..empirical._scaling import parse_ns, run_scaling

    if args.seeds < 1 or (args.workers is not None and args.workers < 1):
        raise UsageError("--seeds and --workers must be >= 1")
    from ..report.table import write_json

    from .._budget import check_dim, check_fits

    check_dim(args.dim)
    if args.points > 1000:
        raise UsageError(f"--points {args.points}: at most 1000 values of n")
    space = get_space(args.space, args.dim, **_kv(args.param, "--param"))
    sampler = get_sampler(args.sampler, **_kv(args.sampler_param, "--sampler-param"))
    ambient = max(space.dim, len(space.bounds[0]))
    check_dim(ambient, "the space's ambient dimension")
    ns = parse_ns(args.n, args.points)
    per_point = 8 * ambient * 8  # a float per coordinate; k-d tree, distances and temporaries
    checks = [("--n (largest)", max(ns)), ("--queries", args.queries)]
    for option, value in sorted(checks, key=lambda c: -c[1]):  # name the larger one
        check_fits("this scaling run", per_point * (max(ns) + args.queries), option=option, value=value)
    prog = Progress(TextColumn("[bold]scaling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)
    with prog:
        task = prog.add_task("scaling", total=args.seeds * len(ns))
        result = run_scaling(space, sampler, ns, seeds=args.seeds, seed=args.seed, queries=args.queries,
                             covering=not args.no_covering, covering_rtol=args.rtol, workers=args.workers,
                             progress=lambda done, total: prog.update(task, completed=done))
    data = result.to_dict()
    th = data["theory"]
    table = Table(title=f"{space.name} dim {space.dim} (Hausdorff {space.hausdorff_dim:.4g}, box {space.box_dim:.4g})"
                        f", sampler {sampler.name}, {args.seeds} seeds")
    table.add_column("n", justify="right")
    table.add_column("mean nearest", justify="right")
    if th["nearest"]["values"]:
        table.add_column("theory", justify="right")
    lower_only = data["covering_kind"] == "lower-estimate"
    if not args.no_covering:
        table.add_column("covering >= (Monte Carlo lower estimate)" if lower_only
                         else f"covering ({data['covering_kind']})", justify="right")
        if th["covering"]["values"]:
            table.add_column("theory", justify="right")
    if data["hall_janson_ratio"]:
        table.add_column("n V R^d / log n", justify="right")
    import numpy as np

    n_act = np.asarray(data["n_actual"]).mean(axis=0)
    nn = np.asarray(data["nearest_mean"])
    for j in range(len(ns)):
        row = [f"{n_act[j]:.0f}", f"{nn[:, j].mean():.4g} ± {nn[:, j].std():.2g}"]
        if th["nearest"]["values"]:
            row.append(f"{th['nearest']['values'][j]:.4g}")
        if not args.no_covering:
            cv = np.asarray(data["covering"])
            row.append(f"{cv[:, j].mean():.4g} ± {cv[:, j].std():.2g}")
            if th["covering"]["values"]:
                row.append(f"{th['covering']['values'][j]:.4g}")
        if data["hall_janson_ratio"]:
            hj = data["hall_janson_ratio"]
            row.append(f"{hj[j]:.3f}" if j < len(hj) else "")
        table.add_row(*row)
    console.print(table)
    for key, label in (("nearest", "mean nearest-sample distance"), ("covering", "covering radius")):
        fit = data["fits"][key]
        if not fit:
            continue
        exp = th[key]["exponent"]
        extra = f"; theory {exp:.4f}" if exp is not None else ""
        eff = th[key].get("effective_exponent")
        if eff is not None and exp is not None and abs(eff - exp) > 5e-4:
            extra += f" (effective slope of the theory curve over these n: {eff:.4f})"
        how = {"t-seeds": f"t-interval over {fit['n_seeds']} seeds", "seeds": "bootstrap over seeds",
               "points": "bootstrap over points, one seed"}.get(fit["resampled"], fit["resampled"])
        console.print(f"{label}: exponent {fit['exponent']:.4f} [{fit['exponent_ci'][0]:.4f}, "
                      f"{fit['exponent_ci'][1]:.4f}] ({fit['level']:.0%} CI, {how}), prefactor "
                      f"{fit['prefactor']:.4g}{extra}")
        if th[key].get("source"):
            console.print(f"  theory: {th[key]['source']}", markup=False)
        if th[key].get("note"):
            console.print(plain(f"  note: {th[key]['note']}"))
    for note in data.get("notes", []):
        console.print(plain(note), style="yellow")
    if lower_only and th["covering"].get("exponent") is not None:
        console.print(f"covering radius theory: exponent {th['covering']['exponent']:.4f} (not compared: the "
                      "measurement is a lower estimate)", markup=False)
    if args.plot:
        from ..report.plots import plot_scaling

        console.print(f"plot: {plot_scaling(data, args.plot)}")
    if args.json:
        write_json(args.json, data)
    return 0
