"""`boundcheck solve SPEC [RELATION]`: thresholds (from which n?) and tuned parameters, with their proofs."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from ._common import add_common


def register(sub) -> None:
    p = sub.add_parser("solve", help="find and prove thresholds (sample sizes) and tuned parameters",
                       description="Without RELATION: the spec's threshold and optimum claims, with what they "
                                   "found. With RELATION (e.g. 'bound <= 1/10'): the least VAR from which it "
                                   "holds for all larger VAR, proved. Exit 0 when decided, 1 when not, 2 on bad "
                                   "input.")
    p.add_argument("spec", help="spec file (TOML, format v1)")
    p.add_argument("relation", nargs="?", help="a comparison over the spec's names, e.g. 'bound <= 1/10'")
    p.add_argument("--var", default="n", help="the growing symbol (default n)")
    p.add_argument("--given", metavar="NAME=VALUE", action="append", default=[],
                   help="value of another symbol, e.g. --given delta=1/20; repeatable")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per question (default 10)")
    add_common(p)
    p.set_defaults(handler=_run)


def _given(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"--given takes NAME=VALUE, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def _run(args: argparse.Namespace, console) -> int:
    from .. import api
    from ..report.table import result_table, write_json

    problem = api.load(args.spec)
    verdicts = api.solve(problem, args.relation, args.var, _given(args.given), timeout=args.timeout, seed=args.seed)
    if not verdicts:
        console.print("the spec has no threshold or optimum claims; give a RELATION", markup=False)
        return 1
    console.print(result_table(verdicts))
    for v in verdicts:
        console.print(f"{v.claim_id}: {v.summary()}", markup=False, highlight=False)
    if args.json:
        write_json(args.json, {"spec": args.spec, "results": [v.to_dict() for v in verdicts]})
    return 0 if all(v.status.value != "unknown" for v in verdicts) else 1
